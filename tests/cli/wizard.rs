//! The interactive wizard (scripted answers in-process, and the real binary in a
//! pseudo-terminal), terminal vs. no terminal, conflict questions, settings
//! precedence (`--show-settings`), JSON schema stability, completions, man page and
//! colors.

use std::path::Path;

use docksmith::Exit;
use predicates::prelude::*;

use crate::support::{NO_CONFIG, copy_example, docksmith, read, repo, run_in_process};

fn path(dir: &Path) -> &str {
    dir.to_str().unwrap()
}

#[test]
fn the_wizard_asks_seeded_questions_and_records_what_differs() {
    let dir = copy_example("go-multi-cmd");
    std::fs::remove_file(dir.path().join("docksmith.toml")).unwrap();
    let run = run_in_process(
        &["init", path(dir.path())],
        &[],
        true,
        &["one app", "worker", "slim", "", "", "10001", "tzdata", ""],
    );
    assert_eq!(run.code, Exit::Ok, "{}", run.err);
    insta::assert_snapshot!("wizard_go_multi_cmd", run.transcript.join("\n"));
    assert!(
        run.err
            .contains("Go 1.22 from go.mod:3. Enter takes the default"),
        "{}",
        run.err
    );
    let toml = read(dir.path(), "docksmith.toml");
    for line in [
        "bin = \"worker\"\n",
        "flavor = \"slim\"\n",
        "user = 10001\n",
        "runtime-packages = [\"tzdata\"]\n",
    ] {
        assert!(toml.contains(line), "{line} in\n{toml}");
    }
    assert!(
        !toml.contains("port"),
        "defaults accepted are not recorded:\n{toml}"
    );
    let dockerfile = read(dir.path(), "Dockerfile");
    assert!(
        dockerfile.contains("apt-get install -y --no-install-recommends tzdata"),
        "{dockerfile}"
    );
    assert!(dockerfile.contains("USER 10001:10001\n"), "{dockerfile}");
    // The recorded answers reproduce the files with no terminal and no flags.
    let again = run_in_process(&["init", path(dir.path())], &[], false, &[]);
    assert_eq!(again.code, Exit::Ok, "{}", again.err);
    assert!(
        again.err.contains("  identical  Dockerfile\n"),
        "{}",
        again.err
    );
}

#[test]
fn the_wizard_offers_the_healthcheck_and_skips_what_flags_answered() {
    let dir = copy_example("python-flask-pip");
    let run = run_in_process(
        &["init", "--port", "8001", path(dir.path())],
        &[("DOCKSMITH_USER", "4242")],
        true,
        &["", "gunicorn --bind 0.0.0.0:8001 app:app", "n", "", ""],
    );
    assert_eq!(run.code, Exit::Ok, "{}", run.err);
    insta::assert_snapshot!("wizard_python_flask", run.transcript.join("\n"));
    let dockerfile = read(dir.path(), "Dockerfile");
    assert!(!dockerfile.contains("HEALTHCHECK"), "{dockerfile}");
    assert!(
        dockerfile.contains("ENTRYPOINT [\"gunicorn\", \"--bind\", \"0.0.0.0:8001\", \"app:app\"]"),
        "{dockerfile}"
    );
    let toml = read(dir.path(), "docksmith.toml");
    assert!(toml.contains("healthcheck = false\n"), "{toml}");
    assert!(
        toml.contains("user = 4242\n"),
        "the environment's answer is recorded:\n{toml}"
    );
}

#[test]
fn the_wizard_offers_to_refuse_a_server_docksmith_would_add() {
    // Accepted (Enter): the server is installed and nothing is recorded for it.
    let dir = copy_example("python-django-no-server");
    let run = run_in_process(
        &["init", path(dir.path())],
        &[],
        true,
        &["", "", "", "", "", "", "", ""],
    );
    assert_eq!(run.code, Exit::Ok, "{}", run.err);
    let asked = run
        .transcript
        .iter()
        .any(|q| q.contains("gunicorn is not a dependency: install a pinned gunicorn"));
    assert!(asked, "{:#?}", run.transcript);
    assert!(read(dir.path(), "Dockerfile").contains("pip install gunicorn=="));
    assert!(!read(dir.path(), "docksmith.toml").contains("add-server"));
    // Declined: docksmith stops and says how to fix it.
    let dir = copy_example("python-django-no-server");
    let run = run_in_process(
        &["init", path(dir.path())],
        &[],
        true,
        &["", "", "", "", "", "n", ""],
    );
    assert_eq!(run.code, Exit::Failure, "{}", run.err);
    assert!(
        run.err
            .contains("hint: add gunicorn to the project's dependencies"),
        "{}",
        run.err
    );
}

