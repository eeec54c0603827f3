//! The Go wing's tables in `detectors/go.toml`, embedded at compile time
//! (data, not input: a table that fails to parse is a bug caught by the tests).

use std::sync::LazyLock;

use serde::Deserialize;

use crate::data::*;

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
    /// The build stage's folder.
    pub workdir: String,
    /// Where a workspace of some members only is written (GOWORK).
    pub workspace_file: String,
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

static GO: LazyLock<GoData> = LazyLock::new(|| {
    toml::from_str(include_str!("../../../detectors/go.toml"))
        .expect("detectors/go.toml is valid (tested)")
});

/// The Go detector's tables.
pub fn go() -> &'static GoData {
    &GO
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_tables_parse_and_hold_together() {
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
}
