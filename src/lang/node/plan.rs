//! Plans a Node.js build: which app, which Node and package manager, the install,
//! build and production-dependency stages, and exactly what reaches the runtime.

use serde::Serialize;

use crate::data::{self, Flavor, Installer, Libc, UserSetup};
use crate::detect::Warning;
use crate::detect::paths::join;
use crate::detect::project::ProjectFacts;
use crate::lang::node::NodeFacts;
use crate::lang::node::app::{AppKind, NodeApp};
use crate::lang::node::package_manager::Tool;
use crate::plan::program::{self, BUILD_STAGE};
use crate::plan::runtime::{self, Needs};
use crate::plan::{
    Artifact, BuildContext, BuildPlan, Choice, EnvVar, Exclude, Member, PlanError, Rejection,
    RuntimeStage, RuntimeUser, SCHEMA_VERSION, check_text, choose_member, image_choice,
};
use crate::settings::Settings;

/// The Node stages before the runtime.
#[derive(Clone, Debug, Serialize)]
pub struct NodeBuild {
    /// The install and build stages' folder.
    pub workdir: String,
    pub node: Choice<u64>,
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
    pub install: Vec<String>,
    /// Production dependencies only; `None` when the output needs none (Next.js
    /// standalone, Nuxt, static sites).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub install_prod: Option<Vec<String>>,
    /// Commands of the build stage, in order; empty when there is nothing to build.
    pub build: Vec<Vec<String>>,
    /// Remove node_modules from the build stage's tree after building, because the
    /// runtime copies folders of that tree.
    pub prune_build_tree: bool,
    /// A static site's server configuration, written in the build stage.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub static_config: Option<String>,
}

/// Files copied to one folder.
#[derive(Clone, Debug, Serialize)]
pub struct CopyGroup {
    pub sources: Vec<String>,
    /// The folder they go to, relative to the working directory ("./" for the root).
    pub target: String,
}

/// Splits a command we composed into words; every word comes from docksmith's code or
/// data, or is a name already checked, and is quoted on its own when rendered.
fn words(command: &str) -> Vec<String> {
    command.split_whitespace().map(str::to_string).collect()
}

/// Groups files by their folder, root first.
fn copy_groups(files: &[String]) -> Vec<CopyGroup> {
    let mut groups: Vec<CopyGroup> = Vec::new();
    for file in files {
        let (dir, _) = crate::detect::paths::split_dir(file);
        let target = if dir.is_empty() {
            "./".to_string()
        } else {
            format!("{dir}/")
        };
        match groups.iter_mut().find(|g| g.target == target) {
            Some(group) => group.sources.push(file.clone()),
            None => groups.push(CopyGroup {
                sources: vec![file.clone()],
                target,
            }),
        }
    }
    groups.sort_by(|a, b| (a.target != "./", &a.target).cmp(&(b.target != "./", &b.target)));
    groups
}

const DEPS: &str = "deps";
const PROD_DEPS: &str = "prod-deps";
const APP_ROOT: &str = "/app";

