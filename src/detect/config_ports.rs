//! The port a program's own configuration file gives its server, for every language:
//! `application: port: 8000` in `configuration/base.yaml`, `[server] port = 8080` in
//! `config.toml`. Only the port of a server section counts (a `database:` section's
//! port is one the program dials), and only in files named as the app's configuration,
//! never in deployment files (compose, Kubernetes, CI) that describe other programs.

use crate::detect::Evidence;
use crate::detect::paths::{is_within, split_dir};
use crate::detect::ports::{PortHit, PortSource};
use crate::scan::ProjectView;

/// Section names that hold the server's own listen settings.
const SERVER_SECTIONS: &[&str] = &[
    "server",
    "application",
    "app",
    "http",
    "web",
    "webserver",
    "api",
    "listen",
];
/// File stems of an app's configuration.
const CONFIG_STEMS: &[&str] = &[
    "config",
    "configuration",
    "settings",
    "base",
    "default",
    "defaults",
    "app",
    "server",
];
/// Folders that hold an app's configuration.
const CONFIG_DIRS: &[&str] = &["config", "configuration", "settings", "conf"];

/// The first server-section port in the configuration files under `dir`.
pub fn config_port(view: &ProjectView, dir: &str) -> Option<PortHit> {
    view.files()
        .filter(|f| is_config_file(dir, f))
        .find_map(|file| {
            let text = view.read_source(file).ok()??;
            let (line, port) = if file.ends_with(".toml") {
                toml_port(&text)?
            } else {
                yaml_port(&text)?
            };
            Some(PortHit {
                command: None,
                port,
                source: PortSource::ConfigDefault,
                loopback: false,
                evidence: Evidence::at(file, line, "the server's port in its configuration"),
            })
        })
}

/// A YAML or TOML file named as the app's configuration, within `dir` but not in a
/// test, example or deployment folder.
fn is_config_file(dir: &str, file: &str) -> bool {
    let (folder, name) = split_dir(file);
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return false;
    };
    if !matches!(ext, "yaml" | "yml" | "toml") || !is_within(folder, dir) {
        return false;
    }
    let rel = folder.strip_prefix(dir).unwrap_or(folder);
    let parts: Vec<&str> = rel.split('/').filter(|p| !p.is_empty()).collect();
    let excluded = parts.iter().any(|p| {
        p.starts_with('.')
            || matches!(
                *p,
                "test"
                    | "tests"
                    | "examples"
                    | "example"
                    | "docs"
                    | "deploy"
                    | "k8s"
                    | "helm"
                    | "charts"
                    | "node_modules"
                    | "target"
                    | "vendor"
            )
    });
    let named =
        CONFIG_STEMS.contains(&stem) || parts.last().is_some_and(|p| CONFIG_DIRS.contains(p));
    !excluded && named && !matches!(stem, "Cargo" | "pyproject" | "docker-compose" | "compose")
}

/// `server:` (or another server section) at any indentation, then `port: N` among its
/// children: (line, port).
fn yaml_port(text: &str) -> Option<(usize, u16)> {
    let lines: Vec<&str> = text.lines().collect();
    for (index, line) in lines.iter().enumerate() {
        let Some(key) = line.trim_end().strip_suffix(':') else {
            continue;
        };
        let indent = indentation(line);
        if !SERVER_SECTIONS.contains(&key.trim()) {
            continue;
        }
        for (offset, child) in lines[index + 1..].iter().enumerate() {
            if child.trim().is_empty() || child.trim_start().starts_with('#') {
                continue;
            }
            if indentation(child) <= indent {
                break;
            }
            let Some(value) = child.trim().strip_prefix("port:") else {
                continue;
            };
            if let Some(port) = number(value) {
                return Some((index + offset + 2, port));
            }
        }
    }
    None
}

/// `[server]` (or another server section) then `port = N` before the next table.
fn toml_port(text: &str) -> Option<(usize, u16)> {
    let mut in_server = false;
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if let Some(table) = line.strip_prefix('[') {
            let name = table.trim_end_matches(']').trim();
            in_server = SERVER_SECTIONS.contains(&name.rsplit('.').next().unwrap_or(name));
            continue;
        }
        if in_server
            && let Some((key, value)) = line.split_once('=')
            && key.trim() == "port"
            && let Some(port) = number(value)
        {
            return Some((index + 1, port));
        }
    }
    None
}

fn indentation(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// A port number, quoted or not, before any comment.
fn number(value: &str) -> Option<u16> {
    let value = value.split('#').next()?.trim().trim_matches(['"', '\'']);
    value.parse::<u16>().ok().filter(|p| *p >= 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_server_sections() {
        let text =
            "database:\n  host: db\n  port: 5432\napplication:\n  host: 0.0.0.0\n  port: 8000\n";
        assert_eq!(yaml_port(text), Some((6, 8000)));
        let nested = "general:\n  debug: false\nserver:\n  # the port\n  port: \"8888\"\n  bind_address: 127.0.0.1\n";
        assert_eq!(yaml_port(nested), Some((5, 8888)));
        // A database's port is one the program dials.
        assert_eq!(yaml_port("database:\n  port: 5432\n"), None);
        // A port that is not the section's child.
        assert_eq!(yaml_port("server:\n  name: x\nport: 80\n"), None);
    }

    #[test]
    fn toml_server_tables() {
        let text = "[database]\nport = 5432\n[server]\nhost = \"0.0.0.0\"\nport = 8080 # default\n";
        assert_eq!(toml_port(text), Some((5, 8080)));
        assert_eq!(toml_port("[database]\nport = 5432\n"), None);
    }

    #[test]
    fn config_files_by_name_and_folder() {
        assert!(is_config_file("", "configuration/base.yaml"));
        assert!(is_config_file("", "searx/settings.yml"));
        assert!(is_config_file("", "config.toml"));
        assert!(is_config_file("api", "api/config/production.yml"));
        assert!(!is_config_file("", "docker-compose.yml"));
        assert!(!is_config_file("", ".github/workflows/config.yml"));
        assert!(!is_config_file("", "tests/config.yaml"));
        assert!(!is_config_file("", "Cargo.toml"));
        assert!(!is_config_file("api", "web/config.yml"));
    }
}
