//! A pack applied to a finished plan: every image reference mirrored and pinned,
//! the pack's labels added.

use super::image::Reference;
use super::{Pack, StandardsError, variables};
use crate::plan::{BuildPlan, Exclude, Label};
use crate::settings::Syntax;
use crate::settings::{Setting, Vars};

/// Rewrites every image `plan` names (builder, runtime, the language's own stages,
/// the `# syntax=` frontend), adds the build-stage policy and the pack's labels (with
/// its variables' values from `vars`).
pub fn apply(
    plan: &mut BuildPlan,
    pack: &Pack,
    vars: Option<&Setting<Vars>>,
    repo_url: Option<&str>,
) -> Result<(), StandardsError> {
    plan.standards = Some(pack.id.to_string());
    plan.vars = variables::resolve(pack, vars, repo_url)?;
    plan.templates = pack.templates.clone();
    for pattern in &pack.dockerignore {
        let excluded = &mut plan.context.exclude;
        if !excluded.iter().any(|e| &e.pattern == pattern) {
            excluded.push(Exclude {
                pattern: pattern.clone(),
                reason: format!("Required by {}", pack.id),
            });
        }
    }
    let mut images = vec![&mut plan.builder.value, &mut plan.runtime.image.value];
    if plan.syntax == Syntax::V1 {
        images.push(&mut plan.syntax_image);
    }
    images.extend(plan.build.images_mut());
    for image in images {
        *image = resolve(pack, image)?;
    }
    super::stages::apply(plan, pack)?;
    for (key, value) in &pack.labels {
        let value = &variables::substitute(value, &plan.vars);
        let labels = &mut plan.runtime.labels;
        // A label whose variables are all empty (no git remote for `{repo_url}`)
        // says nothing: it is left out.
        if value.trim().is_empty() {
            labels.retain(|l| &l.key != key);
            continue;
        }
        match labels.iter_mut().find(|l| &l.key == key) {
            Some(label) => label.value = value.to_string(),
            None => labels.push(Label {
                key: key.clone(),
                value: value.to_string(),
            }),
        }
    }
    Ok(())
}

/// `image` as the pack wants it written: through the first matching mirror, with
/// its pinned digest (a digest already in the reference is kept).
pub fn resolve(pack: &Pack, image: &str) -> Result<String, StandardsError> {
    // `scratch` is no image, only the empty file system.
    let Some(reference) = Reference::parse(image).filter(|_| image != "scratch") else {
        return Ok(image.to_string());
    };
    let tagged = reference.tagged();
    let written = match pack.mirrors.iter().find(|m| tagged.starts_with(&m.from)) {
        Some(mirror) => format!("{}{}", mirror.to, &tagged[mirror.from.len()..]),
        None => image.split('@').next().unwrap_or(image).to_string(),
    };
    let digest = reference.digest.or_else(|| pack.pins.get(&tagged).cloned());
    match digest {
        Some(digest) => Ok(format!("{written}@{digest}")),
        None if pack.require_digest => Err(StandardsError::Unpinned {
            pack: pack.id.to_string(),
            image: image.split('@').next().unwrap_or(image).to_string(),
            file: pack.file.clone(),
        }),
        None => Ok(written),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::standards::Mirror;

    fn pack() -> Pack {
        let mut pack = Pack::for_tests("docker.io/library/golang:1.24-bookworm");
        pack.mirrors.push(Mirror {
            from: "gcr.io/".into(),
            to: "registry.acme.test/gcr/".into(),
        });
        pack
    }

    #[test]
    fn mirrors_rewrite_the_qualified_name_and_pins_add_the_digest() {
        let pack = pack();
        let digest = format!("sha256:{}", "a".repeat(64));
        let cases = [
            (
                "golang:1.24-bookworm",
                format!("registry.acme.test/hub/golang:1.24-bookworm@{digest}"),
            ),
            (
                "docker.io/library/golang:1.24-bookworm",
                format!("registry.acme.test/hub/golang:1.24-bookworm@{digest}"),
            ),
            (
                "gcr.io/distroless/cc-debian12:nonroot",
                "registry.acme.test/gcr/distroless/cc-debian12:nonroot".into(),
            ),
            ("oven/bun:1-slim", "oven/bun:1-slim".into()),
            ("scratch", "scratch".into()),
        ];
        for (image, want) in cases {
            assert_eq!(resolve(&pack, image).unwrap(), want, "{image}");
        }
    }

    #[test]
    fn a_required_digest_that_is_missing_names_the_image() {
        let pack = Pack {
            require_digest: true,
            ..pack()
        };
        let err = resolve(&pack, "node:24-bookworm-slim").unwrap_err();
        assert!(
            err.to_string().contains("`node:24-bookworm-slim` has none"),
            "{err}"
        );
        assert!(resolve(&pack, "golang:1.24-bookworm").is_ok());
        assert_eq!(resolve(&pack, "scratch").unwrap(), "scratch");
    }
}
