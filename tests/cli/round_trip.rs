//! The init → check → update contract: generated text is a function of the settings'
//! values only, `check` passes exactly when `update` would change nothing, and
//! conflicts never pass silently.

use std::path::Path;

use predicates::prelude::*;

use crate::support::{copy_example, docksmith};

fn check(dir: &Path) -> assert_cmd::assert::Assert {
    docksmith().arg("check").arg(dir).assert()
}

/// Each setting, given once as a flag and once as its environment variable, on an
/// example it changes.
const SETTINGS: &[(&str, &str, &str, &str)] = &[
    (
        "node-express-npm",
        "command",
        "DOCKSMITH_COMMAND",
        "node server.js",
    ),
    ("node-express-npm", "port", "DOCKSMITH_PORT", "4100"),
    ("node-express-npm", "user", "DOCKSMITH_USER", "4242"),
    ("node-express-npm", "flavor", "DOCKSMITH_FLAVOR", "slim"),
    ("node-express-npm", "syntax", "DOCKSMITH_SYNTAX", "none"),
    (
        "node-express-npm",
        "image-builder",
        "DOCKSMITH_IMAGE_BUILDER",
        "node:22-bookworm-slim",
    ),
    (
        "python-flask-pip",
        "healthcheck",
        "DOCKSMITH_HEALTHCHECK",
        "false",
    ),
    (
        "python-flask-pip",
        "runtime-package",
        "DOCKSMITH_RUNTIME_PACKAGES",
        "curl",
    ),
    ("go-multi-cmd", "bin", "DOCKSMITH_BIN", "worker"),
    (
        "python-django-no-server",
        "add-server",
        "DOCKSMITH_ADD_SERVER",
        "true",
    ),
];

#[test]
fn a_setting_given_by_flag_or_environment_is_not_drift() {
    // The Dockerfile named where a setting came from ("set by flag --command"), so the
    // regeneration from docksmith.toml differed and `check` failed at once.
    for (example, flag, var, value) in SETTINGS {
        let by_flag = copy_example(example);
        docksmith()
            .args(["init", "--yes", &format!("--{flag}={value}")])
            .arg(by_flag.path())
            .assert()
            .success();
        check(by_flag.path()).code(0);
        let by_env = copy_example(example);
        docksmith()
            .args(["init", "--yes"])
            .arg(by_env.path())
            .env(var, value)
            .assert()
            .success();
        check(by_env.path()).code(0);
        // Same values, same bytes, whatever their source.
        // (A Python app without a name is named after its folder, a temporary one here.)
        let text = |dir: &Path| {
            let folder = dir.file_name().unwrap().to_string_lossy().into_owned();
            std::fs::read_to_string(dir.join("Dockerfile"))
                .unwrap()
                .replace(&folder, "app")
        };
        assert_eq!(
            text(by_flag.path()),
            text(by_env.path()),
            "{example} --{flag}"
        );
    }
}

fn run(dir: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    docksmith().args(args).arg(dir).assert()
}

fn replace_in(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} lacks {from}:\n{text}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn check_passes_once_update_has_kept_an_edit() {
    // `update` kept the edit and exited 0, and `check` still failed, forever.
    let dir = copy_example("node-express-npm");
    run(dir.path(), &["init", "--yes"]).success();
    replace_in(
        dir.path(),
        "Dockerfile",
        "EXPOSE 3000\n",
        "EXPOSE 3000\nLABEL team=\"payments\"\n",
    );
    // Nothing for update to do: check passes although the file is not docksmith's text.
    run(dir.path(), &["check"])
        .code(0)
        .stderr(predicate::str::contains("up to date"));
    // A change docksmith makes beside the edit: drift until update merges it.
    let toml = std::fs::read_to_string(dir.path().join("docksmith.toml")).unwrap();
    std::fs::write(
        dir.path().join("docksmith.toml"),
        toml.replacen("\n[generated]\n", "\nuser = 4242\n\n[generated]\n", 1),
    )
    .unwrap();
    run(dir.path(), &["check"]).code(4);
    run(dir.path(), &["update"]).code(0);
    run(dir.path(), &["check"])
        .code(0)
        .stderr(predicate::str::contains("up to date"));
    // --strict keeps the old meaning: any difference from docksmith's own text.
    run(dir.path(), &["check", "--strict"])
        .code(4)
        .stdout(predicate::str::contains("-LABEL team=\"payments\""));
    // An edit a setting could make is pointed to its key.
    replace_in(dir.path(), "Dockerfile", "EXPOSE 3000\n", "EXPOSE 9000\n");
    run(dir.path(), &["update"])
        .code(0)
        .stderr(predicate::str::contains(
            "your edit `EXPOSE 9000` in Dockerfile can be a setting: set `port` in docksmith.toml",
        ));
    run(dir.path(), &["check"]).code(0);
}

