//! A start command the user set must start in the image it goes to. A runtime with a
//! shell (slim, alpine) has a PATH docksmith cannot list, so any program is accepted
//! there; distroless and scratch have no shell and almost nothing on PATH, so the
//! first word must be a program docksmith put in the image or the image's own one.

use crate::data::Flavor;
use crate::settings::{Setting, Source};

use super::{PlanError, RuntimeStage};

/// What the first word of `command` becomes in `runtime` (unchanged, or the absolute
/// path of the same program when it is off PATH there), or why it cannot run.
pub fn resolve(
    command: &Setting<Vec<String>>,
    flavor: Flavor,
    runtime: &RuntimeStage,
) -> Result<Option<String>, PlanError> {
    let Some(first) = command.value.first() else {
        return Ok(None);
    };
    if !matches!(flavor, Flavor::Distroless | Flavor::Scratch) {
        return Ok(None);
    }
    let programs = programs(runtime);
    if first.starts_with('/') {
        if programs.iter().any(|p| p == first) {
            return Ok(None);
        }
    } else if let Some(found) = programs.iter().find(|p| basename(p) == first) {
        return Ok(found.starts_with('/').then(|| found.clone()));
    }
    Err(PlanError::CommandNotInImage {
        origin: command.source.clone(),
        program: first.clone(),
        flavor,
        programs,
    })
}

/// Why `words` cannot start in `runtime` (for the wizard, which asks again), with
/// the fix; `None` when they can.
pub fn problem(words: &[String], flavor: Flavor, runtime: &RuntimeStage) -> Option<String> {
    let setting = Setting {
        value: words.to_vec(),
        source: Source::Wizard("command".into()),
    };
    let error = resolve(&setting, flavor, runtime).err()?;
    Some(match error.hint() {
        Some(hint) => format!("{error}: {hint}"),
        None => error.to_string(),
    })
}

/// The programs the image is known to hold: those its generated start command runs
/// (an image's own interpreter, tini) and every file docksmith copies into a `bin`
/// folder.
fn programs(runtime: &RuntimeStage) -> Vec<String> {
    let mut programs: Vec<String> = Vec::new();
    let copied = runtime
        .artifacts
        .iter()
        .map(|a| &a.target)
        .filter(|t| t.contains("/bin/") && !t.ends_with('/'));
    let started = runtime
        .entrypoint
        .iter()
        .chain(runtime.command.first())
        .filter(|w| !w.starts_with('-') && (w.starts_with('/') || !w.contains('/')))
        .take_while(|w| !w.contains('.'));
    for program in started.chain(copied) {
        if !programs.contains(program) {
            programs.push(program.clone());
        }
    }
    programs
}

fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}
