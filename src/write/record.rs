//! What `init` remembers in the project, so later runs can reproduce its files and
//! tell the user's edits from its own output:
//!
//! - `docksmith.toml`: the answers (settings set for this project) and a `[generated]`
//!   table with the docksmith version and a SHA-256 of each file it generated;
//! - `.docksmith/generated/<file>`: the text it generated last time, the base of
//!   `docksmith update`'s three-way merge.
//!
//! docksmith.toml is edited in place (toml_edit), so the user's comments and layout
//! survive; a key the user set stays where it is.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use toml_edit::{DocumentMut, InlineTable, Item, Table, value};

use super::atomic::{WriteError, read_managed, refuse_symlinked_dir};
use crate::settings::{GENERATED_TABLE, KEYS, Options, PROJECT_FILE};
use crate::standards::PackId;

/// Where the bases of the three-way merge live, relative to the project root.
pub const BASE_DIR: &str = ".docksmith/generated";

/// The `[generated]` table: docksmith's bookkeeping, not a setting.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Record {
    /// The docksmith version that generated the files.
    pub version: String,
    /// File name → `sha256:<hex>` of the text docksmith generated.
    pub files: BTreeMap<String, String>,
    /// The standards pack the files were generated with, if any.
    pub standards: Option<PackId>,
}

#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("{path}: the [generated] table is malformed: {message}")]
    Malformed { path: PathBuf, message: String },
    #[error("{path}: {message}")]
    Unparsable { path: PathBuf, message: String },
    /// `check`/`update` where `init` never wrote: nothing says what docksmith wrote.
    #[error(
        "{path}: {} has not written this project's files (no [generated] record), so there is nothing to {command}",
        if path.exists() { "docksmith" } else { "no such file: docksmith" }
    )]
    NotInitialized {
        path: PathBuf,
        command: &'static str,
    },
    /// `update --adopt` where docksmith already keeps a record: nothing to take over.
    #[error(
        "{path}: docksmith already set up this project ([generated] records its files), so there is nothing to adopt"
    )]
    AlreadySetUp { path: PathBuf },
}

impl RecordError {
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            RecordError::NotInitialized { .. } => "run `docksmith init`: it writes the files and docksmith.toml, and asks (or, without a terminal, stops) before replacing a Dockerfile you wrote; `docksmith init --dry-run` shows the diff first; to keep a Dockerfile you wrote and merge docksmith's changes into it from now on, run `docksmith update --adopt`".to_string(),
            RecordError::AlreadySetUp { .. } => "run `docksmith update` (without --adopt): it merges docksmith's changes into your edited files".to_string(),
            _ => format!(
                "docksmith writes [generated] itself; delete the table from {PROJECT_FILE} and run `docksmith init` again"
            ),
        })
    }
}

/// `sha256:<hex>` of `text`.
pub fn hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// The record in `root`'s docksmith.toml, from its `[generated]` table as read with
/// the settings ([`crate::settings::Sources::generated`]); `None` when there is none yet.
pub fn from_generated(
    root: &Path,
    generated: Option<&toml::Value>,
) -> Result<Option<Record>, RecordError> {
    let Some(generated) = generated else {
        return Ok(None);
    };
    let path = root.join(PROJECT_FILE);
    let malformed = |message: &str| RecordError::Malformed {
        path: path.clone(),
        message: message.to_string(),
    };
    let table = generated
        .as_table()
        .ok_or_else(|| malformed("expected a table"))?;
    let version = table
        .get("version")
        .and_then(|v| v.as_str())
        .ok_or_else(|| malformed("`version` must be a string"))?
        .to_string();
    let mut files = BTreeMap::new();
    if let Some(listed) = table.get("files") {
        let listed = listed
            .as_table()
            .ok_or_else(|| malformed("`files` must be a table"))?;
        for (name, digest) in listed {
            let digest = digest
                .as_str()
                .filter(|d| d.starts_with("sha256:"))
                .ok_or_else(|| malformed("each file maps to \"sha256:<hex>\""))?;
            files.insert(name.clone(), digest.to_string());
        }
    }
    let standards = match table.get("standards") {
        None => None,
        Some(pack) => Some(pack_id(pack).ok_or_else(|| {
            malformed("`standards` must be a table of name, version and hash (sha256:<hex>)")
        })?),
    };
    Ok(Some(Record {
        version,
        files,
        standards,
    }))
}

