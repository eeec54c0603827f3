//! Standards packs from a git repository, at a tag or commit: fetched with the system
//! git into docksmith's cache (`$XDG_CACHE_HOME/docksmith/standards`), extracted per
//! commit, and used from there afterwards without the network. A branch moves, so it
//! is followed only when asked (`floating`); it is fetched each run and falls back to
//! the last commit fetched when the network is away.
//!
//! The URL comes from a project's settings, so git runs fenced: only the https, http,
//! ssh, git and file transports (never `ext::`, which runs commands), no terminal
//! prompts, arguments after `--`, and the checkout is extracted with `git archive`
//! (no hooks, no checkout filters).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use sha2::{Digest, Sha256};

use super::StandardsError;

/// A pack extracted from git.
pub struct Fetched {
    pub dir: PathBuf,
    pub commit: String,
}

fn error(source: &str, message: impl Into<String>) -> StandardsError {
    StandardsError::Git {
        origin: source.to_string(),
        message: message.into(),
    }
}

/// Why `url` cannot be handed to git, if it cannot.
fn check_url(url: &str) -> Result<(), String> {
    let scp_like = regex::Regex::new(r"^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[A-Za-z0-9._~/-]")
        .expect("valid")
        .is_match(url);
    let allowed = ["https://", "http://", "ssh://", "git://", "file://"]
        .iter()
        .any(|scheme| url.starts_with(scheme))
        || scp_like
        || url.starts_with('/');
    if !allowed || url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(format!(
            "`{}` is not a git URL docksmith fetches (https://, http://, ssh://, git://, file://, user@host:path or an absolute path)",
            url.escape_debug()
        ));
    }
    Ok(())
}

/// A tag, branch or commit name: no option, no `..`, nothing a shell or git would read
/// as more.
fn check_rev(rev: &str) -> Result<(), String> {
    let fine = !rev.is_empty()
        && rev.len() <= 128
        && !rev.starts_with(['-', '/', '.'])
        && !rev.contains("..")
        && rev
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._/-+".contains(c));
    if fine {
        Ok(())
    } else {
        Err(format!(
            "the revision `{}` is not a tag, branch or commit name",
            rev.escape_debug()
        ))
    }
}

fn is_commit(rev: &str) -> bool {
    rev.len() == 40 && rev.chars().all(|c| c.is_ascii_hexdigit())
}

/// git with the fence described above.
fn git(repo: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.arg("--git-dir")
        .arg(repo)
        .args([
            "-c",
            "protocol.ext.allow=never",
            "-c",
            "protocol.fd.allow=never",
        ])
        .env("GIT_ALLOW_PROTOCOL", "https:http:ssh:git:file")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .stdin(Stdio::null());
    cmd
}

