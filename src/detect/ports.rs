//! Finds the port a program listens on, from its source, for any language: listen
//! address literals (`":8080"`, `"0.0.0.0:8080"`), the language's other address forms
//! (`SocketAddr::from(([0, 0, 0, 0], 3000))`), `PORT` environment defaults, flag
//! defaults and frameworks that listen on a default port. What each language writes
//! is data (`[port]` in `detectors/<lang>.toml`); this module only applies it.

use regex::Regex;
use serde::Serialize;

use crate::data::PortData;
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

/// A framework that listens on a default port when its run call gets no address.
pub struct DefaultCall<'a> {
    pub call: Regex,
    pub port: u16,
    pub name: &'a str,
}

/// A language's port rules, compiled.
pub struct PortRules {
    literal: Regex,
    address: Regex,
    listen_words: Regex,
    reads_env: Regex,
    digits: Regex,
    addresses: Vec<Regex>,
    flag_defaults: Vec<Regex>,
    env_defaults: Vec<Regex>,
    any_hosts: Vec<String>,
    loopback_hosts: Vec<String>,
}

impl PortRules {
    /// Compiles a language's `[port]` data. The data is embedded and tested, so a
    /// pattern that does not compile is a bug caught before release.
    pub fn new(data: &PortData) -> PortRules {
        let compile =
            |pattern: &str| Regex::new(pattern).expect("port patterns are valid (tested)");
        PortRules {
            literal: compile(r#""([^"\\\n]*)""#),
            address: compile(r"^(\[[0-9a-fA-F:.]*\]|[A-Za-z0-9.\-:]*?):(\d{1,5})$"),
            listen_words: compile(&data.listen_words),
            reads_env: compile(&data.env_read),
            digits: compile(r#""(\d{2,5})""#),
            addresses: data.addresses.iter().map(|p| compile(p)).collect(),
            flag_defaults: data.flag_defaults.iter().map(|p| compile(p)).collect(),
            env_defaults: data.env_defaults.iter().map(|p| compile(p)).collect(),
            any_hosts: data.any_hosts.clone(),
            loopback_hosts: data.loopback_hosts.clone(),
        }
    }

    /// Port mentions in one file, in line order.
    pub fn scan(&self, file: &str, text: &str, defaults: &[&DefaultCall<'_>]) -> Vec<PortHit> {
        let reads_env = self.reads_env.is_match(text);
        let mut hits = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            let mut found = self.listen_addresses(code);
            found.extend(self.defaults(code, reads_env, defaults));
            hits.extend(
                found
                    .into_iter()
                    .map(|(port, source, loopback, detail)| PortHit {
                        port,
                        source,
                        loopback,
                        evidence: Evidence::at(file, index + 1, detail),
                    }),
            );
        }
        hits
    }

    /// Addresses a line listens on: string literals (`":8080"`) and the
    /// language's listen forms (`.listen(3000)`, `host=…, port=…`).
    fn listen_addresses(&self, code: &str) -> Vec<LineHit> {
        let mut hits = Vec::new();
        let listening = self.listen_words.is_match(code);
        for literal in self.literal.captures_iter(code) {
            let Some(addr) = self.address.captures(&literal[1]) else {
                continue;
            };
            if let Some((port, loopback)) = self.classify(&addr[1], &addr[2], listening) {
                let detail = format!("listen address \"{}\"", &literal[1]);
                hits.push((port, PortSource::ListenAddress, loopback, detail));
            }
        }
        // Forms run most specific first; the first that matches a line decides it
        // (a loopback `host=` must not be outvoted by the host-less form).
        if let Some(form) = self.addresses.iter().find(|form| form.is_match(code)) {
            for addr in form.captures_iter(code) {
                // A form without a host (`.listen(3000)`) listens everywhere.
                let host = addr.name("host").map_or("", |h| h.as_str());
                let Some(port) = addr.name("port") else {
                    continue;
                };
                if let Some((number, loopback)) = self.classify(host, port.as_str(), listening) {
                    let shown = if loopback { "127.0.0.1" } else { "0.0.0.0" };
                    let detail = format!("binds {shown}:{number}");
                    hits.push((number, PortSource::ListenAddress, loopback, detail));
                }
            }
        }
        hits
    }

    /// Defaults a line gives: the fallback when `$PORT` is unset, a port
    /// option's default, a framework call that listens on its default port.
    fn defaults(&self, code: &str, reads_env: bool, calls: &[&DefaultCall<'_>]) -> Vec<LineHit> {
        let unset = || "default when PORT is unset".to_string();
        let mut hits = Vec::new();
        if reads_env && code.to_ascii_lowercase().contains("port") {
            for digits in self.digits.captures_iter(code) {
                if let Some(port) = valid_port(&digits[1]) {
                    hits.push((port, PortSource::EnvDefault, false, unset()));
                }
            }
        }
        let named_port = |rule: &Regex| {
            rule.captures(code)
                .and_then(|c| c.name("port"))
                .and_then(|p| valid_port(p.as_str()))
        };
        for port in self.env_defaults.iter().filter_map(named_port) {
            hits.push((port, PortSource::EnvDefault, false, unset()));
        }
        for port in self.flag_defaults.iter().filter_map(named_port) {
            let detail = "default of a port option".to_string();
            hits.push((port, PortSource::FlagDefault, false, detail));
        }
        for call in calls.iter().filter(|c| c.call.is_match(code)) {
            let detail = format!("{} listens on {} by default", call.name, call.port);
            hits.push((call.port, PortSource::FrameworkDefault, false, detail));
        }
        hits
    }

    /// A listen address's port and whether it is loopback-only; `None` when the host is
    /// not one a server listens on (then it is a client dialling out). A bare `:8080` is
    /// a listen address anywhere; one with a host only on a line about listening.
    fn classify(&self, host: &str, port: &str, listening: bool) -> Option<(u16, bool)> {
        let host: String = host.chars().filter(|c| !c.is_whitespace()).collect();
        let any = self.any_hosts.contains(&host);
        let loopback = self.loopback_hosts.contains(&host);
        let port = valid_port(port)?;
        ((any || loopback) && (host.is_empty() || listening)).then_some((port, loopback))
    }

    /// The first line that reads the `PORT` environment variable, if any.
    pub fn reads_port_env(&self, file: &str, text: &str) -> Option<Evidence> {
        text.lines()
            .enumerate()
            .find(|(_, line)| !line.trim_start().starts_with("//") && self.reads_env.is_match(line))
            .map(|(index, _)| Evidence::at(file, index + 1, "reads $PORT"))
    }
}

fn valid_port(digits: &str) -> Option<u16> {
    digits.parse::<u16>().ok().filter(|p| *p > 0)
}

/// A port found on one line: (port, source, loopback only, detail).
type LineHit = (u16, PortSource, bool, String);

/// Where a program listens: the port it most likely binds, the other ports its
/// sources mention, and where it reads `$PORT`. Every wing's app carries one.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Listening {
    /// The port it most likely listens on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<PortHit>,
    /// Other ports mentioned.
    pub other_ports: Vec<PortHit>,
    /// Where it reads the port from `$PORT`, if it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port_env: Option<Evidence>,
}

impl Listening {
    /// The strongest of `hits` as the port, the rest as others.
    pub fn from_hits(hits: Vec<PortHit>, port_env: Option<Evidence>) -> Self {
        let (port, other_ports) = strongest(hits);
        Listening {
            port,
            other_ports,
            port_env,
        }
    }
}

/// The strongest port among `hits` and every other port once, in order of strength.
pub fn strongest(mut hits: Vec<PortHit>) -> (Option<PortHit>, Vec<PortHit>) {
    hits.sort_by_key(|h| h.source);
    let mut hits = hits.into_iter();
    let port = hits.next();
    let mut others: Vec<PortHit> = Vec::new();
    for hit in hits {
        if !port.iter().chain(&others).any(|p| p.port == hit.port) {
            others.push(hit);
        }
    }
    (port, others)
}

/// A warning when the program's address is loopback-only: it would be unreachable
/// from outside its container.
pub fn loopback_warning(
    program: &str,
    port: Option<&PortHit>,
    others: &[PortHit],
) -> Option<crate::detect::Warning> {
    let hit = port.into_iter().chain(others).find(|h| h.loopback)?;
    Some(crate::detect::Warning {
        message: format!(
            "{program} listens on the loopback address only: unreachable from outside its container; listen on 0.0.0.0:{}",
            hit.port
        ),
        evidence: hit.evidence.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn go(text: &str) -> Vec<(u16, PortSource, bool, usize)> {
        summarize(PortRules::new(&crate::lang::go::data::go().port).scan("main.go", text, &[]))
    }

    fn summarize(hits: Vec<PortHit>) -> Vec<(u16, PortSource, bool, usize)> {
        hits.into_iter()
            .map(|h| (h.port, h.source, h.loopback, h.evidence.line.unwrap()))
            .collect()
    }

    #[test]
    fn go_listen_literals() {
        assert_eq!(
            go("http.ListenAndServe(\":8080\", nil)\n"),
            [(8080, PortSource::ListenAddress, false, 1)]
        );
        assert_eq!(
            go("srv := &http.Server{Addr: \"0.0.0.0:9000\"}\n"),
            [(9000, PortSource::ListenAddress, false, 1)]
        );
        assert_eq!(
            go("ln, _ := net.Listen(\"tcp\", \"127.0.0.1:7000\")\n"),
            [(7000, PortSource::ListenAddress, true, 1)]
        );
    }

    #[test]
    fn clients_and_comments_are_not_listeners() {
        assert!(go("db, _ := sql.Open(\"pg\", \"localhost:5432\")\n").is_empty());
        assert!(go("redis.Dial(\"tcp\", \"cache:6379\")\n").is_empty());
        assert!(go("// http.ListenAndServe(\":8080\", nil)\n").is_empty());
        assert!(go("x := \":99999\"\n").is_empty());
    }

    #[test]
    fn go_env_and_flag_defaults() {
        let src = "port := os.Getenv(\"PORT\")\nif port == \"\" {\n\tport = \"3000\"\n}\n";
        assert_eq!(go(src), [(3000, PortSource::EnvDefault, false, 3)]);
        assert_eq!(
            go("p := cmp.Or(os.Getenv(\"PORT\"), \"8081\")\n"),
            [(8081, PortSource::EnvDefault, false, 1)]
        );
        assert_eq!(
            go("port := flag.Int(\"port\", 4000, \"port to listen on\")\n"),
            [(4000, PortSource::FlagDefault, false, 1)]
        );
    }

    #[test]
    fn reading_port_without_a_default_is_its_own_fact() {
        let rules = PortRules::new(&crate::lang::go::data::go().port);
        let src = "func main() {\n\thttp.ListenAndServe(\":\"+os.Getenv(\"PORT\"), nil)\n}\n";
        assert!(rules.scan("main.go", src, &[]).is_empty());
        assert_eq!(
            rules.reads_port_env("main.go", src).unwrap().location(),
            "main.go:2"
        );
        assert_eq!(
            rules.reads_port_env("main.go", "// os.Getenv(\"PORT\")\n"),
            None
        );
    }

    #[test]
    fn framework_default_call() {
        let gin = DefaultCall {
            call: Regex::new(r"\.Run\(\s*\)").unwrap(),
            port: 8080,
            name: "gin",
        };
        let rules = PortRules::new(&crate::lang::go::data::go().port);
        let hits = rules.scan("main.go", "r := gin.Default()\nr.Run()\n", &[&gin]);
        assert_eq!(
            summarize(hits),
            [(8080, PortSource::FrameworkDefault, false, 2)]
        );
    }

    #[test]
    fn strongest_first_and_each_other_port_once() {
        let rules = PortRules::new(&crate::lang::go::data::go().port);
        let hits = rules.scan("a.go", "port := os.Getenv(\"PORT\") // \"9000\"\nhttp.ListenAndServe(\":8080\", nil)\nx := \":8080\"\ny := \":7000\"\n", &[]);
        let (port, others) = strongest(hits);
        assert_eq!(port.unwrap().port, 8080);
        let others: Vec<u16> = others.iter().map(|h| h.port).collect();
        assert_eq!(others, [7000, 9000]);
    }
}
