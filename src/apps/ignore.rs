//! The .dockerignore a monorepo's apps share: one build context (the root) serves
//! every Dockerfile, so a pattern stays only when every app's own .dockerignore has
//! it. A line one app's language adds (Node's `**/test`) could drop a folder another
//! app builds from (a Go package named `test`); a line all of them have is safe for
//! all. The bake file is left out of the context like the Dockerfiles.

use super::bake::BAKE_FILE;

/// The lines every one of `ignores` holds, in the first one's order, with the
/// comments of the sections that keep a line; then the files any build reads kept.
/// `at_root`: the context is the repository root, where the bake file is.
pub fn shared(ignores: &[&str], required: &[String], at_root: bool) -> String {
    let Some((first, others)) = ignores.split_first() else {
        return String::new();
    };
    let everywhere = |line: &str| others.iter().all(|o| o.lines().any(|l| l == line));
    // Sections are runs of lines between blank lines: a comment heads its section and
    // goes when nothing under it stays.
    let mut out: Vec<String> = Vec::new();
    for section in first.split("\n\n") {
        let kept: Vec<&str> = section
            .lines()
            .filter(|l| l.starts_with('#') || l.is_empty() || everywhere(l))
            .collect();
        if kept.iter().any(|l| !l.starts_with('#') && !l.is_empty())
            || out.is_empty() && !kept.is_empty()
        {
            out.push(kept.join("\n"));
        }
    }
    let mut text = out.join("\n\n");
    if at_root {
        text.push_str(&format!(
            "\n\n# The bake file, like the Dockerfiles, is read by the client, not the build\n{BAKE_FILE}\n"
        ));
    } else {
        text.push('\n');
    }
    crate::dockerignore::keep_required(&text, required)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_only_what_every_app_ignores() {
        let go = "# head\n\n# Secrets\n**/.env\n\n# Go\n**/vendor-cache\n";
        let node = "# head\n\n# Secrets\n**/.env\n\n# Node\n**/test\n";
        let shared = shared(&[node, go], &[], true);
        assert!(shared.contains("**/.env"), "{shared}");
        assert!(!shared.contains("**/test"), "{shared}");
        assert!(!shared.contains("# Node"), "{shared}");
        assert!(shared.starts_with("# head"), "{shared}");
        assert!(shared.ends_with("docker-bake.hcl\n"), "{shared}");
    }

    #[test]
    fn one_app_keeps_its_whole_file() {
        let only = "# head\n\n# Node\n**/test\n";
        assert!(shared(&[only], &[], false).contains("**/test"));
        assert!(!shared(&[only], &[], false).contains("docker-bake"));
    }
}
