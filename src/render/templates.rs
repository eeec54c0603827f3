//! The templates docksmith renders with: its own, embedded at compile time, and a
//! standards pack's replacements for them, by name.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::lang::Language;

/// Where docksmith's own version of every template stays reachable when a pack
/// replaces it, so a replacement can include or extend the original
/// (`{% extends "docksmith/partials/runtime.tera" %}`).
pub const BUILTIN_PREFIX: &str = "docksmith/";

/// The template defining the components (`{{<install …/>}}`) every other one calls.
const COMPONENTS: &str = "partials/components.tera";

/// The templates every language shares, by name. Names end in `.tera`, which turns on
/// escaping for them. Each wing brings its own ([`crate::lang::Wing::TEMPLATES`]).
const SHARED: &[(&str, &str)] = &[
    (
        COMPONENTS,
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
        "partials/org_build.tera",
        include_str!("../../templates/partials/org_build.tera"),
    ),
    (
        "partials/org_ca.tera",
        include_str!("../../templates/partials/org_ca.tera"),
    ),
    (
        "partials/secrets.tera",
        include_str!("../../templates/partials/secrets.tera"),
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

/// Every built-in template: the shared ones, then each wing's.
pub fn builtin() -> impl Iterator<Item = (&'static str, &'static str)> {
    SHARED
        .iter()
        .chain(Language::ALL.iter().flat_map(|l| l.templates()))
        .copied()
}

/// Whether `name` is one of docksmith's templates (the only names a pack may replace).
pub fn is_builtin(name: &str) -> bool {
    builtin().any(|(known, _)| known == name)
}

/// A pack's replacements for built-in templates, by name. Cheap to clone: plans
/// carry it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Overrides(Arc<BTreeMap<String, String>>);

impl Overrides {
    pub fn new(templates: BTreeMap<String, String>) -> Overrides {
        Overrides(Arc::new(templates))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }

    /// The full set to load: built-ins under their names, the replacements over
    /// them, and each replaced built-in also under [`BUILTIN_PREFIX`] for the
    /// replacement to extend. Not the components file: a component's name is global,
    /// so a replacement of it defines them all.
    pub fn with_builtin(&self) -> BTreeMap<String, String> {
        let mut all: BTreeMap<String, String> = builtin()
            .map(|(name, text)| (name.to_string(), text.to_string()))
            .collect();
        for (name, text) in self.0.iter() {
            if let Some(original) = all.insert(name.clone(), text.clone())
                && name != COMPONENTS
            {
                all.insert(format!("{BUILTIN_PREFIX}{name}"), original);
            }
        }
        all
    }
}
