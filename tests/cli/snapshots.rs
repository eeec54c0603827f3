//! Every example's expected outputs, as insta snapshots kept in
//! `examples/<name>/expected/`: the Dockerfile for each flavor (or the refusal, where a
//! flavor cannot run the program), the .dockerignore, the plan and the detection.

use docksmith::data::Flavor;
use docksmith::pipeline;

use crate::support::{self, examples, name};

fn in_expected<F: FnOnce()>(dir: &std::path::Path, check: F) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(dir.join("expected"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(check);
}

#[test]
fn every_example_has_expected_outputs_for_every_flavor() {
    for dir in examples() {
        in_expected(&dir, || {
            for flavor in Flavor::ALL {
                let text = match support::render(&dir, Some(flavor)) {
                    Ok(rendered) => rendered.dockerfile,
                    Err(message) => message,
                };
                insta::assert_snapshot!(format!("Dockerfile.{flavor}"), text);
            }
            let rendered =
                support::render(&dir, None).unwrap_or_else(|e| panic!("{}: {e}", name(&dir)));
            insta::assert_snapshot!("dockerignore", rendered.dockerignore);
        });
    }
}

#[test]
fn every_example_has_an_expected_plan_and_detection() {
    for dir in examples() {
        let analysis = pipeline::analyze(&dir).unwrap();
        let plan = analysis
            .plan(&support::settings(&dir, None), "example")
            .unwrap();
        let detect = support::docksmith()
            .arg("detect")
            .arg(&dir)
            .output()
            .unwrap();
        in_expected(&dir, || {
            insta::assert_json_snapshot!("plan.json", plan);
            insta::assert_snapshot!("detect.txt", String::from_utf8_lossy(&detect.stdout));
        });
    }
}

#[test]
fn the_default_flavor_is_one_of_the_snapshotted_ones() {
    for dir in examples() {
        let default = support::render(&dir, None).unwrap();
        let matches = Flavor::ALL
            .into_iter()
            .filter_map(|f| support::render(&dir, Some(f)).ok())
            .any(|r| r.dockerfile == default.dockerfile);
        assert!(matches, "{}", name(&dir));
    }
}
