//! The Python detector: the installer and lockfile, the Python version, uv
//! workspaces, the app and its entry point, native needs and ports.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{app, manager, project, version, wheels};

use super::app::PythonApp;
use super::manager::{Installer, Tool};
use super::project::{Pipfile, PyProject, Requirements};
use crate::detect::paths::join;
use crate::detect::{DetectError, Evidence, Fact, Warning, ports};
use crate::scan::ProjectView;

#[derive(Clone, Debug, Serialize)]
pub struct PythonFacts {
    pub manifest: Fact<String>,
    pub installer: Fact<Installer>,
    /// major.minor
    pub python: Fact<String>,
    /// uv workspace members, when there is a workspace.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workspace: Option<Fact<Vec<String>>>,
    pub apps: Vec<PythonApp>,
    /// Every dependency name (the lockfile's when there is one), normalised.
    pub dependencies: BTreeSet<String>,
    /// Packages with native needs (data), with evidence.
    pub native: Vec<Fact<String>>,
    /// Packages whose wheels decide the Python minor and the flavor (data).
    pub wheel_packages: Vec<Fact<String>>,
    /// Exact versions known (the lockfile's, or `==` pins), by normalised name.
    pub versions: BTreeMap<String, String>,
    /// Files the install reads (manifests, lockfiles, requirements).
    pub install_inputs: Vec<String>,
    pub build_inputs: Vec<String>,
    /// Assets the app serves that a Node build makes, each built in a stage of its own.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub frontends: Vec<Fact<crate::lang::frontend::Frontend>>,
    pub warnings: Vec<Warning>,
}

const MARKERS: &[&str] = &[
    "pyproject.toml",
    "requirements.txt",
    "Pipfile",
    "setup.py",
    "setup.cfg",
    "uv.lock",
    "poetry.lock",
];

/// Facts about the project, or `None` when none of the language's markers exist.
pub fn detect(view: &ProjectView) -> Result<Option<PythonFacts>, DetectError> {
    let marker = MARKERS
        .iter()
        .find(|m| view.has_file(m))
        .copied()
        .or_else(|| {
            view.files()
                .find(|f| !f.contains('/') && f.starts_with("requirements") && f.ends_with(".txt"))
        })
        // No manifest at all: a conventional script at the root is still a Python
        // program (one that uses only the standard library).
        .or_else(|| {
            app::CONVENTIONAL_SCRIPTS
                .iter()
                .find(|f| view.has_file(f))
                .copied()
        });
    let Some(marker) = marker else {
        return Ok(None);
    };
    Ok(Some(detect_python(view, marker)?))
}

/// A warning when the project is a script with no manifest at all.
fn no_manifest(marker: &str) -> Option<Warning> {
    app::CONVENTIONAL_SCRIPTS.contains(&marker).then(|| Warning {
        message: format!(
            "no manifest (requirements.txt or pyproject.toml): {marker} runs with the standard library only; list what it imports from PyPI in requirements.txt"
        ),
        evidence: Evidence::file(marker, "a script without a manifest"),
    })
}

