//! A run's file changes: what each generated file becomes (from what is on disk, the
//! record and, for `update`, the last generated text), how conflicts settle by policy,
//! and the commit that writes the files and then their record.

use std::path::Path;

use super::atomic::{WriteError, read_managed};
use super::record::{self, Record};
use super::sync::{self, FileChange, Status};
use crate::render::Rendered;
use crate::settings::{KEYS, PROJECT_FILE, Settings};

/// The files docksmith generates, by name in the project.
pub const DOCKERFILE: &str = "Dockerfile";
pub const DOCKERIGNORE: &str = sync::DOCKERIGNORE;

/// How edited files are treated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Merge {
    /// `init`, `check`: an edited file is a conflict.
    Replace,
    /// `update`: an edited file is merged three ways with the last generated text.
    ThreeWay,
}

/// What a run would change, and notes for the user about how it was decided.
pub struct Changes {
    pub files: Vec<FileChange>,
    /// Things the user should know (a merge base that is missing).
    pub notes: Vec<String>,
}

/// What a commit recorded.
pub struct Committed {
    /// The settings recorded as answers in docksmith.toml.
    pub answers: Vec<&'static str>,
}

/// The files one Dockerfile's run generates, by name: the Dockerfile and the
/// .dockerignore.
pub fn single(rendered: &Rendered) -> Vec<(String, String)> {
    vec![
        (DOCKERFILE.to_string(), rendered.dockerfile.clone()),
        (DOCKERIGNORE.to_string(), rendered.dockerignore.clone()),
    ]
}

/// Each generated file's change against what is on disk. `files` are (name in the
/// root, text); a file the record lists that is no longer generated (an app the
/// monorepo lost) is left alone and named in a note.
pub fn changes(
    root: &Path,
    files: &[(String, String)],
    required: &[String],
    record: Option<&Record>,
    merge: Merge,
) -> Result<Changes, WriteError> {
    let mut changes = Changes {
        files: Vec::new(),
        notes: Vec::new(),
    };
    if let Some(record) = record {
        for gone in record
            .files
            .keys()
            .filter(|name| !files.iter().any(|(generated, _)| generated == *name))
        {
            if root.join(gone).exists() {
                changes.notes.push(format!(
                    "docksmith no longer generates {gone} (the apps it built, or the ones chosen, changed); delete it if nothing else uses it"
                ));
            }
        }
    }
    for (name, text) in files {
        let name = name.as_str();
        let on_disk = match read_managed(&root.join(name)) {
            // Nothing to compare or merge: the user's own file, replaced or kept
            // as they say (--force, --skip or the question).
            Err(WriteError::NotText { lossy, .. }) => {
                changes
                    .files
                    .push(sync::not_text(name, lossy, text.clone()));
                continue;
            }
            other => other?,
        };
        let change = match merge {
            Merge::ThreeWay => {
                let base = record::read_base(root, record, name);
                if base.is_none()
                    && on_disk.is_some()
                    && record.is_some_and(|r| r.files.contains_key(name))
                {
                    changes.notes.push(format!(
                        "{}/{name} is missing or does not match docksmith.toml: edits to {name} are merged against an empty base, so every difference is marked as a conflict",
                        record::BASE_DIR
                    ));
                }
                sync::for_update(
                    name,
                    on_disk,
                    text.clone(),
                    record,
                    base.as_deref(),
                    required,
                )
            }
            Merge::Replace => sync::for_init(name, on_disk, text.clone(), record, required),
        };
        changes.files.push(change);
    }
    Ok(changes)
}

impl Changes {
    /// The files the run would change (or, unresolved, cannot): for `check`, drift.
    pub fn drifted(&self) -> Vec<&FileChange> {
        self.files
            .iter()
            .filter(|c| !matches!(c.status, Status::Identical | Status::Kept))
            .collect()
    }

    /// The files that still hold conflict markers from an earlier update.
    pub fn unresolved(&self) -> Vec<&str> {
        self.named(Status::Unresolved)
    }

    /// The files in conflict.
    pub fn conflicted(&self) -> Vec<&str> {
        self.named(Status::Conflict)
    }

