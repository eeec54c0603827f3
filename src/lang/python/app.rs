//! How a Python project runs: Django, an ASGI/WSGI application object, Streamlit, a
//! console script, or a plain script; and the port it listens on.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use super::data::PythonFramework;
use super::project::PyProject;
use crate::detect::paths::{is_within, join, split_dir};
use crate::detect::ports::{self, PortHit, PortRules};
use crate::detect::{DetectError, Evidence, Fact, Warning};
use crate::scan::ProjectView;

static PORT_RULES: LazyLock<PortRules> =
    LazyLock::new(|| PortRules::new(&super::data::python().port));
static SETTINGS_MODULE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"DJANGO_SETTINGS_MODULE["']\s*,\s*["']([\w.]+)["']"#).expect("valid")
});
static STATIC_ROOT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^STATIC_ROOT\s*=").expect("valid"));

/// How the app starts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Entry {
    /// An application object served by a server: `module:object`.
    App {
        target: String,
        server: String,
    },
    /// Django's WSGI application, with collectstatic at build time when STATIC_ROOT is set.
    Django {
        target: String,
        collectstatic: bool,
    },
    Streamlit {
        file: String,
    },
    /// A `[project.scripts]` console script.
    Script {
        name: String,
    },
    /// `python <file>`.
    File {
        file: String,
    },
}

#[derive(Clone, Debug, Serialize)]
pub struct PythonApp {
    pub name: Fact<String>,
    /// The app's folder ("" for the root).
    pub dir: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub framework: Option<Fact<String>>,
    pub entry: Fact<Entry>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<PortHit>,
    pub other_ports: Vec<PortHit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port_env: Option<Evidence>,
    /// gunicorn.conf.py, which gunicorn reads itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gunicorn_conf: Option<String>,
    /// Sources live under src/ (a src layout).
    pub src_layout: bool,
}

/// Analyses the project in `dir`; `Ok(None)` when nothing can be started.
pub fn analyse(
    view: &ProjectView,
    dir: &str,
    project: Option<&PyProject>,
    dependencies: &BTreeSet<String>,
    warnings: &mut Vec<Warning>,
) -> Result<Option<PythonApp>, DetectError> {
    let files: Vec<&str> = view
        .files()
        .filter(|f| f.ends_with(".py") && is_app_source(dir, f))
        .collect();
    let src_layout = files
        .iter()
        .any(|f| f.starts_with(&format!("{}/", join(dir, "src"))));
    let framework = super::data::python()
        .framework
        .iter()
        .find(|f| dependencies.contains(&f.dependency));
    let mut entry = None;
    if let Some(framework) = framework {
        entry = framework_entry(view, dir, framework, &files, src_layout)?;
        if entry.is_none() {
            warnings.push(Warning {
                message: format!(
                    "{} is a dependency, but docksmith found no app to serve with it",
                    framework.name
                ),
                evidence: Evidence::file(
                    &join(dir, "pyproject.toml"),
                    format!("depends on {}", framework.dependency),
                ),
            });
        }
    }
    if entry.is_none()
        && let Some(project) = project
    {
        let name = project
            .name
            .as_ref()
            .map(|n| n.value.as_str())
            .unwrap_or_default();
        let script = project
            .scripts
            .iter()
            .find(|(s, _, _)| *s == name)
            .or(project.scripts.first());
        entry = script.map(|(s, _, ev)| Fact::new(Entry::Script { name: s.clone() }, ev.clone()));
    }
    if entry.is_none() {
        entry = ["main.py", "app.py", "server.py", "run.py"]
            .iter()
            .map(|f| join(dir, f))
            .find(|f| view.has_file(f))
            .map(|f| {
                let rel = f
                    .strip_prefix(dir)
                    .unwrap_or(&f)
                    .trim_start_matches('/')
                    .to_string();
                Fact::new(
                    Entry::File { file: rel },
                    Evidence::file(&f, "a conventional entry script"),
                )
            });
    }
    let Some(entry) = entry else {
        return Ok(None);
    };
    let gunicorn_conf = view
        .has_file(&join(dir, "gunicorn.conf.py"))
        .then(|| join(dir, "gunicorn.conf.py"));
    let mut hits = Vec::new();
    let mut port_env = None;
    let scanned = files.iter().copied().chain(gunicorn_conf.as_deref());
    for file in scanned {
        let Some(text) = view.read_source(file)? else {
            continue;
        };
        hits.extend(PORT_RULES.scan(file, &text, &[]));
        if port_env.is_none() {
            port_env = PORT_RULES.reads_port_env(file, &text);
        }
    }
    let (mut port, other_ports) = ports::strongest(hits);
    if port.is_none()
        && let Some(f) = framework
    {
        port = Some(PortHit {
            port: f.default_port,
            source: ports::PortSource::FrameworkDefault,
            loopback: false,
            evidence: Evidence::default_because(format!(
                "{} is served on {} by default",
                f.name, f.default_port
            )),
        });
    }
    let name = project.and_then(|p| p.name.clone()).unwrap_or_else(|| {
        let folder = if dir.is_empty() {
            view.root()
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("app")
        } else {
            dir.rsplit('/').next().unwrap_or(dir)
        };
        Fact::new(
            folder.to_string(),
            Evidence::default_because("no project name: named after its folder"),
        )
    });
    Ok(Some(PythonApp {
        name,
        dir: dir.to_string(),
        framework: framework.map(|f| {
            Fact::new(
                f.name.clone(),
                Evidence::default_because(format!("depends on {}", f.dependency)),
            )
        }),
        entry,
        port,
        other_ports,
        port_env,
        gunicorn_conf,
        src_layout,
    }))
}

