//! Reads a framework's port from its configuration files: `application.properties`
//! and `application.yml`/`.yaml` under `src/main/resources` (Spring Boot, Quarkus,
//! Micronaut), as plain key lookups; `${PORT:8080}` means "$PORT, else 8080".

use crate::detect::paths::join;
use crate::detect::ports::{PortHit, PortSource};
use crate::detect::{DetectError, Evidence};
use crate::scan::ProjectView;

/// What the configuration says about the port.
#[derive(Default)]
pub struct Found {
    pub hits: Vec<PortHit>,
    /// Where the port is taken from `$PORT`.
    pub reads_env: Option<Evidence>,
}

const FILES: [&str; 3] = [
    "src/main/resources/application.properties",
    "src/main/resources/application.yml",
    "src/main/resources/application.yaml",
];

pub fn port(view: &ProjectView, dir: &str, keys: &[String]) -> Result<Found, DetectError> {
    let mut found = Found::default();
    for file in FILES.map(|f| join(dir, f)) {
        let Some(text) = view.read_source(&file)? else {
            continue;
        };
        let entries = if file.ends_with(".properties") {
            properties(&text)
        } else {
            yaml(&text)
        };
        for (line, key, value) in entries {
            if !keys.contains(&key) {
                continue;
            }
            let evidence = |detail: String| Evidence::at(&file, line, detail);
            let (number, from_env) = match value.strip_prefix("${PORT:") {
                Some(rest) => (rest.trim_end_matches('}'), true),
                None => (value.as_str(), false),
            };
            if from_env && found.reads_env.is_none() {
                found.reads_env = Some(evidence("reads $PORT".into()));
            }
            if let Some(port) = number.trim().parse::<u16>().ok().filter(|p| *p > 0) {
                found.hits.push(PortHit {
                    command: None,
                    port,
                    source: if from_env {
                        PortSource::EnvDefault
                    } else {
                        PortSource::ListenAddress
                    },
                    loopback: false,
                    evidence: evidence(format!("{key}={value}")),
                });
            }
        }
    }
    Ok(found)
}

/// `key=value` and `key: value` lines of a .properties file.
fn properties(text: &str) -> Vec<(usize, String, String)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim_start().starts_with(['#', '!']))
        .filter_map(|(i, l)| {
            let (key, value) = l.split_once(['=', ':'])?;
            Some((i + 1, key.trim().to_string(), value.trim().to_string()))
        })
        .collect()
}

/// Scalar entries of a YAML file as dotted keys (`server:` / `  port: 8081` →
/// `server.port`), by indentation; lists, anchors and flow maps are skipped.
fn yaml(text: &str) -> Vec<(usize, String, String)> {
    let mut path: Vec<(usize, String)> = Vec::new();
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let code = line.split(" #").next().unwrap_or_default();
        let trimmed = code.trim_start();
        if trimmed.is_empty()
            || trimmed.starts_with('#')
            || trimmed.starts_with('-')
            || trimmed == "---"
        {
            continue;
        }
        let indent = code.len() - trimmed.len();
        let Some((key, value)) = trimmed.split_once(':') else {
            continue;
        };
        while path.last().is_some_and(|(depth, _)| *depth >= indent) {
            path.pop();
        }
        let key = key.trim().trim_matches(['"', '\'']).to_string();
        let value = value.trim().trim_matches(['"', '\'']).to_string();
        if value.is_empty() {
            path.push((indent, key));
        } else {
            let mut dotted: Vec<&str> = path.iter().map(|(_, k)| k.as_str()).collect();
            dotted.push(&key);
            out.push((i + 1, dotted.join("."), value));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_properties_and_yaml_keys() {
        let p = properties("# comment\nserver.port = 8081\nquarkus.http.port: ${PORT:8080}\n");
        assert_eq!(p[0], (2, "server.port".into(), "8081".into()));
        assert_eq!(p[1].2, "${PORT:8080}");
        let y = yaml(
            "server:\n  port: 9090 # the app\nspring:\n  application:\n    name: demo\nmicronaut:\n  server:\n    port: 7000\n",
        );
        let keys: Vec<(&str, &str)> = y.iter().map(|(_, k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            keys,
            [
                ("server.port", "9090"),
                ("spring.application.name", "demo"),
                ("micronaut.server.port", "7000")
            ]
        );
    }
}
