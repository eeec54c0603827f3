//! The Dockerfile's own rules: stage by stage, instruction by instruction.

use std::collections::BTreeMap;

use super::commands::{self, DependencyTool};
use super::images::{ImageRef, Libc};
use super::{Edit, Finding, Input, Target};
use crate::dockerfile::{Dockerfile, Instruction, Stage};
use crate::standards::comply::is_secret_name;

/// The stages with what each one starts from, resolved.
pub(super) struct Stages<'a> {
    pub list: Vec<Stage<'a>>,
    /// Per stage: the image at the root of its FROM chain (`None` when the chain
    /// cannot be resolved: an ARG without a default).
    pub image: Vec<Option<ImageRef>>,
    /// Per stage: the stage it is built FROM, when it is one of this file's.
    pub parent: Vec<Option<usize>>,
}

impl<'a> Stages<'a> {
    pub fn of(file: &'a Dockerfile) -> Self {
        let args = global_arg_defaults(file);
        let list = file.stages();
        let mut image: Vec<Option<ImageRef>> = Vec::new();
        let mut parent = Vec::new();
        for (index, stage) in list.iter().enumerate() {
            let base = substitute(&stage.base, &args);
            let earlier = list[..index].iter().position(|s| {
                s.name
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(&base))
            });
            parent.push(earlier);
            image.push(match earlier {
                Some(p) => image[p].clone(),
                None if base.contains('$') => None,
                None => Some(ImageRef::parse(&base)),
            });
        }
        Stages {
            list,
            image,
            parent,
        }
    }

    /// The stages `index` is built on, itself first.
    pub fn chain(&self, index: usize) -> Vec<usize> {
        let mut out = vec![index];
        let mut at = index;
        while let Some(p) = self.parent[at] {
            out.push(p);
            at = p;
        }
        out
    }

    /// The instructions of `index` and the stages under it, in build order.
    pub fn chain_body(&self, index: usize) -> Vec<&'a Instruction> {
        let mut out = Vec::new();
        for at in self.chain(index).into_iter().rev() {
            out.extend(self.list[at].body.iter());
        }
        out
    }

    /// The stage a `COPY --from=` names: a stage name or index.
    pub fn named(&self, reference: &str) -> Option<usize> {
        if let Ok(n) = reference.parse::<usize>() {
            return (n < self.list.len()).then_some(n);
        }
        self.list.iter().position(|s| {
            s.name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(reference))
        })
    }

    pub fn last(&self) -> Option<usize> {
        self.list.len().checked_sub(1)
    }
}

fn global_arg_defaults(file: &Dockerfile) -> BTreeMap<String, String> {
    file.global_args()
        .iter()
        .filter(|i| i.keyword == "ARG")
        .filter_map(|i| {
            let (name, value) = i.args.split_once('=')?;
            Some((name.trim().to_string(), unquote(value.trim()).to_string()))
        })
        .collect()
}

fn unquote(value: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(q).and_then(|v| v.strip_suffix(q)) {
            return inner;
        }
    }
    value
}

/// `$NAME`, `${NAME}` and `${NAME:-default}` replaced by the ARG defaults.
fn substitute(text: &str, args: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let (name, fallback, used) = if let Some(inner) = after.strip_prefix('{') {
            match inner.find('}') {
                Some(end) => {
                    let body = &inner[..end];
                    let (name, fallback) = match body.split_once(":-") {
                        Some((n, d)) => (n, Some(d)),
                        None => (body, None),
                    };
                    (name, fallback, end + 2)
                }
                None => ("", None, 0),
            }
        } else {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..end], None, end)
        };
        match args.get(name).map(String::as_str).or(fallback) {
            Some(value) if !name.is_empty() => out.push_str(value),
            _ => {
                out.push('$');
                out.push_str(&after[..used]);
            }
        }
        rest = &after[used..];
    }
    out.push_str(rest);
    out
}

pub(super) fn check(input: &Input<'_>, stages: &Stages<'_>) -> Vec<Finding> {
    let file = input.dockerfile;
    let mut out = Vec::new();
    for stage in &stages.list {
        copy_before_install(stage, &mut out);
        unpinned_image(stages, stage, input, &mut out);
        for ins in stage.body {
            add_local_files(ins, &mut out);
            secrets(ins, &mut out);
            cache_mounts(stages, stage, ins, &mut out);
        }
    }
    for ins in file.global_args() {
        secrets(ins, &mut out);
    }
    if let Some(last) = stages.last() {
        final_stage(stages, last, input, &mut out);
    }
    out
}

