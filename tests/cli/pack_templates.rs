//! A standards pack's template replacements: used by name, able to include the
//! original, exported by `docksmith templates`, and sandboxed (no environment, no
//! files outside the pack, bounded time and output, no escaping bypass).

use std::path::Path;

use crate::support::{docksmith, project, repo};

const PACK: &str = "[pack]\nname = \"t\"\n";

/// A pack holding standards.toml and `templates` under `templates/`.
fn pack_with(templates: &[(&str, &str)]) -> tempfile::TempDir {
    let mut files = vec![("standards.toml".to_string(), PACK.to_string())];
    files.extend(
        templates
            .iter()
            .map(|(name, text)| (format!("templates/{name}"), text.to_string())),
    );
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    project(&borrowed)
}

fn generate(pack: &Path) -> std::process::Output {
    docksmith()
        .args(["generate", "--standards"])
        .arg(pack)
        .arg(repo().join("examples/go-http"))
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .unwrap()
}

fn failure(pack: &Path) -> String {
    let out = generate(pack);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_replacement_can_include_the_original_it_replaces() {
    let pack = pack_with(&[(
        "partials/runtime.tera",
        "{% include \"docksmith/partials/runtime.tera\" %}\nLABEL org.acme.team=\"platform\"\n",
    )]);
    let out = generate(pack.path());
    crate::common::assert_success(&out);
    let dockerfile = String::from_utf8(out.stdout).unwrap();
    assert!(dockerfile.contains("ENTRYPOINT [\"/usr/local/bin/hello\"]\n"));
    assert!(
        dockerfile.ends_with("LABEL org.acme.team=\"platform\"\n"),
        "{dockerfile}"
    );
}

#[test]
fn exported_templates_used_as_a_pack_change_nothing() {
    let work = tempfile::tempdir().unwrap();
    let templates = work.path().join("pack/templates");
    docksmith()
        .args(["templates", "export"])
        .arg(&templates)
        .assert()
        .success();
    std::fs::write(work.path().join("pack/standards.toml"), PACK).unwrap();
    let with_copies = generate(&work.path().join("pack"));
    let plain = generate(pack_with(&[]).path());
    assert!(with_copies.status.success());
    assert_eq!(
        String::from_utf8(with_copies.stdout).unwrap(),
        String::from_utf8(plain.stdout).unwrap()
    );
    // A second export refuses to replace edited files unless told.
    std::fs::write(templates.join("go/Dockerfile.tera"), "edited").unwrap();
    docksmith()
        .args(["templates", "export"])
        .arg(&templates)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("--force"));
    docksmith()
        .args(["templates", "export", "--force"])
        .arg(&templates)
        .assert()
        .success();
}

#[test]
fn templates_list_names_every_template_and_marks_the_packs() {
    let pack = pack_with(&[("go/Dockerfile.tera", "FROM scratch\n")]);
    let out = docksmith()
        .args(["templates", "list", "--standards"])
        .arg(pack.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("go/Dockerfile.tera\treplaced by the pack\n"),
        "{text}"
    );
    assert!(text.contains("partials/runtime.tera\n"), "{text}");
    for language in ["go", "rust", "node", "python", "java"] {
        assert!(
            text.contains(&format!("{language}/Dockerfile.tera")),
            "{text}"
        );
        assert!(
            text.contains(&format!("dockerignore/{language}.tera")),
            "{text}"
        );
    }
}

#[test]
fn a_pack_template_cannot_read_the_environment_or_files() {
    for (template, expected) in [
        ("{{ get_env(name=\"HOME\") }}", "get_env"),
        ("{% include \"/etc/passwd\" %}", "/etc/passwd"),
        ("{% include \"../../../../etc/passwd\" %}", "etc/passwd"),
    ] {
        let pack = pack_with(&[("partials/header.tera", template)]);
        let err = failure(pack.path());
        assert!(
            err.contains("standards pack's templates (partials/header.tera)"),
            "{err}"
        );
        assert!(err.contains(expected), "{template}: {err}");
        assert!(err.contains("hint: fix the template in the pack"), "{err}");
        assert!(!err.contains("root:"), "{err}");
    }
}

#[test]
fn a_pack_template_cannot_bypass_escaping() {
    for bypass in ["safe", "escape_html", "escape_xml", "newlines_to_br"] {
        let pack = pack_with(&[(
            "partials/header.tera",
            &format!("# {{{{ plan.build_stage | {bypass} }}}}\n") as &str,
        )]);
        let err = failure(pack.path());
        assert!(
            err.contains(&format!("`{bypass}` is not available")),
            "{err}"
        );
    }
    // A value placed without a context filter must be plain.
    let pack = pack_with(&[("partials/header.tera", "# {{ runtime.labels }}\n")]);
    assert!(failure(pack.path()).contains("without a context filter"));
}

#[test]
fn a_pack_template_that_never_ends_or_floods_is_stopped() {
    let pack = pack_with(&[(
        "partials/header.tera",
        "{% for a in range(end=100000) %}{% for b in range(end=100000) %}{% endfor %}{% endfor %}",
    )]);
    let started = std::time::Instant::now();
    let err = failure(pack.path());
    assert!(err.contains("longer than 3 s"), "{err}");
    assert!(started.elapsed().as_secs() < 20);
    let pack = pack_with(&[(
        "partials/header.tera",
        "{% for a in range(end=100000) %}# filling the disk, line by line\n{% endfor %}",
    )]);
    assert!(failure(pack.path()).contains("grew past 1024 KiB"));
}

#[test]
fn a_pack_template_that_breaks_the_dockerfile_is_the_packs_error() {
    let pack = pack_with(&[("partials/header.tera", "RUN\n{% if %}")]);
    assert!(failure(pack.path()).contains("standards pack's templates"));
    let pack = pack_with(&[("partials/header.tera", "FROM\n")]);
    let err = failure(pack.path());
    assert!(err.contains("standards pack's templates"), "{err}");
    assert!(!err.contains("bug in docksmith"), "{err}");
}

#[test]
fn a_pack_template_with_an_unknown_name_or_a_link_is_refused() {
    let pack = pack_with(&[("go/Dockerfil.tera", "")]);
    let err = failure(pack.path());
    assert!(err.contains("templates/go/Dockerfil.tera"), "{err}");
    assert!(err.contains("templates list"), "{err}");
    #[cfg(unix)]
    {
        let pack = pack_with(&[]);
        std::fs::create_dir_all(pack.path().join("templates/partials")).unwrap();
        std::os::unix::fs::symlink(
            "/etc/passwd",
            pack.path().join("templates/partials/header.tera"),
        )
        .unwrap();
        assert!(failure(pack.path()).contains("symbolic link"));
    }
}
