//! Monorepos: `--all` finds every app, writes Dockerfile.<app> for each, one shared
//! .dockerignore and a docker-bake.hcl; check and update cover them all; the wizard
//! offers every app, some or one. The examples under `examples/monorepos/` keep their
//! expected files as snapshots.

use std::path::{Path, PathBuf};

use docksmith::Exit;
use docksmith::settings::{Options, Settings};

use crate::support::{copy_example, docksmith, read, repo, run_in_process};

fn path(dir: &Path) -> &str {
    dir.to_str().unwrap()
}

/// Every monorepo example, sorted by name.
fn monorepos() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(repo().join("examples/monorepos"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("expected").is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// `Dockerfile.api`, `web/Dockerfile`.
fn is_dockerfile(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|n| n.starts_with("Dockerfile"))
}

/// `docksmith plan --all PROJECT`, which must succeed: (stdout, stderr).
fn plan_all(project: &Path) -> (String, String) {
    let out = docksmith()
        .args(["plan", "--all"])
        .arg(project)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{err}");
    (String::from_utf8_lossy(&out.stdout).into_owned(), err)
}

/// `docksmith generate --all --out DIR PROJECT` into a new folder, which must succeed.
fn generate_all(project: &Path) -> tempfile::TempDir {
    let into = tempfile::tempdir().unwrap();
    let out = docksmith()
        .args(["generate", "--all", "--out"])
        .arg(into.path())
        .arg(project)
        .output()
        .unwrap();
    crate::common::assert_success(&out);
    into
}

/// `init --all` in `root`, which must succeed and write every one of `files`.
fn init_all(root: &Path, files: &[&str]) -> crate::support::Run {
    let run = run_in_process(&["init", "--all", path(root)], &[], false, &[]);
    assert_eq!(run.code, Exit::Ok, "{}", run.err);
    for file in files {
        assert!(root.join(file).is_file(), "{file}: {}", run.err);
    }
    run
}

fn generated(dir: &Path) -> Vec<(String, String)> {
    let flags = Options {
        apps: Some(vec!["*".into()]),
        ..Options::default()
    };
    let settings = Settings::resolve(flags, &|_: &str| None, dir).unwrap();
    let analysis = docksmith::pipeline::analyze(dir).unwrap();
    analysis.output(&settings, "example").unwrap().files()
}

#[test]
fn every_monorepo_example_has_expected_files() {
    let examples = monorepos();
    assert!(examples.len() >= 3, "{examples:?}");
    for dir in examples {
        let files = generated(&dir);
        let dockerfiles = files.iter().filter(|(n, _)| is_dockerfile(n)).count();
        assert!(dockerfiles >= 2, "{}: {dockerfiles} apps", dir.display());
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(dir.join("expected"));
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.bind(|| {
            for (name, text) in &files {
                // `web/.dockerignore` is kept as `web-dockerignore.snap`.
                let snapshot: Vec<&str> =
                    name.split('/').map(|p| p.trim_start_matches('.')).collect();
                let snapshot = snapshot.join("-");
                insta::assert_snapshot!(snapshot, text);
            }
            insta::assert_snapshot!("plan.txt", plan_all(&dir).0);
        });
    }
}

#[test]
fn hadolint_and_buildkit_accept_every_monorepo_dockerfile() {
    let tmp = tempfile::tempdir().unwrap();
    for dir in monorepos() {
        for (name, text) in generated(&dir) {
            if !is_dockerfile(&name) {
                continue;
            }
            let file = tmp.path().join(format!(
                "{}.{}",
                dir.file_name().unwrap().to_string_lossy(),
                name.replace('/', "-")
            ));
            std::fs::write(&file, &text).unwrap();
            let findings = crate::lint::lint(&file);
            assert!(findings.is_empty(), "{}:\n{findings}", file.display());
            // BuildKit's own parser reads it (first and last lines of each instruction).
            let parsed: serde_json::Value =
                crate::support::buildkit_script("buildkit_lines.py", &[file.as_os_str()]);
            assert!(parsed.to_string().contains("FROM"), "{parsed}");
        }
    }
}

#[test]
fn init_all_writes_every_app_and_check_and_update_cover_the_bake_file() {
    let dir = copy_example("monorepos/go-services");
    let root = dir.path();
    let run = init_all(
        root,
        &[
            "Dockerfile.admin",
            "Dockerfile.api",
            "Dockerfile.worker",
            ".dockerignore",
            "docker-bake.hcl",
        ],
    );
    assert!(!root.join("Dockerfile").exists());
    assert!(run.err.contains("docker buildx bake"), "{}", run.err);
    assert!(read(root, "docksmith.toml").contains("apps = [\"*\"]"));
    // check: clean, then a hand edit of the bake file is drift.
    let check = run_in_process(&["check", path(root)], &[], false, &[]);
    assert_eq!(check.code, Exit::Ok, "{}", check.err);
    let bake = read(root, "docker-bake.hcl");
    std::fs::write(
        root.join("docker-bake.hcl"),
        bake.replace("default = \"dev\"", "default = \"edge\""),
    )
    .unwrap();
    let check = run_in_process(&["check", "--strict", path(root)], &[], false, &[]);
    assert_eq!(check.code, Exit::Drift, "{}", check.err);
    assert!(check.out.contains("docker-bake.hcl"), "{}", check.out);
    // update keeps the edit (a three-way merge), and a new app is picked up.
    std::fs::create_dir_all(root.join("cmd/cron")).unwrap();
    std::fs::write(
        root.join("cmd/cron/main.go"),
        "package main\n\nfunc main() {}\n",
    )
    .unwrap();
    let check = run_in_process(&["check", path(root)], &[], false, &[]);
    assert_eq!(check.code, Exit::Drift, "{}", check.err);
    assert!(check.out.contains("+++ b/Dockerfile.cron"), "{}", check.out);
    let update = run_in_process(&["update", path(root)], &[], false, &[]);
    assert_eq!(update.code, Exit::Ok, "{}", update.err);
    let bake = read(root, "docker-bake.hcl");
    assert!(bake.contains("default = \"edge\""), "{bake}");
    assert!(bake.contains("target \"cron\""), "{bake}");
    assert!(root.join("Dockerfile.cron").is_file());
    // An app that is gone leaves its Dockerfile, named in a note.
    std::fs::remove_dir_all(root.join("cmd/cron")).unwrap();
    let update = run_in_process(&["update", path(root)], &[], false, &[]);
    assert_eq!(update.code, Exit::Ok, "{}", update.err);
    assert!(
        update
            .err
            .contains("docksmith no longer generates Dockerfile.cron"),
        "{}",
        update.err
    );
    assert!(!read(root, "docker-bake.hcl").contains("\"cron\""));
}

#[test]
fn named_apps_build_only_those_and_unknown_names_are_refused() {
    let dir = copy_example("monorepos/npm-workspaces");
    let root = dir.path();
    let run = run_in_process(&["init", "--app", "web", path(root)], &[], false, &[]);
    assert_eq!(run.code, Exit::Ok, "{}", run.err);
    assert!(root.join("Dockerfile.web").is_file());
    assert!(!root.join("Dockerfile.api").exists());
    assert!(read(root, "docker-bake.hcl").contains("targets = [\"web\"]"));
    let out = docksmith()
        .args(["plan", "--app", "mobile"])
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no app `mobile`"), "{err}");
    assert!(err.contains("api (@shop/api, apps/api)"), "{err}");
    // --all and --bin cannot both be asked.
    let out = docksmith()
        .args(["plan", "--all", "--package", "web"])
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // `package` and `apps` from the same layer contradict each other: the message
    // says which (a stronger layer wins instead: see the next test).
    let out = docksmith()
        .arg("plan")
        .env("DOCKSMITH_APPS", "*")
        .env("DOCKSMITH_PACKAGE", "web")
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`package` is set"), "{err}");
}

#[test]
fn one_app_asked_without_a_choice_points_to_all() {
    let dir = copy_example("monorepos/cargo-workspace");
    let out = docksmith()
        .arg("generate")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("docksmith init --all"), "{err}");
    // Several files cannot go to stdout; --out takes them.
    let out = docksmith()
        .args(["generate", "--all"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let into = generate_all(dir.path());
    for file in [
        "Dockerfile.shop-api",
        "Dockerfile.shop-worker",
        "docker-bake.hcl",
    ] {
        assert!(into.path().join(file).is_file(), "{file}");
    }
}

#[test]
fn the_wizard_offers_every_app_some_or_one() {
    // Every app.
    let dir = copy_example("monorepos/go-services");
    let run = run_in_process(&["init", path(dir.path())], &[], true, &["every app", "y"]);
    assert_eq!(run.code, Exit::Ok, "{}\n{:?}", run.err, run.transcript);
    assert!(
        run.err.contains("This repository holds 3 apps"),
        "{}",
        run.err
    );
    assert!(dir.path().join("Dockerfile.worker").is_file());
    // Some: named, in the project's order.
    let dir = copy_example("monorepos/go-services");
    let run = run_in_process(
        &["init", path(dir.path())],
        &[],
        true,
        &["some of them", "worker api", "y"],
    );
    assert_eq!(run.code, Exit::Ok, "{}\n{:?}", run.err, run.transcript);
    assert!(dir.path().join("Dockerfile.api").is_file());
    assert!(!dir.path().join("Dockerfile.admin").exists());
    assert!(read(dir.path(), "docksmith.toml").contains("apps = [\"worker\", \"api\"]"));
    // One: the usual questions, one Dockerfile.
    let dir = copy_example("monorepos/go-services");
    let run = run_in_process(&["init", "--yes", path(dir.path())], &[], true, &[]);
    assert_eq!(run.code, Exit::NeedsAnswer, "{}", run.err);
    let run = run_in_process(&["init", path(dir.path())], &[], true, &["one app", "api"]);
    assert!(
        run.transcript.iter().any(|l| l.contains("Which binary")),
        "{:?}",
        run.transcript
    );
    assert!(!dir.path().join("docker-bake.hcl").exists());
}

/// A copy of `example` with `from` copied to `to`, `replace` applied to every text
/// file there: a second app beside the first.
fn with_second_app(
    example: &str,
    from: &str,
    to: &str,
    replace: &[(&str, &str)],
) -> tempfile::TempDir {
    let dir = copy_example(example);
    crate::common::copy_tree(&dir.path().join(from), &dir.path().join(to));
    for entry in walk(&dir.path().join(to)) {
        let Ok(mut text) = std::fs::read_to_string(&entry) else {
            continue;
        };
        for (old, new) in replace {
            text = text.replace(old, new);
        }
        std::fs::write(&entry, text).unwrap();
    }
    dir
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn uv_workspaces_and_maven_modules_give_one_dockerfile_per_app() {
    // uv: a second member that runs, beside the library member.
    let dir = with_second_app(
        "python-uv-workspace",
        "packages/api",
        "packages/jobs",
        &[("billing-api", "billing-jobs"), ("src/api", "src/jobs")],
    );
    std::fs::rename(
        dir.path().join("packages/jobs/src/api"),
        dir.path().join("packages/jobs/src/jobs"),
    )
    .unwrap();
    let (text, _) = plan_all(dir.path());
    assert!(text.contains("== app billing-api (packages/api)"), "{text}");
    assert!(
        text.contains("== app billing-jobs (packages/jobs)"),
        "{text}"
    );
    // Maven: a second module with its own main class.
    let dir = with_second_app(
        "java-maven-multi",
        "app",
        "admin",
        &[("shop-app", "shop-admin")],
    );
    let parent = read(dir.path(), "pom.xml");
    std::fs::write(
        dir.path().join("pom.xml"),
        parent.replace(
            "<module>app</module>",
            "<module>app</module>\n    <module>admin</module>",
        ),
    )
    .unwrap();
    let into = generate_all(dir.path());
    let admin = read(into.path(), "Dockerfile.shop-admin");
    assert!(admin.contains("admin"), "{admin}");
    let app = read(into.path(), "Dockerfile.shop-app");
    assert_ne!(admin, app);
    assert!(
        read(into.path(), "docker-bake.hcl").contains("targets = [\"shop-app\", \"shop-admin\"]")
    );
}

#[test]
fn hostile_app_names_cannot_break_the_bake_file_or_a_file_name() {
    // A newline is refused where the name is read (the planner's rule for every
    // value written into a Dockerfile); quotes and template openers are not.
    let evil = "@x/..\\\"${evil}%{x}";
    let lock = r#"{"name":"m","lockfileVersion":3,"requires":true,"packages":{"":{"name":"m","workspaces":["apps/*"]}}}"#;
    let dir = crate::support::project(&[
        (
            "package.json",
            r#"{"name":"m","private":true,"workspaces":["apps/*"]}"#,
        ),
        ("package-lock.json", lock),
        (
            "apps/a/package.json",
            &format!(r#"{{"name":"{evil}","scripts":{{"start":"node a.js"}}}}"#),
        ),
        ("apps/a/a.js", "require('http').createServer().listen(3000)"),
        (
            "apps/b/package.json",
            r#"{"name":"b","scripts":{"start":"node b.js"}}"#,
        ),
        ("apps/b/b.js", "require('http').createServer().listen(3001)"),
    ]);
    let into = generate_all(dir.path());
    let names: Vec<String> = std::fs::read_dir(into.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| n
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))),
        "{names:?}"
    );
    let bake = read(into.path(), "docker-bake.hcl");
    // The name reaches the file only in a comment (inert to the end of its line); no
    // `${` it brought is anywhere else, and every target name is plain.
    assert!(
        !bake
            .lines()
            .any(|l| !l.starts_with('#') && l.contains("${evil}")),
        "{bake}"
    );
    for line in bake.lines().filter(|l| l.starts_with("target ")) {
        let name = line
            .trim_start_matches("target \"")
            .trim_end_matches("\" {");
        assert!(
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || "_-".contains(c)),
            "{line}"
        );
    }
}

