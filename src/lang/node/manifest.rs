//! Reads package.json files: the fields docksmith uses, and the workspace members.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::detect::paths::join;
use crate::detect::{DetectError, Evidence, Fact};
use crate::scan::ProjectView;

/// The parts of one package.json docksmith reads.
#[derive(Clone, Debug, Default)]
pub struct PackageJson {
    /// Its path ("package.json" or "apps/web/package.json").
    pub file: String,
    /// Its folder ("" for the root).
    pub dir: String,
    pub name: Option<Fact<String>>,
    pub main: Option<String>,
    /// `bin`: the command-line programs the package installs (name, file).
    pub bin: Vec<(String, String)>,
    pub scripts: BTreeMap<String, Fact<String>>,
    pub dependencies: BTreeMap<String, String>,
    pub dev_dependencies: BTreeMap<String, String>,
    pub engines_node: Option<Fact<String>>,
    pub package_manager: Option<Fact<String>>,
    pub volta_node: Option<Fact<String>>,
    /// `workspaces` patterns (npm, yarn).
    pub workspaces: Vec<String>,
    /// `"type": "module"`.
    pub module: bool,
    /// The `module` field: an ES module entry (`bun init` writes `"module": "index.ts"`).
    pub module_entry: Option<String>,
    /// The file `exports` resolves `.` to (a string, or its `default`, `require` or
    /// `import` condition).
    pub exports_entry: Option<String>,
}

impl PackageJson {
    /// A dependency or dev dependency of this name.
    pub fn depends_on(&self, name: &str) -> bool {
        self.dependencies.contains_key(name) || self.dev_dependencies.contains_key(name)
    }

    /// The package's name, or its folder's.
    pub fn display_name(&self) -> String {
        match &self.name {
            Some(name) => name.value.clone(),
            None if self.dir.is_empty() => "app".into(),
            None => self.dir.rsplit('/').next().unwrap_or("app").to_string(),
        }
    }
}

/// The 1-based line where `key` first appears (`"key"`, or `key:` as YAML and JSON5
/// write it), for evidence.
fn line_of(text: &str, key: &str) -> usize {
    let quoted = format!("\"{key}\"");
    let single = format!("'{key}'");
    let bare = format!("{key}:");
    text.lines()
        .position(|l| {
            let t = l.trim_start();
            l.contains(&quoted) || t.starts_with(&single) || t.starts_with(&bare)
        })
        .map_or(1, |i| i + 1)
}

/// The names a package manifest may have: package.json, and pnpm's YAML and JSON5
/// forms.
pub const MANIFEST_NAMES: &[&str] = &["package.json", "package.yaml", "package.json5"];

/// The package in `dir`, from whichever manifest form it has (package.json first).
pub fn read_package(view: &ProjectView, dir: &str) -> Result<Option<PackageJson>, DetectError> {
    for name in MANIFEST_NAMES {
        if let Some(package) = read(view, &join(dir, name))? {
            return Ok(Some(package));
        }
    }
    Ok(None)
}

/// Parses one manifest file.
pub fn read(view: &ProjectView, file: &str) -> Result<Option<PackageJson>, DetectError> {
    let Some(text) = view.read_manifest(file)? else {
        return Ok(None);
    };
    parse(file, &text).map(Some)
}

/// The manifest's value, read as its file name says: JSON, YAML or JSON5.
fn value_of(file: &str, text: &str) -> Result<Value, DetectError> {
    let syntax = |line: usize, format: &str, message: String| DetectError::Syntax {
        file: file.to_string(),
        line: line.max(1),
        message: format!("invalid {format}: {message}"),
        hint: format!("fix {file} (`pnpm pkg get name` shows whether pnpm can read it)"),
    };
    // Their parsers recurse per level (JSON5 overflows the stack, YAML's scanner slows
    // to a crawl): a manifest never nests this deep.
    let is_json = !file.ends_with(".yaml") && !file.ends_with(".json5");
    if !is_json && bracket_depth(text) > MAX_DEPTH {
        return Err(syntax(
            1,
            if file.ends_with(".yaml") {
                "YAML"
            } else {
                "JSON5"
            },
            format!("nests deeper than {MAX_DEPTH} levels"),
        ));
    }
    if file.ends_with(".yaml") {
        serde_yaml_ng::from_str(text)
            .map_err(|e| syntax(e.location().map_or(1, |l| l.line()), "YAML", e.to_string()))
    } else if file.ends_with(".json5") {
        json5::from_str(text).map_err(|e| syntax(1, "JSON5", e.to_string()))
    } else {
        serde_json::from_str(text).map_err(|e| DetectError::Syntax {
            file: file.to_string(),
            line: e.line().max(1),
            message: format!("invalid JSON: {e}"),
            hint: format!("fix {file} (`npm pkg get name` shows whether npm can read it)"),
        })
    }
}

/// The file `exports` maps the package's root to: `"exports": "./dist/index.js"`, or
/// the `.` entry (itself a string or conditions), or conditions at the top.
fn exports_entry(exports: Option<&Value>) -> Option<String> {
    let root = match exports? {
        Value::Object(map) => map.get(".").unwrap_or(exports?),
        other => other,
    };
    match root {
        Value::String(file) => Some(file.clone()),
        Value::Object(conditions) => ["default", "require", "import", "node"]
            .iter()
            .find_map(|c| conditions.get(*c)?.as_str().map(str::to_string)),
        _ => None,
    }
}

/// How deep a YAML or JSON5 manifest may nest brackets.
const MAX_DEPTH: usize = 64;

