//! `init`, `check` and `update` without a terminal: file statuses, conflicts,
//! --force/--skip, the managed .dockerignore block, the drift check, three-way merges
//! and byte-for-byte reproducibility.

use std::path::Path;

use predicates::prelude::*;

use crate::support::{copy_example, docksmith, read};

/// Every file docksmith writes, with its bytes.
fn snapshot_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    [
        "Dockerfile",
        ".dockerignore",
        "docksmith.toml",
        ".docksmith/generated/Dockerfile",
        ".docksmith/generated/.dockerignore",
    ]
    .iter()
    .map(|name| {
        (
            name.to_string(),
            std::fs::read(dir.join(name)).unwrap_or_default(),
        )
    })
    .collect()
}

/// A copy of `example` with `file` holding `text`.
fn example_with(example: &str, file: &str, text: &str) -> tempfile::TempDir {
    let dir = copy_example(example);
    std::fs::write(dir.path().join(file), text).unwrap();
    dir
}

fn init(dir: &Path, flags: &[&str]) -> assert_cmd::assert::Assert {
    docksmith().arg("init").args(flags).arg(dir).assert()
}

#[test]
fn init_records_answers_and_reproduces_its_files_byte_for_byte() {
    let dir = copy_example("go-http");
    init(dir.path(), &["--flavor", "slim", "--user", "10001"])
        .success()
        .stderr(predicate::str::contains("  create     Dockerfile\n"))
        .stderr(predicate::str::contains("  create     .dockerignore\n"));
    let toml = read(dir.path(), "docksmith.toml");
    assert!(toml.contains("flavor = \"slim\"\n"), "{toml}");
    assert!(toml.contains("user = 10001\n"), "{toml}");
    assert!(toml.contains("[generated]\nversion = \""), "{toml}");
    assert!(toml.contains("Dockerfile = \"sha256:"), "{toml}");
    assert!(read(dir.path(), "Dockerfile").contains("USER 10001:10001"));
    assert_eq!(
        read(dir.path(), ".docksmith/generated/Dockerfile"),
        read(dir.path(), "Dockerfile")
    );
    let first = snapshot_files(dir.path());
    let modified = |name: &str| {
        std::fs::metadata(dir.path().join(name))
            .unwrap()
            .modified()
            .unwrap()
    };
    let stamps = [modified("Dockerfile"), modified(".dockerignore")];
    std::thread::sleep(std::time::Duration::from_millis(20));
    // No flags: the recorded answers give the same files, and nothing is rewritten.
    init(dir.path(), &[])
        .success()
        .stderr(predicate::str::contains("  identical  Dockerfile\n"))
        .stderr(predicate::str::contains("  identical  .dockerignore\n"));
    assert_eq!(snapshot_files(dir.path()), first);
    assert_eq!(
        [modified("Dockerfile"), modified(".dockerignore")],
        stamps,
        "identical files are not rewritten"
    );
    docksmith().arg("check").arg(dir.path()).assert().success();
}

#[test]
fn docksmiths_own_files_are_overwritten_when_settings_change() {
    let dir = copy_example("go-http");
    init(dir.path(), &[]).success();
    init(dir.path(), &["--port", "9090"])
        .success()
        .stderr(predicate::str::contains("  overwrite  Dockerfile\n"))
        .stderr(predicate::str::contains("  identical  .dockerignore\n"));
    assert!(read(dir.path(), "Dockerfile").contains("EXPOSE 9090\n"));
    assert!(read(dir.path(), "docksmith.toml").contains("port = 9090\n"));
}

