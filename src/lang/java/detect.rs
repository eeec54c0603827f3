//! The Java detector: Maven (`pom.xml`, `mvnw`) or Gradle (`build.gradle(.kts)`,
//! `gradlew`), single- and multi-module builds, the JDK release, and the modules that
//! produce something to run: Spring Boot, Quarkus, Micronaut, shaded or assembled
//! jars, plain jars with a `Main-Class`, and Gradle's application distributions.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Serialize;

use super::config;
use super::data::{JavaFramework, java};
use super::gradle_script::BuildScript;
use super::pom::{self, Pom};
use crate::detect::paths::join;
use crate::detect::ports::{self, Listening, PortHit, PortRules};
use crate::detect::{DetectError, Evidence, Fact, Warning};
use crate::scan::ProjectView;

/// Everything the Java detector found.
#[derive(Clone, Debug, Serialize)]
pub struct JavaFacts {
    pub manifest: Fact<String>,
    pub tool: Fact<BuildTool>,
    /// The Java release the sources target.
    pub release: Fact<u32>,
    /// Module folders, when the build has several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modules: Option<Fact<Vec<String>>>,
    /// The modules that produce something to run.
    pub apps: Vec<JavaApp>,
    /// Build files the dependency step reads before the sources (every module's build
    /// file, settings, the wrapper).
    pub build_inputs: Vec<String>,
    pub warnings: Vec<Warning>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BuildTool {
    Maven,
    MavenWrapper,
    Gradle,
    GradleWrapper,
}

impl BuildTool {
    pub fn is_gradle(self) -> bool {
        matches!(self, BuildTool::Gradle | BuildTool::GradleWrapper)
    }

    pub fn has_wrapper(self) -> bool {
        matches!(self, BuildTool::MavenWrapper | BuildTool::GradleWrapper)
    }
}

impl std::fmt::Display for BuildTool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            BuildTool::Maven => "maven",
            BuildTool::MavenWrapper => "maven (./mvnw)",
            BuildTool::Gradle => "gradle",
            BuildTool::GradleWrapper => "gradle (./gradlew)",
        })
    }
}

/// A module that produces a program.
#[derive(Clone, Debug, Serialize)]
pub struct JavaApp {
    pub name: Fact<String>,
    /// The module folder ("" for the root).
    pub dir: String,
    pub kind: Fact<AppKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub framework: Option<Fact<String>>,
    /// Where it listens.
    #[serde(flatten)]
    pub listening: Listening,
}

/// What the build leaves to run, by project-relative path.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum AppKind {
    /// Spring Boot's executable jar, extracted into layers.
    SpringBoot { jar: String, version: String },
    /// Quarkus's fast-jar folder (`quarkus-run.jar` and its libraries).
    Quarkus { dir: String },
    /// A jar that holds its dependencies (shade, assembly, Micronaut) or needs none.
    Jar { jar: String },
    /// Gradle's application plugin: `installDist`'s folder, run by its main class.
    Distribution { dir: String, main_class: String },
}

/// Facts about the project, or `None` when neither Maven nor Gradle is at the root.
pub fn detect(view: &ProjectView) -> Result<Option<JavaFacts>, DetectError> {
    if view.has_file("pom.xml") {
        return super::maven::detect(view).map(Some);
    }
    let script = ["build.gradle.kts", "build.gradle"]
        .into_iter()
        .find(|f| view.has_file(f));
    let settings = ["settings.gradle.kts", "settings.gradle"]
        .into_iter()
        .find(|f| view.has_file(f));
    match script.or(settings) {
        Some(_) => super::gradle::detect(view, script, settings).map(Some),
        None => Ok(None),
    }
}

/// `17` from "17", "1.8" (→ 8) or "17.0.2"; `None` for what is not a release.
pub fn release_number(text: &str) -> Option<u32> {
    let text = text.trim();
    let text = text.strip_prefix("1.").unwrap_or(text);
    text.split('.')
        .next()?
        .parse()
        .ok()
        .filter(|n| (5..=99).contains(n))
}

