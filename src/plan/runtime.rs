//! Picks the runtime flavor and image from the matrix in `detectors/images.toml`:
//! the first automatic flavor of the language that can run the program (or the
//! flavor the user asked for), and the smallest image of it that has what the
//! program needs.

use std::borrow::Cow;
use std::collections::BTreeSet;

use crate::data::{self, Flavor, FlavorPolicy, Installer, Libc, Provision, RuntimeImage};
use crate::plan::{Choice, PlanError, Rejection};
use crate::settings::{Setting, Settings, Source};
use crate::standards::StandardsError;

/// What the program, built for one flavor, needs from its runtime image.
#[derive(Clone, Debug, Default)]
pub struct Needs {
    /// The C library it links dynamically; `None` for a static binary.
    pub libc: Option<Libc>,
    /// Shared libraries beyond libc ("libssl", "libgcc", "libstdc++" ...).
    pub libraries: Vec<String>,
    /// Extra runtime packages, per package manager (from detector data).
    pub apt: Vec<String>,
    pub apk: Vec<String>,
    /// Why it links what it links, for messages ("cgo: main.go:3 import \"C\"").
    pub why: String,
    /// The language runtime it runs on (`node`), whose images it needs; `None` for a
    /// compiled binary.
    pub language: Option<&'static str>,
}

impl Needs {
    fn packages(&self, installer: Installer) -> &[String] {
        match installer {
            Installer::Apt => &self.apt,
            Installer::Apk => &self.apk,
        }
    }
}

/// What a program needs for a flavor, or why it cannot be built for it at all.
pub type NeedsFor<'a> = &'a dyn Fn(Flavor) -> Result<Needs, String>;

/// The chosen runtime.
#[derive(Debug)]
pub struct RuntimeChoice {
    pub flavor: Flavor,
    pub image: &'static RuntimeImage,
    /// What the program needs on it (and so how it is built).
    pub needs: Needs,
    /// Packages to install in the runtime image.
    pub packages: Vec<String>,
    /// Why this flavor.
    pub reason: String,
    /// Why this image of the flavor.
    pub image_reason: String,
    pub rejected: Vec<Rejection>,
}

impl RuntimeChoice {
    /// The flavor, with why, as the plan states it.
    pub fn flavor_choice(&self) -> Choice<Flavor> {
        Choice {
            value: self.flavor,
            reason: self.reason.clone(),
        }
    }
}

/// [`choose`] within the flavors the project's standards pack allows: a request
/// for another is an error naming the pack; the pick is the first allowed flavor
/// that fits, automatic ones first, then allowed ones docksmith otherwise picks
/// only on request (a pack allowing only alpine makes alpine the pick).
pub fn choose_for(
    settings: &Settings,
    policy: &FlavorPolicy,
    needs_for: NeedsFor<'_>,
) -> Result<RuntimeChoice, PlanError> {
    let requested = settings.flavor.as_ref();
    let narrowed = match settings.pack.as_ref() {
        Some(pack) if !pack.allowed_flavors.is_empty() => {
            let allowed = &pack.allowed_flavors;
            if let Some(request) = requested.filter(|r| !allowed.contains(&r.value)) {
                return Err(StandardsError::FlavorNotAllowed {
                    origin: request.source.to_string(),
                    flavor: request.value,
                    pack: pack.id.to_string(),
                    allowed: allowed.clone(),
                }
                .into());
            }
            Cow::Owned(narrow(
                policy,
                allowed,
                &format!("not allowed by {}", pack.id),
            ))
        }
        _ => Cow::Borrowed(policy),
    };
    // A pack's default flavor is a preference: where it cannot run the program,
    // docksmith picks as if none were set, and says why.
    let Some(default) = requested.filter(|r| matches!(r.source, Source::Org(_))) else {
        return choose(requested, &narrowed, needs_for);
    };
    match choose(Some(default), &narrowed, needs_for) {
        Err(PlanError::FlavorUnfit { reason, .. }) => {
            let mut choice = choose(None, &narrowed, needs_for)?;
            choice
                .rejected
                .retain(|r| r.option != default.value.to_string());
            choice.rejected.insert(
                0,
                Rejection {
                    option: default.value.to_string(),
                    reason: format!("the default of {}, but {reason}", default.source),
                },
            );
            Ok(choice)
        }
        chosen => chosen,
    }
}

