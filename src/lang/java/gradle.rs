//! Gradle builds: the settings' included projects, each project's build script, the
//! wrapper, the release the toolchain targets, and which projects build something to
//! run (Spring Boot's bootJar, Quarkus, the application plugin's distribution).

use super::data::JavaFramework;
use super::detect::{
    AppKind, BuildTool, JavaApp, JavaFacts, app_ports, framework_of, release_fact,
};
use super::gradle_script::{self, BuildScript};
use crate::detect::paths::{join, normalize};
use crate::detect::{DetectError, Evidence, Fact, Warning};
use crate::scan::ProjectView;

pub fn detect(
    view: &ProjectView,
    script: Option<&str>,
    settings_file: Option<&str>,
) -> Result<JavaFacts, DetectError> {
    let mut warnings = Vec::new();
    let settings = match settings_file {
        Some(file) => gradle_script::parse_settings(&view.read_manifest(file)?.unwrap_or_default()),
        None => gradle_script::SettingsScript::default(),
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
    let mut build_inputs = build_inputs(view, settings_file);
    let mut apps = Vec::new();
    let mut release_candidates = Vec::new();
    for dir in &dirs {
        let Some(project) = project(view, dir, &settings)? else {
            continue;
        };
        build_inputs.push(project.file);
        release_candidates.extend(project.release);
        apps.extend(project.app);
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

/// One project of the build: its script, the release it states and, when its plugins
/// build something to run, the app.
struct Project {
    app: Option<JavaApp>,
    release: Option<(String, Evidence)>,
    file: String,
}

fn project(
    view: &ProjectView,
    dir: &str,
    settings: &gradle_script::SettingsScript,
) -> Result<Option<Project>, DetectError> {
    let Some(file) = ["build.gradle.kts", "build.gradle"]
        .into_iter()
        .map(|f| join(dir, f))
        .find(|f| view.has_file(f))
    else {
        return Ok(None);
    };
    let text = view.read_manifest(&file)?.unwrap_or_default();
    let parsed = gradle_script::parse_build(&text);
    let release = parsed.release.as_ref().map(|r| {
        (
            r.value.clone(),
            Evidence::at(&file, r.line, "Java toolchain"),
        )
    });
    let name = match (dir, &settings.root_name) {
        ("", Some(root)) => root.clone(),
        ("", None) => view
            .root()
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "app".into()),
        (dir, _) => dir.rsplit('/').next().unwrap_or(dir).to_string(),
    };
    let framework = framework_of(None, Some(&parsed));
    let Some(kind) = kind(dir, &name, &text, &parsed, framework) else {
        return Ok(Some(Project {
            app: None,
            release,
            file,
        }));
    };
    let serves_http =
        framework.is_some_and(|f| parsed.dependencies.iter().any(|d| f.web.contains(d)));
    let listening = app_ports(view, dir, framework, serves_http)?;
    let app = JavaApp {
        name: Fact::new(name, Evidence::file(&file, "project name")),
        dir: dir.to_string(),
        kind: Fact::new(kind, Evidence::file(&file, "plugins")),
        framework: framework.map(|f| {
            Fact::new(
                f.name.clone(),
                Evidence::file(&file, format!("plugin {}", f.gradle_plugin)),
            )
        }),
        listening,
    };
    Ok(Some(Project {
        app: Some(app),
        release,
        file,
    }))
}

/// What a project's plugins build to run.
fn kind(
    dir: &str,
    name: &str,
    text: &str,
    parsed: &BuildScript,
    framework: Option<&JavaFramework>,
) -> Option<AppKind> {
    match framework.map(|f| f.kind.as_str()) {
        Some("spring-boot") => {
            let jar = match gradle_version(text) {
                Some(v) => format!("{name}-{v}.jar"),
                None => format!("{name}.jar"),
            };
            Some(AppKind::SpringBoot {
                jar: join(dir, &format!("build/libs/{jar}")),
                version: boot_version_gradle(text),
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
    }
}

/// Settings, the wrapper and shared properties: what every project's build reads.
fn build_inputs(view: &ProjectView, settings_file: Option<&str>) -> Vec<String> {
    let mut inputs: Vec<String> = settings_file.into_iter().map(str::to_string).collect();
    inputs.extend(
        [
            "gradlew",
            "gradle/wrapper/gradle-wrapper.properties",
            "gradle/wrapper/gradle-wrapper.jar",
            "gradle.properties",
            "gradle/libs.versions.toml",
        ]
        .into_iter()
        .filter(|f| view.has_file(f))
        .map(str::to_string),
    );
    inputs
}
