//! Image references as a registry sees them, so a pack's mirror and pins match
//! whichever way docksmith spells an image (`golang:1.23`, `docker.io/library/golang:1.23`).

/// A reference split into its parts; `name` is fully qualified (`docker.io/library/golang`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    pub name: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl Reference {
    /// Parses `text` with Docker's defaults: no registry means Docker Hub, and a
    /// one-part Hub name is an official image under `library/`.
    pub fn parse(text: &str) -> Option<Reference> {
        if !crate::settings::is_image_reference(text) {
            return None;
        }
        let (rest, digest) = match text.split_once('@') {
            Some((rest, digest)) => (rest, Some(digest.to_string())),
            None => (text, None),
        };
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (path, tag) = match rest[last_slash..].split_once(':') {
            Some((_, tag)) => (&rest[..rest.len() - tag.len() - 1], Some(tag.to_string())),
            None => (rest, None),
        };
        let first = path.split('/').next().unwrap_or_default();
        let has_registry = path.contains('/')
            && (first.contains('.') || first.contains(':') || first == "localhost");
        let name = match (has_registry, path.contains('/')) {
            (true, _) => path.to_string(),
            (false, true) => format!("docker.io/{path}"),
            (false, false) => format!("docker.io/library/{path}"),
        };
        Some(Reference { name, tag, digest })
    }

    /// The name and tag, without the digest: what a pin is keyed by.
    pub fn tagged(&self) -> String {
        match &self.tag {
            Some(tag) => format!("{}:{tag}", self.name),
            None => self.name.clone(),
        }
    }
}

/// Whether `text` is a content digest: `sha256:` and 64 lower-case hex digits.
pub fn is_digest(text: &str) -> bool {
    text.strip_prefix("sha256:").is_some_and(|hex| {
        hex.len() == 64
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_qualified_the_way_docker_does() {
        let cases = [
            (
                "golang:1.23-bookworm",
                "docker.io/library/golang:1.23-bookworm",
            ),
            ("oven/bun:1-slim", "docker.io/oven/bun:1-slim"),
            (
                "gcr.io/distroless/cc-debian12:nonroot",
                "gcr.io/distroless/cc-debian12:nonroot",
            ),
            ("localhost:5000/golang:1.23", "localhost:5000/golang:1.23"),
            ("docker/dockerfile:1", "docker.io/docker/dockerfile:1"),
            ("debian", "docker.io/library/debian"),
        ];
        for (text, qualified) in cases {
            assert_eq!(
                Reference::parse(text).unwrap().tagged(),
                qualified,
                "{text}"
            );
        }
        let pinned = Reference::parse(&format!("node:24@sha256:{}", "a".repeat(64))).unwrap();
        assert_eq!(pinned.tag.as_deref(), Some("24"));
        assert!(is_digest(pinned.digest.as_deref().unwrap()));
        assert!(Reference::parse("not an image").is_none());
    }

    #[test]
    fn digests_are_sha256_hex() {
        assert!(is_digest(&format!("sha256:{}", "0f".repeat(32))));
        assert!(!is_digest("sha256:abc"));
        assert!(!is_digest(&format!("sha256:{}", "A".repeat(64))));
        assert!(!is_digest(&format!("md5:{}", "a".repeat(64))));
    }
}
