//! `docksmith doctor`: audits a Dockerfile someone wrote (and the .dockerignore beside
//! it) for the pitfalls that cost size, cache hits, security or a working container;
//! each finding names the line, why it matters and the fix, and says whether
//! `--fix` can make that fix safely. It also sets the file beside what docksmith
//! would generate for the project (base, user, port, start command).

mod commands;
mod compare;
mod fix;
mod ignore;
mod images;
pub mod output;
mod rules;

use serde::Serialize;

pub use compare::Difference;
pub use fix::apply_fixes;
pub use images::{ImageRef, Libc};

use crate::dockerfile::Dockerfile;
use crate::plan::BuildPlan;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// What a finding costs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Size,
    Cache,
    Security,
    Correctness,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Size => "size",
            Category::Cache => "cache",
            Category::Security => "security",
            Category::Correctness => "correctness",
        }
    }
}

/// A kind of finding, with what it costs and why.
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub category: Category,
    pub title: &'static str,
    pub why: &'static str,
}

/// Every rule doctor checks (the README's table and SARIF's rule list come from it).
pub const RULES: &[Rule] = &[
    Rule {
        id: "copy-before-install",
        severity: Severity::Warning,
        category: Category::Cache,
        title: "The whole context is copied before the dependencies are installed",
        why: "any edit to any file invalidates the install layer, so every build downloads and builds every dependency again",
    },
    Rule {
        id: "unpinned-image",
        severity: Severity::Warning,
        category: Category::Correctness,
        title: "A base image without a version tag, or `latest`",
        why: "the next pull may bring another major version: builds stop being reproducible and break without a change in the repository",
    },
    Rule {
        id: "add-local-files",
        severity: Severity::Warning,
        category: Category::Correctness,
        title: "ADD for local files",
        why: "ADD unpacks local tar archives and fetches URLs; COPY does only what it says",
    },
    Rule {
        id: "secret-in-arg-env",
        severity: Severity::Error,
        category: Category::Security,
        title: "A credential in ARG or ENV",
        why: "ARG and ENV values are kept in the image's history and configuration: anyone who can pull the image can read them",
    },
    Rule {
        id: "runs-as-root",
        severity: Severity::Warning,
        category: Category::Security,
        title: "The container runs as root",
        why: "a compromised process owns the whole container file system, and a container escape starts as root on the host",
    },
    Rule {
        id: "toolchain-in-final-stage",
        severity: Severity::Warning,
        category: Category::Size,
        title: "Compilers or a build toolchain in the image that runs",
        why: "hundreds of megabytes the program never uses, and more for an attacker to use",
    },
    Rule {
        id: "single-stage-build",
        severity: Severity::Warning,
        category: Category::Size,
        title: "One stage both builds and runs",
        why: "the toolchain, sources and build caches all ship; a second stage that copies only the artifact is several times smaller",
    },
    Rule {
        id: "no-cache-mount",
        severity: Severity::Info,
        category: Category::Cache,
        title: "A dependency download without a BuildKit cache mount",
        why: "when the layer re-runs (a lockfile change), every package is downloaded again instead of coming from the cache",
    },
    Rule {
        id: "package-lists-kept",
        severity: Severity::Warning,
        category: Category::Size,
        title: "OS package lists or caches left in a layer of the final image",
        why: "apt's lists and apk's cache are tens of megabytes nobody reads at run time",
    },
    Rule {
        id: "package-manager-as-pid1",
        severity: Severity::Warning,
        category: Category::Correctness,
        title: "npm, yarn or pnpm starts the program",
        why: "the package manager is PID 1: it adds a process and memory, and signal forwarding to the program depends on its version, so `docker stop` may wait 10 s and kill",
    },
    Rule {
        id: "shell-form-command",
        severity: Severity::Warning,
        category: Category::Correctness,
        title: "CMD or ENTRYPOINT in shell form",
        why: "/bin/sh -c becomes PID 1 and does not forward SIGTERM: the program never sees `docker stop` and is killed after 10 s",
    },
    Rule {
        id: "libc-mismatch",
        severity: Severity::Error,
        category: Category::Correctness,
        title: "A binary built against one C library runs on an image with another",
        why: "a glibc binary on musl (alpine) or on scratch fails to start with `no such file or directory`, and the reverse",
    },
    Rule {
        id: "healthcheck-tool-missing",
        severity: Severity::Error,
        category: Category::Correctness,
        title: "The HEALTHCHECK needs a program the image does not have",
        why: "the probe fails every time, so the container is reported unhealthy and orchestrators restart it",
    },
    Rule {
        id: "expose-differs",
        severity: Severity::Warning,
        category: Category::Correctness,
        title: "EXPOSE names another port than the code listens on",
        why: "tools that read EXPOSE (docker run -P, platforms, reviewers) route traffic to a closed port",
    },
    Rule {
        id: "dockerignore-missing",
        severity: Severity::Warning,
        category: Category::Security,
        title: "No .dockerignore",
        why: "the whole folder is sent to the builder: .git, .env files and keys end up in a layer with COPY . ., and every change to them invalidates the cache",
    },
    Rule {
        id: "dockerignore-secrets",
        severity: Severity::Warning,
        category: Category::Security,
        title: "The .dockerignore lets .git, .env files or keys into the context",
        why: "COPY . . puts them in a layer anyone who can pull the image can read",
    },
    Rule {
        id: "dockerignore-build-output",
        severity: Severity::Warning,
        category: Category::Size,
        title: "The .dockerignore lets node_modules or target/ into the context",
        why: "hundreds of megabytes sent on every build, host-built native modules copied over the image's own, and a cache that never hits",
    },
];

