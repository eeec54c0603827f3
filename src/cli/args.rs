//! The command line as the user wrote it. Turning it into [`Settings`] happens once,
//! in [`crate::settings`].
//!
//! [`Settings`]: crate::settings::Settings

use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};

use crate::data::Flavor;
use crate::settings::{Options, Syntax};

/// Looks at a project and writes its container build: a multi-stage Dockerfile, a
/// .dockerignore and the BuildKit cache setup.
#[derive(Debug, Parser)]
#[command(name = "docksmith", version, about, max_term_width = 100)]
pub struct Cli {
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
    /// Write Dockerfile and .dockerignore into the project.
    Init {
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Replace existing files.
        #[arg(long, conflicts_with_all = ["dry_run", "check"])]
        force: bool,
        /// Print a unified diff of what would change; write nothing.
        #[arg(long, conflicts_with = "check")]
        dry_run: bool,
        /// Exit 1 and print the diff when the files differ from what docksmith would
        /// write (a CI drift check); write nothing.
        #[arg(long)]
        check: bool,
        #[command(flatten)]
        options: GenerateArgs,
    },
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
}

impl GenerateArgs {
    /// The flags as a settings layer.
    pub fn into_options(self) -> Options {
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
        }
    }
}
