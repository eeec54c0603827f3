//! Monorepos: every deployable app a project holds (Go `cmd/*`, a cargo workspace's
//! binaries, npm/pnpm/yarn/bun, uv and Maven workspace members), each planned and
//! rendered as if it were picked alone, one `.dockerignore` they share and a
//! `docker-bake.hcl` that builds them all in parallel.
//!
//! A workspace member builds from the workspace root (its lockfile, go.mod or parent
//! pom is there), so its Dockerfile sits at the root as `Dockerfile.<app>` and its
//! bake target's context is the root. Where nothing is at the root, the independent
//! projects in its folders ([`crate::pipeline::Subproject`]) each build from their own
//! folder: `<dir>/Dockerfile`, `<dir>/.dockerignore`, `context = "<dir>"`.

pub mod bake;
mod ignore;

use serde::Serialize;

use crate::detect::Detection;
use crate::detect::paths::join;
use crate::lang::Language;
use crate::pipeline::Analysis;
use crate::plan::{self, BuildPlan, Member, PlanError};
use crate::render::{self, Rendered};
use crate::settings::{Setting, Settings, Source};
use crate::write::apply::DOCKERIGNORE;

/// The `apps` value that means every app found (`init --all`): a new app is picked up
/// by the next `update`, and `check` reports it missing until then.
pub const ALL: &str = "*";

/// One app a language's detector offers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// Its name: the binary's or the package's.
    pub name: String,
    /// Its folder relative to the root ("" for the root).
    pub dir: String,
    pub pick: Pick,
}

/// The setting that makes the planner build one app.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "setting", content = "value", rename_all = "lowercase")]
pub enum Pick {
    Bin(String),
    Package(String),
}

/// Workspace members as candidates, picked by name (`package`).
pub fn members<T: Member>(members: &[T]) -> Vec<Candidate> {
    members
        .iter()
        .map(|m| Candidate {
            name: m.member_name().to_string(),
            dir: m.member_dir().to_string(),
            pick: Pick::Package(m.member_name().to_string()),
        })
        .collect()
}

/// A deployable app of the project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct App {
    /// Its bake target, and the suffix of its Dockerfile: lowercase letters, digits,
    /// `-` and `_` (what bake accepts as a target and Docker as an image name).
    pub target: String,
    pub name: String,
    /// Its folder, relative to the repository root.
    pub dir: String,
    /// The build context: "" for the root (a workspace's members all build from it),
    /// else the folder of the independent project holding the app.
    pub context: String,
    #[serde(serialize_with = "language_name")]
    pub language: Language,
    pub pick: Pick,
    /// Its folder is tooling (`tools/`, `test/`, `examples/`…, from
    /// detectors/apps.toml): `*` leaves it out, naming it builds it.
    pub tooling: bool,
}

#[derive(serde::Deserialize)]
struct AppsData {
    tooling_dirs: Vec<String>,
}

static DATA: std::sync::LazyLock<AppsData> = std::sync::LazyLock::new(|| {
    toml::from_str(include_str!("../../detectors/apps.toml"))
        .expect("detectors/apps.toml is valid (tested)")
});

/// Whether a folder on `dir`'s path holds tooling rather than apps.
pub fn is_tooling(dir: &str) -> bool {
    dir.split('/')
        .any(|part| DATA.tooling_dirs.iter().any(|t| t == part))
}

/// The apps `*` builds: all but tooling, unless tooling is all there is.
pub fn deployable(found: &[App]) -> Vec<App> {
    let apps: Vec<App> = found.iter().filter(|a| !a.tooling).cloned().collect();
    if apps.is_empty() {
        found.to_vec()
    } else {
        apps
    }
}

fn language_name<S: serde::Serializer>(language: &Language, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(language.name())
}

impl App {
    /// Its Dockerfile, relative to the repository root, among the `selected` apps: at
    /// the root `Dockerfile.<app>`; in its own project's folder `Dockerfile`, or
    /// `Dockerfile.<app>` when that project holds several selected apps.
    pub fn dockerfile(&self, selected: &[App]) -> String {
        let alone = selected
            .iter()
            .filter(|a| a.context == self.context)
            .count()
            == 1;
        match (self.context.as_str(), alone) {
            ("", _) => format!("Dockerfile.{}", self.target),
            (dir, true) => format!("{dir}/Dockerfile"),
            (dir, false) => format!("{dir}/Dockerfile.{}", self.target),
        }
    }

    /// How lists and messages name it: `api (cmd/api)`.
    pub fn describe(&self) -> String {
        let dir = if self.dir.is_empty() { "." } else { &self.dir };
        if self.target == self.name {
            format!("{} ({dir})", self.name)
        } else {
            format!("{} ({}, {dir})", self.target, self.name)
        }
    }

