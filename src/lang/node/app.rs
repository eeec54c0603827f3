//! What one package is as an app: its framework, how it starts, what its build
//! produces, what it reads at run time, and the port it listens on.

use super::bun::Runtime;
use super::start::{Launch, followed_script, parse_start};
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use super::data::NodeFramework;
use super::framework::{configured_output, depends, framework, next_kind, served_build};
use super::manifest::PackageJson;
use super::static_site::Staticfile;
use crate::detect::config_ports::config_port;
use crate::detect::paths::{is_within, join, normalize, split_dir};
use crate::detect::ports::{self, Listening, PortHit, PortRules};
use crate::detect::{DetectError, Evidence, Fact, Warning};
use crate::scan::ProjectView;

/// Node's port rules, compiled once.
static PORT_RULES: LazyLock<PortRules> =
    LazyLock::new(|| PortRules::new(&super::data::node().port));
/// A handler registration, and the signal it names (also when the handler is
/// registered in a loop over signal names).
static SIGNALS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"process\.(?:on|once)\("#).expect("valid"));
static SIGTERM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"["']SIG(?:TERM|INT)["']"#).expect("valid"));
static OUT_DIR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#""outDir"\s*:\s*"([^"]+)""#).expect("valid"));

/// How the app runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum AppKind {
    /// `node <start...>`. `outputs` are the folders its build writes (relative to the
    /// app); empty when the sources run as they are.
    Server {
        start: Vec<String>,
        outputs: Vec<String>,
        /// Node, or Bun (its images) when the start command runs `bun` or the
        /// project is installed by Bun and names no `node` command.
        #[serde(skip_serializing_if = "Runtime::is_node")]
        runtime: Runtime,
    },
    /// Next.js: standalone output, or `next start` with production dependencies.
    /// `by_env`: the config leaves `output` unset and the build makes standalone
    /// Next's default through `NEXT_PRIVATE_STANDALONE` (the user's file untouched).
    Next { standalone: bool, by_env: bool },
    /// Built into `output`, started with `node <start...>`.
    Entry { start: Vec<String>, output: String },
    /// Built into `output`, served by a static web server.
    Static { output: String },
}

/// One package as an app.
#[derive(Clone, Debug, Serialize)]
pub struct NodeApp {
    pub name: Fact<String>,
    /// The package folder ("" for the root).
    pub dir: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub framework: Option<Fact<String>>,
    pub kind: Fact<AppKind>,
    /// The `build` script, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build: Option<Fact<String>>,
    /// Folders the app reads at run time (public, views ...), relative to it.
    pub runtime_dirs: Vec<String>,
    /// Where it listens.
    #[serde(flatten)]
    pub listening: Listening,
    /// Where it handles SIGTERM/SIGINT itself (else it gets a tiny init).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handles_signals: Option<Evidence>,
    /// Prisma: generate in the build; its engines need libssl.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prisma: Option<Evidence>,
    /// Workspace packages (folders) it depends on, directly or not.
    pub local_dependencies: Vec<String>,
    /// The project's postinstall, run in the build stage (with the sources) because
    /// the installs skip the project's own scripts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postinstall: Option<Evidence>,
    /// Started as the package's command-line program (`bin`): `docker run` arguments
    /// go to it, so it is part of the ENTRYPOINT.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub cli: bool,
    /// A static site's own nginx server block or Caddyfile, which serves it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_config: Option<Fact<super::static_site::OwnConfig>>,
    /// A static site's Cloud Foundry Staticfile: the folder served, and whether
    /// client-side routes fall back to index.html.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub staticfile: Option<Fact<super::static_site::Staticfile>>,
}

impl NodeApp {
    /// The program its start command runs.
    pub fn runtime(&self) -> Runtime {
        match self.kind.value {
            AppKind::Server { runtime, .. } => runtime,
            _ => Runtime::Node,
        }
    }

    /// Whether the build stage makes anything of the app (a build script, or the
    /// project's postinstall).
    pub fn builds(&self) -> bool {
        self.build.is_some() || self.postinstall.is_some()
    }
}

/// Where a package stands, which decides how much evidence makes it an app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The project itself: `main` or a conventional entry file is enough.
    Project,
    /// A workspace member: it needs a start script or an app framework.
    Member,
    /// A member other members depend on: only a start script makes it an app.
    Library,
}

/// The evidence detail of a start command read from `bin`.
pub(super) const BIN: &str = "bin.";

