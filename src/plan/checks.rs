//! Values that reach the Dockerfile from the project's own files are checked where
//! they are planned, so that a refusal names the file and field, not a template.

use super::PlanError;

/// Refuses text that cannot be placed in a Dockerfile safely in any context: control
/// characters (a newline would start a new instruction) and backslashes (the
/// Dockerfile's escape character, which would join lines).
pub fn check_text(file: &str, field: &str, value: &str) -> Result<(), PlanError> {
    let bad = value
        .chars()
        .find(|c| c.is_control() || *c == '\\' || crate::render::escape::is_deceptive(*c))
        .map(|c| match c {
            '\n' => "contains a newline".to_string(),
            '\0' => "contains a NUL byte".to_string(),
            '\\' => "contains a backslash".to_string(),
            c if !c.is_control() => format!(
                "contains U+{:04X}, which reorders or splits what a reader sees,",
                c as u32
            ),
            c => format!("contains the control character U+{:04X}", c as u32),
        });
    match bad {
        None => Ok(()),
        Some(reason) => Err(PlanError::UnsafeValue {
            file: file.to_string(),
            field: field.to_string(),
            value: value.escape_debug().to_string(),
            reason: format!("{reason}, which cannot be written safely into a Dockerfile"),
            hint: format!("rename it in {file}"),
        }),
    }
}

/// Paths placed in COPY or WORKDIR, which split on spaces and expand `$`: the plain
/// characters the renderer's `path` filter accepts, checked here so that the user
/// hears which file named it.
pub fn check_path(file: &str, field: &str, value: &str) -> Result<(), PlanError> {
    check_text(file, field, value)?;
    if crate::render::escape::path(value).is_ok() {
        return Ok(());
    }
    Err(PlanError::UnsafeValue {
        file: file.to_string(),
        field: field.to_string(),
        value: value.escape_debug().to_string(),
        reason: "is not a plain path (letters, digits and . _ / : @ + = , - % only), so a COPY instruction would misread it".into(),
        hint: format!("rename it in {file}"),
    })
}

/// Names that become file names in the image: letters, digits and `._+-`.
pub fn check_file_name(file: &str, field: &str, value: &str) -> Result<(), PlanError> {
    check_text(file, field, value)?;
    let ok = value
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._+-".contains(c));
    if ok {
        return Ok(());
    }
    Err(PlanError::UnsafeValue {
        file: file.to_string(),
        field: field.to_string(),
        value: value.escape_debug().to_string(),
        reason: "is not a plain file name (letters, digits and . _ + - only), so it cannot name a file in the image safely".into(),
        hint: format!("rename it in {file}, or choose another binary with --bin"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bidi_override_is_refused_naming_the_file() {
        let err = check_text("package.json", "package name", "app\u{202e}lmx").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("package.json: package name `app\\u{202e}lmx` contains U+202E"),
            "{err}"
        );
    }

    #[test]
    fn unsafe_text_names_file_and_field() {
        let err = check_text("cmd/x/main.go", "binary name", "a\nRUN b").unwrap_err();
        assert_eq!(
            err.to_string(),
            "cmd/x/main.go: binary name `a\\nRUN b` contains a newline, which cannot be written safely into a Dockerfile"
        );
        assert!(check_text("f", "x", "a\0").is_err());
        assert!(check_text("f", "x", "a\\").is_err());
        assert!(check_text("f", "x", "a\u{1b}[31m").is_err());
        assert!(check_text("f", "x", "fine $(but quoted later)").is_ok());
    }

    #[test]
    fn file_names() {
        assert!(check_file_name("f", "x", "api-server_v2.1").is_ok());
        for bad in ["$(id)", "a b", "a\"b", "-rf", ".hidden", "a/b", ""] {
            assert!(check_file_name("f", "x", bad).is_err(), "{bad:?}");
        }
    }
}
