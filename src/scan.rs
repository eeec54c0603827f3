//! A read-only, bounded view of a project directory.
//!
//! Detectors never touch the file system directly: they ask a [`ProjectView`], which
//! walked the tree once (respecting `.gitignore`, and the root `.dockerignore` with
//! Docker's own rules, so detection sees what the build context will hold), never
//! descends into dependency or build folders,
//! never follows a symlink out of the root, and refuses trees or manifests past its
//! limits with an error that says what to do.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::dockerignore::IgnoreRules;

/// Folders that hold dependencies, build output or VCS data. The walk notes that they
/// exist (a `vendor/` matters to Go) but never reads inside them.
pub const PRUNED_DIRS: &[&str] = &["node_modules", "target", ".git", ".venv", "vendor"];

/// The largest ignore file read; past it (or not a regular file) it counts as empty.
const MAX_IGNORE_BYTES: u64 = 1024 * 1024;

/// The rules of the ignore `files` (read bounded, regular files only: a FIFO or a
/// link to /dev/zero named `.gitignore` must not stop the walk), for paths below `dir`.
/// An unreadable file brings no rule.
fn ignore_file(dir: &Path, files: &[PathBuf]) -> ignore::gitignore::Gitignore {
    let mut builder = ignore::gitignore::GitignoreBuilder::new(dir);
    for file in files {
        let Ok(Some(text)) =
            crate::bounded::read_text(file, MAX_IGNORE_BYTES, crate::bounded::Links::Refuse)
        else {
            continue;
        };
        for line in text.lines() {
            let _ = builder.add_line(Some(file.clone()), line);
        }
    }
    builder
        .build()
        .unwrap_or_else(|_| ignore::gitignore::Gitignore::empty())
}

/// The .gitignore, .ignore and .git/info/exclude rules of a tree, read as the walk
/// reaches each folder (git's precedence: the nearest folder's rules decide, .ignore
/// over .gitignore, the exclude file last).
struct IgnoreFiles {
    root: PathBuf,
    exclude: ignore::gitignore::Gitignore,
    by_dir: Mutex<HashMap<PathBuf, Arc<IgnorePair>>>,
    /// Per folder, the rule pairs that apply to its entries, nearest folder first, the
    /// empty ones left out: one lookup per entry instead of one per ancestor (a walk of
    /// 30,000 files spent most of its time hashing and comparing ancestor paths).
    chains: Mutex<HashMap<PathBuf, Arc<[Arc<IgnorePair>]>>>,
}

/// A folder's `.ignore` and `.gitignore` rules, in that order.
type IgnorePair = [ignore::gitignore::Gitignore; 2];

impl IgnoreFiles {
    fn new(root: &Path) -> IgnoreFiles {
        IgnoreFiles {
            root: root.to_path_buf(),
            exclude: ignore_file(root, &[root.join(".git/info/exclude")]),
            by_dir: Mutex::new(HashMap::new()),
            chains: Mutex::new(HashMap::new()),
        }
    }

    fn rules(&self, dir: &Path) -> Arc<IgnorePair> {
        let mut cache = self.by_dir.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .entry(dir.to_path_buf())
            .or_insert_with(|| {
                Arc::new([
                    ignore_file(dir, &[dir.join(".ignore")]),
                    ignore_file(dir, &[dir.join(".gitignore")]),
                ])
            })
            .clone()
    }

    /// The non-empty rule pairs of `dir` and its ancestors up to the root, nearest first.
    fn chain(&self, dir: &Path) -> Arc<[Arc<IgnorePair>]> {
        if let Some(chain) = self
            .chains
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(dir)
        {
            return Arc::clone(chain);
        }
        let mut chain: Vec<Arc<IgnorePair>> = Vec::new();
        if dir.starts_with(&self.root) {
            let own = self.rules(dir);
            if own.iter().any(|rules| !rules.is_empty()) {
                chain.push(own);
            }
            if dir != self.root
                && let Some(parent) = dir.parent()
            {
                chain.extend(self.chain(parent).iter().cloned());
            }
        }
        let chain: Arc<[Arc<IgnorePair>]> = chain.into();
        self.chains
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(dir.to_path_buf(), Arc::clone(&chain));
        chain
    }

