//! Plans a Go build: which binary, which builder, cgo or static, how modules are
//! fetched, and what reaches the runtime image.

use serde::Serialize;

use crate::data::{Flavor, Installer, Libc, UserSetup};
use crate::detect::Warning;
use crate::detect::paths::join;
use crate::detect::project::ProjectFacts;
use crate::lang::go::{GoBinary, GoFacts, VendorState};
use crate::plan::program::{self, Program};
use crate::plan::runtime::{self, Needs, RuntimeChoice};
use crate::plan::{
    BuildPlan, Choice, Exclude, PlanError, Rejection, check_file_name, check_text, image_choice,
};
use crate::settings::Settings;

use crate::lang::frontend::FrontendStage;

/// The Go build stage.
#[derive(Clone, Debug, Serialize)]
pub struct GoBuild {
    /// The Go release of the builder image.
    pub version: String,
    /// Build on the build machine's platform and cross-compile to the target (pure Go);
    /// cgo builds run on the target platform instead, as C cross-compilers are absent.
    pub cross_compile: bool,
    pub cgo: Choice<bool>,
    /// The builder's package manager.
    pub installer: Installer,
    /// Packages the builder needs (C toolchain and -dev libraries for cgo).
    pub build_packages: Vec<String>,
    /// Files bind-mounted for `go mod download`; `None` when there is nothing to
    /// download (no requirements, or vendor/ is used).
    pub download: Option<Vec<String>>,
    /// Cache mount for downloaded modules (download and build steps).
    pub module_cache: String,
    /// Cache mount for compiled packages (build step).
    pub build_cache: String,
    pub vendor: bool,
    pub tags: Vec<String>,
    pub ldflags: String,
    /// The package to build, relative to the project root (`.` or `./cmd/api`).
    pub package: String,
    pub binary: Choice<String>,
    /// Where the binary is written in the build stage.
    pub output: String,
    /// Prepare /etc/passwd, /etc/group and /tmp for an empty runtime image.
    pub rootfs: bool,
    /// The build stage's folder.
    pub workdir: String,
    /// Compiles the binary (argv; the environment line sets cgo and the platform).
    pub go_build: Vec<String>,
    /// Downloads the modules the manifests require (argv).
    pub download_command: Vec<String>,
    /// A workspace of only the members the binary needs, when it needs fewer than
    /// all: the download then leaves out the others' requirements (tool modules,
    /// other apps).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workspace: Option<WorkspaceSubset>,
    /// Front ends the binary embeds, each built in a Node stage of its own and
    /// mounted where `//go:embed` expects it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub frontends: Vec<FrontendStage>,
}

/// A go.work of some members only, written outside the sources (which the build
/// bind-mounts over the working directory) and named by `GOWORK`.
#[derive(Clone, Debug, Serialize)]
pub struct WorkspaceSubset {
    /// The members, relative to the project root.
    pub members: Vec<String>,
    /// The go.work file docksmith writes (GOWORK).
    pub file: String,
    /// `go work init` of the members, by absolute path (argv).
    pub init: Vec<String>,
}

/// The binary's workspace subset, and the download step's files for it: the
/// members' go.mod and go.sum, not go.work.
fn workspace_subset(
    binary: &GoBinary,
    manifests: &[String],
    workdir: &str,
) -> Option<(WorkspaceSubset, Vec<String>)> {
    if binary.workspace_subset.is_empty() {
        return None;
    }
    let members = binary.workspace_subset.clone();
    let files = manifests
        .iter()
        .filter(|f| {
            let (dir, _) = crate::detect::paths::split_dir(f);
            members.iter().any(|m| m == dir)
        })
        .cloned()
        .collect();
    let mut init: Vec<String> = vec!["go".into(), "work".into(), "init".into()];
    init.extend(members.iter().map(|m| join(workdir, m)));
    Some((
        WorkspaceSubset {
            members: members
                .iter()
                .map(|m| if m.is_empty() { ".".into() } else { m.clone() })
                .collect(),
            file: super::data::go().build.workspace_file.clone(),
            init,
        },
        files,
    ))
}

/// `go build` with the flags the plan chose.
fn go_build(
    vendor: bool,
    tags: &[String],
    ldflags: &str,
    output: &str,
    package: &str,
) -> Vec<String> {
    let mut argv: Vec<String> = vec!["go".into(), "build".into(), "-trimpath".into()];
    if vendor {
        argv.push("-mod=vendor".into());
    }
    if !tags.is_empty() {
        argv.extend(["-tags".into(), tags.join(",")]);
    }
    argv.extend([
        "-ldflags".into(),
        ldflags.to_string(),
        "-o".into(),
        output.to_string(),
        package.to_string(),
    ]);
    argv
}