#[test]
fn check_with_a_standards_pack_audits_every_apps_dockerfile() {
    let dir = copy_example("monorepos/go-services");
    let root = dir.path();
    let acme = repo().join("examples/standards/acme");
    let init = docksmith()
        .args(["init", "--all", "--standards"])
        .arg(&acme)
        .arg(root)
        .output()
        .unwrap();
    crate::common::assert_success(&init);
    let check = docksmith().arg("check").arg(root).output().unwrap();
    let err = String::from_utf8_lossy(&check.stderr);
    assert!(check.status.success(), "{err}");
    for app in ["admin", "api", "worker"] {
        assert!(
            err.contains(&format!("Dockerfile.{app} follows standards pack `acme`")),
            "{err}"
        );
    }
    // A hand edit that breaks the pack in one app's Dockerfile is named by file.
    let worker = read(root, "Dockerfile.worker");
    let without_user: String = worker
        .lines()
        .filter(|l| !l.starts_with("USER "))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(root.join("Dockerfile.worker"), without_user).unwrap();
    let check = docksmith()
        .args(["check", "--json"])
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(4));
    let reports: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let reports = reports.as_array().expect("one report per app");
    assert_eq!(reports.len(), 3);
    let failing: Vec<&str> = reports
        .iter()
        .filter(|r| r["complies"] == false)
        .map(|r| r["file"].as_str().unwrap())
        .collect();
    assert_eq!(failing.len(), 1, "{reports:?}");
    assert!(failing[0].ends_with("Dockerfile.worker"), "{failing:?}");
}

