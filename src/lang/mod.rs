//! The languages docksmith knows: one wing each, one line each in [`languages!`].
//!
//! A wing (`lang/<name>/`) owns everything about its language: detection (facts with
//! evidence), its tables (`detectors/<name>.toml`), planning (its part of the build
//! plan), and how its facts and plan read to a person. It plugs in through [`Wing`].
//! The rest of docksmith (pipeline, planner skeleton, rendering, command line) reaches
//! a language only through the types this module derives from the registry —
//! [`Language`], [`Detection`] and [`Build`] — so adding a language is a new folder,
//! its templates and data, and one registry line.

// The wings, declared here rather than by the registry macro so that rustfmt and
// other tools see them.
pub mod frontend;
pub mod go;
pub mod java;
pub mod node;
pub mod python;
pub mod rust;

use std::fmt;

use serde::Serialize;

use crate::detect::project::ProjectFacts;
use crate::detect::{DetectError, Warning};
use crate::plan::{BuildPlan, PlanError};
use crate::scan::ProjectView;
use crate::settings::Settings;

/// One language's wing.
pub trait Wing {
    /// The lowercase name in flags, settings files, JSON and template folders.
    const NAME: &'static str;
    /// The name people read ("Node.js").
    const TITLE: &'static str;
    /// The files that identify it, for hints ("go.mod or go.work").
    const MARKERS: &'static str;
    /// Boolean settings only this language reads: (settings key, what asking for it
    /// means, for the warning when another language is built).
    const OWN_SWITCHES: &'static [(&'static str, &'static str)] = &[];

    /// Its templates, by name: `<NAME>/Dockerfile.tera` and `dockerignore/<NAME>.tera`
    /// at least (embedded with `include_str!`; see [`crate::render`]).
    const TEMPLATES: &'static [(&'static str, &'static str)];

    /// Template expressions the wing places without a filter because they can only be
    /// numbers or fixed words (`go.version`); the renderer's test holds every other
    /// placement to a context filter.
    const PLAIN_VALUES: &'static [&'static str] = &[];

    /// What detection found.
    type Facts: Clone + fmt::Debug + Serialize;
    /// The language's part of the build plan.
    type Build: Clone + fmt::Debug + Serialize;

    /// Facts about the project, or `None` when none of the language's markers exist.
    fn detect(view: &ProjectView) -> Result<Option<Self::Facts>, DetectError>;
    /// The manifest that identified the language.
    fn manifest(facts: &Self::Facts) -> &str;
    fn warnings(facts: &Self::Facts) -> &[Warning];
    /// Every deployable app the project holds (a monorepo's binaries or workspace
    /// members), each with the setting that picks it: what `init --all` builds.
    fn apps(facts: &Self::Facts) -> Vec<crate::apps::Candidate>;
    /// The whole plan (the shared skeleton is in [`crate::plan`]).
    fn plan(
        facts: &Self::Facts,
        project: &ProjectFacts,
        settings: &Settings,
    ) -> Result<BuildPlan, PlanError>;
    /// `docksmith detect` lines.
    fn show_facts(facts: &Self::Facts, out: &mut String);
    /// The language's lines of `docksmith plan`.
    fn show_build(build: &Self::Build, out: &mut String);
    /// Whether extra runtime packages can be installed on this build's final image.
    fn takes_runtime_packages(_build: &Self::Build) -> bool {
        true
    }
    /// Whether the image only serves built files (a static site on a web server):
    /// beside a back end, the back end is the program.
    fn serves_files_only(_build: &Self::Build) -> bool {
        false
    }
    /// The image references of the language's own stages (beyond the plan's builder
    /// and runtime), so a standards pack can mirror and pin every one.
    fn images_mut(_build: &mut Self::Build) -> Vec<&mut String> {
        Vec::new()
    }
}

