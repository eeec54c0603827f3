//! The Node.js detector: package manager and version, Node version, workspaces, the
//! apps among the packages, native modules, and the files installs and builds read.

use std::collections::BTreeSet;

use serde::Serialize;

use super::{app, manifest, package_manager, version};

use super::app::{AppKind, NodeApp};
use super::bun::Runtime;
use super::manifest::PackageJson;
use super::package_manager::{PackageManager, Tool};
use crate::detect::paths::{is_within, join, split_dir};
use crate::detect::{DetectError, Evidence, Fact, Warning, ports};
use crate::scan::ProjectView;

/// Everything the Node detector found.
#[derive(Clone, Debug, Serialize)]
pub struct NodeFacts {
    pub manifest: Fact<String>,
    pub package_manager: Fact<PackageManager>,
    /// The Node major.
    pub node: Fact<u64>,
    /// Workspace member folders, when the root is a workspace.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workspace: Option<Fact<Vec<String>>>,
    /// The packages that are apps (something to start or serve).
    pub apps: Vec<NodeApp>,
    /// Packages with native code in the dependency tree.
    pub native: Vec<NativeModule>,
    /// Files the install step reads: manifests, the lockfile, workspace and package
    /// manager settings, patches.
    pub install_inputs: Vec<String>,
    /// A project `.npmrc`: bind-mounted into installs, never copied into a layer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub npmrc: Option<String>,
    /// Files the build reads, which the build context must keep.
    pub build_inputs: Vec<String>,
    /// node_modules folders the project commits as source (its .gitignore brings them
    /// back): no clean-up step may delete them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub committed_modules: Vec<String>,
    /// The project's own scripts that npm runs at install (postinstall, prepare…):
    /// they need its sources or dev tools, which an install layer lacks.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lifecycle: Vec<Fact<String>>,
    /// Dependencies whose install runs scripts (npm's `hasInstallScript`), rebuilt
    /// by name when the installs skip scripts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub install_scripted: Vec<String>,
    /// Test tools that download a browser at install, held only as devDependencies.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dev_only_browsers: Vec<Fact<String>>,
    pub warnings: Vec<Warning>,
}

/// A dependency with native code.
#[derive(Clone, Debug, Serialize)]
pub struct NativeModule {
    pub name: String,
    /// Compiled at install time (node-gyp) rather than a prebuilt binary.
    pub compiled: bool,
    pub evidence: Evidence,
}

/// A dependency on a local folder (`file:../shared`, `link:`, `portal:`) outside the
/// project cannot reach the build context: said, as Go's `replace ../x` is.
fn outside_local_dependencies(
    root: &PackageJson,
    members: &[PackageJson],
    warnings: &mut Vec<Warning>,
) {
    for package in std::iter::once(root).chain(members) {
        let deps = package.dependencies.iter().chain(&package.dev_dependencies);
        for (name, spec) in deps {
            let Some(target) = ["file:", "link:", "portal:"]
                .iter()
                .find_map(|p| spec.strip_prefix(p))
            else {
                continue;
            };
            let inside = !target.starts_with('/')
                && crate::detect::paths::normalize(&crate::detect::paths::join(
                    &package.dir,
                    target,
                ))
                .is_some();
            if !inside {
                warnings.push(Warning {
                    message: format!(
                        "{name} is {spec}, outside the build context: the image build will fail to find it"
                    ),
                    evidence: Evidence::file(&package.file, "a local dependency"),
                });
            }
        }
    }
}

/// Facts about the project, or `None` when none of the language's markers exist.
pub fn detect(view: &ProjectView) -> Result<Option<NodeFacts>, DetectError> {
    let Some(root) = manifest::read_package(view, "")? else {
        return Ok(None);
    };
    Ok(Some(detect_node(view, root)?))
}

