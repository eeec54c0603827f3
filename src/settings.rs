//! What the user asked for, resolved once, in one place.
//!
//! Every layer says the same things ([`Options`]); [`Sources::resolve`] merges them in
//! one pass, highest first: command-line flags (and the wizard's answers, which only
//! cover what no flag said), `DOCKSMITH_*` environment variables, the project's
//! `docksmith.toml`, the user's config file (`$XDG_CONFIG_HOME/docksmith/config.toml`),
//! org standards, then built-in defaults. Each resolved value keeps where it came
//! from, so a surprising value can be traced (`--show-settings`).

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::data::Flavor;
use crate::detect::Language;

/// The project file docksmith reads settings from.
pub const PROJECT_FILE: &str = "docksmith.toml";

/// Environment variables, named once.
pub mod env {
    pub const FLAVOR: &str = "DOCKSMITH_FLAVOR";
    pub const BIN: &str = "DOCKSMITH_BIN";
    pub const PORT: &str = "DOCKSMITH_PORT";
    pub const IMAGE_BUILDER: &str = "DOCKSMITH_IMAGE_BUILDER";
    pub const IMAGE_RUNTIME: &str = "DOCKSMITH_IMAGE_RUNTIME";
    pub const SYNTAX: &str = "DOCKSMITH_SYNTAX";
    pub const CARGO_CHEF: &str = "DOCKSMITH_CARGO_CHEF";
    pub const PACKAGE: &str = "DOCKSMITH_PACKAGE";
    pub const ADD_SERVER: &str = "DOCKSMITH_ADD_SERVER";
    pub const LANGUAGE: &str = "DOCKSMITH_LANGUAGE";
    pub const COMMAND: &str = "DOCKSMITH_COMMAND";
    pub const USER: &str = "DOCKSMITH_USER";
    pub const HEALTHCHECK: &str = "DOCKSMITH_HEALTHCHECK";
    pub const RUNTIME_PACKAGES: &str = "DOCKSMITH_RUNTIME_PACKAGES";
}

/// The user's own config file, below `$XDG_CONFIG_HOME` (else `~/.config`).
pub const USER_CONFIG: &str = "docksmith/config.toml";

/// Every key a settings file accepts, in the order `--show-settings` lists them.
pub const KEYS: [&str; 14] = [
    "language",
    "package",
    "bin",
    "flavor",
    "port",
    "command",
    "user",
    "healthcheck",
    "runtime-packages",
    "image-builder",
    "image-runtime",
    "syntax",
    "cargo-chef",
    "add-server",
];

/// Whether the Dockerfile names its frontend.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Syntax {
    /// `# syntax=docker/dockerfile:1`: BuildKit fetches the current v1 frontend.
    #[default]
    #[serde(rename = "1")]
    V1,
    /// No syntax line: the engine's built-in frontend (Docker 20.10 and later), for
    /// air-gapped builders. Outputs never need more than it supports.
    #[serde(rename = "none")]
    None,
}

impl std::str::FromStr for Syntax {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "1" => Ok(Syntax::V1),
            "none" => Ok(Syntax::None),
            other => Err(format!("unknown syntax `{other}` (expected 1 or none)")),
        }
    }
}

impl fmt::Display for Syntax {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Syntax::V1 => "1",
            Syntax::None => "none",
        })
    }
}

