//! The library's error type, one variant per pipeline step, and the exit codes the
//! command line maps them to.

use crate::detect::DetectError;
use crate::doctor::DoctorError;
use crate::plan::PlanError;
use crate::render::RenderError;
use crate::scan::ScanError;
use crate::settings::SettingsError;
use crate::write::WriteError;
use crate::write::record::RecordError;

/// Exit codes, documented in the README.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Success; for `init --check`, the files are up to date.
    Ok = 0,
    /// A user error: bad project, bad setting, unreadable file.
    Failure = 1,
    /// The command line itself is wrong (unknown flag, bad value).
    Usage = 2,
    /// A question only the user can answer (which app, which binary), asked with no
    /// terminal to ask on: the message names the flag, variable and key that answer it.
    NeedsAnswer = 3,
    /// `check` / `init --check`: the files differ from what docksmith would write.
    Drift = 4,
    /// Files edited since docksmith wrote them: `init` without a terminal refused to
    /// touch them (use --force or --skip), or `update` left conflict markers in them.
    Conflict = 5,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Scan(#[from] ScanError),
    #[error(transparent)]
    Detect(#[from] DetectError),
    #[error(transparent)]
    Settings(#[from] SettingsError),
    #[error(transparent)]
    Plan(#[from] PlanError),
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error(transparent)]
    Record(#[from] RecordError),
    #[error(transparent)]
    Doctor(#[from] DoctorError),
    /// A question could not be asked or answered (the terminal went away).
    #[error("cannot ask: {0}")]
    Prompt(#[from] std::io::Error),
}

impl Error {
    /// The exit code the command line reports for this error.
    pub fn exit(&self) -> Exit {
        match self {
            Error::Plan(
                PlanError::AmbiguousBinary { .. }
                | PlanError::AmbiguousPackage { .. }
                | PlanError::OnlySubprojects { .. },
            ) => Exit::NeedsAnswer,
            _ => Exit::Failure,
        }
    }

    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::Scan(e) => e.hint(),
            Error::Detect(e) => e.hint(),
            Error::Settings(e) => e.hint(),
            Error::Plan(e) => e.hint(),
            Error::Render(e) => e.hint(),
            Error::Write(e) => e.hint(),
            Error::Record(e) => e.hint(),
            Error::Doctor(e) => e.hint(),
            Error::Prompt(_) => Some(
                "answer with flags instead: --yes takes every default (see docksmith init --help)"
                    .into(),
            ),
        }
    }
}
