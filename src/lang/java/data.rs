//! The Java wing's tables in `detectors/java.toml`, embedded at compile time (data, not
//! input: a table that fails to parse is a bug caught by the tests).

use std::sync::LazyLock;

use serde::Deserialize;

use crate::data::{FlavorPolicy, PortData};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JavaData {
    pub builder: JavaBuilder,
    pub versions: JavaVersions,
    pub flavors: FlavorPolicy,
    pub maven: ToolData,
    pub gradle: ToolData,
    pub jvm: JvmData,
    pub probe: ProbeData,
    pub jlink: JlinkData,
    pub framework: Vec<JavaFramework>,
    pub spring_boot: SpringBootData,
    pub port: PortData,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JavaBuilder {
    pub maven: String,
    pub jdk: String,
    pub gradle: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JavaVersions {
    pub lts: Vec<u32>,
    pub default: u32,
    pub distroless: Vec<u32>,
}

/// A build tool's cache, commands and wrapper files.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToolData {
    pub cache: String,
    pub resolve: Vec<String>,
    pub options: Vec<String>,
    #[serde(default)]
    pub package: Vec<String>,
    pub wrapper: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JvmData {
    pub tool_options: String,
}

/// The HEALTHCHECK probe: a class compiled in the build stage.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProbeData {
    pub class: String,
    pub dir: String,
    pub source: String,
    pub jvm_options: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JlinkData {
    pub extra_modules: Vec<String>,
    pub since: u32,
    pub output: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JavaFramework {
    pub name: String,
    /// "spring-boot", "quarkus" or "micronaut".
    pub kind: String,
    pub maven_plugin: String,
    pub maven_parent: Option<String>,
    pub gradle_plugin: String,
    pub port_keys: Vec<String>,
    pub default_port: u16,
    pub web: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpringBootData {
    pub tools_since: String,
    pub layers: Vec<String>,
    pub launcher: String,
    pub launcher_since_3_2: String,
}

static JAVA: LazyLock<JavaData> = LazyLock::new(|| {
    toml::from_str(include_str!("../../../detectors/java.toml"))
        .expect("detectors/java.toml is valid (tested)")
});

/// The Java detector's tables.
pub fn java() -> &'static JavaData {
    &JAVA
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{Flavor, images};

    #[test]
    fn java_tables_parse_and_hold_together() {
        let java = java();
        for flavor in Flavor::ALL {
            let listed = java.flavors.automatic.contains(&flavor)
                || java.flavors.on_request.contains_key(&flavor)
                || java.flavors.unsupported.contains_key(&flavor);
            assert!(listed, "java: {flavor} is not listed");
            if !java.flavors.unsupported.contains_key(&flavor) {
                assert!(
                    images()
                        .runtime
                        .iter()
                        .any(|r| r.flavor == flavor && r.language.as_deref() == Some("java")),
                    "no java image for {flavor}"
                );
            }
        }
        for template in [&java.builder.maven, &java.builder.jdk, &java.builder.gradle] {
            assert!(template.contains("{java}"), "{template}");
        }
        assert!(java.versions.lts.contains(&java.versions.default));
        assert!(java.versions.lts.windows(2).all(|w| w[0] < w[1]));
        for framework in &java.framework {
            assert!(
                ["spring-boot", "quarkus", "micronaut"].contains(&framework.kind.as_str()),
                "{}",
                framework.name
            );
        }
        crate::detect::ports::PortRules::new(&java.port);
    }
}
