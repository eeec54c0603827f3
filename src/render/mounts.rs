//! `RUN --mount=` option lists read as BuildKit reads them: the flag's quotes are
//! removed first, then the value is split at commas into `key=value` fields whose
//! keys are case-insensitive. A value that smuggled in a comma or `=` shows up here
//! as an unknown or repeated key.

/// Keys BuildKit's `--mount` accepts (the booleans may stand alone).
const KEYS: &[&str] = &[
    "type",
    "target",
    "dst",
    "destination",
    "source",
    "src",
    "from",
    "id",
    "sharing",
    "mode",
    "uid",
    "gid",
    "required",
    "readonly",
    "ro",
    "rw",
    "readwrite",
    "size",
];
const BOOLEANS: &[&str] = &["readonly", "ro", "rw", "readwrite", "required"];
const TYPES: &[&str] = &["bind", "cache", "secret", "tmpfs", "ssh"];

/// One `--mount` flag's options, keys lowercased, in order.
pub type Options = Vec<(String, String)>;

/// The option lists of every `--mount=` flag before the command of a RUN.
pub fn of_run(args: &str) -> Vec<String> {
    flags(args)
        .into_iter()
        .filter_map(|flag| flag.strip_prefix("--mount=").map(str::to_string))
        .collect()
}

/// Reads one option list, refusing what BuildKit would read differently from what
/// the template wrote: an unknown or repeated key, a field without `=`, an unknown
/// type, a mount without a target.
pub fn parse(list: &str) -> Result<Options, String> {
    let mut options: Options = Vec::new();
    for field in list.split(',') {
        let (key, value) = match field.split_once('=') {
            Some((key, value)) => (key.to_ascii_lowercase(), value.to_string()),
            None if BOOLEANS.contains(&field.to_ascii_lowercase().as_str()) => {
                (field.to_ascii_lowercase(), "true".to_string())
            }
            None => return Err(format!("mount option `{field}` has no value")),
        };
        if !KEYS.contains(&key.as_str()) {
            return Err(format!("`{key}` is no --mount option"));
        }
        if options.iter().any(|(k, _)| *k == key) {
            return Err(format!("--mount option `{key}` is given twice"));
        }
        options.push((key, value));
    }
    let get = |key: &str| options.iter().find(|(k, _)| k == key).map(|(_, v)| v);
    match get("type") {
        Some(kind) if TYPES.contains(&kind.as_str()) => {}
        Some(kind) => return Err(format!("`{kind}` is no --mount type")),
        None => return Err("a --mount without type".to_string()),
    }
    let target = ["target", "dst", "destination"]
        .iter()
        .find_map(|key| get(key));
    // A relative target is fine: it is read from the stage's working directory.
    match target {
        Some(target) if !target.is_empty() => {}
        None if get("type").is_some_and(|t| t == "secret" || t == "ssh") => {}
        _ => return Err("a --mount without target".to_string()),
    }
    Ok(options)
}

/// The flags (`--x=…`) at the start of an argument list, each with its quotes
/// removed as BuildKit's flag reader removes them.
fn flags(args: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = args.trim_start().chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek() != Some(&'-') {
            break;
        }
        let mut word = String::new();
        let mut quote: Option<char> = None;
        while let Some(c) = chars.next() {
            match (quote, c) {
                (None, c) if c.is_whitespace() => break,
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (Some('"'), '\\') | (None, '\\') => {
                    if let Some(next) = chars.next() {
                        word.push(next);
                    }
                }
                (_, c) => word.push(c),
            }
        }
        if !word.starts_with("--") {
            break;
        }
        out.push(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_lists_templates_write() {
        let run = "--mount=type=cache,target=/root/.cache/go-build,sharing=locked \
                   --mount=type=bind,source=go.sum,target=go.sum \
                   --mount=type=secret,id=npmrc,target=/root/.npmrc,required=true go build";
        let lists = of_run(run);
        assert_eq!(lists.len(), 3);
        for list in &lists {
            parse(list).unwrap();
        }
        assert_eq!(
            parse(&lists[1]).unwrap()[1],
            ("source".into(), "go.sum".into())
        );
    }

    #[test]
    fn smuggled_options_are_caught() {
        for (list, why) in [
            (
                "type=bind,source=x,FROM=attacker/img,from=build,target=/t",
                "given twice",
            ),
            (
                "type=bind,source=x,from=img,from=other,target=/t",
                "given twice",
            ),
            ("type=bind,source=a,b,target=/t", "has no value"),
            ("type=bind,source=a,evil=1,target=/t", "no --mount option"),
            ("type=volume,target=/t", "no --mount type"),
            ("type=cache,target=", "without target"),
            ("type=cache", "without target"),
            ("source=x,target=/t", "without type"),
        ] {
            let err = parse(list).unwrap_err();
            assert!(err.contains(why), "{list}: {err}");
        }
    }

    #[test]
    fn quotes_are_removed_before_the_list_is_split() {
        // `"a,b"` does not protect the comma: BuildKit drops the quotes first.
        let lists = of_run("--mount=type=bind,source=\"a,b\",target=/t true");
        assert_eq!(lists, ["type=bind,source=a,b,target=/t"]);
        assert!(parse(&lists[0]).is_err());
    }
}
