//! The workspace as docksmith models it, and the reader that builds it from
//! Cargo.toml files alone, with no cargo process (the detector's first choice).
//!
//! [`super::metadata`] builds the same model from `cargo metadata`; tests check that
//! both agree on every example.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use toml::{Table, Value};

use crate::detect::DetectError;
use crate::detect::paths::{is_within, join, normalize, split_dir};
use crate::scan::ProjectView;

/// A Cargo workspace (a single package is a workspace of one).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Workspace {
    /// Member packages, sorted by directory.
    pub packages: Vec<Package>,
    /// The packages `cargo build` builds at the root.
    pub default_members: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Package {
    pub name: String,
    /// Its directory, relative to the workspace root ("" for the root).
    pub dir: String,
    pub edition: String,
    /// `rust-version`, as major.minor.patch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rust_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_run: Option<String>,
    pub bins: Vec<Bin>,
    /// Normal and build dependencies (dev-dependencies never reach a release build).
    pub dependencies: Vec<Dependency>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build_script: Option<String>,
    /// `[features] default`: what a plain `cargo build` enables.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub default_features: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Bin {
    pub name: String,
    /// Its main source file, relative to the workspace root.
    pub path: String,
    pub required_features: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Dependency {
    /// The package's real name (after `package = "..."` renames).
    pub name: String,
    pub features: Vec<String>,
    /// For a path dependency, its directory relative to the workspace root.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

impl Workspace {
    /// Sorts everything so two readers' results compare equal.
    pub fn normalized(mut self) -> Workspace {
        self.packages.sort_by(|a, b| a.dir.cmp(&b.dir));
        for package in &mut self.packages {
            package.bins.sort();
            for bin in &mut package.bins {
                bin.required_features.sort();
            }
            for dep in &mut package.dependencies {
                dep.features.sort();
                dep.features.dedup();
            }
            package.dependencies.sort();
            package.dependencies.dedup();
        }
        self.default_members.sort();
        self
    }

    pub fn package(&self, name: &str) -> Option<&Package> {
        self.packages.iter().find(|p| p.name == name)
    }
}

/// Normalises a `rust-version` ("1.75" → "1.75.0"); `None` when it is not a version.
pub fn full_version(text: &str) -> Option<String> {
    let mut parts: Vec<u64> = Vec::new();
    for part in text.split('.') {
        parts.push(part.parse().ok()?);
    }
    match parts.as_slice() {
        [major, minor] => Some(format!("{major}.{minor}.0")),
        [major, minor, patch] => Some(format!("{major}.{minor}.{patch}")),
        _ => None,
    }
}

fn invalid(file: &str, message: impl Into<String>) -> DetectError {
    DetectError::Invalid {
        file: file.to_string(),
        message: message.into(),
        hint: format!("fix {file} (`cargo metadata` reports the same problem with more detail)"),
    }
}

pub use crate::detect::parse_toml;

/// Reads the workspace rooted at the project root from its Cargo.toml files.
pub fn read(view: &ProjectView) -> Result<Workspace, DetectError> {
    let root_text = view
        .read_manifest("Cargo.toml")?
        .ok_or_else(|| invalid("Cargo.toml", "missing"))?;
    let root = parse_toml("Cargo.toml", &root_text)?;
    let workspace = root.get("workspace").and_then(Value::as_table);
    let inherited = Inherited::from(workspace);

    let manifest_dirs: Vec<&str> = view
        .files()
        .filter_map(|f| {
            if f == "Cargo.toml" {
                Some("")
            } else {
                f.strip_suffix("/Cargo.toml")
            }
        })
        .collect();
    let member_dirs = member_dirs(&root, workspace, &manifest_dirs)?;
    // Path dependencies inside the workspace are members too.
    let mut packages: BTreeMap<String, Package> = BTreeMap::new();
    let mut queue: Vec<String> = member_dirs.into_iter().collect();
    while let Some(dir) = queue.pop() {
        if packages.contains_key(&dir) {
            continue;
        }
        let file = join(&dir, "Cargo.toml");
        let table = if dir.is_empty() {
            root.clone()
        } else {
            let text = view.read_manifest(&file)?.ok_or_else(|| {
                invalid(
                    "Cargo.toml",
                    format!("workspace member `{dir}` has no Cargo.toml"),
                )
            })?;
            parse_toml(&file, &text)?
        };
        let package = read_package(view, &dir, &file, &table, &inherited)?;
        for dep in &package.dependencies {
            if let Some(path) = &dep.path
                && manifest_dirs.contains(&path.as_str())
                && !packages.contains_key(path)
            {
                queue.push(path.clone());
            }
        }
        packages.insert(dir, package);
    }
    let default_members = default_members(workspace, &packages)?;
    Ok(Workspace {
        packages: packages.into_values().collect(),
        default_members,
    }
    .normalized())
}

/// The root package and the folders `[workspace] members` matches, less
/// `exclude`; only folders that hold a Cargo.toml.
fn member_dirs(
    root: &Table,
    workspace: Option<&Table>,
    manifest_dirs: &[&str],
) -> Result<BTreeSet<String>, DetectError> {
    let mut member_dirs: BTreeSet<String> = BTreeSet::new();
    if root.contains_key("package") {
        member_dirs.insert(String::new());
    }
    let Some(ws) = workspace else {
        return Ok(member_dirs);
    };
    let excluded = strings(ws.get("exclude"));
    for pattern in strings(ws.get("members")) {
        let matcher = dir_glob("Cargo.toml", &pattern)?;
        for dir in manifest_dirs.iter().filter(|d| matcher.is_match(d)) {
            if !excluded
                .iter()
                .any(|e| is_within(dir, e.trim_end_matches('/')))
            {
                member_dirs.insert(dir.to_string());
            }
        }
    }
    Ok(member_dirs)
}

/// `default-members` when set; else the root package, else every package.
fn default_members(
    workspace: Option<&Table>,
    packages: &BTreeMap<String, Package>,
) -> Result<Vec<String>, DetectError> {
    let patterns = workspace
        .map(|ws| strings(ws.get("default-members")))
        .unwrap_or_default();
    if patterns.is_empty() {
        return Ok(match packages.get("") {
            Some(root_package) => vec![root_package.name.clone()],
            None => packages.values().map(|p| p.name.clone()).collect(),
        });
    }
    let mut names = Vec::new();
    for pattern in patterns {
        let matcher = dir_glob("Cargo.toml", &pattern)?;
        names.extend(
            packages
                .values()
                .filter(|p| matcher.is_match(&p.dir))
                .map(|p| p.name.clone()),
        );
    }
    Ok(names)
}

/// `members = ["crates/*"]` entries match folders.
fn dir_glob(file: &str, pattern: &str) -> Result<globset::GlobMatcher, DetectError> {
    let cleaned = pattern.trim_start_matches("./").trim_end_matches('/');
    let cleaned = if cleaned == "." { "" } else { cleaned };
    globset::GlobBuilder::new(cleaned)
        .literal_separator(true)
        .build()
        .map(|g| g.compile_matcher())
        .map_err(|e| invalid(file, format!("workspace member pattern `{pattern}`: {e}")))
}

/// What `[workspace.package]` and `[workspace.dependencies]` let members inherit.
struct Inherited {
    package: Table,
    dependencies: Table,
}

impl Inherited {
    fn from(workspace: Option<&Table>) -> Inherited {
        let table = |key| {
            workspace
                .and_then(|ws| ws.get(key))
                .and_then(Value::as_table)
                .cloned()
                .unwrap_or_default()
        };
        Inherited {
            package: table("package"),
            dependencies: table("dependencies"),
        }
    }

    /// A `[package]` field, following `field.workspace = true`.
    fn field<'a>(&'a self, package: &'a Table, key: &str) -> Option<&'a Value> {
        match package.get(key) {
            Some(Value::Table(t)) if t.get("workspace").and_then(Value::as_bool) == Some(true) => {
                self.package.get(key)
            }
            other => other,
        }
    }
}

fn read_package(
    view: &ProjectView,
    dir: &str,
    file: &str,
    table: &Table,
    inherited: &Inherited,
) -> Result<Package, DetectError> {
    let package = table
        .get("package")
        .and_then(Value::as_table)
        .ok_or_else(|| invalid(file, "no [package] section"))?;
    let name = package
        .get("name")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid(file, "[package] has no name"))?
        .to_string();
    let edition = inherited
        .field(package, "edition")
        .and_then(Value::as_str)
        .unwrap_or("2015")
        .to_string();
    let rust_version = inherited
        .field(package, "rust-version")
        .and_then(Value::as_str)
        .and_then(full_version);
    let default_run = package
        .get("default-run")
        .and_then(Value::as_str)
        .map(str::to_string);
    let build_script = match package.get("build") {
        Some(Value::Boolean(false)) => None,
        Some(Value::String(path)) => Some(join(dir, path)),
        _ => view
            .has_file(&join(dir, "build.rs"))
            .then(|| join(dir, "build.rs")),
    };
    let bins = bins(view, dir, file, &name, &edition, package, table)?;
    // cargo refuses to build such a package ("default-run target `x` not found").
    if let Some(run) = &default_run
        && !bins.iter().any(|b| &b.name == run)
    {
        let names: Vec<&str> = bins.iter().map(|b| b.name.as_str()).collect();
        return Err(DetectError::Invalid {
            file: file.to_string(),
            message: format!(
                "[package] default-run `{}` names no binary of package `{name}` (it has: {})",
                run.escape_debug(),
                if names.is_empty() {
                    "none".to_string()
                } else {
                    names.join(", ")
                }
            ),
            hint: format!("set default-run in {file} to one of its binaries, or remove it"),
        });
    }
    let mut dependencies = Vec::new();
    let mut dependency_tables: Vec<&Table> = ["dependencies", "build-dependencies"]
        .iter()
        .filter_map(|k| table.get(*k).and_then(Value::as_table))
        .collect();
    if let Some(targets) = table.get("target").and_then(Value::as_table) {
        for target in targets.values().filter_map(Value::as_table) {
            dependency_tables.extend(
                ["dependencies", "build-dependencies"]
                    .iter()
                    .filter_map(|k| target.get(*k).and_then(Value::as_table)),
            );
        }
    }
    for deps in dependency_tables {
        for (key, spec) in deps {
            dependencies.push(dependency(dir, key, spec, inherited));
        }
    }
    Ok(Package {
        name,
        dir: dir.to_string(),
        edition,
        rust_version,
        default_run,
        bins,
        dependencies,
        build_script,
        default_features: {
            let features = table.get("features").and_then(Value::as_table);
            enabled_by_default(|name| strings(features.and_then(|f| f.get(name))))
        },
    })
}

fn dependency(dir: &str, key: &str, spec: &Value, inherited: &Inherited) -> Dependency {
    let table = spec.as_table();
    let from_workspace = table
        .and_then(|t| t.get("workspace"))
        .and_then(Value::as_bool)
        == Some(true);
    let base = from_workspace
        .then(|| inherited.dependencies.get(key))
        .flatten()
        .and_then(Value::as_table);
    let mut features: Vec<String> = Vec::new();
    for source in [base, table].into_iter().flatten() {
        features.extend(strings(source.get("features")));
    }
    let name = table
        .and_then(|t| t.get("package"))
        .or_else(|| base.and_then(|b| b.get("package")))
        .and_then(Value::as_str)
        .unwrap_or(key)
        .to_string();
    // A member's path is relative to the member; an inherited one to the root.
    let path = match (
        table.and_then(|t| t.get("path")),
        base.and_then(|b| b.get("path")),
    ) {
        (Some(Value::String(p)), _) => normalize(&join(dir, p)),
        (_, Some(Value::String(p))) => normalize(p),
        _ => None,
    };
    Dependency {
        name,
        features,
        path,
    }
}

/// The binary targets, as cargo discovers them: `[[bin]]` entries, then (unless
/// `autobins = false`) src/main.rs and src/bin/*.rs and src/bin/*/main.rs.
fn bins(
    view: &ProjectView,
    dir: &str,
    file: &str,
    package_name: &str,
    edition: &str,
    package: &Table,
    table: &Table,
) -> Result<Vec<Bin>, DetectError> {
    let mut bins: Vec<Bin> = Vec::new();
    let explicit: Vec<&Table> = match table.get("bin") {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_table).collect(),
        Some(_) => return Err(invalid(file, "`bin` must be an array of tables ([[bin]])")),
        None => Vec::new(),
    };
    for entry in &explicit {
        let name = entry
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid(file, "a [[bin]] has no name"))?
            .to_string();
        let path = match entry.get("path").and_then(Value::as_str) {
            Some(path) => normalize(&join(dir, path)).unwrap_or_default(),
            None => infer_bin_path(view, dir, &name, package_name)
                .ok_or_else(|| invalid(file, format!("cannot find the source of bin `{name}` (src/bin/{name}.rs or src/bin/{name}/main.rs)")))?,
        };
        bins.push(Bin {
            name,
            path,
            required_features: strings(entry.get("required-features")),
        });
    }
    // Edition 2015 turned discovery off as soon as one target was declared.
    let auto = package
        .get("autobins")
        .and_then(Value::as_bool)
        .unwrap_or(edition != "2015" || explicit.is_empty());
    if auto {
        for (name, path) in inferred_bins(view, dir, package_name) {
            let taken = bins.iter().any(|b| b.name == name || b.path == path);
            if !taken {
                bins.push(Bin {
                    name,
                    path,
                    required_features: Vec::new(),
                });
            }
        }
    }
    Ok(bins)
}

