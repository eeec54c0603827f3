//! End to end in a real Docker engine: every example × every flavor but alpine is
//! generated, built, inspected and run. Builds against musl (alpine, and Rust's static
//! scratch builds) cannot run here: neither Alpine's packages nor Rust's musl target
//! can be fetched, so those outputs are checked by snapshot, parse and hadolint only
//! (tests/cli/lint.rs says so in its test names).
//!
//! Needs the engine and the base-image stand-ins from `../shared/imageforge`
//! (`dockerd-up`, `forge`), so these tests are ignored by a plain `cargo test`; run
//! them with `cargo test --test e2e -- --ignored` (the README's e2e command).
//! Results (image size, build time, check) go to `target/e2e/<example>.tsv`.

#[path = "../common/mod.rs"]
mod common;
mod doctor;
mod engine;
mod monorepos;
mod standards;

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Instant;

use docksmith::data::{Flavor, Libc};
use docksmith::lang::Build;
use docksmith::pipeline;
use docksmith::settings::{Options, Settings, Syntax};

use docksmith::plan::BuildPlan;
use engine::{Docker, ImageFile};

/// How to tell that an example's image works.
enum Check {
    /// An HTTP server: GET / answers 200 on this port.
    Http(u16),
    /// A command: these arguments exit 0 and print this.
    Command(&'static [&'static str], &'static str),
}

/// Every example and its check. The detected port must equal the one written here.
const CASES: &[(&str, Check)] = &[
    ("go-cgo-sqlite", Check::Http(8082)),
    ("go-cli", Check::Command(&["--version"], "tzconv 2.0.0")),
    ("go-embed-frontend", Check::Http(8095)),
    ("go-flag-port", Check::Http(9292)),
    ("go-http", Check::Http(8080)),
    ("go-multi-cmd", Check::Http(8081)),
    ("go-pcap", Check::Command(&[], "libpcap version")),
    ("go-vendor", Check::Http(8083)),
    ("go-work", Check::Http(8084)),
    ("go-work-tools", Check::Http(8096)),
    ("java-gradle-boot", Check::Http(8089)),
    ("java-maven-jar", Check::Http(8085)),
    ("java-maven-multi", Check::Http(8087)),
    ("java-quarkus", Check::Http(8088)),
    ("java-spring-boot", Check::Http(8086)),
    ("node-angular", Check::Http(8080)),
    ("node-angular-ssr", Check::Http(4000)),
    ("node-bun", Check::Http(3010)),
    ("node-express-npm", Check::Http(3000)),
    ("node-fastify-pnpm", Check::Http(3001)),
    ("node-lifecycle-scripts", Check::Http(3008)),
    ("node-native", Check::Http(3006)),
    ("node-nestjs", Check::Http(3005)),
    ("node-nextjs", Check::Http(3000)),
    ("node-no-start", Check::Http(3013)),
    ("node-npm-workspaces", Check::Http(3007)),
    ("node-nuxt", Check::Http(3000)),
    ("node-nx-api", Check::Http(3014)),
    ("node-pnpm-old-node", Check::Http(3015)),
    ("node-pnpm-yaml", Check::Http(3011)),
    ("node-react-router", Check::Http(3000)),
    ("node-remix", Check::Http(3000)),
    ("node-static-caddy", Check::Http(8080)),
    ("node-static-nginx", Check::Http(8080)),
    ("node-staticfile", Check::Http(8080)),
    ("node-sveltekit", Check::Http(3000)),
    ("node-tanstack-start", Check::Http(3000)),
    ("node-turbo-pnpm", Check::Http(3012)),
    ("node-typescript", Check::Http(3004)),
    ("node-vite-spa", Check::Http(8080)),
    ("node-yarn-berry", Check::Http(3003)),
    ("node-yarn-classic", Check::Http(3002)),
    ("node-yarn-pnp", Check::Http(3009)),
    (
        "python-cli-src",
        Check::Command(&["--version"], "csvstat, version 1.2.0"),
    ),
    ("python-django-no-server", Check::Http(8000)),
    ("python-django-poetry", Check::Http(8000)),
    ("python-falcon-pipenv", Check::Http(8000)),
    ("python-fastapi-uv", Check::Http(8000)),
    ("python-fasthtml", Check::Http(5001)),
    ("python-flask-assets", Check::Http(8099)),
    ("python-flask-old-pins", Check::Http(8000)),
    ("python-flask-pip", Check::Http(8000)),
    ("python-gunicorn-conf", Check::Http(8050)),
    ("python-no-manifest", Check::Http(8094)),
    ("python-polyglot-root", Check::Http(8000)),
    ("python-procfile", Check::Http(8000)),
    (
        "python-psycopg2",
        Check::Command(&[], "psycopg2 2.9.13 with libpq 15."),
    ),
    ("python-starlette-pdm", Check::Http(8000)),
    ("python-uv-packaged", Check::Http(8098)),
    ("python-uv-workspace", Check::Http(9000)),
    ("rust-axum", Check::Http(3000)),
    (
        "rust-bin-rename",
        Check::Command(&["--version"], "greet 1.2.0"),
    ),
    ("rust-clap-port", Check::Http(8093)),
    ("rust-lld-linker", Check::Http(8101)),
    ("rust-multi-bin", Check::Http(8092)),
    (
        "rust-named-like-dep",
        Check::Command(&["--version"], "itoa-demo 0.1.0"),
    ),
    (
        "rust-openssl",
        Check::Command(&["--version"], "(OpenSSL 3."),
    ),
    (
        "rust-rustls",
        Check::Command(&["--version"], "roots, rustls)"),
    ),
    ("rust-sqlx-offline", Check::Http(8100)),
    ("rust-toolchain", Check::Http(8090)),
    ("rust-workspace", Check::Http(8091)),
];