fn detect_node(view: &ProjectView, root: PackageJson) -> Result<NodeFacts, DetectError> {
    let mut warnings = Vec::new();
    let package_manager = package_manager::detect(view, &root, &mut warnings)?;
    let node = version::resolve(view, &root, &mut warnings);
    let node = version::satisfy_package_manager(node, &package_manager, &mut warnings);

    let (workspace, workspace_file, members) =
        read_workspace(view, &root, package_manager.value.tool)?;
    let bun_project = package_manager.value.tool == Tool::Bun;
    let mut apps = find_apps(
        view,
        &root,
        workspace.is_some(),
        &members,
        bun_project,
        &mut warnings,
    )?;
    // The installs skip the project's own scripts (npm, pnpm, yarn 1): its postinstall
    // then runs in the build stage of the app at the root.
    if matches!(
        package_manager.value.tool,
        Tool::Npm | Tool::Pnpm | Tool::YarnClassic
    ) && let Some(post) = root.scripts.get("postinstall")
    {
        for app in apps.iter_mut().filter(|a| a.dir.is_empty()) {
            app.postinstall = Some(post.evidence.clone());
        }
    }
    outside_local_dependencies(&root, &members, &mut warnings);
    if apps.is_empty() {
        warnings.push(Warning {
            message: "no app found: no start script, server entry file or known framework".into(),
            evidence: Evidence::file(&root.file, "root"),
        });
    }

    let mut install_inputs: Vec<String> = vec![root.file.clone()];
    install_inputs.extend(package_manager.value.lockfile.clone());
    install_inputs.extend(workspace_file);
    install_inputs.extend(members.iter().map(|m| m.file.clone()));
    for file in view.files() {
        let yarn_dir = [".yarn/releases/", ".yarn/plugins/", ".yarn/patches/"]
            .iter()
            .any(|d| file.starts_with(d));
        if file == ".yarnrc.yml" || yarn_dir || file.starts_with("patches/") {
            install_inputs.push(file.to_string());
        }
    }
    install_inputs.sort();
    install_inputs.dedup();
    let npmrc = view.has_file(".npmrc").then(|| ".npmrc".to_string());
    warnings.extend(npmrc_credentials(view, npmrc.as_deref()));

    // The lockfile is read once: for native modules and for npm's install scripts.
    let lockfile = package_manager.value.lockfile.as_deref();
    let lock_text = match lockfile {
        Some(file) => view.read_manifest(file)?.unwrap_or_default(),
        None => String::new(),
    };
    let (install_scripted, prebuilt) = install_scripted(lockfile, &lock_text);
    let native = native_modules(
        &root,
        &members,
        lockfile,
        &lock_text,
        &install_scripted,
        &prebuilt,
    );
    let build_inputs = build_inputs(view, &apps, &install_inputs);
    Ok(NodeFacts {
        manifest: Fact::new(
            root.file.clone(),
            Evidence::file(&root.file, "project root"),
        ),
        package_manager,
        node,
        workspace,
        apps,
        native,
        install_inputs,
        npmrc,
        build_inputs,
        committed_modules: committed_modules(view),
        dev_only_browsers: dev_only_browsers(&root, &members),
        lifecycle: ["preinstall", "install", "postinstall", "prepare"]
            .iter()
            .filter_map(|name| {
                let script = root.scripts.get(*name)?;
                Some(Fact::new(name.to_string(), script.evidence.clone()))
            })
            .collect(),
        install_scripted,
        warnings,
    })
}

impl NodeFacts {
    /// Whether Node runs any part of the build: not when Bun installs the project and
    /// every app runs on Bun.
    pub fn runs_on_node(&self) -> bool {
        self.package_manager.value.tool != Tool::Bun
            || self.apps.iter().any(|app| {
                !matches!(
                    app.kind.value,
                    AppKind::Server {
                        runtime: Runtime::Bun,
                        ..
                    }
                )
            })
    }
}

