//! Every setting, declared once. One entry gives the key (docksmith.toml, the user's
//! config, `--show-settings`), the type, the flag, the help text and, when the
//! resolved value differs from what a layer says, how it is checked and written back.
//! From the table come [`Options`] (one layer), [`Settings`] (resolved), the clap
//! arguments, the `DOCKSMITH_*` variables (the key in upper snake case), the merge of
//! the layers, `--show-settings` and what `init` records. Every setting a user set for
//! this project (flag, wizard, environment, docksmith.toml) is recorded; values from
//! the user's config, org standards and defaults keep following their own source.

use clap::{Arg, ArgAction, ArgMatches};
use serde::Deserialize;

use crate::data::Flavor;
use crate::lang::Language;

use super::value::SettingValue;
use super::{Layer, Setting, SettingsError, Source, Syntax};

/// How a setting is given on the command line.
#[derive(Clone, Copy, Debug)]
pub enum Flag {
    /// `--key VALUE`.
    Value(&'static str),
    /// `--key VALUE`, where the value may start with `-` (a command line).
    Free(&'static str),
    /// `--key` alone means true.
    Switch,
    /// `--key` alone means true, `--key=false` false (a setting that is on by
    /// default and can be refused).
    Toggle,
}

/// A setting's declaration.
#[derive(Clone, Copy, Debug)]
pub struct Spec {
    pub key: &'static str,
    /// The long flag, usually the key (`--runtime-package` repeats for a list).
    pub flag: &'static str,
    pub kind: Flag,
    pub help: &'static str,
}

impl Spec {
    /// `DOCKSMITH_` and the key in upper snake case.
    pub fn env_name(&self) -> String {
        format!("DOCKSMITH_{}", self.key.to_uppercase().replace('-', "_"))
    }
}

macro_rules! settings {
    ($(
        $field:ident: $raw:ty => $resolved:ty {
            key: $key:literal,
            flag: $flag:literal,
            kind: $kind:expr,
            help: $help:literal,
            $(resolve: $resolve:expr, record: $record:expr,)?
            $(default: $default:expr,)?
        }
    )+) => {
        /// Every setting, in the order `--show-settings` lists them.
        pub const SPECS: &[Spec] = &[$(Spec { key: $key, flag: $flag, kind: $kind, help: $help }),+];

        /// Every key a settings file accepts.
        pub const KEYS: &[&str] = &[$($key),+];

        /// One layer of settings: what one source said. `None` means "not said here".
        #[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
        #[serde(deny_unknown_fields, rename_all = "kebab-case")]
        pub struct Options {
            $(#[doc = $help] pub $field: Option<$raw>,)+
        }

        /// Everything resolved. `None` leaves the choice to docksmith (and the plan
        /// says why).
        #[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
        pub struct Settings {
            $(#[doc = $help] pub $field: Option<Setting<$resolved>>,)+
            /// Each monorepo app's settings, where docksmith.toml has an `[app.<name>]`
            /// table for it (resolved with that table over the file's own keys).
            #[serde(skip)]
            pub per_app: std::collections::BTreeMap<String, Settings>,
            /// The standards pack the setting `standards` selected, loaded.
            #[serde(skip)]
            pub pack: Option<std::sync::Arc<crate::standards::Pack>>,
        }

        impl Options {
            /// The command line's layer.
            pub fn from_matches(matches: &ArgMatches) -> Options {
                Options {
                    $($field: match $kind {
                        Flag::Switch => matches.get_flag($key).then(|| switch_on::<$raw>()),
                        _ => <$raw as SettingValue>::from_matches(matches, $key),
                    },)+
                }
            }

            /// The environment's layer; an empty variable says nothing.
            pub fn from_env(
                env: &dyn super::Environment,
            ) -> Result<Options, SettingsError> {
                Ok(Options {
                    $($field: from_env::<$raw>(env, $key)?,)+
                })
            }

            /// The value for `key` as written into docksmith.toml, when this layer
            /// says something for it.
            pub fn toml_value(&self, key: &str) -> Option<toml_edit::Value> {
                match key {
                    $($key => self.$field.as_ref().map(SettingValue::to_toml),)+
                    _ => None,
                }
            }
        }

        /// The clap arguments, one per setting.
        pub fn args() -> Vec<Arg> {
            vec![$(arg::<$raw>(&SPECS[index($key)]),)+]
        }

        /// Merges the layers, highest first; values are checked where they came from.
        pub(super) fn resolve(layers: &[Layer<'_>]) -> Result<Settings, SettingsError> {
            Ok(Settings {
                $($field: {
                    let picked = super::pick(layers, $key, |o| o.$field.clone());
                    $(let picked = match picked { Some(set) => Some($resolve(set)?), None => None };)?
                    $(let picked = picked.or_else(|| Some(Setting { value: $default, source: Source::Default }));)?
                    picked
                },)+
                per_app: Default::default(),
                pack: None,
            })
        }

        impl Options {
            /// Sets a boolean setting by its key (a wizard answer to an offer);
            /// false when no boolean setting has that key.
            pub fn set_switch(&mut self, key: &str, value: bool) -> bool {
                let field: &mut dyn std::any::Any = match key {
                    $($key => &mut self.$field,)+
                    _ => return false,
                };
                match field.downcast_mut::<Option<bool>>() {
                    Some(field) => {
                        *field = Some(value);
                        true
                    }
                    None => false,
                }
            }

            /// The keys this layer sets to another value than `enforced` does, each
            /// with the enforced value as shown.
            pub fn conflicts(&self, enforced: &Options) -> Vec<(&'static str, String)> {
                let mut out = Vec::new();
                $(if let (Some(mine), Some(theirs)) = (&self.$field, &enforced.$field) {
                    if mine != theirs {
                        out.push(($key, SettingValue::show(theirs)));
                    }
                })+
                out
            }

            /// Says nothing more for `key` (a recorded answer the user cleared).
            pub fn clear(&mut self, key: &str) {
                match key {
                    $($key => self.$field = None,)+
                    _ => {}
                }
            }
        }

        impl Settings {
            /// A setting by its key, for code that handles settings generically.
            pub(super) fn by_key(&self, key: &str) -> Option<&dyn std::any::Any> {
                match key {
                    $($key => Some(&self.$field),)+
                    _ => None,
                }
            }

            /// The values set explicitly for this project (flags, wizard answers,
            /// environment, docksmith.toml), and with `user_config` the user's config
            /// file's too: what `init` records so that a later run, anyone's,
            /// reproduces its files.
            pub fn recorded(&self, user_config: bool) -> Options {
                let recorded = |source: &Source| {
                    source.is_project_own() || (user_config && matches!(source, Source::UserConfig(_)))
                };
                Options {
                    $($field: self.$field.as_ref().filter(|s| recorded(&s.source)).map(|s| {
                        let value = s.value.clone();
                        $(let value = $record(value);)?
                        value
                    }),)+
                }
            }

            /// Each setting's value and source, one per line, for `--show-settings`;
            /// `effective` gives what docksmith decided for a setting nobody set.
            pub fn describe(&self, effective: &dyn Fn(&str) -> Option<String>) -> String {
                let mut out = String::new();
                $(out += &super::describe_row(
                    $key,
                    self.$field.as_ref().map(|s| {
                        let value = s.value.clone();
                        $(let value = $record(value);)?
                        (SettingValue::show(&value), &s.source)
                    }),
                    effective,
                );)+
                out
            }
        }
    };
}

/// The position of `key` in [`SPECS`].
const fn index(key: &str) -> usize {
    let mut i = 0;
    while i < KEYS.len() {
        if const_eq(KEYS[i], key) {
            return i;
        }
        i += 1;
    }
    panic!("every key is declared")
}

const fn const_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The value of a switch that is on; only booleans are switches.
fn switch_on<T: SettingValue>() -> T {
    T::from_env("true").expect("switches are booleans")
}

fn from_env<T: SettingValue>(
    env: &dyn super::Environment,
    key: &str,
) -> Result<Option<T>, SettingsError> {
    let name = env_name(key);
    match env.var(&name).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(text) => T::from_env(&text)
            .map(Some)
            .map_err(|e| SettingsError::Invalid {
                origin: Source::Env(name),
                message: format!("`{}`: {e}", text.escape_debug()),
            }),
    }
}

/// The environment variable of `key`.
pub fn env_name(key: &str) -> String {
    SPECS
        .iter()
        .find(|s| s.key == key)
        .map_or_else(|| key.to_string(), Spec::env_name)
}

fn arg<T: SettingValue>(spec: &Spec) -> Arg {
    let help = format!("{} [env: {}{}]", spec.help, spec.env_name(), T::ENV_FORMAT);
    let arg = Arg::new(spec.key).long(spec.flag).help(help);
    match spec.kind {
        Flag::Switch => arg.action(ArgAction::SetTrue),
        Flag::Toggle => T::arg(arg)
            .value_name("BOOL")
            .num_args(0..=1)
            .require_equals(true)
            .default_missing_value("true"),
        Flag::Value(name) => T::arg(arg).value_name(name),
        Flag::Free(name) => T::arg(arg).value_name(name).allow_hyphen_values(true),
    }
}

settings! {
    language: Language => Language {
        key: "language",
        flag: "language",
        kind: Flag::Value("LANG"),
        help: "The language to build when the project holds several",
    }
    package: String => String {
        key: "package",
        flag: "package",
        kind: Flag::Value("NAME"),
        help: "The workspace package (app) to package in a monorepo (name or folder)",
    }
    apps: Vec<String> => Vec<String> {
        key: "apps",
        flag: "app",
        kind: Flag::Value("NAME"),
        help: "Monorepo: an app to build into its own Dockerfile.<app> and docker-bake.hcl target (`*` for every app found; `init --all` sets that); repeatable",
        resolve: super::check::apps,
        record: std::convert::identity,
    }
    bin: String => String {
        key: "bin",
        flag: "bin",
        kind: Flag::Value("NAME"),
        help: "The binary to package when there are several (name or package path)",
    }
    flavor: Flavor => Flavor {
        key: "flavor",
        flag: "flavor",
        kind: Flag::Value("FLAVOR"),
        help: "Runtime flavor [default: the smallest that runs the app]",
    }
    port: u16 => u16 {
        key: "port",
        flag: "port",
        kind: Flag::Value("N"),
        help: "The port the app listens on [default: detected]",
        resolve: super::check::port,
        record: std::convert::identity,
    }
    command: String => Vec<String> {
        key: "command",
        flag: "command",
        kind: Flag::Free("CMD"),
        help: "The start command, replacing the detected one: shell words, written in exec form",
        resolve: super::check::command,
        record: |words: Vec<String>| shell_words::join(words),
    }
    user: u32 => u32 {
        key: "user",
        flag: "user",
        kind: Flag::Value("UID"),
        help: "The numeric uid (and gid) the program runs as, 1 to 65534 [default: 65532, or the image's own non-root user]",
        resolve: super::check::user,
        record: std::convert::identity,
    }
    healthcheck: bool => bool {
        key: "healthcheck",
        flag: "healthcheck",
        kind: Flag::Value("BOOL"),
        help: "Keep (the default) or drop the HEALTHCHECK docksmith writes when it can probe the app",
    }
    runtime_packages: Vec<String> => Vec<String> {
        key: "runtime-packages",
        flag: "runtime-package",
        kind: Flag::Value("NAME"),
        help: "An extra package to install into the runtime image (slim and alpine flavors); repeatable",
        resolve: super::check::packages,
        record: std::convert::identity,
    }
    image_builder: String => String {
        key: "image-builder",
        flag: "image-builder",
        kind: Flag::Value("REF"),
        help: "Builder image, replacing the one docksmith picks",
        resolve: super::check::image,
        record: std::convert::identity,
    }
    image_runtime: String => String {
        key: "image-runtime",
        flag: "image-runtime",
        kind: Flag::Value("REF"),
        help: "Runtime image, replacing the one docksmith picks",
        resolve: super::check::image,
        record: std::convert::identity,
    }
    syntax: Syntax => Syntax {
        key: "syntax",
        flag: "syntax",
        kind: Flag::Value("none|1"),
        help: "`1` emits `# syntax=docker/dockerfile:1`; `none` omits it for builders without registry access (the output then needs only Docker 20.10's built-in frontend) [default: 1]",
        default: Syntax::V1,
    }
    standards: super::value::StandardsSource => super::value::StandardsSource {
        key: "standards",
        flag: "standards",
        kind: Flag::Value("DIR|git+URL#REV"),
        help: "An org standards pack whose pins, mirrors and policies apply: a folder holding standards.toml (a relative path is read from the project's folder), or a git repository at a tag or commit (git+URL#REV, fetched once with git and cached)",
    }
    vars: super::value::Vars => super::value::Vars {
        key: "vars",
        flag: "var",
        kind: Flag::Value("NAME=VALUE"),
        help: "A value for one of the standards pack's variables (`--var team=payments`); repeatable",
    }
    cargo_chef: bool => bool {
        key: "cargo-chef",
        flag: "cargo-chef",
        kind: Flag::Switch,
        help: "Rust: cache dependencies in an image layer with cargo-chef (for CI runners that start empty and import image caches) instead of BuildKit cache mounts",
    }
    add_server: bool => bool {
        key: "add-server",
        flag: "add-server",
        kind: Flag::Toggle,
        help: "Python: when the app needs a server (gunicorn, uvicorn) it does not depend on, install a pinned one into the image (the default); --add-server=false stops with an error instead",
    }
}
