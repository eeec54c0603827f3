//! Any Dockerfile, read as BuildKit reads it: parser directives (`syntax`, `escape`,
//! `check`) above everything else, the escape character they choose for line
//! continuations, comment lines dropped even inside a continuation, heredocs
//! (`<<EOF`, `<<-EOF`, quoted delimiters) on RUN, COPY and ADD, leading `--flags`, and
//! the JSON exec form. `doctor` audits hand-written files with it, so it tolerates
//! what BuildKit tolerates and reports what BuildKit refuses, with the line.

mod parse;

pub use parse::{ParseError, parse};

/// A parser directive from the top of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    pub line: usize,
    /// Lower case, as BuildKit matches it.
    pub name: String,
    pub value: String,
}

/// A leading `--name` or `--name=value` of an instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    pub name: String,
    pub value: Option<String>,
}

/// A heredoc's body, read from the lines after its instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heredoc {
    pub delimiter: String,
    pub body: String,
    /// `<<-`: leading tabs are stripped from every line when the body is used (the
    /// body here keeps them, as BuildKit's parser does).
    pub strip_tabs: bool,
    /// A quoted delimiter: no variable expansion in the body.
    pub quoted: bool,
}

/// One instruction, continuations joined and heredocs attached.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instruction {
    /// 1-based first and last line, heredoc bodies included.
    pub line: usize,
    pub end_line: usize,
    /// Upper case.
    pub keyword: String,
    pub flags: Vec<Flag>,
    /// What follows the flags, continuations joined as BuildKit joins them.
    pub args: String,
    /// The exec form's words, when `args` is a JSON array of strings.
    pub exec: Option<Vec<String>>,
    pub heredocs: Vec<Heredoc>,
    /// ONBUILD's instruction.
    pub onbuild: Option<Box<Instruction>>,
}

impl Instruction {
    /// The value of `--name`, when given.
    pub fn flag(&self, name: &str) -> Option<&str> {
        self.flags
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.value.as_deref().unwrap_or(""))
    }

    /// Every `--name` value, for flags that repeat (`--mount`).
    pub fn flags_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.flags
            .iter()
            .filter(move |f| f.name == name)
            .map(|f| f.value.as_deref().unwrap_or(""))
    }

    /// The sources of a COPY or ADD: every word but the destination, exec form
    /// included.
    pub fn sources(&self) -> Vec<&str> {
        let words: Vec<&str> = match &self.exec {
            Some(words) => words.iter().map(String::as_str).collect(),
            None => self.args.split_whitespace().collect(),
        };
        match words.split_last() {
            Some((_, sources)) => sources.to_vec(),
            None => Vec::new(),
        }
    }

    /// The flags and arguments as one text, flags first (`--from=build /out /app`).
    pub fn written_args(&self) -> String {
        let mut words: Vec<String> = self
            .flags
            .iter()
            .map(|f| match &f.value {
                Some(value) => format!("--{}={value}", f.name),
                None => format!("--{}", f.name),
            })
            .collect();
        if !self.args.is_empty() || words.is_empty() {
            words.push(self.args.clone());
        }
        words.join(" ")
    }

    /// The command as one text: the exec form's words joined, or the shell form with
    /// its heredoc bodies (a `RUN <<EOF` script is the command).
    pub fn command_text(&self) -> String {
        let mut text = match &self.exec {
            Some(words) => words.join(" "),
            None => self.args.clone(),
        };
        for doc in &self.heredocs {
            text.push('\n');
            text.push_str(&doc.body);
        }
        text
    }
}

/// A stage: its FROM and the instructions up to the next FROM.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stage<'a> {
    pub index: usize,
    /// The image or stage it starts from, as written (`${VAR}` unexpanded).
    pub base: String,
    pub name: Option<String>,
    pub platform: Option<String>,
    pub from: &'a Instruction,
    pub body: &'a [Instruction],
}

/// A parsed Dockerfile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dockerfile {
    pub directives: Vec<Directive>,
    /// `\` unless an `escape` directive chose `` ` ``.
    pub escape: char,
    pub instructions: Vec<Instruction>,
}

impl Dockerfile {
    /// The directive `name`'s value.
    pub fn directive(&self, name: &str) -> Option<&str> {
        self.directives
            .iter()
            .find(|d| d.name == name)
            .map(|d| d.value.as_str())
    }

    /// The ARG instructions before the first FROM: they may be used in FROM lines.
    pub fn global_args(&self) -> &[Instruction] {
        let end = self
            .instructions
            .iter()
            .position(|i| i.keyword == "FROM")
            .unwrap_or(self.instructions.len());
        &self.instructions[..end]
    }

    /// The stages in order.
    pub fn stages(&self) -> Vec<Stage<'_>> {
        let starts: Vec<usize> = self
            .instructions
            .iter()
            .enumerate()
            .filter(|(_, i)| i.keyword == "FROM")
            .map(|(n, _)| n)
            .collect();
        starts
            .iter()
            .enumerate()
            .map(|(index, &start)| {
                let end = starts
                    .get(index + 1)
                    .copied()
                    .unwrap_or(self.instructions.len());
                let from = &self.instructions[start];
                let words: Vec<&str> = from.args.split_whitespace().collect();
                let name = match words.as_slice() {
                    [_, as_word, name, ..] if as_word.eq_ignore_ascii_case("as") => {
                        Some(name.to_string())
                    }
                    _ => None,
                };
                Stage {
                    index,
                    base: words.first().unwrap_or(&"").to_string(),
                    name,
                    platform: from.flag("platform").map(str::to_string),
                    from,
                    body: &self.instructions[start + 1..end],
                }
            })
            .collect()
    }
}
