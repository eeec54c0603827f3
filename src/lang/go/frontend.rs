//! A Go program that embeds a front end the project builds with Node
//! (`//go:embed build/*` over ui/build): a Node stage builds it and the Go build
//! mounts its output where the embed expects it. An embed that nothing in the project
//! makes is said, not left to fail inside the build.

use super::packages::PackageGraph;
use crate::detect::{DetectError, Evidence, Fact, Warning};
use crate::lang::frontend::{Frontend, making};
use crate::scan::ProjectView;

/// The front ends the packages in `dirs` embed; a warning for each embed that no
/// package.json builds.
pub fn find(
    view: &ProjectView,
    graph: &PackageGraph,
    dirs: &[&str],
    warnings: &mut Vec<Warning>,
) -> Result<Vec<Fact<Frontend>>, DetectError> {
    let mut found: Vec<Fact<Frontend>> = Vec::new();
    for (package, output, file, line) in &graph.unmatched_embeds {
        if !dirs.contains(&package.as_str()) || found.iter().any(|f| &f.value.output == output) {
            continue;
        }
        let evidence = Evidence::at(
            file,
            *line,
            format!("//go:embed {output}, which no file matches"),
        );
        match making(view, output)? {
            Some(front) => found.push(Fact::new(front, evidence)),
            None => warnings.push(Warning {
                message: format!(
                    "{output} is embedded but not in the project, and no package.json beside it builds it: `go build` will fail until it exists (build it before `docker build`, or commit it)"
                ),
                evidence,
            }),
        }
    }
    Ok(found)
}
