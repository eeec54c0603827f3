//! Java: Maven and Gradle builds (with or without their wrappers), multi-module
//! projects, the JDK release, Spring Boot, Quarkus, Micronaut and executable jars,
//! and a runtime that is a jlinked JRE, distroless Java, Temurin's JRE or its Alpine
//! build.

mod config;
pub mod data;
mod detect;
mod gradle;
pub mod gradle_script;
mod maven;
mod output;
pub mod plan;
pub mod pom;
mod probe;
mod show;

pub use detect::*;
pub use plan::JavaBuild;

use crate::apps::Candidate;
use crate::detect::project::ProjectFacts;
use crate::detect::{DetectError, Warning};
use crate::lang::Wing;
use crate::plan::{BuildPlan, PlanError};
use crate::scan::ProjectView;
use crate::settings::Settings;

/// The Java wing.
pub struct Java;

impl Wing for Java {
    const NAME: &'static str = "java";
    const TITLE: &'static str = "Java";
    const TEMPLATES: &'static [(&'static str, &'static str)] = &[
        (
            "java/Dockerfile.tera",
            include_str!("../../../templates/java/Dockerfile.tera"),
        ),
        (
            "dockerignore/java.tera",
            include_str!("../../../templates/dockerignore/java.tera"),
        ),
    ];
    const PLAIN_VALUES: &'static [&'static str] = &["java.java.value"];
    const MARKERS: &'static str = "pom.xml or build.gradle(.kts)";

    type Facts = JavaFacts;
    type Build = JavaBuild;

    fn detect(view: &ProjectView) -> Result<Option<JavaFacts>, DetectError> {
        detect::detect(view)
    }

    fn manifest(facts: &JavaFacts) -> &str {
        &facts.manifest.value
    }

    fn warnings(facts: &JavaFacts) -> &[Warning] {
        &facts.warnings
    }

    fn apps(facts: &JavaFacts) -> Vec<Candidate> {
        crate::apps::members(&facts.apps)
    }

    fn plan(
        facts: &JavaFacts,
        project: &ProjectFacts,
        settings: &Settings,
    ) -> Result<BuildPlan, PlanError> {
        plan::plan(facts, project, settings)
    }

    fn show_facts(facts: &JavaFacts, out: &mut String) {
        show::facts(out, facts)
    }

    fn show_build(build: &JavaBuild, out: &mut String) {
        show::build(build, out)
    }
}