/// One layer of settings: what one source said. `None` means "not said here".
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// Runtime flavor: scratch, distroless, slim or alpine.
    pub flavor: Option<Flavor>,
    /// Which binary to package when the project has several.
    pub bin: Option<String>,
    /// Which workspace package (app) to package when a monorepo has several.
    pub package: Option<String>,
    /// The port the program listens on.
    pub port: Option<u16>,
    /// Builder image reference, replacing the one docksmith picks.
    pub image_builder: Option<String>,
    /// Runtime image reference, replacing the one docksmith picks.
    pub image_runtime: Option<String>,
    /// Dockerfile frontend: "1" or "none".
    pub syntax: Option<Syntax>,
    /// Rust: cache dependencies in an image layer with cargo-chef instead of cache mounts.
    pub cargo_chef: Option<bool>,
    /// Python: install the server (gunicorn, uvicorn) an app needs when it is not a
    /// dependency.
    pub add_server: Option<bool>,
    /// Which language to build when the project holds several.
    pub language: Option<Language>,
    /// The start command, replacing the detected one (shell words, run in exec form).
    pub command: Option<String>,
    /// The numeric uid (and gid) the program runs as; never 0.
    pub user: Option<u32>,
    /// Whether to keep the HEALTHCHECK docksmith writes when it can probe the app.
    pub healthcheck: Option<bool>,
    /// Extra packages installed into the runtime image (slim and alpine flavors).
    pub runtime_packages: Option<Vec<String>>,
}

/// Where a resolved value came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "kebab-case")]
pub enum Source {
    Flag(String),
    /// An answer given in the interactive wizard.
    Wizard(String),
    Env(String),
    ProjectFile(String),
    UserConfig(String),
    /// Org-wide standards (a later layer; nothing sets it yet).
    Org(String),
    Default,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag(name) => write!(f, "flag {name}"),
            Source::Env(name) => write!(f, "environment variable {name}"),
            Source::Wizard(name) => write!(f, "wizard answer `{name}`"),
            Source::ProjectFile(name) | Source::UserConfig(name) | Source::Org(name) => {
                write!(f, "{name}")
            }
            Source::Default => f.write_str("default"),
        }
    }
}

/// A resolved value and its source.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Setting<T> {
    pub value: T,
    pub source: Source,
}

/// Everything resolved. `None` leaves the choice to docksmith (and the plan says why).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Settings {
    pub flavor: Option<Setting<Flavor>>,
    pub bin: Option<Setting<String>>,
    pub package: Option<Setting<String>>,
    pub port: Option<Setting<u16>>,
    pub image_builder: Option<Setting<String>>,
    pub image_runtime: Option<Setting<String>>,
    pub syntax: Setting<Syntax>,
    pub cargo_chef: Option<Setting<bool>>,
    pub add_server: Option<Setting<bool>>,
    pub language: Option<Setting<Language>>,
    pub command: Option<Setting<Vec<String>>>,
    pub user: Option<Setting<u32>>,
    pub healthcheck: Option<Setting<bool>>,
    pub runtime_packages: Option<Setting<Vec<String>>>,
}

impl Settings {
    /// A boolean setting by its key, for switches that only one language reads.
    pub fn switch(&self, key: &str) -> Option<&Setting<bool>> {
        match key {
            "cargo-chef" => self.cargo_chef.as_ref(),
            "add-server" => self.add_server.as_ref(),
            _ => None,
        }
    }
}

impl Default for Setting<Syntax> {
    fn default() -> Self {
        Setting {
            value: Syntax::default(),
            source: Source::Default,
        }
    }
}

/// Why settings could not be resolved.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("{origin}: {message}")]
    Invalid { origin: Source, message: String },
}

impl SettingsError {
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            SettingsError::Read { .. } => return None,
            SettingsError::Parse { .. } => format!(
                "a settings file accepts {} (and, in {PROJECT_FILE}, the [generated] table docksmith writes)",
                KEYS.join(", ")
            ),
            SettingsError::Invalid { origin, .. } => format!("correct the value of the {origin}"),
        })
    }
}

/// One layer and its name for each field.
struct Layer<'a> {
    options: &'a Options,
    names: Box<dyn Fn(&str) -> Source + 'a>,
}

/// The layers below the command line: the environment, the project's docksmith.toml,
/// the user's config file and org standards. Read once per run, so the wizard can
/// resolve its answers against them many times without touching the disk again.
#[derive(Debug, Default)]
pub struct Sources {
    env: Options,
    project: Options,
    /// docksmith.toml's `[generated]` table: docksmith's bookkeeping, not a setting
    /// (see [`crate::record`]).
    pub generated: Option<toml::Value>,
    user: Options,
    /// The user's config file, as shown in a setting's source.
    user_name: String,
    org: Options,
}

