//! The project's Go packages: which directories are packages, which are `main`, and
//! what each package imports, resolved across the project's own modules (workspace
//! members and local `replace` targets).

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::source::{self, GoFile};
use crate::detect::paths::{is_within, join, split_dir};
use crate::detect::ports::{DefaultCall, PortHit};
use crate::detect::{DetectError, Evidence};
use crate::scan::ProjectView;

/// A module that is part of the build: its path and its directory ("" for the root).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalModule {
    pub path: String,
    pub dir: String,
    /// Where the module path is declared (`api/go.mod:1`), for evidence.
    pub declared: Evidence,
}

/// One directory's package.
#[derive(Clone, Debug, Default)]
pub struct Package {
    pub dir: String,
    pub import_path: String,
    pub name: String,
    /// The first file that declared `name`, for evidence.
    pub name_file: String,
    pub files: Vec<String>,
    pub imports: Vec<ImportSite>,
    pub cgo: Option<(String, usize)>,
    pub embeds: Vec<(String, String, usize)>,
    /// Port mentions in its files.
    pub ports: Vec<PortHit>,
    /// Where it reads `$PORT`, if it does.
    pub port_env: Option<Evidence>,
}

/// An import and where it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportSite {
    pub path: String,
    pub file: String,
    pub line: usize,
}

/// Every package of the project's modules, by directory.
#[derive(Debug, Default)]
pub struct PackageGraph {
    pub modules: Vec<LocalModule>,
    pub packages: BTreeMap<String, Package>,
    /// Source files the build reads (non-test Go files and embedded files).
    pub inputs: BTreeSet<String>,
    /// `//go:embed` patterns no file matches: (package dir, folder the pattern
    /// names, file, line). Something must make them before `go build`.
    pub unmatched_embeds: Vec<(String, String, String, usize)>,
}

impl PackageGraph {
    /// Reads every Go file that belongs to one of `modules`.
    pub fn load(view: &ProjectView, modules: Vec<LocalModule>) -> Result<Self, DetectError> {
        let mut graph = PackageGraph {
            modules,
            ..PackageGraph::default()
        };
        let other_module_dirs: BTreeSet<String> = view
            .files()
            .filter_map(|f| f.strip_suffix("/go.mod"))
            .filter(|dir| !graph.modules.iter().any(|m| m.dir == *dir))
            .map(str::to_string)
            .collect();
        let files: Vec<String> = view
            .files()
            .filter(|f| f.ends_with(".go") && !f.ends_with("_test.go"))
            .map(str::to_string)
            .collect();
        for file in files {
            let (dir, name) = split_dir(&file);
            if !go_tool_sees(dir) || name.starts_with(['_', '.']) {
                continue;
            }
            let Some(module) = graph.module_of(dir).cloned() else {
                continue;
            };
            // A nested go.mod starts another module that this build does not include.
            if other_module_dirs
                .iter()
                .any(|m| is_within(dir, m) && m.len() > module.dir.len())
            {
                continue;
            }
            let Some(text) = view.read_source(&file)? else {
                continue;
            };
            if !source::in_linux_build(name, &text) {
                continue;
            }
            let Some(parsed) = source::parse(&text) else {
                continue;
            };
            // Ports are scanned now, while the text is at hand; a framework's default
            // port counts in the files that import it.
            let defaults: Vec<&DefaultCall> = super::DEFAULT_CALLS
                .iter()
                .filter(|(module, _)| {
                    parsed
                        .imports
                        .iter()
                        .any(|i| super::imports_module(&i.path, module))
                })
                .map(|(_, call)| call)
                .collect();
            let ports = super::PORT_RULES.scan(&file, &text, &defaults);
            let port_env = super::PORT_RULES.reads_port_env(&file, &text);
            graph.add_file(&module, dir, &file, parsed, (ports, port_env));
        }
        graph.resolve_embeds(view);
        Ok(graph)
    }

