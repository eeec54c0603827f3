//! Reads a Maven `pom.xml`: coordinates, parent, modules, properties, the build's
//! plugins (with what their configuration says about the jar) and dependencies.
//! Only what docksmith needs; nothing is resolved from a repository.

use std::collections::BTreeMap;

use roxmltree::{Document, Node};

use crate::detect::DetectError;

/// A value and the 1-based line it stands on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    pub value: String,
    pub line: usize,
}

/// The parts of a pom docksmith reads.
#[derive(Clone, Debug, Default)]
pub struct Pom {
    pub group_id: Option<String>,
    pub artifact_id: Option<Located>,
    pub version: Option<String>,
    pub packaging: Option<String>,
    pub parent: Option<Parent>,
    pub modules: Vec<Located>,
    pub properties: BTreeMap<String, Located>,
    /// `<build><plugins>`: what runs (not `<pluginManagement>`, which only configures).
    pub plugins: Vec<Plugin>,
    /// `<dependencies>` (not `<dependencyManagement>`).
    pub dependencies: Vec<Dependency>,
    pub final_name: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Parent {
    pub group_id: String,
    pub artifact_id: String,
    pub version: String,
    pub line: usize,
}

#[derive(Clone, Debug, Default)]
pub struct Plugin {
    pub group_id: String,
    pub artifact_id: String,
    pub version: Option<String>,
    pub line: usize,
    /// A `<mainClass>` anywhere in its configuration (jar manifest, shade transformer,
    /// assembly archive).
    pub main_class: Option<String>,
    /// `<descriptorRef>`s (maven-assembly-plugin).
    pub descriptor_refs: Vec<String>,
    /// maven-shade-plugin: the shaded jar is attached beside the plain one.
    pub shaded_attached: bool,
    /// maven-compiler-plugin: `<release>`, else `<source>`.
    pub release: Option<String>,
    /// maven-toolchains-plugin: the `<jdk><version>` it asks for.
    pub toolchain_jdk: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Dependency {
    pub group_id: String,
    pub artifact_id: String,
    pub scope: Option<String>,
}

/// Parses `text`, naming `file` and the line on error.
pub fn parse(file: &str, text: &str) -> Result<Pom, DetectError> {
    let doc = Document::parse(text).map_err(|e| DetectError::Syntax {
        file: file.to_string(),
        line: e.pos().row as usize,
        message: e.to_string(),
        hint: format!("fix the XML of {file}"),
    })?;
    let root = doc.root_element();
    if root.tag_name().name() != "project" {
        return Err(DetectError::Invalid {
            file: file.to_string(),
            message: format!(
                "the root element is <{}>, not <project>",
                root.tag_name().name()
            ),
            hint: format!("{file} is not a Maven project file"),
        });
    }
    let line = |node: Node| doc.text_pos_at(node.range().start).row as usize;
    let located = |node: Node| {
        node.text().map(|t| Located {
            value: t.trim().to_string(),
            line: line(node),
        })
    };
    let mut pom = Pom {
        group_id: text_of(root, "groupId"),
        artifact_id: child(root, "artifactId").and_then(located),
        version: text_of(root, "version"),
        packaging: text_of(root, "packaging"),
        ..Pom::default()
    };
    if let Some(parent) = child(root, "parent") {
        pom.parent = Some(Parent {
            group_id: text_of(parent, "groupId").unwrap_or_default(),
            artifact_id: text_of(parent, "artifactId").unwrap_or_default(),
            version: text_of(parent, "version").unwrap_or_default(),
            line: line(parent),
        });
    }
    if let Some(modules) = child(root, "modules") {
        pom.modules = children(modules, "module").filter_map(located).collect();
    }
    if let Some(properties) = child(root, "properties") {
        for property in properties.children().filter(Node::is_element) {
            if let Some(value) = located(property) {
                pom.properties
                    .insert(property.tag_name().name().to_string(), value);
            }
        }
    }
    if let Some(dependencies) = child(root, "dependencies") {
        pom.dependencies = children(dependencies, "dependency")
            .map(|d| Dependency {
                group_id: text_of(d, "groupId").unwrap_or_default(),
                artifact_id: text_of(d, "artifactId").unwrap_or_default(),
                scope: text_of(d, "scope"),
            })
            .collect();
    }
    if let Some(build) = child(root, "build") {
        pom.final_name = text_of(build, "finalName");
        if let Some(plugins) = child(build, "plugins") {
            pom.plugins = children(plugins, "plugin")
                .map(|p| plugin(p, line(p)))
                .collect();
        }
    }
    Ok(pom)
}

fn plugin(node: Node, line: usize) -> Plugin {
    let descendants = |name: &'static str| {
        node.descendants()
            .filter(move |n| n.is_element() && n.tag_name().name() == name)
            .filter_map(|n| n.text().map(|t| t.trim().to_string()))
    };
    Plugin {
        group_id: text_of(node, "groupId").unwrap_or_else(|| "org.apache.maven.plugins".into()),
        artifact_id: text_of(node, "artifactId").unwrap_or_default(),
        version: text_of(node, "version"),
        line,
        main_class: descendants("mainClass").next(),
        descriptor_refs: descendants("descriptorRef").collect(),
        shaded_attached: descendants("shadedArtifactAttached").any(|v| v == "true"),
        release: descendants("release")
            .next()
            .or_else(|| descendants("source").next()),
        toolchain_jdk: node
            .descendants()
            .filter(|n| n.is_element() && n.tag_name().name() == "jdk")
            .find_map(|jdk| text_of(jdk, "version")),
    }
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|n| n.is_element() && n.tag_name().name() == name)
}

