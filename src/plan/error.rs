//! Why no plan could be made: each error names the file or setting it came from, and
//! its hint says what to do.

use crate::data::Flavor;
use crate::detect::project::ProjectFacts;
use crate::lang::{self, Language};
use crate::settings::Source;

/// Why no plan could be made.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// Boxed: a pack's errors carry several names, and every result carries this.
    #[error(transparent)]
    Standards(Box<crate::standards::StandardsError>),
    #[error("no supported project found in {path}{}", seen_list(.seen))]
    NothingDetected {
        path: String,
        /// Root manifests of unsupported ecosystems: `Gemfile (Ruby)`.
        seen: Vec<String>,
    },
    #[error("several apps could be packaged: {}", list(.candidates))]
    AmbiguousPackage { candidates: Vec<(String, String)> },
    #[error("{origin}: no app `{wanted}`; the project has {}", list(.candidates))]
    UnknownPackage {
        wanted: String,
        origin: Source,
        candidates: Vec<(String, String)>,
    },
    #[error("{file}: {what} is not supported yet")]
    Unsupported {
        file: String,
        what: String,
        hint: String,
    },
    #[error("{file}: {what}: there is no program to put in an image")]
    NoBinary {
        file: String,
        what: String,
        hint: String,
    },
    #[error("several binaries could be packaged: {}", list(.candidates))]
    AmbiguousBinary { candidates: Vec<(String, String)> },
    #[error("{origin}: no binary `{wanted}`; the project has {}", list(.candidates))]
    UnknownBinary {
        wanted: String,
        origin: Source,
        candidates: Vec<(String, String)>,
    },
    #[error("{origin}: the {flavor} flavor cannot run this program: {reason}")]
    FlavorUnfit {
        flavor: Flavor,
        origin: Source,
        reason: String,
        alternatives: Vec<Flavor>,
    },
    #[error(
        "{origin}: the start command's `{program}` is not in the {flavor} image, which has no shell and nothing on PATH docksmith did not put there"
    )]
    CommandNotInImage {
        origin: Source,
        program: String,
        flavor: Flavor,
        /// The programs the image holds.
        programs: Vec<String>,
    },
    #[error("{origin}: {image} has no package manager to install runtime packages with")]
    PackagesNeedInstaller { origin: Source, image: String },
    #[error("{origin}: no {wanted} project here; docksmith found {}", if .detected.is_empty() { "none".to_string() } else { .detected.join(", ") })]
    NoSuchLanguage {
        wanted: Language,
        origin: Source,
        detected: Vec<String>,
    },
    #[error("nothing docksmith builds is in {path} itself; its folders hold projects: {}", .dirs.join(", "))]
    OnlySubprojects { path: String, dirs: Vec<String> },
    #[error("{path}: no app to build: nothing docksmith found here runs as a program")]
    NoApps { path: String },
    #[error("{origin}: no app `{wanted}`; the project has {}", .candidates.join(", "))]
    UnknownApp {
        wanted: String,
        origin: Source,
        candidates: Vec<String>,
    },
    #[error("{origin} builds several apps, and `{key}` is set, which picks one")]
    AppsAndOne { origin: Source, key: &'static str },
    /// One app of a monorepo could not be planned.
    #[error("app `{app}`: {source}")]
    InApp { app: String, source: Box<PlanError> },
    #[error("{file}: {field} `{value}` {reason}")]
    UnsafeValue {
        file: String,
        field: String,
        value: String,
        reason: String,
        hint: String,
    },
}

