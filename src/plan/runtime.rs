//! Picks the runtime flavor and image from the matrix in `detectors/images.toml`:
//! the smallest image that can run the program, unless the user chose a flavor.

use std::collections::BTreeSet;

use crate::data::{self, Flavor, Installer, Provision, RuntimeImage};
use crate::plan::{PlanError, Rejection};
use crate::settings::Setting;

/// What the program needs from its runtime image.
#[derive(Clone, Debug, Default)]
pub struct Needs {
    /// Linked against the C library dynamically.
    pub dynamic_libc: bool,
    /// Shared libraries beyond libc ("libssl", "libstdc++" ...).
    pub libraries: Vec<String>,
    /// Extra runtime packages, per package manager (from detector data).
    pub apt: Vec<String>,
    pub apk: Vec<String>,
    /// Why the program is dynamic, for messages ("cgo: main.go:3 import \"C\"").
    pub why: String,
}

impl Needs {
    fn packages(&self, installer: Installer) -> &[String] {
        match installer {
            Installer::Apt => &self.apt,
            Installer::Apk => &self.apk,
        }
    }
}

/// The chosen runtime.
#[derive(Debug)]
pub struct RuntimeChoice {
    pub flavor: Flavor,
    pub image: &'static RuntimeImage,
    /// Packages to install in the runtime image.
    pub packages: Vec<String>,
    /// Why this flavor.
    pub reason: String,
    /// Why this image of the flavor.
    pub image_reason: String,
    pub rejected: Vec<Rejection>,
}

/// Chooses the flavor (the requested one, or the first automatic one that fits) and
/// the smallest image of it that provides what the program needs.
pub fn choose(
    requested: Option<&Setting<Flavor>>,
    needs: &Needs,
) -> Result<RuntimeChoice, PlanError> {
    let matrix = data::images();
    if let Some(request) = requested {
        return fit(request.value, needs)
            .map(|(image, packages)| RuntimeChoice {
                flavor: request.value,
                image,
                image_reason: image_reason(image, needs),
                packages,
                reason: format!("set by {}; {}", request.source, summary(request.value)),
                rejected: Vec::new(),
            })
            .map_err(|reason| PlanError::FlavorUnfit {
                flavor: request.value,
                origin: request.source.clone(),
                reason,
                alternatives: Flavor::ALL
                    .into_iter()
                    .filter(|f| matrix.flavors[f].automatic && fit(*f, needs).is_ok())
                    .collect(),
            });
    }
    let mut rejected = Vec::new();
    let mut chosen = None;
    for flavor in Flavor::ALL {
        if !matrix.flavors[&flavor].automatic {
            rejected.push(Rejection {
                option: flavor.to_string(),
                reason: "chosen only on request (--flavor alpine): musl differs from glibc in DNS, locale and allocator behaviour".into(),
            });
            continue;
        }
        if chosen.is_some() {
            continue;
        }
        match fit(flavor, needs) {
            Ok((image, packages)) => chosen = Some((flavor, image, packages)),
            Err(reason) => rejected.push(Rejection {
                option: flavor.to_string(),
                reason,
            }),
        }
    }
    let (flavor, image, packages) = chosen.ok_or_else(|| PlanError::FlavorUnfit {
        flavor: Flavor::Slim,
        origin: crate::settings::Source::Default,
        reason: "no flavor provides what the program needs".into(),
        alternatives: Vec::new(),
    })?;
    Ok(RuntimeChoice {
        flavor,
        image,
        image_reason: image_reason(image, needs),
        packages,
        reason: format!("the smallest flavor that runs it; {}", summary(flavor)),
        rejected,
    })
}

