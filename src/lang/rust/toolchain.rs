//! Reads the toolchain a project pins: `rust-toolchain.toml`, or the older
//! `rust-toolchain` file (TOML, or a bare channel name).

use serde::Serialize;

use super::manifest::parse_toml;
use crate::detect::{DetectError, Evidence, Fact};
use crate::scan::ProjectView;

/// A pinned toolchain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum Channel {
    /// A release: "1.95.0" or "1.95".
    Release(String),
    /// `stable`: whatever is current.
    Stable,
    /// `beta`, `nightly` or a dated nightly: not a release image.
    Other(String),
}

/// The pinned channel and the file that pins it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Pin {
    pub channel: Channel,
    pub file: String,
}

/// The toolchain file's pin, if there is a file.
pub fn read(view: &ProjectView) -> Result<Option<Fact<Pin>>, DetectError> {
    for file in ["rust-toolchain.toml", "rust-toolchain"] {
        // Read even when the build context leaves it out (the generated .dockerignore
        // does, for a pinned release): it still decides the builder image.
        let Some(text) = view.read_project_file(file)? else {
            continue;
        };
        let bare = text.trim();
        let (channel, line) =
            if file == "rust-toolchain" && !bare.contains('=') && !bare.starts_with('[') {
                (bare.to_string(), 1)
            } else {
                let table = parse_toml(file, &text)?;
                let channel = table
                    .get("toolchain")
                    .and_then(|t| t.get("channel"))
                    .and_then(|c| c.as_str())
                    .ok_or_else(|| DetectError::Invalid {
                        file: file.into(),
                        message: "no [toolchain] channel".into(),
                        hint: format!("add `channel = \"1.85.0\"` under [toolchain] in {file}"),
                    })?;
                let line = text
                    .lines()
                    .position(|l| l.trim_start().starts_with("channel"))
                    .map_or(1, |i| i + 1);
                (channel.to_string(), line)
            };
        return Ok(Some(Fact::new(
            Pin {
                channel: classify(&channel),
                file: file.into(),
            },
            Evidence::at(
                file,
                line,
                format!("channel \"{}\"", channel.escape_debug()),
            ),
        )));
    }
    Ok(None)
}

/// "1.95.0", "1.95" and "1.95.0-x86_64-unknown-linux-gnu" are releases.
fn classify(channel: &str) -> Channel {
    let version = channel.split('-').next().unwrap_or(channel);
    let numeric = version.split('.').count() >= 2
        && version
            .split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    match channel {
        "stable" => Channel::Stable,
        _ if numeric => Channel::Release(version.to_string()),
        other => Channel::Other(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channels() {
        assert_eq!(classify("1.95.0"), Channel::Release("1.95.0".into()));
        assert_eq!(classify("1.95"), Channel::Release("1.95".into()));
        assert_eq!(
            classify("1.95.0-x86_64-unknown-linux-gnu"),
            Channel::Release("1.95.0".into())
        );
        assert_eq!(classify("stable"), Channel::Stable);
        assert_eq!(
            classify("nightly-2025-01-01"),
            Channel::Other("nightly-2025-01-01".into())
        );
        assert_eq!(classify("1.x"), Channel::Other("1.x".into()));
    }
}
