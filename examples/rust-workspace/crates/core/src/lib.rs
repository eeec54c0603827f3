//! The catalogue.

/// Item names, formatted for display.
pub fn items() -> Vec<String> {
    ["kettle", "anvil", "bellows"].iter().map(|i| shop_text::title(i)).collect()
}