fn copy_before_install(stage: &Stage<'_>, out: &mut Vec<Finding>) {
    let first_install = stage.body.iter().enumerate().find_map(|(at, i)| {
        if i.keyword != "RUN" {
            return None;
        }
        let tools = commands::dependency_tools(&i.command_text());
        (!tools.is_empty()).then_some((at, tools))
    });
    let Some((install_at, tools)) = first_install else {
        return;
    };
    let install = &stage.body[install_at];
    let copy_all = stage.body[..install_at].iter().find(|i| {
        matches!(i.keyword.as_str(), "COPY" | "ADD")
            && i.flag("from").is_none()
            && i.sources().iter().any(|s| matches!(*s, "." | "./" | "*"))
    });
    if let Some(copy) = copy_all {
        let tools: Vec<&str> = tools.iter().map(|t| t.name).collect();
        out.push(Finding::new(
            "copy-before-install",
            Target::Dockerfile,
            copy.line,
            format!(
                "`{} {}` comes before the dependency download at line {} ({})",
                copy.keyword,
                copy.args,
                install.line,
                tools.join(", ")
            ),
            "copy only the manifests and lockfiles first (package.json and package-lock.json, go.mod and go.sum, Cargo.toml and Cargo.lock, requirements.txt, pom.xml), install, then copy the rest".into(),
        ));
    }
}

fn unpinned_image(
    stages: &Stages<'_>,
    stage: &Stage<'_>,
    input: &Input<'_>,
    out: &mut Vec<Finding>,
) {
    if stages.parent[stage.index].is_some() {
        return;
    }
    let Some(image) = &stages.image[stage.index] else {
        return;
    };
    if image.is_scratch() || !image.is_unpinned() {
        return;
    }
    // The safe pin is the version docksmith chose for the same image for this
    // project, in the variant the file uses (an untagged `node` is the full image:
    // `node:24`, not the slim one docksmith builds on).
    let planned = input.plan.and_then(|plan| {
        [
            plan.builder.value.as_str(),
            plan.runtime.image.value.as_str(),
        ]
        .into_iter()
        .map(ImageRef::parse)
        .find(|candidate| candidate.repository == image.repository)
        .and_then(|candidate| {
            let tag = candidate.tag?;
            let version = tag.split('-').next()?;
            version.starts_with(|c: char| c.is_ascii_digit()).then(|| {
                format!(
                    "{}:{version}",
                    stage.base.split([':', '@']).next().unwrap_or("")
                )
            })
        })
    });
    let written = stage.base.clone();
    let fix = match &planned {
        Some(tag) => {
            format!("pin it: `{tag}` (what docksmith plans for this project), or a digest")
        }
        None => "pin a version tag (`node:22-slim`, `golang:1.23`) or a digest".into(),
    };
    let edit = planned
        .filter(|_| !written.contains('$'))
        .map(|to| Edit::PinImage {
            line: stage.from.line,
            from: written.clone(),
            to,
        });
    out.push(
        Finding::new(
            "unpinned-image",
            Target::Dockerfile,
            stage.from.line,
            if written.contains('$') {
                format!(
                    "`{written}` (`{}` by its ARG default) has no version tag",
                    image
                )
            } else {
                format!("`{written}` has no version tag")
            },
            fix,
        )
        .with_edit(edit),
    );
}

const ADD_ONLY_FLAGS: &[&str] = &["checksum", "keep-git-dir", "unpack"];
const ARCHIVES: &[&str] = &[
    ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst",
];

fn add_local_files(ins: &Instruction, out: &mut Vec<Finding>) {
    if ins.keyword != "ADD" || !ins.heredocs.is_empty() {
        return;
    }
    let sources = ins.sources();
    let remote = |s: &str| s.contains("://") || s.starts_with("git@");
    let archive = |s: &str| ARCHIVES.iter().any(|a| s.to_ascii_lowercase().ends_with(a));
    if sources.is_empty() || sources.iter().any(|s| remote(s) || archive(s)) {
        return;
    }
    let safe = !ins
        .flags
        .iter()
        .any(|f| ADD_ONLY_FLAGS.contains(&f.name.as_str()));
    out.push(
        Finding::new(
            "add-local-files",
            Target::Dockerfile,
            ins.line,
            format!("`ADD {}` copies local files", ins.args),
            "use COPY".into(),
        )
        .with_edit(safe.then_some(Edit::AddToCopy { line: ins.line })),
    );
}

