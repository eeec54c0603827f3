//! Compiles the detectors' data patterns with ASCII classes: `\w`, `\d`, `\s` and `\b`
//! mean what they mean in the source code they scan (identifiers, port numbers,
//! spacing), not their Unicode forms. Unicode `\w` under `(?i)` is hundreds of ranges;
//! compiling the Go port rules with it took two thirds of a whole `plan` (about 80 of
//! 120 million instructions on traefik/whoami).

use regex::Regex;

/// `pattern` with its Perl classes made ASCII, compiled.
pub fn compile(pattern: &str) -> Result<Regex, regex::Error> {
    Regex::new(&ascii_classes(pattern))
}

/// Rewrites `\w`, `\d`, `\s` (inside and outside brackets) and `\b` to their ASCII
/// forms; everything else, negated classes included, is left as written.
pub fn ascii_classes(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut depth = 0usize; // nesting of [...] classes
    let mut chars = pattern.chars().peekable();
    // Right after `[` or `[^` a `]` is a literal, not the class's end.
    let mut class_start = false;
    while let Some(c) = chars.next() {
        let at_start = std::mem::take(&mut class_start);
        match c {
            '\\' => {
                let Some(next) = chars.next() else {
                    out.push(c);
                    break;
                };
                let inside = depth > 0;
                match (next, inside) {
                    ('w', false) => out.push_str("[0-9A-Za-z_]"),
                    ('w', true) => out.push_str("0-9A-Za-z_"),
                    ('d', false) => out.push_str("[0-9]"),
                    ('d', true) => out.push_str("0-9"),
                    ('s', false) => out.push_str(r"[\t\n\x0B\x0C\r ]"),
                    ('s', true) => out.push_str(r"\t\n\x0B\x0C\r "),
                    ('b', false) => out.push_str(r"(?-u:\b)"),
                    _ => {
                        out.push(c);
                        out.push(next);
                    }
                }
            }
            '[' => {
                out.push(c);
                // `[[:alpha:]]`-style names stay as written.
                if chars.peek() == Some(&':') && depth > 0 {
                    for n in chars.by_ref() {
                        out.push(n);
                        if n == ']' {
                            break;
                        }
                    }
                    continue;
                }
                depth += 1;
                class_start = true;
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
            }
            ']' if depth > 0 && !at_start => {
                depth -= 1;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perl_classes_become_ascii_inside_and_outside_brackets() {
        assert_eq!(ascii_classes(r"\w+"), "[0-9A-Za-z_]+");
        assert_eq!(ascii_classes(r"[\w.-]"), "[0-9A-Za-z_.-]");
        assert_eq!(ascii_classes(r"\d{2,5}"), "[0-9]{2,5}");
        assert_eq!(ascii_classes(r"[^\s]"), r"[^\t\n\x0B\x0C\r ]");
        assert_eq!(ascii_classes(r"\baddr\b"), r"(?-u:\b)addr(?-u:\b)");
        // Escaped backslashes, negated classes, literal brackets, class names.
        assert_eq!(ascii_classes(r"\\w"), r"\\w");
        assert_eq!(ascii_classes(r"\W\D\S\B"), r"\W\D\S\B");
        assert_eq!(ascii_classes(r"[]\w]"), "[]0-9A-Za-z_]");
        assert_eq!(ascii_classes(r"[^]\d]\w"), "[^]0-9][0-9A-Za-z_]");
        assert_eq!(
            ascii_classes(r"[[:alpha:]\d]\w"),
            "[[:alpha:]0-9][0-9A-Za-z_]"
        );
        assert_eq!(ascii_classes(r"\[\w\]"), r"\[[0-9A-Za-z_]\]");
    }

    #[test]
    fn every_data_pattern_compiles_and_agrees_with_its_unicode_form_on_ascii() {
        let lines = [
            "http.ListenAndServe(\":8080\", nil)",
            "flag.StringVar(&addr, \"addr\", \":9090\", \"listen address\")",
            "port := os.Getenv(\"PORT\")",
            "app.listen(process.env.PORT || 3000)",
            "uvicorn.run(app, host=\"0.0.0.0\", port=8000)",
            "const DEFAULT_PORT = 8080;",
            "Server: Server{ Port: 80, Host: \"x\" },",
            "    case \"serve\":",
            "server.port=8081",
            "let addr = SocketAddr::from(([0, 0, 0, 0], 3000));",
        ];
        let languages = [
            &crate::lang::go::data::go().port,
            &crate::lang::rust::data::rust().port,
            &crate::lang::node::data::node().port,
            &crate::lang::python::data::python().port,
            &crate::lang::java::data::java().port,
        ];
        for pattern in languages.into_iter().flat_map(|port| port.patterns()) {
            let ascii = compile(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
            let unicode = Regex::new(pattern).unwrap();
            for line in lines {
                let a: Vec<_> = ascii.find_iter(line).map(|m| m.range()).collect();
                let u: Vec<_> = unicode.find_iter(line).map(|m| m.range()).collect();
                assert_eq!(a, u, "{pattern} on {line}");
            }
        }
    }
}
