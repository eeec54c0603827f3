//! Console scripts that setuptools projects declare outside pyproject.toml:
//! `[options.entry_points] console_scripts` in setup.cfg, and the
//! `'console_scripts': [...]` list of setup.py's `entry_points`. Both are read as
//! text; setup.py is never run.

use std::sync::LazyLock;

use regex::Regex;

use crate::detect::paths::join;
use crate::detect::{DetectError, Evidence};
use crate::scan::ProjectView;

/// `name = module:function` in either file.
static SCRIPT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\s*["']?([A-Za-z0-9][\w.\-]*)\s*=\s*([\w.]+:[\w.]+)\s*["']?,?\s*$"#)
        .expect("valid")
});

/// (name, target, evidence) of each console script, in the order the project lists
/// them: setup.cfg first, then setup.py.
pub fn console_scripts(
    view: &ProjectView,
    dir: &str,
) -> Result<Vec<(String, String, Evidence)>, DetectError> {
    let mut scripts = Vec::new();
    let cfg = join(dir, "setup.cfg");
    if let Some(text) = view.read_manifest(&cfg)? {
        scripts.extend(from_setup_cfg(&cfg, &text));
    }
    let py = join(dir, "setup.py");
    if scripts.is_empty()
        && let Some(text) = view.read_source(&py)?
    {
        scripts.extend(from_setup_py(&py, &text));
    }
    Ok(scripts)
}

/// The indented lines under `console_scripts =` in `[options.entry_points]`.
fn from_setup_cfg(file: &str, text: &str) -> Vec<(String, String, Evidence)> {
    let mut scripts = Vec::new();
    let mut section = false;
    let mut inside = false;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            section = trimmed == "[options.entry_points]";
            inside = false;
            continue;
        }
        if !section {
            continue;
        }
        if !line.starts_with([' ', '\t']) {
            inside = trimmed.split('=').next().map(str::trim) == Some("console_scripts");
            continue;
        }
        if inside && let Some(found) = SCRIPT.captures(line) {
            scripts.push(script(file, index, &found));
        }
    }
    scripts
}

/// The entries of the list that follows `'console_scripts'` in setup.py.
fn from_setup_py(file: &str, text: &str) -> Vec<(String, String, Evidence)> {
    let mut scripts = Vec::new();
    let mut inside = false;
    for (index, line) in text.lines().enumerate() {
        if line.contains("console_scripts") {
            inside = true;
        }
        if !inside {
            continue;
        }
        // One entry per line, or several in one list on the key's line.
        let entries = line
            .split_once('[')
            .map_or(line, |(_, rest)| rest)
            .split([',', ']']);
        for entry in entries {
            if let Some(found) = SCRIPT.captures(entry.trim()) {
                scripts.push(script(file, index, &found));
            }
        }
        if line.contains(']') {
            break;
        }
    }
    scripts
}

fn script(file: &str, index: usize, found: &regex::Captures<'_>) -> (String, String, Evidence) {
    (
        found[1].to_string(),
        found[2].to_string(),
        Evidence::at(file, index + 1, "console script"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_setup_cfg_and_setup_py() {
        let cfg = "[metadata]\nname = httpie\n\n[options.entry_points]\nconsole_scripts =\n    http = httpie.__main__:main\n    https = httpie.__main__:main\n\n[options]\nzip_safe = False\n";
        let found: Vec<_> = from_setup_cfg("setup.cfg", cfg)
            .into_iter()
            .map(|(n, t, e)| (n, t, e.line))
            .collect();
        assert_eq!(
            found,
            [
                ("http".into(), "httpie.__main__:main".into(), Some(6)),
                ("https".into(), "httpie.__main__:main".into(), Some(7))
            ]
        );
        let py = "setup(\n    entry_points={\n        'console_scripts': [\n            'tool = tool.cli:main',\n        ],\n        'other': ['x = y:z'],\n    },\n)\n";
        let found: Vec<_> = from_setup_py("setup.py", py)
            .into_iter()
            .map(|(n, t, _)| (n, t))
            .collect();
        assert_eq!(found, [("tool".into(), "tool.cli:main".into())]);
        let one_line = "entry_points={'console_scripts': ['a = a.main:run', 'b = b.main:run']}\n";
        assert_eq!(from_setup_py("setup.py", one_line).len(), 2);
    }
}
