//! Hand edits that a setting could make instead. `update` keeps a user's edits, but an
//! edited `EXPOSE` or `USER` is one docksmith cannot carry forward when its own line
//! changes; the setting can. This names the docksmith.toml key for each such edit.

use super::sync::{FileChange, Status};

/// Dockerfile instructions a setting writes, and that setting's key.
const SETTABLE: &[(&str, &str)] = &[
    ("EXPOSE", "port"),
    ("USER", "user"),
    ("ENTRYPOINT", "command"),
    ("CMD", "command"),
    ("HEALTHCHECK", "healthcheck"),
];

/// An edited line and the key that would express it.
#[derive(Debug, PartialEq, Eq)]
pub struct SettableEdit {
    pub line: String,
    pub key: &'static str,
}

/// The lines the user added to a kept or merged Dockerfile that a setting writes.
pub fn settable_edits(change: &FileChange) -> Vec<SettableEdit> {
    if change.name != "Dockerfile"
        || !matches!(
            change.status,
            Status::Kept | Status::Merge | Status::Conflict
        )
    {
        return Vec::new();
    }
    let Some(disk) = &change.on_disk else {
        return Vec::new();
    };
    let generated: Vec<&str> = change.generated.lines().collect();
    let mut edits: Vec<SettableEdit> = Vec::new();
    // A line with control characters is not echoed (it could drive the terminal).
    for line in disk
        .lines()
        .filter(|l| !generated.contains(l) && !l.chars().any(char::is_control))
    {
        let word = line.split_whitespace().next().unwrap_or_default();
        if let Some((_, key)) = SETTABLE
            .iter()
            .find(|(instruction, _)| word.eq_ignore_ascii_case(instruction))
            && !edits.iter().any(|e| e.key == *key)
        {
            edits.push(SettableEdit {
                line: line.trim().to_string(),
                key,
            });
        }
    }
    edits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edited_lines_a_setting_writes_name_their_key() {
        let change = FileChange {
            name: "Dockerfile".to_string(),
            status: Status::Kept,
            on_disk: Some("FROM a\nUSER 1000\nEXPOSE 9000\nLABEL x=y\nCMD [\"b\"]\n".into()),
            generated: "FROM a\nUSER 1000\nEXPOSE 8080\nCMD [\"b\"]\n".into(),
            text: String::new(),
            conflicts: 0,
        };
        assert_eq!(
            settable_edits(&change),
            vec![SettableEdit {
                line: "EXPOSE 9000".into(),
                key: "port"
            }]
        );
    }
}
