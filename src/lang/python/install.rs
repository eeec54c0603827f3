//! The Python builder's install steps per installer (pip, uv, poetry, pipenv, pdm):
//! the installer's own set-up, its environment, the dependency step from the
//! manifests and lockfile alone, and the project step after the sources.

use super::plan::{APP_ROOT, PythonBuild};
use crate::data::Installer;
use crate::lang::python::PythonFacts;
use crate::lang::python::app::PythonApp;
use crate::lang::python::manager::Tool;
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
    let python = super::data::python();
    let installer = &facts.installer.value;
    let workspace = facts.workspace.is_some();
    let package = app.name.value.clone();
    let mut build = PythonBuild {
        workdir: APP_ROOT.into(),
        uv_stage: "uv".into(),
        uv_files: CopyGroup {
            sources: vec!["/uv".into(), "/uvx".into()],
            target: "/bin/".into(),
        },
        create_venv: [words("python -m venv"), vec![python.builder.venv.clone()]].concat(),
        setup_cache: python.tools.pip.cache.clone(),
        python: Choice {
            value: String::new(),
            reason: String::new(),
        },
        app: Choice {
            value: String::new(),
            reason: String::new(),
        },
        installer: Choice {
            value: String::new(),
            reason: String::new(),
        },
        build_packages: Vec::new(),
        package_installer: Installer::Apt,
        venv: String::new(),
        uv_image: None,
        setup: Vec::new(),
        env: Vec::new(),
        venv_env: Vec::new(),
        cache: python.tools.pip.cache.clone(),
        dependency_inputs: facts.install_inputs.clone(),
        dependencies: Vec::new(),
        after_sources: Vec::new(),
        app_dir: String::new(),
    };
    let env = |name: &str, value: &str, reason: &str| EnvVar {
        name: name.into(),
        value: value.into(),
        reason: reason.into(),
    };
    let venv = python.builder.venv.as_str();
    match installer.tool {
        Tool::Uv => {
            build.uv_image = Some(python.tools.uv.image.clone());
            build.cache = python.tools.uv.cache.clone();
            build.env = vec![
                env(
                    "UV_PROJECT_ENVIRONMENT",
                    venv,
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
            ];
            let mut deps = words("uv sync --frozen --no-dev");
            let mut project = words("uv sync --frozen --no-dev --no-editable");
            if workspace {
                deps.extend(words("--no-install-workspace --package"));
                deps.push(package.clone());
                project.push("--package".into());
                project.push(package);
            } else {
                deps.push("--no-install-project".into());
            }
            build.dependencies = deps;
            build.after_sources.push(project);
        }
        Tool::Poetry => {
            let version = installer
                .version
                .clone()
                .unwrap_or_else(|| python.tools.poetry.version.clone());
            build.setup = tool_setup("poetry", &version, &python.tools.poetry.with);
            build.cache = python.tools.poetry.cache.clone();
            build.env = vec![
                env(
                    "POETRY_VIRTUALENVS_CREATE",
                    "false",
                    "install into the active virtualenv",
                ),
                env("POETRY_NO_INTERACTION", "1", "never wait for input"),
            ];
            build.dependencies = words("poetry install --only main --no-root");
            if installer.installs_project {
                build
                    .after_sources
                    .push(words("poetry install --only main"));
            }
        }
        Tool::Pdm => {
            build.setup = tool_setup("pdm", &python.tools.pdm.version, &python.tools.pdm.with);
            build.cache = python.tools.pdm.cache.clone();
            build.env = vec![env(
                "PDM_CHECK_UPDATE",
                "false",
                "no update check in builds",
            )];
            build.dependencies = words("pdm sync --prod --no-self --no-editable");
            if installer.installs_project {
                build
                    .after_sources
                    .push(words("pdm sync --prod --no-editable"));
            }
        }
        Tool::Pipenv => {
            build.setup = tool_setup(
                "pipenv",
                &python.tools.pipenv.version,
                &python.tools.pipenv.with,
            );
            build.cache = python.tools.pipenv.cache.clone();
            build.env = vec![env(
                "PIPENV_VERBOSITY",
                "-1",
                "quiet about the active virtualenv, which is intended",
            )];
            build.dependencies = words("pipenv install --deploy");
        }
        Tool::Pip => {
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
    }
    build
}
