//! The runtime stage of a compiled program (Go, Rust): one binary copied from the
//! build stage, run by the numeric non-root user, with its port, labels and warnings.

use crate::data::{self, Libc};
use crate::detect::Warning;
use crate::detect::ports::Listening;
use crate::detect::project::ProjectFacts;
use crate::plan::runtime::RuntimeChoice;
use crate::plan::{
    Artifact, Choice, EnvVar, Label, PlanError, RuntimeStage, RuntimeUser, check_text,
};
use crate::settings::Settings;

/// Where the binary goes in the runtime image.
const INSTALL_DIR: &str = "/usr/local/bin";
/// A compiled program's working directory, owned by its user: programs that keep state
/// next to them (gotify's data/, pocketbase's pb_data/, filebrowser's database) write
/// there instead of failing on a read-only `/`.
pub const WORKDIR: &str = "/app";
/// The build stage's name in every template.
pub const BUILD_STAGE: &str = "build";
/// Where the builder prepares /etc/passwd, /etc/group and /tmp for an empty image
/// (`templates/partials/components.tera`, `rootfs`).
pub const ROOTFS: &str = "/rootfs/";
/// The CA bundle and the time zone database, copied from Debian and Alpine builders.
pub const CA_BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";
pub const ZONEINFO: &str = "/usr/share/zoneinfo";

/// What the planner knows of the program.
pub struct Program<'a> {
    /// The binary's name (already checked to be a plain file name).
    pub name: &'a str,
    pub listening: &'a Listening,
}

impl Program<'_> {
    /// Where the build stage leaves the binary.
    pub fn output(&self) -> String {
        format!("/out/{}", self.name)
    }
}

/// The runtime stage, and warnings about how the program will run.
pub fn runtime_stage(
    program: &Program<'_>,
    choice: &RuntimeChoice,
    libc: Libc,
    project: &ProjectFacts,
    settings: &Settings,
) -> Result<(RuntimeStage, Vec<Warning>), PlanError> {
    let name = program.name;
    let user_spec = &data::images().user;
    let image = runtime_image(choice, settings);
    let labels = labels(name, project)?;
    let notes = loopback_note(program).into_iter().collect();
    let mut warnings = Vec::new();
    if let (None, None, Some(read)) = (
        &settings.port,
        &program.listening.port,
        &program.listening.port_env,
    ) {
        warnings.push(Warning {
            message: format!("{name} reads $PORT and no default was found: pass --port N, and the image sets PORT to it"),
            evidence: read.clone(),
        });
    }
    let (expose, env) = port(program, settings);
    let target = format!("{INSTALL_DIR}/{name}");
    let stage = RuntimeStage {
        image,
        libc,
        user: RuntimeUser {
            name: user_spec.name.clone(),
            uid: user_spec.uid,
            gid: user_spec.gid,
            setup: choice.image.user,
        },
        certificates: choice.image.certificates,
        timezones: choice.image.timezones,
        installer: (!choice.packages.is_empty())
            .then_some(choice.image.install)
            .flatten(),
        packages: choice.packages.clone(),
        workdir: None,
        user_workdir: None,
        artifacts: vec![Artifact {
            from: BUILD_STAGE.into(),
            source: program.output(),
            target: target.clone(),
            chown: None,
        }],
        expose,
        env,
        entrypoint: vec![target],
        command: Vec::new(),
        healthcheck: Vec::new(),
        labels,
        notes,
    };
    Ok((stage, warnings))
}

/// The flavor's image, unless the user names one.
fn runtime_image(choice: &RuntimeChoice, settings: &Settings) -> Choice<String> {
    match &settings.image_runtime {
        Some(set) => Choice::new(
            set.value.clone(),
            format!(
                "set by {} (flavor {} decides the rest)",
                set.source, choice.flavor
            ),
        ),
        None => Choice::new(choice.image.image.clone(), &choice.image_reason),
    }
}

/// OCI labels: the title, and the repository it was built from when known.
fn labels(name: &str, project: &ProjectFacts) -> Result<Vec<Label>, PlanError> {
    let mut labels = vec![Label {
        key: "org.opencontainers.image.title".into(),
        value: name.to_string(),
    }];
    if let Some(url) = &project.source_url {
        check_text(&url.evidence.location(), "repository URL", &url.value)?;
        labels.push(Label {
            key: "org.opencontainers.image.source".into(),
            value: url.value.clone(),
        });
    }
    Ok(labels)
}

/// A note in the Dockerfile when the program listens on loopback only.
fn loopback_note(program: &Program<'_>) -> Option<String> {
    let listening = program.listening;
    let hit = listening
        .port
        .iter()
        .chain(&listening.other_ports)
        .find(|h| h.loopback)?;
    Some(format!(
        "WARNING: {} listens on the loopback address only ({}), so it is unreachable from outside its container. Listen on 0.0.0.0:{} instead.",
        program.name,
        hit.evidence.location(),
        hit.port
    ))
}

/// EXPOSE and, when the user moved the port of a program that reads `$PORT`, the
/// variable that moves it.
fn port(program: &Program<'_>, settings: &Settings) -> (Option<Choice<u16>>, Vec<EnvVar>) {
    match (&settings.port, &program.listening.port) {
        (Some(set), detected) => {
            let mut env = Vec::new();
            if program.listening.port_env.is_some()
                && detected.as_ref().is_none_or(|d| d.port != set.value)
            {
                env.push(EnvVar {
                    name: "PORT".into(),
                    value: set.value.to_string(),
                    reason: format!("the program reads $PORT; {} sets {}", set.source, set.value),
                });
            }
            let expose = Choice {
                value: set.value,
                reason: format!("set by {}", set.source),
            };
            (Some(expose), env)
        }
        (None, Some(hit)) => {
            let expose = Choice {
                value: hit.port,
                reason: hit.evidence.to_string(),
            };
            (Some(expose), Vec::new())
        }
        (None, None) => (None, Vec::new()),
    }
}
