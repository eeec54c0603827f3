//! `init`, `check` and `update`: generate from the recorded answers, let the write
//! wing decide each file's change, then ask about conflicts (in a terminal), print
//! diffs and statuses, and commit.

use std::path::Path;

use super::{Ctx, wizard};
use crate::error::{Error, Exit};
use crate::pipeline;
use crate::settings::{Options, Settings, Sources};
use crate::write::apply::{self, Changes, DOCKERFILE, DOCKERIGNORE, Merge};
use crate::write::record::{self, Record};
use crate::write::sync::{FileChange, Status};

use super::args::GenerateArgs;

/// What `init`, `check` and `update` do with the files.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// Write, settling conflicts as told.
    Init { on_conflict: OnConflict, ask: bool },
    /// Print the diff of what would change; write nothing. `merge`: as `update`
    /// would (three-way merges), else as `init`.
    DryRun { merge: bool },
    /// Print the diff; exit 4 when there is one.
    Check,
    /// Write, merging edited files three ways.
    Update,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum OnConflict {
    Ask,
    Overwrite,
    Keep,
}

impl Ctx<'_, '_> {
    /// `init`, `check` and `update`: generate from the recorded answers (plus flags,
    /// environment and, for `init` in a terminal, the wizard), decide each file's
    /// status, then write, diff or check.
    pub(super) fn sync(
        &mut self,
        path: &Path,
        mode: Mode,
        options: GenerateArgs,
    ) -> Result<Exit, Error> {
        let analysis = pipeline::analyze(path)?;
        let root = analysis.view.root();
        // docksmith.toml is read once: settings and record both come from this read.
        let sources = Sources::load(self.io.env, root)?;
        let record = record::from_generated(root, sources.generated.as_ref())?;
        let show = options.show_settings;
        let flags = options.into_options();
        let asks = matches!(mode, Mode::Init { ask: true, .. }) && self.interactive() && !show;
        let answers = if asks {
            wizard::ask(&analysis, &sources, &flags, record.is_some(), self.io)?
        } else {
            Options::default()
        };
        let settings = sources.resolve(flags, answers)?;
        if show {
            return Ok(self.show_settings(&settings));
        }
        let plan = analysis.plan(&settings, &path.display().to_string())?;
        let rendered = pipeline::render(&plan)?;
        self.warn(&plan.warnings);
        let merge = if matches!(mode, Mode::Update | Mode::DryRun { merge: true }) {
            Merge::ThreeWay
        } else {
            Merge::Replace
        };
        let mut changes = apply::changes(
            root,
            &rendered,
            &plan.context.required,
            record.as_ref(),
            merge,
        )?;
        for note in &changes.notes {
            self.say(&format!("note: {note}"));
        }
        match mode {
            Mode::DryRun { .. } | Mode::Check => {
                Ok(self.report_diff(&changes, mode == Mode::Check))
            }
            Mode::Init { on_conflict, .. } => {
                if !self.settle_conflicts(&mut changes, on_conflict)? {
                    return Ok(Exit::Conflict);
                }
                self.commit(root, &changes, &settings, record.as_ref())?;
                Ok(Exit::Ok)
            }
            Mode::Update => {
                self.commit(root, &changes, &settings, record.as_ref())?;
                let conflicted = changes.with_markers();
                if conflicted.is_empty() {
                    return Ok(Exit::Ok);
                }
                let label = self.paint.warning("conflict:");
                self.say(&format!(
                    "{label} your edits and docksmith's changes overlap in {}: both are kept between <<<<<<< and >>>>>>> markers; resolve them by hand",
                    conflicted.join(", ")
                ));
                Ok(Exit::Conflict)
            }
        }
    }

    /// Prints the diffs; for `check`, says whether the files drifted.
    fn report_diff(&mut self, changes: &Changes, check: bool) -> Exit {
        let drifted = changes.drifted();
        let diffs: String = drifted.iter().map(|c| c.diff()).collect();
        let painted = if self.io.color_terminal {
            self.paint.diff(&diffs)
        } else {
            diffs
        };
        let _ = write!(self.io.out, "{painted}");
        if drifted.is_empty() {
            self.say(&format!(
                "up to date: {DOCKERFILE} and {DOCKERIGNORE} match what docksmith generates"
            ));
            return Exit::Ok;
        }
        if !check {
            return Exit::Ok;
        }
        let names: Vec<&str> = drifted.iter().map(|c| c.name).collect();
        let label = self.paint.error("drift:");
        let verb = if names.len() == 1 {
            "differs"
        } else {
            "differ"
        };
        self.say(&format!(
            "{label} {} {verb} from what docksmith generates from docksmith.toml (run `docksmith update` to bring them up to date)",
            names.join(" and ")
        ));
        Exit::Drift
    }