#[test]
fn no_questions_without_a_terminal_in_ci_or_with_yes() {
    for (terminal, env, flag) in [
        (false, &[][..], None),
        (true, &[("CI", "true")][..], None),
        (true, &[][..], Some("--yes")),
        (true, &[][..], Some("--no-input")),
    ] {
        let dir = copy_example("go-http");
        let mut args = vec!["init"];
        args.extend(flag);
        args.push(path(dir.path()));
        // No scripted answers: a question would fail the run.
        let run = run_in_process(&args, env, terminal, &[]);
        assert_eq!(
            run.code,
            Exit::Ok,
            "{terminal} {env:?} {flag:?}: {}",
            run.err
        );
        assert!(run.transcript.is_empty());
    }
}

#[test]
fn conflicts_are_asked_per_file_in_a_terminal() {
    let edit = |dir: &Path| {
        let text = read(dir, "Dockerfile").replace("EXPOSE 8080", "EXPOSE 8080\nLABEL mine=1");
        std::fs::write(dir.join("Dockerfile"), text).unwrap();
    };
    // After the first init, "y" to "generate from the recorded answers" skips the
    // wizard; then d shows the diff and asks again, and y overwrites.
    let dir = copy_example("go-http");
    let first = run_in_process(&["init", "--yes", path(dir.path())], &[], true, &[]);
    assert_eq!(first.code, Exit::Ok);
    edit(dir.path());
    let run = run_in_process(&["init", path(dir.path())], &[], true, &["y", "", "d", "y"]);
    assert_eq!(run.code, Exit::Ok, "{}", run.err);
    assert!(run.err.contains("-LABEL mine=1\n"), "the diff: {}", run.err);
    assert!(run.err.contains("  overwrite  Dockerfile\n"), "{}", run.err);
    assert!(!read(dir.path(), "Dockerfile").contains("LABEL mine=1"));
    // Enter (N) keeps it.
    edit(dir.path());
    let run = run_in_process(&["init", path(dir.path())], &[], true, &["y", "", ""]);
    assert_eq!(run.code, Exit::Ok, "{}", run.err);
    assert!(run.err.contains("  skip       Dockerfile\n"), "{}", run.err);
    assert!(read(dir.path(), "Dockerfile").contains("LABEL mine=1"));
    // q writes nothing at all.
    let before = read(dir.path(), "docksmith.toml");
    let run = run_in_process(
        &["init", "--port", "1234", path(dir.path())],
        &[],
        true,
        &["y", "", "q"],
    );
    assert_eq!(run.code, Exit::Conflict, "{}", run.err);
    assert!(run.err.contains("stopped: nothing was written"));
    assert_eq!(read(dir.path(), "docksmith.toml"), before);
    assert!(
        run.transcript
            .last()
            .unwrap()
            .contains("Overwrite? [y/N/a/q/d]")
    );
}

#[test]
fn a_rerun_in_a_terminal_can_reuse_or_revise_the_recorded_answers() {
    let dir = copy_example("go-http");
    let first = run_in_process(
        &["init", "--yes", "--flavor", "slim", path(dir.path())],
        &[],
        true,
        &[],
    );
    assert_eq!(first.code, Exit::Ok, "{}", first.err);
    // "n": the whole wizard again, seeded with the recorded answers (slim).
    let run = run_in_process(
        &["init", path(dir.path())],
        &[],
        true,
        &["n", "", "", "", "", "", ""],
    );
    assert_eq!(run.code, Exit::Ok, "{}", run.err);
    assert!(run.err.contains("  identical  Dockerfile\n"), "{}", run.err);
    insta::assert_snapshot!("wizard_rerun_revise", run.transcript.join("\n"));
    assert!(read(dir.path(), "docksmith.toml").contains("flavor = \"slim\"\n"));
}

