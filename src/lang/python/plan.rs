//! Plans a Python build: the Python minor, the installer and its frozen commands, the
//! virtualenv, native packages, the server and command, and what reaches the runtime.

use serde::Serialize;

use crate::data::{Installer, Libc};
use crate::detect::Warning;
use crate::detect::project::ProjectFacts;
use crate::lang::python::app::{Entry, PythonApp};
use crate::lang::python::manager::Tool;
use crate::lang::python::{self, PythonFacts, wheels};
use crate::plan::program::{self, BUILD_STAGE, Program};
use crate::plan::runtime::{self, Needs};
use crate::plan::{
    Artifact, BuildContext, BuildPlan, Choice, EnvVar, Exclude, Member, PlanError, SCHEMA_VERSION,
    check_file_name, check_text, choose_member, image_choice,
};
use crate::settings::Settings;

/// The Python build stage.
#[derive(Clone, Debug, Serialize)]
pub struct PythonBuild {
    /// The build stage's folder (the app's root; the virtualenv lives elsewhere).
    pub workdir: String,
    /// Cache mount of the installer set-up step (pip installing the installer).
    pub setup_cache: String,
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
    /// Steps after the sources are copied: the project, an added server, collectstatic.
    pub after_sources: Vec<Vec<String>>,
    /// The app's folder in the project ("" for the root).
    pub app_dir: String,
}

const APP_ROOT: &str = "/app";