impl Sources {
    /// Reads the environment (through `env`), `project_root`'s docksmith.toml and the
    /// user's config file.
    pub fn load(
        env: &dyn Fn(&str) -> Option<String>,
        project_root: &Path,
    ) -> Result<Sources, SettingsError> {
        let user_file = user_config_path(env);
        let user = match &user_file {
            Some(path) => read_settings_file(path)?.0,
            None => Options::default(),
        };
        let (project, generated) = read_project_file(project_root)?;
        Ok(Sources {
            env: from_env(env)?,
            project,
            generated,
            user,
            user_name: user_file
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            org: org_standards(),
        })
    }

    /// Merges `flags` and the wizard's `answers` (empty without a terminal) over these
    /// layers, highest first.
    pub fn resolve(&self, flags: Options, answers: Options) -> Result<Settings, SettingsError> {
        let user_name = self.user_name.as_str();
        let layers = [
            Layer {
                options: &flags,
                names: Box::new(|field| Source::Flag(format!("--{field}"))),
            },
            Layer {
                options: &answers,
                names: Box::new(|field| Source::Wizard(field.to_string())),
            },
            Layer {
                options: &self.env,
                names: Box::new(|field| Source::Env(env_name(field).to_string())),
            },
            Layer {
                options: &self.project,
                names: Box::new(|field| {
                    Source::ProjectFile(format!("{PROJECT_FILE} key `{field}`"))
                }),
            },
            Layer {
                options: &self.user,
                names: Box::new(move |field| {
                    Source::UserConfig(format!("{user_name} key `{field}`"))
                }),
            },
            // The seam for org-wide standards: a layer below the user's own config.
            Layer {
                options: &self.org,
                names: Box::new(|field| Source::Org(format!("org standards key `{field}`"))),
            },
        ];
        let settings = Settings {
            flavor: pick(&layers, "flavor", |o| o.flavor),
            bin: pick(&layers, "bin", |o| o.bin.clone()),
            package: pick(&layers, "package", |o| o.package.clone()),
            port: pick(&layers, "port", |o| o.port),
            image_builder: pick(&layers, "image-builder", |o| o.image_builder.clone()),
            image_runtime: pick(&layers, "image-runtime", |o| o.image_runtime.clone()),
            syntax: pick(&layers, "syntax", |o| o.syntax).unwrap_or_default(),
            cargo_chef: pick(&layers, "cargo-chef", |o| o.cargo_chef),
            add_server: pick(&layers, "add-server", |o| o.add_server),
            language: pick(&layers, "language", |o| o.language),
            command: pick_command(&layers)?,
            user: pick(&layers, "user", |o| o.user),
            healthcheck: pick(&layers, "healthcheck", |o| o.healthcheck),
            runtime_packages: pick(&layers, "runtime-packages", |o| o.runtime_packages.clone()),
        };
        settings.validate()?;
        Ok(settings)
    }
}

impl Settings {
    /// Merges `flags`, the environment (read through `env`), the project file in
    /// `project_root` and the user's config file, highest first.
    pub fn resolve(
        flags: Options,
        env: &dyn Fn(&str) -> Option<String>,
        project_root: &Path,
    ) -> Result<Settings, SettingsError> {
        Sources::load(env, project_root)?.resolve(flags, Options::default())
    }

