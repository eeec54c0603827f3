//! The build context as Docker sees it through a `.dockerignore` (the one at the
//! context root; Docker reads no other).
//!
//! [`IgnoreRules`] follows Docker's rules: patterns are relative to the context root,
//! `*` and `?` stop at `/`, `**` spans folders, a pattern that matches a folder
//! excludes everything in it, and the last matching line wins (`!` re-includes).
//! [`keep_required`] disables any line that would drop a file the build reads, so a
//! generated `.dockerignore` can never break the build it was written for.

use std::path::Path;

use globset::{GlobBuilder, GlobMatcher};

/// Files that hold secrets or local environment: every generated .dockerignore
/// excludes them (templates/dockerignore/common.tera lists the same lines, tested), and
/// `generate` to stdout names those a context without one holds.
pub const SECRET_PATTERNS: &[&str] = &[
    "**/.env",
    "**/.env.*",
    "**/*.pem",
    "**/*.key",
    "**/*.p12",
    "**/*.pfx",
    "**/id_rsa*",
    "**/id_ed25519*",
    "**/.netrc",
    "**/.aws",
    "**/.ssh",
    "**/*.tfstate",
    "**/*.tfstate.*",
];

/// The entries at the top of `root` that look like secrets (names only; nothing is
/// read, at most the first 10,000 entries are looked at). A .gitignore does not keep
/// them out of a build context, so the project scan (which honours it) cannot tell.
pub fn secrets_at_root(root: &Path) -> Vec<String> {
    let rules = IgnoreRules::parse(&SECRET_PATTERNS.join("\n"));
    let Ok(entries) = std::fs::read_dir(root) else {
        return Vec::new();
    };
    let mut found: Vec<String> = entries
        .take(10_000)
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| !name.chars().any(char::is_control) && rules.excludes(name))
        .collect();
    found.sort();
    found
}

/// The exclusion rules of a .dockerignore.
pub struct IgnoreRules {
    rules: Vec<Rule>,
}

struct Rule {
    matcher: GlobMatcher,
    exception: bool,
    /// Index of the line in the file.
    line: usize,
}

impl IgnoreRules {
    /// Parses .dockerignore text; lines that are not valid patterns are skipped, as
    /// they can match nothing.
    pub fn parse(text: &str) -> IgnoreRules {
        let rules = text
            .lines()
            .enumerate()
            .filter_map(|(line, raw)| {
                let pattern = raw.trim();
                if pattern.is_empty() || pattern.starts_with('#') {
                    return None;
                }
                let (exception, pattern) = match pattern.strip_prefix('!') {
                    Some(rest) => (true, rest.trim()),
                    None => (false, pattern),
                };
                let pattern = clean(pattern);
                if pattern.is_empty() {
                    return None;
                }
                let matcher = GlobBuilder::new(&pattern)
                    .literal_separator(true)
                    .backslash_escape(true)
                    .build()
                    .ok()?
                    .compile_matcher();
                Some(Rule {
                    matcher,
                    exception,
                    line,
                })
            })
            .collect();
        IgnoreRules { rules }
    }

    /// Whether some `!` line could re-include files inside an excluded folder, so a walk
    /// must still look inside it.
    pub fn has_exceptions(&self) -> bool {
        self.rules.iter().any(|r| r.exception)
    }

    /// Whether `path` (relative, `/`-separated) is left out of the context.
    pub fn excludes(&self, path: &str) -> bool {
        self.deciding_rule(path).is_some_and(|r| !r.exception)
    }

    fn deciding_rule(&self, path: &str) -> Option<&Rule> {
        self.rules
            .iter()
            .rev()
            .find(|rule| self_or_parents(path).any(|p| rule.matcher.is_match(p)))
    }
}

/// `a/b/c` → `a`, `a/b`, `a/b/c`.
fn self_or_parents(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/')
        .map(move |(i, _)| &path[..i])
        .chain(std::iter::once(path))
}

/// Docker cleans patterns like Go's filepath.Clean and drops a leading `/`.
fn clean(pattern: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in pattern.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// Turns every line that would exclude a required file into a comment saying so.
pub fn keep_required(text: &str, required: &[String]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    loop {
        let rules = IgnoreRules::parse(&lines.join("\n"));
        let Some((rule_line, file)) = required.iter().find_map(|file| {
            rules
                .deciding_rule(file)
                .filter(|r| !r.exception)
                .map(|r| (r.line, file))
        }) else {
            break;
        };
        lines[rule_line] = format!(
            "# {}    (kept: the build needs {})",
            lines[rule_line].trim(),
            file
        );
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_excludes_exactly_the_secret_patterns() {
        let template = include_str!("../templates/dockerignore/common.tera");
        let block: Vec<&str> = template
            .lines()
            .skip_while(|l| *l != "# Secrets and local environment files")
            .skip(1)
            .take_while(|l| !l.is_empty())
            .collect();
        assert_eq!(block, SECRET_PATTERNS);
    }

    #[test]
    fn secrets_at_the_root_are_named() {
        let dir = tempfile::tempdir().unwrap();
        for name in [".env", ".env.local", "server.key", "main.go", ".envrc"] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        std::fs::create_dir(dir.path().join(".ssh")).unwrap();
        assert_eq!(
            secrets_at_root(dir.path()),
            [".env", ".env.local", ".ssh", "server.key"]
        );
    }

    #[test]
    fn docker_semantics() {
        let rules = IgnoreRules::parse(
            "# comment\n**/.env\n.git\nbin\n*.md\n!README.md\n/dist/\n**/*_test.go\n",
        );
        assert!(rules.excludes(".env"));
        assert!(rules.excludes("sub/deep/.env"));
        assert!(rules.excludes(".git/config"));
        assert!(rules.excludes("bin/tool"));
        assert!(!rules.excludes("cmd/bin/tool"), "unanchored only with **/");
        assert!(rules.excludes("CHANGES.md"));
        assert!(!rules.excludes("docs/CHANGES.md"), "* stops at /");
        assert!(!rules.excludes("README.md"), "exception wins when last");
        assert!(rules.excludes("dist/app"));
        assert!(rules.excludes("pkg/x_test.go"));
        assert!(!rules.excludes("main.go"));
    }

    #[test]
    fn a_bare_env_line_only_matches_at_the_root() {
        let rules = IgnoreRules::parse(".env\n");
        assert!(rules.excludes(".env"));
        assert!(!rules.excludes("sub/.env"));
    }

    #[test]
    fn required_files_are_kept_with_a_comment() {
        let text = "**/.git\nbin\n**/*.md\n";
        let kept = keep_required(
            text,
            &[
                "bin/tool/main.go".into(),
                "web/about.md".into(),
                "main.go".into(),
            ],
        );
        assert_eq!(
            kept,
            "**/.git\n# bin    (kept: the build needs bin/tool/main.go)\n# **/*.md    (kept: the build needs web/about.md)\n"
        );
        let rules = IgnoreRules::parse(&kept);
        assert!(!rules.excludes("bin/tool/main.go"));
        assert!(rules.excludes(".git/HEAD"));
    }
}
