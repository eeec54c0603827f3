//! Questions to the user, behind one trait: dialoguer's widgets on a terminal, and a
//! scripted implementation that tests drive with planned answers.

use std::collections::VecDeque;
use std::io;

use dialoguer::console::Term;
use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};
use dialoguer::{Confirm, Input, Select};

use super::interrupt::asking;

/// Asks the user things. Every method returns the answer or an I/O error (the user
/// pressed Ctrl-C, the terminal went away, a script ran out of answers).
pub trait Prompter {
    /// One of `items`; returns its index.
    fn select(&mut self, prompt: &str, items: &[String], default: usize) -> io::Result<usize>;
    /// A line of text; empty input means `default`. `check` returns why a line is
    /// not acceptable.
    fn input(
        &mut self,
        prompt: &str,
        default: &str,
        check: &dyn Fn(&str) -> Result<(), String>,
    ) -> io::Result<String>;
    /// Yes or no.
    fn confirm(&mut self, prompt: &str, default: bool) -> io::Result<bool>;
    /// Whether to color the questions (`--color`, decided once per run).
    fn set_color(&mut self, _on: bool) {}
}

/// dialoguer's widgets on stderr (stdout stays for output).
#[derive(Default)]
pub struct TerminalPrompter {
    color: bool,
}

impl TerminalPrompter {
    /// Plain until [`Prompter::set_color`] says otherwise. Ctrl-C at a question
    /// cancels cleanly from now on ([`super::interrupt`]).
    pub fn new() -> TerminalPrompter {
        super::interrupt::install();
        TerminalPrompter { color: false }
    }

    fn theme(&self) -> Box<dyn Theme> {
        if self.color {
            Box::new(ColorfulTheme::default())
        } else {
            Box::new(SimpleTheme)
        }
    }
}

fn to_io(e: dialoguer::Error) -> io::Error {
    match e {
        dialoguer::Error::IO(e) => e,
    }
}

impl Prompter for TerminalPrompter {
    fn select(&mut self, prompt: &str, items: &[String], default: usize) -> io::Result<usize> {
        let theme = self.theme();
        asking(|| {
            Select::with_theme(theme.as_ref())
                .with_prompt(prompt)
                .items(items)
                .default(default)
                .interact_on(&Term::stderr())
                .map_err(to_io)
        })
    }

    fn input(
        &mut self,
        prompt: &str,
        default: &str,
        check: &dyn Fn(&str) -> Result<(), String>,
    ) -> io::Result<String> {
        let theme = self.theme();
        let mut input = Input::<String>::with_theme(theme.as_ref())
            .with_prompt(prompt)
            .allow_empty(true)
            .validate_with(|text: &String| check(text.trim()));
        if !default.is_empty() {
            input = input.default(default.to_string());
        }
        let answer = asking(|| input.interact_text_on(&Term::stderr()).map_err(to_io))?;
        Ok(answer.trim().to_string())
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> io::Result<bool> {
        let theme = self.theme();
        asking(|| {
            Confirm::with_theme(theme.as_ref())
                .with_prompt(prompt)
                .default(default)
                .interact_on(&Term::stderr())
                .map_err(to_io)
        })
    }

    fn set_color(&mut self, on: bool) {
        self.color = on;
    }
}

/// Answers from a list, for tests; keeps a transcript of every question and answer.
/// An empty answer takes the default; running out of answers is an error, never a
/// hang.
#[derive(Debug, Default)]
pub struct ScriptedPrompter {
    answers: VecDeque<String>,
    /// `question => answer`, one per question asked.
    pub transcript: Vec<String>,
}

impl ScriptedPrompter {
    pub fn new<S: Into<String>>(answers: impl IntoIterator<Item = S>) -> ScriptedPrompter {
        ScriptedPrompter {
            answers: answers.into_iter().map(Into::into).collect(),
            transcript: Vec::new(),
        }
    }

    fn next(&mut self, prompt: &str) -> io::Result<String> {
        self.answers.pop_front().ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("no scripted answer for `{prompt}`"),
            )
        })
    }
}

impl Prompter for ScriptedPrompter {
    fn select(&mut self, prompt: &str, items: &[String], default: usize) -> io::Result<usize> {
        let answer = self.next(prompt)?;
        let index = if answer.is_empty() {
            default
        } else {
            items
                .iter()
                .position(|item| item.starts_with(&answer))
                .ok_or_else(|| {
                    io::Error::new(
                        io::ErrorKind::InvalidInput,
                        format!("`{answer}` is none of {items:?}"),
                    )
                })?
        };
        self.transcript.push(format!(
            "{prompt} [{}] => {}",
            items.join(" | "),
            items[index]
        ));
        Ok(index)
    }

    fn input(
        &mut self,
        prompt: &str,
        default: &str,
        check: &dyn Fn(&str) -> Result<(), String>,
    ) -> io::Result<String> {
        // As dialoguer does, a refused line is asked again (the reason shown).
        loop {
            let answer = self.next(prompt)?;
            let answer = if answer.is_empty() {
                default.to_string()
            } else {
                answer
            };
            match check(&answer) {
                Ok(()) => {
                    self.transcript
                        .push(format!("{prompt} ({default}) => {answer}"));
                    return Ok(answer);
                }
                Err(why) => self
                    .transcript
                    .push(format!("{prompt} ({default}) => {answer} (refused: {why})")),
            }
        }
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> io::Result<bool> {
        let answer = match self.next(prompt)?.as_str() {
            "" => default,
            "y" | "yes" => true,
            "n" | "no" => false,
            other => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("`{other}` is not y or n"),
                ));
            }
        };
        self.transcript
            .push(format!("{prompt} => {}", if answer { "yes" } else { "no" }));
        Ok(answer)
    }
}
