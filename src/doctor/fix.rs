//! `doctor --fix`: the safe rewrites, applied to the text as written. Lines keep their
//! places (an instruction rewritten onto one line leaves its other lines empty), so
//! every edit addresses the line numbers the findings name.

use super::{Edit, Finding};

/// The fixed Dockerfile and .dockerignore (`None`: no change to it).
pub struct Fixed {
    pub dockerfile: String,
    pub dockerignore: Option<String>,
}

/// Applies the edits of `findings` to `dockerfile` and `dockerignore`.
pub fn apply_fixes(dockerfile: &str, dockerignore: Option<&str>, findings: &[Finding]) -> Fixed {
    let mut lines: Vec<String> = dockerfile
        .split_inclusive('\n')
        .map(str::to_string)
        .collect();
    let mut ignore_lines: Vec<String> = Vec::new();
    for edit in findings.iter().filter_map(|f| f.edit.as_ref()) {
        match edit {
            Edit::PinImage { line, from, to } => {
                if let Some(text) = lines.get_mut(line.saturating_sub(1)) {
                    *text = replace_word(text, from, to);
                }
            }
            Edit::AddToCopy { line } => {
                if let Some(text) = lines.get_mut(line.saturating_sub(1)) {
                    *text = replace_keyword(text, "COPY");
                }
            }
            Edit::RunFlag { line, flag } => {
                if let Some(text) = lines.get_mut(line.saturating_sub(1)) {
                    let indent = text.len() - text.trim_start().len();
                    let at = indent + 3;
                    if text.len() >= at && text[indent..at].eq_ignore_ascii_case("RUN") {
                        text.insert_str(at, &format!(" {flag}"));
                    }
                }
            }
            Edit::AppendToRun { end_line, suffix } => {
                if let Some(text) = lines.get_mut(end_line.saturating_sub(1)) {
                    let ending = &text[text.trim_end_matches(['\n', '\r']).len()..];
                    let ending = ending.to_string();
                    let body = text.trim_end().to_string();
                    *text = format!("{body}{suffix}{ending}");
                }
            }
            Edit::ApkNoCache { line, end_line } => {
                for text in lines
                    .iter_mut()
                    .take(*end_line)
                    .skip(line.saturating_sub(1))
                {
                    if text.contains("apk add") && !text.contains("apk add --no-cache") {
                        *text = text.replace("apk add", "apk add --no-cache");
                    }
                }
            }
            Edit::ExecForm {
                line,
                end_line,
                keyword,
                words,
            } => {
                let json = exec_form(words);
                for (n, text) in lines
                    .iter_mut()
                    .enumerate()
                    .take(*end_line)
                    .skip(line.saturating_sub(1))
                {
                    *text = if n + 1 == *line {
                        format!("{keyword} {json}\n")
                    } else {
                        String::new()
                    };
                }
            }
            Edit::IgnoreLines(add) => {
                for line in add {
                    if !ignore_lines.contains(line) {
                        ignore_lines.push(line.clone());
                    }
                }
            }
        }
    }
    let dockerignore = (!ignore_lines.is_empty()).then(|| {
        let mut text = dockerignore.unwrap_or("").to_string();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str("# added by docksmith doctor --fix\n");
        for line in ignore_lines {
            text.push_str(&line);
            text.push('\n');
        }
        text
    });
    Fixed {
        dockerfile: lines.concat(),
        dockerignore,
    }
}

/// `["a", "b"]`, spaced as people write it.
pub(super) fn exec_form(words: &[String]) -> String {
    let quoted: Vec<String> = words
        .iter()
        .map(|w| serde_json::to_string(w).unwrap_or_default())
        .collect();
    format!("[{}]", quoted.join(", "))
}

/// `from` replaced by `to` where it stands as a whole word.
fn replace_word(text: &str, from: &str, to: &str) -> String {
    let mut at = 0;
    while let Some(offset) = text[at..].find(from) {
        let start = at + offset;
        let end = start + from.len();
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        if before.is_none_or(char::is_whitespace) && after.is_none_or(char::is_whitespace) {
            return format!("{}{to}{}", &text[..start], &text[end..]);
        }
        at = end;
    }
    text.to_string()
}

fn replace_keyword(text: &str, keyword: &str) -> String {
    let indent = text.len() - text.trim_start().len();
    let rest = &text[indent..];
    let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    format!("{}{keyword}{}", &text[..indent], &rest[word_end..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_keywords_are_replaced_where_they_stand() {
        assert_eq!(
            replace_word("FROM node AS node-build\n", "node", "node:22-slim"),
            "FROM node:22-slim AS node-build\n"
        );
        assert_eq!(replace_word("FROM nodejs\n", "node", "x"), "FROM nodejs\n");
        assert_eq!(replace_keyword("  add a b\n", "COPY"), "  COPY a b\n");
    }
}