/// `--show-settings` for one precedence rule, with the temporary paths replaced.
fn show_settings(
    project_toml: Option<&str>,
    user_toml: Option<&str>,
    env: &[(&str, &str)],
    flags: &[&str],
) -> String {
    let dir = copy_example("go-http");
    let config = tempfile::tempdir().unwrap();
    if let Some(text) = project_toml {
        std::fs::write(dir.path().join("docksmith.toml"), text).unwrap();
    }
    if let Some(text) = user_toml {
        std::fs::create_dir_all(config.path().join("docksmith")).unwrap();
        std::fs::write(config.path().join("docksmith/config.toml"), text).unwrap();
    }
    let mut env = env.to_vec();
    env.push(("XDG_CONFIG_HOME", config.path().to_str().unwrap()));
    let mut args = vec!["plan", "--show-settings"];
    args.extend(flags);
    args.push(path(dir.path()));
    let run = run_in_process(&args, &env, false, &[]);
    assert_eq!(run.code, Exit::Ok, "{}", run.err);
    run.out
        .replace(config.path().to_str().unwrap(), "$XDG_CONFIG_HOME")
}

#[test]
fn settings_precedence_one_rule_at_a_time() {
    insta::assert_snapshot!("settings_defaults", show_settings(None, None, &[], &[]));
    insta::assert_snapshot!(
        "settings_user_config_beats_default",
        show_settings(
            None,
            Some("flavor = \"distroless\"\nport = 1111\n"),
            &[],
            &[]
        )
    );
    insta::assert_snapshot!(
        "settings_project_file_beats_user_config",
        show_settings(
            Some("flavor = \"slim\"\n"),
            Some("flavor = \"distroless\"\nport = 1111\n"),
            &[],
            &[]
        )
    );
    insta::assert_snapshot!(
        "settings_env_beats_project_file",
        show_settings(
            Some("flavor = \"slim\"\n"),
            None,
            &[
                ("DOCKSMITH_FLAVOR", "alpine"),
                ("DOCKSMITH_RUNTIME_PACKAGES", "tzdata,curl")
            ],
            &[]
        )
    );
    insta::assert_snapshot!(
        "settings_flag_beats_env",
        show_settings(
            None,
            None,
            &[("DOCKSMITH_FLAVOR", "alpine")],
            &["--flavor", "scratch", "--command", "/app --verbose"]
        )
    );
}

#[test]
fn a_misspelled_setting_is_an_error_that_suggests_the_right_name() {
    let dir = copy_example("go-http");
    std::fs::write(dir.path().join("docksmith.toml"), "flavour = \"slim\"\n").unwrap();
    let run = run_in_process(&["plan", path(dir.path())], &[], false, &[]);
    assert_eq!(run.code, Exit::Failure);
    assert!(
        run.err
            .contains("docksmith.toml: unknown key `flavour`: did you mean `flavor`?"),
        "{}",
        run.err
    );

    let go_http = repo().join("examples/go-http");
    let run = run_in_process(
        &["plan", path(&go_http)],
        &[("DOCKSMITH_FLAVOUR", "slim")],
        false,
        &[],
    );
    assert_eq!(run.code, Exit::Failure);
    assert!(
        run.err.contains(
            "environment variable DOCKSMITH_FLAVOUR: not a docksmith setting: did you mean DOCKSMITH_FLAVOR?"
        ),
        "{}",
        run.err
    );
    assert!(run.err.contains("hint: rename or unset"), "{}", run.err);
    // A variable far from every setting's belongs to someone else: not an error.
    let run = run_in_process(
        &["plan", path(&go_http)],
        &[("DOCKSMITH_GIT", "https://example.com/docksmith.git")],
        false,
        &[],
    );
    assert_eq!(run.code, Exit::Ok, "{}", run.err);
}

#[test]
fn every_declared_setting_has_a_flag_an_env_var_and_a_show_settings_row() {
    // clap wraps long help lines: compare with the white space folded.
    let help = run_in_process(&["plan", "--help"], &[], false, &[])
        .out
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let shown = show_settings(None, None, &[], &[]);
    for spec in docksmith::settings::SPECS {
        assert!(
            help.contains(&format!("--{}", spec.flag)),
            "--{} missing from --help",
            spec.flag
        );
        assert!(
            help.contains(&format!("[env: {}", spec.env_name())),
            "{} missing from --help",
            spec.env_name()
        );
        assert!(
            shown
                .lines()
                .any(|l| l.starts_with(&format!("{} ", spec.key))),
            "{} missing from --show-settings",
            spec.key
        );
    }
}

#[test]
fn a_list_flag_is_named_as_the_user_typed_it() {
    // The flag is --runtime-package (repeated); the source once said --runtime-packages.
    let shown = show_settings(None, None, &[], &["--runtime-package", "tzdata"]);
    assert!(shown.contains("flag --runtime-package\n"), "{shown}");
}