fn framework_entry(
    view: &ProjectView,
    dir: &str,
    framework: &PythonFramework,
    files: &[&str],
    src_layout: bool,
) -> Result<Option<Fact<Entry>>, DetectError> {
    match framework.kind.as_str() {
        "django" => {
            let manage = join(dir, "manage.py");
            let Some(text) = view.read_source(&manage)? else {
                return Ok(None);
            };
            let Some((line, settings)) = text.lines().enumerate().find_map(|(i, l)| {
                SETTINGS_MODULE
                    .captures(l)
                    .map(|c| (i + 1, c[1].to_string()))
            }) else {
                return Ok(None);
            };
            let project = settings.split('.').next().unwrap_or(&settings).to_string();
            let settings_file = join(dir, &format!("{}.py", settings.replace('.', "/")));
            let collectstatic = view
                .read_source(&settings_file)?
                .is_some_and(|t| STATIC_ROOT.is_match(&t));
            Ok(Some(Fact::new(
                Entry::Django {
                    target: format!("{project}.wsgi:application"),
                    collectstatic,
                },
                Evidence::at(&manage, line, format!("DJANGO_SETTINGS_MODULE {settings}")),
            )))
        }
        "streamlit" => {
            let preferred = ["streamlit_app.py", "app.py", "main.py", "Home.py"];
            let mut candidates: Vec<&str> = Vec::new();
            for file in files {
                if view
                    .read_source(file)?
                    .is_some_and(|t| t.contains("import streamlit"))
                {
                    candidates.push(file);
                }
            }
            candidates.sort_by_key(|f| {
                (
                    !preferred.contains(&split_dir(f).1),
                    f.matches('/').count(),
                    f.to_string(),
                )
            });
            Ok(candidates.first().map(|f| {
                let rel = f
                    .strip_prefix(dir)
                    .unwrap_or(f)
                    .trim_start_matches('/')
                    .to_string();
                Fact::new(
                    Entry::Streamlit { file: rel },
                    Evidence::file(f, "imports streamlit"),
                )
            }))
        }
        _ => {
            let object = framework.object.as_deref().unwrap_or("App");
            let assignment = Regex::new(&format!(
                r"^(\w+)\s*(?::\s*[\w.]+\s*)?=\s*(?:[\w.]+\.)?{}\(",
                regex::escape(object)
            ))
            .expect("valid");
            let factory = Regex::new(r"^def (create_app|make_app)\(\s*\)").expect("valid");
            let mut found: Vec<(usize, String, String, usize)> = Vec::new();
            for file in files {
                let Some(text) = view.read_source(file)? else {
                    continue;
                };
                for (i, line) in text.lines().enumerate() {
                    let call = if let Some(c) = assignment.captures(line) {
                        c[1].to_string()
                    } else if let Some(c) = factory.captures(line) {
                        format!("{}()", &c[1])
                    } else {
                        continue;
                    };
                    let preferred = ["main.py", "app.py", "asgi.py", "wsgi.py", "server.py"]
                        .contains(&split_dir(file).1);
                    found.push((
                        usize::from(!preferred) + file.matches('/').count(),
                        file.to_string(),
                        call,
                        i + 1,
                    ));
                }
            }
            found.sort();
            Ok(found.first().map(|(_, file, call, line)| {
                let module = module_path(dir, file, src_layout);
                Fact::new(
                    Entry::App {
                        target: format!("{module}:{call}"),
                        server: framework
                            .server
                            .clone()
                            .unwrap_or_else(|| "gunicorn".into()),
                    },
                    Evidence::at(
                        file,
                        *line,
                        format!("{} application object", framework.name),
                    ),
                )
            }))
        }
    }
}

/// `app/main.py` → `app.main`; `src/pkg/__init__.py` → `pkg` (src layout).
pub fn module_path(dir: &str, file: &str, src_layout: bool) -> String {
    let mut rel = file
        .strip_prefix(dir)
        .unwrap_or(file)
        .trim_start_matches('/');
    if src_layout {
        rel = rel.strip_prefix("src/").unwrap_or(rel);
    }
    let rel = rel.strip_suffix(".py").unwrap_or(rel);
    let rel = rel.strip_suffix("/__init__").unwrap_or(rel);
    rel.replace('/', ".")
}

/// Source worth reading: not tests, migrations, virtualenvs or build output.
fn is_app_source(dir: &str, file: &str) -> bool {
    let (folder, name) = split_dir(file);
    is_within(folder, dir)
        && !folder.split('/').any(|p| {
            matches!(
                p,
                "tests" | "test" | "migrations" | "site-packages" | "build" | "dist" | "docs"
            )
        })
        && !name.starts_with("test_")
        && !name.ends_with("_test.py")
        && name != "conftest.py"
        && name != "setup.py"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_paths() {
        assert_eq!(module_path("", "main.py", false), "main");
        assert_eq!(module_path("", "app/main.py", false), "app.main");
        assert_eq!(module_path("", "src/shop/api.py", true), "shop.api");
        assert_eq!(
            module_path("packages/api", "packages/api/src/api/__init__.py", true),
            "api"
        );
    }
}
