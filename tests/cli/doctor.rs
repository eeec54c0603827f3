//! `docksmith doctor` on the corpus of hand-written Dockerfiles under tests/doctor
//! (each case a small project with its Dockerfile, and its expected report in
//! `expected/`): the reports, the parser against BuildKit's own, `--fix` (safe,
//! idempotent, never a new hadolint finding), the output formats and exit codes.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::common::{copy_tree, repo};
use crate::support::{buildkit_script, docksmith, project, run_in_process};

fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(repo().join("tests/doctor"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("Dockerfile").is_file())
        .collect();
    cases.sort();
    assert!(cases.len() >= 8, "the corpus lost cases: {cases:?}");
    cases
}

fn name(case: &Path) -> String {
    case.file_name().unwrap().to_string_lossy().into_owned()
}

/// `docksmith doctor ARGS --fail-on never` in `dir`: it must succeed; its output.
fn doctor_in(dir: &Path, args: &[&str]) -> std::process::Output {
    let out = docksmith()
        .current_dir(dir)
        .arg("doctor")
        .args(args)
        .args(["--fail-on", "never"])
        .output()
        .unwrap();
    crate::common::assert_success(&out);
    out
}

/// doctor's JSON report on `dir`.
fn report(dir: &Path) -> serde_json::Value {
    let out = doctor_in(dir, &["--format", "json"]);
    serde_json::from_slice(&out.stdout).unwrap()
}

fn rules_found(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn doctor_reports_on_every_corpus_case_match_their_snapshots() {
    for case in cases() {
        let out = doctor_in(&case, &[]);
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(case.join("expected"));
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.bind(|| {
            insta::assert_snapshot!("doctor.txt", String::from_utf8_lossy(&out.stdout));
        });
    }
}

#[test]
fn every_rule_fires_in_the_corpus_and_the_well_kept_file_is_clean() {
    let mut fired = BTreeSet::new();
    for case in cases() {
        let found = rules_found(&report(&case));
        if name(&case) == "rust-well-kept" {
            assert!(found.is_empty(), "{found:?}");
        }
        fired.extend(found);
    }
    for rule in docksmith::doctor::RULES {
        assert!(fired.contains(rule.id), "no corpus case shows {}", rule.id);
    }
}

#[test]
fn doctor_reads_every_corpus_dockerfile_as_buildkit_does() {
    let mut files: Vec<PathBuf> = cases().iter().map(|c| c.join("Dockerfile")).collect();
    // The rendered examples too: one parser for what docksmith writes and reads.
    let scratch = tempfile::tempdir().unwrap();
    for example in crate::support::examples() {
        for entry in std::fs::read_dir(example.join("expected")).unwrap() {
            let snap = entry.unwrap().path();
            let file_name = snap.file_name().unwrap().to_string_lossy().into_owned();
            if !(file_name.starts_with("Dockerfile.") && file_name.ends_with(".snap")) {
                continue;
            }
            let text = std::fs::read_to_string(&snap).unwrap();
            let body = text.splitn(3, "---\n").nth(2).unwrap_or("").to_string();
            // A flavor that cannot run the example snapshots docksmith's refusal.
            if body.starts_with("error") {
                continue;
            }
            let path = scratch
                .path()
                .join(format!("{}.{file_name}", crate::support::name(&example)));
            std::fs::write(&path, body).unwrap();
            files.push(path);
        }
    }
    let args: Vec<&std::ffi::OsStr> = files.iter().map(|f| f.as_os_str()).collect();
    let buildkit: serde_json::Value = buildkit_script("buildkit_lines.py", &args);
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let theirs = &buildkit[file.to_str().unwrap()];
        let ours = docksmith::dockerfile::parse(&text).expect("parses");
        let ours: Vec<serde_json::Value> = ours
            .instructions
            .iter()
            .map(|i| {
                let shell = matches!(i.keyword.as_str(), "RUN" | "CMD" | "ENTRYPOINT")
                    && i.exec.is_none();
                serde_json::json!({
                    "keyword": i.keyword,
                    "line": i.line,
                    "end_line": i.end_line,
                    "exec": i.exec.is_some() && matches!(i.keyword.as_str(), "RUN" | "CMD" | "ENTRYPOINT" | "SHELL"),
                    "flags": i.flags.iter().map(|f| match &f.value {
                        Some(v) => format!("--{}={v}", f.name),
                        None => format!("--{}", f.name),
                    }).collect::<Vec<_>>(),
                    "heredocs": i.heredocs.iter().map(|h| serde_json::json!([h.delimiter, h.body])).collect::<Vec<_>>(),
                    "shell": if shell { serde_json::json!(i.args) } else { serde_json::Value::Null },
                })
            })
            .collect();
        assert_eq!(
            &serde_json::Value::Array(ours),
            theirs,
            "{} is read differently",
            file.display()
        );
    }
    assert!(files.len() > 200, "{}", files.len());
}