    fn validate(&self) -> Result<(), SettingsError> {
        for image in [&self.image_builder, &self.image_runtime]
            .into_iter()
            .flatten()
        {
            if !is_image_reference(&image.value) {
                return Err(SettingsError::Invalid {
                    origin: image.source.clone(),
                    message: format!(
                        "`{}` is not an image reference like registry/name:tag",
                        image.value.escape_debug()
                    ),
                });
            }
        }
        if let Some(port) = &self.port
            && port.value == 0
        {
            return Err(SettingsError::Invalid {
                origin: port.source.clone(),
                message: "port 0 is not a port a server can be reached on".into(),
            });
        }
        if let Some(user) = &self.user
            && (user.value == 0 || user.value > 65_534)
        {
            return Err(SettingsError::Invalid {
                origin: user.source.clone(),
                message: format!(
                    "uid {} is not allowed: images run as a non-root numeric user (1 to 65534)",
                    user.value
                ),
            });
        }
        if let Some(packages) = &self.runtime_packages
            && let Some(bad) = packages.value.iter().find(|p| !is_package_name(p))
        {
            return Err(SettingsError::Invalid {
                origin: packages.source.clone(),
                message: format!(
                    "`{}` is not a package name (lower-case letters, digits and + - . only)",
                    bad.escape_debug()
                ),
            });
        }
        Ok(())
    }

    /// The values set explicitly for this project (flags, wizard answers, environment,
    /// docksmith.toml): what `init` records so that a later run reproduces its files.
    /// Values from the user's config, org standards and defaults are not recorded:
    /// they keep following their own source.
    pub fn recorded(&self) -> Options {
        fn mine<T: Clone>(s: &Option<Setting<T>>) -> Option<T> {
            s.as_ref()
                .filter(|s| {
                    matches!(
                        s.source,
                        Source::Flag(_)
                            | Source::Wizard(_)
                            | Source::Env(_)
                            | Source::ProjectFile(_)
                    )
                })
                .map(|s| s.value.clone())
        }
        let syntax = Some(self.syntax.clone());
        Options {
            flavor: mine(&self.flavor),
            bin: mine(&self.bin),
            package: mine(&self.package),
            port: mine(&self.port),
            image_builder: mine(&self.image_builder),
            image_runtime: mine(&self.image_runtime),
            syntax: mine(&syntax),
            cargo_chef: mine(&self.cargo_chef),
            add_server: mine(&self.add_server),
            language: mine(&self.language),
            command: mine(&self.command).map(shell_words::join),
            user: mine(&self.user),
            healthcheck: mine(&self.healthcheck),
            runtime_packages: mine(&self.runtime_packages),
        }
    }

    /// Each setting's value and source, one per line, for `--show-settings`.
    pub fn describe(&self) -> String {
        fn row<T: fmt::Display>(key: &str, s: &Option<Setting<T>>) -> String {
            match s {
                Some(s) => format!("{key:<17} {:<28} {}\n", s.value.to_string(), s.source),
                None => format!("{key:<17} {:<28} default (docksmith decides)\n", "-"),
            }
        }
        fn list(
            s: &Option<Setting<Vec<String>>>,
            join: fn(&[String]) -> String,
        ) -> Option<Setting<String>> {
            s.as_ref().map(|s| Setting {
                value: join(&s.value),
                source: s.source.clone(),
            })
        }
        let syntax = Some(self.syntax.clone());
        let mut out = String::new();
        for key in KEYS {
            out += &match key {
                "language" => row(key, &self.language),
                "package" => row(key, &self.package),
                "bin" => row(key, &self.bin),
                "flavor" => row(key, &self.flavor),
                "port" => row(key, &self.port),
                "command" => row(key, &list(&self.command, |w| shell_words::join(w))),
                "user" => row(key, &self.user),
                "healthcheck" => row(key, &self.healthcheck),
                "runtime-packages" => row(key, &list(&self.runtime_packages, |w| w.join(" "))),
                "image-builder" => row(key, &self.image_builder),
                "image-runtime" => row(key, &self.image_runtime),
                "syntax" => row(key, &syntax),
                "cargo-chef" => row(key, &self.cargo_chef),
                _ => row(key, &self.add_server),
            };
        }
        out
    }
}

/// Org-wide standards. Not implemented yet: the layer exists so that adding them
/// changes nothing else.
fn org_standards() -> Options {
    Options::default()
}