pub fn plan(
    facts: &GoFacts,
    project: &ProjectFacts,
    settings: &Settings,
) -> Result<BuildPlan, PlanError> {
    let binary = choose_binary(facts, settings)?;
    let name = &binary.name.value;
    check_file_name(&binary.name.evidence.location(), "binary name", name)?;
    let package = binary.package_arg();
    check_text(
        &binary.name.evidence.location(),
        "package directory",
        &package,
    )?;

    let cgo = binary.cgo.value;
    let cgo_modules: Vec<&super::data::CgoModule> = super::data::go()
        .cgo
        .iter()
        .filter(|m| binary.cgo_modules.contains(&m.module))
        .collect();
    let go = super::data::go();
    let choice = choose_runtime(binary, &cgo_modules, settings)?;
    let libc = go.flavors.libc(choice.flavor);
    let installer = libc.installer();

    let version = facts.go_version.value;
    let builder = builder(facts, libc, choice.flavor, settings);

    let (build_packages, tags) = cgo_packages(cgo, libc, &cgo_modules);

    let vendor = facts.vendor.value == VendorState::Consistent;
    let mut download = (!vendor && facts.requires > 0).then(|| facts.manifests.clone());
    let workspace = match workspace_subset(binary, &facts.manifests, &go.build.workdir) {
        Some((subset, files)) if download.is_some() => {
            download = Some(files);
            Some(subset)
        }
        _ => None,
    };

    let program = Program {
        name,
        listening: &binary.listening,
    };
    let output = program.output();
    let (mut runtime, runtime_warnings) =
        program::runtime_stage(&program, &choice, libc, project, settings)?;
    runtime.user_workdir = Some(program::WORKDIR.into());

    let mut rejected = choice.rejected.clone();
    if cgo {
        rejected.push(Rejection {
            option: "cross-compiling from the build platform".into(),
            reason: "cgo needs a C cross-compiler for the target; the build runs on the target platform instead".into(),
        });
    }
    let mut warnings: Vec<Warning> = facts.warnings.clone();
    warnings.extend(runtime_warnings);
    warnings.extend(missing_go_sum(facts, vendor));
    Ok(BuildPlan::new(
        settings,
        choice.flavor_choice(),
        builder,
        runtime,
        GoBuild {
            version: version.to_string(),
            cross_compile: !cgo,
            cgo: Choice::new(cgo, &binary.cgo.evidence),
            installer,
            build_packages,
            download,
            module_cache: go.build.module_cache.clone(),
            build_cache: go.build.build_cache.clone(),
            vendor,
            download_command: vec!["go".into(), "mod".into(), "download".into()],
            workspace,
            go_build: go_build(vendor, &tags, &go.build.ldflags, &output, &package),
            tags,
            ldflags: go.build.ldflags.clone(),
            package,
            binary: Choice::new(name.clone(), &binary.name.evidence),
            output,
            rootfs: choice.image.user == UserSetup::PasswdFromBuilder,
            workdir: go.build.workdir.clone(),
            frontends: crate::lang::frontend::stages(&binary.frontends, "//go:embed"),
        }
        .into(),
    )
    .with_context(facts.build_inputs.clone(), stale_vendor(facts))
    .with_findings(rejected, warnings))
}

/// Modules are verified against go.sum: without it the download fails.
fn missing_go_sum(facts: &GoFacts, vendor: bool) -> Option<Warning> {
    let has_sum = facts.manifests.iter().any(|f| f.ends_with("go.sum"));
    (facts.requires > 0 && !vendor && !has_sum).then(|| Warning {
        message: "go.sum is missing: the build will fail to verify modules (run `go mod tidy` and commit go.sum)".into(),
        evidence: facts.module.evidence.clone(),
    })
}

/// A vendor folder out of step with go.mod stays out of the context: the
/// build downloads modules instead.
fn stale_vendor(facts: &GoFacts) -> Vec<Exclude> {
    if facts.vendor.value != VendorState::Inconsistent {
        return Vec::new();
    }
    vec![Exclude {
        pattern: "vendor".into(),
        reason: format!(
            "{} ({}): modules are downloaded instead",
            facts.vendor.evidence.location(),
            facts.vendor.evidence.detail
        ),
    }]
}

