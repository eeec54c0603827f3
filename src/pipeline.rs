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
}

/// Scans `root` and runs every detector.
pub fn analyze(root: &Path) -> Result<Analysis, Error> {
    let view = ProjectView::open(root, ScanLimits::default())?;
    let detections = detect::detect_all(&view)?;
    let project = project::detect(&view)?;
    Ok(Analysis {
        view,
        detections,
        project,
    })
}

/// Scans `start`, or, when nothing there is a project docksmith builds, the nearest
/// folder above it holding a project manifest, never above the repository root (the
/// folder with `.git`): run from `cmd/api`, the Go module's root is the project.
/// Returns the analysis and, when it moved up, the root it chose.
pub fn analyze_upward(start: &Path) -> Result<(Analysis, Option<PathBuf>), Error> {
    let here = analyze(start)?;
    if !here.detections.is_empty() {
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
        if settings.apps.is_some() {
            return Ok(Output::Apps(crate::apps::generate(
                &self.detections,
                &self.project,
                settings,
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
