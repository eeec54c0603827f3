//! The one way docksmith reads a file it did not write itself: a regular file only,
//! at most so many bytes. A FIFO named like a settings or ignore file would block
//! forever and a link to `/dev/zero` would never end; both are refused by type, on the
//! opened file (opened non-blocking, so a FIFO's open returns at once), before a byte
//! is read, and every read stops one byte past its limit.

use std::fs::File;
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// Why a file was not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("is not a regular file (a FIFO, socket or device would block or never end)")]
    NotRegular,
    #[error("is larger than {limit} bytes")]
    TooLarge { limit: u64, size: u64 },
}

impl ReadError {
    /// Whether the file is simply not there.
    pub fn is_not_found(&self) -> bool {
        matches!(self, ReadError::Io(e) if e.kind() == std::io::ErrorKind::NotFound)
    }
}

/// How to treat a symbolic link at `path` itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Links {
    /// Read through it (the caller has checked where it points).
    Follow,
    /// Refuse it: the file must be itself.
    Refuse,
}

/// The bytes of the regular file at `path`, at most `limit` of them.
pub fn read(path: &Path, limit: u64, links: Links) -> Result<Vec<u8>, ReadError> {
    let mut options = std::fs::OpenOptions::new();
    let mut flags = libc::O_NONBLOCK;
    if links == Links::Refuse {
        flags |= libc::O_NOFOLLOW;
    }
    options.read(true).custom_flags(flags);
    let file = options.open(path).map_err(|e| {
        // O_NOFOLLOW on a link fails with ELOOP: say what it is.
        if e.raw_os_error() == Some(libc::ELOOP) {
            ReadError::NotRegular
        } else {
            ReadError::Io(e)
        }
    })?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular);
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            limit,
            size: meta.len(),
        });
    }
    read_capped(file, limit)
}

/// Reads `file` to its end, failing once it passes `limit` (a file that grows while
/// read).
fn read_capped(file: File, limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            limit,
            size: bytes.len() as u64,
        });
    }
    Ok(bytes)
}

/// [`read`] as UTF-8 text; `None` when the bytes are not UTF-8.
pub fn read_text(path: &Path, limit: u64, links: Links) -> Result<Option<String>, ReadError> {
    read(path, limit, links).map(|bytes| String::from_utf8(bytes).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[test]
    fn fifos_devices_and_large_files_are_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("docksmith.toml");
        let name = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o644) }, 0);
        let started = Instant::now();
        assert!(matches!(
            read(&fifo, 1024, Links::Follow),
            Err(ReadError::NotRegular)
        ));
        let zero = dir.path().join(".gitignore");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        assert!(matches!(
            read(&zero, 1024, Links::Follow),
            Err(ReadError::NotRegular)
        ));
        assert!(matches!(
            read(&zero, 1024, Links::Refuse),
            Err(ReadError::NotRegular)
        ));
        assert!(started.elapsed() < Duration::from_secs(1));
        let big = dir.path().join("big");
        std::fs::write(&big, vec![b'a'; 2048]).unwrap();
        assert!(matches!(
            read(&big, 1024, Links::Follow),
            Err(ReadError::TooLarge { limit: 1024, .. })
        ));
        assert_eq!(read(&big, 4096, Links::Refuse).unwrap().len(), 2048);
        assert!(
            read(&dir.path().join("missing"), 1, Links::Follow)
                .unwrap_err()
                .is_not_found()
        );
    }
}
