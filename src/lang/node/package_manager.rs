//! Which package manager installs the project, and which version: the
//! `packageManager` field first, then the lockfile (whose format implies the major),
//! then npm without a lockfile (with a warning).

use serde::Serialize;

use super::manifest::PackageJson;
use crate::detect::{DetectError, Evidence, Fact, Warning};
use crate::scan::ProjectView;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tool {
    Npm,
    YarnClassic,
    YarnBerry,
    Pnpm,
    Bun,
}

impl Tool {
    pub fn command(self) -> &'static str {
        match self {
            Tool::Npm => "npm",
            Tool::YarnClassic | Tool::YarnBerry => "yarn",
            Tool::Pnpm => "pnpm",
            Tool::Bun => "bun",
        }
    }
}

/// Yarn 2+ settings from .yarnrc.yml.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct YarnSettings {
    /// `nodeLinker`: `pnp` (the default), `node-modules` or `pnpm`.
    pub node_linker: String,
    /// `yarnPath`: a committed Yarn release, run instead of corepack's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub yarn_path: Option<String>,
    /// `plugin-workspace-tools` is listed in `plugins:` (built into Yarn 4; Yarn 2
    /// and 3 have no `workspaces focus` without it).
    pub workspace_tools: bool,
}

impl PackageManager {
    /// Yarn 2+ can install production dependencies alone: `workspaces focus` is
    /// built into Yarn 4, a plugin before.
    pub fn yarn_can_focus(&self) -> bool {
        self.major().unwrap_or(4) >= 4 || self.yarn.as_ref().is_some_and(|y| y.workspace_tools)
    }

    /// The major of the version to install (`9` of `9.15.9`).
    pub fn major(&self) -> Option<u64> {
        self.version.as_deref()?.split('.').next()?.parse().ok()
    }