#[test]
fn the_user_config_file_is_checked_like_the_project_file() {
    let config = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(config.path().join("docksmith")).unwrap();
    std::fs::write(config.path().join("docksmith/config.toml"), "flavour = 1\n").unwrap();
    let run = run_in_process(
        &["plan", "examples/go-http"],
        &[("XDG_CONFIG_HOME", config.path().to_str().unwrap())],
        false,
        &[],
    );
    assert_eq!(run.code, Exit::Failure);
    assert!(run.err.contains("docksmith/config.toml"), "{}", run.err);
}

/// Every key path of a JSON document (`[]` for array items), sorted.
fn key_paths(
    value: &serde_json::Value,
    prefix: &str,
    out: &mut std::collections::BTreeSet<String>,
) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                out.insert(path.clone());
                key_paths(v, &path, out);
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                key_paths(item, &format!("{prefix}[]"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn json_schemas_are_stable() {
    for example in [
        "go-http",
        "python-flask-pip",
        "node-express-npm",
        "rust-axum",
    ] {
        let mut paths = std::collections::BTreeSet::new();
        for command in ["detect", "plan"] {
            let out = docksmith()
                .args([command, "--json"])
                .arg(format!("examples/{example}"))
                .current_dir(crate::support::repo())
                .output()
                .unwrap();
            assert!(out.status.success());
            let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(
                doc["schema_version"], 2,
                "bump SCHEMA_VERSION when a field changes"
            );
            key_paths(&doc, command, &mut paths);
        }
        let listed: Vec<String> = paths.into_iter().collect();
        insta::assert_snapshot!(format!("json_schema_{example}"), listed.join("\n"));
    }
}

#[test]
fn completions_and_man_page() {
    for (shell, marker) in [
        ("bash", "_docksmith()"),
        ("zsh", "#compdef docksmith"),
        ("fish", "complete -c docksmith"),
    ] {
        docksmith()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains(marker));
    }
    docksmith()
        .arg("man")
        .assert()
        .success()
        .stdout(predicate::str::contains(".TH docksmith 1"))
        .stdout(predicate::str::contains("update"));
}

#[test]
fn colors_follow_the_flag_and_no_color() {
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut cmd = docksmith();
        cmd.args(args)
            .arg("examples/go-http")
            .current_dir(crate::support::repo());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.env("DOCKSMITH_PORT", "x").output().unwrap();
        String::from_utf8(out.stderr).unwrap()
    };
    assert!(
        run(&["plan", "--color", "always"], &[("NO_COLOR", "1")])
            .starts_with("\x1b[1;31merror:\x1b[0m")
    );
    assert!(run(&["plan", "--color", "never"], &[]).starts_with("error:"));
    assert!(
        run(&["plan"], &[]).starts_with("error:"),
        "auto: not a terminal"
    );
}

/// The real binary and dialoguer's widgets in a pseudo-terminal: keys typed, files
/// checked.
#[cfg(unix)]
#[test]
fn the_wizard_in_a_real_terminal() {
    let dir = copy_example("go-http");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_docksmith"));
    cmd.arg("init").arg(dir.path());
    cmd.env_remove("CI")
        .env("XDG_CONFIG_HOME", NO_CONFIG)
        .env("NO_COLOR", "1")
        .env("TERM", "xterm");
    for (key, _) in std::env::vars() {
        if key.starts_with("DOCKSMITH_") {
            cmd.env_remove(key);
        }
    }
    let mut session = rexpect::session::spawn_command(cmd, Some(30_000)).expect("spawn in a pty");
    // Once the list is drawn (the terminal is in raw mode then): down arrow, then
    // Enter, picks the second flavor (distroless).
    session.exp_string("Runtime flavor").unwrap();
    session.exp_string("alpine").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(200));
    session.send("\x1b[B").unwrap();
    session.flush().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(200));
    session.send("\r").unwrap();
    session.flush().unwrap();
    session.exp_string("Port the app listens on").unwrap();
    session.send_line("9099").unwrap();
    session.exp_string("Start command").unwrap();
    session.send_line("").unwrap();
    session.exp_string("Run as non-root uid").unwrap();
    session.send_line("").unwrap();
    // The summary, confirmed before anything is written.
    session.exp_string("docksmith will write:").unwrap();
    session.exp_string("Write these files").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(200));
    session.send("y").unwrap();
    session.flush().unwrap();
    session.exp_string("create     Dockerfile").unwrap();
    session.exp_string("docker run --rm -p 9099:9099").unwrap();
    session.exp_eof().unwrap();
    let toml = read(dir.path(), "docksmith.toml");
    assert!(toml.contains("flavor = \"distroless\"\n"), "{toml}");
    assert!(toml.contains("port = 9099\n"), "{toml}");
    let dockerfile = read(dir.path(), "Dockerfile");
    assert!(
        dockerfile.contains("FROM gcr.io/distroless/static-debian12:nonroot"),
        "{dockerfile}"
    );
    assert!(dockerfile.contains("EXPOSE 9099\n"), "{dockerfile}");
}

