//! Python: pip, poetry, uv, pipenv and pdm projects, the interpreter version, web
//! frameworks and their servers, and a virtualenv copied into the runtime.

pub mod app;
mod assets;
pub mod data;
mod detect;
mod install;
pub mod manager;
pub mod pipfile;
pub mod plan;
mod ports;
pub mod project;
mod runtime;
mod setup;
mod show;
mod start;
pub mod version;
pub mod wheels;

pub use detect::*;
pub use plan::PythonBuild;

use crate::apps::Candidate;
use crate::detect::project::ProjectFacts;
use crate::detect::{DetectError, Warning};
use crate::lang::Wing;
use crate::plan::{BuildPlan, PlanError};
use crate::scan::ProjectView;
use crate::settings::Settings;

/// The Python wing.
pub struct Python;

impl Wing for Python {
    const NAME: &'static str = "python";
    const TITLE: &'static str = "Python";
    const TEMPLATES: &'static [(&'static str, &'static str)] = &[
        (
            "python/Dockerfile.tera",
            include_str!("../../../templates/python/Dockerfile.tera"),
        ),
        (
            "dockerignore/python.tera",
            include_str!("../../../templates/dockerignore/python.tera"),
        ),
    ];
    const PLAIN_VALUES: &'static [&'static str] = &["python.python.value"];
    const MARKERS: &'static str = "pyproject.toml, requirements.txt or Pipfile";
    const OWN_SWITCHES: &'static [(&'static str, &'static str)] =
        &[("add-server", "asks to add a server")];

    type Facts = PythonFacts;
    type Build = PythonBuild;

    fn detect(view: &ProjectView) -> Result<Option<PythonFacts>, DetectError> {
        detect::detect(view)
    }

    fn manifest(facts: &PythonFacts) -> &str {
        &facts.manifest.value
    }

    fn warnings(facts: &PythonFacts) -> &[Warning] {
        &facts.warnings
    }

    fn apps(facts: &PythonFacts) -> Vec<Candidate> {
        crate::apps::members(&facts.apps)
    }

    fn plan(
        facts: &PythonFacts,
        project: &ProjectFacts,
        settings: &Settings,
    ) -> Result<BuildPlan, PlanError> {
        plan::plan(facts, project, settings)
    }

    fn show_facts(facts: &PythonFacts, out: &mut String) {
        show::facts(out, facts)
    }

    fn show_build(build: &PythonBuild, out: &mut String) {
        show::build(build, out)
    }

    fn images_mut(build: &mut PythonBuild) -> Vec<&mut String> {
        let frontends = build.frontends.iter_mut().map(|f| &mut f.image);
        build.uv_image.iter_mut().chain(frontends).collect()
    }
}