/// Packages npm's lockfile marks as running install scripts (the root entry, "", is
/// the project itself, whose scripts are not a dependency's), and of those the ones
/// whose script only picks a prebuilt binary: they carry it as an optional
/// dependency per platform (`@lmdb/lmdb-linux-x64`, `@esbuild/linux-x64`).
fn install_scripted(lockfile: Option<&str>, text: &str) -> (Vec<String>, BTreeSet<String>) {
    let mut names = Vec::new();
    let mut prebuilt = BTreeSet::new();
    if !lockfile.is_some_and(|f| f.ends_with(".json")) {
        return (names, prebuilt);
    }
    let Ok(lock) = serde_json::from_str::<serde_json::Value>(text) else {
        return (names, prebuilt);
    };
    let packages = lock.get("packages").and_then(|p| p.as_object());
    for (key, entry) in packages.into_iter().flatten() {
        if entry.get("hasInstallScript").and_then(|h| h.as_bool()) != Some(true) {
            continue;
        }
        let Some((_, name)) = key.rsplit_once("node_modules/") else {
            continue;
        };
        let ships_linux_build = entry
            .get("optionalDependencies")
            .and_then(|o| o.as_object())
            .is_some_and(|o| o.keys().any(|k| k.contains("linux-x64")));
        if ships_linux_build {
            prebuilt.insert(name.to_string());
        }
        names.push(name.to_string());
    }
    names.sort();
    names.dedup();
    (names, prebuilt)
}

/// Browser-downloading test tools that some package has as a devDependency and none
/// as a production dependency.
fn dev_only_browsers(root: &PackageJson, members: &[PackageJson]) -> Vec<Fact<String>> {
    let packages: Vec<&PackageJson> = std::iter::once(root).chain(members).collect();
    super::data::node()
        .browser_downloads
        .iter()
        .filter(|d| {
            !packages
                .iter()
                .any(|p| p.dependencies.contains_key(&d.package))
        })
        .filter_map(|d| {
            let dev = packages
                .iter()
                .find(|p| p.dev_dependencies.contains_key(&d.package))?;
            Some(Fact::new(
                d.package.clone(),
                Evidence::file(&dev.file, format!("devDependencies.{}", d.package)),
            ))
        })
        .collect()
}

/// The outermost `node_modules` folders that hold files the walk saw (pruned ones it
/// never enters, so these are committed source).
fn committed_modules(view: &ProjectView) -> Vec<String> {
    let mut dirs: Vec<String> = view
        .files()
        .filter_map(|f| {
            let at = if f.starts_with("node_modules/") {
                0
            } else {
                f.find("/node_modules/")? + 1
            };
            Some(f[..at + "node_modules".len()].to_string())
        })
        .collect();
    dirs.sort();
    dirs.dedup();
    dirs
}

type Workspace = (Option<Fact<Vec<String>>>, Option<String>, Vec<PackageJson>);

/// The workspace: its member folders (package.json `workspaces`, or pnpm's
/// pnpm-workspace.yaml), the file that lists them, and their manifests.
fn read_workspace(
    view: &ProjectView,
    root: &PackageJson,
    tool: Tool,
) -> Result<Workspace, DetectError> {
    let mut patterns = root.workspaces.clone();
    let mut workspace_file = None;
    if tool == Tool::Pnpm
        && let Some(text) = view.read_manifest("pnpm-workspace.yaml")?
    {
        patterns.extend(manifest::pnpm_workspace_packages(&text));
        workspace_file = Some("pnpm-workspace.yaml".to_string());
    }
    let member_dirs = manifest::members(view, &patterns);
    let mut members = Vec::new();
    for dir in &member_dirs {
        if let Some(package) = manifest::read_package(view, dir)? {
            members.push(package);
        }
    }
    let workspace = (!patterns.is_empty()).then(|| {
        let evidence = match &workspace_file {
            Some(file) => Evidence::file(file, "packages"),
            None => Evidence::file("package.json", "workspaces"),
        };
        Fact::new(member_dirs, evidence)
    });
    Ok((workspace, workspace_file, members))
}

