//! Why no plan could be made: each error names the file or setting it came from, and
//! its hint says what to do.

use crate::data::Flavor;
use crate::lang::{self, Language};
use crate::settings::Source;

/// Why no plan could be made.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("no supported project found in {path}")]
    NothingDetected { path: String },
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
    #[error("{origin}: {image} has no package manager to install runtime packages with")]
    PackagesNeedInstaller { origin: Source, image: String },
    #[error("{origin}: no {wanted} project here; docksmith found {}", if .detected.is_empty() { "none".to_string() } else { .detected.join(", ") })]
    NoSuchLanguage {
        wanted: Language,
        origin: Source,
        detected: Vec<String>,
    },
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

impl PlanError {
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            PlanError::NothingDetected { .. } => {
                format!(
                    "docksmith supports {} at the project root; run it in the project's root folder",
                    lang::supported()
                )
            }
            PlanError::NoBinary { hint, .. } | PlanError::Unsupported { hint, .. } => hint.clone(),
            PlanError::AmbiguousBinary { candidates }
            | PlanError::UnknownBinary { candidates, .. } => format!(
                "choose one with --bin {}, DOCKSMITH_BIN, or `bin = \"{}\"` in docksmith.toml",
                candidates.first().map_or("NAME", |c| c.0.as_str()),
                candidates.first().map_or("NAME", |c| c.0.as_str())
            ),
            PlanError::AmbiguousPackage { candidates }
            | PlanError::UnknownPackage { candidates, .. } => format!(
                "choose one with --package {}, DOCKSMITH_PACKAGE, or `package = \"{}\"` in docksmith.toml",
                candidates.first().map_or("NAME", |c| c.0.as_str()),
                candidates.first().map_or("NAME", |c| c.0.as_str())
            ),
            PlanError::FlavorUnfit { alternatives, .. } => format!(
                "use {}",
                alternatives
                    .iter()
                    .map(|f| format!("--flavor {f}"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
            PlanError::UnsafeValue { hint, .. } => hint.clone(),
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