    /// Whether the root `.gitignore` brings `dir` back by name
    /// (`!packages/node_modules`): the project commits it as source, so a pruned name
    /// does not prune it.
    fn committed(&self, dir: &Path) -> bool {
        self.rules(&self.root)[1].matched(dir, true).is_whitelist()
    }

    fn ignored(&self, path: &Path, is_dir: bool) -> bool {
        if let Some(parent) = path.parent() {
            for rules in self.chain(parent).iter().flat_map(|pair| pair.iter()) {
                match rules.matched(path, is_dir) {
                    ignore::Match::Ignore(_) => return true,
                    ignore::Match::Whitelist(_) => return false,
                    ignore::Match::None => {}
                }
            }
        }
        self.exclude.matched(path, is_dir).is_ignore()
    }
}

/// Bounds on what a scan may read.
#[derive(Clone, Copy, Debug)]
pub struct ScanLimits {
    /// Files the walk may list before it gives up.
    pub max_files: usize,
    /// Entries of any kind (folders, ignored files, links) the walk may look at
    /// before it gives up: with `max_files` and the byte limits, this bounds the
    /// time a scan takes on any tree (a million empty or ignored folders included).
    pub max_entries: usize,
    /// Largest manifest (go.mod, Cargo.toml, package.json ...) read.
    pub max_manifest_bytes: u64,
    /// Largest source file read; larger ones (usually generated) are skipped.
    pub max_source_bytes: u64,
    /// Largest lockfile read: a big application's package-lock.json or uv.lock runs
    /// to several megabytes.
    pub max_lockfile_bytes: u64,
}

impl Default for ScanLimits {
    fn default() -> Self {
        ScanLimits {
            max_files: 100_000,
            max_entries: 300_000,
            max_manifest_bytes: 1024 * 1024,
            max_source_bytes: 2 * 1024 * 1024,
            max_lockfile_bytes: 64 * 1024 * 1024,
        }
    }
}

/// What can go wrong while scanning.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("{path}: not a directory")]
    NotADirectory { path: PathBuf },
    #[error("{path}: cannot read: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{root}: more than {limit} files to scan")]
    TooManyFiles { root: PathBuf, limit: usize },
    #[error("{root}: more than {limit} files and folders to walk")]
    TooManyEntries { root: PathBuf, limit: usize },
    #[error("{path}: {size} bytes is larger than the {limit}-byte limit for a manifest")]
    ManifestTooLarge { path: String, size: u64, limit: u64 },
    #[error("{path}: not valid UTF-8")]
    NotUtf8 { path: String },
    #[error("{path}: points outside the project")]
    OutsideRoot { path: String },
}

impl ScanError {
    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            ScanError::NotADirectory { .. } => "pass the project's directory".into(),
            ScanError::TooManyFiles { .. } | ScanError::TooManyEntries { .. } => {
                "run docksmith in the project's own directory, or list generated and data \
                 folders in .gitignore or .dockerignore"
                    .into()
            }
            ScanError::ManifestTooLarge { .. } => {
                "a manifest this large is not hand-written; check that the file is the right one"
                    .into()
            }
            ScanError::NotUtf8 { .. } => "save the file as UTF-8".into(),
            ScanError::OutsideRoot { .. } => {
                "replace the symlink with the file itself, so it is part of the build context"
                    .into()
            }
            ScanError::Io { .. } => return None,
        })
    }
}

/// The project as detectors see it: a sorted list of files (relative, `/`-separated)
/// and a way to read them within bounds.
#[derive(Debug)]
pub struct ProjectView {
    root: PathBuf,
    files: BTreeSet<String>,
    pruned: BTreeSet<String>,
    limits: ScanLimits,
}

