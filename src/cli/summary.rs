//! What `init` tells a new user around writing: a summary of what will be written
//! (confirmed in the wizard before anything is), and the next steps after.

use crate::plan::BuildPlan;
use crate::write::apply::Changes;

/// The image name the next steps use: the app's title, as Docker accepts a
/// repository name (lowercase letters, digits, `.`, `_`, `-`), else `app`.
pub fn image_name(plan: &BuildPlan) -> String {
    let title = plan
        .runtime
        .labels
        .iter()
        .find(|l| l.key == "org.opencontainers.image.title")
        .map_or("", |l| l.value.as_str());
    let name: String = title
        .to_ascii_lowercase()
        .chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' | '.' | '_' | '-' => c,
            _ => '-',
        })
        .collect();
    let name = name.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    if name.is_empty() {
        "app".to_string()
    } else {
        name.chars().take(64).collect()
    }
}

/// The plan and the files in a few lines, for the wizard's last question.
pub fn summary(plan: &BuildPlan, changes: &Changes) -> String {
    let runtime = &plan.runtime;
    let mut lines = vec![
        format!(
            "  image      {} (flavor {}), built on {}",
            runtime.image.value,
            plan.flavor.value.as_str(),
            plan.builder.value
        ),
        format!(
            "  runs       {} as uid {}",
            runtime.start_line(),
            runtime.user.uid
        ),
        format!(
            "  port       {}",
            runtime
                .expose
                .as_ref()
                .map_or("none".to_string(), |p| p.value.to_string())
        ),
    ];
    for change in &changes.files {
        lines.push(format!(
            "  {:<10} {}",
            change.status.to_string(),
            change.name
        ));
    }
    lines.push(format!("  {:<10} docksmith.toml", "record"));
    lines.join("\n")
}

/// How to build and run the image just written.
pub fn next_steps(plan: &BuildPlan) -> String {
    let name = image_name(plan);
    let run = match &plan.runtime.expose {
        Some(port) => format!("docker run --rm -p {0}:{0} {name}", port.value),
        None => format!("docker run --rm {name}"),
    };
    format!("next steps:\n  docker build -t {name} .\n  {run}")
}
