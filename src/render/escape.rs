//! Escaping for each place a value can stand in a Dockerfile.
//!
//! Templates place values through one filter per context: `sh` (a shell word in a
//! RUN), `exec` (an exec-form JSON array), `label` (a double-quoted LABEL or ENV value),
//! `path` (a COPY path or file name), `image` (a FROM reference) and `comment`. A value
//! placed with no filter goes through [`plain_only`], which refuses anything but plain
//! characters, so a template can never place a value unescaped by accident.

use std::borrow::Cow;

use tera::{Kwargs, State, TeraResult, Value};

/// Characters that mean the same in every Dockerfile context and in a shell.
fn is_plain(c: char) -> bool {
    c.is_ascii_alphanumeric() || "._/:@+=,-%".contains(c)
}

/// The escape function for values placed without a context filter.
pub fn plain_only(value: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    if value.chars().all(is_plain) {
        out.write_all(value.as_bytes())
    } else {
        Err(std::io::Error::other(format!(
            "`{}` was placed without a context filter (sh, exec, label, path, image or comment)",
            value.escape_debug()
        )))
    }
}

/// Characters that are no control characters but reorder or split what a reader sees
/// (bidi overrides and marks, line and paragraph separators): a Dockerfile line that
/// shows something else than it does.
pub fn is_deceptive(c: char) -> bool {
    matches!(
        c,
        '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{2028}' | '\u{2029}'
    ) || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// Refuses what no quoting makes safe: control characters (a newline would start a new
/// instruction), backslashes (the Dockerfile escape character joins lines) and
/// deceptive characters.
fn refuse_unsafe(value: &str, context: &str) -> TeraResult<()> {
    match value
        .chars()
        .find(|c| c.is_control() || *c == '\\' || is_deceptive(*c))
    {
        None => Ok(()),
        Some(c) => Err(tera::Error::message(format!(
            "{context} value `{}` contains {:?}, which cannot be written safely into a Dockerfile",
            value.escape_debug(),
            c
        ))),
    }
}

/// A shell word: as-is when plain, else single-quoted.
pub fn shell_word(value: &str) -> TeraResult<String> {
    refuse_unsafe(value, "shell")?;
    if !value.is_empty() && value.chars().all(is_plain) {
        return Ok(value.to_string());
    }
    Ok(format!("'{}'", value.replace('\'', r"'\''")))
}

/// A double-quoted value for LABEL or ENV, where `$` would expand and `"` would end it.
pub fn quoted(value: &str) -> TeraResult<String> {
    refuse_unsafe(value, "quoted")?;
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if c == '"' || c == '$' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    Ok(out)
}

/// An exec-form JSON array.
pub fn exec_form(items: &[String]) -> TeraResult<String> {
    let mut quoted = Vec::with_capacity(items.len());
    for item in items {
        refuse_unsafe(item, "exec-form")?;
        quoted.push(serde_json::to_string(item).map_err(|e| tera::Error::message(e.to_string()))?);
    }
    Ok(format!("[{}]", quoted.join(", ")))
}

/// A single-quoted printf format that prints `value` as it is: `%` and `\\` doubled,
/// `$` written as `\044` (so no shell or linter reads it as an expansion).
pub fn printf_format(value: &str) -> TeraResult<String> {
    refuse_unsafe(value, "printf")?;
    let mut out = String::from("'");
    for c in value.chars() {
        match c {
            '%' => out.push_str("%%"),
            '$' => out.push_str("\\044"),
            '\'' => out.push_str("'\\''"),
            c => out.push(c),
        }
    }
    out.push_str("\\n'");
    Ok(out)
}

/// A path in COPY or WORKDIR: these split on spaces and expand `$`, so only plain
/// characters pass.
/// A .dockerignore exclusion pattern: one line, glob characters allowed, never a
/// re-inclusion (`!`) or a comment (`#`).
pub fn ignore_pattern(value: &str) -> TeraResult<String> {
    refuse_unsafe(value, "ignore pattern")?;
    if value.trim().is_empty() || value.starts_with(['!', '#']) || value.trim() != value {
        return Err(tera::Error::message(format!(
            "`{}` is no .dockerignore exclusion pattern",
            value.escape_debug()
        )));
    }
    Ok(value.to_string())
}

pub fn path(value: &str) -> TeraResult<String> {
    if !value.is_empty() && value.chars().all(is_plain) {
        Ok(value.to_string())
    } else {
        Err(tera::Error::message(format!(
            "path `{}` has characters a COPY instruction would misread",
            value.escape_debug()
        )))
    }
}

/// A path inside a `--mount=` option list: a plain path without `,` `=` or `"`,
/// which would end the option and start another (BuildKit reads `source=x,from=img`
/// as a mount from another image, keys in any case).
pub fn mount(value: &str) -> TeraResult<String> {
    match path(value) {
        Ok(value) if !value.contains([',', '=', '"']) => Ok(value),
        _ => Err(tera::Error::message(format!(
            "path `{}` cannot be placed in a --mount option list (no , = \" or unusual characters)",
            value.escape_debug()
        ))),
    }
}

/// An image reference for FROM.
pub fn image(value: &str) -> TeraResult<String> {
    if crate::settings::is_image_reference(value) {
        Ok(value.to_string())
    } else {
        Err(tera::Error::message(format!(
            "`{}` is not an image reference",
            value.escape_debug()
        )))
    }
}

/// A comment, wrapped at 88 columns; control characters are shown escaped since a
/// comment runs nothing.
pub fn comment(value: &str) -> String {
    let text: String = value
        .escape_default()
        .collect::<String>()
        .replace("\\'", "'")
        .replace("\\\"", "\"");
    let mut lines = Vec::new();
    let mut line = String::from("#");
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if line.len() > 1 && line.len() + 1 + word.len() > 88 {
            lines.push(std::mem::replace(&mut line, String::from("#")));
        }
        line.push(' ');
        line.push_str(word);
    }
    lines.push(line);
    lines.join("\n")
}

