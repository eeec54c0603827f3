//! The Java detector: Maven (`pom.xml`, `mvnw`) or Gradle (`build.gradle(.kts)`,
//! `gradlew`), single- and multi-module builds, the JDK release, and the modules that
//! produce something to run: Spring Boot, Quarkus, Micronaut, shaded or assembled
//! jars, plain jars with a `Main-Class`, and Gradle's application distributions.

use std::collections::BTreeMap;

use serde::Serialize;

use super::config;
use super::data::{JavaFramework, java};
use super::gradle::{self, BuildScript};
use super::pom::{self, Pom};
use crate::detect::paths::{join, normalize};
use crate::detect::ports::{self, PortHit, PortRules};
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<PortHit>,
    pub other_ports: Vec<PortHit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port_env: Option<Evidence>,
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
        Some(_) => detect_gradle(view, script, settings).map(Some),
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

/// An app's port, its other ports, and where it reads `$PORT`.
pub type Ports = (Option<PortHit>, Vec<PortHit>, Option<Evidence>);

/// The port of an app in `dir`: its framework's configuration, listen calls in its
/// sources, then the framework's default when it serves HTTP.
pub fn app_ports(
    view: &ProjectView,
    dir: &str,
    framework: Option<&JavaFramework>,
    serves_http: bool,
) -> Result<Ports, DetectError> {
    let rules = PortRules::new(&java().port);
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
            port: framework.default_port,
            source: ports::PortSource::FrameworkDefault,
            loopback: false,
            evidence: Evidence::default_because(format!(
                "{} listens on {} by default",
                framework.name, framework.default_port
            )),
        });
    }
    let (port, others) = ports::strongest(hits);
    Ok((port, others, port_env))
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

fn detect_gradle(
    view: &ProjectView,
    script: Option<&str>,
    settings_file: Option<&str>,
) -> Result<JavaFacts, DetectError> {
    let mut warnings = Vec::new();
    let settings = match settings_file {
        Some(file) => gradle::parse_settings(&view.read_manifest(file)?.unwrap_or_default()),
        None => gradle::SettingsScript::default(),
    };
    let mut dirs = vec![String::new()];
    for include in &settings.includes {
        match normalize(&include.value) {
            Some(dir) if !dir.is_empty() => dirs.push(dir),
            _ => warnings.push(Warning {
                message: format!(
                    "included project `{}` is outside the build: ignored",
                    include.value.escape_debug()
                ),
                evidence: Evidence::at(settings_file.unwrap_or_default(), include.line, "include"),
            }),
        }
    }
    let wrapper = view.has_file("gradlew");
    let mut build_inputs: Vec<String> = settings_file.into_iter().map(str::to_string).collect();
    if wrapper {
        build_inputs.extend([
            "gradlew".to_string(),
            "gradle/wrapper/gradle-wrapper.properties".to_string(),
            "gradle/wrapper/gradle-wrapper.jar".to_string(),
        ]);
        build_inputs.retain(|f| view.has_file(f));
    }
    for extra in ["gradle.properties", "gradle/libs.versions.toml"] {
        if view.has_file(extra) {
            build_inputs.push(extra.to_string());
        }
    }
    let mut apps = Vec::new();
    let mut release_candidates = Vec::new();
    for dir in &dirs {
        let Some(file) = ["build.gradle.kts", "build.gradle"]
            .into_iter()
            .map(|f| join(dir, f))
            .find(|f| view.has_file(f))
        else {
            continue;
        };
        let text = view.read_manifest(&file)?.unwrap_or_default();
        build_inputs.push(file.clone());
        let parsed = gradle::parse_build(&text);
        if let Some(release) = &parsed.release {
            release_candidates.push((
                release.value.clone(),
                Evidence::at(&file, release.line, "Java toolchain"),
            ));
        }
        let name = match (dir.as_str(), &settings.root_name) {
            ("", Some(root)) => root.clone(),
            ("", None) => view
                .root()
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "app".into()),
            (dir, _) => dir.rsplit('/').next().unwrap_or(dir).to_string(),
        };
        let version = gradle_version(&text);
        let framework = framework_of(None, Some(&parsed));
        let kind = match framework.map(|f| f.kind.as_str()) {
            Some("spring-boot") => {
                let jar = match &version {
                    Some(v) => format!("{name}-{v}.jar"),
                    None => format!("{name}.jar"),
                };
                Some(AppKind::SpringBoot {
                    jar: join(dir, &format!("build/libs/{jar}")),
                    version: boot_version_gradle(&text),
                })
            }
            Some("quarkus") => Some(AppKind::Quarkus {
                dir: join(dir, "build/quarkus-app"),
            }),
            _ if parsed.has_plugin("application") => {
                parsed
                    .main_class
                    .as_ref()
                    .map(|main| AppKind::Distribution {
                        dir: join(dir, &format!("build/install/{name}")),
                        main_class: main.value.clone(),
                    })
            }
            _ => None,
        };
        let Some(kind) = kind else {
            continue;
        };
        let serves_http =
            framework.is_some_and(|f| parsed.dependencies.iter().any(|d| f.web.contains(d)));
        let (port, other_ports, port_env) = app_ports(view, dir, framework, serves_http)?;
        apps.push(JavaApp {
            name: Fact::new(name, Evidence::file(&file, "project name")),
            dir: dir.clone(),
            kind: Fact::new(kind, Evidence::file(&file, "plugins")),
            framework: framework.map(|f| {
                Fact::new(
                    f.name.clone(),
                    Evidence::file(&file, format!("plugin {}", f.gradle_plugin)),
                )
            }),
            port,
            other_ports,
            port_env,
        });
    }
    build_inputs.sort();
    build_inputs.dedup();
    let manifest = script
        .or(settings_file)
        .unwrap_or("build.gradle")
        .to_string();
    let release = release_fact(release_candidates, &mut warnings);
    let modules = (dirs.len() > 1).then(|| {
        Fact::new(
            dirs[1..].to_vec(),
            Evidence::file(settings_file.unwrap_or_default(), "include"),
        )
    });
    Ok(JavaFacts {
        tool: Fact::new(
            if wrapper {
                BuildTool::GradleWrapper
            } else {
                BuildTool::Gradle
            },
            Evidence::file(if wrapper { "gradlew" } else { &manifest }, "build tool"),
        ),
        manifest: Fact::new(manifest.clone(), Evidence::file(&manifest, "Gradle build")),
        release,
        modules,
        apps,
        build_inputs,
        warnings,
    })
}

/// `version = "1.0"` at the top level of a build script.
fn gradle_version(text: &str) -> Option<String> {
    text.lines()
        .map(str::trim)
        .find_map(|l| l.strip_prefix("version").map(str::trim_start))
        .and_then(|rest| rest.strip_prefix('='))
        .map(|v| v.trim().trim_matches(['"', '\'']).to_string())
        .filter(|v| {
            !v.is_empty()
                && v.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "._-+".contains(c))
        })
}

/// Boot's version from `id("org.springframework.boot") version "3.5.7"`; the line
/// docksmith knows best when unstated.
fn boot_version_gradle(text: &str) -> String {
    text.lines()
        .filter(|l| l.contains("org.springframework.boot"))
        .find_map(|l| l.split("version").nth(1))
        .map(|v| v.trim().trim_matches(['"', '\'', ' ']).to_string())
        .filter(|v| {
            !v.is_empty()
                && v.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-".contains(c))
        })
        .unwrap_or_else(|| "3.5".to_string())
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