#[test]
fn update_refuses_a_file_that_still_holds_conflict_markers() {
    // It reported `merge` and exited 0 over unresolved markers; --dry-run exited 0
    // where the real run conflicted.
    let dir = copy_example("node-express-npm");
    run(dir.path(), &["init", "--yes"]).success();
    replace_in(dir.path(), "Dockerfile", "EXPOSE 3000\n", "EXPOSE 3999\n");
    std::fs::write(
        dir.path().join("docksmith.toml"),
        std::fs::read_to_string(dir.path().join("docksmith.toml"))
            .unwrap()
            .replacen("\n[generated]\n", "\nport = 4000\n\n[generated]\n", 1),
    )
    .unwrap();
    run(dir.path(), &["update", "--dry-run"]).code(5);
    run(dir.path(), &["update"]).code(5);
    let marked = std::fs::read(dir.path().join("Dockerfile")).unwrap();
    assert!(String::from_utf8_lossy(&marked).contains("<<<<<<< yours"));
    run(dir.path(), &["update"])
        .code(5)
        .stderr(predicate::str::contains("still holds conflict markers"));
    run(dir.path(), &["update", "--dry-run"]).code(5);
    run(dir.path(), &["check"])
        .code(4)
        .stderr(predicate::str::contains("still holds conflict markers"));
    assert_eq!(
        std::fs::read(dir.path().join("Dockerfile")).unwrap(),
        marked,
        "untouched"
    );
    // Resolved by hand: update goes through again.
    let resolved: String = String::from_utf8(marked)
        .unwrap()
        .lines()
        .filter(|l| {
            !l.starts_with("<<<<<<<")
                && !l.starts_with("|||||||")
                && !l.starts_with("=======")
                && !l.starts_with(">>>>>>>")
                && *l != "EXPOSE 3999"
                && *l != "EXPOSE 3000"
        })
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.path().join("Dockerfile"), resolved).unwrap();
    run(dir.path(), &["update"]).code(0);
    run(dir.path(), &["check"]).code(0);
}

#[test]
fn check_and_update_without_init_point_to_init_and_touch_nothing() {
    // update wrapped a hand-written Dockerfile in conflict markers and exited 5; check
    // blamed a docksmith.toml that does not exist.
    let dir = copy_example("node-express-npm");
    let mine = "FROM node:24\nCOPY . .\nCMD [\"node\", \"server.js\"]\n";
    std::fs::write(dir.path().join("Dockerfile"), mine).unwrap();
    for args in [&["update"][..], &["update", "--dry-run"]] {
        run(dir.path(), args)
            .code(1)
            .stderr(predicate::str::contains("nothing to update"))
            .stderr(predicate::str::contains("no such file"))
            .stderr(predicate::str::contains("run `docksmith init`"));
    }
    // check: the files are not what docksmith writes (drift), and it says why.
    run(dir.path(), &["check"]).code(4).stderr(predicate::str::contains(
        "docksmith has not set up this project (docksmith.toml has no record of what it wrote); run `docksmith init`",
    ));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap(),
        mine
    );
    assert!(!dir.path().join("docksmith.toml").exists());
}

