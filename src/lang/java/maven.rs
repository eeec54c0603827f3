//! Maven builds: the root `pom.xml`, its modules (recursively), the wrapper, the
//! release the compiler targets, and which modules produce a program.

use std::collections::BTreeMap;

use super::data::JavaFramework;
use super::detect::{
    AppKind, BuildTool, JavaApp, JavaFacts, app_ports, framework_of, properties_of, release_fact,
};
use super::pom::{self, Pom};
use crate::detect::paths::{join, normalize, split_dir};
use crate::detect::{DetectError, Evidence, Fact, Warning};
use crate::scan::ProjectView;

/// Modules nested deeper than this, or more of them, are not read (a bound on hostile
/// or generated builds).
const MAX_DEPTH: usize = 4;
const MAX_MODULES: usize = 200;

/// Properties that state the compiler's release, strongest first.
const RELEASE_KEYS: [&str; 4] = [
    "maven.compiler.release",
    "java.version",
    "maven.compiler.source",
    "maven.compiler.target",
];

/// One module: its folder, its pom file and the pom.
struct Module {
    dir: String,
    file: String,
    pom: Pom,
}

pub fn detect(view: &ProjectView) -> Result<JavaFacts, DetectError> {
    let mut warnings = Vec::new();
    let modules = read_modules(view, &mut warnings)?;
    let root = &modules[0];
    let root_properties = properties_of(&root.pom, &BTreeMap::new());
    let wrapper = view.has_file("mvnw");
    let mut build_inputs: Vec<String> = modules.iter().map(|m| m.file.clone()).collect();
    if wrapper {
        build_inputs.push("mvnw".into());
    }
    // Maven reads .mvn/ (jvm.config, maven.config, extensions, the wrapper's settings)
    // with or without the wrapper.
    build_inputs.extend(
        view.files()
            .filter(|f| f.starts_with(".mvn/"))
            .map(str::to_string),
    );

    let mut apps = Vec::new();
    let mut releases = Vec::new();
    for module in &modules {
        let inherited = if module.dir.is_empty() {
            BTreeMap::new()
        } else {
            root_properties.clone()
        };
        let properties = properties_of(&module.pom, &inherited);
        releases.extend(release_candidate(module, &root.pom, &properties));
        if let Some(app) = app(view, module, &properties, &mut warnings)? {
            apps.push(app);
        }
    }
    // One JDK compiles every module: the highest release any of them targets.
    releases.sort_by_key(|(n, _, _)| *n);
    let release = release_fact(
        releases
            .pop()
            .map(|(_, text, evidence)| (text, evidence))
            .into_iter()
            .collect(),
        &mut warnings,
    );
    let module_dirs: Vec<String> = modules[1..].iter().map(|m| m.dir.clone()).collect();
    Ok(JavaFacts {
        manifest: Fact::new("pom.xml".into(), Evidence::file("pom.xml", "Maven project")),
        tool: Fact::new(
            if wrapper {
                BuildTool::MavenWrapper
            } else {
                BuildTool::Maven
            },
            Evidence::file(if wrapper { "mvnw" } else { "pom.xml" }, "build tool"),
        ),
        release,
        modules: (!module_dirs.is_empty())
            .then(|| Fact::new(module_dirs, Evidence::file("pom.xml", "<modules>"))),
        apps,
        build_inputs,
        warnings,
    })
}

