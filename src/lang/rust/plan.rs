//! Plans a Rust build: which binary, which toolchain, glibc or static musl, the
//! packages native crates need to build and run, and what reaches the runtime image.

use serde::Serialize;

use crate::data::{self, Installer, Libc, UserSetup};
use crate::detect::Warning;
use crate::detect::project::ProjectFacts;
use crate::lang::rust::toolchain::Channel;
use crate::lang::rust::{NativeUse, RustBinary, RustFacts};
use crate::plan::program::{self, Program};
use crate::plan::runtime::{self, Needs, RuntimeChoice};
use crate::plan::{
    BuildPlan, Choice, EnvVar, Exclude, PlanError, Rejection, RuntimeStage, check_file_name,
    check_text, image_choice,
};
use crate::settings::Settings;

use super::cargo::{ChefSteps, cargo, chef_choice, chef_steps, collect};

/// The Rust build stage.
#[derive(Clone, Debug, Serialize)]
pub struct RustBuild {
    /// The toolchain of the builder image ("1.95" or a pinned "1.95.0").
    pub toolchain: Choice<String>,
    /// The builder's package manager.
    pub installer: Installer,
    /// Packages the builder installs (C headers, -dev libraries, build tools).
    pub build_packages: Vec<String>,
    /// `NAME=value` settings for the build (e.g. static OpenSSL on musl).
    pub env: Vec<String>,
    pub package: String,
    pub binary: Choice<String>,
    /// Features the binary requires (`required-features`).
    pub features: Vec<String>,
    /// Cargo.lock exists: build with `--locked`.
    pub locked: bool,
    /// The source mount is writable (cargo writes a missing Cargo.lock); writes are
    /// discarded after the step.
    pub writable_source: bool,
    pub registry_cache: String,
    pub git_cache: String,
    pub target_dir: String,
    /// The target cache's id: one per package, because projects sharing one target
    /// directory invalidate each other's compiled dependencies.
    pub target_cache_id: String,
    /// Where the binary is copied out of the target cache.
    pub output: String,
    /// Prepare /etc/passwd, /etc/group and /tmp for an empty runtime image.
    pub rootfs: bool,
    /// cargo-chef's version when dependencies are cached in a layer with it (on
    /// request) instead of in cache mounts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cargo_chef: Option<Choice<String>>,
    /// The build stage's folder.
    pub workdir: String,
    /// Builds the binary (argv).
    pub cargo_build: Vec<String>,
    /// Copies the binary out of the target cache to `output` (argv each).
    pub collect: Vec<Vec<String>>,
    /// cargo-chef's steps, when it is used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chef: Option<ChefSteps>,
}

pub fn plan(
    facts: &RustFacts,
    project: &ProjectFacts,
    settings: &Settings,
) -> Result<BuildPlan, PlanError> {
    let binary = choose_binary(facts, settings)?;
    let name = binary.name.value.as_str();
    check_names(binary)?;
    let rust = super::data::rust();
    let natives: Vec<Native<'_>> = binary
        .native
        .iter()
        .filter_map(|n| n.data().map(|d| (n, d)))
        .collect();
    let system: Vec<&Native<'_>> = natives.iter().filter(|(n, _)| !n.bundled).collect();

    let choice = choose_runtime(&system, settings)?;
    let libc = rust.flavors.libc(choice.flavor);
    let installer = libc.installer();

    let program = Program {
        name,
        listening: &binary.listening,
    };
    let (mut runtime, runtime_warnings) =
        program::runtime_stage(&program, &choice, libc, project, settings)?;
    runtime.user_workdir = Some(program::WORKDIR.into());
    runtime
        .env
        .extend(framework_env(binary, runtime.expose.as_ref()));

    let (mut build_packages, mut env) = build_packages(&natives, libc, &runtime);
    build_packages.extend(linker_packages(facts, libc));
    let mut warnings: Vec<Warning> = facts.warnings.clone();
    sqlx_build(binary, &mut env, &mut runtime, &mut warnings);

    warnings.extend(runtime_warnings);
    let mut exclude = Vec::new();
    let toolchain = toolchain(facts, binary, &mut exclude, &mut warnings);
    let builder = builder(
        settings,
        libc,
        &toolchain,
        &mut build_packages,
        choice.flavor,
    );
    exclude.extend(member_targets(facts));
    let mut rejected = choice.rejected.clone();
    rejected.push(Rejection {
        option: "cross-compiling from the build platform".into(),
        reason: "it needs the target's standard library and a cross linker; the build runs on the target platform".into(),
    });
    let locked = facts.lockfile.is_some();
    let build = &rust.build;
    let chef = settings.cargo_chef.as_ref().filter(|s| s.value);
    Ok(BuildPlan::new(
        settings,
        choice.flavor_choice(),
        builder,
        runtime,
        RustBuild {
            toolchain,
            installer,
            build_packages,
            env,
            package: binary.package.clone(),
            binary: Choice::new(name.to_string(), &binary.name.evidence),
            features: binary.required_features.clone(),
            locked,
            // An unlocked build writes Cargo.lock; a build script may write sources.
            writable_source: !locked || binary.writes_sources.is_some(),
            registry_cache: build.registry_cache.clone(),
            git_cache: build.git_cache.clone(),
            target_dir: build.target_dir.clone(),
            target_cache_id: format!("cargo-target-{}", binary.package),
            output: program.output(),
            rootfs: choice.image.user == UserSetup::PasswdFromBuilder,
            cargo_chef: chef.map(chef_choice),
            workdir: build.workdir.clone(),
            collect: collect(&build.target_dir, name, &program.output()),
            cargo_build: cargo(
                &["build", "--release"],
                locked,
                &[],
                &binary.package_spec,
                name,
                &binary.required_features,
            ),
            chef: chef.map(|_| chef_steps(binary, locked, &program)),
        }
        .into(),
    )
    .with_context(facts.build_inputs.clone(), exclude)
    .with_findings(rejected, warnings))
}

