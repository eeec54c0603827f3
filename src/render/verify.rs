//! Reads a rendered Dockerfile back and checks it before anything is written: every
//! instruction is a real one, the first is FROM, stage names are unique, every
//! `--from` names an earlier stage, every `--mount` option list reads as written
//! (see [`super::mounts`]), and exec forms are valid JSON arrays of strings.
//! A value that escaped its quoting would show up here as an extra or broken
//! instruction.

use std::collections::BTreeSet;

/// One instruction, continuation lines joined.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instruction {
    /// 1-based line where it starts.
    pub line: usize,
    pub keyword: String,
    pub args: String,
}

impl From<crate::dockerfile::Instruction> for Instruction {
    fn from(parsed: crate::dockerfile::Instruction) -> Self {
        Instruction {
            line: parsed.line,
            args: parsed.written_args(),
            keyword: parsed.keyword,
        }
    }
}

/// A stage: its base and name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stage {
    pub base: String,
    pub name: Option<String>,
}

/// What the check learnt about the Dockerfile.
#[derive(Debug)]
pub struct Summary {
    pub instructions: Vec<Instruction>,
    pub stages: Vec<Stage>,
}

#[derive(Debug, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct VerifyError {
    pub line: usize,
    pub message: String,
}

/// Splits a Dockerfile into instructions as BuildKit does (comments dropped,
/// continuations joined, heredocs attached), flags kept in front of the arguments.
pub fn instructions(text: &str) -> Result<Vec<Instruction>, VerifyError> {
    let file = crate::dockerfile::parse(text).map_err(|e| VerifyError {
        line: e.line,
        message: e.message,
    })?;
    // BuildKit accepts a continuation at the end of the file; in rendered text it
    // means a template dropped the line that should follow.
    if let Some(last) = file.instructions.last()
        && let Some(line) = text.lines().nth(last.end_line.saturating_sub(1))
        && line.trim_end().ends_with(file.escape)
    {
        return Err(VerifyError {
            line: last.line,
            message: "the last instruction ends with a line continuation".into(),
        });
    }
    Ok(file
        .instructions
        .into_iter()
        .map(Instruction::from)
        .collect())
}

/// Checks a rendered Dockerfile.
pub fn verify(text: &str) -> Result<Summary, VerifyError> {
    let instructions = instructions(text)?;
    let mut stages: Vec<Stage> = Vec::new();
    let mut names = BTreeSet::new();
    for ins in &instructions {
        let err = |message: String| VerifyError {
            line: ins.line,
            message,
        };
        match ins.keyword.as_str() {
            "ARG" if stages.is_empty() => {}
            _ if stages.is_empty() && ins.keyword != "FROM" => {
                return Err(err(format!("{} before the first FROM", ins.keyword)));
            }
            "FROM" => {
                let stage = parse_from(&ins.args).map_err(err)?;
                if let Some(name) = &stage.name
                    && !names.insert(name.to_ascii_lowercase())
                {
                    return Err(err(format!("stage name `{name}` is used twice")));
                }
                stages.push(stage);
            }
            "COPY" | "ADD" | "RUN" => {
                if ins.keyword == "RUN" {
                    for list in super::mounts::of_run(&ins.args) {
                        super::mounts::parse(&list).map_err(err)?;
                    }
                }
                for from in from_references(&ins.args) {
                    let earlier = &stages[..stages.len() - 1];
                    let known = earlier.iter().enumerate().any(|(i, s)| {
                        s.name
                            .as_deref()
                            .is_some_and(|n| n.eq_ignore_ascii_case(&from))
                            || from == i.to_string()
                    });
                    if !known {
                        return Err(err(format!("--from={from} names no earlier stage")));
                    }
                }
                if ins.keyword == "RUN" {
                    check_exec_form(strip_flags(&ins.args)).map_err(err)?;
                }
            }
            "ENTRYPOINT" | "CMD" => check_exec_form(&ins.args).map_err(err)?,
            _ => {}
        }
    }
    if stages.is_empty() {
        return Err(VerifyError {
            line: 1,
            message: "no FROM instruction".into(),
        });
    }
    Ok(Summary {
        instructions,
        stages,
    })
}

