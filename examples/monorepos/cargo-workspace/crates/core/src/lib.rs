//! What every program of the workspace shares.

/// What the shop sells.
pub fn items() -> Vec<&'static str> {
    vec!["tea", "coffee", "cocoa"]
}
