//! Plans a Node.js build: which app, which Node and package manager, the install,
//! build and production-dependency stages, and exactly what reaches the runtime.

use serde::Serialize;

use crate::data::{Flavor, Installer, Libc};
use crate::detect::Warning;
use crate::detect::paths::join;
use crate::detect::project::ProjectFacts;
use crate::lang::node::NodeFacts;
use crate::lang::node::app::{AppKind, NodeApp};
use crate::lang::node::bun::Runtime;
use crate::lang::node::package_manager::Tool;
use crate::plan::runtime::{self, Needs, RuntimeChoice};
use crate::plan::{
    BuildPlan, Choice, CopyGroup, EnvVar, Exclude, Member, PlanError, check_text, choose_member,
    copy_groups, image_choice,
};
use crate::settings::Settings;

use super::image::{copies_trees, node_runtime};
use super::install::*;
use super::quirks::*;
use super::static_runtime::{static_config, static_runtime};

/// The Node stages before the runtime.
#[derive(Clone, Debug, Serialize)]
pub struct NodeBuild {
    /// The install and build stages' folder.
    pub workdir: String,
    /// The stage that installs every dependency (the build starts from it), and the one
    /// that installs production dependencies alone.
    pub deps_stage: String,
    pub prod_stage: String,
    /// The Node major; none when Bun installs, builds and runs the project alone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node: Option<Choice<u64>>,
    pub app: Choice<String>,
    /// The app's folder in the project ("" for the root).
    pub app_dir: String,
    pub package_manager: Choice<String>,
    /// Set-up before installing (corepack, a pinned package manager), one argv each.
    pub setup: Vec<Vec<String>>,
    /// The dependencies stage's image (the full one when native modules compile).
    pub deps_image: String,
    /// Packages the full install (deps stage) needs: compilers for native modules,
    /// and tini when the runtime takes it from there.
    pub deps_packages: Vec<String>,
    /// Packages the production install (prod-deps stage) needs.
    pub prod_packages: Vec<String>,
    /// The stage the runtime copies tini from, when the app needs an init.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub init_from: Option<String>,
    pub installer: Installer,
    /// Copied before the install, so the install layer changes only with them,
    /// grouped by the folder they go to.
    pub install_copies: Vec<CopyGroup>,
    /// Bind-mounted into installs, never copied into a layer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub npmrc: Option<String>,
    /// The package manager's cache, mounted into installs.
    pub cache: String,
    /// The cache mount's `sharing`, when its package manager cannot share it between
    /// the two install stages BuildKit runs at once (yarn 1: integrity errors).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache_sharing: Option<String>,
    /// Set for the installs, each with its reason: test tools held only as
    /// devDependencies skip their browser download (their tests run elsewhere); Yarn
    /// Plug'n'Play links node_modules.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub install_env: Vec<EnvVar>,
    pub install: Vec<String>,
    /// After each install that skipped scripts: the dependencies' install scripts,
    /// run by name (never the project's own).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rebuild: Option<Vec<String>>,
    /// Production dependencies only; `None` when the output needs none (Next.js
    /// standalone, Nuxt, static sites).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub install_prod: Option<Vec<String>>,
    /// After the production install, when native modules compiled: removes node-gyp's
    /// intermediates (object files, dependency lists), which nothing loads at run time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prune_native: Option<Vec<String>>,
    /// Commands of the build stage, in order; empty when there is nothing to build.
    pub build: Vec<Vec<String>>,
    /// A cache mount for the framework's own build cache, kept between builds (Next.js's
    /// `.next/cache`): a source edit recompiles only what changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build_cache: Option<String>,
    /// Exported for the build commands alone, each with its reason (no ENV: it never
    /// reaches a later stage or the image's history as configuration).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub build_env: Vec<EnvVar>,
    /// A static site's server configuration, written in the build stage.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub static_config: Option<StaticConfig>,
}