    /// Yarn 2+ with Plug'n'Play, its default linker.
    pub fn plug_and_play(&self) -> bool {
        self.yarn.as_ref().is_some_and(|y| y.node_linker == "pnp")
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PackageManager {
    pub tool: Tool,
    /// The version to install (`None`: the one the image ships, npm only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The `packageManager` field pins it (corepack reads it itself).
    pub pinned_by_field: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lockfile: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub yarn: Option<YarnSettings>,
}

/// Lockfiles, in the order they decide the package manager.
pub(crate) const LOCKFILES: &[(&str, Tool)] = &[
    ("package-lock.json", Tool::Npm),
    ("npm-shrinkwrap.json", Tool::Npm),
    ("pnpm-lock.yaml", Tool::Pnpm),
    ("yarn.lock", Tool::YarnClassic),
    ("bun.lock", Tool::Bun),
    ("bun.lockb", Tool::Bun),
];

/// The package manager: the `packageManager` field when set, else the first
/// lockfile's tool at the version its format implies, else npm (warned).
pub fn detect(
    view: &ProjectView,
    root: &PackageJson,
    warnings: &mut Vec<Warning>,
) -> Result<Fact<PackageManager>, DetectError> {
    let present: Vec<(&str, Tool)> = LOCKFILES
        .iter()
        .copied()
        .filter(|(f, _)| view.has_file(f))
        .collect();
    if let Some(field) = &root.package_manager {
        return from_field(view, field, &present);
    }
    if present.len() > 1 {
        let names: Vec<&str> = present.iter().map(|(f, _)| *f).collect();
        warnings.push(Warning {
            message: format!(
                "several lockfiles ({}): {} wins; delete the others",
                names.join(", "),
                names[0]
            ),
            evidence: Evidence::file(names[0], "lockfile"),
        });
    }
    let Some(&(lockfile, tool)) = present.first() else {
        warnings.push(Warning {
            message: "no lockfile: `npm install` resolves dependencies anew at every build (commit package-lock.json)".into(),
            evidence: Evidence::file(&root.file, "no lockfile beside it"),
        });
        let manager = PackageManager {
            tool: Tool::Npm,
            version: None,
            pinned_by_field: false,
            lockfile: None,
            yarn: None,
        };
        return Ok(Fact::new(
            manager,
            Evidence::default_because("no lockfile: npm"),
        ));
    };
    from_lockfile(view, lockfile, tool)
}

/// The tool and version `packageManager` names (corepack's `name@version`),
/// with the lockfile of its family when there is one.
fn from_field(
    view: &ProjectView,
    field: &Fact<String>,
    present: &[(&str, Tool)],
) -> Result<Fact<PackageManager>, DetectError> {
    let (name, version) = field.value.split_once('@').unwrap_or((&field.value, ""));
    let version = version.split('+').next().unwrap_or_default().to_string();
    let major: u64 = version
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    let tool = match name {
        "npm" => Tool::Npm,
        "pnpm" => Tool::Pnpm,
        "yarn" if major >= 2 => Tool::YarnBerry,
        "yarn" => Tool::YarnClassic,
        "bun" => Tool::Bun,
        other => {
            return Err(DetectError::Invalid {
                file: field.evidence.location(),
                message: format!(
                    "packageManager names `{}`, which corepack does not know",
                    other.escape_debug()
                ),
                hint: "use npm@x, pnpm@x, yarn@x or bun@x".into(),
            });
        }
    };
    let lockfile = present
        .iter()
        .find(|(_, t)| same_family(*t, tool))
        .map(|(f, _)| f.to_string());
    let manager = PackageManager {
        tool,
        version: (!version.is_empty()).then_some(version),
        // Corepack reads the field from package.json only: a package.yaml's pin is
        // prepared explicitly.
        pinned_by_field: field.evidence.file.as_deref() == Some("package.json"),
        lockfile,
        yarn: yarn_settings(view, tool)?,
    };
    Ok(Fact::new(manager, field.evidence.clone()))
}

/// The lockfile's tool, at the version its format was written by (data);
/// a yarn.lock with `__metadata` is Yarn 2+.
fn from_lockfile(
    view: &ProjectView,
    lockfile: &str,
    tool: Tool,
) -> Result<Fact<PackageManager>, DetectError> {
    let data = &super::data::node().package_managers;
    let text = view.read_lockfile(lockfile)?.unwrap_or_default();
    let (tool, version, detail) = match tool {
        Tool::Pnpm => {
            let format = lock_version(&text, "lockfileVersion:").unwrap_or_default();
            let version = data
                .pnpm
                .by_lockfile
                .get(&format)
                .unwrap_or(&data.pnpm.default)
                .clone();
            (
                Tool::Pnpm,
                Some(version),
                format!("lockfileVersion {format}"),
            )
        }
        Tool::YarnClassic if text.contains("__metadata:") => {
            let format = lock_version(&text, "version:").unwrap_or_default();
            let version = data
                .yarn
                .by_lockfile
                .get(&format)
                .unwrap_or(&data.yarn.default)
                .clone();
            (
                Tool::YarnBerry,
                Some(version),
                format!("__metadata version {format}: Yarn 2+"),
            )
        }
        Tool::YarnClassic => (
            Tool::YarnClassic,
            Some(data.yarn.classic.clone()),
            "Yarn 1 lockfile".into(),
        ),
        other => (other, None, "lockfile".into()),
    };
    let manager = PackageManager {
        tool,
        version,
        pinned_by_field: false,
        lockfile: Some(lockfile.to_string()),
        yarn: yarn_settings(view, tool)?,
    };
    Ok(Fact::new(manager, Evidence::file(lockfile, detail)))
}

fn same_family(lock: Tool, tool: Tool) -> bool {
    lock == tool || (lock == Tool::YarnClassic && tool == Tool::YarnBerry)
}

/// The value after `key` on the first line that starts with it ("'9.0'" → "9.0").
fn lock_version(text: &str, key: &str) -> Option<String> {
    text.lines()
        .map(str::trim)
        .find_map(|l| l.strip_prefix(key))
        .map(|v| v.trim().trim_matches(|c| c == '\'' || c == '"').to_string())
}

fn yarn_settings(view: &ProjectView, tool: Tool) -> Result<Option<YarnSettings>, DetectError> {
    if tool != Tool::YarnBerry {
        return Ok(None);
    }
    let text = view.read_manifest(".yarnrc.yml")?.unwrap_or_default();
    let value = |key: &str| {
        text.lines().find_map(|l| {
            l.trim()
                .strip_prefix(key)?
                .trim()
                .strip_prefix(':')
                .map(|v| v.trim().trim_matches(|c| c == '"' || c == '\'').to_string())
        })
    };
    Ok(Some(YarnSettings {
        node_linker: value("nodeLinker").unwrap_or_else(|| "pnp".into()),
        yarn_path: value("yarnPath"),
        workspace_tools: text.contains("plugin-workspace-tools"),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_versions() {
        assert_eq!(
            lock_version("lockfileVersion: '9.0'\n", "lockfileVersion:").as_deref(),
            Some("9.0")
        );
        assert_eq!(
            lock_version("__metadata:\n  version: 8\n  cacheKey: 10\n", "version:").as_deref(),
            Some("8")
        );
    }
}