    /// Turns every conflict into an overwrite or a skip: by the flags, by asking, or
    /// (no terminal, no flag) not at all. Returns false when nothing may be written.
    fn settle_conflicts(
        &mut self,
        changes: &mut Changes,
        on_conflict: OnConflict,
    ) -> Result<bool, Error> {
        if changes.conflicted().is_empty() {
            return Ok(true);
        }
        match on_conflict {
            OnConflict::Overwrite | OnConflict::Keep => {
                changes.settle_all(on_conflict == OnConflict::Overwrite);
                Ok(true)
            }
            OnConflict::Ask if self.interactive() => self.ask_conflicts(&mut changes.files),
            OnConflict::Ask => {
                self.print_statuses(&changes.files);
                let names = changes.conflicted();
                let label = self.paint.error("conflict:");
                self.say(&format!(
                    "{label} {} changed since docksmith wrote it (or was written by hand); nothing was written",
                    names.join(" and ")
                ));
                let hint = self.paint.hint("hint:");
                self.say(&format!(
                    "{hint} --force replaces it, --skip keeps it, `docksmith update` merges your edits, --dry-run shows the diff"
                ));
                Ok(false)
            }
        }
    }

    /// Asks per file: y(es) overwrite, N(o) keep, a(ll) overwrite the rest, q(uit)
    /// write nothing, d(iff) show the diff and ask again.
    fn ask_conflicts(&mut self, changes: &mut [FileChange]) -> Result<bool, Error> {
        let mut all = false;
        for change in changes.iter_mut() {
            if change.status != Status::Conflict {
                continue;
            }
            if all {
                change.resolve(true);
                continue;
            }
            loop {
                let check = |t: &str| match t.to_ascii_lowercase().as_str() {
                    "y" | "n" | "a" | "q" | "d" => Ok(()),
                    _ => Err("answer y, n, a, q or d".to_string()),
                };
                let answer = self.io.prompter.input(
                    &format!(
                        "{} was changed since docksmith wrote it. Overwrite? [y/N/a/q/d] (yes, no, all, quit, diff)",
                        change.name
                    ),
                    "n",
                    &check,
                )?;
                match answer.to_ascii_lowercase().as_str() {
                    "y" => change.resolve(true),
                    "a" => {
                        all = true;
                        change.resolve(true);
                    }
                    "q" => {
                        self.say("stopped: nothing was written");
                        return Ok(false);
                    }
                    "d" => {
                        let painted = self.paint.diff(&change.diff());
                        let _ = write!(self.io.err, "{painted}");
                        continue;
                    }
                    _ => change.resolve(false),
                }
                break;
            }
        }
        Ok(true)
    }

    fn print_statuses(&mut self, changes: &[FileChange]) {
        for change in changes {
            let status = format!("{:<10}", change.status.to_string());
            let painted = match change.status {
                Status::Create | Status::Overwrite | Status::Merge => self.paint.good(&status),
                Status::Conflict => self.paint.error(&status),
                Status::Identical | Status::Skip => status,
            };
            self.say(&format!("  {painted} {}", change.name));
        }
    }

    /// Writes the files and their record (the library decides what), then says what
    /// happened.
    fn commit(
        &mut self,
        root: &Path,
        changes: &Changes,
        settings: &Settings,
        old: Option<&Record>,
    ) -> Result<(), Error> {
        let committed = changes.commit(root, settings, old)?;
        self.print_statuses(&changes.files);
        let recorded = match committed.answers.as_slice() {
            [] => "no answers: docksmith's own picks follow the project".to_string(),
            keys => format!("answers: {}", keys.join(", ")),
        };
        self.say(&format!("  recorded   docksmith.toml ({recorded})"));
        Ok(())
    }
}
