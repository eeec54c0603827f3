//! The reader: lines → logical instructions → keyword, flags, arguments, heredocs.

use super::{Directive, Dockerfile, Flag, Heredoc, Instruction};

/// Every instruction BuildKit knows.
const KEYWORDS: &[&str] = &[
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

/// Instructions whose arguments may open heredocs.
const HEREDOC_KEYWORDS: &[&str] = &["RUN", "COPY", "ADD"];

/// What BuildKit would refuse, with the line it would name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

/// Reads a Dockerfile.
pub fn parse(text: &str) -> Result<Dockerfile, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().collect();
    let (directives, first_body_line) = directives(&lines);
    let escape = match directives.iter().find(|d| d.name == "escape") {
        None => '\\',
        Some(d) => match d.value.as_str() {
            "\\" => '\\',
            "`" => '`',
            other => {
                return Err(ParseError {
                    line: d.line,
                    message: format!("invalid escape character `{other}`: use \\ or `"),
                });
            }
        },
    };
    let mut instructions = Vec::new();
    let mut at = first_body_line;
    while at < lines.len() {
        let Some((instruction, next)) = logical_instruction(&lines, at, escape)? else {
            break;
        };
        instructions.push(instruction);
        at = next;
    }
    Ok(Dockerfile {
        directives,
        escape,
        instructions,
    })
}

/// The directives at the top; BuildKit stops looking at the first line that is not
/// one (a blank line, another comment or an instruction).
fn directives(lines: &[&str]) -> (Vec<Directive>, usize) {
    let mut found = Vec::new();
    for (index, raw) in lines.iter().enumerate() {
        let Some(rest) = raw.trim().strip_prefix('#') else {
            return (found, index);
        };
        let Some((name, value)) = rest.split_once('=') else {
            return (found, index);
        };
        let name = name.trim().to_ascii_lowercase();
        if name.is_empty()
            || !name.chars().all(|c| c.is_ascii_alphanumeric())
            || found.iter().any(|d: &Directive| d.name == name)
        {
            return (found, index);
        }
        found.push(Directive {
            line: index + 1,
            name,
            value: value.trim().to_string(),
        });
    }
    (found, lines.len())
}

/// The instruction starting at or after `start` and the index after it; `None` when
/// only comments and blank lines remain.
fn logical_instruction(
    lines: &[&str],
    start: usize,
    escape: char,
) -> Result<Option<(Instruction, usize)>, ParseError> {
    let mut at = start;
    while at < lines.len() && is_blank_or_comment(lines[at]) {
        at += 1;
    }
    if at >= lines.len() {
        return Ok(None);
    }
    let first = at;
    let mut joined = String::new();
    loop {
        let raw = lines[at];
        at += 1;
        let part = if joined.is_empty() {
            raw.trim_start()
        } else {
            raw
        };
        match continued(part, escape) {
            Some(body) => {
                joined.push_str(body);
                // Comment and blank lines inside a continuation are dropped.
                while at < lines.len() && is_blank_or_comment(lines[at]) {
                    at += 1;
                }
                if at >= lines.len() {
                    break;
                }
            }
            None => {
                joined.push_str(part);
                break;
            }
        }
    }
    let mut instruction = split(first + 1, joined.trim())?;
    if HEREDOC_KEYWORDS.contains(&instruction.keyword.as_str()) {
        for (delimiter, strip_tabs, quoted) in heredoc_openers(&instruction.args) {
            let mut body = String::new();
            let mut closed = false;
            while at < lines.len() {
                let raw = lines[at];
                at += 1;
                // `<<-` strips leading tabs when the body is used; BuildKit's parser
                // keeps them in the body and ignores them only to find the end.
                let line = if strip_tabs {
                    raw.trim_start_matches('\t')
                } else {
                    raw
                };
                if line == delimiter {
                    closed = true;
                    break;
                }
                body.push_str(raw);
                body.push('\n');
            }
            if !closed {
                return Err(ParseError {
                    line: first + 1,
                    message: format!("the heredoc `{delimiter}` is never closed"),
                });
            }
            instruction.heredocs.push(Heredoc {
                delimiter,
                body,
                strip_tabs,
                quoted,
            });
        }
    }
    instruction.end_line = at;
    Ok(Some((instruction, at)))
}