#[test]
fn an_edited_file_is_a_conflict_refused_without_a_terminal() {
    let dir = copy_example("go-http");
    init(dir.path(), &[]).success();
    let dockerfile = dir.path().join("Dockerfile");
    let edited =
        read(dir.path(), "Dockerfile").replace("EXPOSE 8080", "EXPOSE 8080\nLABEL team=web");
    std::fs::write(&dockerfile, &edited).unwrap();
    let before = snapshot_files(dir.path());
    init(dir.path(), &["--port", "9090"])
        .code(5)
        .stderr(predicate::str::contains("  conflict   Dockerfile\n"))
        .stderr(predicate::str::contains(
            "conflict: Dockerfile changed since docksmith wrote it (or was written by hand); nothing was written",
        ))
        .stderr(predicate::str::contains("--force replaces it, --skip keeps it"));
    assert_eq!(snapshot_files(dir.path()), before, "nothing written");
    // --skip keeps the edit, and keeps the old record so `update` can merge later.
    let old_record = read(dir.path(), ".docksmith/generated/Dockerfile");
    init(dir.path(), &["--skip", "--port", "9090"])
        .success()
        .stderr(predicate::str::contains("  skip       Dockerfile\n"));
    assert_eq!(read(dir.path(), "Dockerfile"), edited);
    assert_eq!(
        read(dir.path(), ".docksmith/generated/Dockerfile"),
        old_record
    );
    // --force replaces it.
    init(dir.path(), &["--force"])
        .success()
        .stderr(predicate::str::contains("  overwrite  Dockerfile\n"));
    assert!(!read(dir.path(), "Dockerfile").contains("LABEL team=web"));
}

#[test]
fn a_hand_written_dockerfile_is_a_conflict_too() {
    let dir = example_with("go-http", "Dockerfile", "FROM scratch\n");
    init(dir.path(), &[]).code(5);
    assert!(
        !dir.path().join(".dockerignore").exists(),
        "no half-updated project"
    );
    assert!(!dir.path().join("docksmith.toml").exists());
}

#[test]
fn a_users_dockerignore_is_merged_not_replaced() {
    let dir = example_with("go-http", ".dockerignore", "local-data/\n!README.md\n");
    init(dir.path(), &[])
        .success()
        .stderr(predicate::str::contains("  merge      .dockerignore\n"));
    let merged = read(dir.path(), ".dockerignore");
    assert!(
        merged.starts_with("# >>> docksmith: managed block."),
        "{merged}"
    );
    assert!(
        merged.ends_with("# <<< docksmith\n\nlocal-data/\n!README.md\n"),
        "{merged}"
    );
    // The user edits their own lines: still no conflict, and their lines stay.
    std::fs::write(dir.path().join(".dockerignore"), format!("{merged}tmp/\n")).unwrap();
    init(dir.path(), &["--port", "9090"])
        .success()
        .stderr(predicate::str::contains("  identical  .dockerignore\n"));
    docksmith().arg("check").arg(dir.path()).assert().success();
}

#[test]
fn check_exits_4_with_a_diff_on_drift_and_0_when_up_to_date() {
    let dir = copy_example("go-http");
    docksmith()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(4)
        .stdout(predicate::str::contains(
            "--- /dev/null\n+++ b/Dockerfile\n",
        ))
        .stderr(predicate::str::contains(
            "drift: Dockerfile and .dockerignore differ",
        ));
    init(dir.path(), &[]).success();
    for args in [&["check"][..], &["init", "--check"]] {
        docksmith()
            .args(args)
            .arg(dir.path())
            .assert()
            .success()
            .stdout("")
            .stderr(predicate::str::contains("up to date"));
    }
    let dockerfile = dir.path().join("Dockerfile");
    let edited = read(dir.path(), "Dockerfile").replace("EXPOSE 8080", "EXPOSE 9999");
    std::fs::write(&dockerfile, edited).unwrap();
    // A hand edit `update` keeps is not drift; --strict counts it, with the diff.
    docksmith()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(0)
        .stderr(predicate::str::contains("set `port` in docksmith.toml"));
    docksmith()
        .args(["check", "--strict"])
        .arg(dir.path())
        .assert()
        .code(4)
        .stdout(predicate::str::contains("-EXPOSE 9999\n+EXPOSE 8080\n"));
    // A changed answer in docksmith.toml is drift too.
    init(dir.path(), &["--force"]).success();
    let toml = read(dir.path(), "docksmith.toml");
    std::fs::write(
        dir.path().join("docksmith.toml"),
        format!("flavor = \"slim\"\n{toml}"),
    )
    .unwrap();
    docksmith().arg("check").arg(dir.path()).assert().code(4);
}

