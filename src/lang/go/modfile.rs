//! Parses `go.mod` and `go.work`: the directives docksmith needs, with line numbers.
//!
//! The grammar is Go's modfile syntax: one directive per line or a parenthesised block
//! of them, `//` comments, and quoted (`"..."`) or raw (`` `...` ``) strings. Unknown
//! directives are skipped, because newer Go releases add them.

use crate::detect::DetectError;

/// A Go release named by a `go` or `toolchain` line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct GoVersion {
    pub major: u32,
    pub minor: u32,
}

impl GoVersion {
    /// Parses `1.22`, `1.22.3`, `1.21rc1` (and, with `go` prefix, toolchain names).
    pub fn parse(text: &str) -> Option<GoVersion> {
        let text = text.strip_prefix("go").unwrap_or(text);
        let mut parts = text.splitn(3, '.');
        let major = parts.next()?.parse().ok()?;
        let minor_text = parts.next()?;
        let digits: String = minor_text
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let rest = &minor_text[digits.len()..];
        if digits.is_empty()
            || !(rest.is_empty() || rest.starts_with("rc") || rest.starts_with("beta"))
        {
            return None;
        }
        if let Some(patch) = parts.next()
            && (patch.is_empty() || !patch.chars().all(|c| c.is_ascii_digit()))
        {
            return None;
        }
        Some(GoVersion {
            major,
            minor: digits.parse().ok()?,
        })
    }
}

impl std::fmt::Display for GoVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// A value and the 1-based line it was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line<T> {
    pub value: T,
    pub line: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Require {
    pub path: String,
    pub version: String,
    pub line: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replace {
    pub old: String,
    /// A module path, or a file path when `new_version` is `None`.
    pub new: String,
    pub new_version: Option<String>,
    pub line: usize,
}

impl Replace {
    /// A replacement by a directory (`=> ../lib`) rather than another module.
    pub fn local_dir(&self) -> Option<&str> {
        let is_path = self.new.starts_with("./")
            || self.new.starts_with("../")
            || self.new.starts_with('/')
            || self.new == "."
            || self.new == "..";
        (self.new_version.is_none() && is_path).then_some(self.new.as_str())
    }
}

/// The parts of a go.mod or go.work docksmith reads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ModFile {
    pub module: Option<Line<String>>,
    pub go: Option<Line<GoVersion>>,
    pub toolchain: Option<Line<GoVersion>>,
    pub requires: Vec<Require>,
    pub replaces: Vec<Replace>,
    /// `use` directives (go.work only).
    pub uses: Vec<Line<String>>,
}

/// Parses the text of a go.mod or go.work named `file`.
pub fn parse(file: &str, text: &str) -> Result<ModFile, DetectError> {
    let mut out = ModFile::default();
    let mut block: Option<String> = None;
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let err = |message: String| DetectError::Syntax {
            file: file.to_string(),
            line,
            message,
            hint: format!("fix {file} (`go mod tidy` rewrites it in canonical form)"),
        };
        let tokens = tokenize(raw).map_err(err)?;
        let Some(first) = tokens.first() else {
            continue;
        };
        if let Some(verb) = block.clone() {
            if first == ")" {
                block = None;
                continue;
            }
            directive(&mut out, &verb, &tokens, line).map_err(err)?;
            continue;
        }
        if tokens.len() == 2 && tokens[1] == "(" {
            block = Some(first.clone());
            continue;
        }
        directive(&mut out, first, &tokens[1..], line).map_err(err)?;
    }
    if block.is_some() {
        return Err(DetectError::Syntax {
            file: file.to_string(),
            line: text.lines().count(),
            message: "a `(` block is never closed".into(),
            hint: format!("add the missing `)` to {file}"),
        });
    }
    Ok(out)
}

fn directive(out: &mut ModFile, verb: &str, args: &[String], line: usize) -> Result<(), String> {
    let one = |what: &str| -> Result<String, String> {
        match args {
            [value] => Ok(value.clone()),
            _ => Err(format!("`{what}` takes exactly one argument")),
        }
    };
    match verb {
        "module" => {
            out.module = Some(Line {
                value: one("module")?,
                line,
            })
        }
        "go" => {
            let text = one("go")?;
            let value =
                GoVersion::parse(&text).ok_or_else(|| format!("invalid go version `{text}`"))?;
            out.go = Some(Line { value, line });
        }
        "toolchain" => {
            let text = one("toolchain")?;
            // `toolchain default` names no version.
            if text != "default" {
                let value =
                    GoVersion::parse(&text).ok_or_else(|| format!("invalid toolchain `{text}`"))?;
                out.toolchain = Some(Line { value, line });
            }
        }
        "require" => match args {
            [path, version] => out.requires.push(Require {
                path: path.clone(),
                version: version.clone(),
                line,
            }),
            _ => return Err("`require` takes a module path and a version".into()),
        },
        "replace" => {
            let arrow = args
                .iter()
                .position(|t| t == "=>")
                .ok_or("`replace` needs `=>`")?;
            let (old, new) = (&args[..arrow], &args[arrow + 1..]);
            let (Some(old_path), Some(new_path)) = (old.first(), new.first()) else {
                return Err("`replace` needs a module on each side of `=>`".into());
            };
            if old.len() > 2 || new.len() > 2 {
                return Err("too many words in `replace`".into());
            }
            out.replaces.push(Replace {
                old: old_path.clone(),
                new: new_path.clone(),
                new_version: new.get(1).cloned(),
                line,
            });
        }
        "use" => out.uses.push(Line {
            value: one("use")?,
            line,
        }),
        // exclude, retract, godebug, tool, ignore and future directives change nothing here.
        _ => {}
    }
    Ok(())
}

