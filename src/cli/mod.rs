//! The command line: parses arguments, runs one command, prints results on stdout and
//! messages on stderr, and turns errors into a message, a hint and an exit code, in
//! this one place.

pub mod args;
mod show;

use std::ffi::OsString;
use std::io::Write;
use std::path::Path;

use clap::Parser;
use serde::Serialize;

use self::args::{Cli, Command, GenerateArgs};
use crate::detect::Detection;
use crate::detect::project::ProjectFacts;
use crate::error::{Error, Exit};
use crate::pipeline::{self, Analysis};
use crate::plan::SCHEMA_VERSION;
use crate::render::Rendered;
use crate::settings::Settings;
use crate::write::{self, Outcome};

/// The files `init` writes, and where.
const DOCKERFILE: &str = "Dockerfile";
const DOCKERIGNORE: &str = ".dockerignore";

/// Where a command's output goes, so tests can run commands in-process.
pub struct Io<'a> {
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
    /// Reads an environment variable.
    pub env: &'a dyn Fn(&str) -> Option<String>,
}

/// Runs the command line with the process's arguments, streams and environment.
pub fn main() -> std::process::ExitCode {
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let env = |name: &str| std::env::var(name).ok();
    let mut io = Io {
        out: &mut stdout.lock(),
        err: &mut stderr.lock(),
        env: &env,
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
    match execute(cli.command, io) {
        Ok(code) => code,
        Err(error) => {
            let _ = writeln!(io.err, "error: {error}");
            let mut source = std::error::Error::source(&error);
            while let Some(cause) = source {
                // Transparent wrappers repeat their inner message; print causes once.
                if !error.to_string().contains(&cause.to_string()) {
                    let _ = writeln!(io.err, "  caused by: {cause}");
                }
                source = cause.source();
            }
            if let Some(hint) = error.hint() {
                let _ = writeln!(io.err, "hint: {hint}");
            }
            Exit::Failure
        }
    }
}

fn execute(command: Command, io: &mut Io<'_>) -> Result<Exit, Error> {
    match command {
        Command::Detect { path, json } => detect(&path, json, io),
        Command::Plan {
            path,
            json,
            options,
        } => plan(&path, json, options, io),
        Command::Generate {
            path,
            stdout: _,
            out,
            options,
        } => generate(&path, out.as_deref(), options, io),
        Command::Init {
            path,
            force,
            dry_run,
            check,
            options,
        } => init(
            &path,
            InitMode::from_flags(force, dry_run, check),
            options,
            io,
        ),
    }
}

#[derive(Serialize)]
struct DetectJson<'a> {
    schema_version: u32,
    detections: &'a [Detection],
    project: &'a ProjectFacts,
}

fn detect(path: &Path, json: bool, io: &mut Io<'_>) -> Result<Exit, Error> {
    let analysis = pipeline::analyze(path)?;
    if json {
        let doc = DetectJson {
            schema_version: SCHEMA_VERSION,
            detections: &analysis.detections,
            project: &analysis.project,
        };
        print_json(io, &doc);
    } else {
        let _ = write!(
            io.out,
            "{}",
            show::detection(&analysis.detections, &analysis.project)
        );
        for detection in &analysis.detections {
            let _ = write!(io.err, "{}", show::warnings(detection.warnings()));
        }
    }
    Ok(Exit::Ok)
}

fn print_json(io: &mut Io<'_>, value: &impl Serialize) {
    // Serialising our own plain structs cannot fail.
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    let _ = writeln!(io.out, "{text}");
}

/// Analyses the project and plans it with the settings from flags, environment and
/// docksmith.toml.
fn analyze_and_plan(
    path: &Path,
    options: GenerateArgs,
    io: &mut Io<'_>,
) -> Result<(Analysis, crate::plan::BuildPlan), Error> {
    let analysis = pipeline::analyze(path)?;
    let settings = Settings::resolve(options.into_options(), io.env, analysis.view.root())?;
    let plan = analysis.plan(&settings, &path.display().to_string())?;
    Ok((analysis, plan))
}

