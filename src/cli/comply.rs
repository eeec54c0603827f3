//! `check` with a standards pack: besides drift, whether the Dockerfile as it stands
//! follows the pack (hand edits and hand-written files included).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use super::args::GenerateArgs;
use super::sync::Mode;
use super::{Ctx, Exit};
use crate::error::Error;
use crate::pipeline;
use crate::settings::{Options, PROJECT_FILE, Sources};
use crate::standards::comply::{self, Finding};
use crate::standards::{Pack, variables};
use crate::write::WriteError;

/// A Dockerfile larger than this is no Dockerfile.
const MAX_DOCKERFILE_BYTES: u64 = 1024 * 1024;

#[derive(Serialize)]
struct Report<'a> {
    schema_version: u32,
    file: String,
    pack: PackJson<'a>,
    complies: bool,
    findings: Vec<Finding>,
}

#[derive(Serialize)]
struct PackJson<'a> {
    name: &'a str,
    version: Option<&'a str>,
    hash: &'a str,
}

impl Ctx<'_, '_> {
    /// `check`: the drift check where docksmith manages the project, then, when a
    /// standards pack is in effect, the compliance audit. Either failing exits 4.
    pub(super) fn check(
        &mut self,
        path: &Path,
        strict: bool,
        json: bool,
        options: GenerateArgs,
    ) -> Result<Exit, Error> {
        if options.show_settings {
            return self.sync(path, Mode::Check { strict }, options);
        }
        let (analysis, _) = pipeline::analyze_upward(path)?;
        let root = analysis.view.root().to_path_buf();
        let repo_url = analysis
            .project
            .source_url
            .as_ref()
            .map(|f| f.value.as_str());
        let pack = pack_in_effect(self.io.env, &root, options.options.clone(), repo_url)?;
        let Some((pack, values, apps)) = pack else {
            if json {
                self.say("error: `check --json` reports compliance with a standards pack, and none is set\nhint: pass --standards DIR (or set `standards` in docksmith.toml)");
                return Ok(Exit::Usage);
            }
            return self.sync(path, Mode::Check { strict }, options);
        };
        // A monorepo's every Dockerfile.<app>, else the Dockerfile.
        let dockerfiles: Vec<String> = match apps {
            Some(wanted) => {
                let chosen = crate::apps::select(&crate::apps::find(&analysis), &wanted)?;
                chosen.iter().map(|a| a.dockerfile(&chosen)).collect()
            }
            None => vec!["Dockerfile".to_string()],
        };
        let managed = root.join(PROJECT_FILE).exists();
        let drift = if managed && !json {
            self.sync(path, Mode::Check { strict }, options)?
        } else {
            Exit::Ok
        };
        let mut complies = true;
        let mut reports = Vec::new();
        for name in &dockerfiles {
            let shown = path.join(name);
            let findings = match read_dockerfile(&root.join(name), crate::bounded::Links::Refuse)? {
                Some(text) => comply::audit(&pack, &text, &values),
                None => vec![Finding {
                    line: 0,
                    rule: "file",
                    message: format!("there is no {name}"),
                }],
            };
            complies &= findings.is_empty();
            if json {
                reports.push(Report {
                    schema_version: 1,
                    file: shown.display().to_string(),
                    pack: PackJson {
                        name: &pack.id.name,
                        version: pack.id.version.as_deref(),
                        hash: &pack.id.hash,
                    },
                    complies: findings.is_empty(),
                    findings,
                });
            } else {
                self.report_findings(&shown, &pack, &findings);
            }
        }
        if json {
            // One report, as before monorepos; a monorepo's reports as an array.
            let text = match reports.as_slice() {
                [one] => serde_json::to_string_pretty(one),
                all => serde_json::to_string_pretty(all),
            };
            let _ = writeln!(self.io.out, "{}", text.unwrap_or_default());
        }
        Ok(match (drift, complies) {
            (Exit::Ok, false) => Exit::Drift,
            (drift, _) => drift,
        })
    }

    fn report_findings(&mut self, shown: &Path, pack: &Pack, findings: &[Finding]) {
        for finding in findings {
            let _ = writeln!(
                self.io.out,
                "{}:{}: {}: {}",
                shown.display(),
                finding.line,
                finding.rule,
                finding.message
            );
        }
        let verdict = match findings.len() {
            0 => format!("{} follows {}", shown.display(), pack.id),
            n => format!(
                "{}: {n} finding{} against {}",
                self.paint.error("does not comply"),
                if n == 1 { "" } else { "s" },
                pack.id
            ),
        };
        self.say(&verdict);
    }
}

/// The pack the settings select (flags, environment, docksmith.toml; a personal
/// config never decides what CI checks).
/// A pack, its variables' values as far as they are known, and the monorepo's apps
/// setting when there is one.
type PackInEffect = (
    std::sync::Arc<Pack>,
    BTreeMap<String, String>,
    Option<crate::settings::Setting<Vec<String>>>,
);

fn pack_in_effect(
    env: &dyn crate::settings::Environment,
    root: &Path,
    flags: Options,
    repo_url: Option<&str>,
) -> Result<Option<PackInEffect>, Error> {
    let sources = Sources::load(env, root)?.without_user_config();
    let settings = sources.resolve(flags, Options::default())?;
    Ok(settings.pack.map(|pack| {
        let values = variables::known(&pack, settings.vars.as_ref(), repo_url);
        (pack, values, settings.apps.clone())
    }))
}

/// The Dockerfile's text, or `None` when there is none; only a regular file, bounded.
pub(super) fn read_dockerfile(
    path: &Path,
    links: crate::bounded::Links,
) -> Result<Option<String>, Error> {
    let read_error = |source| WriteError::Read {
        path: path.to_path_buf(),
        source,
    };
    match crate::bounded::read(path, MAX_DOCKERFILE_BYTES, links) {
        Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
        Err(e) if e.is_not_found() => Ok(None),
        Err(crate::bounded::ReadError::Io(e)) => Err(read_error(e).into()),
        Err(e) => Err(read_error(std::io::Error::other(e.to_string())).into()),
    }
}
