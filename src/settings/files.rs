//! The settings files: the project's `docksmith.toml` (settings and the `[generated]`
//! record) and the user's own config file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{Environment, KEYS, Options, SettingsError, suggest};

/// The project file docksmith reads settings from.
pub const PROJECT_FILE: &str = "docksmith.toml";

/// The user's own config file, below `$XDG_CONFIG_HOME` (else `~/.config`).
pub const USER_CONFIG: &str = "docksmith/config.toml";

/// `$XDG_CONFIG_HOME/docksmith/config.toml`, else `$HOME/.config/docksmith/config.toml`.
pub fn user_config_path(env: &dyn Environment) -> Option<PathBuf> {
    Some(xdg_base(env, "XDG_CONFIG_HOME", ".config")?.join(USER_CONFIG))
}

/// docksmith's cache folder: `$XDG_CACHE_HOME/docksmith`, else `$HOME/.cache/docksmith`
/// (standards packs fetched from git live there).
pub fn cache_dir(env: &dyn Environment) -> Option<PathBuf> {
    Some(xdg_base(env, "XDG_CACHE_HOME", ".cache")?.join("docksmith"))
}

/// An XDG base folder: `$variable` when it is absolute, else `$HOME/<fallback>`.
fn xdg_base(env: &dyn Environment, variable: &str, fallback: &str) -> Option<PathBuf> {
    env.var(variable)
        .filter(|v| Path::new(v).is_absolute())
        .map(PathBuf::from)
        .or_else(|| {
            env.var("HOME")
                .filter(|v| !v.is_empty())
                .map(|home| Path::new(&home).join(fallback))
        })
}

/// Reads the project's `docksmith.toml`: its settings and its `[generated]` table;
/// absent means neither.
pub fn read_project_file(root: &Path) -> Result<SettingsFile, SettingsError> {
    let path = root.join(PROJECT_FILE);
    // The project's own file may not point elsewhere (the user's config may: dotfile
    // managers link it).
    if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(SettingsError::Parse {
            path,
            message: "is a symbolic link; docksmith reads only regular files in the project".into(),
        });
    }
    read_settings_file(&path)
}

/// The table `init` writes into docksmith.toml; not a setting.
pub const GENERATED_TABLE: &str = "generated";

/// The tables of one monorepo app's own settings: `[app.api]`.
pub const APP_TABLE: &str = "app";

/// Keys an `[app.<name>]` table may not hold: they choose the apps, or apply to the
/// whole project.
pub const PROJECT_ONLY_KEYS: &[&str] = &["apps", "bin", "package", "language", "standards", "vars"];

/// What a settings file says.
#[derive(Debug, Default)]
pub struct SettingsFile {
    pub options: Options,
    /// docksmith.toml's `[generated]` table.
    pub generated: Option<toml::Value>,
    /// `[app.<name>]` tables: one monorepo app's own settings, by app name.
    pub per_app: BTreeMap<String, Options>,
}

/// Reads a settings file: its settings, and (docksmith.toml only) the `[generated]`
/// table and the `[app.<name>]` tables. A missing file is empty.
pub fn read_settings_file(path: &Path) -> Result<SettingsFile, SettingsError> {
    let parse_error = |message: String| SettingsError::Parse {
        path: path.to_path_buf(),
        message,
    };
    // The user's config may be a link (dotfile managers); the project's own file was
    // checked not to be one.
    let text = match crate::bounded::read_text(path, 64 * 1024, crate::bounded::Links::Follow) {
        Ok(Some(text)) => text,
        Ok(None) => return Err(parse_error("is not UTF-8 text".into())),
        Err(e) if e.is_not_found() => return Ok(Default::default()),
        Err(crate::bounded::ReadError::TooLarge { .. }) => {
            return Err(parse_error(
                "larger than 64 KiB; a settings file is a handful of lines".into(),
            ));
        }
        Err(crate::bounded::ReadError::Io(source)) => {
            return Err(SettingsError::Read {
                path: path.to_path_buf(),
                source,
            });
        }
        Err(e) => {
            return Err(SettingsError::Read {
                path: path.to_path_buf(),
                source: std::io::Error::other(e.to_string()),
            });
        }
    };
    let tidy = |e: toml::de::Error| e.to_string().trim_end().replace('\n', "\n  ");
    let mut table: toml::Table = toml::from_str(&text).map_err(|e| parse_error(tidy(e)))?;
    let generated = table.remove(GENERATED_TABLE);
    let per_app = match table.remove(APP_TABLE) {
        None => BTreeMap::new(),
        Some(toml::Value::Table(apps)) => apps
            .into_iter()
            .map(|(name, value)| {
                let toml::Value::Table(own) = value else {
                    return Err(parse_error(format!(
                        "[{APP_TABLE}.{name}] is not a table of settings"
                    )));
                };
                if let Some(key) = own.keys().find(|k| PROJECT_ONLY_KEYS.contains(&k.as_str())) {
                    return Err(parse_error(format!(
                        "[{APP_TABLE}.{name}] key `{key}` applies to the whole project: set it at the top of the file"
                    )));
                }
                let options = options_from_table(own)
                    .map_err(|m| parse_error(format!("[{APP_TABLE}.{name}]: {m}")))?;
                Ok((name, options))
            })
            .collect::<Result<_, _>>()?,
        Some(_) => {
            return Err(parse_error(format!(
                "`{APP_TABLE}` must be tables: [{APP_TABLE}.<name>] with that app's settings"
            )));
        }
    };
    let options = options_from_table(table).map_err(parse_error)?;
    Ok(SettingsFile {
        options,
        generated,
        per_app,
    })
}

/// The settings a TOML table gives (docksmith.toml's keys), with a suggestion for a
/// misspelled key.
pub fn options_from_table(table: toml::Table) -> Result<Options, String> {
    if let Some(unknown) = table.keys().find(|k| !KEYS.contains(&k.as_str())) {
        return Err(match suggest(unknown, KEYS.iter().copied()) {
            Some(near) => format!("unknown key `{unknown}`: did you mean `{near}`?"),
            None => format!("unknown key `{unknown}`"),
        });
    }
    Options::deserialize(toml::Value::Table(table))
        .map_err(|e| e.to_string().trim_end().replace('\n', "\n  "))
}
