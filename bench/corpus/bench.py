#!/usr/bin/env python3
"""docksmith on real repositories: zero-flag `init`, then (optionally) build, run, probe.

    bench/corpus/bench.py REPOS [--build] [--only WORD ...] [--fresh] [--out DIR]

REPOS is a folder of fetched git repositories (DEVELOPERS.md says how to fetch them):
for `owner/name` it looks for `owner+name/repo`, `owner+name`, `owner/name` or `name`,
each a git directory or a clone. Nothing is fetched here and nothing fetched is kept
outside `--out` (default target/corpus).

The first stage takes seconds for the whole corpus: each repository is extracted at its
pinned commit, `docksmith init` runs with no terminal and only the corpus' `flags`, and
`docksmith plan --json` says what the image starts and exposes. `--build` adds the slow
stage: `docker build --network host` with the engine of ../shared/imageforge, then a run
and a probe (HTTP or TCP on the port, or the CLI's arguments exiting 0). Build results
are kept in `--out`/state.json and reused while the commit and the generated Dockerfile
are unchanged, so a pass can be spread over sessions; `--only go` or `--only whoami`
takes a subset. It is a benchmark, not a test: it never fails, it reports.
"""

import argparse
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCKER = ROOT.parent / "shared" / "imageforge" / "bin" / "docker"
# Seconds a build may take (--timeout).
TIMEOUT = [1800]


def main():
    args = parse_args()
    TIMEOUT[0] = args.timeout
    corpus = tomllib.loads((ROOT / "bench/corpus/corpus.toml").read_text())["repo"]
    chosen = [r for r in corpus if selected(r, args.only)]
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    state_file = out / "state.json"
    state = {} if args.fresh or not state_file.exists() else json.loads(state_file.read_text())
    docksmith = build_docksmith()
    rows = []
    for repo in chosen:
        slug = repo["repo"].replace("/", "+")
        entry = state.setdefault(slug, {})
        result = generate(repo, Path(args.repos), out, docksmith)
        entry["generate"] = result
        if args.build and result.get("handled") and repo.get("blocked"):
            # The build cannot run on this machine (an image the stand-ins lack): not
            # attempted, and not counted.
            entry["image"] = {"blocked": repo["blocked"], "why": f"blocked here: {repo['blocked']}",
                              "dockerfile_sha": result["dockerfile_sha"]}
        elif args.build and result.get("handled"):
            entry["image"] = build_and_run(repo, result, out, entry.get("image"))
        state_file.write_text(json.dumps(state, indent=1, sort_keys=True))
        rows.append((repo, entry))
        print(progress_line(repo, entry), file=sys.stderr)
    report = render(rows, args)
    (out / "report.md").write_text(report)
    print(report)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repos", help="folder of fetched git repositories")
    parser.add_argument("--build", action="store_true", help="also build, run and probe")
    parser.add_argument("--only", action="append", default=[],
                        help="a language or part of a repository name (repeatable)")
    parser.add_argument("--fresh", action="store_true", help="forget earlier build results")
    parser.add_argument("--out", default=str(ROOT / "target/corpus"))
    parser.add_argument("--timeout", type=int, default=1800, help="seconds per build")
    return parser.parse_args()


LANGUAGES = {"go", "rust", "node", "python", "java"}


def selected(repo, only):
    """A language name selects that language; any other word, the repositories
    whose name contains it."""
    if not only:
        return True
    return any(word == repo["language"] if word in LANGUAGES
               else word.lower() in repo["repo"].lower() for word in only)


def build_docksmith():
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    return ROOT / "target/release/docksmith"


# ---- the first stage: extract, init, plan ----

def git_dir(repos, name):
    owner, short = name.split("/")
    for candidate in [repos / f"{owner}+{short}" / "repo", repos / f"{owner}+{short}",
                      repos / owner / short, repos / short]:
        if (candidate / "HEAD").exists():
            return candidate
        if (candidate / ".git").exists():
            return candidate / ".git"
    return None


