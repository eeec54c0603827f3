//! A standards pack proven in the engine through a real mirror: Debian's
//! `docker-registry` serves on 127.0.0.1, the stand-in base images are pushed there
//! (so their digests are real), and a pack that mirrors and digest-pins every image,
//! trusts this machine's CA certificates plus a test CA, enforces a user and labels,
//! and mounts a build secret, builds a Go, a Node and a Python example. The final
//! images must carry the labels and user, run, and hold neither the test CA nor the
//! secret in any layer; the build stages must trust the CA.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use docksmith::data::Flavor;
use docksmith::pipeline;
use docksmith::settings::{Options, Settings};

use crate::common::{copy_example, repo};
use crate::engine::Docker;
use crate::{Check, write_report};

const REGISTRY: &str = "127.0.0.1:5055";

/// The secret's content: it must appear in no layer of any image built.
const SECRET: &str = "e2e-secret-7d1c0a52b9";

/// A registry on 127.0.0.1 for the length of the test, its storage in a temporary
/// folder. The Docker engine pulls from a loopback registry over plain HTTP.
struct Registry {
    child: Child,
    _storage: tempfile::TempDir,
}

impl Registry {
    fn start() -> Registry {
        let storage = tempfile::tempdir().unwrap();
        let config = storage.path().join("config.yml");
        std::fs::write(
            &config,
            format!(
                "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: {}\nhttp:\n  addr: {REGISTRY}\n",
                storage.path().join("data").display()
            ),
        )
        .unwrap();
        let child = Command::new("docker-registry")
            .arg("serve")
            .arg(&config)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start docker-registry ({e}): apt-get install docker-registry")
            });
        let started = Instant::now();
        while TcpStream::connect(REGISTRY).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "docker-registry did not listen on {REGISTRY}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Registry {
            child,
            _storage: storage,
        }
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where each public prefix is mirrored in the local registry.
const MIRRORS: &[(&str, &str)] = &[
    ("docker.io/library/", "hub/"),
    ("gcr.io/distroless/", "distroless/"),
    ("ghcr.io/astral-sh/", "astral-sh/"),
];

/// `golang:1.22-bookworm` → (`docker.io/library/golang:1.22-bookworm`, mirrored).
fn mirrored(image: &str) -> (String, String) {
    let qualified = if image.contains('/') {
        image.to_string()
    } else {
        format!("docker.io/library/{image}")
    };
    let (from, to) = MIRRORS
        .iter()
        .find(|(from, _)| qualified.starts_with(from))
        .unwrap_or_else(|| panic!("no mirror for {image}"));
    (
        qualified.clone(),
        format!("{REGISTRY}/{to}{}", &qualified[from.len()..]),
    )
}

/// Pushes `image` to the local registry; its digest there.
fn push(docker: &Docker, image: &str) -> String {
    docker.ensure_base(image);
    let (_, target) = mirrored(image);
    docker.output(&["tag", image, &target]);
    docker.output(&["push", &target]);
    let digests = docker.output(&[
        "image",
        "inspect",
        "--format",
        "{{range .RepoDigests}}{{println .}}{{end}}",
        &target,
    ]);
    let repository = target.rsplit_once(':').unwrap().0;
    digests
        .lines()
        .find_map(|d| d.strip_prefix(&format!("{repository}@")))
        .unwrap_or_else(|| panic!("no digest for {target}: {digests}"))
        .to_string()
}

/// The images a Dockerfile pulls (FROM lines that name no earlier stage).
fn pulled_images(dockerfile: &str) -> Vec<String> {
    let mut stages: Vec<String> = Vec::new();
    let mut images = Vec::new();
    for line in dockerfile.lines().filter(|l| l.starts_with("FROM ")) {
        let words: Vec<&str> = line
            .split_whitespace()
            .filter(|w| !w.starts_with("--"))
            .collect();
        let image = words[1].to_string();
        if let Some(stage) = words.get(3) {
            stages.push(stage.to_string());
        }
        if image != "scratch" && !stages[..stages.len().saturating_sub(1)].contains(&image) {
            images.push(image);
        }
    }
    images.sort();
    images.dedup();
    images
}

