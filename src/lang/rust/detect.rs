//! The Rust detector: the workspace and its binaries (from the Cargo.toml files, or
//! from `cargo metadata` when they defeat the reader), the toolchain, native dependencies from
//! Cargo.lock, the files a build reads and ports, each with evidence.

use serde::Serialize;

use super::{manifest, metadata, sources, toolchain};

use super::data::{NativeCrate, StaticWhen};
use super::lock::Lockfile;
use super::manifest::{Package, Workspace};
use super::toolchain::Pin;
use crate::detect::config_ports::config_port;
use crate::detect::ports::{self, Listening, PortHit, PortSource};
use crate::detect::{DetectError, Evidence, Fact, Warning};
use crate::scan::ProjectView;

/// Everything the Rust detector found.
#[derive(Clone, Debug, Serialize)]
pub struct RustFacts {
    /// The workspace root manifest.
    pub manifest: Fact<String>,
    /// How the workspace was read: the Cargo.toml files, or `cargo metadata` and why.
    pub reader: Fact<String>,
    pub workspace: Workspace,
    /// Cargo.lock, when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lockfile: Option<String>,
    /// The toolchain file's pin, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub toolchain: Option<Fact<Pin>>,
    pub binaries: Vec<RustBinary>,
    /// Linkers `.cargo/config.toml` asks for on Linux (clang, lld, mold).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub linker_tools: Vec<Fact<String>>,
    /// Files the build reads, which the build context must keep.
    pub build_inputs: Vec<String>,
    pub warnings: Vec<Warning>,
}

/// A binary target.
#[derive(Clone, Debug, Serialize)]
pub struct RustBinary {
    pub name: Fact<String>,
    pub package: String,
    /// How cargo's `--package` names it: `name@version` when a dependency shares
    /// its name, else the name.
    pub package_spec: String,
    /// The package directory ("" for the root).
    pub package_dir: String,
    /// Built by `cargo build` at the root (its package is a default member).
    pub default_member: bool,
    /// Its package's `default-run`.
    pub default_run: bool,
    pub required_features: Vec<String>,
    /// Its required features are all default features: a plain `cargo build` builds it.
    pub builds_by_default: bool,
    /// sqlx's compile-time query checks, when its package reaches sqlx-macros: where
    /// the query cache is (the build runs offline), or `None` (it needs a database).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sqlx: Option<Fact<Option<String>>>,
    /// Its package's build script writes into the source tree (not OUT_DIR): the
    /// source mount must then be writable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub writes_sources: Option<Evidence>,
    /// Native crates in its package's dependency closure.
    pub native: Vec<NativeUse>,
    pub frameworks: Vec<Fact<String>>,
    /// Where it listens.
    #[serde(flatten)]
    pub listening: Listening,
}

/// A native crate the binary depends on, and how it links.
#[derive(Clone, Debug, Serialize)]
pub struct NativeUse {
    #[serde(rename = "crate")]
    pub name: String,
    /// Built from source into the binary (true), or linked against a system library.
    pub bundled: bool,
    pub evidence: Evidence,
}

impl NativeUse {
    /// The crate's data in detectors/rust.toml.
    pub fn data(&self) -> Option<&'static NativeCrate> {
        super::data::rust()
            .native
            .iter()
            .find(|n| n.name == self.name)
    }
}

/// Facts about the project, or `None` when none of the language's markers exist.
pub fn detect(view: &ProjectView) -> Result<Option<RustFacts>, DetectError> {
    if !view.has_file("Cargo.toml") {
        return Ok(None);
    }
    Ok(Some(detect_rust(view, || {
        metadata::find_cargo(std::env::var_os("PATH").as_deref())
    })?))
}

/// Reads the workspace from its manifests; only when they defeat the reader does
/// `cargo metadata` (if cargo can be found) read it instead.
///
/// The reader is first because a cargo child process dominated `plan` on Rust projects
/// (3-5x its time, twice its peak memory) while telling nothing the manifests do not:
/// tests check both agree on every example.
pub fn read_workspace(
    view: &ProjectView,
    find_cargo: impl FnOnce() -> Option<std::path::PathBuf>,
) -> Result<(Workspace, Fact<String>), DetectError> {
    let refused = match manifest::read(view) {
        Ok(workspace) => {
            let reader = Fact::new(
                "Cargo.toml".to_string(),
                Evidence::default_because("the manifests, without a cargo process"),
            );
            return Ok((workspace, reader));
        }
        Err(refused) => refused,
    };
    // cargo may accept a layout the reader does not model; its error is less useful
    // than the reader's, which names the file and field.
    if let Some(cargo) = find_cargo()
        && let Ok(workspace) = metadata::read(view.root(), &cargo)
    {
        let reader = Fact::new(
            "cargo metadata".to_string(),
            Evidence::default_because(format!(
                "cargo metadata --format-version 1 --no-deps --offline, as Cargo.toml alone did not read: {refused}"
            )),
        );
        return Ok((workspace, reader));
    }
    Err(refused)
}