/// Derives the language-generic types from the ordered list of wings.
macro_rules! languages {
    ($($variant:ident => $module:ident::$wing:ident),+ $(,)?) => {

        /// A language docksmith knows.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Language {
            $($variant),+
        }

        impl Language {
            /// Every language, in the order their detectors are asked.
            pub const ALL: &'static [Language] = &[$(Language::$variant),+];

            pub fn name(self) -> &'static str {
                match self {
                    $(Language::$variant => <$module::$wing as Wing>::NAME),+
                }
            }

            pub fn title(self) -> &'static str {
                match self {
                    $(Language::$variant => <$module::$wing as Wing>::TITLE),+
                }
            }

            pub fn markers(self) -> &'static str {
                match self {
                    $(Language::$variant => <$module::$wing as Wing>::MARKERS),+
                }
            }

            pub fn templates(self) -> &'static [(&'static str, &'static str)] {
                match self {
                    $(Language::$variant => <$module::$wing as Wing>::TEMPLATES),+
                }
            }

            pub fn plain_values(self) -> &'static [&'static str] {
                match self {
                    $(Language::$variant => <$module::$wing as Wing>::PLAIN_VALUES),+
                }
            }

            pub fn own_switches(self) -> &'static [(&'static str, &'static str)] {
                match self {
                    $(Language::$variant => <$module::$wing as Wing>::OWN_SWITCHES),+
                }
            }
        }

        /// What one wing's detector found.
        #[derive(Clone, Debug, Serialize)]
        #[serde(tag = "language", rename_all = "lowercase")]
        pub enum Detection {
            $($variant(<$module::$wing as Wing>::Facts)),+
        }

        impl Detection {
            pub fn language(&self) -> Language {
                match self {
                    $(Detection::$variant(_) => Language::$variant),+
                }
            }

            pub fn manifest(&self) -> &str {
                match self {
                    $(Detection::$variant(facts) => <$module::$wing as Wing>::manifest(facts)),+
                }
            }

            pub fn warnings(&self) -> &[Warning] {
                match self {
                    $(Detection::$variant(facts) => <$module::$wing as Wing>::warnings(facts)),+
                }
            }

            pub fn apps(&self) -> Vec<crate::apps::Candidate> {
                match self {
                    $(Detection::$variant(facts) => <$module::$wing as Wing>::apps(facts)),+
                }
            }

            pub fn plan(
                &self,
                project: &ProjectFacts,
                settings: &Settings,
            ) -> Result<BuildPlan, PlanError> {
                match self {
                    $(Detection::$variant(facts) => <$module::$wing as Wing>::plan(facts, project, settings)),+
                }
            }

            pub fn show(&self, out: &mut String) {
                match self {
                    $(Detection::$variant(facts) => <$module::$wing as Wing>::show_facts(facts, out)),+
                }
            }
        }

        /// One language's part of a build plan; serialized under the language's name.
        #[derive(Clone, Debug, Serialize)]
        #[serde(rename_all = "lowercase")]
        pub enum Build {
            $($variant(<$module::$wing as Wing>::Build)),+
        }

        impl Build {
            pub fn language(&self) -> Language {
                match self {
                    $(Build::$variant(_) => Language::$variant),+
                }
            }

            pub fn show(&self, out: &mut String) {
                match self {
                    $(Build::$variant(build) => <$module::$wing as Wing>::show_build(build, out)),+
                }
            }

            pub fn takes_runtime_packages(&self) -> bool {
                match self {
                    $(Build::$variant(build) => <$module::$wing as Wing>::takes_runtime_packages(build)),+
                }
            }

            pub fn images_mut(&mut self) -> Vec<&mut String> {
                match self {
                    $(Build::$variant(build) => <$module::$wing as Wing>::images_mut(build)),+
                }
            }

            pub fn serves_files_only(&self) -> bool {
                match self {
                    $(Build::$variant(build) => <$module::$wing as Wing>::serves_files_only(build)),+
                }
            }

            /// Places the build in a template context under the language's name.
            pub fn insert_into(&self, context: &mut tera::Context) {
                match self {
                    $(Build::$variant(build) => context.insert(<$module::$wing as Wing>::NAME, build)),+
                }
            }
        }

        $(
            impl From<<$module::$wing as Wing>::Build> for Build {
                fn from(build: <$module::$wing as Wing>::Build) -> Build {
                    Build::$variant(build)
                }
            }
        )+

        /// Runs every wing's detector, in registry order.
        pub fn detect_all(view: &ProjectView) -> Result<Vec<Detection>, DetectError> {
            let mut found = Vec::new();
            $(
                if let Some(facts) = <$module::$wing as Wing>::detect(view)? {
                    found.push(Detection::$variant(facts));
                }
            )+
            Ok(found)
        }
    };
}

// The registry. The order is behaviour: when a project holds several languages, the
// earlier one is built unless the user chooses another.
languages! {
    Go => go::Go,
    Rust => rust::Rust,
    Node => node::Node,
    Python => python::Python,
    Java => java::Java,
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Language {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Language::ALL
            .iter()
            .copied()
            .find(|l| l.name() == s)
            .ok_or_else(|| format!("unknown language `{s}` (expected {})", names("or")))
    }
}

impl Serialize for Language {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for Language {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

/// `go, rust, node or python`.
pub fn names(last: &str) -> String {
    join(Language::ALL.iter().map(|l| l.name().to_string()), last)
}

/// What docksmith recognizes, for hints: `Go (go.mod or go.work), …, and Python (…)`.
pub fn supported() -> String {
    join(
        Language::ALL
            .iter()
            .map(|l| format!("{} ({})", l.title(), l.markers())),
        "and",
    )
}

/// Files that make a folder a project root for some language: where docksmith looks
/// when run from a folder below one (`cmd/api` inside a Go module).
pub const ROOT_MANIFESTS: &[&str] = &[
    "go.mod",
    "go.work",
    "Cargo.toml",
    "package.json",
    "package.yaml",
    "package.json5",
    "pyproject.toml",
    "requirements.txt",
    "Pipfile",
    "setup.py",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
];

/// `a, b and c`.
fn join(items: impl Iterator<Item = String>, last: &str) -> String {
    let items: Vec<String> = items.collect();
    match items.split_last() {
        None => String::new(),
        Some((only, [])) => only.clone(),
        Some((tail, init)) => format!("{} {last} {tail}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_match_the_serialized_tags() {
        for &language in Language::ALL {
            assert_eq!(language.name().parse::<Language>(), Ok(language));
            let tag = serde_json::to_value(language).unwrap();
            assert_eq!(tag, language.name());
            // The enums' serde tags are the variant names in lowercase: they must be
            // the wing's NAME too.
            assert_eq!(format!("{language:?}").to_lowercase(), language.name());
        }
        assert!("cobol".parse::<Language>().is_err());
    }

    #[test]
    fn every_language_has_a_root_manifest() {
        for &language in Language::ALL {
            assert!(
                ROOT_MANIFESTS
                    .iter()
                    .any(|m| language.markers().contains(m)),
                "{language:?}: {}",
                language.markers()
            );
        }
    }

    #[test]
    fn lists_read_as_english() {
        assert_eq!(join(["a".to_string()].into_iter(), "or"), "a".to_string());
        assert_eq!(
            join(["a", "b", "c"].iter().map(|s| s.to_string()), "or"),
            "a, b or c"
        );
    }
}