/// `$XDG_CONFIG_HOME/docksmith/config.toml`, else `$HOME/.config/docksmith/config.toml`.
fn user_config_path(env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let base = env("XDG_CONFIG_HOME")
        .filter(|v| Path::new(v).is_absolute())
        .map(PathBuf::from)
        .or_else(|| {
            env("HOME")
                .filter(|v| !v.is_empty())
                .map(|home| Path::new(&home).join(".config"))
        })?;
    Some(base.join(USER_CONFIG))
}

/// The start command as words, checked where it came from.
fn pick_command(layers: &[Layer]) -> Result<Option<Setting<Vec<String>>>, SettingsError> {
    let Some(set) = pick(layers, "command", |o| o.command.clone()) else {
        return Ok(None);
    };
    let invalid = |message: String| SettingsError::Invalid {
        origin: set.source.clone(),
        message,
    };
    let words = shell_words::split(&set.value)
        .map_err(|e| invalid(format!("`{}`: {e}", set.value.escape_debug())))?;
    if words.is_empty() {
        return Err(invalid("the start command is empty".into()));
    }
    if let Some(c) = set.value.chars().find(|c| c.is_control()) {
        return Err(invalid(format!(
            "the start command contains the control character U+{:04X}",
            c as u32
        )));
    }
    Ok(Some(Setting {
        value: words,
        source: set.source,
    }))
}

/// A Debian or Alpine package name (optionally `name=version`).
pub fn is_package_name(name: &str) -> bool {
    static PACKAGE: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"^[a-z0-9][a-z0-9+.-]{0,99}(=[A-Za-z0-9.+~:_-]{1,100})?$")
            .expect("valid")
    });
    PACKAGE.is_match(name)
}

fn pick<T>(
    layers: &[Layer],
    field: &str,
    get: impl Fn(&Options) -> Option<T>,
) -> Option<Setting<T>> {
    layers.iter().find_map(|layer| {
        get(layer.options).map(|value| Setting {
            value,
            source: (layer.names)(field),
        })
    })
}

fn env_name(field: &str) -> &'static str {
    match field {
        "flavor" => env::FLAVOR,
        "bin" => env::BIN,
        "package" => env::PACKAGE,
        "port" => env::PORT,
        "image-builder" => env::IMAGE_BUILDER,
        "image-runtime" => env::IMAGE_RUNTIME,
        "cargo-chef" => env::CARGO_CHEF,
        "add-server" => env::ADD_SERVER,
        "language" => env::LANGUAGE,
        "command" => env::COMMAND,
        "user" => env::USER,
        "healthcheck" => env::HEALTHCHECK,
        "runtime-packages" => env::RUNTIME_PACKAGES,
        _ => env::SYNTAX,
    }
}

fn from_env(env: &dyn Fn(&str) -> Option<String>) -> Result<Options, SettingsError> {
    fn parsed<T: std::str::FromStr>(
        env: &dyn Fn(&str) -> Option<String>,
        name: &'static str,
    ) -> Result<Option<T>, SettingsError>
    where
        T::Err: fmt::Display,
    {
        match env(name).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(text) => text
                .parse()
                .map(Some)
                .map_err(|e: T::Err| SettingsError::Invalid {
                    origin: Source::Env(name.into()),
                    message: format!("`{}`: {e}", text.escape_debug()),
                }),
        }
    }
    let text = |name| env(name).filter(|v| !v.is_empty());
    Ok(Options {
        flavor: parsed(env, env::FLAVOR)?,
        bin: text(env::BIN),
        package: text(env::PACKAGE),
        port: parsed(env, env::PORT)?,
        image_builder: text(env::IMAGE_BUILDER),
        image_runtime: text(env::IMAGE_RUNTIME),
        syntax: parsed(env, env::SYNTAX)?,
        cargo_chef: boolean(env, env::CARGO_CHEF)?,
        add_server: boolean(env, env::ADD_SERVER)?,
        language: parsed(env, env::LANGUAGE)?,
        command: text(env::COMMAND),
        user: parsed(env, env::USER)?,
        healthcheck: boolean(env, env::HEALTHCHECK)?,
        // Space- or comma-separated, like a shell list.
        runtime_packages: text(env::RUNTIME_PACKAGES).map(|v| {
            v.split([' ', ','])
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect()
        }),
    })
}

