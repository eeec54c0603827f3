//! A run's files land together or not at all. Each new file is first written in full
//! beside its target (a temporary file, synced); then a journal naming every
//! temporary file and its target is written atomically to `.docksmith/commit`; then
//! each is renamed into place and the journal removed. A run killed before the
//! journal exists leaves only temporary files (the next run removes them: the files
//! are the previous run's); killed after, the next run — or `check` — finishes the
//! renames first (the files are this run's). Either way Dockerfile, .dockerignore and
//! docksmith.toml come from one run.

use std::path::{Path, PathBuf};

use super::WriteError;
use super::atomic::stage;

/// The journal of a commit in progress, below the project root.
pub const JOURNAL: &str = ".docksmith/commit";

/// Files staged for one commit.
pub struct Transaction {
    root: PathBuf,
    /// (temporary file, target), both below `root`.
    staged: Vec<(PathBuf, PathBuf)>,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl Transaction {
    pub fn new(root: &Path) -> Transaction {
        Transaction {
            root: root.to_path_buf(),
            staged: Vec::new(),
        }
    }

    /// Stages `contents` for `target` (nothing when it already holds them).
    pub fn stage(&mut self, target: &Path, contents: &str) -> Result<(), WriteError> {
        if let Some(temp) = stage(target, contents)? {
            self.staged.push((temp, target.to_path_buf()));
        }
        Ok(())
    }

    /// Writes the journal, renames every staged file into place, removes the journal.
    pub fn commit(self) -> Result<(), WriteError> {
        if self.staged.is_empty() {
            return Ok(());
        }
        let relative = |path: &Path| {
            path.strip_prefix(&self.root)
                .ok()
                .and_then(Path::to_str)
                .map(str::to_string)
        };
        let mut text = String::new();
        for (temp, target) in &self.staged {
            let (Some(temp), Some(target)) = (relative(temp), relative(target)) else {
                return Err(WriteError::Io {
                    path: target.clone(),
                    source: std::io::Error::other("outside the project"),
                });
            };
            text.push_str(&format!("{temp}\t{target}\n"));
        }
        let journal = self.root.join(JOURNAL);
        if let Some(dir) = journal.parent() {
            std::fs::create_dir_all(dir).map_err(io(dir))?;
        }
        super::atomic::write_file(&journal, &text, true)?;
        for (temp, target) in &self.staged {
            std::fs::rename(temp, target).map_err(io(target))?;
        }
        std::fs::remove_file(&journal).map_err(io(&journal))?;
        Ok(())
    }
}

/// Finishes a commit a killed run left: every temporary file the journal names that
/// is still there is renamed into place. Called with the project lock held.
pub fn recover(root: &Path) -> Result<(), WriteError> {
    let journal = root.join(JOURNAL);
    let text = match crate::bounded::read_text(&journal, 64 * 1024, crate::bounded::Links::Refuse) {
        Ok(Some(text)) => text,
        Err(e) if e.is_not_found() => return Ok(()),
        // A journal docksmith could not have written is not acted on.
        _ => return std::fs::remove_file(&journal).map_err(io(&journal)),
    };
    for line in text.lines() {
        let Some((temp, target)) = line.split_once('\t') else {
            continue;
        };
        // Only docksmith's own temporary files, to the files it manages.
        let safe = |p: &str| !p.starts_with('/') && !p.split('/').any(|c| c == "..");
        let temp_name = Path::new(temp).file_name().and_then(|n| n.to_str());
        if !safe(temp)
            || !safe(target)
            || !temp_name.is_some_and(|n| n.starts_with(super::lock::TEMP_PREFIX))
        {
            continue;
        }
        let (temp, target) = (root.join(temp), root.join(target));
        if temp.is_file() {
            std::fs::rename(&temp, &target).map_err(io(&target))?;
        }
    }
    std::fs::remove_file(&journal).map_err(io(&journal))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_commit_killed_after_its_journal_is_finished_by_the_next_run() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("Dockerfile"), "old\n").unwrap();
        std::fs::write(root.join("docksmith.toml"), "old\n").unwrap();
        let mut tx = Transaction::new(root);
        tx.stage(&root.join("Dockerfile"), "new\n").unwrap();
        tx.stage(&root.join("docksmith.toml"), "new\n").unwrap();
        // As if killed after the journal and the first rename.
        let (temp, target) = tx.staged[0].clone();
        let mut text = String::new();
        for (t, g) in &tx.staged {
            text += &format!(
                "{}\t{}\n",
                t.strip_prefix(root).unwrap().display(),
                g.strip_prefix(root).unwrap().display()
            );
        }
        std::fs::create_dir_all(root.join(".docksmith")).unwrap();
        std::fs::write(root.join(JOURNAL), text).unwrap();
        std::fs::rename(temp, target).unwrap();
        recover(root).unwrap();
        assert_eq!(
            std::fs::read_to_string(root.join("Dockerfile")).unwrap(),
            "new\n"
        );
        assert_eq!(
            std::fs::read_to_string(root.join("docksmith.toml")).unwrap(),
            "new\n"
        );
        assert!(!root.join(JOURNAL).exists());
    }

    #[test]
    fn a_hostile_journal_renames_nothing_outside_docksmiths_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join(".docksmith")).unwrap();
        std::fs::write(root.join("secret"), "x").unwrap();
        std::fs::write(
            root.join(JOURNAL),
            "secret\tDockerfile\n../../etc/passwd\tx\n.docksmith-a\t../outside\n",
        )
        .unwrap();
        recover(root).unwrap();
        assert!(root.join("secret").exists());
        assert!(!root.join("Dockerfile").exists());
    }
}