#[test]
fn dry_run_prints_a_diff_and_writes_nothing() {
    let dir = copy_example("go-http");
    docksmith()
        .args(["init", "--dry-run"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "--- /dev/null\n+++ b/Dockerfile\n",
        ))
        .stdout(predicate::str::contains(
            "+ENTRYPOINT [\"/usr/local/bin/hello\"]",
        ));
    assert!(!dir.path().join("Dockerfile").exists());
    assert!(!dir.path().join("docksmith.toml").exists());
}

/// docksmith.toml with `key = value` set in front of what init wrote.
fn set_answer(dir: &Path, line: &str) {
    let toml = read(dir, "docksmith.toml");
    std::fs::write(dir.join("docksmith.toml"), format!("{line}\n{toml}")).unwrap();
}

#[test]
fn update_replaces_untouched_files() {
    let dir = copy_example("go-http");
    init(dir.path(), &[]).success();
    set_answer(dir.path(), "port = 7070");
    docksmith()
        .arg("update")
        .arg(dir.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("  overwrite  Dockerfile\n"));
    assert!(read(dir.path(), "Dockerfile").contains("EXPOSE 7070\n"));
    docksmith().arg("check").arg(dir.path()).assert().success();
}

#[test]
fn update_merges_user_edits_three_ways() {
    let dir = copy_example("go-http");
    init(dir.path(), &[]).success();
    // A comment of the user's own, far from the lines docksmith changes.
    let edited = read(dir.path(), "Dockerfile").replacen(
        "# syntax=docker/dockerfile:1\n",
        "# syntax=docker/dockerfile:1\n# Owned by team web.\n",
        1,
    );
    std::fs::write(dir.path().join("Dockerfile"), &edited).unwrap();
    set_answer(dir.path(), "port = 7070");
    // --dry-run shows the merge and writes nothing.
    docksmith()
        .args(["update", "--dry-run"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "-EXPOSE 8080\n+ENV PORT=\"7070\"\n+EXPOSE 7070\n",
        ))
        .stdout(predicate::str::contains("# Owned by team web.").not());
    assert_eq!(read(dir.path(), "Dockerfile"), edited);
    docksmith()
        .arg("update")
        .arg(dir.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("  merge      Dockerfile\n"));
    let merged = read(dir.path(), "Dockerfile");
    assert!(
        merged.contains("# Owned by team web.\n"),
        "your edit stays:\n{merged}"
    );
    assert!(
        merged.contains("EXPOSE 7070\n"),
        "docksmith's change lands:\n{merged}"
    );
    assert!(!merged.contains("<<<<<<<"));
    // The base is now what docksmith generated this time.
    assert!(read(dir.path(), ".docksmith/generated/Dockerfile").contains("EXPOSE 7070\n"));
}

#[test]
fn update_marks_overlapping_edits_and_exits_5() {
    let dir = copy_example("go-http");
    init(dir.path(), &[]).success();
    let edited = read(dir.path(), "Dockerfile").replace("EXPOSE 8080", "EXPOSE 8081");
    std::fs::write(dir.path().join("Dockerfile"), &edited).unwrap();
    set_answer(dir.path(), "port = 7070");
    docksmith()
        .arg("update")
        .arg(dir.path())
        .assert()
        .code(5)
        .stderr(predicate::str::contains("  conflict   Dockerfile\n"))
        .stderr(predicate::str::contains(
            "conflict: your edits and docksmith's changes overlap in Dockerfile",
        ));
    let merged = read(dir.path(), "Dockerfile");
    assert!(
        merged.contains(
            "<<<<<<< yours (the file as you edited it)\nEXPOSE 8081\n||||||| generated by docksmith"
        ),
        "{merged}"
    );
    assert!(
        merged.contains(
            "EXPOSE 8080\n=======\nENV PORT=\"7070\"\nEXPOSE 7070\n>>>>>>> generated by docksmith"
        ),
        "{merged}"
    );
}

