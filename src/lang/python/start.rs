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
