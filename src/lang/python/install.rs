//! The Python builder's install steps per installer (pip, uv, poetry, pipenv, pdm):
//! the installer's own set-up, its environment, the dependency step from the
//! manifests and lockfile alone, and the project step after the sources.

use super::data::PinnedTool;
use super::plan::{APP_ROOT, PythonBuild};
use crate::data::Installer;
use crate::lang::python::PythonFacts;
use crate::lang::python::app::PythonApp;
use crate::lang::python::manager::{self, Tool};
use crate::plan::CopyGroup;
use crate::plan::{Choice, EnvVar};

/// `pip install <tool>==<version>` and the bounds it needs.
pub(super) fn tool_setup(tool: &str, version: &str, with: &[String]) -> Vec<String> {
    let mut step = words("pip install");
    step.push(format!("{tool}=={version}"));
    step.extend(with.iter().cloned());
    step
}

pub(super) fn words(command: &str) -> Vec<String> {
    command.split_whitespace().map(str::to_string).collect()
}

/// The installer's set-up, environment, dependency step and project step.
pub(super) fn install_steps(facts: &PythonFacts, app: &PythonApp) -> PythonBuild {
    let mut build = pip_defaults(facts);
    let installer = &facts.installer.value;
    match installer.tool {
        Tool::Uv => uv(&mut build, facts.workspace.is_some(), &app.name.value),
        Tool::Poetry => poetry(&mut build, installer),
        Tool::Pdm => pdm(&mut build, installer),
        Tool::Pipenv => pipenv(&mut build, installer),
        Tool::Pip => pip(&mut build, installer),
    }
    build
}

/// The build before the installer is known: pip's cache, a virtualenv, and
/// the choices the planner fills in.
fn pip_defaults(facts: &PythonFacts) -> PythonBuild {
    let python = super::data::python();
    let unset = || Choice {
        value: String::new(),
        reason: String::new(),
    };
    PythonBuild {
        workdir: APP_ROOT.into(),
        uv_stage: "uv".into(),
        uv_files: CopyGroup {
            sources: vec!["/uv".into(), "/uvx".into()],
            target: "/bin/".into(),
        },
        create_venv: [words("python -m venv"), vec![python.builder.venv.clone()]].concat(),
        setup_cache: python.tools.pip.cache.clone(),
        python: unset(),
        app: unset(),
        installer: unset(),
        build_packages: Vec::new(),
        package_installer: Installer::Apt,
        venv: String::new(),
        uv_image: None,
        setup: Vec::new(),
        env: vec![env(
            "PIP_DISABLE_PIP_VERSION_CHECK",
            "1",
            "no network round trip to ask for a newer pip",
        )],
        venv_env: Vec::new(),
        cache: python.tools.pip.cache.clone(),
        dependency_inputs: facts.install_inputs.clone(),
        dependencies: Vec::new(),
        server: None,
        frontends: Vec::new(),
        after_sources: Vec::new(),
        runtime_python: None,
        app_dir: String::new(),
    }
}

/// A pinned installer, set up with pip outside the virtualenv, and its cache.
fn use_tool(build: &mut PythonBuild, name: &str, tool: &PinnedTool, version: &str) {
    build.setup = tool_setup(name, version, &tool.with);
    build.cache = tool.cache.clone();
}

fn env(name: &str, value: &str, reason: &str) -> EnvVar {
    EnvVar {
        name: name.into(),
        value: value.into(),
        reason: reason.into(),
    }
}

/// uv from its own image; a workspace installs one member's dependencies,
/// then that member.
fn uv(build: &mut PythonBuild, workspace: bool, package: &str) {
    let python = super::data::python();
    build.uv_image = Some(python.tools.uv.image.clone());
    build.cache = python.tools.uv.cache.clone();
    build.env.extend([
        env(
            "UV_PROJECT_ENVIRONMENT",
            &python.builder.venv,
            "uv installs into the virtualenv the runtime copies",
        ),
        env(
            "UV_COMPILE_BYTECODE",
            "1",
            "compiled once at build time, not at every start",
        ),
        env(
            "UV_LINK_MODE",
            "copy",
            "the cache is a mount: copy, do not link",
        ),
        env("UV_PYTHON_DOWNLOADS", "never", "use the image's Python"),
    ]);
    let mut deps = words("uv sync --frozen --no-dev");
    let mut project = words("uv sync --frozen --no-dev --no-editable");
    if workspace {
        deps.extend(words("--no-install-workspace --package"));
        deps.push(package.to_string());
        project.push("--package".into());
        project.push(package.to_string());
    } else {
        deps.push("--no-install-project".into());
    }
    build.dependencies = deps;
    build.after_sources.push(project);
}

/// Poetry at the lockfile's version, installing into the active virtualenv.
fn poetry(build: &mut PythonBuild, installer: &manager::Installer) {
    let python = super::data::python();
    let version = installer
        .version
        .clone()
        .unwrap_or_else(|| python.tools.poetry.version.clone());
    use_tool(build, "poetry", &python.tools.poetry, &version);
    build.env.extend([
        env(
            "POETRY_VIRTUALENVS_CREATE",
            "false",
            "install into the active virtualenv",
        ),
        env("POETRY_NO_INTERACTION", "1", "never wait for input"),
    ]);
    build.dependencies = words("poetry install --only main --no-root");
    if installer.installs_project {
        build
            .after_sources
            .push(words("poetry install --only main"));
    }
}

fn pdm(build: &mut PythonBuild, installer: &manager::Installer) {
    let python = super::data::python();
    use_tool(build, "pdm", &python.tools.pdm, &python.tools.pdm.version);
    build.env.extend([env(
        "PDM_CHECK_UPDATE",
        "false",
        "no update check in builds",
    )]);
    build.dependencies = words("pdm sync --prod --no-self --no-editable");
    if installer.installs_project {
        build
            .after_sources
            .push(words("pdm sync --prod --no-editable"));
    }
}

fn pipenv(build: &mut PythonBuild, installer: &manager::Installer) {
    let python = super::data::python();
    use_tool(
        build,
        "pipenv",
        &python.tools.pipenv,
        &python.tools.pipenv.version,
    );
    build.env.extend([env(
        "PIPENV_VERBOSITY",
        "-1",
        "quiet about the active virtualenv, which is intended",
    )]);
    // With a lock, Pipenv's own sync: what the lock says, even when the Pipfile has
    // moved on (`install --deploy` aborts then).
    build.dependencies = words(if installer.lockfile.is_some() {
        "pipenv sync"
    } else {
        "pipenv install --deploy"
    });
}

/// pip from a requirements file (hashes enforced when it has them), or the
/// project itself.
fn pip(build: &mut PythonBuild, installer: &manager::Installer) {
    if let Some(requirements) = &installer.requirements {
        if installer.installs_project {
            // `.` in the requirements needs the sources: one step after them.
            let mut step = words("pip install -r");
            step.push(requirements.files[0].clone());
            build.after_sources.push(step);
        } else {
            let mut step = words("pip install");
            if requirements.hashes {
                step.push("--require-hashes".into());
            }
            step.push("-r".into());
            step.push(requirements.files[0].clone());
            build.dependencies = step;
        }
    } else if installer.installs_project {
        build.after_sources.push(words("pip install ."));
    }
}