/// A yes/no environment variable: 1/true/yes or 0/false/no.
fn boolean(
    env: &dyn Fn(&str) -> Option<String>,
    name: &'static str,
) -> Result<Option<bool>, SettingsError> {
    match env(name).filter(|v| !v.is_empty()).as_deref() {
        None => Ok(None),
        Some("1" | "true" | "yes") => Ok(Some(true)),
        Some("0" | "false" | "no") => Ok(Some(false)),
        Some(other) => Err(SettingsError::Invalid {
            origin: Source::Env(name.into()),
            message: format!("`{}`: expected true or false", other.escape_debug()),
        }),
    }
}

/// Reads the project's `docksmith.toml`: its settings and its `[generated]` table;
/// absent means neither.
pub fn read_project_file(root: &Path) -> Result<(Options, Option<toml::Value>), SettingsError> {
    let path = root.join(PROJECT_FILE);
    // The project's own file may not point elsewhere (the user's config may: dotfile
    // managers link it).
    if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(SettingsError::Parse {
            path,
            message: "is a symbolic link; docksmith reads only regular files in the project".into(),
        });
    }
    read_settings_file(&path)
}

/// The table `init` writes into docksmith.toml; not a setting.
pub const GENERATED_TABLE: &str = "generated";

/// Reads a settings file: its settings, and (docksmith.toml only) the `[generated]`
/// table. A missing file is empty.
pub fn read_settings_file(path: &Path) -> Result<(Options, Option<toml::Value>), SettingsError> {
    let size = match std::fs::metadata(path) {
        Ok(meta) => meta.len(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Default::default()),
        Err(source) => {
            return Err(SettingsError::Read {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    let parse_error = |message: String| SettingsError::Parse {
        path: path.to_path_buf(),
        message,
    };
    if size > 64 * 1024 {
        return Err(parse_error(
            "larger than 64 KiB; a settings file is a handful of lines".into(),
        ));
    }
    let text = std::fs::read_to_string(path).map_err(|source| SettingsError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let tidy = |e: toml::de::Error| e.to_string().trim_end().replace('\n', "\n  ");
    let mut table: toml::Table = toml::from_str(&text).map_err(|e| parse_error(tidy(e)))?;
    let generated = table.remove(GENERATED_TABLE);
    let options =
        Options::deserialize(toml::Value::Table(table)).map_err(|e| parse_error(tidy(e)))?;
    Ok((options, generated))
}

static IMAGE_REFERENCE: LazyLock<regex::Regex> = LazyLock::new(|| {
    // [registry[:port]/]path[/path...][:tag][@sha256:digest], after the distribution
    // reference grammar (lower-case path components, a 128-character tag).
    let component = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    let registry = r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?/)?";
    regex::Regex::new(&format!(
        r"^{registry}{component}(?:/{component})*(?::[\w][\w.-]{{0,127}})?(?:@sha256:[a-f0-9]{{64}})?$"
    ))
    .expect("valid")
});

/// Whether `text` is a well-formed image reference (also `scratch`).
pub fn is_image_reference(text: &str) -> bool {
    text.len() <= 255 && IMAGE_REFERENCE.is_match(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    fn project(toml: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(PROJECT_FILE), toml).unwrap();
        dir
    }

    #[test]
    fn flag_beats_env_beats_file_beats_default() {
        let dir = project("flavor = \"slim\"\nbin = \"from-file\"\nport = 1000\n");
        let flags = Options {
            flavor: Some(Flavor::Scratch),
            ..Options::default()
        };
        let env = env_of(&[
            ("DOCKSMITH_FLAVOR", "distroless"),
            ("DOCKSMITH_BIN", "from-env"),
        ]);
        let s = Settings::resolve(flags, &env, dir.path()).unwrap();
        assert_eq!(
            s.flavor.unwrap(),
            Setting {
                value: Flavor::Scratch,
                source: Source::Flag("--flavor".into())
            }
        );
        assert_eq!(s.bin.unwrap().source, Source::Env("DOCKSMITH_BIN".into()));
        let port = s.port.unwrap();
        assert_eq!(
            (port.value, port.source.to_string()),
            (1000, "docksmith.toml key `port`".to_string())
        );
        assert_eq!(s.syntax.source, Source::Default);
        assert!(s.image_runtime.is_none());
    }

    #[test]
    fn empty_env_vars_say_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let s = Settings::resolve(
            Options::default(),
            &env_of(&[("DOCKSMITH_FLAVOR", "")]),
            dir.path(),
        )
        .unwrap();
        assert!(s.flavor.is_none());
    }

    #[test]
    fn bad_values_name_their_source() {
        let dir = tempfile::tempdir().unwrap();
        let err = Settings::resolve(
            Options::default(),
            &env_of(&[("DOCKSMITH_PORT", "http")]),
            dir.path(),
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("environment variable DOCKSMITH_PORT:"),
            "{err}"
        );

        let dir = project("flavour = \"slim\"\n");
        let err = Settings::resolve(Options::default(), &env_of(&[]), dir.path()).unwrap_err();
        assert!(err.to_string().contains("docksmith.toml"), "{err}");
        assert!(err.to_string().contains("flavour"), "{err}");
        assert!(err.hint().unwrap().contains("flavor"));

        let flags = Options {
            image_runtime: Some("debian:12\nRUN curl evil".into()),
            ..Options::default()
        };
        let err = Settings::resolve(flags, &env_of(&[]), tempfile::tempdir().unwrap().path())
            .unwrap_err();
        assert!(
            err.to_string().starts_with("flag --image-runtime:"),
            "{err}"
        );
    }

    #[test]
    fn cargo_chef_from_env_is_a_boolean() {
        let dir = tempfile::tempdir().unwrap();
        let s = Settings::resolve(
            Options::default(),
            &env_of(&[("DOCKSMITH_CARGO_CHEF", "true")]),
            dir.path(),
        )
        .unwrap();
        assert!(s.cargo_chef.unwrap().value);
        let err = Settings::resolve(
            Options::default(),
            &env_of(&[("DOCKSMITH_CARGO_CHEF", "maybe")]),
            dir.path(),
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("environment variable DOCKSMITH_CARGO_CHEF:"),
            "{err}"
        );
        let dir = project("cargo-chef = true\n");
        let s = Settings::resolve(Options::default(), &env_of(&[]), dir.path()).unwrap();
        assert_eq!(
            s.cargo_chef.unwrap().source.to_string(),
            "docksmith.toml key `cargo-chef`"
        );
    }

    #[test]
    fn add_server_is_a_boolean_in_every_layer() {
        let dir = project("add-server = true\n");
        let s = Settings::resolve(Options::default(), &env_of(&[]), dir.path()).unwrap();
        assert_eq!(
            s.add_server.unwrap().source.to_string(),
            "docksmith.toml key `add-server`"
        );
        let s = Settings::resolve(
            Options::default(),
            &env_of(&[("DOCKSMITH_ADD_SERVER", "no")]),
            dir.path(),
        )
        .unwrap();
        assert!(!s.add_server.unwrap().value);
        let err = Settings::resolve(
            Options::default(),
            &env_of(&[("DOCKSMITH_ADD_SERVER", "sure")]),
            dir.path(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("DOCKSMITH_ADD_SERVER"), "{err}");
    }

    #[test]
    fn image_references() {
        for ok in [
            "scratch",
            "golang:1.23-bookworm",
            "gcr.io/distroless/static-debian12:nonroot",
            "registry.example.com:5000/team/go:1.23",
            "debian@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        ] {
            assert!(is_image_reference(ok), "{ok}");
        }
        for bad in [
            "",
            "Debian",
            "debian:12 AS x",
            "a\nb",
            "debian:$(id)",
            "debian:\"x\"",
            "-x",
        ] {
            assert!(!is_image_reference(bad), "{bad:?}");
        }
    }
}