#[test]
fn update_adopt_keeps_a_hand_written_dockerfile_and_merges_from_then_on() {
    let dir = copy_example("node-express-npm");
    let mine = "FROM node:24\nWORKDIR /app\nCOPY . .\nCMD [\"node\", \"server.js\"]\n";
    std::fs::write(dir.path().join("Dockerfile"), mine).unwrap();
    // The dry run shows the diff from theirs to docksmith's, and writes nothing.
    run(dir.path(), &["update", "--adopt", "--dry-run"])
        .code(0)
        .stdout(predicate::str::contains("-FROM node:24\n"))
        .stdout(predicate::str::contains("+[generated]"));
    assert!(!dir.path().join("Dockerfile.docksmith").exists());
    assert!(!dir.path().join("docksmith.toml").exists());
    run(dir.path(), &["update", "--adopt"])
        .code(0)
        .stderr(predicate::str::contains("  adopted    Dockerfile\n"))
        .stderr(predicate::str::contains(
            "  create     Dockerfile.docksmith\n",
        ));
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    assert_eq!(read("Dockerfile"), mine, "theirs, untouched");
    let ours = read("Dockerfile.docksmith");
    assert!(ours.starts_with("# syntax=docker/dockerfile:1\n"), "{ours}");
    assert_eq!(read(".docksmith/generated/Dockerfile"), ours, "the base");
    // docksmith would change nothing: check passes, update keeps theirs.
    run(dir.path(), &["check"])
        .code(0)
        .stderr(predicate::str::contains(
            "your edits to Dockerfile are kept",
        ));
    run(dir.path(), &["update"]).code(0);
    assert_eq!(read("Dockerfile"), mine);
    // Once set up, there is nothing left to adopt.
    run(dir.path(), &["update", "--adopt"])
        .code(1)
        .stderr(predicate::str::contains("nothing to adopt"));
    // A change of docksmith's reaches their file as a merge (here it overlaps).
    replace_in(
        dir.path(),
        "docksmith.toml",
        "\n[generated]\n",
        "\nport = 4000\n\n[generated]\n",
    );
    run(dir.path(), &["check"]).code(4);
}

#[test]
fn unsupported_projects_name_what_was_seen_with_one_exit_code() {
    // detect exited 0 where plan exited 1; nothing named the Gemfile; the hint left
    // Python out.
    for (file, seen) in [
        ("Gemfile", "found Gemfile (Ruby)"),
        ("composer.json", "found composer.json (PHP)"),
        ("App.csproj", "found App.csproj (.NET)"),
    ] {
        let dir = crate::support::project(&[(file, "{}\n")]);
        for command in ["detect", "plan", "generate"] {
            run(dir.path(), &[command])
                .code(1)
                .stderr(predicate::str::contains(seen))
                .stderr(predicate::str::contains("Python (pyproject.toml"));
        }
        run(dir.path(), &["init", "--yes"])
            .code(1)
            .stderr(predicate::str::contains(seen));
        assert!(!dir.path().join("Dockerfile").exists());
    }
    let empty = tempfile::tempdir().unwrap();
    std::fs::create_dir(empty.path().join(".git")).unwrap();
    for command in ["detect", "plan"] {
        run(empty.path(), &[command])
            .code(1)
            .stderr(predicate::str::contains("no supported project found"))
            .stderr(predicate::str::contains(": found").not());
    }
}

