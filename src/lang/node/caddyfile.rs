//! A static site's own Caddyfile: its first site block's address (the port caddy
//! binds) and `root` (where the site is copied). Read as text, never run or adapted.

use std::sync::LazyLock;

use regex::Regex;

use super::static_site::{OwnConfig, WebServer};
use crate::detect::{Evidence, Fact, Warning};

/// `root * /srv/dist`, `root /srv`, `root @matcher "my site"`: the last word, or the
/// last quoted string, is the folder.
static ROOT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^root(?:\s+\S+)*?\s+(?:"([^"]*)"|([^\s"]+))$"#).expect("valid"));
/// A port at the end of an address: `:8080`, `host:80`, `{$PORT:3000}`.
static PORT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r":([0-9]{1,5})\}?$").expect("valid"));
/// Directives that hand requests to another server.
const UPSTREAM: &[&str] = &["reverse_proxy", "php_fastcgi"];

/// Where caddy serves files from when the Caddyfile names no `root`: its working
/// directory, the image's /srv.
pub const DEFAULT_ROOT: &str = "/srv";

/// What the Caddyfile at `file` says about serving the site, or why it cannot serve
/// it in an unprivileged image (a warning; docksmith's nginx then serves the site).
pub fn read(file: &str, text: &str, warnings: &mut Vec<Warning>) -> Option<Fact<OwnConfig>> {
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.split(" #").next().unwrap_or_default().trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let left_out = |why: String| Warning {
        message: format!("{file} {why}: the site is served with docksmith's nginx server block"),
        evidence: Evidence::file(file, "Caddyfile"),
    };
    let (line, address) = first_site(&lines)?;
    let port = match PORT.captures(address) {
        Some(found) => found[1].parse::<u16>().ok()?,
        None => {
            warnings.push(left_out(format!(
                "serves {address} with automatic HTTPS (certificates from the internet, ports 80 and 443); give the site address a port (`:8080`) to have it used"
            )));
            return None;
        }
    };
    if address.starts_with("https://") {
        warnings.push(left_out(format!(
            "serves {address} over TLS, whose certificates the image does not hold"
        )));
        return None;
    }
    if lines
        .iter()
        .any(|(_, l)| UPSTREAM.contains(&l.split_whitespace().next().unwrap_or_default()))
    {
        warnings.push(Warning {
            message: format!(
                "{file} passes requests to another server: caddy reaches it only where that host resolves (the service beside it in compose or Kubernetes)"
            ),
            evidence: Evidence::file(file, "reverse_proxy"),
        });
    }
    let root = lines
        .iter()
        .find_map(|(_, l)| {
            let found = ROOT.captures(l)?;
            Some(found.get(1).or(found.get(2))?.as_str().to_string())
        })
        .filter(|r| !r.contains(['{', '$', '*']))
        .map(|r| match r.strip_prefix('/') {
            Some(_) => r.trim_end_matches('/').to_string(),
            None => crate::detect::paths::join(DEFAULT_ROOT, r.trim_start_matches("./")),
        })
        .filter(|r| r.len() > 1);
    Some(Fact::new(
        OwnConfig {
            file: file.to_string(),
            port,
            root,
            server: WebServer::Caddy,
            line,
        },
        Evidence::at(file, line, "site address"),
    ))
}

/// The first site block's first address and its line: global options (a bare `{`
/// block) and snippets (`(name) {`) are not sites.
fn first_site<'a>(lines: &[(usize, &'a str)]) -> Option<(usize, &'a str)> {
    let mut depth = 0usize;
    for (number, line) in lines {
        if depth == 0 && *line != "{" && !line.starts_with('(') && !line.starts_with("import") {
            let address = line.trim_end_matches('{').split([' ', ',']).next()?;
            if !address.is_empty() {
                return Some((*number, address));
            }
        }
        depth += line.matches('{').count();
        depth = depth.saturating_sub(line.matches('}').count());
    }
    None
}

/// The awk program that moves the site address's privileged port to `port` (the
/// image runs caddy as a non-root user) on the address's line; every other line as
/// it is.
pub fn address_rewrite(line: usize, from: u16, port: u16) -> String {
    let width = from.to_string().len() + 1;
    format!(
        r#"NR == {line} && match($0, /:{from}([^0-9]|$)/) {{ $0 = substr($0, 1, RSTART) "{port}" substr($0, RSTART + {width}) }} {{ print }}"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_ok(text: &str) -> OwnConfig {
        read("Caddyfile", text, &mut Vec::new())
            .expect("a site")
            .value
    }

    #[test]
    fn the_first_site_block_gives_port_and_root() {
        let own = read_ok(
            "{\n  admin off\n}\n(common) {\n  encode gzip\n}\n# the site\n:80 {\n  root * /srv/www/\n  file_server\n}\n",
        );
        assert_eq!((own.port, own.line), (80, 8));
        assert_eq!(own.root.as_deref(), Some("/srv/www"));
        let own = read_ok("http://:3000, :3001 {\n  root dist\n  file_server\n}\n");
        assert_eq!(own.port, 3000);
        assert_eq!(own.root.as_deref(), Some("/srv/dist"));
        let own = read_ok(":8080\nroot * \"/srv/my site\"\n");
        assert_eq!(own.root.as_deref(), Some("/srv/my site"));
        let own = read_ok(":{$PORT:8080}\nfile_server\n");
        assert_eq!((own.port, own.root), (8080, None));
    }

    #[test]
    fn automatic_https_sites_are_left_out_with_a_warning() {
        for text in [
            "example.com {\n file_server\n}\n",
            "https://example.com:8443 {\n}\n",
        ] {
            let mut warnings = Vec::new();
            assert!(read("Caddyfile", text, &mut warnings).is_none());
            assert_eq!(warnings.len(), 1, "{text}");
        }
    }

    #[test]
    fn the_rewrite_moves_only_the_address_port() {
        let program = address_rewrite(2, 80, 8080);
        assert!(program.starts_with("NR == 2 && match($0, /:80([^0-9]|$)/)"));
        assert!(program.contains("substr($0, RSTART + 3)"));
    }
}
