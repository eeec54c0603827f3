//! What a Java build leaves and how it runs: moving the build's output into /out,
//! the files the runtime copies (Spring Boot's layers dependencies first, Quarkus's
//! fast-jar, a jar, a distribution) with the arguments that launch them, and the
//! jlinked runtime.

use super::plan::{APP_ROOT, Jlink, OUT};

use super::data::java;
use super::detect::{AppKind, JavaApp, JavaFacts};
use crate::plan::Artifact;
use crate::plan::program::BUILD_STAGE;

/// Moves what the build left into /out.
pub(super) fn collect(kind: &AppKind) -> Vec<Vec<String>> {
    let words = |parts: &[&str]| parts.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let app_dir = format!("{OUT}/app");
    match kind {
        AppKind::SpringBoot { jar, version } if tools_mode(version) => vec![words(&[
            "java",
            "-Djarmode=tools",
            "-jar",
            jar,
            "extract",
            "--layers",
            "--destination",
            &app_dir,
        ])],
        AppKind::SpringBoot { jar, .. } => vec![words(&[
            "java",
            "-Djarmode=layertools",
            "-jar",
            jar,
            "extract",
            "--destination",
            &app_dir,
        ])],
        AppKind::Jar { jar } => vec![
            words(&["mkdir", "-p", OUT]),
            words(&["cp", jar, &format!("{OUT}/app.jar")]),
        ],
        AppKind::Quarkus { dir } | AppKind::Distribution { dir, .. } => vec![
            words(&["mkdir", "-p", OUT]),
            words(&["cp", "-R", dir, &app_dir]),
        ],
    }
}

/// Boot 3.3 and later extract with `-Djarmode=tools`.
pub(super) fn tools_mode(version: &str) -> bool {
    let since = &java().spring_boot.tools_since;
    version_at_least(version, since)
}

pub(super) fn version_at_least(version: &str, since: &str) -> bool {
    let parse = |v: &str| -> Vec<u32> {
        v.split(['.', '-'])
            .take(2)
            .map(|p| p.parse().unwrap_or(0))
            .collect()
    };
    parse(version) >= parse(since)
}

/// What the runtime copies from the build stage, dependencies first (they change less
/// often than the app), and the arguments that launch it.
pub(super) fn runtime_files(kind: &AppKind) -> (Vec<Artifact>, Vec<String>) {
    let copy = |source: String, target: String| Artifact {
        from: BUILD_STAGE.into(),
        source,
        target,
        chown: None,
    };
    let app = |file: &str| format!("{APP_ROOT}/{file}");
    let jar_launch = |jar: String| vec!["-jar".to_string(), jar];
    match kind {
        AppKind::SpringBoot { jar, version } => {
            let layers = java()
                .spring_boot
                .layers
                .iter()
                .map(|layer| copy(format!("{OUT}/app/{layer}/"), format!("{APP_ROOT}/")))
                .collect();
            // Boot's tools extraction keeps the jar's name; its manifest's Class-Path
            // names lib/ beside it.
            let launch = if tools_mode(version) {
                jar_launch(app(file_name(jar)))
            } else if version_at_least(version, "3.2") {
                vec![java().spring_boot.launcher_since_3_2.clone()]
            } else {
                vec![java().spring_boot.launcher.clone()]
            };
            (layers, launch)
        }
        AppKind::Jar { .. } => (
            vec![copy(format!("{OUT}/app.jar"), app("app.jar"))],
            jar_launch(app("app.jar")),
        ),
        AppKind::Quarkus { .. } => (
            ["lib/", "quarkus-run.jar", "app/", "quarkus/"]
                .iter()
                .map(|part| copy(format!("{OUT}/app/{part}"), app(part)))
                .collect(),
            jar_launch(app("quarkus-run.jar")),
        ),
        AppKind::Distribution { main_class, .. } => (
            vec![copy(format!("{OUT}/app/lib/"), app("lib/"))],
            vec!["-cp".into(), app("lib/*"), main_class.clone()],
        ),
    }
}

/// The last part of a path.
pub(super) fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// jdeps over the app and its libraries, jlink of what it finds.
pub(super) fn jlink(app: &JavaApp, facts: &JavaFacts) -> Jlink {
    let data = java();
    let release = facts.release.value.max(data.jlink.since).to_string();
    let mut jdeps: Vec<String> = [
        "jdeps",
        "--ignore-missing-deps",
        "--print-module-deps",
        "-q",
        "--multi-release",
        &release,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    match &app.kind.value {
        AppKind::SpringBoot { jar, version } if tools_mode(version) => jdeps.extend([
            "--recursive".into(),
            "--class-path".into(),
            format!("{OUT}/app/dependencies/lib/*"),
            format!("{OUT}/app/application/{}", file_name(jar)),
        ]),
        AppKind::SpringBoot { .. } => jdeps.extend([
            "--recursive".into(),
            "--class-path".into(),
            format!("{OUT}/app/dependencies/BOOT-INF/lib/*"),
            format!("{OUT}/app/application/BOOT-INF/classes"),
        ]),
        AppKind::Jar { .. } => jdeps.push(format!("{OUT}/app.jar")),
        AppKind::Quarkus { .. } | AppKind::Distribution { .. } => {
            jdeps.push(format!("{OUT}/app/lib"))
        }
    }
    Jlink {
        jdeps,
        link: [
            "jlink",
            "--strip-debug",
            "--no-man-pages",
            "--no-header-files",
            "--output",
            &data.jlink.output,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        extra_modules: data.jlink.extra_modules.join(","),
        output: data.jlink.output.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_by_major_and_minor() {
        assert!(version_at_least("3.5.7", "3.3"));
        assert!(version_at_least("4.0.0-M1", "3.3"));
        assert!(!version_at_least("3.2.12", "3.3"));
        assert!(!version_at_least("2.7.18", "3.3"));
    }
}