def extract(git, commit, dest):
    """The tree at `commit`; blobs the snapshot lacks (large files) are skipped."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "--git-dir", str(git), "archive", commit],
                             capture_output=True)
    if archive.returncode == 0:
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
        return 0
    listing = subprocess.run(["git", "--git-dir", str(git), "ls-tree", "-r", "-z", commit],
                             capture_output=True, check=True).stdout.split(b"\0")
    missing = 0
    for line in filter(None, listing):
        meta, path = line.split(b"\t", 1)
        mode, kind, sha = meta.split()
        if kind != b"blob":
            continue
        blob = subprocess.run(["git", "--git-dir", str(git), "cat-file", "blob", sha],
                              capture_output=True)
        if blob.returncode != 0:
            missing += 1
            continue
        target = dest / os.fsdecode(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        if mode == b"120000":
            target.symlink_to(os.fsdecode(blob.stdout))
        else:
            target.write_bytes(blob.stdout)
            if mode == b"100755":
                target.chmod(0o755)
    return missing


def generate(repo, repos, out, docksmith):
    git = git_dir(repos.resolve(), repo["repo"])
    if git is None:
        return {"error": "not fetched"}
    tree = out / "work" / repo["repo"].replace("/", "+")
    missing = extract(git, repo["commit"], tree)
    project = tree / repo.get("dir", "")
    # The bench measures what docksmith writes: the project's own Dockerfile and
    # .dockerignore are set aside (init never overwrites a hand-written one).
    for own in ["Dockerfile", ".dockerignore"]:
        if (project / own).is_symlink() or (project / own).exists():
            (project / own).rename(project / f"{own}.upstream")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCKSMITH_")}
    started = time.monotonic()
    init = subprocess.run([str(docksmith), "init", str(project), *repo.get("flags", [])],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, env=env)
    seconds = time.monotonic() - started
    result = {"missing_blobs": missing, "init_exit": init.returncode,
              "init_seconds": round(seconds, 3),
              "message": last_lines(init.stderr, 3)}
    dockerfile = project / "Dockerfile"
    if init.returncode != 0 or not dockerfile.exists():
        result["handled"] = False
        return result
    plan = subprocess.run([str(docksmith), "plan", "--json", str(project)],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, env=env)
    if plan.returncode != 0:
        result["handled"] = False
        result["message"] = last_lines(plan.stderr, 3)
        return result
    plan = json.loads(plan.stdout)
    runtime = plan["runtime"]
    start = runtime.get("entrypoint", []) + runtime.get("command", [])
    expose = (runtime.get("expose") or {}).get("value")
    result.update({
        "handled": True,
        "language": plan["language"],
        "flavor": plan["flavor"]["value"],
        "start": start,
        "expose": expose,
        "warnings": [w["message"] for w in plan.get("warnings", [])],
        # What a build depends on: the Dockerfile and the context's .dockerignore.
        "dockerfile_sha": hashlib.sha256(
            dockerfile.read_bytes() + b"\0" + read_or_empty(project / ".dockerignore")
        ).hexdigest()[:16],
        "project": str(project),
    })
    result["right_start"] = repo["start"] in " ".join(start)
    result["right_port"] = port_matches(repo["port"], expose)
    return result


def read_or_empty(path):
    return path.read_bytes() if path.exists() else b""


def port_matches(expected, expose):
    if expected == "none":
        return expose is None
    if expected == "static":
        return expose is not None
    if isinstance(expected, list):
        return expose in expected
    return expose == expected


def last_lines(text, n):
    return " / ".join(line.strip() for line in text.strip().splitlines()[-n:])


# ---- the second stage: build, run, probe ----

def build_and_run(repo, generated, out, earlier):
    same = earlier and earlier.get("dockerfile_sha") == generated["dockerfile_sha"] \
        and earlier.get("commit") == repo["commit"] \
        and earlier.get("probe_spec") == repr(repo["probe"])
    if same:
        return earlier
    slug = repo["repo"].replace("/", "+")
    tag = "docksmith-corpus/" + "".join(c if c.isalnum() or c in "._-" else "-"
                                        for c in slug.lower()) + ":latest"
    logs = out / "logs"
    logs.mkdir(exist_ok=True)
    result = {"commit": repo["commit"], "dockerfile_sha": generated["dockerfile_sha"],
              "probe_spec": repr(repo["probe"])}
    # No registry is reachable here, so the `# syntax=` frontend cannot be fetched:
    # build the same file without that line, as `--syntax none` writes it (the e2e
    # tests prove the two build alike).
    project = Path(generated["project"])
    dockerfile = logs / f"{slug}.Dockerfile"
    dockerfile.write_text("".join(line for line in (project / "Dockerfile").read_text()
                                  .splitlines(keepends=True)
                                  if not line.startswith("# syntax=")))
    started = time.monotonic()
    try:
        build = subprocess.run([str(DOCKER), "build", "--network", "host", "--progress",
                                "plain", "-t", tag, "-f", str(dockerfile), str(project)],
                               capture_output=True, text=True, timeout=args_timeout())
        (logs / f"{slug}.build.log").write_text(build.stdout + build.stderr)
        result["built"] = build.returncode == 0
        if not result["built"]:
            result["why"] = build_failure(build.stdout + build.stderr)
    except subprocess.TimeoutExpired:
        result["built"] = False
        result["why"] = f"build exceeded {args_timeout()} s"
    result["build_seconds"] = round(time.monotonic() - started)
    if not result["built"]:
        return result
    size = subprocess.run([str(DOCKER), "image", "inspect", "--format", "{{.Size}}", tag],
                          capture_output=True, text=True)
    result["size_mb"] = round(int(size.stdout.strip() or 0) / 1e6, 1)
    if repo.get("needs"):
        result["ran"] = None
        result["why"] = f"needs {repo['needs']}"
        return result
    result["ran"], result["probe"] = probe(repo, generated, tag, logs / f"{slug}.run.log")
    return result


def args_timeout():
    return TIMEOUT[0]


def build_failure(log):
    """The first error line BuildKit printed, for the table."""
    for line in log.splitlines():
        if "ERROR:" in line or "error:" in line.lower():
            return line.strip()[:160]
    return last_lines(log, 1)[:160]


def probe(repo, generated, tag, log):
    if isinstance(repo["probe"], list):
        try:
            run = subprocess.run([str(DOCKER), "run", "--rm", "--network", "host", tag,
                                  *repo["probe"]], capture_output=True, text=True, timeout=120)
        except subprocess.TimeoutExpired:
            return False, "timed out"
        log.write_text(run.stdout + run.stderr)
        return run.returncode == 0, f"exit {run.returncode}"
    port = generated["expose"] or (repo["port"] if isinstance(repo["port"], int) else None)
    if port is None:
        return False, "no port to probe"
    if listening(port):
        return None, f"port {port} is busy on this machine"
    name = "corpus-" + tag.split("/")[1].split(":")[0]
    subprocess.run([str(DOCKER), "rm", "-f", name], capture_output=True)
    subprocess.run([str(DOCKER), "run", "-d", "--network", "host", "--name", name, tag],
                   capture_output=True)
    deadline = time.monotonic() + 60
    answer = None
    while time.monotonic() < deadline and answer is None:
        answer = http_status(port) if repo["probe"] == "http" else \
            ("connected" if listening(port) else None)
        if answer is None:
            time.sleep(0.5)
    logs = subprocess.run([str(DOCKER), "logs", name], capture_output=True, text=True)
    log.write_text(logs.stdout + logs.stderr)
    subprocess.run([str(DOCKER), "rm", "-f", name], capture_output=True)
    if answer is None:
        return False, f"nothing on :{port} in 60 s: {last_lines(logs.stderr or logs.stdout, 1)[:120]}"
    return True, f"{answer} on :{port}"


def listening(port):
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def http_status(port):
    """The status line of GET /, or None when nothing answers HTTP."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n")
            line = s.recv(200).split(b"\r\n")[0].decode(errors="replace")
            return line if line.startswith("HTTP/") else None
    except OSError:
        return None


