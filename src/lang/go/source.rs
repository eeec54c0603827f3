//! Reads what detection needs from one Go source file: the package name, the imports
//! (with lines), `import "C"`, `//go:embed` patterns and whether the file's build
//! constraints let it into a Linux build at all.
//!
//! Only the header is parsed as Go (package clause and import declarations); that is
//! all a file's dependencies are, and it never needs the rest of the grammar.

/// What one file says about its package.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GoFile {
    pub package: String,
    pub imports: Vec<Import>,
    /// Line of `import "C"`, if any.
    pub cgo_line: Option<usize>,
    /// `//go:embed` patterns with their lines.
    pub embeds: Vec<(String, usize)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Import {
    pub path: String,
    pub line: usize,
}

/// Parses a file's header; `None` when it has no package clause (not a Go file a build
/// would accept).
pub fn parse(text: &str) -> Option<GoFile> {
    let mut lexer = Lexer::new(text);
    let tok = loop {
        match lexer.next()? {
            (Tok::Semi, _) => continue,
            (tok, _) => break tok,
        }
    };
    if tok != Tok::Ident("package".into()) {
        return None;
    }
    let Some((Tok::Ident(package), _)) = lexer.next() else {
        return None;
    };
    let mut file = GoFile {
        package,
        ..GoFile::default()
    };
    loop {
        match lexer.next() {
            Some((Tok::Semi, _)) => continue,
            Some((Tok::Ident(kw), _)) if kw == "import" => {}
            _ => break,
        }
        match lexer.next() {
            Some((Tok::Open, _)) => loop {
                match lexer.next() {
                    Some((Tok::Close, _)) | None => break,
                    Some((Tok::Str(path), line)) => file.add_import(path, line),
                    Some(_) => {}
                }
            },
            Some((Tok::Str(path), line)) => file.add_import(path, line),
            // `import name "path"` / `import . "path"` / `import _ "path"`
            Some(_) => {
                if let Some((Tok::Str(path), line)) = lexer.next() {
                    file.add_import(path, line);
                }
            }
            None => break,
        }
    }
    file.embeds = embeds(text);
    Some(file)
}

impl GoFile {
    fn add_import(&mut self, path: String, line: usize) {
        if path == "C" {
            self.cgo_line.get_or_insert(line);
        } else {
            self.imports.push(Import { path, line });
        }
    }
}

/// `//go:embed` patterns: words or quoted strings after the directive.
fn embeds(text: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let Some(rest) = line.trim_start().strip_prefix("//go:embed") else {
            continue;
        };
        if !rest.starts_with([' ', '\t']) {
            continue;
        }
        out.extend(embed_words(rest).into_iter().map(|w| (w, index + 1)));
    }
    out
}

/// Splits a `//go:embed` argument list: space-separated words, or `"..."`/`` `...` ``.
fn embed_words(rest: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut chars = rest.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '"' || c == '`' {
            chars.next();
            words.push(chars.by_ref().take_while(|&n| n != c).collect());
        } else {
            let mut word = String::new();
            while let Some(&n) = chars.peek() {
                if n.is_whitespace() {
                    break;
                }
                word.push(n);
                chars.next();
            }
            words.push(word);
        }
    }
    words
}

#[derive(Debug, PartialEq, Eq)]
enum Tok {
    Ident(String),
    Str(String),
    Open,
    Close,
    Semi,
    Other(String),
}

/// A tiny Go lexer: identifiers, string literals, parentheses and statement ends;
/// comments and whitespace skipped. Enough for package and import clauses.
struct Lexer<'a> {
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    text: &'a str,
    line: usize,
}

impl<'a> Lexer<'a> {
    fn new(text: &'a str) -> Self {
        Lexer {
            chars: text.char_indices().peekable(),
            text,
            line: 1,
        }
    }

