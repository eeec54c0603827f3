//! The Node runtime image: node's own image (distroless, slim or alpine) with the
//! app's files and production dependencies (a static site's is in `static_runtime`).

use super::plan::{APP_ROOT, PROD_DEPS};
use crate::data::{self, Flavor, Libc};
use crate::detect::Warning;
use crate::detect::paths::join;
use crate::detect::project::ProjectFacts;
use crate::lang::node::NodeFacts;
use crate::lang::node::app::{AppKind, NodeApp};
use crate::lang::node::bun::Runtime;
use crate::plan::program::{self, BUILD_STAGE};
use crate::plan::runtime::{self};
use crate::plan::{Artifact, EnvVar, PlanError, RuntimeStage, RuntimeUser, check_path, check_text};
use crate::settings::Settings;

/// Whether the runtime copies whole package folders from the build stage (see
/// `node_runtime`), which must then hold no node_modules of their own: dev
/// dependencies would ride along.
pub(super) fn copies_trees(app: &NodeApp) -> bool {
    match &app.kind.value {
        AppKind::Server { outputs, .. } => {
            app.builds() && (outputs.is_empty() || !app.local_dependencies.is_empty())
        }
        _ => false,
    }
}

/// The runtime of a Node program: production dependencies, the app's files, the
/// node user, and node as the process (under tini when the app ignores SIGTERM).
///
/// The code and its dependencies stay root's, so the program cannot rewrite what
/// it runs; its working directory is its own (created after USER), so it can
/// create files there; only state the framework rewrites at run time (Next.js's
/// `.next`) is copied to the program's user.
#[allow(clippy::too_many_arguments)]
pub(super) fn node_runtime(
    facts: &NodeFacts,
    app: &NodeApp,
    choice: &runtime::RuntimeChoice,
    libc: Libc,
    init_from: Option<&str>,
    prod_deps: bool,
    project: &ProjectFacts,
    settings: &Settings,
) -> Result<(RuntimeStage, Vec<Warning>), PlanError> {
    let image = &choice.image;
    let major = facts.node.value;
    let user_spec = &data::images().user;
    let uid = image.uid.unwrap_or(user_spec.uid);
    let gid = image.gid.unwrap_or(user_spec.gid);
    let owner = Some(format!("{uid}:{gid}"));
    let dir = &app.dir;
    let mut artifacts = dependency_artifacts(facts, app, prod_deps);
    let mut env = vec![EnvVar {
        name: "NODE_ENV".into(),
        value: "production".into(),
        reason: "production mode for Node libraries and frameworks".into(),
    }];
    let mut command = app_files(app, &owner, &mut artifacts, &mut env);
    if app.prisma.is_some() {
        artifacts.push(Artifact {
            from: BUILD_STAGE.into(),
            source: "/app/node_modules/.prisma".into(),
            target: "/app/node_modules/.prisma/".into(),
            chown: None,
        });
    }
    let entrypoint = entrypoint(app, image.flavor, init_from, libc, &mut artifacts);
    let evidence = app.kind.evidence.location();
    for arg in &command {
        check_text(&evidence, "start command", arg)?;
    }
    // Build outputs the framework's config or the start command named.
    for artifact in &artifacts {
        check_path(&evidence, "build output", &artifact.source)?;
        check_path(&evidence, "build output", &artifact.target)?;
    }
    let name = &app.name.value;
    let program = program::Program {
        name,
        listening: &app.listening,
    };
    let (mut stage, warnings) = program::runtime_stage(&program, choice, libc, project, settings)?;
    stage.image.value = stage
        .image
        .value
        .replace("{node}", &major.to_string())
        .replace("{bun}", &super::bun::major(&facts.package_manager.value));
    stage.user = RuntimeUser {
        name: image
            .user_name
            .clone()
            .unwrap_or_else(|| user_spec.name.clone()),
        uid,
        gid,
        setup: image.user,
    };
    stage.user_workdir = Some(join(APP_ROOT, dir));
    stage.artifacts = artifacts;
    stage.entrypoint = entrypoint;
    if app.cli {
        // A command-line program takes `docker run` arguments itself.
        stage.entrypoint.append(&mut command);
    }
    stage.command = std::mem::take(&mut command);
    env.append(&mut stage.env);
    stage.env = env;
    if let AppKind::Next { .. } = app.kind.value
        && stage.env.iter().all(|e| e.name != "PORT")
        && let Some(port) = &stage.expose
    {
        stage.env.push(EnvVar {
            name: "PORT".into(),
            value: port.value.to_string(),
            reason: "Next.js listens on $PORT".into(),
        });
    }
    Ok((stage, warnings))
}

