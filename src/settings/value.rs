//! How each type of setting value is read from a flag, an environment variable and a
//! settings file, and written back to docksmith.toml and `--show-settings`: once per
//! type, so a setting declared in [`super::table`] needs no code of its own.

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Arg, ArgAction, ArgMatches};

use crate::data::Flavor;
use crate::lang::Language;

use super::Syntax;

/// A type a setting can hold.
pub trait SettingValue: Clone + Send + Sync + 'static {
    /// The flag's value parser and action.
    fn arg(arg: Arg) -> Arg;
    /// The flag's value, when given.
    fn from_matches(matches: &ArgMatches, id: &str) -> Option<Self>;
    /// Parses an environment variable's text.
    fn from_env(text: &str) -> Result<Self, String>;
    /// As written into docksmith.toml.
    fn to_toml(&self) -> toml_edit::Value;
    /// As shown by `--show-settings`.
    fn show(&self) -> String;
    /// What the `[env: …]` note of `--help` adds about the format.
    const ENV_FORMAT: &'static str = "";
}

/// A value clap parses into `Self` with `parser`.
fn one<T: Clone + Send + Sync + 'static>(matches: &ArgMatches, id: &str) -> Option<T> {
    matches.get_one::<T>(id).cloned()
}

/// The possible values of an enum-like setting, parsed with its `FromStr`.
fn choices<T>(names: impl IntoIterator<Item = &'static str>) -> impl TypedValueParser<Value = T>
where
    T: std::str::FromStr + Clone + Send + Sync + 'static,
    T::Err: std::fmt::Display,
{
    PossibleValuesParser::new(names).try_map(|s| s.parse::<T>().map_err(|e| e.to_string()))
}

impl SettingValue for String {
    fn arg(arg: Arg) -> Arg {
        arg.value_parser(clap::value_parser!(String))
    }
    fn from_matches(matches: &ArgMatches, id: &str) -> Option<Self> {
        one(matches, id)
    }
    fn from_env(text: &str) -> Result<Self, String> {
        Ok(text.to_string())
    }
    fn to_toml(&self) -> toml_edit::Value {
        self.as_str().into()
    }
    fn show(&self) -> String {
        self.clone()
    }
}

/// Numbers: a port (1 and up; 0 is refused by the flag and by the check) and a uid.
macro_rules! number {
    ($type:ty, $parser:expr, $what:literal) => {
        impl SettingValue for $type {
            fn arg(arg: Arg) -> Arg {
                arg.value_parser($parser)
            }
            fn from_matches(matches: &ArgMatches, id: &str) -> Option<Self> {
                one(matches, id)
            }
            fn from_env(text: &str) -> Result<Self, String> {
                // "invalid digit found in string" says nothing of what was wanted.
                text.trim().parse().map_err(|_| {
                    format!(
                        "expected {}, a whole number from {} to {}",
                        $what,
                        <$type>::MIN.max(1),
                        <$type>::MAX
                    )
                })
            }
            fn to_toml(&self) -> toml_edit::Value {
                i64::from(*self).into()
            }
            fn show(&self) -> String {
                self.to_string()
            }
        }
    };
}

number!(u16, clap::value_parser!(u16).range(1..), "a port");
number!(u32, clap::value_parser!(u32), "a uid");

impl SettingValue for bool {
    fn arg(arg: Arg) -> Arg {
        arg.value_parser(clap::builder::BoolishValueParser::new())
    }
    fn from_matches(matches: &ArgMatches, id: &str) -> Option<Self> {
        one(matches, id)
    }
    /// 1/true/yes or 0/false/no.
    fn from_env(text: &str) -> Result<Self, String> {
        match text {
            "1" | "true" | "yes" => Ok(true),
            "0" | "false" | "no" => Ok(false),
            _ => Err("expected true or false".into()),
        }
    }
    fn to_toml(&self) -> toml_edit::Value {
        (*self).into()
    }
    fn show(&self) -> String {
        self.to_string()
    }
}

/// A list given by repeating the flag, or space- or comma-separated in the
/// environment (like a shell list).
impl SettingValue for Vec<String> {
    fn arg(arg: Arg) -> Arg {
        arg.value_parser(clap::value_parser!(String))
            .action(ArgAction::Append)
    }
    fn from_matches(matches: &ArgMatches, id: &str) -> Option<Self> {
        matches
            .get_many::<String>(id)
            .map(|values| values.cloned().collect())
    }
    fn from_env(text: &str) -> Result<Self, String> {
        Ok(text
            .split([' ', ','])
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect())
    }
    fn to_toml(&self) -> toml_edit::Value {
        let mut array = toml_edit::Array::new();
        for item in self {
            array.push(item.as_str());
        }
        array.into()
    }
    fn show(&self) -> String {
        self.join(" ")
    }
    const ENV_FORMAT: &'static str = ", space-separated";
}

/// Enums named by words: their possible values come from the type itself.
macro_rules! named {
    ($type:ty, $names:expr) => {
        impl SettingValue for $type {
            fn arg(arg: Arg) -> Arg {
                arg.value_parser(choices::<$type>($names))
            }
            fn from_matches(matches: &ArgMatches, id: &str) -> Option<Self> {
                one(matches, id)
            }
            fn from_env(text: &str) -> Result<Self, String> {
                text.parse()
            }
            fn to_toml(&self) -> toml_edit::Value {
                self.to_string().into()
            }
            fn show(&self) -> String {
                self.to_string()
            }
        }
    };
}

named!(Flavor, Flavor::ALL.map(Flavor::as_str));
named!(Language, Language::ALL.iter().map(|l| l.name()));
named!(Syntax, ["none", "1"]);

/// Values of a standards pack's variables, by name: `--var team=payments` (repeated),
/// `DOCKSMITH_VARS="team=payments cost-centre=42"`, `vars = { team = "payments" }`.
/// Layers merge per name (a flag for one variable leaves the others to docksmith.toml).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(transparent)]
pub struct Vars(pub std::collections::BTreeMap<String, String>);

impl Vars {
    /// `name=value`.
    fn parse_pair(text: &str) -> Result<(String, String), String> {
        match text.split_once('=') {
            Some((name, value)) if !name.trim().is_empty() => {
                Ok((name.trim().to_string(), value.to_string()))
            }
            _ => Err(format!("`{}`: expected NAME=VALUE", text.escape_debug())),
        }
    }
}

impl SettingValue for Vars {
    fn arg(arg: Arg) -> Arg {
        arg.value_parser(|text: &str| Vars::parse_pair(text).map(|_| text.to_string()))
            .action(ArgAction::Append)
    }
    fn from_matches(matches: &ArgMatches, id: &str) -> Option<Self> {
        let pairs = matches.get_many::<String>(id)?;
        Some(Vars(
            pairs.filter_map(|p| Vars::parse_pair(p).ok()).collect(),
        ))
    }
    fn from_env(text: &str) -> Result<Self, String> {
        text.split_whitespace()
            .map(Vars::parse_pair)
            .collect::<Result<_, _>>()
            .map(Vars)
    }
    fn to_toml(&self) -> toml_edit::Value {
        let mut table = toml_edit::InlineTable::new();
        for (name, value) in &self.0 {
            table.insert(name, value.as_str().into());
        }
        table.into()
    }
    fn show(&self) -> String {
        let pairs: Vec<String> = self.0.iter().map(|(k, v)| format!("{k}={v}")).collect();
        pairs.join(" ")
    }
    const ENV_FORMAT: &'static str = ", space-separated NAME=VALUE pairs";
}

/// Where a standards pack comes from: a folder, or a git repository at a revision
/// (`git+https://git.acme.test/platform/standards.git#v2026.12.1`, or in
/// docksmith.toml the table `[standards] source = "…" rev = "…"`). A branch moves, so
/// it is accepted only with `floating = true` (table form).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StandardsSource {
    Folder(String),
    Git {
        url: String,
        rev: String,
        floating: bool,
    },
}

