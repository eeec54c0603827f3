//! The Python runtime stage: the virtualenv (and the app's folder, unless an
//! installed console script runs from the virtualenv alone), its environment,
//! CMD or ENTRYPOINT, and a HEALTHCHECK that needs nothing but Python.

use super::plan::{APP_ROOT, RuntimePython};
use crate::lang::python::app::{Entry, PythonApp};
use crate::lang::python::manager::Tool;
use crate::lang::python::{self, PythonFacts};
use crate::plan::program::BUILD_STAGE;
use crate::plan::{Artifact, EnvVar, RuntimeStage};

/// What the runtime stage copies, where it runs, its environment, its
/// command, and a healthcheck that needs nothing but Python.
pub(super) fn fill_runtime(
    runtime: &mut RuntimeStage,
    facts: &PythonFacts,
    app: &PythonApp,
    installed: bool,
    venv_env: &[EnvVar],
    command: Vec<String>,
    runtime_python: Option<&RuntimePython>,
) {
    let venv = &super::data::python().builder.venv;
    let workdir = crate::detect::paths::join(APP_ROOT, &app.dir);
    // The interpreter first: the virtualenv's `python` links to it.
    runtime.artifacts = (runtime_python.iter())
        .map(|python| Artifact {
            from: BUILD_STAGE.into(),
            source: format!("{}/", python.root),
            target: "/".into(),
            chown: None,
        })
        .chain([Artifact {
            from: BUILD_STAGE.into(),
            source: venv.clone(),
            target: venv.clone(),
            chown: None,
        }])
        .collect();
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
        // The app's folder belongs to its user: apps create files beside their code
        // (a SQLite file, Flask's instance folder, FastHTML's .sesskey). WORKDIR
        // follows USER, so it creates the folder with that owner; the code copied
        // into it stays root's, so the program cannot rewrite it.
        runtime.user_workdir = Some(workdir.clone());
        runtime.artifacts.push(Artifact {
            from: BUILD_STAGE.into(),
            source: format!("{APP_ROOT}/"),
            target: format!("{APP_ROOT}/"),
            chown: None,
        });
    }
    let port = runtime.expose.as_ref().map(|p| p.value);
    let mut env = runtime_env(facts, app, venv_env, &workdir, &command, port);
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
}

/// The virtualenv's variables, in the builder and the runtime alike.
pub(super) fn venv_env(venv: &str) -> Vec<EnvVar> {
    // The images' own PATH with the virtualenv first, written out: ENV would expand
    // $PATH, but spelled out it reads the same in the plan and the Dockerfile.
    vec![
        EnvVar {
            name: "VIRTUAL_ENV".into(),
            value: venv.to_string(),
            reason: "the virtualenv the builder fills".into(),
        },
        EnvVar {
            name: "PATH".into(),
            value: format!(
                "{venv}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
            ),
            reason: "the virtualenv's programs first".into(),
        },
    ]
}

/// The runtime's environment: the virtualenv first, then what the app needs.
fn runtime_env(
    facts: &PythonFacts,
    app: &PythonApp,
    venv_env: &[EnvVar],
    workdir: &str,
    command: &[String],
    port: Option<u16>,
) -> Vec<EnvVar> {
    let mut env = venv_env.to_vec();
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
    if let (Entry::Procfile { .. }, Some(port)) = (&app.entry.value, port) {
        // The Procfile contract: the process listens on $PORT (gunicorn binds
        // 0.0.0.0:$PORT when it is set).
        env.push(EnvVar {
            name: "PORT".into(),
            value: port.to_string(),
            reason: "the Procfile's processes listen on $PORT".into(),
        });
    }
    if command.first().is_some_and(|c| c == "gunicorn") {
        env.push(EnvVar {
            name: "XDG_RUNTIME_DIR".into(),
            value: "/tmp".into(),
            reason: "gunicorn 25.1+ makes its control socket here, else in a home the runtime user lacks".into(),
        });
    }
    env
}
