//! `init`, `check` and `update`: generate from the recorded answers, let the write
//! wing decide each file's change, then ask about conflicts (in a terminal), print
//! diffs and statuses, and commit.

use std::path::Path;

use super::{Ctx, summary, wizard};
use crate::error::{Error, Exit};
use crate::pipeline;
use crate::settings::PROJECT_FILE;
use crate::settings::{Options, Settings, Sources};
use crate::write::apply::{self, Changes, Merge};
use crate::write::record::{self, Record, RecordError};
use crate::write::settable::settable_edits;
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
    /// Print the diff `update` would apply (with `strict`, any difference from
    /// docksmith's own text); exit 4 when there is one.
    Check { strict: bool },
    /// Write, merging edited files three ways.
    Update,
}

/// Whether the user's config file changes the files: what teammates without it would
/// generate differs from `files`.
fn user_config_shapes(
    analysis: &pipeline::Analysis,
    sources: &Sources,
    flags: Options,
    answers: Options,
    files: &[(String, String)],
    path: &Path,
) -> Result<bool, Error> {
    let shared = sources.without_user_config().resolve(flags, answers)?;
    // Without it the plan may fail (it answered a question): that shapes too.
    Ok(analysis
        .output(&shared, &path.display().to_string())
        .map_or(true, |o| o.files() != files))
}

/// The code a real run would exit with after this dry run: conflicts stop both.
/// How the standards pack differs from the one recorded, when it does (a project
/// without a record has nothing to compare).
fn pack_change(record: Option<&Record>, settings: &Settings) -> Option<String> {
    let recorded = record?.standards.as_ref();
    let current = settings.pack.as_ref().map(|p| &p.id);
    Some(match (recorded, current) {
        (Some(old), Some(new)) if old.same_content(new) => return None,
        (None, None) => return None,
        (Some(old), Some(new)) if old.name == new.name => format!(
            "standards pack `{}` changed (recorded {}, now {})",
            new.name,
            pack_state(old),
            pack_state(new)
        ),
        (Some(old), Some(new)) => format!("the project now uses {new} instead of {old}"),
        (Some(old), None) => format!("the project no longer uses {old}"),
        (None, Some(new)) => format!("the project now uses {new}"),
    })
}

/// A pack's version and the start of its hash: `2026.12 sha256:1a2b3c4d5e6f`.
fn pack_state(id: &crate::standards::PackId) -> String {
    let short = id.hash.get(..19).unwrap_or(&id.hash);
    match &id.version {
        Some(version) => format!("{version} {short}"),
        None => short.to_string(),
    }
}

/// `a`, `a and b`, `a, b and c`.
fn and_list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

fn dry_run_exit(changes: &Changes) -> Exit {
    if changes.conflicted().is_empty() && changes.unresolved().is_empty() {
        Exit::Ok
    } else {
        Exit::Conflict
    }
}

impl Mode {
    /// How edited files are treated: `update` and a plain `check` (which reports what
    /// `update` would do) merge them; `init` and `check --strict` do not.
    fn merge(self) -> Merge {
        match self {
            Mode::Update | Mode::DryRun { merge: true } | Mode::Check { strict: false } => {
                Merge::ThreeWay
            }
            _ => Merge::Replace,
        }
    }

