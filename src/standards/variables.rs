//! A pack's custom variables, cookiecutter-style: declared in `[[variables]]` (name,
//! prompt, default, choices, pattern), given by `--var`, `DOCKSMITH_VARS`, the
//! wizard or `vars` in docksmith.toml, and used in the pack's labels (`{team}`) and
//! templates (`{{ vars.team | label }}`). `repo_url` is built in: the repository's
//! public URL from `.git/config` (empty without one).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;

use super::{Pack, StandardsError};
use crate::settings::{Setting, Vars};

/// Variables every pack may use without declaring them.
pub const BUILTIN: &[&str] = &["repo_url"];

/// `[[variables]]` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct VariableEntry {
    name: String,
    prompt: Option<String>,
    default: Option<String>,
    #[serde(default)]
    choices: Vec<String>,
    pattern: Option<String>,
}

/// A declared variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variable {
    pub name: String,
    /// What the wizard asks.
    pub prompt: String,
    pub default: Option<String>,
    pub choices: Vec<String>,
    /// A regular expression the whole value must match.
    pub pattern: Option<String>,
}

impl Variable {
    /// Why `value` is not acceptable, if it is not.
    pub fn check(&self, value: &str) -> Result<(), String> {
        if value.chars().any(char::is_control) || value.len() > 256 {
            return Err("must be one line of at most 256 bytes".into());
        }
        if !self.choices.is_empty() && !self.choices.iter().any(|c| c == value) {
            return Err(format!("must be one of {}", self.choices.join(", ")));
        }
        if let Some(pattern) = &self.pattern {
            let anchored = regex::Regex::new(&format!("^(?:{pattern})$"))
                .map_err(|e| format!("pattern `{pattern}`: {e}"))?;
            if !anchored.is_match(value) {
                return Err(format!("must match `{pattern}`"));
            }
        }
        Ok(())
    }
}

static NAME: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r"^[a-z][a-z0-9_]{0,31}$").expect("valid"));

/// `{name}` in a label value.
static PLACEHOLDER: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r"\{([a-z][a-z0-9_]*)\}").expect("valid"));

pub(super) fn declared(entries: Vec<VariableEntry>) -> Result<Vec<Variable>, String> {
    let mut variables: Vec<Variable> = Vec::new();
    for entry in entries {
        let name = entry.name;
        if !NAME.is_match(&name) || BUILTIN.contains(&name.as_str()) {
            return Err(format!(
                "[[variables]] name `{}`: lower-case letters, digits and _ (at most 32), not {}",
                name.escape_debug(),
                BUILTIN.join(", ")
            ));
        }
        if variables.iter().any(|v| v.name == name) {
            return Err(format!("[[variables]] `{name}` is declared twice"));
        }
        let prompt = entry.prompt.unwrap_or_else(|| name.clone());
        if prompt.chars().any(char::is_control) || prompt.len() > 200 {
            return Err(format!(
                "[[variables]] `{name}`: the prompt must be one line of at most 200 bytes"
            ));
        }
        if let Some(pattern) = &entry.pattern
            && (pattern.len() > 200 || regex::Regex::new(pattern).is_err())
        {
            return Err(format!(
                "[[variables]] `{name}`: pattern `{}` is not a regular expression (at most 200 bytes)",
                pattern.escape_debug()
            ));
        }
        let variable = Variable {
            name: name.clone(),
            prompt,
            default: entry.default,
            choices: entry.choices,
            pattern: entry.pattern,
        };
        for choice in &variable.choices {
            let probe = Variable {
                choices: Vec::new(),
                ..variable.clone()
            };
            probe.check(choice).map_err(|e| {
                format!(
                    "[[variables]] `{name}`: the choice `{}` {e}",
                    choice.escape_debug()
                )
            })?;
        }
        if let Some(default) = &variable.default {
            variable.check(default).map_err(|e| {
                format!(
                    "[[variables]] `{name}`: the default `{}` {e}",
                    default.escape_debug()
                )
            })?;
        }
        variables.push(variable);
    }
    Ok(variables)
}

/// Every `{name}` a label uses must be a declared or built-in variable.
pub(super) fn check_placeholders(
    labels: &BTreeMap<String, String>,
    variables: &[Variable],
) -> Result<(), String> {
    for (key, value) in labels {
        for capture in PLACEHOLDER.captures_iter(value) {
            let name = &capture[1];
            if !BUILTIN.contains(&name) && !variables.iter().any(|v| v.name == name) {
                return Err(format!(
                    "[labels] `{key}`: `{{{name}}}` is no variable; declare it in [[variables]] (built in: {})",
                    BUILTIN.join(", ")
                ));
            }
        }
    }
    Ok(())
}

/// `value` with every `{name}` replaced.
pub fn substitute(value: &str, values: &BTreeMap<String, String>) -> String {
    PLACEHOLDER
        .replace_all(value, |capture: &regex::Captures| {
            values.get(&capture[1]).cloned().unwrap_or_default()
        })
        .into_owned()
}

