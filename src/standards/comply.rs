//! `check` against a standards pack: does a Dockerfile as it stands (hand-written,
//! generated, or generated and edited) follow the pack? For a platform team auditing
//! many repositories, docksmith's or not.
//!
//! The reading is tolerant: heredocs are skipped, the escape directive is honoured,
//! unknown lines are ignored; only what the pack rules on is looked at.

use std::collections::BTreeMap;

use serde::Serialize;

use super::apply::resolve;
use super::image::Reference;
use super::{Pack, variables};
use crate::render::verify::{Instruction, from_references};

/// One way the Dockerfile departs from the pack.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// 1-based line of the instruction (0: the file as a whole).
    pub line: usize,
    /// `mirror`, `digest`, `pin`, `label`, `user`, `secret` or `parse`.
    pub rule: &'static str,
    pub message: String,
}

/// Names of build arguments and variables that hold credentials by convention.
pub fn is_secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    [
        "PASSWORD",
        "PASSWD",
        "SECRET",
        "TOKEN",
        "API_KEY",
        "APIKEY",
        "PRIVATE_KEY",
        "ACCESS_KEY",
        "CREDENTIAL",
        "NPM_AUTH",
        "AUTH_TOKEN",
    ]
    .iter()
    .any(|word| upper.contains(word))
}

/// Audits `dockerfile` against `pack`; no findings means it complies.
///
/// `values` are the pack's variables as far as they are known: a label built from an
/// unknown one is checked for presence only.
pub fn audit(pack: &Pack, dockerfile: &str, values: &BTreeMap<String, String>) -> Vec<Finding> {
    let mut findings = Vec::new();
    let (syntax, instructions) = match read(dockerfile) {
        Ok(read) => read,
        Err(e) => {
            return vec![Finding {
                line: e.line,
                rule: "parse",
                message: format!("BuildKit cannot read this file: {}", e.message),
            }];
        }
    };
    if let Some((line, image)) = syntax {
        check_image(pack, line, &image, "the # syntax= frontend", &mut findings);
    }
    let mut stages: Vec<String> = Vec::new();
    let mut final_start = 0;
    for (index, ins) in instructions.iter().enumerate() {
        match ins.keyword.as_str() {
            "FROM" => {
                let words: Vec<&str> = ins
                    .args
                    .split_whitespace()
                    .filter(|w| !w.starts_with("--"))
                    .collect();
                let base = words.first().copied().unwrap_or_default();
                let is_stage = stages.iter().any(|s| s.eq_ignore_ascii_case(base));
                if !is_stage && base != "scratch" && !base.contains('$') {
                    check_image(pack, ins.line, base, "FROM", &mut findings);
                }
                if let [_, as_kw, name] = words.as_slice()
                    && as_kw.eq_ignore_ascii_case("as")
                {
                    stages.push(name.to_string());
                }
                final_start = index;
            }
            "COPY" | "ADD" | "RUN" => {
                for image in from_images(&ins.args, &stages) {
                    check_image(pack, ins.line, &image, "--from", &mut findings);
                }
            }
            "ARG" | "ENV" => {
                for name in declared_names(&ins.args) {
                    if is_secret_name(&name) {
                        findings.push(Finding {
                            line: ins.line,
                            rule: "secret",
                            message: format!(
                                "{} `{name}` looks like a credential: {} values stay in the image's history; pass it with `RUN --mount=type=secret`",
                                ins.keyword, ins.keyword
                            ),
                        });
                    }
                }
            }
            _ => {}
        }
    }
    let last_stage = instructions.get(final_start..).unwrap_or_default();
    check_labels(pack, last_stage, values, &mut findings);
    check_user(pack, last_stage, &mut findings);
    findings.sort_by_key(|f| f.line);
    findings
}