fn detect_python(view: &ProjectView, marker: &str) -> Result<PythonFacts, DetectError> {
    let mut warnings: Vec<Warning> = no_manifest(marker).into_iter().collect();
    let root = project::read_pyproject(view, "pyproject.toml")?;
    let pipfile = project::read_pipfile(view)?;
    let (installer, requirements) = manager::detect(view, root.as_ref(), &mut warnings)?;
    let (mut dependencies, versions) = known_dependencies(
        view,
        root.as_ref(),
        pipfile.as_ref(),
        &installer,
        requirements.as_ref(),
    )?;

    // uv workspaces: the members are the candidate apps.
    let member_patterns = root
        .as_ref()
        .map(|p| p.uv_members.clone())
        .unwrap_or_default();
    let members = crate::detect::paths::members(view, &member_patterns, "pyproject.toml");
    let apps = find_apps(
        view,
        root.as_ref(),
        &members,
        &mut dependencies,
        &mut warnings,
    )?;
    warnings.extend(apps.iter().filter_map(loopback_warning));
    if apps.is_empty() {
        warnings.push(Warning {
            message: "no entry point: no framework app, console script or main.py/app.py".into(),
            evidence: Evidence::file(marker, "project marker"),
        });
    }

    let python_data = super::data::python();
    let evidence_for = |name: &str| match &installer.value.lockfile {
        Some(lock) => Evidence::file(lock, format!("{name} is locked")),
        None => Evidence::file(marker, format!("depends on {name}")),
    };
    // The data's packages that this project depends on, each with its evidence.
    let flagged = |packages: &mut dyn Iterator<Item = &String>| -> Vec<Fact<String>> {
        packages
            .filter(|package| dependencies.contains(*package))
            .map(|package| Fact::new(package.clone(), evidence_for(package)))
            .collect()
    };
    let native = flagged(&mut python_data.native.iter().map(|n| &n.package));
    let wheel_packages = flagged(&mut python_data.wheels.iter().map(|n| &n.package));
    let python = version::resolve(
        view,
        root.as_ref().and_then(|p| p.requires_python.as_ref()),
        pipfile.as_ref().and_then(|p| p.python.as_ref()),
        &|minor| wheels::missing_glibc_wheel(minor, &wheel_packages, &versions),
    );

    let mut install_inputs = install_inputs(view, &members, requirements.as_ref());
    let metadata = if super::installs_project(&installer.value) {
        metadata_files(view)
    } else {
        Vec::new()
    };
    // Poetry validates the project's readme even when it installs only the
    // dependencies (--no-root): its step needs the file too.
    if installer.value.tool == Tool::Poetry {
        install_inputs.extend(metadata.iter().cloned());
        install_inputs.sort();
        install_inputs.dedup();
    }
    let build_inputs = build_inputs(view, &install_inputs, &metadata)?;
    Ok(PythonFacts {
        manifest: Fact::new(marker.to_string(), Evidence::file(marker, "project marker")),
        installer,
        python,
        workspace: (!members.is_empty()).then(|| {
            Fact::new(
                members.clone(),
                Evidence::file("pyproject.toml", "[tool.uv.workspace] members"),
            )
        }),
        apps,
        dependencies,
        native,
        wheel_packages,
        versions,
        install_inputs,
        build_inputs,
        frontends: super::assets::find(view)?,
        warnings,
    })
}

/// Every dependency name the project's files declare, and the exact versions
/// known: the lockfile's, else `==` pins.
fn known_dependencies(
    view: &ProjectView,
    root: Option<&PyProject>,
    pipfile: Option<&Pipfile>,
    installer: &Fact<Installer>,
    requirements: Option<&Requirements>,
) -> Result<(BTreeSet<String>, BTreeMap<String, String>), DetectError> {
    let mut dependencies: BTreeSet<String> = BTreeSet::new();
    let mut versions: BTreeMap<String, String> = BTreeMap::new();
    versions.extend(root.iter().flat_map(|p| p.pins.clone()));
    versions.extend(requirements.iter().flat_map(|r| r.pins.clone()));
    if let Some(lock) = &installer.value.lockfile {
        let locked = project::locked_versions(view, lock)?;
        dependencies.extend(locked.keys().cloned());
        versions.extend(locked.into_iter().filter(|(_, v)| !v.is_empty()));
    }
    dependencies.extend(root.iter().flat_map(|p| p.dependencies.iter().cloned()));
    dependencies.extend(pipfile.iter().flat_map(|p| p.dependencies.iter().cloned()));
    dependencies.extend(
        requirements
            .iter()
            .flat_map(|r| r.dependencies.iter().cloned()),
    );
    Ok((dependencies, versions))
}

