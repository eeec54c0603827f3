//! Which framework a package uses, and what the framework's build writes: a static
//! builder's configured output folder, Next.js's standalone output, the server
//! build a serve CLI is handed. Read as text, never run.

use std::sync::LazyLock;

use regex::Regex;

use super::app::AppKind;
use super::data::NodeFramework;
use super::manifest::PackageJson;
use super::start::followed_script;
use super::version::{Version, satisfies};
use crate::detect::paths::{join, normalize};
use crate::detect::{DetectError, Evidence, Fact, Warning};
use crate::scan::ProjectView;

static STANDALONE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"output\s*:\s*["']standalone["']"#).expect("valid"));
/// Any `output` the config sets (`output: ...`, or the shorthand `output,`).
static OUTPUT_KEY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(^|[^\w.$])["']?output["']?\s*[:,}]"#).expect("valid"));

/// The evidence that the package uses the framework: its dependency.
pub(super) fn depends(package: &PackageJson, framework: &NodeFramework) -> Evidence {
    Evidence::file(
        &package.file,
        format!("depends on {}", framework.dependency),
    )
}

/// The package's framework, the first whose signature it matches (data order): by
/// its own dependencies, else (a workspace member) by
/// the dependencies the workspace root holds for every member, when the member's
/// scripts run the framework's command (`vite build` with vite in the root). A
/// signature with `when_config` also needs its config file to say so.
pub(super) fn framework(
    view: &ProjectView,
    package: &PackageJson,
    hoisted: Option<&PackageJson>,
) -> Result<Option<&'static NodeFramework>, DetectError> {
    let frameworks = &super::data::node().framework;
    let signed = |p: &PackageJson, f: &NodeFramework| {
        p.depends_on(&f.dependency)
            && (f.requires.is_empty() || f.requires.iter().any(|r| p.depends_on(r)))
    };
    let runs = |f: &NodeFramework| {
        package
            .scripts
            .values()
            .any(|s| s.value.split_whitespace().any(|w| w == f.dependency))
    };
    // The package's own dependencies first; the hoisted ones only when none match.
    for own in [true, false] {
        for f in frameworks {
            let signs = match (own, hoisted) {
                (true, _) => signed(package, f),
                (false, Some(hoisted)) => signed(hoisted, f) && runs(f),
                (false, None) => false,
            };
            if signs && configured(view, package, f)? {
                return Ok(Some(f));
            }
        }
    }
    Ok(None)
}

/// Whether the framework's config file says what its `when_config` asks (always,
/// without one).
fn configured(
    view: &ProjectView,
    package: &PackageJson,
    framework: &NodeFramework,
) -> Result<bool, DetectError> {
    match &framework.when_config {
        Some(pattern) => config_says(view, package, framework, pattern),
        None => Ok(true),
    }
}

/// The framework's notice, unless its config file already says what it asks for.
pub(super) fn notice(
    view: &ProjectView,
    package: &PackageJson,
    framework: &NodeFramework,
) -> Result<Option<Warning>, DetectError> {
    let Some(notice) = &framework.notice else {
        return Ok(None);
    };
    if let Some(unless) = &framework.notice_unless
        && config_says(view, package, framework, unless)?
    {
        return Ok(None);
    }
    Ok(Some(Warning {
        message: notice.clone(),
        evidence: depends(package, framework),
    }))
}