    fn answers_to(&self, wanted: &str) -> bool {
        let dir = wanted.trim_start_matches("./").trim_end_matches('/');
        wanted == self.target || wanted == self.name || (!self.dir.is_empty() && dir == self.dir)
    }
}

/// Every app the project offers: the root's, or, when nothing is at the root, those of
/// each independent project in its folders; in detection order, each with a target
/// name no other app has.
pub fn find(analysis: &Analysis) -> Vec<App> {
    let parts: Vec<(&str, &[Detection])> = if analysis.subprojects.is_empty() {
        vec![("", &analysis.detections)]
    } else {
        analysis
            .subprojects
            .iter()
            .map(|s| (s.dir.as_str(), s.analysis.detections.as_slice()))
            .collect()
    };
    let mut apps: Vec<App> = Vec::new();
    for (context, detections) in parts {
        for detection in detections {
            for candidate in detection.apps() {
                let target =
                    unique_target(&candidate, context, |t| apps.iter().any(|a| a.target == t));
                let dir = join(context, &candidate.dir);
                apps.push(App {
                    target,
                    tooling: is_tooling(&candidate.dir),
                    name: candidate.name,
                    dir,
                    context: context.to_string(),
                    language: detection.language(),
                    pick: candidate.pick,
                });
            }
        }
    }
    apps
}

/// The candidate's target name, or, when another app has it (a Go binary and a Node
/// package both `api`), the name and its folder, then a number.
fn unique_target(candidate: &Candidate, context: &str, taken: impl Fn(&str) -> bool) -> String {
    let dir = join(context, &candidate.dir);
    let base = target_name(&candidate.name, &dir);
    let by_dir = sanitize(&dir.replace('/', "-"));
    let tries = [base.clone(), format!("{base}-{by_dir}")];
    if let Some(free) = tries.into_iter().find(|t| !taken(t) && !t.ends_with('-')) {
        return free;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|t| !taken(t))
        .unwrap_or(base)
}

/// A target name from an app's name: an npm scope dropped (`@acme/api` is `api`),
/// lowercase, anything but letters, digits, `-` and `_` made `-`; the folder's last
/// part when nothing is left, else `app`.
fn target_name(name: &str, dir: &str) -> String {
    let unscoped = name.rsplit('/').next().unwrap_or(name);
    [unscoped, dir.rsplit('/').next().unwrap_or(dir)]
        .iter()
        .map(|s| sanitize(s))
        .find(|s| !s.is_empty())
        .unwrap_or_else(|| "app".to_string())
}

fn sanitize(text: &str) -> String {
    let mapped: String = text
        .to_ascii_lowercase()
        .chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' | '_' | '-' => c,
            _ => '-',
        })
        .collect();
    mapped
        .trim_matches(|c: char| !c.is_ascii_alphanumeric())
        .chars()
        .take(48)
        .collect()
}

/// The apps `wanted` names (`*` for all), in the project's order.
pub fn select(found: &[App], wanted: &Setting<Vec<String>>) -> Result<Vec<App>, PlanError> {
    let candidates = || found.iter().map(App::describe).collect::<Vec<_>>();
    let all = wanted.value.iter().any(|w| w == ALL);
    let mut chosen = if all { deployable(found) } else { Vec::new() };
    for name in wanted.value.iter().filter(|w| *w != ALL) {
        if !found.iter().any(|app| app.answers_to(name)) {
            return Err(PlanError::UnknownApp {
                wanted: name.escape_debug().to_string(),
                origin: wanted.source.clone(),
                candidates: candidates(),
            });
        }
    }
    chosen.extend(
        found
            .iter()
            .filter(|app| wanted.value.iter().any(|w| app.answers_to(w)))
            .cloned(),
    );
    // The project's order, each once.
    Ok(found
        .iter()
        .filter(|app| chosen.contains(app))
        .cloned()
        .collect())
}

/// `settings` for one app: its language, and the binary or package that picks it.
fn settings_for(settings: &Settings, app: &App, origin: &Source) -> Settings {
    let mut own = settings.clone();
    own.apps = None;
    own.per_app.clear();
    own.language = Some(Setting {
        value: app.language,
        source: origin.clone(),
    });
    let (slot, value) = match &app.pick {
        Pick::Bin(value) => (&mut own.bin, value),
        Pick::Package(value) => (&mut own.package, value),
    };
    *slot = Some(Setting {
        value: value.clone(),
        source: origin.clone(),
    });
    own
}