impl ProjectView {
    /// Walks `root` once.
    pub fn open(root: &Path, limits: ScanLimits) -> Result<Self, ScanError> {
        let io = |source| ScanError::Io {
            path: root.to_path_buf(),
            source,
        };
        let meta = fs::metadata(root).map_err(io)?;
        if !meta.is_dir() {
            return Err(ScanError::NotADirectory {
                path: root.to_path_buf(),
            });
        }
        let root = root.canonicalize().map_err(io)?;
        let mut view = ProjectView {
            root,
            files: BTreeSet::new(),
            pruned: BTreeSet::new(),
            limits,
        };
        view.walk()?;
        Ok(view)
    }

    fn walk(&mut self) -> Result<(), ScanError> {
        let context = Arc::new(self.dockerignore()?);
        let in_context = Arc::clone(&context);
        let root = self.root.clone();
        // The walker's filter must be `'static`, so pruned folders are noted through a
        // shared list and collected after the walk.
        let pruned = Arc::new(Mutex::new(Vec::<PathBuf>::new()));
        let noted = Arc::clone(&pruned);
        let ignore_files = IgnoreFiles::new(&self.root);
        let seen = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counted = Arc::clone(&seen);
        let max_entries = self.limits.max_entries;
        // The walker's own reading of ignore files is off: it would open a FIFO or a
        // /dev/zero link named .gitignore and never return. IgnoreFiles reads them
        // bounded instead.
        let walker = ignore::WalkBuilder::new(&self.root)
            .hidden(false)
            .follow_links(false)
            .parents(false)
            .ignore(false)
            .git_ignore(false)
            .git_exclude(false)
            .git_global(false)
            .sort_by_file_name(|a, b| a.cmp(b))
            .filter_entry(move |entry| {
                if entry.depth() == 0 {
                    return true;
                }
                // Past the limit nothing more is looked at; the walk then ends.
                if counted.fetch_add(1, std::sync::atomic::Ordering::Relaxed) >= max_entries {
                    return false;
                }
                let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                if ignore_files.ignored(entry.path(), is_dir) {
                    return false;
                }
                let name = entry.file_name().to_str().unwrap_or_default();
                if is_dir && PRUNED_DIRS.contains(&name) && !ignore_files.committed(entry.path()) {
                    if let Ok(mut list) = noted.lock() {
                        list.push(entry.path().to_path_buf());
                    }
                    return false;
                }
                // A folder the .dockerignore excludes is skipped whole, unless a `!` line
                // might bring something inside it back (files are checked one by one).
                let rel = entry.path().strip_prefix(&root).ok().and_then(Path::to_str);
                !(is_dir
                    && !in_context.has_exceptions()
                    && rel.is_some_and(|r| in_context.excludes(r)))
            })
            .build();
        for entry in walker {
            let Ok(entry) = entry else {
                // An unreadable entry is not part of what we can reason about.
                continue;
            };
            // A symlink counts as a file only when it resolves to one (a linked folder
            // is never followed).
            let is_file = entry.file_type().is_some_and(|t| {
                t.is_file()
                    || (t.is_symlink() && fs::metadata(entry.path()).is_ok_and(|m| m.is_file()))
            });
            if !is_file {
                continue;
            }
            let Some(rel) = self.relative(entry.path()) else {
                continue;
            };
            if context.excludes(&rel) {
                continue;
            }
            if self.files.len() >= self.limits.max_files {
                return Err(ScanError::TooManyFiles {
                    root: self.root.clone(),
                    limit: self.limits.max_files,
                });
            }
            self.files.insert(rel);
        }
        if seen.load(std::sync::atomic::Ordering::Relaxed) > self.limits.max_entries {
            return Err(ScanError::TooManyEntries {
                root: self.root.clone(),
                limit: self.limits.max_entries,
            });
        }
        let pruned = pruned.lock().map(|list| list.clone()).unwrap_or_default();
        for dir in pruned {
            if let Some(rel) = self.relative(&dir) {
                self.pruned.insert(rel);
            }
        }
        Ok(())
    }

