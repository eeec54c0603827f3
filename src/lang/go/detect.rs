//! The Go detector: go.mod / go.work, the Go version, vendoring and the build
//! inputs, each with evidence; the programs themselves are read in binary.rs.

use std::sync::LazyLock;

use serde::Serialize;

use super::binary::{GoBinary, binaries};
use super::modfile;

use super::modfile::{GoVersion, ModFile};
use super::packages::{LocalModule, PackageGraph};
use crate::detect::paths::{join, normalize};
use crate::detect::ports::{self, DefaultCall, PortRules};
use crate::detect::{DetectError, Evidence, Fact, Warning};
use crate::scan::ProjectView;

/// Everything the Go detector found.
#[derive(Clone, Debug, Serialize)]
pub struct GoFacts {
    /// The main module's path (the first `use` of a workspace).
    pub module: Fact<String>,
    /// The Go release the project asks for: the highest `go`/`toolchain` line.
    pub go_version: Fact<GoVersion>,
    /// Workspace members when a go.work is present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workspace: Option<Fact<Vec<String>>>,
    /// go.mod, go.sum, go.work and go.work.sum files that exist, for the download step.
    pub manifests: Vec<String>,
    /// Modules required across the project's go.mod files.
    pub requires: usize,
    pub vendor: Fact<VendorState>,
    /// Every main package, each a binary the project can build.
    pub binaries: Vec<GoBinary>,
    /// Files the build reads, which the build context must keep.
    pub build_inputs: Vec<String>,
    pub warnings: Vec<Warning>,
}

/// Whether `vendor/` is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum VendorState {
    /// No vendor folder.
    Absent,
    /// vendor/modules.txt agrees with go.mod: build with `-mod=vendor`, no download.
    Consistent,
    /// vendor/ exists but is out of date: leave it out and download modules.
    Inconsistent,
}

/// Go's port rules, compiled once.
pub static PORT_RULES: LazyLock<PortRules> =
    LazyLock::new(|| PortRules::new(&super::data::go().port));

/// Frameworks' default listen calls, by module, compiled once.
pub static DEFAULT_CALLS: LazyLock<Vec<(&'static str, DefaultCall<'static>)>> =
    LazyLock::new(|| {
        super::data::go()
            .framework
            .iter()
            .filter_map(|f| {
                let call = regex::Regex::new(f.default_call.as_deref()?).expect("valid (tested)");
                Some((
                    f.module.as_str(),
                    DefaultCall {
                        call,
                        port: f.default_port?,
                        name: f.name.as_str(),
                    },
                ))
            })
            .collect()
    });

/// Facts about the project, or `None` when none of the language's markers exist.
pub fn detect(view: &ProjectView) -> Result<Option<GoFacts>, DetectError> {
    let work = match view.read_manifest("go.work")? {
        Some(text) => Some(modfile::parse("go.work", &text)?),
        None => None,
    };
    if work.is_none() && !view.has_file("go.mod") {
        return Ok(None);
    }
    Ok(Some(detect_go(view, work)?))
}

/// A go.mod that is part of the build.
struct Manifest {
    dir: String,
    file: String,
    parsed: ModFile,
}

