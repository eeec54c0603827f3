//! Plans a Python build: the Python minor, the installer and its frozen commands, the
//! virtualenv, native packages, the server and command, and what reaches the runtime.

use serde::Serialize;

use crate::data::{Flavor, Installer, Libc};
use crate::detect::project::ProjectFacts;
use crate::detect::{Fact, Warning};
use crate::lang::python::app::{Entry, PythonApp};
use crate::lang::python::manager::Tool;
use crate::lang::python::{self, PythonFacts, wheels};
use crate::plan::program::{self, Program};
use crate::plan::runtime::{self, Needs, RuntimeChoice};
use crate::plan::{
    BuildPlan, Choice, CopyGroup, EnvVar, Exclude, Member, Offer, PlanError, check_text,
    choose_member, image_choice,
};
use crate::settings::Settings;

use super::install::{install_steps, words};
use super::runtime::{fill_runtime, venv_env};
use super::start::command;

/// The Python build stage.
#[derive(Clone, Debug, Serialize)]
pub struct PythonBuild {
    /// The build stage's folder (the app's root; the virtualenv lives elsewhere).
    pub workdir: String,
    /// Cache mount of the installer set-up step (pip installing the installer).
    pub setup_cache: String,
    /// The stage that holds uv's image, when uv installs, and the binaries copied from it.
    pub uv_stage: String,
    pub uv_files: CopyGroup,
    /// Creates the virtualenv (argv).
    pub create_venv: Vec<String>,
    pub python: Choice<String>,
    pub app: Choice<String>,
    pub installer: Choice<String>,
    /// Packages the builder installs (compilers and -dev packages for source builds).
    pub build_packages: Vec<String>,
    pub package_installer: Installer,
    pub venv: String,
    /// The uv image to copy uv from, when uv installs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uv_image: Option<String>,
    /// Installs the installer itself (pip install poetry==…), before the venv exists.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub setup: Vec<String>,
    /// The builder's environment for the installer.
    pub env: Vec<EnvVar>,
    /// The environment that activates the virtualenv, in the builder and the runtime.
    pub venv_env: Vec<EnvVar>,
    pub cache: String,
    /// Files bind-mounted into the dependency step.
    pub dependency_inputs: Vec<String>,
    /// Installs the dependencies only, before the sources are copied.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<String>,
    /// A server the app needs and does not depend on, installed in a layer of its
    /// own before the sources (cached across source changes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server: Option<AddedServerStep>,
    /// Steps after the sources are copied: the project (with uv, the added server
    /// too: `uv sync` removes what the lock does not list), collectstatic.
    pub after_sources: Vec<Vec<String>>,
    /// The app's folder in the project ("" for the root).
    pub app_dir: String,
    /// Node stages that build the assets the app serves, copied in after the sources.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub frontends: Vec<crate::lang::frontend::FrontendStage>,
    /// The interpreter the distroless runtime gets from the builder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runtime_python: Option<RuntimePython>,
}

/// The builder's own CPython, gathered for a runtime image without one (distroless):
/// the interpreter the virtualenv links to (its version read from that link at build
/// time, not from the image tag), its shared library, its standard library less what no program
/// imports at run time, and the shared libraries it, its extension modules and the
/// virtualenv's link that the runtime image lacks (found by ldd in the builder).
#[derive(Clone, Debug, Serialize)]
pub struct RuntimePython {
    /// Where the builder gathers it; the runtime copies this folder to its root.
    pub root: String,
    /// Sonames the runtime image has, space-separated: not copied.
    pub image_libraries: String,
    /// pip leaves the virtualenv, unless the project depends on it: nothing runs it
    /// in the runtime, and it is the virtualenv's largest package.
    pub drop_pip: bool,
}

pub(super) const APP_ROOT: &str = "/app";

/// Installs a pinned server the project does not depend on (argv), and why.
#[derive(Clone, Debug, Serialize)]
pub struct AddedServerStep {
    pub install: Vec<String>,
    pub reason: String,
}