/// The names an ARG or ENV sets.
fn declared_names(ins: &Instruction) -> Vec<(String, bool)> {
    match ins.keyword.as_str() {
        "ARG" => ins
            .args
            .split_whitespace()
            .map(|w| {
                let (name, value) = w.split_once('=').unwrap_or((w, ""));
                (name.to_string(), !value.is_empty())
            })
            .collect(),
        "ENV" => {
            let words: Vec<&str> = ins.args.split_whitespace().collect();
            match words.first() {
                // The legacy `ENV NAME value` form sets one variable.
                Some(first) if !first.contains('=') => vec![(first.to_string(), words.len() > 1)],
                _ => words
                    .iter()
                    .filter_map(|w| w.split_once('='))
                    .filter(|(n, _)| !n.is_empty() && !n.starts_with(['"', '\'']))
                    .map(|(n, v)| (n.to_string(), !v.is_empty()))
                    .collect(),
            }
        }
        _ => Vec::new(),
    }
}

fn secrets(ins: &Instruction, out: &mut Vec<Finding>) {
    for (name, has_value) in declared_names(ins) {
        // An empty ENV stores nothing; an ARG's value comes at build time and is
        // recorded in the image's history either way.
        if ins.keyword == "ENV" && !has_value {
            continue;
        }
        // `*_FILE` and `*_PATH` name where a secret is mounted, not the secret.
        let upper = name.to_ascii_uppercase();
        if !is_secret_name(&name) || upper.ends_with("_FILE") || upper.ends_with("_PATH") {
            continue;
        }
        let fix = if ins.keyword == "ARG" {
            format!(
                "pass it as a build secret: `RUN --mount=type=secret,id={},env={name} ...` with `docker build --secret id={},env={name}`",
                name.to_ascii_lowercase(),
                name.to_ascii_lowercase()
            )
        } else {
            "set it when the container starts (`docker run -e`, the orchestrator's secrets), never in the image".into()
        };
        out.push(Finding::new(
            "secret-in-arg-env",
            Target::Dockerfile,
            ins.line,
            format!("{} `{name}` looks like a credential", ins.keyword),
            fix,
        ));
    }
}

/// Whether the RUN runs as root (no USER before it in its stage chain, and a base
/// that does not switch).
fn runs_as_root_at(stages: &Stages<'_>, stage: &Stage<'_>, ins: &Instruction) -> bool {
    // The stages under this one come earlier in the file: every USER before the
    // RUN's line applies to it.
    let user = stages
        .chain_body(stage.index)
        .into_iter()
        .rfind(|i| i.keyword == "USER" && i.line < ins.line)
        .map(|i| i.args.clone());
    match user {
        Some(user) => is_root(&user),
        None => !stages.image[stage.index]
            .as_ref()
            .is_some_and(ImageRef::runs_as_non_root),
    }
}

fn is_root(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or("").trim();
    name == "root" || name == "0"
}

fn cache_mounts(stages: &Stages<'_>, stage: &Stage<'_>, ins: &Instruction, out: &mut Vec<Finding>) {
    if ins.keyword != "RUN" {
        return;
    }
    let has_cache_mount = ins.flags_named("mount").any(|m| m.contains("type=cache"));
    let command = ins.command_text();
    if has_cache_mount || command.contains("--no-cache-dir") {
        return;
    }
    let tools: Vec<&DependencyTool> = commands::dependency_tools(&command)
        .into_iter()
        .filter(|t| !t.cache.is_empty())
        .collect();
    if tools.is_empty() {
        return;
    }
    let image = stages.image[stage.index].as_ref();
    let layout_known = tools.iter().all(|t| match t.image {
        None => true,
        Some(short) => image.is_some_and(|i| i.short_name() == short),
    });
    let targets: Vec<&str> = tools.iter().flat_map(|t| t.cache.iter().copied()).collect();
    let flag = targets
        .iter()
        .map(|t| format!("--mount=type=cache,target={t}"))
        .collect::<Vec<_>>()
        .join(" ");
    let safe = layout_known && runs_as_root_at(stages, stage, ins);
    let names: Vec<&str> = tools.iter().map(|t| t.name).collect();
    out.push(
        Finding::new(
            "no-cache-mount",
            Target::Dockerfile,
            ins.line,
            format!("{} downloads without a cache mount", names.join(" and ")),
            format!("`RUN {flag} ...`"),
        )
        .with_edit(safe.then_some(Edit::RunFlag {
            line: ins.line,
            flag,
        })),
    );
}

