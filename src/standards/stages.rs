//! A pack's build-stage policy turned into the plan's `org` part: the certificate
//! stage, the secrets this language's dependency steps mount, its extra packages and
//! build environment; and its extra runtime packages.

use super::{Pack, StandardsError, UserPolicy};
use crate::lang::Language;
use crate::plan::org::{
    CA_FOLDER, CA_STAGE, CA_VARIABLES, CaFile, CaTrust, OrgEnv, SYSTEM_BUNDLE, SecretMount,
};
use crate::plan::{Artifact, BuildPlan, EnvVar, RuntimeStage, add_runtime_packages, set_user_ids};

/// The final stage and the pack's CA. Not asked for, it must not get them: a runtime
/// that takes the CA bundle from the build stage (scratch) takes the builder image's
/// own, from the certificate stage, instead. Asked for (`[ca] runtime`), it gets what
/// its language reads: the system bundle with them (and SSL_CERT_FILE,
/// REQUESTS_CA_BUNDLE), Node's extra bundle, or Java's truststore.
fn trust_in_final_stage(
    language: Language,
    ca: &CaTrust,
    wanted: bool,
    build_stage: &str,
    runtime: &mut RuntimeStage,
) {
    let from_build = |a: &Artifact| a.source == SYSTEM_BUNDLE && a.from == build_stage;
    if !wanted {
        for artifact in runtime.artifacts.iter_mut().filter(|a| from_build(a)) {
            artifact.from = ca.stage.clone();
        }
        return;
    }
    let env = |name: &str, value: &str| EnvVar {
        name: name.into(),
        value: value.into(),
        reason: "the standards pack's CA certificates ([ca] runtime)".into(),
    };
    let (artifact, vars) = match language {
        Language::Node => (
            Artifact {
                from: ca.stage.clone(),
                source: "/bundle.pem".into(),
                target: ca.bundle.clone(),
                chown: None,
            },
            vec![env("NODE_EXTRA_CA_CERTS", &ca.bundle)],
        ),
        Language::Java => (
            Artifact {
                from: build_stage.to_string(),
                source: ca.truststore.clone(),
                target: ca.truststore.clone(),
                chown: None,
            },
            vec![env(
                "JAVA_TOOL_OPTIONS",
                &format!("-Djavax.net.ssl.trustStore={}", ca.truststore),
            )],
        ),
        _ => (
            Artifact {
                from: build_stage.to_string(),
                source: SYSTEM_BUNDLE.into(),
                target: SYSTEM_BUNDLE.into(),
                chown: None,
            },
            vec![
                env("SSL_CERT_FILE", SYSTEM_BUNDLE),
                env("REQUESTS_CA_BUNDLE", SYSTEM_BUNDLE),
            ],
        ),
    };
    // A scratch runtime already takes the build stage's bundle.
    if !runtime
        .artifacts
        .iter()
        .any(|a| a.target == artifact.target)
    {
        runtime.artifacts.insert(0, artifact);
    }
    runtime.env.extend(vars);
}

/// The pack's gid and account name (the uid came as an enforced setting).
fn set_user(runtime: &mut RuntimeStage, policy: &UserPolicy) {
    if let Some(gid) = policy.gid {
        set_user_ids(runtime, runtime.user.uid, gid);
    }
    if let Some(name) = &policy.name {
        runtime.user.name = name.clone();
    }
}

/// Fills `plan.org` and adds runtime packages. Runs after the images are resolved, so
/// the certificate stage uses the builder image as the pack writes it.
pub fn apply(plan: &mut BuildPlan, pack: &Pack) -> Result<(), StandardsError> {
    let built = plan.language();
    let language = built.name();
    let org = &mut plan.org;
    if !pack.ca.is_empty() {
        let name = &pack.id.name;
        org.ca = Some(CaTrust {
            image: plan.builder.value.clone(),
            stage: CA_STAGE.into(),
            folder: format!("{CA_FOLDER}/{name}"),
            bundle: format!("{CA_FOLDER}/{name}.pem"),
            truststore: format!("{CA_FOLDER}/{name}.jks"),
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
    set_user(&mut plan.runtime, &pack.user);
    if let Some(ca) = plan.org.ca.clone() {
        let build_stage = plan.build_stage.clone();
        trust_in_final_stage(built, &ca, pack.ca_runtime, &build_stage, &mut plan.runtime);
    }
    let org = &mut plan.org;
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
