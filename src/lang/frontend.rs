//! A front end another language's build needs, made by Node: a Go program's
//! `//go:embed build/*` over ui/build, a Python app's templates over compiled assets.
//! The output is not in the repository, so a Node stage of its own builds it (from
//! the package.json whose `build` script makes it) and the other build takes it from
//! there.

use serde::Serialize;

use crate::detect::paths::{join, split_dir};
use crate::detect::{DetectError, Fact};
use crate::lang::node::package_manager::{LOCKFILES, Tool};
use crate::plan::CopyGroup;
use crate::scan::ProjectView;

/// A front end the build needs.
#[derive(Clone, Debug, Serialize)]
pub struct Frontend {
    /// The folder (or file) the build needs, relative to the project.
    pub output: String,
    /// The folder whose package.json `build` script makes it.
    pub package_dir: String,
    /// Where dependencies install: the nearest folder with a lockfile at or above
    /// the package (a workspace root), else the package's own.
    pub install_root: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lockfile: Option<String>,
    /// The package manager the lockfile names (npm without one).
    pub tool: Tool,
    /// Every package.json under the install root (a workspace needs them all to
    /// install), the lockfile and the package manager's settings.
    pub manifests: Vec<String>,
}

/// The front end that makes `output` (a folder or file the project does not hold):
/// the nearest package.json at or above it with a `build` script, installed from
/// the nearest lockfile above that. `None` when no package builds there.
pub fn making(view: &ProjectView, output: &str) -> Result<Option<Frontend>, DetectError> {
    let Some(package_dir) = builder_of(view, output)? else {
        return Ok(None);
    };
    Ok(Some(for_package(view, output, package_dir)))
}

/// The front end whose package in `package_dir` builds `output`.
pub fn for_package(view: &ProjectView, output: &str, package_dir: String) -> Frontend {
    let (install_root, lockfile) = install_root(view, &package_dir);
    let tool = tool_of(view, &install_root, lockfile.as_deref());
    let manifests = manifests(view, &install_root, lockfile.as_deref());
    Frontend {
        output: output.to_string(),
        package_dir,
        install_root,
        lockfile,
        tool,
        manifests,
    }
}

/// The Node stages for `frontends`, named `frontend`, `frontend-2`…, each for the
/// program or app `what` describes.
pub fn stages(frontends: &[Fact<Frontend>], what: &str) -> Vec<FrontendStage> {
    frontends
        .iter()
        .enumerate()
        .map(|(i, front)| {
            let name = match i {
                0 => "frontend".to_string(),
                n => format!("frontend-{}", n + 1),
            };
            stage(front, name, what)
        })
        .collect()
}

/// The nearest folder at or above `output`'s parent whose package.json has a
/// `build` script.
fn builder_of(view: &ProjectView, output: &str) -> Result<Option<String>, DetectError> {
    let mut dir = split_dir(output).0.to_string();
    loop {
        let manifest = join(&dir, "package.json");
        if let Some(text) = view.read_manifest(&manifest)?
            && serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .is_some_and(|json| json["scripts"]["build"].is_string())
        {
            return Ok(Some(dir));
        }
        if dir.is_empty() {
            return Ok(None);
        }
        dir = split_dir(&dir).0.to_string();
    }
}

fn install_root(view: &ProjectView, package_dir: &str) -> (String, Option<String>) {
    let mut dir = package_dir.to_string();
    loop {
        if let Some((lockfile, _)) = LOCKFILES
            .iter()
            .find(|(f, _)| view.has_file(&join(&dir, f)))
        {
            return (dir.clone(), Some(join(&dir, lockfile)));
        }
        if dir.is_empty() {
            return (package_dir.to_string(), None);
        }
        dir = split_dir(&dir).0.to_string();
    }
}