fn final_stage(stages: &Stages<'_>, last: usize, input: &Input<'_>, out: &mut Vec<Finding>) {
    let body = stages.chain_body(last);
    let image = stages.image[last].as_ref();
    runs_as_root(stages, last, &body, out);
    toolchain(stages, last, &body, out);
    package_lists(&body, out);
    start_command(&body, out);
    libc(stages, last, out);
    healthcheck(image, &body, out);
    expose(&body, input, out);
}

fn runs_as_root(stages: &Stages<'_>, last: usize, body: &[&Instruction], out: &mut Vec<Finding>) {
    let user = body.iter().rev().find(|i| i.keyword == "USER");
    let from = stages.list[last].from;
    let (root, line) = match user {
        Some(u) => (is_root(&u.args), u.line),
        None => (
            !stages.image[last]
                .as_ref()
                .is_some_and(ImageRef::runs_as_non_root),
            from.line,
        ),
    };
    if root {
        out.push(Finding::new(
            "runs-as-root",
            Target::Dockerfile,
            line,
            match user {
                Some(u) => format!("the final stage switches to `USER {}`", u.args),
                None => "the final stage never sets USER".into(),
            },
            "add a user and switch to it before CMD (`USER 65532:65532`, or distroless's `:nonroot` tag); files the program writes need that owner".into(),
        ));
    }
}

fn toolchain(stages: &Stages<'_>, last: usize, body: &[&Instruction], out: &mut Vec<Finding>) {
    let from = stages.list[last].from;
    if let Some(tool) = stages.image[last].as_ref().and_then(ImageRef::toolchain) {
        let single = stages.list.len() == 1;
        let (id, fix) = if single {
            (
                "single-stage-build",
                "build in a first stage, then start a second from a runtime image (distroless, -slim, scratch for a static binary) and COPY --from the artifact only",
            )
        } else {
            (
                "toolchain-in-final-stage",
                "start the final stage from a runtime image (distroless, -slim, a JRE, scratch for a static binary) and COPY --from the build stage",
            )
        };
        out.push(Finding::new(
            id,
            Target::Dockerfile,
            from.line,
            format!(
                "the image that runs is `{}`, with {tool}",
                stages.list[last].base
            ),
            fix.into(),
        ));
    }
    for ins in body.iter().filter(|i| i.keyword == "RUN") {
        let kept = commands::compilers_kept(&ins.command_text());
        if !kept.is_empty() {
            out.push(Finding::new(
                "toolchain-in-final-stage",
                Target::Dockerfile,
                ins.line,
                format!("the final stage installs {}", kept.join(", ")),
                "install them in a build stage and copy only what it builds".into(),
            ));
        }
    }
}

fn package_lists(body: &[&Instruction], out: &mut Vec<Finding>) {
    for ins in body.iter().filter(|i| i.keyword == "RUN") {
        let command = ins.command_text();
        let mounts: Vec<&str> = ins.flags_named("mount").collect();
        let plain = ins.heredocs.is_empty() && ins.exec.is_none();
        if commands::installs_apt_packages(&command)
            && !command.contains("/var/lib/apt/lists")
            && !mounts.iter().any(|m| m.contains("/var/lib/apt"))
        {
            let suffix = if command.trim_end().ends_with([';', '&']) {
                " rm -rf /var/lib/apt/lists/*"
            } else {
                " && rm -rf /var/lib/apt/lists/*"
            };
            out.push(
                Finding::new(
                    "package-lists-kept",
                    Target::Dockerfile,
                    ins.line,
                    "apt-get install leaves /var/lib/apt/lists in the layer".into(),
                    "end the same RUN with `&& rm -rf /var/lib/apt/lists/*`".into(),
                )
                .with_edit(plain.then(|| Edit::AppendToRun {
                    end_line: ins.end_line,
                    suffix: suffix.into(),
                })),
            );
        }
        if commands::adds_apk_packages(&command)
            && !command.contains("--no-cache")
            && !mounts.iter().any(|m| m.contains("/var/cache/apk"))
        {
            out.push(
                Finding::new(
                    "package-lists-kept",
                    Target::Dockerfile,
                    ins.line,
                    "apk add keeps its index in /var/cache/apk".into(),
                    "`apk add --no-cache`".into(),
                )
                .with_edit(ins.heredocs.is_empty().then_some(Edit::ApkNoCache {
                    line: ins.line,
                    end_line: ins.end_line,
                })),
            );
        }
    }
}

