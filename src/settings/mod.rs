//! What the user asked for, resolved once, in one place.
//!
//! Every setting is declared once, in [`table`]; every layer says the same things
//! ([`Options`]) and [`Sources::resolve`] merges them in one pass, highest first:
//! command-line flags (and the wizard's answers, which only cover what no flag said),
//! `DOCKSMITH_*` environment variables, the project's `docksmith.toml`, the user's
//! config file (`$XDG_CONFIG_HOME/docksmith/config.toml`), the org standards pack the
//! project selects (its enforced values, which nothing above may contradict, then its
//! defaults), then
//! built-in defaults. Each resolved value keeps where it came from, so a surprising
//! value can be traced (`--show-settings`).

mod check;
mod files;
mod table;
mod value;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use check::{is_image_reference, is_package_name};
pub use files::{
    APP_TABLE, GENERATED_TABLE, PROJECT_FILE, SettingsFile, USER_CONFIG, cache_dir,
    options_from_table, read_project_file, read_settings_file,
};
pub use table::{Flag, KEYS, Options, SPECS, Settings, Spec, args, env_name};
pub use value::{SettingValue, StandardsSource, Vars};

/// The process environment, as settings read it.
pub trait Environment {
    /// A variable's value.
    fn var(&self, name: &str) -> Option<String>;
    /// The names of every variable set, to catch misspelled `DOCKSMITH_*` ones; empty
    /// when unknown.
    fn names(&self) -> Vec<String> {
        Vec::new()
    }
}

/// Any look-up function is an environment whose names are unknown.
impl<F: Fn(&str) -> Option<String>> Environment for F {
    fn var(&self, name: &str) -> Option<String> {
        self(name)
    }
}

/// An environment given as its variables: the process's own, or a test's.
#[derive(Clone, Debug, Default)]
pub struct Variables(pub Vec<(String, String)>);

impl Variables {
    /// This process's environment (variables that are not UTF-8 are left out).
    pub fn of_process() -> Variables {
        Variables(
            std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .collect(),
        )
    }
}

impl Environment for Variables {
    fn var(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }
    fn names(&self) -> Vec<String> {
        self.0.iter().map(|(k, _)| k.clone()).collect()
    }
}

/// Whether the Dockerfile names its frontend.
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
    /// The org standards pack the project selected: a default.
    Org(String),
    /// The org standards pack the project selected: a value it enforces.
    Enforced(String),
    Default,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag(name) => write!(f, "flag {name}"),
            Source::Env(name) => write!(f, "environment variable {name}"),
            Source::Wizard(name) => write!(f, "wizard answer `{name}`"),
            Source::ProjectFile(name)
            | Source::UserConfig(name)
            | Source::Org(name)
            | Source::Enforced(name) => {
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

impl Source {
    /// Where the layer stands in the merge, highest first (0: a flag or wizard answer).
    pub fn precedence(&self) -> u8 {
        match self {
            Source::Flag(_) | Source::Wizard(_) => 0,
            Source::Env(_) => 1,
            Source::ProjectFile(_) => 2,
            Source::UserConfig(_) => 3,
            Source::Enforced(_) | Source::Org(_) => 4,
            Source::Default => 5,
        }
    }

    /// Whether the project itself set it (flag, wizard answer, environment,
    /// docksmith.toml): such values are recorded.
    pub fn is_project_own(&self) -> bool {
        matches!(
            self,
            Source::Flag(_) | Source::Wizard(_) | Source::Env(_) | Source::ProjectFile(_)
        )
    }
}

impl Settings {
    /// Merges `flags`, the environment, the project file in `project_root` and the
    /// user's config file, highest first.
    pub fn resolve(
        flags: Options,
        env: &dyn Environment,
        project_root: &Path,
    ) -> Result<Settings, SettingsError> {
        Sources::load(env, project_root)?.resolve(flags, Options::default())
    }

    /// The Dockerfile frontend (it always has a value: its default is `1`).
    pub fn syntax(&self) -> Syntax {
        self.syntax.as_ref().map(|s| s.value).unwrap_or_default()
    }

    /// A boolean setting by its key, for switches that only one language reads.
    pub fn switch(&self, key: &str) -> Option<&Setting<bool>> {
        self.by_key(key)?
            .downcast_ref::<Option<Setting<bool>>>()?
            .as_ref()
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
    /// Boxed: a pack's errors carry several names, and every result carries this.
    #[error(transparent)]
    Standards(Box<crate::standards::StandardsError>),
}

impl From<crate::standards::StandardsError> for SettingsError {
    fn from(error: crate::standards::StandardsError) -> Self {
        SettingsError::Standards(Box::new(error))
    }
}

impl SettingsError {
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            SettingsError::Read { .. } => return None,
            SettingsError::Standards(e) => return e.hint(),
            SettingsError::Parse { message, .. } if message.contains("did you mean") => format!(
                "a settings file accepts {} (and, in {PROJECT_FILE}, the [generated] table docksmith writes)",
                KEYS.join(", ")
            ),
            SettingsError::Parse { .. } => format!(
                "a settings file accepts {} (and, in {PROJECT_FILE}, the [generated] table docksmith writes)",
                KEYS.join(", ")
            ),
            SettingsError::Invalid { origin, message }
                if message.starts_with("not a docksmith setting") =>
            {
                format!("rename or unset the {origin}")
            }
            SettingsError::Invalid { origin, .. } => format!("correct the value of the {origin}"),
        })
    }
}

