//! Human-readable text for `detect` and `plan`: one fact or decision a line, each
//! with where it came from.

use std::fmt::Write as _;

use crate::detect::go::{GoFacts, VendorState};
use crate::detect::node::NodeFacts;
use crate::detect::node::app::AppKind;
use crate::detect::ports::PortHit;
use crate::detect::project::ProjectFacts;
use crate::detect::python::PythonFacts;
use crate::detect::python::app::Entry;
use crate::detect::rust::RustFacts;
use crate::detect::rust::toolchain::Channel;
use crate::detect::{Detection, Evidence, Fact, Warning};
use crate::plan::BuildPlan;

/// A two-column table row with the evidence last.
fn row(out: &mut String, indent: usize, key: &str, value: &str, why: &str) {
    let key = format!("{:indent$}{key}", "");
    let line = format!("{key:<16}{value:<30} {why}");
    let _ = writeln!(out, "{}", line.trim_end());
}

pub fn detection(detections: &[Detection], project: &ProjectFacts) -> String {
    let mut out = String::new();
    if detections.is_empty() {
        out.push_str("no supported project found (docksmith knows Go: go.mod or go.work; Rust: Cargo.toml; Node.js: package.json; Python: pyproject.toml, requirements.txt or Pipfile)\n");
    }
    for detection in detections {
        match detection {
            Detection::Go(facts) => go_facts(&mut out, facts),
            Detection::Rust(facts) => rust_facts(&mut out, facts),
            Detection::Node(facts) => node_facts(&mut out, facts),
            Detection::Python(facts) => python_facts(&mut out, facts),
        }
    }
    if let Some(url) = &project.source_url {
        fact_row(&mut out, 0, "source", url);
    }
    out
}

fn go_facts(out: &mut String, facts: &GoFacts) {
    let _ = writeln!(out, "go project");
    fact_row(out, 2, "module", &facts.module);
    fact_row(out, 2, "go", &facts.go_version);
    workspace_row(out, facts.workspace.as_ref());
    let requires = match facts.requires {
        1 => "1 module".to_string(),
        n => format!("{n} modules"),
    };
    row(out, 2, "requires", &requires, &facts.manifests.join(", "));
    let vendor = match facts.vendor.value {
        VendorState::Absent => "none",
        VendorState::Consistent => "used (-mod=vendor)",
        VendorState::Inconsistent => "out of date, ignored",
    };
    row(out, 2, "vendor", vendor, &facts.vendor.evidence.to_string());
    for binary in &facts.binaries {
        row(
            out,
            2,
            "binary",
            &format!("{} ({})", binary.name.value, binary.package_arg()),
            &binary.name.evidence.to_string(),
        );
        row(
            out,
            4,
            "cgo",
            if binary.cgo.value { "yes" } else { "no" },
            &binary.cgo.evidence.to_string(),
        );
        port_rows(
            out,
            binary.port.as_ref(),
            &binary.other_ports,
            binary.port_env.as_ref(),
        );
        for framework in &binary.frameworks {
            fact_row(out, 4, "framework", framework);
        }
    }
}

fn rust_facts(out: &mut String, facts: &RustFacts) {
    let _ = writeln!(out, "rust project");
    fact_row(out, 2, "manifest", &facts.manifest);
    row(
        out,
        2,
        "read with",
        &facts.reader.value,
        &facts.reader.evidence.detail,
    );
    let packages: Vec<&str> = facts
        .workspace
        .packages
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    let defaults = format!(
        "default members: {}",
        facts.workspace.default_members.join(", ")
    );
    row(out, 2, "packages", &packages.join(", "), &defaults);
    row(
        out,
        2,
        "lockfile",
        facts.lockfile.as_deref().unwrap_or("none"),
        "",
    );
    if let Some(pin) = &facts.toolchain {
        let channel = match &pin.value.channel {
            Channel::Release(v) => v.clone(),
            Channel::Stable => "stable".into(),
            Channel::Other(c) => c.clone(),
        };
        row(out, 2, "toolchain", &channel, &pin.evidence.to_string());
    }
    for binary in &facts.binaries {
        let name = format!("{} (package {})", binary.name.value, binary.package);
        row(out, 2, "binary", &name, &binary.name.evidence.to_string());
        for native in &binary.native {
            let how = if native.bundled {
                "bundled"
            } else {
                "system library"
            };
            row(
                out,
                4,
                "native",
                &format!("{} ({how})", native.name),
                &native.evidence.to_string(),
            );
        }
        port_rows(
            out,
            binary.port.as_ref(),
            &binary.other_ports,
            binary.port_env.as_ref(),
        );
        for framework in &binary.frameworks {
            fact_row(out, 4, "framework", framework);
        }
    }
}

