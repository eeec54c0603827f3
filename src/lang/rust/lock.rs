//! Reads Cargo.lock: which crates a package depends on, directly or not, and where
//! each is listed (for evidence).

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use toml::Value;

use super::manifest::parse_toml;
use crate::detect::DetectError;

/// One `[[package]]` entry.
#[derive(Debug)]
struct Entry {
    name: String,
    version: String,
    local: bool,
    /// (name, version when the lock names one).
    dependencies: Vec<(String, Option<String>)>,
    line: usize,
}

/// A parsed Cargo.lock.
#[derive(Debug, Default)]
pub struct Lockfile {
    entries: Vec<Entry>,
}

impl Lockfile {
    pub fn parse(text: &str) -> Result<Lockfile, DetectError> {
        let table = parse_toml("Cargo.lock", text)?;
        let lines = name_lines(text);
        let mut entries = Vec::new();
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for package in table
            .get("package")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(package) = package.as_table() else {
                continue;
            };
            let Some(name) = package.get("name").and_then(Value::as_str) else {
                continue;
            };
            let version = package
                .get("version")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let dependencies = package
                .get("dependencies")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(|spec| {
                    let mut words = spec.split_whitespace();
                    let name = words.next().unwrap_or_default().to_string();
                    (name, words.next().map(str::to_string))
                })
                .collect();
            // The n-th entry named `name` is on the n-th `name = "..."` line.
            let nth = seen.entry(name.to_string()).or_default();
            let line = lines
                .get(name)
                .and_then(|l| l.get(*nth))
                .copied()
                .unwrap_or(1);
            *nth += 1;
            entries.push(Entry {
                name: name.to_string(),
                version: version.to_string(),
                local: package.get("source").is_none(),
                dependencies,
                line,
            });
        }
        Ok(Lockfile { entries })
    }

    /// The workspace package `name`'s version when another crate in the lock has the
    /// same name (a package `rocket` that depends on `rocket`): `--package name` is
    /// then ambiguous, `name@version` is not.
    pub fn shared_name_version(&self, name: &str) -> Option<&str> {
        let named = self.entries.iter().filter(|e| e.name == name).count();
        let local = self.entries.iter().find(|e| e.local && e.name == name)?;
        (named > 1 && !local.version.is_empty()).then_some(local.version.as_str())
    }

    /// Every crate the workspace package `root` depends on, with its line in the
    /// lock; empty when the lock does not list the package.
    pub fn closure(&self, root: &str) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        let mut queue: VecDeque<usize> = self
            .entries
            .iter()
            .position(|e| e.local && e.name == root)
            .into_iter()
            .collect();
        let mut visited = BTreeSet::new();
        while let Some(index) = queue.pop_front() {
            if !visited.insert(index) {
                continue;
            }
            let entry = &self.entries[index];
            out.entry(entry.name.clone()).or_insert(entry.line);
            for (name, version) in &entry.dependencies {
                let found = self.entries.iter().position(|e| {
                    &e.name == name && version.as_ref().is_none_or(|v| &e.version == v)
                });
                queue.extend(found);
            }
        }
        out.remove(root);
        out
    }
}

/// Lines of `name = "x"` in a lock, by name.
fn name_lines(text: &str) -> BTreeMap<&str, Vec<usize>> {
    let mut lines: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, line) in text.lines().enumerate() {
        if let Some(name) = line
            .strip_prefix("name = \"")
            .and_then(|rest| rest.strip_suffix('"'))
        {
            lines.entry(name).or_default().push(index + 1);
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"version = 4

[[package]]
name = "app"
version = "0.1.0"
dependencies = [
 "native-tls",
 "serde 1.0.200",
]

[[package]]
name = "native-tls"
version = "0.2.12"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = ["openssl-sys"]

[[package]]
name = "openssl-sys"
version = "0.9.103"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "serde"
version = "1.0.100"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = ["ring"]

[[package]]
name = "serde"
version = "1.0.200"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "other"
version = "0.1.0"
dependencies = ["ring"]

[[package]]
name = "ring"
version = "0.17.8"
source = "registry+https://github.com/rust-lang/crates.io-index"
"#;

    #[test]
    fn closure_follows_versions_and_records_lines() {
        let lock = Lockfile::parse(LOCK).unwrap();
        let closure = lock.closure("app");
        let names: Vec<(&str, usize)> = closure.iter().map(|(n, l)| (n.as_str(), *l)).collect();
        assert_eq!(
            names,
            [("native-tls", 12), ("openssl-sys", 18), ("serde", 29)]
        );
        assert!(
            !closure.contains_key("ring"),
            "serde 1.0.100 is not the one app uses"
        );
        assert!(lock.closure("other").contains_key("ring"));
        assert!(lock.closure("missing").is_empty());
    }

    #[test]
    fn broken_lock_names_file_and_line() {
        let err = Lockfile::parse("[[package]\nname = 1\n").unwrap_err();
        assert!(err.to_string().starts_with("Cargo.lock:1:"), "{err}");
    }
}