fn parse_from(args: &str) -> Result<Stage, String> {
    let words: Vec<&str> = args
        .split_whitespace()
        .filter(|w| !w.starts_with("--platform="))
        .collect();
    match words.as_slice() {
        [base] => Ok(Stage {
            base: base.to_string(),
            name: None,
        }),
        [base, as_kw, name] if as_kw.eq_ignore_ascii_case("as") => Ok(Stage {
            base: base.to_string(),
            name: Some(name.to_string()),
        }),
        _ => Err(format!("malformed FROM `{args}`")),
    }
}

/// `--from=X` flags of COPY/ADD and `from=X` options of RUN --mount.
pub fn from_references(args: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in args.split_whitespace() {
        if let Some(from) = word.strip_prefix("--from=") {
            out.push(from.to_string());
        } else if !word.starts_with("--") {
            break;
        }
    }
    // Keys in any case, as BuildKit reads them (`FROM=` mounts from an image too).
    for list in super::mounts::of_run(args) {
        out.extend(
            list.split(',')
                .filter_map(|kv| kv.split_once('='))
                .filter(|(key, _)| key.eq_ignore_ascii_case("from"))
                .map(|(_, from)| from.to_string()),
        );
    }
    out
}

fn strip_flags(args: &str) -> &str {
    let mut rest = args.trim_start();
    while rest.starts_with("--") {
        rest = rest
            .split_once(char::is_whitespace)
            .map_or("", |(_, r)| r)
            .trim_start();
    }
    rest
}

/// An argument list starting with `[` is exec form and must be a JSON array of strings.
fn check_exec_form(args: &str) -> Result<(), String> {
    if !args.starts_with('[') {
        return Ok(());
    }
    match serde_json::from_str::<Vec<String>>(args) {
        Ok(items) if !items.is_empty() => Ok(()),
        Ok(_) => Err("empty exec form".into()),
        Err(e) => Err(format!("exec form is not a JSON array of strings: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "# syntax=docker/dockerfile:1\nARG V=1\nFROM golang:1.23 AS build\nRUN --mount=type=cache,target=/x \\\n    # a comment inside\n    go build \\\n    -o /out/a .\nFROM scratch\nCOPY --from=build /out/a /a\nENTRYPOINT [\"/a\"]\n";

    #[test]
    fn reads_instructions_and_stages() {
        let summary = verify(GOOD).unwrap();
        let keywords: Vec<_> = summary
            .instructions
            .iter()
            .map(|i| i.keyword.as_str())
            .collect();
        assert_eq!(
            keywords,
            ["ARG", "FROM", "RUN", "FROM", "COPY", "ENTRYPOINT"]
        );
        assert_eq!(
            summary.instructions[2].args,
            // Continuations joined as BuildKit joins them: the next line as written.
            "--mount=type=cache,target=/x go build     -o /out/a ."
        );
        assert_eq!(summary.stages[0].name.as_deref(), Some("build"));
    }

    #[test]
    fn rejects_what_a_broken_escape_would_produce() {
        for (bad, why) in [
            ("FROM a AS x\nFROM b AS x\n", "used twice"),
            (
                "FROM a\nCOPY --from=nowhere /a /b\n",
                "names no earlier stage",
            ),
            (
                "FROM a AS x\nCOPY --from=x /a /b\n",
                "names no earlier stage",
            ),
            (
                "FROM a\nRUN --mount=type=bind,from=ghost,target=/g true\n",
                "names no earlier stage",
            ),
            (
                "FROM a AS b\nRUN --mount=type=bind,source=x,FROM=evil/img,target=/t true\n",
                "names no earlier stage",
            ),
            (
                "FROM a AS b\nRUN --mount=type=bind,source=x,from=b,evil=1,target=/t true\n",
                "no --mount option",
            ),
            ("FROM a\nENTRYPOINT [\"/a\", \n", "exec form"),
            ("FROM a\nENTRYPOINT [\"a\", 1]\n", "exec form"),
            ("FROM a\nevil --rm\n", "unknown instruction `evil`"),
            ("RUN x\nFROM a\n", "before the first FROM"),
            ("FROM a\nRUN x \\\n", "continuation"),
            ("FROM a b c d\n", "malformed FROM"),
            ("# nothing\n", "no FROM"),
        ] {
            let err = verify(bad).unwrap_err();
            assert!(err.message.contains(why), "{bad:?}: {err}");
        }
    }

    #[test]
    fn stage_index_references_are_fine() {
        assert!(verify("FROM a\nFROM b\nCOPY --from=0 /a /b\n").is_ok());
    }
}