# ---- the report ----

def current_image(entry):
    """The build result, when it is for the Dockerfile docksmith writes now. A build
    that failed fetching a base image from Docker Hub (a tag the stand-ins lack, such
    as a toolchain pinned past them) is blocked here, like the corpus' `blocked`."""
    image = entry.get("image") or {}
    same = image.get("dockerfile_sha") == entry["generate"].get("dockerfile_sha")
    if not (image and same):
        return {}
    if image.get("built") is False and "registry-1.docker.io" in image.get("why", ""):
        tag = re.search(r"library/([\w.-]+)/manifests/([\w.-]+)", image["why"])
        missing = f"{tag[1]}:{tag[2]}" if tag else "a base image"
        return {**image, "blocked": f"{missing} has no stand-in here",
                "why": f"blocked here: {missing} has no stand-in (no registry)"}
    return image


def incomplete(entry):
    """Files the mirror lacked, when the build then failed (else 0)."""
    image = current_image(entry)
    if image and image.get("built") is False:
        return entry["generate"].get("missing_blobs", 0)
    return 0


def progress_line(repo, entry):
    g = entry["generate"]
    image = current_image(entry)
    return f"{repo['repo']}: init {g.get('init_exit')}, start {g.get('right_start')}, " \
           f"port {g.get('right_port')}, built {image.get('built')}, ran {image.get('ran')}"


