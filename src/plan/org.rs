//! What an org standards pack adds to the build stages: a stage holding its CA
//! certificates (copied into each build stage and trusted there), build secrets for
//! the dependency steps, extra packages and build environment. The final stage gets
//! none of it.

use serde::Serialize;

use crate::data::Installer;

/// The stage holding the pack's certificates, which build stages copy from.
pub const CA_STAGE: &str = "org-ca";

/// Where the certificates go in a build stage: the folder `update-ca-certificates`
/// reads on Debian and Alpine.
pub const CA_FOLDER: &str = "/usr/local/share/ca-certificates";

/// The bundle the system tools read after `update-ca-certificates`.
pub use super::program::CA_BUNDLE as SYSTEM_BUNDLE;

/// The variables each ecosystem's tools read for a CA bundle, pointed at the system
/// bundle (Node reads its own list, extended through NODE_EXTRA_CA_CERTS).
pub const CA_VARIABLES: &[&str] = &[
    "SSL_CERT_FILE",
    "REQUESTS_CA_BUNDLE",
    "PIP_CERT",
    "CARGO_HTTP_CAINFO",
    "GIT_SSL_CAINFO",
];

#[derive(Clone, Debug, Default, Serialize)]
pub struct OrgBuild {
    pub ca: Option<CaTrust>,
    pub secrets: Vec<SecretMount>,
    pub env: Vec<OrgEnv>,
    pub packages: Vec<String>,
    /// How the build stages install `packages`.
    pub installer: Option<Installer>,
}

impl OrgBuild {
    pub fn is_empty(&self) -> bool {
        self.ca.is_none()
            && self.secrets.is_empty()
            && self.env.is_empty()
            && self.packages.is_empty()
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct CaTrust {
    /// The image the certificate stage runs its one step in (the builder's: pulled
    /// anyway).
    pub image: String,
    pub stage: String,
    /// `<CA_FOLDER>/<pack>`: one `.crt` file per certificate.
    pub folder: String,
    /// The certificates in one file, for Node's NODE_EXTRA_CA_CERTS.
    pub bundle: String,
    /// A copy of the JDK's truststore with the certificates added, for Java builds
    /// (the JDK's own stays as it is: a jlinked runtime copies it).
    pub truststore: String,
    pub files: Vec<CaFile>,
    /// Each tool's CA variable, pointed at the system bundle.
    pub variables: Vec<OrgEnv>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CaFile {
    /// `<pack>-<n>.crt`.
    pub name: String,
    /// The PEM lines, markers included.
    pub lines: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SecretMount {
    pub id: String,
    pub target: String,
    pub required: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct OrgEnv {
    pub name: String,
    pub value: String,
}