/// Whether a line of one of the framework's config files (not a `//` comment)
/// matches `pattern`.
fn config_says(
    view: &ProjectView,
    package: &PackageJson,
    framework: &NodeFramework,
    pattern: &str,
) -> Result<bool, DetectError> {
    let pattern = Regex::new(pattern).expect("node.toml config patterns are valid (tested)");
    for name in &framework.config_files {
        if let Some(text) = view.read_source(&join(&package.dir, name))?
            && text
                .lines()
                .any(|l| !l.trim_start().starts_with("//") && pattern.is_match(l))
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The output folder a static builder's config file names, if it moves it.
pub(super) fn configured_output(
    view: &ProjectView,
    package: &PackageJson,
    framework: &NodeFramework,
) -> Result<Option<Fact<String>>, DetectError> {
    let Some(pattern) = &framework.output_pattern else {
        return Ok(None);
    };
    let pattern = Regex::new(pattern).expect("node.toml output patterns are valid (tested)");
    for name in &framework.config_files {
        let file = join(&package.dir, name);
        let Some(text) = view.read_source(&file)? else {
            continue;
        };
        let Some(found) = pattern.captures(&text) else {
            continue;
        };
        let Some(dir) = relative_to_package(&package.dir, &found[1]) else {
            continue;
        };
        let line = text[..found.get(0).map_or(0, |m| m.start())]
            .matches('\n')
            .count()
            + 1;
        let holds_site = framework
            .output_suffix_unless
            .as_ref()
            .is_some_and(|unless| {
                Regex::new(unless)
                    .expect("node.toml output_suffix_unless patterns are valid (tested)")
                    .is_match(&text)
            });
        let output = match &framework.output_suffix {
            Some(suffix) if !holds_site => join(&dir, suffix),
            _ => dir,
        };
        return Ok(Some(Fact::new(
            output,
            Evidence::at(
                &file,
                line,
                format!("{} writes its output there", framework.name),
            ),
        )));
    }
    Ok(None)
}

/// `raw` (written in the package's config) relative to the package: the package's own
/// folder, or, for a builder writing beside it (`outDir: "../backend/app/frontend"`), a
/// path starting with `../`; `None` when it leaves the project or is the package itself.
fn relative_to_package(package_dir: &str, raw: &str) -> Option<String> {
    let resolved = normalize(&join(package_dir, raw)).filter(|d| !d.is_empty())?;
    if package_dir.is_empty() {
        return Some(resolved);
    }
    match resolved.strip_prefix(&format!("{package_dir}/")) {
        Some(inside) => Some(inside.to_string()),
        None if resolved == package_dir => None,
        None => Some(format!(
            "{}{resolved}",
            "../".repeat(package_dir.split('/').count())
        )),
    }
}

/// Next.js's kind: standalone output when next.config says so; standalone by the build
/// environment when no config sets `output` and every Next the manifest admits reads
/// `NEXT_PRIVATE_STANDALONE` (13.4 onwards: it is the default `output` of Next's own
/// config defaults, which a user's `output` overrides); else `next start`.
pub(super) fn next_kind(
    view: &ProjectView,
    package: &PackageJson,
    framework: &NodeFramework,
) -> Result<Fact<AppKind>, DetectError> {
    let mut configured = None;
    for name in [
        "next.config.js",
        "next.config.mjs",
        "next.config.ts",
        "next.config.cjs",
    ] {
        let file = join(&package.dir, name);
        let Some(text) = view.read_source(&file)? else {
            continue;
        };
        let code = |l: &&str| !l.trim_start().starts_with("//");
        if let Some(line) = text
            .lines()
            .position(|l| STANDALONE.is_match(l) && code(&l))
        {
            return Ok(Fact::new(
                AppKind::Next {
                    standalone: true,
                    by_env: false,
                },
                Evidence::at(&file, line + 1, "output: 'standalone'"),
            ));
        }
        if let Some(line) = text
            .lines()
            .position(|l| OUTPUT_KEY.is_match(l) && code(&l))
        {
            configured = Some(Evidence::at(&file, line + 1, "sets output"));
        }
    }
    let spec = package.dependencies.get(&framework.dependency);
    let env_works = spec.is_some_and(|range| !admits_below(range, NEXT_STANDALONE_ENV));
    if configured.is_none() && env_works {
        return Ok(Fact::new(
            AppKind::Next {
                standalone: true,
                by_env: true,
            },
            Evidence::file(
                &package.file,
                format!(
                    "depends on next {}; no next.config sets output: the build sets NEXT_PRIVATE_STANDALONE",
                    spec.map_or("", String::as_str)
                ),
            ),
        ));
    }
    Ok(Fact::new(
        AppKind::Next {
            standalone: false,
            by_env: false,
        },
        configured.unwrap_or_else(|| depends(package, framework)),
    ))
}

/// The first Next.js whose config defaults read `NEXT_PRIVATE_STANDALONE` (checked in
/// the published packages 13.4.0, 14.2.0, 15.5.29 and 16.5.0).
const NEXT_STANDALONE_ENV: Version = (13, 4, 0);

/// Whether an npm range admits some version below `floor` (or cannot be read). The
/// lowest version a range admits is 0.0.0, or a bound its text names (`>=13.4`,
/// `^14`, `13.x`), or the next patch, minor or major after one (`>13.3.5`): those are
/// the only versions worth trying.
fn admits_below(range: &str, floor: Version) -> bool {
    let named = VERSION_TEXT.captures_iter(range).flat_map(|c| {
        let part = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u64>().ok());
        let (major, minor, patch) = (
            part(1).unwrap_or(0),
            part(2).unwrap_or(0),
            part(3).unwrap_or(0),
        );
        [
            (major, minor, patch),
            (major, minor, patch + 1),
            (major, minor + 1, 0),
            (major + 1, 0, 0),
        ]
    });
    std::iter::once((0, 0, 0))
        .chain(named)
        .filter(|v| *v < floor)
        .any(|v| satisfies(v, range) != Some(false))
}

static VERSION_TEXT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d+)(?:\.(\d+))?(?:\.(\d+))?").expect("valid"));