fn hadolint_count(file: &Path) -> usize {
    let out = std::process::Command::new("hadolint")
        .args(["--no-fail", "--format", "json"])
        .arg(file)
        .output()
        .expect("hadolint is installed (the README's test command does it)");
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    findings.as_array().map_or(0, Vec::len)
}

#[test]
fn fix_is_safe_idempotent_and_never_adds_a_hadolint_finding() {
    for case in cases() {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&case, dir.path());
        let before = std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap();
        let fixable = report(dir.path())["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["fixable"] == true)
            .count();
        doctor_in(dir.path(), &["--fix", "--yes"]);
        let after = std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap();
        let left = report(dir.path());
        assert!(
            !left["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["fixable"] == true),
            "{}: a fixable finding survived --fix: {left}",
            name(&case)
        );
        docksmith::dockerfile::parse(&after).expect("the fixed file parses");
        let again = doctor_in(dir.path(), &["--fix", "--yes"]);
        assert!(String::from_utf8_lossy(&again.stderr).contains("nothing it can fix safely"));
        assert!(again.stdout.is_empty(), "a second --fix changed more");
        if fixable == 0 {
            assert_eq!(before, after);
            continue;
        }
        let original = dir.path().join("original.Dockerfile");
        std::fs::write(&original, &before).unwrap();
        assert!(
            hadolint_count(&dir.path().join("Dockerfile")) <= hadolint_count(&original),
            "{}: --fix added a hadolint finding:\n{after}",
            name(&case)
        );
    }
}

#[test]
fn fix_asks_first_and_writes_nothing_unless_told() {
    let case = repo().join("tests/doctor/node-express-legacy");
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&case, dir.path());
    let path = dir.path().to_str().unwrap();
    let before = std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap();
    // No terminal: the diff, then exit 3 and nothing written.
    let run = run_in_process(&["doctor", path, "--fix"], &[], false, &[]);
    assert_eq!(run.code, docksmith::Exit::NeedsAnswer, "{}", run.err);
    assert!(
        run.out.contains("+COPY config.json /app/config.json"),
        "{}",
        run.out
    );
    assert!(run.err.contains("--yes"), "{}", run.err);
    assert_eq!(
        before,
        std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap()
    );
    assert!(!dir.path().join(".dockerignore").exists());
    // A terminal and a no: exit 5, nothing written.
    let run = run_in_process(&["doctor", path, "--fix"], &[], true, &["n"]);
    assert_eq!(run.code, docksmith::Exit::Conflict, "{}", run.err);
    assert_eq!(
        before,
        std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap()
    );
    // A yes: written, and the exit code follows what is left (errors remain).
    let run = run_in_process(&["doctor", path, "--fix"], &[], true, &["y"]);
    assert_eq!(run.code, docksmith::Exit::Drift, "{}", run.err);
    let fixed = std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap();
    assert!(fixed.contains("CMD [\"npm\", \"start\"]"), "{fixed}");
    assert!(fixed.contains("FROM node:24\n"), "{fixed}");
    let ignore = std::fs::read_to_string(dir.path().join(".dockerignore")).unwrap();
    assert!(
        ignore.contains("\n.git\n") && ignore.contains("**/node_modules"),
        "{ignore}"
    );
}

#[test]
fn fail_on_sets_the_exit_code() {
    let case = repo().join("tests/doctor/node-yarn-alpine");
    let path = case.to_str().unwrap();
    let code = |extra: &[&str]| {
        let mut args = vec!["doctor", path];
        args.extend_from_slice(extra);
        run_in_process(&args, &[], false, &[]).code
    };
    // Warnings and info only: the default (error) passes, --fail-on warning fails.
    assert_eq!(code(&[]), docksmith::Exit::Ok);
    assert_eq!(code(&["--fail-on", "warning"]), docksmith::Exit::Drift);
    assert_eq!(code(&["--fail-on", "info"]), docksmith::Exit::Drift);
    let errors = repo().join("tests/doctor/go-glibc-on-alpine");
    let errors = errors.to_str().unwrap();
    assert_eq!(
        run_in_process(&["doctor", errors], &[], false, &[]).code,
        docksmith::Exit::Drift
    );
    assert_eq!(
        run_in_process(&["doctor", errors, "--fail-on", "never"], &[], false, &[]).code,
        docksmith::Exit::Ok
    );
    docksmith()
        .args(["doctor", path, "--fail-on", "sometimes"])
        .assert()
        .code(2);
}

#[test]
fn sarif_and_json_carry_every_finding() {
    let case = repo().join("tests/doctor/python-flask-single-stage");
    let json = report(&case);
    assert_eq!(json["schema_version"], 1);
    let findings = json["findings"].as_array().unwrap().len();
    let out = doctor_in(&case, &["--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), findings);
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index], result["ruleId"]);
        assert!(
            result["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap()
                >= 1
        );
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
    }
}