/// Flavors that refuse an example, and the words of the refusal.
/// Paths that must not be in an example's image: dev dependencies and sources a
/// build compiles.
const ABSENT: &[(&str, &[&str])] = &[
    // node-gyp's object files stay in the production-dependencies stage; the addon
    // itself (build/Release/better_sqlite3.node) is what the app loads.
    (
        "node-native",
        &[
            "app/node_modules/better-sqlite3/build/Release/obj.target/sqlite3/gen/sqlite3/sqlite3.o",
            "app/node_modules/better-sqlite3/build/Release/obj/gen/sqlite3/sqlite3.c",
            "app/node_modules/better-sqlite3/build/Release/sqlite3.a",
        ],
    ),
    // The build tool, the wrapper and the build files stay in the builder.
    (
        "java-maven-multi",
        &["app/mvnw", "app/pom.xml", "usr/share/maven/bin/mvn"],
    ),
    (
        "java-spring-boot",
        &["app/pom.xml", "usr/share/maven/bin/mvn"],
    ),
    (
        "node-typescript",
        &[
            "app/node_modules/typescript",
            "app/src/index.ts",
            "app/tsconfig.json",
        ],
    ),
    (
        "node-nestjs",
        &["app/node_modules/typescript", "app/src/main.ts"],
    ),
    ("node-nextjs", &["app/app/page.js", "app/next.config.mjs"]),
    ("node-npm-workspaces", &["app/packages/config"]),
    // Installers and compilers stay in the builder; the virtualenv holds the app's
    // dependencies only.
    (
        "python-cli-src",
        &["app/src/csvstat/cli.py", "app/pyproject.toml"],
    ),
    (
        "python-django-poetry",
        &["usr/local/bin/poetry", "opt/venv/bin/poetry"],
    ),
    ("python-fastapi-uv", &["bin/uv", "opt/venv/bin/pytest"]),
    (
        "python-psycopg2",
        &["usr/bin/gcc", "usr/include/postgresql/libpq-fe.h"],
    ),
    (
        "python-starlette-pdm",
        &["usr/local/bin/pdm", "app/.pdm-build"],
    ),
    (
        "python-falcon-pipenv",
        &["usr/local/bin/pipenv", "opt/venv/bin/pytest"],
    ),
    (
        "node-vite-spa",
        &["app", "usr/share/nginx/html/src/main.js"],
    ),
];