/// Splits one line into words, `(`/`)`/`=>`, and unquoted strings; drops comments.
fn tokenize(line: &str) -> Result<Vec<String>, String> {
    let mut tokens = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '/' if line_rest_starts(&chars, "//") => break,
            '(' | ')' => {
                chars.next();
                tokens.push(c.to_string());
            }
            '"' => {
                chars.next();
                tokens.push(quoted(&mut chars)?);
            }
            '`' => {
                chars.next();
                let mut value = String::new();
                loop {
                    match chars.next() {
                        Some('`') => break,
                        Some(c) => value.push(c),
                        None => return Err("unterminated raw string".into()),
                    }
                }
                tokens.push(value);
            }
            _ => {
                let mut word = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_whitespace() || c == '(' || c == ')' || c == '"' || c == '`' {
                        break;
                    }
                    if c == '/' && line_rest_starts(&chars, "//") {
                        break;
                    }
                    word.push(c);
                    chars.next();
                }
                tokens.push(word);
            }
        }
    }
    Ok(tokens)
}

fn line_rest_starts(chars: &std::iter::Peekable<std::str::Chars<'_>>, prefix: &str) -> bool {
    chars.clone().take(prefix.len()).eq(prefix.chars())
}

/// Reads a Go interpreted string literal after its opening quote.
fn quoted(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Result<String, String> {
    let mut value = String::new();
    loop {
        match chars.next() {
            Some('"') => return Ok(value),
            Some('\\') => match chars.next() {
                Some('n') => value.push('\n'),
                Some('t') => value.push('\t'),
                Some('r') => value.push('\r'),
                Some('\\') => value.push('\\'),
                Some('"') => value.push('"'),
                Some(other) => {
                    value.push('\\');
                    value.push(other);
                }
                None => return Err("unterminated string".into()),
            },
            Some(c) => value.push(c),
            None => return Err("unterminated string".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GO_MOD: &str = r#"// a comment
module example.com/shop/v2 // trailing

go 1.22.3

toolchain go1.23.1

require github.com/google/uuid v1.6.0

require (
	github.com/mattn/go-sqlite3 v1.14.22 // indirect
	"github.com/go-chi/chi/v5" v5.1.0
)

replace example.com/lib => ../lib
replace (
	golang.org/x/net v0.1.0 => golang.org/x/net v0.2.0
)
exclude example.com/bad v1.0.0
"#;

    #[test]
    fn reads_directives_with_lines() {
        let m = parse("go.mod", GO_MOD).unwrap();
        assert_eq!(
            m.module.unwrap(),
            Line {
                value: "example.com/shop/v2".into(),
                line: 2
            }
        );
        assert_eq!(
            m.go.unwrap().value,
            GoVersion {
                major: 1,
                minor: 22
            }
        );
        assert_eq!(m.toolchain.unwrap().value.to_string(), "1.23");
        let paths: Vec<_> = m
            .requires
            .iter()
            .map(|r| (r.path.as_str(), r.line))
            .collect();
        assert_eq!(
            paths,
            [
                ("github.com/google/uuid", 8),
                ("github.com/mattn/go-sqlite3", 11),
                ("github.com/go-chi/chi/v5", 12),
            ]
        );
        assert_eq!(m.replaces[0].local_dir(), Some("../lib"));
        assert_eq!(m.replaces[1].local_dir(), None);
    }

    #[test]
    fn reads_go_work() {
        let w = parse(
            "go.work",
            "go 1.22\n\nuse (\n\t./api\n\t./lib // shared\n)\nuse ./tools\n",
        )
        .unwrap();
        let uses: Vec<_> = w.uses.iter().map(|u| u.value.as_str()).collect();
        assert_eq!(uses, ["./api", "./lib", "./tools"]);
    }

    #[test]
    fn versions() {
        assert_eq!(
            GoVersion::parse("1.21rc1"),
            Some(GoVersion {
                major: 1,
                minor: 21
            })
        );
        assert_eq!(
            GoVersion::parse("go1.23.4"),
            Some(GoVersion {
                major: 1,
                minor: 23
            })
        );
        assert_eq!(GoVersion::parse("1"), None);
        assert_eq!(GoVersion::parse("1.x"), None);
        assert_eq!(GoVersion::parse("1.22.3; rm -rf /"), None);
    }

    #[test]
    fn syntax_errors_name_file_and_line() {
        for bad in [
            "module a b\n",
            "go banana\n",
            "module \"unterminated\n",
            "require (\n a v1\n",
            "replace a v1 b\n",
        ] {
            let err = parse("go.mod", bad).unwrap_err();
            assert!(err.to_string().starts_with("go.mod:"), "{bad:?}: {err}");
            assert!(err.hint().unwrap().contains("go.mod"));
        }
    }

    #[test]
    fn quoted_values_are_unquoted_including_hostile_ones() {
        let m = parse("go.mod", "module \"example.com/a\\\"$(touch x)\\nRUN b\"\n").unwrap();
        assert_eq!(m.module.unwrap().value, "example.com/a\"$(touch x)\nRUN b");
    }

    #[test]
    fn unknown_directives_are_skipped() {
        let m = parse(
            "go.mod",
            "module a\ngodebug default=go1.21\ntool golang.org/x/tools/cmd/stringer\n",
        )
        .unwrap();
        assert_eq!(m.module.unwrap().value, "a");
    }
}
