//! The Python minor a project asks for: a pin (.python-version, runtime.txt,
//! .tool-versions, Pipfile) or the newest minor a constraint (requires-python,
//! Poetry's python) allows.

use crate::detect::{Evidence, Fact};
use crate::scan::ProjectView;

/// Resolves the minor ("3.12"). A pin is kept as it is; a constraint (or nothing)
/// picks the newest allowed minor that `blocked` (why a minor lacks wheels the project
/// pins) does not refuse, else the newest allowed.
pub fn resolve(
    view: &ProjectView,
    constraint: Option<&Fact<String>>,
    pipfile: Option<&Fact<String>>,
    blocked: &dyn Fn(&str) -> Option<String>,
) -> Fact<String> {
    let minors = &super::data::python().versions.minors;
    for (file, prefix) in [(".python-version", ""), ("runtime.txt", "python-")] {
        if let Ok(Some(text)) = view.read_project_file(file) {
            let line = text
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty() && !l.starts_with('#'))
                .unwrap_or_default();
            if let Some(minor) = minor_of(line.strip_prefix(prefix).unwrap_or(line)) {
                return Fact::new(
                    minor,
                    Evidence::at(file, 1, format!("\"{}\"", line.escape_debug())),
                );
            }
        }
    }
    if let Ok(Some(text)) = view.read_project_file(".tool-versions") {
        for (index, line) in text.lines().enumerate() {
            let mut words = line.split_whitespace();
            if words.next() == Some("python")
                && let Some(minor) = words.next().and_then(minor_of)
            {
                return Fact::new(minor, Evidence::at(".tool-versions", index + 1, "python"));
            }
        }
    }
    if let Some(pin) =
        pipfile.and_then(|p| minor_of(&p.value).map(|m| Fact::new(m, p.evidence.clone())))
    {
        return pin;
    }
    let allowed: Vec<&String> = minors
        .iter()
        .rev()
        .filter(|m| constraint.is_none_or(|c| allows(&c.value, m)))
        .collect();
    let Some(newest) = allowed.first() else {
        let newest = minors.last().cloned().unwrap_or_else(|| "3.12".into());
        return Fact::new(
            newest,
            Evidence::default_because(
                "no minor docksmith knows satisfies the constraint: the newest Python",
            ),
        );
    };
    let (minor, stepped) = match blocked(newest) {
        None => ((*newest).clone(), None),
        Some(why) => match allowed.iter().find(|m| blocked(m).is_none()) {
            Some(m) => ((*m).clone(), Some(why)),
            None => ((*newest).clone(), None),
        },
    };
    let because = |base: String| match &stepped {
        Some(why) => format!("{base}, stepped down to one with wheels: {why}"),
        None => base,
    };
    match constraint {
        Some(range) => Fact::new(
            minor,
            Evidence {
                detail: because(format!("the newest minor \"{}\" allows", range.value)),
                ..range.evidence.clone()
            },
        ),
        None => Fact::new(
            minor,
            Evidence::default_because(because(
                "no version file or constraint: the newest Python".into(),
            )),
        ),
    }
}

/// "3.12", "3.12.4", "cpython-3.12" → "3.12"; `None` for anything else (pypy, "system").
fn minor_of(text: &str) -> Option<String> {
    let text = text
        .trim()
        .trim_start_matches("cpython-")
        .trim_start_matches("python");
    let mut parts = text.split('.');
    let major: u32 = parts.next()?.trim().parse().ok()?;
    let minor: u32 = parts
        .next()?
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()?;
    (major == 3).then(|| format!("3.{minor}"))
}

/// Whether some 3.<minor>.<patch> satisfies a PEP 440 specifier set, or a Poetry
/// constraint (`^3.11`, `~3.11`, `||`).
pub fn allows(constraint: &str, minor: &str) -> bool {
    let Some(m) = minor.strip_prefix("3.").and_then(|m| m.parse::<u64>().ok()) else {
        return false;
    };
    constraint.split("||").any(|alternative| {
        [(3, m, 0), (3, m, 99)].iter().any(|v| {
            alternative
                .split(',')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .all(|c| specifier(*v, c).unwrap_or(true))
        })
    })
}

type Version = (u64, u64, u64);

fn parse(text: &str) -> Option<(Vec<u64>, bool)> {
    let text = text.trim().trim_start_matches('v');
    let wildcard = text.ends_with(".*");
    let parts: Option<Vec<u64>> = text
        .trim_end_matches(".*")
        .split('.')
        .map(|p| p.parse().ok())
        .collect();
    Some((parts?, wildcard))
}

fn padded(parts: &[u64]) -> Version {
    (
        parts.first().copied().unwrap_or(0),
        parts.get(1).copied().unwrap_or(0),
        parts.get(2).copied().unwrap_or(0),
    )
}

fn specifier(v: Version, spec: &str) -> Option<bool> {
    let (op, rest) = ["===", "~=", "==", "!=", ">=", "<=", ">", "<", "^", "~", "="]
        .iter()
        .find_map(|op| spec.strip_prefix(op).map(|rest| (*op, rest)))
        .unwrap_or(("==", spec));
    let (parts, wildcard) = parse(rest)?;
    let low = padded(&parts);
    let prefix_matches = |v: Version| {
        let vs = [v.0, v.1, v.2];
        parts.iter().zip(vs).all(|(a, b)| *a == b)
    };
    Some(match op {
        "==" | "===" | "=" if wildcard => prefix_matches(v),
        "==" | "===" | "=" => {
            if parts.len() < 3 {
                prefix_matches(v)
            } else {
                v == low
            }
        }
        "!=" => !prefix_matches(v),
        ">=" => v >= low,
        "<=" => v <= low,
        ">" => v > low,
        "<" => v < low,
        "~=" => {
            // ~=3.11 means >=3.11,<4; ~=3.11.2 means >=3.11.2,<3.12.
            let upper = if parts.len() <= 2 {
                (low.0 + 1, 0, 0)
            } else {
                (low.0, low.1 + 1, 0)
            };
            v >= low && v < upper
        }
        "^" => v >= low && v.0 == low.0,
        "~" => v >= low && v.0 == low.0 && (parts.len() < 2 || v.1 == low.1),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraints() {
        let cases = [
            (">=3.10,<3.13", "3.12", true),
            (">=3.10,<3.13", "3.13", false),
            ("~=3.11", "3.14", true),
            ("~=3.11.2", "3.12", false),
            ("==3.12.*", "3.12", true),
            ("==3.12.*", "3.13", false),
            ("^3.11", "3.14", true),
            ("^3.11", "3.10", false),
            ("~3.11", "3.11", true),
            ("~3.11", "3.12", false),
            ("3.11", "3.11", true),
            (">=3.9,!=3.12.*", "3.12", false),
            ("^3.8 || ^3.11", "3.12", true),
            (">3.12", "3.12", true),
        ];
        for (constraint, minor, expected) in cases {
            assert_eq!(
                allows(constraint, minor),
                expected,
                "{constraint} / {minor}"
            );
        }
    }

    #[test]
    fn pins() {
        assert_eq!(minor_of("3.12.4").as_deref(), Some("3.12"));
        assert_eq!(minor_of("cpython-3.11").as_deref(), Some("3.11"));
        assert_eq!(minor_of("pypy3.10"), None);
        assert_eq!(minor_of("2.7"), None);
    }
}