/// The binary, package and feature names, checked before any is written.
fn check_names(binary: &RustBinary) -> Result<(), PlanError> {
    let origin = binary.name.evidence.location();
    check_file_name(&origin, "binary name", &binary.name.value)?;
    check_text(&origin, "package name", &binary.package)?;
    check_text(&origin, "package", &binary.package_spec)?;
    for feature in &binary.required_features {
        check_text(&origin, "required feature", feature)?;
    }
    Ok(())
}

/// Each workspace member's own `target/`, left by building it on its own.
fn member_targets(facts: &RustFacts) -> impl Iterator<Item = Exclude> + '_ {
    facts
        .workspace
        .packages
        .iter()
        .map(|p| p.dir.as_str())
        .filter(|d| !d.is_empty())
        .map(|dir| Exclude {
            pattern: format!("{dir}/target"),
            reason: format!("build output of {dir} when built on its own"),
        })
}

/// A native crate the binary uses, with its data.
type Native<'a> = (&'a NativeUse, &'static super::data::NativeCrate);

/// The flavor and image: a static musl binary needs every system library in a static
/// form; a glibc one needs the libraries its native crates link.
fn choose_runtime(system: &[&Native<'_>], settings: &Settings) -> Result<RuntimeChoice, PlanError> {
    let rust = super::data::rust();
    let needs_for = |flavor| match rust.flavors.libc(flavor) {
        Libc::Musl => {
            if let Some((native, data)) = system.iter().find(|(_, d)| d.musl_apk.is_none()) {
                return Err(format!(
                    "{} {} ({}): a static musl build is not possible",
                    native.name,
                    data.why,
                    native.evidence.location()
                ));
            }
            Ok(Needs::default())
        }
        Libc::Glibc => {
            let mut needs = Needs {
                libc: Some(Libc::Glibc),
                libraries: rust.runtime.glibc_libraries.clone(),
                why: "Rust's standard library on glibc links it".into(),
                ..Needs::default()
            };
            for (_, data) in system {
                needs.libraries.extend(data.libraries.iter().cloned());
                needs.apt.extend(data.runtime_apt.iter().cloned());
            }
            Ok(needs)
        }
    };
    runtime::choose_for(settings, &rust.flavors, &needs_for)
}

/// The packages of the linkers the project's cargo configuration names.
fn linker_packages(facts: &RustFacts, libc: Libc) -> Vec<String> {
    let tools = &super::data::rust().linker_tools;
    facts
        .linker_tools
        .iter()
        .filter_map(|used| tools.iter().find(|t| t.name == used.value))
        .flat_map(|tool| match libc {
            Libc::Glibc => tool.apt.clone(),
            Libc::Musl => tool.apk.clone(),
        })
        .collect()
}

/// What the builder installs for the native crates (and, on musl, what the runtime
/// copies from it), and the environment a static link needs.
fn build_packages(
    natives: &[Native<'_>],
    libc: Libc,
    runtime: &RuntimeStage,
) -> (Vec<String>, Vec<String>) {
    let rust = super::data::rust();
    let installer = libc.installer();
    let mut build_packages: Vec<String> = Vec::new();
    let mut env = Vec::new();
    for (native, data) in natives {
        match (libc, native.bundled) {
            (Libc::Glibc, false) => build_packages.extend(data.build_apt.iter().cloned()),
            (Libc::Musl, false) => {
                build_packages.extend(data.musl_apk.iter().flatten().cloned());
                env.extend(data.musl_env.iter().cloned());
            }
            (Libc::Glibc, true) => build_packages.extend(data.source_apt.iter().cloned()),
            (Libc::Musl, true) => build_packages.extend(data.source_apk.iter().cloned()),
        }
    }
    if libc == Libc::Musl {
        build_packages.extend(rust.builder.musl_packages.iter().cloned());
        // The runtime copies these from the builder, and rust:*-alpine lacks time zones.
        for (provision, need) in [
            (runtime.certificates, "certificates"),
            (runtime.timezones, "timezones"),
        ] {
            if provision == data::Provision::Builder {
                build_packages.extend(
                    data::images()
                        .package_for(installer, need)
                        .map(str::to_string),
                );
            }
        }
    }
    build_packages.sort();
    build_packages.dedup();

    (build_packages, env)
}

/// The builder image: slim when no native packages are needed, the full image (which
/// already has pkg-config, libssl-dev, make ...) when some are; alpine for musl. The
/// packages the image already has are dropped from `packages`.
fn builder(
    settings: &Settings,
    libc: Libc,
    toolchain: &Choice<String>,
    packages: &mut Vec<String>,
    flavor: data::Flavor,
) -> Choice<String> {
    let rust = &super::data::rust().builder;
    let (template, why) = match libc {
        Libc::Musl => (&rust.musl, "Alpine (musl) for a static binary"),
        Libc::Glibc if packages.is_empty() => (
            &rust.glibc,
            "Debian bookworm slim (glibc): no native packages needed",
        ),
        Libc::Glibc => {
            packages.retain(|p| !rust.glibc_full_has.contains(p));
            (
                &rust.glibc_full,
                "Debian bookworm (glibc) with the tools native crates need",
            )
        }
    };
    image_choice(settings.image_builder.as_ref(), || Choice {
        value: template.replace("{version}", &toolchain.value),
        reason: format!(
            "Rust {} ({}); {why}, for the {flavor} runtime",
            toolchain.value, toolchain.reason
        ),
    })
}

/// The toolchain: a pinned release exactly; otherwise the newest stable docksmith
/// knows, raised to `rust-version` or the edition's first release if they need more.
fn toolchain(
    facts: &RustFacts,
    binary: &RustBinary,
    exclude: &mut Vec<Exclude>,
    warnings: &mut Vec<Warning>,
) -> Choice<String> {
    let rust = super::data::rust();
    if let Some(pin) = &facts.toolchain {
        match &pin.value.channel {
            Channel::Release(version) => {
                exclude.push(Exclude {
                    pattern: pin.value.file.clone(),
                    reason: format!(
                        "the builder image is Rust {version}; inside the build rustup would fetch the pinned toolchain again"
                    ),
                });
                return Choice {
                    value: version.clone(),
                    reason: format!("pinned by {}", pin.evidence.location()),
                };
            }
            Channel::Other(channel) => warnings.push(Warning {
                message: format!(
                    "the toolchain is pinned to {channel}, which no rust image provides: rustup downloads it in every cold build"
                ),
                evidence: pin.evidence.clone(),
            }),
            Channel::Stable => {}
        }
    }
    let package = facts.workspace.package(&binary.package);
    let mut version = parse(&rust.builder.latest);
    let mut reason = format!(
        "the newest stable release docksmith knows ({})",
        rust.builder.latest
    );
    if let Some(package) = package {
        let manifest = crate::detect::paths::join(&package.dir, "Cargo.toml");
        let minimums = [
            package
                .rust_version
                .as_deref()
                .map(|v| (v.to_string(), format!("rust-version {v} in {manifest}"))),
            rust.editions
                .get(&package.edition)
                .map(|v| (v.clone(), format!("edition {} needs {v}", package.edition))),
        ];
        for (minimum, why) in minimums.into_iter().flatten() {
            let wanted = parse(&minimum);
            if wanted > version {
                version = wanted;
                reason = why;
            } else {
                reason.push_str(&format!("; {why}"));
            }
        }
    }
    Choice {
        value: format!("{}.{}", version.0, version.1),
        reason,
    }
}

fn parse(version: &str) -> (u64, u64, u64) {
    let mut parts = version.split('.').map(|p| p.parse::<u64>().unwrap_or(0));
    (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    )
}

/// The binary to build: `--bin`, else the only binary of the default members, else
/// the `default-run` of one of them; otherwise an error listing them all.
fn choose_binary<'a>(
    facts: &'a RustFacts,
    settings: &Settings,
) -> Result<&'a RustBinary, PlanError> {
    let listed = |bins: &[&RustBinary]| -> Vec<(String, String)> {
        bins.iter()
            .map(|b| (b.name.value.clone(), format!("package {}", b.package)))
            .collect()
    };
    let all: Vec<&RustBinary> = facts.binaries.iter().collect();
    if let Some(wanted) = &settings.bin {
        let found: Vec<&RustBinary> = all
            .iter()
            .copied()
            .filter(|b| b.name.value == wanted.value)
            .collect();
        return match found.as_slice() {
            [one] => Ok(one),
            [] => Err(PlanError::UnknownBinary {
                wanted: wanted.value.escape_debug().to_string(),
                origin: wanted.source.clone(),
                candidates: listed(&all),
            }),
            several => Err(PlanError::AmbiguousBinary {
                candidates: listed(several),
            }),
        };
    }
    let defaults: Vec<&RustBinary> = all.iter().copied().filter(|b| b.default_member).collect();
    match defaults.as_slice() {
        [] if all.is_empty() => Err(PlanError::NoBinary {
            file: facts.manifest.value.clone(),
            what: "no binary target".into(),
            hint: "add src/main.rs or a [[bin]] target".into(),
        }),
        [one] => Ok(one),
        several => {
            let default_runs: Vec<&RustBinary> =
                several.iter().copied().filter(|b| b.default_run).collect();
            // A binary that needs a feature the package does not enable by default
            // (a GUI beside the CLI) is an option, not the program.
            let plain: Vec<&RustBinary> = several
                .iter()
                .copied()
                .filter(|b| b.builds_by_default)
                .collect();
            match (default_runs.as_slice(), plain.as_slice()) {
                ([one], _) | ([], [one]) => Ok(one),
                _ => Err(PlanError::AmbiguousBinary {
                    candidates: listed(if several.is_empty() { &all } else { several }),
                }),
            }
        }
    }
}