/// The recorded pack: `{ name = "…", version = "…", hash = "sha256:…" }`.
fn pack_id(value: &toml::Value) -> Option<PackId> {
    let table = value.as_table()?;
    let text = |key: &str| table.get(key).and_then(|v| v.as_str()).map(str::to_string);
    Some(PackId {
        name: text("name")?,
        version: text("version"),
        hash: text("hash").filter(|h| h.starts_with("sha256:"))?,
        commit: text("commit"),
    })
}

/// The text docksmith generated last time for `name`, when it is on disk and matches
/// the record (a base that does not is worse than none).
pub fn read_base(root: &Path, record: Option<&Record>, name: &str) -> Option<String> {
    let expected = record?.files.get(name)?;
    let text = read_managed(&root.join(BASE_DIR).join(name)).ok()??;
    (hash(&text) == *expected).then_some(text)
}

/// Refuses a `.docksmith` folder that is a symlink (the bases would land wherever it
/// points). Called before any file is written, so a refusal leaves the project as it was.
pub fn check_writable(root: &Path) -> Result<(), WriteError> {
    let base_dir = root.join(BASE_DIR);
    for dir in [base_dir.parent().unwrap_or(root), base_dir.as_path()] {
        refuse_symlinked_dir(dir)?;
    }
    Ok(())
}

/// Stages the bases and docksmith.toml with `answers` and `record` into
/// `transaction`, which lands them with the files they record.
pub fn write(
    root: &Path,
    answers: &Options,
    record: &Record,
    bases: &[(&str, &str)],
    transaction: &mut super::journal::Transaction,
) -> Result<(), crate::Error> {
    let base_dir = root.join(BASE_DIR);
    check_writable(root)?;
    std::fs::create_dir_all(&base_dir).map_err(|source| WriteError::Io {
        path: base_dir.clone(),
        source,
    })?;
    for (name, text) in bases {
        // A sub-project's file (`services/api/Dockerfile`) keeps its base in a folder.
        let base = base_dir.join(name);
        if let Some(parent) = base.parent().filter(|p| *p != base_dir) {
            std::fs::create_dir_all(parent).map_err(|source| WriteError::Io {
                path: parent.to_path_buf(),
                source,
            })?;
            refuse_symlinked_dir(parent)?;
        }
        transaction.stage(&base, text)?;
    }
    let path = root.join(PROJECT_FILE);
    let existing = read_managed(&path)?;
    let text = project_file_text(existing.as_deref(), answers, record).map_err(|message| {
        RecordError::Unparsable {
            path: path.clone(),
            message,
        }
    })?;
    transaction.stage(&path, &text)?;
    Ok(())
}

const HEADER: &str = "\
# docksmith's settings for this project. `docksmith init` records the answers given
# (flags, environment, wizard) here; `init`, `check` and `update` reuse them, so the
# files come out the same every time. Edit a key, then run `docksmith update`.
# Keys are listed in docksmith's README (Options). [generated] is docksmith's own
# bookkeeping: the version and a hash of each file it wrote.
";

