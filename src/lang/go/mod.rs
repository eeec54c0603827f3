//! Go: modules and workspaces, main packages, cgo and its C libraries, and a static
//! or libc-matched binary on the smallest runtime that runs it.

mod binary;
pub mod data;
mod detect;
pub mod frontend;
pub mod modfile;
pub mod packages;
pub mod plan;
mod show;
pub mod source;

pub use binary::*;
pub use detect::*;
pub use plan::GoBuild;

use crate::apps::{Candidate, Pick};
use crate::detect::project::ProjectFacts;
use crate::detect::{DetectError, Warning};
use crate::lang::Wing;
use crate::plan::{BuildPlan, PlanError};
use crate::scan::ProjectView;
use crate::settings::Settings;

/// The Go wing.
pub struct Go;

impl Wing for Go {
    const NAME: &'static str = "go";
    const TITLE: &'static str = "Go";
    const TEMPLATES: &'static [(&'static str, &'static str)] = &[
        (
            "go/Dockerfile.tera",
            include_str!("../../../templates/go/Dockerfile.tera"),
        ),
        (
            "dockerignore/go.tera",
            include_str!("../../../templates/dockerignore/go.tera"),
        ),
    ];
    const PLAIN_VALUES: &'static [&'static str] = &["go.version"];
    const MARKERS: &'static str = "go.mod or go.work";

    type Facts = GoFacts;
    type Build = GoBuild;

    fn detect(view: &ProjectView) -> Result<Option<GoFacts>, DetectError> {
        detect::detect(view)
    }

    fn manifest(facts: &GoFacts) -> &str {
        facts.module.evidence.file.as_deref().unwrap_or("go.mod")
    }

    fn warnings(facts: &GoFacts) -> &[Warning] {
        &facts.warnings
    }

    fn apps(facts: &GoFacts) -> Vec<Candidate> {
        // A name two packages share (cmd/api and tools/api) is picked by folder.
        let shared = |name: &str| {
            facts
                .binaries
                .iter()
                .filter(|b| b.name.value == name)
                .count()
                > 1
        };
        facts
            .binaries
            .iter()
            .map(|b| Candidate {
                name: b.name.value.clone(),
                dir: b.dir.clone(),
                pick: if shared(&b.name.value) {
                    Pick::Bin(b.package_arg())
                } else {
                    Pick::Bin(b.name.value.clone())
                },
            })
            .collect()
    }

    fn plan(
        facts: &GoFacts,
        project: &ProjectFacts,
        settings: &Settings,
    ) -> Result<BuildPlan, PlanError> {
        plan::plan(facts, project, settings)
    }

    fn show_facts(facts: &GoFacts, out: &mut String) {
        show::facts(out, facts)
    }

    fn show_build(build: &GoBuild, out: &mut String) {
        show::build(build, out)
    }

    fn images_mut(build: &mut GoBuild) -> Vec<&mut String> {
        build.frontends.iter_mut().map(|f| &mut f.image).collect()
    }
}