/// Production dependencies from the prod-deps stage: the whole tree, or (in a
/// workspace) the shared node_modules and the folders of the app and what it uses.
fn dependency_artifacts(facts: &NodeFacts, app: &NodeApp, prod_deps: bool) -> Vec<Artifact> {
    let dir = &app.dir;
    let mut artifacts = Vec::new();
    if prod_deps && facts.workspace.is_none() {
        artifacts.push(Artifact {
            from: PROD_DEPS.into(),
            source: format!("{APP_ROOT}/"),
            target: "/app/".into(),
            chown: None,
        });
    } else if prod_deps {
        // The install needed every member's manifest; the image needs the shared
        // node_modules and the folders of the app and the packages it uses.
        let folders = std::iter::once(&String::from("node_modules"))
            .chain(std::iter::once(dir))
            .chain(&app.local_dependencies)
            .map(|d| format!("{}/", join(APP_ROOT, d)))
            .collect::<Vec<_>>();
        for folder in folders {
            artifacts.push(Artifact {
                from: PROD_DEPS.into(),
                source: folder.clone(),
                target: folder,
                chown: None,
            });
        }
    }
    artifacts
}

/// The app's own files, by what the build leaves (sources, build output, Next.js's
/// standalone server), and the arguments node starts it with.
fn app_files(
    app: &NodeApp,
    owner: &Option<String>,
    artifacts: &mut Vec<Artifact>,
    env: &mut Vec<EnvVar>,
) -> Vec<String> {
    let dir = &app.dir;
    let at = |path: &str| join(APP_ROOT, &join(dir, path));
    // A folder the build stage made, copied to the same place.
    let built = |folder: &str| Artifact {
        from: BUILD_STAGE.into(),
        source: at(folder),
        target: format!("{}/", at(folder)),
        chown: None,
    };
    let runtime_dirs = app.runtime_dirs.iter().map(String::as_str);
    match &app.kind.value {
        AppKind::Server { start, outputs, .. } => {
            server_files(app, outputs, artifacts, built);
            start.clone()
        }
        AppKind::Next {
            standalone: true, ..
        } => {
            artifacts.push(Artifact {
                from: BUILD_STAGE.into(),
                source: format!("{}/", at(".next/standalone")),
                target: "/app/".into(),
                chown: None,
            });
            // The server's own .next, moved aside by the build (`next_state_step`):
            // Next.js rewrites it at run time (ISR pages, the image cache).
            artifacts.push(Artifact {
                from: BUILD_STAGE.into(),
                source: format!("{}/", at(NEXT_STATE)),
                target: format!("{}/", at(".next")),
                chown: owner.clone(),
            });
            artifacts.push(built(".next/static"));
            if app.runtime_dirs.iter().any(|d| d == "public") {
                artifacts.push(built("public"));
            }
            env.push(EnvVar {
                name: "HOSTNAME".into(),
                value: "0.0.0.0".into(),
                reason: "Next.js standalone listens on $HOSTNAME, which Docker sets to the container's name".into(),
            });
            vec!["server.js".into()]
        }
        AppKind::Next {
            standalone: false, ..
        } => {
            // Next.js rewrites .next at run time (ISR pages, the image cache).
            artifacts.push(Artifact {
                chown: owner.clone(),
                ..built(".next")
            });
            artifacts.extend(runtime_dirs.map(built));
            vec!["node_modules/next/dist/bin/next".into(), "start".into()]
        }
        AppKind::Entry { start, output } => {
            artifacts.extend(
                std::iter::once(output.as_str())
                    .chain(runtime_dirs)
                    .map(built),
            );
            start.clone()
        }
        AppKind::Static { .. } => unreachable!("static sites have their own runtime"),
    }
}