impl StandardsSource {
    /// `git+URL#REV`, else a folder.
    pub fn parse(text: &str) -> Result<StandardsSource, String> {
        let Some(git) = text.strip_prefix("git+") else {
            if text.trim().is_empty() {
                return Err("expected a folder, or git+URL#REV".into());
            }
            return Ok(StandardsSource::Folder(text.to_string()));
        };
        match git.rsplit_once('#') {
            Some((url, rev)) if !url.is_empty() && !rev.is_empty() => Ok(StandardsSource::Git {
                url: url.to_string(),
                rev: rev.to_string(),
                floating: false,
            }),
            _ => Err(format!(
                "`{}`: a pack from git names its revision: git+URL#TAG (or #COMMIT)",
                text.escape_debug()
            )),
        }
    }
}

impl std::fmt::Display for StandardsSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StandardsSource::Folder(dir) => f.write_str(dir),
            StandardsSource::Git { url, rev, floating } => {
                write!(f, "git+{url}#{rev}")?;
                if *floating {
                    f.write_str(" (floating)")?;
                }
                Ok(())
            }
        }
    }
}

impl<'de> serde::Deserialize<'de> for StandardsSource {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Table {
            source: String,
            rev: Option<String>,
            #[serde(default)]
            floating: bool,
        }
        #[derive(serde::Deserialize)]
        #[serde(untagged)]
        enum Shape {
            Text(String),
            Table(Table),
        }
        let shape = Shape::deserialize(deserializer).map_err(|_| {
            serde::de::Error::custom(
                "expected a folder, \"git+URL#REV\", or a table { source = \"URL\", rev = \"TAG\" }",
            )
        })?;
        match shape {
            Shape::Text(text) => StandardsSource::parse(&text).map_err(serde::de::Error::custom),
            Shape::Table(table) => {
                let url = table.source.strip_prefix("git+").unwrap_or(&table.source);
                match table.rev {
                    Some(rev) => Ok(StandardsSource::Git {
                        url: url.to_string(),
                        rev,
                        floating: table.floating,
                    }),
                    None if table.floating => Err(serde::de::Error::custom(
                        "`floating = true` needs `rev`, the branch to follow",
                    )),
                    None => StandardsSource::parse(&table.source).map_err(serde::de::Error::custom),
                }
            }
        }
    }
}

impl SettingValue for StandardsSource {
    fn arg(arg: Arg) -> Arg {
        arg.value_parser(|text: &str| StandardsSource::parse(text))
    }
    fn from_matches(matches: &ArgMatches, id: &str) -> Option<Self> {
        one(matches, id)
    }
    fn from_env(text: &str) -> Result<Self, String> {
        StandardsSource::parse(text)
    }
    fn to_toml(&self) -> toml_edit::Value {
        match self {
            StandardsSource::Git {
                url,
                rev,
                floating: true,
            } => {
                let mut table = toml_edit::InlineTable::new();
                table.insert("source", url.as_str().into());
                table.insert("rev", rev.as_str().into());
                table.insert("floating", true.into());
                table.into()
            }
            other => other.to_string().into(),
        }
    }
    fn show(&self) -> String {
        self.to_string()
    }
}

impl serde::Serialize for StandardsSource {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}
