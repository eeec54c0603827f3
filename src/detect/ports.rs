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
    /// The server section of the app's configuration file.
    ConfigDefault,
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
    /// The command whose code names the port, as the source defines it
    /// (`flag.NewFlagSet("server", …)`, `Command::new("serve")`): the nearest
    /// definition above it in the same file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
}

impl PortHit {
    /// The subcommand of `program` this port belongs to: a command named other than
    /// the program (`server` in chisel), or the last word of `program attack`.
    pub fn subcommand(&self, program: &str) -> Option<&str> {
        let words: Vec<&str> = self.command.as_deref()?.split_whitespace().collect();
        match words.as_slice() {
            [only] if *only != program => Some(only),
            [first, .., last] if *first == program => Some(last),
            _ => None,
        }
    }
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
    text_defaults: Vec<Regex>,
    not_listen_words: Option<Regex>,
    tests_start: Option<Regex>,
    commands: Vec<Regex>,
    dispatched_commands: Vec<Regex>,
    dispatch: Option<Regex>,
    constant: Regex,
    port_constant_name: Regex,
    any_hosts: Vec<String>,
    loopback_hosts: Vec<String>,
}

impl PortRules {
    /// Compiles a language's `[port]` data. The data is embedded and tested, so a
    /// pattern that does not compile is a bug caught before release.
    pub fn new(data: &PortData) -> PortRules {
        let compile = |pattern: &str| {
            super::pattern::compile(pattern).expect("port patterns are valid (tested)")
        };
        PortRules {
            literal: compile(r#""([^"\\\n]*)""#),
            address: compile(r"^(\[[0-9a-fA-F:.]*\]|[A-Za-z0-9.\-:]*?):(\d{1,5})$"),
            listen_words: compile(&data.listen_words),
            reads_env: compile(&data.env_read),
            digits: compile(r#""(\d{2,5})""#),
            addresses: data.addresses.iter().map(|p| compile(p)).collect(),
            flag_defaults: data.flag_defaults.iter().map(|p| compile(p)).collect(),
            env_defaults: data.env_defaults.iter().map(|p| compile(p)).collect(),
            text_defaults: data.text_defaults.iter().map(|p| compile(p)).collect(),
            not_listen_words: data.not_listen_words.as_deref().map(compile),
            tests_start: data.tests_start.as_deref().map(compile),
            commands: data.commands.iter().map(|p| compile(p)).collect(),
            dispatched_commands: data
                .dispatched_commands
                .iter()
                .map(|p| compile(p))
                .collect(),
            dispatch: data.dispatch.as_deref().map(compile),
            // `name = 8080` (a constant a flag default may name), in any language.
            constant: compile(
                r#"(?m)^\s*(?:(?:pub\s+)?const\s+)?([A-Za-z_]\w*)\s*(?::\s*\w+\s*)?(?:\w+\s*)?:?=\s*"?:?(\d{2,5})"?\s*;?\s*$"#,
            ),
            // A constant whose name says it is the port a program listens on by
            // default (DEFAULT_PORT, defaultHTTPPort, PORT), not one it dials
            // (DB_PORT, SMTP_PORT), a bound (MAX_PORT) or a local variable (`port = 3306`).
            port_constant_name: compile(
                r"^(?:(?i:default_?(?:http_?|listen_?|server_?|web_?|app_?)?port)|(?:HTTP_|LISTEN_|SERVER_|WEB_|APP_)?PORT)$",
            ),
            any_hosts: data.any_hosts.clone(),
            loopback_hosts: data.loopback_hosts.clone(),
        }
    }

    /// Port mentions in one file, in line order.
    pub fn scan(&self, file: &str, text: &str, defaults: &[&DefaultCall<'_>]) -> Vec<PortHit> {
        let text = self.without_tests(text);
        let reads_env = self.reads_env.is_match(text);
        let declared = self.declared_constants(text);
        let constants: Vec<(&str, u16)> = declared.iter().map(|(n, p, _)| (*n, *p)).collect();
        let names = ConstantNames::new(&constants);
        let mut hits = self.text_defaults(file, text);
        for (index, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            // Every address and default is a number, or a constant the file declares;
            // a line with neither can only hold a framework's default call. (Most lines
            // of a large project: skipping their patterns halves a Python plan.)
            let numbers = code.bytes().any(|b| b.is_ascii_digit()) || names.named_in(code);
            let mut found = if numbers {
                self.listen_addresses(code)
            } else {
                Vec::new()
            };
            found.extend(self.defaults(code, numbers, reads_env, defaults, &constants));
            hits.extend(
                found
                    .into_iter()
                    .map(|(port, source, loopback, detail)| PortHit {
                        command: None,
                        port,
                        source,
                        loopback,
                        evidence: Evidence::at(file, index + 1, detail),
                    }),
            );
        }
        // A constant comes last: the option or call that uses it is better evidence.
        hits.extend(self.port_constants(file, text, &declared));
        self.assign_commands(text, &mut hits);
        hits
    }

    /// Names each hit's command: the nearest command definition above its line.
    fn assign_commands(&self, text: &str, hits: &mut [PortHit]) {
        let named = |patterns: &[Regex]| -> Vec<(usize, &str)> {
            patterns
                .iter()
                .flat_map(|r| r.captures_iter(text))
                .filter_map(|c| {
                    let name = c.name("name")?;
                    let line = text[..name.start()].matches('\n').count() + 1;
                    Some((line, name.as_str()))
                })
                .collect()
        };
        let mut defined = named(&self.commands);
        // A definition that is a command only where the file dispatches its name
        // (chisel's `flag.NewFlagSet("server")` beside `case "server":`).
        let dispatched = named(self.dispatch.as_slice());
        defined.extend(
            named(&self.dispatched_commands)
                .into_iter()
                .filter(|(_, name)| dispatched.iter().any(|(_, d)| d == name)),
        );
        if defined.is_empty() {
            return;
        }
        defined.sort();
        for hit in hits {
            let Some(line) = hit.evidence.line else {
                continue;
            };
            hit.command = defined
                .iter()
                .rev()
                .find(|(at, _)| *at <= line)
                .map(|(_, name)| name.to_string());
        }
    }

    /// The text above the line where tests start (Rust's `#[cfg(test)]`).
    fn without_tests<'t>(&self, text: &'t str) -> &'t str {
        match self.tests_start.as_ref().and_then(|r| r.find(text)) {
            Some(found) => &text[..found.start()],
            None => text,
        }
    }

    /// Numeric constants a file declares, which a flag default may name: name, port
    /// and where the declaration starts. (One pass of the pattern serves the port
    /// scan and the constants named as the default port.)
    fn declared_constants<'t>(&self, text: &'t str) -> Vec<(&'t str, u16, usize)> {
        self.constant
            .captures_iter(text)
            .filter_map(|c| {
                let port = valid_port(c.get(2)?.as_str())?;
                Some((c.get(1)?.as_str(), port, c.get(0)?.start()))
            })
            .collect()
    }