fn detect_rust(
    view: &ProjectView,
    find_cargo: impl FnOnce() -> Option<std::path::PathBuf>,
) -> Result<RustFacts, DetectError> {
    // Parse the root manifest first: a syntax error is reported the same way whichever
    // reader runs.
    let root_text = view.read_manifest("Cargo.toml")?.unwrap_or_default();
    manifest::parse_toml("Cargo.toml", &root_text)?;
    let (workspace, reader) = read_workspace(view, find_cargo)?;
    let mut warnings = Vec::new();
    let lock = match view.read_lockfile("Cargo.lock")? {
        Some(text) => Some(Lockfile::parse(&text)?),
        None => {
            warnings.push(Warning {
                message: "no Cargo.lock: dependencies resolve anew at every build (not reproducible; commit Cargo.lock for binaries)".into(),
                evidence: Evidence::file("Cargo.toml", "workspace root"),
            });
            None
        }
    };
    let toolchain = toolchain::read(view)?;
    let sources = sources::scan(view, &workspace)?;

    let mut binaries = Vec::new();
    for package in &workspace.packages {
        binaries.extend(package_binaries(
            view,
            &workspace,
            package,
            lock.as_ref(),
            &sources,
            &mut warnings,
        )?);
    }
    for binary in &binaries {
        let name = &binary.name.value;
        warnings.extend(ports::loopback_warning(
            name,
            binary.listening.port.as_ref(),
            &binary.listening.other_ports,
        ));
    }
    if binaries.is_empty() {
        warnings.push(Warning {
            message: "no binary target: there is no program to build".into(),
            evidence: Evidence::file("Cargo.toml", "workspace root"),
        });
    }
    let mut build_inputs: Vec<String> = sources.inputs.into_iter().collect();
    build_inputs.sort();
    Ok(RustFacts {
        manifest: Fact::new(
            "Cargo.toml".into(),
            Evidence::file("Cargo.toml", "workspace root"),
        ),
        reader,
        workspace,
        lockfile: lock.is_some().then(|| "Cargo.lock".to_string()),
        toolchain,
        binaries,
        linker_tools: super::linker::tools(view)?,
        build_inputs,
        warnings,
    })
}

/// Where a binary is declared: its `[[bin]]` line, else its source file.
fn bin_evidence(view: &ProjectView, package: &Package, name: &str, path: &str) -> Evidence {
    let manifest = crate::detect::paths::join(&package.dir, "Cargo.toml");
    let text = view
        .read_manifest(&manifest)
        .ok()
        .flatten()
        .unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let declared = lines.iter().enumerate().find_map(|(i, line)| {
        // Compare the parsed value: a name with quotes is escaped in the file.
        let value = line
            .trim_start()
            .starts_with("name")
            .then(|| line.parse::<toml::Table>().ok())
            .flatten()
            .and_then(|t| t.get("name").and_then(|v| v.as_str().map(str::to_string)));
        let in_bin = lines[..i]
            .iter()
            .rev()
            .find(|l| l.trim_start().starts_with('['))
            .is_some_and(|h| h.trim() == "[[bin]]");
        (value.as_deref() == Some(name) && in_bin).then_some(i + 1)
    });
    let main_rs = crate::detect::paths::join(&package.dir, "src/main.rs");
    let bin_dir = crate::detect::paths::join(&package.dir, "src/bin/");
    match declared {
        Some(line) => Evidence::at(&manifest, line, "[[bin]]"),
        // src/main.rs is named after the package: the name is Cargo.toml's.
        None if path == main_rs && name == package.name => Evidence::file(
            &manifest,
            "[package] name, which names the binary of src/main.rs",
        ),
        // src/bin/<name>.rs and src/bin/<name>/main.rs take their file's name.
        None if path.starts_with(&bin_dir) => {
            Evidence::file(path, format!("binary target of package {}", package.name))
        }
        // Declared in a [[bin]] written over several lines.
        None => Evidence::file(&manifest, "[[bin]]"),
    }
}

/// The native crates in a dependency closure, and whether each is bundled.
fn native_uses(
    workspace: &Workspace,
    closure: &std::collections::BTreeMap<String, usize>,
) -> Vec<NativeUse> {
    super::data::rust()
        .native
        .iter()
        .filter_map(|native| {
            let line = *closure.get(&native.name)?;
            let bundled = native.static_when.iter().any(|when| match when {
                StaticWhen::Lock { lock } => closure.contains_key(lock),
                StaticWhen::Feature {
                    dependency,
                    feature,
                } => workspace.packages.iter().any(|p| {
                    p.dependencies
                        .iter()
                        .any(|d| &d.name == dependency && d.features.contains(feature))
                }),
            });
            Some(NativeUse {
                name: native.name.clone(),
                bundled,
                evidence: Evidence::at(
                    "Cargo.lock",
                    line,
                    format!(
                        "{} ({})",
                        native.why,
                        if bundled {
                            "built from source"
                        } else {
                            "system library"
                        }
                    ),
                ),
            })
        })
        .collect()
}