/// One layer and its name for each key.
pub(crate) struct Layer<'a> {
    options: &'a Options,
    names: Box<dyn Fn(&str) -> Source + 'a>,
}

/// The layers below the command line: the environment, the project's docksmith.toml,
/// the user's config file and org standards. Read once per run, so the wizard can
/// resolve its answers against them many times without touching the disk again.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    env: Options,
    project: Options,
    /// docksmith.toml's `[app.<name>]` tables: a monorepo app's own settings, above the
    /// file's top-level keys and below the environment and flags.
    per_app: std::collections::BTreeMap<String, Options>,
    /// docksmith.toml's `[generated]` table: docksmith's bookkeeping, not a setting
    /// (see [`crate::write::record`]).
    pub generated: Option<toml::Value>,
    user: Options,
    /// The user's config file, as shown in a setting's source.
    user_name: String,
    /// The project's folder: a relative `standards` path is read from it.
    root: PathBuf,
    /// docksmith's cache folder (packs from git).
    cache: Option<PathBuf>,
}

impl Sources {
    /// Reads the environment, `project_root`'s docksmith.toml and the user's config
    /// file.
    pub fn load(env: &dyn Environment, project_root: &Path) -> Result<Sources, SettingsError> {
        check_env_names(env)?;
        let user_file = files::user_config_path(env);
        let user = match &user_file {
            Some(path) => {
                let file = read_settings_file(path)?;
                if !file.per_app.is_empty() {
                    return Err(SettingsError::Parse {
                        path: path.clone(),
                        message: format!(
                            "[{APP_TABLE}.<name>] tables belong in the project's {PROJECT_FILE}, which names its apps"
                        ),
                    });
                }
                file.options
            }
            None => Options::default(),
        };
        let SettingsFile {
            options: project,
            generated,
            per_app,
        } = read_project_file(project_root)?;
        Ok(Sources {
            env: Options::from_env(env)?,
            project,
            per_app,
            generated,
            user,
            user_name: user_file
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            root: project_root.to_path_buf(),
            cache: files::cache_dir(env),
        })
    }

    /// Forgets docksmith.toml's answer for `key`: the user cleared it, so the setting
    /// follows detection again (and `init` removes the key).
    pub fn clear_recorded(&mut self, key: &str) {
        self.project.clear(key);
    }

    /// Whether `--var` (in `flags`) or `DOCKSMITH_VARS` gives the variable `name`: the
    /// wizard does not ask it.
    pub fn var_told(&self, flags: &Options, name: &str) -> bool {
        [flags, &self.env]
            .iter()
            .any(|layer| layer.vars.as_ref().is_some_and(|v| v.0.contains_key(name)))
    }

    /// Whether the user's config file says anything.
    pub fn has_user_config(&self) -> bool {
        self.user != Options::default()
    }