pub fn plan(
    facts: &PythonFacts,
    project: &ProjectFacts,
    settings: &Settings,
) -> Result<BuildPlan, PlanError> {
    let app = choose_app(facts, settings)?;
    let name = &app.name.value;
    check_text(&app.name.evidence.location(), "project name", name)?;
    let python = super::data::python();
    let minor = facts.python.value.clone();
    let mut warnings: Vec<Warning> = facts.warnings.clone();
    // Pinned packages without a glibc wheel for this minor build from source, when
    // that is practical at all.
    let mut source_builds: Vec<&super::data::PythonWheels> = Vec::new();
    for package in &facts.wheel_packages {
        let Some(wheels) = wheels::entry(&package.value) else {
            continue;
        };
        let Some(gap) = wheels::glibc_gap(
            wheels,
            &minor,
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
        for native in natives(facts) {
            needs.apt.extend(native.runtime_apt.iter().cloned());
            needs.apk.extend(native.runtime_apk.iter().cloned());
        }
        for wheels in &source_builds {
            needs.apt.extend(wheels.runtime_apt.iter().cloned());
        }
        Ok(needs)
    };
    let choice = runtime::choose(settings.flavor.as_ref(), &python.flavors, &needs_for)?;
    let libc = python.flavors.libc(choice.flavor);
    let package_installer = libc.installer();

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
        for wheels in &source_builds {
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

    let (command, server) = command(facts, app, settings, &mut warnings)?;
    let mut build = install_steps(facts, app);
    if let Some((server, version)) = server {
        // `uv sync` removes what the lock does not list, pip included: uv adds it.
        let installer = if facts.installer.value.tool == Tool::Uv {
            "uv pip install"
        } else {
            "pip install"
        };
        build
            .after_sources
            .push(words(&format!("{installer} {server}=={version}")));
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

    let program = Program {
        name,
        port: app.port.as_ref(),
        other_ports: &app.other_ports,
        port_env: app.port_env.as_ref(),
    };
    let (mut runtime, runtime_warnings) =
        program::runtime_stage(&program, &choice, libc, project, settings)?;
    warnings.extend(runtime_warnings);
    runtime.image.value = runtime.image.value.replace("{python}", &minor);
    let venv = python.builder.venv.clone();
    let workdir = crate::detect::paths::join(APP_ROOT, &app.dir);
    runtime.artifacts = vec![Artifact {
        from: BUILD_STAGE.into(),
        source: venv.clone(),
        target: venv.clone(),
        chown: None,
    }];
    // An installed console script runs from the virtualenv alone; anything else may
    // read files beside its code (templates, gunicorn.conf.py, manage.py). Poetry
    // installs the project editable, and so may a requirements file (`-e .`): there
    // the code stays in /app.
    let non_editable = match facts.installer.value.tool {
        Tool::Uv | Tool::Pdm => true,
        Tool::Pip => facts.installer.value.requirements.is_none(),
        Tool::Poetry | Tool::Pipenv => false,
    };
    let venv_alone = installed && non_editable && matches!(app.entry.value, Entry::Script { .. });
    if !venv_alone {
        runtime.workdir = Some(workdir.clone());
        runtime.artifacts.push(Artifact {
            from: BUILD_STAGE.into(),
            source: format!("{APP_ROOT}/"),
            target: format!("{APP_ROOT}/"),
            chown: None,
        });
    }
    // The images' own PATH with the virtualenv first, written out: ENV would expand
    // $PATH, but spelled out it reads the same in the plan and the Dockerfile.
    let venv_env = vec![
        EnvVar {
            name: "VIRTUAL_ENV".into(),
            value: venv.clone(),
            reason: "the virtualenv the builder fills".into(),
        },
        EnvVar {
            name: "PATH".into(),
            value: format!(
                "{venv}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
            ),
            reason: "the virtualenv's programs first".into(),
        },
    ];
    let mut env = venv_env.clone();
    env.extend([
        EnvVar {
            name: "PYTHONDONTWRITEBYTECODE".into(),
            value: "1".into(),
            reason: "no .pyc files written at run time".into(),
        },
        EnvVar {
            name: "PYTHONUNBUFFERED".into(),
            value: "1".into(),
            reason: "logs reach `docker logs` at once".into(),
        },
    ]);
    if app.src_layout
        && facts.workspace.is_none()
        && !python::installs_project(&facts.installer.value)
    {
        env.push(EnvVar {
            name: "PYTHONPATH".into(),
            value: format!("{workdir}/src"),
            reason: "a src layout that is not installed into the virtualenv".into(),
        });
    }
    if command.first().is_some_and(|c| c == "gunicorn") {
        env.push(EnvVar {
            name: "XDG_RUNTIME_DIR".into(),
            value: "/tmp".into(),
            reason: "gunicorn 25.1+ makes its control socket here, else in a home the runtime user lacks".into(),
        });
    }
    env.append(&mut runtime.env);
    runtime.env = env;
    // A program (console script, script) takes its arguments from `docker run`: an
    // ENTRYPOINT. A served app keeps CMD, so `docker run image python manage.py
    // migrate` replaces it.
    match app.entry.value {
        Entry::Script { .. } | Entry::File { .. } => {
            runtime.entrypoint = command;
            runtime.command = Vec::new();
        }
        _ => {
            runtime.entrypoint = Vec::new();
            runtime.command = command;
        }
    }
    if let Some(port) = &runtime.expose {
        // Python is in the image already: a TCP connect needs nothing added.
        runtime.healthcheck = vec![
            "python".into(),
            "-c".into(),
            format!(
                "import socket; socket.create_connection(('127.0.0.1', {}), 3).close()",
                port.value
            ),
        ];
    }

    let mut exclude = Vec::new();
    for folder in [".venv", "venv"] {
        exclude.push(Exclude {
            pattern: folder.into(),
            reason: "a local virtualenv: the image builds its own".into(),
        });
    }
    let python_build = PythonBuild {
        python: Choice {
            value: minor.clone(),
            reason: facts.python.evidence.to_string(),
        },
        app: Choice {
            value: name.clone(),
            reason: app.entry.evidence.to_string(),
        },
        installer: Choice {
            value: match &facts.installer.value.version {
                Some(v) => format!("{:?} {v}", facts.installer.value.tool).to_lowercase(),
                None => format!("{:?}", facts.installer.value.tool).to_lowercase(),
            },
            reason: facts.installer.evidence.to_string(),
        },
        build_packages,
        package_installer,
        venv,
        venv_env,
        app_dir: app.dir.clone(),
        ..build
    };
    let builder_template = match libc {
        Libc::Glibc => &python.builder.slim,
        Libc::Musl => &python.builder.musl,
    };
    let builder = image_choice(settings.image_builder.as_ref(), || Choice {
        value: builder_template.replace("{python}", &minor),
        reason: format!(
            "Python {minor} ({}); the runtime uses the same minor and libc",
            facts.python.evidence
        ),
    });
    Ok(BuildPlan {
        schema_version: SCHEMA_VERSION,
        syntax: settings.syntax(),
        flavor: Choice {
            value: choice.flavor,
            reason: choice.reason.clone(),
        },
        builder,
        runtime,
        build: python_build.into(),
        context: BuildContext {
            required: facts.build_inputs.clone(),
            exclude,
        },
        rejected: choice.rejected.clone(),
        warnings,
    })
}

/// `pip install <tool>==<version>` and the bounds it needs.
fn tool_setup(tool: &str, version: &str, with: &[String]) -> Vec<String> {
    let mut step = words("pip install");
    step.push(format!("{tool}=={version}"));
    step.extend(with.iter().cloned());
    step
}

fn words(command: &str) -> Vec<String> {
    command.split_whitespace().map(str::to_string).collect()
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

/// A server to install into the image: (name, pinned version).
type AddedServer = (String, String);

/// The command the runtime runs, and a server to add when the app needs one it does
/// not depend on (only with the user's consent).
fn command(
    facts: &PythonFacts,
    app: &PythonApp,
    settings: &Settings,
    warnings: &mut Vec<Warning>,
) -> Result<(Vec<String>, Option<AddedServer>), PlanError> {
    let port = settings
        .port
        .as_ref()
        .map(|p| p.value)
        .or(app.port.as_ref().map(|p| p.port));
    let port_text = port.unwrap_or(8000).to_string();
    let origin = app.entry.evidence.location();
    let mut add = None;
    let mut need_server = |server: &str| -> Result<(), PlanError> {
        if facts.dependencies.contains(server) {
            return Ok(());
        }
        let version = super::data::python()
            .servers
            .get(server)
            .cloned()
            .unwrap_or_default();
        match &settings.add_server {
            Some(consent) if consent.value => {
                warnings.push(Warning {
                    message: format!("{server} is not a dependency: {server} {version} is added to the image ({})", consent.source),
                    evidence: app.entry.evidence.clone(),
                });
                add = Some((server.to_string(), version));
                Ok(())
            }
            _ => Err(PlanError::Unsupported {
                file: origin.clone(),
                what: format!("serving this app without {server}, which is not a dependency,"),
                hint: format!(
                    "add {server} to the project's dependencies, or pass --add-server to install {server} {version} into the image"
                ),
            }),
        }
    };
    let command = match &app.entry.value {
        Entry::App { target, server } => {
            check_text(&origin, "application", target)?;
            need_server(server)?;
            match server.as_str() {
                "uvicorn" => vec![
                    "uvicorn".into(),
                    target.clone(),
                    "--host".into(),
                    "0.0.0.0".into(),
                    "--port".into(),
                    port_text,
                ],
                _ if app.gunicorn_conf.is_some() => vec!["gunicorn".into(), target.clone()],
                _ => vec![
                    "gunicorn".into(),
                    target.clone(),
                    "--bind".into(),
                    format!("0.0.0.0:{port_text}"),
                ],
            }
        }
        Entry::Django { target, .. } => {
            check_text(&origin, "application", target)?;
            need_server("gunicorn")?;
            if app.gunicorn_conf.is_some() {
                vec!["gunicorn".into(), target.clone()]
            } else {
                vec![
                    "gunicorn".into(),
                    target.clone(),
                    "--bind".into(),
                    format!("0.0.0.0:{port_text}"),
                ]
            }
        }
        Entry::Streamlit { file } => {
            check_text(&origin, "script", file)?;
            let port = port.unwrap_or(8501).to_string();
            vec![
                "streamlit".into(),
                "run".into(),
                file.clone(),
                "--server.port".into(),
                port,
                "--server.address".into(),
                "0.0.0.0".into(),
                "--server.headless".into(),
                "true".into(),
            ]
        }
        Entry::Script { name } => {
            check_file_name(&origin, "console script", name)?;
            vec![name.clone()]
        }
        Entry::File { file } => {
            check_text(&origin, "script", file)?;
            vec!["python".into(), file.clone()]
        }
    };
    Ok((command, add))
}

/// The installer's set-up, environment, dependency step and project step.
fn install_steps(facts: &PythonFacts, app: &PythonApp) -> PythonBuild {
    let python = super::data::python();
    let installer = &facts.installer.value;
    let workspace = facts.workspace.is_some();
    let package = app.name.value.clone();
    let mut build = PythonBuild {
        workdir: APP_ROOT.into(),
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
