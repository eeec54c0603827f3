//! The Node install and build stages: the package manager's set-up and commands, the
//! production-only install, the build command, the packages each stage adds and the
//! download cache.

use super::plan::{DEPS, PROD_DEPS};
use crate::data::Libc;
use crate::detect::Warning;
use crate::lang::node::NodeFacts;
use crate::lang::node::app::{AppKind, NodeApp};
use crate::lang::node::package_manager::Tool;

/// Splits a command we composed into words; every word comes from docksmith's code or
/// data, or is a name already checked, and is quoted on its own when rendered.
pub(super) fn words(command: &str) -> Vec<String> {
    command.split_whitespace().map(str::to_string).collect()
}

/// `corepack enable` and, when no `packageManager` field pins it, the version the
/// lockfile implies; a committed Yarn release needs neither.
pub(super) fn package_manager_setup(
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
        // Bun installs in its own image.
        Tool::Npm | Tool::Bun => {}
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
pub(crate) fn install_command(tool: Tool, locked: bool) -> String {
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
pub(super) fn production_install(facts: &NodeFacts, app: &NodeApp) -> Option<Vec<String>> {
    match &app.kind.value {
        AppKind::Static { .. }
        | AppKind::Next {
            standalone: true, ..
        } => return None,
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
        (Tool::YarnBerry, _) if !pm.yarn_can_focus() => ("yarn install --immutable", vec![]),
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
pub(super) fn build_command(facts: &NodeFacts, app: &NodeApp) -> Vec<String> {
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
pub(super) fn exec_bin(tool: Tool) -> &'static str {
    match tool {
        Tool::Npm => "npx",
        Tool::Pnpm => "pnpm exec",
        Tool::YarnClassic | Tool::YarnBerry => "yarn",
        Tool::Bun => "bunx",
    }
}

/// Outputs the image build makes again, which the context should not carry.
pub(super) fn rebuilt_outputs(app: &NodeApp) -> Option<Vec<String>> {
    app.build.as_ref()?;
    Some(match &app.kind.value {
        AppKind::Server { outputs, .. } => outputs.clone(),
        AppKind::Entry { output, .. } | AppKind::Static { output } => vec![output.clone()],
        AppKind::Next { .. } => vec![".next".into()],
    })
}

/// The packages each install stage adds (native build tools, tini), and the stage
/// tini comes from, when the app does not handle signals itself.
pub(super) fn stage_packages(
    facts: &NodeFacts,
    app: &NodeApp,
    libc: Libc,
    static_site: bool,
    prod: bool,
    compiled: &[&str],
) -> (Vec<String>, Vec<String>, Option<&'static str>) {
    let node = super::data::node();
    let mut deps_packages: Vec<String> = Vec::new();
    let bun = facts.package_manager.value.tool == Tool::Bun;
    if !compiled.is_empty() {
        match (libc, bun) {
            (Libc::Musl, _) => deps_packages.extend(node.builder.musl_native_packages.clone()),
            (Libc::Glibc, true) => {
                deps_packages.extend(node.package_managers.bun.native_packages.clone())
            }
            (Libc::Glibc, false) => {}
        }
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
    let init_from = (!static_site && app.handles_signals.is_none()).then_some(if prod {
        PROD_DEPS
    } else {
        DEPS
    });
    match init_from {
        Some(PROD_DEPS) => prod_packages.push("tini".into()),
        Some(_) => deps_packages.push("tini".into()),
        None => {}
    }

    (deps_packages, prod_packages, init_from)
}

/// The package manager's download cache, a cache mount in every install.
pub(crate) fn cache_dir(tool: Tool) -> String {
    let node = super::data::node();
    match tool {
        Tool::Npm => node.package_managers.npm.cache.clone(),
        Tool::Pnpm => node.package_managers.pnpm.store.clone(),
        Tool::YarnClassic => "/usr/local/share/.cache/yarn".into(),
        Tool::YarnBerry => "/root/.yarn/berry/cache".into(),
        Tool::Bun => node.package_managers.bun.cache.clone(),
    }
}