#[test]
fn a_subfolder_of_a_project_is_planned_from_the_project_root() {
    // Run from cmd/api inside a Go module, docksmith did not look upward.
    let dir = copy_example("go-multi-cmd");
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    docksmith()
        .arg("plan")
        .current_dir(dir.path().join("cmd/api"))
        .assert()
        .success()
        .stdout(predicate::str::contains("go build plan"))
        .stderr(predicate::str::contains(
            "the nearest folder above with a project manifest",
        ));
    // Never above the repository root: a package.json outside it is not this project.
    let outer = crate::support::project(&[(
        "package.json",
        "{\"name\": \"outer\", \"scripts\": {\"start\": \"node a.js\"}}",
    )]);
    let repo = outer.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::create_dir_all(repo.join("docs")).unwrap();
    docksmith()
        .arg("plan")
        .current_dir(repo.join("docs"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no supported project found"));
}

#[test]
fn a_start_command_must_start_in_the_image_it_goes_to() {
    // `--command "node index.js"` on distroless wrote ENTRYPOINT ["node", …]: node is
    // off PATH there (/nodejs/bin), so the container could not start.
    let dir = copy_example("node-express-npm");
    let generate = |flags: &[&str]| {
        docksmith()
            .arg("generate")
            .args(flags)
            .arg(dir.path())
            .assert()
    };
    generate(&["--command", "node server.js"])
        .success()
        .stdout(predicate::str::contains(
            "ENTRYPOINT [\"/nodejs/bin/node\", \"server.js\"]",
        ));
    generate(&["--command", "npm start"])
        .code(1)
        .stderr(predicate::str::contains(
            "flag --command: the start command's `npm` is not in the distroless image",
        ))
        .stderr(predicate::str::contains("/nodejs/bin/node"))
        .stderr(predicate::str::contains("--flavor slim"));
    // A runtime with a shell has a PATH docksmith cannot list: taken as given.
    generate(&["--command", "npm start", "--flavor", "slim"])
        .success()
        .stdout(predicate::str::contains("ENTRYPOINT [\"npm\", \"start\"]"));
}

#[test]
fn generate_to_stdout_names_the_secrets_a_context_without_dockerignore_sends() {
    // `docksmith generate | docker build -f - .` shipped .env into the image silently.
    let dir = copy_example("go-http");
    std::fs::write(dir.path().join(".env"), "DATABASE_PASSWORD=hunter2\n").unwrap();
    std::fs::write(dir.path().join(".gitignore"), ".env\n").unwrap();
    run(dir.path(), &["generate"])
        .success()
        .stderr(predicate::str::contains("has no .dockerignore"))
        .stderr(predicate::str::contains("sends .env into the build"))
        .stderr(predicate::str::contains("hunter2").not());
    // With a .dockerignore (or written to a folder), nothing to say.
    std::fs::write(dir.path().join(".dockerignore"), "**/.env\n").unwrap();
    run(dir.path(), &["generate"])
        .success()
        .stderr(predicate::str::contains(".dockerignore").not());
}

#[test]
fn a_personal_config_that_shapes_the_files_is_recorded_for_everyone() {
    // `flavor = "slim"` in ~/.config/docksmith/config.toml changed the Dockerfile but
    // was not recorded: every teammate and CI saw drift.
    let config = tempfile::tempdir().unwrap();
    std::fs::create_dir(config.path().join("docksmith")).unwrap();
    let write_config = |text: &str| {
        std::fs::write(config.path().join("docksmith/config.toml"), text).unwrap();
    };
    let with_config = |args: &[&str], dir: &Path| {
        docksmith()
            .args(args)
            .arg(dir)
            .env("XDG_CONFIG_HOME", config.path())
            .assert()
    };
    write_config("flavor = \"slim\"\n");
    let dir = copy_example("node-express-npm");
    with_config(&["init", "--yes"], dir.path())
        .success()
        .stderr(predicate::str::contains(
            "your config file sets flavor and changes the generated files: recorded in docksmith.toml",
        ));
    let toml = std::fs::read_to_string(dir.path().join("docksmith.toml")).unwrap();
    assert!(toml.contains("flavor = \"slim\""), "{toml}");
    check(dir.path()).code(0);
    // A value equal to docksmith's own pick changes nothing: not recorded.
    write_config("flavor = \"distroless\"\n");
    let dir = copy_example("node-express-npm");
    with_config(&["init", "--yes"], dir.path())
        .success()
        .stderr(predicate::str::contains("your config file").not());
    assert!(
        !std::fs::read_to_string(dir.path().join("docksmith.toml"))
            .unwrap()
            .contains("flavor")
    );
    // check and update follow docksmith.toml, not a config file added later.
    write_config("flavor = \"slim\"\n");
    with_config(&["check"], dir.path()).code(0);
    with_config(&["update"], dir.path()).code(0);
    check(dir.path()).code(0);
}

#[test]
fn every_man_page_the_main_page_names_exists() {
    // The man page pointed to docksmith-init(1) and others, which did not exist.
    let out = docksmith().arg("man").assert().success();
    let main = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let pages = tempfile::tempdir().unwrap();
    docksmith()
        .args(["man", "--dir"])
        .arg(pages.path())
        .assert()
        .success();
    let mut named = 0;
    for word in main.split(|c: char| c.is_whitespace()) {
        if let Some(page) = word
            .strip_prefix("docksmith\\-")
            .and_then(|w| w.strip_suffix("(1)"))
        {
            named += 1;
            assert!(
                pages.path().join(format!("docksmith-{page}.1")).exists(),
                "docksmith-{page}(1) is named but not written"
            );
        }
    }
    assert!(named >= 6, "{main}");
    docksmith()
        .args(["man", "init"])
        .assert()
        .success()
        .stdout(predicate::str::contains(".TH docksmith-init 1"));
    docksmith().args(["man", "nope"]).assert().code(2);
}

#[test]
fn settings_errors_say_what_was_wanted() {
    let dir = copy_example("go-http");
    // "invalid digit found in string" named no setting's expectation.
    docksmith()
        .arg("plan")
        .arg(dir.path())
        .env("DOCKSMITH_PORT", "abc")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "DOCKSMITH_PORT: `abc`: expected a port, a whole number from 1 to 65535",
        ));
    // A swapped pair of letters was ignored silently.
    docksmith()
        .arg("plan")
        .arg(dir.path())
        .env("DOCKSMITH_PROT", "9000")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("did you mean DOCKSMITH_PORT?"));
    // PATH and --json have help text.
    docksmith()
        .args(["plan", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "[PATH]  The project's root folder",
        ))
        .stdout(
            predicate::str::contains("--json")
                .and(predicate::str::contains("Print JSON (a versioned schema)")),
        );
}