/// Flavors that refuse an example (a trailing `*` matches a prefix), and the words of
/// the refusal.
const REFUSALS: &[(&str, Flavor, &str)] = &[
    ("go-cgo-sqlite", Flavor::Scratch, "has no C library"),
    ("go-pcap", Flavor::Scratch, "has no C library"),
    (
        "go-pcap",
        Flavor::Distroless,
        "has no package manager to add libpcap0.8",
    ),
    ("java-*", Flavor::Scratch, "scratch has neither"),
    ("node-*", Flavor::Scratch, "scratch lacks"),
    ("python-*", Flavor::Scratch, "scratch lacks"),
];

/// The example whose rebuild after a one-file change is measured: dependency
/// compilation must not run again.
const REBUILD_PROBE: (&str, &str, &str) = ("rust-axum", "src/main.rs", "Compiling hello-axum ");

/// Files that must never reach a build context.
const SECRETS: &[&str] = &[".env"];

use common::repo;

#[test]
fn every_example_has_an_e2e_case() {
    let mut examples: Vec<String> = std::fs::read_dir(repo().join("examples"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("expected").is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    examples.sort();
    let cases: Vec<&str> = CASES.iter().map(|(name, _)| *name).collect();
    assert_eq!(examples, cases, "add the new example to CASES");
}

macro_rules! e2e {
    ($($test:ident => $example:literal),* $(,)?) => {$(
        #[test]
        #[ignore = "needs a Docker engine and the imageforge stand-ins: cargo test --test e2e -- --ignored"]
        fn $test() {
            run_example($example);
        }
    )*};
}

e2e! {
    go_cgo_sqlite => "go-cgo-sqlite",
    go_cli => "go-cli",
    go_embed_frontend => "go-embed-frontend",
    go_flag_port => "go-flag-port",
    go_http => "go-http",
    go_multi_cmd => "go-multi-cmd",
    go_pcap => "go-pcap",
    go_vendor => "go-vendor",
    go_work => "go-work",
    go_work_tools => "go-work-tools",
    java_gradle_boot => "java-gradle-boot",
    java_maven_jar => "java-maven-jar",
    java_maven_multi => "java-maven-multi",
    java_quarkus => "java-quarkus",
    java_spring_boot => "java-spring-boot",
    node_angular => "node-angular",
    node_angular_ssr => "node-angular-ssr",
    node_bun => "node-bun",
    node_express_npm => "node-express-npm",
    node_fastify_pnpm => "node-fastify-pnpm",
    node_lifecycle_scripts => "node-lifecycle-scripts",
    node_native => "node-native",
    node_nestjs => "node-nestjs",
    node_nextjs => "node-nextjs",
    node_no_start => "node-no-start",
    node_npm_workspaces => "node-npm-workspaces",
    node_nuxt => "node-nuxt",
    node_nx_api => "node-nx-api",
    node_pnpm_old_node => "node-pnpm-old-node",
    node_pnpm_yaml => "node-pnpm-yaml",
    node_turbo_pnpm => "node-turbo-pnpm",
    node_typescript => "node-typescript",
    node_react_router => "node-react-router",
    node_remix => "node-remix",
    node_static_caddy => "node-static-caddy",
    node_static_nginx => "node-static-nginx",
    node_staticfile => "node-staticfile",
    node_sveltekit => "node-sveltekit",
    node_tanstack_start => "node-tanstack-start",
    node_vite_spa => "node-vite-spa",
    node_yarn_berry => "node-yarn-berry",
    node_yarn_classic => "node-yarn-classic",
    node_yarn_pnp => "node-yarn-pnp",
    python_cli_src => "python-cli-src",
    python_django_poetry => "python-django-poetry",
    python_falcon_pipenv => "python-falcon-pipenv",
    python_django_no_server => "python-django-no-server",
    python_fastapi_uv => "python-fastapi-uv",
    python_uv_packaged => "python-uv-packaged",
    python_fasthtml => "python-fasthtml",
    python_flask_assets => "python-flask-assets",
    python_flask_old_pins => "python-flask-old-pins",
    python_flask_pip => "python-flask-pip",
    python_gunicorn_conf => "python-gunicorn-conf",
    python_no_manifest => "python-no-manifest",
    python_polyglot_root => "python-polyglot-root",
    python_procfile => "python-procfile",
    python_psycopg2 => "python-psycopg2",
    python_starlette_pdm => "python-starlette-pdm",
    python_uv_workspace => "python-uv-workspace",
    rust_axum => "rust-axum",
    rust_bin_rename => "rust-bin-rename",
    rust_clap_port => "rust-clap-port",
    rust_lld_linker => "rust-lld-linker",
    rust_multi_bin => "rust-multi-bin",
    rust_named_like_dep => "rust-named-like-dep",
    rust_openssl => "rust-openssl",
    rust_rustls => "rust-rustls",
    rust_sqlx_offline => "rust-sqlx-offline",
    rust_toolchain => "rust-toolchain",
    rust_workspace => "rust-workspace",
}

/// The docksmith binary, with no user config file from the machine running the tests.
pub fn docksmith() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_docksmith"));
    cmd.env("XDG_CONFIG_HOME", "/nonexistent/docksmith-e2e");
    cmd
}

fn run_example(name: &str) {
    let docker = Docker::find();
    let check = &CASES.iter().find(|(n, _)| *n == name).expect("a case").1;
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join(name);
    common::copy_example(name, &dir);

    let mut report = Vec::new();
    prove_build_context(&docker, name, &dir);
    for flavor in [Flavor::Scratch, Flavor::Distroless, Flavor::Slim] {
        let settings = settings(&dir, flavor);
        let (plan, rendered) = match pipeline::generate(&dir, &settings) {
            Ok(generated) => generated,
            Err(e) => {
                let expected = REFUSALS
                    .iter()
                    .find(|(n, f, _)| {
                        let matches =
                            *n == name || n.strip_suffix('*').is_some_and(|p| name.starts_with(p));
                        matches && *f == flavor
                    })
                    .unwrap_or_else(|| panic!("{name} {flavor}: unexpected refusal: {e}"));
                assert!(e.to_string().contains(expected.2), "{name} {flavor}: {e}");
                report.push(format!("{name}\t{flavor}\trefused\t-\t-\t{}", expected.2));
                continue;
            }
        };
        if plan.builder.value.starts_with("gradle:") {
            report.push(format!("{name}\t{flavor}\tnot built here\t-\t-\tGradle cannot be downloaded here: snapshot, parse and lint only"));
            continue;
        }
        if plan.runtime.libc == Libc::Musl {
            report.push(format!("{name}\t{flavor}\tnot built here\t-\t-\tstatic musl build: snapshot, parse and lint only"));
            continue;
        }
        if let Check::Http(port) = check {
            assert_eq!(
                plan.runtime.expose.as_ref().map(|p| p.value),
                Some(*port),
                "{name}: detected port"
            );
        }
        std::fs::write(dir.join("Dockerfile"), &rendered.dockerfile).unwrap();
        std::fs::write(dir.join(".dockerignore"), &rendered.dockerignore).unwrap();
        docker.ensure_base(&plan.builder.value);
        let tag = format!("docksmith-e2e/{name}:{flavor}");
        let started = Instant::now();
        docker.build(&dir, &tag, None);
        let seconds = started.elapsed().as_secs_f64();
        let size = docker.image_size(&tag);

        let user = &plan.runtime.user;
        assert_ne!(user.uid, 0, "{name} {flavor}: root");
        assert_eq!(
            docker.image_user(&tag),
            format!("{}:{}", user.uid, user.gid),
            "{name} {flavor}: numeric non-root user"
        );
        let files = docker.image_files(&tag);
        if let Some(binary) = plan
            .runtime
            .entrypoint
            .first()
            .and_then(|e| e.strip_prefix('/'))
        {
            assert!(
                files.iter().any(|f| f.path == binary),
                "{name} {flavor}: {binary} missing from the image"
            );
        }
        let base = if plan.runtime.image.value == "scratch" {
            Vec::new()
        } else {
            docker.image_files(&plan.runtime.image.value)
        };
        assert_code_is_roots(name, flavor, &plan, &files, &base);
        let leaked: Vec<&String> = files
            .iter()
            .map(|f| &f.path)
            .filter(|f| {
                f.ends_with(".go")
                    || f.ends_with("go.mod")
                    || f.ends_with(".java")
                    || f.starts_with("src/")
            })
            .collect();
        for absent in ABSENT
            .iter()
            .filter(|(n, _)| *n == name)
            .flat_map(|(_, paths)| paths.iter())
        {
            assert!(
                !files.iter().any(|f| f.path == *absent),
                "{name} {flavor}: {absent} reached the image"
            );
        }
        assert!(
            leaked.is_empty(),
            "{name} {flavor}: sources reached the final stage: {leaked:?}"
        );

        let mut result = match check {
            Check::Http(port) => docker.serve_http(&tag, *port),
            Check::Command(args, expect) => docker.run_command(&tag, args, expect),
        };
        if name.starts_with("python-") {
            result.push_str(&python_stdlib_imports(&docker, &plan.builder.value, &tag));
        }
        report.push(format!(
            "{name}\t{flavor}\t{:.1} MB\t{seconds:.0} s\t{}\t{result}",
            size as f64 / 1_000_000.0,
            plan.runtime.image.value
        ));
    }
    if name.starts_with("node-") {
        report.push(naive_node_image(&docker, &dir, name, &report));
    }
    if name.starts_with("python-") {
        report.push(naive_python_image(&docker, &dir, name, &report));
    }
    if name == REBUILD_PROBE.0 {
        report.push(rebuild_after_touching_one_file(&docker, &dir));
        report.push(cargo_chef_variant(&docker, &dir, check));
    }
    write_report(name, &report);
}

/// The standard library's modules that link shared libraries (OpenSSL, sqlite, libffi,
/// xz, bzip2, zlib, expat, mpdecimal, ncurses, readline, uuid, gdbm): a runtime that
/// lacks one fails only when the app first imports it.
const PYTHON_NATIVE_MODULES: &str = "_ssl _hashlib _sqlite3 _ctypes _lzma _bz2 zlib pyexpat _decimal _curses readline _uuid _dbm _gdbm _zoneinfo _json _asyncio _multiprocessing";

/// Every module of [`PYTHON_NATIVE_MODULES`] that imports in the builder (the minor's
/// own build) imports in the image, and TLS finds the CA bundle there.
fn python_stdlib_imports(docker: &Docker, builder: &str, tag: &str) -> String {
    let code = format!(
        "import importlib, ssl\n\
         imported = []\n\
         for module in '{PYTHON_NATIVE_MODULES}'.split():\n    \
             try:\n        importlib.import_module(module)\n    \
             except ImportError:\n        continue\n    \
             imported.append(module)\n\
         assert ssl.create_default_context().cert_store_stats()['x509_ca'] > 0\n\
         print(' '.join(imported))\n"
    );
    let imports = |image: &str| {
        docker.output(&[
            "run",
            "--rm",
            "--network",
            "host",
            "--entrypoint",
            "python",
            image,
            "-c",
            &code,
        ])
    };
    let (in_builder, in_image) = (imports(builder), imports(tag));
    assert_eq!(in_image, in_builder, "{tag}: native modules that import");
    format!(
        "; {} native modules import, as in the builder",
        in_image.split_whitespace().count()
    )
}

/// The program cannot rewrite what it runs: what the runtime stage copies belongs to
/// root, unless the plan gives it to the program (state a framework rewrites); the
/// working directory is the program's, so it can create files there.
fn assert_code_is_roots(
    name: &str,
    flavor: Flavor,
    plan: &BuildPlan,
    files: &[ImageFile],
    base: &[ImageFile],
) {
    // What the base image already holds, with the same owner, the stage did not copy.
    let from_base: BTreeSet<(&str, u32)> = base.iter().map(|f| (f.path.as_str(), f.uid)).collect();
    let uid = plan.runtime.user.uid;
    let under = |path: &str, target: &str| {
        let target = target.trim_matches('/');
        path == target || path.starts_with(&format!("{target}/"))
    };
    // The working directory and the folders above it are made by WORKDIR, not copied.
    let workdir = plan
        .runtime
        .user_workdir
        .as_deref()
        .unwrap_or_default()
        .trim_matches('/');
    let made_by_workdir = |path: &str| under(workdir, path);
    // State a framework rewrites at run time is the only thing copied to the program.
    for artifact in plan.runtime.artifacts.iter().filter(|a| a.chown.is_some()) {
        assert!(
            artifact.target.trim_end_matches('/').ends_with("/.next"),
            "{name} {flavor}: {} is copied to the program",
            artifact.target
        );
    }
    let given = |path: &str| {
        plan.runtime
            .artifacts
            .iter()
            .any(|a| a.chown.is_some() && under(path, &a.target))
    };
    let copied = |path: &str| {
        plan.runtime
            .artifacts
            .iter()
            .any(|a| under(path, &a.target))
    };
    let writable: Vec<&String> = files
        .iter()
        .filter(|f| f.uid == uid && !made_by_workdir(&f.path) && !given(&f.path))
        .filter(|f| !from_base.contains(&(f.path.as_str(), f.uid)))
        .filter(|f| copied(&f.path) || (!workdir.is_empty() && under(&f.path, workdir)))
        .map(|f| &f.path)
        .collect();
    assert!(
        writable.is_empty(),
        "{name} {flavor}: the program owns copied files: {:?}",
        &writable[..writable.len().min(5)]
    );
    if !workdir.is_empty() {
        // A workspace member's folder comes with the copied tree (root's): the tree's
        // top, which WORKDIR made, is the program's then.
        let top = plan
            .runtime
            .artifacts
            .iter()
            .map(|a| a.target.trim_matches('/'))
            .filter(|t| !t.is_empty() && under(workdir, t) && *t != workdir)
            .min_by_key(|t| t.len());
        let dir = top.unwrap_or(workdir);
        let owner = files.iter().find(|f| f.path == dir).map(|f| f.uid);
        assert_eq!(owner, Some(uid), "{name} {flavor}: /{dir} is the program's");
    }
}

/// Rebuilds the distroless image after changing one source file: the BuildKit log
/// must show the program's crate compiling and no dependency.
fn rebuild_after_touching_one_file(docker: &Docker, dir: &Path) -> String {
    let (name, file, expected) = REBUILD_PROBE;
    let (_, rendered) = pipeline::generate(dir, &settings(dir, Flavor::Distroless)).unwrap();
    std::fs::write(dir.join("Dockerfile"), &rendered.dockerfile).unwrap();
    std::fs::write(dir.join(".dockerignore"), &rendered.dockerignore).unwrap();
    let tag = format!("docksmith-e2e/{name}:rebuild");
    docker.build(dir, &tag, None);
    let source = dir.join(file);
    let mut text = std::fs::read_to_string(&source).unwrap();
    // A new edit every run: the same edit twice would be a layer-cache hit.
    let nonce = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    text.push_str(&format!("\n// touched by the e2e rebuild check {nonce}\n"));
    std::fs::write(&source, text).unwrap();
    let started = Instant::now();
    let log = docker.build(dir, &tag, None);
    let seconds = started.elapsed().as_secs_f64();
    let compiled: Vec<&str> = log
        .lines()
        .filter_map(|l| l.split_once("Compiling ").map(|(_, rest)| rest))
        .collect();
    assert_eq!(
        compiled.len(),
        1,
        "{name}: only the program should compile again, got {compiled:?}"
    );
    assert!(log.contains(expected), "{name}: {compiled:?}");
    format!(
        "{name}\trebuild\t-\t{seconds:.1} s\t-\tafter editing {file}: compiled {} only",
        compiled[0].trim()
    )
}

/// Builds the example's context as Docker sends it (through the generated
/// .dockerignore) and lists it: every file the build needs is there, no secret is.
fn prove_build_context(docker: &Docker, name: &str, dir: &Path) {
    let (plan, rendered) = pipeline::generate(dir, &settings(dir, Flavor::Slim)).unwrap();
    std::fs::write(dir.join(".dockerignore"), &rendered.dockerignore).unwrap();
    let tag = format!("docksmith-e2e/{name}:context");
    docker.build(dir, &tag, Some("FROM debian:bookworm-slim\nCOPY . /ctx\n"));
    let listing = docker.output(&[
        "run",
        "--rm",
        "--network",
        "host",
        &tag,
        "find",
        "/ctx",
        "-type",
        "f",
    ]);
    let files: BTreeSet<String> = listing
        .lines()
        .filter_map(|l| l.strip_prefix("/ctx/"))
        .map(str::to_string)
        .collect();
    for required in &plan.context.required {
        assert!(
            files.contains(required),
            "{name}: the context lost {required}, which the build needs"
        );
    }
    for file in &files {
        let base = file.rsplit('/').next().unwrap_or(file);
        assert!(
            !SECRETS.contains(&base),
            "{name}: {file} reached the build context"
        );
        assert!(
            !base.ends_with("_test.go"),
            "{name}: {file} reached the build context"
        );
    }
    docker.output(&["rmi", &tag]);
}

/// The Dockerfile people write first: one stage, the whole project, every dependency.
/// Same context (with the generated .dockerignore) and engine, for a fair size.
fn naive_node_image(docker: &Docker, dir: &Path, name: &str, report: &[String]) -> String {
    let plan = pipeline::analyze(dir)
        .ok()
        .and_then(|a| a.plan(&settings(dir, Flavor::Slim), "naive").ok());
    let node = plan.as_ref().and_then(|p| match &p.build {
        Build::Node(node) => Some(node),
        _ => None,
    });
    let major = node.and_then(|n| n.node.as_ref()).map_or(24, |n| n.value);
    // pnpm where the project uses it (npm cannot read its `workspace:` protocol
    // or package.yaml), else npm, as people write it first.
    let runner = node
        .and_then(|n| n.install.first())
        .map(String::as_str)
        .filter(|tool| *tool == "pnpm")
        .unwrap_or("npm");
    let (install, runner) = match node {
        Some(n) if runner != "npm" => (
            n.setup
                .iter()
                .chain(std::iter::once(&n.install))
                .map(|argv| argv.join(" "))
                .collect::<Vec<_>>()
                .join(" && "),
            runner,
        ),
        _ => ("npm install".to_string(), "npm"),
    };
    let naive = format!(
        "FROM node:{major}\nWORKDIR /app\nCOPY . .\nRUN {install} && {runner} run --if-present build\nCMD [\"{runner}\", \"start\"]\n"
    );
    compare_naive(
        docker,
        dir,
        name,
        report,
        &naive,
        &format!("node:{major} + npm install + COPY . ."),
    )
}

/// The Python Dockerfile people write first: the full image, the project copied in,
/// its requirements installed with pip (the toolchain and the pip cache stay).
fn naive_python_image(docker: &Docker, dir: &Path, name: &str, report: &[String]) -> String {
    let plan = pipeline::analyze(dir)
        .ok()
        .and_then(|a| a.plan(&settings(dir, Flavor::Slim), "naive").ok())
        .and_then(|p| match p.build {
            Build::Python(python) => Some(python),
            _ => None,
        })
        .expect("a Python plan");
    let minor = plan.python.value;
    let tool = plan.installer.value.split(' ').next().unwrap_or("pip");
    let install = match tool {
        "uv" => "pip install uv && uv sync --frozen",
        "poetry" => "pip install poetry && poetry install",
        "pipenv" => "pip install pipenv && pipenv sync --system",
        _ if dir.join("requirements.txt").is_file() => "pip install -r requirements.txt",
        _ if dir.join("pyproject.toml").is_file() || dir.join("setup.py").is_file() => {
            "pip install ."
        }
        // No manifest: nothing to install.
        _ => "true",
    };
    let naive = format!("FROM python:{minor}\nWORKDIR /app\nCOPY . .\nRUN {install}\n");
    compare_naive(
        docker,
        dir,
        name,
        report,
        &naive,
        &format!("python:{minor} + COPY . . + {install}"),
    )
}

/// Builds `naive` beside docksmith's images; its size and docksmith's smallest as a share.
fn compare_naive(
    docker: &Docker,
    dir: &Path,
    name: &str,
    report: &[String],
    naive: &str,
    what: &str,
) -> String {
    let tag = format!("docksmith-e2e/{name}:naive");
    docker.build(dir, &tag, Some(naive));
    let naive_mb = docker.image_size(&tag) as f64 / 1_000_000.0;
    // The smallest image docksmith built for this example.
    let ours = report
        .iter()
        .filter_map(|row| {
            row.split('\t')
                .nth(2)?
                .strip_suffix(" MB")?
                .parse::<f64>()
                .ok()
        })
        .fold(f64::INFINITY, f64::min);
    format!(
        "{name}\tnaive\t{naive_mb:.1} MB\t-\t{what}\tdocksmith's smallest is {:.0}% of it",
        100.0 * ours / naive_mb
    )
}

/// The cargo-chef variant (on request) builds and runs too.
fn cargo_chef_variant(docker: &Docker, dir: &Path, check: &Check) -> String {
    let name = REBUILD_PROBE.0;
    let flags = Options {
        cargo_chef: Some(true),
        ..options(Flavor::Distroless)
    };
    let settings = Settings::resolve(flags, &|_: &str| None, dir).unwrap();
    let (plan, rendered) = pipeline::generate(dir, &settings).unwrap();
    assert!(rendered.dockerfile.contains("cargo chef cook"));
    std::fs::write(dir.join("Dockerfile"), &rendered.dockerfile).unwrap();
    std::fs::write(dir.join(".dockerignore"), &rendered.dockerignore).unwrap();
    let tag = format!("docksmith-e2e/{name}:cargo-chef");
    let started = Instant::now();
    docker.build(dir, &tag, None);
    let seconds = started.elapsed().as_secs_f64();
    let result = match check {
        Check::Http(port) => docker.serve_http(&tag, *port),
        Check::Command(args, expect) => docker.run_command(&tag, args, expect),
    };
    format!(
        "{name}\tcargo-chef\t{:.1} MB\t{seconds:.0} s\t{}\t{result}",
        docker.image_size(&tag) as f64 / 1_000_000.0,
        plan.runtime.image.value
    )
}

fn options(flavor: Flavor) -> Options {
    Options {
        flavor: Some(flavor),
        // The engine here has no registry to fetch a frontend from; the output is
        // otherwise identical (a CLI test proves it).
        syntax: Some(Syntax::None),
        ..Options::default()
    }
}

fn settings(dir: &Path, flavor: Flavor) -> Settings {
    Settings::resolve(options(flavor), &|_: &str| None, dir).unwrap()
}

fn write_report(name: &str, rows: &[String]) {
    let dir = repo().join("target/e2e");
    std::fs::create_dir_all(&dir).unwrap();
    let text = rows.join("\n") + "\n";
    std::fs::write(dir.join(format!("{name}.tsv")), &text).unwrap();
    println!("example\tflavor\tsize\tbuild\truntime image\tcheck\n{text}");
}

/// The answers a wizard (or CI flags) gives, through the real `init` command: they
/// build and run, and `check` then finds no drift.
#[test]
#[ignore = "needs a Docker engine and the imageforge stand-ins: cargo test --test e2e -- --ignored"]
fn init_answers_build_and_run() {
    let docker = Docker::find();
    let name = "go-http";
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join(name);
    common::copy_example(name, &dir);
    let docksmith = |args: &[&str]| {
        let out = docksmith().args(args).arg(&dir).output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, err) = docksmith(&[
        "init",
        "--yes",
        "--syntax",
        "none",
        "--flavor",
        "slim",
        "--user",
        "10001",
        "--runtime-package",
        "procps",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let plan_settings = Settings::resolve(Options::default(), &|_: &str| None, &dir).unwrap();
    let (plan, _) = pipeline::generate(&dir, &plan_settings).unwrap();
    docker.ensure_base(&plan.builder.value);
    let tag = format!("docksmith-e2e/{name}:answers");
    docker.build(&dir, &tag, None);
    assert_eq!(docker.image_user(&tag), "10001:10001");
    let files = docker.image_files(&tag);
    assert!(
        files.iter().any(|f| f.path == "usr/bin/ps"),
        "procps installed"
    );
    let result = docker.serve_http(&tag, 8080);
    assert_eq!(docksmith(&["check"]).0, Some(0), "no drift after init");
    write_report(
        "init-answers",
        &[format!(
            "{name}\tslim, uid 10001, +procps\t{:.1} MB\t-\t{}\t{result}",
            docker.image_size(&tag) as f64 / 1_000_000.0,
            plan.runtime.image.value
        )],
    );
}