fn check_image(pack: &Pack, line: usize, image: &str, place: &str, out: &mut Vec<Finding>) {
    let Some(reference) = Reference::parse(image) else {
        return;
    };
    let mut finding = |rule, message| {
        out.push(Finding {
            line,
            rule,
            message,
        })
    };
    let tagged = reference.tagged();
    if let Some(mirror) = pack.mirrors.iter().find(|m| tagged.starts_with(&m.from)) {
        let wanted = resolve(pack, image)
            .unwrap_or_else(|_| format!("{}{}", mirror.to, &tagged[mirror.from.len()..]));
        finding(
            "mirror",
            format!("{place} `{image}` bypasses the mirror: write `{wanted}`"),
        );
        return;
    }
    // A mirrored reference is pinned under its upstream name.
    let upstream = pack
        .mirrors
        .iter()
        .find(|m| tagged.starts_with(&m.to))
        .map_or(tagged.clone(), |m| {
            format!("{}{}", m.from, &tagged[m.to.len()..])
        });
    let pinned = pack.pins.get(&upstream);
    match (&reference.digest, pinned) {
        (Some(digest), Some(pin)) if digest != pin => finding(
            "pin",
            format!("{place} `{image}` is not the approved build: the pack pins {pin}"),
        ),
        (None, Some(pin)) => finding(
            "pin",
            format!("{place} `{image}` has no digest: the pack pins {pin}"),
        ),
        (None, None) if pack.require_digest => finding(
            "digest",
            format!("{place} `{image}` has no digest, and the pack requires one on every image"),
        ),
        _ => {}
    }
}

/// Images named by `--from=` or a mount's `from=` that are not stages.
fn from_images(args: &str, stages: &[String]) -> Vec<String> {
    let mut found = from_references(args);
    found.retain(|from| {
        !stages.iter().any(|s| s.eq_ignore_ascii_case(from))
            && from.parse::<usize>().is_err()
            && !from.contains('$')
    });
    found
}

/// The names an ARG or ENV declares (`A=1 B=2`, `A 1`, `A`).
fn declared_names(args: &str) -> Vec<String> {
    let words: Vec<&str> = args.split_whitespace().collect();
    if words.len() > 1 && !words[0].contains('=') {
        // The legacy `ENV NAME value` form.
        return vec![words[0].to_string()];
    }
    words
        .iter()
        .filter_map(|w| w.split('=').next())
        .filter(|name| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
        .map(str::to_string)
        .collect()
}

fn check_labels(
    pack: &Pack,
    stage: &[Instruction],
    values: &BTreeMap<String, String>,
    out: &mut Vec<Finding>,
) {
    let labels: Vec<(String, String)> = stage
        .iter()
        .filter(|i| i.keyword == "LABEL")
        .flat_map(|i| label_pairs(&i.args))
        .collect();
    for (key, template) in &pack.labels {
        let known = variables::all_known(template, values);
        let value = &variables::substitute(template, values);
        // Generation leaves out a label that comes out empty (no git remote).
        if known && value.trim().is_empty() {
            continue;
        }
        let last = labels.iter().rev().find(|(k, _)| k == key);
        let message = match last {
            None => format!("the final stage has no label `{key}` (the pack requires \"{value}\")"),
            Some((_, found)) if known && found != value => {
                format!(
                    "label `{key}` is \"{}\"; the pack requires \"{value}\"",
                    found.escape_debug()
                )
            }
            Some(_) => continue,
        };
        out.push(Finding {
            line: stage.first().map_or(0, |i| i.line),
            rule: "label",
            message,
        });
    }
}

/// `key=value` pairs of a LABEL, with double quotes and their escapes undone.
fn label_pairs(args: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let mut chars = args.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let key = take_word(&mut chars, '=');
        if key.is_empty() {
            break;
        }
        if chars.next() != Some('=') {
            break;
        }
        let value = take_word(&mut chars, ' ');
        pairs.push((key, value));
    }
    pairs
}

/// Reads up to `stop` (outside quotes) or whitespace, undoing quotes and escapes.
fn take_word(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, stop: char) -> String {
    let mut word = String::new();
    let mut quote = None;
    while let Some(&c) = chars.peek() {
        match (quote, c) {
            (None, c) if c == stop || c.is_whitespace() => break,
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') => {
                chars.next();
                if let Some(escaped) = chars.peek().copied() {
                    word.push(escaped);
                }
            }
            _ => word.push(c),
        }
        chars.next();
    }
    word
}

fn check_user(pack: &Pack, stage: &[Instruction], out: &mut Vec<Finding>) {
    let user = stage.iter().rev().find(|i| i.keyword == "USER");
    let line = user.or(stage.first()).map_or(0, |i| i.line);
    let name = user.map(|u| {
        u.args
            .split(':')
            .next()
            .unwrap_or_default()
            .trim()
            .to_string()
    });
    let message = match name.as_deref() {
        None => "the final stage has no USER: the program runs as root".to_string(),
        Some("0" | "root") => "the final stage runs as root".to_string(),
        Some(name) => match pack.enforced.user {
            Some(uid) if name != uid.to_string() => {
                format!("the final stage runs as `{name}`; the pack requires user {uid}")
            }
            _ => return,
        },
    };
    out.push(Finding {
        line,
        rule: "user",
        message,
    });
}

