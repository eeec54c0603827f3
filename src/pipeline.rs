//! The pipeline end to end, for the command line and for tests: scan and detect a
//! project once, then plan and render it for given settings.

use std::path::{Path, PathBuf};

use crate::detect::project::{self, ProjectFacts};
use crate::detect::{self, Detection};
use crate::error::Error;
use crate::lang;
use crate::plan::{self, BuildPlan};
use crate::render::{self, Rendered};
use crate::scan::{ProjectView, ScanLimits};
use crate::settings::Settings;

/// A scanned and detected project.
pub struct Analysis {
    pub view: ProjectView,
    pub detections: Vec<Detection>,
    pub project: ProjectFacts,
    /// When nothing docksmith builds is at the root: the independent projects in its
    /// folders (`services/api/go.mod`, `web/package.json`), each its own build context.
    pub subprojects: Vec<Subproject>,
}

/// An independent project in a folder of the repository.
pub struct Subproject {
    /// Its folder, relative to the repository root.
    pub dir: String,
    pub analysis: Analysis,
}

/// How deep below the root a sub-project's manifest may be (`services/api/go.mod` is 2).
const SUBPROJECT_DEPTH: usize = 3;
/// At most this many sub-projects are read (the first, outermost, by name): a
/// repository with thousands of manifests is not a set of services.
const MAX_SUBPROJECTS: usize = 64;

/// Scans `root` and runs every detector; when nothing is found there, reads the
/// independent projects in its folders.
pub fn analyze(root: &Path) -> Result<Analysis, Error> {
    let mut analysis = analyze_one(root)?;
    if analysis.detections.is_empty() {
        analysis.subprojects = subprojects(&analysis.view)?;
    }
    Ok(analysis)
}

fn analyze_one(root: &Path) -> Result<Analysis, Error> {
    let view = ProjectView::open(root, ScanLimits::default())?;
    let detections = detect::detect_all(&view)?;
    let project = project::detect(&view)?;
    Ok(Analysis {
        view,
        detections,
        project,
        subprojects: Vec::new(),
    })
}

/// The outermost folders (up to [`SUBPROJECT_DEPTH`] deep) holding a project
/// manifest that docksmith builds, tooling folders left out; a folder inside one is
/// part of it.
fn subprojects(view: &ProjectView) -> Result<Vec<Subproject>, Error> {
    let mut dirs: Vec<&str> = view
        .files()
        .filter_map(|file| {
            let (dir, name) = file.rsplit_once('/')?;
            let shallow = dir.split('/').count() <= SUBPROJECT_DEPTH;
            (shallow && lang::ROOT_MANIFESTS.contains(&name)).then_some(dir)
        })
        .collect();
    dirs.sort_by_key(|d| (d.split('/').count(), *d));
    dirs.dedup();
    let mut found: Vec<Subproject> = Vec::new();
    for dir in dirs {
        if found.len() == MAX_SUBPROJECTS
            || crate::apps::is_tooling(dir)
            || found
                .iter()
                .any(|s| dir.starts_with(&format!("{}/", s.dir)))
        {
            continue;
        }
        let analysis = analyze_one(&view.root().join(dir))?;
        if !analysis.detections.is_empty() {
            found.push(Subproject {
                dir: dir.to_string(),
                analysis,
            });
        }
    }
    Ok(found)
}

/// Scans `start`, or, when nothing there is a project docksmith builds (nor in its
/// folders), the nearest folder above it holding a project manifest, never above the
/// repository root (the folder with `.git`): run from `cmd/api`, the Go module's root
/// is the project. Returns the analysis and, when it moved up, the root it chose.
pub fn analyze_upward(start: &Path) -> Result<(Analysis, Option<PathBuf>), Error> {
    let here = analyze(start)?;
    if !here.detections.is_empty() || !here.subprojects.is_empty() {
        return Ok((here, None));
    }
    let mut dir = here.view.root().to_path_buf();
    while !dir.join(".git").exists() {
        let Some(parent) = dir.parent() else {
            break;
        };
        dir = parent.to_path_buf();
        if lang::ROOT_MANIFESTS.iter().any(|m| dir.join(m).is_file()) {
            let above = analyze(&dir)?;
            if !above.detections.is_empty() {
                return Ok((above, Some(dir)));
            }
        }
    }
    Ok((here, None))
}

impl Analysis {
    /// Plans the build for `settings`.
    pub fn plan(&self, settings: &Settings, root_display: &str) -> Result<BuildPlan, Error> {
        if self.detections.is_empty() && !self.subprojects.is_empty() {
            return Err(plan::PlanError::OnlySubprojects {
                path: root_display.to_string(),
                dirs: self.subprojects.iter().map(|s| s.dir.clone()).collect(),
            }
            .into());
        }
        Ok(plan::plan(
            &self.detections,
            &self.project,
            settings,
            root_display,
        )?)
    }
}

/// What one run generates: one program's Dockerfile and .dockerignore, or, when the
/// `apps` setting is set, a monorepo's Dockerfiles, .dockerignore and bake file.
pub enum Output {
    One {
        /// Boxed: a plan is large, and the monorepo's variant holds its plans in a Vec.
        plan: Box<BuildPlan>,
        rendered: Rendered,
    },
    Apps(crate::apps::Generated),
}

impl Output {
    /// The files, by name at the root.
    pub fn files(&self) -> Vec<(String, String)> {
        match self {
            Output::One { rendered, .. } => crate::write::apply::single(rendered),
            Output::Apps(apps) => apps.files(),
        }
    }

    /// The files a build reads: no .dockerignore line may drop them.
    pub fn required(&self) -> Vec<String> {
        match self {
            Output::One { plan, .. } => plan.context.required.clone(),
            Output::Apps(apps) => apps.required(),
        }
    }

    /// Every plan made.
    pub fn plans(&self) -> Vec<&BuildPlan> {
        match self {
            Output::One { plan, .. } => vec![plan],
            Output::Apps(apps) => apps.builds.iter().map(|b| &b.plan).collect(),
        }
    }
}

impl Analysis {
    /// Plans and renders what `settings` ask for: one program, or every app.
    pub fn output(&self, settings: &Settings, root_display: &str) -> Result<Output, Error> {
        // A flag or variable picking one app outranks the recorded `apps`: the user
        // asked for that app alone this time (`generate --package web`).
        let one = [&settings.bin, &settings.package]
            .into_iter()
            .flatten()
            .map(|s| s.source.precedence())
            .min();
        let apps = settings
            .apps
            .as_ref()
            .filter(|a| one.is_none_or(|one| a.source.precedence() <= one));
        if let Some(wanted) = apps {
            return Ok(Output::Apps(crate::apps::generate(
                self,
                settings,
                wanted,
                root_display,
            )?));
        }
        let plan = self.plan(settings, root_display)?;
        let rendered = render(&plan)?;
        Ok(Output::One {
            plan: Box::new(plan),
            rendered,
        })
    }
}

/// Renders a plan.
pub fn render(plan: &BuildPlan) -> Result<Rendered, Error> {
    Ok(render::render(plan)?)
}

/// Analyses, plans and renders in one call.
pub fn generate(root: &Path, settings: &Settings) -> Result<(BuildPlan, Rendered), Error> {
    let analysis = analyze(root)?;
    let plan = analysis.plan(settings, &root.display().to_string())?;
    let rendered = render(&plan)?;
    Ok((plan, rendered))
}