/// The apps: the root package, or each workspace member that starts or
/// serves something.
fn find_apps(
    view: &ProjectView,
    root: &PackageJson,
    workspace: bool,
    members: &[PackageJson],
    bun_project: bool,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<NodeApp>, DetectError> {
    let mut apps = Vec::new();
    let candidates: Vec<&PackageJson> = if workspace {
        members.iter().collect()
    } else {
        vec![root]
    };
    for package in candidates {
        // In a monorepo, a package other packages depend on is a library unless it
        // says how it starts.
        let depended_on = members.iter().any(|m| {
            package
                .name
                .as_ref()
                .is_some_and(|n| m.depends_on(&n.value))
        });
        let role = match (workspace, depended_on) {
            (false, _) => app::Role::Project,
            (true, false) => app::Role::Member,
            (true, true) => app::Role::Library,
        };
        let hoisted = workspace.then_some(root);
        if let Some(mut found) = app::analyse(view, package, role, hoisted, bun_project, warnings)?
        {
            found.local_dependencies = local_dependencies(package, members);
            warnings.extend(typescript_entries(&found, members));
            warnings.extend(ports::loopback_warning(
                &found.name.value,
                found.listening.port.as_ref(),
                &found.listening.other_ports,
            ));
            apps.push(found);
        }
    }
    Ok(apps)
}

/// A warning when .npmrc holds registry credentials.
fn npmrc_credentials(view: &ProjectView, npmrc: Option<&str>) -> Option<Warning> {
    let text = view.read_manifest(npmrc?).ok().flatten()?;
    let credentials =
        text.contains("_authToken") || text.contains("_auth=") || text.contains("_password");
    credentials.then(|| Warning {
        message: ".npmrc holds registry credentials: it is only bind-mounted into installs (never in a layer), but it is sent with the build context; prefer a build secret (--mount=type=secret)".into(),
        evidence: Evidence::file(".npmrc", "credentials"),
    })
}

/// The workspace packages `package` depends on, directly or through each other.
fn local_dependencies(package: &PackageJson, members: &[PackageJson]) -> Vec<String> {
    let mut found: BTreeSet<String> = BTreeSet::new();
    let mut queue = vec![package];
    while let Some(current) = queue.pop() {
        for member in members {
            let name = member.name.as_ref().map(|n| n.value.as_str());
            if name.is_some_and(|n| current.depends_on(n)) && found.insert(member.dir.clone()) {
                queue.push(member);
            }
        }
    }
    found.remove(&package.dir);
    found.into_iter().collect()
}

/// Workspace packages the app imports whose entry is TypeScript source (turborepo's
/// "just-in-time" packages): node cannot load `.ts` from node_modules, so the image
/// would stop at the first import. Bun, Next.js and bundled builds compile them.
fn typescript_entries(app: &NodeApp, members: &[PackageJson]) -> Vec<Warning> {
    let runs_node = matches!(
        app.kind.value,
        AppKind::Server { .. } | AppKind::Entry { .. }
    ) && app.runtime() == super::bun::Runtime::Node;
    if !runs_node {
        return Vec::new();
    }
    members
        .iter()
        .filter(|m| app.local_dependencies.contains(&m.dir))
        .filter_map(|member| {
            let entry = member
                .exports_entry
                .as_ref()
                .or(member.main.as_ref())?;
            let typescript = [".ts", ".tsx", ".mts", ".cts"]
                .iter()
                .any(|ext| entry.ends_with(ext))
                && !entry.ends_with(".d.ts");
            typescript.then(|| Warning {
                message: format!(
                    "{} imports {}, whose entry {entry} is TypeScript source: node cannot load it from node_modules, so the image stops at that import; build the package to JavaScript (a build script, and main/exports naming its output) or bundle the app",
                    app.name.value,
                    member.display_name()
                ),
                evidence: Evidence::file(&member.file, "main/exports"),
            })
        })
        .collect()
}

/// Native packages: known ones (data) anywhere in the lockfile or the manifests, and
/// npm lockfile entries with install scripts.
fn native_modules(
    root: &PackageJson,
    members: &[PackageJson],
    lockfile: Option<&str>,
    text: &str,
    install_scripted: &[String],
    prebuilt: &BTreeSet<String>,
) -> Vec<NativeModule> {
    let mut out: Vec<NativeModule> = Vec::new();
    for native in &super::data::node().native {
        let name = &native.package;
        // npm: "node_modules/x"; pnpm: `  /x@1.0.0:` or `  x@1.0.0:`; yarn: `x@^1:` or `"x@npm:^1":`.
        let npm = format!("\"node_modules/{name}\"");
        let key = format!("{name}@");
        let line = text
            .lines()
            .position(|l| {
                l.contains(&npm)
                    || l.trim_start()
                        .trim_start_matches(['\'', '"', '/'])
                        .starts_with(&key)
            })
            .map(|i| i + 1);
        let direct = std::iter::once(root)
            .chain(members)
            .find(|p| p.depends_on(name));
        let evidence = match (line, lockfile, direct) {
            (Some(line), Some(file), _) => {
                Evidence::at(file, line, format!("{name} in the lockfile"))
            }
            (_, _, Some(package)) => Evidence::file(&package.file, format!("depends on {name}")),
            _ => continue,
        };
        out.push(NativeModule {
            name: name.clone(),
            compiled: native.kind == "build",
            evidence,
        });
    }
    // npm records packages whose install runs scripts (usually node-gyp).
    let known = &super::data::node().app.prebuilt_install_scripts;
    for name in install_scripted {
        if !out.iter().any(|n| &n.name == name) && !known.contains(name) && !prebuilt.contains(name)
        {
            let line = text
                .lines()
                .position(|l| l.contains(&format!("node_modules/{name}\"")))
                .map_or(1, |i| i + 1);
            let file = lockfile.unwrap_or("package-lock.json");
            out.push(NativeModule {
                name: name.clone(),
                compiled: true,
                evidence: Evidence::at(file, line, "has an install script"),
            });
        }
    }
    out
}

/// Files the install and build read: manifests, the apps' sources and run-time folders.
fn build_inputs(view: &ProjectView, apps: &[NodeApp], install_inputs: &[String]) -> Vec<String> {
    const SOURCE: &[&str] = &[
        "js", "mjs", "cjs", "ts", "mts", "cts", "jsx", "tsx", "json", "html", "css", "scss", "vue",
        "svelte", "astro", "prisma", "graphql", "yaml", "yml",
    ];
    let mut out: BTreeSet<String> = install_inputs.iter().cloned().collect();
    for app in apps {
        let outputs: Vec<String> = match &app.kind.value {
            AppKind::Server { outputs, .. } => outputs.iter().map(|o| join(&app.dir, o)).collect(),
            AppKind::Entry { output, .. } | AppKind::Static { output } => {
                vec![join(&app.dir, output)]
            }
            AppKind::Next { .. } => vec![join(&app.dir, ".next")],
        };
        let dirs: Vec<String> = std::iter::once(app.dir.clone())
            .chain(app.local_dependencies.iter().cloned())
            .collect();
        for file in view.files() {
            let dir = split_dir(file).0;
            if !dirs.iter().any(|d| is_within(dir, d)) || outputs.iter().any(|o| is_within(dir, o))
            {
                continue;
            }
            if app::is_test(file) {
                continue;
            }
            let extension = file.rsplit('.').next().unwrap_or_default();
            let runtime = app
                .runtime_dirs
                .iter()
                .any(|r| is_within(dir, &join(&app.dir, r)));
            if runtime || SOURCE.contains(&extension) {
                out.insert(file.to_string());
            }
        }
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn install_scripts_that_pick_a_linux_prebuild_are_not_compiled() {
        let lock = r#"{"lockfileVersion": 3, "packages": {
            "": {"hasInstallScript": true},
            "node_modules/lmdb": {"hasInstallScript": true,
                "optionalDependencies": {"@lmdb/lmdb-darwin-arm64": "3.2.6", "@lmdb/lmdb-linux-x64": "3.2.6"}},
            "node_modules/bcrypt": {"hasInstallScript": true, "dependencies": {"node-addon-api": "^8"}},
            "node_modules/express": {"version": "4.21.2"}}}"#;
        let (names, prebuilt) = install_scripted(Some("package-lock.json"), lock);
        assert_eq!(names, ["bcrypt", "lmdb"]);
        assert_eq!(prebuilt.into_iter().collect::<Vec<_>>(), ["lmdb"]);
        let (names, _) = install_scripted(Some("pnpm-lock.yaml"), lock);
        assert!(names.is_empty());
    }
}
