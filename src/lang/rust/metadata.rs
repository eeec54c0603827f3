//! Builds the workspace model from `cargo metadata --format-version 1 --no-deps
//! --offline`, when cargo is on PATH.
//!
//! Cargo runs from outside the project (`--manifest-path` points in), so neither a
//! `rust-toolchain.toml` nor a `.cargo/config.toml` in the project takes effect:
//! rustup never downloads a toolchain and no project configuration runs. `--no-deps`
//! resolves nothing and runs no build script. A run that fails or takes longer than
//! [`TIMEOUT`] gives way to the Cargo.toml reader.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use cargo_metadata::{DependencyKind, Metadata, TargetKind};

use super::manifest::{Bin, Dependency, Package, Workspace};

/// How long `cargo metadata` may take.
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// Runs cargo and builds the model; `Err` says why it could not (for the record).
pub fn read(root: &Path, cargo: &Path) -> Result<Workspace, String> {
    let json = run(root, cargo)?;
    let metadata: Metadata =
        serde_json::from_str(&json).map_err(|e| format!("cannot parse its output: {e}"))?;
    model(root, &metadata)
}

fn run(root: &Path, cargo: &Path) -> Result<String, String> {
    let manifest = root.join("Cargo.toml");
    let mut child = Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
            "--manifest-path",
        ])
        .arg(&manifest)
        .current_dir(std::env::temp_dir())
        .env("CARGO_NET_OFFLINE", "true")
        .env("CARGO_TERM_COLOR", "never")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", cargo.display()))?;
    // Read both pipes on their own threads so a chatty cargo never blocks on a full pipe.
    let mut stdout = child.stdout.take().ok_or("no stdout")?;
    let mut stderr = child.stderr.take().ok_or("no stderr")?;
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        stdout.read_to_string(&mut text).map(|_| text)
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait().map_err(|e| e.to_string())? {
            Some(status) => break status,
            None if started.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("timed out after {}s", TIMEOUT.as_secs()));
            }
            None => std::thread::sleep(Duration::from_millis(10)),
        }
    };
    let stdout = out
        .join()
        .map_err(|_| "reader failed")?
        .map_err(|e| e.to_string())?;
    let stderr = err.join().unwrap_or_default();
    if !status.success() {
        let first = stderr
            .lines()
            .find(|l| l.starts_with("error"))
            .unwrap_or(stderr.trim());
        return Err(format!("it failed: {first}"));
    }
    Ok(stdout)
}

/// The model from cargo's view of the workspace.
fn model(root: &Path, metadata: &Metadata) -> Result<Workspace, String> {
    let relative = |path: &Path| -> Result<String, String> {
        path.strip_prefix(root)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .map_err(|_| format!("{} is outside the project", path.display()))
    };
    let mut packages = Vec::new();
    for package in metadata.workspace_packages() {
        let manifest = package.manifest_path.as_std_path();
        let dir = relative(manifest.parent().unwrap_or(root))?;
        let mut bins = Vec::new();
        let mut build_script = None;
        for target in &package.targets {
            if target.kind.contains(&TargetKind::Bin) {
                bins.push(Bin {
                    name: target.name.clone(),
                    path: relative(target.src_path.as_std_path())?,
                    required_features: target.required_features.clone(),
                });
            } else if target.kind.contains(&TargetKind::CustomBuild) {
                build_script = Some(relative(target.src_path.as_std_path())?);
            }
        }
        let dependencies = package
            .dependencies
            .iter()
            .filter(|d| d.kind != DependencyKind::Development)
            .map(|d| {
                let path = d.path.as_ref().and_then(|p| relative(p.as_std_path()).ok());
                Dependency {
                    name: d.name.clone(),
                    features: d.features.clone(),
                    path,
                }
            })
            .collect();
        packages.push(Package {
            name: package.name.to_string(),
            dir,
            edition: package.edition.to_string(),
            rust_version: package
                .rust_version
                .as_ref()
                .map(|v| format!("{}.{}.{}", v.major, v.minor, v.patch)),
            default_run: package.default_run.clone(),
            bins,
            dependencies,
            build_script,
            default_features: super::manifest::enabled_by_default(|name| {
                package.features.get(name).cloned().unwrap_or_default()
            }),
        });
    }
    // Cargo before 1.71 does not report default members; then every member builds.
    let default_members = if metadata.workspace_default_members.is_available() {
        metadata
            .workspace_default_packages()
            .iter()
            .map(|p| p.name.to_string())
            .collect()
    } else {
        packages.iter().map(|p| p.name.clone()).collect()
    };
    Ok(Workspace {
        packages,
        default_members,
    }
    .normalized())
}

/// `cargo` on PATH, if any.
pub fn find_cargo(path: Option<&std::ffi::OsStr>) -> Option<std::path::PathBuf> {
    std::env::split_paths(path?)
        .map(|dir| dir.join("cargo"))
        .find(|candidate| candidate.is_file())
}