impl NodeBuild {
    /// Whether the image installs every dependency (for a build step): without one,
    /// only the production install runs (templates/node/Dockerfile.tera decides the
    /// same way, `node.build or node.static_config`).
    pub fn installs_everything(&self) -> bool {
        !self.build.is_empty() || self.static_config.is_some()
    }
}

/// A file the build stage writes for the web server, and where it goes: docksmith's
/// text, or the project's own file through a command (its port moved).
#[derive(Clone, Debug, Serialize)]
pub struct StaticConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Writes the file to its standard output (argv).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    pub file: String,
}

pub(super) const DEPS: &str = "deps";
pub(super) const PROD_DEPS: &str = "prod-deps";
pub(super) const APP_ROOT: &str = "/app";

/// Next.js keeps its compiler's cache in `.next/cache` and reuses it on the next build;
/// a cache mount keeps it between image builds (and out of the build stage's layer).
fn build_cache(app: &NodeApp) -> Option<String> {
    matches!(app.kind.value, AppKind::Next { .. })
        .then(|| join(&join(APP_ROOT, &app.dir), ".next/cache"))
}

/// The build stage's environment: Next.js's standalone output as the default `output`
/// when the config sets none (see `framework::next_kind`).
fn build_env(app: &NodeApp) -> Vec<EnvVar> {
    match app.kind.value {
        AppKind::Next { by_env: true, .. } => vec![EnvVar {
            name: "NEXT_PRIVATE_STANDALONE".into(),
            value: "true".into(),
            reason: "standalone output (a server with only the files it traces); next.config sets no output".into(),
        }],
        _ => Vec::new(),
    }
}

pub fn plan(
    facts: &NodeFacts,
    project: &ProjectFacts,
    settings: &Settings,
) -> Result<BuildPlan, PlanError> {
    let app = choose_app(facts, settings)?;
    let name = &app.name.value;
    check_name(app)?;
    let node = super::data::node();
    let major = facts.node.value;
    // Native modules that compile at install need the full image's toolchain.
    let compiled: Vec<&str> = facts
        .native
        .iter()
        .filter_map(|n| n.compiled.then_some(n.name.as_str()))
        .collect();
    let static_site = matches!(app.kind.value, AppKind::Static { .. });

    let (choice, flavor) = choose_runtime(facts, app, static_site, settings)?;
    let libc = node.flavors.libc(flavor);
    let installer = libc.installer();

    let tool = facts.package_manager.value.tool;
    let pm = &facts.package_manager.value;
    let mut warnings: Vec<Warning> = facts.warnings.clone();
    let rejected = choice
        .as_ref()
        .map(|c| c.rejected.clone())
        .unwrap_or_default();
    let (setup, pm_label) = package_manager_setup(facts, major, &mut warnings);
    let mut prod = production_install(facts, app);
    let mut install = words(&install_command(pm.tool, pm.lockfile.is_some()));
    let skips_scripts = skip_own_scripts(facts, &mut install, prod.as_mut(), &mut warnings);
    let mut install_env = install_env(facts);
    install_env.extend(yarn_workarounds(facts, &mut warnings));
    let (deps_packages, prod_packages, init_from) =
        stage_packages(facts, app, libc, static_site, prod.is_some(), &compiled);
    let mut build = build_steps(facts, app, skips_scripts, &mut warnings);
    let (runtime, extra_warnings) = match &app.kind.value {
        AppKind::Static { output } => static_runtime(app, output, flavor, project, settings)?,
        _ => {
            let choice = choice.as_ref().expect("non-static apps chose a runtime");
            node_runtime(
                facts,
                app,
                choice,
                libc,
                init_from,
                prod.is_some(),
                project,
                settings,
            )?
        }
    };
    warnings.extend(extra_warnings);
    if !build.is_empty() && copies_trees(app) {
        build.push(prune_node_modules(facts));
    }

    let cache = cache_dir(tool);
    let flavor_reason = match &choice {
        Some(c) => c.reason.clone(),
        None => "a static site: built, then served by an unprivileged web server".into(),
    };
    let builder = builder_choice(facts, libc, &compiled, settings);
    Ok(BuildPlan::new(
        settings,
        Choice::new(flavor, flavor_reason),
        builder.clone(),
        runtime,
        NodeBuild {
            workdir: APP_ROOT.into(),
            deps_stage: DEPS.into(),
            prod_stage: PROD_DEPS.into(),
            node: facts
                .runs_on_node()
                .then(|| Choice::new(major, &facts.node.evidence)),
            app: Choice::new(name.clone(), &app.kind.evidence),
            app_dir: app.dir.clone(),
            package_manager: Choice::new(pm_label, &facts.package_manager.evidence),
            setup,
            deps_image: builder.value,
            deps_packages,
            prod_packages,
            init_from: init_from.map(str::to_string),
            installer,
            install_copies: copy_groups(&facts.install_inputs),
            npmrc: facts.npmrc.clone(),
            cache,
            cache_sharing: (tool == Tool::YarnClassic).then(|| "locked".to_string()),
            install_env,
            rebuild: skips_scripts.then(|| rebuild(facts)).flatten(),
            install,
            prune_native: (prod.is_some() && !compiled.is_empty()).then(prune_native_builds),
            install_prod: prod,
            build_cache: build_cache(app),
            build_env: build_env(app),
            build,
            static_config: static_site.then(|| static_config(app)),
        }
        .into(),
    )
    .with_context(facts.build_inputs.clone(), rebuilt_excludes(app))
    .with_findings(rejected, warnings))
}

