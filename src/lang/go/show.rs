//! How Go facts and plans read to a person (`docksmith detect`, `docksmith plan`).

use std::fmt::Write as _;

use super::{GoFacts, VendorState};
use crate::report::{fact_row, port_rows, row, workspace_row};

pub fn facts(out: &mut String, facts: &GoFacts) {
    let _ = writeln!(out, "go project");
    fact_row(out, 2, "module", &facts.module);
    fact_row(out, 2, "go", &facts.go_version);
    workspace_row(out, facts.workspace.as_ref());
    let requires = match facts.requires {
        1 => "1 module".to_string(),
        n => format!("{n} modules"),
    };
    row(out, 2, "requires", &requires, &facts.manifests.join(", "));
    let vendor = match facts.vendor.value {
        VendorState::Absent => "none",
        VendorState::Consistent => "used (-mod=vendor)",
        VendorState::Inconsistent => "out of date, ignored",
    };
    row(out, 2, "vendor", vendor, &facts.vendor.evidence.to_string());
    for binary in &facts.binaries {
        row(
            out,
            2,
            "binary",
            &format!("{} ({})", binary.name.value, binary.package_arg()),
            &binary.name.evidence.to_string(),
        );
        row(
            out,
            4,
            "cgo",
            if binary.cgo.value { "yes" } else { "no" },
            &binary.cgo.evidence.to_string(),
        );
        port_rows(out, &binary.listening);
        for framework in &binary.frameworks {
            fact_row(out, 4, "framework", framework);
        }
    }
}

/// The Go lines of `docksmith plan`.
pub fn build(go: &super::GoBuild, out: &mut String) {
    row(
        out,
        2,
        "binary",
        &format!("{} ({})", go.binary.value, go.package),
        &go.binary.reason,
    );
    row(
        out,
        2,
        "cgo",
        if go.cgo.value { "on" } else { "off (static)" },
        &go.cgo.reason,
    );
    let modules = match (&go.download, go.vendor) {
        (_, true) => "vendor/ (-mod=vendor)".to_string(),
        (Some(files), false) => format!("go mod download ({})", files.join(", ")),
        (None, false) => "nothing to download".to_string(),
    };
    row(out, 2, "modules", &modules, "cache mount on /go/pkg/mod");
    let platform = if go.cross_compile {
        "cross-compiled from $BUILDPLATFORM"
    } else {
        "built on the target platform"
    };
    let _ = writeln!(out, "  {:<14}{platform}", "platform");
    if !go.build_packages.is_empty() {
        row(out, 2, "build pkgs", &go.build_packages.join(" "), "");
    }
}
