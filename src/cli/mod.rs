//! The command line: parses arguments, runs one command, prints results on stdout and
//! messages on stderr, and turns errors into a message, a hint and an exit code, in
//! this one place.

pub mod args;
mod color;
pub mod prompt;
mod show;
mod wizard;

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::Path;

use clap::{CommandFactory, Parser};
use serde::Serialize;

use self::args::{Cli, Command, GenerateArgs};
use self::color::Paint;
use self::prompt::{Prompter, TerminalPrompter};
use crate::detect::Detection;
use crate::detect::project::ProjectFacts;
use crate::error::{Error, Exit};
use crate::pipeline;
use crate::plan::SCHEMA_VERSION;
use crate::record::{self, Record};
use crate::render::Rendered;
use crate::settings::{Environment, Options, Settings, Sources, Variables};
use crate::sync::{self, FileChange, Status};
use crate::write;

/// The files `init` writes, and where.
const DOCKERFILE: &str = "Dockerfile";
const DOCKERIGNORE: &str = sync::DOCKERIGNORE;

/// Where a command's input and output go, so tests can run commands in-process.
pub struct Io<'a> {
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
    /// The environment variables.
    pub env: &'a dyn Environment,
    /// Whether stdin and stderr are both terminals: questions need both.
    pub terminal: bool,
    /// Whether stderr is a terminal (for `--color auto`).
    pub color_terminal: bool,
    /// Asks the questions when `terminal` is true.
    pub prompter: &'a mut dyn Prompter,
}

/// Runs the command line with the process's arguments, streams and environment.
pub fn main() -> std::process::ExitCode {
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let env = Variables::of_process();
    let color_terminal = stderr.is_terminal();
    let mut prompter = TerminalPrompter::new();
    let mut io = Io {
        out: &mut stdout.lock(),
        err: &mut stderr.lock(),
        env: &env,
        terminal: std::io::stdin().is_terminal() && color_terminal,
        color_terminal,
        prompter: &mut prompter,
    };
    let code = run(std::env::args_os(), &mut io);
    std::process::ExitCode::from(code as u8)
}

/// Runs one command line.
pub fn run(args: impl IntoIterator<Item = OsString>, io: &mut Io<'_>) -> Exit {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let text = e.render().to_string();
            let (stream, code) = if e.use_stderr() {
                (&mut *io.err, Exit::Usage)
            } else {
                (&mut *io.out, Exit::Ok)
            };
            let _ = write!(stream, "{text}");
            return code;
        }
    };
    let paint = Paint::decide(&cli.color, io.color_terminal, io.env);
    // Questions follow the same decision as every other message on stderr.
    io.prompter.set_color(paint.on);
    match execute(cli.command, paint, io) {
        Ok(code) => code,
        Err(error) => {
            let _ = writeln!(io.err, "{} {error}", paint.error("error:"));
            let mut source = std::error::Error::source(&error);
            while let Some(cause) = source {
                // Transparent wrappers repeat their inner message; print causes once.
                if !error.to_string().contains(&cause.to_string()) {
                    let _ = writeln!(io.err, "  caused by: {cause}");
                }
                source = cause.source();
            }
            if let Some(hint) = error.hint() {
                let _ = writeln!(io.err, "{} {hint}", paint.hint("hint:"));
            }
            error.exit()
        }
    }
}

fn execute(command: Command, paint: Paint, io: &mut Io<'_>) -> Result<Exit, Error> {
    let mut ctx = Ctx { paint, io };
    match command {
        Command::Detect { path, json } => ctx.detect(&path, json),
        Command::Plan {
            path,
            json,
            options,
        } => ctx.plan(&path, json, options),
        Command::Generate {
            path,
            stdout: _,
            out,
            options,
        } => ctx.generate(&path, out.as_deref(), options),
        Command::Init {
            path,
            force,
            skip,
            dry_run,
            check,
            input,
            options,
        } => {
            let mode = match (dry_run, check) {
                (true, _) => Mode::DryRun { merge: false },
                (_, true) => Mode::Check,
                _ => Mode::Init {
                    on_conflict: match (force, skip) {
                        (true, _) => OnConflict::Overwrite,
                        (_, true) => OnConflict::Keep,
                        _ => OnConflict::Ask,
                    },
                    ask: !input.yes,
                },
            };
            ctx.sync(&path, mode, options)
        }
        Command::Check { path, options } => ctx.sync(&path, Mode::Check, options),
        Command::Update {
            path,
            dry_run,
            options,
        } => {
            let mode = if dry_run {
                Mode::DryRun { merge: true }
            } else {
                Mode::Update
            };
            ctx.sync(&path, mode, options)
        }
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "docksmith", ctx.io.out);
            Ok(Exit::Ok)
        }
        Command::Man => {
            let page = clap_mangen::Man::new(Cli::command());
            page.render(ctx.io.out)
                .map_err(|source| write::WriteError::Io {
                    path: "stdout".into(),
                    source,
                })?;
            Ok(Exit::Ok)
        }
    }
}

