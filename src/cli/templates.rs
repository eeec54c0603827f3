//! `docksmith templates`: the names a standards pack may replace, and docksmith's own
//! text as a pack's starting point.

use std::path::Path;

use super::args::TemplatesAction;
use super::{Exit, Io};
use crate::error::Error;
use crate::render::templates::builtin;
use crate::settings::SettingsError;
use crate::write::{self, WriteError};

pub fn run(action: TemplatesAction, streams: &mut Io<'_>) -> Result<Exit, Error> {
    let io = |source| WriteError::Io {
        path: "standard output".into(),
        source,
    };
    match action {
        TemplatesAction::List { standards } => {
            let replaced = match &standards {
                Some(dir) => {
                    let source = crate::settings::StandardsSource::parse(&dir.to_string_lossy())
                        .map_err(|message| SettingsError::Parse {
                            path: "--standards".into(),
                            message,
                        })?;
                    let cache = crate::settings::cache_dir(streams.env);
                    crate::standards::load(Path::new(""), &source, cache.as_deref())
                        .map_err(SettingsError::from)?
                }
                .templates
                .names()
                .map(str::to_string)
                .collect(),
                None => Vec::new(),
            };
            for (name, _) in builtin() {
                let mark = if replaced.iter().any(|r| r == name) {
                    "\treplaced by the pack"
                } else {
                    ""
                };
                writeln!(streams.out, "{name}{mark}").map_err(io)?;
            }
        }
        TemplatesAction::Export { dir, force } => {
            let mut count = 0;
            for (name, text) in builtin() {
                let path = dir.join(name);
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent).map_err(|source| WriteError::Io {
                        path: parent.to_path_buf(),
                        source,
                    })?;
                }
                write::write_file(&path, text, force)?;
                count += 1;
            }
            // A note, not data: stderr, like every other message.
            let _ = writeln!(
                streams.err,
                "wrote {count} templates into {}; a pack's templates/ folder needs only the ones it changes",
                dir.display()
            );
        }
    }
    Ok(Exit::Ok)
}
