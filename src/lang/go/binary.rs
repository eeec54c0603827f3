//! A Go module's programs: each main package, the name `go build` gives it,
//! whether it needs cgo, the frameworks it imports and the ports it listens on.

use serde::Serialize;

use super::data::CgoModule;
use super::packages::{self, LocalModule, PackageGraph};
use crate::detect::ports::{Listening, PortHit};
use crate::detect::{DetectError, Evidence, Fact, Warning};
use crate::lang::frontend::Frontend;
use crate::scan::ProjectView;

/// A main package.
#[derive(Clone, Debug, Serialize)]
pub struct GoBinary {
    /// The name `go build` gives it.
    pub name: Fact<String>,
    /// The package directory relative to the project root ("" for the root).
    pub dir: String,
    /// Whether building it needs cgo, and why.
    pub cgo: Fact<bool>,
    /// Known cgo modules it imports (their runtime libraries come from data).
    pub cgo_modules: Vec<String>,
    /// Web frameworks it imports.
    pub frameworks: Vec<Fact<String>>,
    /// Where it listens.
    #[serde(flatten)]
    pub listening: Listening,
    /// Front ends it embeds that the project builds with Node.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub frontends: Vec<Fact<Frontend>>,
    /// In a workspace, the members (folders) its build loads when they are fewer
    /// than all: those holding the packages it imports and the members their go.mod
    /// files require. Empty: the whole workspace (or no workspace).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub workspace_subset: Vec<String>,
}

impl GoBinary {
    /// The package argument for `go build`, relative to the root: `.` or `./cmd/api`.
    pub fn package_arg(&self) -> String {
        if self.dir.is_empty() {
            ".".into()
        } else {
            format!("./{}", self.dir)
        }
    }
}

pub(super) fn binaries(
    view: &ProjectView,
    graph: &PackageGraph,
    modules: &[LocalModule],
    warnings: &mut Vec<Warning>,
) -> Result<Vec<GoBinary>, DetectError> {
    let mut binaries = Vec::new();
    let mut found_warnings = Vec::new();
    for main in graph.mains() {
        let reachable = graph.reachable(&main.dir);
        let external: Vec<&packages::ImportSite> = reachable
            .iter()
            .flat_map(|p| p.imports.iter())
            .filter(|i| !graph.is_local(&i.path))
            .collect();
        let (cgo, cgo_modules) = cgo_fact(&reachable, &external);
        let frameworks = frameworks(&external);
        let hits: Vec<PortHit> = reachable
            .iter()
            .flat_map(|p| p.ports.iter().cloned())
            .collect();
        let port_env = reachable.iter().find_map(|p| p.port_env.clone());
        let dirs: Vec<&str> = reachable.iter().map(|p| p.dir.as_str()).collect();
        let mut used: Vec<String> = reachable
            .iter()
            .filter_map(|p| graph.module_of(&p.dir).map(|m| m.dir.clone()))
            .collect();
        used.sort();
        used.dedup();
        let name = binary_name(main, modules);
        let listening = Listening::of_program(hits, port_env, &name.value, &mut found_warnings);
        binaries.push(GoBinary {
            name,
            dir: main.dir.clone(),
            cgo,
            cgo_modules,
            frameworks,
            listening,
            frontends: super::frontend::find(view, graph, &dirs, &mut found_warnings)?,
            workspace_subset: used,
        });
    }
    // Binaries that reach the same package report its embed once.
    for warning in found_warnings {
        if !warnings.contains(&warning) {
            warnings.push(warning);
        }
    }
    Ok(binaries)
}

/// Whether `import` is `module` or one of its packages.
pub fn imports_module(import: &str, module: &str) -> bool {
    import == module
        || import
            .strip_prefix(module)
            .is_some_and(|r| r.starts_with('/'))
}

fn cgo_fact(
    reachable: &[&packages::Package],
    external: &[&packages::ImportSite],
) -> (Fact<bool>, Vec<String>) {
    let known: Vec<(&packages::ImportSite, &CgoModule)> = external
        .iter()
        .filter_map(|i| {
            super::data::go()
                .cgo
                .iter()
                .filter(|m| imports_module(&i.path, &m.module))
                .max_by_key(|m| m.module.len())
                .map(|m| (*i, m))
        })
        .collect();
    let mut modules: Vec<String> = known.iter().map(|(_, m)| m.module.clone()).collect();
    modules.sort();
    modules.dedup();
    if let Some((file, line)) = reachable.iter().find_map(|p| p.cgo.clone()) {
        return (
            Fact::new(true, Evidence::at(&file, line, "import \"C\"")),
            modules,
        );
    }
    if let Some((site, module)) = known.first() {
        return (
            Fact::new(
                true,
                Evidence::at(
                    &site.file,
                    site.line,
                    format!("imports {} ({})", module.module, module.why),
                ),
            ),
            modules,
        );
    }
    (
        Fact::new(
            false,
            Evidence::default_because("no import \"C\" and no known cgo module among its imports"),
        ),
        modules,
    )
}

fn frameworks(external: &[&packages::ImportSite]) -> Vec<Fact<String>> {
    let mut out: Vec<Fact<String>> = Vec::new();
    for framework in &super::data::go().framework {
        if let Some(site) = external
            .iter()
            .find(|i| imports_module(&i.path, &framework.module))
        {
            out.push(Fact::new(
                framework.name.clone(),
                Evidence::at(
                    &site.file,
                    site.line,
                    format!("imports {}", framework.module),
                ),
            ));
        }
    }
    out
}

/// The name `go build` gives a main package: the last element of its import path,
/// except that a module root's major-version suffix is skipped (`example.com/tool/v2`
/// builds `tool`; a package directory that happens to be named `v2` builds `v2`).
/// The evidence is where the name comes from: the module directive or the folder.
fn binary_name(main: &packages::Package, modules: &[LocalModule]) -> Fact<String> {
    match modules.iter().find(|m| m.path == main.import_path) {
        Some(module) => Fact::new(
            module_binary_name(&main.import_path).to_string(),
            Evidence {
                detail: format!("package main at the module root ({})", main.name_file),
                ..module.declared.clone()
            },
        ),
        None => Fact::new(
            main.import_path
                .rsplit('/')
                .next()
                .unwrap_or(&main.import_path)
                .to_string(),
            Evidence::file(&main.name_file, "package main, named after its folder"),
        ),
    }
}

/// The binary name of a module's root package: its path's last element, skipping a
/// `/vN` major-version suffix.
pub fn module_binary_name(module: &str) -> &str {
    let mut parts = module.rsplit('/');
    let last = parts.next().unwrap_or(module);
    let is_major =
        last.len() > 1 && last.starts_with('v') && last[1..].chars().all(|c| c.is_ascii_digit());
    if is_major {
        parts.next().unwrap_or(last)
    } else {
        last
    }
}