    fn add_file(
        &mut self,
        module: &LocalModule,
        dir: &str,
        file: &str,
        parsed: GoFile,
        (ports, port_env): (Vec<PortHit>, Option<Evidence>),
    ) {
        let import_path = match dir.strip_prefix(module.dir.as_str()) {
            _ if dir == module.dir => module.path.clone(),
            Some(rest) => format!("{}/{}", module.path, rest.trim_start_matches('/')),
            None => return,
        };
        self.inputs.insert(file.to_string());
        let package = self
            .packages
            .entry(dir.to_string())
            .or_insert_with(|| Package {
                dir: dir.to_string(),
                import_path,
                name: parsed.package.clone(),
                name_file: file.to_string(),
                ..Package::default()
            });
        package.files.push(file.to_string());
        package.ports.extend(ports);
        if package.port_env.is_none() {
            package.port_env = port_env;
        }
        for import in parsed.imports {
            package.imports.push(ImportSite {
                path: import.path,
                file: file.to_string(),
                line: import.line,
            });
        }
        if let (None, Some(line)) = (&package.cgo, parsed.cgo_line) {
            package.cgo = Some((file.to_string(), line));
        }
        for (pattern, line) in parsed.embeds {
            package.embeds.push((pattern, file.to_string(), line));
        }
    }

    /// Files named by `//go:embed` must reach the build context too.
    fn resolve_embeds(&mut self, view: &ProjectView) {
        let mut unmatched = Vec::new();
        for package in self.packages.values() {
            for (pattern, embed_file, embed_line) in &package.embeds {
                let pattern = pattern.trim_start_matches("all:");
                let full = join(&package.dir, pattern);
                let Ok(glob) = globset::GlobBuilder::new(&full)
                    .literal_separator(true)
                    .build()
                    .map(|g| g.compile_matcher())
                else {
                    continue;
                };
                let prefix = format!("{full}/");
                let mut matched = false;
                for file in view.files() {
                    if glob.is_match(file)
                        || file.starts_with(&prefix)
                        || is_under_match(&glob, file)
                    {
                        self.inputs.insert(file.to_string());
                        matched = true;
                    }
                }
                if !matched {
                    // The folder the pattern names: `build/*` → build, `dist` → dist.
                    let folder = pattern
                        .split('/')
                        .take_while(|p| !p.contains(['*', '?', '[']))
                        .collect::<Vec<_>>()
                        .join("/");
                    if !folder.is_empty() {
                        unmatched.push((
                            package.dir.clone(),
                            join(&package.dir, &folder),
                            embed_file.clone(),
                            *embed_line,
                        ));
                    }
                }
            }
        }
        self.unmatched_embeds = unmatched;
    }

    /// The module a directory belongs to: the one with the longest enclosing directory.
    pub fn module_of(&self, dir: &str) -> Option<&LocalModule> {
        self.modules
            .iter()
            .filter(|m| is_within(dir, &m.dir))
            .max_by_key(|m| m.dir.len())
    }

    /// The directory of a local package with this import path, if it is one.
    pub fn local_dir(&self, import_path: &str) -> Option<&str> {
        let module = self
            .modules
            .iter()
            .filter(|m| {
                import_path == m.path
                    || import_path
                        .strip_prefix(m.path.as_str())
                        .is_some_and(|r| r.starts_with('/'))
            })
            .max_by_key(|m| m.path.len())?;
        let rest = import_path[module.path.len()..].trim_start_matches('/');
        let dir = join(&module.dir, rest);
        self.packages.get(&dir).map(|p| p.dir.as_str())
    }

    /// Directories holding `package main`.
    pub fn mains(&self) -> impl Iterator<Item = &Package> {
        self.packages.values().filter(|p| p.name == "main")
    }

    /// The local packages `start` depends on, itself first, in a stable order.
    pub fn reachable(&self, start: &str) -> Vec<&Package> {
        let mut seen = BTreeSet::new();
        let mut queue = VecDeque::from([start.to_string()]);
        let mut out = Vec::new();
        while let Some(dir) = queue.pop_front() {
            if !seen.insert(dir.clone()) {
                continue;
            }
            let Some(package) = self.packages.get(&dir) else {
                continue;
            };
            for import in &package.imports {
                if let Some(next) = self.local_dir(&import.path) {
                    queue.push_back(next.to_string());
                }
            }
            out.push(package);
        }
        out
    }

    /// Whether an import path is one of the project's own packages.
    pub fn is_local(&self, import_path: &str) -> bool {
        self.local_dir(import_path).is_some()
    }
}

