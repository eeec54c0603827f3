//! The command line as the user wrote it. Turning it into [`Settings`] happens once,
//! in [`crate::settings`].
//!
//! [`Settings`]: crate::settings::Settings

use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};

use crate::data::Flavor;
use crate::detect::Language;
use crate::settings::{Options, Syntax};

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
        /// The project's root folder.
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Print JSON (a versioned schema) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Show the build plan: images chosen, options rejected, and why.
    Plan {
        #[arg(default_value = ".")]
        path: PathBuf,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        options: GenerateArgs,
    },
    /// Render the Dockerfile and .dockerignore without touching the project.
    Generate {
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
    /// Write Dockerfile, .dockerignore and docksmith.toml (the answers) into the
    /// project; asks questions when run in a terminal.
    Init {
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
    /// Exit 0 when the files match what docksmith would write from the recorded
    /// answers, else print a unified diff and exit 4 (same as `init --check`).
    Check {
        #[arg(default_value = ".")]
        path: PathBuf,
        #[command(flatten)]
        options: GenerateArgs,
    },
    /// Regenerate after docksmith or the project changed: files nobody edited are
    /// replaced; edited files are merged three ways (base: what docksmith wrote last
    /// time), with conflicts marked in the file.
    Update {
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Print a unified diff of what would change; write nothing.
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        options: GenerateArgs,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_parser = clap::value_parser!(clap_complete::Shell))]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to stdout, e.g. `docksmith man > docksmith.1`.
    Man,
}

/// Whether `init` may ask questions.
#[derive(Debug, Default, Args)]
pub struct InputArgs {
    /// Never ask: take the detected defaults and the flags (implied without a
    /// terminal, or when CI is set)
    #[arg(long, short = 'y', visible_alias = "no-input")]
    pub yes: bool,
}

/// Options shared by plan, generate and init. Each can also come from an environment
/// variable or docksmith.toml; a flag wins.
#[derive(Debug, Default, Args)]
pub struct GenerateArgs {
    /// Runtime flavor [default: the smallest that runs the app] [env: DOCKSMITH_FLAVOR]
    #[arg(long, value_name = "FLAVOR",
          value_parser = PossibleValuesParser::new(["scratch", "distroless", "slim", "alpine"])
              .try_map(|s| s.parse::<Flavor>()))]
    pub flavor: Option<Flavor>,
    /// The binary to package when there are several (name or package path) [env: DOCKSMITH_BIN]
    #[arg(long, value_name = "NAME")]
    pub bin: Option<String>,
    /// The workspace package (app) to package in a monorepo (name or folder) [env: DOCKSMITH_PACKAGE]
    #[arg(long, value_name = "NAME")]
    pub package: Option<String>,
    /// The port the app listens on [default: detected] [env: DOCKSMITH_PORT]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub port: Option<u16>,
    /// Builder image, replacing the one docksmith picks [env: DOCKSMITH_IMAGE_BUILDER]
    #[arg(long, value_name = "REF")]
    pub image_builder: Option<String>,
    /// Runtime image, replacing the one docksmith picks [env: DOCKSMITH_IMAGE_RUNTIME]
    #[arg(long, value_name = "REF")]
    pub image_runtime: Option<String>,
    /// `1` emits `# syntax=docker/dockerfile:1`; `none` omits it for builders without
    /// registry access (the output then needs only Docker 20.10's built-in frontend)
    /// [default: 1] [env: DOCKSMITH_SYNTAX]
    #[arg(long, value_name = "none|1",
          value_parser = PossibleValuesParser::new(["none", "1"]).try_map(|s| s.parse::<Syntax>()))]
    pub syntax: Option<Syntax>,
    /// Rust: cache dependencies in an image layer with cargo-chef (for CI runners that
    /// start empty and import image caches) instead of BuildKit cache mounts
    /// [env: DOCKSMITH_CARGO_CHEF]
    #[arg(long)]
    pub cargo_chef: bool,
    /// Python: when the app needs a server (gunicorn, uvicorn) it does not depend on,
    /// install a pinned one into the image instead of failing
    /// [env: DOCKSMITH_ADD_SERVER]
    #[arg(long)]
    pub add_server: bool,
    /// The language to build when the project holds several [env: DOCKSMITH_LANGUAGE]
    #[arg(long, value_name = "LANG",
          value_parser = PossibleValuesParser::new(Language::ALL.iter().map(|l| l.name()))
              .try_map(|s| s.parse::<Language>()))]
    pub language: Option<Language>,
    /// The start command, replacing the detected one: shell words, written in exec form
    /// [env: DOCKSMITH_COMMAND]
    #[arg(long, value_name = "CMD", allow_hyphen_values = true)]
    pub command: Option<String>,
    /// The numeric uid (and gid) the program runs as, 1 to 65534 [default: 65532, or
    /// the image's own non-root user] [env: DOCKSMITH_USER]
    #[arg(long, value_name = "UID")]
    pub user: Option<u32>,
    /// Keep (the default) or drop the HEALTHCHECK docksmith writes when it can probe
    /// the app [env: DOCKSMITH_HEALTHCHECK]
    #[arg(long, value_name = "BOOL", value_parser = clap::builder::BoolishValueParser::new())]
    pub healthcheck: Option<bool>,
    /// An extra package to install into the runtime image (slim and alpine flavors);
    /// repeatable [env: DOCKSMITH_RUNTIME_PACKAGES, space-separated]
    #[arg(long = "runtime-package", value_name = "NAME")]
    pub runtime_packages: Vec<String>,
    /// Print the resolved settings and where each came from, then exit.
    #[arg(long, hide = true)]
    pub show_settings: bool,
}

impl GenerateArgs {
    /// The flags as a settings layer.
    pub fn into_options(self) -> Options {
        let runtime_packages = (!self.runtime_packages.is_empty()).then_some(self.runtime_packages);
        Options {
            flavor: self.flavor,
            bin: self.bin,
            package: self.package,
            port: self.port,
            image_builder: self.image_builder,
            image_runtime: self.image_runtime,
            syntax: self.syntax,
            cargo_chef: self.cargo_chef.then_some(true),
            add_server: self.add_server.then_some(true),
            language: self.language,
            command: self.command,
            user: self.user,
            healthcheck: self.healthcheck,
            runtime_packages,
        }
    }
}
