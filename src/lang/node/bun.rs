//! Bun as the runtime: a start command that runs `bun`, or a project installed by
//! Bun (`bun.lock`, `bun.lockb`) that names no `node` command, runs on the oven/bun
//! images rather than node's.

use serde::Serialize;

use super::package_manager::PackageManager;

/// The program that runs the app's start command.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Runtime {
    #[default]
    Node,
    Bun,
}

impl Runtime {
    pub fn is_node(&self) -> bool {
        *self == Runtime::Node
    }
}

/// Files Bun runs as they are (TypeScript included), where a Bun project keeps its
/// server when package.json names none.
pub(super) const ENTRY_FILES: &[&str] = &[
    "index.ts",
    "server.ts",
    "src/index.ts",
    "src/server.ts",
    "src/main.ts",
];

/// `bun src/index.ts`, `bun run --smol server.ts` → the arguments after `bun`
/// (`run` dropped: `bun run <file>` is `bun <file>`). Watch modes are development
/// servers; a `bun run <script>` names a script, not a file.
pub(super) fn parse_words(words: &[String]) -> Result<Vec<String>, String> {
    let mut rest: Vec<String> = words.iter().skip(1).cloned().collect();
    if rest.first().map(String::as_str) == Some("run") {
        rest.remove(0);
    }
    if rest.iter().any(|w| w == "--watch" || w == "--hot") {
        return Err("runs bun in watch mode (a development server)".into());
    }
    match rest.iter().find(|w| !w.starts_with('-')) {
        Some(file) if is_script_file(file) => Ok(rest),
        Some(other) => Err(format!("runs `bun {}`, not a file", other.escape_debug())),
        None => Err("runs bun with no script".into()),
    }
}

fn is_script_file(word: &str) -> bool {
    [".ts", ".tsx", ".js", ".mjs", ".cjs", ".jsx", ".mts", ".cts"]
        .iter()
        .any(|ext| word.ends_with(ext))
}

/// The Bun major the images are tagged by: the pinned Bun's (`bun@1.2.3`), else 1.
pub fn major(package_manager: &PackageManager) -> String {
    let pinned = (package_manager.tool == super::package_manager::Tool::Bun)
        .then(|| package_manager.major())
        .flatten();
    pinned.unwrap_or(1).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn bun_commands_become_arguments_of_bun() {
        assert_eq!(
            parse_words(&words("bun src/index.ts")).unwrap(),
            ["src/index.ts"]
        );
        assert_eq!(
            parse_words(&words("bun run --smol server.ts")).unwrap(),
            ["--smol", "server.ts"]
        );
        assert!(parse_words(&words("bun --hot src/index.ts")).is_err());
        assert!(parse_words(&words("bun run build")).is_err());
        assert!(parse_words(&words("bun")).is_err());
    }
}