fn is_under_match(glob: &globset::GlobMatcher, file: &str) -> bool {
    // An embed pattern naming a directory embeds everything below it.
    let mut path = file;
    while let Some((parent, _)) = path.rsplit_once('/') {
        if glob.is_match(parent) {
            return true;
        }
        path = parent;
    }
    false
}

/// Directories the go tool ignores: testdata, and names starting with `_` or `.`.
fn go_tool_sees(dir: &str) -> bool {
    dir.split('/')
        .filter(|p| !p.is_empty())
        .all(|p| p != "testdata" && !p.starts_with(['_', '.']))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::ScanLimits;

    fn graph(
        files: &[(&str, &str)],
        modules: &[(&str, &str)],
    ) -> (tempfile::TempDir, PackageGraph) {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let view = ProjectView::open(dir.path(), ScanLimits::default()).unwrap();
        let modules = modules
            .iter()
            .map(|(path, dir)| LocalModule {
                path: path.to_string(),
                dir: dir.to_string(),
                declared: Evidence::default_because("test"),
            })
            .collect();
        let graph = PackageGraph::load(&view, modules).unwrap();
        (dir, graph)
    }

    #[test]
    fn finds_mains_and_what_they_reach() {
        let (_d, g) = graph(
            &[
                ("go.mod", "module example.com/app\n"),
                (
                    "cmd/api/main.go",
                    "package main\nimport \"example.com/app/internal/db\"\n",
                ),
                ("cmd/api/main_test.go", "package main\nimport \"C\"\n"),
                (
                    "internal/db/db.go",
                    "package db\nimport _ \"github.com/mattn/go-sqlite3\"\n",
                ),
                ("internal/other/o.go", "package other\nimport \"C\"\n"),
                ("tools/gen.go", "//go:build ignore\n\npackage main\n"),
                ("testdata/x/main.go", "package main\n"),
                ("_old/main.go", "package main\n"),
            ],
            &[("example.com/app", "")],
        );
        let mains: Vec<_> = g.mains().map(|p| p.dir.as_str()).collect();
        assert_eq!(mains, ["cmd/api"]);
        let reach: Vec<_> = g
            .reachable("cmd/api")
            .iter()
            .map(|p| p.dir.as_str())
            .collect();
        assert_eq!(reach, ["cmd/api", "internal/db"]);
        assert!(g.packages["internal/other"].cgo.is_some());
        assert!(g.packages["cmd/api"].cgo.is_none());
    }

    #[test]
    fn resolves_across_workspace_modules_and_skips_foreign_nested_modules() {
        let (_d, g) = graph(
            &[
                ("api/go.mod", "module example.com/api\n"),
                (
                    "api/main.go",
                    "package main\nimport \"example.com/lib/greet\"\n",
                ),
                ("lib/go.mod", "module example.com/lib\n"),
                ("lib/greet/greet.go", "package greet\n"),
                ("lib/nested/go.mod", "module example.com/nested\n"),
                ("lib/nested/main.go", "package main\n"),
            ],
            &[("example.com/api", "api"), ("example.com/lib", "lib")],
        );
        let mains: Vec<_> = g.mains().map(|p| p.dir.as_str()).collect();
        assert_eq!(mains, ["api"]);
        let reach: Vec<_> = g
            .reachable("api")
            .iter()
            .map(|p| p.import_path.as_str())
            .collect();
        assert_eq!(reach, ["example.com/api", "example.com/lib/greet"]);
    }

    #[test]
    fn embedded_files_are_build_inputs() {
        let (_d, g) = graph(
            &[
                ("go.mod", "module m\n"),
                (
                    "main.go",
                    "package main\nimport \"embed\"\n//go:embed static\nvar s embed.FS\n//go:embed version.txt\nvar v string\n",
                ),
                ("static/css/site.css", ""),
                ("version.txt", "1"),
                ("notes.md", ""),
            ],
            &[("m", "")],
        );
        let inputs: Vec<_> = g.inputs.iter().map(String::as_str).collect();
        assert_eq!(inputs, ["main.go", "static/css/site.css", "version.txt"]);
    }
}
