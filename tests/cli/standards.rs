//! Org standards packs: the sample pack applied to examples (snapshots, hadolint),
//! every validation error, enforced values, allowed flavors, digests, and the pack's
//! identity recorded so `check` notices a new pack.

use std::path::{Path, PathBuf};

use predicates::prelude::*;

use crate::support::{copy_example, docksmith, project, read, repo};

/// The sample pack in `examples/standards/acme`.
fn acme() -> PathBuf {
    repo().join("examples/standards/acme")
}

/// A pack folder holding `standards.toml` with `text`.
fn pack(text: &str) -> tempfile::TempDir {
    project(&[("standards.toml", text)])
}

const MINIMAL: &str = "[pack]\nname = \"t\"\n";

fn generate(dir: &Path, pack: &Path, flags: &[&str]) -> std::process::Output {
    docksmith()
        .arg("generate")
        .arg("--standards")
        .arg(pack)
        .args(flags)
        .arg(dir)
        .output()
        .unwrap()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn the_acme_pack_mirrors_pins_labels_and_enforces_its_user_on_examples() {
    for example in ["go-http", "node-express-npm", "python-flask-pip"] {
        let dir = repo().join("examples").join(example);
        let out = generate(&dir, &acme(), &[]);
        assert!(out.status.success(), "{example}: {}", stderr(&out));
        let dockerfile = String::from_utf8(out.stdout).unwrap();
        docksmith::render::verify::verify(&dockerfile).unwrap_or_else(|e| panic!("{e}"));
        for line in dockerfile.lines().filter(|l| l.starts_with("FROM ")) {
            let image = line.split_whitespace().find(|w| w.contains(':')).unwrap();
            assert!(
                image.starts_with("registry.acme.test/"),
                "{example}: {line}"
            );
        }
        assert!(
            dockerfile.starts_with("# syntax=registry.acme.test/hub/docker/dockerfile:1@sha256:")
        );
        assert!(dockerfile.contains("USER 10001:10001"), "{example}");
        assert!(dockerfile.contains("org.opencontainers.image.vendor=\"ACME Corp\""));
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), &dockerfile).unwrap();
        assert_eq!(crate::lint::lint(file.path()), "", "{example}");
        insta::assert_snapshot!(format!("acme_{example}"), dockerfile);
    }
}