/// The `# syntax=` directive (line, image) and the instructions of `text`, read by
/// the same parser as `doctor` (flags kept in front of the arguments, as written).
fn read(text: &str) -> Result<ReadBack, crate::dockerfile::ParseError> {
    let file = crate::dockerfile::parse(text)?;
    let syntax = file
        .directives
        .iter()
        .find(|d| d.name == "syntax")
        .map(|d| (d.line, d.value.clone()));
    let instructions = file
        .instructions
        .into_iter()
        .map(Instruction::from)
        .collect();
    Ok((syntax, instructions))
}

type ReadBack = (Option<(usize, String)>, Vec<Instruction>);

#[cfg(test)]
mod tests {
    use super::*;

    fn pack() -> Pack {
        Pack {
            enforced: crate::settings::Options {
                user: Some(10001),
                ..Default::default()
            },
            require_digest: true,
            labels: [("org.acme.team".to_string(), "platform".to_string())].into(),
            ..Pack::for_tests("docker.io/library/golang:1.22")
        }
    }

    fn rules(dockerfile: &str) -> Vec<(usize, &'static str)> {
        audit(&pack(), dockerfile, &BTreeMap::new())
            .into_iter()
            .map(|f| (f.line, f.rule))
            .collect()
    }

    #[test]
    fn a_compliant_dockerfile_has_no_findings() {
        let digest = "a".repeat(64);
        let text = format!(
            "FROM registry.acme.test/hub/golang:1.22@sha256:{digest} AS build\nRUN go build\nFROM scratch\nLABEL org.acme.team=\"platform\"\nCOPY --from=build /a /a\nUSER 10001:10001\n"
        );
        assert_eq!(rules(&text), []);
    }

    #[test]
    fn a_hand_written_dockerfile_gets_every_finding_on_its_line() {
        let text = "# syntax=docker/dockerfile:1\nFROM golang:1.22 AS build\nARG NPM_TOKEN\nENV API_KEY=x PATH=/bin\nRUN <<EOF\nFROM nothing\nUSER 10001\nEOF\nFROM registry.acme.test/hub/debian:bookworm-slim\nCOPY --from=build /a /a\nCOPY --from=registry.acme.test/hub/busybox:1 /bin/sh /sh\n";
        assert_eq!(
            rules(text),
            [
                (1, "digest"),
                (2, "mirror"),
                (3, "secret"),
                (4, "secret"),
                (9, "digest"),
                (9, "label"),
                (9, "user"),
                (11, "digest"),
            ]
        );
    }

    #[test]
    fn the_wrong_digest_or_user_or_label_value_is_named() {
        let text = format!(
            "FROM registry.acme.test/hub/golang:1.22@sha256:{}\nLABEL org.acme.team=\"other\"\nUSER 1000\n",
            "b".repeat(64)
        );
        let found = audit(&pack(), &text, &BTreeMap::new());
        let messages: Vec<_> = found.iter().map(|f| f.message.as_str()).collect();
        assert!(
            messages[0].contains("not the approved build"),
            "{messages:?}"
        );
        assert!(messages.iter().any(|m| m.contains("is \"other\"")));
        assert!(messages.iter().any(|m| m.contains("requires user 10001")));
    }

    #[test]
    fn the_escape_directive_and_root_users_are_understood() {
        let text = "# escape=`\nFROM registry.acme.test/hub/golang:1.22@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\nLABEL org.acme.team=\"platform\" `\n  other=1\nUSER root\n";
        assert_eq!(rules(text), [(5, "user")]);
    }

    #[test]
    fn a_file_buildkit_cannot_read_is_one_finding_on_its_line() {
        assert_eq!(rules("FROM a\nRUNN b\n"), [(2, "parse")]);
    }

    #[test]
    fn hostile_text_never_panics() {
        for text in [
            "",
            "FROM",
            "<<",
            "RUN <<\n",
            "LABEL \"=\n",
            "FROM a AS",
            "USER :\n",
            "\u{0}\u{202e}",
        ] {
            let _ = audit(&pack(), text, &BTreeMap::new());
        }
    }
}
