//! `standards.toml`: reading it, capped, and checking every key.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::image::{Reference, is_digest};
use super::policy::{self, CaEntry, LanguageEntry, SecretEntry};
use super::variables::{self, VariableEntry};
use super::{Mirror, Pack, PackId, StandardsError, UserPolicy};
use crate::data::Flavor;
use crate::settings::{Options, options_from_table};

/// A standards file is a page of keys, not a data dump.
const MAX_BYTES: u64 = 256 * 1024;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct File {
    pack: Meta,
    #[serde(default)]
    defaults: toml::Table,
    #[serde(default)]
    enforced: toml::Table,
    #[serde(default)]
    flavors: Flavors,
    #[serde(default)]
    images: Images,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    #[serde(default)]
    dockerignore: Dockerignore,
    #[serde(default)]
    ca: CaEntry,
    #[serde(default)]
    secrets: Vec<SecretEntry>,
    #[serde(default)]
    languages: BTreeMap<String, LanguageEntry>,
    #[serde(default)]
    variables: Vec<VariableEntry>,
    #[serde(default)]
    user: UserEntry,
}

/// `[user]`: the account the program runs as.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct UserEntry {
    uid: Option<u32>,
    gid: Option<u32>,
    name: Option<String>,
}

/// `[user]` checked: the uid becomes an enforced `user` setting; gid and name apply
/// where docksmith creates the account.
fn user_policy(entry: UserEntry, enforced: &mut Options) -> Result<UserPolicy, String> {
    for (key, id) in [("uid", entry.uid), ("gid", entry.gid)] {
        if id.is_some_and(|id| id == 0 || id > 65534) {
            return Err(format!("[user] {key}: 1 to 65534 (never root)"));
        }
    }
    if let Some(name) = &entry.name {
        let fine = name.len() <= 32
            && name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_-".contains(c));
        if !fine {
            return Err(format!(
                "[user] name `{}`: a login name (lower-case letters, digits, _ -; at most 32)",
                name.escape_debug()
            ));
        }
    }
    if let Some(uid) = entry.uid {
        match enforced.user {
            Some(user) if user != uid => {
                return Err(format!(
                    "[user] uid = {uid} and [enforced] user = {user} disagree"
                ));
            }
            _ => enforced.user = Some(uid),
        }
    }
    Ok(UserPolicy {
        gid: entry.gid,
        name: entry.name,
    })
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Dockerignore {
    /// Patterns added to every generated .dockerignore.
    #[serde(default)]
    exclude: Vec<String>,
}

/// Why a .dockerignore pattern from a pack cannot be used, if it cannot.
fn check_exclude(pattern: &str) -> Result<(), String> {
    let shown = pattern.escape_debug();
    if pattern.trim().is_empty() || pattern.len() > 256 {
        return Err(format!(
            "[dockerignore] exclude: `{shown}` must be 1 to 256 characters"
        ));
    }
    if pattern.chars().any(|c| c.is_control()) {
        return Err(format!(
            "[dockerignore] exclude: `{shown}` holds a control character"
        ));
    }
    // `!` re-includes: a pack may only leave more out (never put secrets back in).
    if pattern.starts_with('!') || pattern.starts_with('#') {
        return Err(format!(
            "[dockerignore] exclude: `{shown}` starts with `{}`; a pack can only add patterns that leave files out",
            &pattern[..1]
        ));
    }
    Ok(())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Meta {
    name: String,
    version: Option<String>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Flavors {
    #[serde(default)]
    allowed: Vec<Flavor>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Images {
    #[serde(default)]
    mirror: Vec<MirrorEntry>,
    #[serde(default)]
    pins: BTreeMap<String, String>,
    #[serde(default)]
    require_digest: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MirrorEntry {
    from: String,
    to: String,
}

/// Reads `path`, refusing a symbolic link (the pack may not point outside itself)
/// and anything larger than a standards file would be.
pub fn read_capped(path: &Path, shown: &Path) -> Result<String, StandardsError> {
    read_file(
        path,
        shown,
        MAX_BYTES,
        "larger than 256 KiB; a standards file is a page of keys",
    )
}

/// Reads a regular file of at most `max` bytes, never through a symbolic link.
pub fn read_file(
    path: &Path,
    shown: &Path,
    max: u64,
    too_large: &str,
) -> Result<String, StandardsError> {
    let read = |source| StandardsError::Read {
        path: shown.to_path_buf(),
        source,
    };
    let meta = std::fs::symlink_metadata(path).map_err(read)?;
    let invalid = |message: &str| StandardsError::Invalid {
        path: shown.to_path_buf(),
        message: message.to_string(),
    };
    if meta.file_type().is_symlink() {
        return Err(invalid(
            "is a symbolic link; a pack's files live in the pack",
        ));
    }
    // A FIFO or device would block or never end.
    if !meta.is_file() {
        return Err(invalid("is not a regular file"));
    }
    let bytes = match crate::bounded::read(path, max, crate::bounded::Links::Refuse) {
        Ok(bytes) => bytes,
        Err(crate::bounded::ReadError::Io(e)) => return Err(read(e)),
        Err(crate::bounded::ReadError::TooLarge { .. }) => return Err(invalid(too_large)),
        Err(e) => return Err(invalid(&e.to_string())),
    };
    String::from_utf8(bytes).map_err(|_| invalid("is not UTF-8 text"))
}

/// Parses and checks a standards file; the `[ca]` table comes back unread (its files
/// are read from the pack folder).
pub fn parse(path: &Path, text: &str) -> Result<(Pack, CaEntry), StandardsError> {
    let invalid = |message: String| StandardsError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    let tidy = |e: toml::de::Error| e.to_string().trim_end().replace('\n', "\n  ");
    let file: File = toml::from_str(text).map_err(|e| invalid(tidy(e)))?;
    check_name(&file.pack).map_err(invalid)?;
    let defaults = settings_table(path, "defaults", file.defaults)?;
    let mut enforced = settings_table(path, "enforced", file.enforced)?;
    let user = user_policy(file.user, &mut enforced).map_err(invalid)?;
    let mirrors = file
        .images
        .mirror
        .into_iter()
        .map(mirror)
        .collect::<Result<Vec<_>, _>>()
        .map_err(invalid)?;
    if file.dockerignore.exclude.len() > 200 {
        return Err(invalid(
            "[dockerignore] exclude: more than 200 patterns".into(),
        ));
    }
    for pattern in &file.dockerignore.exclude {
        check_exclude(pattern).map_err(invalid)?;
    }
    let mut pins = BTreeMap::new();
    for (image, digest) in file.images.pins {
        let reference = Reference::parse(&image)
            .filter(|r| r.digest.is_none())
            .ok_or_else(|| {
                invalid(format!(
                    "[images.pins]: `{}` is not an image reference like name:tag",
                    image.escape_debug()
                ))
            })?;
        if !is_digest(&digest) {
            return Err(invalid(format!(
                "[images.pins] `{image}`: `{}` is not a digest (sha256: and 64 hex digits)",
                digest.escape_debug()
            )));
        }
        pins.insert(reference.tagged(), digest);
    }
    let allowed = &file.flavors.allowed;
    for (table, options) in [("defaults", &defaults), ("enforced", &enforced)] {
        if let Some(flavor) = options
            .flavor
            .filter(|f| !allowed.is_empty() && !allowed.contains(f))
        {
            return Err(invalid(format!(
                "[{table}] flavor = \"{flavor}\" is not among [flavors] allowed"
            )));
        }
    }
    for (key, value) in &file.labels {
        check_label(key, value).map_err(invalid)?;
    }
    let declared = variables::declared(file.variables).map_err(invalid)?;
    variables::check_placeholders(&file.labels, &declared).map_err(invalid)?;
    let secrets = policy::secrets(file.secrets).map_err(invalid)?;
    let languages = policy::languages(file.languages).map_err(invalid)?;
    let pack = Pack {
        id: PackId {
            name: file.pack.name,
            version: file.pack.version,
            hash: String::new(),
            commit: None,
        },
        file: path.to_path_buf(),
        defaults,
        enforced,
        allowed_flavors: file.flavors.allowed,
        mirrors,
        pins,
        require_digest: file.images.require_digest,
        labels: file.labels,
        dockerignore: file.dockerignore.exclude,
        templates: Default::default(),
        ca: Vec::new(),
        ca_runtime: false,
        secrets,
        languages,
        variables: declared,
        user,
    };
    Ok((pack, file.ca))
}

/// A name a pack gives (its name and version, a secret's id): 1 to 64 letters,
/// digits and `. _ -`.
pub(super) fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
}

fn check_name(meta: &Meta) -> Result<(), String> {
    let fine = is_name;
    if !fine(&meta.name) {
        return Err(format!(
            "[pack] name `{}`: use letters, digits, . _ - (at most 64)",
            meta.name.escape_debug()
        ));
    }
    match &meta.version {
        Some(version) if !fine(version) => Err(format!(
            "[pack] version `{}`: use letters, digits, . _ - (at most 64)",
            version.escape_debug()
        )),
        _ => Ok(()),
    }
}

/// `[defaults]` or `[enforced]`: the keys docksmith.toml takes, but never the pack
/// itself (a pack does not choose another pack).
fn settings_table(path: &Path, table: &str, keys: toml::Table) -> Result<Options, StandardsError> {
    if keys.contains_key("standards") {
        return Err(StandardsError::Invalid {
            path: path.to_path_buf(),
            message: format!("[{table}]: `standards` cannot be set by a pack"),
        });
    }
    options_from_table(keys).map_err(|message| StandardsError::Invalid {
        path: path.to_path_buf(),
        message: format!("[{table}]: {message}"),
    })
}

/// A mirror rewrites a registry prefix: both ends are `registry/path/` prefixes.
fn mirror(entry: MirrorEntry) -> Result<Mirror, String> {
    for (what, prefix) in [("from", &entry.from), ("to", &entry.to)] {
        let probe = format!("{prefix}x");
        let qualified = Reference::parse(&probe).is_some_and(|r| r.name == probe);
        if !prefix.ends_with('/') || !qualified {
            return Err(format!(
                "[[images.mirror]] {what} = `{}`: expected a registry prefix ending in / (docker.io/library/, registry.corp/mirror/)",
                prefix.escape_debug()
            ));
        }
    }
    Ok(Mirror {
        from: entry.from,
        to: entry.to,
    })
}

/// OCI label keys are reverse-DNS words; values are one line.
fn check_label(key: &str, value: &str) -> Result<(), String> {
    let key_fine = !key.is_empty()
        && key.len() <= 128
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
    if !key_fine {
        return Err(format!(
            "[labels] `{}`: a label key is lower-case letters, digits and . _ - (org.opencontainers.image.vendor)",
            key.escape_debug()
        ));
    }
    if value.chars().any(char::is_control) || value.len() > 1024 {
        return Err(format!(
            "[labels] `{key}`: the value must be one line of at most 1024 bytes"
        ));
    }
    Ok(())
}
