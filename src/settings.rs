//! What the user asked for, resolved once, in one place.
//!
//! Every layer says the same things ([`Options`]); [`Settings::resolve`] merges them in
//! one pass, highest first: command-line flags, `DOCKSMITH_*` environment variables,
//! the project's `docksmith.toml`, then built-in defaults. Each resolved value keeps
//! where it came from, so a surprising value can be traced. (Org standards and a user
//! config file slot in as further layers; nothing else has to change.)

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::data::Flavor;

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
}

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
}

/// Where a resolved value came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "kebab-case")]
pub enum Source {
    Flag(String),
    Env(String),
    ProjectFile(String),
    Default,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag(name) => write!(f, "flag {name}"),
            Source::Env(name) => write!(f, "environment variable {name}"),
            Source::ProjectFile(name) => write!(f, "{name}"),
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
                "{PROJECT_FILE} accepts flavor, bin, package, port, image-builder, image-runtime, syntax, cargo-chef and add-server"
            ),
            SettingsError::Invalid { origin, .. } => format!("correct the value of the {origin}"),
        })
    }
}

/// One layer and its name for each field.
struct Layer {
    options: Options,
    names: Box<dyn Fn(&str) -> Source>,
}

impl Settings {
    /// Merges `flags` (named by `flag_name`), the environment (read through `env`) and
    /// the project file in `project_root`, highest first.
    pub fn resolve(
        flags: Options,
        env: &dyn Fn(&str) -> Option<String>,
        project_root: &Path,
    ) -> Result<Settings, SettingsError> {
        let layers = [
            Layer {
                options: flags,
                names: Box::new(|field| Source::Flag(format!("--{field}"))),
            },
            Layer {
                options: from_env(env)?,
                names: Box::new(|field| Source::Env(env_name(field).to_string())),
            },
            Layer {
                options: from_project_file(project_root)?,
                names: Box::new(|field| {
                    Source::ProjectFile(format!("{PROJECT_FILE} key `{field}`"))
                }),
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
        };
        settings.validate()?;
        Ok(settings)
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
        if let Some(port) = &self.port {
            if port.value == 0 {
                return Err(SettingsError::Invalid {
                    origin: port.source.clone(),
                    message: "port 0 is not a port a server can be reached on".into(),
                });
            }
        }
        Ok(())
    }
}

fn pick<T>(
    layers: &[Layer],
    field: &str,
    get: impl Fn(&Options) -> Option<T>,
) -> Option<Setting<T>> {
    layers.iter().find_map(|layer| {
        get(&layer.options).map(|value| Setting {
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

/// Reads `docksmith.toml` from the project root; absent means no settings.
pub fn from_project_file(root: &Path) -> Result<Options, SettingsError> {
    let path = root.join(PROJECT_FILE);
    let size = match std::fs::metadata(&path) {
        Ok(meta) => meta.len(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Options::default()),
        Err(source) => return Err(SettingsError::Read { path, source }),
    };
    if size > 64 * 1024 {
        return Err(SettingsError::Parse {
            path,
            message: "larger than 64 KiB; a settings file is a handful of lines".into(),
        });
    }
    let text = std::fs::read_to_string(&path).map_err(|source| SettingsError::Read {
        path: path.clone(),
        source,
    })?;
    toml::from_str(&text).map_err(|e| SettingsError::Parse {
        path,
        message: e.to_string().trim_end().replace('\n', "\n  "),
    })
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