/// The deepest nesting of `[` and `{` outside quoted strings.
fn bracket_depth(text: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut quote: Option<char> = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(_), '\\') => {
                chars.next();
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

pub fn parse(file: &str, text: &str) -> Result<PackageJson, DetectError> {
    let value = value_of(file, text)?;
    let Some(object) = value.as_object() else {
        return Err(DetectError::Invalid {
            file: file.to_string(),
            message: "is not a JSON object".into(),
            hint: format!("{file} must hold an object ({{ \"name\": ... }})"),
        });
    };
    let at = |key: &str, detail: &str| Evidence::at(file, line_of(text, key), detail);
    let string = |key: &str| object.get(key).and_then(Value::as_str).map(str::to_string);
    let map = |key: &str| -> BTreeMap<String, String> {
        object
            .get(key)
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                    .collect()
            })
            .unwrap_or_default()
    };
    let scripts = object
        .get("scripts")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| {
                    let text_value = v.as_str()?;
                    let line = text
                        .lines()
                        .position(|l| l.contains(&format!("\"{k}\"")) && l.contains(':'))
                        .map_or(1, |i| i + 1);
                    Some((
                        k.clone(),
                        Fact::new(
                            text_value.to_string(),
                            Evidence::at(file, line, format!("scripts.{k}")),
                        ),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    // `"workspaces": [...]`, or Yarn 1's `"workspaces": {"packages": [...]}`.
    let workspaces = match object.get("workspaces") {
        Some(Value::Object(o)) => strings(o.get("packages")),
        listed => strings(listed),
    };
    let dir = crate::detect::paths::split_dir(file).0.to_string();
    Ok(PackageJson {
        file: file.to_string(),
        dir,
        name: string("name").map(|n| Fact::new(n, at("name", "name"))),
        main: string("main"),
        bin: match object.get("bin") {
            // `"bin": "cli.js"` is a program named after the package.
            Some(Value::String(file)) => vec![(string("name").unwrap_or_default(), file.clone())],
            Some(Value::Object(o)) => o
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect(),
            _ => Vec::new(),
        },
        scripts,
        dependencies: map("dependencies"),
        dev_dependencies: map("devDependencies"),
        engines_node: object
            .get("engines")
            .and_then(|e| e.get("node"))
            .and_then(Value::as_str)
            .map(|v| Fact::new(v.to_string(), at("engines", "engines.node"))),
        package_manager: string("packageManager")
            .map(|v| Fact::new(v, at("packageManager", "packageManager"))),
        volta_node: object
            .get("volta")
            .and_then(|v| v.get("node"))
            .and_then(Value::as_str)
            .map(|v| Fact::new(v.to_string(), at("volta", "volta.node"))),
        workspaces,
        module: string("type").as_deref() == Some("module"),
        module_entry: string("module"),
        exports_entry: exports_entry(object.get("exports")),
    })
}

/// The workspace member folders that `patterns` (npm/yarn `workspaces`, or pnpm's
/// `packages`) match; each holds a package.json. Negated patterns (`!x`) exclude.
pub fn members(view: &ProjectView, patterns: &[String]) -> Vec<String> {
    let mut dirs: Vec<String> = MANIFEST_NAMES
        .iter()
        .flat_map(|name| crate::detect::paths::members(view, patterns, name))
        .collect();
    dirs.sort();
    dirs.dedup();
    dirs
}

/// `pnpm-workspace.yaml`'s `packages:` list (a small YAML subset: a block list of
/// quoted or bare strings).
pub fn pnpm_workspace_packages(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_packages = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('#') || trimmed.is_empty() {
            continue;
        }
        if !line.starts_with([' ', '\t', '-']) {
            in_packages = trimmed == "packages:";
            continue;
        }
        if in_packages && let Some(item) = trimmed.strip_prefix('-') {
            let item = item.trim().trim_matches(|c| c == '"' || c == '\'');
            if !item.is_empty() {
                out.push(item.to_string());
            }
        }
    }
    out
}

/// A project file under `dir` ("" for the root).
pub fn in_dir(dir: &str, name: &str) -> String {
    join(dir, name)
}

/// The strings of a JSON array; anything else is none.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_fields_with_lines() {
        let text = r#"{
  "name": "shop",
  "main": "server.js",
  "scripts": {
    "build": "tsc",
    "start": "node dist/index.js"
  },
  "engines": { "node": ">=20" },
  "packageManager": "pnpm@9.12.0",
  "dependencies": { "express": "^4" },
  "workspaces": ["packages/*"]
}"#;
        let p = parse("package.json", text).unwrap();
        assert_eq!(
            p.name.as_ref().unwrap().evidence.location(),
            "package.json:2"
        );
        assert_eq!(p.scripts["start"].value, "node dist/index.js");
        assert_eq!(p.scripts["start"].evidence.location(), "package.json:6");
        assert_eq!(p.engines_node.as_ref().unwrap().value, ">=20");
        assert_eq!(p.package_manager.as_ref().unwrap().value, "pnpm@9.12.0");
        assert!(p.depends_on("express"));
        assert_eq!(p.workspaces, ["packages/*"]);
    }

    #[test]
    fn invalid_json_names_file_and_line() {
        let err = parse("package.json", "{\n  \"name\": \"x\",\n  oops\n}").unwrap_err();
        assert!(
            err.to_string().starts_with("package.json:3: invalid JSON"),
            "{err}"
        );
        assert!(parse("package.json", "[1, 2]").is_err());
    }

    #[test]
    fn pnpm_workspace_yaml() {
        let yaml = "packages:\n  - 'apps/*'\n  - \"packages/*\"\n  # comment\n  - '!**/test/**'\ncatalog:\n  react: ^18\n";
        assert_eq!(
            pnpm_workspace_packages(yaml),
            ["apps/*", "packages/*", "!**/test/**"]
        );
    }
}
