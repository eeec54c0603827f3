//! Settings that apply to every language the same way, applied to a finished plan:
//! the start command, the runtime uid, the HEALTHCHECK and extra runtime packages.
//! Each is the user's explicit choice, so the plan records it with its source.

use crate::data::{Flavor, Installer};
use crate::detect::{Evidence, Warning};
use crate::settings::Settings;

use super::{BuildPlan, PlanError, check_text};

/// Applies the language-independent settings to `plan`.
pub fn apply(plan: &mut BuildPlan, settings: &Settings) -> Result<(), PlanError> {
    if let Some(command) = &settings.command {
        for word in &command.value {
            check_text(&command.source.to_string(), "start command", word)?;
        }
        let resolved = super::command::resolve(command, plan.flavor.value, &plan.runtime)?;
        let mut entrypoint = command.value.clone();
        // The Dockerfile names the setting, never its source: the same values must
        // give the same bytes whether a flag, a variable or docksmith.toml said them.
        let note = match resolved {
            Some(path) => {
                let note = format!(
                    "Start command from the setting `command` (docksmith.toml); {} is {path} in this image, off its PATH.",
                    entrypoint[0]
                );
                entrypoint[0] = path;
                note
            }
            None => "Start command from the setting `command` (docksmith.toml).".to_string(),
        };
        plan.runtime.entrypoint = entrypoint;
        plan.runtime.command.clear();
        plan.runtime.notes.push(note);
    }
    if let Some(user) = &settings.user {
        set_user_ids(&mut plan.runtime, user.value, user.value);
    }
    if let Some(healthcheck) = &settings.healthcheck {
        match (healthcheck.value, plan.runtime.healthcheck.is_empty()) {
            (false, _) => plan.runtime.healthcheck.clear(),
            (true, true) => plan.warnings.push(Warning {
                message: format!(
                    "{} asks for a HEALTHCHECK, but this image has no way to probe the app without adding a tool to it: none written",
                    healthcheck.source
                ),
                evidence: Evidence::default_because("settings"),
            }),
            (true, false) => {}
        }
    }
    if let Some(packages) = settings
        .runtime_packages
        .as_ref()
        .filter(|p| !p.value.is_empty())
        && !add_runtime_packages(plan, &packages.value)
    {
        return Err(PlanError::PackagesNeedInstaller {
            origin: packages.source.clone(),
            image: plan.runtime.image.value.clone(),
        });
    }
    Ok(())
}

/// Sets the runtime user's uid and gid; what was given to the old ids (`--chown`)
/// goes to the new ones.
pub fn set_user_ids(runtime: &mut super::RuntimeStage, uid: u32, gid: u32) {
    let old = format!("{}:{}", runtime.user.uid, runtime.user.gid);
    let new = format!("{uid}:{gid}");
    runtime.user.uid = uid;
    runtime.user.gid = gid;
    for artifact in &mut runtime.artifacts {
        if artifact.chown.as_deref() == Some(old.as_str()) {
            artifact.chown = Some(new.clone());
        }
    }
}

/// Adds `packages` to the runtime image; false when its image has no package manager
/// to install them with (distroless, scratch) or the build takes none.
pub fn add_runtime_packages(plan: &mut BuildPlan, packages: &[String]) -> bool {
    let installer = match (plan.runtime.installer, plan.flavor.value) {
        _ if !plan.build.takes_runtime_packages() => None,
        (Some(installer), _) => Some(installer),
        (None, Flavor::Slim) => Some(Installer::Apt),
        (None, Flavor::Alpine) => Some(Installer::Apk),
        (None, _) => None,
    };
    let Some(installer) = installer else {
        return false;
    };
    plan.runtime.installer = Some(installer);
    for package in packages {
        if !plan.runtime.packages.contains(package) {
            plan.runtime.packages.push(package.clone());
        }
    }
    true
}
