//! The Python wing's tables in `detectors/python.toml`, embedded at compile time
//! (data, not input: a table that fails to parse is a bug caught by the tests).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::data::*;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PythonData {
    pub builder: PythonBuilder,
    pub versions: PythonVersions,
    pub flavors: FlavorPolicy,
    pub distroless: PythonDistroless,
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

/// How the builder's interpreter reaches the distroless runtime.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PythonDistroless {
    /// Where the builder gathers the interpreter and libraries.
    pub root: String,
    /// Sonames the runtime image has: never copied from the builder.
    pub image_libraries: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PythonVersions {
    pub minors: Vec<String>,
    /// The Debian suite of current images.
    pub suite: String,
    /// Minors whose images stop at an older suite.
    pub older_suites: std::collections::BTreeMap<String, String>,
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
    /// The framework depends on its server itself (FastHTML on uvicorn).
    #[serde(default)]
    pub brings_server: bool,
    pub default_port: u16,
}

static PYTHON: LazyLock<PythonData> = LazyLock::new(|| {
    toml::from_str(include_str!("../../../detectors/python.toml"))
        .expect("detectors/python.toml is valid (tested)")
});

/// The Python detector's tables.
pub fn python() -> &'static PythonData {
    &PYTHON
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::images;

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
}