/// The Node stage that builds a front end (argv and paths; the template places them).
#[derive(Clone, Debug, Serialize)]
pub struct FrontendStage {
    pub stage: String,
    pub image: String,
    pub reason: String,
    /// The install root in the stage (`/src/<root>`).
    pub install_dir: String,
    /// Manifests and the lockfile, copied before the install.
    pub manifests: Vec<CopyGroup>,
    pub cache: String,
    /// Set for the install: browser downloads off (assets need no browser).
    pub env: Vec<crate::plan::EnvVar>,
    /// Package manager set-up (corepack), then the frozen install (argv each).
    pub setup: Vec<Vec<String>>,
    pub install: Vec<String>,
    /// The install root's files, copied after the install.
    pub sources: String,
    /// Where the build script runs, and the script.
    pub build_dir: String,
    pub build: Vec<String>,
    /// The output in the stage, and where the other build takes it.
    pub output_in_stage: String,
    pub output: String,
}

/// The package manager: the lockfile's (a yarn.lock beside .yarnrc.yml is Yarn 2+).
fn tool_of(view: &ProjectView, install_root: &str, lockfile: Option<&str>) -> Tool {
    let tool = lockfile
        .and_then(|lock| LOCKFILES.iter().find(|(f, _)| split_dir(lock).1 == *f))
        .map_or(Tool::Npm, |(_, tool)| *tool);
    if tool == Tool::YarnClassic && view.has_file(&join(install_root, ".yarnrc.yml")) {
        Tool::YarnBerry
    } else {
        tool
    }
}

/// What the install reads: every package.json under the install root (outside
/// node_modules), the lockfile, and the package manager's settings at the root.
fn manifests(view: &ProjectView, install_root: &str, lockfile: Option<&str>) -> Vec<String> {
    let mut files: Vec<String> = view
        .files()
        .filter(|f| {
            let (dir, name) = split_dir(f);
            crate::detect::paths::is_within(dir, install_root)
                && !f.split('/').any(|p| p == "node_modules")
                && (name == "package.json"
                    || (dir == install_root && matches!(name, ".npmrc" | ".yarnrc.yml")))
        })
        .map(str::to_string)
        .collect();
    files.extend(lockfile.map(str::to_string));
    files.sort();
    files.dedup();
    files
}

/// The Node stage that builds `frontend` (named `stage`), on the newest LTS image.
fn stage(frontend: &Fact<Frontend>, stage: String, what: &str) -> FrontendStage {
    let node = crate::lang::node::data::node();
    let major = node.versions.lts.last().copied().unwrap_or(22);
    let front = &frontend.value;
    let tool = front.tool;
    let words = |text: &str| {
        text.split_whitespace()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let setup = match tool {
        Tool::Npm | Tool::Bun => Vec::new(),
        _ => vec![words("corepack enable")],
    };
    FrontendStage {
        stage,
        image: node.builder.slim.replace("{node}", &major.to_string()),
        reason: format!(
            "{} for {what}, built by {}",
            front.output,
            join(&front.package_dir, "package.json")
        ),
        install_dir: join("/src", &front.install_root),
        manifests: crate::plan::copy_groups(&front.manifests)
            .into_iter()
            .map(|g| {
                let folder = g.target.trim_end_matches('/').trim_start_matches('.');
                CopyGroup {
                    target: format!("{}/", join("/src", folder.trim_start_matches('/'))),
                    ..g
                }
            })
            .collect(),
        cache: crate::lang::node::install::cache_dir(tool),
        env: crate::lang::node::quirks::skip_browser_downloads(
            node.browser_downloads
                .iter()
                .map(|d| (d, "an assets build needs no browser".to_string())),
        ),
        setup,
        install: words(&crate::lang::node::install::install_command(
            tool,
            front.lockfile.is_some(),
        )),
        sources: if front.install_root.is_empty() {
            ".".into()
        } else {
            front.install_root.clone()
        },
        build_dir: join("/src", &front.package_dir),
        build: vec![tool.command().to_string(), "run".into(), "build".into()],
        output_in_stage: join("/src", &front.output),
        output: front.output.clone(),
    }
}