/// Build output in the project folder stays out of the context: the image
/// build makes it again.
fn rebuilt_excludes(app: &NodeApp) -> Vec<Exclude> {
    rebuilt_outputs(app)
        .into_iter()
        .flatten()
        .map(|output| Exclude {
            pattern: join(&app.dir, &output),
            reason: "build output: the image build makes it again".into(),
        })
        .collect()
}

/// The dependency stages' image: node slim, or the full image when native
/// modules compile, or alpine for musl; unless the user names one.
fn builder_choice(
    facts: &NodeFacts,
    libc: Libc,
    compiled: &[&str],
    settings: &Settings,
) -> Choice<String> {
    let node = super::data::node();
    let major = facts.node.value;
    let pm = &facts.package_manager.value;
    if pm.tool == Tool::Bun {
        let bun = &node.package_managers.bun;
        let image = if libc == Libc::Musl {
            &bun.musl_image
        } else {
            &bun.image
        };
        return image_choice(settings.image_builder.as_ref(), || Choice {
            value: image.replace("{bun}", &super::bun::major(pm)),
            reason: format!("installed by Bun ({})", facts.package_manager.evidence),
        });
    }
    let deps_image = match (libc, compiled.is_empty()) {
        (Libc::Musl, _) => &node.builder.musl,
        (Libc::Glibc, true) => &node.builder.slim,
        (Libc::Glibc, false) => &node.builder.full,
    }
    .replace("{node}", &major.to_string());
    image_choice(settings.image_builder.as_ref(), || Choice {
        value: deps_image,
        reason: format!(
            "Node {major} ({}){}",
            facts.node.evidence,
            if compiled.is_empty() {
                String::new()
            } else {
                format!("; the full image compiles {}", compiled.join(", "))
            }
        ),
    })
}

/// The build stage's commands after the install: Prisma's client, then the
/// build script. A static site with no build script has nothing to serve.
fn build_steps(
    facts: &NodeFacts,
    app: &NodeApp,
    skips_scripts: bool,
    warnings: &mut Vec<Warning>,
) -> Vec<Vec<String>> {
    let mut build: Vec<Vec<String>> = Vec::new();
    if skips_scripts && app.postinstall.is_some() {
        // The project's postinstall (patches, generated assets) runs with its sources.
        let tool = facts.package_manager.value.tool;
        build.push(vec![
            tool.command().into(),
            "run".into(),
            "postinstall".into(),
        ]);
    }
    if app.prisma.is_some() {
        let tool = facts.package_manager.value.tool;
        build.push(words(&format!("{} prisma generate", exec_bin(tool))));
    }
    if app.build.is_some() {
        build.push(build_command(facts, app));
        build.extend(super::image::next_state_step(app));
    } else if matches!(app.kind.value, AppKind::Static { .. }) {
        warnings.push(Warning {
            message: format!(
                "{} is a static site with no build script: the image build has nothing to serve",
                app.name.value
            ),
            evidence: app.kind.evidence.clone(),
        });
    }
    build
}

