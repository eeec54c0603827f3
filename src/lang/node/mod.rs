//! Node.js: package managers and their versions, workspaces, frameworks, native
//! modules, and a production-only runtime.

pub mod app;
pub mod bun;
mod caddyfile;
pub mod data;
mod detect;
mod framework;
mod image;
pub(crate) mod install;
pub mod manifest;
mod nx;
pub mod package_manager;
pub mod plan;
pub(crate) mod quirks;
mod show;
pub mod start;
mod static_runtime;
mod static_site;
pub mod version;

pub use detect::*;
pub use plan::NodeBuild;

use crate::apps::Candidate;
use crate::detect::project::ProjectFacts;
use crate::detect::{DetectError, Warning};
use crate::lang::Wing;
use crate::plan::{BuildPlan, PlanError};
use crate::scan::ProjectView;
use crate::settings::Settings;

/// The Node.js wing.
pub struct Node;

impl Wing for Node {
    const NAME: &'static str = "node";
    const TITLE: &'static str = "Node.js";
    const TEMPLATES: &'static [(&'static str, &'static str)] = &[
        (
            "node/Dockerfile.tera",
            include_str!("../../../templates/node/Dockerfile.tera"),
        ),
        (
            "node/setup.tera",
            include_str!("../../../templates/node/setup.tera"),
        ),
        (
            "dockerignore/node.tera",
            include_str!("../../../templates/dockerignore/node.tera"),
        ),
    ];
    const MARKERS: &'static str = "package.json (or pnpm's package.yaml)";

    type Facts = NodeFacts;
    type Build = NodeBuild;

    fn detect(view: &ProjectView) -> Result<Option<NodeFacts>, DetectError> {
        detect::detect(view)
    }

    fn manifest(facts: &NodeFacts) -> &str {
        &facts.manifest.value
    }

    fn warnings(facts: &NodeFacts) -> &[Warning] {
        &facts.warnings
    }

    fn apps(facts: &NodeFacts) -> Vec<Candidate> {
        crate::apps::members(&facts.apps)
    }

    fn plan(
        facts: &NodeFacts,
        project: &ProjectFacts,
        settings: &Settings,
    ) -> Result<BuildPlan, PlanError> {
        plan::plan(facts, project, settings)
    }

    fn show_facts(facts: &NodeFacts, out: &mut String) {
        show::facts(out, facts)
    }

    fn show_build(build: &NodeBuild, out: &mut String) {
        show::build(build, out)
    }

    fn images_mut(build: &mut NodeBuild) -> Vec<&mut String> {
        vec![&mut build.deps_image]
    }

    /// A static site runs on a web server image that docksmith does not extend.
    fn takes_runtime_packages(build: &NodeBuild) -> bool {
        build.static_config.is_none()
    }

    fn serves_files_only(build: &NodeBuild) -> bool {
        build.static_config.is_some()
    }
}
