//! What a RUN command does, read from its text: which package managers download
//! dependencies (and where they keep their cache), which install OS packages, which
//! compile native code and whether they link statically.

use std::sync::LazyLock;

use regex::Regex;

/// A tool that downloads a project's dependencies.
pub struct DependencyTool {
    pub name: &'static str,
    pattern: Regex,
    /// The cache folders a root user's run fills in the official image for the tool.
    pub cache: &'static [&'static str],
    /// The image (short name) whose layout `cache` assumes; `None`: any image, root's
    /// home.
    pub image: Option<&'static str>,
}

static TOOLS: LazyLock<Vec<DependencyTool>> = LazyLock::new(|| {
    let tool = |name, pattern: &str, cache, image| DependencyTool {
        name,
        pattern: Regex::new(pattern).expect("a valid pattern"),
        cache,
        image,
    };
    vec![
        tool("npm", r"\bnpm\s+(ci|install|i)\b", &["/root/.npm"], None),
        tool(
            "yarn",
            r"\byarn(\s+install\b|\s+--|\s*$|\s*&&|\s*;)",
            &["/usr/local/share/.cache/yarn"],
            Some("node"),
        ),
        tool(
            "pnpm",
            r"\bpnpm\s+(install|i)\b",
            &["/root/.local/share/pnpm/store"],
            None,
        ),
        tool(
            "bun",
            r"\bbun\s+install\b",
            &["/root/.bun/install/cache"],
            None,
        ),
        tool(
            "pip",
            r"\b(pip3?|python3?\s+-m\s+pip)\s+install\b",
            &["/root/.cache/pip"],
            None,
        ),
        tool(
            "uv",
            r"\buv\s+(sync|pip\s+install)\b",
            &["/root/.cache/uv"],
            None,
        ),
        tool(
            "poetry",
            r"\bpoetry\s+install\b",
            &["/root/.cache/pypoetry"],
            None,
        ),
        tool(
            "go",
            r"\bgo\s+(mod\s+download|build|install)\b",
            &["/go/pkg/mod", "/root/.cache/go-build"],
            Some("golang"),
        ),
        tool(
            "cargo",
            r"\bcargo\s+(build|fetch|install)\b",
            &["/usr/local/cargo/registry"],
            Some("rust"),
        ),
        tool("maven", r"(\bmvn|\./mvnw)\s", &["/root/.m2"], None),
        tool(
            "gradle",
            r"(\bgradle|\./gradlew)\s",
            &["/root/.gradle"],
            None,
        ),
        tool("bundler", r"\bbundle\s+install\b", &[], None),
        tool("composer", r"\bcomposer\s+install\b", &[], None),
    ]
});

/// The dependency tools `command` runs.
pub fn dependency_tools(command: &str) -> Vec<&'static DependencyTool> {
    TOOLS
        .iter()
        .filter(|t| t.pattern.is_match(command))
        .collect()
}

static APT_INSTALL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bapt(-get)?\s+(-\S+\s+)*install\b").expect("valid"));
static APK_ADD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\bapk\s+add\b").expect("valid"));
static COMPILERS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(^|\s)(build-essential|gcc|g\+\+|clang|make|cmake|build-base|musl-dev|libc6-dev|python3-dev)(\s|$)")
        .expect("valid")
});
static REMOVES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bapt(-get)?\s+(-\S+\s+)*(purge|remove|autoremove)\b|\bapk\s+del\b")
        .expect("valid")
});
static NATIVE_BUILD: LazyLock<Regex> = LazyLock::new(|| {
    // `make` and `cmake` are left out: what a Makefile links is not in the Dockerfile
    // (go-httpbin's `make build` sets CGO_ENABLED=0 there).
    Regex::new(r"\b(go\s+(build|install)|cargo\s+(build|install)|gcc|g\+\+|cc)\b").expect("valid")
});
static STATIC_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"CGO_ENABLED=0|-static\b|crt-static|musl").expect("valid"));

pub fn installs_apt_packages(command: &str) -> bool {
    APT_INSTALL.is_match(command)
}

pub fn adds_apk_packages(command: &str) -> bool {
    APK_ADD.is_match(command)
}

/// The compilers an OS package install puts in and the same command does not take out.
pub fn compilers_kept(command: &str) -> Vec<String> {
    if !(installs_apt_packages(command) || adds_apk_packages(command)) || REMOVES.is_match(command)
    {
        return Vec::new();
    }
    let mut found: Vec<String> = command
        .split_whitespace()
        .filter(|w| COMPILERS.is_match(w))
        .map(str::to_string)
        .collect();
    found.dedup();
    found
}

/// Whether an OS package install in `command` names `package`.
pub fn installs_package(command: &str, package: &str) -> bool {
    (installs_apt_packages(command) || adds_apk_packages(command))
        && command.split_whitespace().any(|w| w == package)
}

/// What a stage's commands say about the binaries it builds.
pub struct NativeBuild {
    pub compiles: bool,
    pub links_statically: bool,
}

pub fn native_build(stage_text: &str) -> NativeBuild {
    NativeBuild {
        compiles: NATIVE_BUILD.is_match(stage_text),
        links_statically: STATIC_LINK.is_match(stage_text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(command: &str) -> Vec<&'static str> {
        dependency_tools(command).iter().map(|t| t.name).collect()
    }

    #[test]
    fn dependency_tools_are_named_from_their_commands() {
        assert_eq!(names("npm ci --omit=dev"), ["npm"]);
        assert_eq!(names("yarn --frozen-lockfile && yarn build"), ["yarn"]);
        assert!(names("yarn build --prod").is_empty());
        assert_eq!(names("yarn && yarn build"), ["yarn"]);
        assert_eq!(names("python -m pip install -r requirements.txt"), ["pip"]);
        assert_eq!(names("CGO_ENABLED=0 go build -o /app ."), ["go"]);
        assert_eq!(names("./mvnw -B package"), ["maven"]);
        assert!(names("echo npm is great").is_empty());
    }

    #[test]
    fn os_packages_and_compilers() {
        let run = "apt-get update && apt-get install -y --no-install-recommends gcc curl";
        assert!(installs_apt_packages(run));
        assert_eq!(compilers_kept(run), ["gcc"]);
        assert!(compilers_kept(&format!("{run} && apt-get purge -y gcc")).is_empty());
        assert!(installs_package(run, "curl"));
        assert!(adds_apk_packages("apk add --no-cache tini"));
        assert!(native_build("CGO_ENABLED=0 go build").links_statically);
        assert!(!native_build("go build -o /out/app").links_statically);
    }
}
