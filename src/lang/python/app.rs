//! How a Python project runs: Django, an ASGI/WSGI application object, Streamlit, a
//! console script, or a plain script; and the port it listens on.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use super::data::PythonFramework;
use super::project::PyProject;
use crate::detect::config_ports::config_port;
use crate::detect::paths::{is_within, join, split_dir};
use crate::detect::ports::{self, Listening, PortHit};
use crate::detect::procfile::ProcfileCommand;
use crate::detect::{DetectError, Evidence, Fact, Warning};
use crate::scan::ProjectView;

static SETTINGS_MODULE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"DJANGO_SETTINGS_MODULE["']\s*,\s*["']([\w.]+)["']"#).expect("valid")
});
static FACTORY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^def (create_app|make_app)\(\s*\)").expect("valid"));
/// A module-level object made by an app factory: `app = create_app(config)`.
static FACTORY_CALL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\w+)\s*(?::\s*[\w.]+\s*)?=\s*(?:[\w.]+\.)?(?:create_\w*app\w*|make_app|get_app|get_application|create_application)\(")
        .expect("valid")
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
    /// The Procfile's web process, `$PORT` kept as written (the image sets it).
    Procfile {
        command: Vec<String>,
        /// Steps before it in the same line (migrations): not run at start.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        before: Vec<String>,
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
    /// Where it listens.
    #[serde(flatten)]
    pub listening: Listening,
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
    let sources = Sources {
        view,
        dir,
        files: &files,
        src_layout,
    };
    let procfile = procfile(view, dir, project, dependencies)?;
    let mut entry = procfile.as_ref().map(procfile_entry);
    if let Some(framework) = framework.filter(|_| entry.is_none()) {
        entry = sources.framework_entry(framework)?;
        if entry.is_none() {
            warnings.push(no_app_served(dir, framework));
        }
    }
    // setuptools projects declare their scripts in setup.cfg or setup.py; the
    // first one listed is the program (httpie lists `http` before `httpie`).
    let declared_elsewhere = if project.is_none_or(|p| p.scripts.is_empty()) && entry.is_none() {
        super::setup::console_scripts(view, dir)?
    } else {
        Vec::new()
    };
    let Some(entry) = entry
        .or_else(|| project.and_then(console_script))
        .or_else(|| {
            declared_elsewhere
                .into_iter()
                .next()
                .map(|(name, _, evidence)| Fact::new(Entry::Script { name }, evidence))
        })
        .or_else(|| conventional_script(view, dir))
    else {
        return Ok(None);
    };
    let gunicorn_conf = view
        .has_file(&join(dir, "gunicorn.conf.py"))
        .then(|| join(dir, "gunicorn.conf.py"));
    let scanned: Vec<&str> = files
        .iter()
        .copied()
        .chain(gunicorn_conf.as_deref())
        .collect();
    let mut listening =
        super::ports::scan_ports(view, &scanned, framework)?.or_config(config_port(view, dir));
    if let Some(hit) = procfile.as_ref().and_then(stated_port) {
        listening.other_ports.extend(listening.port.replace(hit));
    }
    Ok(Some(PythonApp {
        name: app_name(view, dir, project),
        dir: dir.to_string(),
        framework: framework.map(|f| {
            Fact::new(
                f.name.clone(),
                Evidence::default_because(format!("depends on {}", f.dependency)),
            )
        }),
        entry,
        listening,
        gunicorn_conf,
        src_layout,
    }))
}

/// The Procfile is the project's own statement of how it starts (at the project's
/// root), when the program it runs is one the image will have.
fn procfile(
    view: &ProjectView,
    dir: &str,
    project: Option<&PyProject>,
    dependencies: &BTreeSet<String>,
) -> Result<Option<ProcfileCommand>, DetectError> {
    if !dir.is_empty() {
        return Ok(None);
    }
    Ok(crate::detect::procfile::read(view, dir)?
        .filter(|p| runs_in_the_image(&p.argv, project, dependencies)))
}

fn procfile_entry(procfile: &ProcfileCommand) -> Fact<Entry> {
    Fact::new(
        Entry::Procfile {
            command: procfile.argv.clone(),
            before: procfile.before.clone(),
        },
        procfile.evidence.clone(),
    )
}

/// A bind the Procfile command states (`-b 0.0.0.0:5000`) is the port.
fn stated_port(procfile: &ProcfileCommand) -> Option<PortHit> {
    let port = procfile.stated_port()?;
    Some(PortHit {
        command: None,
        port,
        source: ports::PortSource::ListenAddress,
        loopback: false,
        evidence: Evidence {
            detail: format!("binds {port}"),
            ..procfile.evidence.clone()
        },
    })
}

fn no_app_served(dir: &str, framework: &PythonFramework) -> Warning {
    Warning {
        message: format!(
            "{} is a dependency, but docksmith found no app to serve with it",
            framework.name
        ),
        evidence: Evidence::file(
            &join(dir, "pyproject.toml"),
            format!("depends on {}", framework.dependency),
        ),
    }
}

/// Whether a Procfile command's program will be in the image: Python itself, a
/// dependency's command (gunicorn, uwsgi, flask, celery…), a server docksmith
/// adds, or one of the project's console scripts.
fn runs_in_the_image(
    argv: &[String],
    project: Option<&PyProject>,
    dependencies: &BTreeSet<String>,
) -> bool {
    let Some(program) = argv.first() else {
        return false;
    };
    matches!(
        program.as_str(),
        "python" | "python3" | "gunicorn" | "uvicorn"
    ) || dependencies.contains(&super::project::normalize_name(program))
        || project.is_some_and(|p| p.scripts.iter().any(|(name, _, _)| name == program))
}

/// The console script named after the project, else the first one.
fn console_script(project: &PyProject) -> Option<Fact<Entry>> {
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
    script.map(|(s, _, ev)| Fact::new(Entry::Script { name: s.clone() }, ev.clone()))
}

/// Scripts that start a program by convention, in order of preference.
pub const CONVENTIONAL_SCRIPTS: &[&str] = &[
    "main.py",
    "app.py",
    "server.py",
    "run.py",
    "bot.py",
    "__main__.py",
];

/// A conventional script (`main.py`, `app.py`…) in the app's folder.
fn conventional_script(view: &ProjectView, dir: &str) -> Option<Fact<Entry>> {
    CONVENTIONAL_SCRIPTS
        .iter()
        .map(|f| join(dir, f))
        .find(|f| view.has_file(f))
        .map(|f| {
            Fact::new(
                Entry::File {
                    file: relative(dir, &f),
                },
                Evidence::file(&f, "a conventional entry script"),
            )
        })
}

/// The project's name, else its folder's.
fn app_name(view: &ProjectView, dir: &str, project: Option<&PyProject>) -> Fact<String> {
    project.and_then(|p| p.name.clone()).unwrap_or_else(|| {
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
    })
}

/// The app's Python sources, read to find what a framework serves.
struct Sources<'a> {
    view: &'a ProjectView,
    dir: &'a str,
    files: &'a [&'a str],
    src_layout: bool,
}