/// npm's limits on a package name, beyond what any Dockerfile value must pass.
fn check_name(app: &NodeApp) -> Result<(), PlanError> {
    let name = &app.name.value;
    check_text(&app.name.evidence.location(), "package name", name)?;
    if name.len() > 214 {
        return Err(PlanError::UnsafeValue {
            file: app.name.evidence.location(),
            field: "package name".into(),
            value: format!(
                "{}…",
                name.chars().take(40).collect::<String>().escape_debug()
            ),
            reason: format!("is {} characters long; npm allows 214", name.len()),
            hint: "shorten the name in package.json".into(),
        });
    }
    Ok(())
}

/// The runtime (none for a static site, which a web server image serves) and the
/// flavor.
fn choose_runtime(
    facts: &NodeFacts,
    app: &NodeApp,
    static_site: bool,
    settings: &Settings,
) -> Result<(Option<RuntimeChoice>, Flavor), PlanError> {
    let node = super::data::node();
    let needs_for = |flavor| {
        if let Some(why) = node.flavors.unsupported.get(&flavor) {
            return Err(why.clone());
        }
        let mut needs = match app.runtime() {
            Runtime::Node => Needs {
                libc: Some(node.flavors.libc(flavor)),
                why: "node links the C library".into(),
                language: Some("node"),
                ..Needs::default()
            },
            Runtime::Bun => Needs {
                libc: Some(node.flavors.libc(flavor)),
                why: "bun links the C library".into(),
                language: Some("bun"),
                ..Needs::default()
            },
        };
        if app.prisma.is_some() {
            needs
                .libraries
                .extend(node.prisma.libraries.iter().cloned());
        }
        for native in &facts.native {
            if let Some(data) = node.native.iter().find(|d| d.package == native.name) {
                needs.apt.extend(data.runtime_apt.iter().cloned());
            }
        }
        Ok(needs)
    };
    let choice = if static_site {
        None
    } else {
        Some(runtime::choose_for(settings, &node.flavors, &needs_for)?)
    };
    let flavor = match (&choice, &settings.flavor) {
        (Some(c), _) => c.flavor,
        (None, Some(set)) if set.value == Flavor::Scratch => {
            return Err(PlanError::FlavorUnfit {
                flavor: Flavor::Scratch,
                origin: set.source.clone(),
                reason: "a static site needs a web server, which scratch lacks".into(),
                alternatives: vec![Flavor::Distroless, Flavor::Slim],
            });
        }
        (None, Some(set)) => set.value,
        (None, None) => Flavor::Slim,
    };
    Ok((choice, flavor))
}

/// The app to build: `--package` (name or folder), else the only one.
fn choose_app<'a>(facts: &'a NodeFacts, settings: &Settings) -> Result<&'a NodeApp, PlanError> {
    // A framework that cannot run in an image (a SvelteKit platform adapter) says why.
    let refused = facts.warnings.iter().find(|w| {
        super::data::node()
            .framework
            .iter()
            .any(|f| f.kind == "refused" && f.why.as_deref() == Some(w.message.as_str()))
    });
    choose_member(&facts.apps, settings, || match refused {
        Some(why) => PlanError::NoBinary {
            file: why.evidence.location(),
            what: "no app docksmith can run".into(),
            hint: why.message.clone(),
        },
        None => PlanError::NoBinary {
            file: "package.json".into(),
            what: "no app (no start script, server entry file or known framework)".into(),
            hint: "add scripts.start (\"node server.js\") or a main entry to package.json".into(),
        },
    })
}

impl Member for NodeApp {
    fn member_name(&self) -> &str {
        &self.name.value
    }
    fn member_dir(&self) -> &str {
        &self.dir
    }
}
