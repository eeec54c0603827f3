//! Every subcommand through the real binary: output streams, exit codes, refusal to
//! overwrite, dry runs, drift checks and settings precedence.

use predicates::prelude::*;

use crate::support::{copy_example, docksmith, examples, project, repo};

#[test]
fn detect_prints_facts_with_evidence() {
    docksmith()
        .args(["detect", "examples/go-http"])
        .current_dir(repo())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "module        example.com/hello              go.mod:1",
        ))
        .stdout(predicate::str::contains(
            "port        8080                           main.go:15 (default when PORT is unset)",
        ));
}

#[test]
fn detect_and_plan_json_are_versioned_and_stdout_only() {
    for sub in ["detect", "plan"] {
        let out = docksmith()
            .args([sub, "--json", "examples/go-cgo-sqlite"])
            .current_dir(repo())
            .output()
            .unwrap();
        assert!(out.status.success());
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
        assert_eq!(doc["schema_version"], 2, "{sub}");
        assert!(
            out.stderr.is_empty(),
            "{sub}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn plan_says_what_was_rejected_and_why() {
    docksmith()
        .args(["plan", "examples/go-cgo-sqlite"])
        .current_dir(repo())
        .assert()
        .success()
        .stdout(predicate::str::contains("flavor        distroless"))
        .stdout(predicate::str::contains(
            "- scratch: scratch has no C library",
        ));
}

#[test]
fn generate_prints_the_dockerfile_or_writes_both_files() {
    docksmith()
        .args(["generate", "examples/go-http", "--stdout"])
        .current_dir(repo())
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "# syntax=docker/dockerfile:1\n",
        ));
    let out = tempfile::tempdir().unwrap();
    docksmith()
        .args(["generate", "examples/go-http", "--out"])
        .arg(out.path())
        .current_dir(repo())
        .assert()
        .success();
    assert!(out.path().join("Dockerfile").is_file());
    assert!(out.path().join(".dockerignore").is_file());
    assert!(
        !repo().join("examples/go-http/Dockerfile").exists(),
        "generate never touches the project"
    );
}

#[test]
fn flag_beats_environment_beats_project_file() {
    let dir = copy_example("go-http");
    std::fs::write(dir.path().join("docksmith.toml"), "flavor = \"slim\"\n").unwrap();
    let plan = |env: Option<&str>, flags: &[&str]| -> String {
        let mut cmd = docksmith();
        if let Some(flavor) = env {
            cmd.env("DOCKSMITH_FLAVOR", flavor);
        }
        let out = cmd
            .arg("plan")
            .args(flags)
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(plan(None, &[]).contains(
        "flavor        slim                           set by docksmith.toml key `flavor`"
    ));
    assert!(plan(Some("distroless"), &[]).contains(
        "flavor        distroless                     set by environment variable DOCKSMITH_FLAVOR"
    ));
    assert!(
        plan(Some("distroless"), &["--flavor", "scratch"])
            .contains("flavor        scratch                        set by flag --flavor")
    );
}

#[test]
fn several_binaries_without_a_choice_is_an_error_listing_them() {
    let dir = copy_example("go-multi-cmd");
    std::fs::remove_file(dir.path().join("docksmith.toml")).unwrap();
    docksmith()
        .arg("generate")
        .arg(dir.path())
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "several binaries could be packaged: api (./cmd/api), worker (./cmd/worker)",
        ))
        .stderr(predicate::str::contains(
            "hint: choose one with --bin api, DOCKSMITH_BIN",
        ));
    for choice in ["worker", "./cmd/worker", "cmd/worker/"] {
        docksmith()
            .args(["generate", "--bin", choice])
            .arg(dir.path())
            .assert()
            .success()
            .stdout(predicate::str::contains(
                "go build -trimpath -ldflags '-s -w' -o /out/worker ./cmd/worker",
            ));
    }
    docksmith()
        .args(["generate", "--bin", "nope"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("flag --bin: no binary `nope`"));
}

#[test]
fn the_port_flag_sets_expose_and_moves_a_port_read_from_env() {
    docksmith()
        .args(["generate", "--port", "9000", "examples/go-http"])
        .current_dir(repo())
        .assert()
        .success()
        .stdout(predicate::str::contains("ENV PORT=\"9000\"\n"))
        .stdout(predicate::str::contains("EXPOSE 9000\n"));
}

#[test]
fn image_overrides_replace_the_chosen_images() {
    docksmith()
        .args([
            "generate",
            "examples/go-http",
            "--image-builder",
            "registry.example.com/mirror/golang:1.22-bookworm",
            "--image-runtime",
            "registry.example.com/mirror/static:nonroot",
            "--flavor",
            "distroless",
        ])
        .current_dir(repo())
        .assert()
        .success()
        .stdout(predicate::str::contains("FROM --platform=$BUILDPLATFORM registry.example.com/mirror/golang:1.22-bookworm AS build"))
        .stdout(predicate::str::contains("FROM registry.example.com/mirror/static:nonroot\n"));
}

