//! What an image reference says about the image, without pulling it: its tag, the C
//! library its binaries link against, whether it carries a toolchain, a shell, curl.
//! Judged from the official images' naming conventions (`-alpine`, `-slim`,
//! distroless's `static`/`cc`/`base`, `:nonroot`); an image docksmith cannot place is
//! `Unknown` and no rule fires on a guess about it.

/// The C library of an image's binaries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Libc {
    Glibc,
    Musl,
    /// scratch, distroless static: no C library at all.
    None,
    Unknown,
}

impl Libc {
    pub fn describe(self) -> &'static str {
        match self {
            Libc::Glibc => "glibc",
            Libc::Musl => "musl",
            Libc::None => "no C library",
            Libc::Unknown => "an unknown C library",
        }
    }
}

/// An image reference split into its parts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRef {
    /// Registry and path, lower case (`gcr.io/distroless/static-debian12`).
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    pub fn parse(text: &str) -> ImageRef {
        let (name, digest) = match text.split_once('@') {
            Some((n, d)) => (n, Some(d.to_string())),
            None => (text, None),
        };
        let slash = name.rfind('/').map_or(0, |i| i + 1);
        let (repository, tag) = match name[slash..].rfind(':') {
            Some(i) => (&name[..slash + i], Some(name[slash + i + 1..].to_string())),
            None => (name, None),
        };
        ImageRef {
            repository: repository.to_ascii_lowercase(),
            tag,
            digest,
        }
    }

    /// The last path segment: `golang`, `static-debian12`, `node`.
    pub fn short_name(&self) -> &str {
        self.repository
            .rsplit('/')
            .next()
            .unwrap_or(&self.repository)
    }

    fn tag_str(&self) -> &str {
        self.tag.as_deref().unwrap_or("")
    }

    pub fn is_scratch(&self) -> bool {
        self.repository == "scratch"
    }

    /// No digest and no tag, or `latest`: a different image on every pull.
    pub fn is_unpinned(&self) -> bool {
        self.digest.is_none() && matches!(self.tag.as_deref(), None | Some("latest"))
    }

    pub fn is_distroless(&self) -> bool {
        self.repository.contains("distroless")
    }

    fn is_alpine(&self) -> bool {
        self.short_name() == "alpine" || self.tag_str().contains("alpine")
    }

    /// The C library of the image's binaries, as far as the name tells.
    pub fn libc(&self) -> Libc {
        let short = self.short_name();
        if self.is_scratch() || (self.is_distroless() && short.starts_with("static")) {
            return Libc::None;
        }
        if self.is_alpine() || short.contains("musl") {
            return Libc::Musl;
        }
        let tag = self.tag_str();
        let debian_family = [
            "debian", "ubuntu", "bookworm", "bullseye", "trixie", "jammy", "noble",
        ];
        if self.is_distroless()
            || debian_family.iter().any(|d| short == *d || tag.contains(d))
            || tag.contains("slim")
            || matches!(
                short,
                "golang"
                    | "rust"
                    | "node"
                    | "python"
                    | "eclipse-temurin"
                    | "maven"
                    | "gradle"
                    | "openjdk"
                    | "amazoncorretto"
                    | "gcc"
                    | "buildpack-deps"
                    | "nginx"
                    | "httpd"
            )
        {
            return Libc::Glibc;
        }
        Libc::Unknown
    }

    /// A compiler toolchain image: what builds, never what should run.
    pub fn toolchain(&self) -> Option<&'static str> {
        let tag = self.tag_str();
        match self.short_name() {
            "golang" => Some("the Go toolchain"),
            "rust" => Some("the Rust toolchain"),
            "maven" => Some("Maven and a JDK"),
            "gradle" => Some("Gradle and a JDK"),
            "gcc" | "buildpack-deps" => Some("a C compiler"),
            "openjdk" | "eclipse-temurin" | "amazoncorretto" if !tag.contains("jre") => {
                Some("a full JDK")
            }
            // The full node and python images are buildpack-deps: gcc, make, headers.
            "node" | "python" if !self.is_alpine() && !tag.contains("slim") => {
                Some("gcc, make and headers (the full image is buildpack-deps)")
            }
            _ => None,
        }
    }

    /// Whether `/bin/sh` exists: distroless (but its `:debug` tags) and scratch have none.
    pub fn has_shell(&self) -> Option<bool> {
        if self.is_scratch() {
            return Some(false);
        }
        if self.is_distroless() {
            return Some(self.tag_str().contains("debug"));
        }
        match self.libc() {
            Libc::Unknown => None,
            _ => Some(true),
        }
    }

    /// Whether `tool` (curl or wget) is in the image as shipped.
    pub fn has_tool(&self, tool: &str) -> Option<bool> {
        if self.is_scratch() || self.is_distroless() {
            return Some(false);
        }
        if self.is_alpine() {
            // busybox provides wget, not curl.
            return Some(tool == "wget");
        }
        let tag = self.tag_str();
        if tag.contains("slim") || matches!(self.short_name(), "debian" | "ubuntu") {
            return Some(false);
        }
        if matches!(
            self.short_name(),
            "golang" | "rust" | "node" | "python" | "buildpack-deps"
        ) {
            return Some(true);
        }
        None
    }

    /// An image that runs as a non-root user by default.
    pub fn runs_as_non_root(&self) -> bool {
        self.tag_str().contains("nonroot")
            || self.repository.starts_with("cgr.dev/")
            || self.short_name().ends_with("-unprivileged")
    }
}