#[test]
fn independent_projects_in_folders_build_from_their_own_folders() {
    let dir = copy_example("monorepos/polyglot-services");
    let root = dir.path();
    // One app asked for: which one is for the user to say (exit 3), and the hint names --all.
    let plan = run_in_process(&["plan", path(root)], &[], false, &[]);
    assert_eq!(plan.code, Exit::NeedsAnswer, "{}", plan.err);
    assert!(
        plan.err.contains("its folders hold projects: api, web"),
        "{}",
        plan.err
    );
    assert!(plan.err.contains("docksmith init --all"), "{}", plan.err);
    init_all(
        root,
        &[
            "api/Dockerfile",
            "api/.dockerignore",
            "web/Dockerfile",
            "web/.dockerignore",
            "docker-bake.hcl",
        ],
    );
    assert!(!root.join("Dockerfile").exists() && !root.join(".dockerignore").exists());
    // Each context's .dockerignore is its own language's (Go's has no node_modules line).
    assert!(read(root, "web/.dockerignore").contains("**/node_modules"));
    assert!(!read(root, "api/.dockerignore").contains("**/node_modules"));
    let bake = read(root, "docker-bake.hcl");
    assert!(
        bake.contains("context    = \"web\"\n  dockerfile = \"Dockerfile\""),
        "{bake}"
    );
    // The bases of the three-way merge live in folders too; check and update work.
    assert!(root.join(".docksmith/generated/web/Dockerfile").is_file());
    let edited = read(root, "web/Dockerfile").replace("EXPOSE 3104", "EXPOSE 3104\nLABEL team=web");
    std::fs::write(root.join("web/Dockerfile"), edited).unwrap();
    let check = run_in_process(&["check", path(root)], &[], false, &[]);
    assert_eq!(
        check.code,
        Exit::Ok,
        "a kept edit is no drift: {}",
        check.err
    );
    let update = run_in_process(&["update", path(root)], &[], false, &[]);
    assert_eq!(update.code, Exit::Ok, "{}", update.err);
    assert!(read(root, "web/Dockerfile").contains("LABEL team=web"));
}

