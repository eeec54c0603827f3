//! A Node app's start command from package.json scripts: `npm run x` followed to
//! the script that does the work, and a script read as the words of a `node`
//! command (an exec form cannot hold shell syntax).

use crate::detect::paths::join;
use crate::detect::{Evidence, Fact};
use crate::lang::node::manifest::PackageJson;
use crate::scan::ProjectView;

/// The script `name` runs, following `npm run other` (and yarn's, pnpm's and bun's
/// forms) to the script that does the work: `"start": "npm run start-server"`.
pub(super) fn followed_script<'p>(
    package: &'p PackageJson,
    name: &str,
) -> Option<&'p Fact<String>> {
    let mut script = package.scripts.get(name)?;
    // A few hops at most: scripts that call each other in a loop stop here.
    for _ in 0..4 {
        let words: Vec<&str> = script.value.split_whitespace().collect();
        let target = match words.as_slice() {
            [
                "npm" | "pnpm" | "bun" | "yarn",
                "run" | "run-script",
                target,
            ] => *target,
            ["yarn" | "pnpm", target] if !is_package_command(target) => *target,
            _ => return Some(script),
        };
        match package.scripts.get(target) {
            Some(next) => script = next,
            None => return Some(script),
        }
    }
    Some(script)
}

/// `yarn install`, `pnpm build`…: a package manager's own command, not a script.
fn is_package_command(word: &str) -> bool {
    matches!(
        word,
        "install" | "add" | "remove" | "exec" | "dlx" | "test" | "start" | "build" | "dev"
    )
}

/// How a package without a usable `start` script starts: a production script under
/// another conventional name, `main`, its command-line program (`bin`: the one named
/// like the package, else the only one), or a conventional entry file.
pub(super) fn fallback_start(
    view: &ProjectView,
    package: &PackageJson,
) -> Option<Fact<Vec<String>>> {
    if !package.scripts.contains_key("start") {
        for name in ["start:prod", "start:production", "serve"] {
            if let Some(script) = followed_script(package, name)
                && let Ok(argv) = parse_start(&script.value)
            {
                return Some(Fact::new(argv, script.evidence.clone()));
            }
        }
    }
    if let Some(main) = &package.main {
        return Some(Fact::new(
            vec![main.clone()],
            Evidence::file(&package.file, "main"),
        ));
    }
    let name = package.name.as_ref().map(|n| n.value.as_str());
    let program = match package.bin.as_slice() {
        [one] => Some(one),
        several => several.iter().find(|(n, _)| Some(n.as_str()) == name),
    };
    if let Some((name, file)) = program {
        return Some(Fact::new(
            vec![file.trim_start_matches("./").to_string()],
            Evidence::file(&package.file, format!("{}{name}", super::app::BIN)),
        ));
    }
    [
        "server.js",
        "index.js",
        "app.js",
        "main.js",
        "server.mjs",
        "index.mjs",
        "server/server.js",
        "server/index.js",
        "src/server.js",
        "src/index.js",
        "src/app.js",
    ]
    .iter()
    .find(|f| view.has_file(&join(&package.dir, f)))
    .map(|f| {
        Fact::new(
            vec![f.to_string()],
            Evidence::file(&join(&package.dir, f), "conventional entry file"),
        )
    })
}

/// `node server.js` → `["server.js"]`; `NODE_ENV=production node --x dist/a.js` →
/// `["--x", "dist/a.js"]`. Anything else is refused with the reason.
pub fn parse_start(script: &str) -> Result<Vec<String>, String> {
    let dev = &super::data::node().app.dev_servers;
    if let Some(server) = dev.iter().find(|d| {
        script
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .starts_with(d.as_str())
    }) {
        return Err(format!("runs a development server ({server})"));
    }
    let words = shell_words(script).ok_or("is a shell command, not a plain node command")?;
    let mut words = words.into_iter().peekable();
    if words.peek().map(String::as_str) == Some("cross-env") {
        words.next();
    }
    let mut rest: Vec<String> = words.skip_while(|w| is_assignment(w)).collect();
    match rest.first().map(String::as_str) {
        Some("node") => {
            rest.remove(0);
            if rest.is_empty() {
                Err("runs node with no script".into())
            } else {
                Ok(rest)
            }
        }
        Some(other) => Err(format!("runs `{}`, not node", other.escape_debug())),
        None => Err("is empty".into()),
    }
}

fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(k, _)| {
        !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// Splits a command into words (quotes respected); `None` when it uses shell syntax
/// (`;`, `&&`, `|`, `$`, redirects, subshells) that an exec form cannot express.
fn shell_words(text: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for n in chars.by_ref() {
                    if n == '\'' {
                        break;
                    }
                    word.push(n);
                }
            }
            '"' => {
                in_word = true;
                for n in chars.by_ref() {
                    match n {
                        '"' => break,
                        '$' | '`' | '\\' => return None,
                        other => word.push(other),
                    }
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            ';' | '&' | '|' | '<' | '>' | '$' | '`' | '(' | ')' | '{' | '}' | '\\' | '*' | '?'
            | '\n' => return None,
            other => {
                in_word = true;
                word.push(other);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Some(words)
}
