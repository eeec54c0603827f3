//! `doctor`: audits an existing Dockerfile and .dockerignore, compares the Dockerfile
//! with docksmith's plan for the project, and with `--fix` rewrites what is safe to
//! rewrite after showing the diff.

use std::path::{Path, PathBuf};

use super::args::DoctorArgs;
use super::comply::read_dockerfile;
use super::{Ctx, Exit};
use crate::bounded::Links;
use crate::doctor::output::{self, Names};
use crate::doctor::{self, DoctorError, Input, ProjectHints, Report, Severity};
use crate::error::Error;
use crate::pipeline;
use crate::plan::BuildPlan;
use crate::settings::{Options, Sources};
use crate::write::WriteError;
use crate::write::atomic::{unified_diff, write_file};

impl Ctx<'_, '_> {
    pub(super) fn doctor(&mut self, args: DoctorArgs) -> Result<Exit, Error> {
        let (root, dockerfile_path) = locate(&args.path, args.file.as_deref());
        let Some(text) = read_in_project(&dockerfile_path, &root)? else {
            return Err(DoctorError::Missing {
                path: dockerfile_path,
            }
            .into());
        };
        // BuildKit reads `<Dockerfile>.dockerignore` beside the Dockerfile first.
        let own_ignore = PathBuf::from(format!("{}.dockerignore", dockerfile_path.display()));
        let ignore_path = if own_ignore.is_file() {
            own_ignore
        } else {
            root.join(".dockerignore")
        };
        let ignore_text = read_in_project(&ignore_path, &root)?;
        let (plan, plan_note) = match self.plan_quietly(&root, &dockerfile_path) {
            Ok(plan) => (Some(plan), None),
            Err(e) => (None, Some(e.to_string())),
        };
        let names_owned = (shown(&dockerfile_path), shown(&ignore_path));
        let names = Names {
            dockerfile: &names_owned.0,
            dockerignore: &names_owned.1,
        };
        let project = ProjectHints::of(&root);
        let audit = |text: &str, ignore: Option<&str>| -> Result<Report, Error> {
            let parsed = crate::dockerfile::parse(text).map_err(|source| DoctorError::Parse {
                path: dockerfile_path.clone(),
                source,
            })?;
            Ok(doctor::audit(&Input {
                dockerfile: &parsed,
                dockerignore: ignore,
                project: project.clone(),
                plan: plan.as_ref(),
            }))
        };
        let mut report = audit(&text, ignore_text.as_deref())?;
        if args.fix {
            let fixed = doctor::apply_fixes(&text, ignore_text.as_deref(), &report.findings);
            let mut diff = unified_diff(&names_owned.0, Some(&text), &fixed.dockerfile);
            if let Some(new_ignore) = &fixed.dockerignore {
                diff.push_str(&unified_diff(
                    &names_owned.1,
                    ignore_text.as_deref(),
                    new_ignore,
                ));
            }
            if diff.is_empty() {
                self.say("doctor --fix: nothing it can fix safely");
            } else {
                let _ = write!(self.io.out, "{diff}");
                if let Some(exit) = self.declined_fix(args.yes)? {
                    return Ok(exit);
                }
                write_file(&dockerfile_path, &fixed.dockerfile, true)?;
                if let Some(new_ignore) = &fixed.dockerignore {
                    write_file(&ignore_path, new_ignore, true)?;
                }
                let fixed_count = report.findings.iter().filter(|f| f.fixable).count();
                self.say(&format!(
                    "doctor --fix: {fixed_count} finding{} fixed in {}",
                    if fixed_count == 1 { "" } else { "s" },
                    [
                        Some(names_owned.0.as_str()),
                        fixed.dockerignore.as_ref().map(|_| names_owned.1.as_str())
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" and ")
                ));
                report = audit(
                    &fixed.dockerfile,
                    fixed.dockerignore.as_deref().or(ignore_text.as_deref()),
                )?;
            }
        }
        match args.format.as_str() {
            "json" => self.print_json(&output::json(&report, &names, plan_note.as_deref())),
            "sarif" => self.print_json(&output::sarif(&report, &names)),
            _ => {
                let text = output::human(&report, &names, plan_note.as_deref());
                if args.fix {
                    let _ = write!(self.io.err, "{text}");
                } else {
                    let _ = write!(self.io.out, "{text}");
                }
            }
        }
        let threshold = match args.fail_on.as_str() {
            "never" => None,
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            _ => Some(Severity::Error),
        };
        Ok(match (report.worst(), threshold) {
            (Some(worst), Some(at)) if worst >= at => Exit::Drift,
            _ => Exit::Ok,
        })
    }