fn list(candidates: &[(String, String)]) -> String {
    candidates
        .iter()
        .map(|(name, dir)| format!("{name} ({dir})"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl From<crate::standards::StandardsError> for PlanError {
    fn from(error: crate::standards::StandardsError) -> Self {
        PlanError::Standards(Box::new(error))
    }
}

impl PlanError {
    /// Nothing docksmith builds in `path`, naming the unsupported manifests seen there.
    pub fn nothing_detected(path: &str, project: &ProjectFacts) -> PlanError {
        PlanError::NothingDetected {
            path: path.to_string(),
            seen: project
                .unsupported
                .iter()
                .map(|f| {
                    let file = f.evidence.file.as_deref().unwrap_or_default();
                    format!("{file} ({})", f.value)
                })
                .collect(),
        }
    }

    pub fn hint(&self) -> Option<String> {
        Some(match self {
            PlanError::Standards(e) => return e.hint(),
            PlanError::NothingDetected { seen, .. } if !seen.is_empty() => {
                format!("docksmith supports {}", lang::supported())
            }
            PlanError::NothingDetected { .. } => {
                format!(
                    "docksmith supports {} at the project root; run it in the project's root folder",
                    lang::supported()
                )
            }
            PlanError::NoBinary { hint, .. } | PlanError::Unsupported { hint, .. } => hint.clone(),
            PlanError::AmbiguousBinary { candidates } => format!(
                "choose one with --bin {}, DOCKSMITH_BIN, or `bin = \"{}\"` in docksmith.toml; or build them all: `docksmith init --all` writes a Dockerfile per app and a docker-bake.hcl",
                candidates.first().map_or("NAME", |c| c.0.as_str()),
                candidates.first().map_or("NAME", |c| c.0.as_str())
            ),
            PlanError::UnknownBinary { candidates, .. } => format!(
                "choose one with --bin {}, DOCKSMITH_BIN, or `bin = \"{}\"` in docksmith.toml",
                candidates.first().map_or("NAME", |c| c.0.as_str()),
                candidates.first().map_or("NAME", |c| c.0.as_str())
            ),
            PlanError::AmbiguousPackage { candidates } => format!(
                "choose one with --package {}, DOCKSMITH_PACKAGE, or `package = \"{}\"` in docksmith.toml; or build them all: `docksmith init --all` writes a Dockerfile per app and a docker-bake.hcl",
                candidates.first().map_or("NAME", |c| c.0.as_str()),
                candidates.first().map_or("NAME", |c| c.0.as_str())
            ),
            PlanError::UnknownPackage { candidates, .. } => format!(
                "choose one with --package {}, DOCKSMITH_PACKAGE, or `package = \"{}\"` in docksmith.toml",
                candidates.first().map_or("NAME", |c| c.0.as_str()),
                candidates.first().map_or("NAME", |c| c.0.as_str())
            ),
            PlanError::OnlySubprojects { dirs, .. } => format!(
                "`docksmith init --all` writes a Dockerfile in each folder and a docker-bake.hcl building them all; `docksmith init {}` sets up one",
                dirs.first().map_or("DIR", String::as_str)
            ),
            PlanError::NoApps { .. } => {
                "`docksmith detect` shows what docksmith found; without --all (and `apps` in docksmith.toml) docksmith builds one program".into()
            }
            PlanError::UnknownApp { .. } => {
                "name apps as `docksmith detect` lists them (name or folder), or `*` for every app".into()
            }
            PlanError::AppsAndOne { key, .. } => format!(
                "remove `{key}` (flag, DOCKSMITH_{}, or docksmith.toml), or remove `apps` to build that one app",
                key.to_uppercase()
            ),
            PlanError::InApp { source, .. } => return source.hint(),
            PlanError::FlavorUnfit { alternatives, .. } => format!(
                "use {}",
                alternatives
                    .iter()
                    .map(|f| format!("--flavor {f}"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
            PlanError::UnsafeValue { hint, .. } => hint.clone(),
            PlanError::CommandNotInImage { programs, .. } => format!(
                "start one of the programs the image holds ({}), give the absolute path of one, or pick a flavor with a shell (--flavor slim)",
                if programs.is_empty() {
                    "none known".to_string()
                } else {
                    programs.join(", ")
                }
            ),
            PlanError::PackagesNeedInstaller { .. } => {
                "use --flavor slim (apt) or --flavor alpine (apk), or drop the runtime packages"
                    .into()
            }
            PlanError::NoSuchLanguage { detected, .. } => match detected.first() {
                Some(first) => format!("use --language {first}, or remove the language setting"),
                None => "remove the language setting".into(),
            },
        })
    }
}

/// `: found Gemfile (Ruby), which docksmith does not build`, or nothing.
fn seen_list(seen: &[String]) -> String {
    match seen {
        [] => String::new(),
        [one] => format!(": found {one}, which docksmith does not build"),
        many => format!(
            ": found {}, which docksmith does not build",
            many.join(", ")
        ),
    }
}