    /// Constants named as the default listen port (`pub const DEFAULT_PORT: u16 =
    /// 6379;`), which a flag or another file may use by name.
    fn port_constants(
        &self,
        file: &str,
        text: &str,
        declared: &[(&str, u16, usize)],
    ) -> Vec<PortHit> {
        declared
            .iter()
            .filter(|(name, _, _)| self.port_constant_name.is_match(name))
            .map(|&(name, port, start)| {
                let line = text[..start].matches('\n').count() + 1;
                let leading = text[start..].len() - text[start..].trim_start().len();
                let line = line + text[start..start + leading].matches('\n').count();
                PortHit {
                    command: None,
                    port,
                    source: PortSource::FlagDefault,
                    loopback: false,
                    evidence: Evidence::at(file, line, format!("constant {name} = {port}")),
                }
            })
            .collect()
    }

    /// Defaults written across lines (an option attribute above its field).
    fn text_defaults(&self, file: &str, text: &str) -> Vec<PortHit> {
        let mut hits = Vec::new();
        for rule in &self.text_defaults {
            for found in rule.captures_iter(text) {
                let (Some(whole), Some(port)) = (found.get(0), found.name("port")) else {
                    continue;
                };
                let Some(port) = valid_port(port.as_str()) else {
                    continue;
                };
                let line = text[..whole.start()].matches('\n').count() + 1;
                hits.push(PortHit {
                    command: None,
                    port,
                    source: PortSource::FlagDefault,
                    loopback: false,
                    evidence: Evidence::at(file, line, "default of a port option"),
                });
            }
        }
        hits
    }

