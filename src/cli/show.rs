//! Human-readable text for `detect` and `plan`: one fact or decision a line, each
//! with where it came from.

use std::fmt::Write as _;

use crate::detect::Warning;
use crate::plan::BuildPlan;
use crate::report::{fact_row, row};

pub fn detection(analysis: &crate::pipeline::Analysis) -> String {
    let mut out = String::new();
    for detection in &analysis.detections {
        detection.show(&mut out);
    }
    for sub in &analysis.subprojects {
        let _ = writeln!(out, "== {} ==", sub.dir);
        for detection in &sub.analysis.detections {
            detection.show(&mut out);
        }
    }
    if let Some(url) = &analysis.project.source_url {
        fact_row(&mut out, 0, "source", url);
    }
    let found = crate::apps::find(analysis);
    let apps = crate::apps::deployable(&found);
    if apps.len() > 1 {
        let names: Vec<String> = apps.iter().map(|a| a.describe()).collect();
        let _ = writeln!(
            out,
            "apps            {}\n                `docksmith init --all` writes a Dockerfile per app and a docker-bake.hcl",
            names.join(", ")
        );
    }
    let tooling: Vec<String> = found
        .iter()
        .filter(|a| !apps.contains(a))
        .map(|a| a.describe())
        .collect();
    if !tooling.is_empty() {
        let _ = writeln!(
            out,
            "tooling         {}\n                left out of --all (a tooling folder); --app NAME builds one",
            tooling.join(", ")
        );
    }
    out
}

pub fn plan(plan: &BuildPlan) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} build plan", plan.language());
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
    plan.build.show(&mut out);
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
        crate::settings::Syntax::V1 => format!("# syntax={}", plan.syntax_image),
        crate::settings::Syntax::None => "none (the engine's built-in frontend)".to_string(),
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

/// What the plan decided for a setting nobody set, for `--show-settings`; `None` for
/// a setting the plan does not show as one value.
pub fn effective(plan: &BuildPlan, key: &str) -> Option<String> {
    let runtime = &plan.runtime;
    Some(match key {
        "language" => plan.language().to_string(),
        "flavor" => plan.flavor.value.as_str().to_string(),
        "port" => runtime
            .expose
            .as_ref()
            .map_or("none".to_string(), |p| p.value.to_string()),
        "command" => runtime.start_line(),
        "user" => runtime.user.uid.to_string(),
        "healthcheck" => (!runtime.healthcheck.is_empty()).to_string(),
        "runtime-packages" => format!("[{}]", runtime.packages.join(", ")),
        "image-builder" => plan.builder.value.clone(),
        "image-runtime" => runtime.image.value.clone(),
        _ => return None,
    })
}