fn inferred_bins(view: &ProjectView, dir: &str, package_name: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let main = join(dir, "src/main.rs");
    if view.has_file(&main) {
        found.push((package_name.to_string(), main));
    }
    let bin_dir = join(dir, "src/bin");
    for file in view.files() {
        let Some(rest) = file
            .strip_prefix(&bin_dir)
            .and_then(|r| r.strip_prefix('/'))
        else {
            continue;
        };
        match rest.split('/').collect::<Vec<_>>().as_slice() {
            [single] => {
                if let Some(stem) = single.strip_suffix(".rs") {
                    found.push((stem.to_string(), file.to_string()));
                }
            }
            [folder, "main.rs"] => found.push((folder.to_string(), file.to_string())),
            _ => {}
        }
    }
    found
}

fn infer_bin_path(view: &ProjectView, dir: &str, name: &str, package_name: &str) -> Option<String> {
    let candidates = [
        join(dir, &format!("src/bin/{name}.rs")),
        join(dir, &format!("src/bin/{name}/main.rs")),
    ];
    if let Some(found) = candidates.into_iter().find(|c| view.has_file(c)) {
        return Some(found);
    }
    let main = join(dir, "src/main.rs");
    (name == package_name && view.has_file(&main)).then_some(main)
}

/// The package's own features `cargo build` enables: `default` and, transitively, the
/// features it names (`default = ["full"]`, `full = ["server"]` enables `server`).
/// `dep:x` and `crate/feature` entries are not the package's own features.
pub fn enabled_by_default(features: impl Fn(&str) -> Vec<String>) -> Vec<String> {
    let mut enabled: Vec<String> = Vec::new();
    let mut queue = features("default");
    while let Some(name) = queue.pop() {
        if name.contains(':') || name.contains('/') || enabled.contains(&name) {
            continue;
        }
        queue.extend(features(&name));
        enabled.push(name);
    }
    enabled.sort();
    enabled
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// The directory of a file path ("" at the root).
pub fn dir_of(path: &str) -> &str {
    split_dir(path).0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_features_are_followed_transitively() {
        let table = |name: &str| -> Vec<String> {
            let names: &[&str] = match name {
                "default" => &["full", "dep:serde"],
                "full" => &["server", "local", "tokio/rt"],
                "server" => &["logging"],
                // A cycle ends.
                "logging" => &["full"],
                _ => &[],
            };
            names.iter().map(|s| s.to_string()).collect()
        };
        assert_eq!(
            enabled_by_default(table),
            ["full", "local", "logging", "server"]
        );
        assert!(enabled_by_default(|_| Vec::new()).is_empty());
    }
}