    /// Addresses a line listens on: string literals (`":8080"`) and the
    /// language's listen forms (`.listen(3000)`, `host=…, port=…`). A line about
    /// dialling out listens on nothing, and neither does an address glued onto a
    /// host name (`host + ":443"`).
    fn listen_addresses(&self, code: &str) -> Vec<LineHit> {
        let mut hits = Vec::new();
        if self
            .not_listen_words
            .as_ref()
            .is_some_and(|r| r.is_match(code))
        {
            return hits;
        }
        let listening = self.listen_words.is_match(code);
        for literal in self.literal.captures_iter(code) {
            let Some(addr) = self.address.captures(&literal[1]) else {
                continue;
            };
            let whole = literal.get(0).map_or(0..0, |m| m.range());
            let glued = code[..whole.start].trim_end().ends_with('+')
                || code[whole.end..].trim_start().starts_with('+');
            if glued && !listening {
                continue;
            }
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
    fn defaults(
        &self,
        code: &str,
        numbers: bool,
        reads_env: bool,
        calls: &[&DefaultCall<'_>],
        constants: &[(&str, u16)],
    ) -> Vec<LineHit> {
        let mut hits = Vec::new();
        if numbers {
            self.numbered_defaults(code, reads_env, constants, &mut hits);
        }
        for call in calls.iter().filter(|c| c.call.is_match(code)) {
            let detail = format!("{} listens on {} by default", call.name, call.port);
            hits.push((call.port, PortSource::FrameworkDefault, false, detail));
        }
        hits
    }

    /// The defaults a line writes as a number or as a constant's name.
    fn numbered_defaults(
        &self,
        code: &str,
        reads_env: bool,
        constants: &[(&str, u16)],
        hits: &mut Vec<LineHit>,
    ) {
        let unset = || "default when PORT is unset".to_string();
        if reads_env && code.to_ascii_lowercase().contains("port") {
            for digits in self.digits.captures_iter(code) {
                if let Some(port) = valid_port(&digits[1]) {
                    hits.push((port, PortSource::EnvDefault, false, unset()));
                }
            }
        }
        // A default is a number, or the name of a constant the file declares.
        let named_port = |rule: &Regex| {
            let found = rule.captures(code)?;
            // (A rule with several alternatives names the second number `port2`.)
            if let Some(port) = found.name("port").or_else(|| found.name("port2")) {
                return valid_port(port.as_str());
            }
            let name = found.name("name")?.as_str();
            let name = name.rsplit('.').next().unwrap_or(name);
            constants.iter().find(|(n, _)| *n == name).map(|(_, p)| *p)
        };
        for port in self.env_defaults.iter().filter_map(named_port) {
            hits.push((port, PortSource::EnvDefault, false, unset()));
        }
        for port in self.flag_defaults.iter().filter_map(named_port) {
            let detail = "default of a port option".to_string();
            hits.push((port, PortSource::FlagDefault, false, detail));
        }
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
        // One pass over the file rules out most files; only those that match are
        // read line by line for the evidence.
        if !self.reads_env.is_match(text) {
            return None;
        }
        text.lines()
            .enumerate()
            .find(|(_, line)| !line.trim_start().starts_with("//") && self.reads_env.is_match(line))
            .map(|(index, _)| Evidence::at(file, index + 1, "reads $PORT"))
    }
}

/// The names of a file's constants, for the question every line of it asks: does it
/// name one as a whole word? Hashing every word of a large file is most of the scan,
/// so a word is looked up only when its length and first byte are those of a name.
struct ConstantNames<'t> {
    names: std::collections::HashSet<&'t str>,
    lengths: u64,
    first_bytes: [bool; 256],
}

impl<'t> ConstantNames<'t> {
    fn new(constants: &[(&'t str, u16)]) -> Self {
        let mut lengths = 0u64;
        let mut first_bytes = [false; 256];
        for (name, _) in constants {
            // A name of 64 bytes or more sets no bit and is never found by length:
            // keep it findable by marking every length.
            lengths |= 1u64.checked_shl(name.len() as u32).unwrap_or(u64::MAX);
            if let Some(&b) = name.as_bytes().first() {
                first_bytes[b as usize] = true;
            }
        }
        ConstantNames {
            names: constants.iter().map(|(n, _)| *n).collect(),
            lengths,
            first_bytes,
        }
    }

    fn named_in(&self, code: &str) -> bool {
        !self.names.is_empty()
            && code
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .any(|word| {
                    let length_fits = 1u64
                        .checked_shl(word.len() as u32)
                        .is_none_or(|bit| self.lengths & bit != 0);
                    length_fits
                        && word
                            .as_bytes()
                            .first()
                            .is_some_and(|&b| self.first_bytes[b as usize])
                        && self.names.contains(word)
                })
    }
}

/// A port a server could listen on: 0 asks for any free port, and the one-digit ports
/// are obsolete services (echo, discard), so `":1"` is never a listen address (a
/// string such as `"line:1"` in browser code is).
fn valid_port(digits: &str) -> Option<u16> {
    digits.parse::<u16>().ok().filter(|p| *p >= 10)
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
    /// What `program` listens on when run as it is: ports only a subcommand opens
    /// (`chisel server --port`) are other ports, and when they are all it has, a
    /// warning says how to run the subcommand.
    pub fn of_program(
        hits: Vec<PortHit>,
        port_env: Option<Evidence>,
        program: &str,
        warnings: &mut Vec<crate::detect::Warning>,
    ) -> Listening {
        let (own, subcommands): (Vec<PortHit>, Vec<PortHit>) = hits
            .into_iter()
            .partition(|h| h.subcommand(program).is_none());
        let mut listening = Listening::from_hits(own, port_env);
        if listening.port.is_none()
            && let Some(hit) = subcommands.first()
            && let Some(sub) = hit.subcommand(program)
        {
            warnings.push(crate::detect::Warning {
                message: format!(
                    "`{program} {sub}` listens on {}, a subcommand's port: a plain run opens none, so the image exposes none (run `docker run IMAGE {sub}`, and set --port {} to expose it)",
                    hit.port, hit.port
                ),
                evidence: hit.evidence.clone(),
            });
        }
        listening.other_ports.extend(subcommands);
        listening
    }

    /// The port of the app's configuration file, when the sources gave none or only a
    /// framework's default.
    pub fn or_config(mut self, config: Option<PortHit>) -> Self {
        let weak = self
            .port
            .as_ref()
            .is_none_or(|p| p.source >= PortSource::ConfigDefault);
        if weak
            && let Some(hit) = config
            && let Some(old) = self.port.replace(hit)
        {
            self.other_ports.insert(0, old);
        }
        self
    }

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

    fn node(text: &str) -> Vec<(u16, PortSource, bool, usize)> {
        let rules = PortRules::new(&crate::lang::node::data::node().port);
        summarize(rules.scan("app.js", text, &[]))
    }

    fn rust(text: &str) -> Vec<(u16, PortSource, bool, usize)> {
        let rules = PortRules::new(&crate::lang::rust::data::rust().port);
        summarize(rules.scan("src/main.rs", text, &[]))
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
    fn go_flag_defaults_in_the_forms_real_programs_use() {
        // pflag and FlagSets, a shorthand letter, a getenv helper's fallback, an
        // address default, a constant the file declares, a config struct tag.
        for (src, port, line) in [
            ("fs.Int(\"port\", 9898, \"HTTP port\")\n", 9898, 1),
            (
                "flags.StringP(\"port\", \"p\", \"8080\", \"port to listen on\")\n",
                8080,
                1,
            ),
            (
                "flag.StringVar(&port, \"port\", getEnv(\"WHOAMI_PORT\", \"80\"), \"port\")\n",
                80,
                1,
            ),
            (
                "const listenPort = 8080\n\nfs.IntVar(&cfg.ListenPort, \"port\", listenPort, \"Port\")\n",
                8080,
                3,
            ),
            ("\tPort int `default:\"8085\"`\n", 8085, 1),
        ] {
            assert_eq!(
                go(src),
                [(port, PortSource::FlagDefault, false, line)],
                "{src}"
            );
        }
        // An address default is a listen address too.
        let src = "fs.StringVar(&addr, \"addr\", \":9100\", \"listen address\")\n";
        assert_eq!(go(src)[1], (9100, PortSource::FlagDefault, false, 1));
    }

    #[test]
    fn addresses_a_program_dials_are_not_where_it_listens() {
        // A port glued onto a host name, a dialler, a TLS listener beside the plain one.
        assert!(go("address := u.Hostname() + \":443\"\n").is_empty());
        assert!(go("return d.DialContext(ctx, network, dns+\":53\")\n").is_empty());
        assert!(go("HTTPSAddress: \":443\",\n").is_empty());
        assert_eq!(
            go("HTTPAddress: \"127.0.0.1:4180\",\n"),
            [(4180, PortSource::ListenAddress, true, 1)]
        );
        // Glued, but on a line about listening: still the listener.
        assert_eq!(
            go("http.ListenAndServe(host+\":8080\", nil)\n"),
            [(8080, PortSource::ListenAddress, false, 1)]
        );
    }

    #[test]
    fn rust_option_defaults_across_lines_and_no_test_fixtures() {
        let derive = "#[derive(Parser)]\nstruct Args {\n    #[arg(\n        long = \"port\",\n        default_value = \"8080\",\n        env = \"PORT\"\n    )]\n    /// The port\n    pub port: u16,\n}\n";
        assert_eq!(rust(derive), [(8080, PortSource::FlagDefault, false, 5)]);
        let builder = "Arg::new(\"port\")\n    .short('p')\n    .value_name(\"PORT\")\n    .default_value(\"8000\")\n";
        assert_eq!(rust(builder), [(8000, PortSource::FlagDefault, false, 1)]);
        // Another option's default is not the port's.
        assert!(rust("#[arg(long, default_value = \"4\")]\nthreads: usize,\n").is_empty());
        let tests = "fn main() {}\n\n#[cfg(test)]\nmod tests {\n    const ADDR: &str = \"127.0.0.1:1234\";\n}\n";
        assert!(rust(tests).is_empty());
    }

    #[test]
    fn a_port_only_a_subcommand_opens_is_not_the_programs() {
        let go_rules = PortRules::new(&crate::lang::go::data::go().port);
        let rust_rules = PortRules::new(&crate::lang::rust::data::rust().port);
        let listening = |rules: &PortRules, file: &str, text: &str, program: &str| {
            let mut warnings = Vec::new();
            let hits = rules.scan(file, text, &[]);
            let listening = Listening::of_program(hits, None, program, &mut warnings);
            (listening.port.map(|p| p.port), warnings.len())
        };
        // A cobra child command, a flag set named `prog sub`, a clap builder subcommand.
        let cobra = "var serveCmd = &cobra.Command{\n\tUse: \"serve\",\n}\n\nfunc init() {\n\tserveCmd.Flags().Int(\"port\", 8080, \"port to listen on\")\n}\n";
        assert_eq!(
            listening(&go_rules, "cmd/serve.go", cobra, "tool"),
            (None, 1)
        );
        let flag_set = "fs := flag.NewFlagSet(\"tool attack\", flag.ExitOnError)\nfs.StringVar(&addr, \"metrics\", \"0.0.0.0:8880\", \"listen address\")\n";
        assert_eq!(
            listening(&go_rules, "attack.go", flag_set, "tool"),
            (None, 1)
        );
        let clap = "pub fn make_subcommand() -> Command {\n    Command::new(\"serve\")\n        .arg(Arg::new(\"port\").long(\"port\").default_value(\"3000\"))\n}\n";
        assert_eq!(
            listening(&rust_rules, "src/cmd/serve.rs", clap, "book"),
            (None, 1)
        );
        // The root command is the program's own (cobra's Use names the binary), and a
        // one-word flag set (pflag's "default") is no command.
        let root = cobra.replace("\"serve\"", "\"tool\"");
        assert_eq!(
            listening(&go_rules, "cmd/root.go", &root, "tool"),
            (Some(8080), 0)
        );
        let pflag = "fs := pflag.NewFlagSet(\"default\", pflag.ContinueOnError)\nfs.Int(\"port\", 9898, \"HTTP port\")\n";
        assert_eq!(
            listening(&go_rules, "main.go", pflag, "app"),
            (Some(9898), 0)
        );
        // A one-word flag set the program dispatches by name is a subcommand.
        let dispatched = "switch os.Args[1] {\ncase \"server\":\n\tserver(os.Args[2:])\n}\n\nfunc server(args []string) {\n\tflags := flag.NewFlagSet(\"server\", flag.ContinueOnError)\n\tport := flags.String(\"port\", \"8080\", \"listening port\")\n}\n";
        assert_eq!(
            listening(&go_rules, "main.go", dispatched, "tunnel"),
            (None, 1)
        );
        // The program's own port wins over a subcommand's, which stays another port.
        let main = "func main() {\n\thttp.ListenAndServe(\":9000\", nil)\n}\n";
        let mut warnings = Vec::new();
        let mut hits = go_rules.scan("cmd/serve.go", cobra, &[]);
        hits.extend(go_rules.scan("main.go", main, &[]));
        let own = Listening::of_program(hits, None, "tool", &mut warnings);
        assert_eq!(own.port.map(|p| p.port), Some(9000));
        assert!(warnings.is_empty());
    }

    #[test]
    fn node_env_defaults_through_a_chain_and_envalid() {
        let chain = "app.set('port', process.env.PORT || process.env.OPENSHIFT_PORT || 8080);\n";
        assert_eq!(node(chain), [(8080, PortSource::EnvDefault, false, 1)]);
        let envalid = "const env = cleanEnv(process.env, {\n  PORT: num({ default: 3000 }),\n  DB_PORT: num({ default: 5432 }),\n});\n";
        assert_eq!(node(envalid), [(3000, PortSource::EnvDefault, false, 2)]);
        // Nx's generated servers test the variable, Angular's index it by name.
        let nx = "const port = process.env.PORT ? Number(process.env.PORT) : 3014;\n";
        assert_eq!(node(nx), [(3014, PortSource::EnvDefault, false, 1)]);
        let angular = "const port = process.env['PORT'] || 4000;\n";
        assert_eq!(node(angular), [(4000, PortSource::EnvDefault, false, 1)]);
    }

    #[test]
    fn rust_builder_defaults_only_on_a_listening_field() {
        let config = "struct Smtp {\n    #[builder(default = \"587\")]\n    pub port: u16,\n}\nstruct Config {\n    #[builder(default = \"17170\")]\n    pub http_port: u16,\n}\n";
        assert_eq!(rust(config), [(17170, PortSource::FlagDefault, false, 6)]);
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

    fn python(text: &str) -> Vec<(u16, PortSource, bool, usize)> {
        let rules = PortRules::new(&crate::lang::python::data::python().port);
        summarize(rules.scan("app/cli.py", text, &[]))
    }

    #[test]
    fn constants_named_as_the_default_port() {
        // Another file may use them by name (mini-redis: cli.port.unwrap_or(DEFAULT_PORT)).
        assert_eq!(
            rust("/// The default port.\npub const DEFAULT_PORT: u16 = 6379;\n"),
            [(6379, PortSource::FlagDefault, false, 2)]
        );
        assert_eq!(
            python("PORT = 8000\n"),
            [(8000, PortSource::FlagDefault, false, 1)]
        );
        assert_eq!(
            go("const defaultHTTPPort = 9090\n"),
            [(9090, PortSource::FlagDefault, false, 1)]
        );
        // Ports a program dials, bounds and local variables are not its own.
        assert!(python("DB_PORT = 5432\nMAX_PORT = 65535\nport = 3306\n").is_empty());
    }

    #[test]
    fn a_line_without_a_digit_still_names_a_declared_constant() {
        // The line-level skip (no digit, no constant's name) must keep this default:
        // its line names the constant and has no digit.
        let text = "const defaultPort = 8080\nfunc main() {\n\tflag.Int(\"port\", defaultPort, \"listen port\")\n}\n";
        let found = go(text);
        assert!(
            found.contains(&(8080, PortSource::FlagDefault, false, 3)),
            "{found:?}"
        );
    }

    #[test]
    fn constant_names_are_found_as_whole_words_whatever_their_length() {
        let long = "A".repeat(70);
        let constants = [("defaultPort", 8080), ("p", 80), (long.as_str(), 9000)];
        let names = ConstantNames::new(&constants);
        assert!(names.named_in("flag.Int(\"port\", defaultPort, \"x\")"));
        assert!(names.named_in("listen(p)"));
        assert!(names.named_in(&format!("serve({long})")));
        assert!(!names.named_in("flag.Int(\"port\", defaultPorts, \"x\")"));
        assert!(!names.named_in("listen(q, pp, _p)"));
        assert!(!ConstantNames::new(&[]).named_in("defaultPort"));
    }

    #[test]
    fn one_digit_ports_are_never_listen_addresses() {
        assert!(node("const where = \":1\";\nserve(\":5\")\n").is_empty());
    }

    #[test]
    fn go_config_defaults() {
        // A server section's port in a struct literal, across lines; not a database's.
        let gotify = "c := &Configuration{\n\tServer: Server{\n\t\tPort: 80,\n\t\tSSL: SSL{\n\t\t\tPort: 443,\n";
        assert_eq!(go(gotify), [(80, PortSource::FlagDefault, false, 2)]);
        assert!(go("c := Config{\n\tDatabase: DB{\n\t\tPort: 5432,\n\t},\n}\n").is_empty());
        // A default assigned to a listen-port field (frp).
        assert_eq!(
            go("\tc.BindPort = util.EmptyOr(c.BindPort, 7000)\n"),
            [(7000, PortSource::FlagDefault, false, 1)]
        );
        assert!(go("\tc.MaxPoolCount = util.EmptyOr(c.MaxPoolCount, 5000)\n").is_empty());
    }

    #[test]
    fn python_option_defaults_across_lines() {
        let click = "@click.option(\n    \"-p\",\n    \"--port\",\n    default=8001,\n    type=click.IntRange(1, 65535),\n)\n";
        assert_eq!(python(click), [(8001, PortSource::FlagDefault, false, 1)]);
        let argparse = "parser.add_argument(\"--port\", type=int, default=5555, help=\"port\")\n";
        assert_eq!(
            python(argparse),
            [(5555, PortSource::FlagDefault, false, 1)]
        );
        assert!(python("parser.add_argument(\"--workers\", default=4000)\n").is_empty());
    }

    #[test]
    fn node_schema_defaults() {
        for src in [
            "const envVarsSchema = Joi.object().keys({\n  PORT: Joi.number().default(3000),\n",
            "const env = z.object({ PORT: z.coerce.number().default(3000) })\n",
        ] {
            let hits = node(src);
            assert_eq!(
                hits.first().map(|h| (h.0, h.1)),
                Some((3000, PortSource::EnvDefault)),
                "{src}"
            );
        }
        assert!(node("  SMTP_PORT: Joi.number().default(587),\n").is_empty());
    }

    #[test]
    fn a_config_file_port_outranks_only_a_framework_default() {
        let hit = |port, source| PortHit {
            command: None,
            port,
            source,
            loopback: false,
            evidence: Evidence::file("x", "y"),
        };
        let config = Some(hit(8888, PortSource::ConfigDefault));
        let framework = Listening::from_hits(vec![hit(8000, PortSource::FrameworkDefault)], None);
        let moved = framework.or_config(config.clone());
        assert_eq!(moved.port.map(|p| p.port), Some(8888));
        assert_eq!(moved.other_ports[0].port, 8000);
        let flag = Listening::from_hits(vec![hit(9000, PortSource::FlagDefault)], None);
        assert_eq!(flag.or_config(config).port.map(|p| p.port), Some(9000));
    }
}