/// The root pom and every module it lists, breadth first.
fn read_modules(
    view: &ProjectView,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<Module>, DetectError> {
    let text = view.read_manifest("pom.xml")?.unwrap_or_default();
    let mut modules = vec![Module {
        dir: String::new(),
        file: "pom.xml".into(),
        pom: pom::parse("pom.xml", &text)?,
    }];
    let mut next = 0;
    while next < modules.len() {
        let depth =
            modules[next].dir.matches('/').count() + usize::from(!modules[next].dir.is_empty());
        let listed: Vec<(String, usize)> = modules[next]
            .pom
            .modules
            .iter()
            .map(|m| (m.value.clone(), m.line))
            .collect();
        let (parent_dir, parent_file) = (modules[next].dir.clone(), modules[next].file.clone());
        next += 1;
        for (entry, line) in listed {
            let warn = |message: String| Warning {
                message,
                evidence: Evidence::at(&parent_file, line, "<module>"),
            };
            let Some(path) = normalize(&join(&parent_dir, &entry)).filter(|p| !p.is_empty()) else {
                warnings.push(warn(format!(
                    "module `{}` is outside the project: ignored",
                    entry.escape_debug()
                )));
                continue;
            };
            let file = if path.ends_with(".xml") {
                path.clone()
            } else {
                join(&path, "pom.xml")
            };
            if depth >= MAX_DEPTH || modules.len() >= MAX_MODULES {
                warnings.push(warn(format!(
                    "module `{path}` is nested too deep or one too many: not read"
                )));
                continue;
            }
            if modules.iter().any(|m| m.file == file) {
                continue;
            }
            let Some(text) = view.read_manifest(&file)? else {
                warnings.push(warn(format!("module `{path}` has no {file}: ignored")));
                continue;
            };
            let dir = split_dir(&file).0.to_string();
            modules.push(Module {
                pom: pom::parse(&file, &text)?,
                dir,
                file,
            });
        }
    }
    Ok(modules)
}

/// The release a module states: a property (its own or inherited) or the compiler
/// plugin's configuration, as (number, text, evidence).
fn release_candidate(
    module: &Module,
    root: &Pom,
    properties: &BTreeMap<String, String>,
) -> Option<(u32, String, Evidence)> {
    let located = |key: &str| {
        module
            .pom
            .properties
            .get(key)
            .map(|v| (module.file.as_str(), v.line))
            .or_else(|| root.properties.get(key).map(|v| ("pom.xml", v.line)))
    };
    for key in RELEASE_KEYS {
        if let (Some(text), Some((file, line))) = (properties.get(key), located(key)) {
            let text = pom::expand(text, properties);
            let number = super::detect::release_number(&text).unwrap_or(0);
            return Some((number, text, Evidence::at(file, line, key)));
        }
    }
    if let Some(plugin) = module.pom.plugin("maven-compiler-plugin")
        && let Some(release) = &plugin.release
    {
        let text = pom::expand(release, properties);
        let number = super::detect::release_number(&text).unwrap_or(0);
        return Some((
            number,
            text,
            Evidence::at(&module.file, plugin.line, "maven-compiler-plugin release"),
        ));
    }
    // maven-toolchains-plugin picks the JDK that runs the build: `17`, or a
    // range such as `[17,)` whose lower bound is the least it accepts.
    let plugin = module.pom.plugin("maven-toolchains-plugin")?;
    let text = pom::expand(plugin.toolchain_jdk.as_ref()?, properties);
    let lower = text
        .trim_start_matches(['[', '('])
        .split(',')
        .next()
        .unwrap_or_default()
        .trim()
        .to_string();
    let number = super::detect::release_number(&lower).unwrap_or(0);
    Some((
        number,
        lower,
        Evidence::at(
            &module.file,
            plugin.line,
            "maven-toolchains-plugin jdk version",
        ),
    ))
}

/// The module as an app, when its build leaves something to run.
fn app(
    view: &ProjectView,
    module: &Module,
    properties: &BTreeMap<String, String>,
    warnings: &mut Vec<Warning>,
) -> Result<Option<JavaApp>, DetectError> {
    let pom = &module.pom;
    if pom.packaging.as_deref().is_some_and(|p| p != "jar") {
        return Ok(None);
    }
    let final_name = pom::expand(
        pom.final_name
            .as_deref()
            .unwrap_or("${project.artifactId}-${project.version}"),
        properties,
    );
    let framework = framework_of(Some(pom), None);
    let Some((kind, why)) = kind(module, &final_name, framework, properties) else {
        return Ok(None);
    };
    let name = pom
        .artifact_id
        .as_ref()
        .map_or_else(|| "app".to_string(), |a| a.value.clone());
    let line = pom.artifact_id.as_ref().map_or(1, |a| a.line);
    if final_name.contains("${") {
        warnings.push(Warning {
            message: format!("{name}: the jar's name `{final_name}` uses a property docksmith cannot resolve; it is not packaged"),
            evidence: Evidence::file(&module.file, "<finalName>"),
        });
        return Ok(None);
    }
    let serves_http = framework.is_some_and(|f| f.web.iter().any(|w| pom.depends_on(w)));
    let listening = app_ports(view, &module.dir, framework, serves_http)?;
    Ok(Some(JavaApp {
        name: Fact::new(name, Evidence::at(&module.file, line, "artifactId")),
        dir: module.dir.clone(),
        kind: Fact::new(kind, Evidence::file(&module.file, why)),
        framework: framework.map(|f| {
            Fact::new(
                f.name.clone(),
                Evidence::file(&module.file, framework_evidence(f, pom)),
            )
        }),
        listening,
    }))
}

/// What the module's build leaves to run, and why docksmith thinks so.
fn kind(
    module: &Module,
    final_name: &str,
    framework: Option<&JavaFramework>,
    properties: &BTreeMap<String, String>,
) -> Option<(AppKind, String)> {
    let pom = &module.pom;
    let target = |file: String| join(&module.dir, &format!("target/{file}"));
    let jar = target(format!("{final_name}.jar"));
    match framework.map(|f| f.kind.as_str()) {
        Some("spring-boot") if pom.plugin("spring-boot-maven-plugin").is_some() => {
            let version = boot_version(pom, properties);
            return Some((
                AppKind::SpringBoot { jar, version },
                "spring-boot-maven-plugin repackages the jar".into(),
            ));
        }
        Some("quarkus") => {
            return Some((
                AppKind::Quarkus {
                    dir: target("quarkus-app".into()),
                },
                "quarkus-maven-plugin builds target/quarkus-app".into(),
            ));
        }
        Some("micronaut") => {
            return Some((
                AppKind::Jar { jar },
                "micronaut-parent shades the jar".into(),
            ));
        }
        _ => {}
    }
    if let Some(shade) = pom.plugin("maven-shade-plugin") {
        let jar = if shade.shaded_attached {
            target(format!("{final_name}-shaded.jar"))
        } else {
            jar
        };
        return Some((AppKind::Jar { jar }, "maven-shade-plugin".into()));
    }
    if let Some(assembly) = pom.plugin("maven-assembly-plugin")
        && assembly
            .descriptor_refs
            .iter()
            .any(|d| d == "jar-with-dependencies")
    {
        return Some((
            AppKind::Jar {
                jar: target(format!("{final_name}-jar-with-dependencies.jar")),
            },
            "maven-assembly-plugin jar-with-dependencies".into(),
        ));
    }
    let main = pom
        .plugin("maven-jar-plugin")
        .and_then(|p| p.main_class.as_ref());
    if main.is_some() && pom.runtime_dependencies() == 0 {
        return Some((
            AppKind::Jar { jar },
            "maven-jar-plugin sets Main-Class; no runtime dependencies".into(),
        ));
    }
    None
}

/// Spring Boot's version: the starter parent's, a `spring-boot.version` property, or
/// the plugin's; the line docksmith knows best when none says.
fn boot_version(pom: &Pom, properties: &BTreeMap<String, String>) -> String {
    pom.parent
        .as_ref()
        .filter(|p| p.artifact_id == "spring-boot-starter-parent")
        .map(|p| p.version.clone())
        .or_else(|| properties.get("spring-boot.version").cloned())
        .or_else(|| {
            pom.plugin("spring-boot-maven-plugin")
                .and_then(|p| p.version.clone())
        })
        .map(|v| pom::expand(&v, properties))
        .filter(|v| !v.contains("${"))
        .unwrap_or_else(|| "3.5".to_string())
}

fn framework_evidence(framework: &JavaFramework, pom: &Pom) -> String {
    match pom.plugin(&framework.maven_plugin) {
        Some(_) => framework.maven_plugin.clone(),
        None => format!(
            "parent {}",
            framework.maven_parent.as_deref().unwrap_or_default()
        ),
    }
}