/// Text inside a comment line: control characters shown escaped, nothing else.
pub fn inline_comment(value: &str) -> String {
    value
        .escape_default()
        .collect::<String>()
        .replace("\\'", "'")
        .replace("\\\"", "\"")
}

/// Registers every filter on `tera`.
pub fn register(tera: &mut tera::Tera) {
    // Tera's filters that mark any text safe would let a value past [`plain_only`]
    // unescaped (a newline in it starting a new instruction): refused, for a pack's
    // templates above all.
    for bypass in ["safe", "escape_html", "escape_xml", "newlines_to_br"] {
        tera.register_filter(
            bypass,
            move |_: Value, _: Kwargs, _: &State| -> TeraResult<Value> {
                Err(tera::Error::message(format!(
                    "the filter `{bypass}` is not available: place values with a context filter (sh, exec, label, path, image or comment)"
                )))
            },
        );
    }
    tera.register_filter(
        "inline_comment",
        |v: Cow<'_, str>, _: Kwargs, _: &State| -> Value {
            Value::safe_string(&inline_comment(&v))
        },
    );
    tera.register_filter(
        "printf",
        |v: Cow<'_, str>, _: Kwargs, _: &State| -> TeraResult<Value> {
            printf_format(&v).map(|s| Value::safe_string(&s))
        },
    );
    tera.register_filter(
        "sh",
        |v: Cow<'_, str>, _: Kwargs, _: &State| -> TeraResult<Value> {
            shell_word(&v).map(|s| Value::safe_string(&s))
        },
    );
    tera.register_filter(
        "sh_words",
        |v: Vec<String>, _: Kwargs, _: &State| -> TeraResult<Value> {
            let words: TeraResult<Vec<String>> = v.iter().map(|w| shell_word(w)).collect();
            Ok(Value::safe_string(&words?.join(" ")))
        },
    );
    tera.register_filter(
        "label",
        |v: Cow<'_, str>, _: Kwargs, _: &State| -> TeraResult<Value> {
            quoted(&v).map(|s| Value::safe_string(&s))
        },
    );
    tera.register_filter(
        "exec",
        |v: Vec<String>, _: Kwargs, _: &State| -> TeraResult<Value> {
            exec_form(&v).map(|s| Value::safe_string(&s))
        },
    );
    tera.register_filter(
        "ignore_pattern",
        |v: Cow<'_, str>, _: Kwargs, _: &State| -> TeraResult<Value> {
            ignore_pattern(&v).map(|s| Value::safe_string(&s))
        },
    );
    tera.register_filter(
        "path",
        |v: Cow<'_, str>, _: Kwargs, _: &State| -> TeraResult<Value> {
            path(&v).map(|s| Value::safe_string(&s))
        },
    );
    tera.register_filter(
        "mount",
        |v: Cow<'_, str>, _: Kwargs, _: &State| -> TeraResult<Value> {
            mount(&v).map(|s| Value::safe_string(&s))
        },
    );
    tera.register_filter(
        "image",
        |v: Cow<'_, str>, _: Kwargs, _: &State| -> TeraResult<Value> {
            image(&v).map(|s| Value::safe_string(&s))
        },
    );
    tera.register_filter(
        "comment",
        |v: Cow<'_, str>, _: Kwargs, _: &State| -> Value { Value::safe_string(&comment(&v)) },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words() {
        assert_eq!(shell_word("./cmd/api").unwrap(), "./cmd/api");
        assert_eq!(shell_word("./cmd/$(id)").unwrap(), "'./cmd/$(id)'");
        assert_eq!(shell_word("a'b").unwrap(), r"'a'\''b'");
        assert_eq!(shell_word("").unwrap(), "''");
        assert_eq!(shell_word("-s -w").unwrap(), "'-s -w'");
        assert!(shell_word("a\nb").is_err());
        assert!(shell_word("a\\").is_err());
    }

    #[test]
    fn quoted_values() {
        assert_eq!(quoted("api").unwrap(), "\"api\"");
        assert_eq!(quoted("a\"b $HOME").unwrap(), r#""a\"b \$HOME""#);
        assert!(quoted("a\rb").is_err());
    }

    #[test]
    fn exec_forms() {
        assert_eq!(
            exec_form(&["/usr/local/bin/a".into()]).unwrap(),
            r#"["/usr/local/bin/a"]"#
        );
        assert_eq!(exec_form(&["a\"b".into()]).unwrap(), r#"["a\"b"]"#);
        assert!(exec_form(&["a\nb".into()]).is_err());
    }

    #[test]
    fn paths_and_images() {
        assert!(path("/usr/local/bin/api").is_ok());
        for bad in ["a b", "$HOME", "", "a\"b"] {
            assert!(path(bad).is_err(), "{bad:?}");
        }
        assert!(image("golang:1.23-bookworm").is_ok());
        assert!(image("golang:1.23 AS x").is_err());
        // Tags are ASCII: no look-alike letters, no zero-width joiners.
        for bad in ["golang:1.22ß", "golang:1.22\u{200d}", "golang:１.22"] {
            assert!(image(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn characters_that_reorder_or_split_lines_are_refused_in_every_context() {
        for bad in [
            "a\u{202e}b",
            "a\u{2028}b",
            "a\u{2029}b",
            "a\u{2066}b",
            "a\u{85}b",
        ] {
            assert!(shell_word(bad).is_err(), "{bad:?}");
            assert!(quoted(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn mount_paths_cannot_start_another_option() {
        assert!(mount("requirements/base.txt").is_ok());
        for bad in ["x,FROM=img", "a=b", "a,b", "a\"b", "a b", ""] {
            assert!(mount(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn printf_formats() {
        assert_eq!(
            printf_format("try_files $uri 100%").unwrap(),
            r"'try_files \044uri 100%%\n'"
        );
        assert_eq!(printf_format("it's").unwrap(), r"'it'\''s\n'");
        assert!(printf_format("a\nb").is_err());
    }

    #[test]
    fn comments_wrap_and_never_break_out() {
        let c = comment("one\nRUN evil");
        assert_eq!(c, "# one\\nRUN evil");
        let long = comment(&"word ".repeat(40));
        assert!(long.lines().all(|l| l.starts_with("# ") && l.len() <= 88));
    }

    #[test]
    fn unfiltered_values_must_be_plain() {
        let mut out = Vec::new();
        assert!(plain_only("golang:1.23-bookworm", &mut out).is_ok());
        assert!(plain_only("a b", &mut out).is_err());
        assert!(plain_only("$(id)", &mut out).is_err());
    }
}