#[test]
fn the_wizard_offers_no_root_dockerfile_where_projects_are_in_folders() {
    let dir = copy_example("monorepos/polyglot-services");
    let run = run_in_process(&["init", path(dir.path())], &[], true, &["", "y"]);
    assert_eq!(run.code, Exit::Ok, "{}\n{:?}", run.err, run.transcript);
    let asked = run.transcript.join("\n");
    assert!(asked.contains("every app"), "{asked}");
    assert!(!asked.contains("one app"), "{asked}");
    assert!(dir.path().join("web/Dockerfile").is_file());
}

#[test]
fn two_languages_at_one_root_are_two_apps_and_neither_warns_of_the_other() {
    let lock = r#"{"name":"shop","lockfileVersion":3,"requires":true,"packages":{"":{"name":"shop","workspaces":["web"]},"web":{"name":"web"},"node_modules/web":{"resolved":"web","link":true}}}"#;
    let dir = crate::support::project(&[
        (
            "package.json",
            r#"{"name":"shop","private":true,"workspaces":["web"]}"#,
        ),
        ("package-lock.json", lock),
        (
            "web/package.json",
            r#"{"name":"web","scripts":{"start":"node server.js"}}"#,
        ),
        (
            "web/server.js",
            "require('http').createServer().listen(3000)",
        ),
        ("requirements.txt", "flask==3.1.2\ngunicorn==23.0.0\n"),
        ("app.py", "from flask import Flask\napp = Flask(__name__)\n"),
    ]);
    let (text, err) = plan_all(dir.path());
    assert!(text.contains("== app web (web): Dockerfile.web"), "{text}");
    assert!(text.contains("python build plan"), "{text}");
    assert!(!err.contains("the project is also"), "{err}");
    // Planned alone, each still says the other was left out.
    let one = docksmith()
        .args(["plan", "--language", "python"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&one.stderr).contains("the project is also node"));
}

