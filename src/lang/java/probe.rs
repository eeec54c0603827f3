//! The Java HEALTHCHECK probe. A JVM image has no curl or wget, and adding one
//! would grow every image for a check; the JVM is there already, so a class of a
//! few lines (java.base only), compiled in the build stage, opens a TCP
//! connection to the app's port, as Python's probe does with `python -c`.

use serde::Serialize;

use super::data::java;
use crate::plan::Artifact;
use crate::plan::program::BUILD_STAGE;

/// How the build stage makes the probe and the runtime runs it.
#[derive(Clone, Debug, Serialize)]
pub struct Probe {
    /// Makes the probe's folder (argv).
    pub setup: Vec<String>,
    /// The class's source, and the file it is written to.
    pub source: String,
    pub file: String,
    /// Compiles it for the runtime's release (argv).
    pub compile: Vec<String>,
}

/// The probe for a JDK `release`.
pub fn probe(release: u32) -> Probe {
    let data = &java().probe;
    let file = format!("{}/{}.java", data.dir, data.class);
    Probe {
        setup: vec!["mkdir".into(), "-p".into(), data.dir.clone()],
        source: data.source.clone(),
        compile: vec![
            "javac".into(),
            "--release".into(),
            release.to_string(),
            "-d".into(),
            data.dir.clone(),
            file.clone(),
        ],
        file,
    }
}

/// The compiled class, copied into the runtime image.
pub fn artifact() -> Artifact {
    let data = &java().probe;
    Artifact {
        from: BUILD_STAGE.into(),
        source: format!("{}/{}.class", data.dir, data.class),
        target: format!("{}/", data.dir),
        chown: None,
    }
}

/// The HEALTHCHECK command: `java_binary` runs the probe against `port`.
pub fn command(java_binary: &str, port: u16) -> Vec<String> {
    let data = &java().probe;
    std::iter::once(java_binary.to_string())
        .chain(data.jvm_options.iter().cloned())
        .chain(["-cp".into(), data.dir.clone(), data.class.clone()])
        .chain([port.to_string()])
        .collect()
}