/// The value of every variable the pack declares (and the built-ins), from what the
/// settings give, else the default.
pub fn resolve(
    pack: &Pack,
    given: Option<&Setting<Vars>>,
    repo_url: Option<&str>,
) -> Result<BTreeMap<String, String>, StandardsError> {
    let invalid = |message: String| StandardsError::Variable {
        pack: pack.id.to_string(),
        message,
    };
    if let Some(given) = given
        && let Some(unknown) = given
            .value
            .0
            .keys()
            .find(|name| !pack.variables.iter().any(|v| &v.name == *name))
    {
        return Err(invalid(format!(
            "{} sets `{}`, which the pack does not declare (it declares: {})",
            given.source,
            unknown.escape_debug(),
            names(pack)
        )));
    }
    let mut values = BTreeMap::new();
    for variable in &pack.variables {
        let (value, origin) =
            match given.and_then(|g| g.value.0.get(&variable.name).map(|v| (v, g))) {
                Some((value, given)) => (value.clone(), given.source.to_string()),
                None => match &variable.default {
                    Some(default) => (default.clone(), "its default".to_string()),
                    None => {
                        return Err(invalid(format!(
                            "the variable `{}` ({}) has no value",
                            variable.name, variable.prompt
                        )));
                    }
                },
            };
        variable.check(&value).map_err(|e| {
            invalid(format!(
                "`{}` = `{}` from {origin} {e}",
                variable.name,
                value.escape_debug()
            ))
        })?;
        values.insert(variable.name.clone(), value);
    }
    values.insert("repo_url".into(), repo_url.unwrap_or_default().to_string());
    Ok(values)
}

/// The values known without asking (given, else defaults; `repo_url` when there is
/// one), unchecked: what an audit compares labels with.
pub fn known(
    pack: &Pack,
    given: Option<&Setting<Vars>>,
    repo_url: Option<&str>,
) -> BTreeMap<String, String> {
    let mut values: BTreeMap<String, String> = pack
        .variables
        .iter()
        .filter_map(|v| {
            let given = given.and_then(|g| g.value.0.get(&v.name));
            Some((v.name.clone(), given.or(v.default.as_ref())?.clone()))
        })
        .collect();
    values.insert("repo_url".into(), repo_url.unwrap_or_default().to_string());
    values
}

/// Whether every `{name}` in `value` has a value in `values`.
pub fn all_known(value: &str, values: &BTreeMap<String, String>) -> bool {
    PLACEHOLDER
        .captures_iter(value)
        .all(|c| values.contains_key(&c[1]))
}

fn names(pack: &Pack) -> String {
    if pack.variables.is_empty() {
        return "none".into();
    }
    let names: Vec<&str> = pack.variables.iter().map(|v| v.name.as_str()).collect();
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn team() -> Variable {
        Variable {
            name: "team".into(),
            prompt: "Team".into(),
            default: None,
            choices: vec!["platform".into(), "payments".into()],
            pattern: Some("[a-z]+".into()),
        }
    }

    #[test]
    fn values_are_checked_against_choices_pattern_and_one_line() {
        let team = team();
        assert!(team.check("payments").is_ok());
        assert!(
            team.check("search")
                .unwrap_err()
                .contains("one of platform, payments")
        );
        let free = Variable {
            choices: Vec::new(),
            ..team
        };
        assert!(free.check("Search").unwrap_err().contains("must match"));
        assert!(free.check("a\nb").is_err());
    }

    #[test]
    fn labels_substitute_variables_and_name_unknown_ones() {
        let labels: BTreeMap<String, String> = [(
            "com.acme.team".to_string(),
            "{team} ({repo_url})".to_string(),
        )]
        .into();
        assert!(check_placeholders(&labels, &[team()]).is_ok());
        let err = check_placeholders(&labels, &[]).unwrap_err();
        assert!(err.contains("`{team}` is no variable"), "{err}");
        let values: BTreeMap<String, String> = [
            ("team".to_string(), "payments".to_string()),
            (
                "repo_url".to_string(),
                "https://git.acme.test/x".to_string(),
            ),
        ]
        .into();
        assert_eq!(
            substitute("{team} ({repo_url}) {literal", &values),
            "payments (https://git.acme.test/x) {literal"
        );
    }

    #[test]
    fn declarations_are_checked() {
        let entry = |name: &str, default: Option<&str>, pattern: Option<&str>| VariableEntry {
            name: name.into(),
            prompt: None,
            default: default.map(str::to_string),
            choices: Vec::new(),
            pattern: pattern.map(str::to_string),
        };
        assert!(declared(vec![entry("team", Some("x"), None)]).is_ok());
        assert!(declared(vec![entry("Team", None, None)]).is_err());
        assert!(declared(vec![entry("repo_url", None, None)]).is_err());
        assert!(declared(vec![entry("t", None, Some("("))]).is_err());
        assert!(
            declared(vec![entry("t", Some("ABC"), Some("[a-z]+"))])
                .unwrap_err()
                .contains("the default `ABC` must match")
        );
    }
}