/// One app, planned and rendered.
pub struct AppBuild {
    pub app: App,
    /// Its Dockerfile, relative to the repository root.
    pub dockerfile: String,
    pub plan: BuildPlan,
    pub rendered: Rendered,
}

/// Everything a monorepo's run generates.
pub struct Generated {
    pub builds: Vec<AppBuild>,
    /// Each build context's .dockerignore (path relative to the root, text).
    pub dockerignores: Vec<(String, String)>,
    pub bake: String,
}

impl Generated {
    /// The files, relative to the root: each Dockerfile, each context's .dockerignore,
    /// the bake file.
    pub fn files(&self) -> Vec<(String, String)> {
        let mut files: Vec<(String, String)> = self
            .builds
            .iter()
            .map(|b| (b.dockerfile.clone(), b.rendered.dockerfile.clone()))
            .collect();
        files.extend(self.dockerignores.iter().cloned());
        files.push((bake::BAKE_FILE.to_string(), self.bake.clone()));
        files
    }

    /// The files some app's build reads (each relative to its context): no
    /// .dockerignore line may drop them.
    pub fn required(&self) -> Vec<String> {
        required(self.builds.iter())
    }
}

fn required<'a>(builds: impl Iterator<Item = &'a AppBuild>) -> Vec<String> {
    let mut required: Vec<String> = builds
        .flat_map(|b| b.plan.context.required.iter().cloned())
        .collect();
    required.sort();
    required.dedup();
    required
}