/// The server build the start script hands the framework's serve CLI
/// (`remix-serve ./build/server/index.js` → `build/server/index.js`), with its evidence.
pub(super) fn served_build(
    package: &PackageJson,
    framework: &NodeFramework,
) -> Option<(String, Evidence)> {
    let command = framework.serve_command.as_deref()?;
    let script = followed_script(package, "start")?;
    let words: Vec<&str> = script.value.split_whitespace().collect();
    let at = words.iter().position(|w| *w == command)?;
    let path = words[at + 1..].iter().find(|w| !w.starts_with('-'))?;
    let path = normalize(path.trim_start_matches("./"))?;
    let script_file = [".js", ".mjs", ".cjs"].iter().any(|e| path.ends_with(e));
    (script_file && !path.contains(['$', '`', '"', '\''])).then(|| (path, script.evidence.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_folders_resolve_against_the_package_and_stay_in_the_project() {
        assert_eq!(
            relative_to_package("web", "build").as_deref(),
            Some("build")
        );
        assert_eq!(
            relative_to_package("frontend", "../backend/app/frontend").as_deref(),
            Some("../backend/app/frontend")
        );
        assert_eq!(
            relative_to_package("apps/web", "../../dist/web").as_deref(),
            Some("../../dist/web")
        );
        assert_eq!(relative_to_package("", "./dist/").as_deref(), Some("dist"));
        assert_eq!(relative_to_package("web", "../../outside"), None);
        assert_eq!(relative_to_package("web", "."), None);
    }

    #[test]
    fn ranges_that_admit_a_next_older_than_the_standalone_switch() {
        let floor = NEXT_STANDALONE_ENV;
        for range in [
            "^13.0.0",
            "13.x",
            "~13.3",
            "<14",
            ">13.3.5",
            "12.3.4",
            "*",
            "latest",
            "13.3.x || >=14",
            ">=12 <16",
            "13.0.0 - 15.0.0",
        ] {
            assert!(admits_below(range, floor), "{range}");
        }
        for range in [
            "15.5.29",
            "^14.2.0",
            ">=13.4",
            "16",
            "~14.0.1",
            "14.x",
            "13.4.0 - 15",
            ">13.4.0",
        ] {
            assert!(!admits_below(range, floor), "{range}");
        }
    }
}
