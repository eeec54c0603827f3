//! `doctor --fix` rewrites a hand-written Dockerfile; the result must still build and
//! serve in the engine.

use crate::common;
use crate::engine::Docker;

#[test]
#[ignore = "needs a Docker engine and the imageforge stand-ins: cargo test --test e2e -- --ignored"]
fn doctor_fix_output_builds_and_serves() {
    let docker = Docker::find();
    let case = common::repo().join("tests/doctor/python-flask-single-stage");
    let work = tempfile::tempdir().unwrap();
    common::copy_tree(&case, work.path());
    let before = std::fs::read_to_string(work.path().join("Dockerfile")).unwrap();
    let out = crate::docksmith()
        .args(["doctor", "--fix", "--yes", "--fail-on", "never"])
        .current_dir(work.path())
        .output()
        .unwrap();
    crate::common::assert_success(&out);
    let after = std::fs::read_to_string(work.path().join("Dockerfile")).unwrap();
    assert_ne!(before, after, "--fix changed nothing");
    assert!(
        after.contains("--mount=type=cache,target=/root/.cache/pip"),
        "{after}"
    );
    assert!(after.contains("rm -rf /var/lib/apt/lists/*"), "{after}");
    let tag = "docksmith-e2e/doctor-fixed:latest";
    docker.build(work.path(), tag, None);
    let files = docker.image_files(tag);
    assert!(
        !files
            .iter()
            .any(|f| f.path.starts_with("var/lib/apt/lists/") && f.path.ends_with("_Packages")),
        "apt lists left in the image"
    );
    docker.serve_http(tag, 5000);
}