fn detect_go(view: &ProjectView, work: Option<ModFile>) -> Result<GoFacts, DetectError> {
    let mut warnings = Vec::new();
    let member_dirs = member_dirs(work.as_ref())?;
    let manifests = read_manifests(view, &member_dirs)?;
    let mut modules = local_modules(&manifests)?;
    add_local_replacements(view, &manifests, work.as_ref(), &mut modules, &mut warnings)?;

    let main_module = &manifests[0];
    let module_line = main_module.parsed.module.as_ref().map_or(1, |m| m.line);
    let module = Fact::new(
        modules[0].path.clone(),
        Evidence::at(&main_module.file, module_line, "module directive"),
    );
    let go_version = go_version(&manifests, work.as_ref());
    let requires = manifests.iter().map(|m| m.parsed.requires.len()).sum();
    let vendor = vendor_state(view, main_module, work.is_some(), &mut warnings)?;

    let graph = PackageGraph::load(view, modules.clone())?;
    let mut binaries = binaries(view, &graph, &modules, &mut warnings)?;
    for binary in &mut binaries {
        binary.workspace_subset = workspace_subset(
            &binary.workspace_subset,
            work.as_ref(),
            &manifests,
            &modules,
        );
    }
    if binaries.is_empty() {
        warnings.push(Warning {
            message: "no `package main` found: there is no program to build".into(),
            evidence: module.evidence.clone(),
        });
    }
    for binary in &binaries {
        warnings.extend(ports::loopback_warning(
            &binary.name.value,
            binary.listening.port.as_ref(),
            &binary.listening.other_ports,
        ));
    }

    let manifest_files = manifest_files(view, work.is_some(), &modules);
    let mut build_inputs: Vec<String> = graph.inputs.iter().cloned().collect();
    build_inputs.extend(manifest_files.iter().cloned());
    if vendor.value == VendorState::Consistent {
        build_inputs.push("vendor/modules.txt".into());
    }
    build_inputs.sort();
    build_inputs.dedup();

    Ok(GoFacts {
        module,
        go_version,
        workspace: work.as_ref().map(|w| {
            Fact::new(
                member_dirs.iter().map(|(d, _)| d.clone()).collect(),
                Evidence::at(
                    "go.work",
                    w.uses.first().map_or(1, |u| u.line),
                    "use directives",
                ),
            )
        }),
        manifests: manifest_files,
        requires,
        vendor,
        binaries,
        build_inputs,
        warnings,
    })
}

/// The workspace members a binary's build needs, from the modules its packages are
/// in (`used`) and, transitively, the members their go.mod files require; empty when
/// that is every member, when there is no workspace, or when go.work replaces
/// modules (a smaller workspace would have to carry them over).
fn workspace_subset(
    used: &[String],
    work: Option<&ModFile>,
    manifests: &[Manifest],
    modules: &[LocalModule],
) -> Vec<String> {
    let Some(work) = work.filter(|w| w.replaces.is_empty()) else {
        return Vec::new();
    };
    let is_member = |dir: &str| manifests.iter().any(|m| m.dir == dir);
    let mut needed: Vec<String> = used.iter().filter(|d| is_member(d)).cloned().collect();
    let mut next = 0;
    while let Some(dir) = needed.get(next).cloned() {
        next += 1;
        let Some(manifest) = manifests.iter().find(|m| m.dir == dir) else {
            continue;
        };
        for require in &manifest.parsed.requires {
            if let Some(module) = modules.iter().find(|m| m.path == require.path)
                && is_member(&module.dir)
                && !needed.contains(&module.dir)
            {
                needed.push(module.dir.clone());
            }
        }
    }
    if needed.is_empty() || needed.len() >= work.uses.len() {
        return Vec::new();
    }
    needed.sort();
    needed
}

/// The module folders: go.work's `use` lines, else the root. A go.work that
/// uses nothing (what `go work init` writes) has no module to build.
fn member_dirs(work: Option<&ModFile>) -> Result<Vec<(String, Evidence)>, DetectError> {
    let Some(work) = work else {
        return Ok(vec![(
            String::new(),
            Evidence::file("go.mod", "module at the root"),
        )]);
    };
    if work.uses.is_empty() {
        return Err(DetectError::Invalid {
            file: "go.work".into(),
            message: "the workspace uses no module".into(),
            hint: "add the modules to build with `go work use <dir>`".into(),
        });
    }
    work.uses
        .iter()
        .map(|u| {
            let dir = normalize(&u.value).unwrap_or_else(|| u.value.clone());
            // Its go.mod and go.sum are bind-mounted into the download step.
            crate::detect::check_mount_path("go.work", u.line, "the `use` folder", &dir)?;
            Ok((dir, Evidence::at("go.work", u.line, "workspace member")))
        })
        .collect()
}

