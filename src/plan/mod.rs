//! Planning: facts plus settings become a [`BuildPlan`], every choice with its reason.
//!
//! The plan is the whole decision: rendering reads only the plan and never decides,
//! and the plan never holds Dockerfile text. It serialises (`docksmith plan --json`)
//! with a versioned schema.

mod checks;
pub mod command;
mod error;
pub mod org;
mod overrides;
pub mod program;
pub mod runtime;

use serde::Serialize;

pub use checks::{check_file_name, check_path, check_text};
pub use error::PlanError;
pub use overrides::{add_runtime_packages, set_user_ids};

use crate::data::{Flavor, Installer, Libc, Provision, UserSetup};
use crate::detect::project::ProjectFacts;
use crate::detect::{Detection, Evidence, Language, Warning};
use crate::lang::Build;
use crate::settings::{Setting, Settings, Syntax};

/// The Dockerfile frontend `# syntax=` names (a standards pack may mirror and pin it).
pub const SYNTAX_IMAGE: &str = "docker/dockerfile:1";

/// Bumped whenever a field of the JSON output changes meaning or disappears.
pub const SCHEMA_VERSION: u32 = 2;

/// Everything needed to write a project's container build.
#[derive(Clone, Debug)]
pub struct BuildPlan {
    pub schema_version: u32,
    pub syntax: Syntax,
    /// The `# syntax=` frontend image, when `syntax` is `1`.
    pub syntax_image: String,
    /// The org standards pack applied (`standards pack `acme` 2026.12.1`).
    pub standards: Option<String>,
    /// The pack's replacements for docksmith's templates (not in the JSON plan).
    pub templates: crate::render::Overrides,
    /// What the pack adds to the build stages.
    pub org: org::OrgBuild,
    /// The pack's variables and their values (templates read them as `vars`).
    pub vars: std::collections::BTreeMap<String, String>,
    pub flavor: Choice<Flavor>,
    pub builder: Choice<String>,
    /// The name of the stage that builds the program (what the runtime copies from).
    pub build_stage: String,
    pub runtime: RuntimeStage,
    /// The language's own part, serialized under the language's name.
    pub build: Build,
    pub context: BuildContext,
    /// Options considered and not taken, with the reason.
    pub rejected: Vec<Rejection>,
    pub warnings: Vec<Warning>,
    /// Defaults the wizard offers to turn off (not part of the JSON plan: the
    /// warnings say the same).
    pub offers: Vec<Offer>,
}

impl BuildPlan {
    /// The skeleton every wing fills the same way (schema, frontend, flavor, builder,
    /// runtime, its own build); the wing then adds its context, rejections and
    /// warnings.
    pub fn new(
        settings: &Settings,
        flavor: Choice<Flavor>,
        builder: Choice<String>,
        runtime: RuntimeStage,
        build: Build,
    ) -> BuildPlan {
        BuildPlan {
            schema_version: SCHEMA_VERSION,
            syntax: settings.syntax(),
            syntax_image: SYNTAX_IMAGE.into(),
            standards: None,
            templates: Default::default(),
            org: Default::default(),
            vars: Default::default(),
            flavor,
            builder,
            build_stage: program::BUILD_STAGE.into(),
            runtime,
            build,
            context: BuildContext {
                required: Vec::new(),
                exclude: Vec::new(),
            },
            rejected: Vec::new(),
            warnings: Vec::new(),
            offers: Vec::new(),
        }
    }

    /// The files the build needs and the ones the context leaves out.
    pub fn with_context(mut self, required: Vec<String>, exclude: Vec<Exclude>) -> Self {
        self.context = BuildContext { required, exclude };
        self
    }

    /// The options turned down and what the user should know.
    pub fn with_findings(mut self, rejected: Vec<Rejection>, warnings: Vec<Warning>) -> Self {
        self.rejected = rejected;
        self.warnings = warnings;
        self
    }

    /// Defaults the wizard offers to turn off.
    pub fn with_offers(mut self, offers: Vec<Offer>) -> Self {
        self.offers = offers;
        self
    }

    /// The language built; derived from the build, never stored beside it.
    pub fn language(&self) -> Language {
        self.build.language()
    }
}

