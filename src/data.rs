//! The declarative tables in `detectors/*.toml`, embedded at compile time.
//!
//! They are data, not input: a table that fails to parse is a bug in docksmith, caught
//! by this module's tests before any release, so loading it may panic.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;

/// A runtime flavor: what the final image is built on.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Flavor {
    Scratch,
    Distroless,
    Slim,
    Alpine,
}

impl Flavor {
    pub const ALL: [Flavor; 4] = [
        Flavor::Scratch,
        Flavor::Distroless,
        Flavor::Slim,
        Flavor::Alpine,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Flavor::Scratch => "scratch",
            Flavor::Distroless => "distroless",
            Flavor::Slim => "slim",
            Flavor::Alpine => "alpine",
        }
    }
}

impl std::fmt::Display for Flavor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Flavor {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Flavor::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| {
                format!("unknown flavor `{s}` (expected scratch, distroless, slim or alpine)")
            })
    }
}

/// A C library family: the builder and runtime must share one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Libc {
    Glibc,
    Musl,
}

impl Libc {
    /// The package manager of the distribution that builds against this C library
    /// (Debian for glibc, Alpine for musl).
    pub fn installer(self) -> Installer {
        match self {
            Libc::Glibc => Installer::Apt,
            Libc::Musl => Installer::Apk,
        }
    }
}

/// How the non-root user comes to exist in the runtime image.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum UserSetup {
    Builtin,
    PasswdFromBuilder,
    Useradd,
    Adduser,
}

/// Where CA certificates or time zone data come from in the runtime image.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Provision {
    /// The image already has them.
    Image,
    /// Copied from the builder stage.
    Builder,
    /// Installed with the image's package manager.
    Install,
}

