//! How Python facts and plans read to a person (`docksmith detect`, `docksmith plan`).

use std::fmt::Write as _;

use super::PythonFacts;
use super::app::Entry;
use crate::report::{app_rows, fact_row, port_rows, row, workspace_row};

pub fn facts(out: &mut String, facts: &PythonFacts) {
    let _ = writeln!(out, "python project");
    fact_row(out, 2, "manifest", &facts.manifest);
    fact_row(out, 2, "python", &facts.python);
    let installer = &facts.installer.value;
    let tool = serde_json::to_value(installer.tool)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    row(
        out,
        2,
        "installer",
        &tool,
        &facts.installer.evidence.to_string(),
    );
    workspace_row(out, facts.workspace.as_ref());
    row(
        out,
        2,
        "dependencies",
        &facts.dependencies.len().to_string(),
        &facts.install_inputs.join(", "),
    );
    for native in &facts.native {
        fact_row(out, 2, "native", native);
    }
    for app in &facts.apps {
        app_rows(
            out,
            &app.name.value,
            &app.name.evidence,
            app.framework.as_ref(),
        );
        let how = match &app.entry.value {
            Entry::App { target, server } => format!("{server} {target}"),
            Entry::Django { target, .. } => format!("gunicorn {target}"),
            Entry::Streamlit { file } => format!("streamlit run {file}"),
            Entry::Script { name } => format!("console script {name}"),
            Entry::File { file } => format!("python {file}"),
            Entry::Procfile { command, .. } => command.join(" "),
        };
        row(out, 4, "runs", &how, &app.entry.evidence.to_string());
        port_rows(out, &app.listening);
    }
}

/// The Python lines of `docksmith plan`.
pub fn build(python: &super::PythonBuild, out: &mut String) {
    row(out, 2, "app", &python.app.value, &python.app.reason);
    row(
        out,
        2,
        "python",
        &python.python.value,
        &python.python.reason,
    );
    row(
        out,
        2,
        "installer",
        &python.installer.value,
        &python.installer.reason,
    );
    if !python.dependencies.is_empty() {
        row(
            out,
            2,
            "dependencies",
            &python.dependencies.join(" "),
            &format!("cache mount on {}", python.cache),
        );
    }
    for step in &python.after_sources {
        row(out, 2, "then", &step.join(" "), "");
    }
    if !python.build_packages.is_empty() {
        row(out, 2, "build pkgs", &python.build_packages.join(" "), "");
    }
}
