//! Monorepos built the way the bake file says: `docksmith init --all`, then the real
//! `docker buildx bake` (every target in parallel), then every target's image run.
//! `bake --print` is snapshot-tested, with the defaults and with CI's variables.

use std::path::Path;
use std::process::Command;

use crate::common;
use crate::engine::Docker;

/// How to tell an app's image works (the port must be the one docksmith detected).
enum Works {
    Http(u16),
    Prints(&'static str),
}

/// Runs `docker buildx bake` in `dir`; (stdout, stderr).
fn bake(docker: &Docker, dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (String, String) {
    let mut cmd: Command = docker.command();
    cmd.current_dir(dir).args(["buildx", "bake"]).args(args);
    for (key, value) in env {
        cmd.env(key, value);
    }
    let out = cmd.output().expect("docker buildx runs");
    assert!(
        out.status.success(),
        "docker buildx bake {args:?} (run ../shared/imageforge/buildx-up first):\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every Dockerfile docksmith wrote: `Dockerfile.<app>` at the root, `Dockerfile*` in
/// a sub-project's folder.
fn dockerfiles(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() && !name.starts_with('.') {
            found.extend(dockerfiles(&path));
        } else if name.starts_with("Dockerfile") {
            found.push(path);
        }
    }
    found
}

fn run_monorepo(name: &str, apps: &[(&str, Works)]) {
    let docker = Docker::find();
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join(name);
    common::copy_example(&format!("monorepos/{name}"), &dir);
    // Stand-ins have no registry to fetch the `# syntax=` frontend from.
    let out = crate::docksmith()
        .args(["init", "--all", "--syntax", "none"])
        .arg(&dir)
        .output()
        .unwrap();
    crate::common::assert_success(&out);
    for dockerfile in dockerfiles(&dir) {
        let dockerfile = std::fs::read_to_string(dockerfile).unwrap();
        for line in dockerfile.lines().filter(|l| l.starts_with("FROM ")) {
            let image = line
                .split_whitespace()
                .find(|w| w.contains(':') && !w.starts_with("--"));
            if let Some(image) = image {
                docker.ensure_base(image);
            }
        }
    }
    let repo = common::repo();
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(repo.join(format!("examples/monorepos/{name}/expected")));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        let (print, _) = bake(&docker, &dir, &["--print"], &[]);
        insta::assert_snapshot!("bake-print.json", print);
        let (ci, _) = bake(
            &docker,
            &dir,
            &["--print"],
            &[
                ("REGISTRY", "ghcr.io/acme"),
                ("TAG", "1.4.0"),
                ("PLATFORMS", "linux/amd64,linux/arm64"),
                ("CACHE_FROM", "type=registry,ref=ghcr.io/acme/cache:{app}"),
                (
                    "CACHE_TO",
                    "type=registry,ref=ghcr.io/acme/cache:{app},mode=max",
                ),
            ],
        );
        insta::assert_snapshot!("bake-print-ci.json", ci);
    });
    let registry = format!("docksmith-e2e/{name}");
    let (_, log) = bake(
        &docker,
        &dir,
        &[
            "--allow=network.host",
            "--set",
            "*.network=host",
            "--progress",
            "plain",
        ],
        &[("REGISTRY", &registry), ("TAG", "bake")],
    );
    // Every target was built by the one bake run.
    for (app, _) in apps {
        assert!(
            log.contains(&format!("[{app} ")),
            "no step of {app}:\n{log}"
        );
    }
    for (app, works) in apps {
        let tag = format!("{registry}/{app}:bake");
        assert_eq!(docker.image_user(&tag), "65532:65532", "{tag}");
        match works {
            Works::Http(port) => {
                docker.serve_http(&tag, *port);
            }
            Works::Prints(text) => {
                docker.run_command(&tag, &[], text);
            }
        }
    }
    // The files still match what docksmith generates.
    let check = crate::docksmith().arg("check").arg(&dir).output().unwrap();
    assert!(check.status.success());
}

#[test]
#[ignore = "needs a Docker engine, buildx and the imageforge stand-ins: cargo test --test e2e -- --ignored"]
fn monorepo_go_services_bakes_and_runs_every_app() {
    run_monorepo(
        "go-services",
        &[
            ("admin", Works::Http(8102)),
            ("api", Works::Http(8101)),
            ("worker", Works::Prints("indexed tea")),
        ],
    );
}

#[test]
#[ignore = "needs a Docker engine, buildx and the imageforge stand-ins: cargo test --test e2e -- --ignored"]
fn monorepo_npm_workspaces_bakes_and_runs_every_app() {
    run_monorepo(
        "npm-workspaces",
        &[("api", Works::Http(3101)), ("web", Works::Http(3102))],
    );
}

#[test]
#[ignore = "needs a Docker engine, buildx and the imageforge stand-ins: cargo test --test e2e -- --ignored"]
fn monorepo_cargo_workspace_bakes_and_runs_every_app() {
    run_monorepo(
        "cargo-workspace",
        &[
            ("shop-api", Works::Http(8103)),
            ("shop-worker", Works::Prints("indexed tea")),
        ],
    );
}

#[test]
#[ignore = "needs a Docker engine, buildx and the imageforge stand-ins: cargo test --test e2e -- --ignored"]
fn monorepo_polyglot_services_bakes_each_folder_as_its_own_context() {
    run_monorepo(
        "polyglot-services",
        &[("api", Works::Http(8104)), ("web", Works::Http(3104))],
    );
}