#[test]
fn update_without_a_base_marks_every_difference() {
    let dir = copy_example("go-http");
    init(dir.path(), &[]).success();
    std::fs::remove_dir_all(dir.path().join(".docksmith")).unwrap();
    let edited = read(dir.path(), "Dockerfile").replace("EXPOSE 8080", "EXPOSE 8081");
    std::fs::write(dir.path().join("Dockerfile"), edited).unwrap();
    docksmith()
        .arg("update")
        .arg(dir.path())
        .assert()
        .code(5)
        .stderr(predicate::str::contains("merged against an empty base"));
    assert!(
        read(dir.path(), "Dockerfile").contains("EXPOSE 8081"),
        "never lost"
    );
}

#[test]
fn a_missing_answer_without_a_terminal_exits_3_naming_the_flag() {
    let dir = copy_example("go-multi-cmd");
    std::fs::remove_file(dir.path().join("docksmith.toml")).unwrap();
    // assert_cmd runs without a terminal; its timeout fails the test on a hang.
    docksmith()
        .arg("init")
        .arg(dir.path())
        .write_stdin("")
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "hint: choose one with --bin api, DOCKSMITH_BIN, or `bin = \"api\"` in docksmith.toml",
        ));
}

#[test]
fn a_malformed_record_names_the_file() {
    let dir = example_with("go-http", "docksmith.toml", "[generated]\nversion = 1\n");
    init(dir.path(), &[])
        .code(1)
        .stderr(predicate::str::contains(
            "docksmith.toml: the [generated] table is malformed",
        ));
}

#[cfg(unix)]
#[test]
fn symlinked_or_huge_files_are_refused_never_read_or_written_through() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret"), "TOKEN=hunter2\n").unwrap();
    // A Dockerfile linked to a secret: `check` would print it in a diff.
    let dir = copy_example("go-http");
    std::os::unix::fs::symlink(outside.path().join("secret"), dir.path().join("Dockerfile"))
        .unwrap();
    for args in [&["check"][..], &["init", "--force"], &["update"]] {
        docksmith()
            .args(args)
            .arg(dir.path())
            .assert()
            .code(1)
            .stdout(predicate::str::contains("hunter2").not())
            .stderr(predicate::str::contains("Dockerfile is a symbolic link"));
    }
    // A .docksmith folder linked outside: nothing lands there.
    let dir = copy_example("go-http");
    std::os::unix::fs::symlink(outside.path(), dir.path().join(".docksmith")).unwrap();
    init(dir.path(), &[])
        .code(1)
        .stderr(predicate::str::contains(".docksmith is a symbolic link"));
    assert!(!outside.path().join("generated").exists());
    assert!(
        !dir.path().join("Dockerfile").exists(),
        "refused before writing anything"
    );
    // docksmith.toml linked elsewhere is refused too.
    let dir = copy_example("go-http");
    std::os::unix::fs::symlink(
        outside.path().join("secret"),
        dir.path().join("docksmith.toml"),
    )
    .unwrap();
    init(dir.path(), &[])
        .code(1)
        .stderr(predicate::str::contains(
            "docksmith.toml: is a symbolic link",
        ));
    // A Dockerfile far larger than any docksmith writes.
    let dir = example_with("go-http", "Dockerfile", &"#\n".repeat(3 * 1024 * 1024));
    init(dir.path(), &[])
        .code(1)
        .stderr(predicate::str::contains(
            "too large to be a file docksmith manages",
        ));
}