/// A pack for this registry: every image in `images` mirrored and pinned.
/// With `ca_runtime`, the final image trusts the CA too (`[ca] runtime = true`).
fn write_pack(dir: &Path, pins: &[(String, String)], ca_runtime: bool) {
    std::fs::create_dir_all(dir.join("certs")).unwrap();
    // This machine's own CA certificates (the package registries are reached through
    // them), and a test CA that no base image holds.
    let mut files = Vec::new();
    for entry in std::fs::read_dir("/usr/local/share/ca-certificates").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "crt") {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            std::fs::copy(&path, dir.join("certs").join(&name)).unwrap();
            files.push(format!("\"certs/{name}\""));
        }
    }
    std::fs::copy(
        repo().join("examples/standards/acme/certs/acme-root.crt"),
        dir.join("certs/test-root.crt"),
    )
    .unwrap();
    files.push("\"certs/test-root.crt\"".into());
    let mirrors: String = MIRRORS
        .iter()
        .map(|(from, to)| {
            format!("[[images.mirror]]\nfrom = \"{from}\"\nto = \"{REGISTRY}/{to}\"\n")
        })
        .collect();
    let pins: String = pins
        .iter()
        .map(|(image, digest)| format!("\"{image}\" = \"{digest}\"\n"))
        .collect();
    let text = format!(
        "[pack]\nname = \"e2e\"\nversion = \"1\"\n\n\
         [enforced]\nuser = 10001\n# No frontend image can be pulled here.\nsyntax = \"none\"\n\n\
         [images]\nrequire-digest = true\n\n{mirrors}\n[images.pins]\n{pins}\n\
         [labels]\n\"org.opencontainers.image.vendor\" = \"E2E Corp\"\n\"com.example.e2e\" = \"mirror\"\n\n\
         [ca]\nfiles = [{}]\nruntime = {ca_runtime}\n\n\
         [[secrets]]\nid = \"e2e-token\"\ntarget = \"/run/e2e-token\"\n",
        files.join(", ")
    );
    std::fs::write(dir.join("standards.toml"), text).unwrap();
}

fn settings(dir: &Path, flavor: Flavor, pack: Option<&Path>) -> Settings {
    let options = Options {
        flavor: Some(flavor),
        syntax: pack.is_none().then_some(docksmith::settings::Syntax::None),
        standards: pack
            .map(|p| docksmith::settings::StandardsSource::Folder(p.display().to_string())),
        ..Options::default()
    };
    Settings::resolve(options, &|_: &str| None, dir).unwrap()
}

/// The base64 line of the test CA that identifies it in a file system.
fn test_ca_line() -> String {
    let text = std::fs::read_to_string(repo().join("examples/standards/acme/certs/acme-root.crt"))
        .unwrap();
    text.lines().nth(2).unwrap().to_string()
}

/// Whether any file of `tag`'s file system holds `needle`.
fn file_system_holds(docker: &Docker, tag: &str, needle: &str) -> bool {
    let id = docker
        .output(&["create", "--entrypoint", "/none", tag, "none"])
        .trim()
        .to_string();
    let holds = export_holds(docker, &["export", &id], needle);
    docker.output(&["rm", &id]);
    holds
}

/// Whether the tar stream `docker <args>` writes holds `needle` (docker save: every
/// layer).
fn export_holds(docker: &Docker, args: &[&str], needle: &str) -> bool {
    let mut child = docker
        .command()
        .args(args)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut child.stdout.take().unwrap(), &mut bytes).unwrap();
    assert!(child.wait().unwrap().success(), "docker {}", args.join(" "));
    bytes
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