/// Analyses `package`; `Ok(None)` when it is a library (nothing to start or serve).
pub fn analyse(
    view: &ProjectView,
    package: &PackageJson,
    role: Role,
    hoisted: Option<&PackageJson>,
    bun_project: bool,
    warnings: &mut Vec<Warning>,
) -> Result<Option<NodeApp>, DetectError> {
    let has_start = package.scripts.contains_key("start");
    let framework = framework(view, package, hoisted)?;
    if let Some(f) = framework {
        warnings.extend(super::framework::notice(view, package, f)?);
    }
    let framework_app = framework.is_some();
    let enough = match role {
        Role::Project => true,
        Role::Member => has_start || framework_app,
        Role::Library => has_start,
    };
    if !enough {
        return Ok(None);
    }
    let build = package.scripts.get("build").cloned();
    let staticfile = super::static_site::staticfile(view, &package.dir)?;
    let Some(kind) = app_kind(
        view,
        package,
        (framework, staticfile.as_ref()),
        build.is_some(),
        bun_project,
        warnings,
    )?
    else {
        return Ok(None);
    };
    let name = package.name.clone().unwrap_or_else(|| {
        Fact::new(
            package.display_name(),
            Evidence::file(&package.file, "no name: named after its folder"),
        )
    });
    let cli = matches!(kind.value, AppKind::Server { .. }) && kind.evidence.detail.starts_with(BIN);
    let (listening, handles_signals) = read_sources(view, package, framework, &kind.value)?;
    let listening = listening.or_config(config_port(view, &package.dir));
    let runtime_dirs = super::data::node()
        .app
        .runtime_dirs
        .iter()
        .filter(|d| {
            let prefix = format!("{}/", join(&package.dir, d));
            view.files().any(|f| f.starts_with(&prefix))
        })
        .cloned()
        .collect();
    let (server_config, staticfile) = match kind.value {
        AppKind::Static { .. } => (
            super::static_site::find(view, &package.dir, warnings)?,
            staticfile,
        ),
        _ => (None, None),
    };
    let prisma_dep = &super::data::node().prisma.dependency;
    let prisma = package
        .depends_on(prisma_dep)
        .then(|| Evidence::file(&package.file, format!("depends on {prisma_dep}")));
    Ok(Some(NodeApp {
        name,
        dir: package.dir.clone(),
        framework: framework.map(|f| Fact::new(f.name.clone(), depends(package, f))),
        kind,
        build,
        runtime_dirs,
        listening,
        handles_signals,
        prisma,
        local_dependencies: Vec::new(),
        postinstall: None,
        cli,
        staticfile,
        server_config,
    }))
}

/// What kind of app the package is: by its framework (Next.js, an entry
/// framework, a static site), else a server started by its scripts or files.
fn app_kind(
    view: &ProjectView,
    package: &PackageJson,
    (framework, staticfile): (Option<&NodeFramework>, Option<&Fact<Staticfile>>),
    builds: bool,
    bun_project: bool,
    warnings: &mut Vec<Warning>,
) -> Result<Option<Fact<AppKind>>, DetectError> {
    // A Staticfile declares a static site (Cloud Foundry picks its static buildpack
    // for it before Node's): its root is what the build leaves to serve, whatever
    // the scripts start (a Next.js static export in out/, a site a script writes).
    let static_builder = framework.is_some_and(|f| f.kind == "static");
    if !static_builder
        && let Some(staticfile) = staticfile
        && let Some(root) = &staticfile.value.root
    {
        return Ok(Some(Fact::new(
            AppKind::Static {
                output: root.clone(),
            },
            staticfile.evidence.clone(),
        )));
    }
    Ok(match framework.map(|f| (f, f.kind.as_str())) {
        Some((f, "next")) => Some(next_kind(view, package, f)?),
        Some((f, "entry")) => {
            let mut output = f.output.clone().unwrap_or_default();
            let mut start: Vec<String> = f
                .entry
                .as_deref()
                .unwrap_or_default()
                .split_whitespace()
                .map(str::to_string)
                .collect();
            let mut evidence = depends(package, f);
            // A server build written outside its package is not followed: its start
            // file's path would leave the folder the image runs in.
            let configured = configured_output(view, package, f)?
                .filter(|found| !found.value.starts_with("../"));
            if let Some(found) = configured {
                if let Some(last) = start.last_mut()
                    && let Some(rest) = last.strip_prefix(&format!("{output}/"))
                {
                    *last = join(&found.value, rest);
                }
                (output, evidence) = (found.value, found.evidence);
            }
            if let Some((server, script)) = served_build(package, f) {
                output = server.split('/').next().unwrap_or_default().to_string();
                if let Some(last) = start.last_mut() {
                    *last = server;
                }
                evidence = script;
            }
            Some(Fact::new(AppKind::Entry { start, output }, evidence))
        }
        Some((f, "refused")) => {
            warnings.push(Warning {
                message: f
                    .why
                    .clone()
                    .unwrap_or_else(|| format!("{} cannot run in an image", f.name)),
                evidence: depends(package, f),
            });
            None
        }
        Some((f, "static")) => {
            // The builder's own config says where it writes; else the Staticfile's
            // root names the folder deployed; else the builder's default.
            let served = staticfile.and_then(|s| Some((s.value.root.clone()?, s.evidence.clone())));
            let (output, evidence) = match (configured_output(view, package, f)?, served) {
                (Some(found), _) => (found.value, found.evidence),
                (None, Some(served)) => served,
                (None, None) => (
                    f.output.clone().unwrap_or_else(|| "dist".into()),
                    depends(package, f),
                ),
            };
            Some(Fact::new(AppKind::Static { output }, evidence))
        }
        _ => server_kind(view, package, framework, builds, bun_project, warnings)?,
    })
}