/// Ctrl-C at a question: the cursor comes back, nothing is written, exit 130. (The
/// terminal's SIGINT killed docksmith mid-list, the cursor left hidden.)
#[cfg(unix)]
#[test]
fn ctrl_c_at_a_question_cancels_and_restores_the_terminal() {
    let dir = copy_example("go-http");
    std::fs::remove_file(dir.path().join("docksmith.toml")).ok();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_docksmith"));
    cmd.arg("init").arg(dir.path());
    cmd.env_remove("CI")
        .env("XDG_CONFIG_HOME", NO_CONFIG)
        .env("NO_COLOR", "1")
        .env("TERM", "xterm");
    let mut session = rexpect::session::spawn_command(cmd, Some(30_000)).expect("spawn in a pty");
    session.exp_string("Runtime flavor").unwrap();
    session.exp_string("alpine").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(200));
    session.send_control('c').unwrap();
    session.exp_string("\x1b[?25h").unwrap();
    session.exp_string("cancelled, nothing written").unwrap();
    // rexpect keeps nix's WaitStatus private: its Debug form says Exited(pid, 130).
    let status = format!("{:?}", session.process().wait().unwrap());
    assert!(
        status.starts_with("Exited(") && status.ends_with(", 130)"),
        "{status}"
    );
    assert!(!dir.path().join("Dockerfile").exists());
    assert!(!dir.path().join("docksmith.toml").exists());
}

#[test]
fn the_wizard_ends_with_a_summary_to_confirm_and_the_next_steps() {
    let dir = copy_example("go-http");
    std::fs::remove_file(dir.path().join("docksmith.toml")).ok();
    // "n" at the summary: nothing written.
    let run = run_in_process(
        &["init", path(dir.path())],
        &[],
        true,
        &["", "", "", "", "n"],
    );
    assert_eq!(run.code, Exit::Conflict, "{}", run.err);
    assert!(
        run.err.contains(
            "docksmith will write:\n  image      scratch (flavor scratch), built on golang:1.22-bookworm"
        ),
        "{}",
        run.err
    );
    assert!(run.err.contains("  create     Dockerfile\n"), "{}", run.err);
    assert!(
        run.err.contains("cancelled, nothing written"),
        "{}",
        run.err
    );
    assert!(!dir.path().join("Dockerfile").exists());
    // Accepted: written, then how to build and run it.
    let run = run_in_process(
        &["init", path(dir.path())],
        &[],
        true,
        &["", "", "", "", ""],
    );
    assert_eq!(run.code, Exit::Ok, "{}", run.err);
    assert!(
        run.err.contains("next steps:\n  docker build -t "),
        "{}",
        run.err
    );
    assert!(
        run.err.contains("docker run --rm -p 8080:8080 "),
        "{}",
        run.err
    );
}

#[test]
fn recorded_answers_never_hide_options_and_can_be_cleared() {
    // Recorded runtime packages hid distroless from the flavor list (they are asked
    // after it), and an empty answer could not clear a recorded port.
    let dir = copy_example("go-http");
    let first = run_in_process(
        &[
            "init",
            "--yes",
            "--flavor",
            "slim",
            "--runtime-package",
            "tzdata",
            "--port",
            "9000",
            path(dir.path()),
        ],
        &[],
        true,
        &[],
    );
    assert_eq!(first.code, Exit::Ok, "{}", first.err);
    // Revise: distroless is listed and chosen; "-" clears the recorded port.
    let run = run_in_process(
        &["init", "--force", path(dir.path())],
        &[],
        true,
        &["n", "distroless", "-", "", "", ""],
    );
    assert_eq!(run.code, Exit::Ok, "{}", run.err);
    assert!(
        run.transcript[1].contains("distroless"),
        "{:#?}",
        run.transcript
    );
    assert!(
        run.transcript[2].contains("- clears the recorded answer"),
        "{:#?}",
        run.transcript
    );
    assert!(
        run.err.contains(
            "distroless has no package manager: the recorded runtime packages are dropped"
        ),
        "{}",
        run.err
    );
    let toml = read(dir.path(), "docksmith.toml");
    assert!(toml.contains("flavor = \"distroless\""), "{toml}");
    assert!(!toml.contains("port"), "cleared:\n{toml}");
    let dockerfile = read(dir.path(), "Dockerfile");
    assert!(dockerfile.contains("EXPOSE 8080\n"), "{dockerfile}");
    assert!(!dockerfile.contains("tzdata"), "{dockerfile}");
}