#[test]
fn a_missing_or_broken_dockerfile_is_a_user_error_with_the_line() {
    let dir = project(&[("main.go", "package main\n")]);
    let path = dir.path().to_str().unwrap();
    // Writes `file` (when given) and runs doctor with `args` after the project path.
    let doctor = |file: Option<(&str, &str)>, args: &[&str]| {
        if let Some((name, text)) = file {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let mut argv = vec!["doctor", path];
        argv.extend_from_slice(args);
        run_in_process(&argv, &[], false, &[])
    };
    let run = doctor(None, &[]);
    assert_eq!(run.code, docksmith::Exit::Failure);
    assert!(
        run.err.contains("no such Dockerfile") && run.err.contains("hint:"),
        "{}",
        run.err
    );
    let run = doctor(Some(("Dockerfile", "FROM alpine:3.20\nRUNN echo\n")), &[]);
    assert_eq!(run.code, docksmith::Exit::Failure);
    assert!(
        run.err.contains("Dockerfile:2: unknown instruction `RUNN`"),
        "{}",
        run.err
    );
    // --file names another file; a path to the file works the same.
    let api = (
        "api.Dockerfile",
        "FROM alpine:3.20\nUSER 1000\nCMD [\"/app\"]\n",
    );
    let run = doctor(Some(api), &["--file", "api.Dockerfile"]);
    assert_eq!(run.code, docksmith::Exit::Ok, "{}", run.err);
    let file = dir.path().join("api.Dockerfile");
    let run = run_in_process(&["doctor", file.to_str().unwrap()], &[], false, &[]);
    assert!(run.out.contains("api.Dockerfile: 0 errors"), "{}", run.out);
}

#[test]
fn hostile_dockerfiles_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_str().unwrap();
    let seed = std::fs::read_to_string(repo().join("tests/doctor/heredoc-and-escape/Dockerfile"))
        .unwrap()
        + &std::fs::read_to_string(repo().join("tests/doctor/node-express-legacy/Dockerfile"))
            .unwrap();
    for text in crate::support::mutations(&seed, 150) {
        std::fs::write(dir.path().join("Dockerfile"), &text).unwrap();
        let run = run_in_process(&["doctor", path, "--fail-on", "never"], &[], false, &[]);
        assert!(
            matches!(run.code, docksmith::Exit::Ok | docksmith::Exit::Failure),
            "{text:?}: {:?} {}",
            run.code,
            run.err
        );
        let fixed = run_in_process(
            &["doctor", path, "--fix", "--yes", "--fail-on", "never"],
            &[],
            false,
            &[],
        );
        assert!(
            matches!(fixed.code, docksmith::Exit::Ok | docksmith::Exit::Failure),
            "{text:?}"
        );
    }
}

#[test]
fn a_symlinked_dockerfile_is_read_inside_the_project_and_refused_outside() {
    // vaultwarden's shape: Dockerfile -> docker/Dockerfile.debian.
    let dir = project(&[(
        "docker/Dockerfile.debian",
        "FROM debian:bookworm-slim\nUSER 1000\nCMD [\"/app\"]\n",
    )]);
    std::os::unix::fs::symlink("docker/Dockerfile.debian", dir.path().join("Dockerfile")).unwrap();
    let path = dir.path().to_str().unwrap();
    let run = run_in_process(&["doctor", path], &[], false, &[]);
    assert_eq!(run.code, docksmith::Exit::Ok, "{}", run.err);
    assert!(run.out.contains("0 errors"), "{}", run.out);
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret"), "FROM a\n").unwrap();
    std::fs::remove_file(dir.path().join("Dockerfile")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret"), dir.path().join("Dockerfile"))
        .unwrap();
    let run = run_in_process(&["doctor", path], &[], false, &[]);
    assert_eq!(run.code, docksmith::Exit::Failure);
    assert!(run.err.contains("symbolic link"), "{}", run.err);
}

#[test]
fn a_build_the_dockerfile_does_not_show_and_a_default_port_raise_nothing() {
    // go-httpbin: `make build` links as its Makefile says; flasky: EXPOSE 5000 where
    // docksmith would serve Flask on its own default, 8000.
    let dir = project(&[
        ("go.mod", "module example.com/x\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (
            "Dockerfile",
            "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod ./\nRUN go mod download\nCOPY . .\nRUN make build\n\nFROM gcr.io/distroless/static:nonroot\nCOPY --from=build /src/dist/x /x\nCMD [\"/x\"]\n",
        ),
    ]);
    let go = report(dir.path());
    assert!(
        !rules_found(&go).contains(&"libc-mismatch".to_string()),
        "{go}"
    );
    // distroless :nonroot runs as 65532 with no USER line: no user difference.
    let users: Vec<&serde_json::Value> = go["differences"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["what"] == "user")
        .collect();
    assert!(users.is_empty(), "{users:?}");
    let flask = project(&[
        ("requirements.txt", "flask==3.0.3\n"),
        ("app.py", "from flask import Flask\napp = Flask(__name__)\n"),
        (
            "Dockerfile",
            "FROM python:3.12-slim\nCOPY . /app\nEXPOSE 5000\nUSER 1000\nCMD [\"flask\", \"run\"]\n",
        ),
    ]);
    let found = rules_found(&report(flask.path()));
    assert!(!found.contains(&"expose-differs".to_string()), "{found:?}");
}
