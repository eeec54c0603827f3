//! docksmith's integration tests, compiled into one binary: the command line
//! (assert_cmd), snapshots of every example × flavor, hostile inputs and hadolint.

#[path = "../common/mod.rs"]
mod common;

mod commands;
mod corpus;
mod doctor;
mod fuzz_regressions;
mod go;
mod hostile;
mod java;
mod lint;
mod monorepos;
mod node;
mod pack_templates;
mod python;
mod round_trip;
mod rust;
mod snapshots;
mod standards;
mod support;
mod sync;
mod wizard;
