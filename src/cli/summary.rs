//! What `init` tells a new user around writing: a summary of what will be written
//! (confirmed in the wizard before anything is), and the next steps after.

use crate::pipeline::Output;
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

/// The plan (or each app's) and the files in a few lines, for the wizard's last
/// question.
pub fn summary(output: &Output, changes: &Changes) -> String {
    let mut lines = match output {
        Output::One { plan, .. } => plan_lines(plan, ""),
        Output::Apps(apps) => apps
            .builds
            .iter()
            .flat_map(|b| {
                let mut lines = vec![format!("  app        {}", b.app.describe())];
                lines.extend(plan_lines(&b.plan, "  "));
                lines
            })
            .collect(),
    };
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

fn plan_lines(plan: &BuildPlan, indent: &str) -> Vec<String> {
    let runtime = &plan.runtime;
    vec![
        format!(
            "  {indent}image      {} (flavor {}), built on {}",
            runtime.image.value,
            plan.flavor.value.as_str(),
            plan.builder.value
        ),
        format!(
            "  {indent}runs       {} as uid {}",
            runtime.start_line(),
            runtime.user.uid
        ),
        format!(
            "  {indent}port       {}",
            runtime
                .expose
                .as_ref()
                .map_or("none".to_string(), |p| p.value.to_string())
        ),
    ]
}

/// How to build and run what was just written.
pub fn next_steps(output: &Output) -> String {
    match output {
        Output::One { plan, .. } => {
            let name = image_name(plan);
            format!(
                "next steps:\n  docker build -t {name} .\n  {}",
                run_line(plan, &name)
            )
        }
        Output::Apps(apps) => {
            let mut text = format!(
                "next steps:\n  docker buildx bake            (builds every app in parallel: {} targets in {})",
                apps.builds.len(),
                crate::apps::bake::BAKE_FILE
            );
            for build in &apps.builds {
                let tag = format!("{}:dev", build.app.target);
                text.push_str(&format!("\n  {}", run_line(&build.plan, &tag)));
            }
            text
        }
    }
}

fn run_line(plan: &BuildPlan, image: &str) -> String {
    match &plan.runtime.expose {
        Some(port) => format!("docker run --rm -p {0}:{0} {image}", port.value),
        None => format!("docker run --rm {image}"),
    }
}
