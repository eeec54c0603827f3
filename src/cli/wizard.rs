//! The interactive wizard of `docksmith init`: a few questions, each seeded by what
//! docksmith detected and saying why, each skipped when a flag or environment
//! variable already answered it. An answer equal to docksmith's own pick is not
//! recorded (the project keeps following detection); a different one becomes a
//! settings layer just below the flags, and `init` records it in docksmith.toml.

use crate::data::Flavor;
use crate::error::Error;
use crate::pipeline::Analysis;
use crate::plan::{BuildPlan, PlanError, command};
use crate::settings::{Options, Settings, Source, Sources, is_package_name};

use super::Io;
use super::prompt::Prompter;

/// A value no app or binary can have: planning with it makes the planner list the
/// candidates (UnknownPackage/UnknownBinary), whatever the language.
const PROBE: &str = "\u{1}docksmith-probe";

/// One line per flavor: what you trade for what.
fn trade_off(flavor: Flavor) -> &'static str {
    match flavor {
        Flavor::Scratch => {
            "smallest; no shell, no libc (static binaries only); debug from outside (docker cp, a sidecar)"
        }
        Flavor::Distroless => {
            "small; no shell or package manager; glibc; debug with an ephemeral container"
        }
        Flavor::Slim => "larger; bash and apt; glibc; debug inside with a shell and any package",
        Flavor::Alpine => {
            "small; sh and apk; musl libc (DNS, locale, allocator differ); debug inside"
        }
    }
}

struct Wizard<'a, 'io> {
    analysis: &'a Analysis,
    /// The layers below the answers, without the recorded answers the user cleared.
    sources: Sources,
    flags: &'a Options,
    answers: Options,
    /// Keys whose recorded answer the user cleared ("-").
    cleared: Vec<&'static str>,
    io: &'a mut Io<'io>,
}

/// The answer that clears a recorded one.
const CLEAR: &str = "-";

/// What the wizard decided: answers that differ from docksmith's picks, and the
/// recorded answers to forget.
pub struct Answers {
    pub options: Options,
    pub cleared: Vec<&'static str>,
}

impl Wizard<'_, '_> {
    fn settings(&self, answers: &Options) -> Result<Settings, Error> {
        Ok(self.sources.resolve(self.flags.clone(), answers.clone())?)
    }

    fn plan_with(&self, answers: &Options) -> Result<BuildPlan, Error> {
        let settings = self.settings(answers)?;
        self.analysis
            .plan(&settings, &self.analysis.view.root().display().to_string())
    }

    /// Whether a flag or environment variable already said it (the wizard never
    /// second-guesses those).
    fn told(&self, source: Option<&Source>) -> bool {
        matches!(
            source,
            Some(Source::Flag(_) | Source::Env(_) | Source::Enforced(_))
        )
    }

    fn prompter(&mut self) -> &mut dyn Prompter {
        &mut *self.io.prompter
    }

