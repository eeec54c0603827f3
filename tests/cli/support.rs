//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

use docksmith::data::Flavor;
use docksmith::pipeline;
use docksmith::render::Rendered;
use docksmith::settings::{Options, Settings};

pub use crate::common::repo;

/// Every example project (a folder with its `expected/` outputs; `examples/standards`
/// holds standards packs), sorted by name.
pub fn examples() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(repo().join("examples"))
        .expect("examples/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("expected").is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// The example's folder name.
pub fn name(dir: &Path) -> String {
    dir.file_name().unwrap().to_string_lossy().into_owned()
}

/// The docksmith binary, with no DOCKSMITH_* variables leaking in from the caller.
pub fn docksmith() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("docksmith").expect("binary built");
    for (key, _) in std::env::vars() {
        if key.starts_with("DOCKSMITH_") {
            cmd.env_remove(key);
        }
    }
    // No user config file leaks in from the machine running the tests.
    cmd.env("XDG_CONFIG_HOME", NO_CONFIG);
    // A test that hangs waiting for input fails instead.
    cmd.timeout(std::time::Duration::from_secs(60));
    cmd
}

/// An XDG_CONFIG_HOME that holds no docksmith config.
pub const NO_CONFIG: &str = "/nonexistent/docksmith-tests";

/// What an in-process run of the command line did.
pub struct Run {
    pub code: docksmith::Exit,
    pub out: String,
    pub err: String,
    /// The scripted wizard's questions and answers.
    pub transcript: Vec<String>,
}

/// Runs the command line in-process, as if on a terminal when `terminal`, answering
/// questions from `answers` (an empty answer takes the default). `env` is the whole
/// environment.
pub fn run_in_process(
    args: &[&str],
    env: &[(&str, &str)],
    terminal: bool,
    answers: &[&str],
) -> Run {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let mut prompter = docksmith::cli::prompt::ScriptedPrompter::new(answers.iter().copied());
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .chain([("XDG_CONFIG_HOME".to_string(), NO_CONFIG.to_string())])
        .collect();
    let lookup = docksmith::settings::Variables(env);
    let mut io = docksmith::cli::Io {
        out: &mut out,
        err: &mut err,
        env: &lookup,
        terminal,
        color_terminal: false,
        prompter: &mut prompter,
    };
    let argv = std::iter::once("docksmith")
        .chain(args.iter().copied())
        .map(Into::into);
    let code = docksmith::cli::run(argv, &mut io);
    Run {
        code,
        out: String::from_utf8(out).unwrap(),
        err: String::from_utf8(err).unwrap(),
        transcript: prompter.transcript,
    }
}

/// A project in a temporary folder.
pub fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

/// The text of `name` in `dir`.
pub fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

/// A copy of an example in a temporary folder (so tests may write into it).
pub fn copy_example(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    crate::common::copy_example(name, dir.path());
    dir
}

/// Settings as the project file gives them, with `flavor` from a flag and no environment.
pub fn settings(dir: &Path, flavor: Option<Flavor>) -> Settings {
    let flags = Options {
        flavor,
        ..Options::default()
    };
    Settings::resolve(flags, &|_: &str| None, dir).expect("valid settings")
}

/// Renders an example for a flavor; `Err` holds the message a user would see.
pub fn render(dir: &Path, flavor: Option<Flavor>) -> Result<Rendered, String> {
    render_with(dir, &settings(dir, flavor))
}

/// Renders a Rust example with cargo-chef (on its default flavor).
pub fn render_cargo_chef(dir: &Path) -> Result<Rendered, String> {
    let flags = Options {
        cargo_chef: Some(true),
        ..Options::default()
    };
    render_with(
        dir,
        &Settings::resolve(flags, &|_: &str| None, dir).expect("valid settings"),
    )
}

fn render_with(dir: &Path, settings: &Settings) -> Result<Rendered, String> {
    pipeline::generate(dir, settings)
        .map(|(_, rendered)| rendered)
        .map_err(|e| match e.hint() {
            Some(hint) => format!("error: {e}\nhint: {hint}"),
            None => format!("error: {e}"),
        })
}

/// Deterministic mutations of `text`: every truncation, and characters that matter to
/// the parsers inserted at pseudo-random places.
pub fn mutations(text: &str, count: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<String> = (0..chars.len())
        .map(|n| chars[..n].iter().collect())
        .collect();
    let specials = [
        '"', '`', '(', ')', '/', '*', '\n', '\\', '\0', 'é', ':', '=', '>', '{',
    ];
    let mut seed: u64 = 0x5eed;
    for _ in 0..count {
        let mut mutated = chars.clone();
        for _ in 0..3 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let at = (seed >> 33) as usize % (mutated.len() + 1);
            let c = specials[(seed >> 13) as usize % specials.len()];
            mutated.insert(at, c);
        }
        out.push(mutated.into_iter().collect());
    }
    out
}

/// `docksmith generate` on a project made of `files`: it must succeed and its
/// Dockerfile must parse. The Dockerfile and stderr.
pub fn generate_ok(files: &[(&str, &str)], flags: &[&str]) -> (String, String) {
    let dir = project(files);
    let out = docksmith()
        .arg("generate")
        .args(flags)
        .arg(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    let dockerfile = String::from_utf8(out.stdout).unwrap();
    docksmith::render::verify::verify(&dockerfile).unwrap_or_else(|e| panic!("{e}\n{dockerfile}"));
    (dockerfile, stderr)
}

/// `docksmith generate` that must exit with `code`; its stderr.
pub fn generate_err(files: &[(&str, &str)], flags: &[&str], code: i32) -> String {
    let dir = project(files);
    let out = docksmith()
        .arg("generate")
        .args(flags)
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(code),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A Python that has BuildKit's parser (`pip install dockerfile`).
pub fn python_with_buildkit_parser() -> String {
    let candidates = [
        std::env::var("DOCKSMITH_PYTHON").ok(),
        Some("python3".into()),
    ];
    for python in candidates.into_iter().flatten() {
        let ok = std::process::Command::new(&python)
            .args(["-c", "import dockerfile"])
            .output()
            .is_ok_and(|o| o.status.success());
        if ok {
            return python;
        }
    }
    panic!(
        "no Python with BuildKit's Dockerfile parser: run `pip install dockerfile` (or set DOCKSMITH_PYTHON)"
    );
}

/// Runs one of the tests' BuildKit-parser scripts (tests/cli/*.py) with `args`; its
/// JSON output.
pub fn buildkit_script<T: serde::de::DeserializeOwned>(
    script: &str,
    args: &[&std::ffi::OsStr],
) -> T {
    let out = std::process::Command::new(python_with_buildkit_parser())
        .arg(crate::common::repo().join("tests/cli").join(script))
        .args(args)
        .output()
        .unwrap();
    crate::common::assert_success(&out);
    serde_json::from_slice(&out.stdout).unwrap()
}