/// The environment the binary's framework needs to listen in a container (Rocket's
/// address and port), with the exposed port in place of `{port}`.
fn framework_env(binary: &RustBinary, expose: Option<&Choice<u16>>) -> Vec<EnvVar> {
    let port = expose.map(|e| e.value.to_string());
    super::data::rust()
        .framework
        .iter()
        .filter(|f| binary.frameworks.iter().any(|b| b.value == f.name))
        .flat_map(|f| f.env.iter().map(move |pair| (f, pair)))
        .filter_map(|(f, (name, value))| {
            let value = match (value.contains("{port}"), &port) {
                (true, Some(port)) => value.replace("{port}", port),
                (true, None) => return None,
                (false, _) => value.clone(),
            };
            Some(EnvVar {
                name: name.clone(),
                value,
                reason: format!(
                    "{} reads it: listen on every interface, on the exposed port",
                    f.name
                ),
            })
        })
        .collect()
}

/// sqlx's compile-time checks: offline with the project's query cache; without one
/// the build needs a database, said in `plan` and in the Dockerfile.
fn sqlx_build(
    binary: &RustBinary,
    env: &mut Vec<String>,
    runtime: &mut RuntimeStage,
    warnings: &mut Vec<Warning>,
) {
    let Some(sqlx) = &binary.sqlx else {
        return;
    };
    if sqlx.value.is_some() {
        env.push(super::data::rust().sqlx.env.clone());
        return;
    }
    let message = "sqlx checks its queries against a database at compile time and the project has no query cache: run `cargo sqlx prepare --workspace` and commit .sqlx/ (the build then runs offline), or give the build a database URL as a secret (`RUN --mount=type=secret,id=database_url,env=DATABASE_URL`), never as an ARG";
    runtime.notes.push(format!("WARNING: {message}."));
    warnings.push(Warning {
        message: message.into(),
        evidence: sqlx.evidence.clone(),
    });
}
