//! The build-stage policy of a pack: CA certificates to trust while building, build
//! secrets the dependency steps mount, and per language extra packages and build
//! environment. None of it reaches the final image unless a key says so.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::StandardsError;
use crate::lang::Language;
use crate::settings::is_package_name;

/// One certificate file may be a bundle; all of them together are written into one
/// RUN step, which the kernel caps at 128 KiB.
const MAX_CA_BYTES: u64 = 96 * 1024;

/// `[ca]`: PEM files in the pack, trusted in every build stage.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CaEntry {
    #[serde(default)]
    files: Vec<String>,
    /// Trust them in the final image too (the program talks to internal services).
    #[serde(default)]
    pub runtime: bool,
}

/// `[[secrets]]`: a BuildKit secret the dependency steps mount.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SecretEntry {
    id: String,
    target: String,
    #[serde(default)]
    languages: Vec<String>,
    #[serde(default)]
    required: bool,
}

/// `[languages.<name>]`.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct LanguageEntry {
    #[serde(default)]
    build_env: BTreeMap<String, String>,
    #[serde(default)]
    build_packages: Vec<String>,
    #[serde(default)]
    runtime_packages: Vec<String>,
}

/// A CA certificate: the base64 lines between its BEGIN and END markers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Certificate {
    pub base64: Vec<String>,
}

/// A build secret mounted as a file into every step that downloads dependencies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Secret {
    pub id: String,
    pub target: String,
    /// The languages whose builds mount it; empty means all.
    pub languages: Vec<String>,
    pub required: bool,
}

/// What a pack adds to one language's build.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LanguagePolicy {
    pub build_env: Vec<(String, String)>,
    pub build_packages: Vec<String>,
    pub runtime_packages: Vec<String>,
}

/// The certificates of `[ca] files`, and each file's name and text (for the hash).
pub(super) struct CaFiles {
    pub certificates: Vec<Certificate>,
    pub texts: Vec<(String, String)>,
}

/// The CA files `[ca] files` names, read from the pack folder `dir` (messages name
/// them under `shown`).
pub(super) fn read_ca(
    entry: &CaEntry,
    dir: &Path,
    shown: &Path,
) -> Result<CaFiles, StandardsError> {
    let invalid = |message: String| StandardsError::Invalid {
        path: shown.join(super::PACK_FILE),
        message,
    };
    let mut certificates = Vec::new();
    let mut texts = Vec::new();
    let mut total = 0;
    for name in &entry.files {
        if !relative_inside(name) {
            return Err(invalid(format!(
                "[ca] files: `{}` must be a relative path inside the pack, without ..",
                name.escape_debug()
            )));
        }
        let text = super::file::read_file(
            &dir.join(name),
            &shown.join(name),
            MAX_CA_BYTES,
            "larger than 96 KiB; CA certificates are a few KiB each",
        )?;
        total += text.len() as u64;
        if total > MAX_CA_BYTES {
            return Err(invalid(
                "[ca] files: more than 96 KiB of certificates in all".into(),
            ));
        }
        let found = pem_certificates(&text).map_err(|message| StandardsError::Invalid {
            path: shown.join(name),
            message,
        })?;
        certificates.extend(found);
        texts.push((name.clone(), text));
    }
    Ok(CaFiles {
        certificates,
        texts,
    })
}

fn relative_inside(name: &str) -> bool {
    let path = Path::new(name);
    !name.is_empty()
        && path.is_relative()
        && path
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

/// The certificates of a PEM file. Text around the blocks (a bundle's comments) is
/// dropped; inside a block only base64 is accepted, so nothing but certificate data
/// is ever written into a Dockerfile.
fn pem_certificates(text: &str) -> Result<Vec<Certificate>, String> {
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    const END: &str = "-----END CERTIFICATE-----";
    let mut found = Vec::new();
    let mut current: Option<Vec<String>> = None;
    for (index, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r').trim();
        match (&mut current, line) {
            (None, BEGIN) => current = Some(Vec::new()),
            (None, _) => {}
            (Some(lines), END) => {
                if lines.is_empty() {
                    return Err(format!("line {}: an empty certificate", index + 1));
                }
                found.push(Certificate {
                    base64: std::mem::take(lines),
                });
                current = None;
            }
            (Some(lines), _) => {
                let base64 = !line.is_empty()
                    && line.len() <= 128
                    && line
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "+/=".contains(c));
                if !base64 {
                    return Err(format!(
                        "line {}: not base64 inside a certificate",
                        index + 1
                    ));
                }
                lines.push(line.to_string());
            }
        }
    }
    if current.is_some() {
        return Err(format!("`{BEGIN}` without `{END}`"));
    }
    if found.is_empty() {
        return Err(format!("no certificate (`{BEGIN}`) in the file"));
    }
    Ok(found)
}

pub(super) fn secrets(entries: Vec<SecretEntry>) -> Result<Vec<Secret>, String> {
    let mut secrets: Vec<Secret> = Vec::new();
    for entry in entries {
        if !super::file::is_name(&entry.id) {
            return Err(format!(
                "[[secrets]] id `{}`: use letters, digits, . _ - (at most 64)",
                entry.id.escape_debug()
            ));
        }
        if secrets.iter().any(|s| s.id == entry.id) {
            return Err(format!("[[secrets]] id `{}` is listed twice", entry.id));
        }
        if !mount_path(&entry.target) {
            return Err(format!(
                "[[secrets]] `{}`: target `{}` must be an absolute path of letters, digits and . _ - / (it goes into a --mount option list)",
                entry.id,
                entry.target.escape_debug()
            ));
        }
        check_languages(&entry.languages)
            .map_err(|name| format!("[[secrets]] `{}`: {name}", entry.id))?;
        secrets.push(Secret {
            id: entry.id,
            target: entry.target,
            languages: entry.languages,
            required: entry.required,
        });
    }
    Ok(secrets)
}