#[test]
fn syntax_none_only_drops_the_syntax_line_so_e2e_builds_prove_both() {
    for dir in examples() {
        for flavor in ["scratch", "distroless", "slim", "alpine"] {
            let run = |syntax: &str| {
                docksmith()
                    .args(["generate", "--flavor", flavor, "--syntax", syntax])
                    .arg(&dir)
                    .output()
                    .unwrap()
            };
            let (v1, none) = (run("1"), run("none"));
            if !v1.status.success() {
                continue;
            }
            let v1 = String::from_utf8(v1.stdout).unwrap();
            let none = String::from_utf8(none.stdout).unwrap();
            assert_eq!(
                v1.strip_prefix("# syntax=docker/dockerfile:1\n"),
                Some(none.as_str())
            );
            for newer in [
                "<<",
                "--link",
                "--checksum",
                "--chmod",
                "--parents",
                "--exclude",
            ] {
                assert!(
                    !none.contains(newer),
                    "{newer} needs a newer frontend than Docker 20.10's"
                );
            }
        }
    }
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    docksmith()
        .args(["generate", "--flavor", "busybox"])
        .assert()
        .code(2);
    docksmith().args(["frobnicate"]).assert().code(2);
    docksmith()
        .args(["init", "--check", "--force"])
        .assert()
        .code(2);
    docksmith()
        .args(["generate", "--port", "0"])
        .assert()
        .code(2);
    docksmith()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("detect"));
    docksmith().arg("--version").assert().success();
}

#[test]
fn user_errors_exit_1_with_a_hint() {
    let empty = project(&[("README.md", "nothing here\n")]);
    docksmith()
        .arg("generate")
        .arg(empty.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "error: no supported project found",
        ))
        .stderr(predicate::str::contains(
            "hint: docksmith supports Go (go.mod or go.work), Rust (Cargo.toml)",
        ));
    // The hint comes from the language registry, so it names every language (it once
    // forgot Python).
    let output = docksmith()
        .arg("generate")
        .arg(empty.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    for language in docksmith::lang::Language::ALL {
        let named = format!("{} ({})", language.title(), language.markers());
        assert!(stderr.contains(&named), "{named} missing: {stderr}");
    }
    docksmith()
        .args(["detect", "/nonexistent/path"])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "error: /nonexistent/path: cannot read",
        ));
    let bad_env = copy_example("go-http");
    docksmith()
        .env("DOCKSMITH_PORT", "eighty")
        .arg("plan")
        .arg(bad_env.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "environment variable DOCKSMITH_PORT",
        ));
}

#[test]
fn init_then_check_is_clean_for_every_example() {
    // What init writes (including the .dockerignore, which detection then respects)
    // must be exactly what the next run would write.
    for example in examples() {
        let name = crate::support::name(&example);
        let dir = copy_example(&name);
        docksmith().arg("init").arg(dir.path()).assert().success();
        assert_up_to_date(dir.path());
    }
}

#[test]
fn dockerignore_never_drops_what_the_build_reads() {
    let dir = project(&[
        ("go.mod", "module example.com/site\n"),
        (
            "bin/site/main.go",
            "package main\n\nimport _ \"example.com/site/web\"\n\nfunc main() {}\n",
        ),
        (
            "web/web.go",
            "package web\n\nimport \"embed\"\n\n//go:embed docs/*.md testdata\nvar Docs embed.FS\n",
        ),
        ("web/docs/guide.md", "# guide\n"),
        ("web/testdata/sample.txt", "x\n"),
        ("web/.env", "SECRET=1\n"),
    ]);
    docksmith().arg("init").arg(dir.path()).assert().success();
    let ignore = std::fs::read_to_string(dir.path().join(".dockerignore")).unwrap();
    let rules = docksmith::dockerignore::IgnoreRules::parse(&ignore);
    for needed in [
        "bin/site/main.go",
        "web/web.go",
        "web/docs/guide.md",
        "web/testdata/sample.txt",
        "go.mod",
    ] {
        assert!(!rules.excludes(needed), "{needed} excluded by:\n{ignore}");
    }
    // Whole lines are disabled, with the reason, rather than patched with exceptions.
    assert!(
        ignore.contains("# bin    (kept: the build needs bin/site/main.go)"),
        "{ignore}"
    );
    assert!(
        ignore.contains("# **/*.md    (kept: the build needs web/docs/guide.md)"),
        "{ignore}"
    );
    assert!(
        ignore.contains("# **/testdata    (kept: the build needs web/testdata/sample.txt)"),
        "{ignore}"
    );
    assert!(rules.excludes("web/.env"));
    assert_up_to_date(dir.path());
}

/// `init --check` finds no drift.
fn assert_up_to_date(dir: &std::path::Path) {
    docksmith()
        .args(["init", "--check"])
        .arg(dir)
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("up to date"));
}