/// Where the package's build script writes a file into the source tree: it writes
/// (`fs::write`, `File::create`, clap_complete's `generate_to`…) and never reads the
/// `"OUT_DIR"` variable, cargo's place for build output.
fn build_script_writes(
    view: &ProjectView,
    package: &Package,
) -> Result<Option<Evidence>, DetectError> {
    let Some(script) = &package.build_script else {
        return Ok(None);
    };
    let Some(text) = view.read_source(script)? else {
        return Ok(None);
    };
    if text.contains("\"OUT_DIR\"") {
        return Ok(None);
    }
    const WRITES: &[&str] = &[
        "fs::write(",
        "File::create(",
        "create_dir_all(",
        "generate_to(",
    ];
    Ok(text
        .lines()
        .position(|l| !l.trim_start().starts_with("//") && WRITES.iter().any(|w| l.contains(w)))
        .map(|i| {
            Evidence::at(
                script,
                i + 1,
                "the build script writes into the source tree",
            )
        }))
}

/// Whether the package reaches sqlx's query macros, and where its query cache is.
fn sqlx_use(
    view: &ProjectView,
    package: &Package,
    closure: &std::collections::BTreeMap<String, usize>,
) -> Option<Fact<Option<String>>> {
    let data = &super::data::rust().sqlx;
    let line = closure.get(&data.macros)?;
    let cache = [package.dir.as_str(), ""].iter().find_map(|dir| {
        data.offline_data.iter().find_map(|name| {
            let path = crate::detect::paths::join(dir, name);
            let prefix = format!("{path}/");
            (view.has_file(&path) || view.files().any(|f| f.starts_with(&prefix))).then_some(path)
        })
    });
    let detail = match &cache {
        Some(path) => format!(
            "{} checks queries at compile time; the query cache is {path}",
            data.macros
        ),
        None => format!(
            "{} checks queries at compile time; no query cache (.sqlx/)",
            data.macros
        ),
    };
    Some(Fact::new(cache, Evidence::at("Cargo.lock", *line, detail)))
}

/// The binaries of one package, with what their builds and images need.
fn package_binaries(
    view: &ProjectView,
    workspace: &Workspace,
    package: &Package,
    lock: Option<&Lockfile>,
    sources: &sources::Sources,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<RustBinary>, DetectError> {
    let mut binaries = Vec::new();
    let closure = lock.map(|l| l.closure(&package.name)).unwrap_or_default();
    let native = native_uses(workspace, &closure);
    let sqlx = sqlx_use(view, package, &closure);
    let writes_sources = build_script_writes(view, package)?;
    let frameworks = frameworks(package);
    for bin in &package.bins {
        let (hits, port_env) = sources.for_binary(workspace, package, bin);
        binaries.push(RustBinary {
            name: Fact::new(
                bin.name.clone(),
                bin_evidence(view, package, &bin.name, &bin.path),
            ),
            package: package.name.clone(),
            package_spec: match lock.and_then(|l| l.shared_name_version(&package.name)) {
                Some(version) => format!("{}@{version}", package.name),
                None => package.name.clone(),
            },
            package_dir: package.dir.clone(),
            default_member: workspace.default_members.contains(&package.name),
            default_run: package.default_run.as_deref() == Some(bin.name.as_str()),
            required_features: bin.required_features.clone(),
            builds_by_default: bin
                .required_features
                .iter()
                .all(|f| package.default_features.contains(f)),
            native: native.clone(),
            sqlx: sqlx.clone(),
            writes_sources: writes_sources.clone(),
            frameworks: frameworks.clone(),
            listening: with_framework_port(
                Listening::of_program(hits, port_env, &bin.name, warnings)
                    .or_config(config_port(view, &package.dir)),
                package,
            ),
        });
    }

    Ok(binaries)
}

/// The port of the package's framework when its sources name none (Rocket: 8000).
fn with_framework_port(mut listening: Listening, package: &Package) -> Listening {
    if listening.port.is_none() {
        let manifest = crate::detect::paths::join(&package.dir, "Cargo.toml");
        listening.port = super::data::rust()
            .framework
            .iter()
            .filter(|f| package.dependencies.iter().any(|d| d.name == f.dependency))
            .find_map(|f| {
                let port = f.default_port?;
                Some(PortHit {
                    command: None,
                    port,
                    source: PortSource::FrameworkDefault,
                    loopback: false,
                    evidence: Evidence::file(
                        &manifest,
                        format!(
                            "depends on {}, which listens on {port} by default",
                            f.dependency
                        ),
                    ),
                })
            });
    }
    listening
}

fn frameworks(package: &Package) -> Vec<Fact<String>> {
    let manifest = crate::detect::paths::join(&package.dir, "Cargo.toml");
    super::data::rust()
        .framework
        .iter()
        .filter(|f| package.dependencies.iter().any(|d| d.name == f.dependency))
        .map(|f| {
            Fact::new(
                f.name.clone(),
                Evidence::file(&manifest, format!("depends on {}", f.dependency)),
            )
        })
        .collect()
}
