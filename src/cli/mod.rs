//! The command line: parses arguments, runs one command, prints results on stdout and
//! messages on stderr, and turns errors into a message, a hint and an exit code, in
//! this one place.

mod adopt;
pub mod args;
mod color;
mod comply;
mod doctor;
mod interrupt;
pub mod prompt;
mod show;
mod summary;
mod sync;
mod templates;
mod terminal;
mod wizard;

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{CommandFactory, Parser};
use serde::Serialize;

use self::args::{Cli, Command, GenerateArgs};
use self::color::Paint;
use self::prompt::{Prompter, TerminalPrompter};
use self::sync::{Mode, OnConflict};
use crate::detect::Detection;
use crate::detect::project::ProjectFacts;
use crate::error::{Error, Exit};
use crate::pipeline;
use crate::plan::{PlanError, SCHEMA_VERSION};
use crate::settings::{Environment, Options, Settings, Sources, Variables};
use crate::write;
use crate::write::apply::DOCKERIGNORE;

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
    // A project's text never drives the terminal: escape sequences and deceptive
    // characters in it are shown, not acted on.
    let mut out = terminal::Escaping::new(stdout.lock());
    let mut err = terminal::Escaping::new(stderr.lock());
    let mut io = Io {
        out: &mut out,
        err: &mut err,
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
                (_, true) => Mode::Check { strict: false },
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
        Command::Check {
            path,
            strict,
            json,
            options,
        } => ctx.check(&path, strict, json, options),
        Command::Update {
            path,
            adopt: true,
            dry_run,
            options,
        } => ctx.adopt(&path, dry_run, options),
        Command::Update {
            path,
            adopt: false,
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
        Command::Doctor(args) => ctx.doctor(args),
        Command::Templates { action } => templates::run(action, ctx.io),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "docksmith", ctx.io.out);
            Ok(Exit::Ok)
        }
        Command::Man { subcommand, dir } => ctx.man(subcommand.as_deref(), dir.as_deref()),
    }
}

#[derive(Serialize)]
struct DetectJson<'a> {
    schema_version: u32,
    detections: &'a [Detection],
    project: &'a ProjectFacts,
    /// Every deployable app (what `init --all` builds).
    apps: Vec<crate::apps::App>,
}

/// A command's output streams and colors.
struct Ctx<'c, 'io> {
    paint: Paint,
    io: &'c mut Io<'io>,
}

impl Ctx<'_, '_> {
    /// Scans the project at `path`, or the nearest root above it (said on stderr);
    /// returns the analysis and the path to name in messages.
    fn analyze(&mut self, path: &Path) -> Result<(pipeline::Analysis, PathBuf), Error> {
        let (analysis, moved) = pipeline::analyze_upward(path)?;
        match moved {
            Some(root) => {
                self.say(&format!(
                    "note: no project in {}: using {}, the nearest folder above with a project manifest",
                    path.display(),
                    root.display()
                ));
                Ok((analysis, root))
            }
            None => Ok((analysis, path.to_path_buf())),
        }
    }

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
        let (analysis, path) = self.analyze(path)?;
        let path = path.as_path();
        // Nothing to show is the error `plan` and `generate` give, with the same code.
        if analysis.detections.is_empty() && analysis.subprojects.is_empty() {
            return Err(PlanError::nothing_detected(
                &path.display().to_string(),
                &analysis.project,
            )
            .into());
        }
        if json {
            let doc = DetectJson {
                schema_version: SCHEMA_VERSION,
                detections: &analysis.detections,
                project: &analysis.project,
                apps: crate::apps::find(&analysis),
            };
            self.print_json(&doc);
        } else {
            let _ = write!(self.io.out, "{}", show::detection(&analysis));
            let parts =
                std::iter::once(&analysis).chain(analysis.subprojects.iter().map(|s| &s.analysis));
            for detection in parts.flat_map(|a| &a.detections) {
                self.warn(detection.warnings());
            }
        }
        Ok(Exit::Ok)
    }

    /// What the flags, environment and files ask for (one plan, or a monorepo's);
    /// `None` after printing the settings when `--show-settings` asked for only that.
    fn output_or_show(
        &mut self,
        path: &Path,
        options: GenerateArgs,
    ) -> Result<Option<(pipeline::Output, PathBuf)>, Error> {
        let (analysis, path) = self.analyze(path)?;
        let show = options.show_settings;
        let settings = Sources::load(self.io.env, analysis.view.root())?
            .resolve(options.into_options(), Options::default())?;
        if show {
            let plan = analysis.plan(&settings, &path.display().to_string()).ok();
            self.show_settings(&settings, plan.as_ref());
            return Ok(None);
        }
        let output = analysis.output(&settings, &path.display().to_string())?;
        for plan in output.plans() {
            self.warn(&plan.warnings);
        }
        Ok(Some((output, analysis.view.root().to_path_buf())))
    }

    /// Prints the settings for `--show-settings`: each one's value and source, and
    /// for those nobody set, what docksmith decided (from `plan`, when one was made).
    fn show_settings(
        &mut self,
        settings: &Settings,
        plan: Option<&crate::plan::BuildPlan>,
    ) -> Exit {
        let effective = |key: &str| plan.and_then(|p| show::effective(p, key));
        let _ = write!(self.io.out, "{}", settings.describe(&effective));
        Exit::Ok
    }

    fn plan(&mut self, path: &Path, json: bool, options: GenerateArgs) -> Result<Exit, Error> {
        let Some((output, _)) = self.output_or_show(path, options)? else {
            return Ok(Exit::Ok);
        };
        match (output, json) {
            (pipeline::Output::One { plan, .. }, true) => self.print_json(&plan),
            (pipeline::Output::One { plan, .. }, false) => {
                let _ = write!(self.io.out, "{}", show::plan(&plan));
            }
            (pipeline::Output::Apps(apps), true) => {
                let doc = AppsJson {
                    schema_version: SCHEMA_VERSION,
                    apps: apps
                        .builds
                        .iter()
                        .map(|b| AppJson {
                            app: &b.app,
                            dockerfile: b.dockerfile.clone(),
                            plan: &b.plan,
                        })
                        .collect(),
                };
                self.print_json(&doc);
            }
            (pipeline::Output::Apps(apps), false) => {
                for (i, build) in apps.builds.iter().enumerate() {
                    let _ = write!(
                        self.io.out,
                        "{}== app {}: {} ==\n{}",
                        if i == 0 { "" } else { "\n" },
                        build.app.describe(),
                        build.dockerfile,
                        show::plan(&build.plan)
                    );
                }
            }
        }
        Ok(Exit::Ok)
    }

    fn generate(
        &mut self,
        path: &Path,
        out: Option<&Path>,
        options: GenerateArgs,
    ) -> Result<Exit, Error> {
        let Some((output, root)) = self.output_or_show(path, options)? else {
            return Ok(Exit::Ok);
        };
        match (out, &output) {
            (None, pipeline::Output::One { rendered, .. }) => {
                let _ = write!(self.io.out, "{}", rendered.dockerfile);
                self.warn_of_secrets_in_context(&root);
            }
            (None, pipeline::Output::Apps(_)) => {
                let label = self.paint.error("error:");
                self.say(&format!(
                    "{label} several apps make several files, which stdout cannot hold; use --out DIR (or `docksmith init --all`)"
                ));
                return Ok(Exit::Usage);
            }
            (Some(dir), _) => {
                std::fs::create_dir_all(dir).map_err(|source| write::WriteError::Io {
                    path: dir.to_path_buf(),
                    source,
                })?;
                for (name, text) in output.files() {
                    write::write_file(&dir.join(&name), &text, true)?;
                    self.say(&format!("wrote {}", dir.join(&name).display()));
                }
            }
        }
        Ok(Exit::Ok)
    }
}

