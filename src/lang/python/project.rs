//! Reads a Python project's manifests: pyproject.toml (PEP 621 and Poetry), Pipfile,
//! and requirements files with their `-r`/`-c` includes and index options.

use std::collections::{BTreeMap, BTreeSet};

use toml::{Table, Value};

use crate::detect::paths::{join, normalize, split_dir};
use crate::detect::{DetectError, Evidence, Fact, Warning, parse_toml};
use crate::scan::ProjectView;

/// The parts of a pyproject.toml docksmith reads.
#[derive(Clone, Debug, Default)]
pub struct PyProject {
    pub file: String,
    pub name: Option<Fact<String>>,
    /// Direct dependency names, normalised (PEP 503).
    pub dependencies: BTreeSet<String>,
    /// Exact versions the dependencies pin (`name==1.2.3`).
    pub pins: BTreeMap<String, String>,
    /// Console scripts: (name, "module:function", evidence).
    pub scripts: Vec<(String, String, Evidence)>,
    /// `requires-python`, or Poetry's `python` dependency.
    pub requires_python: Option<Fact<String>>,
    /// It declares a build system (the project itself can be installed).
    pub buildable: bool,
    /// `[tool.poetry]` is present.
    pub poetry: bool,
    /// Poetry's `package-mode = false`.
    pub poetry_no_package: bool,
    /// `[tool.uv] package = false`.
    pub uv_no_package: bool,
    /// `[tool.uv.workspace] members` patterns.
    pub uv_members: Vec<String>,
}

/// PEP 503 normalisation: lower case, runs of `-_.` as one `-`.
pub fn normalize_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut dash = false;
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            if !dash {
                out.push('-');
            }
            dash = true;
        } else {
            out.extend(c.to_lowercase());
            dash = false;
        }
    }
    out
}

/// The distribution name at the start of a PEP 508 requirement (`"Flask[async]>=3"`).
pub fn requirement_name(spec: &str) -> Option<String> {
    let name: String = spec
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    (!name.is_empty()).then(|| normalize_name(&name))
}

/// `(name, version)` when a PEP 508 requirement pins one exact version
/// (`numpy==1.26.4`, `Pillow[avif] == 10.0.0 ; python_version > "3.8"`).
pub fn requirement_pin(spec: &str) -> Option<(String, String)> {
    let name = requirement_name(spec)?;
    let rest = spec
        .trim()
        .trim_start_matches(|c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    let rest = match rest.trim_start().strip_prefix('[') {
        Some(extras) => extras.split_once(']')?.1,
        None => rest,
    };
    let rest = rest.trim_start().strip_prefix("==")?.trim_start();
    let version: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '!'))
        .collect();
    let after = rest[version.len()..].trim_start();
    let single = after.is_empty()
        || after.starts_with(';')
        || after.starts_with('\\')
        || after.starts_with("--")
        || after.starts_with('#');
    (!version.is_empty() && !version.contains('*') && single).then_some((name, version))
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map_or(1, |i| i + 1)
}

