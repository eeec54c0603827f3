//! Checks of resolved values, each naming the source the value came from.

use std::sync::LazyLock;

use super::{Setting, SettingsError};

fn invalid<T>(set: &Setting<T>, message: String) -> SettingsError {
    SettingsError::Invalid {
        origin: set.source.clone(),
        message,
    }
}

pub fn port(set: Setting<u16>) -> Result<Setting<u16>, SettingsError> {
    if set.value == 0 {
        return Err(invalid(
            &set,
            "port 0 is not a port a server can be reached on".into(),
        ));
    }
    Ok(set)
}

pub fn user(set: Setting<u32>) -> Result<Setting<u32>, SettingsError> {
    if set.value == 0 || set.value > 65_534 {
        let message = format!(
            "uid {} is not allowed: images run as a non-root numeric user (1 to 65534)",
            set.value
        );
        return Err(invalid(&set, message));
    }
    Ok(set)
}

pub fn packages(set: Setting<Vec<String>>) -> Result<Setting<Vec<String>>, SettingsError> {
    if let Some(bad) = set.value.iter().find(|p| !is_package_name(p)) {
        let message = format!(
            "`{}` is not a package name (lower-case letters, digits and + - . only)",
            bad.escape_debug()
        );
        return Err(invalid(&set, message));
    }
    Ok(set)
}

/// Monorepo apps: names or folders as `docksmith detect` lists them, or `*`; the
/// project decides whether they exist (the plan's error names them).
pub fn apps(set: Setting<Vec<String>>) -> Result<Setting<Vec<String>>, SettingsError> {
    if set.value.is_empty() {
        return Err(invalid(
            &set,
            "the list of apps is empty (`*` builds every app)".into(),
        ));
    }
    if let Some(bad) = set
        .value
        .iter()
        .find(|a| a.is_empty() || a.len() > 200 || a.chars().any(char::is_control))
    {
        let message = format!("`{}` is not an app name or folder", bad.escape_debug());
        return Err(invalid(&set, message));
    }
    Ok(set)
}

pub fn image(set: Setting<String>) -> Result<Setting<String>, SettingsError> {
    if !is_image_reference(&set.value) {
        let message = format!(
            "`{}` is not an image reference like registry/name:tag",
            set.value.escape_debug()
        );
        return Err(invalid(&set, message));
    }
    Ok(set)
}

/// The start command as words, checked where it came from.
pub fn command(set: Setting<String>) -> Result<Setting<Vec<String>>, SettingsError> {
    let words = shell_words::split(&set.value)
        .map_err(|e| invalid(&set, format!("`{}`: {e}", set.value.escape_debug())))?;
    if words.is_empty() {
        return Err(invalid(&set, "the start command is empty".into()));
    }
    if let Some(c) = set.value.chars().find(|c| c.is_control()) {
        let message = format!(
            "the start command contains the control character U+{:04X}",
            c as u32
        );
        return Err(invalid(&set, message));
    }
    Ok(Setting {
        value: words,
        source: set.source,
    })
}

/// A Debian or Alpine package name (optionally `name=version`).
pub fn is_package_name(name: &str) -> bool {
    static PACKAGE: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"^[a-z0-9][a-z0-9+.-]{0,99}(=[A-Za-z0-9.+~:_-]{1,100})?$")
            .expect("valid")
    });
    PACKAGE.is_match(name)
}

static IMAGE_REFERENCE: LazyLock<regex::Regex> = LazyLock::new(|| {
    // [registry[:port]/]path[/path...][:tag][@sha256:digest], after the distribution
    // reference grammar (lower-case path components, a 128-character tag).
    let component = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    let registry = r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?/)?";
    regex::Regex::new(&format!(
        r"^{registry}{component}(?:/{component})*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{{0,127}})?(?:@sha256:[a-f0-9]{{64}})?$"
    ))
    .expect("valid")
});

/// Whether `text` is a well-formed image reference (also `scratch`).
pub fn is_image_reference(text: &str) -> bool {
    text.len() <= 255 && IMAGE_REFERENCE.is_match(text)
}