/// The JSON shape of schema 1: `language` up front and the build under the language's
/// name (`"go": {…}`), as before the build became one enum.
impl Serialize for BuildPlan {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Shape<'a> {
            schema_version: u32,
            language: Language,
            syntax: Syntax,
            syntax_image: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            standards: Option<&'a str>,
            #[serde(skip_serializing_if = "org::OrgBuild::is_empty")]
            org: &'a org::OrgBuild,
            #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
            vars: &'a std::collections::BTreeMap<String, String>,
            flavor: &'a Choice<Flavor>,
            builder: &'a Choice<String>,
            build_stage: &'a str,
            runtime: &'a RuntimeStage,
            #[serde(flatten)]
            build: &'a Build,
            context: &'a BuildContext,
            rejected: &'a [Rejection],
            warnings: &'a [Warning],
        }
        Shape {
            schema_version: self.schema_version,
            language: self.language(),
            syntax: self.syntax,
            syntax_image: &self.syntax_image,
            standards: self.standards.as_deref(),
            org: &self.org,
            vars: &self.vars,
            flavor: &self.flavor,
            builder: &self.builder,
            build_stage: &self.build_stage,
            runtime: &self.runtime,
            build: &self.build,
            context: &self.context,
            rejected: &self.rejected,
            warnings: &self.warnings,
        }
        .serialize(serializer)
    }
}

/// A decision and why it was made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Choice<T> {
    pub value: T,
    pub reason: String,
}

impl<T> Choice<T> {
    pub fn new(value: T, reason: impl ToString) -> Self {
        Choice {
            value,
            reason: reason.to_string(),
        }
    }
}

/// A default the wizard offers to turn off: a boolean setting that docksmith
/// applied because nobody said otherwise.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Offer {
    /// The setting's key (docksmith.toml), set to false when declined.
    pub key: &'static str,
    /// The question, answered yes by default.
    pub question: String,
}

/// An option not taken.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rejection {
    pub option: String,
    pub reason: String,
}

/// The final stage: what the image runs on and what it contains.
#[derive(Clone, Debug, Serialize)]
pub struct RuntimeStage {
    pub image: Choice<String>,
    pub libc: Libc,
    pub user: RuntimeUser,
    pub certificates: Provision,
    pub timezones: Provision,
    /// The runtime's package manager, when packages must be installed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub installer: Option<Installer>,
    /// Packages installed into the runtime image.
    pub packages: Vec<String>,
    /// A working directory that stays root's (static runtimes that write nothing).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workdir: Option<String>,
    /// A working directory created after USER, so the user owns it: a program
    /// that writes relative paths (SQLite files, caches) can, while the code
    /// copied into it stays root's. Schema 2 moved Node and Java here.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_workdir: Option<String>,
    /// Files copied in, in order.
    pub artifacts: Vec<Artifact>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expose: Option<Choice<u16>>,
    pub env: Vec<EnvVar>,
    pub entrypoint: Vec<String>,
    /// CMD: the arguments the entrypoint runs with.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub command: Vec<String>,
    /// HEALTHCHECK CMD, when the image can run a probe without adding one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub healthcheck: Vec<String>,
    pub labels: Vec<Label>,
    /// Warnings that belong in the Dockerfile as comments.
    pub notes: Vec<String>,
}

