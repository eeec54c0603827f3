//! Monorepos: every deployable app a project holds (Go `cmd/*`, a cargo workspace's
//! binaries, npm/pnpm/yarn/bun, uv and Maven workspace members), each planned and
//! rendered as if it were picked alone, one `.dockerignore` they share and a
//! `docker-bake.hcl` that builds them all in parallel.
//!
//! A workspace member builds from the workspace root (its lockfile, go.mod or parent
//! pom is there), so every Dockerfile sits at the root as `Dockerfile.<app>` and every
//! bake target's context is the root.

pub mod bake;
mod ignore;

use serde::Serialize;

use crate::detect::Detection;
use crate::detect::project::ProjectFacts;
use crate::lang::Language;
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
    pub dir: String,
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
fn is_tooling(dir: &str) -> bool {
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
    /// The Dockerfile's name at the root.
    pub fn dockerfile(&self) -> String {
        format!("Dockerfile.{}", self.target)
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

/// Every app the detections offer, in detection order, each with a target name no
/// other app has.
pub fn find(detections: &[Detection]) -> Vec<App> {
    let mut apps: Vec<App> = Vec::new();
    for detection in detections {
        for candidate in detection.apps() {
            let mut target = target_name(&candidate.name, &candidate.dir);
            let taken = |t: &str| apps.iter().any(|a| a.target == t);
            if taken(&target) {
                // Two apps of one name (a Go binary and a Node package both `api`):
                // the folder tells them apart, then a number.
                let by_dir = sanitize(&candidate.dir.replace('/', "-"));
                let mut n = 2;
                target = format!("{target}-{by_dir}");
                while taken(&target) {
                    target = format!("{}-{n}", target_name(&candidate.name, &candidate.dir));
                    n += 1;
                }
            }
            apps.push(App {
                target,
                tooling: is_tooling(&candidate.dir),
                name: candidate.name,
                dir: candidate.dir,
                language: detection.language(),
                pick: candidate.pick,
            });
        }
    }
    apps
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
    pub plan: BuildPlan,
    pub rendered: Rendered,
}

/// Everything a monorepo's run generates.
pub struct Generated {
    pub builds: Vec<AppBuild>,
    pub dockerignore: String,
    pub bake: String,
}

impl Generated {
    /// The files, by name at the root: each Dockerfile, the .dockerignore, the bake file.
    pub fn files(&self) -> Vec<(String, String)> {
        let mut files: Vec<(String, String)> = self
            .builds
            .iter()
            .map(|b| (b.app.dockerfile(), b.rendered.dockerfile.clone()))
            .collect();
        files.push((DOCKERIGNORE.to_string(), self.dockerignore.clone()));
        files.push((bake::BAKE_FILE.to_string(), self.bake.clone()));
        files
    }

    /// The files some app's build reads: no .dockerignore line may drop them.
    pub fn required(&self) -> Vec<String> {
        let mut required: Vec<String> = self
            .builds
            .iter()
            .flat_map(|b| b.plan.context.required.iter().cloned())
            .collect();
        required.sort();
        required.dedup();
        required
    }
}

/// Plans and renders every app `settings.apps` selects.
pub fn generate(
    detections: &[Detection],
    project: &ProjectFacts,
    settings: &Settings,
    root_display: &str,
) -> Result<Generated, crate::Error> {
    let Some(wanted) = &settings.apps else {
        return Err(PlanError::NoApps {
            path: root_display.to_string(),
        }
        .into());
    };
    for (key, set) in [
        ("bin", settings.bin.is_some()),
        ("package", settings.package.is_some()),
    ] {
        if set {
            return Err(PlanError::AppsAndOne {
                origin: wanted.source.clone(),
                key,
            }
            .into());
        }
    }
    if detections.is_empty() {
        return Err(PlanError::nothing_detected(root_display, project).into());
    }
    let found: Vec<App> = find(detections)
        .into_iter()
        .filter(|app| {
            settings
                .language
                .as_ref()
                .is_none_or(|l| l.value == app.language)
        })
        .collect();
    let chosen = select(&found, wanted)?;
    if chosen.is_empty() {
        return Err(PlanError::NoApps {
            path: root_display.to_string(),
        }
        .into());
    }
    let mut builds = Vec::new();
    for app in chosen {
        let own = settings_for(settings, &app, &wanted.source);
        let in_app = |source: PlanError| PlanError::InApp {
            app: app.target.clone(),
            source: Box::new(source),
        };
        let plan = plan::plan(detections, project, &own, root_display).map_err(in_app)?;
        let rendered = render::render(&plan)?;
        builds.push(AppBuild {
            app,
            plan,
            rendered,
        });
    }
    let mut generated = Generated {
        dockerignore: String::new(),
        bake: bake::render(&builds),
        builds,
    };
    let ignores: Vec<&str> = generated
        .builds
        .iter()
        .map(|b| b.rendered.dockerignore.as_str())
        .collect();
    generated.dockerignore = ignore::shared(&ignores, &generated.required());
    Ok(generated)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(target: &str, name: &str, dir: &str) -> App {
        App {
            target: target.into(),
            name: name.into(),
            dir: dir.into(),
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