#[derive(Serialize)]
struct AppsJson<'a> {
    schema_version: u32,
    apps: Vec<AppJson<'a>>,
}

#[derive(Serialize)]
struct AppJson<'a> {
    app: &'a crate::apps::App,
    dockerfile: String,
    plan: &'a crate::plan::BuildPlan,
}

impl Ctx<'_, '_> {
    /// The main page refers to one page per subcommand (docksmith-init(1) …): each can
    /// be printed, or all written into a folder, so no reference dangles.
    fn man(&mut self, subcommand: Option<&str>, dir: Option<&Path>) -> Result<Exit, Error> {
        let pages = man_pages();
        let io_error = |path: PathBuf| move |source| write::WriteError::Io { path, source };
        if let Some(dir) = dir {
            std::fs::create_dir_all(dir).map_err(io_error(dir.to_path_buf()))?;
            for (name, page) in pages {
                let path = dir.join(format!("{name}.1"));
                let mut text = Vec::new();
                page.render(&mut text).map_err(io_error(path.clone()))?;
                write::write_file(&path, &String::from_utf8_lossy(&text), true)?;
                self.say(&format!("wrote {}", path.display()));
            }
            return Ok(Exit::Ok);
        }
        let wanted = subcommand.map_or("docksmith".to_string(), |s| format!("docksmith-{s}"));
        let Some((_, page)) = pages.into_iter().find(|(name, _)| *name == wanted) else {
            let names: Vec<String> = Cli::command()
                .get_subcommands()
                .map(|c| c.get_name().to_string())
                .collect();
            self.say(&format!(
                "error: no subcommand `{}`; pages exist for {}",
                subcommand.unwrap_or_default(),
                names.join(", ")
            ));
            return Ok(Exit::Usage);
        };
        page.render(self.io.out)
            .map_err(io_error("stdout".into()))?;
        Ok(Exit::Ok)
    }

    /// `generate | docker build -f - .` sends the whole folder when it has no
    /// .dockerignore: say which secrets would go with it.
    fn warn_of_secrets_in_context(&mut self, root: &Path) {
        if root.join(DOCKERIGNORE).exists() {
            return;
        }
        let secrets = crate::dockerignore::secrets_at_root(root);
        if secrets.is_empty() {
            return;
        }
        let label = self.paint.warning("warning:");
        self.say(&format!(
            "{label} {} has no {DOCKERIGNORE}: `docker build -f - .` there sends {} into the build, and the image's `COPY . .` keeps them; run `docksmith init` (it writes a {DOCKERIGNORE} that leaves them out) or `docksmith generate --out DIR` and copy its {DOCKERIGNORE}",
            root.display(),
            secrets.join(", ")
        ));
    }
}

/// docksmith(1) and docksmith-<subcommand>(1) for each subcommand, by page name.
fn man_pages() -> Vec<(String, clap_mangen::Man)> {
    let mut cli = Cli::command();
    // Built, the command has its `help` subcommand too, which the main page lists.
    cli.build();
    let mut pages = vec![("docksmith".to_string(), clap_mangen::Man::new(cli.clone()))];
    for sub in cli.get_subcommands() {
        // clap names commands with &'static str; a page name lives as long as the run.
        let name: &'static str = format!("docksmith-{}", sub.get_name()).leak();
        pages.push((
            name.to_string(),
            clap_mangen::Man::new(sub.clone().name(name)),
        ));
    }
    pages
}