pub fn plan(
    facts: &PythonFacts,
    project: &ProjectFacts,
    settings: &Settings,
) -> Result<BuildPlan, PlanError> {
    let app = choose_app(facts, settings)?;
    let name = &app.name.value;
    check_text(&app.name.evidence.location(), "project name", name)?;
    let python = super::data::python();
    let mut warnings: Vec<Warning> = facts.warnings.clone();
    let (minor, suite) = image_version(&facts.python, &mut warnings);
    let source_builds = source_builds(facts, &minor, &mut warnings)?;
    let choice = choose_runtime(facts, &source_builds, settings)?;
    let libc = python.flavors.libc(choice.flavor);
    let package_installer = libc.installer();

    let build_packages = build_packages(facts, libc, &source_builds);

    let (command, server) = command(facts, app, settings, &mut warnings)?;
    let offers: Vec<Offer> = server
        .iter()
        .filter(|_| settings.add_server.is_none())
        .map(|(server, version)| Offer {
            key: "add-server",
            question: format!(
                "{server} is not a dependency: install a pinned {server} {version} into the image (no: stop, and add it to the dependencies yourself)"
            ),
        })
        .collect();
    let mut build = install_steps(facts, app);
    let installed = after_sources(facts, app, server, &mut build);

    let program = Program {
        name,
        listening: &app.listening,
    };
    let (mut runtime, runtime_warnings) =
        program::runtime_stage(&program, &choice, libc, project, settings)?;
    warnings.extend(runtime_warnings);
    runtime.image.value = runtime
        .image
        .value
        .replace("{python}", &minor)
        .replace("{suite}", &suite);
    let venv = python.builder.venv.clone();
    let venv_env = venv_env(&venv);
    let runtime_python = (choice.flavor == Flavor::Distroless).then(|| RuntimePython {
        root: python.distroless.root.clone(),
        image_libraries: python.distroless.image_libraries.join(" "),
        drop_pip: !facts.dependencies.contains("pip"),
    });
    fill_runtime(
        &mut runtime,
        facts,
        app,
        installed,
        &venv_env,
        command,
        runtime_python.as_ref(),
    );

    // A local virtualenv is never context: the image builds its own.
    let exclude = [".venv", "venv"]
        .into_iter()
        .map(|folder| Exclude {
            pattern: folder.into(),
            reason: "a local virtualenv: the image builds its own".into(),
        })
        .collect();
    let python_build = PythonBuild {
        python: Choice::new(minor.clone(), &facts.python.evidence),
        app: Choice::new(name.clone(), &app.entry.evidence),
        installer: installer_choice(facts),
        build_packages,
        package_installer,
        venv,
        venv_env,
        app_dir: app.dir.clone(),
        frontends: crate::lang::frontend::stages(&facts.frontends, "the app's assets"),
        runtime_python,
        ..build
    };
    let builder_template = match libc {
        Libc::Glibc => &python.builder.slim,
        Libc::Musl => &python.builder.musl,
    };
    let builder = image_choice(settings.image_builder.as_ref(), || Choice {
        value: builder_template
            .replace("{python}", &minor)
            .replace("{suite}", &suite),
        reason: format!(
            "Python {minor} ({}); the runtime uses the same minor and libc",
            facts.python.evidence
        ),
    });
    Ok(BuildPlan::new(
        settings,
        choice.flavor_choice(),
        builder,
        runtime,
        python_build.into(),
    )
    .with_context(facts.build_inputs.clone(), exclude)
    .with_findings(choice.rejected.clone(), warnings)
    .with_offers(offers))
}

/// The installer, with the version its lockfile was written by when known.
fn installer_choice(facts: &PythonFacts) -> Choice<String> {
    let installer = &facts.installer.value;
    let tool = format!("{:?}", installer.tool).to_lowercase();
    Choice {
        value: match &installer.version {
            Some(v) => format!("{tool} {v}"),
            None => tool,
        },
        reason: facts.installer.evidence.to_string(),
    }
}