/// Plans and renders every app `wanted` (the `apps` setting) selects.
pub fn generate(
    analysis: &Analysis,
    settings: &Settings,
    wanted: &Setting<Vec<String>>,
    root_display: &str,
) -> Result<Generated, crate::Error> {
    // `bin` or `package` as strong as `apps` contradicts it (a weaker one, recorded
    // before `init --all`, gives way: the caller drops it from the record).
    for (key, set) in [("bin", &settings.bin), ("package", &settings.package)] {
        if set
            .as_ref()
            .is_some_and(|s| s.source.precedence() <= wanted.source.precedence())
        {
            return Err(PlanError::AppsAndOne {
                origin: wanted.source.clone(),
                key,
            }
            .into());
        }
    }
    if analysis.detections.is_empty() && analysis.subprojects.is_empty() {
        return Err(PlanError::nothing_detected(root_display, &analysis.project).into());
    }
    let found: Vec<App> = find(analysis)
        .into_iter()
        .filter(|app| {
            settings
                .language
                .as_ref()
                .is_none_or(|l| l.value == app.language)
        })
        .collect();
    let chosen = select(&found, wanted)?;
    // An `[app.<name>]` table must name an app: a typo would silently do nothing.
    if let Some(name) = settings
        .per_app
        .keys()
        .find(|name| !found.iter().any(|app| app.answers_to(name)))
    {
        return Err(PlanError::UnknownApp {
            wanted: name.escape_debug().to_string(),
            origin: Source::ProjectFile(format!("docksmith.toml [app.{name}]")),
            candidates: found.iter().map(App::describe).collect(),
        }
        .into());
    }
    if chosen.is_empty() {
        // Planned as one program, the project says why nothing runs (no entry point,
        // a binary behind a feature); that is the better message.
        if analysis.subprojects.is_empty() {
            let mut one = settings.clone();
            one.apps = None;
            analysis.plan(&one, root_display)?;
        }
        return Err(PlanError::NoApps {
            path: root_display.to_string(),
        }
        .into());
    }
    let mut builds = Vec::new();
    for app in &chosen {
        let part = analysis
            .subprojects
            .iter()
            .find(|s| s.dir == app.context)
            .map_or(analysis, |s| &s.analysis);
        // The app's own `[app.<name>]` settings, else the project's.
        let base = settings
            .per_app
            .iter()
            .find(|(name, _)| app.answers_to(name))
            .map_or(settings, |(_, own)| own);
        let own = settings_for(base, app, &wanted.source);
        let in_app = |source: PlanError| PlanError::InApp {
            app: app.target.clone(),
            source: Box::new(source),
        };
        let display = match app.context.as_str() {
            "" => root_display.to_string(),
            dir => format!("{root_display}/{dir}"),
        };
        let mut plan =
            plan::plan(&part.detections, &part.project, &own, &display).map_err(in_app)?;
        // "The project is also python: docksmith builds the node program" is not so
        // when another app builds the python one.
        let built = |language: Language| chosen.iter().any(|a| a.language == language);
        plan.warnings.retain(|w| {
            !part
                .detections
                .iter()
                .any(|d| built(d.language()) && w.evidence == plan::also_detected(d))
        });
        // A sub-project's files are named from the repository root in what is said.
        if !app.context.is_empty() {
            for warning in &mut plan.warnings {
                if let Some(file) = &mut warning.evidence.file {
                    *file = join(&app.context, file);
                }
            }
        }
        let rendered = render::render(&plan)?;
        builds.push(AppBuild {
            dockerfile: app.dockerfile(&chosen),
            app: app.clone(),
            plan,
            rendered,
        });
    }
    // One .dockerignore per build context, shared by the apps built from it.
    let mut contexts: Vec<&str> = builds.iter().map(|b| b.app.context.as_str()).collect();
    contexts.dedup();
    let dockerignores = contexts
        .iter()
        .map(|context| {
            let here = || builds.iter().filter(|b| b.app.context == *context);
            let ignores: Vec<&str> = here().map(|b| b.rendered.dockerignore.as_str()).collect();
            let path = match *context {
                "" => DOCKERIGNORE.to_string(),
                dir => format!("{dir}/{DOCKERIGNORE}"),
            };
            (
                path,
                ignore::shared(&ignores, &required(here()), context.is_empty()),
            )
        })
        .collect();
    Ok(Generated {
        bake: bake::render(&builds),
        dockerignores,
        builds,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(target: &str, name: &str, dir: &str) -> App {
        App {
            target: target.into(),
            name: name.into(),
            dir: dir.into(),
            context: String::new(),
            language: Language::Go,
            pick: Pick::Bin(name.into()),
            tooling: is_tooling(dir),
        }
    }

    #[test]
    fn tooling_folders_are_left_out_of_all_but_can_be_named() {
        let found = [
            app("exporter", "exporter", ""),
            app("tools", "tools", "tools"),
            app("bench", "bench", "test/bench"),
        ];
        let wanted = |v: &[&str]| Setting {
            value: v.iter().map(|s| s.to_string()).collect(),
            source: Source::Flag("--app".into()),
        };
        let names = |apps: Vec<App>| apps.into_iter().map(|a| a.target).collect::<Vec<_>>();
        assert_eq!(
            names(select(&found, &wanted(&["*"])).unwrap()),
            ["exporter"]
        );
        assert_eq!(
            names(select(&found, &wanted(&["*", "tools"])).unwrap()),
            ["exporter", "tools"]
        );
        // Tooling alone: then it is what there is.
        assert_eq!(deployable(&found[1..]).len(), 2);
    }

    #[test]
    fn target_names_are_safe_for_bake_and_docker() {
        assert_eq!(target_name("@acme/api", "packages/api"), "api");
        assert_eq!(target_name("My_Service.v2", ""), "my_service-v2");
        assert_eq!(target_name("@@@", "apps/web"), "web");
        assert_eq!(target_name("", ""), "app");
        assert_eq!(target_name("-x-", ""), "x");
    }

    #[test]
    fn targets_are_unique_by_folder_then_number() {
        let candidate = |name: &str, dir: &str| Candidate {
            name: name.into(),
            dir: dir.into(),
            pick: Pick::Bin(name.into()),
        };
        let taken = |names: &'static [&'static str]| move |t: &str| names.contains(&t);
        assert_eq!(
            unique_target(&candidate("api", "cmd/api"), "", taken(&[])),
            "api"
        );
        assert_eq!(
            unique_target(&candidate("api", "api"), "web", taken(&["api"])),
            "api-web-api"
        );
        assert_eq!(
            unique_target(&candidate("api", ""), "", taken(&["api"])),
            "api-2"
        );
        assert_eq!(
            unique_target(
                &candidate("api", "x"),
                "",
                taken(&["api", "api-x", "api-2"])
            ),
            "api-3"
        );
    }

    #[test]
    fn select_takes_all_names_or_folders_and_refuses_unknown_names() {
        let found = [
            app("api", "api", "cmd/api"),
            app("worker", "worker", "cmd/worker"),
        ];
        let wanted = |v: &[&str]| Setting {
            value: v.iter().map(|s| s.to_string()).collect(),
            source: Source::Flag("--app".into()),
        };
        assert_eq!(select(&found, &wanted(&["*"])).unwrap().len(), 2);
        let picked = select(&found, &wanted(&["./cmd/worker/"])).unwrap();
        assert_eq!(picked[0].target, "worker");
        // The project's order, not the list's, and each once.
        let picked = select(&found, &wanted(&["worker", "api", "api"])).unwrap();
        assert_eq!(
            picked.iter().map(|a| a.target.as_str()).collect::<Vec<_>>(),
            ["api", "worker"]
        );
        let error = select(&found, &wanted(&["web"])).unwrap_err().to_string();
        assert!(error.contains("no app `web`"), "{error}");
        assert!(error.contains("api (cmd/api)"), "{error}");
    }
}