    /// The names of the files with `status`.
    pub fn named(&self, status: Status) -> Vec<&str> {
        self.files
            .iter()
            .filter(|c| c.status == status)
            .map(|c| c.name.as_str())
            .collect()
    }

    /// The files an update left conflict markers in.
    pub fn with_markers(&self) -> Vec<&str> {
        self.files
            .iter()
            .filter(|c| c.conflicts > 0)
            .map(|c| c.name.as_str())
            .collect()
    }

    /// `update --adopt`: every file the user wrote is kept, with docksmith's text
    /// beside it and recorded as the base of later merges.
    pub fn adopt(&mut self) {
        for change in &mut self.files {
            if change.status == Status::Conflict {
                change.status = Status::Adopted;
            }
        }
    }

    /// The files adopted, by name.
    pub fn adopted(&self) -> Vec<&FileChange> {
        self.files
            .iter()
            .filter(|c| c.status == Status::Adopted)
            .collect()
    }

    /// Settles every conflict the same way: overwrite, or keep the file on disk.
    pub fn settle_all(&mut self, overwrite: bool) {
        for change in &mut self.files {
            change.resolve(overwrite);
        }
    }

    /// The record a commit writes, and the generated texts kept as the next bases. A
    /// skipped (or unresolved) file keeps its old record, so `update` can still merge it.
    fn record(&self, old: Option<&Record>, settings: &Settings) -> (Record, Vec<(&str, &str)>) {
        let mut new = Record {
            version: env!("CARGO_PKG_VERSION").to_string(),
            files: Default::default(),
            standards: settings.pack.as_ref().map(|pack| pack.id.clone()),
        };
        let mut bases = Vec::new();
        for change in &self.files {
            if matches!(change.status, Status::Skip | Status::Unresolved) {
                if let Some(digest) = old.and_then(|r| r.files.get(&change.name)) {
                    new.files.insert(change.name.to_string(), digest.clone());
                }
                continue;
            }
            new.files
                .insert(change.name.to_string(), record::hash(&change.generated));
            bases.push((change.name.as_str(), change.generated.as_str()));
        }
        (new, bases)
    }

    /// The diff a commit would make to docksmith.toml (for `--dry-run`); empty when
    /// it would not change.
    pub fn project_file_diff(
        &self,
        root: &Path,
        settings: &Settings,
        user_config: bool,
        old: Option<&Record>,
    ) -> Result<String, crate::Error> {
        let path = root.join(PROJECT_FILE);
        let existing = read_managed(&path)?;
        let (new, _) = self.record(old, settings);
        let text =
            record::project_file_text(existing.as_deref(), &settings.recorded(user_config), &new)
                .map_err(|message| record::RecordError::Unparsable {
                path: path.clone(),
                message,
            })?;
        Ok(match existing.as_deref() {
            Some(before) if before == text => String::new(),
            before => crate::write::unified_diff(PROJECT_FILE, before, &text),
        })
    }

    /// Writes the files that change, then the record: answers, hashes and bases. A
    /// skipped file keeps its old record, so `update` can still merge it later.
    /// `user_config`: record the user's config file's values too (they changed the
    /// files, and teammates do not have that file).
    pub fn commit(
        &self,
        root: &Path,
        settings: &Settings,
        user_config: bool,
        old: Option<&Record>,
    ) -> Result<Committed, crate::Error> {
        record::check_writable(root)?;
        // Every file of the run lands together (see [`super::journal`]).
        let mut transaction = super::journal::Transaction::new(root);
        for change in self.files.iter().filter(|c| c.writes()) {
            transaction.stage(&root.join(&change.name), &change.text)?;
        }
        for change in self.adopted() {
            transaction.stage(&root.join(change.beside()), &change.generated)?;
        }
        let (new, bases) = self.record(old, settings);
        let answers = settings.recorded(user_config);
        record::write(root, &answers, &new, &bases, &mut transaction)?;
        transaction.commit()?;
        Ok(Committed {
            answers: KEYS
                .iter()
                .filter(|key| record::has_answer(&answers, key))
                .copied()
                .collect(),
        })
    }
}
