//! Reads Gradle build scripts (Groovy `build.gradle` or Kotlin `build.gradle.kts`) and
//! settings as text: plugin ids, the main class, the Java toolchain or source
//! compatibility, dependency coordinates and included subprojects. Nothing is
//! evaluated; a build logic docksmith cannot read is reported, not guessed.

use std::sync::LazyLock;

use regex::Regex;

use super::pom::Located;

/// What a build script says.
#[derive(Clone, Debug, Default)]
pub struct BuildScript {
    pub plugins: Vec<Located>,
    pub main_class: Option<Located>,
    /// `JavaLanguageVersion.of(N)`, else `sourceCompatibility`.
    pub release: Option<Located>,
    /// `group:artifact[:version]` strings, as artifact names.
    pub dependencies: Vec<String>,
}

/// What a settings script says.
#[derive(Clone, Debug, Default)]
pub struct SettingsScript {
    pub root_name: Option<String>,
    /// Included projects as folders (`:services:api` → `services/api`).
    pub includes: Vec<Located>,
}

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("gradle patterns are valid (tested)")
}

static PLUGIN_ID: LazyLock<Regex> =
    LazyLock::new(|| regex(r#"(?:\bid\s*\(?\s*|apply\s+plugin:\s*)["']([\w.\-]+)["']"#));
static BARE_PLUGIN: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^\s*(application|java|`java-library`|java-library)\s*$"));
static MAIN_CLASS: LazyLock<Regex> =
    LazyLock::new(|| regex(r#"\bmainClass(?:Name)?\s*(?:=|\.set\()\s*["']([\w.$]+)["']"#));
static TOOLCHAIN: LazyLock<Regex> =
    LazyLock::new(|| regex(r"JavaLanguageVersion\.of\(\s*(\d+)\s*\)"));
static SOURCE_COMPATIBILITY: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r#"sourceCompatibility\s*=\s*(?:JavaVersion\.VERSION_(?:1_)?(\d+)|["']?(?:1\.)?(\d+)["']?)"#,
    )
});
static COORDINATES: LazyLock<Regex> =
    LazyLock::new(|| regex(r#"["']([\w.\-]+):([\w.\-]+)(?::[^"']*)?["']"#));
static ROOT_NAME: LazyLock<Regex> =
    LazyLock::new(|| regex(r#"rootProject\.name\s*=\s*["']([^"']+)["']"#));
static INCLUDE: LazyLock<Regex> = LazyLock::new(|| regex(r"^\s*include\b(.*)$"));
static QUOTED: LazyLock<Regex> = LazyLock::new(|| regex(r#"["']([^"']+)["']"#));

/// Lines that are code, with their 1-based numbers (line comments dropped).
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.split("//").next().unwrap_or_default()))
}

pub fn parse_build(text: &str) -> BuildScript {
    let mut script = BuildScript::default();
    let mut toolchain = None;
    let mut source = None;
    for (line, code) in code_lines(text) {
        let at = |value: &str| Located {
            value: value.to_string(),
            line,
        };
        for id in PLUGIN_ID.captures_iter(code) {
            script.plugins.push(at(&id[1]));
        }
        if let Some(bare) = BARE_PLUGIN.captures(code) {
            script.plugins.push(at(bare[1].trim_matches('`')));
        }
        if script.main_class.is_none()
            && let Some(main) = MAIN_CLASS.captures(code)
        {
            script.main_class = Some(at(&main[1]));
        }
        if toolchain.is_none()
            && let Some(version) = TOOLCHAIN.captures(code)
        {
            toolchain = Some(at(&version[1]));
        }
        if source.is_none()
            && let Some(version) = SOURCE_COMPATIBILITY.captures(code)
            && let Some(number) = version.get(1).or_else(|| version.get(2))
        {
            source = Some(at(number.as_str()));
        }
        for coordinates in COORDINATES.captures_iter(code) {
            script.dependencies.push(coordinates[2].to_string());
        }
    }
    script.release = toolchain.or(source);
    script
}

pub fn parse_settings(text: &str) -> SettingsScript {
    let mut settings = SettingsScript::default();
    for (line, code) in code_lines(text) {
        if let Some(name) = ROOT_NAME.captures(code) {
            settings.root_name = Some(name[1].to_string());
        }
        if let Some(include) = INCLUDE.captures(code) {
            for project in QUOTED.captures_iter(&include[1]) {
                let dir = project[1].trim_start_matches(':').replace(':', "/");
                if !dir.is_empty() {
                    settings.includes.push(Located { value: dir, line });
                }
            }
        }
    }
    settings
}

impl BuildScript {
    pub fn has_plugin(&self, id: &str) -> bool {
        self.plugins.iter().any(|p| p.value == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_kotlin_and_groovy_scripts() {
        let kts = parse_build(
            r#"plugins {
    java
    id("org.springframework.boot") version "3.5.7"
    application
}
java { toolchain { languageVersion = JavaLanguageVersion.of(21) } }
application { mainClass.set("com.example.App") }
dependencies { implementation("org.springframework.boot:spring-boot-starter-web") }
"#,
        );
        let ids: Vec<&str> = kts.plugins.iter().map(|p| p.value.as_str()).collect();
        assert_eq!(ids, ["java", "org.springframework.boot", "application"]);
        assert_eq!(kts.release.unwrap().value, "21");
        assert_eq!(kts.main_class.unwrap().value, "com.example.App");
        assert_eq!(kts.dependencies, ["spring-boot-starter-web"]);

        let groovy = parse_build(
            "plugins { id 'io.quarkus' }\nsourceCompatibility = '17'\n// id 'commented.out'\n",
        );
        assert!(groovy.has_plugin("io.quarkus"));
        assert!(!groovy.has_plugin("commented.out"));
        assert_eq!(groovy.release.unwrap().value, "17");
        let old = parse_build("sourceCompatibility = JavaVersion.VERSION_1_8\n");
        assert_eq!(old.release.unwrap().value, "8");
    }

    #[test]
    fn reads_settings() {
        let settings = parse_settings(
            "rootProject.name = 'shop'\ninclude 'core', ':services:api'\ninclude(\"web\")\n",
        );
        assert_eq!(settings.root_name.as_deref(), Some("shop"));
        let dirs: Vec<&str> = settings.includes.iter().map(|l| l.value.as_str()).collect();
        assert_eq!(dirs, ["core", "services/api", "web"]);
    }
}
