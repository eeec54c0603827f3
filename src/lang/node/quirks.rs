//! What the install and build stages change for a project's quirks: its own
//! lifecycle scripts skipped (dependencies' install scripts run by name), node_modules
//! pruned from copied trees, dev-only test tools' browser downloads off, Yarn's
//! Plug'n'Play and focus workarounds. Each says why, in `plan` or the Dockerfile.

use crate::detect::Warning;
use crate::lang::node::NodeFacts;
use crate::lang::node::package_manager::Tool;
use crate::plan::EnvVar;

use super::install::words;

/// When the project has scripts npm runs at install (a `prepare` that calls husky, a
/// `postinstall` that builds assets from sources), the installs skip scripts: an
/// install layer has neither the sources nor, for production, the dev tools (exit 127).
/// Dependencies' own install scripts run after, by name (`rebuild`).
pub(super) fn skip_own_scripts(
    facts: &NodeFacts,
    install: &mut Vec<String>,
    prod: Option<&mut Vec<String>>,
    warnings: &mut Vec<Warning>,
) -> bool {
    let tool = facts.package_manager.value.tool;
    let Some(first) = facts.lifecycle.first() else {
        return false;
    };
    if !matches!(tool, Tool::Npm | Tool::Pnpm | Tool::YarnClassic) {
        return false;
    }
    install.push("--ignore-scripts".into());
    if let Some(prod) = prod {
        prod.push("--ignore-scripts".into());
    }
    let names: Vec<&str> = facts.lifecycle.iter().map(|s| s.value.as_str()).collect();
    warnings.push(Warning {
        message: format!(
            "package.json runs {} at install: the installs skip the project's own scripts (an install layer has no sources, and no dev tools in production); dependencies' install scripts still run{}",
            names.join(", "),
            if names.contains(&"postinstall") {
                ", and postinstall runs in the build stage with the sources"
            } else {
                ""
            }
        ),
        evidence: first.evidence.clone(),
    });
    true
}

/// The dependencies whose install runs scripts, rebuilt by name after an install that
/// skipped scripts; `None` when there are none.
pub(super) fn rebuild(facts: &NodeFacts) -> Option<Vec<String>> {
    // npm's lockfile marks them; for pnpm and yarn, the native modules docksmith knows.
    let mut names: Vec<String> = facts.install_scripted.clone();
    names.extend(facts.native.iter().map(|n| n.name.clone()));
    names.sort();
    names.dedup();
    if names.is_empty() {
        return None;
    }
    let tool = match facts.package_manager.value.tool {
        Tool::Pnpm => "pnpm",
        _ => "npm",
    };
    let mut argv = vec![tool.to_string(), "rebuild".to_string()];
    argv.extend(names);
    Some(argv)
}

/// Deletes the build tree's node_modules folders: the runtime copies folders of the
/// build tree, and dev dependencies would ride along. Committed node_modules folders
/// are source: skipped, not deleted.
pub(super) fn prune_node_modules(facts: &NodeFacts) -> Vec<String> {
    let mut find = vec!["find".to_string(), ".".to_string()];
    for dir in &facts.committed_modules {
        find.extend([
            "-path".into(),
            format!("./{dir}"),
            "-prune".into(),
            "-o".into(),
        ]);
    }
    find.extend(words("-name node_modules -type d -prune -exec rm -rf {} +"));
    find
}

/// Deletes what node-gyp leaves beside a compiled addon in `build/Release`: object files
/// (`obj.target`), generated sources (`obj`), static libraries (`*.a`) and dependency
/// lists (`.deps`). better-sqlite3 leaves 12.7 MB there beside its 2.2 MB
/// `better_sqlite3.node`; only `.node` files are loaded (by `bindings` or
/// `node-gyp-build`), and `build/Release` is node-gyp's own folder.
pub(super) fn prune_native_builds() -> Vec<String> {
    words(
        "find . -path */node_modules/*/build/Release/* ( -name obj.target -o -name obj -o -name .deps -o -name *.a ) -prune -exec rm -rf {} +",
    )
}

/// The variables that stop dev-only test tools from downloading browsers, once each.
pub(super) fn install_env(facts: &NodeFacts) -> Vec<EnvVar> {
    let downloads = facts.dev_only_browsers.iter().filter_map(|tool| {
        let download = super::data::node()
            .browser_downloads
            .iter()
            .find(|d| d.package == tool.value)?;
        let reason = format!(
            "{} is only a dev dependency ({}): no browser download",
            tool.value, tool.evidence
        );
        Some((download, reason))
    });
    skip_browser_downloads(downloads)
}

/// The variables that skip the given browser downloads, each variable once (two
/// packages may share one), in name order.
pub(crate) fn skip_browser_downloads<'d>(
    downloads: impl Iterator<Item = (&'d super::data::BrowserDownload, String)>,
) -> Vec<EnvVar> {
    let mut env: Vec<EnvVar> = Vec::new();
    for (download, reason) in downloads {
        if !env.iter().any(|e| e.name == download.variable) {
            env.push(EnvVar {
                name: download.variable.clone(),
                value: download.value.clone(),
                reason,
            });
        }
    }
    env.sort_by(|a, b| a.name.cmp(&b.name));
    env
}

/// Yarn 2+ quirks the installs work around, each with a warning: Plug'n'Play keeps
/// packages in Yarn's cache, which the build keeps in a cache mount that never
/// reaches an image, so the installs link node_modules instead; Yarn 2 and 3 cannot
/// install production dependencies alone without the workspace-tools plugin.
pub(super) fn yarn_workarounds(facts: &NodeFacts, warnings: &mut Vec<Warning>) -> Vec<EnvVar> {
    let pm = &facts.package_manager.value;
    let evidence = crate::detect::Evidence::file(".yarnrc.yml", "Yarn 2+ settings");
    if pm.yarn.is_some() && !pm.yarn_can_focus() {
        warnings.push(Warning {
            message: format!(
                "{} has no `workspaces focus` without plugin-workspace-tools: the production stage installs dev dependencies too (`yarn plugin import workspace-tools` keeps them out)",
                pm.version.as_deref().map_or("this Yarn".into(), |v| format!("Yarn {v}"))
            ),
            evidence: evidence.clone(),
        });
    }
    if !pm.plug_and_play() {
        return Vec::new();
    }
    let reason = "Yarn Plug'n'Play (nodeLinker: pnp, the default) keeps packages in Yarn's cache, a cache mount that never reaches the image: the installs link node_modules instead";
    warnings.push(Warning {
        message: reason.into(),
        evidence,
    });
    vec![EnvVar {
        name: "YARN_NODE_LINKER".into(),
        value: "node-modules".into(),
        reason: reason.into(),
    }]
}
