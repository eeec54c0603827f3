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