#[test]
fn a_project_in_two_languages_builds_the_first_and_says_so() {
    let dir = project(&[
        ("go.mod", "module example.com/tool\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (
            "Cargo.toml",
            "[package]\nname = \"helper\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
        ),
        ("src/main.rs", "fn main() {}\n"),
    ]);
    docksmith()
        .arg("generate")
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "FROM --platform=$BUILDPLATFORM golang:",
        ))
        .stderr(predicate::str::contains(
            "warning: the project is also rust (Cargo.toml): docksmith builds the go program; choose the other with --language rust",
        ));
    // --language picks the other one; a language that is not there is an error.
    docksmith()
        .args(["generate", "--language", "rust"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("cargo build"))
        .stderr(predicate::str::contains(
            "the project is also go (go.mod): docksmith builds the rust program",
        ));
    docksmith()
        .args(["generate", "--language", "python"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "flag --language: no python project here; docksmith found go, rust",
        ))
        .stderr(predicate::str::contains("hint: use --language go"));
}

#[test]
fn the_language_with_a_program_is_built_and_a_server_before_a_cli() {
    let package = "{\"name\": \"web\", \"scripts\": {\"start\": \"node server.js\"}}";
    let server = (
        "server.js",
        "require('http').createServer((q, s) => s.end('ok')).listen(3000);\n",
    );
    let vite = "{\"name\": \"ui\", \"scripts\": {\"build\": \"vite build\"}, \"devDependencies\": {\"vite\": \"6.0.0\"}}";
    // (what, files, stdout has, stderr has)
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str, &'a str);
    let cases: [Case; 3] = [
        (
            "a go.mod holding only a tool's library code beside a Node server",
            vec![
                ("go.mod", "module example.com/tools\n"),
                ("lib.go", "package tools\n"),
                ("package.json", package),
                server,
            ],
            "EXPOSE 3000",
            "warning: the project is also go (go.mod), which has no program to run: docksmith builds the node program",
        ),
        (
            "a Go CLI beside the same server: both have a program, the server wins",
            vec![
                ("go.mod", "module example.com/tool\n"),
                ("main.go", "package main\n\nfunc main() {}\n"),
                ("package.json", package),
                server,
            ],
            "EXPOSE 3000",
            "the project is also go (go.mod): docksmith builds the node program; choose the other with --language go",
        ),
        (
            "a front end (a static site) beside a Python back end: the back end",
            vec![
                ("package.json", vite),
                ("index.html", "<!doctype html>\n"),
                ("requirements.txt", "fastapi==0.115.0\nuvicorn==0.32.0\n"),
                ("main.py", "from fastapi import FastAPI\napp = FastAPI()\n"),
            ],
            "uvicorn",
            "the project is also node (package.json): docksmith builds the python program",
        ),
    ];
    for (case, files, stdout, stderr) in cases {
        let dir = project(&files);
        let out = docksmith()
            .arg("generate")
            .arg(dir.path())
            .output()
            .unwrap();
        let (got_out, got_err) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        assert!(out.status.success(), "{case}: {got_err}");
        assert!(got_out.contains(stdout), "{case}:\n{got_out}");
        assert!(got_err.contains(stderr), "{case}:\n{got_err}");
    }
    // Neither has a program: the first language says why.
    let dir = project(&[
        ("go.mod", "module example.com/tools\n"),
        ("lib.go", "package tools\n"),
        ("package.json", "{\"name\": \"lint-only\"}"),
    ]);
    docksmith()
        .arg("generate")
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no `package main`"));
}

#[test]
fn cargo_chef_on_a_go_project_is_ignored_with_a_warning() {
    docksmith()
        .args(["generate", "--cargo-chef", "examples/go-http"])
        .current_dir(repo())
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "flag --cargo-chef asks for cargo-chef, which only applies to Rust builds: ignored",
        ));
}

#[test]
fn an_embedded_folder_nothing_builds_is_said_not_left_to_fail() {
    let dir = project(&[
        ("go.mod", "module example.com/site\n\ngo 1.22\n"),
        (
            "main.go",
            "package main\n\nimport \"embed\"\n\n//go:embed public/build\nvar site embed.FS\n\nfunc main() { _ = site }\n",
        ),
    ]);
    docksmith()
        .arg("generate")
        .arg(dir.path())
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: public/build is embedded but not in the project, and no package.json beside it builds it",
        ))
        .stderr(predicate::str::contains("main.go:5"));
    // Two programs that reach the same package: said once.
    let dir = project(&[
        ("go.mod", "module example.com/site\n\ngo 1.22\n"),
        (
            "web/web.go",
            "package web\n\nimport \"embed\"\n\n//go:embed public/build\nvar Site embed.FS\n",
        ),
        (
            "cmd/a/main.go",
            "package main\n\nimport _ \"example.com/site/web\"\n\nfunc main() {}\n",
        ),
        (
            "cmd/b/main.go",
            "package main\n\nimport _ \"example.com/site/web\"\n\nfunc main() {}\n",
        ),
    ]);
    let out = docksmith()
        .args(["generate", "--bin", "a"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.matches("is embedded but not in the project").count(),
        1,
        "{stderr}"
    );
}
