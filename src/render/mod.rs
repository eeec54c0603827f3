//! Rendering: a [`BuildPlan`] becomes Dockerfile and .dockerignore text.
//!
//! Templates are real `.tera` files under `templates/`, embedded at compile time. The
//! templates only place values (through the context filters in [`escape`]); they never
//! decide. The Dockerfile is read back and checked ([`verify`]) and the .dockerignore is
//! made to keep every file the build needs ([`crate::dockerignore`]) before anyone
//! writes them.

pub mod escape;
pub mod verify;

use crate::lang::Language;
use crate::plan::BuildPlan;

/// The templates every language shares, by name. Names end in `.tera`, which turns on
/// escaping for them. Each wing brings its own ([`crate::lang::Wing::TEMPLATES`]).
const SHARED_TEMPLATES: &[(&str, &str)] = &[
    (
        "partials/components.tera",
        include_str!("../../templates/partials/components.tera"),
    ),
    (
        "partials/frontend.tera",
        include_str!("../../templates/partials/frontend.tera"),
    ),
    (
        "partials/header.tera",
        include_str!("../../templates/partials/header.tera"),
    ),
    (
        "partials/runtime.tera",
        include_str!("../../templates/partials/runtime.tera"),
    ),
    (
        "dockerignore/common.tera",
        include_str!("../../templates/dockerignore/common.tera"),
    ),
    (
        "dockerignore/frontends.tera",
        include_str!("../../templates/dockerignore/frontends.tera"),
    ),
];

/// Every template: the shared ones, then each wing's.
fn templates() -> impl Iterator<Item = (&'static str, &'static str)> {
    SHARED_TEMPLATES
        .iter()
        .chain(Language::ALL.iter().flat_map(|l| l.templates()))
        .copied()
}

/// The generated files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub dockerfile: String,
    pub dockerignore: String,
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("template {template}: {message}")]
    Template { template: String, message: String },
    #[error("the generated Dockerfile is invalid at {0}")]
    Verify(#[from] verify::VerifyError),
}

impl RenderError {
    pub fn hint(&self) -> Option<String> {
        Some("this is a bug in docksmith: please report it with the output of `docksmith plan --json`".into())
    }
}

/// The template engine with every template and filter loaded.
fn engine() -> Result<tera::Tera, RenderError> {
    let mut tera = tera::Tera::new();
    tera.autoescape_on(vec![".tera"]);
    tera.set_escape_fn(escape::plain_only);
    escape::register(&mut tera);
    tera.add_raw_templates(templates())
        .map_err(|e| template_error("(loading)", &e))?;
    Ok(tera)
}

fn template_error(template: &str, error: &tera::Error) -> RenderError {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    RenderError::Template {
        template: template.to_string(),
        message,
    }
}

/// Renders and checks the plan's Dockerfile and .dockerignore.
pub fn render(plan: &BuildPlan) -> Result<Rendered, RenderError> {
    let tera = engine()?;
    let mut ctx = tera::Context::new();
    ctx.insert("plan", plan);
    ctx.insert("runtime", &plan.runtime);
    ctx.insert("user", &plan.runtime.user);
    plan.build.insert_into(&mut ctx);
    let language = plan.language();
    let render = |name: String| {
        tera.render(&name, &ctx)
            .map(|text| tidy(&text))
            .map_err(|e| template_error(&name, &e))
    };
    let dockerfile = render(format!("{language}/Dockerfile.tera"))?;
    verify::verify(&dockerfile)?;
    let dockerignore = render(format!("dockerignore/{language}.tera"))?;
    let dockerignore = crate::dockerignore::keep_required(&dockerignore, &plan.context.required);
    Ok(Rendered {
        dockerfile,
        dockerignore,
    })
}

/// Trailing spaces trimmed, runs of blank lines collapsed to one, one final newline:
/// templates can stay readable without whitespace-control noise.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = true;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            if !blank {
                out.push('\n');
            }
            blank = true;
        } else {
            out.push_str(line);
            out.push('\n');
            blank = false;
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_collapses_blank_lines() {
        assert_eq!(tidy("\n\na  \n\n\n\nb\n\n"), "a\n\nb\n");
    }

    #[test]
    fn templates_place_values_only_through_filters() {
        // Every {{ ... }} either ends in a context filter or is a known plain value
        // (numbers, enum tags, data keys); the escape function backs this up at run time.
        let filters = [
            "| sh",
            "| sh_words",
            "| label",
            "| exec",
            "| path",
            "| image",
            "| comment",
            "| printf",
            "| inline_comment",
        ];
        let shared = [
            "user.uid",
            "user.gid",
            "runtime.expose.value",
            "plan.flavor.value",
            "label.key",
            "var.name",
            "artifact.chown",
        ];
        let wings = Language::ALL.iter().flat_map(|l| l.plain_values());
        let plain: Vec<&str> = shared.iter().chain(wings).copied().collect();
        let expr = regex::Regex::new(r"\{\{(.*?)\}\}").unwrap();
        let components = ["install", "add_user", "rootfs"];
        for (name, text) in templates() {
            assert!(
                !text.contains("| safe"),
                "{name} bypasses escaping with `safe`"
            );
            for cap in expr.captures_iter(text) {
                let inner = cap[1].trim();
                // A component call passes values on; the component's own text (checked
                // here too, as a template) places them through filters.
                if let Some(call) = inner.strip_prefix('<') {
                    let name = call.split([' ', '/']).next().unwrap_or_default();
                    assert!(
                        components.contains(&name),
                        "{name}: `{inner}` calls an unknown component"
                    );
                    continue;
                }
                let ok = filters
                    .iter()
                    .any(|f| inner.ends_with(&f[2..]) && inner.contains(f))
                    || plain.contains(&inner);
                assert!(ok, "{name}: `{{{{ {inner} }}}}` has no context filter");
            }
        }
    }
}
