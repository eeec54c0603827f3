//! One writer per project: every command that writes holds an exclusive lock on the
//! project's folder itself (flock on the directory: no lock file to leave behind)
//! from reading docksmith.toml to its last write, so two runs never interleave (five
//! racing `init --force` runs end with the files of one of them, all three agreeing).
//! The kernel releases the lock when the process ends, however it ends. Holding the lock, a run removes the
//! temporary files an earlier, killed run left (`.docksmith-*` beside the files it
//! writes): nobody else can be writing them.

use std::fs::File;
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::WriteError;
use super::record::BASE_DIR;

/// How long a second run waits for the first before it gives up.
const WAIT: Duration = Duration::from_secs(10);

/// The prefix of docksmith's temporary files (see [`super::atomic::write_file`]).
pub const TEMP_PREFIX: &str = ".docksmith-";

/// Held while a run writes; released when dropped (or when the process dies).
pub struct ProjectLock {
    _file: File,
}

impl ProjectLock {
    /// Takes `root`'s lock, waiting up to 10 s for another run to finish, then
    /// removes stale temporary files.
    pub fn acquire(root: &Path) -> Result<ProjectLock, WriteError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| WriteError::Io { path, source }
        };
        let path = root.to_path_buf();
        let file = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_DIRECTORY)
            .open(&path)
            .map_err(io(&path))?;
        let started = Instant::now();
        loop {
            // SAFETY: flock on a descriptor this function owns.
            if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
                break;
            }
            let error = std::io::Error::last_os_error();
            if error.raw_os_error() != Some(libc::EWOULDBLOCK) {
                return Err(io(&path)(error));
            }
            if started.elapsed() > WAIT {
                return Err(WriteError::Locked { path });
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        // A killed run's commit is finished first; what is left over after that was
        // never committed.
        super::journal::recover(root)?;
        remove_stale_temp_files(&[root.to_path_buf(), root.join(BASE_DIR)]);
        Ok(ProjectLock { _file: file })
    }
}

/// Removes `.docksmith-*` regular files in `dirs`: under the lock, they can only be
/// left over from a run that was killed.
fn remove_stale_temp_files(dirs: &[PathBuf]) {
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let stale = entry
                .file_name()
                .to_str()
                .is_some_and(|n| n.starts_with(TEMP_PREFIX))
                && entry.file_type().is_ok_and(|t| t.is_file());
            if stale {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_waits_and_stale_temp_files_go() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".docksmith-abc123"), "half").unwrap();
        let first = ProjectLock::acquire(dir.path()).unwrap();
        assert!(!dir.path().join(".docksmith-abc123").exists());
        let root = dir.path().to_path_buf();
        let waiter = std::thread::spawn(move || {
            let started = Instant::now();
            let lock = ProjectLock::acquire(&root);
            (lock.is_ok(), started.elapsed())
        });
        std::thread::sleep(Duration::from_millis(300));
        drop(first);
        let (ok, waited) = waiter.join().unwrap();
        assert!(ok && waited >= Duration::from_millis(250), "{waited:?}");
    }
}
