//! Rendering: a [`BuildPlan`] becomes Dockerfile and .dockerignore text.
//!
//! Templates are real `.tera` files under `templates/`, embedded at compile time. The
//! templates only place values (through the context filters in [`escape`]); they never
//! decide. The Dockerfile is read back and checked ([`verify`]) and the .dockerignore is
//! made to keep every file the build needs ([`crate::dockerignore`]) before anyone
//! writes them.

pub mod escape;
pub mod mounts;
pub mod parse_back;
pub mod templates;
pub mod verify;

use std::sync::mpsc;
use std::time::Duration;

use crate::plan::BuildPlan;
pub use templates::Overrides;

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
    /// Rendering with a standards pack's templates failed: the pack's doing, not
    /// docksmith's.
    #[error("with the standards pack's templates ({templates}): {message}")]
    Pack { templates: String, message: String },
}

impl RenderError {
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            RenderError::Pack { .. } => "fix the template in the pack's templates/ folder (or remove it to use docksmith's own); `docksmith templates export DIR` writes docksmith's templates as a starting point".into(),
            _ => "this is a bug in docksmith: please report it with the output of `docksmith plan --json`".into(),
        })
    }
}

/// How long a pack's templates may take to render: a template is untrusted input,
/// and nested loops can run for hours without writing a byte.
const PACK_RENDER_TIME: Duration = Duration::from_secs(3);

/// The most a rendered file may hold.
const MAX_OUTPUT_BYTES: usize = 1024 * 1024;

/// The template engine with every template (a pack's replacing docksmith's) and
/// filter loaded.
fn engine(overrides: &Overrides) -> Result<tera::Tera, RenderError> {
    let mut tera = tera::Tera::new();
    tera.autoescape_on(vec![".tera"]);
    tera.set_escape_fn(escape::plain_only);
    escape::register(&mut tera);
    tera.add_raw_templates(overrides.with_builtin())
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
///
/// A standards pack's templates are rendered in a sandbox: on a thread of their own,
/// stopped after [`PACK_RENDER_TIME`], with output capped at [`MAX_OUTPUT_BYTES`].
/// The engine itself reads no files and no environment (Tera 2 has no `get_env`;
/// templates come only from the pack's list).
pub fn render(plan: &BuildPlan) -> Result<Rendered, RenderError> {
    if plan.templates.is_empty() {
        return render_trusted(plan);
    }
    let (tx, rx) = mpsc::channel();
    let owned = plan.clone();
    // The thread is left behind on a timeout; the process ends soon after.
    std::thread::spawn(move || {
        let _ = tx.send(render_trusted(&owned));
    });
    let templates = plan.templates.names().collect::<Vec<_>>().join(", ");
    let result = rx.recv_timeout(PACK_RENDER_TIME).unwrap_or_else(|_| {
        Err(RenderError::Template {
            template: "(all)".into(),
            message: format!(
                "rendering took longer than {} s",
                PACK_RENDER_TIME.as_secs()
            ),
        })
    });
    result.map_err(|error| RenderError::Pack {
        templates,
        message: error.to_string(),
    })
}

fn render_trusted(plan: &BuildPlan) -> Result<Rendered, RenderError> {
    let tera = engine(&plan.templates)?;
    let mut ctx = tera::Context::new();
    ctx.insert("plan", plan);
    ctx.insert("runtime", &plan.runtime);
    ctx.insert("user", &plan.runtime.user);
    ctx.insert("org", &plan.org);
    ctx.insert("vars", &plan.vars);
    plan.build.insert_into(&mut ctx);
    let language = plan.language();
    let render = |name: String| {
        let mut out = CappedWriter::default();
        tera.render_to(&name, &ctx, &mut out)
            .map_err(|e| template_error(&name, &e))?;
        Ok::<_, RenderError>(tidy(&String::from_utf8_lossy(&out.bytes)))
    };
    let dockerfile = render(format!("{language}/Dockerfile.tera"))?;
    let summary = verify::verify(&dockerfile)?;
    // A pack's own templates may say more than the plan; docksmith's say exactly it.
    if plan.templates.is_empty() {
        parse_back::matches_plan(&summary, plan)?;
    }
    let dockerignore = render(format!("dockerignore/{language}.tera"))?;
    let dockerignore = crate::dockerignore::keep_required(&dockerignore, &plan.context.required);
    Ok(Rendered {
        dockerfile,
        dockerignore,
    })
}

/// A buffer that refuses to grow past [`MAX_OUTPUT_BYTES`].
#[derive(Default)]
struct CappedWriter {
    bytes: Vec<u8>,
}

impl std::io::Write for CappedWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > MAX_OUTPUT_BYTES {
            return Err(std::io::Error::other(format!(
                "the output grew past {} KiB",
                MAX_OUTPUT_BYTES / 1024
            )));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
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
            "| mount",
            "| ignore_pattern",
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
        let wings = crate::lang::Language::ALL
            .iter()
            .flat_map(|l| l.plain_values());
        let plain: Vec<&str> = shared.iter().chain(wings).copied().collect();
        let expr = regex::Regex::new(r"\{\{(.*?)\}\}").unwrap();
        let components = ["install", "add_user", "rootfs"];
        for (name, text) in templates::builtin() {
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
