//! A Node app's start command from package.json scripts: `npm run x` followed to
//! the script that does the work, and a script read as the words of a `node`
//! command (an exec form cannot hold shell syntax).

use super::bun::{self, Runtime};
use crate::detect::paths::join;
use crate::detect::{DetectError, Evidence, Fact};
use crate::lang::node::manifest::PackageJson;
use crate::scan::ProjectView;

/// A start command: the runtime's arguments, and the runtime the command names
/// (`None` when the project names no command: `main`, a conventional file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Launch {
    pub args: Vec<String>,
    pub runtime: Option<Runtime>,
}

impl Launch {
    /// A file or `main` to run, on whichever runtime the project uses.
    fn file(file: impl Into<String>) -> Self {
        Launch {
            args: vec![file.into()],
            runtime: None,
        }
    }
}

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
        let Some(target) = script_run_by(&words) else {
            return Some(script);
        };
        match package.scripts.get(target) {
            Some(next) => script = next,
            None => return Some(script),
        }
    }
    Some(script)
}

/// The script a command runs through the package manager: `npm run x`, `yarn x`,
/// `pnpm x` (not one of the tool's own commands), `npm start`.
fn script_run_by<'w>(words: &[&'w str]) -> Option<&'w str> {
    match words {
        ["npm" | "pnpm" | "bun" | "yarn", "start"] => Some("start"),
        [
            "npm" | "pnpm" | "bun" | "yarn",
            "run" | "run-script",
            target,
        ] => Some(target),
        ["yarn" | "pnpm", target] if !is_package_command(target) => Some(target),
        _ => None,
    }
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
    bun_project: bool,
) -> Option<Fact<Launch>> {
    if !package.scripts.contains_key("start") {
        for name in ["start:prod", "start:production", "serve"] {
            if let Some(script) = followed_script(package, name)
                && let Ok(launch) = parse_start(&script.value)
            {
                return Some(Fact::new(launch, script.evidence.clone()));
            }
        }
    }
    if let Some(main) = &package.main {
        return Some(Fact::new(
            Launch::file(main.clone()),
            Evidence::file(&package.file, "main"),
        ));
    }
    // `bun init` names its entry in `module`.
    if bun_project && let Some(module) = &package.module_entry {
        return Some(Fact::new(
            Launch::file(module.clone()),
            Evidence::file(&package.file, "module"),
        ));
    }
    let name = package.name.as_ref().map(|n| n.value.as_str());
    let program = match package.bin.as_slice() {
        [one] => Some(one),
        several => several.iter().find(|(n, _)| Some(n.as_str()) == name),
    };
    if let Some((name, file)) = program {
        return Some(Fact::new(
            Launch::file(file.trim_start_matches("./")),
            Evidence::file(&package.file, format!("{}{name}", super::app::BIN)),
        ));
    }
    let bun_files = if bun_project { bun::ENTRY_FILES } else { &[] };
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
    .chain(bun_files)
    .find(|f| view.has_file(&join(&package.dir, f)))
    .map(|f| {
        Fact::new(
            Launch::file(*f),
            Evidence::file(&join(&package.dir, f), "conventional entry file"),
        )
    })
}

/// The Procfile's web process (else its only one), the project's own statement of
/// how it starts in production: a `node` or `bun` command, or the script it runs
/// (`npm start`, `yarn web`). `None` for anything else (package.json decides then).
pub(super) fn procfile_start(
    view: &ProjectView,
    package: &PackageJson,
) -> Result<Option<Fact<Launch>>, DetectError> {
    let Some(process) = crate::detect::procfile::read(view, &package.dir)? else {
        return Ok(None);
    };
    let words: Vec<&str> = process.argv.iter().map(String::as_str).collect();
    if let Some(name) = script_run_by(&words) {
        return Ok(followed_script(package, name)
            .and_then(|s| Some(Fact::new(parse_start(&s.value).ok()?, s.evidence.clone()))));
    }
    // `$PORT` and the like: node reads the environment itself, an exec form cannot.
    if process.argv.iter().any(|w| w.contains('$')) {
        return Ok(None);
    }
    Ok(parse_words(process.argv.clone())
        .ok()
        .map(|launch| Fact::new(launch, process.evidence)))
}

/// `node server.js` → `["server.js"]` on node; `NODE_ENV=production node --x dist/a.js`
/// → `["--x", "dist/a.js"]`; `bun run src/index.ts` → `["src/index.ts"]` on Bun.
/// Anything else is refused with the reason.
pub fn parse_start(script: &str) -> Result<Launch, String> {
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
    parse_words(shell_words(script).ok_or("is a shell command, not a plain node command")?)
}

/// A command's words as a `node` or `bun` command's arguments (see `parse_start`).
fn parse_words(words: Vec<String>) -> Result<Launch, String> {
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
                Ok(Launch {
                    args: rest,
                    runtime: Some(Runtime::Node),
                })
            }
        }
        Some("bun") => Ok(Launch {
            args: bun::parse_words(&rest)?,
            runtime: Some(Runtime::Bun),
        }),
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