fn node_facts(out: &mut String, facts: &NodeFacts) {
    let _ = writeln!(out, "node project");
    let pm = &facts.package_manager;
    let label = match &pm.value.version {
        Some(v) => format!("{}@{v}", pm.value.tool.command()),
        None => pm.value.tool.command().to_string(),
    };
    row(out, 2, "package mgr", &label, &pm.evidence.to_string());
    fact_row(out, 2, "node", &facts.node);
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
            AppKind::Server { start, .. } => format!("node {}", start.join(" ")),
            AppKind::Next { standalone: true } => "next standalone".into(),
            AppKind::Next { standalone: false } => "next start".into(),
            AppKind::Entry { start, .. } => format!("node {}", start.join(" ")),
            AppKind::Static { output } => format!("static site in {output}/"),
        };
        row(out, 4, "runs", &how, &app.kind.evidence.to_string());
        if let Some(build) = &app.build {
            fact_row(out, 4, "build", build);
        }
        port_rows(
            out,
            app.port.as_ref(),
            &app.other_ports,
            app.port_env.as_ref(),
        );
        if let Some(signals) = &app.handles_signals {
            row(out, 4, "signals", "handled", &signals.to_string());
        }
    }
}

fn python_facts(out: &mut String, facts: &PythonFacts) {
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
        };
        row(out, 4, "runs", &how, &app.entry.evidence.to_string());
        port_rows(
            out,
            app.port.as_ref(),
            &app.other_ports,
            app.port_env.as_ref(),
        );
    }
}

/// A fact's row: its value, then its evidence.
fn fact_row<T: std::fmt::Display>(out: &mut String, indent: usize, key: &str, fact: &Fact<T>) {
    row(
        out,
        indent,
        key,
        &fact.value.to_string(),
        &fact.evidence.to_string(),
    );
}