    /// The prompt's suffix when docksmith.toml holds the current answer: it can be
    /// cleared.
    fn clearable(source: Option<&Source>) -> &'static str {
        match source {
            Some(Source::ProjectFile(_)) => "; - clears the recorded answer",
            _ => "",
        }
    }

    /// Clears `key`'s recorded answer when the user typed "-" for it; true if so.
    fn cleared(&mut self, key: &'static str, answer: &str, source: Option<&Source>) -> bool {
        if answer != CLEAR || !matches!(source, Some(Source::ProjectFile(_))) {
            return false;
        }
        self.sources.clear_recorded(key);
        self.cleared.push(key);
        true
    }

    /// The apps (`package`) or binaries (`bin`) to choose from.
    fn candidates(&self, bin: bool) -> Result<Vec<(String, String)>, Error> {
        let mut probe = self.answers.clone();
        if bin {
            probe.bin = Some(PROBE.into());
        } else {
            probe.package = Some(PROBE.into());
        }
        Ok(match self.plan_with(&probe) {
            Err(Error::Plan(
                PlanError::UnknownPackage { candidates, .. }
                | PlanError::UnknownBinary { candidates, .. },
            )) => candidates,
            _ => Vec::new(),
        })
    }

    /// In a monorepo (two apps or more, none picked by a flag): build all of them,
    /// some, or one. True when the answer builds several (every later question is
    /// about one plan, so docksmith's picks stand for each app).
    fn ask_apps(&mut self) -> Result<bool, Error> {
        let settings = self.settings(&self.answers)?;
        let sources = [
            settings.apps.as_ref().map(|s| &s.source),
            settings.bin.as_ref().map(|s| &s.source),
            settings.package.as_ref().map(|s| &s.source),
        ];
        if sources.iter().any(|s| self.told(*s)) {
            return Ok(settings.apps.is_some());
        }
        let every = crate::apps::find(self.analysis);
        let found = crate::apps::deployable(&every);
        // Projects in folders (nothing at the root) are built as a monorepo, never as
        // one root Dockerfile.
        let in_folders = !self.analysis.subprojects.is_empty();
        if found.len() < 2 && !(in_folders && settings.apps.is_none()) {
            return Ok(settings.apps.is_some());
        }
        if found.len() < 2 {
            self.answers.apps = Some(vec![crate::apps::ALL.to_string()]);
            return Ok(true);
        }
        let names: Vec<String> = found.iter().map(|a| a.describe()).collect();
        let _ = writeln!(
            self.io.err,
            "This repository holds {} apps: {}.",
            found.len(),
            names.join(", ")
        );
        let mut items = vec![
            "every app: a Dockerfile.<app> each and a docker-bake.hcl building them all"
                .to_string(),
            "some of them: the same, for the apps you name".to_string(),
        ];
        if !in_folders {
            items.push("one app: a Dockerfile".to_string());
        }
        let default = match &settings.apps {
            Some(set) if set.value.iter().any(|a| a == crate::apps::ALL) => 0,
            Some(_) => 1,
            None if !in_folders && (settings.bin.is_some() || settings.package.is_some()) => 2,
            None => 0,
        };
        match self.prompter().select("Build", &items, default)? {
            0 => self.answers.apps = Some(vec![crate::apps::ALL.to_string()]),
            1 => {
                let current = match &settings.apps {
                    Some(set) if default == 1 => set.value.join(" "),
                    _ => found
                        .iter()
                        .map(|a| a.target.clone())
                        .collect::<Vec<_>>()
                        .join(" "),
                };
                let known = every.clone();
                let check = move |text: &str| {
                    let words: Vec<&str> = text.split_whitespace().collect();
                    if words.is_empty() {
                        return Err("name at least one app".to_string());
                    }
                    match words
                        .iter()
                        .find(|w| !known.iter().any(|a| a.target == **w))
                    {
                        Some(bad) => Err(format!("no app `{bad}`")),
                        None => Ok(()),
                    }
                };
                let answer = self.prompter().input(
                    "Which apps (names, space-separated)",
                    &current,
                    &check,
                )?;
                self.answers.apps = Some(answer.split_whitespace().map(str::to_string).collect());
            }
            _ => {
                // One app: a recorded `apps` must not outrank the choice asked next.
                if settings.apps.is_some() {
                    self.sources.clear_recorded("apps");
                    self.cleared.push("apps");
                }
                return Ok(false);
            }
        }
        if settings.bin.is_some() || settings.package.is_some() {
            // Recorded from an earlier one-app init: the apps now pick themselves.
            for key in ["bin", "package"] {
                self.sources.clear_recorded(key);
                self.cleared.push(key);
            }
        }
        Ok(true)
    }

    fn ask_language(&mut self) -> Result<(), Error> {
        let settings = self.settings(&self.answers)?;
        let detections = &self.analysis.detections;
        if detections.len() < 2 || self.told(settings.language.as_ref().map(|s| &s.source)) {
            return Ok(());
        }
        let items: Vec<String> = detections
            .iter()
            .map(|d| format!("{:<7} {}", d.language().to_string(), d.manifest()))
            .collect();
        let current = settings.language.map(|s| s.value);
        let default = detections
            .iter()
            .position(|d| Some(d.language()) == current)
            .unwrap_or(0);
        let index = self
            .prompter()
            .select("Which language to build", &items, default)?;
        if index != default {
            self.answers.language = Some(detections[index].language());
        }
        Ok(())
    }

    fn ask_choice(&mut self, bin: bool) -> Result<(), Error> {
        let settings = self.settings(&self.answers)?;
        let set = if bin {
            &settings.bin
        } else {
            &settings.package
        };
        if self.told(set.as_ref().map(|s| &s.source)) {
            return Ok(());
        }
        let current = set.as_ref().map(|s| s.value.clone());
        let candidates = self.candidates(bin)?;
        if candidates.len() < 2 {
            return Ok(());
        }
        let items: Vec<String> = candidates
            .iter()
            .map(|(name, dir)| format!("{name} ({dir})"))
            .collect();
        let default = current
            .and_then(|c| candidates.iter().position(|(n, d)| *n == c || *d == c))
            .unwrap_or(0);
        let prompt = if bin {
            "Which binary to package"
        } else {
            "Which app to package"
        };
        let index = self.prompter().select(prompt, &items, default)?;
        let chosen = Some(candidates[index].0.clone());
        if bin {
            self.answers.bin = chosen;
        } else {
            self.answers.package = chosen;
        }
        Ok(())
    }

    fn ask_flavor(&mut self, plan: &BuildPlan) -> Result<(), Error> {
        let settings = self.settings(&self.answers)?;
        if self.told(settings.flavor.as_ref().map(|s| &s.source)) {
            return Ok(());
        }
        // Runtime packages are asked after the flavor: unless a flag or variable set
        // them, recorded ones must not hide the flavors without a package manager.
        let packages_told = self.told(settings.runtime_packages.as_ref().map(|s| &s.source));
        let mut fit = Vec::new();
        for flavor in Flavor::ALL {
            let mut probe = self.answers.clone();
            probe.flavor = Some(flavor);
            if !packages_told {
                probe.runtime_packages = Some(Vec::new());
            }
            if self.plan_with(&probe).is_ok() {
                fit.push(flavor);
            }
        }
        if fit.len() < 2 {
            return Ok(());
        }
        let current = plan.flavor.value;
        let items: Vec<String> = fit
            .iter()
            .map(|&f| {
                let pick = if f == current { " (default)" } else { "" };
                format!("{:<10} {}{pick}", f.as_str(), trade_off(f))
            })
            .collect();
        let default = fit.iter().position(|&f| f == current).unwrap_or(0);
        let index = self.prompter().select("Runtime flavor", &items, default)?;
        if fit[index] != current {
            self.answers.flavor = Some(fit[index]);
        }
        // A flavor with no package manager takes no runtime packages: recorded ones go.
        let mut probe = self.answers.clone();
        if !packages_told && self.plan_with(&probe).is_err() {
            probe.runtime_packages = Some(Vec::new());
            if self.plan_with(&probe).is_ok() {
                let _ = writeln!(
                    self.io.err,
                    "{} has no package manager: the recorded runtime packages are dropped",
                    fit[index].as_str()
                );
                self.answers.runtime_packages = Some(Vec::new());
            }
        }
        Ok(())
    }

    /// The standards pack's variables that no flag or environment variable gives: a
    /// choice among `choices`, else free text checked as the pack says. Every answer
    /// is recorded, so the labels stay the same when the pack's default changes.
    fn ask_variables(&mut self) -> Result<(), Error> {
        let settings = self.settings(&self.answers)?;
        let Some(pack) = settings.pack.clone() else {
            return Ok(());
        };
        let current = |name: &str| {
            settings
                .vars
                .as_ref()
                .and_then(|v| v.value.0.get(name).cloned())
        };
        for variable in &pack.variables {
            if self.sources.var_told(self.flags, &variable.name) {
                continue;
            }
            let now = current(&variable.name).or_else(|| variable.default.clone());
            let answer = if variable.choices.is_empty() {
                let check = |text: &str| variable.check(text);
                self.prompter().input(
                    &variable.prompt,
                    now.as_deref().unwrap_or_default(),
                    &check,
                )?
            } else {
                let default = now
                    .and_then(|n| variable.choices.iter().position(|c| *c == n))
                    .unwrap_or(0);
                let index = self
                    .prompter()
                    .select(&variable.prompt, &variable.choices, default)?;
                variable.choices[index].clone()
            };
            self.answers
                .vars
                .get_or_insert_with(Default::default)
                .0
                .insert(variable.name.clone(), answer);
        }
        Ok(())
    }

    /// A setting's question when neither a flag nor the environment answered it: the
    /// prompt (closed with the clear hint when docksmith.toml holds the answer), the
    /// default, and `check`, which "-" passes when it clears. None when not asked or
    /// cleared.
    fn ask_setting(
        &mut self,
        key: &'static str,
        source: Option<&Source>,
        prompt: &str,
        default: &str,
        check: &dyn Fn(&str) -> Result<(), String>,
    ) -> Result<Option<String>, Error> {
        if self.told(source) {
            return Ok(None);
        }
        let clear = Self::clearable(source);
        let check = |text: &str| match text {
            CLEAR if !clear.is_empty() => Ok(()),
            t => check(t),
        };
        let answer = self
            .prompter()
            .input(&format!("{prompt}{clear})"), default, &check)?;
        if self.cleared(key, &answer, source) {
            return Ok(None);
        }
        Ok(Some(answer))
    }

    fn ask_port(&mut self, plan: &BuildPlan, settings: &Settings) -> Result<(), Error> {
        let (default, why) = match &plan.runtime.expose {
            Some(expose) => {
                // "default (Flask is served on 8000 by default)" reads better bare.
                let why = expose.reason.as_str();
                let why = why
                    .strip_prefix("default (")
                    .and_then(|w| w.strip_suffix(')'))
                    .unwrap_or(why);
                (expose.value.to_string(), why.to_string())
            }
            None => (
                String::new(),
                "none detected; leave empty for no EXPOSE".into(),
            ),
        };
        let check = |text: &str| match text {
            "" => Ok(()),
            t => t
                .parse::<u16>()
                .ok()
                .filter(|p| *p > 0)
                .map(|_| ())
                .ok_or_else(|| "a port is a number from 1 to 65535".to_string()),
        };
        let source = settings.port.as_ref().map(|s| &s.source);
        let prompt = format!("Port the app listens on ({why}");
        if let Some(answer) = self.ask_setting("port", source, &prompt, &default, &check)?
            && answer != default
        {
            self.answers.port = answer.parse().ok();
        }
        Ok(())
    }

    fn ask_command(&mut self, plan: &BuildPlan, settings: &Settings) -> Result<(), Error> {
        let default = plan.runtime.start_line();
        // A command that cannot start in the chosen image is asked again, with why.
        let check = |text: &str| match shell_words::split(text) {
            _ if text.is_empty() => Ok(()),
            Ok(words) if words.is_empty() => Err("the command is empty".to_string()),
            Ok(words) => match command::problem(&words, plan.flavor.value, &plan.runtime) {
                Some(problem) => Err(problem),
                None => Ok(()),
            },
            Err(e) => Err(format!("{e}")),
        };
        let source = settings.command.as_ref().map(|s| &s.source);
        let prompt = "Start command (exec form, no shell";
        if let Some(answer) = self.ask_setting("command", source, prompt, &default, &check)?
            && answer != default
            && !answer.is_empty()
        {
            self.answers.command = Some(answer);
        }
        Ok(())
    }

    fn ask_user(&mut self, plan: &BuildPlan, settings: &Settings) -> Result<(), Error> {
        let default = plan.runtime.user.uid.to_string();
        let check = |text: &str| {
            text.parse::<u32>()
                .ok()
                .filter(|u| (1..=65_534).contains(u))
                .map(|_| ())
                .ok_or_else(|| "a non-root numeric uid, 1 to 65534".to_string())
        };
        let source = settings.user.as_ref().map(|s| &s.source);
        let prompt = format!(
            "Run as non-root uid ({} in the image",
            plan.runtime.user.name
        );
        if let Some(answer) = self.ask_setting("user", source, &prompt, &default, &check)?
            && answer != default
        {
            self.answers.user = answer.parse().ok();
        }
        Ok(())
    }

    fn ask_healthcheck(&mut self, plan: &BuildPlan, settings: &Settings) -> Result<(), Error> {
        if plan.runtime.healthcheck.is_empty()
            || self.told(settings.healthcheck.as_ref().map(|s| &s.source))
        {
            return Ok(());
        }
        let keep = self.prompter().confirm(
            "Add a HEALTHCHECK (probes the port with the image's own interpreter)",
            true,
        )?;
        if !keep {
            self.answers.healthcheck = Some(false);
        }
        Ok(())
    }

    /// Defaults docksmith applied that the user may decline (a server installed
    /// into the image); a "no" is recorded as the setting's false.
    fn ask_offers(&mut self, plan: &BuildPlan, settings: &Settings) -> Result<(), Error> {
        for offer in &plan.offers {
            if self.told(settings.switch(offer.key).map(|s| &s.source)) {
                continue;
            }
            if !self.prompter().confirm(&offer.question, true)? {
                self.answers.set_switch(offer.key, false);
            }
        }
        Ok(())
    }

    fn ask_packages(&mut self, plan: &BuildPlan, settings: &Settings) -> Result<(), Error> {
        let manager = match plan.flavor.value {
            Flavor::Slim => "apt",
            Flavor::Alpine => "apk",
            _ => return Ok(()),
        };
        if !plan.build.takes_runtime_packages()
            || self.told(settings.runtime_packages.as_ref().map(|s| &s.source))
        {
            return Ok(());
        }
        let default = settings
            .runtime_packages
            .as_ref()
            .map(|s| s.value.join(" "))
            .unwrap_or_default();
        let check = |text: &str| match text.split_whitespace().find(|p| !is_package_name(p)) {
            None => Ok(()),
            Some(bad) => Err(format!("`{bad}` is not a package name")),
        };
        let answer = self.prompter().input(
            &format!("Extra runtime packages ({manager}, space-separated; empty for none)"),
            &default,
            &check,
        )?;
        if answer != default {
            self.answers.runtime_packages =
                Some(answer.split_whitespace().map(str::to_string).collect());
        }
        Ok(())
    }
}

