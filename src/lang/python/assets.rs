//! Assets a Python app serves that a Node build makes (webpack, Vite, Tailwind or
//! esbuild output under `static/`): the repository does not hold them, so a Node
//! stage builds them and the build stage copies them where the app serves them
//! from. Read from package.json scripts and bundler configs as text, never run.

use std::sync::LazyLock;

use regex::Regex;

use crate::detect::paths::{join, normalize, split_dir};
use crate::detect::{DetectError, Evidence, Fact};
use crate::lang::frontend::{Frontend, for_package};
use crate::scan::ProjectView;

/// Output paths in bundler configs: Vite's `outDir`, webpack's
/// `path: path.resolve(__dirname, "…")`.
static CONFIG_OUTPUT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?:\boutDir\s*:\s*|\bpath\s*:\s*path\.(?:resolve|join)\(\s*__dirname\s*,\s*)["'`]([^"'`$]+)["'`]"#,
    )
    .expect("valid")
});

/// Flags of asset builders that name their output.
const OUTPUT_FLAGS: &[&str] = &[
    "-o",
    "--output",
    "--outfile",
    "--outdir",
    "--out-dir",
    "--outDir",
];

/// Folders a web app serves assets from; an output outside them is not the app's.
const SERVED_FOLDERS: &[&str] = &["static", "assets", "public", "bundles"];

/// Configs that may name a bundler's output, beside the package.json.
const CONFIGS: &[&str] = &[
    "vite.config.js",
    "vite.config.mjs",
    "vite.config.ts",
    "webpack.config.js",
    "webpack.config.cjs",
];

/// The front ends the project builds for its Python app: each output of a
/// `build` script (root or one folder down) that the repository does not hold.
pub fn find(view: &ProjectView) -> Result<Vec<Fact<Frontend>>, DetectError> {
    let mut found: Vec<Fact<Frontend>> = Vec::new();
    let manifests: Vec<String> = view
        .files()
        .filter(|f| {
            let (dir, name) = split_dir(f);
            name == "package.json" && !dir.contains('/') && !dir.contains("node_modules")
        })
        .map(str::to_string)
        .collect();
    for manifest in manifests {
        let Some(text) = view.read_manifest(&manifest)? else {
            continue;
        };
        let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        let Some(build) = json["scripts"]["build"].as_str() else {
            continue;
        };
        let package_dir = split_dir(&manifest).0.to_string();
        let line = text
            .lines()
            .position(|l| l.contains("\"build\""))
            .map_or(1, |i| i + 1);
        let mut outputs = script_outputs(build, &json["scripts"]);
        for config in CONFIGS {
            if let Some(config_text) = view.read_manifest(&join(&package_dir, config))? {
                outputs.extend(
                    CONFIG_OUTPUT
                        .captures_iter(&config_text)
                        .map(|c| c[1].to_string()),
                );
            }
        }
        for output in outputs {
            let Some(output) = normalize(&join(&package_dir, output.trim_start_matches("./")))
            else {
                continue;
            };
            // Only what an app serves: a build into docs/ or a root dist/ is not
            // this image's business.
            let served = output.split('/').any(|part| SERVED_FOLDERS.contains(&part));
            if !served {
                continue;
            }
            let held = view
                .files()
                .any(|f| crate::detect::paths::is_within(f, &output));
            if output.is_empty() || held || found.iter().any(|f| f.value.output == output) {
                continue;
            }
            found.push(Fact::new(
                for_package(view, &output, package_dir.clone()),
                Evidence::at(&manifest, line, format!("scripts.build writes {output}")),
            ));
        }
    }
    Ok(found)
}

/// The outputs a build script's commands name (`-o static/app.css`,
/// `--outfile=static/app.js`), following `npm run x` one step into scripts.x.
fn script_outputs(build: &str, scripts: &serde_json::Value) -> Vec<String> {
    let mut commands = vec![build.to_string()];
    for word in build.split_whitespace() {
        if let Some(script) = scripts[word].as_str()
            && build.contains(&format!("run {word}"))
        {
            commands.push(script.to_string());
        }
    }
    let mut outputs = Vec::new();
    for command in commands {
        let words: Vec<&str> = command.split_whitespace().collect();
        for (i, word) in words.iter().enumerate() {
            let value = match word.split_once('=') {
                Some((flag, value)) if OUTPUT_FLAGS.contains(&flag) => Some(value),
                _ if OUTPUT_FLAGS.contains(word) => words.get(i + 1).copied(),
                _ => None,
            };
            if let Some(value) = value.map(|v| v.trim_matches(|c| c == '"' || c == '\''))
                && !value.is_empty()
                && !value.starts_with('-')
                && !value.contains(['$', '*', '`'])
            {
                outputs.push(value.to_string());
            }
        }
    }
    outputs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_come_from_flags_and_configs() {
        let scripts = serde_json::json!({"build:css": "tailwindcss -i src/in.css -o static/css/app.css --minify"});
        assert_eq!(
            script_outputs(
                "npm run build:css && esbuild src/app.js --bundle --outfile=static/js/app.js",
                &scripts
            ),
            ["static/js/app.js", "static/css/app.css"]
        );
        let config =
            "export default { build: { outDir: '../app/static/dist', emptyOutDir: true } }";
        assert_eq!(
            &CONFIG_OUTPUT.captures(config).unwrap()[1],
            "../app/static/dist"
        );
        let webpack =
            "output: { path: path.resolve(__dirname, 'static/bundles'), filename: '[name].js' }";
        assert_eq!(
            &CONFIG_OUTPUT.captures(webpack).unwrap()[1],
            "static/bundles"
        );
    }
}