pub fn read_pyproject(view: &ProjectView, file: &str) -> Result<Option<PyProject>, DetectError> {
    let Some(text) = view.read_manifest(file)? else {
        return Ok(None);
    };
    let table = parse_toml(file, &text)?;
    let project = table.get("project").and_then(Value::as_table);
    let tool = table.get("tool").and_then(Value::as_table);
    let poetry = tool.and_then(|t| t.get("poetry")).and_then(Value::as_table);
    let uv = tool.and_then(|t| t.get("uv")).and_then(Value::as_table);
    let mut out = PyProject {
        file: file.to_string(),
        buildable: table.contains_key("build-system"),
        poetry: poetry.is_some(),
        ..PyProject::default()
    };
    let name = project
        .and_then(|p| p.get("name"))
        .or_else(|| poetry.and_then(|p| p.get("name")))
        .and_then(Value::as_str);
    out.name = name.map(|n| {
        Fact::new(
            n.to_string(),
            Evidence::at(file, line_of(&text, "name"), "project name"),
        )
    });
    if let Some(deps) = project
        .and_then(|p| p.get("dependencies"))
        .and_then(Value::as_array)
    {
        out.dependencies.extend(
            deps.iter()
                .filter_map(Value::as_str)
                .filter_map(requirement_name),
        );
        out.pins.extend(
            deps.iter()
                .filter_map(Value::as_str)
                .filter_map(requirement_pin),
        );
    }
    if let Some(deps) = poetry
        .and_then(|p| p.get("dependencies"))
        .and_then(Value::as_table)
    {
        out.read_poetry_dependencies(deps, &text);
    }
    if let Some(requires) = project
        .and_then(|p| p.get("requires-python"))
        .and_then(Value::as_str)
    {
        out.requires_python = Some(Fact::new(
            requires.to_string(),
            Evidence::at(file, line_of(&text, "requires-python"), "requires-python"),
        ));
    }
    let scripts = project
        .and_then(|p| p.get("scripts"))
        .or_else(|| poetry.and_then(|p| p.get("scripts")))
        .and_then(Value::as_table);
    out.scripts = console_scripts(file, &text, scripts);
    out.poetry_no_package = poetry
        .and_then(|p| p.get("package-mode"))
        .and_then(Value::as_bool)
        == Some(false);
    out.uv_no_package = uv.and_then(|u| u.get("package")).and_then(Value::as_bool) == Some(false);
    out.uv_members = uv
        .and_then(|u| u.get("workspace"))
        .and_then(|w| w.get("members"))
        .and_then(Value::as_array)
        .map(|m| {
            m.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    Ok(Some(out))
}

impl PyProject {
    /// Poetry's dependency table: its `python` entry is the Python constraint.
    fn read_poetry_dependencies(&mut self, deps: &Table, text: &str) {
        for (name, spec) in deps {
            if name != "python" {
                self.dependencies.insert(normalize_name(name));
                continue;
            }
            let constraint = spec
                .as_str()
                .or_else(|| spec.get("version").and_then(Value::as_str));
            if let Some(c) = constraint {
                self.requires_python = Some(Fact::new(
                    c.to_string(),
                    Evidence::at(&self.file, line_of(text, "python ="), "Poetry's python"),
                ));
            }
        }
    }
}

/// `[project.scripts]` (or Poetry's): name, `module:function`, and the line.
fn console_scripts(
    file: &str,
    text: &str,
    scripts: Option<&Table>,
) -> Vec<(String, String, Evidence)> {
    let mut out = Vec::new();
    for (name, target) in scripts.into_iter().flatten() {
        let target = target
            .as_str()
            .or_else(|| target.get("reference").and_then(Value::as_str));
        if let Some(target) = target {
            let line = text
                .lines()
                .position(|l| {
                    l.trim_start().starts_with(name.as_str()) || l.contains(&format!("\"{name}\""))
                })
                .map_or(1, |i| i + 1);
            out.push((
                name.clone(),
                target.to_string(),
                Evidence::at(file, line, "console script"),
            ));
        }
    }
    out
}

/// A Pipfile's packages and Python version.
pub struct Pipfile {
    pub dependencies: BTreeSet<String>,
    pub python: Option<Fact<String>>,
}

pub fn read_pipfile(view: &ProjectView) -> Result<Option<Pipfile>, DetectError> {
    let Some(text) = view.read_manifest("Pipfile")? else {
        return Ok(None);
    };
    let table: Table = parse_toml("Pipfile", &text)?;
    let dependencies = table
        .get("packages")
        .and_then(Value::as_table)
        .map(|p| p.keys().map(|k| normalize_name(k)).collect())
        .unwrap_or_default();
    let requires = table.get("requires").and_then(Value::as_table);
    let python = requires
        .and_then(|r| {
            r.get("python_version")
                .or_else(|| r.get("python_full_version"))
        })
        .and_then(Value::as_str)
        .map(|v| {
            Fact::new(
                v.to_string(),
                Evidence::at(
                    "Pipfile",
                    line_of(&text, "python_"),
                    "requires python_version",
                ),
            )
        });
    Ok(Some(Pipfile {
        dependencies,
        python,
    }))
}

/// A requirements file and what it pulls in.
#[derive(Clone, Debug, Default)]
pub struct Requirements {
    /// Every file read (the file and its -r/-c includes), for bind mounts.
    pub files: Vec<String>,
    pub dependencies: BTreeSet<String>,
    /// Exact versions pinned with `==`.
    pub pins: BTreeMap<String, String>,
    /// Some requirement carries `--hash`: install with `--require-hashes`.
    pub hashes: bool,
    /// It installs the project itself (`.` or `-e .`).
    pub installs_project: bool,
}

/// Reads `file` and its includes (at most 20 deep).
pub fn read_requirements(
    view: &ProjectView,
    file: &str,
    warnings: &mut Vec<Warning>,
) -> Result<Requirements, DetectError> {
    let mut out = Requirements::default();
    let mut queue = vec![file.to_string()];
    while let Some(current) = queue.pop() {
        if out.files.contains(&current) || out.files.len() >= 20 {
            continue;
        }
        let Some(text) = view.read_manifest(&current)? else {
            warnings.push(Warning {
                message: format!("{current} is included but missing or outside the build context"),
                evidence: Evidence::file(file, "-r/-c include"),
            });
            continue;
        };
        out.files.push(current.clone());
        let base = split_dir(&current).0.to_string();
        for (index, raw) in text.lines().enumerate() {
            let line = raw.split(" #").next().unwrap_or(raw).trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut words = line.split_whitespace();
            let first = words.next().unwrap_or_default();
            let option_value = |prefixes: &[&str]| -> Option<String> {
                prefixes.iter().find_map(|p| {
                    first
                        .strip_prefix(p)
                        .map(|rest| rest.trim_start_matches('=').to_string())
                        .filter(|v| !v.is_empty())
                        .or_else(|| {
                            (first == p.trim_end_matches('=')).then(|| {
                                line.split_whitespace()
                                    .nth(1)
                                    .unwrap_or_default()
                                    .to_string()
                            })
                        })
                })
            };
            if let Some(include) = option_value(&["-r", "--requirement", "-c", "--constraint"]) {
                if let Some(path) = normalize(&join(&base, &include)) {
                    // Every file read is bind-mounted into the install step.
                    crate::detect::check_mount_path(
                        &current,
                        index + 1,
                        "the -r/-c include",
                        &path,
                    )?;
                    queue.push(path);
                }
                continue;
            }
            if let Some(url) = option_value(&["-i", "--index-url", "--extra-index-url"]) {
                if url.contains('@') && url.contains("://") {
                    warnings.push(Warning {
                        message: format!("{current} names an index URL with credentials: the file is copied into the image with the sources, credentials and all; pass the index as PIP_INDEX_URL through a build secret instead"),
                        evidence: Evidence::at(&current, index + 1, "index URL"),
                    });
                }
                continue;
            }
            if line.contains("--hash") {
                out.hashes = true;
            }
            if first.starts_with('-') && !matches!(first, "-e" | "--editable") {
                continue;
            }
            let spec = if matches!(first, "-e" | "--editable") {
                words.next().unwrap_or_default()
            } else {
                first
            };
            if spec == "." || spec.starts_with("./") || spec == "-e." {
                out.installs_project = true;
                continue;
            }
            out.dependencies.extend(requirement_name(spec));
            out.pins.extend(requirement_pin(line));
        }
    }
    Ok(out)
}

/// Packages a lockfile lists, with their versions (uv.lock, poetry.lock, pdm.lock:
/// `[[package]]` name and version; Pipfile.lock: the `default` section).
pub fn locked_versions(
    view: &ProjectView,
    lockfile: &str,
) -> Result<BTreeMap<String, String>, DetectError> {
    let Some(text) = view.read_lockfile(lockfile)? else {
        return Ok(BTreeMap::new());
    };
    if lockfile == "Pipfile.lock" {
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| DetectError::Syntax {
                file: lockfile.into(),
                line: e.line().max(1),
                message: format!("invalid JSON: {e}"),
                hint: "run `pipenv lock` to rewrite it".into(),
            })?;
        return Ok(value
            .get("default")
            .and_then(|d| d.as_object())
            .map(|d| {
                d.iter()
                    .map(|(name, entry)| {
                        let version = entry
                            .get("version")
                            .and_then(|v| v.as_str())
                            .unwrap_or_default();
                        (
                            normalize_name(name),
                            version.trim_start_matches("==").to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default());
    }
    let table = parse_toml(lockfile, &text)?;
    Ok(table
        .get("package")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| {
            let name = p.get("name").and_then(Value::as_str)?;
            let version = p.get("version").and_then(Value::as_str).unwrap_or_default();
            Some((normalize_name(name), version.to_string()))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(normalize_name("Flask_SQLAlchemy"), "flask-sqlalchemy");
        assert_eq!(normalize_name("zope.interface"), "zope-interface");
        assert_eq!(
            requirement_name("Django[argon2]>=5.0; python_version>'3.9'").as_deref(),
            Some("django")
        );
        assert_eq!(
            requirement_name("psycopg2==2.9.9 \\").as_deref(),
            Some("psycopg2")
        );
        assert_eq!(requirement_name(">=1"), None);
        let pin = |s: &str| requirement_pin(s).map(|(n, v)| format!("{n} {v}"));
        assert_eq!(pin("numpy==1.26.4").as_deref(), Some("numpy 1.26.4"));
        assert_eq!(
            pin("Pillow[avif] == 10.0.0 ; python_version > '3.8'").as_deref(),
            Some("pillow 10.0.0")
        );
        assert_eq!(pin("lxml==4.9.2 \\").as_deref(), Some("lxml 4.9.2"));
        assert_eq!(pin("lxml==4.9.* "), None);
        assert_eq!(pin("lxml>=4,==4.9.2"), None);
        assert_eq!(pin("lxml"), None);
    }
}