/// Pinned packages without a glibc wheel for this minor build from source, when that
/// is practical at all (each with a warning); otherwise planning stops.
fn source_builds(
    facts: &PythonFacts,
    minor: &str,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<&'static super::data::PythonWheels>, PlanError> {
    let mut source_builds: Vec<&super::data::PythonWheels> = Vec::new();
    for package in &facts.wheel_packages {
        let Some(wheels) = wheels::entry(&package.value) else {
            continue;
        };
        let Some(gap) = wheels::glibc_gap(
            wheels,
            minor,
            facts.versions.get(&package.value).map(String::as_str),
        ) else {
            continue;
        };
        if !wheels.buildable {
            return Err(PlanError::Unsupported {
                file: package.evidence.location(),
                what: format!("building {} from source ({gap})", package.value),
                hint: format!(
                    "pin a {} release with wheels for Python {minor}, or an older Python in .python-version",
                    package.value
                ),
            });
        }
        warnings.push(Warning {
            message: format!("{gap}: it builds from source in the builder (slow; compilers stay out of the runtime)"),
            evidence: package.evidence.clone(),
        });
        source_builds.push(wheels);
    }
    Ok(source_builds)
}

/// The flavor and image: the first that runs CPython, its native packages and the
/// wheels that build from source.
fn choose_runtime(
    facts: &PythonFacts,
    source_builds: &[&super::data::PythonWheels],
    settings: &Settings,
) -> Result<RuntimeChoice, PlanError> {
    let python = super::data::python();
    let needs_for = |flavor| {
        if let Some(why) = python.flavors.unsupported.get(&flavor) {
            return Err(why.clone());
        }
        let libc = python.flavors.libc(flavor);
        if libc == Libc::Musl {
            for package in &facts.wheel_packages {
                let gap = wheels::entry(&package.value).and_then(|w| {
                    wheels::musl_gap(w, facts.versions.get(&package.value).map(String::as_str))
                });
                if let Some(gap) = gap {
                    return Err(format!(
                        "{gap} ({}): on Alpine it would build from source, or not at all",
                        package.evidence.location()
                    ));
                }
            }
        }
        let mut needs = Needs {
            libc: Some(libc),
            why: "CPython links the C library".into(),
            language: Some("python"),
            ..Needs::default()
        };
        if flavor == Flavor::Distroless {
            // The libraries native packages link are copied from the builder, where
            // their -dev packages brought them; packages named in settings need apt.
            return match &settings.runtime_packages {
                Some(packages) if !packages.value.is_empty() => Err(format!(
                    "{} adds runtime packages, and distroless has no package manager",
                    packages.source
                )),
                _ => Ok(needs),
            };
        }
        for native in natives(facts) {
            needs.apt.extend(native.runtime_apt.iter().cloned());
            needs.apk.extend(native.runtime_apk.iter().cloned());
        }
        for wheels in source_builds {
            needs.apt.extend(wheels.runtime_apt.iter().cloned());
        }
        Ok(needs)
    };
    runtime::choose_for(settings, &python.flavors, &needs_for)
}

/// Compilers and -dev packages for what builds from source, for the builder's libc.
fn build_packages(
    facts: &PythonFacts,
    libc: Libc,
    source_builds: &[&super::data::PythonWheels],
) -> Vec<String> {
    let python = super::data::python();
    let mut build_packages = Vec::new();
    for native in natives(facts) {
        match libc {
            Libc::Glibc => build_packages.extend(native.build_apt.iter().cloned()),
            Libc::Musl => build_packages.extend(native.build_apk.iter().cloned()),
        }
    }
    let compiles = !build_packages.is_empty()
        || natives(facts).next().is_some()
        || (libc == Libc::Glibc && !source_builds.is_empty());
    if libc == Libc::Glibc {
        for wheels in source_builds {
            build_packages.extend(wheels.build_apt.iter().cloned());
        }
    }
    if compiles {
        let base = match libc {
            Libc::Glibc => &python.builder.build_apt,
            Libc::Musl => &python.builder.build_apk,
        };
        build_packages.extend(base.iter().cloned());
    }
    build_packages.sort();
    build_packages.dedup();

    build_packages
}