impl std::fmt::Display for ImageRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.repository)?;
        if let Some(tag) = &self.tag {
            write!(f, ":{tag}")?;
        }
        if let Some(digest) = &self.digest {
            write!(f, "@{digest}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_split_into_repository_tag_and_digest() {
        let r = ImageRef::parse("localhost:5000/team/app:1.2@sha256:abc");
        assert_eq!(r.repository, "localhost:5000/team/app");
        assert_eq!(r.tag.as_deref(), Some("1.2"));
        assert_eq!(r.digest.as_deref(), Some("sha256:abc"));
        assert!(ImageRef::parse("localhost:5000/app").tag.is_none());
        assert!(ImageRef::parse("node").is_unpinned());
        assert!(ImageRef::parse("node:latest").is_unpinned());
        assert!(!ImageRef::parse("node@sha256:abc").is_unpinned());
        assert!(!ImageRef::parse("node:22-slim").is_unpinned());
    }

    #[test]
    fn libc_and_contents_follow_the_official_naming() {
        let libc = |s: &str| ImageRef::parse(s).libc();
        assert_eq!(libc("golang:1.22"), Libc::Glibc);
        assert_eq!(libc("golang:1.22-alpine"), Libc::Musl);
        assert_eq!(libc("alpine:3.20"), Libc::Musl);
        assert_eq!(
            libc("gcr.io/distroless/static-debian12:nonroot"),
            Libc::None
        );
        assert_eq!(libc("gcr.io/distroless/cc-debian12"), Libc::Glibc);
        assert_eq!(libc("scratch"), Libc::None);
        assert_eq!(libc("example.com/base:7"), Libc::Unknown);
        assert!(ImageRef::parse("rust:1.80").toolchain().is_some());
        assert!(ImageRef::parse("node:22-slim").toolchain().is_none());
        assert!(
            ImageRef::parse("eclipse-temurin:21-jre")
                .toolchain()
                .is_none()
        );
        assert_eq!(ImageRef::parse("alpine:3").has_tool("curl"), Some(false));
        assert_eq!(ImageRef::parse("alpine:3").has_tool("wget"), Some(true));
        assert_eq!(
            ImageRef::parse("gcr.io/distroless/base:debug").has_shell(),
            Some(true)
        );
        assert!(ImageRef::parse("gcr.io/distroless/base:nonroot").runs_as_non_root());
    }
}
