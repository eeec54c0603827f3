//! Project-relative paths: `/`-separated, `""` for the root.

/// Splits `a/b/c.rs` into `("a/b", "c.rs")`; a root file has dir `""`.
pub fn split_dir(file: &str) -> (&str, &str) {
    file.rsplit_once('/').unwrap_or(("", file))
}

/// Whether `dir` is `base` or inside it (`""` is the root, containing everything).
pub fn is_within(dir: &str, base: &str) -> bool {
    base.is_empty() || dir == base || dir.strip_prefix(base).is_some_and(|r| r.starts_with('/'))
}

/// Joins project-relative paths, where `""` is the root.
pub fn join(dir: &str, rest: &str) -> String {
    match (dir.is_empty(), rest.is_empty()) {
        (true, _) => rest.to_string(),
        (false, true) => dir.to_string(),
        (false, false) => format!("{dir}/{rest}"),
    }
}

/// Resolves `.` and `..` in a relative path; `None` when it leaves the root or is
/// absolute.
pub fn normalize(path: &str) -> Option<String> {
    if path.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// The folders matching workspace `patterns` that hold `manifest` (shared by the npm,
/// pnpm and uv workspace readers).
pub fn members(
    view: &crate::scan::ProjectView,
    patterns: &[String],
    manifest: &str,
) -> Vec<String> {
    let compile = |pattern: &str| {
        let cleaned = pattern.trim_start_matches("./").trim_end_matches('/');
        globset::GlobBuilder::new(cleaned)
            .literal_separator(true)
            .build()
            .ok()
            .map(|g| g.compile_matcher())
    };
    let include: Vec<_> = patterns
        .iter()
        .filter(|p| !p.starts_with('!'))
        .filter_map(|p| compile(p))
        .collect();
    let exclude: Vec<_> = patterns
        .iter()
        .filter_map(|p| p.strip_prefix('!'))
        .filter_map(compile)
        .collect();
    let mut dirs: Vec<String> = view
        .files()
        .filter_map(|f| f.strip_suffix(manifest).and_then(|d| d.strip_suffix('/')))
        .filter(|dir| {
            include.iter().any(|m| m.is_match(dir)) && !exclude.iter().any(|m| m.is_match(dir))
        })
        .map(str::to_string)
        .collect();
    dirs.sort();
    dirs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert!(is_within("a/b", ""));
        assert!(is_within("a/b", "a"));
        assert!(!is_within("ab", "a"));
        assert_eq!(join("", "x"), "x");
        assert_eq!(join("a", ""), "a");
        assert_eq!(split_dir("main.go"), ("", "main.go"));
        assert_eq!(normalize("./api/"), Some("api".into()));
        assert_eq!(normalize("a/../b/./c"), Some("b/c".into()));
        assert_eq!(normalize("../x"), None);
        assert_eq!(normalize("/etc"), None);
    }
}
