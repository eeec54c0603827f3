//! A static site's own web server configuration: an nginx server block the project
//! ships (`nginx.conf`, `nginx/default.conf`…) or its Caddyfile is what serves the
//! site, with a privileged port moved to the unprivileged image's and its `root`
//! kept. Read as text, never run.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::detect::paths::join;
use crate::detect::{DetectError, Evidence, Fact, Warning};
use crate::scan::ProjectView;

static LISTEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^\s*listen\s+(?:\[::\]:|[0-9.]+:)?([0-9]+)([^;]*);").expect("valid")
});
static ROOT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^\s*root\s+([^;\s]+)\s*;").expect("valid"));
static WHOLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^\s*(?:http|events)\s*\{").expect("valid"));
static UPSTREAM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)(?:^|[\s{;])(?:proxy_pass|upstream|fastcgi_pass)\s").expect("valid")
});

/// Where projects keep the nginx server block that serves their site, relative to
/// the app's folder.
const CANDIDATES: &[&str] = &[
    "nginx.conf",
    "default.conf",
    "nginx/nginx.conf",
    "nginx/default.conf",
    "nginx/conf.d/default.conf",
    ".nginx/nginx.conf",
    "docker/nginx.conf",
    "docker/nginx/default.conf",
];

/// The web server a project's own configuration is written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WebServer {
    Nginx,
    Caddy,
}

/// The project's own server configuration, read for what the image must match.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OwnConfig {
    /// The file, relative to the project root.
    pub file: String,
    /// The port it listens on (nginx's first `listen`, the Caddyfile's first site
    /// address).
    pub port: u16,
    /// Its `root`, when absolute: the site is copied there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root: Option<String>,
    pub server: WebServer,
    /// The line that names the port.
    pub line: usize,
}

/// The server configuration the app's folder ships, when it can serve the site in
/// an unprivileged image: an nginx server block, else a Caddyfile; a warning says why
/// one that cannot is left out.
pub fn find(
    view: &ProjectView,
    dir: &str,
    warnings: &mut Vec<Warning>,
) -> Result<Option<Fact<OwnConfig>>, DetectError> {
    if let Some(own) = nginx(view, dir, warnings)? {
        return Ok(Some(own));
    }
    let caddyfile = join(dir, "Caddyfile");
    Ok(match view.read_manifest(&caddyfile)? {
        Some(text) => super::caddyfile::read(&caddyfile, &text, warnings),
        None => None,
    })
}

/// The nginx server block the app's folder ships.
fn nginx(
    view: &ProjectView,
    dir: &str,
    warnings: &mut Vec<Warning>,
) -> Result<Option<Fact<OwnConfig>>, DetectError> {
    for candidate in CANDIDATES {
        let file = join(dir, candidate);
        let Some(text) = view.read_manifest(&file)? else {
            continue;
        };
        let left_out = |why: &str| Warning {
            message: format!("{file} {why}: the site is served with docksmith's server block"),
            evidence: Evidence::file(&file, "nginx configuration"),
        };
        if WHOLE.is_match(&text) {
            warnings.push(left_out(
                "is a whole nginx configuration (http, events), which would replace the unprivileged image's own (its pid and temp paths); keep only the server block to have it used",
            ));
            return Ok(None);
        }
        let Some(listen) = LISTEN.captures(&text) else {
            continue;
        };
        if listen[2].contains("ssl") || listen[2].contains("http2") {
            warnings.push(left_out(
                "listens with TLS, whose certificates the image does not hold",
            ));
            return Ok(None);
        }
        let Ok(port) = listen[1].parse::<u16>() else {
            continue;
        };
        let line = text[..listen.get(0).map_or(0, |m| m.start())]
            .lines()
            .count()
            + 1;
        if UPSTREAM.is_match(&text) {
            warnings.push(Warning {
                message: format!(
                    "{file} passes requests to another server: nginx starts only where that host resolves (the service beside it in compose or Kubernetes)"
                ),
                evidence: Evidence::file(&file, "proxy_pass"),
            });
        }
        let root = ROOT
            .captures(&text)
            .map(|c| c[1].trim_end_matches('/').to_string())
            .filter(|r| r.starts_with('/') && r.len() > 1 && !r.contains('$'));
        return Ok(Some(Fact::new(
            OwnConfig {
                file,
                port,
                root,
                server: WebServer::Nginx,
                line,
            },
            Evidence::at(&join(dir, candidate), line, "server block"),
        )));
    }
    Ok(None)
}

/// What a Cloud Foundry `Staticfile` says about serving the site.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Staticfile {
    /// The folder served (`root:`), relative to the app's folder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root: Option<String>,
    /// `pushstate: enabled`: client-side routes are answered by index.html; without
    /// it a missing file is a 404.
    pub pushstate: bool,
}

/// The app folder's `Staticfile`, read as the simple `key: value` lines it holds.
pub fn staticfile(view: &ProjectView, dir: &str) -> Result<Option<Fact<Staticfile>>, DetectError> {
    let file = join(dir, "Staticfile");
    let Some(text) = view.read_manifest(&file)? else {
        return Ok(None);
    };
    let mut out = Staticfile {
        root: None,
        pushstate: false,
    };
    for line in text.lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim().trim_matches(['"', '\'']);
        match key.trim() {
            "root" => out.root = crate::detect::paths::normalize(value).filter(|r| !r.is_empty()),
            "pushstate" => out.pushstate = value == "enabled",
            _ => {}
        }
    }
    Ok(Some(Fact::new(
        out,
        Evidence::file(&file, "Cloud Foundry static site settings"),
    )))
}

/// The awk program that moves a `listen` on a privileged port to `port` (the
/// unprivileged image runs as uid 101, which cannot bind below 1024); every other
/// line as it is. awk, not sed: no backslash (a Dockerfile value cannot hold one).
pub fn listen_rewrite(from: u16, port: u16) -> String {
    format!(
        r#"$1 == "listen" && $2 ~ /(^|:){from};?$/ {{ sub(/{from}/, "{port}", $2) }} {{ print }}"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listen_and_root_are_read_from_the_server_block() {
        let text = "server {\n    listen 80;\n    listen [::]:80;\n    root /usr/share/nginx/html/app/;\n}\n";
        let listen = LISTEN.captures(text).unwrap();
        assert_eq!(&listen[1], "80");
        assert_eq!(
            &ROOT.captures(text).unwrap()[1],
            "/usr/share/nginx/html/app/"
        );
        assert!(!WHOLE.is_match(text));
        assert!(WHOLE.is_match("events {}\nhttp {\n server {}\n}\n"));
        assert!(UPSTREAM.is_match("  location /api {\n    proxy_pass http://api:3000;\n  }\n"));
    }
}