    /// `update` (or its dry run): it merges from what docksmith wrote last, so it
    /// needs the record of that.
    fn merges(self) -> bool {
        matches!(self, Mode::Update | Mode::DryRun { merge: true })
    }
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
        let (analysis, path) = self.analyze(path)?;
        let path = path.as_path();
        let root = analysis.view.root();
        // One writer at a time, from the read of docksmith.toml to the last write; a
        // reader (check, dry runs) takes it too, so it first finishes a commit a
        // killed run left and never reads one run's Dockerfile with another's record.
        let _lock = crate::write::lock::ProjectLock::acquire(root)?;
        // docksmith.toml is read once: settings and record both come from this read.
        let mut sources = Sources::load(self.io.env, root)?;
        // check and update regenerate the shared files as a teammate or CI would: from
        // docksmith.toml, flags and environment, never a personal config file (`init`
        // records what of it changes the files).
        let initializing = matches!(mode, Mode::Init { .. } | Mode::DryRun { merge: false });
        if !initializing {
            sources = sources.without_user_config();
        }
        let record = record::from_generated(root, sources.generated.as_ref())?;
        let show = options.show_settings;
        let flags = options.into_options();
        let asks = matches!(mode, Mode::Init { ask: true, .. }) && self.interactive() && !show;
        let answers = if asks {
            self.ask(&analysis, &mut sources, &flags, record.is_some())?
        } else {
            Options::default()
        };
        let settings = sources.resolve(flags.clone(), answers.clone())?;
        if show {
            let plan = analysis.plan(&settings, &path.display().to_string()).ok();
            return Ok(self.show_settings(&settings, plan.as_ref()));
        }
        let output = analysis.output(&settings, &path.display().to_string())?;
        // What was built decides what is recorded: one app's pick, or the apps.
        let mut settings = settings;
        match output {
            pipeline::Output::One { .. } => settings.apps = None,
            pipeline::Output::Apps(_) => (settings.bin, settings.package) = (None, None),
        }
        let files = output.files();
        let user_config_shapes = initializing
            && sources.has_user_config()
            && user_config_shapes(&analysis, &sources, flags, answers, &files, path)?;
        for plan in output.plans() {
            self.warn(&plan.warnings);
        }
        let mut changes = apply::changes(
            root,
            &files,
            &output.required(),
            record.as_ref(),
            mode.merge(),
        )?;
        self.review(
            root,
            mode,
            &changes,
            record.is_some(),
            settings.pack.as_deref(),
        )?;
        match mode {
            Mode::Check { .. } => {
                if let Some(changed) = pack_change(record.as_ref(), &settings) {
                    self.report_pack_change(&changes, &changed);
                    return Ok(Exit::Drift);
                }
                Ok(self.report_diff(&changes, mode, record.is_some()))
            }
            Mode::DryRun { .. } => {
                self.report_diff(&changes, mode, record.is_some());
                // What the run would record too (`init --dry-run` left it out).
                let recorded = changes.project_file_diff(
                    root,
                    &settings,
                    user_config_shapes,
                    record.as_ref(),
                )?;
                let _ = write!(self.io.out, "{recorded}");
                Ok(dry_run_exit(&changes))
            }
            Mode::Init { on_conflict, .. } => {
                if asks && !self.confirm_summary(&output, &changes)? {
                    return Ok(Exit::Conflict);
                }
                if !self.settle_conflicts(&mut changes, on_conflict)? {
                    return Ok(Exit::Conflict);
                }
                self.commit(
                    root,
                    &changes,
                    &settings,
                    user_config_shapes,
                    record.as_ref(),
                )?;
                self.say(&summary::next_steps(&output));
                Ok(Exit::Ok)
            }
            Mode::Update => self.update(root, &changes, &settings, record.as_ref()),
        }
    }

    /// Before anything is written or diffed, once the files were read (and refused if
    /// unsafe): `update` needs what `init` recorded; notes, and the settings kept
    /// edits could be, are said.
    fn review(
        &mut self,
        root: &Path,
        mode: Mode,
        changes: &Changes,
        recorded: bool,
        pack: Option<&crate::standards::Pack>,
    ) -> Result<(), Error> {
        if !recorded && mode.merges() {
            return Err(RecordError::NotInitialized {
                path: root.join(PROJECT_FILE),
                command: "update",
            }
            .into());
        }
        for note in &changes.notes {
            self.say(&format!("note: {note}"));
        }
        if mode.merge() == Merge::ThreeWay {
            self.point_to_settings(changes, pack);
        }
        Ok(())
    }

    /// The wizard's answers; the recorded answers the user cleared leave `sources`.
    fn ask(
        &mut self,
        analysis: &pipeline::Analysis,
        sources: &mut Sources,
        flags: &Options,
        recorded: bool,
    ) -> Result<Options, Error> {
        let answers = wizard::ask(analysis, sources, flags, recorded, self.io)?;
        for key in answers.cleared {
            sources.clear_recorded(key);
        }
        Ok(answers.options)
    }

    /// `update`'s writes: refused while a file holds unresolved markers; otherwise
    /// written, with any new conflict marked and said.
    fn update(
        &mut self,
        root: &Path,
        changes: &Changes,
        settings: &Settings,
        record: Option<&Record>,
    ) -> Result<Exit, Error> {
        let unresolved = changes.unresolved();
        if !unresolved.is_empty() {
            self.print_statuses(&changes.files);
            let label = self.paint.error("conflict:");
            self.say(&format!(
                "{label} {} still holds conflict markers (<<<<<<< … >>>>>>>) from an earlier update; nothing was written",
                and_list(unresolved.iter().copied())
            ));
            let hint = self.paint.hint("hint:");
            self.say(&format!(
                "{hint} keep one side of each conflict and delete the marker lines, then run `docksmith update` again"
            ));
            return Ok(Exit::Conflict);
        }
        self.commit(root, changes, settings, false, record)?;
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

    /// `check` where the standards pack is not the one the files were generated
    /// with: the diffs it makes, and what to run.
    fn report_pack_change(&mut self, changes: &Changes, changed: &str) {
        let diffs: String = changes.drifted().iter().map(|c| c.diff()).collect();
        let _ = write!(self.io.out, "{diffs}");
        let label = self.paint.error("drift:");
        self.say(&format!(
            "{label} {changed} since the files were generated; run `docksmith update` to apply it and record it in {PROJECT_FILE}"
        ));
    }

    /// Prints the diffs; for `check`, says whether the files drifted.
    fn report_diff(&mut self, changes: &Changes, mode: Mode, recorded: bool) -> Exit {
        let drifted = changes.drifted();
        let diffs: String = drifted.iter().map(|c| c.diff()).collect();
        let painted = if self.io.color_terminal {
            self.paint.diff(&diffs)
        } else {
            diffs
        };
        let _ = write!(self.io.out, "{painted}");
        if drifted.is_empty() {
            let kept = changes.named(Status::Kept);
            if kept.is_empty() {
                self.say(&format!(
                    "up to date: {} match what docksmith generates",
                    and_list(changes.files.iter().map(|c| c.name.as_str()))
                ));
            } else {
                self.say(&format!(
                    "up to date: docksmith would change nothing (your edits to {} are kept)",
                    and_list(kept.iter().copied())
                ));
            }
            return Exit::Ok;
        }
        let Mode::Check { strict } = mode else {
            return Exit::Ok;
        };
        let names: Vec<&str> = drifted.iter().map(|c| c.name.as_str()).collect();
        let label = self.paint.error("drift:");
        let verb = if names.len() == 1 {
            "differs"
        } else {
            "differ"
        };
        let unresolved = changes.unresolved();
        if !recorded {
            self.say(&format!(
                "{label} {} {verb} from what docksmith generates: docksmith has not set up this project ({PROJECT_FILE} has no record of what it wrote); run `docksmith init`, or `docksmith update --adopt` to keep a Dockerfile you wrote",
                and_list(names.iter().copied())
            ));
        } else if strict {
            self.say(&format!(
                "{label} {} {verb} from docksmith's own text (--strict counts hand edits: undo them, or make them settings in docksmith.toml and run `docksmith update`)",
                and_list(names.iter().copied())
            ));
        } else if unresolved.is_empty() {
            self.say(&format!(
                "{label} {} {verb} from what docksmith generates from docksmith.toml (run `docksmith update` to bring them up to date)",
                and_list(names.iter().copied())
            ));
        } else {
            self.say(&format!(
                "{label} {} still holds conflict markers: resolve them by hand, then run `docksmith update`",
                and_list(unresolved.iter().copied())
            ));
        }
        Exit::Drift
    }

    /// The wizard's last question: what will be written, confirmed before it is.
    fn confirm_summary(
        &mut self,
        output: &pipeline::Output,
        changes: &Changes,
    ) -> Result<bool, Error> {
        self.say(&format!(
            "docksmith will write:\n{}",
            summary::summary(output, changes)
        ));
        if self.io.prompter.confirm("Write these files", true)? {
            return Ok(true);
        }
        self.say("cancelled, nothing written");
        Ok(false)
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
                    and_list(names.iter().copied())
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

    /// Names the docksmith.toml key for each kept hand edit a setting could make, so
    /// the edit survives docksmith's own changes to that line.
    fn point_to_settings(&mut self, changes: &Changes, pack: Option<&crate::standards::Pack>) {
        for change in &changes.files {
            for edit in settable_edits(change) {
                let hint = self.paint.hint("hint:");
                // A key the pack enforces is no project setting: `check` audits it.
                let text = match pack.filter(|p| p.enforced.toml_value(edit.key).is_some()) {
                    Some(pack) => format!(
                        "{hint} your edit `{}` in {} changes `{}`, which {} enforces: `docksmith check` reports it",
                        edit.line, change.name, edit.key, pack.id
                    ),
                    None => format!(
                        "{hint} your edit `{}` in {} can be a setting: set `{}` in docksmith.toml, then run `docksmith update`",
                        edit.line, change.name, edit.key
                    ),
                };
                self.say(&text);
            }
        }
    }

    pub(super) fn print_statuses(&mut self, changes: &[FileChange]) {
        for change in changes {
            let status = format!("{:<10}", change.status.to_string());
            let painted = match change.status {
                Status::Create | Status::Overwrite | Status::Merge => self.paint.good(&status),
                Status::Conflict | Status::Unresolved => self.paint.error(&status),
                Status::Identical | Status::Skip | Status::Kept | Status::Adopted => status,
            };
            self.say(&format!("  {painted} {}", change.name));
        }
    }

    /// Writes the files and their record (the library decides what), then says what
    /// happened.
    pub(super) fn commit(
        &mut self,
        root: &Path,
        changes: &Changes,
        settings: &Settings,
        user_config: bool,
        old: Option<&Record>,
    ) -> Result<(), Error> {
        let committed = changes.commit(root, settings, user_config, old)?;
        if user_config {
            let (with, without) = (settings.recorded(true), settings.recorded(false));
            let keys: Vec<&str> = crate::settings::KEYS
                .iter()
                .filter(|k| with.toml_value(k).is_some() && without.toml_value(k).is_none())
                .copied()
                .collect();
            self.say(&format!(
                "note: your config file sets {} and changes the generated files: recorded in docksmith.toml, so teammates and CI (who do not have your config) get the same files",
                keys.join(", ")
            ));
        }
        self.print_statuses(&changes.files);
        let recorded = match committed.answers.as_slice() {
            [] => "no answers: docksmith's own picks follow the project".to_string(),
            keys => format!("answers: {}", keys.join(", ")),
        };
        self.say(&format!("  recorded   docksmith.toml ({recorded})"));
        Ok(())
    }
}