/// The steps after the sources are copied: a server the app lacks, cleaning what
/// installing the project leaves, Django's collectstatic. Returns whether the project
/// itself is installed into the virtualenv.
fn after_sources(
    facts: &PythonFacts,
    app: &PythonApp,
    server: Option<(String, String)>,
    build: &mut PythonBuild,
) -> bool {
    if let Some((server, version)) = server {
        if facts.installer.value.tool == Tool::Uv {
            // `uv sync` removes what the lock does not list: uv adds it after.
            build
                .after_sources
                .push(words(&format!("uv pip install {server}=={version}")));
        } else {
            build.server = Some(AddedServerStep {
                install: words(&format!("pip install {server}=={version}")),
                reason: format!(
                    "{server} is not a dependency of the project: docksmith installs a pinned one (--add-server=false refuses)"
                ),
            });
        }
    }
    let installed = facts.workspace.is_some() || python::installs_project(&facts.installer.value);
    if installed {
        // What building the project leaves in the tree (.dockerignore keeps these
        // paths out of the context, so only the build made them).
        build
            .after_sources
            .push(words("rm -rf build dist .pdm-build"));
        build
            .after_sources
            .push(words("find . -name *.egg-info -prune -exec rm -rf {} +"));
    }
    if let Entry::Django {
        collectstatic: true,
        ..
    } = app.entry.value
    {
        build
            .after_sources
            .push(words("python manage.py collectstatic --noinput"));
    }

    installed
}

fn natives(facts: &PythonFacts) -> impl Iterator<Item = &'static super::data::PythonNative> + '_ {
    super::data::python()
        .native
        .iter()
        .filter(|n| facts.native.iter().any(|f| f.value == n.package))
}

fn choose_app<'a>(facts: &'a PythonFacts, settings: &Settings) -> Result<&'a PythonApp, PlanError> {
    choose_member(&facts.apps, settings, || PlanError::NoBinary {
        file: facts.manifest.value.clone(),
        what: "no entry point (no framework app, console script, main.py or app.py)".into(),
        hint: "add a main.py, or a [project.scripts] entry in pyproject.toml".into(),
    })
}

impl Member for PythonApp {
    fn member_name(&self) -> &str {
        &self.name.value
    }
    fn member_dir(&self) -> &str {
        &self.dir
    }
}

/// The minor and Debian suite of images that exist upstream for the project's Python:
/// an end-of-life minor on the last suite it was published for; one older than any
/// published image becomes the oldest minor docksmith knows, with a warning.
fn image_version(python: &Fact<String>, warnings: &mut Vec<Warning>) -> (String, String) {
    let versions = &super::data::python().versions;
    let minor = &python.value;
    if let Some(suite) = versions.older_suites.get(minor) {
        return (minor.clone(), suite.clone());
    }
    let number = |m: &str| {
        let (major, minor) = m.split_once('.')?;
        Some((major.parse::<u32>().ok()?, minor.parse::<u32>().ok()?))
    };
    let oldest_image = versions
        .older_suites
        .keys()
        .chain(&versions.minors)
        .filter_map(|m| number(m))
        .min();
    match (number(minor), oldest_image) {
        (Some(wanted), Some(oldest)) if wanted < oldest => {
            let chosen = versions
                .minors
                .first()
                .cloned()
                .unwrap_or_else(|| minor.clone());
            warnings.push(Warning {
                message: format!(
                    "Python {minor} has no image on a Debian suite still archived (the oldest is {}.{}): the image uses Python {chosen}, the oldest minor docksmith supports; update the pin",
                    oldest.0, oldest.1
                ),
                evidence: python.evidence.clone(),
            });
            (chosen, versions.suite.clone())
        }
        _ => (minor.clone(), versions.suite.clone()),
    }
}