/// The text before the first `;` outside parentheses: the builder's reason starts
/// with the language, its version and the evidence ("Go 1.22 from go.mod:3; ...").
fn first_clause(reason: &str) -> &str {
    let mut depth = 0i32;
    for (i, c) in reason.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ';' if depth <= 0 => return &reason[..i],
            _ => {}
        }
    }
    reason
}

/// Asks the questions; returns the answers that differ from docksmith's own picks
/// and the recorded answers the user cleared.
pub fn ask(
    analysis: &Analysis,
    sources: &Sources,
    flags: &Options,
    recorded: bool,
    io: &mut Io<'_>,
) -> Result<Answers, Error> {
    let mut wizard = Wizard {
        analysis,
        sources: sources.clone(),
        flags,
        answers: Options::default(),
        cleared: Vec::new(),
        io,
    };
    // After an earlier init, the usual re-run wants the same files: one question.
    if recorded
        && wizard.prompter().confirm(
            "docksmith.toml holds the answers of an earlier init: generate from them as they are",
            true,
        )?
    {
        return Ok(Answers {
            options: Options::default(),
            cleared: Vec::new(),
        });
    }
    // First: a variable without a default leaves nothing to plan until it has a value.
    wizard.ask_variables()?;
    if wizard.ask_apps()? {
        let _ = writeln!(
            wizard.io.err,
            "Each app gets docksmith's own picks (flavor, port, start command, user); settings in docksmith.toml apply to every app, an [app.<name>] table to one."
        );
        return Ok(Answers {
            options: wizard.answers,
            cleared: wizard.cleared,
        });
    }
    wizard.ask_language()?;
    wizard.ask_choice(false)?;
    wizard.ask_choice(true)?;
    let plan = wizard.plan_with(&wizard.answers.clone())?;
    let headline = first_clause(&plan.builder.reason);
    let _ = writeln!(
        wizard.io.err,
        "{headline}. Enter takes the default; each answer also has a flag (docksmith init --help)."
    );
    wizard.ask_flavor(&plan)?;
    // Later defaults follow the chosen flavor (user, port and command can differ).
    let settings = wizard.settings(&wizard.answers)?;
    let plan = wizard.plan_with(&wizard.answers.clone())?;
    wizard.ask_port(&plan, &settings)?;
    wizard.ask_command(&plan, &settings)?;
    wizard.ask_user(&plan, &settings)?;
    wizard.ask_healthcheck(&plan, &settings)?;
    wizard.ask_offers(&plan, &settings)?;
    wizard.ask_packages(&plan, &settings)?;
    Ok(Answers {
        options: wizard.answers,
        cleared: wizard.cleared,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_headline_keeps_its_parentheses_whole() {
        assert_eq!(
            super::first_clause("Go 1.22 from go.mod:3; Debian bookworm"),
            "Go 1.22 from go.mod:3"
        );
        assert_eq!(
            super::first_clause("Rust 1.95 (newest (a; b) known); glibc"),
            "Rust 1.95 (newest (a; b) known)"
        );
        assert_eq!(super::first_clause("no clause"), "no clause");
    }
}