fn image_reason(image: &RuntimeImage, needs: &Needs) -> String {
    let mut wanted: Vec<&str> = Vec::new();
    if needs.dynamic_libc {
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

fn summary(flavor: Flavor) -> &'static str {
    &data::images().flavors[&flavor].summary
}

/// The first image of `flavor` that can run the program, and the packages it must
/// install; or why none can.
fn fit(flavor: Flavor, needs: &Needs) -> Result<(&'static RuntimeImage, Vec<String>), String> {
    let matrix = data::images();
    let mut why_not = String::new();
    for image in matrix.runtime.iter().filter(|r| r.flavor == flavor) {
        let provides: BTreeSet<&str> = image.provides.iter().map(String::as_str).collect();
        if needs.dynamic_libc && !provides.contains("libc") {
            why_not = format!(
                "{} has no C library, and the program links one dynamically ({})",
                image.image, needs.why
            );
            continue;
        }
        let missing: Vec<&str> = needs
            .libraries
            .iter()
            .map(String::as_str)
            .filter(|l| !provides.contains(l))
            .collect();
        let mut packages = Vec::new();
        if let Some(installer) = image.install {
            for library in &missing {
                if let Some(package) = matrix.package_for(installer, library) {
                    packages.push(package.to_string());
                }
            }
            packages.extend(needs.packages(installer).iter().cloned());
            for (provision, need) in [
                (image.certificates, "certificates"),
                (image.timezones, "timezones"),
            ] {
                if provision == Provision::Install {
                    if let Some(package) = matrix.package_for(installer, need) {
                        packages.push(package.to_string());
                    }
                }
            }
        } else {
            let extra: Vec<&str> = needs.apt.iter().map(String::as_str).collect();
            if !missing.is_empty() || !extra.is_empty() {
                let wanted: Vec<&str> = missing.iter().copied().chain(extra).collect();
                why_not = format!(
                    "{} has no package manager to add {}",
                    image.image,
                    wanted.join(", ")
                );
                continue;
            }
        }
        packages.sort();
        packages.dedup();
        return Ok((image, packages));
    }
    Err(why_not)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Source;

    fn dynamic() -> Needs {
        Needs {
            dynamic_libc: true,
            why: "cgo".into(),
            ..Needs::default()
        }
    }

    #[test]
    fn static_binary_gets_scratch_and_alpine_is_never_automatic() {
        let choice = choose(None, &Needs::default()).unwrap();
        assert_eq!(choice.flavor, Flavor::Scratch);
        assert_eq!(choice.image.image, "scratch");
        assert!(choice.rejected.iter().any(|r| r.option == "alpine"));
    }

    #[test]
    fn dynamic_binary_skips_scratch_for_distroless_base() {
        let choice = choose(None, &dynamic()).unwrap();
        assert_eq!(choice.flavor, Flavor::Distroless);
        assert_eq!(
            choice.image.image,
            "gcr.io/distroless/base-debian12:nonroot"
        );
        assert!(choice.rejected[0].reason.contains("no C library"));
    }

    #[test]
    fn libstdcxx_needs_distroless_cc() {
        let needs = Needs {
            libraries: vec!["libstdc++".into()],
            ..dynamic()
        };
        assert_eq!(
            choose(None, &needs).unwrap().image.image,
            "gcr.io/distroless/cc-debian12:nonroot"
        );
    }

    #[test]
    fn runtime_packages_need_a_package_manager() {
        let needs = Needs {
            apt: vec!["libpcap0.8".into()],
            apk: vec!["libpcap".into()],
            ..dynamic()
        };
        let choice = choose(None, &needs).unwrap();
        assert_eq!(choice.flavor, Flavor::Slim);
        assert_eq!(choice.packages, ["libpcap0.8"]);
        let alpine = Setting {
            value: Flavor::Alpine,
            source: Source::Flag("--flavor".into()),
        };
        let choice = choose(Some(&alpine), &needs).unwrap();
        assert_eq!(choice.packages, ["ca-certificates", "libpcap", "tzdata"]);
    }

    #[test]
    fn requested_flavor_that_cannot_run_it_is_an_error_with_alternatives() {
        let scratch = Setting {
            value: Flavor::Scratch,
            source: Source::Flag("--flavor".into()),
        };
        let err = choose(Some(&scratch), &dynamic()).unwrap_err();
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
