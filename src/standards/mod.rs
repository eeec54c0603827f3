//! Org standards: a platform team's pack of pins, mirrors and policies, applied to
//! every file docksmith writes for a project that selects it (the setting
//! `standards`, a folder holding `standards.toml`).
//!
//! The pack is data, never code: it sets defaults and enforced values for the same
//! keys docksmith.toml takes, narrows the flavors, rewrites and pins every image
//! reference and adds labels. Its identity (name, version, a hash of its content)
//! is recorded in docksmith.toml's `[generated]` table, so `check` notices when the
//! pack changed since the files were written.

mod apply;
pub mod comply;
mod file;
mod git;
pub mod image;
mod policy;
mod stages;
mod templates;
pub mod variables;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

pub use apply::apply;
pub use policy::{Certificate, LanguagePolicy, Secret};
pub use variables::Variable;

use crate::data::Flavor;
use crate::settings::Options;

/// The file a pack folder holds.
pub const PACK_FILE: &str = "standards.toml";

/// A loaded standards pack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pack {
    pub id: PackId,
    /// The file it was read from, for messages.
    pub file: PathBuf,
    /// Values a project may override.
    pub defaults: Options,
    /// Values a project may not override.
    pub enforced: Options,
    /// The flavors a project may use; empty allows all.
    pub allowed_flavors: Vec<Flavor>,
    /// Registry prefix rewrites, first match wins.
    pub mirrors: Vec<Mirror>,
    /// Qualified `name:tag` → digest.
    pub pins: BTreeMap<String, String>,
    /// Whether every image must end up with a digest.
    pub require_digest: bool,
    /// Labels added to the final image (replacing docksmith's of the same key).
    pub labels: BTreeMap<String, String>,
    /// Patterns added to every generated .dockerignore.
    pub dockerignore: Vec<String>,
    /// Replacements for docksmith's templates, from the pack's `templates/` folder.
    pub templates: crate::render::Overrides,
    /// CA certificates trusted in every build stage (`[ca] files`).
    pub ca: Vec<Certificate>,
    /// Whether the final image trusts them too (`[ca] runtime`).
    pub ca_runtime: bool,
    /// Build secrets the dependency steps mount.
    pub secrets: Vec<Secret>,
    /// Extra packages and build environment, by language name.
    pub languages: BTreeMap<String, LanguagePolicy>,
    /// Custom variables (`[[variables]]`), in the order the wizard asks them.
    pub variables: Vec<Variable>,
    /// The account's gid and name (`[user]`; its uid is an enforced setting).
    pub user: UserPolicy,
}

/// `[user]` beyond the uid.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserPolicy {
    pub gid: Option<u32>,
    pub name: Option<String>,
}

#[cfg(test)]
impl Pack {
    /// A pack named `acme` that mirrors Docker Hub's official images to
    /// `registry.acme.test/hub/` and pins `image` to `sha256:aaaa…`; nothing else.
    pub(crate) fn for_tests(image: &str) -> Pack {
        Pack {
            id: PackId {
                name: "acme".into(),
                version: None,
                hash: String::new(),
                commit: None,
            },
            file: "standards.toml".into(),
            defaults: Default::default(),
            enforced: Default::default(),
            allowed_flavors: Vec::new(),
            mirrors: vec![Mirror {
                from: "docker.io/library/".into(),
                to: "registry.acme.test/hub/".into(),
            }],
            pins: [(image.to_string(), format!("sha256:{}", "a".repeat(64)))].into(),
            require_digest: false,
            labels: Default::default(),
            dockerignore: Vec::new(),
            templates: Default::default(),
            ca: Vec::new(),
            ca_runtime: false,
            secrets: Vec::new(),
            languages: Default::default(),
            variables: Vec::new(),
            user: Default::default(),
        }
    }
}

/// What identifies a pack's content: recorded, compared by `check`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackId {
    pub name: String,
    pub version: Option<String>,
    /// `sha256:<hex>` over every file of the pack.
    pub hash: String,
    /// The commit a pack from git was extracted from.
    pub commit: Option<String>,
}

impl PackId {
    /// The same pack content (a new commit that changes nothing is no change).
    pub fn same_content(&self, other: &PackId) -> bool {
        self.name == other.name && self.version == other.version && self.hash == other.hash
    }
}

impl fmt::Display for PackId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "standards pack `{}`", self.name)?;
        if let Some(version) = &self.version {
            write!(f, " {version}")?;
        }
        Ok(())
    }
}

/// A registry prefix rewrite: `from` is matched against the fully qualified name
/// (`docker.io/library/`), `to` replaces it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mirror {
    pub from: String,
    pub to: String,
}

/// Why a pack could not be used, naming the file and key.
#[derive(Debug, thiserror::Error)]
pub enum StandardsError {
    #[error("{path}: cannot read the standards pack: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("{origin} sets `{key}`, but {pack} enforces {value} ({file})")]
    Enforced {
        origin: String,
        key: String,
        value: String,
        pack: String,
        file: PathBuf,
    },
    #[error("{origin} asks for the {flavor} flavor, but {pack} allows only {}", list(.allowed))]
    FlavorNotAllowed {
        origin: String,
        flavor: Flavor,
        pack: String,
        allowed: Vec<Flavor>,
    },
    #[error("{pack}: {message}")]
    Variable { pack: String, message: String },
    #[error("standards pack {origin}: {message}")]
    Git { origin: String, message: String },
    #[error("{origin} sets variables ({vars}), but no standards pack is in effect to use them")]
    VarsWithoutPack { origin: String, vars: String },
    #[error("{pack} requires a digest on every image, and `{image}` has none ({file})")]
    Unpinned {
        pack: String,
        image: String,
        file: PathBuf,
    },
}