/// docksmith.toml's new text: `existing` with every settings key set to `answers`
/// (or removed) and `[generated]` replaced.
pub fn project_file_text(
    existing: Option<&str>,
    answers: &Options,
    record: &Record,
) -> Result<String, String> {
    let mut doc = match existing {
        Some(text) => text.parse::<DocumentMut>().map_err(|e| e.to_string())?,
        None => {
            let mut doc = DocumentMut::new();
            doc.decor_mut().set_prefix(HEADER);
            doc
        }
    };
    for key in KEYS {
        match answer_value(answers, key) {
            Some(new) => {
                // Keep the user's own formatting when the value is unchanged.
                let same = doc.get(key).and_then(Item::as_value).is_some_and(|old| {
                    let mut bare = old.clone();
                    bare.decor_mut().clear();
                    bare.to_string().trim() == new.to_string().trim()
                });
                if !same {
                    doc[key] = Item::Value(new);
                }
            }
            None => {
                doc.remove(key);
            }
        }
    }
    let mut generated = Table::new();
    generated.decor_mut().set_prefix("\n");
    generated["version"] = value(record.version.as_str());
    let mut files = InlineTable::new();
    for (name, digest) in &record.files {
        files.insert(name, digest.as_str().into());
    }
    generated["files"] = value(files);
    if let Some(pack) = &record.standards {
        let mut standards = InlineTable::new();
        standards.insert("name", pack.name.as_str().into());
        if let Some(version) = &pack.version {
            standards.insert("version", version.as_str().into());
        }
        standards.insert("hash", pack.hash.as_str().into());
        if let Some(commit) = &pack.commit {
            standards.insert("commit", commit.as_str().into());
        }
        generated["standards"] = value(standards);
    }
    doc[GENERATED_TABLE] = Item::Table(generated);
    Ok(doc.to_string())
}

/// Whether `answers` says something for `key`.
pub fn has_answer(answers: &Options, key: &str) -> bool {
    answer_value(answers, key).is_some()
}

fn answer_value(answers: &Options, key: &str) -> Option<toml_edit::Value> {
    answers.toml_value(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Flavor;

    fn record() -> Record {
        Record {
            version: "0.1.0".into(),
            files: [("Dockerfile".to_string(), hash("FROM x\n"))].into(),
            standards: None,
        }
    }

    #[test]
    fn hashes_are_sha256() {
        assert_eq!(
            hash(""),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn keeps_comments_and_sets_answers() {
        let existing = "# my notes\nflavor = \"slim\" # why: debugging\nport = 1\n";
        let answers = Options {
            flavor: Some(Flavor::Slim),
            bin: Some("api".into()),
            ..Options::default()
        };
        let text = project_file_text(Some(existing), &answers, &record()).unwrap();
        assert!(
            text.starts_with("# my notes\nflavor = \"slim\" # why: debugging\n"),
            "{text}"
        );
        assert!(!text.contains("port"), "unrecorded keys go: {text}");
        assert!(text.contains("bin = \"api\""), "{text}");
        assert!(
            text.contains("[generated]\nversion = \"0.1.0\"\nfiles = { Dockerfile = \"sha256:"),
            "{text}"
        );
        // Reading it back gives the same answers and record.
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(PROJECT_FILE), &text).unwrap();
        let file = crate::settings::read_project_file(dir.path()).unwrap();
        let (options, generated) = (file.options, file.generated);
        assert_eq!(options, answers);
        assert_eq!(
            from_generated(dir.path(), generated.as_ref()).unwrap(),
            Some(record())
        );
    }

    #[test]
    fn a_new_file_explains_itself() {
        let text = project_file_text(None, &Options::default(), &record()).unwrap();
        assert!(text.starts_with("# docksmith's settings"), "{text}");
    }

    #[test]
    fn malformed_records_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(PROJECT_FILE), "[generated]\nversion = 3\n").unwrap();
        let generated = crate::settings::read_project_file(dir.path())
            .unwrap()
            .generated;
        let err = from_generated(dir.path(), generated.as_ref()).unwrap_err();
        assert!(err.to_string().contains("docksmith.toml"), "{err}");
        assert!(err.hint().unwrap().contains("[generated]"));
    }
}
