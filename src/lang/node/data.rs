//! The Node wing's tables in `detectors/node.toml`, embedded at compile time
//! (data, not input: a table that fails to parse is a bug caught by the tests).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::data::*;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeData {
    pub builder: NodeBuilder,
    pub versions: NodeVersions,
    pub flavors: FlavorPolicy,
    pub package_managers: NodePackageManagers,
    pub native: Vec<NodeNative>,
    pub framework: Vec<NodeFramework>,
    pub app: NodeAppData,
    pub static_site: StaticSite,
    pub browser_downloads: Vec<BrowserDownload>,
    pub prisma: NodePrisma,
    pub port: PortData,
}

/// What an assets-only install sets (browser downloads off).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrowserDownload {
    /// The npm package whose install script downloads a browser.
    pub package: String,
    /// The variable that skips the download, and its value.
    pub variable: String,
    pub value: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeBuilder {
    pub slim: String,
    pub full: String,
    pub musl: String,
    pub musl_native_packages: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeVersions {
    pub lts: Vec<u64>,
    pub codenames: BTreeMap<String, u64>,
    pub corepack_until: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodePackageManagers {
    pub pnpm: LockedTool,
    pub yarn: YarnVersions,
    pub npm: CachedTool,
    pub bun: BunTool,
    /// The oldest Node major each tool's major runs on, by tool (`pnpm`, `yarn`).
    pub node_min: BTreeMap<String, BTreeMap<String, u64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockedTool {
    pub by_lockfile: BTreeMap<String, String>,
    pub default: String,
    pub store: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YarnVersions {
    pub by_lockfile: BTreeMap<String, String>,
    pub classic: String,
    pub default: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BunTool {
    pub cache: String,
    /// The install stages' image on glibc and on musl (`{bun}`: the Bun major).
    pub image: String,
    pub musl_image: String,
    /// What Bun's images need to compile native modules.
    pub native_packages: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeNative {
    pub package: String,
    /// "build" (compiled at install) or "prebuilt" (a binary per platform and libc).
    pub kind: String,
    #[serde(default)]
    pub build_apt: Vec<String>,
    #[serde(default)]
    pub runtime_apt: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeFramework {
    pub name: String,
    pub dependency: String,
    /// Packages of which the project must also depend on one (an adapter, a
    /// builder): empty when the dependency alone decides.
    #[serde(default)]
    pub requires: Vec<String>,
    /// "server", "next", "entry", "static", or "refused" (with `why`).
    pub kind: String,
    /// Why a refused framework cannot be put in an image, and what to change.
    pub why: Option<String>,
    pub output: Option<String>,
    /// Config files that may move the output folder, and the pattern (group 1) that
    /// reads it there: Vite's `build.outDir`, Angular's `outputPath`.
    #[serde(default)]
    pub config_files: Vec<String>,
    pub output_pattern: Option<String>,
    /// A folder inside the configured output that holds the site (Angular's
    /// application builder writes `<outputPath>/browser`).
    pub output_suffix: Option<String>,
    /// A pattern that, found in the config file, means the output holds the site
    /// itself: no suffix (Angular's webpack `browser` builder).
    pub output_suffix_unless: Option<String>,
    /// A pattern one of `config_files` must match for the signature to apply (React
    /// Router's `ssr: false` makes a static single-page app).
    pub when_config: Option<String>,
    /// What a user must set for the framework to work in a container, said in `plan`
    /// unless one of `config_files` matches `notice_unless`.
    pub notice: Option<String>,
    pub notice_unless: Option<String>,
    pub entry: Option<String>,
    /// The framework's serve CLI, whose argument in the start script names the server
    /// build (`remix-serve ./build/server/index.js`): it replaces the entry's last word.
    pub serve_command: Option<String>,
    pub default_port: Option<u16>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeAppData {
    /// Start commands that run a development server.
    pub dev_servers: Vec<String>,
    /// Folders an app reads at run time.
    pub runtime_dirs: Vec<String>,
    /// Packages whose install script does not compile anything.
    pub prebuilt_install_scripts: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaticSite {
    pub image: String,
    pub musl_image: String,
    pub port: u16,
    pub uid: u32,
    pub root: String,
    pub config: String,
    /// Caddy, for sites that ship a Caddyfile.
    pub caddy: CaddySite,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaddySite {
    pub image: String,
    pub musl_image: String,
    /// caddy's working directory, which a Caddyfile without `root` serves.
    pub root: String,
    pub config: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodePrisma {
    pub dependency: String,
    pub libraries: Vec<String>,
}

static NODE: LazyLock<NodeData> = LazyLock::new(|| {
    toml::from_str(include_str!("../../../detectors/node.toml"))
        .expect("detectors/node.toml is valid (tested)")
});

/// The Node.js detector's tables.
pub fn node() -> &'static NodeData {
    &NODE
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::images;

    #[test]
    fn node_tables_parse_and_hold_together() {
        let node = node();
        for flavor in Flavor::ALL {
            let listed = node.flavors.automatic.contains(&flavor)
                || node.flavors.on_request.contains_key(&flavor)
                || node.flavors.unsupported.contains_key(&flavor);
            assert!(listed, "node: {flavor} is not listed");
            if !node.flavors.unsupported.contains_key(&flavor) {
                assert!(
                    images()
                        .runtime
                        .iter()
                        .any(|r| r.flavor == flavor && r.language.as_deref() == Some("node")),
                    "no node image for {flavor}"
                );
            }
        }
        for framework in &node.framework {
            assert!(
                ["server", "next", "entry", "static", "refused"].contains(&framework.kind.as_str()),
                "{}",
                framework.name
            );
            if framework.kind == "entry" || framework.kind == "static" {
                assert!(framework.output.is_some(), "{}", framework.name);
            }
            // A refusal says why; an output pattern compiles and captures the folder.
            assert_eq!(
                framework.kind == "refused",
                framework.why.is_some(),
                "{}",
                framework.name
            );
            if let Some(pattern) = &framework.output_pattern {
                let compiled = regex::Regex::new(pattern).expect("output pattern compiles");
                assert_eq!(compiled.captures_len(), 2, "{}", framework.name);
            }
            if let Some(pattern) = &framework.notice_unless {
                regex::Regex::new(pattern).expect("notice_unless compiles");
                assert!(framework.notice.is_some(), "{}", framework.name);
            }
            if let Some(pattern) = &framework.when_config {
                regex::Regex::new(pattern).expect("when_config compiles");
                assert!(!framework.config_files.is_empty(), "{}", framework.name);
            }
            if let Some(pattern) = &framework.output_suffix_unless {
                regex::Regex::new(pattern).expect("output_suffix_unless compiles");
                assert!(framework.output_suffix.is_some(), "{}", framework.name);
            }
        }
        for native in &node.native {
            assert!(
                ["build", "prebuilt"].contains(&native.kind.as_str()),
                "{}",
                native.package
            );
        }
        crate::detect::ports::PortRules::new(&node.port);
        assert!(!node.versions.lts.is_empty());
    }
}
