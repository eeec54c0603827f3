//! Where a Python app listens: the port its sources name (a run call's address, a
//! `$PORT` default, an option's default), else its framework's default.

use std::sync::LazyLock;

use super::data::PythonFramework;
use crate::detect::ports::{self, Listening, PortHit, PortRules};
use crate::detect::{DetectError, Evidence};
use crate::scan::ProjectView;

static PORT_RULES: LazyLock<PortRules> =
    LazyLock::new(|| PortRules::new(&super::data::python().port));

/// The strongest port in the sources, else the framework's default; and
/// whether the code reads its port from the environment.
pub(super) fn scan_ports(
    view: &ProjectView,
    files: &[&str],
    framework: Option<&PythonFramework>,
) -> Result<Listening, DetectError> {
    let mut hits = Vec::new();
    let mut port_env = None;
    for file in files {
        let Some(text) = view.read_source(file)? else {
            continue;
        };
        hits.extend(PORT_RULES.scan(file, &text, &[]));
        if port_env.is_none() {
            port_env = PORT_RULES.reads_port_env(file, &text);
        }
    }
    let mut listening = Listening::from_hits(hits, port_env);
    if listening.port.is_none()
        && let Some(f) = framework
    {
        listening.port = Some(PortHit {
            command: None,
            port: f.default_port,
            source: ports::PortSource::FrameworkDefault,
            loopback: false,
            evidence: Evidence::default_because(format!(
                "{} is served on {} by default",
                f.name, f.default_port
            )),
        });
    }
    Ok(listening)
}
