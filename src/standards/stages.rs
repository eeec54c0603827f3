//! A pack's build-stage policy turned into the plan's `org` part: the certificate
//! stage, the secrets this language's dependency steps mount, its extra packages and
//! build environment; and its extra runtime packages.

use super::{Pack, StandardsError};
use crate::plan::org::{
    CA_FOLDER, CA_STAGE, CA_VARIABLES, CaFile, CaTrust, OrgEnv, SYSTEM_BUNDLE, SecretMount,
};
use crate::plan::{BuildPlan, add_runtime_packages};

/// Fills `plan.org` and adds runtime packages. Runs after the images are resolved, so
/// the certificate stage uses the builder image as the pack writes it.
pub fn apply(plan: &mut BuildPlan, pack: &Pack) -> Result<(), StandardsError> {
    let language = plan.language().name();
    let org = &mut plan.org;
    if !pack.ca.is_empty() {
        let name = &pack.id.name;
        org.ca = Some(CaTrust {
            image: plan.builder.value.clone(),
            stage: CA_STAGE.into(),
            folder: format!("{CA_FOLDER}/{name}"),
            bundle: format!("{CA_FOLDER}/{name}.pem"),
            files: pack
                .ca
                .iter()
                .enumerate()
                .map(|(index, certificate)| CaFile {
                    name: format!("{name}-{}.crt", index + 1),
                    lines: std::iter::once("-----BEGIN CERTIFICATE-----".to_string())
                        .chain(certificate.base64.iter().cloned())
                        .chain(std::iter::once("-----END CERTIFICATE-----".to_string()))
                        .collect(),
                })
                .collect(),
            variables: CA_VARIABLES
                .iter()
                .map(|name| OrgEnv {
                    name: name.to_string(),
                    value: SYSTEM_BUNDLE.into(),
                })
                .collect(),
        });
    }
    org.secrets = pack
        .secrets
        .iter()
        .filter(|s| s.languages.is_empty() || s.languages.iter().any(|l| l == language))
        .map(|s| SecretMount {
            id: s.id.clone(),
            target: s.target.clone(),
            required: s.required,
        })
        .collect();
    let Some(policy) = pack.languages.get(language) else {
        return Ok(());
    };
    org.env = policy
        .build_env
        .iter()
        .map(|(name, value)| OrgEnv {
            name: name.clone(),
            value: value.clone(),
        })
        .collect();
    org.packages = policy.build_packages.clone();
    if !org.packages.is_empty() {
        org.installer = Some(plan.runtime.libc.installer());
    }
    if !policy.runtime_packages.is_empty() && !add_runtime_packages(plan, &policy.runtime_packages)
    {
        return Err(StandardsError::Invalid {
            path: pack.file.clone(),
            message: format!(
                "[languages.{language}] runtime-packages: the {} runtime ({}) has no package manager to install them",
                plan.flavor.value, plan.runtime.image.value
            ),
        });
    }
    Ok(())
}
