//! The Procfile (Heroku, Dokku, foreman): the project's own statement of how it
//! starts in production. The `web` process, else the only one, is read as a
//! command line; wings use it as the start command when its program is one the
//! image has. Read as text, never run.

use crate::detect::paths::join;
use crate::detect::{DetectError, Evidence};
use crate::scan::ProjectView;

/// The process a Procfile starts the project with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProcfileCommand {
    /// The long-running step's words, `$PORT` kept as written.
    pub argv: Vec<String>,
    /// Steps before it (`flask db upgrade; gunicorn app:app`): one-off tasks the
    /// image does not run at every start.
    pub before: Vec<String>,
    pub evidence: Evidence,
}

/// `argv` with `$PORT` and `${PORT}` replaced by `port` (an exec form expands nothing).
pub fn with_port(argv: &[String], port: u16) -> Vec<String> {
    let port = port.to_string();
    argv.iter()
        .map(|w| w.replace("${PORT}", &port).replace("$PORT", &port))
        .collect()
}

impl ProcfileCommand {
    /// The command with `$PORT` and `${PORT}` replaced by `port`.
    pub fn with_port(&self, port: u16) -> Vec<String> {
        with_port(&self.argv, port)
    }

    /// The port the command names itself: `-b 0.0.0.0:5000`, `--bind=:5000`,
    /// `--port 5000`, `-p 5000` (not `$PORT`, which the image sets).
    pub fn stated_port(&self) -> Option<u16> {
        let mut words = self.argv.iter().peekable();
        while let Some(word) = words.next() {
            let (flag, inline) = match word.split_once('=') {
                Some((flag, value)) if flag.starts_with('-') => (flag, Some(value.to_string())),
                _ => (word.as_str(), None),
            };
            if !matches!(flag, "-b" | "--bind" | "--port" | "-p" | "--http") {
                continue;
            }
            let value = match inline {
                Some(value) => value,
                None => words.next()?.clone(),
            };
            let digits = value.rsplit(':').next().unwrap_or(&value);
            if let Ok(port) = digits.parse::<u16>()
                && port > 0
            {
                return Some(port);
            }
        }
        None
    }
}

/// The Procfile in `dir`, when it has a process docksmith can run as exec form.
pub fn read(view: &ProjectView, dir: &str) -> Result<Option<ProcfileCommand>, DetectError> {
    let file = join(dir, "Procfile");
    let Some(text) = view.read_manifest(&file)? else {
        return Ok(None);
    };
    let processes: Vec<(usize, &str, &str)> = text
        .lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let (name, command) = line.split_once(':')?;
            let name = name.trim();
            let valid = !name.is_empty()
                && !name.starts_with('#')
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            valid.then_some((i + 1, name, command.trim()))
        })
        .collect();
    let chosen = match processes.iter().find(|(_, name, _)| *name == "web") {
        Some(web) => Some(web),
        None if processes.len() == 1 => processes.first(),
        None => None,
    };
    let Some(&(line, name, command)) = chosen else {
        return Ok(None);
    };
    let Some(mut steps) = steps(command) else {
        return Ok(None);
    };
    let Some(argv) = steps.pop() else {
        return Ok(None);
    };
    Ok(Some(ProcfileCommand {
        argv,
        before: steps.into_iter().map(|s| s.join(" ")).collect(),
        evidence: Evidence::at(&file, line, format!("{name} process")),
    }))
}

/// The command's steps (split at `;` and `&&`), each as words with leading
/// `NAME=value` assignments dropped; `None` when it needs a shell for anything
/// else (pipes, redirects, substitutions, `||`).
fn steps(command: &str) -> Option<Vec<Vec<String>>> {
    let mut steps = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = command.chars().peekable();
    let finish = |word: &mut String, in_word: &mut bool, words: &mut Vec<String>| {
        if *in_word {
            words.push(std::mem::take(word));
            *in_word = false;
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                in_word = true;
                let mut closed = false;
                for n in chars.by_ref() {
                    if n == c {
                        closed = true;
                        break;
                    }
                    word.push(n);
                }
                if !closed {
                    return None;
                }
            }
            ';' => {
                finish(&mut word, &mut in_word, &mut words);
                steps.push(std::mem::take(&mut words));
            }
            '&' if chars.peek() == Some(&'&') => {
                chars.next();
                finish(&mut word, &mut in_word, &mut words);
                steps.push(std::mem::take(&mut words));
            }
            '|' | '&' | '<' | '>' | '`' | '(' | ')' | '\\' => return None,
            '$' if chars.peek() == Some(&'(') => return None,
            c if c.is_whitespace() => finish(&mut word, &mut in_word, &mut words),
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    finish(&mut word, &mut in_word, &mut words);
    steps.push(words);
    let steps: Vec<Vec<String>> = steps
        .into_iter()
        .map(|step| {
            step.into_iter()
                .skip_while(|w| {
                    w.split_once('=').is_some_and(|(k, _)| {
                        !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    })
                })
                .collect::<Vec<_>>()
        })
        .filter(|step| !step.is_empty())
        .collect();
    (!steps.is_empty()).then_some(steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(items: &[&str]) -> Vec<String> {
        items.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn steps_and_shell_syntax() {
        assert_eq!(
            steps("flask db upgrade; flask translate compile; gunicorn microblog:app"),
            Some(vec![
                words(&["flask", "db", "upgrade"]),
                words(&["flask", "translate", "compile"]),
                words(&["gunicorn", "microblog:app"]),
            ])
        );
        assert_eq!(
            steps("WEB_CONCURRENCY=2 gunicorn 'app:create()' -b 0.0.0.0:$PORT"),
            Some(vec![words(&[
                "gunicorn",
                "app:create()",
                "-b",
                "0.0.0.0:$PORT"
            ])])
        );
        assert_eq!(
            steps("python manage.py migrate && gunicorn x.wsgi")
                .unwrap()
                .len(),
            2
        );
        assert_eq!(steps("node server.js | tee log"), None);
        assert_eq!(
            steps("sh -c \"$(cat cmd)\""),
            Some(vec![words(&["sh", "-c", "$(cat cmd)"])])
        );
        assert_eq!(steps("echo $(date)"), None);
    }

    #[test]
    fn ports_the_command_states() {
        let command = |argv: &[&str]| ProcfileCommand {
            argv: words(argv),
            before: Vec::new(),
            evidence: Evidence::default_because("test"),
        };
        assert_eq!(
            command(&["gunicorn", "a:b", "-b", "0.0.0.0:5000"]).stated_port(),
            Some(5000)
        );
        assert_eq!(
            command(&["uvicorn", "a:b", "--port=8001"]).stated_port(),
            Some(8001)
        );
        assert_eq!(
            command(&["gunicorn", "a:b", "-b", "0.0.0.0:$PORT"]).stated_port(),
            None
        );
        assert_eq!(
            command(&["gunicorn", "a:b", "-b", ":$PORT"]).with_port(8000),
            words(&["gunicorn", "a:b", "-b", ":8000"])
        );
    }
}
