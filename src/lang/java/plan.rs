//! Plans a Java build: the JDK, the build tool's commands (dependencies resolved in a
//! step of their own), what the build leaves to run, and the runtime: a JRE with only
//! the modules the app needs (jlink), the official distroless Java image, Temurin's
//! JRE, or Temurin's Alpine JRE.

use serde::Serialize;

use super::data::java;
use super::detect::{AppKind, BuildTool, JavaApp, JavaFacts};
use crate::data::Flavor;
use crate::detect::Warning;
use crate::detect::paths::join;
use crate::detect::project::ProjectFacts;
use crate::plan::program::{self, BUILD_STAGE, Program};
use crate::plan::runtime::{self, Needs, RuntimeChoice};
use crate::plan::{
    Artifact, BuildPlan, Choice, CopyGroup, Member, PlanError, RuntimeStage, check_path,
    check_text, choose_member, copy_groups, image_choice,
};
use crate::settings::Settings;

use super::output::{collect, jlink, runtime_files};
use super::probe::{self, Probe};

/// The build stage's folder, and where it leaves what the runtime copies.
const WORKDIR: &str = "/src";
pub(super) const OUT: &str = "/out";
/// Where the app lives in the runtime image.
pub(super) const APP_ROOT: &str = "/app";

/// The Java build stage.
#[derive(Clone, Debug, Serialize)]
pub struct JavaBuild {
    /// The JDK release of the builder (and of the runtime's JVM).
    pub java: Choice<u32>,
    pub tool: Choice<String>,
    pub app: Choice<String>,
    pub workdir: String,
    /// Cache mount of the build tool's downloads, in both steps.
    pub cache: String,
    /// Build files copied before the dependencies resolve, by target folder.
    pub build_files: Vec<CopyGroup>,
    /// Resolves dependencies and plugins (argv).
    pub resolve: Vec<String>,
    /// Builds the app (argv).
    pub package: Vec<String>,
    /// Moves what the build left into `/out` (argv each).
    pub collect: Vec<Vec<String>>,
    /// A runtime with only the modules the app needs, when the runtime image has no JVM.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jlink: Option<Jlink>,
    /// The HEALTHCHECK probe, when the app listens on a port.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probe: Option<Probe>,
}

/// jdeps finds the modules, jlink links them.
#[derive(Clone, Debug, Serialize)]
pub struct Jlink {
    /// Prints the app's modules, comma-separated (argv).
    pub jdeps: Vec<String>,
    /// Links the runtime (argv; the modules follow).
    pub link: Vec<String>,
    /// Modules added to what jdeps finds.
    pub extra_modules: String,
    pub output: String,
}

impl Member for JavaApp {
    fn member_name(&self) -> &str {
        &self.name.value
    }
    fn member_dir(&self) -> &str {
        &self.dir
    }
}

pub fn plan(
    facts: &JavaFacts,
    project: &ProjectFacts,
    settings: &Settings,
) -> Result<BuildPlan, PlanError> {
    let app = choose_member(&facts.apps, settings, || {
        PlanError::NoBinary {
        file: facts.manifest.value.clone(),
        what: "no module builds a runnable jar".into(),
        hint: "build one: spring-boot-maven-plugin, quarkus-maven-plugin, maven-shade-plugin or maven-assembly-plugin (jar-with-dependencies) with a main class, or Gradle's org.springframework.boot or application plugin".into(),
    }
    })?;
    let name = &app.name.value;
    check_text(&app.name.evidence.location(), "app name", name)?;
    check_build_files(facts)?;
    check_paths(app)?;
    let data = java();
    let release = jdk(facts);
    let choice = choose_runtime(facts, app, &release, settings)?;
    let libc = data.flavors.libc(choice.flavor);
    let jlink = (choice.needs.language.is_none()).then(|| jlink(app, facts));

    let program = Program {
        name,
        listening: &app.listening,
    };
    let (mut runtime, mut warnings) =
        program::runtime_stage(&program, &choice, libc, project, settings)?;
    warnings.splice(0..0, facts.warnings.iter().cloned());
    runtime.image.value = runtime
        .image
        .value
        .replace("{java}", &release.value.to_string());
    place_app(&mut runtime, &app.kind.value, jlink.as_ref());
    let probe = add_probe(&mut runtime, release.value, jlink.as_ref(), settings);

    let tool = facts.tool.value;
    let builder = builder(tool, &release, settings);
    let (resolve, package) = commands(tool, app, facts);
    let mut rejected = choice.rejected.clone();
    if jlink.is_none() && choice.flavor == Flavor::Distroless {
        rejected.push(crate::plan::Rejection {
            option: "a jlinked runtime".into(),
            reason: why_not_jlinked(facts, app),
        });
    }
    if tool.is_gradle() {
        warnings.push(Warning {
            message: "Gradle builds resolve dependencies with `gradle dependencies`, which does not fetch every plugin: the first build downloads the rest".into(),
            evidence: facts.manifest.evidence.clone(),
        });
    }
    let cache = if tool.is_gradle() {
        &data.gradle.cache
    } else {
        &data.maven.cache
    };
    Ok(BuildPlan::new(
        settings,
        choice.flavor_choice(),
        builder,
        runtime,
        JavaBuild {
            java: release,
            tool: Choice::new(tool.to_string(), &facts.tool.evidence),
            app: Choice::new(name.clone(), &app.kind.evidence),
            workdir: WORKDIR.into(),
            cache: cache.clone(),
            build_files: copy_groups(&facts.build_inputs),
            resolve,
            package,
            collect: collect(&app.kind.value),
            jlink,
            probe,
        }
        .into(),
    )
    .with_context(facts.build_inputs.clone(), Vec::new())
    .with_findings(rejected, warnings))
}

