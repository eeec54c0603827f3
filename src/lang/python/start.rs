//! How a Python app starts: its server (gunicorn, uvicorn, streamlit) or script, and
//! the pinned server to add when the app needs one it does not depend on.

use crate::detect::Warning;
use crate::lang::python::PythonFacts;
use crate::lang::python::app::{Entry, PythonApp};
use crate::plan::{PlanError, check_file_name, check_text};
use crate::settings::Settings;

/// A server to install into the image: (name, pinned version).
pub(super) type AddedServer = (String, String);

/// The command the runtime runs, and a server to add when the app needs one it does
/// not depend on (only with the user's consent).
pub(super) fn command(
    facts: &PythonFacts,
    app: &PythonApp,
    settings: &Settings,
    warnings: &mut Vec<Warning>,
) -> Result<(Vec<String>, Option<AddedServer>), PlanError> {
    let port = settings.port.as_ref().map(|p| p.value).or(app
        .listening
        .port
        .as_ref()
        .map(|p| p.port));
    let port_text = port.unwrap_or(8000).to_string();
    let origin = app.entry.evidence.location();
    let words = |items: &[&str]| items.iter().map(|w| w.to_string()).collect::<Vec<_>>();
    let (command, server) = match &app.entry.value {
        Entry::App { target, server } => {
            check_text(&origin, "application", target)?;
            let command = match server.as_str() {
                "uvicorn" => words(&["uvicorn", target, "--host", "0.0.0.0", "--port", &port_text]),
                _ => gunicorn(app, target, &port_text),
            };
            (command, Some(server.as_str()))
        }
        Entry::Django { target, .. } => {
            check_text(&origin, "application", target)?;
            (gunicorn(app, target, &port_text), Some("gunicorn"))
        }
        Entry::Streamlit { file } => {
            check_text(&origin, "script", file)?;
            let port = port.unwrap_or(8501).to_string();
            let command = words(&[
                "streamlit",
                "run",
                file,
                "--server.port",
                &port,
                "--server.address",
                "0.0.0.0",
                "--server.headless",
                "true",
            ]);
            (command, None)
        }
        Entry::Script { name } => {
            check_file_name(&origin, "console script", name)?;
            (vec![name.clone()], None)
        }
        Entry::File { file } => {
            check_text(&origin, "script", file)?;
            (words(&["python", file]), None)
        }
        Entry::Procfile { command, before } => {
            for word in command {
                check_text(&origin, "Procfile command", word)?;
            }
            if !before.is_empty() {
                warnings.push(Warning {
                    message: format!(
                        "the Procfile runs {} before the server: the image starts only the server; run those steps once per deploy (docker run IMAGE …)",
                        before.join("; ")
                    ),
                    evidence: app.entry.evidence.clone(),
                });
            }
            let argv = crate::detect::procfile::with_port(command, port.unwrap_or(8000));
            let server = command
                .first()
                .map(String::as_str)
                .filter(|p| matches!(*p, "gunicorn" | "uvicorn"));
            (argv, server)
        }
    };
    let add = match server {
        Some(server) => server_to_add(facts, app, settings, server, warnings)?,
        None => None,
    };
    Ok((command, add))
}

/// gunicorn binds what gunicorn.conf.py says, else all addresses on the port.
fn gunicorn(app: &PythonApp, target: &str, port: &str) -> Vec<String> {
    let mut command = vec!["gunicorn".to_string(), target.to_string()];
    if app.gunicorn_conf.is_none() {
        command.push("--bind".into());
        command.push(format!("0.0.0.0:{port}"));
    }
    command
}

/// Nothing when the app depends on its server; else the pinned server, installed
/// by default (a zero-flag run must give an image that runs) with a warning, unless
/// the user refused it (`--add-server=false`): then an error saying how to fix it.
fn server_to_add(
    facts: &PythonFacts,
    app: &PythonApp,
    settings: &Settings,
    server: &str,
    warnings: &mut Vec<Warning>,
) -> Result<Option<AddedServer>, PlanError> {
    let brought = app.framework.as_ref().is_some_and(|f| {
        super::data::python()
            .framework
            .iter()
            .any(|d| d.name == f.value && d.brings_server)
    });
    if brought || facts.dependencies.contains(server) {
        return Ok(None);
    }
    let version = super::data::python()
        .servers
        .get(server)
        .cloned()
        .unwrap_or_default();
    match &settings.add_server {
        Some(refused) if !refused.value => Err(PlanError::Unsupported {
            file: app.entry.evidence.location(),
            what: format!(
                "serving this app without {server}, which is not a dependency (and {} refuses to add it),",
                refused.source
            ),
            hint: format!(
                "add {server} to the project's dependencies, or let docksmith install {server} {version} into the image (drop add-server = false)"
            ),
        }),
        consent => {
            let why = match consent {
                Some(set) => format!("set by {}", set.source),
                None => "the default; --add-server=false refuses".to_string(),
            };
            warnings.push(Warning {
                message: format!(
                    "{server} is not a dependency: {server} {version} is installed into the image ({why}); add it to the project's dependencies to choose its version"
                ),
                evidence: app.entry.evidence.clone(),
            });
            Ok(Some((server.to_string(), version)))
        }
    }
}