def mark(value):
    return {True: "yes", False: "**no**", None: "–"}[value]


def render(rows, args):
    lines = ["| repo | lang | handled | start | port (exposed) | built | ran | why |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for repo, entry in rows:
        g = entry["generate"]
        image = current_image(entry)
        why = g.get("message", "") if not g.get("handled") else image.get("why", "")
        if incomplete(entry):
            why = f"not counted: {incomplete(entry)} files absent from the mirror; {why}"
        if g.get("handled") and not why and (not g["right_start"] or not g["right_port"]):
            why = f"starts {' '.join(g['start'])[:60]}"
        lines.append("| {} | {} | {} | {} | {} ({}) | {} | {} | {} |".format(
            repo["repo"], repo["language"], mark(g.get("handled")),
            mark(g.get("right_start")), mark(g.get("right_port")), g.get("expose"),
            mark(image.get("built")), mark(image.get("ran")),
            why.replace("|", "\\|")[:140]))
    lines.append("")
    for language in sorted({r["language"] for r, _ in rows}) + ["all"]:
        subset = [(r, e) for r, e in rows if language in ("all", r["language"])]
        lines.append(summary(language, subset))
    return "\n".join(lines) + "\n"


def summary(language, rows):
    n = len(rows)
    handled = sum(1 for _, e in rows if e["generate"].get("handled"))
    start = sum(1 for _, e in rows if e["generate"].get("right_start"))
    listeners = [(r, e) for r, e in rows if r["port"] != "none"]
    port = sum(1 for _, e in listeners if e["generate"].get("right_port"))
    images = [current_image(e) for _, e in rows
              if current_image(e) and not current_image(e).get("blocked")]
    built = sum(1 for i in images if i.get("built"))
    runnable = [i for i in images if i.get("built") and i.get("ran") is not None]
    ran = sum(1 for i in runnable if i.get("ran"))
    # Built and ran: of the builds attempted for repos that can run here (no service or
    # configuration they need is missing), those that built and answered the probe.
    # A failed build of a repository whose mirror lacks some blobs (the fetch leaves
    # out the largest) says nothing about docksmith: left out, and said in the table.
    runs_here = [(r, i) for r, e in rows for i in [current_image(e)]
                 if i and not i.get("blocked") and not r.get("needs")
                 and not incomplete(e)]
    both = sum(1 for _, i in runs_here if i.get("built") and i.get("ran"))
    return (f"{language}: {n} repos; handled {handled}/{n}; right start command {start}/{n}; "
            f"right port {port}/{len(listeners)} listeners; built {built}/{len(images)} "
            f"attempted; ran {ran}/{len(runnable)} runnable here; "
            f"built and ran {both}/{len(runs_here)}")


if __name__ == "__main__":
    main()