/// Characters that make a shell-form command need a shell.
const SHELL_SYNTAX: &[char] = &[
    '$', '&', '|', ';', '<', '>', '(', ')', '`', '*', '?', '[', ']', '~', '{', '}', '\\', '\'',
    '"', '#', '=', '\n',
];

fn start_command(body: &[&Instruction], out: &mut Vec<Finding>) {
    let entrypoint = body.iter().rev().find(|i| i.keyword == "ENTRYPOINT");
    let cmd = body.iter().rev().find(|i| i.keyword == "CMD");
    for ins in [entrypoint, cmd].into_iter().flatten() {
        if ins.exec.is_none() && !ins.args.is_empty() {
            let simple = !ins.args.contains(SHELL_SYNTAX);
            let words: Vec<String> = ins.args.split_whitespace().map(str::to_string).collect();
            let fix = format!(
                "the exec form: `{} {}`{}",
                ins.keyword,
                super::fix::exec_form(&words),
                if simple {
                    ""
                } else {
                    " (the command uses shell syntax: move it into a script, end it with `exec`)"
                }
            );
            out.push(
                Finding::new(
                    "shell-form-command",
                    Target::Dockerfile,
                    ins.line,
                    format!("`{} {}` runs under /bin/sh -c", ins.keyword, ins.args),
                    fix,
                )
                .with_edit(simple.then(|| Edit::ExecForm {
                    line: ins.line,
                    end_line: ins.end_line,
                    keyword: ins.keyword.clone(),
                    words,
                })),
            );
        }
    }
    // What runs as PID 1: the entrypoint's first word, else the command's.
    let first = |ins: &Instruction| -> Option<String> {
        match &ins.exec {
            Some(words) => words.first().cloned(),
            None => ins.args.split_whitespace().next().map(str::to_string),
        }
    };
    let pid1 = entrypoint.or(cmd);
    if let Some(ins) = pid1
        && let Some(program) = first(ins)
    {
        let base = program.rsplit('/').next().unwrap_or(&program);
        if matches!(base, "npm" | "yarn" | "pnpm") {
            out.push(Finding::new(
                "package-manager-as-pid1",
                Target::Dockerfile,
                ins.line,
                format!("`{base}` starts the program"),
                "run the program itself: `CMD [\"node\", \"server.js\"]` (what the start script runs), behind tini for signals and zombies".into(),
            ));
        }
    }
}

fn libc(stages: &Stages<'_>, last: usize, out: &mut Vec<Finding>) {
    let Some(runtime) = stages.image[last].as_ref() else {
        return;
    };
    let runtime_libc = runtime.libc();
    if runtime_libc == Libc::Unknown {
        return;
    }
    for ins in stages.chain_body(last) {
        if !matches!(ins.keyword.as_str(), "COPY" | "ADD") {
            continue;
        }
        let Some(source) = ins.flag("from").and_then(|f| stages.named(f)) else {
            continue;
        };
        let Some(builder) = stages.image[source].as_ref() else {
            continue;
        };
        let builder_libc = builder.libc();
        if matches!(builder_libc, Libc::Unknown | Libc::None) || builder_libc == runtime_libc {
            continue;
        }
        let text: String = stages
            .chain_body(source)
            .iter()
            .filter(|i| matches!(i.keyword.as_str(), "RUN" | "ENV" | "ARG"))
            .map(|i| i.command_text() + "\n")
            .collect();
        let build = commands::native_build(&text);
        if !build.compiles || build.links_statically {
            continue;
        }
        // A Go build on alpine without gcc cannot use cgo: its binary is static.
        if builder_libc == Libc::Musl
            && text.contains("go ")
            && !text.contains("gcc")
            && !text.contains("build-base")
        {
            continue;
        }
        out.push(Finding::new(
            "libc-mismatch",
            Target::Dockerfile,
            ins.line,
            format!(
                "stage `{}` builds on {} (`{}`), the final stage runs on {} (`{}`)",
                stages.list[source].name.clone().unwrap_or_else(|| source.to_string()),
                builder_libc.describe(),
                builder.repository,
                runtime_libc.describe(),
                stages.list[last].base
            ),
            "build and run on the same C library (golang:1.23 with distroless/base or -slim; golang:1.23-alpine with alpine), or link statically (CGO_ENABLED=0, a musl target with crt-static)".into(),
        ));
    }
}

