//! The library's error type, one variant per pipeline step, and the exit codes the
//! command line maps them to.

use crate::detect::DetectError;
use crate::plan::PlanError;
use crate::render::RenderError;
use crate::scan::ScanError;
use crate::settings::SettingsError;
use crate::write::WriteError;

/// Exit codes, documented in the README.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Success; for `init --check`, the files are up to date.
    Ok = 0,
    /// A user error (bad project, bad setting, refused overwrite), or drift found by
    /// `init --check`.
    Failure = 1,
    /// The command line itself is wrong (unknown flag, bad value).
    Usage = 2,
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
}

impl Error {
    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::Scan(e) => e.hint(),
            Error::Detect(e) => e.hint(),
            Error::Settings(e) => e.hint(),
            Error::Plan(e) => e.hint(),
            Error::Render(e) => e.hint(),
            Error::Write(e) => e.hint(),
        }
    }
}
