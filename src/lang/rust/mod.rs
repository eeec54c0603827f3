//! Rust: Cargo packages and workspaces, binaries, native crates and the libc they
//! link, toolchain pins, and cached cargo builds.

mod cargo;
pub mod data;
mod detect;
mod linker;
pub mod lock;
pub mod manifest;
pub mod metadata;
pub mod plan;
mod show;
pub mod sources;
pub mod toolchain;

pub use detect::*;
pub use plan::RustBuild;

use crate::detect::project::ProjectFacts;
use crate::detect::{DetectError, Warning};
use crate::lang::Wing;
use crate::plan::{BuildPlan, PlanError};
use crate::scan::ProjectView;
use crate::settings::Settings;

/// The Rust wing.
pub struct Rust;

impl Wing for Rust {
    const NAME: &'static str = "rust";
    const TITLE: &'static str = "Rust";
    const TEMPLATES: &'static [(&'static str, &'static str)] = &[
        (
            "rust/Dockerfile.tera",
            include_str!("../../../templates/rust/Dockerfile.tera"),
        ),
        (
            "dockerignore/rust.tera",
            include_str!("../../../templates/dockerignore/rust.tera"),
        ),
    ];
    const PLAIN_VALUES: &'static [&'static str] = &["rust.toolchain.value"];
    const MARKERS: &'static str = "Cargo.toml";
    const OWN_SWITCHES: &'static [(&'static str, &'static str)] =
        &[("cargo-chef", "asks for cargo-chef")];

    type Facts = RustFacts;
    type Build = RustBuild;

    fn detect(view: &ProjectView) -> Result<Option<RustFacts>, DetectError> {
        detect::detect(view)
    }

    fn manifest(facts: &RustFacts) -> &str {
        &facts.manifest.value
    }

    fn warnings(facts: &RustFacts) -> &[Warning] {
        &facts.warnings
    }

    fn plan(
        facts: &RustFacts,
        project: &ProjectFacts,
        settings: &Settings,
    ) -> Result<BuildPlan, PlanError> {
        plan::plan(facts, project, settings)
    }

    fn show_facts(facts: &RustFacts, out: &mut String) {
        show::facts(out, facts)
    }

    fn show_build(build: &RustBuild, out: &mut String) {
        show::build(build, out)
    }
}