fn children<'a, 'i>(node: Node<'a, 'i>, name: &'static str) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children()
        .filter(move |n| n.is_element() && n.tag_name().name() == name)
}

fn text_of(node: Node, name: &str) -> Option<String> {
    child(node, name)
        .and_then(|n| n.text())
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}

impl Pom {
    pub fn plugin(&self, artifact_id: &str) -> Option<&Plugin> {
        self.plugins.iter().find(|p| p.artifact_id == artifact_id)
    }

    pub fn depends_on(&self, artifact_id: &str) -> bool {
        self.dependencies
            .iter()
            .any(|d| d.artifact_id == artifact_id)
    }

    /// Dependencies the program needs at run time (not test, provided or import).
    pub fn runtime_dependencies(&self) -> usize {
        self.dependencies
            .iter()
            .filter(|d| {
                !matches!(
                    d.scope.as_deref(),
                    Some("test" | "provided" | "import" | "system")
                )
            })
            .count()
    }
}

/// Expands `${name}` from `properties` (and the project's own coordinates), a few
/// levels deep; what stays unknown stays as written.
pub fn expand(text: &str, properties: &BTreeMap<String, String>) -> String {
    let mut out = text.to_string();
    for _ in 0..5 {
        let Some(start) = out.find("${") else {
            break;
        };
        let Some(len) = out[start..].find('}') else {
            break;
        };
        let name = &out[start + 2..start + len];
        let Some(value) = properties.get(name) else {
            break;
        };
        out = format!("{}{}{}", &out[..start], value, &out[start + len + 1..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const POM: &str = r#"<?xml version="1.0"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>org.springframework.boot</groupId>
    <artifactId>spring-boot-starter-parent</artifactId>
    <version>3.5.7</version>
  </parent>
  <artifactId>demo</artifactId>
  <version>0.1.0</version>
  <properties>
    <java.version>17</java.version>
  </properties>
  <modules><module>app</module></modules>
  <dependencies>
    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>
    <dependency><groupId>org.junit</groupId><artifactId>junit</artifactId><scope>test</scope></dependency>
  </dependencies>
  <build>
    <finalName>${project.artifactId}-app</finalName>
    <pluginManagement><plugins><plugin><artifactId>maven-shade-plugin</artifactId></plugin></plugins></pluginManagement>
    <plugins>
      <plugin>
        <groupId>org.springframework.boot</groupId>
        <artifactId>spring-boot-maven-plugin</artifactId>
        <configuration><mainClass>com.example.Main</mainClass></configuration>
      </plugin>
    </plugins>
  </build>
</project>
"#;

    #[test]
    fn reads_what_docksmith_needs() {
        let pom = parse("pom.xml", POM).unwrap();
        assert_eq!(pom.artifact_id.as_ref().unwrap().value, "demo");
        assert_eq!(pom.artifact_id.as_ref().unwrap().line, 9);
        let parent = pom.parent.as_ref().unwrap();
        assert_eq!(parent.artifact_id, "spring-boot-starter-parent");
        assert_eq!(parent.version, "3.5.7");
        assert_eq!(pom.properties["java.version"].value, "17");
        assert_eq!(pom.modules[0].value, "app");
        // pluginManagement only configures: it is not a plugin of the build.
        assert!(pom.plugin("maven-shade-plugin").is_none());
        let boot = pom.plugin("spring-boot-maven-plugin").unwrap();
        assert_eq!(boot.main_class.as_deref(), Some("com.example.Main"));
        assert_eq!(pom.runtime_dependencies(), 1);
        assert_eq!(pom.final_name.as_deref(), Some("${project.artifactId}-app"));
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let err = parse("app/pom.xml", "<project>\n<artifactId>x</oops>\n</project>").unwrap_err();
        assert!(err.to_string().starts_with("app/pom.xml:2:"), "{err}");
        let err = parse("pom.xml", "<settings/>").unwrap_err();
        assert!(err.to_string().contains("not <project>"), "{err}");
    }

    #[test]
    fn hostile_poms_do_not_panic() {
        for text in [
            "",
            "<",
            "<project>",
            "<project><parent/></project>",
            "\u{0}",
            "<!DOCTYPE x [<!ENTITY a \"b\">]><project/>",
        ] {
            let _ = parse("pom.xml", text);
        }
    }

    #[test]
    fn expands_properties() {
        let props: BTreeMap<String, String> = [
            ("project.artifactId".to_string(), "demo".to_string()),
            ("revision".to_string(), "1.2".to_string()),
        ]
        .into();
        assert_eq!(
            expand("${project.artifactId}-${revision}", &props),
            "demo-1.2"
        );
        assert_eq!(expand("${unknown}-x", &props), "${unknown}-x");
    }
}
