//! The declarative tables in `detectors/*.toml`, embedded at compile time.
//!
//! They are data, not input: a table that fails to parse is a bug in docksmith, caught
//! by this module's tests before any release, so loading it may panic.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;

/// A runtime flavor: what the final image is built on.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Flavor {
    Scratch,
    Distroless,
    Slim,
    Alpine,
}

impl Flavor {
    pub const ALL: [Flavor; 4] = [
        Flavor::Scratch,
        Flavor::Distroless,
        Flavor::Slim,
        Flavor::Alpine,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Flavor::Scratch => "scratch",
            Flavor::Distroless => "distroless",
            Flavor::Slim => "slim",
            Flavor::Alpine => "alpine",
        }
    }
}

impl std::fmt::Display for Flavor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Flavor {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Flavor::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| {
                format!("unknown flavor `{s}` (expected scratch, distroless, slim or alpine)")
            })
    }
}

/// A C library family: the builder and runtime must share one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Libc {
    Glibc,
    Musl,
}

impl Libc {
    /// The package manager of the distribution that builds against this C library
    /// (Debian for glibc, Alpine for musl).
    pub fn installer(self) -> Installer {
        match self {
            Libc::Glibc => Installer::Apt,
            Libc::Musl => Installer::Apk,
        }
    }
}

/// How the non-root user comes to exist in the runtime image.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum UserSetup {
    Builtin,
    PasswdFromBuilder,
    Useradd,
    Adduser,
}

/// Where CA certificates or time zone data come from in the runtime image.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Provision {
    /// The image already has them.
    Image,
    /// Copied from the builder stage.
    Builder,
    /// Installed with the image's package manager.
    Install,
}

/// A package manager a runtime image can install libraries with.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Installer {
    Apt,
    Apk,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageMatrix {
    pub user: UserSpec,
    pub flavors: BTreeMap<Flavor, FlavorSpec>,
    pub runtime: Vec<RuntimeImage>,
    pub packages: BTreeMap<Installer, BTreeMap<String, String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserSpec {
    pub name: String,
    pub uid: u32,
    pub gid: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlavorSpec {
    pub summary: String,
}

/// How a language chooses flavors: which it picks on its own (in order), which it
/// builds against musl, and why the rest are only used on request.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlavorPolicy {
    pub automatic: Vec<Flavor>,
    pub musl: Vec<Flavor>,
    pub on_request: BTreeMap<Flavor, String>,
    /// Flavors the language cannot use at all, and why.
    #[serde(default)]
    pub unsupported: BTreeMap<Flavor, String>,
}

impl FlavorPolicy {
    /// The C library a build for `flavor` targets.
    pub fn libc(&self, flavor: Flavor) -> Libc {
        if self.musl.contains(&flavor) {
            Libc::Musl
        } else {
            Libc::Glibc
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuntimeImage {
    /// The language runtime the image carries (`node`); `None` for images that run a
    /// compiled binary.
    pub language: Option<String>,
    pub flavor: Flavor,
    /// May hold `{node}`: the runtime's major version.
    pub image: String,
    /// The image's C library; `None` when it has none (static binaries only).
    pub libc: Option<Libc>,
    pub provides: Vec<String>,
    pub install: Option<Installer>,
    pub user: UserSetup,
    /// The image's own user, when it is not docksmith's (`node`, uid 1000).
    pub user_name: Option<String>,
    pub uid: Option<u32>,
    pub gid: Option<u32>,
    pub certificates: Provision,
    pub timezones: Provision,
}

impl ImageMatrix {
    /// The package that supplies `need` (a library, "certificates", "timezones").
    pub fn package_for(&self, installer: Installer, need: &str) -> Option<&str> {
        self.packages.get(&installer)?.get(need).map(String::as_str)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortData {
    pub listen_words: String,
    pub env_read: String,
    pub addresses: Vec<String>,
    pub flag_defaults: Vec<String>,
    /// `PORT` defaults written without quotes (named group `port`).
    #[serde(default)]
    pub env_defaults: Vec<String>,
    /// Defaults that span lines, matched against a whole file (named group `port`):
    /// an option attribute above the field it sets.
    #[serde(default)]
    pub text_defaults: Vec<String>,
    /// A line about dialling out (or a TLS listener beside the plain one): its
    /// addresses are never the port the program serves on.
    #[serde(default)]
    pub not_listen_words: Option<String>,
    /// The line where a file's test code starts: nothing below it is scanned.
    #[serde(default)]
    pub tests_start: Option<String>,
    /// Command definitions (named group `name`): a port below one belongs to that
    /// command, and only a subcommand's run opens it.
    #[serde(default)]
    pub commands: Vec<String>,
    /// Definitions that are commands only where the same file dispatches their name
    /// (`dispatch`, named group `name`).
    #[serde(default)]
    pub dispatched_commands: Vec<String>,
    #[serde(default)]
    pub dispatch: Option<String>,
    pub any_hosts: Vec<String>,
    pub loopback_hosts: Vec<String>,
}

impl PortData {
    /// Every pattern of the rules, for the tests that check them all.
    pub fn patterns(&self) -> impl Iterator<Item = &str> {
        [&self.listen_words, &self.env_read]
            .into_iter()
            .chain(&self.addresses)
            .chain(&self.flag_defaults)
            .chain(&self.env_defaults)
            .chain(&self.text_defaults)
            .chain(&self.not_listen_words)
            .chain(&self.tests_start)
            .chain(&self.commands)
            .chain(&self.dispatched_commands)
            .chain(&self.dispatch)
            .map(String::as_str)
    }
}

/// A tool whose only setting is the cache directory it downloads into.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CachedTool {
    pub cache: String,
}

static IMAGES: LazyLock<ImageMatrix> = LazyLock::new(|| {
    toml::from_str(include_str!("../detectors/images.toml"))
        .expect("detectors/images.toml is valid (tested)")
});

/// The base image matrix.
pub fn images() -> &'static ImageMatrix {
    &IMAGES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_parse_and_hold_together() {
        let images = images();
        for flavor in Flavor::ALL {
            assert!(
                images.flavors.contains_key(&flavor),
                "{flavor} has no summary"
            );
            assert!(
                images.runtime.iter().any(|r| r.flavor == flavor),
                "{flavor} has no runtime image"
            );
        }
        for runtime in &images.runtime {
            if let Some(installer) = runtime.install {
                for need in ["libssl", "libgcc", "libstdc++", "zlib"] {
                    assert!(images.package_for(installer, need).is_some());
                }
            }
        }
    }

    #[test]
    fn flavor_round_trips() {
        for flavor in Flavor::ALL {
            assert_eq!(flavor.as_str().parse::<Flavor>(), Ok(flavor));
        }
        assert!("busybox".parse::<Flavor>().is_err());
    }
}
