//! A thin wrapper over the docker command line for the end-to-end tests: always
//! BuildKit, always host networking (the only network the engine here has).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub struct Docker {
    program: PathBuf,
}

impl Docker {
    /// `$DOCKSMITH_E2E_DOCKER`, else imageforge's BuildKit client beside the repo, else
    /// `docker` on PATH.
    pub fn find() -> Docker {
        let forge =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/imageforge/bin/docker");
        let program = std::env::var_os("DOCKSMITH_E2E_DOCKER")
            .map(PathBuf::from)
            .or_else(|| forge.is_file().then_some(forge))
            .unwrap_or_else(|| PathBuf::from("docker"));
        let docker = Docker { program };
        docker.output(&["info", "--format", "{{.ServerVersion}}"]);
        docker
    }

    pub fn command(&self) -> Command {
        let mut cmd = Command::new(&self.program);
        cmd.env("DOCKER_BUILDKIT", "1");
        cmd
    }

    /// Runs docker and returns stdout; panics with everything it said on failure.
    pub fn output(&self, args: &[&str]) -> String {
        let out = self
            .command()
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", self.program.display()));
        assert!(
            out.status.success(),
            "docker {}:\n{}{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Builds `dir` as `tag`, with the Dockerfile in `dir` or the one given; returns
    /// BuildKit's plain progress log.
    pub fn build(&self, dir: &Path, tag: &str, dockerfile: Option<&str>) -> String {
        self.build_inner(dir, tag, dockerfile, &[])
    }

    /// Builds `dir` as `tag` with more `docker build` arguments (`--secret`, `--target`).
    pub fn build_with(&self, dir: &Path, tag: &str, args: &[&str]) -> String {
        self.build_inner(dir, tag, None, args)
    }

    fn build_inner(
        &self,
        dir: &Path,
        tag: &str,
        dockerfile: Option<&str>,
        args: &[&str],
    ) -> String {
        let mut cmd = self.command();
        cmd.args([
            "build",
            "--network",
            "host",
            "--progress",
            "plain",
            "-t",
            tag,
        ]);
        cmd.args(args);
        if dockerfile.is_some() {
            cmd.args(["-f", "-"]);
        }
        let mut child = cmd
            .arg(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("docker runs");
        let mut stdin = child.stdin.take().expect("piped");
        stdin
            .write_all(dockerfile.unwrap_or("").as_bytes())
            .unwrap();
        drop(stdin);
        let out = child.wait_with_output().unwrap();
        let log = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "docker build {tag} failed:\n{log}");
        log
    }

    /// The imageforge stand-ins are tagged by minor version (`rust:1.95-bookworm`, one
    /// toolchain for all of them); a Dockerfile that pins a patch release
    /// (`rust:1.95.0-bookworm`, as a pinned rust-toolchain.toml asks) gets that tag as an
    /// alias of the minor one, which is what the forge would have made.
    pub fn ensure_base(&self, image: &str) {
        let present = |tag: &str| {
            self.command()
                .args(["image", "inspect", tag])
                .output()
                .is_ok_and(|o| o.status.success())
        };
        if present(image) {
            return;
        }
        let Some((repo, tag)) = image.split_once(':') else {
            return;
        };
        let (version, variant) = tag.split_once('-').map_or((tag, ""), |(v, rest)| (v, rest));
        let parts: Vec<&str> = version.split('.').collect();
        if parts.len() == 3 {
            let minor = format!(
                "{repo}:{}.{}{}{variant}",
                parts[0],
                parts[1],
                if variant.is_empty() { "" } else { "-" }
            );
            if present(&minor) {
                self.output(&["tag", &minor, image]);
            }
        }
    }

    pub fn image_size(&self, tag: &str) -> u64 {
        self.output(&["image", "inspect", "--format", "{{.Size}}", tag])
            .trim()
            .parse()
            .expect("a size")
    }

    pub fn image_user(&self, tag: &str) -> String {
        self.output(&["image", "inspect", "--format", "{{.Config.User}}", tag])
            .trim()
            .to_string()
    }

    /// Every path in the image's file system (exported from a created container),
    /// with its owner.
    pub fn image_files(&self, tag: &str) -> Vec<ImageFile> {
        // A base image may have no CMD; create refuses those without a command.
        // The container never starts, so any command does.
        let id = self
            .output(&["create", "--entrypoint", "/none", tag, "none"])
            .trim()
            .to_string();
        let out = self
            .command()
            .args(["export", &id])
            .stdout(Stdio::piped())
            .spawn()
            .and_then(|child| {
                Command::new("tar")
                    .args(["-tv", "--numeric-owner"])
                    .stdin(child.stdout.expect("piped"))
                    .output()
            })
            .expect("docker export | tar -tv");
        self.output(&["rm", &id]);
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(ImageFile::parse)
            .collect()
    }

    /// Starts the image, waits for GET / to answer 200 on `port`, stops it.
    pub fn serve_http(&self, tag: &str, port: u16) -> String {
        // Host networking: two examples on one port must not serve at once.
        static SERVING: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let _serving = SERVING
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let name = tag.replace(['/', ':'], "-");
        let _ = self.command().args(["rm", "-f", &name]).output();
        self.output(&[
            "run",
            "-d",
            "--rm",
            "--network",
            "host",
            "--name",
            &name,
            tag,
        ]);
        let started = Instant::now();
        let result = loop {
            match http_get(port) {
                Ok(status) if status.contains(" 200 ") => break Ok(status),
                Ok(status) if started.elapsed() > Duration::from_secs(20) => break Err(status),
                Err(e) if started.elapsed() > Duration::from_secs(20) => break Err(e.to_string()),
                _ => std::thread::sleep(Duration::from_millis(200)),
            }
        };
        // The image's own HEALTHCHECK, run at once rather than after its interval.
        let health = result
            .as_ref()
            .ok()
            .and_then(|_| self.run_healthcheck(tag, &name));
        let logs = self.command().args(["logs", &name]).output().ok();
        let _ = self.command().args(["rm", "-f", &name]).output();
        match result {
            Ok(_) => match health {
                Some(Ok(())) => format!("HTTP 200 on :{port}, HEALTHCHECK passes"),
                Some(Err(e)) => {
                    panic!("{tag}: HTTP 200 on :{port}, but its HEALTHCHECK fails: {e}")
                }
                None => format!("HTTP 200 on :{port}"),
            },
            Err(e) => panic!(
                "{tag}: no HTTP 200 on :{port}: {e}\n{}",
                logs.map(|l| String::from_utf8_lossy(&l.stderr).into_owned())
                    .unwrap_or_default()
            ),
        }
    }

    /// Runs the HEALTHCHECK command of `tag` in the running container `name`;
    /// `None` when the image has none.
    fn run_healthcheck(&self, tag: &str, name: &str) -> Option<Result<(), String>> {
        let test = self.output(&["inspect", "--format", "{{json .Config.Healthcheck}}", tag]);
        let test: serde_json::Value = serde_json::from_str(test.trim()).ok()?;
        let argv: Vec<String> = test["Test"]
            .as_array()?
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        let (kind, argv) = argv.split_first()?;
        assert_eq!(kind, "CMD", "{tag}: HEALTHCHECK is not in exec form");
        let out = self
            .command()
            .args(["exec", name])
            .args(argv)
            .output()
            .map_err(|e| e.to_string());
        Some(out.and_then(|out| {
            if out.status.success() {
                Ok(())
            } else {
                Err(format!(
                    "{argv:?} exited {}: {}",
                    out.status,
                    String::from_utf8_lossy(&out.stderr)
                ))
            }
        }))
    }

    /// Runs the image with `args`; it must exit 0 and print `expect`.
    pub fn run_command(&self, tag: &str, args: &[&str], expect: &str) -> String {
        let mut full = vec!["run", "--rm", "--network", "host", tag];
        full.extend_from_slice(args);
        let out = self.output(&full);
        assert!(out.contains(expect), "{tag} {args:?} printed {out:?}");
        format!("`{}` exit 0", [&["(run)"][..], args].concat().join(" "))
    }
}

/// GET / on localhost:port; the status line.
fn http_get(port: u16) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    stream.write_all(b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n")?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    Ok(response.lines().next().unwrap_or_default().to_string())
}

/// One entry of an image's file system.
pub struct ImageFile {
    pub path: String,
    pub uid: u32,
}

impl ImageFile {
    /// A `tar -tv --numeric-owner` line: mode, uid/gid, size, date, time, path
    /// (a link's line ends with ` -> target`).
    fn parse(line: &str) -> Option<ImageFile> {
        let mut rest = line;
        let mut fields = Vec::new();
        for _ in 0..5 {
            rest = rest.trim_start();
            let end = rest.find(char::is_whitespace)?;
            fields.push(&rest[..end]);
            rest = &rest[end..];
        }
        let uid = fields[1].split('/').next()?.parse().ok()?;
        let path = rest.trim_start().split(" -> ").next()?;
        Some(ImageFile {
            path: path.trim_end_matches('/').to_string(),
            uid,
        })
    }
}
