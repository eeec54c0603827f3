//! The Node major a project asks for: a pin (.nvmrc, .node-version, .tool-versions,
//! volta) or the newest LTS major `engines.node` allows.

use crate::detect::{Evidence, Fact, Warning};
use crate::scan::ProjectView;

use super::manifest::PackageJson;

pub(super) type Version = (u64, u64, u64);

/// Resolves the major; a pin that `engines.node` does not allow is warned about.
pub fn resolve(
    view: &ProjectView,
    package: &PackageJson,
    warnings: &mut Vec<Warning>,
) -> Fact<u64> {
    let versions = &super::data::node().versions;
    let newest = *versions.lts.last().unwrap_or(&22);
    let pin = pinned(view, package);
    if let (Some(pin), Some(range)) = (&pin, &package.engines_node)
        && satisfies((pin.value, 0, 0), &range.value) == Some(false)
        && satisfies((pin.value, 999, 999), &range.value) == Some(false)
    {
        warnings.push(Warning {
            message: format!(
                "Node {} from {} is outside engines.node \"{}\"",
                pin.value,
                pin.evidence.location(),
                range.value
            ),
            evidence: range.evidence.clone(),
        });
    }
    if let Some(pin) = pin {
        return pin;
    }
    if let Some(range) = &package.engines_node {
        let matching = versions
            .lts
            .iter()
            .rev()
            .find(|&&major| allows_major(&range.value, major));
        return match matching {
            Some(major) => Fact::new(
                *major,
                Evidence {
                    detail: format!(
                        "the newest LTS major engines.node \"{}\" allows",
                        range.value
                    ),
                    ..range.evidence.clone()
                },
            ),
            None => {
                warnings.push(Warning {
                    message: format!("engines.node \"{}\" allows no LTS major docksmith knows; using Node {newest}", range.value),
                    evidence: range.evidence.clone(),
                });
                Fact::new(newest, Evidence::default_because("the newest LTS"))
            }
        };
    }
    Fact::new(
        newest,
        Evidence::default_because("no engines.node or version file: the newest LTS"),
    )
}

/// Raises `node` to the oldest major the package manager runs on, with a warning:
/// corepack refuses a tool whose own engines exclude the Node it runs on, so the
/// install step would fail (pnpm 9 on Node 16).
pub fn satisfy_package_manager(
    node: Fact<u64>,
    package_manager: &Fact<super::package_manager::PackageManager>,
    warnings: &mut Vec<Warning>,
) -> Fact<u64> {
    let pm = &package_manager.value;
    let (Some(version), Some(major)) = (&pm.version, pm.major()) else {
        return node;
    };
    let data = &super::data::node();
    let needed = data
        .package_managers
        .node_min
        .get(pm.tool.command())
        .and_then(|by_major| by_major.get(&major.to_string()));
    let Some(&needed) = needed else {
        return node;
    };
    if node.value >= needed {
        return node;
    }
    let raised = data
        .versions
        .lts
        .iter()
        .copied()
        .find(|&major| major >= needed)
        .unwrap_or(needed);
    warnings.push(Warning {
        message: format!(
            "{} {version} needs Node {needed} or newer ({}), and Node {} comes from {}: the image uses Node {raised}",
            pm.tool.command(),
            package_manager.evidence,
            node.value,
            node.evidence
        ),
        evidence: node.evidence.clone(),
    });
    Fact::new(
        raised,
        Evidence {
            detail: format!(
                "Node {} raised to {raised}: {} {version} needs {needed}",
                node.value,
                pm.tool.command()
            ),
            ..node.evidence
        },
    )
}

/// A version file or volta pin.
fn pinned(view: &ProjectView, package: &PackageJson) -> Option<Fact<u64>> {
    for file in [".nvmrc", ".node-version"] {
        if let Ok(Some(text)) = view.read_project_file(file) {
            let line = text
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty() && !l.starts_with('#'))?;
            if let Some(major) = major_of(line) {
                return Some(Fact::new(
                    major,
                    Evidence::at(file, 1, format!("\"{}\"", line.escape_debug())),
                ));
            }
        }
    }
    if let Ok(Some(text)) = view.read_project_file(".tool-versions") {
        for (index, line) in text.lines().enumerate() {
            let mut words = line.split_whitespace();
            if matches!(words.next(), Some("nodejs" | "node"))
                && let Some(major) = words.next().and_then(major_of)
            {
                return Some(Fact::new(
                    major,
                    Evidence::at(".tool-versions", index + 1, "nodejs"),
                ));
            }
        }
    }
    let volta = package.volta_node.as_ref()?;
    major_of(&volta.value).map(|major| Fact::new(major, volta.evidence.clone()))
}

/// "20", "v20.11.1", "lts/iron", "lts/*", "node" → a major.
fn major_of(text: &str) -> Option<u64> {
    let versions = &super::data::node().versions;
    let newest = *versions.lts.last()?;
    let text = text.trim();
    match text {
        "node" | "latest" | "stable" | "current" | "lts/*" => return Some(newest),
        _ => {}
    }
    if let Some(name) = text.strip_prefix("lts/") {
        return versions.codenames.get(&name.to_ascii_lowercase()).copied();
    }
    text.trim_start_matches('v').split('.').next()?.parse().ok()
}