/// What `init`, `check` and `update` do with the files.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
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
enum OnConflict {
    Ask,
    Overwrite,
    Keep,
}

#[derive(Serialize)]
struct DetectJson<'a> {
    schema_version: u32,
    detections: &'a [Detection],
    project: &'a ProjectFacts,
}

/// A command's output streams and colors.
struct Ctx<'c, 'io> {
    paint: Paint,
    io: &'c mut Io<'io>,
}

impl Ctx<'_, '_> {
    fn say(&mut self, text: &str) {
        let _ = writeln!(self.io.err, "{text}");
    }

    fn warn(&mut self, warnings: &[crate::detect::Warning]) {
        let text = show::warnings(warnings, &self.paint.warning("warning:"));
        let _ = write!(self.io.err, "{text}");
    }

    fn print_json(&mut self, value: &impl Serialize) {
        // Serialising our own plain structs cannot fail.
        let text = serde_json::to_string_pretty(value).unwrap_or_default();
        let _ = writeln!(self.io.out, "{text}");
    }

    /// Whether questions may be asked: a terminal on stdin and stderr, and no CI.
    fn interactive(&self) -> bool {
        self.io.terminal
            && self
                .io
                .env
                .var("CI")
                .is_none_or(|v| v.is_empty() || v == "false")
    }

    fn detect(&mut self, path: &Path, json: bool) -> Result<Exit, Error> {
        let analysis = pipeline::analyze(path)?;
        if json {
            let doc = DetectJson {
                schema_version: SCHEMA_VERSION,
                detections: &analysis.detections,
                project: &analysis.project,
            };
            self.print_json(&doc);
        } else {
            let _ = write!(
                self.io.out,
                "{}",
                show::detection(&analysis.detections, &analysis.project)
            );
            for detection in &analysis.detections {
                self.warn(detection.warnings());
            }
        }
        Ok(Exit::Ok)
    }

    /// The plan for the flags, environment and files; `None` after printing the
    /// settings when `--show-settings` asked for only that.
    fn plan_or_show(
        &mut self,
        path: &Path,
        options: GenerateArgs,
    ) -> Result<Option<crate::plan::BuildPlan>, Error> {
        let analysis = pipeline::analyze(path)?;
        let show = options.show_settings;
        let settings = Sources::load(self.io.env, analysis.view.root())?
            .resolve(options.into_options(), Options::default())?;
        if show {
            self.show_settings(&settings);
            return Ok(None);
        }
        Ok(Some(analysis.plan(&settings, &path.display().to_string())?))
    }

    /// Prints the settings for `--show-settings`.
    fn show_settings(&mut self, settings: &Settings) -> Exit {
        let _ = write!(self.io.out, "{}", settings.describe());
        Exit::Ok
    }

    fn plan(&mut self, path: &Path, json: bool, options: GenerateArgs) -> Result<Exit, Error> {
        let Some(plan) = self.plan_or_show(path, options)? else {
            return Ok(Exit::Ok);
        };
        if json {
            self.print_json(&plan);
        } else {
            let _ = write!(self.io.out, "{}", show::plan(&plan));
            self.warn(&plan.warnings);
        }
        Ok(Exit::Ok)
    }

    fn generate(
        &mut self,
        path: &Path,
        out: Option<&Path>,
        options: GenerateArgs,
    ) -> Result<Exit, Error> {
        let Some(plan) = self.plan_or_show(path, options)? else {
            return Ok(Exit::Ok);
        };
        let rendered = pipeline::render(&plan)?;
        self.warn(&plan.warnings);
        match out {
            None => {
                let _ = write!(self.io.out, "{}", rendered.dockerfile);
            }
            Some(dir) => {
                std::fs::create_dir_all(dir).map_err(|source| write::WriteError::Io {
                    path: dir.to_path_buf(),
                    source,
                })?;
                for (name, text) in files(&rendered) {
                    write::write_file(&dir.join(name), text, true)?;
                    self.say(&format!("wrote {}", dir.join(name).display()));
                }
            }
        }
        Ok(Exit::Ok)
    }