/// An absolute path that is safe inside `--mount=…,target=<path>`: no `,` `=` `"`
/// or spaces, which would start another option.
fn mount_path(path: &str) -> bool {
    path.len() > 1
        && path.len() <= 256
        && path.starts_with('/')
        && !path.split('/').any(|part| part == "..")
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c))
}

fn check_languages(names: &[String]) -> Result<(), String> {
    match names
        .iter()
        .find(|name| !Language::ALL.iter().any(|l| l.name() == name.as_str()))
    {
        Some(name) => Err(format!(
            "`{}` is not a language docksmith builds ({})",
            name.escape_debug(),
            Language::ALL
                .iter()
                .map(|l| l.name())
                .collect::<Vec<_>>()
                .join(", ")
        )),
        None => Ok(()),
    }
}

pub(super) fn languages(
    entries: BTreeMap<String, LanguageEntry>,
) -> Result<BTreeMap<String, LanguagePolicy>, String> {
    let mut policies = BTreeMap::new();
    for (name, entry) in entries {
        check_languages(std::slice::from_ref(&name)).map_err(|e| format!("[languages]: {e}"))?;
        let table = format!("[languages.{name}]");
        for (var, value) in &entry.build_env {
            check_env(var, value).map_err(|e| format!("{table} build-env: {e}"))?;
        }
        for (key, packages) in [
            ("build-packages", &entry.build_packages),
            ("runtime-packages", &entry.runtime_packages),
        ] {
            if let Some(bad) = packages.iter().find(|p| !is_package_name(p)) {
                return Err(format!(
                    "{table} {key}: `{}` is not a package name (lower-case letters, digits, . + - and an optional =version)",
                    bad.escape_debug()
                ));
            }
        }
        policies.insert(
            name,
            LanguagePolicy {
                build_env: entry.build_env.into_iter().collect(),
                build_packages: entry.build_packages,
                runtime_packages: entry.runtime_packages,
            },
        );
    }
    Ok(policies)
}

fn check_env(name: &str, value: &str) -> Result<(), String> {
    let name_fine = name.len() <= 128
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !name_fine {
        return Err(format!(
            "`{}` is not an environment variable name",
            name.escape_debug()
        ));
    }
    // ENV stays in every later layer and the image's history.
    if super::comply::is_secret_name(name) {
        return Err(format!(
            "`{name}` looks like a credential; pass it as a build secret ([[secrets]]), never as ENV"
        ));
    }
    if value.chars().any(char::is_control) || value.len() > 1024 {
        return Err(format!(
            "`{name}`: the value must be one line of at most 1024 bytes"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const CERT: &str = "# ACME root\n-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\nQUNNRQ==\n-----END CERTIFICATE-----\n";

    #[test]
    fn a_bundle_gives_its_certificates_and_drops_the_text_around_them() {
        let twice = format!("{CERT}{CERT}");
        let found = pem_certificates(&twice).unwrap();
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].base64, ["MIIBszCCAVmgAwIBAgIU", "QUNNRQ=="]);
    }

    #[test]
    fn anything_but_base64_inside_a_certificate_is_refused() {
        for bad in [
            "-----BEGIN CERTIFICATE-----\nMIIB'; rm -rf /\n-----END CERTIFICATE-----\n",
            "-----BEGIN CERTIFICATE-----\nMIIB\n",
            "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n",
            "just text\n",
            "-----BEGIN CERTIFICATE-----\nMIIB\x1b[2J\n-----END CERTIFICATE-----\n",
        ] {
            assert!(pem_certificates(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn secret_targets_cannot_break_out_of_the_mount_option_list() {
        let entry = |target: &str| SecretEntry {
            id: "npmrc".into(),
            target: target.into(),
            languages: vec!["node".into()],
            required: false,
        };
        assert!(secrets(vec![entry("/root/.npmrc")]).is_ok());
        for bad in [
            "root/.npmrc",
            "/root/.npmrc,from=evil",
            "/a=b",
            "/a b",
            "/",
            "/root/../etc/passwd",
        ] {
            assert!(secrets(vec![entry(bad)]).is_err(), "{bad}");
        }
        let mut unknown = entry("/root/.npmrc");
        unknown.languages = vec!["cobol".into()];
        assert!(
            secrets(vec![unknown])
                .unwrap_err()
                .contains("not a language")
        );
    }

    #[test]
    fn credentials_are_refused_as_build_environment() {
        assert!(check_env("GOPRIVATE", "git.acme.test/*").is_ok());
        for name in ["NPM_TOKEN", "PIP_PASSWORD", "my_api_key", "NPM_AUTH"] {
            let err = check_env(name, "x").unwrap_err();
            assert!(err.contains("[[secrets]]"), "{err}");
        }
        assert!(check_env("1X", "x").is_err());
        assert!(check_env("X", "a\nRUN evil").is_err());
    }
}
