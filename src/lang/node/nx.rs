//! Nx projects: a start script that runs `nx serve [project]` (or `nx run
//! project:serve`) starts what the project's build target writes. The serve target
//! names the build target; the build target's `outputPath` and `main` name the file.
//! Nothing is run: `project.json` is read as data.

use serde_json::Value;

use crate::detect::paths::join;
use crate::detect::{DetectError, Evidence, Fact};
use crate::lang::node::manifest::PackageJson;
use crate::scan::ProjectView;

/// The node arguments that start the built project, when `script` serves an Nx
/// project whose build output can be read from its `project.json`.
pub fn start(
    view: &ProjectView,
    package: &PackageJson,
    script: &str,
) -> Result<Option<Fact<Vec<String>>>, DetectError> {
    let Some(project) = served_project(script) else {
        return Ok(None);
    };
    let mut files = vec![join(&package.dir, "project.json")];
    if let Some(name) = &project {
        for root in ["apps", "packages"] {
            files.push(join(&package.dir, &format!("{root}/{name}/project.json")));
        }
    }
    for file in files {
        let Some(text) = view.read_manifest(&file)? else {
            continue;
        };
        let Ok(json) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        if let Some(name) = &project
            && json.get("name").and_then(Value::as_str) != Some(name.as_str())
        {
            continue;
        }
        if let Some(argv) = built_entry(&json) {
            let shown = argv.join(" ");
            return Ok(Some(Fact::new(
                argv,
                Evidence::file(&file, format!("nx serve runs the build output: {shown}")),
            )));
        }
    }
    Ok(None)
}

/// `nx serve`, `nx serve api`, `nx run api:serve` → the project named, if any.
fn served_project(script: &str) -> Option<Option<String>> {
    let words: Vec<&str> = script.split_whitespace().collect();
    match words.as_slice() {
        ["nx" | "npx", rest @ ..] => {
            let rest: Vec<&str> = rest.iter().copied().filter(|w| *w != "nx").collect();
            match rest.as_slice() {
                ["serve"] => Some(None),
                ["serve", name, ..] if !name.starts_with('-') => Some(Some(name.to_string())),
                ["run", target, ..] => {
                    let (name, verb) = target.split_once(':')?;
                    (verb == "serve").then(|| Some(name.to_string()))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// The serve target's build target, then its output: the output folder when the
/// build writes a package.json there (node resolves its `main`), else
/// `<outputPath>/<main's stem>.js`.
fn built_entry(project: &Value) -> Option<Vec<String>> {
    let targets = project.get("targets")?;
    let build_target = targets
        .get("serve")?
        .get("options")?
        .get("buildTarget")
        .and_then(Value::as_str)
        .unwrap_or("build");
    let build_name = build_target.split(':').nth(1).unwrap_or(build_target);
    let options = targets.get(build_name)?.get("options")?;
    let output = options.get("outputPath")?.as_str()?.trim_end_matches('/');
    if options.get("generatePackageJson").and_then(Value::as_bool) == Some(true) {
        return Some(vec![output.to_string()]);
    }
    let main = options.get("main")?.as_str()?;
    let stem = main.rsplit('/').next()?.rsplit_once('.')?.0;
    Some(vec![format!("{output}/{stem}.js")])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serve_commands() {
        assert_eq!(served_project("nx serve"), Some(None));
        assert_eq!(
            served_project("nx serve api --prod"),
            Some(Some("api".into()))
        );
        assert_eq!(
            served_project("npx nx run api:serve"),
            Some(Some("api".into()))
        );
        assert_eq!(served_project("nx run api:build"), None);
        assert_eq!(served_project("node main.js"), None);
    }

    #[test]
    fn build_outputs() {
        let generated: Value = serde_json::from_str(
            r#"{"targets": {"build": {"options": {"outputPath": "dist/api", "main": "src/main.ts", "generatePackageJson": true}},
                "serve": {"options": {"buildTarget": "api:build"}}}}"#,
        )
        .unwrap();
        assert_eq!(built_entry(&generated), Some(vec!["dist/api".to_string()]));
        let plain: Value = serde_json::from_str(
            r#"{"targets": {"build": {"options": {"outputPath": "dist/apps/api/", "main": "apps/api/src/main.ts"}},
                "serve": {"options": {}}}}"#,
        )
        .unwrap();
        assert_eq!(
            built_entry(&plain),
            Some(vec!["dist/apps/api/main.js".to_string()])
        );
    }
}