fn healthcheck(image: Option<&ImageRef>, body: &[&Instruction], out: &mut Vec<Finding>) {
    let Some(check) = body.iter().rev().find(|i| i.keyword == "HEALTHCHECK") else {
        return;
    };
    let Some(command) = check
        .args
        .strip_prefix("CMD")
        .or_else(|| check.args.strip_prefix("cmd"))
    else {
        return;
    };
    let command = command.trim();
    let exec: Option<Vec<String>> = serde_json::from_str(command).ok();
    let Some(image) = image else {
        return;
    };
    let installed = |tool: &str| {
        body.iter().any(|i| {
            (i.keyword == "RUN" && commands::installs_package(&i.command_text(), tool))
                || (matches!(i.keyword.as_str(), "COPY" | "ADD") && i.args.contains(tool))
        })
    };
    if exec.is_none() && image.has_shell() == Some(false) && !installed("sh") {
        out.push(Finding::new(
            "healthcheck-tool-missing",
            Target::Dockerfile,
            check.line,
            format!("the shell-form HEALTHCHECK needs /bin/sh; `{}` has none", image.repository),
            "use the exec form with a probe the image carries (a small static binary copied from a build stage, or the program's own health subcommand)".into(),
        ));
        return;
    }
    let program = match &exec {
        Some(words) => words.first().cloned().unwrap_or_default(),
        None => command.split_whitespace().next().unwrap_or("").to_string(),
    };
    let tool = program.rsplit('/').next().unwrap_or("").to_string();
    if matches!(tool.as_str(), "curl" | "wget")
        && image.has_tool(&tool) == Some(false)
        && !installed(&tool)
    {
        out.push(Finding::new(
            "healthcheck-tool-missing",
            Target::Dockerfile,
            check.line,
            format!("the HEALTHCHECK runs {tool}; `{}` does not have it", image.repository),
            format!("install {tool} in the final stage, or probe with a tool the image has (the program's own health subcommand, a static probe binary)"),
        ));
    }
}

fn expose(body: &[&Instruction], input: &Input<'_>, out: &mut Vec<Finding>) {
    // Only a port the code itself names (`server.js:4`) can contradict EXPOSE: a
    // default docksmith would serve on is its choice, not the program's.
    let Some(planned) = input
        .plan
        .and_then(|p| p.runtime.expose.as_ref())
        .filter(|p| names_a_line(&p.reason))
    else {
        return;
    };
    let exposed: Vec<(usize, u16)> = body
        .iter()
        .filter(|i| i.keyword == "EXPOSE")
        .flat_map(|i| {
            i.args
                .split_whitespace()
                .filter_map(|w| w.split('/').next()?.parse::<u16>().ok())
                .map(|p| (i.line, p))
                .collect::<Vec<_>>()
        })
        .collect();
    let Some(&(line, first)) = exposed.first() else {
        return;
    };
    if exposed.iter().any(|(_, p)| *p == planned.value) {
        return;
    }
    out.push(Finding::new(
        "expose-differs",
        Target::Dockerfile,
        line,
        format!(
            "EXPOSE {first}, but docksmith finds port {} ({})",
            planned.value, planned.reason
        ),
        format!(
            "`EXPOSE {}`, or make the program listen on {first}",
            planned.value
        ),
    ));
}

/// Whether a reason starts with evidence in a file (`main.go:10 (...)`).
fn names_a_line(reason: &str) -> bool {
    reason
        .split_whitespace()
        .next()
        .and_then(|place| place.rsplit_once(':'))
        .is_some_and(|(file, line)| !file.is_empty() && line.parse::<usize>().is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_port_the_code_names_is_evidence() {
        assert!(names_a_line("server.js:4 (binds 0.0.0.0:3000)"));
        assert!(names_a_line("src/main.rs:12"));
        assert!(!names_a_line(
            "default (Flask is served on 8000 by default)"
        ));
        assert!(!names_a_line("set by docksmith.toml"));
        assert!(!names_a_line(":8080 (x)"));
    }

    #[test]
    fn arg_defaults_resolve_image_references() {
        let args = BTreeMap::from([("GO".to_string(), "1.23".to_string())]);
        assert_eq!(
            substitute("golang:${GO}-alpine", &args),
            "golang:1.23-alpine"
        );
        assert_eq!(substitute("golang:$GO", &args), "golang:1.23");
        assert_eq!(substitute("node:${NODE:-22}-slim", &args), "node:22-slim");
        assert_eq!(substitute("node:${NODE}", &args), "node:${NODE}");
        assert_eq!(substitute("a$", &args), "a$");
        assert_eq!(substitute("${", &args), "${");
    }
}
