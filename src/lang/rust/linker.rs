//! The linker a project's `.cargo/config.toml` asks for on Linux (`linker = "clang"`,
//! `-C link-arg=-fuse-ld=lld`, mold): the builder must have it, or every build
//! script fails to link ("linker `clang` not found"). Read as data, never run.

use regex::Regex;
use toml::Value;

use crate::detect::{DetectError, Evidence, Fact};
use crate::scan::ProjectView;

/// The tools named in the project's cargo configuration for the Linux targets the
/// image builds (glibc and musl on x86_64), each with its evidence.
pub fn tools(view: &ProjectView) -> Result<Vec<Fact<String>>, DetectError> {
    let data = &super::data::rust().linker_tools;
    let mut found: Vec<Fact<String>> = Vec::new();
    for file in [".cargo/config.toml", ".cargo/config"] {
        let Some(text) = view.read_manifest(file)? else {
            continue;
        };
        // An unreadable config fails cargo itself; nothing to add here.
        let Ok(config) = text.parse::<toml::Table>() else {
            continue;
        };
        let settings = linux_settings(&config);
        for tool in data {
            let pattern = Regex::new(&tool.pattern).expect("rust.toml linker patterns (tested)");
            let Some(setting) = settings.iter().find(|s| pattern.is_match(s)) else {
                continue;
            };
            if found.iter().all(|f| f.value != tool.name) {
                let line = text.lines().position(|l| l.contains(setting.as_str()));
                let detail = format!("the Linux build links with {}", tool.name);
                let evidence = match line {
                    Some(index) => Evidence::at(file, index + 1, detail),
                    None => Evidence::file(file, detail),
                };
                found.push(Fact::new(tool.name.clone(), evidence));
            }
        }
    }
    Ok(found)
}

/// `linker` and `rustflags` of `[build]`, of Linux x86_64 target tables and of
/// `cfg(…)` tables that can hold on Linux: each value as written.
fn linux_settings(config: &toml::Table) -> Vec<String> {
    let mut tables: Vec<&toml::Table> = Vec::new();
    if let Some(build) = config.get("build").and_then(Value::as_table) {
        tables.push(build);
    }
    for (key, value) in config
        .get("target")
        .and_then(Value::as_table)
        .into_iter()
        .flatten()
    {
        let linux = key.starts_with("x86_64-unknown-linux-")
            || (key.starts_with("cfg(")
                && !["windows", "macos", "apple", "darwin"]
                    .iter()
                    .any(|os| key.contains(os)));
        if linux && let Some(table) = value.as_table() {
            tables.push(table);
        }
    }
    let mut out = Vec::new();
    for table in tables {
        for key in ["linker", "rustflags"] {
            match table.get(key) {
                Some(Value::String(s)) => out.push(s.clone()),
                Some(Value::Array(items)) => {
                    out.extend(items.iter().filter_map(Value::as_str).map(str::to_string));
                }
                _ => {}
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(text: &str) -> Vec<String> {
        linux_settings(&text.parse::<toml::Table>().unwrap())
    }

    #[test]
    fn only_the_linux_targets_count() {
        let zero2prod = "[target.x86_64-unknown-linux-gnu]\nrustflags = [\"-C\", \"linker=clang\", \"-C\", \"link-arg=-fuse-ld=lld\"]\n\n[target.x86_64-apple-darwin]\nrustflags = [\"-C\", \"link-arg=-fuse-ld=/opt/homebrew/bin/ld64.lld\"]\n";
        assert_eq!(
            settings(zero2prod),
            ["-C", "linker=clang", "-C", "link-arg=-fuse-ld=lld"]
        );
        let mold = "[target.'cfg(target_os = \"linux\")']\nlinker = \"clang\"\nrustflags = \"-C link-arg=-fuse-ld=mold\"\n[target.'cfg(windows)']\nlinker = \"lld-link\"\n";
        assert_eq!(settings(mold), ["clang", "-C link-arg=-fuse-ld=mold"]);
        assert!(settings("[target.aarch64-apple-darwin]\nlinker = \"clang\"\n").is_empty());
    }

    #[test]
    fn the_patterns_name_the_tools() {
        let data = &crate::lang::rust::data::rust().linker_tools;
        let named = |setting: &str| -> Vec<&str> {
            data.iter()
                .filter(|t| Regex::new(&t.pattern).unwrap().is_match(setting))
                .map(|t| t.name.as_str())
                .collect()
        };
        assert_eq!(named("linker=clang"), ["clang"]);
        assert_eq!(named("clang"), ["clang"]);
        assert_eq!(named("link-arg=-fuse-ld=lld"), ["lld"]);
        assert_eq!(named("-C link-arg=-fuse-ld=mold"), ["mold"]);
        assert!(named("target-cpu=native").is_empty());
    }
}
