//! How Java facts and plans read to a person (`docksmith detect`, `docksmith plan`).

use std::fmt::Write as _;

use super::detect::AppKind;
use super::{JavaBuild, JavaFacts};
use crate::report::{app_rows, fact_row, port_rows, row, workspace_row};

pub fn facts(out: &mut String, facts: &JavaFacts) {
    let _ = writeln!(out, "java project");
    fact_row(out, 2, "manifest", &facts.manifest);
    fact_row(out, 2, "build tool", &facts.tool);
    fact_row(out, 2, "release", &facts.release);
    workspace_row(out, facts.modules.as_ref());
    for app in &facts.apps {
        let dir = if app.dir.is_empty() { "." } else { &app.dir };
        let name = format!("{} ({dir})", app.name.value);
        app_rows(out, &name, &app.name.evidence, app.framework.as_ref());
        let builds = match &app.kind.value {
            AppKind::SpringBoot { jar, version } => format!("Spring Boot {version} jar {jar}"),
            AppKind::Quarkus { dir } => format!("Quarkus app in {dir}/"),
            AppKind::Jar { jar } => format!("jar {jar}"),
            AppKind::Distribution { dir, main_class } => format!("{main_class} in {dir}/"),
        };
        row(out, 4, "builds", &builds, &app.kind.evidence.to_string());
        port_rows(out, &app.listening);
    }
}

/// The Java lines of `docksmith plan`.
pub fn build(java: &JavaBuild, out: &mut String) {
    row(out, 2, "app", &java.app.value, &java.app.reason);
    row(
        out,
        2,
        "java",
        &java.java.value.to_string(),
        &java.java.reason,
    );
    row(out, 2, "build tool", &java.tool.value, &java.tool.reason);
    row(
        out,
        2,
        "dependencies",
        &java.resolve.join(" "),
        &format!("cache mount on {}", java.cache),
    );
    row(out, 2, "build", &java.package.join(" "), "");
    if let Some(jlink) = &java.jlink {
        row(
            out,
            2,
            "jlink",
            &jlink.output,
            &format!("modules from jdeps, plus {}", jlink.extra_modules),
        );
    }
}
