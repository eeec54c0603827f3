//! Detection: what a project is, as typed facts that each carry their evidence.
//!
//! One module per language implements [`Detector`]; [`detectors`] lists them in the
//! order they are asked. A detector reads files only through the [`ProjectView`] and
//! never runs project code.

pub mod go;
pub mod node;
pub mod paths;
pub mod ports;
pub mod project;
pub mod python;
pub mod rust;

use std::fmt;

use serde::Serialize;

use crate::scan::{ProjectView, ScanError};

/// Where a fact came from: a file and line, or a built-in default.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// Project-relative file the fact was read from; `None` for defaults.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// 1-based line in `file`, when one line says it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Why this evidence supports the fact, in a few words.
    pub detail: String,
}

impl Evidence {
    /// A fact read at a line of a file.
    pub fn at(file: &str, line: usize, detail: impl Into<String>) -> Self {
        Evidence {
            file: Some(file.to_string()),
            line: Some(line),
            detail: detail.into(),
        }
    }

    /// A fact read from a file as a whole (its presence, say).
    pub fn file(file: &str, detail: impl Into<String>) -> Self {
        Evidence {
            file: Some(file.to_string()),
            line: None,
            detail: detail.into(),
        }
    }

    /// A fact that no file stated: a built-in default.
    pub fn default_because(detail: impl Into<String>) -> Self {
        Evidence {
            file: None,
            line: None,
            detail: detail.into(),
        }
    }

    /// `go.mod:3`, `go.mod` or `default`.
    pub fn location(&self) -> String {
        match (&self.file, self.line) {
            (Some(f), Some(l)) => format!("{f}:{l}"),
            (Some(f), None) => f.clone(),
            (None, _) => "default".into(),
        }
    }
}

impl fmt::Display for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.location(), self.detail)
    }
}

/// A value and why docksmith believes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fact<T> {
    pub value: T,
    pub evidence: Evidence,
}

impl<T> Fact<T> {
    pub fn new(value: T, evidence: Evidence) -> Self {
        Fact { value, evidence }
    }
}

/// Something the user should know that does not stop generation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub message: String,
    pub evidence: Evidence,
}

/// The languages docksmith knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Go,
    Rust,
    Node,
    Python,
}

impl Language {
    pub const ALL: [Language; 4] = [
        Language::Go,
        Language::Rust,
        Language::Node,
        Language::Python,
    ];
}

impl std::str::FromStr for Language {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Language::ALL
            .into_iter()
            .find(|l| l.to_string() == s)
            .ok_or_else(|| format!("unknown language `{s}` (expected go, rust, node or python)"))
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Language::Go => "go",
            Language::Rust => "rust",
            Language::Node => "node",
            Language::Python => "python",
        })
    }
}

/// What one detector found.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "language", rename_all = "lowercase")]
pub enum Detection {
    Go(go::GoFacts),
    Rust(rust::RustFacts),
    Node(node::NodeFacts),
    Python(python::PythonFacts),
}

impl Detection {
    pub fn language(&self) -> Language {
        match self {
            Detection::Go(_) => Language::Go,
            Detection::Rust(_) => Language::Rust,
            Detection::Node(_) => Language::Node,
            Detection::Python(_) => Language::Python,
        }
    }

    /// The manifest that identified the language.
    pub fn manifest(&self) -> &str {
        match self {
            Detection::Go(facts) => facts.module.evidence.file.as_deref().unwrap_or("go.mod"),
            Detection::Rust(facts) => &facts.manifest.value,
            Detection::Node(facts) => &facts.manifest.value,
            Detection::Python(facts) => &facts.manifest.value,
        }
    }

    pub fn warnings(&self) -> &[Warning] {
        match self {
            Detection::Go(facts) => &facts.warnings,
            Detection::Rust(facts) => &facts.warnings,
            Detection::Node(facts) => &facts.warnings,
            Detection::Python(facts) => &facts.warnings,
        }
    }
}

/// A language detector: looks at a project and reports facts, or `None` when the
/// project is not in its language.
pub trait Detector {
    /// The language this detector recognises.
    fn language(&self) -> Language;
    /// Facts about the project, or `None` when none of the language's markers exist.
    fn detect(&self, view: &ProjectView) -> Result<Option<Detection>, DetectError>;
}

/// Every detector, in the order they are asked. The order is behaviour: when a project
/// holds several languages, the earlier detector's result is listed first.
pub fn detectors() -> Vec<Box<dyn Detector>> {
    vec![
        Box::new(go::GoDetector),
        Box::new(rust::RustDetector::from_env()),
        Box::new(node::NodeDetector),
        Box::new(python::PythonDetector),
    ]
}

/// Parses a manifest as TOML, naming the file and line on error.
pub fn parse_toml(file: &str, text: &str) -> Result<toml::Table, DetectError> {
    text.parse::<toml::Table>().map_err(|e| {
        // `get` rather than slicing: a span is never trusted to fall on a char boundary.
        let line = e
            .span()
            .and_then(|span| text.get(..span.start))
            .map_or(1, |before| before.lines().count().max(1));
        DetectError::Syntax {
            file: file.to_string(),
            line,
            message: e.message().to_string(),
            hint: format!("fix the TOML syntax of {file}"),
        }
    })
}

/// Runs every detector over the project.
pub fn detect_all(view: &ProjectView) -> Result<Vec<Detection>, DetectError> {
    let mut found = Vec::new();
    for detector in detectors() {
        if let Some(detection) = detector.detect(view)? {
            found.push(detection);
        }
    }
    Ok(found)
}

/// Why detection could not finish.
#[derive(Debug, thiserror::Error)]
pub enum DetectError {
    #[error(transparent)]
    Scan(#[from] ScanError),
    #[error("{file}:{line}: {message}")]
    Syntax {
        file: String,
        line: usize,
        message: String,
        hint: String,
    },
    #[error("{file}: {message}")]
    Invalid {
        file: String,
        message: String,
        hint: String,
    },
}

impl DetectError {
    pub fn hint(&self) -> Option<String> {
        match self {
            DetectError::Scan(e) => e.hint(),
            DetectError::Syntax { hint, .. } | DetectError::Invalid { hint, .. } => {
                Some(hint.clone())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_location() {
        assert_eq!(Evidence::at("go.mod", 3, "x").location(), "go.mod:3");
        assert_eq!(Evidence::file("go.sum", "x").location(), "go.sum");
        assert_eq!(Evidence::default_because("x").location(), "default");
    }
}
