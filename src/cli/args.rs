//! The command line as the user wrote it. Turning it into [`Settings`] happens once,
//! in [`crate::settings`].
//!
//! [`Settings`]: crate::settings::Settings

use std::path::PathBuf;

use clap::builder::PossibleValuesParser;
use clap::{Arg, ArgAction, ArgMatches, Args, FromArgMatches, Parser, Subcommand};

use crate::settings::{self, Options};

/// Looks at a project and writes its container build: a multi-stage Dockerfile, a
/// .dockerignore and the BuildKit cache setup.
#[derive(Debug, Parser)]
#[command(name = "docksmith", version, about, max_term_width = 100)]
pub struct Cli {
    /// When to color messages on stderr: auto (a terminal, and NO_COLOR unset),
    /// always or never
    #[arg(long, global = true, value_name = "WHEN", default_value = "auto",
          value_parser = PossibleValuesParser::new(["auto", "always", "never"]))]
    pub color: String,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show what docksmith detects in a project, and the evidence for each fact.
    Detect {
        /// The project's root folder (or a folder below it: the nearest root above is used).
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Print JSON (a versioned schema) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Show the build plan: images chosen, options rejected, and why.
    Plan {
        /// The project's root folder (or a folder below it: the nearest root above is used).
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Print JSON (a versioned schema) instead of text.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        options: GenerateArgs,
    },
    /// Render the Dockerfile and .dockerignore without touching the project.
    Generate {
        /// The project's root folder (or a folder below it: the nearest root above is used).
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Print the Dockerfile to stdout (the default), e.g. for `docker build -f - .`.
        #[arg(long, conflicts_with = "out")]
        stdout: bool,
        /// Write Dockerfile and .dockerignore into DIR (replacing files there).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        #[command(flatten)]
        options: GenerateArgs,
    },
    /// Audit an existing Dockerfile and .dockerignore: each finding with its line, why
    /// it matters and the fix; then what docksmith would generate instead.
    Doctor(DoctorArgs),
    /// Write Dockerfile, .dockerignore and docksmith.toml (the answers) into the
    /// project; asks questions when run in a terminal.
    Init {
        /// The project's root folder (or a folder below it: the nearest root above is used).
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Replace files edited since docksmith wrote them (conflicts), without asking.
        #[arg(long, conflicts_with_all = ["dry_run", "check", "skip"])]
        force: bool,
        /// Keep files edited since docksmith wrote them (conflicts), without asking.
        #[arg(long, conflicts_with_all = ["dry_run", "check"])]
        skip: bool,
        /// Print a unified diff of what would change; write nothing.
        #[arg(long, conflicts_with = "check")]
        dry_run: bool,
        /// Exit 4 and print the diff when the files differ from what docksmith would
        /// write from the recorded answers (a CI drift check); write nothing.
        #[arg(long)]
        check: bool,
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        options: GenerateArgs,
    },
    /// Exit 0 when `docksmith update` would change nothing (your kept edits merged
    /// in), else print the diff it would apply and exit 4 (same as `init --check`).
    /// With a standards pack (--standards or docksmith.toml), also audit the
    /// Dockerfile as it stands against the pack (any repository, docksmith's or not).
    Check {
        /// The project's root folder (or a folder below it: the nearest root above is used).
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Fail on any difference from docksmith's own text, hand edits included (for
        /// teams that forbid hand edits).
        #[arg(long)]
        strict: bool,
        /// Print the standards pack compliance report as JSON (needs a pack; the
        /// drift check is left out).
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        options: GenerateArgs,
    },
    /// Regenerate after docksmith or the project changed: files nobody edited are
    /// replaced; edited files are merged three ways (base: what docksmith wrote last
    /// time), with conflicts marked in the file.
    Update {
        /// The project's root folder (or a folder below it: the nearest root above is used).
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Print a unified diff of what would change; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Take over a project docksmith has not set up: keep the Dockerfile you
        /// wrote, write docksmith's beside it (Dockerfile.docksmith) with the diff, and
        /// record it, so later updates merge docksmith's changes into yours.
        #[arg(long)]
        adopt: bool,
        #[command(flatten)]
        options: GenerateArgs,
    },
    /// List docksmith's templates, or export them as the starting point of a
    /// standards pack's `templates/` folder (a pack replaces any of them by name).
    Templates {
        #[command(subcommand)]
        action: TemplatesAction,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_parser = clap::value_parser!(clap_complete::Shell))]
        shell: clap_complete::Shell,
    },
    /// Print a man page (roff) to stdout, e.g. `docksmith man > docksmith.1`, or write
    /// every page (docksmith.1 and one per subcommand, which it refers to) into DIR.
    Man {
        /// The subcommand whose page to print (docksmith-init(1) for `init`).
        #[arg(conflicts_with = "dir")]
        subcommand: Option<String>,
        /// Write docksmith.1 and docksmith-<subcommand>.1 for every subcommand here.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// What `docksmith templates` does.
#[derive(Debug, Subcommand)]
pub enum TemplatesAction {
    /// Print every template's name, one per line; with --standards, mark the ones
    /// the pack replaces.
    List {
        /// A standards pack folder (holding standards.toml).
        #[arg(long, value_name = "DIR")]
        standards: Option<PathBuf>,
    },
    /// Write every template into DIR under its name (DIR/go/Dockerfile.tera…): copy
    /// the ones to change into the pack's templates/ folder.
    Export {
        /// The folder to write into (created when missing).
        dir: PathBuf,
        /// Replace files there that differ.
        #[arg(long)]
        force: bool,
    },
}

/// What `doctor` was asked.
#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// The project folder, or the Dockerfile itself.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// The Dockerfile to audit, relative to PATH [default: Dockerfile]
    #[arg(long, short = 'f', value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Output: human (grouped by severity), json (a versioned schema) or sarif
    /// (2.1.0, for code-scanning UIs)
    #[arg(long, value_name = "FORMAT", default_value = "human",
          value_parser = PossibleValuesParser::new(["human", "json", "sarif"]))]
    pub format: String,
    /// Exit 4 when a finding is at least this severe
    #[arg(long, value_name = "SEVERITY", default_value = "error",
          value_parser = PossibleValuesParser::new(["error", "warning", "info", "never"]))]
    pub fail_on: String,
    /// Rewrite what is safe to rewrite (pins, ADD to COPY, cache mounts, package
    /// lists, exec-form commands, .dockerignore entries); shows the diff first and
    /// asks (without a terminal: pass --yes)
    #[arg(long)]
    pub fix: bool,
    /// With --fix: write without asking
    #[arg(long, short = 'y', requires = "fix")]
    pub yes: bool,
}

