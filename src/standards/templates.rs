//! A pack's `templates/` folder: replacements for docksmith's templates, by name.
//!
//! A pack's templates are untrusted input. Only regular files are read (no symbolic
//! links, no FIFOs), each and all together bounded in size, and only under names
//! docksmith has: a replacement cannot add an output file or reach a file outside
//! the pack.

use std::collections::BTreeMap;
use std::path::Path;

use super::StandardsError;
use super::file::read_file;
use crate::render::templates::is_builtin;

/// The folder inside a pack, with its separator.
pub const FOLDER: &str = "templates/";
const MAX_TEMPLATE_BYTES: u64 = 64 * 1024;
const MAX_TEMPLATES: usize = 64;
/// Template names are at most `dir/name.tera`.
const MAX_DEPTH: usize = 2;

/// The replacements in `<pack>/templates/`, by template name; none when the folder is
/// absent. `shown` is the pack folder as the setting names it, for messages.
pub fn load(pack: &Path, shown: &Path) -> Result<BTreeMap<String, String>, StandardsError> {
    let folder = pack.join(FOLDER);
    let mut found = BTreeMap::new();
    match std::fs::symlink_metadata(&folder) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(found),
        Err(source) => {
            return Err(StandardsError::Read {
                path: shown.join(FOLDER),
                source,
            });
        }
        Ok(meta) if !meta.is_dir() => {
            return Err(invalid(
                &shown.join(FOLDER),
                "is not a folder (a symbolic link or a file); a pack's templates live in the pack",
            ));
        }
        Ok(_) => {}
    }
    walk(&folder, shown, "", 0, &mut found)?;
    Ok(found)
}

fn invalid(path: &Path, message: &str) -> StandardsError {
    StandardsError::Invalid {
        path: path.to_path_buf(),
        message: message.to_string(),
    }
}

fn walk(
    dir: &Path,
    shown: &Path,
    prefix: &str,
    depth: usize,
    found: &mut BTreeMap<String, String>,
) -> Result<(), StandardsError> {
    let read = |source| StandardsError::Read {
        path: shown.join(FOLDER).join(prefix),
        source,
    };
    let mut entries = std::fs::read_dir(dir)
        .map_err(read)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(read)?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let Some(file_name) = entry.file_name().to_str().map(str::to_string) else {
            return Err(invalid(
                &shown.join(FOLDER).join(prefix),
                "holds a file whose name is not UTF-8",
            ));
        };
        let name = format!("{prefix}{file_name}");
        let shown_path = shown.join(FOLDER).join(&name);
        let kind = entry.file_type().map_err(read)?;
        if kind.is_symlink() {
            return Err(invalid(
                &shown_path,
                "is a symbolic link; a pack's templates must be files in the pack",
            ));
        }
        if kind.is_dir() {
            if depth + 1 >= MAX_DEPTH {
                return Err(invalid(
                    &shown_path,
                    "is nested deeper than any template name",
                ));
            }
            walk(&entry.path(), shown, &format!("{name}/"), depth + 1, found)?;
            continue;
        }
        // Notes beside the templates (a README) are the team's business.
        if !name.ends_with(".tera") {
            continue;
        }
        if !is_builtin(&name) {
            return Err(invalid(
                &shown_path,
                &format!(
                    "`{name}` is not one of docksmith's templates; `docksmith templates list` names them"
                ),
            ));
        }
        if found.len() == MAX_TEMPLATES {
            return Err(invalid(&shown_path, "one template too many"));
        }
        let text = read_file(
            &entry.path(),
            &shown_path,
            MAX_TEMPLATE_BYTES,
            "larger than 64 KiB; a template is a page",
        )?;
        found.insert(name, text);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack_with(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    #[test]
    fn reads_known_names_and_skips_notes() {
        let dir = pack_with(&[
            ("templates/partials/header.tera", "# ours\n"),
            ("templates/README.md", "notes"),
        ]);
        let found = load(dir.path(), Path::new("pack")).unwrap();
        assert_eq!(found.keys().collect::<Vec<_>>(), ["partials/header.tera"]);
    }

    #[test]
    fn no_folder_no_templates() {
        let dir = pack_with(&[]);
        assert!(load(dir.path(), Path::new("pack")).unwrap().is_empty());
    }

    #[test]
    fn refuses_unknown_names() {
        let dir = pack_with(&[("templates/go/Dockerfil.tera", "")]);
        let error = load(dir.path(), Path::new("pack")).unwrap_err().to_string();
        assert!(
            error.contains("pack/templates/go/Dockerfil.tera"),
            "{error}"
        );
        assert!(error.contains("templates list"), "{error}");
    }

    #[cfg(unix)]
    #[test]
    fn refuses_symbolic_links() {
        let dir = pack_with(&[]);
        std::fs::create_dir_all(dir.path().join("templates/partials")).unwrap();
        std::os::unix::fs::symlink(
            "/etc/passwd",
            dir.path().join("templates/partials/header.tera"),
        )
        .unwrap();
        let error = load(dir.path(), Path::new("pack")).unwrap_err().to_string();
        assert!(error.contains("symbolic link"), "{error}");
    }

    #[test]
    fn refuses_large_templates() {
        let big = "#".repeat(70 * 1024);
        let dir = pack_with(&[("templates/partials/header.tera", &big)]);
        let error = load(dir.path(), Path::new("pack")).unwrap_err().to_string();
        assert!(error.contains("64 KiB"), "{error}");
    }
}