    fn bump(&mut self) -> Option<char> {
        let (_, c) = self.chars.next()?;
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    fn next(&mut self) -> Option<(Tok, usize)> {
        loop {
            let &(at, c) = self.chars.peek()?;
            let line = self.line;
            match c {
                '\n' | ';' => {
                    self.bump();
                    return Some((Tok::Semi, line));
                }
                c if c.is_whitespace() => {
                    self.bump();
                }
                '/' if self.text[at..].starts_with("//") => {
                    while self.chars.peek().is_some_and(|&(_, c)| c != '\n') {
                        self.bump();
                    }
                }
                '/' if self.text[at..].starts_with("/*") => {
                    self.bump();
                    self.bump();
                    let mut prev = ' ';
                    while let Some(c) = self.bump() {
                        if prev == '*' && c == '/' {
                            break;
                        }
                        prev = c;
                    }
                }
                '(' => {
                    self.bump();
                    return Some((Tok::Open, line));
                }
                ')' => {
                    self.bump();
                    return Some((Tok::Close, line));
                }
                '"' => {
                    self.bump();
                    let mut s = String::new();
                    while let Some(c) = self.bump() {
                        match c {
                            '"' | '\n' => break,
                            '\\' => {
                                if let Some(e) = self.bump() {
                                    s.push(match e {
                                        'n' => '\n',
                                        't' => '\t',
                                        other => other,
                                    });
                                }
                            }
                            c => s.push(c),
                        }
                    }
                    return Some((Tok::Str(s), line));
                }
                '`' => {
                    self.bump();
                    let mut s = String::new();
                    while let Some(c) = self.bump() {
                        if c == '`' {
                            break;
                        }
                        s.push(c);
                    }
                    return Some((Tok::Str(s), line));
                }
                c if c.is_alphanumeric() || c == '_' => {
                    let mut s = String::new();
                    while let Some(&(_, c)) = self.chars.peek() {
                        if !(c.is_alphanumeric() || c == '_') {
                            break;
                        }
                        s.push(c);
                        self.bump();
                    }
                    return Some((Tok::Ident(s), line));
                }
                _ => {
                    let mut s = String::new();
                    while let Some(&(_, c)) = self.chars.peek() {
                        if c.is_whitespace() || "()\";`".contains(c) {
                            break;
                        }
                        s.push(c);
                        self.bump();
                    }
                    return Some((Tok::Other(s), line));
                }
            }
        }
    }
}

const KNOWN_OS: &[&str] = &[
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "hurd",
    "illumos",
    "ios",
    "js",
    "linux",
    "nacl",
    "netbsd",
    "openbsd",
    "plan9",
    "solaris",
    "wasip1",
    "windows",
    "zos",
];
const KNOWN_ARCH: &[&str] = &[
    "386",
    "amd64",
    "amd64p32",
    "arm",
    "armbe",
    "arm64",
    "arm64be",
    "loong64",
    "mips",
    "mipsle",
    "mips64",
    "mips64le",
    "mips64p32",
    "mips64p32le",
    "ppc",
    "ppc64",
    "ppc64le",
    "riscv",
    "riscv64",
    "s390",
    "s390x",
    "sparc",
    "sparc64",
    "wasm",
];
/// The architectures docksmith's images are built for.
const TARGET_ARCH: &[&str] = &["amd64", "arm64"];

/// Whether a file with this name and text is part of a Linux build without cgo-only
/// files (a file guarded by the `cgo` tag has a pure-Go twin, which docksmith prefers).
pub fn in_linux_build(file_name: &str, text: &str) -> bool {
    name_matches(file_name) && constraint_matches(text)
}

fn name_matches(file_name: &str) -> bool {
    let stem = file_name.strip_suffix(".go").unwrap_or(file_name);
    let parts: Vec<&str> = stem.split('_').collect();
    let n = parts.len();
    if n >= 3 && KNOWN_OS.contains(&parts[n - 2]) && KNOWN_ARCH.contains(&parts[n - 1]) {
        return parts[n - 2] == "linux" && TARGET_ARCH.contains(&parts[n - 1]);
    }
    if n >= 2 {
        let last = parts[n - 1];
        if KNOWN_OS.contains(&last) {
            return last == "linux";
        }
        if KNOWN_ARCH.contains(&last) {
            return TARGET_ARCH.contains(&last);
        }
    }
    true
}

fn constraint_matches(text: &str) -> bool {
    let mut legacy = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if let Some(expr) = trimmed.strip_prefix("//go:build") {
            if expr.starts_with([' ', '\t']) {
                return eval(expr).unwrap_or(true);
            }
        } else if let Some(expr) = trimmed.strip_prefix("// +build ") {
            legacy.push(expr.to_string());
        } else if trimmed.starts_with("package ") {
            break;
        }
    }
    // `// +build a,b c` lines: spaces are OR, commas AND, lines AND together.
    legacy.iter().all(|line| {
        line.split_whitespace().any(|term| {
            term.split(',').all(|tag| match tag.strip_prefix('!') {
                Some(t) => !tag_true(t),
                None => tag_true(tag),
            })
        })
    })
}

fn tag_true(tag: &str) -> bool {
    matches!(tag, "linux" | "unix" | "gc") || TARGET_ARCH.contains(&tag) || is_go_version_tag(tag)
}