fn is_blank_or_comment(line: &str) -> bool {
    let trimmed = line.trim_start();
    trimmed.is_empty() || trimmed.starts_with('#')
}

/// The line without its trailing escape character when it continues.
fn continued(line: &str, escape: char) -> Option<&str> {
    line.trim_end_matches([' ', '\t']).strip_suffix(escape)
}

/// Keyword, flags, arguments and exec form of one logical line.
fn split(line: usize, text: &str) -> Result<Instruction, ParseError> {
    let (word, rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
    let keyword = word.to_ascii_uppercase();
    if !KEYWORDS.contains(&keyword.as_str()) {
        return Err(ParseError {
            line,
            message: format!("unknown instruction `{}`", short(word)),
        });
    }
    let mut rest = rest.trim_start();
    let mut flags = Vec::new();
    // Flags lead FROM, COPY, ADD, RUN and HEALTHCHECK; elsewhere `--` is an argument.
    if matches!(
        keyword.as_str(),
        "FROM" | "COPY" | "ADD" | "RUN" | "HEALTHCHECK"
    ) {
        while let Some(after) = rest.strip_prefix("--") {
            let end = after.find(char::is_whitespace).unwrap_or(after.len());
            let token = &after[..end];
            let (name, value) = match token.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (token, None),
            };
            flags.push(Flag {
                name: name.to_ascii_lowercase(),
                value,
            });
            rest = after[end..].trim_start();
        }
    }
    let args = rest.trim_end().to_string();
    let exec = exec_form(&args);
    let onbuild = if keyword == "ONBUILD" {
        if args.is_empty() {
            return Err(ParseError {
                line,
                message: "ONBUILD needs an instruction".into(),
            });
        }
        let inner = split(line, &args)?;
        if matches!(inner.keyword.as_str(), "ONBUILD" | "FROM" | "MAINTAINER") {
            return Err(ParseError {
                line,
                message: format!("ONBUILD cannot trigger {}", inner.keyword),
            });
        }
        Some(Box::new(inner))
    } else {
        None
    };
    Ok(Instruction {
        line,
        end_line: line,
        keyword,
        flags,
        args,
        exec,
        heredocs: Vec::new(),
        onbuild,
    })
}

/// A JSON array of strings, as BuildKit accepts for the exec form.
fn exec_form(args: &str) -> Option<Vec<String>> {
    if !args.starts_with('[') {
        return None;
    }
    serde_json::from_str::<Vec<String>>(args).ok()
}