/// The members of a workspace (Go, Node.js, Python), when there is one.
fn workspace_row(out: &mut String, workspace: Option<&Fact<Vec<String>>>) {
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
fn app_rows(out: &mut String, name: &str, evidence: &Evidence, framework: Option<&Fact<String>>) {
    row(out, 2, "app", name, &evidence.to_string());
    if let Some(framework) = framework {
        fact_row(out, 4, "framework", framework);
    }
}

fn port_rows(
    out: &mut String,
    port: Option<&PortHit>,
    others: &[PortHit],
    port_env: Option<&Evidence>,
) {
    match port {
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
    if let Some(read) = port_env {
        row(out, 4, "env", "reads $PORT", &read.location());
    }
    for other in others {
        row(
            out,
            4,
            "also",
            &other.port.to_string(),
            &other.evidence.to_string(),
        );
    }
}

pub fn plan(plan: &BuildPlan) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} build plan", plan.language);
    row(
        &mut out,
        2,
        "flavor",
        plan.flavor.value.as_str(),
        &plan.flavor.reason,
    );
    row(
        &mut out,
        2,
        "builder",
        &plan.builder.value,
        &plan.builder.reason,
    );
    row(
        &mut out,
        2,
        "runtime",
        &plan.runtime.image.value,
        &plan.runtime.image.reason,
    );
    if let Some(go) = &plan.go {
        row(
            &mut out,
            2,
            "binary",
            &format!("{} ({})", go.binary.value, go.package),
            &go.binary.reason,
        );
        row(
            &mut out,
            2,
            "cgo",
            if go.cgo.value { "on" } else { "off (static)" },
            &go.cgo.reason,
        );
        let modules = match (&go.download, go.vendor) {
            (_, true) => "vendor/ (-mod=vendor)".to_string(),
            (Some(files), false) => format!("go mod download ({})", files.join(", ")),
            (None, false) => "nothing to download".to_string(),
        };
        row(
            &mut out,
            2,
            "modules",
            &modules,
            "cache mount on /go/pkg/mod",
        );
        let platform = if go.cross_compile {
            "cross-compiled from $BUILDPLATFORM"
        } else {
            "built on the target platform"
        };
        let _ = writeln!(out, "  {:<14}{platform}", "platform");
        if !go.build_packages.is_empty() {
            row(&mut out, 2, "build pkgs", &go.build_packages.join(" "), "");
        }
    }
    if let Some(rust) = &plan.rust {
        let binary = format!("{} (package {})", rust.binary.value, rust.package);
        row(&mut out, 2, "binary", &binary, &rust.binary.reason);
        row(
            &mut out,
            2,
            "toolchain",
            &rust.toolchain.value,
            &rust.toolchain.reason,
        );
        let lock = if rust.locked {
            "--locked (Cargo.lock)"
        } else {
            "resolved at build time"
        };
        row(
            &mut out,
            2,
            "dependencies",
            lock,
            "registry, git and target caches mounted",
        );
        if !rust.build_packages.is_empty() {
            row(
                &mut out,
                2,
                "build pkgs",
                &rust.build_packages.join(" "),
                "",
            );
        }
    }
    if let Some(node) = &plan.node {
        row(&mut out, 2, "app", &node.app.value, &node.app.reason);
        row(
            &mut out,
            2,
            "node",
            &node.node.value.to_string(),
            &node.node.reason,
        );
        row(
            &mut out,
            2,
            "package mgr",
            &node.package_manager.value,
            &node.package_manager.reason,
        );
        row(
            &mut out,
            2,
            "install",
            &node.install.join(" "),
            &format!("cache mount on {}", node.cache),
        );
        if let Some(prod) = &node.install_prod {
            row(
                &mut out,
                2,
                "prod deps",
                &prod.join(" "),
                "only what the app needs at run time",
            );
        }
        for step in &node.build {
            row(&mut out, 2, "build", &step.join(" "), "");
        }
        if !node.deps_packages.is_empty() {
            row(&mut out, 2, "build pkgs", &node.deps_packages.join(" "), "");
        }
    }
    if let Some(python) = &plan.python {
        row(&mut out, 2, "app", &python.app.value, &python.app.reason);
        row(
            &mut out,
            2,
            "python",
            &python.python.value,
            &python.python.reason,
        );
        row(
            &mut out,
            2,
            "installer",
            &python.installer.value,
            &python.installer.reason,
        );
        if !python.dependencies.is_empty() {
            row(
                &mut out,
                2,
                "dependencies",
                &python.dependencies.join(" "),
                &format!("cache mount on {}", python.cache),
            );
        }
        for step in &python.after_sources {
            row(&mut out, 2, "then", &step.join(" "), "");
        }
        if !python.build_packages.is_empty() {
            row(
                &mut out,
                2,
                "build pkgs",
                &python.build_packages.join(" "),
                "",
            );
        }
    }
    if !plan.runtime.packages.is_empty() {
        row(
            &mut out,
            2,
            "runtime pkgs",
            &plan.runtime.packages.join(" "),
            "",
        );
    }
    let user = &plan.runtime.user;
    row(
        &mut out,
        2,
        "user",
        &format!("{}:{} ({})", user.uid, user.gid, user.name),
        "numeric, non-root",
    );
    match &plan.runtime.expose {
        Some(port) => row(&mut out, 2, "port", &port.value.to_string(), &port.reason),
        None => row(
            &mut out,
            2,
            "port",
            "none",
            "no EXPOSE: no listening port found",
        ),
    }
    for var in &plan.runtime.env {
        row(
            &mut out,
            2,
            "env",
            &format!("{}={}", var.name, var.value),
            &var.reason,
        );
    }
    let syntax = match plan.syntax {
        crate::settings::Syntax::V1 => "# syntax=docker/dockerfile:1",
        crate::settings::Syntax::None => "none (the engine's built-in frontend)",
    };
    let _ = writeln!(out, "  {:<14}{syntax}", "syntax");
    if !plan.rejected.is_empty() {
        let _ = writeln!(out, "rejected");
        for rejection in &plan.rejected {
            let _ = writeln!(out, "  - {}: {}", rejection.option, rejection.reason);
        }
    }
    out
}

/// `warning: message (file:line)` lines.
/// One line per warning, each starting with `label` (`warning:`, maybe colored).
pub fn warnings(warnings: &[Warning], label: &str) -> String {
    warnings
        .iter()
        .map(|w| format!("{label} {} ({})\n", w.message, w.evidence.location()))
        .collect()
}