    /// These layers without the user's config file: what teammates and CI resolve.
    pub fn without_user_config(&self) -> Sources {
        Sources {
            env: self.env.clone(),
            project: self.project.clone(),
            per_app: self.per_app.clone(),
            generated: self.generated.clone(),
            user: Options::default(),
            user_name: String::new(),
            root: self.root.clone(),
            cache: self.cache.clone(),
        }
    }

    /// Merges `flags` and the wizard's `answers` (empty without a terminal) over these
    /// layers, highest first; then, when they select a standards pack, its enforced
    /// values (which no layer may contradict) and its defaults, below the rest.
    pub fn resolve(&self, flags: Options, answers: Options) -> Result<Settings, SettingsError> {
        let own = self.own_layers(&flags, &answers, None);
        let selected = table::resolve(&own)?.standards;
        // The pack is read once: an `[app.<name>]` table cannot choose another.
        let pack = match selected {
            Some(selected) => Some(std::sync::Arc::new(crate::standards::load(
                &self.root,
                &selected.value,
                self.cache.as_deref(),
            )?)),
            None => None,
        };
        let mut settings = self.finish(own, pack.as_ref())?;
        for name in self.per_app.keys() {
            let own = self.own_layers(&flags, &answers, Some(name));
            let app = self.finish(own, pack.as_ref())?;
            settings.per_app.insert(name.clone(), app);
        }
        Ok(settings)
    }

    /// `own` resolved, over the standards pack when there is one.
    fn finish(
        &self,
        own: Vec<Layer<'_>>,
        pack: Option<&std::sync::Arc<crate::standards::Pack>>,
    ) -> Result<Settings, SettingsError> {
        if let Some(pack) = pack {
            return self.with_pack(own, pack);
        }
        let mut settings = table::resolve(&own)?;
        settings.vars = merge_vars(&own);
        Ok(settings)
    }

    /// `own` (the project's and user's layers) resolved over the standards pack: its
    /// enforced values, which no layer may contradict, then its defaults.
    fn with_pack(
        &self,
        own: Vec<Layer<'_>>,
        pack: &std::sync::Arc<crate::standards::Pack>,
    ) -> Result<Settings, SettingsError> {
        let pack_name = pack.id.to_string();
        for layer in &own {
            if let Some((key, value)) = layer.options.conflicts(&pack.enforced).first() {
                return Err(crate::standards::StandardsError::Enforced {
                    origin: (layer.names)(key).to_string(),
                    key: key.to_string(),
                    value: value.clone(),
                    pack: pack_name,
                    file: pack.file.clone(),
                }
                .into());
            }
        }
        let mut layers = own;
        // Enforced values sit below the project's own layers: none contradicts them
        // (checked above), so a value the project also states stays recorded as its own.
        let file = pack.file.display().to_string();
        layers.push(Layer {
            options: &pack.enforced,
            names: Box::new(move |key| Source::Enforced(format!("{file} [enforced] key `{key}`"))),
        });
        let file = pack.file.display().to_string();
        layers.push(Layer {
            options: &pack.defaults,
            names: Box::new(move |key| Source::Org(format!("{file} [defaults] key `{key}`"))),
        });
        let mut settings = table::resolve(&layers)?;
        settings.vars = merge_vars(&layers);
        settings.pack = Some(pack.clone());
        Ok(settings)
    }

    /// The layers the project and its user give, highest first.
    /// With `app`, its `[app.<name>]` table sits just above docksmith.toml's keys.
    fn own_layers<'a>(
        &'a self,
        flags: &'a Options,
        answers: &'a Options,
        app: Option<&'a String>,
    ) -> Vec<Layer<'a>> {
        let user_name = self.user_name.as_str();
        let mut layers = vec![
            Layer {
                options: flags,
                names: Box::new(|key| Source::Flag(format!("--{}", flag_of(key)))),
            },
            Layer {
                options: answers,
                names: Box::new(|key| Source::Wizard(key.to_string())),
            },
            Layer {
                options: &self.env,
                names: Box::new(|key| Source::Env(env_name(key))),
            },
            Layer {
                options: &self.project,
                names: Box::new(|key| Source::ProjectFile(format!("{PROJECT_FILE} key `{key}`"))),
            },
            Layer {
                options: &self.user,
                names: Box::new(move |key| Source::UserConfig(format!("{user_name} key `{key}`"))),
            },
        ];
        if let Some((name, options)) = app.and_then(|a| self.per_app.get_key_value(a)) {
            layers.insert(
                3,
                Layer {
                    options,
                    names: Box::new(move |key| {
                        Source::ProjectFile(format!(
                            "{PROJECT_FILE} [{APP_TABLE}.{name}] key `{key}`"
                        ))
                    }),
                },
            );
        }
        layers
    }
}