fn run(cmd: &mut Command, source: &str, what: &str) -> Result<String, StandardsError> {
    let out = cmd
        .output()
        .map_err(|e| error(source, format!("cannot run git ({e}): is git installed?")))?;
    if !out.status.success() {
        let said = String::from_utf8_lossy(&out.stderr);
        let said: String = said
            .trim()
            .chars()
            .filter(|c| !c.is_control() || *c == '\n')
            .take(400)
            .collect();
        return Err(error(source, format!("{what} failed: {said}")));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The pack at `url` and `rev`, from the cache below `cache` when it is there.
pub fn fetch(
    url: &str,
    rev: &str,
    floating: bool,
    cache: &Path,
) -> Result<Fetched, StandardsError> {
    let source = format!("git+{url}#{rev}");
    check_url(url).map_err(|e| error(&source, e))?;
    check_rev(rev).map_err(|e| error(&source, e))?;
    let key: String = Sha256::digest(url.as_bytes())
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect();
    let home = cache.join("standards").join(key);
    let extracted = |commit: &str| home.join(commit);
    let done = |commit: &str| extracted(commit).join(".docksmith-complete").is_file();
    // The commit a tag or branch was last resolved to.
    let resolved_file = home.join("revs").join(rev.replace('/', "%2F"));
    let remembered = std::fs::read_to_string(&resolved_file)
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|c| is_commit(c));
    if !floating {
        let pinned = if is_commit(rev) {
            Some(rev.to_lowercase())
        } else {
            remembered.clone()
        };
        if let Some(commit) = pinned.filter(|c| done(c)) {
            return Ok(Fetched {
                dir: extracted(&commit),
                commit,
            });
        }
    }
    std::fs::create_dir_all(home.join("revs")).map_err(|e| {
        error(
            &source,
            format!("cannot create the cache {}: {e}", home.display()),
        )
    })?;
    let repo = home.join("repo.git");
    if !repo.join("HEAD").is_file() {
        run(
            Command::new("git")
                .args(["init", "--quiet", "--bare"])
                .arg(&repo)
                .stdin(Stdio::null()),
            &source,
            "git init",
        )?;
    }
    let fetched = run(
        git(&repo).args([
            "fetch",
            "--quiet",
            "--force",
            "--tags",
            "--",
            url,
            "+refs/heads/*:refs/heads/*",
        ]),
        &source,
        "git fetch",
    );
    let commit = match (fetched, floating, remembered) {
        (Ok(_), _, _) => resolve(&repo, rev, floating, &source)?,
        // Offline: a branch stays at the commit last fetched.
        (Err(_), true, Some(commit)) if done(&commit) => commit,
        (Err(e), _, _) => return Err(e),
    };
    if !done(&commit) {
        extract(&repo, &commit, &extracted(&commit), &source)?;
    }
    std::fs::write(&resolved_file, format!("{commit}\n"))
        .map_err(|e| error(&source, format!("cannot write the cache: {e}")))?;
    Ok(Fetched {
        dir: extracted(&commit),
        commit,
    })
}

/// The commit `rev` names: a tag, a commit, or (only when `floating`) a branch.
fn resolve(repo: &Path, rev: &str, floating: bool, source: &str) -> Result<String, StandardsError> {
    let verify = |name: &str| {
        run(
            git(repo).args(["rev-parse", "--verify", "--quiet", "--end-of-options", name]),
            source,
            "git rev-parse",
        )
        .ok()
        .filter(|c| is_commit(c))
    };
    if let Some(commit) = verify(&format!("refs/tags/{rev}^{{commit}}")) {
        return Ok(commit);
    }
    if is_commit(rev)
        && let Some(commit) = verify(&format!("{rev}^{{commit}}"))
    {
        return Ok(commit);
    }
    match verify(&format!("refs/heads/{rev}^{{commit}}")) {
        Some(commit) if floating => Ok(commit),
        Some(_) => Err(error(
            source,
            format!(
                "`{rev}` is a branch, which moves: pin a tag or a commit, or follow it on purpose with `standards = {{ source = \"…\", rev = \"{rev}\", floating = true }}`"
            ),
        )),
        None => Err(error(
            source,
            format!("the repository has no tag, branch or commit `{rev}`"),
        )),
    }
}

/// `git archive` of `commit` unpacked into `target` (through a temporary folder, so
/// a half-extracted pack is never used).
fn extract(repo: &Path, commit: &str, target: &Path, source: &str) -> Result<(), StandardsError> {
    let parent = target.parent().unwrap_or(Path::new("."));
    let temp = tempfile::Builder::new()
        .prefix(".extract-")
        .tempdir_in(parent)
        .map_err(|e| error(source, format!("cannot write the cache: {e}")))?;
    let archive = git(repo)
        .args(["archive", "--format=tar", commit])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| error(source, format!("cannot run git ({e})")))?;
    let status = Command::new("tar")
        .args(["-x", "--no-same-owner", "-C"])
        .arg(temp.path())
        .stdin(archive.stdout.expect("piped"))
        .status()
        .map_err(|e| error(source, format!("cannot run tar ({e})")))?;
    if !status.success() {
        return Err(error(source, "unpacking the pack failed"));
    }
    std::fs::write(temp.path().join(".docksmith-complete"), commit)
        .map_err(|e| error(source, format!("cannot write the cache: {e}")))?;
    let kept = temp.keep();
    if std::fs::rename(&kept, target).is_err() && !target.join(".docksmith-complete").is_file() {
        let _ = std::fs::remove_dir_all(&kept);
        return Err(error(source, "cannot move the pack into the cache"));
    }
    let _ = std::fs::remove_dir_all(&kept);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_transports_and_names_reach_git() {
        for good in [
            "https://git.acme.test/platform/standards.git",
            "file:///srv/standards",
            "git@git.acme.test:platform/standards.git",
            "/srv/standards",
        ] {
            assert!(check_url(good).is_ok(), "{good}");
        }
        for bad in [
            "ext::sh -c touch% /tmp/pwned",
            "fd::3",
            "--upload-pack=touch /tmp/x",
            "-oProxyCommand=x",
            "relative/path",
            "https://a b",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
        for good in ["v2026.12.1", "release/1.2", &"a".repeat(40)] {
            assert!(check_rev(good).is_ok(), "{good}");
        }
        for bad in ["--output=/etc/x", "a..b", "", "v1;rm", "/abs"] {
            assert!(check_rev(bad).is_err(), "{bad}");
        }
    }
}