fn is_go_version_tag(tag: &str) -> bool {
    tag.strip_prefix("go1.")
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

/// Evaluates a `//go:build` expression; `None` when it does not parse.
fn eval(expr: &str) -> Option<bool> {
    let tokens = build_tokens(expr)?;
    let mut pos = 0;
    let value = or_expr(&tokens, &mut pos)?;
    (pos == tokens.len()).then_some(value)
}

fn build_tokens(expr: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut chars = expr.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => {}
            '(' | ')' | '!' => out.push(c.to_string()),
            '&' | '|' => {
                if chars.next() != Some(c) {
                    return None;
                }
                out.push(format!("{c}{c}"));
            }
            c if c.is_alphanumeric() || c == '_' || c == '.' => {
                let mut tag = c.to_string();
                while let Some(&n) = chars.peek() {
                    if !(n.is_alphanumeric() || n == '_' || n == '.') {
                        break;
                    }
                    tag.push(n);
                    chars.next();
                }
                out.push(tag);
            }
            _ => return None,
        }
    }
    Some(out)
}

fn or_expr(t: &[String], pos: &mut usize) -> Option<bool> {
    let mut value = and_expr(t, pos)?;
    while t.get(*pos).map(String::as_str) == Some("||") {
        *pos += 1;
        value |= and_expr(t, pos)?;
    }
    Some(value)
}

fn and_expr(t: &[String], pos: &mut usize) -> Option<bool> {
    let mut value = not_expr(t, pos)?;
    while t.get(*pos).map(String::as_str) == Some("&&") {
        *pos += 1;
        value &= not_expr(t, pos)?;
    }
    Some(value)
}

fn not_expr(t: &[String], pos: &mut usize) -> Option<bool> {
    let tok = t.get(*pos)?;
    *pos += 1;
    match tok.as_str() {
        "!" => not_expr(t, pos).map(|v| !v),
        "(" => {
            let value = or_expr(t, pos)?;
            (t.get(*pos).map(String::as_str) == Some(")")).then(|| {
                *pos += 1;
                value
            })
        }
        ")" | "&&" | "||" => None,
        tag => Some(tag_true(tag)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_package_and_imports() {
        let src = r#"// Package main does things.
package main

import "fmt"
import (
	"net/http" // server
	chi "github.com/go-chi/chi/v5"
	_ "embed"
	. "strings"
	/* "not/an/import" */
)

/*
#include <stdio.h>
*/
import "C"

func main() { fmt.Println(`import "nope"`) }
"#;
        let f = parse(src).unwrap();
        assert_eq!(f.package, "main");
        let imports: Vec<_> = f
            .imports
            .iter()
            .map(|i| (i.path.as_str(), i.line))
            .collect();
        assert_eq!(
            imports,
            [
                ("fmt", 4),
                ("net/http", 6),
                ("github.com/go-chi/chi/v5", 7),
                ("embed", 8),
                ("strings", 9)
            ]
        );
        assert_eq!(f.cgo_line, Some(16));
    }

    #[test]
    fn no_package_clause() {
        assert_eq!(parse("// just a comment\n"), None);
        assert_eq!(parse("func main() {}"), None);
    }

    #[test]
    fn embed_patterns() {
        let f = parse(
            "package web\n\nimport \"embed\"\n\n//go:embed static/* \"a b.txt\"\nvar fs embed.FS\n",
        )
        .unwrap();
        assert_eq!(
            f.embeds,
            [("static/*".to_string(), 5), ("a b.txt".to_string(), 5)]
        );
    }

    #[test]
    fn file_names() {
        assert!(name_matches("main.go"));
        assert!(name_matches("net_linux.go"));
        assert!(!name_matches("net_windows.go"));
        assert!(name_matches("asm_amd64.go"));
        assert!(!name_matches("asm_386.go"));
        assert!(name_matches("x_linux_arm64.go"));
        assert!(!name_matches("x_darwin_arm64.go"));
        assert!(name_matches("my_server.go"));
    }

    #[test]
    fn build_constraints() {
        assert!(in_linux_build(
            "a.go",
            "//go:build linux && !windows\n\npackage a\n"
        ));
        assert!(!in_linux_build(
            "a.go",
            "//go:build ignore\n\npackage main\n"
        ));
        assert!(!in_linux_build(
            "a.go",
            "//go:build windows || darwin\npackage a\n"
        ));
        assert!(in_linux_build(
            "a.go",
            "//go:build (linux || darwin) && go1.21\npackage a\n"
        ));
        assert!(!in_linux_build("a.go", "//go:build cgo\npackage a\n"));
        assert!(in_linux_build("a.go", "//go:build !cgo\npackage a\n"));
        assert!(!in_linux_build(
            "a.go",
            "// +build ignore\n\npackage main\n"
        ));
        assert!(in_linux_build(
            "a.go",
            "// +build linux,amd64 darwin\n\npackage a\n"
        ));
        // A malformed expression does not hide the file.
        assert!(in_linux_build("a.go", "//go:build linux &&\npackage a\n"));
        // Only the header counts.
        assert!(in_linux_build("a.go", "package a\n//go:build ignore\n"));
    }
}
