//! Finds the port a Go program listens on, from its source: listen-address literals
//! (`":8080"`, `"0.0.0.0:8080"`), `PORT` environment defaults, `flag` defaults, and
//! web frameworks that listen on a default port when given no address.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::data::{self, GoFramework};
use crate::detect::Evidence;

/// How a port was found; earlier kinds are stronger evidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PortSource {
    ListenAddress,
    EnvDefault,
    FlagDefault,
    FrameworkDefault,
}

/// One port mention.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PortHit {
    pub port: u16,
    pub source: PortSource,
    /// The address names only the loopback interface.
    pub loopback: bool,
    pub evidence: Evidence,
}

struct Patterns {
    literal: Regex,
    address: Regex,
    listen_words: Regex,
    reads_port_env: Regex,
    digits: Regex,
    flag_port: Regex,
}

static PATTERNS: LazyLock<Patterns> = LazyLock::new(|| {
    Patterns {
    literal: Regex::new(r#""([^"\\\n]*)""#).expect("valid"),
    address: Regex::new(r"^(\[[0-9a-fA-F:.]*\]|[A-Za-z0-9.\-:]*?):(\d{1,5})$").expect("valid"),
    listen_words: Regex::new(&data::go().port.listen_words).expect("valid (tested in data)"),
    reads_port_env: Regex::new(r#"(Getenv|LookupEnv)\(\s*"PORT"\s*\)"#).expect("valid"),
    digits: Regex::new(r#""(\d{2,5})""#).expect("valid"),
    flag_port: Regex::new(r#"(?i)flag\.(?:Int|Uint)(?:Var)?\([^)]*"(?:port|listen-port|http-port)"\s*,\s*(\d{2,5})\s*,"#)
        .expect("valid"),
}
});

/// Port mentions in one file, in line order. `frameworks` are the frameworks this
/// file imports (their default calls count here).
pub fn scan(file: &str, text: &str, frameworks: &[&GoFramework]) -> Vec<PortHit> {
    let p = &*PATTERNS;
    let ports = &data::go().port;
    let reads_env = p.reads_port_env.is_match(text);
    let framework_calls: Vec<(Regex, u16, &str)> = frameworks
        .iter()
        .filter_map(|f| {
            let call = Regex::new(f.default_call.as_deref()?).ok()?;
            Some((call, f.default_port?, f.name.as_str()))
        })
        .collect();
    let mut hits = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let code = line.trim_start();
        if code.starts_with("//") {
            continue;
        }
        let at = |port, source, loopback, detail: String| PortHit {
            port,
            source,
            loopback,
            evidence: Evidence::at(file, index + 1, detail),
        };
        let listening = p.listen_words.is_match(code);
        for literal in p.literal.captures_iter(code) {
            let Some(addr) = p.address.captures(&literal[1]) else {
                continue;
            };
            let host = &addr[1];
            let Some(port) = valid_port(&addr[2]) else {
                continue;
            };
            let any = ports.any_hosts.iter().any(|h| h == host);
            let loopback = ports.loopback_hosts.iter().any(|h| h == host);
            // `":8080"` is a listen address wherever it stands; a host-qualified one only
            // on a line about listening (else it is a client dialling out).
            if (any || loopback) && (host.is_empty() || listening) {
                hits.push(at(
                    port,
                    PortSource::ListenAddress,
                    loopback,
                    format!("listen address \"{}\"", &literal[1]),
                ));
            }
        }
        if reads_env && code.to_ascii_lowercase().contains("port") {
            for digits in p.digits.captures_iter(code) {
                if let Some(port) = valid_port(&digits[1]) {
                    hits.push(at(
                        port,
                        PortSource::EnvDefault,
                        false,
                        "default when PORT is unset".into(),
                    ));
                }
            }
        }
        if let Some(flag) = p.flag_port.captures(code) {
            if let Some(port) = valid_port(&flag[1]) {
                hits.push(at(
                    port,
                    PortSource::FlagDefault,
                    false,
                    "default of a port flag".into(),
                ));
            }
        }
        for (call, port, name) in &framework_calls {
            if call.is_match(code) {
                hits.push(at(
                    *port,
                    PortSource::FrameworkDefault,
                    false,
                    format!("{name} listens on {port} by default"),
                ));
            }
        }
    }
    hits
}

/// The first line that reads the `PORT` environment variable, if any.
pub fn reads_port_env(file: &str, text: &str) -> Option<Evidence> {
    let pattern = &PATTERNS.reads_port_env;
    text.lines()
        .enumerate()
        .find(|(_, line)| !line.trim_start().starts_with("//") && pattern.is_match(line))
        .map(|(index, _)| Evidence::at(file, index + 1, "reads $PORT"))
}

fn valid_port(digits: &str) -> Option<u16> {
    digits.parse::<u16>().ok().filter(|p| *p > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ports(text: &str) -> Vec<(u16, PortSource, bool, usize)> {
        scan("main.go", text, &[])
            .into_iter()
            .map(|h| (h.port, h.source, h.loopback, h.evidence.line.unwrap()))
            .collect()
    }

    #[test]
    fn listen_literals() {
        assert_eq!(
            ports("http.ListenAndServe(\":8080\", nil)\n"),
            [(8080, PortSource::ListenAddress, false, 1)]
        );
        assert_eq!(
            ports("srv := &http.Server{Addr: \"0.0.0.0:9000\"}\n"),
            [(9000, PortSource::ListenAddress, false, 1)]
        );
        assert_eq!(
            ports("ln, _ := net.Listen(\"tcp\", \"127.0.0.1:7000\")\n"),
            [(7000, PortSource::ListenAddress, true, 1)]
        );
    }

    #[test]
    fn clients_and_comments_are_not_listeners() {
        assert!(ports("db, _ := sql.Open(\"pg\", \"localhost:5432\")\n").is_empty());
        assert!(ports("redis.Dial(\"tcp\", \"cache:6379\")\n").is_empty());
        assert!(ports("// http.ListenAndServe(\":8080\", nil)\n").is_empty());
        assert!(ports("x := \":99999\"\n").is_empty());
    }

    #[test]
    fn env_and_flag_defaults() {
        let src = "port := os.Getenv(\"PORT\")\nif port == \"\" {\n\tport = \"3000\"\n}\n";
        assert_eq!(ports(src), [(3000, PortSource::EnvDefault, false, 3)]);
        assert_eq!(
            ports("p := cmp.Or(os.Getenv(\"PORT\"), \"8081\")\n"),
            [(8081, PortSource::EnvDefault, false, 1)]
        );
        assert_eq!(
            ports("port := flag.Int(\"port\", 4000, \"port to listen on\")\n"),
            [(4000, PortSource::FlagDefault, false, 1)]
        );
    }

    #[test]
    fn reading_port_without_a_default_is_its_own_fact() {
        let src = "func main() {\n\thttp.ListenAndServe(\":\"+os.Getenv(\"PORT\"), nil)\n}\n";
        assert!(ports(src).is_empty());
        assert_eq!(
            reads_port_env("main.go", src).unwrap().location(),
            "main.go:2"
        );
        assert_eq!(reads_port_env("main.go", "// os.Getenv(\"PORT\")\n"), None);
    }

    #[test]
    fn framework_default_run() {
        let gin = data::go()
            .framework
            .iter()
            .find(|f| f.name == "gin")
            .unwrap();
        let hits = scan("main.go", "r := gin.Default()\nr.Run()\n", &[gin]);
        assert_eq!(hits[0].port, 8080);
        assert_eq!(hits[0].source, PortSource::FrameworkDefault);
        assert!(
            scan("main.go", "r.Run(\":9090\")\n", &[gin])
                .iter()
                .all(|h| h.source == PortSource::ListenAddress)
        );
    }
}