/// `policy` within `allowed`: automatic flavors first, then allowed ones otherwise
/// picked only on request; the rest unsupported, `why`.
fn narrow(policy: &FlavorPolicy, allowed: &[Flavor], why: &str) -> FlavorPolicy {
    let mut narrowed = policy.clone();
    let on_request = policy.on_request.keys().filter(|f| allowed.contains(f));
    narrowed.automatic = (policy.automatic.iter().filter(|f| allowed.contains(f)))
        .chain(on_request)
        .copied()
        .collect();
    for flavor in Flavor::ALL {
        if !allowed.contains(&flavor) {
            narrowed
                .unsupported
                .entry(flavor)
                .or_insert_with(|| why.to_string());
        }
    }
    narrowed
        .on_request
        .retain(|f, _| !narrowed.automatic.contains(f) && allowed.contains(f));
    narrowed
}

/// Chooses the flavor (the requested one, or the first automatic one that fits) and
/// the smallest image of it that provides what the program needs.
pub fn choose(
    requested: Option<&Setting<Flavor>>,
    policy: &FlavorPolicy,
    needs_for: NeedsFor<'_>,
) -> Result<RuntimeChoice, PlanError> {
    if let Some(request) = requested {
        let unfit = |reason: String| PlanError::FlavorUnfit {
            flavor: request.value,
            origin: request.source.clone(),
            reason,
            alternatives: policy
                .automatic
                .iter()
                .copied()
                .filter(|f| fit(*f, needs_for).is_ok())
                .collect(),
        };
        if let Some(why) = policy.unsupported.get(&request.value) {
            return Err(unfit(why.clone()));
        }
        let (image, needs, packages) = fit(request.value, needs_for).map_err(unfit)?;
        return Ok(RuntimeChoice {
            flavor: request.value,
            image,
            image_reason: image_reason(image, &needs),
            needs,
            packages,
            reason: format!("set by {}; {}", request.source, summary(request.value)),
            rejected: Vec::new(),
        });
    }
    let mut rejected = Vec::new();
    let mut chosen = None;
    for &flavor in &policy.automatic {
        match fit(flavor, needs_for) {
            Ok(found) => {
                chosen = Some((flavor, found));
                break;
            }
            Err(reason) => rejected.push(Rejection {
                option: flavor.to_string(),
                reason,
            }),
        }
    }
    for (flavor, why) in &policy.on_request {
        rejected.push(Rejection {
            option: flavor.to_string(),
            reason: format!("chosen only on request (--flavor {flavor}): {why}"),
        });
    }
    for (flavor, why) in &policy.unsupported {
        rejected.push(Rejection {
            option: flavor.to_string(),
            reason: why.clone(),
        });
    }
    let Some((flavor, (image, needs, packages))) = chosen else {
        return Err(PlanError::FlavorUnfit {
            flavor: policy.automatic.last().copied().unwrap_or(Flavor::Slim),
            origin: Source::Default,
            reason: rejected
                .iter()
                .map(|r| format!("{}: {}", r.option, r.reason))
                .collect::<Vec<_>>()
                .join("; "),
            alternatives: Vec::new(),
        });
    };
    Ok(RuntimeChoice {
        flavor,
        image,
        image_reason: image_reason(image, &needs),
        needs,
        packages,
        reason: format!("the smallest flavor that runs it; {}", summary(flavor)),
        rejected,
    })
}

fn summary(flavor: Flavor) -> &'static str {
    &data::images().flavors[&flavor].summary
}

fn image_reason(image: &RuntimeImage, needs: &Needs) -> String {
    let mut wanted: Vec<&str> = Vec::new();
    if needs.libc.is_some() {
        wanted.push("libc");
    }
    wanted.extend(needs.libraries.iter().map(String::as_str));
    if wanted.is_empty() {
        format!(
            "the smallest {} image; a static binary needs no libraries",
            image.flavor
        )
    } else {
        format!(
            "the smallest {} image with {}",
            image.flavor,
            wanted.join(", ")
        )
    }
}

