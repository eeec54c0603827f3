//! Colors on stderr: `--color auto|always|never`; auto colors only a terminal, and
//! honours NO_COLOR (any non-empty value) and TERM=dumb. Output on stdout (Dockerfiles,
//! JSON, diffs meant for files) is never colored except diffs on a terminal.

use crate::settings::Environment;

/// Whether to color, decided once per run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Paint {
    pub on: bool,
}

impl Paint {
    /// `when` is auto, always or never; `terminal` says whether the stream is one.
    pub fn decide(when: &str, terminal: bool, env: &dyn Environment) -> Paint {
        let on = match when {
            "always" => true,
            "never" => false,
            _ => {
                terminal
                    && env.var("NO_COLOR").is_none_or(|v| v.is_empty())
                    && env.var("TERM").as_deref() != Some("dumb")
            }
        };
        Paint { on }
    }

    fn wrap(self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn error(self, text: &str) -> String {
        self.wrap("1;31", text)
    }
    pub fn warning(self, text: &str) -> String {
        self.wrap("1;33", text)
    }
    pub fn hint(self, text: &str) -> String {
        self.wrap("1;36", text)
    }
    pub fn good(self, text: &str) -> String {
        self.wrap("32", text)
    }
    pub fn bold(self, text: &str) -> String {
        self.wrap("1", text)
    }

    /// A unified diff with removed lines red and added lines green.
    pub fn diff(self, diff: &str) -> String {
        if !self.on {
            return diff.to_string();
        }
        diff.split_inclusive('\n')
            .map(|line| {
                let (body, newline) = match line.strip_suffix('\n') {
                    Some(body) => (body, "\n"),
                    None => (line, ""),
                };
                let painted = if line.starts_with("+++") || line.starts_with("---") {
                    self.bold(body)
                } else if line.starts_with('+') {
                    self.wrap("32", body)
                } else if line.starts_with('-') {
                    self.wrap("31", body)
                } else if line.starts_with("@@") {
                    self.wrap("36", body)
                } else {
                    body.to_string()
                };
                painted + newline
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_needs_a_terminal_and_no_no_color() {
        let none = |_: &str| None;
        let no_color = |k: &str| (k == "NO_COLOR").then(|| "1".to_string());
        assert!(Paint::decide("auto", true, &none).on);
        assert!(!Paint::decide("auto", false, &none).on);
        assert!(!Paint::decide("auto", true, &no_color).on);
        assert!(
            Paint::decide("always", false, &no_color).on,
            "an explicit flag wins"
        );
        assert!(!Paint::decide("never", true, &none).on);
        assert_eq!(Paint { on: false }.error("x"), "x");
        assert_eq!(Paint { on: true }.error("x"), "\x1b[1;31mx\x1b[0m");
    }
}
