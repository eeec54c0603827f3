//! Entry points for the fuzz targets in `fuzz/` and their regression tests (not
//! part of the documented API). Each one feeds arbitrary bytes to one reader of project input and
//! checks a property beyond "no panic": a rendered Dockerfile parses back, a merged
//! .dockerignore still keeps the files the build needs.

use std::path::PathBuf;

use crate::dockerignore::IgnoreRules;
use crate::pipeline;
use crate::settings::{Options, Settings};

/// A scratch project folder reused across runs of one fuzzing process.
pub struct Scratch {
    dir: tempfile::TempDir,
}

impl Default for Scratch {
    fn default() -> Self {
        Scratch::new()
    }
}

impl Scratch {
    pub fn new() -> Scratch {
        Scratch {
            dir: tempfile::tempdir().expect("a temporary folder"),
        }
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("p")
    }

    /// Replaces the project with `files` (relative paths; bytes as given).
    fn lay_out(&self, files: &[(&str, &[u8])]) {
        let root = self.root();
        let _ = std::fs::remove_dir_all(&root);
        for (path, bytes) in files {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("a folder");
            std::fs::write(path, bytes).expect("a file");
        }
        std::fs::create_dir_all(&root).expect("the root");
    }

    /// Runs detect → plan → render on `files` with default settings. An error is a
    /// fine answer; a panic is a crash; a rendered Dockerfile must pass the same
    /// parse-back as every written one, and its mount options must be well formed.
    pub fn generate(&self, files: &[(&str, &[u8])]) {
        self.lay_out(files);
        let root = self.root();
        let Ok(settings) = Settings::resolve(Options::default(), &|_: &str| None, &root) else {
            return;
        };
        if let Ok((plan, rendered)) = pipeline::generate(&root, &settings) {
            let summary = crate::render::verify::verify(&rendered.dockerfile)
                .unwrap_or_else(|e| panic!("rendered Dockerfile fails its check: {e}"));
            crate::render::parse_back::matches_plan(&summary, &plan)
                .unwrap_or_else(|e| panic!("rendered Dockerfile differs from its plan: {e}"));
            check_required(&rendered.dockerignore, &plan.context.required);
        }
    }
}

/// Merges `on_disk` (a user's .dockerignore) with a generated one that needs
/// `required`, as `init` and `update` do: every required file stays in the context.
pub fn dockerignore_merge(on_disk: &str, required: &[String]) {
    use crate::write::sync::{for_init, for_update};
    let generated = "# generated\n.git\nnode_modules\n".to_string();
    let merged = for_init(
        ".dockerignore",
        Some(on_disk.to_string()),
        generated.clone(),
        None,
        required,
    );
    if merged.status == crate::write::sync::Status::Merge {
        check_required(&merged.text, required);
    }
    let _ = for_update(
        ".dockerignore",
        Some(on_disk.to_string()),
        generated,
        None,
        Some(on_disk),
        required,
    );
    let rules = IgnoreRules::parse(on_disk);
    for path in required {
        let _ = rules.excludes(path);
    }
}

fn check_required(dockerignore: &str, required: &[String]) {
    let rules = IgnoreRules::parse(dockerignore);
    for path in required {
        assert!(
            !rules.excludes(path),
            "{path} is required but excluded by:\n{dockerignore}"
        );
    }
}

/// Splits fuzz input into files: `name\0contents\0name\0contents…`, names taken
/// from `names` by their first byte so that the fuzzer reaches the manifests docksmith
/// reads instead of guessing file names.
pub fn files_from<'a>(data: &'a [u8], names: &[&'a str]) -> Vec<(&'a str, &'a [u8])> {
    let mut files = Vec::new();
    let mut parts = data.split(|b| *b == 0);
    while let (Some(name), Some(contents)) = (parts.next(), parts.next()) {
        let Some(first) = name.first() else { continue };
        let name = names[*first as usize % names.len()];
        if !files.iter().any(|(n, _)| *n == name) {
            files.push((name, contents));
        }
    }
    files
}

/// The files each manifest target may write (the whole-project target: all of them).
pub const TARGETS: &[(&str, &[&str])] = &[
    (
        "go_manifests",
        &[
            "go.mod",
            "go.work",
            "main.go",
            "cmd/app/main.go",
            "vendor/modules.txt",
            "tools/go.mod",
        ],
    ),
    (
        "cargo_manifests",
        &[
            "Cargo.toml",
            "Cargo.lock",
            "rust-toolchain.toml",
            "src/main.rs",
            "crates/app/Cargo.toml",
            "crates/app/src/main.rs",
            ".cargo/config.toml",
        ],
    ),
    (
        "node_manifests",
        &[
            "package.json",
            "package-lock.json",
            "pnpm-lock.yaml",
            "yarn.lock",
            "pnpm-workspace.yaml",
            "tsconfig.json",
            ".nvmrc",
            "apps/web/package.json",
            ".yarnrc.yml",
            "index.js",
        ],
    ),
    (
        "python_manifests",
        &[
            "pyproject.toml",
            "requirements.txt",
            "Pipfile",
            "Pipfile.lock",
            "uv.lock",
            "poetry.lock",
            ".python-version",
            "app.py",
            "setup.cfg",
            "manage.py",
        ],
    ),
    (
        "java_manifests",
        &[
            "pom.xml",
            "core/pom.xml",
            ".mvn/wrapper/maven-wrapper.properties",
            "src/main/resources/application.properties",
            "src/main/java/App.java",
            "build.gradle",
        ],
    ),
];

/// Runs fuzz target `target` on `data` (also how the regression tests replay inputs).
pub fn run(target: &str, data: &[u8]) {
    thread_local! {
        static SCRATCH: Scratch = Scratch::new();
    }
    if target == "dockerignore_merge" {
        let text = String::from_utf8_lossy(data);
        let required = [
            "go.mod".to_string(),
            "src/main.rs".to_string(),
            "package.json".to_string(),
        ];
        dockerignore_merge(&text, &required);
        return;
    }
    let all: Vec<&str> = TARGETS
        .iter()
        .flat_map(|(_, names)| names.iter().copied())
        .collect();
    let names = TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .map_or(all.as_slice(), |(_, names)| names);
    let files = files_from(data, names);
    SCRATCH.with(|scratch| scratch.generate(&files));
}