    /// `init`, `check` and `update`: generate from the recorded answers (plus flags,
    /// environment and, for `init` in a terminal, the wizard), decide each file's
    /// status, then write, diff or check.
    fn sync(&mut self, path: &Path, mode: Mode, options: GenerateArgs) -> Result<Exit, Error> {
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
        let mut changes = Vec::new();
        for (name, text) in files(&rendered) {
            let on_disk = write::read_managed(&root.join(name))?;
            let required = &plan.context.required;
            let change = if matches!(mode, Mode::Update | Mode::DryRun { merge: true }) {
                let base = record::read_base(root, record.as_ref(), name);
                if base.is_none() && on_disk.is_some() {
                    self.base_missing_note(name, record.as_ref());
                }
                sync::for_update(
                    name,
                    on_disk,
                    text.to_string(),
                    record.as_ref(),
                    base.as_deref(),
                    required,
                )
            } else {
                sync::for_init(name, on_disk, text.to_string(), record.as_ref(), required)
            };
            changes.push(change);
        }
        match mode {
            Mode::DryRun { .. } | Mode::Check => {
                Ok(self.report_diff(&changes, mode == Mode::Check))
            }
            Mode::Init { on_conflict, .. } => {
                if !self.settle_conflicts(&mut changes, on_conflict)? {
                    return Ok(Exit::Conflict);
                }
                self.write_all(root, &changes, &settings, record.as_ref())?;
                Ok(Exit::Ok)
            }
            Mode::Update => {
                self.write_all(root, &changes, &settings, record.as_ref())?;
                let conflicted: Vec<&str> = changes
                    .iter()
                    .filter(|c| c.conflicts > 0)
                    .map(|c| c.name)
                    .collect();
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

    fn base_missing_note(&mut self, name: &str, record: Option<&Record>) {
        if record.is_some_and(|r| r.files.contains_key(name)) {
            self.say(&format!(
                "note: {}/{name} is missing or does not match docksmith.toml: edits to {name} are merged against an empty base, so every difference is marked as a conflict",
                record::BASE_DIR
            ));
        }
    }

    /// Prints the diffs; for `check`, says whether the files drifted.
    fn report_diff(&mut self, changes: &[FileChange], check: bool) -> Exit {
        let drifted: Vec<&FileChange> = changes
            .iter()
            .filter(|c| c.status != Status::Identical)
            .collect();
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
        changes: &mut [FileChange],
        on_conflict: OnConflict,
    ) -> Result<bool, Error> {
        let conflicts = changes
            .iter()
            .filter(|c| c.status == Status::Conflict)
            .count();
        if conflicts == 0 {
            return Ok(true);
        }
        match on_conflict {
            OnConflict::Overwrite | OnConflict::Keep => {
                for change in changes.iter_mut() {
                    change.resolve(on_conflict == OnConflict::Overwrite);
                }
                Ok(true)
            }
            OnConflict::Ask if self.interactive() => self.ask_conflicts(changes),
            OnConflict::Ask => {
                self.print_statuses(changes);
                let names: Vec<&str> = changes
                    .iter()
                    .filter(|c| c.status == Status::Conflict)
                    .map(|c| c.name)
                    .collect();
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

    /// Writes the files that change, then the record: answers, hashes and bases. A
    /// skipped file keeps its old record, so `update` can still merge it later.
    fn write_all(
        &mut self,
        root: &Path,
        changes: &[FileChange],
        settings: &Settings,
        old: Option<&Record>,
    ) -> Result<(), Error> {
        record::check_writable(root)?;
        for change in changes.iter().filter(|c| c.writes()) {
            write::write_file(&root.join(change.name), &change.text, true)?;
        }
        self.print_statuses(changes);
        let mut record = Record {
            version: env!("CARGO_PKG_VERSION").to_string(),
            files: Default::default(),
        };
        let mut bases = Vec::new();
        for change in changes {
            if change.status == Status::Skip {
                if let Some(digest) = old.and_then(|r| r.files.get(change.name)) {
                    record.files.insert(change.name.to_string(), digest.clone());
                }
                continue;
            }
            record
                .files
                .insert(change.name.to_string(), record::hash(&change.generated));
            bases.push((change.name, change.generated.as_str()));
        }
        let answers = settings.recorded();
        record::write(root, &answers, &record, &bases)?;
        let keys = crate::settings::KEYS
            .iter()
            .filter(|key| crate::record::has_answer(&answers, key))
            .copied()
            .collect::<Vec<_>>();
        let recorded = match keys.as_slice() {
            [] => "no answers: docksmith's own picks follow the project".to_string(),
            keys => format!("answers: {}", keys.join(", ")),
        };
        self.say(&format!("  recorded   docksmith.toml ({recorded})"));
        Ok(())
    }
}

fn files(rendered: &Rendered) -> [(&'static str, &str); 2] {
    [
        (DOCKERFILE, rendered.dockerfile.as_str()),
        (DOCKERIGNORE, rendered.dockerignore.as_str()),
    ]
}
