//! The .dockerignore beside the Dockerfile: present, and keeping out what must never
//! reach a layer (.git, .env files, keys) and what only slows the build
//! (node_modules, target/).

use super::{Edit, Finding, Input, Target};
use crate::dockerignore::IgnoreRules;

/// What must be left out: a path to test, a reason, and the lines that leave it out.
struct Needed {
    probe: &'static str,
    shown: &'static str,
    lines: &'static [&'static str],
}

const SECRETS: &[Needed] = &[
    Needed {
        probe: ".git",
        shown: ".git",
        lines: &[".git"],
    },
    Needed {
        probe: ".env",
        shown: ".env files",
        lines: &["**/.env", "**/.env.*"],
    },
    Needed {
        probe: "deploy/server.key",
        shown: "private keys",
        lines: &["**/*.key", "**/*.pem", "**/id_rsa*", "**/id_ed25519*"],
    },
];

const NODE_MODULES: Needed = Needed {
    probe: "node_modules",
    shown: "node_modules",
    lines: &["**/node_modules"],
};

const TARGET: Needed = Needed {
    probe: "target",
    shown: "target/",
    lines: &["target"],
};

pub(super) fn check(input: &Input<'_>) -> Vec<Finding> {
    let mut build_output: Vec<&Needed> = Vec::new();
    if input.project.node {
        build_output.push(&NODE_MODULES);
    }
    if input.project.target_dir {
        build_output.push(&TARGET);
    }
    let copied = copied_paths(input);
    let Some(text) = input.dockerignore else {
        let lines = entries(SECRETS.iter().chain(build_output.iter().copied()), &copied);
        return vec![
            Finding::new(
                "dockerignore-missing",
                Target::Dockerignore,
                0,
                "there is no .dockerignore beside the Dockerfile".into(),
                format!("create one with at least: {}", lines.join(" ")),
            )
            .with_edit(Some(Edit::IgnoreLines(lines))),
        ];
    };
    let rules = IgnoreRules::parse(text);
    let mut out = Vec::new();
    for (id, needed) in [
        ("dockerignore-secrets", SECRETS.iter().collect::<Vec<_>>()),
        ("dockerignore-build-output", build_output),
    ] {
        let missing: Vec<&Needed> = needed
            .into_iter()
            .filter(|n| !rules.excludes(n.probe))
            .collect();
        if missing.is_empty() {
            continue;
        }
        let lines = entries(missing.iter().copied(), &copied);
        let names: Vec<&str> = missing.iter().map(|n| n.shown).collect();
        out.push(
            Finding::new(
                id,
                Target::Dockerignore,
                0,
                format!("the build context includes {}", names.join(", ")),
                format!("add: {}", lines.join(" ")),
            )
            .with_edit((!lines.is_empty()).then_some(Edit::IgnoreLines(lines))),
        );
    }
    out
}

/// The lines to add, without any that would drop a file the Dockerfile copies by name.
fn entries<'a>(needed: impl Iterator<Item = &'a Needed>, copied: &[String]) -> Vec<String> {
    needed
        .flat_map(|n| n.lines.iter())
        .filter(|line| {
            let rule = IgnoreRules::parse(line);
            !copied.iter().any(|path| rule.excludes(path))
        })
        .map(|line| line.to_string())
        .collect()
}

/// The context paths COPY and ADD name (not globs, not other stages).
fn copied_paths(input: &Input<'_>) -> Vec<String> {
    input
        .dockerfile
        .instructions
        .iter()
        .filter(|i| matches!(i.keyword.as_str(), "COPY" | "ADD") && i.flag("from").is_none())
        .flat_map(|i| i.sources())
        .filter(|p| !p.contains(['*', '?', '[', '$']) && !p.contains("://"))
        .map(|p| p.trim_start_matches("./").trim_end_matches('/').to_string())
        .filter(|p| !p.is_empty() && p != ".")
        .collect()
}