#[test]
fn a_value_the_pack_enforces_cannot_be_set_by_the_project() {
    let dir = repo().join("examples/go-http");
    let out = generate(&dir, &acme(), &["--user", "1000"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("flag --user sets `user`, but standards pack `acme` 2026.12.1 enforces 10001"),
        "{err}"
    );
    assert!(err.contains("hint: remove `user`"), "{err}");
    // The same value is no conflict.
    assert!(
        generate(&dir, &acme(), &["--user", "10001"])
            .status
            .success()
    );
}

#[test]
fn a_flavor_the_pack_does_not_allow_is_refused_and_never_picked() {
    let dir = repo().join("examples/go-http");
    let out = generate(&dir, &acme(), &["--flavor", "alpine"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("flag --flavor asks for the alpine flavor, but standards pack `acme` 2026.12.1 allows only distroless, slim, scratch"),
        "{err}"
    );
    // A pack allowing only a flavor docksmith picks on request makes it the pick.
    let only_slim = pack(&format!("{MINIMAL}[flavors]\nallowed = [\"slim\"]\n"));
    let out = generate(&dir, only_slim.path(), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("FROM debian:bookworm-slim"));
}

#[test]
fn a_default_flavor_that_cannot_run_the_program_gives_way_with_the_reason() {
    // Runtime packages need apt, which the pack's default (distroless) lacks.
    let work = copy_example("python-flask-pip");
    let dir = work.path();
    std::fs::write(
        dir.join("docksmith.toml"),
        "runtime-packages = [\"libmagic1\"]\n",
    )
    .unwrap();
    let out = docksmith()
        .args(["plan", "--standards"])
        .arg(acme())
        .arg(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let plan = String::from_utf8_lossy(&out.stdout);
    assert!(plan.contains("flavor        slim"), "{plan}");
    assert!(plan.contains("- distroless: the default of"), "{plan}");
}

#[test]
fn a_required_digest_that_is_missing_names_the_image_and_how_to_pin_it() {
    let strict = pack(&format!("{MINIMAL}[images]\nrequire-digest = true\n"));
    let out = generate(
        &repo().join("examples/go-http"),
        strict.path(),
        &["--syntax", "none"],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("standards pack `t` requires a digest on every image, and `golang:1.22-bookworm` has none"),
        "{err}"
    );
    assert!(err.contains("[images.pins]"), "{err}");
}

#[test]
fn every_invalid_pack_is_an_error_naming_the_file_and_key() {
    let digest = format!("sha256:{}", "a".repeat(64));
    let cases: Vec<(String, &str)> = vec![
        (
            "name = 1".into(),
            "unknown field `name`, expected one of `pack`",
        ),
        (
            "[pack]\nname = \"has space\"\n".into(),
            "[pack] name `has space`",
        ),
        (
            format!("{MINIMAL}[defaults]\nflavour = \"slim\"\n"),
            "[defaults]: unknown key `flavour`: did you mean `flavor`?",
        ),
        (
            format!("{MINIMAL}[enforced]\nstandards = \"x\"\n"),
            "[enforced]: `standards` cannot be set by a pack",
        ),
        (
            format!("{MINIMAL}[defaults]\nuser = \"x\"\n"),
            "[defaults]:",
        ),
        (
            format!("{MINIMAL}[flavors]\nallowed = [\"busybox\"]\n"),
            "busybox",
        ),
        (
            format!("{MINIMAL}[flavors]\nallowed = [\"slim\"]\n[defaults]\nflavor = \"alpine\"\n"),
            "[defaults] flavor = \"alpine\" is not among [flavors] allowed",
        ),
        (
            format!("{MINIMAL}[dockerignore]\nexclude = [\"!.env\"]\n"),
            "[dockerignore] exclude: `!.env` starts with `!`",
        ),
        (
            format!("{MINIMAL}[dockerignore]\nexclude = [\"a\\nb\"]\n"),
            "holds a control character",
        ),
        (
            format!("{MINIMAL}[dockerignore]\nexclude = [\"\"]\n"),
            "must be 1 to 256 characters",
        ),
        (
            format!("{MINIMAL}[images.pins]\n\"golang:1.22\" = \"sha256:abc\"\n"),
            "`sha256:abc` is not a digest",
        ),
        (
            format!("{MINIMAL}[images.pins]\n\"Not An Image\" = \"{digest}\"\n"),
            "`Not An Image` is not an image reference",
        ),
        (
            format!("{MINIMAL}[[images.mirror]]\nfrom = \"golang\"\nto = \"registry.x/\"\n"),
            "[[images.mirror]] from = `golang`",
        ),
        (
            format!("{MINIMAL}[[images.mirror]]\nfrom = \"docker.io/\"\nto = \"mirror\"\n"),
            "[[images.mirror]] to = `mirror`",
        ),
        (
            format!("{MINIMAL}[labels]\n\"Bad Key\" = \"x\"\n"),
            "[labels] `Bad Key`",
        ),
        (
            format!("{MINIMAL}[labels]\n\"a.b\" = \"two\\nlines\"\n"),
            "[labels] `a.b`: the value must be one line",
        ),
        (
            format!("{MINIMAL}[hooks]\nrun = \"curl evil\"\n"),
            "unknown field `hooks`",
        ),
        (
            format!("{MINIMAL}[[secrets]]\nid = \"npmrc\"\ntarget = \"/root/.npmrc,from=evil\"\n"),
            "[[secrets]] `npmrc`: target `/root/.npmrc,from=evil` must be an absolute path",
        ),
        (
            format!("{MINIMAL}[[secrets]]\nid = \"a b\"\ntarget = \"/x\"\n"),
            "[[secrets]] id `a b`",
        ),
        (
            format!("{MINIMAL}[[secrets]]\nid = \"x\"\ntarget = \"/x\"\nlanguages = [\"cobol\"]\n"),
            "`cobol` is not a language docksmith builds",
        ),
        (
            format!("{MINIMAL}[languages.go]\nbuild-env = {{ NPM_TOKEN = \"abc\" }}\n"),
            "[languages.go] build-env: `NPM_TOKEN` looks like a credential",
        ),
        (
            format!("{MINIMAL}[languages.go]\nbuild-packages = [\"git; curl evil\"]\n"),
            "[languages.go] build-packages: `git; curl evil` is not a package name",
        ),
        (
            format!("{MINIMAL}[languages.go]\nruntime-packages = [\"tzdata\"]\n"),
            "[languages.go] runtime-packages: the scratch runtime",
        ),
        (
            format!("{MINIMAL}[languages.cobol]\nbuild-packages = [\"x\"]\n"),
            "[languages]: `cobol` is not a language",
        ),
        (
            format!("{MINIMAL}[user]\nuid = 0\n"),
            "[user] uid: 1 to 65534 (never root)",
        ),
        (
            format!("{MINIMAL}[user]\nname = \"Root User\"\n"),
            "[user] name `Root User`: a login name",
        ),
        (
            format!("{MINIMAL}[enforced]\nuser = 1000\n[user]\nuid = 10001\n"),
            "[user] uid = 10001 and [enforced] user = 1000 disagree",
        ),
        (
            format!("{MINIMAL}[labels]\n\"a.b\" = \"{{nope}}\"\n"),
            "[labels] `a.b`: `{nope}` is no variable",
        ),
        (
            format!("{MINIMAL}[[variables]]\nname = \"Team\"\n"),
            "[[variables]] name `Team`",
        ),
        (
            format!("{MINIMAL}[[variables]]\nname = \"t\"\npattern = \"(\"\n"),
            "[[variables]] `t`: pattern `(` is not a regular expression",
        ),
        (
            format!("{MINIMAL}[[variables]]\nname = \"t\"\nchoices = [\"a\"]\ndefault = \"b\"\n"),
            "[[variables]] `t`: the default `b` must be one of a",
        ),
        (
            format!("{MINIMAL}[ca]\nfiles = [\"../../etc/ssl/certs/ca-certificates.crt\"]\n"),
            "[ca] files: `../../etc/ssl/certs/ca-certificates.crt` must be a relative path inside the pack",
        ),
    ];
    let dir = repo().join("examples/go-http");
    for (text, wanted) in cases {
        let bad = pack(&text);
        let out = generate(&dir, bad.path(), &[]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{text}: {err}");
        assert!(err.contains("standards.toml"), "{text}: {err}");
        assert!(err.contains(wanted), "{text}: wanted {wanted}, got {err}");
        assert!(err.contains("hint:"), "{text}: {err}");
    }
}

#[test]
fn ca_files_must_hold_certificates_and_nothing_else() {
    let dir = repo().join("examples/go-http");
    let cases = [
        ("missing.crt", None, "missing.crt: cannot read"),
        ("note.crt", Some("just a note\n"), "no certificate"),
        (
            "bad.crt",
            Some("-----BEGIN CERTIFICATE-----\nMIIB' && curl evil #\n-----END CERTIFICATE-----\n"),
            "line 2: not base64 inside a certificate",
        ),
    ];
    for (name, text, wanted) in cases {
        let bad = pack(&format!("{MINIMAL}[ca]\nfiles = [\"{name}\"]\n"));
        if let Some(text) = text {
            std::fs::write(bad.path().join(name), text).unwrap();
        }
        let out = generate(&dir, bad.path(), &[]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{name}: {err}");
        assert!(err.contains(name) && err.contains(wanted), "{name}: {err}");
    }
    let linked = pack(&format!("{MINIMAL}[ca]\nfiles = [\"host.crt\"]\n"));
    std::os::unix::fs::symlink(
        "/etc/ssl/certs/ca-certificates.crt",
        linked.path().join("host.crt"),
    )
    .unwrap();
    let err = stderr(&generate(&dir, linked.path(), &[]));
    assert!(err.contains("is a symbolic link"), "{err}");
}

#[test]
fn the_acme_pack_trusts_its_ca_and_mounts_its_secrets_in_build_stages_only() {
    let out = generate(&repo().join("examples/node-express-npm"), &acme(), &[]);
    let dockerfile = String::from_utf8(out.stdout).unwrap();
    let runtime = dockerfile.split("# ---- runtime").nth(1).unwrap();
    let build = dockerfile.split("# ---- runtime").next().unwrap();
    assert!(build.contains("AS org-ca\n"), "{dockerfile}");
    assert!(build.contains("ENV NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/acme.pem"));
    assert!(build.contains("--mount=type=secret,id=npmrc,target=/root/.npmrc"));
    for absent in ["org-ca", "CERTIFICATE", "secret", "NODE_EXTRA_CA_CERTS"] {
        assert!(
            !runtime.contains(absent),
            "{absent} in the final stage:\n{runtime}"
        );
    }
    // Python's build stage runs update-ca-certificates and points the tools at the bundle.
    let out = generate(&repo().join("examples/python-flask-pip"), &acme(), &[]);
    let dockerfile = String::from_utf8(out.stdout).unwrap();
    assert!(dockerfile.contains(
        "RUN update-ca-certificates\nENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"
    ));
    assert!(dockerfile.contains("--mount=type=secret,id=pip-conf,target=/etc/pip.conf"));
    assert!(
        !dockerfile.contains("id=npmrc"),
        "a node-only secret in a Python build"
    );
}

#[test]
fn a_missing_huge_or_symlinked_pack_is_an_error_not_a_crash() {
    let dir = repo().join("examples/go-http");
    let out = generate(&dir, Path::new("/nonexistent/pack"), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("cannot read the standards pack"),
        "{}",
        stderr(&out)
    );
    let huge = pack(&format!("{MINIMAL}# {}\n", "x".repeat(300 * 1024)));
    let out = generate(&dir, huge.path(), &[]);
    assert!(
        stderr(&out).contains("larger than 256 KiB"),
        "{}",
        stderr(&out)
    );
    let linked = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(
        acme().join("standards.toml"),
        linked.path().join("standards.toml"),
    )
    .unwrap();
    let out = generate(&dir, linked.path(), &[]);
    assert!(
        stderr(&out).contains("is a symbolic link"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn init_records_the_pack_and_check_fails_when_the_pack_changed() {
    let project = copy_example("go-http");
    let packs = tempfile::tempdir().unwrap();
    let pack_dir = packs.path().join("acme");
    crate::common::copy_tree(&acme(), &pack_dir);
    let text = read(&acme(), "standards.toml");
    docksmith()
        .arg("init")
        .arg("--standards")
        .arg(&pack_dir)
        .arg(project.path())
        .assert()
        .success();
    let toml = read(project.path(), "docksmith.toml");
    assert!(
        toml.contains(&format!("standards = \"{}\"", pack_dir.display())),
        "{toml}"
    );
    assert!(
        toml.contains("standards = { name = \"acme\", version = \"2026.12.1\", hash = \"sha256:"),
        "{toml}"
    );
    docksmith()
        .arg("check")
        .arg(project.path())
        .assert()
        .success();

    // The platform team bumps the pack: every repository's check says so.
    let bumped = text.replace("version = \"2026.12.1\"", "version = \"2026.12.2\"");
    std::fs::write(pack_dir.join("standards.toml"), bumped).unwrap();
    docksmith()
        .arg("check")
        .arg(project.path())
        .assert()
        .code(4)
        .stderr(predicate::str::contains(
            "standards pack `acme` changed (recorded 2026.12.1 sha256:",
        ))
        .stderr(predicate::str::contains("run `docksmith update`"));
    docksmith()
        .arg("update")
        .arg(project.path())
        .assert()
        .success();
    docksmith()
        .arg("check")
        .arg(project.path())
        .assert()
        .success();
    assert!(read(project.path(), "Dockerfile").contains("standards pack `acme` 2026.12.2"));
}

#[test]
fn show_settings_traces_the_packs_values() {
    let out = docksmith()
        .args(["generate", "--show-settings", "--standards"])
        .arg(acme())
        .arg(repo().join("examples/go-http"))
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("[enforced] key `user`"), "{shown}");
    assert!(shown.contains("[defaults] key `flavor`"), "{shown}");
}

#[test]
fn check_with_a_pack_audits_a_hand_written_dockerfile() {
    let dir = project(&[(
        "Dockerfile",
        "FROM golang:1.22-bookworm AS build\nARG GITHUB_TOKEN\nRUN go build -o /app .\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /app /app\nENTRYPOINT [\"/app\"]\n",
    )]);
    let out = docksmith()
        .arg("check")
        .arg("--standards")
        .arg(acme())
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    for expected in [
        "Dockerfile:1: mirror: FROM `golang:1.22-bookworm` bypasses the mirror: write `registry.acme.test/hub/golang:1.22-bookworm@sha256:",
        "Dockerfile:2: secret: ARG `GITHUB_TOKEN` looks like a credential",
        "Dockerfile:4: label: the final stage has no label `org.opencontainers.image.vendor`",
        "Dockerfile:4: user: the final stage has no USER",
    ] {
        assert!(text.contains(expected), "{expected}\n{text}");
    }
    assert!(
        stderr(&out)
            .contains("does not comply: 8 findings against standards pack `acme` 2026.12.1")
    );

    let out = docksmith()
        .args(["check", "--json", "--standards"])
        .arg(acme())
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["complies"], false);
    assert_eq!(report["pack"]["name"], "acme");
    assert_eq!(report["findings"].as_array().unwrap().len(), 8);
    assert_eq!(report["findings"][1]["rule"], "secret");

    // Without a pack, --json has nothing to report.
    docksmith()
        .args(["check", "--json"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("pass --standards DIR"));
}

#[test]
fn check_audits_a_kept_hand_edit_that_breaks_the_pack() {
    let dir = copy_example("go-http");
    std::fs::remove_file(dir.path().join("docksmith.toml")).ok();
    docksmith()
        .args(["init", "--yes", "--standards"])
        .arg(acme())
        .arg(dir.path())
        .assert()
        .success();
    docksmith()
        .arg("check")
        .arg(dir.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("follows standards pack `acme`"));
    let dockerfile = dir.path().join("Dockerfile");
    let edited = std::fs::read_to_string(&dockerfile)
        .unwrap()
        .replace("USER 10001:10001", "USER 0");
    std::fs::write(&dockerfile, edited).unwrap();
    // update would keep the edit (no drift), but the pack forbids root.
    docksmith()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(4)
        .stdout(predicate::str::contains(
            "user: the final stage runs as root",
        ));
    // update keeps the edit, and does not suggest a setting the pack decides.
    docksmith()
        .arg("update")
        .arg(dir.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("can be a setting").not())
        .stderr(predicate::str::contains(
            "your edit `USER 0` in Dockerfile changes `user`, which standards pack `acme` 2026.12.1 enforces",
        ));
}

#[test]
fn the_packs_dockerignore_patterns_are_added_with_their_reason() {
    let out_dir = tempfile::tempdir().unwrap();
    docksmith()
        .arg("generate")
        .arg("--standards")
        .arg(acme())
        .arg("--out")
        .arg(out_dir.path())
        .arg(repo().join("examples/go-http"))
        .assert()
        .success();
    let ignore = std::fs::read_to_string(out_dir.path().join(".dockerignore")).unwrap();
    assert!(
        ignore.contains("# Required by standards pack `acme` 2026.12.1\n**/.terraform\n"),
        "{ignore}"
    );
    assert!(ignore.contains("**/*.sqlite3\n"), "{ignore}");
}

#[test]
fn variables_fill_labels_from_flags_env_and_defaults_and_are_checked() {
    let dir = copy_example("go-http");
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    std::fs::write(
        dir.path().join(".git/config"),
        "[remote \"origin\"]\n\turl = https://user:secret@git.acme.test/shop/api.git\n",
    )
    .unwrap();
    let label_lines = |out: &std::process::Output| {
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| l.contains("com.acme."))
            .map(str::trim)
            .collect::<Vec<_>>()
            .join("\n")
    };
    // Defaults, and the repository URL from .git/config without its credentials.
    let out = generate(dir.path(), &acme(), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    insta::assert_snapshot!(label_lines(&out), @r#"
    com.acme.cost-centre="CC-0000" \
    com.acme.repository="https://git.acme.test/shop/api" \
    com.acme.support="platform-team@acme.test" \
    com.acme.team="platform" \
    "#);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Owner: team platform."));
    // A flag for one variable, the environment for the other.
    let out = docksmith()
        .args(["generate", "--standards"])
        .arg(acme())
        .args(["--var", "team=search"])
        .arg(dir.path())
        .env("DOCKSMITH_VARS", "cost_centre=CC-4242")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let labels = label_lines(&out);
    assert!(labels.contains("com.acme.team=\"search\""), "{labels}");
    assert!(
        labels.contains("com.acme.cost-centre=\"CC-4242\""),
        "{labels}"
    );
    // Values outside the choices or the pattern, and names the pack does not declare.
    for (flag, wanted) in [
        (
            "team=marketing",
            "`team` = `marketing` from flag --var must be one of platform, payments, search, data",
        ),
        (
            "cost_centre=42",
            "`cost_centre` = `42` from flag --var must match `CC-[0-9]{4}`",
        ),
        (
            "teem=search",
            "flag --var sets `teem`, which the pack does not declare (it declares: team, cost_centre)",
        ),
        ("team", "expected NAME=VALUE"),
    ] {
        let out = generate(dir.path(), &acme(), &["--var", flag]);
        let err = stderr(&out);
        assert_ne!(out.status.code(), Some(0), "{flag}");
        assert!(err.contains(wanted), "{flag}: wanted {wanted}, got {err}");
    }
    // Variables with no pack to use them are a mistake, said.
    let out = docksmith()
        .args(["generate", "--var", "team=search"])
        .arg(dir.path())
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("flag --var sets variables (team=search), but no standards pack is in effect"),
        "{err}"
    );
}

#[test]
fn a_variable_without_a_default_must_be_given_and_init_records_it() {
    let pack = pack(&format!(
        "{MINIMAL}[labels]\n\"com.example.team\" = \"{{team}}\"\n[[variables]]\nname = \"team\"\nprompt = \"Owning team\"\npattern = \"[a-z]+\"\n"
    ));
    let project = copy_example("go-http");
    let out = generate(project.path(), pack.path(), &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("the variable `team` (Owning team) has no value")
            && err.contains("hint: give a value with --var NAME=VALUE"),
        "{err}"
    );
    docksmith()
        .arg("init")
        .arg("--standards")
        .arg(pack.path())
        .args(["--var", "team=payments"])
        .arg(project.path())
        .assert()
        .success();
    let toml = read(project.path(), "docksmith.toml");
    assert!(toml.contains("vars = { team = \"payments\" }"), "{toml}");
    assert!(read(project.path(), "Dockerfile").contains("com.example.team=\"payments\""));
    // The recorded value reproduces the files: check is clean without the flag.
    docksmith()
        .arg("check")
        .arg(project.path())
        .assert()
        .success();
}

#[test]
fn the_wizard_asks_the_packs_variables() {
    use crate::support::run_in_process;
    let project = copy_example("go-http");
    let acme = acme();
    let run = run_in_process(
        &[
            "init",
            "--standards",
            acme.to_str().unwrap(),
            project.path().to_str().unwrap(),
        ],
        &[],
        true,
        // team (a choice), the cost centre (refused once), then docksmith's own questions.
        &["data", "42", "CC-1234", "", "", "", "", "", "", ""],
    );
    assert_eq!(run.code, docksmith::Exit::Ok, "{}", run.err);
    let transcript = run.transcript.join("\n");
    assert!(
        transcript.contains(
            "Which ACME team owns this service? [platform | payments | search | data] => data"
        ),
        "{transcript}"
    );
    assert!(
        transcript.contains("=> 42 (refused: must match `CC-[0-9]{4}`)"),
        "{transcript}"
    );
    let toml = read(project.path(), "docksmith.toml");
    assert!(
        toml.contains("vars = { cost_centre = \"CC-1234\", team = \"data\" }"),
        "{toml}"
    );
}

/// Runs git in `dir` with a fixed identity; panics with what it said on failure.
fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.test"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_pack_from_git_is_fetched_at_a_tag_cached_and_used_offline() {
    let work = tempfile::tempdir().unwrap();
    let origin = work.path().join("standards");
    crate::common::copy_tree(&acme(), &origin);
    git(&origin, &["init", "--quiet", "-b", "main"]);
    git(&origin, &["add", "."]);
    git(&origin, &["commit", "--quiet", "-m", "acme 2026.12.1"]);
    git(&origin, &["tag", "v2026.12.1"]);
    let cache = work.path().join("cache");
    let project = copy_example("go-http");
    let source = format!("git+file://{}#v2026.12.1", origin.display());
    let run = |args: &[&str]| {
        docksmith()
            .args(args)
            .arg(project.path())
            .env("XDG_CACHE_HOME", &cache)
            .output()
            .unwrap()
    };
    let out = run(&["init", "--standards", &source]);
    assert!(out.status.success(), "{}", stderr(&out));
    let toml = read(project.path(), "docksmith.toml");
    assert!(
        toml.contains(&format!("standards = \"{source}\"")),
        "{toml}"
    );
    assert!(
        regex::Regex::new(r#"standards = \{ name = "acme", version = "2026.12.1", hash = "sha256:[0-9a-f]{64}", commit = "[0-9a-f]{40}" \}"#)
            .unwrap()
            .is_match(&toml),
        "{toml}"
    );
    assert!(read(project.path(), "Dockerfile").contains("standards pack `acme` 2026.12.1"));
    // The origin gone (offline): the cached commit serves, and check is clean.
    std::fs::rename(&origin, work.path().join("away")).unwrap();
    let out = run(&["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::rename(work.path().join("away"), &origin).unwrap();
    // A branch moves: refused unless followed on purpose.
    let branch = format!("git+file://{}#main", origin.display());
    let out = run(&["plan", "--standards", &branch]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("`main` is a branch, which moves"), "{err}");
    let floating = format!(
        "standards = {{ source = \"file://{}\", rev = \"main\", floating = true }}\n",
        origin.display()
    );
    std::fs::write(project.path().join("docksmith.toml"), floating).unwrap();
    let out = run(&["plan"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_hostile_git_source_never_runs_a_command() {
    let work = tempfile::tempdir().unwrap();
    let marker = work.path().join("pwned");
    let project = copy_example("go-http");
    for source in [
        format!("git+ext::sh -c touch% {}#v1", marker.display()),
        "git+--upload-pack=touch /tmp/docksmith-pwned#v1".to_string(),
        format!(
            "git+file://{}#--output=/tmp/docksmith-pwned",
            work.path().display()
        ),
        "git+https://git.acme.test/standards.git".to_string(),
    ] {
        let out = docksmith()
            .args(["plan", "--standards", &source])
            .arg(project.path())
            .env("XDG_CACHE_HOME", work.path().join("cache"))
            .output()
            .unwrap();
        assert_ne!(out.status.code(), Some(0), "{source}");
        let err = stderr(&out);
        assert!(
            err.contains("is not a git URL")
                || err.contains("is not a tag")
                || err.contains("names its revision"),
            "{source}: {err}"
        );
    }
    assert!(!marker.exists());
    assert!(!Path::new("/tmp/docksmith-pwned").exists());
}

#[test]
fn the_final_stage_trusts_the_packs_ca_only_when_asked() {
    let with_ca = |runtime: bool| {
        let dir = pack(&format!(
            "{MINIMAL}[ca]\nfiles = [\"ca.crt\"]\nruntime = {runtime}\n"
        ));
        std::fs::copy(
            acme().join("certs/acme-root.crt"),
            dir.path().join("ca.crt"),
        )
        .unwrap();
        dir
    };
    let final_stage = |example: &str, pack: &Path, flavor: &str| {
        let out = generate(
            &repo().join("examples").join(example),
            pack,
            &["--flavor", flavor],
        );
        assert!(out.status.success(), "{example}: {}", stderr(&out));
        let text = String::from_utf8(out.stdout).unwrap();
        text.split("# ---- runtime").nth(1).unwrap().to_string()
    };
    // Scratch takes the CA bundle from a stage: the builder image's own (in the
    // certificate stage), not the build stage's, which holds the pack's CA.
    let scratch = final_stage("go-http", with_ca(false).path(), "scratch");
    assert!(
        scratch.contains("COPY --from=org-ca /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt"),
        "{scratch}"
    );
    // Asked for: the build stage's bundle, and the variables that point at it.
    let asked = final_stage("go-http", with_ca(true).path(), "distroless");
    assert!(
        asked.contains("COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt"),
        "{asked}"
    );
    assert!(
        asked.contains("ENV SSL_CERT_FILE=\"/etc/ssl/certs/ca-certificates.crt\""),
        "{asked}"
    );
    let node = final_stage("node-express-npm", with_ca(true).path(), "distroless");
    assert!(
        node.contains("COPY --from=org-ca /bundle.pem /usr/local/share/ca-certificates/t.pem")
            && node.contains("ENV NODE_EXTRA_CA_CERTS=\"/usr/local/share/ca-certificates/t.pem\""),
        "{node}"
    );
    let java = final_stage("java-maven-jar", with_ca(true).path(), "distroless");
    assert!(
        java.contains("COPY --from=build /usr/local/share/ca-certificates/t.jks /usr/local/share/ca-certificates/t.jks")
            && java.contains("ENV JAVA_TOOL_OPTIONS=\"-Djavax.net.ssl.trustStore=/usr/local/share/ca-certificates/t.jks\""),
        "{java}"
    );
    // Not asked for, Java builds use a copy of the JDK's truststore: a jlinked runtime
    // copies the JDK's own, which stays without the pack's CA.
    let out = generate(
        &repo().join("examples/java-maven-jar"),
        with_ca(false).path(),
        &[],
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(
            "cp \"$JAVA_HOME/lib/security/cacerts\" /usr/local/share/ca-certificates/t.jks"
        )
    );
    assert!(!text.contains("-cacerts"), "{text}");
}