/// The first image of `flavor` that can run the program, what the program needs there
/// and the packages the image must install; or why none can.
fn fit(
    flavor: Flavor,
    needs_for: NeedsFor<'_>,
) -> Result<(&'static RuntimeImage, Needs, Vec<String>), String> {
    let needs = needs_for(flavor)?;
    let matrix = data::images();
    let mut why_not = format!("no {flavor} image in the matrix");
    let images = matrix
        .runtime
        .iter()
        .filter(|r| r.flavor == flavor && r.language.as_deref() == needs.language);
    for image in images {
        if let Some(libc) = needs.libc
            && image.libc != Some(libc)
        {
            why_not = match image.libc {
                None => format!(
                    "{} has no C library, and the program links one dynamically ({})",
                    image.image, needs.why
                ),
                Some(other) => {
                    format!("{} has {other:?}, the program links {libc:?}", image.image)
                }
            };
            continue;
        }
        let provides: BTreeSet<&str> = image.provides.iter().map(String::as_str).collect();
        let missing: Vec<&str> = needs
            .libraries
            .iter()
            .map(String::as_str)
            .filter(|l| !provides.contains(l))
            .collect();
        let Some(installer) = image.install else {
            let wanted: Vec<&str> = missing
                .iter()
                .copied()
                .chain(needs.apt.iter().map(String::as_str))
                .collect();
            if wanted.is_empty() {
                return Ok((image, needs, Vec::new()));
            }
            why_not = format!(
                "{} has no package manager to add {}",
                image.image,
                wanted.join(", ")
            );
            continue;
        };
        let mut packages: Vec<String> = missing
            .iter()
            .filter_map(|library| matrix.package_for(installer, library))
            .map(str::to_string)
            .collect();
        packages.extend(needs.packages(installer).iter().cloned());
        for (provision, need) in [
            (image.certificates, "certificates"),
            (image.timezones, "timezones"),
        ] {
            if provision == Provision::Install {
                packages.extend(matrix.package_for(installer, need).map(str::to_string));
            }
        }
        packages.sort();
        packages.dedup();
        return Ok((image, needs, packages));
    }
    Err(why_not)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> FlavorPolicy {
        FlavorPolicy {
            automatic: vec![Flavor::Scratch, Flavor::Distroless, Flavor::Slim],
            musl: vec![Flavor::Alpine],
            on_request: [(Flavor::Alpine, "musl".to_string())].into(),
            unsupported: Default::default(),
        }
    }

    fn glibc(flavor: Flavor) -> Libc {
        if flavor == Flavor::Alpine {
            Libc::Musl
        } else {
            Libc::Glibc
        }
    }

    fn dynamic(libraries: &[&str]) -> impl Fn(Flavor) -> Result<Needs, String> {
        let libraries: Vec<String> = libraries.iter().map(|s| s.to_string()).collect();
        move |flavor| {
            Ok(Needs {
                libc: Some(glibc(flavor)),
                libraries: libraries.clone(),
                why: "cgo".into(),
                ..Needs::default()
            })
        }
    }

    #[test]
    fn static_binary_gets_scratch_and_on_request_flavors_are_listed() {
        let choice = choose(None, &policy(), &|_| Ok(Needs::default())).unwrap();
        assert_eq!(choice.flavor, Flavor::Scratch);
        assert_eq!(choice.image.image, "scratch");
        assert!(choice.rejected.iter().any(|r| r.option == "alpine"));
    }

    #[test]
    fn dynamic_binary_skips_scratch_for_distroless_base() {
        let choice = choose(None, &policy(), &dynamic(&[])).unwrap();
        assert_eq!(choice.flavor, Flavor::Distroless);
        assert_eq!(
            choice.image.image,
            "gcr.io/distroless/base-debian12:nonroot"
        );
        assert!(choice.rejected[0].reason.contains("no C library"));
    }

    #[test]
    fn libgcc_needs_distroless_cc() {
        let choice = choose(None, &policy(), &dynamic(&["libgcc"])).unwrap();
        assert_eq!(choice.image.image, "gcr.io/distroless/cc-debian12:nonroot");
    }

    #[test]
    fn runtime_packages_need_a_package_manager() {
        let needs = |flavor| {
            Ok(Needs {
                apt: vec!["libpcap0.8".into()],
                apk: vec!["libpcap".into()],
                ..dynamic(&[])(flavor)?
            })
        };
        let choice = choose(None, &policy(), &needs).unwrap();
        assert_eq!(choice.flavor, Flavor::Slim);
        assert_eq!(choice.packages, ["libpcap0.8"]);
        let alpine = Setting {
            value: Flavor::Alpine,
            source: Source::Flag("--flavor".into()),
        };
        let choice = choose(Some(&alpine), &policy(), &needs).unwrap();
        assert_eq!(choice.packages, ["ca-certificates", "libpcap", "tzdata"]);
    }

    #[test]
    fn a_flavor_the_language_cannot_build_is_rejected_with_its_reason() {
        let needs = |flavor| match flavor {
            Flavor::Scratch => Err("pq-sys has no static musl build".to_string()),
            other => dynamic(&[])(other),
        };
        let choice = choose(None, &policy(), &needs).unwrap();
        assert_eq!(choice.flavor, Flavor::Distroless);
        assert_eq!(choice.rejected[0].reason, "pq-sys has no static musl build");
    }

    #[test]
    fn requested_flavor_that_cannot_run_it_is_an_error_with_alternatives() {
        let scratch = Setting {
            value: Flavor::Scratch,
            source: Source::Flag("--flavor".into()),
        };
        let err = choose(Some(&scratch), &policy(), &dynamic(&[])).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("flag --flavor: the scratch flavor cannot run this program")
        );
        assert_eq!(
            err.hint().unwrap(),
            "use --flavor distroless or --flavor slim"
        );
    }
}