pub fn plan(
    facts: &NodeFacts,
    project: &ProjectFacts,
    settings: &Settings,
) -> Result<BuildPlan, PlanError> {
    let app = choose_app(facts, settings)?;
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
    let node = super::data::node();
    let major = facts.node.value;
    let compiled: Vec<&str> = facts
        .native
        .iter()
        .filter(|n| n.compiled)
        .map(|n| n.name.as_str())
        .collect();
    let static_site = matches!(app.kind.value, AppKind::Static { .. });

    let needs_for = |flavor| {
        if let Some(why) = node.flavors.unsupported.get(&flavor) {
            return Err(why.clone());
        }
        let mut needs = Needs {
            libc: Some(node.flavors.libc(flavor)),
            why: "node links the C library".into(),
            language: Some("node"),
            ..Needs::default()
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
        Some(runtime::choose(
            settings.flavor.as_ref(),
            &node.flavors,
            &needs_for,
        )?)
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
    let libc = node.flavors.libc(flavor);
    let installer = libc.installer();

    let tool = facts.package_manager.value.tool;
    let pm = &facts.package_manager.value;
    // Plug'n'Play keeps packages in Yarn's cache, which the build keeps in a cache mount
    // that never reaches an image.
    if pm.yarn.as_ref().is_some_and(|y| y.node_linker == "pnp") {
        return Err(PlanError::Unsupported {
            file: ".yarnrc.yml".into(),
            what: "Yarn Plug'n'Play (nodeLinker: pnp, the default)".into(),
            hint: "add `nodeLinker: node-modules` to .yarnrc.yml".into(),
        });
    }
    let mut warnings: Vec<Warning> = facts.warnings.clone();
    let mut rejected: Vec<Rejection> = choice
        .as_ref()
        .map(|c| c.rejected.clone())
        .unwrap_or_default();
    if tool == Tool::Bun {
        rejected.push(Rejection {
            option: "bun".into(),
            reason: "bun lockfiles are installed with bun in a node image here; the oven/bun runtime is not used".into(),
        });
    }
    let (setup, pm_label) = package_manager_setup(facts, major, &mut warnings);
    let prod = production_install(facts, app);
    let deps_image = match (libc, compiled.is_empty()) {
        (Libc::Musl, _) => node.builder.musl.clone(),
        (Libc::Glibc, true) => node.builder.slim.clone(),
        (Libc::Glibc, false) => node.builder.full.clone(),
    }
    .replace("{node}", &major.to_string());
    let mut deps_packages: Vec<String> = Vec::new();
    if libc == Libc::Musl && !compiled.is_empty() {
        deps_packages.extend(node.builder.musl_native_packages.iter().cloned());
    }
    for native in &facts.native {
        if let Some(data) = node.native.iter().find(|d| d.package == native.name)
            && libc == Libc::Glibc
        {
            deps_packages.extend(data.build_apt.iter().cloned());
        }
    }
    deps_packages.sort();
    deps_packages.dedup();
    let mut prod_packages = deps_packages.clone();
    // tini comes from the stage the runtime copies dependencies from anyway.
    let init_from = (!static_site && app.handles_signals.is_none())
        .then(|| if prod.is_some() { PROD_DEPS } else { DEPS });
    match init_from {
        Some(PROD_DEPS) => prod_packages.push("tini".into()),
        Some(_) => deps_packages.push("tini".into()),
        None => {}
    }

    let mut build: Vec<Vec<String>> = Vec::new();
    if app.prisma.is_some() {
        build.push(words(&format!("{} prisma generate", exec_bin(tool))));
    }
    if app.build.is_some() {
        build.push(build_command(facts, app));
    } else if static_site {
        warnings.push(Warning {
            message: format!(
                "{name} is a static site with no build script: the image build has nothing to serve"
            ),
            evidence: app.kind.evidence.clone(),
        });
    }
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
    let prune_build_tree = !build.is_empty() && copies_trees(app);

    let cache = match tool {
        Tool::Npm => node.package_managers.npm.cache.clone(),
        Tool::Pnpm => node.package_managers.pnpm.store.clone(),
        Tool::YarnClassic => "/usr/local/share/.cache/yarn".into(),
        Tool::YarnBerry => "/root/.yarn/berry/cache".into(),
        Tool::Bun => node.package_managers.bun.cache.clone(),
    };
    let mut exclude = Vec::new();
    if let Some(outputs) = rebuilt_outputs(app) {
        for output in outputs {
            exclude.push(Exclude {
                pattern: join(&app.dir, &output),
                reason: "build output: the image build makes it again".into(),
            });
        }
    }
    let flavor_reason = match &choice {
        Some(c) => c.reason.clone(),
        None => "a static site: built, then served by an unprivileged web server".into(),
    };
    let builder = image_choice(settings.image_builder.as_ref(), || Choice {
        value: deps_image.clone(),
        reason: format!(
            "Node {major} ({}){}",
            facts.node.evidence,
            if compiled.is_empty() {
                String::new()
            } else {
                format!("; the full image compiles {}", compiled.join(", "))
            }
        ),
    });
    Ok(BuildPlan {
        schema_version: SCHEMA_VERSION,
        syntax: settings.syntax(),
        flavor: Choice {
            value: flavor,
            reason: flavor_reason,
        },
        builder: builder.clone(),
        runtime,
        build: NodeBuild {
            workdir: APP_ROOT.into(),
            node: Choice {
                value: major,
                reason: facts.node.evidence.to_string(),
            },
            app: Choice {
                value: name.clone(),
                reason: app.kind.evidence.to_string(),
            },
            app_dir: app.dir.clone(),
            package_manager: Choice {
                value: pm_label,
                reason: facts.package_manager.evidence.to_string(),
            },
            setup,
            deps_image: builder.value,
            deps_packages,
            prod_packages,
            init_from: init_from.map(str::to_string),
            installer,
            install_copies: copy_groups(&facts.install_inputs),
            npmrc: facts.npmrc.clone(),
            cache,
            install: words(&install_command(pm.tool, pm.lockfile.is_some())),
            install_prod: prod,
            build,
            prune_build_tree,
            static_config: static_site.then(static_config),
        }
        .into(),
        context: BuildContext {
            required: facts.build_inputs.clone(),
            exclude,
        },
        rejected,
        warnings,
    })
}

/// A static site's nginx configuration: a file if it exists, else the SPA's
/// index.html (client-side routes).
fn static_config() -> String {
    let site = &super::data::node().static_site;
    format!(
        "server {{ listen {}; root {}; location / {{ try_files $uri $uri/ /index.html; }} }}",
        site.port, site.root
    )
}

/// Whether the runtime copies whole package folders from the build stage (see
/// `node_runtime`), which must then hold no node_modules of their own: dev
/// dependencies would ride along.
fn copies_trees(app: &NodeApp) -> bool {
    match &app.kind.value {
        AppKind::Server { outputs, .. } => {
            app.build.is_some() && (outputs.is_empty() || !app.local_dependencies.is_empty())
        }
        _ => false,
    }
}

/// The app to build: `--package` (name or folder), else the only one.
fn choose_app<'a>(facts: &'a NodeFacts, settings: &Settings) -> Result<&'a NodeApp, PlanError> {
    choose_member(&facts.apps, settings, || PlanError::NoBinary {
        file: "package.json".into(),
        what: "no app (no start script, server entry file or known framework)".into(),
        hint: "add scripts.start (\"node server.js\") or a main entry to package.json".into(),
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

/// `corepack enable` and, when no `packageManager` field pins it, the version the
/// lockfile implies; a committed Yarn release needs neither.
fn package_manager_setup(
    facts: &NodeFacts,
    major: u64,
    warnings: &mut Vec<Warning>,
) -> (Vec<Vec<String>>, String) {
    let pm = &facts.package_manager.value;
    let label = match &pm.version {
        Some(v) => format!("{}@{v}", pm.tool.command()),
        None => pm.tool.command().to_string(),
    };
    let mut setup: Vec<Vec<String>> = Vec::new();
    if pm.yarn.as_ref().is_some_and(|y| y.yarn_path.is_some()) {
        return (setup, format!("{label} (committed release)"));
    }
    match pm.tool {
        Tool::Npm => {}
        Tool::Bun => setup.push(vec![
            "npm".into(),
            "install".into(),
            "--global".into(),
            format!("bun@{}", pm.version.as_deref().unwrap_or("1")),
        ]),
        tool if major <= super::data::node().versions.corepack_until => {
            setup.push(words("corepack enable"));
            if !pm.pinned_by_field
                && let Some(version) = &pm.version
            {
                setup.push(vec![
                    "corepack".into(),
                    "prepare".into(),
                    format!("{}@{version}", tool.command()),
                    "--activate".into(),
                ]);
            }
        }
        tool => {
            warnings.push(Warning {
                message: format!(
                    "Node {major} ships no corepack: {} is installed with npm",
                    tool.command()
                ),
                evidence: facts.node.evidence.clone(),
            });
            let package = if tool == Tool::YarnBerry {
                "@yarnpkg/cli-dist"
            } else {
                tool.command()
            };
            setup.push(vec![
                "npm".into(),
                "install".into(),
                "--global".into(),
                format!("{package}@{}", pm.version.as_deref().unwrap_or("latest")),
            ]);
        }
    }
    (setup, label)
}

/// The frozen install of every dependency.
fn install_command(tool: Tool, locked: bool) -> String {
    match (tool, locked) {
        (Tool::Npm, true) => "npm ci".into(),
        (Tool::Npm, false) => "npm install".into(),
        (Tool::Pnpm, _) => format!(
            "pnpm install --frozen-lockfile --store-dir {}",
            super::data::node().package_managers.pnpm.store
        ),
        (Tool::YarnClassic, _) => "yarn install --frozen-lockfile".into(),
        (Tool::YarnBerry, _) => "yarn install --immutable".into(),
        (Tool::Bun, _) => "bun install --frozen-lockfile".into(),
    }
}

/// Only production dependencies, for the app; `None` when the output bundles them.
fn production_install(facts: &NodeFacts, app: &NodeApp) -> Option<Vec<String>> {
    match &app.kind.value {
        AppKind::Static { .. } | AppKind::Next { standalone: true } => return None,
        AppKind::Entry { output, .. } if output == ".output" => return None,
        _ => {}
    }
    let pm = &facts.package_manager.value;
    let workspace = facts.workspace.is_some();
    let locked = pm.lockfile.is_some();
    let name = app.name.value.clone();
    let (base, scope): (&str, Vec<String>) = match (pm.tool, workspace) {
        (Tool::Npm, false) if locked => ("npm ci --omit=dev", vec![]),
        (Tool::Npm, false) => ("npm install --omit=dev", vec![]),
        (Tool::Npm, true) => (
            "npm ci --omit=dev",
            vec![format!("--workspace={}", app.dir)],
        ),
        (Tool::Pnpm, false) => ("pnpm install --frozen-lockfile --prod", vec![]),
        (Tool::Pnpm, true) => (
            "pnpm install --frozen-lockfile --prod --filter",
            vec![format!("{name}...")],
        ),
        (Tool::YarnClassic, _) => ("yarn install --frozen-lockfile --production", vec![]),
        (Tool::YarnBerry, false) => ("yarn workspaces focus --all --production", vec![]),
        (Tool::YarnBerry, true) => ("yarn workspaces focus --production", vec![name]),
        (Tool::Bun, _) => ("bun install --frozen-lockfile --production", vec![]),
    };
    let mut command = words(base);
    command.extend(scope);
    if pm.tool == Tool::Pnpm {
        command.extend([
            "--store-dir".to_string(),
            super::data::node().package_managers.pnpm.store.clone(),
        ]);
    }
    Some(command)
}

/// The build, scoped to the app (and the workspace packages it needs) in a monorepo.
fn build_command(facts: &NodeFacts, app: &NodeApp) -> Vec<String> {
    let tool = facts.package_manager.value.tool;
    if facts.workspace.is_none() {
        return vec![tool.command().into(), "run".into(), "build".into()];
    }
    let name = app.name.value.clone();
    let mut command = words(match tool {
        Tool::Npm => "npm run build --if-present",
        Tool::Pnpm => "pnpm --filter",
        Tool::YarnBerry => "yarn workspaces foreach --recursive --topological --from",
        Tool::YarnClassic => "yarn workspace",
        Tool::Bun => "bun run --filter",
    });
    match tool {
        Tool::Npm => {
            let order = app
                .local_dependencies
                .iter()
                .chain(std::iter::once(&app.dir));
            command.extend(order.map(|d| format!("--workspace={d}")));
        }
        Tool::Pnpm => command.extend([format!("{name}..."), "run".into(), "build".into()]),
        Tool::YarnBerry | Tool::YarnClassic => command.extend([name, "run".into(), "build".into()]),
        Tool::Bun => command.extend([name, "build".into()]),
    }
    command
}

/// The command that runs a package binary without installing it globally.
fn exec_bin(tool: Tool) -> &'static str {
    match tool {
        Tool::Npm => "npx",
        Tool::Pnpm => "pnpm exec",
        Tool::YarnClassic | Tool::YarnBerry => "yarn",
        Tool::Bun => "bunx",
    }
}

/// Outputs the image build makes again, which the context should not carry.
fn rebuilt_outputs(app: &NodeApp) -> Option<Vec<String>> {
    app.build.as_ref()?;
    Some(match &app.kind.value {
        AppKind::Server { outputs, .. } => outputs.clone(),
        AppKind::Entry { output, .. } | AppKind::Static { output } => vec![output.clone()],
        AppKind::Next { .. } => vec![".next".into()],
    })
}

/// The runtime of a Node program: production dependencies, the app's files, the
/// node user, and node as the process (under tini when the app ignores SIGTERM).
#[allow(clippy::too_many_arguments)]
fn node_runtime(
    facts: &NodeFacts,
    app: &NodeApp,
    choice: &runtime::RuntimeChoice,
    libc: Libc,
    init_from: Option<&str>,
    prod_deps: bool,
    project: &ProjectFacts,
    settings: &Settings,
) -> Result<(RuntimeStage, Vec<Warning>), PlanError> {
    let image = &choice.image;
    let major = facts.node.value;
    let user_spec = &data::images().user;
    let uid = image.uid.unwrap_or(user_spec.uid);
    let gid = image.gid.unwrap_or(user_spec.gid);
    let owner = Some(format!("{uid}:{gid}"));
    let dir = &app.dir;
    let at = |path: &str| join(APP_ROOT, &join(dir, path));
    let mut artifacts = Vec::new();
    if prod_deps && facts.workspace.is_none() {
        artifacts.push(Artifact {
            from: PROD_DEPS.into(),
            source: format!("{APP_ROOT}/"),
            target: "/app/".into(),
            chown: owner.clone(),
        });
    } else if prod_deps {
        // The install needed every member's manifest; the image needs the shared
        // node_modules and the folders of the app and the packages it uses.
        let folders = std::iter::once(&String::from("node_modules"))
            .chain(std::iter::once(dir))
            .chain(&app.local_dependencies)
            .map(|d| format!("{}/", join(APP_ROOT, d)))
            .collect::<Vec<_>>();
        for folder in folders {
            artifacts.push(Artifact {
                from: PROD_DEPS.into(),
                source: folder.clone(),
                target: folder,
                chown: owner.clone(),
            });
        }
    }
    let mut command: Vec<String>;
    let mut env = vec![EnvVar {
        name: "NODE_ENV".into(),
        value: "production".into(),
        reason: "production mode for Node libraries and frameworks".into(),
    }];
    match &app.kind.value {
        AppKind::Server { start, outputs } => {
            command = start.clone();
            if app.build.is_none() {
                for source in std::iter::once(dir).chain(&app.local_dependencies) {
                    let path = if source.is_empty() {
                        ".".to_string()
                    } else {
                        source.clone()
                    };
                    artifacts.push(Artifact {
                        from: String::new(),
                        source: path,
                        target: format!("{}/", join(APP_ROOT, source)),
                        chown: owner.clone(),
                    });
                }
            } else if outputs.is_empty() {
                for source in std::iter::once(dir).chain(&app.local_dependencies) {
                    artifacts.push(tree(source, owner.clone()));
                }
            } else {
                for folder in outputs.iter().chain(&app.runtime_dirs) {
                    artifacts.push(Artifact {
                        from: BUILD_STAGE.into(),
                        source: at(folder),
                        target: format!("{}/", at(folder)),
                        chown: owner.clone(),
                    });
                }
                for source in &app.local_dependencies {
                    artifacts.push(tree(source, owner.clone()));
                }
            }
        }
        AppKind::Next { standalone: true } => {
            artifacts.push(Artifact {
                from: BUILD_STAGE.into(),
                source: format!("{}/", at(".next/standalone")),
                target: "/app/".into(),
                chown: owner.clone(),
            });
            artifacts.push(Artifact {
                from: BUILD_STAGE.into(),
                source: at(".next/static"),
                target: format!("{}/", at(".next/static")),
                chown: owner.clone(),
            });
            if app.runtime_dirs.iter().any(|d| d == "public") {
                artifacts.push(Artifact {
                    from: BUILD_STAGE.into(),
                    source: at("public"),
                    target: format!("{}/", at("public")),
                    chown: owner.clone(),
                });
            }
            command = vec!["server.js".into()];
            env.push(EnvVar {
                name: "HOSTNAME".into(),
                value: "0.0.0.0".into(),
                reason: "Next.js standalone listens on $HOSTNAME, which Docker sets to the container's name".into(),
            });
        }
        AppKind::Next { standalone: false } => {
            for folder in [".next"]
                .iter()
                .map(|s| s.to_string())
                .chain(app.runtime_dirs.iter().cloned())
            {
                artifacts.push(Artifact {
                    from: BUILD_STAGE.into(),
                    source: at(&folder),
                    target: format!("{}/", at(&folder)),
                    chown: owner.clone(),
                });
            }
            command = vec!["node_modules/next/dist/bin/next".into(), "start".into()];
        }
        AppKind::Entry { start, output } => {
            for folder in std::iter::once(output).chain(&app.runtime_dirs) {
                artifacts.push(Artifact {
                    from: BUILD_STAGE.into(),
                    source: at(folder),
                    target: format!("{}/", at(folder)),
                    chown: owner.clone(),
                });
            }
            command = start.clone();
        }
        AppKind::Static { .. } => unreachable!("static sites have their own runtime"),
    }
    if app.prisma.is_some() {
        artifacts.push(Artifact {
            from: BUILD_STAGE.into(),
            source: "/app/node_modules/.prisma".into(),
            target: "/app/node_modules/.prisma/".into(),
            chown: owner.clone(),
        });
    }
    let node_binary = if image.flavor == Flavor::Distroless {
        "/nodejs/bin/node"
    } else {
        "node"
    };
    let mut entrypoint = Vec::new();
    if let Some(stage) = init_from {
        artifacts.push(Artifact {
            from: stage.into(),
            source: if libc == Libc::Musl {
                "/sbin/tini".into()
            } else {
                "/usr/bin/tini-static".into()
            },
            target: "/usr/bin/tini".into(),
            chown: None,
        });
        entrypoint.extend(["/usr/bin/tini".to_string(), "--".to_string()]);
    }
    entrypoint.push(node_binary.into());
    for arg in &command {
        check_text(&app.kind.evidence.location(), "start command", arg)?;
    }
    let name = &app.name.value;
    let program = program::Program {
        name,
        port: app.port.as_ref(),
        other_ports: &app.other_ports,
        port_env: app.port_env.as_ref(),
    };
    let (mut stage, warnings) = program::runtime_stage(&program, choice, libc, project, settings)?;
    stage.image.value = stage.image.value.replace("{node}", &major.to_string());
    stage.user = RuntimeUser {
        name: image
            .user_name
            .clone()
            .unwrap_or_else(|| user_spec.name.clone()),
        uid,
        gid,
        setup: image.user,
    };
    stage.workdir = Some(join(APP_ROOT, dir));
    stage.artifacts = artifacts;
    stage.entrypoint = entrypoint;
    stage.command = std::mem::take(&mut command);
    env.append(&mut stage.env);
    stage.env = env;
    if let AppKind::Next { .. } = app.kind.value
        && stage.env.iter().all(|e| e.name != "PORT")
        && let Some(port) = &stage.expose
    {
        stage.env.push(EnvVar {
            name: "PORT".into(),
            value: port.value.to_string(),
            reason: "Next.js listens on $PORT".into(),
        });
    }
    Ok((stage, warnings))
}

/// A workspace package's whole folder from the build stage (its node_modules removed).
fn tree(source: &str, chown: Option<String>) -> Artifact {
    let path = join(APP_ROOT, source);
    Artifact {
        from: BUILD_STAGE.into(),
        source: format!("{path}/"),
        target: format!("{path}/"),
        chown,
    }
}

/// A static site: its build output in an unprivileged nginx.
fn static_runtime(
    app: &NodeApp,
    output: &str,
    flavor: Flavor,
    project: &ProjectFacts,
    settings: &Settings,
) -> Result<(RuntimeStage, Vec<Warning>), PlanError> {
    let site = &super::data::node().static_site;
    let image = match (&settings.image_runtime, flavor) {
        (Some(set), _) => Choice {
            value: set.value.clone(),
            reason: format!("set by {}", set.source),
        },
        (None, Flavor::Alpine) => Choice {
            value: site.musl_image.clone(),
            reason: "nginx, unprivileged (uid 101, port 8080), on Alpine".into(),
        },
        (None, _) => Choice {
            value: site.image.clone(),
            reason: "nginx, unprivileged: runs as uid 101 on port 8080, holds only the site; no Node at run time".into(),
        },
    };
    let mut labels = vec![crate::plan::Label {
        key: "org.opencontainers.image.title".into(),
        value: app.name.value.clone(),
    }];
    if let Some(url) = &project.source_url {
        labels.push(crate::plan::Label {
            key: "org.opencontainers.image.source".into(),
            value: url.value.clone(),
        });
    }
    let stage = RuntimeStage {
        image,
        libc: if flavor == Flavor::Alpine {
            Libc::Musl
        } else {
            Libc::Glibc
        },
        user: RuntimeUser {
            name: "nginx".into(),
            uid: site.uid,
            gid: 0,
            setup: UserSetup::Builtin,
        },
        certificates: data::Provision::Image,
        timezones: data::Provision::Image,
        installer: None,
        packages: Vec::new(),
        workdir: None,
        artifacts: vec![
            Artifact {
                from: BUILD_STAGE.into(),
                source: format!("{}/", join(APP_ROOT, &join(&app.dir, output))),
                target: format!("{}/", site.root),
                chown: None,
            },
            Artifact {
                from: BUILD_STAGE.into(),
                source: "/tmp/site.conf".into(),
                target: site.config.clone(),
                chown: None,
            },
        ],
        expose: Some(Choice {
            value: site.port,
            reason: format!("{} listens on {}", site.image, site.port),
        }),
        env: Vec::new(),
        entrypoint: Vec::new(),
        command: vec!["nginx".into(), "-g".into(), "daemon off;".into()],
        healthcheck: Vec::new(),
        labels,
        notes: Vec::new(),
    };
    Ok((stage, Vec::new()))
}