/// Whether `init` may ask questions.
#[derive(Debug, Default, Args)]
pub struct InputArgs {
    /// Never ask: take the detected defaults and the flags (implied without a
    /// terminal, or when CI is set)
    #[arg(long, short = 'y', visible_alias = "no-input")]
    pub yes: bool,
}

/// Options shared by plan, generate and init: one flag per setting, declared in
/// [`crate::settings::SPECS`]. Each can also come from an environment variable or
/// docksmith.toml; a flag wins.
#[derive(Debug, Default)]
pub struct GenerateArgs {
    /// The flags as a settings layer.
    pub options: Options,
    /// Print the resolved settings and where each came from, then exit.
    pub show_settings: bool,
}

const SHOW_SETTINGS: &str = "show-settings";
const ALL: &str = "all";

impl GenerateArgs {
    /// The flags as a settings layer.
    pub fn into_options(self) -> Options {
        self.options
    }
}

impl FromArgMatches for GenerateArgs {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let mut options = Options::from_matches(matches);
        if matches.get_flag(ALL) {
            options.apps = Some(vec![crate::apps::ALL.to_string()]);
        }
        Ok(GenerateArgs {
            options,
            show_settings: matches.get_flag(SHOW_SETTINGS),
        })
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = GenerateArgs::from_arg_matches(matches)?;
        Ok(())
    }
}

impl Args for GenerateArgs {
    fn augment_args(command: clap::Command) -> clap::Command {
        command
            .args(settings::args())
            .arg(
                Arg::new(SHOW_SETTINGS)
                    .long(SHOW_SETTINGS)
                    .action(ArgAction::SetTrue)
                    .help("Print every setting's value and where it came from (or what docksmith decided), then exit"),
            )
            .arg(
                Arg::new(ALL)
                    .long(ALL)
                    .action(ArgAction::SetTrue)
                    .conflicts_with_all(["apps", "bin", "package"])
                    .help("Monorepo: build every app found, each into its own Dockerfile.<app>, with a docker-bake.hcl that builds them all (the same as --app '*')"),
            )
    }

    fn augment_args_for_update(command: clap::Command) -> clap::Command {
        GenerateArgs::augment_args(command)
    }
}
