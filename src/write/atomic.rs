//! Writing generated files: atomically (a temporary file in the same folder, then a
//! rename, so a reader never sees half a file), never over an existing file unless
//! asked, keeping the mode of the file it replaces; and unified diffs of what would
//! change.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// What happened to a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Created,
    Replaced,
    Unchanged,
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{path} already exists")]
    Exists { path: PathBuf },
    #[error(
        "{path} is a symbolic link: docksmith reads and writes only regular files in the project"
    )]
    Symlink { path: PathBuf },
    #[error("{path} is {size} bytes, too large to be a file docksmith manages")]
    TooLarge { path: PathBuf, size: u64 },
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Not UTF-8: a file docksmith never wrote. `lossy` is its text for a diff.
    #[error("{path}: is not UTF-8 text, so docksmith did not write it")]
    NotText { path: PathBuf, lossy: String },
    #[error("another docksmith is writing in {path}")]
    Locked { path: PathBuf },
    #[error("{path}: cannot write: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl WriteError {
    pub fn hint(&self) -> Option<String> {
        match self {
            WriteError::Exists { .. } => {
                Some("pass --force to replace it, or --dry-run to see what would change".into())
            }
            WriteError::Symlink { path } | WriteError::TooLarge { path, .. } => Some(format!(
                "move {} out of the way (its target could be outside the project), then run docksmith again",
                path.display()
            )),
            WriteError::Locked { .. } => Some(
                "wait for it to finish and run docksmith again (the lock goes with the process that holds it)".into(),
            ),
            WriteError::NotText { .. } => {
                Some("pass --force to replace it, or --skip to keep it".into())
            }
            WriteError::Io { .. } | WriteError::Read { .. } => None,
        }
    }
}

/// The largest file docksmith reads back as one it generated.
pub const MAX_MANAGED_BYTES: u64 = 4 * 1024 * 1024;

/// Reads a file docksmith manages in the project (`None` when absent), refusing a
/// symlink, whose target may lie outside the project (a diff would print it, a
/// write would land there), and anything larger than [`MAX_MANAGED_BYTES`].
pub fn read_managed(path: &Path) -> Result<Option<String>, WriteError> {
    let meta = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(WriteError::Read {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    if meta.file_type().is_symlink() {
        return Err(WriteError::Symlink {
            path: path.to_path_buf(),
        });
    }
    let read_error = |source| WriteError::Read {
        path: path.to_path_buf(),
        source,
    };
    match crate::bounded::read(path, MAX_MANAGED_BYTES, crate::bounded::Links::Refuse) {
        Ok(bytes) => String::from_utf8(bytes)
            .map(Some)
            .map_err(|e| WriteError::NotText {
                path: path.to_path_buf(),
                lossy: String::from_utf8_lossy(e.as_bytes()).into_owned(),
            }),
        Err(crate::bounded::ReadError::TooLarge { size, .. }) => Err(WriteError::TooLarge {
            path: path.to_path_buf(),
            size,
        }),
        Err(crate::bounded::ReadError::Io(e)) => Err(read_error(e)),
        Err(e) => Err(read_error(std::io::Error::other(e.to_string()))),
    }
}

/// Refuses a folder docksmith would write into when it is a symlink.
pub fn refuse_symlinked_dir(path: &Path) -> Result<(), WriteError> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => Err(WriteError::Symlink {
            path: path.to_path_buf(),
        }),
        _ => Ok(()),
    }
}

/// Writes `contents` to `path`. Without `overwrite`, an existing file is an error
/// (checked by the rename itself, so there is no race). A file that already holds
/// exactly `contents` is left alone.
pub fn write_file(path: &Path, contents: &str, overwrite: bool) -> Result<Outcome, WriteError> {
    let io = |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    };
    // What is there now, read bounded: a FIFO or an oversized file in the way is
    // something else than `contents` (replaced with `overwrite`, else an error).
    let existing =
        match crate::bounded::read(path, MAX_MANAGED_BYTES, crate::bounded::Links::Refuse) {
            Ok(bytes) => Some(bytes),
            Err(e) if e.is_not_found() => None,
            Err(crate::bounded::ReadError::Io(e)) => return Err(io(e)),
            Err(_) => Some(Vec::new()),
        };
    match &existing {
        Some(bytes) if bytes == contents.as_bytes() => return Ok(Outcome::Unchanged),
        Some(_) if !overwrite => {
            return Err(WriteError::Exists {
                path: path.to_path_buf(),
            });
        }
        _ => {}
    }
    let temp = temp_beside(path, contents)?;
    if existing.is_some() {
        temp.persist(path).map_err(|e| io(e.error))?;
        Ok(Outcome::Replaced)
    } else {
        temp.persist_noclobber(path).map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                WriteError::Exists {
                    path: path.to_path_buf(),
                }
            } else {
                io(e.error)
            }
        })?;
        Ok(Outcome::Created)
    }
}