#[test]
fn one_app_and_every_app_replace_each_other_in_the_record() {
    let dir = copy_example("go-multi-cmd");
    let root = dir.path();
    // The example records `bin = "api"`; --all outranks it and drops it.
    let run = init_all(
        root,
        &["Dockerfile.api", "Dockerfile.worker", "docker-bake.hcl"],
    );
    assert!(
        !read(root, "docksmith.toml").contains("bin ="),
        "{}",
        run.err
    );
    // A flag picking one app outranks the recorded apps, and drops them.
    let run = run_in_process(
        &["init", "--force", "--bin", "worker", path(root)],
        &[],
        false,
        &[],
    );
    assert_eq!(run.code, Exit::Ok, "{}", run.err);
    let toml = read(root, "docksmith.toml");
    assert!(
        toml.contains("bin = \"worker\"") && !toml.contains("apps ="),
        "{toml}"
    );
    assert!(
        run.err
            .contains("docksmith no longer generates docker-bake.hcl"),
        "{}",
        run.err
    );
    let check = run_in_process(&["check", path(root)], &[], false, &[]);
    assert_eq!(check.code, Exit::Ok, "{}", check.err);
    // Without touching the record, a flag previews one app of a monorepo.
    init_all(root, &["Dockerfile.api"]);
    let one = docksmith()
        .args(["generate", "--bin", "worker"])
        .arg(root)
        .output()
        .unwrap();
    crate::common::assert_success(&one);
    assert!(String::from_utf8_lossy(&one.stdout).contains("/out/worker"));
}