/// The apps: the root project's, or one per uv workspace member (whose
/// dependencies join the project's).
fn find_apps(
    view: &ProjectView,
    root: Option<&PyProject>,
    members: &[String],
    dependencies: &mut BTreeSet<String>,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<PythonApp>, DetectError> {
    let mut apps = Vec::new();
    if members.is_empty() {
        let direct = direct(root, dependencies);
        apps.extend(app::analyse(view, "", root, &direct, warnings)?);
        return Ok(apps);
    }
    for dir in members {
        let member = project::read_pyproject(view, &join(dir, "pyproject.toml"))?;
        let deps = member
            .as_ref()
            .map(|m| m.dependencies.clone())
            .unwrap_or_default();
        dependencies.extend(deps.iter().cloned());
        apps.extend(app::analyse(view, dir, member.as_ref(), &deps, warnings)?);
    }
    Ok(apps)
}

/// A server (gunicorn, uvicorn, streamlit) binds the address docksmith gives
/// it; only code that opens its own socket can be stuck on loopback.
/// (gunicorn.conf.py is the exception: gunicorn binds what it says.)
fn loopback_warning(found: &PythonApp) -> Option<Warning> {
    if matches!(
        found.entry.value,
        app::Entry::File { .. } | app::Entry::Script { .. }
    ) {
        return ports::loopback_warning(
            &found.name.value,
            found.listening.port.as_ref(),
            &found.listening.other_ports,
        );
    }
    let Some(conf) = &found.gunicorn_conf else {
        return None;
    };
    let from_conf: Vec<ports::PortHit> = found
        .listening
        .port
        .iter()
        .chain(&found.listening.other_ports)
        .filter(|h| h.evidence.file.as_deref() == Some(conf.as_str()))
        .cloned()
        .collect();
    ports::loopback_warning(&found.name.value, None, &from_conf)
}

/// Files the dependency install reads: manifests, lockfiles, requirements
/// and the workspace members' manifests.
fn install_inputs(
    view: &ProjectView,
    members: &[String],
    requirements: Option<&Requirements>,
) -> Vec<String> {
    let mut inputs: Vec<String> = members
        .iter()
        .map(|dir| join(dir, "pyproject.toml"))
        .collect();
    for file in [
        "pyproject.toml",
        "uv.lock",
        "poetry.lock",
        "pdm.lock",
        "Pipfile",
        "Pipfile.lock",
        "setup.py",
        "setup.cfg",
    ] {
        if view.has_file(file) {
            inputs.push(file.to_string());
        }
    }
    inputs.extend(requirements.iter().flat_map(|r| r.files.iter().cloned()));
    inputs.sort();
    inputs.dedup();
    inputs
}

/// Build backends read the project's readme, changelog and licence into its
/// metadata (pyproject's `readme`, hatch-fancy-pypi-readme fragments).
fn metadata_files(view: &ProjectView) -> Vec<String> {
    let names = [
        "README",
        "CHANGES",
        "CHANGELOG",
        "HISTORY",
        "LICENSE",
        "LICENCE",
        "COPYING",
        "AUTHORS",
        "NOTICE",
    ];
    view.files()
        .filter(|f| !f.contains('/'))
        .filter(|f| {
            let upper = f.to_ascii_uppercase();
            names.iter().any(|m| upper.starts_with(m))
        })
        .map(str::to_string)
        .collect()
}

/// The install inputs, the metadata files a build backend reads, and the source
/// and data files the app may read, tests and docs left out.
fn build_inputs(
    view: &ProjectView,
    install_inputs: &[String],
    metadata: &[String],
) -> Result<Vec<String>, DetectError> {
    let mut inputs: BTreeSet<String> = install_inputs.iter().cloned().collect();
    inputs.extend(metadata.iter().cloned());
    inputs.extend(named_in_sources(view)?);
    for file in view.files() {
        let extension = file.rsplit('.').next().unwrap_or_default();
        let source = matches!(
            extension,
            "py" | "pyi"
                | "html"
                | "txt"
                | "json"
                | "toml"
                | "cfg"
                | "ini"
                | "yaml"
                | "yml"
                | "css"
                | "js"
                | "jinja"
                | "j2"
                | "sql"
                | "typed"
        );
        if source
            && !file
                .split('/')
                .any(|p| matches!(p, "tests" | "test" | "docs"))
        {
            inputs.insert(file.to_string());
        }
    }
    Ok(inputs.into_iter().collect())
}

/// Files the sources open by name (`BASE_DIR / "CHANGELOG.md"`): whatever their kind,
/// the app reads them at start, so the build context keeps them.
fn named_in_sources(view: &ProjectView) -> Result<BTreeSet<String>, DetectError> {
    static LITERAL: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"["']([A-Za-z0-9_\-][A-Za-z0-9_.\-/]*\.[A-Za-z0-9]{1,5})["']"#)
            .expect("valid pattern")
    });
    let mut named = BTreeSet::new();
    for file in view.files().filter(|f| f.ends_with(".py")) {
        let Some(text) = view.read_source(file)? else {
            continue;
        };
        named.extend(LITERAL.captures_iter(&text).map(|c| c[1].to_string()));
    }
    Ok(view
        .files()
        .filter(|f| {
            named.contains(*f)
                || f.rsplit_once('/')
                    .is_some_and(|(_, name)| named.contains(name))
        })
        .map(str::to_string)
        .collect())
}

/// The project's direct dependencies when it declares them, else everything known.
fn direct(root: Option<&PyProject>, all: &BTreeSet<String>) -> BTreeSet<String> {
    match root {
        Some(p) if !p.dependencies.is_empty() => p.dependencies.clone(),
        _ => all.clone(),
    }
}

/// Whether the installer puts the project itself into the virtualenv.
pub fn installs_project(installer: &Installer) -> bool {
    installer.installs_project && installer.tool != Tool::Pipenv
}
