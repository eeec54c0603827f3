//! How Rust facts and plans read to a person (`docksmith detect`, `docksmith plan`).

use std::fmt::Write as _;

use super::RustFacts;
use super::toolchain::Channel;
use crate::report::{fact_row, port_rows, row};

pub fn facts(out: &mut String, facts: &RustFacts) {
    let _ = writeln!(out, "rust project");
    fact_row(out, 2, "manifest", &facts.manifest);
    row(
        out,
        2,
        "read with",
        &facts.reader.value,
        &facts.reader.evidence.detail,
    );
    let packages: Vec<&str> = facts
        .workspace
        .packages
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    let defaults = format!(
        "default members: {}",
        facts.workspace.default_members.join(", ")
    );
    row(out, 2, "packages", &packages.join(", "), &defaults);
    row(
        out,
        2,
        "lockfile",
        facts.lockfile.as_deref().unwrap_or("none"),
        "",
    );
    for tool in &facts.linker_tools {
        fact_row(out, 2, "linker", tool);
    }
    if let Some(pin) = &facts.toolchain {
        let channel = match &pin.value.channel {
            Channel::Release(v) => v.clone(),
            Channel::Stable => "stable".into(),
            Channel::Other(c) => c.clone(),
        };
        row(out, 2, "toolchain", &channel, &pin.evidence.to_string());
    }
    for binary in &facts.binaries {
        let name = format!("{} (package {})", binary.name.value, binary.package);
        row(out, 2, "binary", &name, &binary.name.evidence.to_string());
        for native in &binary.native {
            let how = if native.bundled {
                "bundled"
            } else {
                "system library"
            };
            row(
                out,
                4,
                "native",
                &format!("{} ({how})", native.name),
                &native.evidence.to_string(),
            );
        }
        port_rows(out, &binary.listening);
        for framework in &binary.frameworks {
            fact_row(out, 4, "framework", framework);
        }
    }
}

/// The Rust lines of `docksmith plan`.
pub fn build(rust: &super::RustBuild, out: &mut String) {
    let binary = format!("{} (package {})", rust.binary.value, rust.package);
    row(out, 2, "binary", &binary, &rust.binary.reason);
    row(
        out,
        2,
        "toolchain",
        &rust.toolchain.value,
        &rust.toolchain.reason,
    );
    let lock = if rust.locked {
        "--locked (Cargo.lock)"
    } else {
        "resolved at build time"
    };
    row(
        out,
        2,
        "dependencies",
        lock,
        "registry, git and target caches mounted",
    );
    if !rust.build_packages.is_empty() {
        row(out, 2, "build pkgs", &rust.build_packages.join(" "), "");
    }
}