    /// docksmith's plan for the project with its recorded answers, no questions; for a
    /// monorepo app's Dockerfile (`Dockerfile.api`, `web/Dockerfile`), that app's plan.
    fn plan_quietly(&mut self, root: &Path, dockerfile: &Path) -> Result<BuildPlan, Error> {
        let analysis = pipeline::analyze(root)?;
        let settings = Sources::load(self.io.env, analysis.view.root())?
            .resolve(Options::default(), Options::default())?;
        let display = root.display().to_string();
        let rel = dockerfile
            .strip_prefix(root)
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default();
        let apps = crate::apps::find(&analysis);
        let named = apps
            .iter()
            .find(|a| a.dockerfile(std::slice::from_ref(a)) == rel || a.dockerfile(&apps) == rel);
        let Some(app) = named else {
            return analysis.plan(&settings, &display);
        };
        let wanted = crate::settings::Setting {
            value: vec![app.target.clone()],
            source: crate::settings::Source::Flag(format!("doctor -f {rel}")),
        };
        let mut generated = crate::apps::generate(&analysis, &settings, &wanted, &display)?;
        Ok(generated.builds.remove(0).plan)
    }

    /// Writes go ahead with `--yes` or a yes at the terminal; otherwise the exit code
    /// to stop with: 3 without a terminal to ask on, 5 when the user said no.
    fn declined_fix(&mut self, yes: bool) -> Result<Option<Exit>, Error> {
        if yes {
            return Ok(None);
        }
        if !self.interactive() {
            self.say("doctor --fix: nothing written: no terminal to confirm on\nhint: review the diff above, then run again with --yes");
            return Ok(Some(Exit::NeedsAnswer));
        }
        if self.io.prompter.confirm("Write these changes?", false)? {
            return Ok(None);
        }
        self.say("doctor --fix: nothing written");
        Ok(Some(Exit::Conflict))
    }
}

/// A file's text; a symbolic link is followed when it stays inside the project
/// (vaultwarden's `Dockerfile -> docker/Dockerfile.debian`), refused when it leads out.
fn read_in_project(path: &Path, root: &Path) -> Result<Option<String>, Error> {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let links = if !is_link {
        Links::Refuse
    } else {
        let inside = match (path.canonicalize(), root.canonicalize()) {
            (Ok(target), Ok(root)) => target.starts_with(root),
            // A dangling link: nothing to read.
            (Err(_), _) => return Ok(None),
            (_, Err(_)) => false,
        };
        if !inside {
            return Err(WriteError::Symlink {
                path: path.to_path_buf(),
            }
            .into());
        }
        Links::Follow
    };
    read_dockerfile(path, links)
}

/// The project root and the Dockerfile: PATH may be either.
fn locate(path: &Path, file: Option<&Path>) -> (PathBuf, PathBuf) {
    if path.is_file() {
        let root = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        return (root, path.to_path_buf());
    }
    let dockerfile = match file {
        Some(f) if f.is_absolute() => f.to_path_buf(),
        Some(f) => path.join(f),
        None => path.join("Dockerfile"),
    };
    (path.to_path_buf(), dockerfile)
}

/// A path as the report names it: `Dockerfile`, not `./Dockerfile`.
fn shown(path: &Path) -> String {
    let text = path.display().to_string();
    text.strip_prefix("./").map(str::to_string).unwrap_or(text)
}
