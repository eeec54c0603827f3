//! Facts about the project that no language owns: where its source lives, and the
//! manifests of ecosystems docksmith does not build.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::detect::{Evidence, Fact};
use crate::scan::{ProjectView, ScanError};

#[derive(Clone, Debug, Default, Serialize)]
pub struct ProjectFacts {
    /// The repository's public URL (from the `origin` remote, credentials removed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_url: Option<Fact<String>>,
    /// Root manifests of ecosystems docksmith does not build (`Gemfile`: Ruby), named
    /// when nothing supported is found.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unsupported: Vec<Fact<String>>,
}

/// One entry of detectors/unsupported.toml.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ForeignManifest {
    file: Option<String>,
    suffix: Option<String>,
    ecosystem: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ForeignData {
    manifest: Vec<ForeignManifest>,
}

static FOREIGN: LazyLock<ForeignData> = LazyLock::new(|| {
    toml::from_str(include_str!("../../detectors/unsupported.toml"))
        .expect("detectors/unsupported.toml is valid (tested)")
});

/// Reads `.git/config` (never runs git) for the repository URL, and notes the root
/// manifests of unsupported ecosystems.
pub fn detect(view: &ProjectView) -> Result<ProjectFacts, ScanError> {
    let unsupported = unsupported(view);
    let text = match view.read_inside_pruned(".git/config") {
        Ok(Some(text)) => text,
        // A broken or unreadable .git is not worth failing over: the label is optional.
        Ok(None) | Err(_) => {
            return Ok(ProjectFacts {
                source_url: None,
                unsupported,
            });
        }
    };
    Ok(ProjectFacts {
        source_url: origin_url(&text),
        unsupported,
    })
}

/// The ecosystem of each root file detectors/unsupported.toml names.
fn unsupported(view: &ProjectView) -> Vec<Fact<String>> {
    view.files()
        // Root files only; a name with control characters is never echoed.
        .filter(|f| !f.contains('/') && !f.chars().any(char::is_control))
        .filter_map(|file| {
            let entry = FOREIGN.manifest.iter().find(|m| {
                m.file.as_deref() == Some(file)
                    || m.suffix.as_deref().is_some_and(|s| file.ends_with(s))
            })?;
            Some(Fact::new(
                entry.ecosystem.clone(),
                Evidence::file(file, format!("{} manifest", entry.ecosystem)),
            ))
        })
        .collect()
}

fn origin_url(config: &str) -> Option<Fact<String>> {
    let mut section = String::new();
    let mut first: Option<Fact<String>> = None;
    for (index, line) in config.lines().enumerate() {
        let line = line.trim();
        if line.starts_with('[') {
            section = line.to_string();
            continue;
        }
        let Some(url) = line
            .strip_prefix("url")
            .map(str::trim_start)
            .and_then(|r| r.strip_prefix('='))
        else {
            continue;
        };
        if !section.starts_with("[remote ") {
            continue;
        }
        let Some(url) = public_url(url.trim()) else {
            continue;
        };
        let fact = Fact::new(
            url,
            Evidence::at(".git/config", index + 1, format!("{section} url")),
        );
        if section == "[remote \"origin\"]" {
            return Some(fact);
        }
        first.get_or_insert(fact);
    }
    first
}

/// `git@github.com:o/r.git` and `https://user:token@github.com/o/r.git` both become
/// `https://github.com/o/r`: a label must never carry credentials.
pub fn public_url(url: &str) -> Option<String> {
    let url = url.trim_matches('"');
    let (host, path) = if let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    {
        let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
        rest.split_once('/')?
    } else if let Some(rest) = url.strip_prefix("ssh://") {
        let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
        let (host, path) = rest.split_once('/')?;
        (host.split(':').next()?, path)
    } else if let Some((user_host, path)) = url.split_once(':') {
        if user_host.contains('/') {
            return None;
        }
        (
            user_host.rsplit_once('@').map_or(user_host, |(_, h)| h),
            path,
        )
    } else {
        return None;
    };
    let path = path.trim_end_matches('/').trim_end_matches(".git");
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-:".contains(c));
    let path_ok = !path.is_empty()
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-/~".contains(c));
    (host_ok && path_ok).then(|| format!("https://{host}/{path}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unsupported_manifests_data_parses_and_each_entry_names_a_file() {
        for m in &FOREIGN.manifest {
            assert!(m.file.is_some() != m.suffix.is_some(), "{m:?}");
        }
    }

    #[test]
    fn urls_lose_credentials_and_become_https() {
        assert_eq!(
            public_url("git@github.com:acme/shop.git").unwrap(),
            "https://github.com/acme/shop"
        );
        assert_eq!(
            public_url("https://bot:ghp_secret@github.com/acme/shop.git").unwrap(),
            "https://github.com/acme/shop"
        );
        assert_eq!(
            public_url("ssh://git@gitlab.com:22/a/b.git").unwrap(),
            "https://gitlab.com/a/b"
        );
        assert_eq!(public_url("/srv/git/repo.git"), None);
        assert_eq!(public_url("https://github.com/a/b\"; RUN x"), None);
    }

    #[test]
    fn prefers_origin() {
        let config = "[core]\n\tbare = false\n[remote \"upstream\"]\n\turl = https://github.com/up/x\n[remote \"origin\"]\n\turl = git@github.com:me/x.git\n";
        let fact = origin_url(config).unwrap();
        assert_eq!(fact.value, "https://github.com/me/x");
        assert_eq!(fact.evidence.location(), ".git/config:6");
    }
}