#[test]
#[ignore = "needs a Docker engine, the imageforge stand-ins and docker-registry: cargo test --test e2e -- --ignored"]
fn a_standards_pack_builds_through_a_local_mirror() {
    let docker = Docker::find();
    let _registry = Registry::start();
    let work = tempfile::tempdir().unwrap();
    let pack = work.path().join("pack");
    let secret = work.path().join("secret");
    std::fs::write(&secret, SECRET).unwrap();
    let runtime_pack = work.path().join("pack-runtime-ca");
    // The last flag asks for the CA in the final image too. Scratch takes the CA bundle
    // from a build stage: the builder image's own, not the one the CA was added to.
    let cases = [
        ("go-http", Flavor::Scratch, Check::Http(8080), false),
        (
            "node-express-npm",
            Flavor::Distroless,
            Check::Http(3000),
            false,
        ),
        ("python-flask-pip", Flavor::Slim, Check::Http(8000), false),
        ("go-http", Flavor::Distroless, Check::Http(8080), true),
    ];
    // Every image the three builds pull, pushed to the mirror.
    let mut pins = Vec::new();
    let mut dirs: Vec<PathBuf> = Vec::new();
    for (name, flavor, _, _) in &cases {
        let dir = work.path().join(format!("{name}-{flavor}"));
        copy_example(name, &dir);
        let (_, rendered) = pipeline::generate(&dir, &settings(&dir, *flavor, None)).unwrap();
        for image in pulled_images(&rendered.dockerfile) {
            if !pins.iter().any(|(i, _)| i == &image) {
                let digest = push(&docker, &image);
                pins.push((image, digest));
            }
        }
        dirs.push(dir);
    }
    write_pack(&pack, &pins, false);
    write_pack(&runtime_pack, &pins, true);
    let ca_line = test_ca_line();
    let mut report = Vec::new();
    for ((name, flavor, check, ca_runtime), dir) in cases.iter().zip(&dirs) {
        let pack = if *ca_runtime { &runtime_pack } else { &pack };
        let (plan, rendered) = pipeline::generate(dir, &settings(dir, *flavor, Some(pack)))
            .unwrap_or_else(|e| {
                panic!("{name}: {e}");
            });
        for image in pulled_images(&rendered.dockerfile) {
            assert!(
                image.starts_with(&format!("{REGISTRY}/")) && image.contains("@sha256:"),
                "{name}: {image} is not mirrored and pinned"
            );
        }
        std::fs::write(dir.join("Dockerfile"), &rendered.dockerfile).unwrap();
        std::fs::write(dir.join(".dockerignore"), &rendered.dockerignore).unwrap();
        let secret_arg = format!("id=e2e-token,src={}", secret.display());
        let tag = format!("docksmith-e2e/{name}:standards-{flavor}");
        let started = Instant::now();
        docker.build_with(dir, &tag, &["--secret", &secret_arg]);
        let seconds = started.elapsed().as_secs_f64();

        let labels = docker.output(&[
            "image",
            "inspect",
            "--format",
            "{{json .Config.Labels}}",
            &tag,
        ]);
        assert!(
            labels.contains("\"org.opencontainers.image.vendor\":\"E2E Corp\"")
                && labels.contains("\"com.example.e2e\":\"mirror\""),
            "{name}: labels {labels}"
        );
        assert_eq!(docker.image_user(&tag), "10001:10001", "{name}");
        assert_eq!(
            file_system_holds(&docker, &tag, &ca_line),
            *ca_runtime,
            "{name} {flavor}: the test CA in the final image (asked for: {ca_runtime})"
        );
        assert!(
            !export_holds(&docker, &["save", &tag], SECRET),
            "{name}: the build secret is in a layer of the final image"
        );
        // The stage the final one copies from trusted the CA, and kept no secret.
        let stage = plan
            .runtime
            .artifacts
            .iter()
            .find(|a| !a.from.is_empty() && a.from != "org-ca")
            .map(|a| a.from.clone())
            .unwrap_or_else(|| plan.build_stage.clone());
        let stage_tag = format!("docksmith-e2e/{name}:standards-{flavor}-{stage}");
        docker.build_with(
            dir,
            &stage_tag,
            &["--secret", &secret_arg, "--target", &stage],
        );
        assert!(
            file_system_holds(&docker, &stage_tag, &ca_line),
            "{name}: the {stage} stage does not hold the test CA"
        );
        assert!(
            !export_holds(&docker, &["save", &stage_tag], SECRET),
            "{name}: the build secret is in a layer of the {stage} stage"
        );
        let result = match check {
            Check::Http(port) => docker.serve_http(&tag, *port),
            Check::Command(args, expect) => docker.run_command(&tag, args, expect),
        };
        // The audit agrees: the Dockerfile complies with the pack.
        let audit = crate::docksmith()
            .args(["check", "--standards"])
            .arg(pack)
            .arg(dir)
            .output()
            .unwrap();
        assert!(
            audit.status.success(),
            "{name}: check --standards: {}",
            String::from_utf8_lossy(&audit.stderr)
        );
        report.push(format!(
            "{name}\t{flavor} + standards pack\t{:.1} MB\t{seconds:.0} s\t{}\t{result}; mirrored and pinned, labels, uid 10001, CA in {stage} {}, secret in no layer, check complies",
            docker.image_size(&tag) as f64 / 1_000_000.0,
            plan.runtime.image.value,
            if *ca_runtime { "and the final image (asked for)" } else { "only" },
        ));
    }
    write_report("standards-mirror", &report);
}