/// The heredocs an instruction opens, in order: `<<EOF`, `<<-EOF`, `<<"EOF"`, `<<'EOF'`.
/// `<<<` (a here-string) opens none.
fn heredoc_openers(args: &str) -> Vec<(String, bool, bool)> {
    let bytes = args.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(offset) = args[at..].find("<<") {
        let start = at + offset;
        at = start + 2;
        if bytes.get(at) == Some(&b'<') || (start > 0 && bytes[start - 1] == b'<') {
            at += 1;
            continue;
        }
        let strip_tabs = bytes.get(at) == Some(&b'-');
        if strip_tabs {
            at += 1;
        }
        let quote = match bytes.get(at) {
            Some(&q @ (b'"' | b'\'')) => {
                at += 1;
                Some(q)
            }
            _ => None,
        };
        let word_len = args[at..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(args.len() - at);
        if word_len == 0 || args.as_bytes()[at].is_ascii_digit() {
            continue;
        }
        let word = args[at..at + word_len].to_string();
        at += word_len;
        if let Some(q) = quote {
            if bytes.get(at) != Some(&q) {
                continue;
            }
            at += 1;
        }
        found.push((word, strip_tabs, quote.is_some()));
    }
    found
}

/// A word cut for a message.
fn short(word: &str) -> String {
    let cut: String = word.chars().take(40).collect();
    if cut.len() < word.len() {
        format!("{cut}…")
    } else {
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn only(text: &str) -> Instruction {
        let file = parse(text).expect("parses");
        assert_eq!(file.instructions.len(), 1, "{:?}", file.instructions);
        file.instructions.into_iter().next().unwrap()
    }

    #[test]
    fn continuations_join_as_buildkit_joins_them_and_skip_comment_lines() {
        let run = only("RUN apt-get update && \\\n# a comment\n\n    apt-get install -y curl  \n");
        assert_eq!(run.args, "apt-get update &&     apt-get install -y curl");
        assert_eq!((run.line, run.end_line), (1, 4));
    }

    #[test]
    fn the_escape_directive_changes_the_continuation_character() {
        let file =
            parse("# escape=`\nFROM mcr.microsoft.com/windows\nRUN dir c:\\ `\n  /s\n").unwrap();
        assert_eq!(file.escape, '`');
        assert_eq!(file.directive("escape"), Some("`"));
        assert_eq!(file.instructions[1].args, "dir c:\\   /s");
        assert!(parse("# escape=x\nFROM a\n").is_err());
    }

    #[test]
    fn directives_count_only_at_the_top() {
        let file = parse("# syntax=docker/dockerfile:1\n# check=skip=all\n\n# escape=`\nFROM a\n")
            .unwrap();
        assert_eq!(file.directive("syntax"), Some("docker/dockerfile:1"));
        assert_eq!(file.directive("check"), Some("skip=all"));
        assert_eq!(file.escape, '\\');
    }

    #[test]
    fn heredocs_are_read_with_their_delimiters() {
        let text = "FROM a\nRUN <<EOF\napt-get update\nEOF\nCOPY <<-\"END\" /app/x.sh\n\techo $HOME\n\tEND\nRUN cat <<<word\nUSER app\n";
        let file = parse(text).unwrap();
        let run = &file.instructions[1];
        assert_eq!(run.heredocs[0].body, "apt-get update\n");
        assert_eq!((run.line, run.end_line), (2, 4));
        let copy = &file.instructions[2];
        assert_eq!(copy.heredocs[0].delimiter, "END");
        assert!(copy.heredocs[0].strip_tabs && copy.heredocs[0].quoted);
        assert_eq!(copy.heredocs[0].body, "\techo $HOME\n");
        assert!(file.instructions[3].heredocs.is_empty());
        assert_eq!(file.instructions[4].keyword, "USER");
        assert!(parse("FROM a\nRUN <<EOF\nnever closed\n").is_err());
    }

    #[test]
    fn flags_exec_forms_and_onbuild() {
        let file = parse(
            "from --platform=$BUILDPLATFORM golang:1.22 AS build\nRUN --mount=type=cache,target=/root/.cache --network=none go build\nCMD [\"./app\", \"--port\", \"80\"]\nCMD ./app --port 80\nONBUILD COPY . /src\n",
        )
        .unwrap();
        let stages = file.stages();
        assert_eq!(stages[0].base, "golang:1.22");
        assert_eq!(stages[0].name.as_deref(), Some("build"));
        assert_eq!(stages[0].platform.as_deref(), Some("$BUILDPLATFORM"));
        let run = &file.instructions[1];
        assert_eq!(run.flag("network"), Some("none"));
        assert_eq!(run.flags_named("mount").count(), 1);
        assert_eq!(run.args, "go build");
        assert_eq!(
            file.instructions[2].exec.as_deref(),
            Some(&["./app".to_string(), "--port".into(), "80".into()][..])
        );
        assert_eq!(file.instructions[3].exec, None);
        assert_eq!(
            file.instructions[4].onbuild.as_ref().unwrap().keyword,
            "COPY"
        );
    }

    #[test]
    fn what_buildkit_refuses_is_named_with_its_line() {
        assert_eq!(parse("FROM a\nRUNN x\n").unwrap_err().line, 2);
        assert!(parse("ONBUILD ONBUILD RUN x\n").is_err());
        assert!(parse("").unwrap().instructions.is_empty());
    }

    #[test]
    fn hostile_text_never_panics() {
        for text in [
            "\\",
            "RUN \\",
            "RUN <<",
            "RUN <<-",
            "RUN <<'",
            "RUN <<\"EOF",
            "RUN <<é\né\n",
            "# escape=`\nRUN `",
            "\u{feff}FROM a",
            "RUN --",
            "RUN --=",
            "CMD [",
            "ONBUILD",
            "FROM\tAS",
            "\0\0\0",
        ] {
            let _ = parse(text);
        }
    }
}