#[test]
fn doctor_compares_an_apps_dockerfile_with_that_apps_plan() {
    let dir = copy_example("monorepos/go-services");
    let root = dir.path();
    init_all(root, &["Dockerfile.api", "Dockerfile.worker"]);
    let doctor = |file: &str| {
        let out = docksmith()
            .args(["doctor", "-f", file])
            .arg(root)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let api = doctor("Dockerfile.api");
    assert!(!api.contains("no comparison"), "{api}");
    assert!(!api.contains("docksmith would generate"), "{api}");
    // The worker's file holding the api's build differs from the worker's plan.
    std::fs::copy(root.join("Dockerfile.api"), root.join("Dockerfile.worker")).unwrap();
    let worker = doctor("Dockerfile.worker");
    assert!(
        worker.contains("[\"/usr/local/bin/api\"]  ->  [\"/usr/local/bin/worker\"]"),
        "{worker}"
    );
}

#[test]
fn binaries_behind_default_features_are_apps_and_the_others_are_not() {
    // shadowsocks-rust's shape: each binary needs a feature `full` enables, and `full`
    // is the default; one needs a feature nothing enables by default.
    let bin = "fn main() {}\n";
    let dir = crate::support::project(&[
        (
            "Cargo.toml",
            "[package]\nname = \"proxy\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[[bin]]\nname = \"client\"\npath = \"bin/client.rs\"\nrequired-features = [\"local\"]\n\n[[bin]]\nname = \"server\"\npath = \"bin/server.rs\"\nrequired-features = [\"server\"]\n\n[[bin]]\nname = \"winsvc\"\npath = \"bin/winsvc.rs\"\nrequired-features = [\"winservice\"]\n\n[features]\ndefault = [\"full\"]\nfull = [\"local\", \"server\"]\nlocal = []\nserver = []\nwinservice = []\n",
        ),
        (
            "Cargo.lock",
            "version = 4\n\n[[package]]\nname = \"proxy\"\nversion = \"0.1.0\"\n",
        ),
        ("bin/client.rs", bin),
        ("bin/server.rs", bin),
        ("bin/winsvc.rs", bin),
    ]);
    let (text, _) = plan_all(dir.path());
    let apps: Vec<&str> = text.lines().filter(|l| l.starts_with("== app")).collect();
    assert_eq!(
        apps,
        [
            "== app client (.): Dockerfile.client ==",
            "== app server (.): Dockerfile.server =="
        ],
        "{text}"
    );
}

#[test]
fn a_subprojects_warnings_name_its_files_from_the_repository_root() {
    // wild-workouts-go-ddd-example's shape: a service replaces a sibling folder, which
    // is outside its build context.
    let dir = crate::support::project(&[
        (
            "svc/go.mod",
            "module example.com/svc\n\ngo 1.22\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ../lib\n",
        ),
        (
            "svc/main.go",
            "package main\n\nimport \"net/http\"\n\nfunc main() { _ = http.ListenAndServe(\":8080\", nil) }\n",
        ),
        ("lib/go.mod", "module example.com/lib\n\ngo 1.22\n"),
        ("lib/lib.go", "package lib\n"),
        (
            "web/package.json",
            r#"{"name":"web","scripts":{"start":"node server.js"}}"#,
        ),
        (
            "web/package-lock.json",
            r#"{"name":"web","lockfileVersion":3,"requires":true,"packages":{"":{"name":"web"}}}"#,
        ),
        (
            "web/server.js",
            "require('http').createServer().listen(3000)",
        ),
    ]);
    let (_, err) = plan_all(dir.path());
    assert!(
        err.contains("is replaced by ../lib, outside the build context")
            && err.contains("(svc/go.mod:"),
        "{err}"
    );
}

#[test]
fn an_apps_own_table_changes_that_app_alone() {
    let dir = copy_example("monorepos/go-services");
    let root = dir.path();
    init_all(root, &["Dockerfile.admin"]);
    let api_before = read(root, "Dockerfile.api");
    let mut toml = read(root, "docksmith.toml");
    toml.push_str("\n# The admin console runs on slim, for a shell.\n[app.admin]\nflavor = \"slim\"\nport = 9000\n");
    std::fs::write(root.join("docksmith.toml"), &toml).unwrap();
    let check = run_in_process(&["check", path(root)], &[], false, &[]);
    assert_eq!(check.code, Exit::Drift, "{}", check.err);
    assert!(
        check.out.contains("+++ b/Dockerfile.admin"),
        "{}",
        check.out
    );
    assert!(!check.out.contains("Dockerfile.api"), "{}", check.out);
    let update = run_in_process(&["update", path(root)], &[], false, &[]);
    assert_eq!(update.code, Exit::Ok, "{}", update.err);
    let admin = read(root, "Dockerfile.admin");
    assert!(
        admin.contains("FROM debian:bookworm-slim") && admin.contains("EXPOSE 9000"),
        "{admin}"
    );
    assert_eq!(read(root, "Dockerfile.api"), api_before);
    // The table and its comment survive docksmith's own writes to the file.
    let after = read(root, "docksmith.toml");
    assert!(
        after.contains("# The admin console runs on slim, for a shell.\n[app.admin]"),
        "{after}"
    );
    let check = run_in_process(&["check", path(root)], &[], false, &[]);
    assert_eq!(check.code, Exit::Ok, "{}", check.err);
}

#[test]
fn app_tables_are_checked_where_they_are_written() {
    let cases: &[(&str, &str)] = &[
        // A typo would silently do nothing.
        ("[app.admni]\nport = 9000\n", "no app `admni`"),
        // Choosing apps is the project's, not one app's.
        (
            "[app.admin]\nbin = \"api\"\n",
            "[app.admin] key `bin` applies to the whole project",
        ),
        (
            "[app.admin]\nflavour = \"slim\"\n",
            "did you mean `flavor`?",
        ),
        ("app = 3\n", "`app` must be tables"),
    ];
    for (table, expected) in cases {
        let dir = copy_example("monorepos/go-services");
        std::fs::write(
            dir.path().join("docksmith.toml"),
            format!("apps = [\"*\"]\n\n{table}"),
        )
        .unwrap();
        let out = docksmith().arg("plan").arg(dir.path()).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{table}: {err}");
        assert!(
            err.contains(expected) && err.contains("docksmith.toml"),
            "{table}: {err}"
        );
    }
    // A personal config names no project's apps.
    let config = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(config.path().join("docksmith")).unwrap();
    std::fs::write(
        config.path().join("docksmith/config.toml"),
        "[app.api]\nport = 1\n",
    )
    .unwrap();
    let out = docksmith()
        .arg("plan")
        .arg(repo().join("examples/go-http"))
        .env("XDG_CONFIG_HOME", config.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("belong in the project's docksmith.toml"),
        "{err}"
    );
}

#[test]
fn a_root_of_many_projects_reads_at_most_64_of_them() {
    let tree = tempfile::tempdir().unwrap();
    for i in 0..200 {
        let dir = tree.path().join(format!("svc{i:03}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("go.mod"),
            format!("module example.com/svc{i:03}\n\ngo 1.22\n"),
        )
        .unwrap();
        std::fs::write(dir.join("main.go"), "package main\n\nfunc main() {}\n").unwrap();
    }
    let (text, _) = plan_all(tree.path());
    assert_eq!(text.matches("== app ").count(), 64, "{}", &text[..200]);
    assert!(text.contains("== app svc000 (svc000): svc000/Dockerfile"));
}