impl RuntimeStage {
    /// The whole start command (ENTRYPOINT then CMD) as one shell-quoted line, as a
    /// user would type it.
    pub fn start_line(&self) -> String {
        shell_words::join(self.entrypoint.iter().chain(&self.command))
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct RuntimeUser {
    pub name: String,
    pub uid: u32,
    pub gid: u32,
    pub setup: UserSetup,
}

#[derive(Clone, Debug, Serialize)]
pub struct Artifact {
    /// The stage it comes from; empty for the build context.
    pub from: String,
    pub source: String,
    pub target: String,
    /// `uid:gid` to own the copied files, when the program writes next to them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chown: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct EnvVar {
    pub name: String,
    pub value: String,
    pub reason: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Label {
    pub key: String,
    pub value: String,
}

/// Files copied to one folder.
#[derive(Clone, Debug, Serialize)]
pub struct CopyGroup {
    pub sources: Vec<String>,
    /// The folder they go to, relative to the working directory ("./" for the root).
    pub target: String,
}

/// Groups files by their folder, root first: one COPY per folder keeps each path.
pub fn copy_groups(files: &[String]) -> Vec<CopyGroup> {
    let mut groups: Vec<CopyGroup> = Vec::new();
    for file in files {
        let (dir, _) = crate::detect::paths::split_dir(file);
        let target = if dir.is_empty() {
            "./".to_string()
        } else {
            format!("{dir}/")
        };
        match groups.iter_mut().find(|g| g.target == target) {
            Some(group) => group.sources.push(file.clone()),
            None => groups.push(CopyGroup {
                sources: vec![file.clone()],
                target,
            }),
        }
    }
    groups.sort_by(|a, b| (a.target != "./", &a.target).cmp(&(b.target != "./", &b.target)));
    groups
}

/// What the build context must keep, and what it may also leave out.
#[derive(Clone, Debug, Serialize)]
pub struct BuildContext {
    /// Files the build reads: no .dockerignore line may exclude them.
    pub required: Vec<String>,
    /// Further patterns to leave out, with why.
    pub exclude: Vec<Exclude>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Exclude {
    pub pattern: String,
    pub reason: String,
}

/// Plans the build: the language the user chose, else the language that has a
/// program to run (a server before a CLI, then registry order). A manifest that
/// only serves another part of the project (a package.json for front-end tooling
/// beside a Python app, a go.mod for a helper tool) never stops the build.
pub fn plan(
    detections: &[Detection],
    project: &ProjectFacts,
    settings: &Settings,
    root_display: &str,
) -> Result<BuildPlan, PlanError> {
    if detections.is_empty() {
        return Err(PlanError::nothing_detected(root_display, project));
    }
    let (detection, mut plan, without_program) = match &settings.language {
        None => choose_language(detections, project, settings)?,
        Some(wanted) => {
            let detection = detections
                .iter()
                .find(|d| d.language() == wanted.value)
                .ok_or_else(|| PlanError::NoSuchLanguage {
                    wanted: wanted.value,
                    origin: wanted.source.clone(),
                    detected: detections
                        .iter()
                        .map(|d| d.language().to_string())
                        .collect(),
                })?;
            (detection, detection.plan(project, settings)?, Vec::new())
        }
    };
    provide_from_builder(&mut plan.runtime);
    overrides::apply(&mut plan, settings)?;
    let repo_url = project.source_url.as_ref().map(|f| f.value.as_str());
    match &settings.pack {
        Some(pack) => crate::standards::apply(&mut plan, pack, settings.vars.as_ref(), repo_url)?,
        None => crate::standards::refuse_vars_without_pack(settings.vars.as_ref())?,
    }
    warn_about_other_languages(&mut plan, settings);
    for other in detections
        .iter()
        .filter(|d| d.language() != detection.language())
    {
        let message = if without_program.contains(&other.language()) {
            format!(
                "the project is also {} ({}), which has no program to run: docksmith builds the {} program",
                other.language(),
                other.manifest(),
                detection.language(),
            )
        } else {
            format!(
                "the project is also {} ({}): docksmith builds the {} program; choose the other with --language {}",
                other.language(),
                other.manifest(),
                detection.language(),
                other.language(),
            )
        };
        plan.warnings.push(Warning {
            message,
            evidence: also_detected(other),
        });
    }
    Ok(plan)
}

/// The evidence of the warning that another language was detected and not built.
pub fn also_detected(other: &Detection) -> Evidence {
    Evidence::file(other.manifest(), "also detected")
}

/// The detection to build when the user did not choose: every language is
/// planned; a server wins over a static site, and both over a program without a
/// port, then registry order.
/// When none has a program, the first error that is not "no program" says why
/// (a choice to make, a server to add), else the first language's.
fn choose_language<'d>(
    detections: &'d [Detection],
    project: &ProjectFacts,
    settings: &Settings,
) -> Result<(&'d Detection, BuildPlan, Vec<Language>), PlanError> {
    let mut planned = Vec::new();
    let mut without_program = Vec::new();
    let mut errors = Vec::new();
    for detection in detections {
        match detection.plan(project, settings) {
            Ok(plan) => planned.push((detection, plan)),
            Err(error @ PlanError::NoBinary { .. }) => {
                without_program.push(detection.language());
                errors.push((false, error));
            }
            Err(error) => errors.push((true, error)),
        }
    }
    // A server first, then a static site (beside a back end, the front end is
    // its assets), then a program without a port; registry order within each.
    let rank = |plan: &BuildPlan| match (
        plan.runtime.expose.is_some(),
        plan.build.serves_files_only(),
    ) {
        (true, false) => 0,
        (_, true) => 1,
        (false, false) => 2,
    };
    if let Some(best) = planned.iter().map(|(_, p)| rank(p)).min() {
        let index = planned
            .iter()
            .position(|(_, p)| rank(p) == best)
            .unwrap_or(0);
        let (detection, plan) = planned.swap_remove(index);
        return Ok((detection, plan, without_program));
    }
    let index = errors.iter().position(|(has_program, _)| *has_program);
    Err(errors.swap_remove(index.unwrap_or(0)).1)
}

/// Switches of another language, asked for where they do not apply.
fn warn_about_other_languages(plan: &mut BuildPlan, settings: &Settings) {
    for &language in Language::ALL {
        if language == plan.language() {
            continue;
        }
        for &(key, asks) in language.own_switches() {
            if let Some(set) = settings.switch(key).filter(|s| s.value) {
                plan.warnings.push(Warning {
                    message: format!(
                        "{} {asks}, which only applies to {} builds: ignored",
                        set.source,
                        language.title()
                    ),
                    evidence: Evidence::default_because("settings"),
                });
            }
        }
    }
}

/// What an empty runtime image takes from the builder, before the program's own
/// files: the passwd and group files of the non-root user (prepared there), the CA
/// bundle and the time zone database.
fn provide_from_builder(runtime: &mut RuntimeStage) {
    let from_builder = |path: &str, target: &str| Artifact {
        from: program::BUILD_STAGE.into(),
        source: path.to_string(),
        target: target.to_string(),
        chown: None,
    };
    let mut provided = Vec::new();
    if runtime.user.setup == UserSetup::PasswdFromBuilder {
        provided.push(from_builder(program::ROOTFS, "/"));
    }
    if runtime.certificates == Provision::Builder {
        provided.push(from_builder(program::CA_BUNDLE, program::CA_BUNDLE));
    }
    if runtime.timezones == Provision::Builder {
        provided.push(from_builder(program::ZONEINFO, program::ZONEINFO));
    }
    runtime.artifacts.splice(0..0, provided);
}

/// An image the settings may replace: the user's when set, else docksmith's own.
pub fn image_choice(
    set: Option<&Setting<String>>,
    ours: impl FnOnce() -> Choice<String>,
) -> Choice<String> {
    match set {
        Some(set) => Choice {
            value: set.value.clone(),
            reason: format!("set by {}", set.source),
        },
        None => ours(),
    }
}

/// A workspace member (an app) the user can choose by name or folder.
pub trait Member {
    fn member_name(&self) -> &str;
    /// The folder ("" for the root).
    fn member_dir(&self) -> &str;
}

/// `--package` (name or folder), else the only member; `none` when there is none.
pub fn choose_member<'a, T: Member>(
    members: &'a [T],
    settings: &Settings,
    none: impl FnOnce() -> PlanError,
) -> Result<&'a T, PlanError> {
    let listed = || -> Vec<(String, String)> {
        members
            .iter()
            .map(|m| {
                let dir = match m.member_dir() {
                    "" => ".",
                    dir => dir,
                };
                (m.member_name().to_string(), dir.to_string())
            })
            .collect()
    };
    if let Some(wanted) = &settings.package {
        let dir = wanted.value.trim_start_matches("./").trim_end_matches('/');
        return members
            .iter()
            .find(|m| m.member_name() == wanted.value || m.member_dir() == dir)
            .ok_or_else(|| PlanError::UnknownPackage {
                wanted: wanted.value.escape_debug().to_string(),
                origin: wanted.source.clone(),
                candidates: listed(),
            });
    }
    match members {
        [] => Err(none()),
        [one] => Ok(one),
        _ => Err(PlanError::AmbiguousPackage {
            candidates: listed(),
        }),
    }
}