/// The framework a module uses, by Maven plugin or parent, or Gradle plugin.
pub fn framework_of(
    pom: Option<&Pom>,
    script: Option<&BuildScript>,
) -> Option<&'static JavaFramework> {
    java().framework.iter().find(|f| {
        pom.is_some_and(|p| {
            p.plugin(&f.maven_plugin).is_some()
                || p.parent
                    .as_ref()
                    .is_some_and(|parent| Some(&parent.artifact_id) == f.maven_parent.as_ref())
        }) || script.is_some_and(|s| s.has_plugin(&f.gradle_plugin))
    })
}

/// Java's port rules, compiled once (as every wing's are).
static PORT_RULES: LazyLock<PortRules> = LazyLock::new(|| PortRules::new(&java().port));

/// The port of an app in `dir`: its framework's configuration, listen calls in its
/// sources, then the framework's default when it serves HTTP.
pub fn app_ports(
    view: &ProjectView,
    dir: &str,
    framework: Option<&JavaFramework>,
    serves_http: bool,
) -> Result<Listening, DetectError> {
    let rules = &*PORT_RULES;
    let mut hits = Vec::new();
    let mut port_env = None;
    if let Some(framework) = framework {
        let found = config::port(view, dir, &framework.port_keys)?;
        hits.extend(found.hits);
        port_env = found.reads_env;
    }
    let sources = join(dir, "src/main/");
    let files: Vec<String> = view
        .files()
        .filter(|f| f.starts_with(&sources) && (f.ends_with(".java") || f.ends_with(".kt")))
        .map(str::to_string)
        .collect();
    for file in files {
        if let Some(text) = view.read_source(&file)? {
            hits.extend(rules.scan(&file, &text, &[]));
            if port_env.is_none() {
                port_env = rules.reads_port_env(&file, &text);
            }
        }
    }
    if let Some(framework) = framework.filter(|_| serves_http && hits.is_empty()) {
        hits.push(PortHit {
            command: None,
            port: framework.default_port,
            source: ports::PortSource::FrameworkDefault,
            loopback: false,
            evidence: Evidence::default_because(format!(
                "{} listens on {} by default",
                framework.name, framework.default_port
            )),
        });
    }
    Ok(Listening::from_hits(hits, port_env))
}

/// The release: the first stated of `candidates` (value, evidence), else the default.
pub fn release_fact(candidates: Vec<(String, Evidence)>, warnings: &mut Vec<Warning>) -> Fact<u32> {
    for (text, evidence) in candidates {
        match release_number(&text) {
            Some(n) => return Fact::new(n, evidence),
            None => warnings.push(Warning {
                message: format!(
                    "`{text}` is not a Java release docksmith can read; using the default"
                ),
                evidence,
            }),
        }
    }
    let default = java().versions.default;
    Fact::new(
        default,
        Evidence::default_because(format!("no Java release stated: the LTS release {default}")),
    )
}

/// Expands a module's properties: its own over the root's, plus its coordinates.
pub fn properties_of(pom: &Pom, inherited: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut properties = inherited.clone();
    for (key, value) in &pom.properties {
        properties.insert(key.clone(), value.value.clone());
    }
    let artifact = pom
        .artifact_id
        .as_ref()
        .map(|a| a.value.clone())
        .unwrap_or_default();
    let version = pom
        .version
        .clone()
        .or_else(|| pom.parent.as_ref().map(|p| p.version.clone()))
        .unwrap_or_default();
    properties.insert("project.artifactId".into(), artifact);
    properties.insert("project.version".into(), pom::expand(&version, &properties));
    if let Some(parent) = &pom.parent {
        properties.insert("project.parent.version".into(), parent.version.clone());
    }
    properties
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_numbers() {
        assert_eq!(release_number("17"), Some(17));
        assert_eq!(release_number("1.8"), Some(8));
        assert_eq!(release_number("21.0.2"), Some(21));
        assert_eq!(release_number("${java.version}"), None);
        assert_eq!(release_number("999"), None);
    }
}
