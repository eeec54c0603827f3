//! The Rust wing's tables in `detectors/rust.toml`, embedded at compile time
//! (data, not input: a table that fails to parse is a bug caught by the tests).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::data::*;

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
    pub sqlx: SqlxData,
    pub port: PortData,
    pub linker_tools: Vec<LinkerTool>,
}

/// A linker (or linker driver) a project's cargo configuration may name, and the
/// packages that give the builder it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkerTool {
    pub name: String,
    /// Matches one `linker` or `rustflags` value that needs the tool.
    pub pattern: String,
    pub apt: Vec<String>,
    pub apk: Vec<String>,
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
    /// The build stage's folder.
    pub workdir: String,
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
pub struct SqlxData {
    /// The crate that checks queries at compile time.
    pub macros: String,
    /// The query cache, in the package's folder or the workspace root.
    pub offline_data: Vec<String>,
    /// The build setting that makes it read the cache.
    pub env: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RustFramework {
    pub name: String,
    pub dependency: String,
    /// The port it listens on when the program names none.
    #[serde(default)]
    pub default_port: Option<u16>,
    /// Environment the runtime image sets (name, value; `{port}` is the exposed port).
    #[serde(default)]
    pub env: Vec<(String, String)>,
}

static RUST: LazyLock<RustData> = LazyLock::new(|| {
    toml::from_str(include_str!("../../../detectors/rust.toml"))
        .expect("detectors/rust.toml is valid (tested)")
});

/// The Rust detector's tables.
pub fn rust() -> &'static RustData {
    &RUST
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::images;

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
}