fn list(flavors: &[Flavor]) -> String {
    let names: Vec<_> = flavors.iter().map(|f| f.to_string()).collect();
    names.join(", ")
}

impl StandardsError {
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            StandardsError::Read { .. } => {
                "the setting `standards` names a folder holding standards.toml; a relative path is read from the project's folder".into()
            }
            StandardsError::Invalid { .. } => {
                "the keys of standards.toml are listed in docksmith's README (Org standards)".into()
            }
            StandardsError::Enforced { key, .. } => format!(
                "remove `{key}` from where it is set: the platform team's pack decides it (ask them to move it to [defaults] if projects should choose)"
            ),
            StandardsError::FlavorNotAllowed { .. } => {
                "choose an allowed flavor with --flavor, or remove the setting to let docksmith pick one".into()
            }
            StandardsError::Variable { .. } => {
                "give a value with --var NAME=VALUE, DOCKSMITH_VARS=\"NAME=VALUE …\", `vars = { NAME = \"VALUE\" }` in docksmith.toml, or the wizard (`docksmith init`)".into()
            }
            StandardsError::Git { .. } => {
                "a pack from git is fetched with the system git into $XDG_CACHE_HOME/docksmith (else ~/.cache/docksmith) and used from there offline; check the URL, the tag or commit, and that git can reach the repository".into()
            }
            StandardsError::VarsWithoutPack { .. } => {
                "select the pack that declares them (--standards DIR, or `standards` in docksmith.toml), or remove them".into()
            }
            StandardsError::Unpinned { image, .. } => format!(
                "add `\"{image}\" = \"sha256:…\"` to [images.pins] in the pack (`docker buildx imagetools inspect {image}` shows the digest)"
            ),
        })
    }
}

/// Variables given while no pack is in effect are a mistake (a pack that was meant to
/// be selected, or a typo in the setting): said, not ignored.
pub fn refuse_vars_without_pack(
    vars: Option<&crate::settings::Setting<crate::settings::Vars>>,
) -> Result<(), StandardsError> {
    match vars.filter(|v| !v.value.0.is_empty()) {
        Some(vars) => Err(StandardsError::VarsWithoutPack {
            origin: vars.source.to_string(),
            vars: crate::settings::SettingValue::show(&vars.value),
        }),
        None => Ok(()),
    }
}

/// Loads the pack `source` names: a folder (a relative path is read from
/// `project_root`), or a git repository fetched into `cache` (docksmith's cache
/// folder; none when neither $XDG_CACHE_HOME nor $HOME is set).
pub fn load(
    project_root: &Path,
    source: &crate::settings::StandardsSource,
    cache: Option<&Path>,
) -> Result<Pack, StandardsError> {
    use crate::settings::StandardsSource;
    match source {
        StandardsSource::Folder(dir) => load_folder(project_root, dir),
        StandardsSource::Git { url, rev, floating } => {
            let cache = cache.ok_or_else(|| StandardsError::Git {
                origin: source.to_string(),
                message: "no cache folder: set XDG_CACHE_HOME or HOME".into(),
            })?;
            let fetched = git::fetch(url, rev, *floating, cache)?;
            // Messages name the pack's files as `<source>/standards.toml`.
            let mut pack = load_folder(&fetched.dir, ".")?;
            pack.file = Path::new(&format!("git+{url}#{rev}")).join(PACK_FILE);
            pack.id.commit = Some(fetched.commit);
            Ok(pack)
        }
    }
}

/// Loads the pack in the folder `dir` (relative paths are read from `project_root`).
fn load_folder(project_root: &Path, dir: &str) -> Result<Pack, StandardsError> {
    // Messages name the file as the setting does, relative to the project: the same
    // for every teammate, and what they would type.
    let shown = Path::new(dir).join(PACK_FILE);
    let text = file::read_capped(&project_root.join(&shown), &shown)?;
    let (mut pack, ca) = file::parse(&shown, &text)?;
    let ca_runtime = ca.runtime;
    let folder = project_root.join(dir);
    let templates = templates::load(&folder, Path::new(dir))?;
    let ca = policy::read_ca(&ca, &folder, Path::new(dir))?;
    let mut files = vec![(PACK_FILE.to_string(), text.as_str())];
    files.extend(
        templates
            .iter()
            .map(|(name, text)| (format!("{}{name}", templates::FOLDER), text.as_str())),
    );
    files.extend(
        ca.texts
            .iter()
            .map(|(name, text)| (name.clone(), text.as_str())),
    );
    pack.id.hash = content_hash(&files);
    pack.templates = crate::render::Overrides::new(templates);
    pack.ca = ca.certificates;
    pack.ca_runtime = ca_runtime;
    Ok(pack)
}

/// `sha256:<hex>` over each file's name and content, in the order given.
fn content_hash(files: &[(String, &str)]) -> String {
    let mut hasher = Sha256::new();
    for (name, text) in files {
        let bytes = text.as_bytes();
        hasher.update((name.len() as u64).to_le_bytes());
        hasher.update(name.as_bytes());
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    }
    let hex: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256:{hex}")
}