/// Reads the app's sources once: the ports they listen on (the framework's
/// default when none), whether they read `$PORT`, and whether they handle
/// SIGTERM themselves.
fn read_sources(
    view: &ProjectView,
    package: &PackageJson,
    framework: Option<&NodeFramework>,
    kind: &AppKind,
) -> Result<(Listening, Option<Evidence>), DetectError> {
    let files: Vec<&str> = view
        .files()
        .filter(|f| is_source(&package.dir, f, kind))
        .collect();
    let mut hits = Vec::new();
    let mut port_env = None;
    let mut handles_signals = None;
    for file in &files {
        let Some(text) = view.read_source(file)? else {
            continue;
        };
        hits.extend(PORT_RULES.scan(file, &text, &[]));
        if port_env.is_none() {
            port_env = PORT_RULES.reads_port_env(file, &text);
        }
        if handles_signals.is_none() && SIGTERM.is_match(&text) {
            handles_signals = text
                .lines()
                .position(|l| SIGNALS.is_match(l))
                .map(|i| Evidence::at(file, i + 1, "handles SIGTERM/SIGINT"));
        }
    }
    let mut listening = Listening::from_hits(hits, port_env);
    if listening.port.is_none()
        && let Some(f) = framework
    {
        listening.port = f.default_port.map(|p| PortHit {
            command: None,
            port: p,
            source: ports::PortSource::FrameworkDefault,
            loopback: false,
            evidence: Evidence {
                detail: format!("{} listens on {p} by default", f.name),
                ..depends(package, f)
            },
        });
    }
    Ok((listening, handles_signals))
}

/// A Node server: its start command, from the Procfile, `scripts.start`, the framework's entry,
/// `main`, or a conventional file name; on Bun when the command runs `bun`, or when
/// the project is installed by Bun and names no `node` command.
fn server_kind(
    view: &ProjectView,
    package: &PackageJson,
    framework: Option<&NodeFramework>,
    has_build: bool,
    bun_project: bool,
    warnings: &mut Vec<Warning>,
) -> Result<Option<Fact<AppKind>>, DetectError> {
    let mut start = super::start::procfile_start(view, package)?;
    if start.is_none()
        && let Some(script) = followed_script(package, "start")
    {
        match parse_start(&script.value) {
            Ok(launch) => start = Some(Fact::new(launch, script.evidence.clone())),
            Err(_) if let Some(built) = super::nx::start(view, package, &script.value)? => {
                start = Some(Fact::new(
                    Launch {
                        args: built.value,
                        runtime: Some(Runtime::Node),
                    },
                    built.evidence,
                ));
            }
            Err(why) => warnings.push(Warning {
                message: format!("scripts.start {why}: docksmith starts node directly instead"),
                evidence: script.evidence.clone(),
            }),
        }
    }
    if start.is_none()
        && let Some(entry) = framework.and_then(|f| f.entry.as_ref())
    {
        start = Some(Fact::new(
            Launch {
                args: vec![entry.clone()],
                runtime: Some(Runtime::Node),
            },
            Evidence::file(
                &package.file,
                format!(
                    "{} builds {entry}",
                    framework.map_or("", |f| f.name.as_str())
                ),
            ),
        ));
    }
    if start.is_none() {
        start = super::start::fallback_start(view, package, bun_project);
    }
    let Some(start) = start else {
        // A package with no framework and no way to start is a library.
        return Ok(None);
    };
    let outputs = if has_build {
        outputs(view, package, &start.value.args)?
    } else {
        Vec::new()
    };
    let runtime = start.value.runtime.unwrap_or(if bun_project {
        Runtime::Bun
    } else {
        Runtime::Node
    });
    Ok(Some(Fact::new(
        AppKind::Server {
            start: start.value.args,
            outputs,
            runtime,
        },
        start.evidence,
    )))
}