/// Each member's go.mod, parsed; a member without one is the user's to fix.
fn read_manifests(
    view: &ProjectView,
    member_dirs: &[(String, Evidence)],
) -> Result<Vec<Manifest>, DetectError> {
    let mut manifests = Vec::new();
    for (dir, evidence) in member_dirs {
        let file = join(dir, "go.mod");
        let Some(text) = view.read_manifest(&file)? else {
            return Err(DetectError::Invalid {
                file: evidence.location(),
                message: format!("workspace member `{dir}` has no go.mod"),
                hint: "fix the `use` line in go.work, or run `go mod init` in that folder".into(),
            });
        };
        let parsed = modfile::parse(&file, &text)?;
        manifests.push(Manifest {
            dir: dir.clone(),
            file,
            parsed,
        });
    }
    Ok(manifests)
}

/// The modules the project holds, by their `module` directives.
fn local_modules(manifests: &[Manifest]) -> Result<Vec<LocalModule>, DetectError> {
    let mut modules = Vec::new();
    for manifest in manifests {
        let Some(module) = &manifest.parsed.module else {
            return Err(DetectError::Invalid {
                file: manifest.file.clone(),
                message: "no `module` directive".into(),
                hint: format!("add `module <path>` at the top of {}", manifest.file),
            });
        };
        modules.push(LocalModule {
            path: module.value.clone(),
            dir: manifest.dir.clone(),
            declared: Evidence::at(&manifest.file, module.line, "module directive"),
        });
    }
    Ok(modules)
}

/// go.work, go.work.sum and every local module's go.mod and go.sum that exist:
/// what the module download reads.
fn manifest_files(view: &ProjectView, workspace: bool, modules: &[LocalModule]) -> Vec<String> {
    let mut files: Vec<String> = Vec::new();
    for name in ["go.work", "go.work.sum"] {
        if workspace && view.has_file(name) {
            files.push(name.into());
        }
    }
    for module in modules {
        for name in ["go.mod", "go.sum"] {
            let file = join(&module.dir, name);
            if view.has_file(&file) && !files.contains(&file) {
                files.push(file);
            }
        }
    }
    files
}

/// A `replace X => ./dir` inside the project makes ./dir part of the build; one that
/// points outside the project cannot reach the build context.
fn add_local_replacements(
    view: &ProjectView,
    manifests: &[Manifest],
    work: Option<&ModFile>,
    modules: &mut Vec<LocalModule>,
    warnings: &mut Vec<Warning>,
) -> Result<(), DetectError> {
    let mut replaces: Vec<(&str, &modfile::Replace)> = manifests
        .iter()
        .flat_map(|m| m.parsed.replaces.iter().map(move |r| (m.dir.as_str(), r)))
        .collect();
    if let Some(w) = work {
        replaces.extend(w.replaces.iter().map(|r| ("", r)));
    }
    for (base, replace) in replaces {
        let Some(target) = replace.local_dir() else {
            continue;
        };
        let file = join(base, "go.mod");
        let Some(dir) = normalize(&join(base, target)).filter(|_| !target.starts_with('/')) else {
            warnings.push(Warning {
                message: format!(
                    "{} is replaced by {target}, outside the build context: the image build will fail to find it",
                    replace.old
                ),
                evidence: Evidence::at(&file, replace.line, "replace directive"),
            });
            continue;
        };
        if modules.iter().any(|m| m.dir == dir) {
            continue;
        }
        let modfile_path = join(&dir, "go.mod");
        let Some(text) = view.read_manifest(&modfile_path)? else {
            warnings.push(Warning {
                message: format!(
                    "{} is replaced by {target}, which has no go.mod",
                    replace.old
                ),
                evidence: Evidence::at(&file, replace.line, "replace directive"),
            });
            continue;
        };
        let parsed = modfile::parse(&modfile_path, &text)?;
        let (path, declared) = match parsed.module {
            Some(m) => (
                m.value,
                Evidence::at(&modfile_path, m.line, "module directive"),
            ),
            None => (
                replace.old.clone(),
                Evidence::at(&file, replace.line, "replace directive"),
            ),
        };
        modules.push(LocalModule {
            path,
            dir,
            declared,
        });
    }
    Ok(())
}