pub fn rule(id: &str) -> &'static Rule {
    RULES.iter().find(|r| r.id == id).unwrap_or(&RULES[0])
}

/// Which file a finding is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    Dockerfile,
    Dockerignore,
}

/// A safe rewrite `--fix` may apply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    /// Replace the image reference `from` with `to` in the FROM at `line`.
    PinImage {
        line: usize,
        from: String,
        to: String,
    },
    /// ADD → COPY at `line`.
    AddToCopy { line: usize },
    /// Insert `flag` after RUN at `line`.
    RunFlag { line: usize, flag: String },
    /// Append `suffix` to the command of the RUN ending at `end_line`.
    AppendToRun { end_line: usize, suffix: String },
    /// `apk add` → `apk add --no-cache` in the RUN at `line`..=`end_line`.
    ApkNoCache { line: usize, end_line: usize },
    /// Rewrite the instruction at `line`..=`end_line` as `KEYWORD ["word", ...]`.
    ExecForm {
        line: usize,
        end_line: usize,
        keyword: String,
        words: Vec<String>,
    },
    /// Add these lines to .dockerignore (creating it).
    IgnoreLines(Vec<String>),
}

/// One finding.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub category: Category,
    pub file: Target,
    /// 1-based; 0 when it is about the whole file.
    pub line: usize,
    pub message: String,
    pub why: &'static str,
    pub fix: String,
    pub fixable: bool,
    #[serde(skip)]
    pub edit: Option<Edit>,
}

impl Finding {
    fn new(id: &'static str, file: Target, line: usize, message: String, fix: String) -> Self {
        let rule = rule(id);
        Finding {
            rule: rule.id,
            severity: rule.severity,
            category: rule.category,
            file,
            line,
            message,
            why: rule.why,
            fix,
            fixable: false,
            edit: None,
        }
    }

    fn with_edit(mut self, edit: Option<Edit>) -> Self {
        self.fixable = edit.is_some();
        self.edit = edit;
        self
    }
}

/// What the project around the Dockerfile holds, for the .dockerignore rules.
#[derive(Clone, Debug, Default)]
pub struct ProjectHints {
    pub node: bool,
    /// Cargo or Maven: a `target/` folder of build output.
    pub target_dir: bool,
}

impl ProjectHints {
    pub fn of(root: &std::path::Path) -> Self {
        ProjectHints {
            node: root.join("package.json").is_file(),
            target_dir: root.join("Cargo.toml").is_file() || root.join("pom.xml").is_file(),
        }
    }
}

/// What doctor reads.
pub struct Input<'a> {
    pub dockerfile: &'a Dockerfile,
    /// The .dockerignore's text; `None` when there is none.
    pub dockerignore: Option<&'a str>,
    pub project: ProjectHints,
    /// What docksmith would generate, when it can plan the project.
    pub plan: Option<&'a BuildPlan>,
}

/// Findings in file and line order, and the differences from docksmith's plan.
#[derive(Debug, Serialize)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub differences: Vec<Difference>,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }
}

/// Audits a parsed Dockerfile.
pub fn audit(input: &Input<'_>) -> Report {
    // The stages and the images under them, resolved once for every rule.
    let stages = rules::Stages::of(input.dockerfile);
    let mut findings = rules::check(input, &stages);
    findings.extend(ignore::check(input));
    findings.sort_by_key(|f| (f.file == Target::Dockerignore, f.line));
    let differences = input
        .plan
        .map(|plan| compare::differences(&stages, plan))
        .unwrap_or_default();
    Report {
        findings,
        differences,
    }
}

/// Why doctor could not audit.
#[derive(Debug, thiserror::Error)]
pub enum DoctorError {
    #[error("{path}: no such Dockerfile")]
    Missing { path: std::path::PathBuf },
    #[error("{path}:{}: {}", source.line, source.message)]
    Parse {
        path: std::path::PathBuf,
        source: crate::dockerfile::ParseError,
    },
}

impl DoctorError {
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            DoctorError::Missing { .. } => {
                "name the file with --file (or pass its path), or let `docksmith init` write one"
                    .into()
            }
            DoctorError::Parse { .. } => {
                "docker build refuses this line too: fix it, then run doctor again".into()
            }
        })
    }
}
