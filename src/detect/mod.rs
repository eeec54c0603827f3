//! Detection: what a project is, as typed facts that each carry their evidence.
//!
//! This module holds what every language shares: [`Evidence`], [`Fact`], [`Warning`],
//! paths, ports and project-wide facts. Each language's detector lives in its wing
//! ([`crate::lang`]); a detector reads files only through the [`ProjectView`] and never
//! runs project code.

pub mod config_ports;
pub mod paths;
pub mod pattern;
pub mod ports;
pub mod procfile;
pub mod project;

pub use crate::lang::{Detection, Language, detect_all};

use std::fmt;

use serde::Serialize;

use crate::scan::ScanError;

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

/// Refuses a project path that a build step bind-mounts (`--mount=type=bind,source=…`)
/// when it could end the option list: `,` `=` `"`, or anything a COPY would misread.
/// `file` and `line` say where the project named it.
pub fn check_mount_path(
    file: &str,
    line: usize,
    field: &str,
    path: &str,
) -> Result<(), DetectError> {
    if crate::render::escape::mount(path).is_ok() {
        return Ok(());
    }
    Err(DetectError::Syntax {
        file: file.to_string(),
        line,
        message: format!(
            "{field} `{}` cannot be bind-mounted into the build: a path in a --mount option list may hold only letters, digits and . _ / : @ + - %",
            path.escape_debug()
        ),
        hint: format!("rename it, then fix {file}"),
    })
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