/// The long flag of the setting `key`.
fn flag_of(key: &str) -> &str {
    SPECS.iter().find(|s| s.key == key).map_or(key, |s| s.flag)
}

/// The first layer that says something for `key`.
/// The variables every layer gives, merged per name (a higher layer's value for a
/// name wins); the source shown is the highest layer that gives any.
fn merge_vars(layers: &[Layer]) -> Option<Setting<value::Vars>> {
    let mut merged = value::Vars::default();
    let mut source = None;
    for layer in layers.iter().rev() {
        if let Some(vars) = &layer.options.vars {
            merged.0.extend(vars.0.clone());
            source = Some((layer.names)("vars"));
        }
    }
    source.map(|source| Setting {
        value: merged,
        source,
    })
}

fn pick<T>(layers: &[Layer], key: &str, get: impl Fn(&Options) -> Option<T>) -> Option<Setting<T>> {
    layers.iter().find_map(|layer| {
        get(layer.options).map(|value| Setting {
            value,
            source: (layer.names)(key),
        })
    })
}

/// One `--show-settings` line: the value and its source, or what docksmith decided.
fn describe_row(
    key: &str,
    set: Option<(String, &Source)>,
    effective: &dyn Fn(&str) -> Option<String>,
) -> String {
    match set {
        Some((value, source)) => format!("{key:<17} {value:<28} {source}\n"),
        None => {
            let value = effective(key).unwrap_or_else(|| "-".to_string());
            format!("{key:<17} {value:<28} default (docksmith decides)\n")
        }
    }
}

/// A `DOCKSMITH_*` variable that is one or two letters away from a setting's is a
/// misspelling, and an error: ignoring it would silently build something else. Other
/// `DOCKSMITH_*` names (a CI's own variables) are none of docksmith's business.
fn check_env_names(env: &dyn Environment) -> Result<(), SettingsError> {
    let known: Vec<String> = SPECS.iter().map(Spec::env_name).collect();
    for name in env.names() {
        if !name.starts_with("DOCKSMITH_") || known.contains(&name) {
            continue;
        }
        if let Some(near) = suggest(&name, known.iter().map(String::as_str)) {
            return Err(SettingsError::Invalid {
                origin: Source::Env(name),
                message: format!("not a docksmith setting: did you mean {near}?"),
            });
        }
    }
    Ok(())
}

/// The nearest candidate, if it is near enough to be what `word` meant: one edit for a
/// short word, one more per six letters (`flavour` → `flavor`, never `git` → `bin`).
fn suggest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.strip_prefix("DOCKSMITH_").unwrap_or(word);
    let near = 1 + word.chars().count() / 6;
    candidates
        .map(|c| (distance(word, c.strip_prefix("DOCKSMITH_").unwrap_or(c)), c))
        .filter(|(d, _)| *d <= near)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance, by characters.
fn distance(a: &str, b: &str) -> usize {
    // Optimal string alignment: a swap of two neighbours (`PROT` for `PORT`) is one
    // edit, as people mistype.
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().max(b.len()) > 64 {
        // No setting's name is that long: not a misspelling of one.
        return usize::MAX;
    }
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Flavor;

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
    fn swapped_letters_are_one_edit() {
        assert_eq!(distance("PROT", "PORT"), 1);
        assert_eq!(distance("flavour", "flavor"), 1);
        assert_eq!(distance("git", "bin"), 2);
        assert_eq!(
            suggest("DOCKSMITH_PROT", ["DOCKSMITH_PORT"].into_iter()),
            Some("DOCKSMITH_PORT")
        );
        assert_eq!(distance(&"x".repeat(100_000), "port"), usize::MAX);
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
        assert_eq!(s.syntax.unwrap().source, Source::Default);
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