fn go_version(manifests: &[Manifest], work: Option<&ModFile>) -> Fact<GoVersion> {
    let mut best: Option<Fact<GoVersion>> = None;
    let sources = manifests
        .iter()
        .map(|m| (m.file.as_str(), &m.parsed))
        .chain(work.map(|w| ("go.work", w)));
    for (file, parsed) in sources {
        for (line, what) in [
            (&parsed.go, "go directive"),
            (&parsed.toolchain, "toolchain directive"),
        ] {
            if let Some(line) = line
                && best.as_ref().is_none_or(|b| line.value > b.value)
            {
                best = Some(Fact::new(line.value, Evidence::at(file, line.line, what)));
            }
        }
    }
    let oldest = GoVersion::parse(&super::data::go().builder.oldest).expect("valid data (tested)");
    match best {
        Some(fact) if fact.value < oldest => Fact::new(
            oldest,
            Evidence {
                detail: format!(
                    "{} asks for Go {} or newer; {} is the oldest with a current image",
                    fact.evidence.location(),
                    fact.value,
                    oldest
                ),
                ..fact.evidence
            },
        ),
        Some(fact) => fact,
        None => Fact::new(
            GoVersion::parse(&super::data::go().builder.fallback).expect("valid data (tested)"),
            Evidence::default_because("no go directive"),
        ),
    }
}

/// `vendor/` is used when vendor/modules.txt lists every required module.
fn vendor_state(
    view: &ProjectView,
    main: &Manifest,
    workspace: bool,
    warnings: &mut Vec<Warning>,
) -> Result<Fact<VendorState>, DetectError> {
    if !view.has_pruned_dir("vendor") {
        return Ok(Fact::new(
            VendorState::Absent,
            Evidence::default_because("no vendor/ folder"),
        ));
    }
    let Some(list) = view.read_inside_pruned("vendor/modules.txt")? else {
        warnings.push(Warning {
            message: "vendor/ has no modules.txt: it is left out of the build context and modules are downloaded (run `go mod vendor` to use it)".into(),
            evidence: Evidence::file("vendor", "vendor folder"),
        });
        return Ok(Fact::new(
            VendorState::Inconsistent,
            Evidence::file("vendor", "no modules.txt"),
        ));
    };
    let listed: std::collections::BTreeSet<(&str, &str)> = list
        .lines()
        .filter_map(|l| l.strip_prefix("# "))
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            Some((words.next()?, words.next()?))
        })
        .collect();
    let requires: Vec<&modfile::Require> = if workspace {
        Vec::new()
    } else {
        main.parsed.requires.iter().collect()
    };
    if let Some(missing) = requires
        .iter()
        .find(|r| !listed.contains(&(r.path.as_str(), r.version.as_str())))
    {
        warnings.push(Warning {
            message: format!(
                "vendor/modules.txt does not list {} {}: vendor/ is out of date, so it is left out of the build context and modules are downloaded (run `go mod vendor` to use it)",
                missing.path, missing.version
            ),
            evidence: Evidence::at(&main.file, missing.line, "require directive"),
        });
        return Ok(Fact::new(
            VendorState::Inconsistent,
            Evidence::file("vendor/modules.txt", "out of date with go.mod"),
        ));
    }
    Ok(Fact::new(
        VendorState::Consistent,
        Evidence::file("vendor/modules.txt", "lists every required module"),
    ))
}