/// Whether the app can run on a runtime that jlink links from what jdeps finds.
fn jlinkable(facts: &JavaFacts, app: &JavaApp) -> bool {
    facts.release.value >= java().jlink.since && !matches!(app.kind.value, AppKind::Quarkus { .. })
}

fn why_not_jlinked(facts: &JavaFacts, app: &JavaApp) -> String {
    if matches!(app.kind.value, AppKind::Quarkus { .. }) {
        "Quarkus reaches modules by reflection that jdeps cannot see".into()
    } else {
        format!(
            "Java {} predates the module system jlink needs (Java {})",
            facts.release.value,
            java().jlink.since
        )
    }
}

/// The flavor and image: a jlinked runtime on a C-library-only image when the app
/// allows it (distroless), else an image with a JVM.
fn choose_runtime(
    facts: &JavaFacts,
    app: &JavaApp,
    release: &Choice<u32>,
    settings: &Settings,
) -> Result<RuntimeChoice, PlanError> {
    let data = java();
    let name = &app.name.value;
    let jlinkable = jlinkable(facts, app);
    let needs_for = |flavor: Flavor| {
        if let Some(why) = data.flavors.unsupported.get(&flavor) {
            return Err(why.clone());
        }
        let libc = data.flavors.libc(flavor);
        if flavor == Flavor::Distroless && jlinkable {
            return Ok(Needs {
                libc: Some(libc),
                libraries: vec!["libstdc++".into(), "zlib".into()],
                why: "the jlinked JVM links glibc, libstdc++ and zlib".into(),
                ..Needs::default()
            });
        }
        if flavor == Flavor::Distroless && !data.versions.distroless.contains(&release.value) {
            return Err(format!(
                "gcr.io/distroless/java{0}-debian12 does not exist for Java {0}, and {1} cannot be jlinked",
                release.value, name
            ));
        }
        Ok(Needs {
            libc: Some(libc),
            why: "the JVM links the C library".into(),
            language: Some("java"),
            ..Needs::default()
        })
    };
    runtime::choose_for(settings, &data.flavors, &needs_for)
}

/// The runtime's `java`: the jlinked one, else the image's own on its PATH.
fn java_binary(jlink: Option<&Jlink>) -> String {
    match jlink {
        Some(jlink) => format!("{}/bin/java", jlink.output),
        None => "java".to_string(),
    }
}

/// A HEALTHCHECK for an app with a port, unless the user turned it off (then
/// the build makes no probe either).
fn add_probe(
    runtime: &mut RuntimeStage,
    release: u32,
    jlink: Option<&Jlink>,
    settings: &Settings,
) -> Option<Probe> {
    let port = runtime.expose.as_ref()?.value;
    if settings.healthcheck.as_ref().is_some_and(|h| !h.value) {
        return None;
    }
    runtime.artifacts.push(probe::artifact());
    runtime.healthcheck = probe::command(&java_binary(jlink), port);
    Some(probe::probe(release))
}

/// The app's files in the runtime image, and the command that starts it.
fn place_app(runtime: &mut RuntimeStage, kind: &AppKind, jlink: Option<&Jlink>) {
    let java_binary = java_binary(jlink);
    let (artifacts, launch) = runtime_files(kind);
    runtime.artifacts = artifacts;
    if let Some(jlink) = jlink {
        runtime.artifacts.insert(
            0,
            Artifact {
                from: BUILD_STAGE.into(),
                source: jlink.output.clone(),
                target: jlink.output.clone(),
                chown: None,
            },
        );
    }
    // The program's own folder (it may create files there); the jar in it stays root's.
    runtime.user_workdir = Some(APP_ROOT.into());
    runtime.entrypoint = [java_binary, java().jvm.tool_options.clone()]
        .into_iter()
        .chain(launch)
        .collect();
}

