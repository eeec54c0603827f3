//! The cargo command lines of a Rust build: `cargo build` for one binary, the
//! copy of the binary out of the target folder, and cargo-chef's install,
//! prepare and cook when dependencies get a layer of their own.

use serde::Serialize;

use crate::lang::rust::RustBinary;
use crate::plan::Choice;
use crate::plan::program::Program;
use crate::settings::Setting;

/// cargo-chef's commands (argv each).
#[derive(Clone, Debug, Serialize)]
pub struct ChefSteps {
    pub install: Vec<String>,
    /// Writes the recipe: the manifests and Cargo.lock, nothing else.
    pub prepare: Vec<String>,
    /// Compiles the dependencies the recipe names.
    pub cook: Vec<String>,
    pub recipe: String,
    /// Copies the binary out of the build's own target folder (argv each).
    pub collect: Vec<Vec<String>>,
    /// The stage with the toolchain and cargo-chef, and the one that writes the recipe.
    pub base_stage: String,
    pub planner_stage: String,
}

/// Where cargo-chef's recipe goes, in the planner stage and the build stage.
const RECIPE: &str = "/recipe.json";

/// Copies the release binary out of a target folder.
pub(super) fn collect(target_dir: &str, binary: &str, output: &str) -> Vec<Vec<String>> {
    let out_dir = crate::detect::paths::split_dir(output).0;
    vec![
        vec!["mkdir".into(), "-p".into(), out_dir.to_string()],
        vec![
            "cp".into(),
            format!("{target_dir}/release/{binary}"),
            output.to_string(),
        ],
    ]
}

/// `cargo <head…> [--locked] … --package P --bin B [--features F]`: what every cargo
/// step of one binary shares.
pub(super) fn cargo(
    head: &[&str],
    locked: bool,
    middle: &[&str],
    package: &str,
    binary: &str,
    features: &[String],
) -> Vec<String> {
    let mut argv: Vec<String> = std::iter::once("cargo")
        .chain(head.iter().copied())
        .map(str::to_string)
        .collect();
    if locked {
        argv.push("--locked".into());
    }
    argv.extend(middle.iter().map(|s| s.to_string()));
    argv.extend([
        "--package".into(),
        package.to_string(),
        "--bin".into(),
        binary.to_string(),
    ]);
    if !features.is_empty() {
        argv.extend(["--features".into(), features.join(",")]);
    }
    argv
}

/// cargo-chef, at the version the data pins, when the user asked for it.
pub(super) fn chef_choice(set: &Setting<bool>) -> Choice<String> {
    Choice::new(
        super::data::rust().cargo_chef.version.clone(),
        format!(
            "set by {}: dependencies compile in a layer of their own, which image caches carry to fresh CI runners",
            set.source
        ),
    )
}

/// cargo-chef's stages: install it, prepare the recipe, cook the dependencies.
pub(super) fn chef_steps(binary: &RustBinary, locked: bool, program: &Program<'_>) -> ChefSteps {
    let rust = super::data::rust();
    let name = binary.name.value.as_str();
    let words = |items: &[&str]| items.iter().map(|s| s.to_string()).collect();
    ChefSteps {
        install: words(&[
            "cargo",
            "install",
            "cargo-chef",
            "--locked",
            "--version",
            &rust.cargo_chef.version,
        ]),
        prepare: words(&[
            "cargo",
            "chef",
            "prepare",
            "--recipe-path",
            RECIPE,
            "--bin",
            name,
        ]),
        cook: cargo(
            &["chef", "cook", "--release"],
            locked,
            &["--recipe-path", RECIPE],
            &binary.package_spec,
            name,
            &binary.required_features,
        ),
        recipe: RECIPE.into(),
        collect: collect("target", name, &program.output()),
        base_stage: "chef".into(),
        planner_stage: "planner".into(),
    }
}
