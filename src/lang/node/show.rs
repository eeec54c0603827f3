//! How Node.js facts and plans read to a person (`docksmith detect`, `docksmith plan`).

use std::fmt::Write as _;

use super::NodeFacts;
use super::app::AppKind;
use crate::report::{app_rows, fact_row, port_rows, row, workspace_row};

pub fn facts(out: &mut String, facts: &NodeFacts) {
    let _ = writeln!(out, "node project");
    let pm = &facts.package_manager;
    let label = match &pm.value.version {
        Some(v) => format!("{}@{v}", pm.value.tool.command()),
        None => pm.value.tool.command().to_string(),
    };
    row(out, 2, "package mgr", &label, &pm.evidence.to_string());
    if facts.runs_on_node() {
        fact_row(out, 2, "node", &facts.node);
    }
    workspace_row(out, facts.workspace.as_ref());
    for native in &facts.native {
        let how = if native.compiled {
            "compiled"
        } else {
            "prebuilt"
        };
        row(
            out,
            2,
            "native",
            &format!("{} ({how})", native.name),
            &native.evidence.to_string(),
        );
    }
    for app in &facts.apps {
        let dir = if app.dir.is_empty() { "." } else { &app.dir };
        let name = format!("{} ({dir})", app.name.value);
        app_rows(out, &name, &app.name.evidence, app.framework.as_ref());
        let how = match &app.kind.value {
            AppKind::Server { start, runtime, .. } => format!(
                "{} {}",
                if runtime.is_node() { "node" } else { "bun" },
                start.join(" ")
            ),
            AppKind::Next {
                standalone: true, ..
            } => "next standalone".into(),
            AppKind::Next {
                standalone: false, ..
            } => "next start".into(),
            AppKind::Entry { start, .. } => format!("node {}", start.join(" ")),
            AppKind::Static { output } => format!("static site in {output}/"),
        };
        row(out, 4, "runs", &how, &app.kind.evidence.to_string());
        if let Some(own) = &app.server_config {
            let server = match own.value.server {
                super::static_site::WebServer::Nginx => "nginx",
                super::static_site::WebServer::Caddy => "caddy",
            };
            let served = format!("{server} with {}", own.value.file);
            row(out, 4, "served", &served, &own.evidence.to_string());
        }
        if let Some(staticfile) = &app.staticfile {
            let routes = if staticfile.value.pushstate {
                "client-side routes answered by index.html"
            } else {
                "missing files are 404"
            };
            row(
                out,
                4,
                "staticfile",
                routes,
                &staticfile.evidence.to_string(),
            );
        }
        if let Some(build) = &app.build {
            fact_row(out, 4, "build", build);
        }
        match (&app.kind.value, &app.server_config) {
            // A static site's port is its web server's, decided by the plan.
            (AppKind::Static { .. }, Some(own)) => {
                let port = own.value.port.to_string();
                row(out, 4, "port", &port, &own.evidence.to_string());
            }
            (AppKind::Static { .. }, None) => {
                let port = super::data::node().static_site.port.to_string();
                row(
                    out,
                    4,
                    "port",
                    &port,
                    "the static web server's (unprivileged)",
                );
            }
            _ => port_rows(out, &app.listening),
        }
        if let Some(signals) = &app.handles_signals {
            row(out, 4, "signals", "handled", &signals.to_string());
        }
    }
}

/// The Node.js lines of `docksmith plan`.
pub fn build(node: &super::NodeBuild, out: &mut String) {
    row(out, 2, "app", &node.app.value, &node.app.reason);
    if let Some(major) = &node.node {
        row(out, 2, "node", &major.value.to_string(), &major.reason);
    }
    row(
        out,
        2,
        "package mgr",
        &node.package_manager.value,
        &node.package_manager.reason,
    );
    // `plan` listed an `npm ci` the Dockerfile did not have.
    if node.installs_everything() {
        row(
            out,
            2,
            "install",
            &node.install.join(" "),
            &format!("cache mount on {}", node.cache),
        );
    }
    if let Some(prod) = &node.install_prod {
        row(
            out,
            2,
            "prod deps",
            &prod.join(" "),
            "only what the app needs at run time",
        );
    }
    for step in &node.build {
        row(out, 2, "build", &step.join(" "), "");
    }
    if !node.deps_packages.is_empty() {
        row(out, 2, "build pkgs", &node.deps_packages.join(" "), "");
    }
}