#[test]
fn plan_lists_only_the_steps_the_dockerfile_has() {
    // `plan` listed an `npm ci` (every dependency) the Dockerfile did not run.
    let dir = copy_example("node-express-npm");
    run(dir.path(), &["plan"])
        .success()
        .stdout(predicate::str::contains("prod deps     npm ci --omit=dev"))
        .stdout(predicate::str::contains("install       npm ci").not());
    let dockerfile = run(dir.path(), &["generate"]).success();
    let text = String::from_utf8(dockerfile.get_output().stdout.clone()).unwrap();
    assert!(!text.contains("    npm ci\n"), "{text}");
}

#[test]
fn init_dry_run_shows_what_docksmith_toml_would_record() {
    // `init --dry-run` omitted the docksmith.toml change.
    let dir = copy_example("go-http");
    let _ = std::fs::remove_file(dir.path().join("docksmith.toml"));
    run(dir.path(), &["init", "--dry-run", "--port", "9000"])
        .success()
        .stdout(predicate::str::contains("+++ b/docksmith.toml"))
        .stdout(predicate::str::contains("+port = 9000"));
    assert!(!dir.path().join("docksmith.toml").exists());
    // Once written, a dry run with nothing new shows no docksmith.toml diff.
    run(dir.path(), &["init", "--yes", "--port", "9000"]).success();
    run(dir.path(), &["init", "--dry-run", "--port", "9000"])
        .success()
        .stdout(predicate::str::contains("docksmith.toml").not());
}