/// Writes `contents` beside `path` in a temporary file (synced, with the mode `path`
/// has or a new file gets) for a [`super::journal::Transaction`] to rename into
/// place; `None` when `path` already holds exactly `contents`.
pub fn stage(path: &Path, contents: &str) -> Result<Option<PathBuf>, WriteError> {
    let io = |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    };
    match crate::bounded::read(path, MAX_MANAGED_BYTES, crate::bounded::Links::Refuse) {
        Ok(bytes) if bytes == contents.as_bytes() => return Ok(None),
        Err(crate::bounded::ReadError::Io(e)) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(io(e));
        }
        _ => {}
    }
    let temp = temp_beside(path, contents)?;
    let (_, kept) = temp.keep().map_err(|e| io(e.error))?;
    Ok(Some(kept))
}

/// `contents` in a temporary file beside `path` (same folder, so a rename is atomic),
/// synced, with the mode `path` has or a new file gets.
fn temp_beside(path: &Path, contents: &str) -> Result<tempfile::NamedTempFile, WriteError> {
    let io = |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(super::lock::TEMP_PREFIX)
        .tempfile_in(dir)
        .map_err(io)?;
    temp.write_all(contents.as_bytes()).map_err(io)?;
    temp.as_file().sync_all().map_err(io)?;
    let permissions = fs::metadata(path)
        .map(|m| m.permissions())
        .ok()
        .or_else(new_file_permissions);
    if let Some(permissions) = permissions {
        fs::set_permissions(temp.path(), permissions).map_err(io)?;
    }
    Ok(temp)
}

/// A new file is readable by everyone, like one made by an editor (temporary files
/// start as 0600 on Unix; elsewhere their defaults are already right).
fn new_file_permissions() -> Option<fs::Permissions> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Some(fs::Permissions::from_mode(0o644))
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// A unified diff from `old` to `new`, labelled `a/<name>` and `b/<name>`; empty when
/// they are equal. A missing old file diffs from nothing.
pub fn unified_diff(name: &str, old: Option<&str>, new: &str) -> String {
    let old_text = old.unwrap_or("");
    if old == Some(new) {
        return String::new();
    }
    let diff = similar::TextDiff::from_lines(old_text, new);
    let from = if old.is_some() {
        format!("a/{name}")
    } else {
        "/dev/null".into()
    };
    diff.unified_diff()
        .context_radius(3)
        .header(&from, &format!("b/{name}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_refuses_and_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Dockerfile");
        assert_eq!(write_file(&path, "one\n", false).unwrap(), Outcome::Created);
        assert_eq!(
            write_file(&path, "one\n", false).unwrap(),
            Outcome::Unchanged
        );
        assert!(matches!(
            write_file(&path, "two\n", false),
            Err(WriteError::Exists { .. })
        ));
        assert_eq!(fs::read_to_string(&path).unwrap(), "one\n");
        assert_eq!(write_file(&path, "two\n", true).unwrap(), Outcome::Replaced);
        assert_eq!(fs::read_to_string(&path).unwrap(), "two\n");
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file left behind");
    }

    #[cfg(unix)]
    #[test]
    fn keeps_the_mode_of_the_file_it_replaces() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Dockerfile");
        write_file(&path, "one\n", false).unwrap();
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o644
        );
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        write_file(&path, "two\n", true).unwrap();
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    #[test]
    fn diffs() {
        assert_eq!(unified_diff("Dockerfile", Some("a\n"), "a\n"), "");
        let d = unified_diff("Dockerfile", Some("a\nb\n"), "a\nc\n");
        assert!(d.starts_with("--- a/Dockerfile\n+++ b/Dockerfile\n"), "{d}");
        assert!(d.contains("-b\n+c\n"));
        let d = unified_diff(".dockerignore", None, "x\n");
        assert!(d.starts_with("--- /dev/null\n+++ b/.dockerignore\n"), "{d}");
    }
}
