//! The pipeline end to end, for the command line and for tests: scan and detect a
//! project once, then plan and render it for given settings.

use std::path::Path;

use crate::detect::project::{self, ProjectFacts};
use crate::detect::{self, Detection};
use crate::error::Error;
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