impl Sources<'_> {
    fn framework_entry(
        &self,
        framework: &PythonFramework,
    ) -> Result<Option<Fact<Entry>>, DetectError> {
        match framework.kind.as_str() {
            "django" => self.django(),
            "streamlit" => self.streamlit(),
            _ => self.application_object(framework),
        }
    }

    /// Django: the settings module manage.py names gives the WSGI module.
    fn django(&self) -> Result<Option<Fact<Entry>>, DetectError> {
        let manage = join(self.dir, "manage.py");
        let Some(text) = self.view.read_source(&manage)? else {
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
        let settings_file = join(self.dir, &format!("{}.py", settings.replace('.', "/")));
        let collectstatic = self
            .view
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

    /// Streamlit: the file that imports it, conventional names and shallow
    /// paths first.
    fn streamlit(&self) -> Result<Option<Fact<Entry>>, DetectError> {
        let preferred = ["streamlit_app.py", "app.py", "main.py", "Home.py"];
        let mut candidates: Vec<&str> = Vec::new();
        for file in self.files {
            if self
                .view
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
            Fact::new(
                Entry::Streamlit {
                    file: relative(self.dir, f),
                },
                Evidence::file(f, "imports streamlit"),
            )
        }))
    }

    /// An application object (`app = FastAPI()`) or factory (`def create_app()`),
    /// conventional file names and shallow paths first.
    fn application_object(
        &self,
        framework: &PythonFramework,
    ) -> Result<Option<Fact<Entry>>, DetectError> {
        let object = framework.object.as_deref().unwrap_or("App");
        let assignment = Regex::new(&format!(
            // `app = FastAPI(`, `app: Flask = Flask(`, `app, rt = fast_app(`
            r"^(\w+)\s*(?:,\s*\w+\s*)*(?::\s*[\w.]+\s*)?=\s*(?:[\w.]+\.)?{}\(",
            regex::escape(object)
        ))
        .expect("valid");
        let mut found: Vec<(usize, String, String, usize)> = Vec::new();
        for file in self.files {
            let Some(text) = self.view.read_source(file)? else {
                continue;
            };
            for (i, line) in text.lines().enumerate() {
                let call = if let Some(c) = assignment.captures(line) {
                    c[1].to_string()
                } else if let Some(c) = FACTORY_CALL.captures(line) {
                    c[1].to_string()
                } else if let Some(c) = FACTORY.captures(line) {
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
            let module = module_path(self.dir, file, self.src_layout);
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

/// `file` relative to the app's folder.
fn relative(dir: &str, file: &str) -> String {
    file.strip_prefix(dir)
        .unwrap_or(file)
        .trim_start_matches('/')
        .to_string()
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
        // Django's management commands are programs of their own (`manage.py
        // smtpd --port 25`): their options are not the server's.
        && !folder.ends_with("management/commands")
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
