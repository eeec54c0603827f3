//! The rendered Dockerfile read back and compared with the plan it came from: the
//! final stage must say exactly what the plan's runtime says (base, labels, user,
//! copies, environment, port, health check, entrypoint and command), with every
//! value decoded as BuildKit decodes it. An escaping slip that kept the syntax valid
//! but changed a value, or split one label into two, is caught here.

use super::verify::{Instruction, Summary, VerifyError};
use crate::plan::BuildPlan;

/// Compares the final stage of `summary` with `plan.runtime`.
pub fn matches_plan(summary: &Summary, plan: &BuildPlan) -> Result<(), VerifyError> {
    let start = summary
        .instructions
        .iter()
        .rposition(|i| i.keyword == "FROM")
        .unwrap_or_default();
    let stage = &summary.instructions[start..];
    let runtime = &plan.runtime;
    let line = stage.first().map_or(1, |i| i.line);
    let differs = |what: &str, found: String, planned: String| VerifyError {
        line,
        message: format!("the final stage's {what} is {found}, the plan says {planned}"),
    };
    let base = summary
        .stages
        .last()
        .map(|s| s.base.as_str())
        .unwrap_or_default();
    if base != runtime.image.value {
        return Err(differs("base", base.into(), runtime.image.value.clone()));
    }
    let labels: Vec<(String, String)> = pairs(stage, "LABEL");
    let planned: Vec<(String, String)> = runtime
        .labels
        .iter()
        .map(|l| (l.key.clone(), l.value.clone()))
        .collect();
    if labels != planned {
        return Err(differs(
            "label list",
            format!("{labels:?}"),
            format!("{planned:?}"),
        ));
    }
    let env = pairs(stage, "ENV");
    let planned: Vec<(String, String)> = runtime
        .env
        .iter()
        .map(|v| (v.name.clone(), v.value.clone()))
        .collect();
    if env != planned {
        return Err(differs(
            "environment",
            format!("{env:?}"),
            format!("{planned:?}"),
        ));
    }
    let user = last_args(stage, "USER");
    let planned = format!("{}:{}", runtime.user.uid, runtime.user.gid);
    if user.as_deref() != Some(planned.as_str()) {
        return Err(differs("user", format!("{user:?}"), planned));
    }
    let copies = stage.iter().filter(|i| i.keyword == "COPY").count();
    if copies != runtime.artifacts.len() {
        return Err(differs(
            "number of COPY instructions",
            copies.to_string(),
            runtime.artifacts.len().to_string(),
        ));
    }
    let expose = last_args(stage, "EXPOSE");
    let planned = runtime.expose.as_ref().map(|p| p.value.to_string());
    if expose != planned {
        return Err(differs(
            "port",
            format!("{expose:?}"),
            format!("{planned:?}"),
        ));
    }
    for (keyword, planned) in [
        ("ENTRYPOINT", &runtime.entrypoint),
        ("CMD", &runtime.command),
        ("HEALTHCHECK", &runtime.healthcheck),
    ] {
        let found = last_args(stage, keyword)
            .map(|args| exec_array(keyword, &args))
            .unwrap_or_default();
        if &found != planned {
            return Err(differs(
                keyword,
                format!("{found:?}"),
                format!("{planned:?}"),
            ));
        }
    }
    Ok(())
}

fn last_args(stage: &[Instruction], keyword: &str) -> Option<String> {
    stage
        .iter()
        .rfind(|i| i.keyword == keyword)
        .map(|i| i.args.clone())
}

/// The exec array of an ENTRYPOINT, CMD or `HEALTHCHECK … CMD` (empty when the
/// instruction is in shell form, which the templates never write).
fn exec_array(keyword: &str, args: &str) -> Vec<String> {
    let json = match keyword {
        "HEALTHCHECK" => args.split_once(" CMD ").map_or("", |(_, rest)| rest.trim()),
        _ => args,
    };
    serde_json::from_str(json).unwrap_or_default()
}

/// The `key=value` pairs of every LABEL or ENV instruction of the stage, decoded.
fn pairs(stage: &[Instruction], keyword: &str) -> Vec<(String, String)> {
    stage
        .iter()
        .filter(|i| i.keyword == keyword)
        .flat_map(|i| words(&i.args))
        .map(|word| match word.split_once('=') {
            Some((key, value)) => (key.to_string(), value.to_string()),
            None => (word, String::new()),
        })
        .collect()
}

/// Splits at unquoted whitespace and removes quotes as BuildKit's word reader does:
/// inside double quotes a backslash escapes the next character, inside single
/// quotes nothing is special.
fn words(args: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = args.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, c) if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, '"' | '\'') => {
                quote = Some(c);
                in_word = true;
            }
            (Some(q), c) if c == q => quote = None,
            (Some('"') | None, '\\') => {
                word.extend(chars.next());
                in_word = true;
            }
            (_, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        out.push(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_decoded_as_buildkit_decodes_them() {
        assert_eq!(
            words(r#"a="x y" b="say \"hi\" for \$5" c='it''s' d=plain"#),
            ["a=x y", r#"b=say "hi" for $5"#, "c=its", "d=plain"]
        );
        assert_eq!(words(r#"k="""#), ["k="]);
    }

    #[test]
    fn exec_arrays_of_each_keyword() {
        assert_eq!(exec_array("CMD", r#"["a", "b c"]"#), ["a", "b c"]);
        assert_eq!(
            exec_array(
                "HEALTHCHECK",
                r#"--interval=30s --retries=3 CMD ["/probe", "x"]"#
            ),
            ["/probe", "x"]
        );
        assert!(exec_array("CMD", "echo shell form").is_empty());
    }
}
