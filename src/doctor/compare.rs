//! The Dockerfile's final stage beside what docksmith would generate for the project:
//! the runtime image, the user, the port and the start command.

use serde::Serialize;

use super::rules::Stages;
use crate::dockerfile::Instruction;
use crate::plan::BuildPlan;

/// One place where the Dockerfile and docksmith's plan differ.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// `base`, `user`, `port` or `start`.
    pub what: &'static str,
    pub dockerfile: String,
    pub docksmith: String,
}

pub(super) fn differences(stages: &Stages<'_>, plan: &BuildPlan) -> Vec<Difference> {
    let Some(last) = stages.last() else {
        return Vec::new();
    };
    let body = stages.chain_body(last);
    let runtime = &plan.runtime;
    let mut out = Vec::new();
    let mut differs = |what, dockerfile: String, docksmith: String| {
        if dockerfile != docksmith {
            out.push(Difference {
                what,
                dockerfile,
                docksmith,
            });
        }
    };
    let base = stages.image[last]
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_else(|| stages.list[last].base.clone());
    differs("base", base, runtime.image.value.clone());
    let user = last_args(&body, "USER").unwrap_or_else(|| {
        // distroless's :nonroot tags run as 65532:65532 without a USER line.
        let nonroot = stages.image[last]
            .as_ref()
            .is_some_and(|i| i.is_distroless() && i.runs_as_non_root());
        if nonroot {
            "65532:65532".into()
        } else {
            "(the image's default)".into()
        }
    });
    let planned_user = format!("{}:{}", runtime.user.uid, runtime.user.gid);
    if user != runtime.user.name && user != planned_user {
        differs(
            "user",
            user,
            format!("{planned_user} ({})", runtime.user.name),
        );
    }
    let ports: Vec<String> = body
        .iter()
        .filter(|i| i.keyword == "EXPOSE")
        .flat_map(|i| i.args.split_whitespace().map(str::to_string))
        .collect();
    differs(
        "port",
        if ports.is_empty() {
            "(none)".into()
        } else {
            ports.join(" ")
        },
        runtime
            .expose
            .as_ref()
            .map_or("(none)".into(), |p| p.value.to_string()),
    );
    let words = |keyword: &str| -> Vec<String> {
        body.iter()
            .rev()
            .find(|i| i.keyword == keyword)
            .map(|i| match &i.exec {
                Some(words) => words.clone(),
                None => vec!["/bin/sh".into(), "-c".into(), i.args.clone()],
            })
            .unwrap_or_default()
    };
    let start: Vec<String> = words("ENTRYPOINT")
        .into_iter()
        .chain(words("CMD"))
        .collect();
    let planned: Vec<String> = runtime
        .entrypoint
        .iter()
        .chain(runtime.command.iter())
        .cloned()
        .collect();
    differs("start", shown(&start), shown(&planned));
    out
}

fn last_args(body: &[&Instruction], keyword: &str) -> Option<String> {
    body.iter()
        .rev()
        .find(|i| i.keyword == keyword)
        .map(|i| i.args.clone())
}

fn shown(words: &[String]) -> String {
    if words.is_empty() {
        return "(none)".into();
    }
    serde_json::to_string(words).unwrap_or_default()
}