    /// The rules of the root `.dockerignore`, if there is one.
    fn dockerignore(&self) -> Result<IgnoreRules, ScanError> {
        let path = self.root.join(".dockerignore");
        if !path.is_file() {
            return Ok(IgnoreRules::parse(""));
        }
        self.read_bounded(".dockerignore", self.limits.max_manifest_bytes)
            .map(|text| IgnoreRules::parse(&text))
    }

    /// `path` relative to the root with `/` separators; `None` when the name is not
    /// UTF-8: such a file can hold no fact docksmith could write into a Dockerfile.
    fn relative(&self, path: &Path) -> Option<String> {
        let rel = path.strip_prefix(&self.root).ok()?;
        rel.to_str().map(|s| s.replace('\\', "/"))
    }

    /// The canonical project root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Every file the walk saw, sorted, relative to the root.
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.files.iter().map(String::as_str)
    }

    /// Whether the walk saw this file.
    pub fn has_file(&self, rel: &str) -> bool {
        self.files.contains(rel)
    }

    /// Whether a pruned folder (vendor, node_modules ...) exists at `rel`.
    pub fn has_pruned_dir(&self, rel: &str) -> bool {
        self.pruned.contains(rel)
    }

    /// Reads a manifest the walk saw; `Ok(None)` when absent. Past the manifest limit
    /// this is an error: a manifest cannot be half-read.
    pub fn read_manifest(&self, rel: &str) -> Result<Option<String>, ScanError> {
        if !self.has_file(rel) {
            return Ok(None);
        }
        self.read_bounded(rel, self.limits.max_manifest_bytes)
            .map(Some)
    }

    /// Reads a lockfile the walk saw, under the larger lockfile bound; `Ok(None)` when
    /// absent.
    pub fn read_lockfile(&self, rel: &str) -> Result<Option<String>, ScanError> {
        if !self.has_file(rel) {
            return Ok(None);
        }
        self.read_bounded(rel, self.limits.max_lockfile_bytes)
            .map(Some)
    }

    /// Reads a source file the walk saw; `Ok(None)` when absent or larger than the
    /// source limit (large sources are generated code, not where facts live).
    pub fn read_source(&self, rel: &str) -> Result<Option<String>, ScanError> {
        if !self.has_file(rel) {
            return Ok(None);
        }
        match self.read_bounded(rel, self.limits.max_source_bytes) {
            Ok(text) => Ok(Some(text)),
            Err(ScanError::ManifestTooLarge { .. }) | Err(ScanError::NotUtf8 { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Reads a project configuration file whether or not the build context keeps it
    /// (a generated .dockerignore may leave out a file, such as rust-toolchain.toml,
    /// whose content still decides the build); `Ok(None)` when absent. Same bounds
    /// as a manifest, and never through a symlink out of the root.
    pub fn read_project_file(&self, rel: &str) -> Result<Option<String>, ScanError> {
        if rel.split('/').any(|p| p == ".." || p.is_empty()) {
            return Ok(None);
        }
        match fs::metadata(self.root.join(rel)) {
            Ok(meta) if meta.is_file() => self
                .read_bounded(rel, self.limits.max_manifest_bytes)
                .map(Some),
            _ => Ok(None),
        }
    }

    /// Reads one named file inside a pruned folder (such as `vendor/modules.txt`)
    /// without walking that folder.
    pub fn read_inside_pruned(&self, rel: &str) -> Result<Option<String>, ScanError> {
        let under_pruned = self.pruned.iter().any(|dir| {
            rel.strip_prefix(dir.as_str())
                .is_some_and(|r| r.starts_with('/'))
        });
        if !under_pruned || rel.split('/').any(|p| p == ".." || p.is_empty()) {
            return Ok(None);
        }
        let path = self.root.join(rel);
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_file() => self
                .read_bounded(rel, self.limits.max_manifest_bytes)
                .map(Some),
            _ => Ok(None),
        }
    }

    fn read_bounded(&self, rel: &str, limit: u64) -> Result<String, ScanError> {
        let path = self.root.join(rel);
        let io = |source| ScanError::Io {
            path: path.clone(),
            source,
        };
        // A symlink may point anywhere; only follow it when it stays inside the root.
        let real = path.canonicalize().map_err(io)?;
        if !real.starts_with(&self.root) {
            return Err(ScanError::OutsideRoot { path: rel.into() });
        }
        let bytes = match crate::bounded::read(&real, limit, crate::bounded::Links::Follow) {
            Ok(bytes) => bytes,
            Err(crate::bounded::ReadError::TooLarge { size, .. }) => {
                return Err(ScanError::ManifestTooLarge {
                    path: rel.into(),
                    size,
                    limit,
                });
            }
            Err(crate::bounded::ReadError::Io(e)) => return Err(io(e)),
            Err(e) => return Err(io(std::io::Error::other(e.to_string()))),
        };
        String::from_utf8(bytes).map_err(|_| ScanError::NotUtf8 { path: rel.into() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, text).unwrap();
        }
        dir
    }

    #[test]
    fn lists_files_but_not_inside_pruned_dirs() {
        let dir = tree(&[
            ("go.mod", "module x\n"),
            ("main.go", "package main\n"),
            ("vendor/modules.txt", "# x\n"),
            ("node_modules/a/index.js", ""),
            (".git/config", ""),
            ("sub/.env", "SECRET=1\n"),
        ]);
        let view = ProjectView::open(dir.path(), ScanLimits::default()).unwrap();
        let files: Vec<_> = view.files().collect();
        assert_eq!(files, ["go.mod", "main.go", "sub/.env"]);
        assert!(view.has_pruned_dir("vendor"));
        assert!(view.has_pruned_dir("node_modules"));
        assert_eq!(
            view.read_inside_pruned("vendor/modules.txt")
                .unwrap()
                .as_deref(),
            Some("# x\n")
        );
        assert_eq!(view.read_inside_pruned("vendor/../go.mod").unwrap(), None);
    }

    #[test]
    fn respects_gitignore_and_dockerignore_with_dockers_rules() {
        let dir = tree(&[
            (".gitignore", "build/\n"),
            (".dockerignore", "*.log\ndist\ndocs\n!docs/keep.md\n"),
            ("build/out", ""),
            ("app.log", ""),
            ("sub/app.log", ""),
            ("dist/app", ""),
            ("internal/dist/d.go", ""),
            ("docs/a.md", ""),
            ("docs/keep.md", ""),
            ("sub/.dockerignore", "*.go\n"),
            ("sub/x.go", ""),
            ("main.go", ""),
        ]);
        let view = ProjectView::open(dir.path(), ScanLimits::default()).unwrap();
        let files: Vec<_> = view.files().collect();
        // Docker anchors patterns at the root (`*.log` is not `sub/app.log`) and reads
        // only the root .dockerignore.
        assert_eq!(
            files,
            [
                ".dockerignore",
                ".gitignore",
                "docs/keep.md",
                "internal/dist/d.go",
                "main.go",
                "sub/.dockerignore",
                "sub/app.log",
                "sub/x.go"
            ]
        );
    }

    #[test]
    fn folders_and_ignored_files_count_toward_the_walk_limit() {
        // No file docksmith would list, yet a walk without a bound would visit all.
        let dir = tree(&[(".gitignore", "*.log\n")]);
        for i in 0..60 {
            fs::create_dir_all(dir.path().join(format!("empty/{i}"))).unwrap();
            fs::write(dir.path().join(format!("{i}.log")), "").unwrap();
        }
        let limits = ScanLimits {
            max_entries: 100,
            ..ScanLimits::default()
        };
        let err = ProjectView::open(dir.path(), limits).unwrap_err();
        assert!(
            matches!(err, ScanError::TooManyEntries { limit: 100, .. }),
            "{err}"
        );
        assert!(err.hint().is_some());
        let limits = ScanLimits {
            max_entries: 1_000,
            ..ScanLimits::default()
        };
        assert!(ProjectView::open(dir.path(), limits).is_ok());
    }

    #[test]
    fn too_many_files_is_an_error_with_a_hint() {
        let dir = tree(&[("a", ""), ("b", ""), ("c", "")]);
        let limits = ScanLimits {
            max_files: 2,
            ..ScanLimits::default()
        };
        let err = ProjectView::open(dir.path(), limits).unwrap_err();
        assert!(matches!(err, ScanError::TooManyFiles { limit: 2, .. }));
        assert!(err.hint().is_some());
    }

    #[test]
    fn manifest_past_the_limit_is_an_error_source_is_skipped() {
        let dir = tree(&[("go.mod", &"x".repeat(100)), ("big.go", &"y".repeat(100))]);
        let limits = ScanLimits {
            max_manifest_bytes: 10,
            max_source_bytes: 10,
            ..ScanLimits::default()
        };
        let view = ProjectView::open(dir.path(), limits).unwrap();
        assert!(matches!(
            view.read_manifest("go.mod"),
            Err(ScanError::ManifestTooLarge { size: 100, .. })
        ));
        assert_eq!(view.read_source("big.go").unwrap(), None);
    }

    #[test]
    fn lockfiles_have_their_own_larger_bound() {
        let dir = tree(&[("uv.lock", &"x".repeat(100))]);
        let limits = ScanLimits {
            max_manifest_bytes: 10,
            max_lockfile_bytes: 1000,
            ..ScanLimits::default()
        };
        let view = ProjectView::open(dir.path(), limits).unwrap();
        assert_eq!(view.read_lockfile("uv.lock").unwrap().unwrap().len(), 100);
        assert!(view.read_manifest("uv.lock").is_err());
        assert_eq!(view.read_lockfile("absent.lock").unwrap(), None);
    }

    #[cfg(unix)]
    #[test]
    fn never_reads_through_a_symlink_out_of_the_root() {
        let outside = tree(&[("secret", "s3cr3t")]);
        let dir = tree(&[("main.go", "")]);
        std::os::unix::fs::symlink(outside.path().join("secret"), dir.path().join("go.mod"))
            .unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("linked")).unwrap();
        let view = ProjectView::open(dir.path(), ScanLimits::default()).unwrap();
        assert!(matches!(
            view.read_manifest("go.mod"),
            Err(ScanError::OutsideRoot { .. })
        ));
        assert!(!view.files().any(|f| f.starts_with("linked/")));
    }

    #[test]
    fn project_files_are_read_even_when_the_context_leaves_them_out() {
        let dir = tree(&[
            (".dockerignore", "rust-toolchain.toml\n"),
            ("rust-toolchain.toml", "[toolchain]\n"),
        ]);
        let view = ProjectView::open(dir.path(), ScanLimits::default()).unwrap();
        assert!(!view.has_file("rust-toolchain.toml"));
        assert_eq!(
            view.read_project_file("rust-toolchain.toml")
                .unwrap()
                .as_deref(),
            Some("[toolchain]\n")
        );
        assert_eq!(view.read_project_file("missing").unwrap(), None);
        assert_eq!(view.read_project_file("../etc/passwd").unwrap(), None);
    }

    #[test]
    fn not_a_directory() {
        let dir = tree(&[("file", "")]);
        let err = ProjectView::open(&dir.path().join("file"), ScanLimits::default()).unwrap_err();
        assert!(matches!(err, ScanError::NotADirectory { .. }));
    }

    #[test]
    fn invalid_utf8_manifest_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("go.mod"), [0xff, 0xfe, 0x00]).unwrap();
        let view = ProjectView::open(dir.path(), ScanLimits::default()).unwrap();
        assert!(matches!(
            view.read_manifest("go.mod"),
            Err(ScanError::NotUtf8 { .. })
        ));
    }
}