#[test]
fn a_start_command_the_image_cannot_run_is_asked_again() {
    // The wizard wrote ENTRYPOINT ["npm", …] on distroless, where npm does not exist.
    let dir = copy_example("node-express-npm");
    let run = run_in_process(
        &["init", "--flavor", "distroless", path(dir.path())],
        &[],
        true,
        &["", "npm start", "node server.js", "", "", ""],
    );
    assert_eq!(run.code, Exit::Ok, "{}", run.err);
    let asked: Vec<&String> = run
        .transcript
        .iter()
        .filter(|q| q.starts_with("Start command"))
        .collect();
    assert!(
        asked[0].contains("=> npm start (refused: ") && asked[0].contains("/nodejs/bin/node"),
        "{asked:#?}"
    );
    assert!(asked[1].ends_with("=> node server.js"), "{asked:#?}");
    assert!(
        read(dir.path(), "Dockerfile").contains("ENTRYPOINT [\"/nodejs/bin/node\", \"server.js\"]")
    );
}

/// The same in a real terminal (dialoguer, not the scripted prompter): `-` clears the
/// recorded port, and a start command the image cannot run is refused in place and
/// asked again.
#[cfg(unix)]
#[test]
fn clearing_and_a_refused_command_in_a_real_terminal() {
    let dir = copy_example("node-express-npm");
    let first = run_in_process(
        &[
            "init",
            "--yes",
            "--flavor",
            "distroless",
            "--port",
            "9000",
            path(dir.path()),
        ],
        &[],
        true,
        &[],
    );
    assert_eq!(first.code, Exit::Ok, "{}", first.err);
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_docksmith"));
    cmd.args(["init", "--force"]).arg(dir.path());
    cmd.env_remove("CI")
        .env("XDG_CONFIG_HOME", NO_CONFIG)
        .env("NO_COLOR", "1")
        .env("TERM", "xterm");
    for (key, _) in std::env::vars() {
        if key.starts_with("DOCKSMITH_") {
            cmd.env_remove(key);
        }
    }
    let pause = || std::thread::sleep(std::time::Duration::from_millis(200));
    let mut session = rexpect::session::spawn_command(cmd, Some(30_000)).expect("spawn in a pty");
    session
        .exp_string("generate from them as they are")
        .unwrap();
    pause();
    session.send("n").unwrap();
    session.flush().unwrap();
    session.exp_string("Runtime flavor").unwrap();
    session.exp_string("alpine").unwrap();
    pause();
    session.send("\r").unwrap();
    session.flush().unwrap();
    session.exp_string("Port the app listens on").unwrap();
    session.exp_string("- clears the recorded answer").unwrap();
    pause();
    session.send_line("-").unwrap();
    session.exp_string("Start command").unwrap();
    pause();
    session.send_line("npm start").unwrap();
    // dialoguer prints the refusal and asks again on the same question.
    session.exp_string("/nodejs/bin/node").unwrap();
    pause();
    session.send_line("node server.js").unwrap();
    session.exp_string("Run as non-root uid").unwrap();
    session.send_line("").unwrap();
    session.exp_string("Write these files").unwrap();
    pause();
    session.send("y").unwrap();
    session.flush().unwrap();
    session.exp_eof().unwrap();
    let toml = read(dir.path(), "docksmith.toml");
    assert!(!toml.contains("port"), "cleared:\n{toml}");
    assert!(toml.contains("command = \"node server.js\""), "{toml}");
    let dockerfile = read(dir.path(), "Dockerfile");
    assert!(dockerfile.contains("EXPOSE 3000\n"), "{dockerfile}");
    assert!(
        dockerfile.contains("ENTRYPOINT [\"/nodejs/bin/node\", \"server.js\"]"),
        "{dockerfile}"
    );
}
