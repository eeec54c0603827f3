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

use crate::apps::{Candidate, Pick};
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

    fn apps(facts: &RustFacts) -> Vec<Candidate> {
        // What a plain `cargo build` at the root builds: the default members' binaries
        // that need no feature left off (an xtask outside default-members, a GUI
        // behind a feature, are tools, not apps); every binary when none is default.
        let builds = |b: &&detect::RustBinary| b.builds_by_default;
        let defaults: Vec<_> = facts
            .binaries
            .iter()
            .filter(|b| b.default_member)
            .filter(builds)
            .collect();
        let chosen = if defaults.is_empty() {
            facts.binaries.iter().filter(builds).collect()
        } else {
            defaults
        };
        chosen
            .into_iter()
            .map(|b| Candidate {
                name: b.name.value.clone(),
                dir: b.package_dir.clone(),
                pick: Pick::Bin(b.name.value.clone()),
            })
            .collect()
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