/// A server's files: its sources and local dependencies as they are when
/// nothing is built; the build stage's trees when it builds in place; else
/// only the outputs its start command runs (and runtime folders).
fn server_files(
    app: &NodeApp,
    outputs: &[String],
    artifacts: &mut Vec<Artifact>,
    built: impl Fn(&str) -> Artifact,
) {
    let dir = &app.dir;
    if !app.builds() {
        for source in std::iter::once(dir).chain(&app.local_dependencies) {
            let path = if source.is_empty() {
                ".".to_string()
            } else {
                source.clone()
            };
            artifacts.push(Artifact {
                from: String::new(),
                source: path,
                target: format!("{}/", join(APP_ROOT, source)),
                chown: None,
            });
        }
    } else if outputs.is_empty() {
        for source in std::iter::once(dir).chain(&app.local_dependencies) {
            artifacts.push(tree(source));
        }
    } else {
        artifacts.extend(
            outputs
                .iter()
                .chain(&app.runtime_dirs)
                .map(|folder| built(folder)),
        );
        for source in &app.local_dependencies {
            artifacts.push(tree(source));
        }
    }
}

/// node (under tini, copied from an install stage, when the app ignores SIGTERM).
fn entrypoint(
    app: &NodeApp,
    flavor: Flavor,
    init_from: Option<&str>,
    libc: Libc,
    artifacts: &mut Vec<Artifact>,
) -> Vec<String> {
    // distroless node keeps node off PATH (/nodejs/bin); bun is named by path there too.
    let node_binary = match (app.runtime(), flavor == Flavor::Distroless) {
        (Runtime::Node, true) => "/nodejs/bin/node",
        (Runtime::Node, false) => "node",
        (Runtime::Bun, true) => "/usr/local/bin/bun",
        (Runtime::Bun, false) => "bun",
    };
    let mut entrypoint = Vec::new();
    if let Some(stage) = init_from {
        artifacts.push(Artifact {
            from: stage.into(),
            source: if libc == Libc::Musl {
                "/sbin/tini".into()
            } else {
                "/usr/bin/tini-static".into()
            },
            target: "/usr/bin/tini".into(),
            chown: None,
        });
        entrypoint.extend(["/usr/bin/tini".to_string(), "--".to_string()]);
    }
    entrypoint.push(node_binary.into());
    entrypoint
}

/// A workspace package's whole folder from the build stage (its node_modules removed).
pub(super) fn tree(source: &str) -> Artifact {
    let path = join(APP_ROOT, source);
    Artifact {
        from: BUILD_STAGE.into(),
        source: format!("{path}/"),
        target: format!("{path}/"),
        chown: None,
    }
}

/// Where the build moves a standalone Next.js server's own `.next` (under the app's
/// `.next`), so the runtime copies the code as root's and this state as the program's.
const NEXT_STATE: &str = ".next/standalone-state";

/// The build step that moves the standalone server's `.next` aside (see `NEXT_STATE`):
/// without it, the one copy of the standalone tree would give it root's ownership.
pub(super) fn next_state_step(app: &NodeApp) -> Option<Vec<String>> {
    if !matches!(
        app.kind.value,
        AppKind::Next {
            standalone: true,
            ..
        }
    ) {
        return None;
    }
    let at = |path: &str| join(APP_ROOT, &join(&app.dir, path));
    let server_state = join(&at(".next/standalone"), &join(&app.dir, ".next"));
    Some(vec!["mv".into(), server_state, at(NEXT_STATE)])
}
