//! `update --adopt`: docksmith takes over a project whose Dockerfile someone wrote.
//! Their file is kept as it is; docksmith's text goes beside it (`Dockerfile.docksmith`)
//! with the diff between the two, and is recorded as the base later `update`s merge
//! against. From then on, `check` passes while docksmith would change nothing, and
//! `update` merges docksmith's own changes into their file (marking overlaps).

use std::path::Path;

use super::Ctx;
use super::args::GenerateArgs;
use crate::error::{Error, Exit};
use crate::settings::{PROJECT_FILE, Sources};
use crate::write::apply::{self, Merge};
use crate::write::record::RecordError;

impl Ctx<'_, '_> {
    pub(super) fn adopt(
        &mut self,
        path: &Path,
        dry_run: bool,
        options: GenerateArgs,
    ) -> Result<Exit, Error> {
        let (analysis, path) = self.analyze(path)?;
        let root = analysis.view.root();
        let _lock = if dry_run {
            None
        } else {
            Some(crate::write::lock::ProjectLock::acquire(root)?)
        };
        // Like `update`, from what the team shares: never a personal config file.
        let sources = Sources::load(self.io.env, root)?.without_user_config();
        if sources.generated.is_some() {
            return Err(RecordError::AlreadySetUp {
                path: root.join(PROJECT_FILE),
            }
            .into());
        }
        let settings = sources.resolve(options.into_options(), Default::default())?;
        let output = analysis.output(&settings, &path.display().to_string())?;
        for plan in output.plans() {
            self.warn(&plan.warnings);
        }
        let mut changes = apply::changes(
            root,
            &output.files(),
            &output.required(),
            None,
            Merge::Replace,
        )?;
        changes.adopt();
        // What docksmith would write instead of each kept file, for the user to judge.
        let diffs: String = changes.adopted().iter().map(|c| c.diff()).collect();
        let painted = if self.io.color_terminal {
            self.paint.diff(&diffs)
        } else {
            diffs
        };
        let _ = write!(self.io.out, "{painted}");
        if dry_run {
            let recorded = changes.project_file_diff(root, &settings, false, None)?;
            let _ = write!(self.io.out, "{recorded}");
            return Ok(Exit::Ok);
        }
        self.commit(root, &changes, &settings, false, None)?;
        for change in changes.adopted() {
            let beside = change.beside();
            self.say(&format!("  create     {beside}"));
            self.say(&format!(
                "adopted: your {name} stays as it is; docksmith's is in {beside} (the diff above goes from yours to it). `docksmith check` passes until docksmith would change something; `docksmith update` then merges its changes into your {name}, marking lines you both changed. To take docksmith's whole file: mv {beside} {name}; otherwise delete {beside}.",
                name = change.name
            ));
        }
        Ok(Exit::Ok)
    }
}