/// The flavor and image: scratch for a static binary, else the first that has the C
/// library and the libraries its cgo modules link.
fn choose_runtime(
    binary: &GoBinary,
    cgo_modules: &[&super::data::CgoModule],
    settings: &Settings,
) -> Result<RuntimeChoice, PlanError> {
    let go = super::data::go();
    let cgo = binary.cgo.value;
    let needs_for = |flavor| {
        let libc = go.flavors.libc(flavor);
        let mut needs = Needs {
            libc: cgo.then_some(libc),
            why: format!("cgo: {}", binary.cgo.evidence),
            ..Needs::default()
        };
        for module in cgo_modules {
            needs
                .libraries
                .extend(module.needs.iter().filter(|n| *n != "libc").cloned());
            needs.apt.extend(module.runtime_apt.iter().cloned());
            needs.apk.extend(module.runtime_apk.iter().cloned());
        }
        Ok(needs)
    };
    runtime::choose_for(settings, &go.flavors, &needs_for)
}

/// The builder: the Go release on Debian for glibc, on Alpine for musl.
fn builder(facts: &GoFacts, libc: Libc, flavor: Flavor, settings: &Settings) -> Choice<String> {
    let go = super::data::go();
    let version = facts.go_version.value;
    let builder_template = match libc {
        Libc::Glibc => &go.builder.glibc,
        Libc::Musl => &go.builder.musl,
    };
    image_choice(settings.image_builder.as_ref(), || Choice {
        value: builder_template.replace("{version}", &version.to_string()),
        reason: format!(
            "Go {version} from {}; {} to match the {} runtime",
            facts.go_version.evidence.location(),
            match libc {
                Libc::Glibc => "Debian bookworm (glibc)",
                Libc::Musl => "Alpine (musl)",
            },
            flavor
        ),
    })
}

/// The C toolchain and -dev packages cgo needs in the builder, and the build tags a
/// module needs on musl.
fn cgo_packages(
    cgo: bool,
    libc: Libc,
    cgo_modules: &[&super::data::CgoModule],
) -> (Vec<String>, Vec<String>) {
    let installer = libc.installer();
    let mut build_packages: Vec<String> = Vec::new();
    let mut tags = Vec::new();
    if cgo {
        if libc == Libc::Musl {
            // golang:*-alpine ships no C toolchain; golang:*-bookworm has gcc and libc6-dev.
            build_packages.extend(["gcc".to_string(), "musl-dev".to_string()]);
        }
        for module in cgo_modules {
            build_packages.extend(module.build_packages(installer).iter().cloned());
            if libc == Libc::Musl {
                tags.extend(module.musl_tags.iter().cloned());
            }
        }
    }
    build_packages.sort();
    build_packages.dedup();

    (build_packages, tags)
}

fn choose_binary<'a>(facts: &'a GoFacts, settings: &Settings) -> Result<&'a GoBinary, PlanError> {
    let candidates = || -> Vec<(String, String)> {
        facts
            .binaries
            .iter()
            .map(|b| (b.name.value.clone(), b.package_arg()))
            .collect()
    };
    if let Some(wanted) = &settings.bin {
        let dir = wanted.value.trim_start_matches("./").trim_end_matches('/');
        let by_dir: Vec<&GoBinary> = facts
            .binaries
            .iter()
            .filter(|b| b.dir == dir || (dir == "." && b.dir.is_empty()))
            .collect();
        let by_name: Vec<&GoBinary> = facts
            .binaries
            .iter()
            .filter(|b| b.name.value == wanted.value)
            .collect();
        return match (by_dir.as_slice(), by_name.as_slice()) {
            ([one], _) | ([], [one]) => Ok(one),
            ([], []) => Err(PlanError::UnknownBinary {
                wanted: wanted.value.escape_debug().to_string(),
                origin: wanted.source.clone(),
                candidates: candidates(),
            }),
            _ => Err(PlanError::AmbiguousBinary {
                candidates: by_name
                    .iter()
                    .map(|b| (b.name.value.clone(), b.package_arg()))
                    .collect(),
            }),
        };
    }
    match facts.binaries.as_slice() {
        [] => Err(PlanError::NoBinary {
            file: facts
                .module
                .evidence
                .file
                .clone()
                .unwrap_or_else(|| "go.mod".into()),
            what: "no `package main`".into(),
            hint: "add a main package (package main with func main), e.g. in cmd/<name>/".into(),
        }),
        [one] => Ok(one),
        several => {
            let module_name = crate::lang::go::module_binary_name(&facts.module.value);
            let named: Vec<&GoBinary> = several
                .iter()
                .filter(|b| b.name.value == module_name)
                .collect();
            match named.as_slice() {
                [one] => Ok(one),
                _ => Err(PlanError::AmbiguousBinary {
                    candidates: candidates(),
                }),
            }
        }
    }
}
