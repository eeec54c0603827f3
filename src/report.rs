//! Rows of human-readable text for `detect` and `plan`: a key, a value, and why.
//! Every wing writes its facts and plan with these, so all read alike.

use std::fmt::Write as _;

use crate::detect::ports::Listening;
use crate::detect::{Evidence, Fact};

/// A two-column table row with the evidence last.
pub fn row(out: &mut String, indent: usize, key: &str, value: &str, why: &str) {
    let key = format!("{:indent$}{key}", "");
    let line = format!("{key:<16}{value:<30} {why}");
    let _ = writeln!(out, "{}", line.trim_end());
}

/// A fact's row: its value, then its evidence.
pub fn fact_row<T: std::fmt::Display>(out: &mut String, indent: usize, key: &str, fact: &Fact<T>) {
    row(
        out,
        indent,
        key,
        &fact.value.to_string(),
        &fact.evidence.to_string(),
    );
}

/// The members of a workspace (Go, Node.js, Python), when there is one.
pub fn workspace_row(out: &mut String, workspace: Option<&Fact<Vec<String>>>) {
    if let Some(ws) = workspace {
        row(
            out,
            2,
            "workspace",
            &ws.value.join(", "),
            &ws.evidence.to_string(),
        );
    }
}

/// An app's name and framework rows.
pub fn app_rows(
    out: &mut String,
    name: &str,
    evidence: &Evidence,
    framework: Option<&Fact<String>>,
) {
    row(out, 2, "app", name, &evidence.to_string());
    if let Some(framework) = framework {
        fact_row(out, 4, "framework", framework);
    }
}

pub fn port_rows(out: &mut String, listening: &Listening) {
    match &listening.port {
        Some(hit) => row(
            out,
            4,
            "port",
            &hit.port.to_string(),
            &hit.evidence.to_string(),
        ),
        None => row(
            out,
            4,
            "port",
            "none found",
            "no listen address, PORT default or framework default",
        ),
    }
    if let Some(read) = &listening.port_env {
        row(out, 4, "env", "reads $PORT", &read.location());
    }
    for other in &listening.other_ports {
        row(
            out,
            4,
            "also",
            &other.port.to_string(),
            &other.evidence.to_string(),
        );
    }
}
