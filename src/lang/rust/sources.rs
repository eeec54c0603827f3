//! What the Rust sources say: the files a build reads beyond `src/` (build scripts,
//! `include_str!` targets, sqlx migrations and offline data, embedded folders,
//! `[package] include`), and the ports each package listens on.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use regex::Regex;

use super::manifest::{Bin, Package, Workspace, parse_toml};
use crate::detect::paths::{is_within, join, normalize, split_dir};
use crate::detect::ports::{PortHit, PortRules};
use crate::detect::{DetectError, Evidence};
use crate::scan::ProjectView;

/// Rust's port rules, compiled once.
pub static PORT_RULES: LazyLock<PortRules> =
    LazyLock::new(|| PortRules::new(&super::data::rust().port));

struct Patterns {
    /// include_str!("x"), include_bytes!("x"), include!("x"): relative to the file.
    include: Regex,
    /// include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/x")): relative to the package.
    manifest_dir: Regex,
    /// sqlx::migrate!() or migrate!("dir"): relative to the package.
    migrate: Regex,
    /// rust-embed's #[folder = "dir"]: relative to the package.
    folder: Regex,
}

static PATTERNS: LazyLock<Patterns> = LazyLock::new(|| Patterns {
    include: Regex::new(r#"include(?:_str|_bytes)?!\s*\(\s*"([^"]+)"\s*\)"#).expect("valid"),
    manifest_dir: Regex::new(r#"env!\s*\(\s*"CARGO_MANIFEST_DIR"\s*\)\s*,\s*"([^"]+)""#)
        .expect("valid"),
    migrate: Regex::new(r#"migrate!\s*\(\s*(?:"([^"]*)")?\s*\)"#).expect("valid"),
    folder: Regex::new(r#"#\[folder\s*=\s*"([^"]+)"\]"#).expect("valid"),
});

/// Folders a package's build commonly reads at compile time, relative to the package.
const COMPILE_TIME_DIRS: &[&str] = &["migrations", ".sqlx", "templates"];

/// What the sources of a workspace say.
#[derive(Debug, Default)]
pub struct Sources {
    /// Files the build reads.
    pub inputs: BTreeSet<String>,
    /// Port mentions in each package's files: package directory → file → hits.
    pub ports: BTreeMap<String, BTreeMap<String, Vec<PortHit>>>,
    /// Where each file reads `$PORT`.
    pub port_env: BTreeMap<String, Evidence>,
}

pub fn scan(view: &ProjectView, workspace: &Workspace) -> Result<Sources, DetectError> {
    let mut sources = Sources::default();
    for root_file in [
        "Cargo.toml",
        "Cargo.lock",
        ".cargo/config.toml",
        ".cargo/config",
    ] {
        if view.has_file(root_file) {
            sources.inputs.insert(root_file.to_string());
        }
    }
    let package_dirs: Vec<&str> = workspace.packages.iter().map(|p| p.dir.as_str()).collect();
    for package in &workspace.packages {
        let dir = package.dir.as_str();
        // A file belongs to the innermost package that contains it.
        let owns = |file: &str| {
            let file_dir = split_dir(file).0;
            is_within(file_dir, dir)
                && !package_dirs
                    .iter()
                    .any(|other| other.len() > dir.len() && is_within(file_dir, other))
        };
        let files: Vec<&str> = view.files().filter(|f| owns(f)).collect();
        for name in ["Cargo.toml", ".cargo/config.toml", ".cargo/config"] {
            if view.has_file(&join(dir, name)) {
                sources.inputs.insert(join(dir, name));
            }
        }
        sources.inputs.extend(package.build_script.iter().cloned());
        let mut dirs: BTreeSet<String> = COMPILE_TIME_DIRS.iter().map(|d| join(dir, d)).collect();
        for file in files.iter().filter(|f| f.ends_with(".rs")) {
            let Some(text) = view.read_source(file)? else {
                continue;
            };
            sources.inputs.insert(file.to_string());
            let file_dir = split_dir(file).0;
            for cap in PATTERNS.include.captures_iter(&text) {
                sources.inputs.extend(normalize(&join(file_dir, &cap[1])));
            }
            for cap in PATTERNS.manifest_dir.captures_iter(&text) {
                sources
                    .inputs
                    .extend(normalize(&join(dir, cap[1].trim_start_matches('/'))));
            }
            for cap in PATTERNS.migrate.captures_iter(&text) {
                let folder = cap.get(1).map_or("migrations", |m| m.as_str());
                dirs.extend(normalize(&join(dir, folder)));
            }
            for cap in PATTERNS.folder.captures_iter(&text) {
                dirs.extend(normalize(&join(dir, cap[1].trim_end_matches('/'))));
            }
            if !is_test_code(dir, file) {
                let hits = PORT_RULES.scan(file, &text, &[]);
                sources
                    .ports
                    .entry(dir.to_string())
                    .or_default()
                    .insert(file.to_string(), hits);
                if let Some(read) = PORT_RULES.reads_port_env(file, &text) {
                    sources.port_env.insert(file.to_string(), read);
                }
            }
        }
        dirs.insert(".sqlx".to_string());
        for folder in &dirs {
            let prefix = format!("{folder}/");
            sources.inputs.extend(
                view.files()
                    .filter(|f| f.starts_with(&prefix))
                    .map(str::to_string),
            );
        }
        sources.inputs.extend(package_include(view, dir)?);
    }
    Ok(sources)
}

/// Tests, benches and examples never reach a release build of a binary, and test
/// helpers (`testing.rs`, `test_utils.rs`, `*_test.rs`) serve only tests.
fn is_test_code(package_dir: &str, file: &str) -> bool {
    let (folder, name) = split_dir(file);
    let helper = matches!(
        name,
        "testing.rs" | "test_utils.rs" | "tests.rs" | "test.rs"
    ) || name.ends_with("_test.rs")
        || name.ends_with("_tests.rs");
    helper
        || ["tests", "benches", "examples"]
            .iter()
            .any(|d| is_within(folder, &join(package_dir, d)))
}

/// Files matched by `[package] include`.
fn package_include(view: &ProjectView, dir: &str) -> Result<Vec<String>, DetectError> {
    let manifest = join(dir, "Cargo.toml");
    let Some(text) = view.read_manifest(&manifest)? else {
        return Ok(Vec::new());
    };
    let table = parse_toml(&manifest, &text)?;
    let patterns: Vec<&str> = table
        .get("package")
        .and_then(|p| p.get("include"))
        .and_then(|i| i.as_array())
        .map(|items| items.iter().filter_map(|i| i.as_str()).collect())
        .unwrap_or_default();
    let mut out = Vec::new();
    for pattern in patterns {
        let pattern = join(dir, pattern.trim_start_matches('/'));
        let Ok(glob) = globset::GlobBuilder::new(&pattern)
            .literal_separator(true)
            .build()
        else {
            continue;
        };
        let matcher = glob.compile_matcher();
        let prefix = format!("{pattern}/");
        out.extend(
            view.files()
                .filter(|f| matcher.is_match(f) || f.starts_with(&prefix))
                .map(str::to_string),
        );
    }
    Ok(out)
}

impl Sources {
    /// Port mentions and the first `$PORT` read a binary can reach: its package's files
    /// and those of its path dependencies, but not other binaries' own files.
    pub fn for_binary(
        &self,
        workspace: &Workspace,
        package: &Package,
        bin: &Bin,
    ) -> (Vec<PortHit>, Option<Evidence>) {
        let mut dirs = vec![package.dir.clone()];
        dirs.extend(package.dependencies.iter().filter_map(|d| d.path.clone()));
        let others: Vec<&str> = workspace
            .packages
            .iter()
            .flat_map(|p| p.bins.iter())
            .filter(|b| b.path != bin.path)
            .map(|b| b.path.as_str())
            .collect();
        let belongs_to_other = |file: &str| {
            others.iter().any(|other| {
                // src/bin/<name>/main.rs owns its whole folder.
                *other == file
                    || (other.ends_with("/main.rs")
                        && other.contains("src/bin/")
                        && is_within(split_dir(file).0, split_dir(other).0))
            })
        };
        let files: Vec<(&String, &Vec<PortHit>)> = dirs
            .iter()
            .filter_map(|dir| self.ports.get(dir))
            .flat_map(|files| files.iter())
            .filter(|(file, _)| !belongs_to_other(file))
            .collect();
        let hits = files
            .iter()
            .flat_map(|(_, hits)| hits.iter().cloned())
            .collect();
        let env = files
            .iter()
            .find_map(|(file, _)| self.port_env.get(*file).cloned());
        (hits, env)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn include_patterns() {
        let text = r#"
const A: &str = include_str!("../assets/a.txt");
const B: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/b.bin"));
include!("generated.rs");
sqlx::migrate!().run(&pool);
sqlx::migrate!("db/migrations");
#[derive(RustEmbed)] #[folder = "public/"] struct Assets;
"#;
        let p = &*PATTERNS;
        let includes: Vec<&str> = p
            .include
            .captures_iter(text)
            .map(|c| c.get(1).unwrap().as_str())
            .collect();
        assert_eq!(includes, ["../assets/a.txt", "generated.rs"]);
        assert_eq!(&p.manifest_dir.captures(text).unwrap()[1], "/data/b.bin");
        let migrations: Vec<Option<&str>> = p
            .migrate
            .captures_iter(text)
            .map(|c| c.get(1).map(|m| m.as_str()))
            .collect();
        assert_eq!(migrations, [None, Some("db/migrations")]);
        assert_eq!(&p.folder.captures(text).unwrap()[1], "public/");
    }
}