/// tsconfig's `compilerOptions.outDir`, decoded (tsconfig is JSON with comments and
/// trailing commas, which JSON5 reads); the pattern is the fallback for a file JSON5
/// cannot read (its escapes are then left as written, and refused if unsafe).
fn out_dir(text: &str) -> Option<String> {
    match json5::from_str::<serde_json::Value>(text) {
        Ok(value) => value
            .get("compilerOptions")?
            .get("outDir")?
            .as_str()
            .map(str::to_string),
        Err(_) => OUT_DIR.captures(text).map(|cap| cap[1].to_string()),
    }
}

/// The folders a build writes: tsconfig's outDir, or the start file's top folder when
/// it is not in the sources (it will be built).
fn outputs(
    view: &ProjectView,
    package: &PackageJson,
    start: &[String],
) -> Result<Vec<String>, DetectError> {
    let mut out = Vec::new();
    let tsconfig = join(&package.dir, "tsconfig.json");
    if let Some(text) = view.read_manifest(&tsconfig)?
        && let Some(dir) = out_dir(&text)
    {
        // Checked here, so that a refusal names tsconfig.json, not the build script.
        if let Err(e) = crate::plan::check_path(&tsconfig, "compilerOptions.outDir", &dir) {
            return Err(DetectError::Invalid {
                file: tsconfig.clone(),
                message: e
                    .to_string()
                    .trim_start_matches(&format!("{tsconfig}: "))
                    .to_string(),
                hint: format!("rename compilerOptions.outDir in {tsconfig}"),
            });
        }
        out.extend(normalize(&dir).filter(|d| !d.is_empty()));
    }
    if let Some(file) = start.iter().find(|a| !a.starts_with('-')) {
        let built = !view.has_file(&join(&package.dir, file));
        if let (true, Some(top)) = (
            built,
            normalize(file).and_then(|f| f.split('/').next().map(str::to_string)),
        ) && top != *file
            && !out.contains(&top)
        {
            out.push(top);
        }
    }
    Ok(out)
}

/// Source files of the app worth scanning for ports and signal handling.
fn is_source(dir: &str, file: &str, kind: &AppKind) -> bool {
    const EXTENSIONS: &[&str] = &[".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx"];
    // Type declarations (`.d.ts`) describe code; their examples listen on nothing.
    if !is_within(split_dir(file).0, dir)
        || !EXTENSIONS.iter().any(|e| file.ends_with(e))
        || file.ends_with(".d.ts")
    {
        return false;
    }
    let rel = file
        .strip_prefix(dir)
        .unwrap_or(file)
        .trim_start_matches('/');
    let skipped_dirs: Vec<&str> = match kind {
        AppKind::Server { outputs, .. } => outputs.iter().map(String::as_str).collect(),
        AppKind::Entry { output, .. } | AppKind::Static { output } => vec![output.as_str()],
        AppKind::Next { .. } => vec![".next"],
    };
    !(skipped_dirs.iter().any(|d| is_within(split_dir(rel).0, d))
        || is_test(rel)
        || split_dir(rel).1.contains(".config."))
}

/// Test code: test folders and *.test.* / *.spec.* files. The image never runs it.
pub fn is_test(file: &str) -> bool {
    let (dir, name) = split_dir(file);
    dir.split('/')
        .any(|p| matches!(p, "test" | "tests" | "__tests__" | "e2e" | "coverage"))
        || name.contains(".test.")
        || name.contains(".spec.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_commands() {
        assert_eq!(parse_start("node server.js").unwrap().args, ["server.js"]);
        assert_eq!(
            parse_start("NODE_ENV=production node --enable-source-maps dist/main.js")
                .unwrap()
                .args,
            ["--enable-source-maps", "dist/main.js"]
        );
        assert_eq!(
            parse_start("cross-env NODE_ENV=production node 'my app.js'")
                .unwrap()
                .args,
            ["my app.js"]
        );
        assert!(
            parse_start("next dev")
                .unwrap_err()
                .contains("development server")
        );
        assert!(
            parse_start("vite --host")
                .unwrap_err()
                .contains("development server")
        );
        assert!(
            parse_start("node a.js && node b.js")
                .unwrap_err()
                .contains("shell command")
        );
        assert!(
            parse_start("node $(cat entry)")
                .unwrap_err()
                .contains("shell command")
        );
        assert!(
            parse_start("node \"$HOME/x.js\"")
                .unwrap_err()
                .contains("shell command")
        );
        assert!(parse_start("nest start").unwrap_err().contains("not node"));
        assert!(parse_start("node").is_err());
        assert!(parse_start("").is_err());
    }
}