/// The builder: the JDK alone when the wrapper brings the build tool, else the build
/// tool's image on Temurin's JDK.
fn builder(tool: BuildTool, release: &Choice<u32>, settings: &Settings) -> Choice<String> {
    let data = java();
    let version = release.value.to_string();
    let builder_template = match (tool.is_gradle(), tool.has_wrapper()) {
        (_, true) => &data.builder.jdk,
        (false, false) => &data.builder.maven,
        (true, false) => &data.builder.gradle,
    };
    image_choice(settings.image_builder.as_ref(), || Choice {
        value: builder_template.replace("{java}", &version),
        reason: format!(
            "Java {version} ({}); {}",
            release.reason,
            if tool.has_wrapper() {
                "the JDK alone: the wrapper brings its build tool"
            } else {
                "the build tool on Temurin's JDK"
            }
        ),
    })
}

/// The JDK: the first LTS release at or above the one the sources target.
fn jdk(facts: &JavaFacts) -> Choice<u32> {
    let lts = &java().versions.lts;
    let wanted = facts.release.value;
    let chosen = lts
        .iter()
        .copied()
        .find(|v| *v >= wanted)
        .unwrap_or_else(|| lts.last().copied().unwrap_or(wanted));
    let reason = if chosen == wanted {
        facts.release.evidence.to_string()
    } else {
        format!(
            "release {wanted} from {}: the first LTS at or above it",
            facts.release.evidence.location()
        )
    };
    Choice {
        value: chosen,
        reason,
    }
}

/// Build tool commands: resolve, then package the chosen app (and only what it needs).
fn commands(tool: BuildTool, app: &JavaApp, facts: &JavaFacts) -> (Vec<String>, Vec<String>) {
    let data = java();
    let program = match tool {
        BuildTool::Maven => "mvn",
        BuildTool::MavenWrapper => "./mvnw",
        BuildTool::Gradle => "gradle",
        BuildTool::GradleWrapper => "./gradlew",
    };
    let words = |parts: &[String]| -> Vec<String> {
        std::iter::once(program.to_string())
            .chain(parts.iter().cloned())
            .collect()
    };
    if tool.is_gradle() {
        let task = |name: &str| match app.dir.as_str() {
            "" => name.to_string(),
            dir => format!(":{}:{name}", dir.replace('/', ":")),
        };
        let build = match app.kind.value {
            AppKind::SpringBoot { .. } => task("bootJar"),
            AppKind::Distribution { .. } => task("installDist"),
            AppKind::Quarkus { .. } | AppKind::Jar { .. } => task("build"),
        };
        let mut resolve = data.gradle.options.clone();
        resolve.extend(data.gradle.resolve.iter().map(|t| task(t)));
        let mut package = data.gradle.options.clone();
        package.extend([build, "-x".into(), "test".into()]);
        return (words(&resolve), words(&package));
    }
    let mut resolve = data.maven.options.clone();
    resolve.extend(data.maven.resolve.iter().cloned());
    let mut package = data.maven.options.clone();
    package.extend(data.maven.package.iter().cloned());
    if facts.modules.is_some() && !app.dir.is_empty() {
        // This module and the modules it needs, not the whole reactor.
        package.extend(["--projects".into(), app.dir.clone(), "--also-make".into()]);
    }
    (words(&resolve), words(&package))
}

/// Paths placed in the Dockerfile come from the project's own files: refuse what
/// cannot be written there safely.
fn check_paths(app: &JavaApp) -> Result<(), PlanError> {
    let file = app.kind.evidence.location();
    let paths: Vec<&str> = match &app.kind.value {
        AppKind::SpringBoot { jar, version } => vec![jar, version],
        AppKind::Jar { jar } => vec![jar],
        AppKind::Quarkus { dir } => vec![dir],
        AppKind::Distribution { dir, main_class } => vec![dir, main_class],
    };
    for path in paths {
        check_path(&file, "build output", path)?;
    }
    check_path(&file, "module folder", &join(&app.dir, "."))
}

/// Build files are placed in COPY lines: their names come from `<module>` entries.
fn check_build_files(facts: &JavaFacts) -> Result<(), PlanError> {
    for file in &facts.build_inputs {
        check_path(&facts.manifest.value, "build file", file)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_files_keep_their_folders() {
        let groups = copy_groups(&["pom.xml".into(), "app/pom.xml".into(), "mvnw".into()]);
        assert_eq!(groups[0].sources, ["pom.xml", "mvnw"]);
        assert_eq!(groups[0].target, "./");
        assert_eq!(groups[1].target, "app/");
    }
}