/// A package manager a runtime image can install libraries with.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Installer {
    Apt,
    Apk,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageMatrix {
    pub user: UserSpec,
    pub flavors: BTreeMap<Flavor, FlavorSpec>,
    pub runtime: Vec<RuntimeImage>,
    pub packages: BTreeMap<Installer, BTreeMap<String, String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserSpec {
    pub name: String,
    pub uid: u32,
    pub gid: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlavorSpec {
    pub summary: String,
}

/// How a language chooses flavors: which it picks on its own (in order), which it
/// builds against musl, and why the rest are only used on request.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlavorPolicy {
    pub automatic: Vec<Flavor>,
    pub musl: Vec<Flavor>,
    pub on_request: BTreeMap<Flavor, String>,
    /// Flavors the language cannot use at all, and why.
    #[serde(default)]
    pub unsupported: BTreeMap<Flavor, String>,
}

impl FlavorPolicy {
    /// The C library a build for `flavor` targets.
    pub fn libc(&self, flavor: Flavor) -> Libc {
        if self.musl.contains(&flavor) {
            Libc::Musl
        } else {
            Libc::Glibc
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuntimeImage {
    /// The language runtime the image carries (`node`); `None` for images that run a
    /// compiled binary.
    pub language: Option<String>,
    pub flavor: Flavor,
    /// May hold `{node}`: the runtime's major version.
    pub image: String,
    /// The image's C library; `None` when it has none (static binaries only).
    pub libc: Option<Libc>,
    pub provides: Vec<String>,
    pub install: Option<Installer>,
    pub user: UserSetup,
    /// The image's own user, when it is not docksmith's (`node`, uid 1000).
    pub user_name: Option<String>,
    pub uid: Option<u32>,
    pub gid: Option<u32>,
    pub certificates: Provision,
    pub timezones: Provision,
}

impl ImageMatrix {
    /// The package that supplies `need` (a library, "certificates", "timezones").
    pub fn package_for(&self, installer: Installer, need: &str) -> Option<&str> {
        self.packages.get(&installer)?.get(need).map(String::as_str)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoData {
    pub builder: GoBuilder,
    pub flavors: FlavorPolicy,
    pub build: GoBuildData,
    pub cgo: Vec<CgoModule>,
    pub framework: Vec<GoFramework>,
    pub port: PortData,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoBuilder {
    pub glibc: String,
    pub musl: String,
    pub oldest: String,
    pub fallback: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoBuildData {
    pub ldflags: String,
    pub module_cache: String,
    pub build_cache: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CgoModule {
    pub module: String,
    pub why: String,
    pub needs: Vec<String>,
    #[serde(default)]
    pub build_apt: Vec<String>,
    #[serde(default)]
    pub build_apk: Vec<String>,
    #[serde(default)]
    pub runtime_apt: Vec<String>,
    #[serde(default)]
    pub runtime_apk: Vec<String>,
    #[serde(default)]
    pub musl_tags: Vec<String>,
}

impl CgoModule {
    pub fn build_packages(&self, installer: Installer) -> &[String] {
        match installer {
            Installer::Apt => &self.build_apt,
            Installer::Apk => &self.build_apk,
        }
    }

    pub fn runtime_packages(&self, installer: Installer) -> &[String] {
        match installer {
            Installer::Apt => &self.runtime_apt,
            Installer::Apk => &self.runtime_apk,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoFramework {
    pub name: String,
    pub module: String,
    pub default_port: Option<u16>,
    pub default_call: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortData {
    pub listen_words: String,
    pub env_read: String,
    pub addresses: Vec<String>,
    pub flag_defaults: Vec<String>,
    /// `PORT` defaults written without quotes (named group `port`).
    #[serde(default)]
    pub env_defaults: Vec<String>,
    pub any_hosts: Vec<String>,
    pub loopback_hosts: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RustData {
    pub builder: RustBuilder,
    pub editions: BTreeMap<String, String>,
    pub flavors: FlavorPolicy,
    pub build: RustBuildData,
    pub cargo_chef: CargoChefData,
    pub runtime: RustRuntimeData,
    pub native: Vec<NativeCrate>,
    pub framework: Vec<RustFramework>,
    pub port: PortData,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RustBuilder {
    pub glibc: String,
    pub glibc_full: String,
    pub glibc_full_has: Vec<String>,
    pub musl: String,
    pub musl_packages: Vec<String>,
    pub latest: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RustBuildData {
    pub registry_cache: String,
    pub git_cache: String,
    pub target_dir: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CargoChefData {
    pub version: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RustRuntimeData {
    pub glibc_libraries: Vec<String>,
}

/// A crate that links or compiles native code.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NativeCrate {
    #[serde(rename = "crate")]
    pub name: String,
    pub why: String,
    pub static_when: Vec<StaticWhen>,
    #[serde(default)]
    pub build_apt: Vec<String>,
    #[serde(default)]
    pub libraries: Vec<String>,
    #[serde(default)]
    pub runtime_apt: Vec<String>,
    /// Packages for a static musl link; `None` when that is not possible.
    pub musl_apk: Option<Vec<String>>,
    #[serde(default)]
    pub musl_env: Vec<String>,
    #[serde(default)]
    pub source_apt: Vec<String>,
    #[serde(default)]
    pub source_apk: Vec<String>,
}

/// A condition under which a native crate links nothing at run time.
#[derive(Debug, Deserialize)]
#[serde(untagged, deny_unknown_fields)]
pub enum StaticWhen {
    /// This crate is in the dependency closure (a vendored source crate).
    Lock { lock: String },
    /// A workspace member enables this feature of this dependency.
    Feature { dependency: String, feature: String },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RustFramework {
    pub name: String,
    pub dependency: String,
}

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
    pub prisma: NodePrisma,
    pub port: PortData,
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
pub struct CachedTool {
    pub cache: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BunTool {
    pub cache: String,
    pub image: String,
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
    pub requires: Option<String>,
    /// "server", "next", "entry" or "static".
    pub kind: String,
    pub output: Option<String>,
    pub entry: Option<String>,
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
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodePrisma {
    pub dependency: String,
    pub libraries: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PythonData {
    pub builder: PythonBuilder,
    pub versions: PythonVersions,
    pub flavors: FlavorPolicy,
    pub tools: PythonTools,
    pub servers: BTreeMap<String, String>,
    pub native: Vec<PythonNative>,
    pub wheels: Vec<PythonWheels>,
    pub framework: Vec<PythonFramework>,
    pub port: PortData,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PythonBuilder {
    pub slim: String,
    pub musl: String,
    pub build_apt: Vec<String>,
    pub build_apk: Vec<String>,
    pub venv: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PythonVersions {
    pub minors: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PythonTools {
    pub uv: UvTool,
    pub poetry: PinnedTool,
    pub pipenv: PinnedTool,
    pub pdm: PinnedTool,
    pub pip: CachedTool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UvTool {
    pub image: String,
    pub cache: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PinnedTool {
    pub version: String,
    pub cache: String,
    /// Bounds on the tool's own dependencies, installed with it, where a newer release
    /// of one breaks the pinned tool.
    #[serde(default)]
    pub with: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PythonNative {
    pub package: String,
    pub why: String,
    pub build_apt: Vec<String>,
    pub runtime_apt: Vec<String>,
    pub build_apk: Vec<String>,
    pub runtime_apk: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PythonWheels {
    pub package: String,
    /// minor → the first release with a manylinux x86_64 wheel for it.
    pub glibc: BTreeMap<String, String>,
    /// The first release with a musllinux wheel; `None`: there is none.
    pub musl: Option<String>,
    /// What a source build needs, beside the builder's compilers.
    pub build_apt: Vec<String>,
    pub runtime_apt: Vec<String>,
    /// Whether a source build is practical at all.
    #[serde(default = "yes")]
    pub buildable: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PythonFramework {
    pub name: String,
    pub dependency: String,
    /// "wsgi", "asgi", "django" or "streamlit".
    pub kind: String,
    /// The constructor of the application object (wsgi, asgi).
    pub object: Option<String>,
    /// The server that runs it (gunicorn, uvicorn).
    pub server: Option<String>,
    pub default_port: u16,
}

static PYTHON: LazyLock<PythonData> = LazyLock::new(|| {
    toml::from_str(include_str!("../detectors/python.toml"))
        .expect("detectors/python.toml is valid (tested)")
});

/// The Python detector's tables.
pub fn python() -> &'static PythonData {
    &PYTHON
}

static NODE: LazyLock<NodeData> = LazyLock::new(|| {
    toml::from_str(include_str!("../detectors/node.toml"))
        .expect("detectors/node.toml is valid (tested)")
});

/// The Node.js detector's tables.
pub fn node() -> &'static NodeData {
    &NODE
}

static IMAGES: LazyLock<ImageMatrix> = LazyLock::new(|| {
    toml::from_str(include_str!("../detectors/images.toml"))
        .expect("detectors/images.toml is valid (tested)")
});

static GO: LazyLock<GoData> = LazyLock::new(|| {
    toml::from_str(include_str!("../detectors/go.toml"))
        .expect("detectors/go.toml is valid (tested)")
});

static RUST: LazyLock<RustData> = LazyLock::new(|| {
    toml::from_str(include_str!("../detectors/rust.toml"))
        .expect("detectors/rust.toml is valid (tested)")
});

/// The Rust detector's tables.
pub fn rust() -> &'static RustData {
    &RUST
}

/// The base image matrix.
pub fn images() -> &'static ImageMatrix {
    &IMAGES
}

/// The Go detector's tables.
pub fn go() -> &'static GoData {
    &GO
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_parse_and_hold_together() {
        let images = images();
        for flavor in Flavor::ALL {
            assert!(
                images.flavors.contains_key(&flavor),
                "{flavor} has no summary"
            );
            assert!(
                images.runtime.iter().any(|r| r.flavor == flavor),
                "{flavor} has no runtime image"
            );
        }
        for runtime in &images.runtime {
            if let Some(installer) = runtime.install {
                for need in ["libssl", "libgcc", "libstdc++", "zlib"] {
                    assert!(images.package_for(installer, need).is_some());
                }
            }
        }
        let go = go();
        for flavor in Flavor::ALL {
            let listed = go.flavors.automatic.contains(&flavor)
                || go.flavors.on_request.contains_key(&flavor);
            assert!(listed, "go: {flavor} is neither automatic nor on request");
        }
        assert!(go.builder.glibc.contains("{version}"));
        assert!(go.builder.musl.contains("{version}"));
        crate::detect::ports::PortRules::new(&go.port);
        for framework in &go.framework {
            if let Some(call) = &framework.default_call {
                regex::Regex::new(call).unwrap();
                assert!(framework.default_port.is_some(), "{}", framework.name);
            }
        }
        for module in &go.cgo {
            assert!(!module.needs.is_empty(), "{}", module.module);
        }
    }

    #[test]
    fn rust_tables_parse_and_hold_together() {
        let rust = rust();
        for flavor in Flavor::ALL {
            let listed = rust.flavors.automatic.contains(&flavor)
                || rust.flavors.on_request.contains_key(&flavor);
            assert!(listed, "rust: {flavor} is neither automatic nor on request");
        }
        for template in [
            &rust.builder.glibc,
            &rust.builder.glibc_full,
            &rust.builder.musl,
        ] {
            assert!(template.contains("{version}"));
        }
        crate::detect::ports::PortRules::new(&rust.port);
        let known: Vec<&str> = images().packages[&Installer::Apt]
            .keys()
            .map(String::as_str)
            .collect();
        for native in &rust.native {
            assert!(!native.static_when.is_empty(), "{}", native.name);
            for library in &native.libraries {
                assert!(
                    known.contains(&library.as_str()),
                    "{}: unknown library {library}",
                    native.name
                );
            }
        }
    }

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
                ["server", "next", "entry", "static"].contains(&framework.kind.as_str()),
                "{}",
                framework.name
            );
            if framework.kind == "entry" || framework.kind == "static" {
                assert!(framework.output.is_some(), "{}", framework.name);
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

    #[test]
    fn python_tables_parse_and_hold_together() {
        let python = python();
        for flavor in Flavor::ALL {
            let listed = python.flavors.automatic.contains(&flavor)
                || python.flavors.on_request.contains_key(&flavor)
                || python.flavors.unsupported.contains_key(&flavor);
            assert!(listed, "python: {flavor} is not listed");
            if !python.flavors.unsupported.contains_key(&flavor) {
                assert!(
                    images()
                        .runtime
                        .iter()
                        .any(|r| r.flavor == flavor && r.language.as_deref() == Some("python")),
                    "no python image for {flavor}"
                );
            }
        }
        for framework in &python.framework {
            assert!(
                ["wsgi", "asgi", "django", "streamlit"].contains(&framework.kind.as_str()),
                "{}",
                framework.name
            );
            if let Some(server) = &framework.server {
                assert!(
                    python.servers.contains_key(server),
                    "{}: no pinned {server}",
                    framework.name
                );
            }
        }
        crate::detect::ports::PortRules::new(&python.port);
        assert!(python.versions.minors.iter().all(|m| m.starts_with("3.")));
    }

    #[test]
    fn flavor_round_trips() {
        for flavor in Flavor::ALL {
            assert_eq!(flavor.as_str().parse::<Flavor>(), Ok(flavor));
        }
        assert!("busybox".parse::<Flavor>().is_err());
    }
}