fn plan(path: &Path, json: bool, options: GenerateArgs, io: &mut Io<'_>) -> Result<Exit, Error> {
    let (_, plan) = analyze_and_plan(path, options, io)?;
    if json {
        print_json(io, &plan);
    } else {
        let _ = write!(io.out, "{}", show::plan(&plan));
        let _ = write!(io.err, "{}", show::warnings(&plan.warnings));
    }
    Ok(Exit::Ok)
}

fn generate(
    path: &Path,
    out: Option<&Path>,
    options: GenerateArgs,
    io: &mut Io<'_>,
) -> Result<Exit, Error> {
    let (_, plan) = analyze_and_plan(path, options, io)?;
    let rendered = pipeline::render(&plan)?;
    let _ = write!(io.err, "{}", show::warnings(&plan.warnings));
    match out {
        None => {
            let _ = write!(io.out, "{}", rendered.dockerfile);
        }
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|source| write::WriteError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
            for (name, text) in files(&rendered) {
                write::write_file(&dir.join(name), text, true)?;
                let _ = writeln!(io.err, "wrote {}", dir.join(name).display());
            }
        }
    }
    Ok(Exit::Ok)
}

fn files(rendered: &Rendered) -> [(&'static str, &str); 2] {
    [
        (DOCKERFILE, rendered.dockerfile.as_str()),
        (DOCKERIGNORE, rendered.dockerignore.as_str()),
    ]
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum InitMode {
    Write { force: bool },
    DryRun,
    Check,
}

impl InitMode {
    fn from_flags(force: bool, dry_run: bool, check: bool) -> InitMode {
        match (dry_run, check) {
            (true, _) => InitMode::DryRun,
            (_, true) => InitMode::Check,
            _ => InitMode::Write { force },
        }
    }
}

fn init(
    path: &Path,
    mode: InitMode,
    options: GenerateArgs,
    io: &mut Io<'_>,
) -> Result<Exit, Error> {
    let (analysis, plan) = analyze_and_plan(path, options, io)?;
    let rendered = pipeline::render(&plan)?;
    let _ = write!(io.err, "{}", show::warnings(&plan.warnings));
    let root = analysis.view.root();
    let mut existing = Vec::new();
    for (name, text) in files(&rendered) {
        let on_disk = match std::fs::read_to_string(root.join(name)) {
            Ok(current) => Some(current),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(source) => {
                return Err(write::WriteError::Io {
                    path: root.join(name),
                    source,
                }
                .into());
            }
        };
        existing.push((name, on_disk, text));
    }
    match mode {
        InitMode::DryRun | InitMode::Check => {
            let diffs: String = existing
                .iter()
                .map(|(name, old, new)| write::unified_diff(name, old.as_deref(), new))
                .collect();
            let _ = write!(io.out, "{diffs}");
            if diffs.is_empty() {
                let _ = writeln!(
                    io.err,
                    "up to date: {DOCKERFILE} and {DOCKERIGNORE} match what docksmith generates"
                );
                return Ok(Exit::Ok);
            }
            if mode == InitMode::Check {
                let _ = writeln!(
                    io.err,
                    "drift: the files above differ from what docksmith generates (run `docksmith init --force` to update them)"
                );
                return Ok(Exit::Failure);
            }
            Ok(Exit::Ok)
        }
        InitMode::Write { force } => {
            // Refuse before writing anything, so the project never ends up half-updated.
            if !force {
                if let Some((name, _, _)) = existing
                    .iter()
                    .find(|(_, old, new)| old.as_deref().is_some_and(|o| o != *new))
                {
                    return Err(write::WriteError::Exists {
                        path: root.join(name),
                    }
                    .into());
                }
            }
            for (name, _, text) in &existing {
                let outcome = write::write_file(&root.join(name), text, force)?;
                let verb = match outcome {
                    Outcome::Created => "created",
                    Outcome::Replaced => "replaced",
                    Outcome::Unchanged => "unchanged",
                };
                let _ = writeln!(io.err, "{verb} {}", root.join(name).display());
            }
            Ok(Exit::Ok)
        }
    }
}
