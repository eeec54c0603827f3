//! Whether Pipfile.lock was written for the Pipfile beside it: Pipenv records the
//! SHA-256 of the Pipfile's content (its own JSON form) in `_meta.hash.sha256`, and
//! `pipenv install --deploy` aborts when they differ. Read as text, never run.

use serde_json::{Map, Value};

/// The sections Pipenv keeps out of the hash under their own names (packages and
/// dev-packages go in as `default` and `develop`, sources and requires in `_meta`).
const OWN_SECTIONS: &[&str] = &[
    "source",
    "packages",
    "dev-packages",
    "requires",
    "scripts",
    "pipenv",
    "pipfile",
];

/// The hash Pipenv writes into Pipfile.lock for this Pipfile; `None` when the
/// Pipfile is not TOML.
pub fn hash(pipfile: &str) -> Option<String> {
    let table: toml::Table = toml::from_str(pipfile).ok()?;
    let json = |key: &str| {
        table
            .get(key)
            .and_then(|v| serde_json::to_value(v).ok())
            .unwrap_or_else(|| Value::Object(Map::new()))
    };
    let sources = match table.get("source") {
        Some(source) => serde_json::to_value(source).ok()?,
        None => serde_json::json!([
            {"name": "pypi", "url": "https://pypi.org/simple", "verify_ssl": true}
        ]),
    };
    let mut data = Map::new();
    data.insert(
        "_meta".into(),
        serde_json::json!({"requires": json("requires"), "sources": sources}),
    );
    data.insert("default".into(), json("packages"));
    data.insert("develop".into(), json("dev-packages"));
    for (key, value) in &table {
        if !OWN_SECTIONS.contains(&key.as_str()) && key != "default" && key != "develop" {
            data.insert(key.clone(), serde_json::to_value(value).ok()?);
        }
    }
    // Python's json.dumps(sort_keys=True, separators=(",", ":")), ASCII only.
    let text = ascii_escaped(&serde_json::to_string(&Value::Object(data)).ok()?);
    let hashed = crate::write::record::hash(&text);
    Some(hashed.trim_start_matches("sha256:").to_string())
}

/// Whether the lock's recorded hash is the Pipfile's; `None` when either cannot be
/// read (the install then says so itself).
pub fn lock_is_current(pipfile: &str, lock: &str) -> Option<bool> {
    let lock: Value = serde_json::from_str(lock).ok()?;
    let recorded = lock.pointer("/_meta/hash/sha256")?.as_str()?;
    Some(hash(pipfile)? == recorded)
}

/// Non-ASCII characters as `\uXXXX` escapes (UTF-16, as Python writes them).
fn ascii_escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_pipenvs() {
        // Written by pipenv for this Pipfile (examples/python-falcon-pipenv).
        let pipfile = "[[source]]\nurl = \"https://pypi.org/simple\"\nverify_ssl = true\nname = \"pypi\"\n\n[packages]\nfalcon = \"==4.1.0\"\ngunicorn = \"==27.0.1\"\n\n[dev-packages]\npytest = \"*\"\n\n[requires]\npython_version = \"3.11\"\n";
        assert_eq!(
            hash(pipfile).unwrap(),
            "2640749187cd4b3b09c23d2f60e387d99066b0a4b5d8121e5f388b7b65d84ca2"
        );
        assert_eq!(ascii_escaped("é😀"), "\\u00e9\\ud83d\\ude00");
        assert_eq!(lock_is_current(pipfile, "{}"), None);
    }
}