/// Whether some `major.x.y` satisfies the range.
fn allows_major(range: &str, major: u64) -> bool {
    (0..=60)
        .map(|minor| (major, minor, 0))
        .chain([(major, 999, 999)])
        .any(|v| satisfies(v, range) == Some(true))
}

/// npm's range grammar: `||` alternatives of space-separated comparators, hyphen
/// ranges, x-ranges, `^`, `~`, `>=`, `>`, `<`, `<=`, `=`. `None` when it does not parse.
pub fn satisfies(version: Version, range: &str) -> Option<bool> {
    let mut any = false;
    for alternative in range.split("||") {
        let alternative = alternative.trim();
        let tokens: Vec<&str> = alternative.split_whitespace().collect();
        let ok = if let [low, "-", high] = tokens.as_slice() {
            at_least(version, low)? && at_most(version, high)?
        } else {
            let mut all = true;
            let mut pending: Option<&str> = None;
            for token in tokens {
                // ">= 18" written with a space.
                let token = match pending.take() {
                    Some(op) => format!("{op}{token}"),
                    None if matches!(token, ">=" | "<=" | ">" | "<" | "=" | "^" | "~") => {
                        pending = Some(token);
                        continue;
                    }
                    None => token.to_string(),
                };
                all &= comparator(version, &token)?;
            }
            all
        };
        any |= ok;
    }
    Some(any)
}

/// A partial version ("20", "20.1", "20.x", "*").
fn partial(text: &str) -> Option<(Option<u64>, Option<u64>, Option<u64>)> {
    let text = text.trim_start_matches('v').trim_start_matches('=');
    let mut parts = text.split('.').map(|p| match p {
        "x" | "X" | "*" | "" => Ok(None),
        p => p
            .split(['-', '+'])
            .next()
            .unwrap_or(p)
            .parse::<u64>()
            .map(Some),
    });
    let major = parts.next().unwrap_or(Ok(None)).ok()?;
    let minor = parts.next().unwrap_or(Ok(None)).ok()?;
    let patch = parts.next().unwrap_or(Ok(None)).ok()?;
    Some((major, minor, patch))
}

fn lowest(p: (Option<u64>, Option<u64>, Option<u64>)) -> Version {
    (p.0.unwrap_or(0), p.1.unwrap_or(0), p.2.unwrap_or(0))
}

fn at_least(version: Version, text: &str) -> Option<bool> {
    Some(version >= lowest(partial(text)?))
}

fn at_most(version: Version, text: &str) -> Option<bool> {
    let p = partial(text)?;
    Some(match p {
        (None, _, _) => true,
        (Some(major), None, _) => version.0 <= major,
        (Some(major), Some(minor), None) => (version.0, version.1) <= (major, minor),
        (Some(_), Some(_), Some(_)) => version <= lowest(p),
    })
}

fn comparator(version: Version, token: &str) -> Option<bool> {
    let (op, rest) = [">=", "<=", ">", "<", "^", "~", "="]
        .iter()
        .find_map(|op| token.strip_prefix(op).map(|rest| (*op, rest)))
        .unwrap_or(("", token));
    let p = partial(rest)?;
    let low = lowest(p);
    Some(match op {
        ">=" => version >= low,
        ">" => match p {
            (Some(major), None, _) => version.0 > major,
            (Some(major), Some(minor), None) => (version.0, version.1) > (major, minor),
            _ => version > low,
        },
        "<" => version < low,
        "<=" => at_most(version, rest)?,
        "^" => version >= low && caret_ceiling(version, p),
        "~" => version >= low && version.0 == low.0 && (p.1.is_none() || version.1 == low.1),
        _ => match p {
            (None, _, _) => true,
            (Some(major), None, _) => version.0 == major,
            (Some(major), Some(minor), None) => version.0 == major && version.1 == minor,
            _ => version == low,
        },
    })
}

fn caret_ceiling(version: Version, p: (Option<u64>, Option<u64>, Option<u64>)) -> bool {
    match p {
        (Some(0), Some(0), Some(patch)) => version == (0, 0, patch),
        (Some(0), Some(minor), _) => version.0 == 0 && version.1 == minor,
        (Some(major), _, _) => version.0 == major,
        (None, _, _) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npm_ranges() {
        let cases = [
            (">=18", 24, true),
            ("^18.17.0", 18, true),
            ("^18.17.0", 20, false),
            ("18.x || 20.x", 20, true),
            ("18.x || 20.x", 22, false),
            (">=18 <21", 20, true),
            (">=18 <21", 22, false),
            (">= 20", 22, true),
            ("20", 20, true),
            ("~20.10", 20, true),
            ("16 - 20", 20, true),
            ("16 - 20", 22, false),
            ("*", 24, true),
            (">18", 18, false),
            (">18", 20, true),
        ];
        for (range, major, expected) in cases {
            assert_eq!(allows_major(range, major), expected, "{range} / {major}");
        }
        assert_eq!(satisfies((20, 1, 0), "not a range!"), None);
    }

    #[test]
    fn version_files() {
        assert_eq!(major_of("v20.11.1"), Some(20));
        assert_eq!(major_of("22"), Some(22));
        assert_eq!(major_of("lts/iron"), Some(20));
        assert_eq!(major_of("lts/*"), Some(24));
        assert_eq!(major_of("banana"), None);
    }
}
