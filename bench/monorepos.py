#!/usr/bin/env python3
"""docksmith on real monorepos: `init --all`, one `docker buildx bake`, every image run.

    bench/monorepos.py REPOS [--only WORD ...] [--out DIR]

REPOS is the folder of fetched repositories (as for bench/corpus/bench.py); the list
is bench/corpus/monorepos.toml. Each repository is extracted at its pinned commit into
`--out` (default target/monorepos), `docksmith init --all --syntax none` writes its
files (no registry here serves the `# syntax=` frontend), `docksmith plan --all --json`
says what each image exposes, and `docker buildx bake --allow=network.host --set
'*.network=host'` builds every app in parallel (needs ../shared/imageforge/buildx-up).
Each image is then run and probed. It is a benchmark: it never fails, it reports
(report.md in --out, and stdout).
"""

import argparse
import json
import os
import subprocess
import sys
import time
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "corpus"))
import bench  # noqa: E402  (the corpus bench: extraction, probes)

ROOT = bench.ROOT
DOCKER = bench.DOCKER


def main():
    args = parse_args()
    repos = tomllib.loads((ROOT / "bench/corpus/monorepos.toml").read_text())["repo"]
    chosen = [r for r in repos if not args.only or any(w.lower() in r["repo"].lower()
                                                        for w in args.only)]
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    docksmith = bench.build_docksmith()
    rows = []
    for repo in chosen:
        rows.extend(run_repo(repo, Path(args.repos).resolve(), out, docksmith))
        print(f"{repo['repo']}: done", file=sys.stderr)
    report = render(rows)
    (out / "report.md").write_text(report)
    print(report)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repos", help="folder of fetched git repositories")
    parser.add_argument("--only", action="append", default=[],
                        help="part of a repository name (repeatable)")
    parser.add_argument("--out", default=str(ROOT / "target/monorepos"))
    return parser.parse_args()


def run_repo(repo, repos, out, docksmith):
    """One row per app: (repo, app, status, seconds, size, probe)."""
    name = repo["repo"]
    if repo.get("gap"):
        return [(name, app, "gap", "", "", repo["gap"]) for app in repo["apps"]]
    git = bench.git_dir(repos, name)
    if git is None:
        return [(name, "-", "not fetched", "", "", "")]
    slug = name.replace("/", "+")
    tree = out / "work" / slug
    bench.extract(git, repo["commit"], tree)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCKSMITH_")}
    init = subprocess.run([str(docksmith), "init", "--all", "--syntax", "none", str(tree)],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, env=env)
    if init.returncode != 0:
        return [(name, "-", "init failed", "", "", bench.last_lines(init.stderr, 2))]
    plan = subprocess.run([str(docksmith), "plan", "--all", "--json", str(tree)],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, env=env)
    planned = {a["app"]["target"]: a["plan"] for a in json.loads(plan.stdout)["apps"]}
    blocked = repo.get("blocked", {})
    targets = [app for app in planned if app not in blocked]
    registry = "docksmith-monorepos/" + "".join(c if c.isalnum() or c in "._-" else "-"
                                                 for c in slug.lower())
    logs = out / "logs"
    logs.mkdir(exist_ok=True)
    started = time.monotonic()
    build = subprocess.run([str(DOCKER), "buildx", "bake", "--allow=network.host", "--set",
                            "*.network=host", "--progress", "plain", *targets],
                           cwd=tree, capture_output=True, text=True,
                           env={**env, "REGISTRY": registry, "TAG": "bench"})
    seconds = round(time.monotonic() - started)
    (logs / f"{slug}.bake.log").write_text(build.stdout + build.stderr)
    rows = []
    for app, plan in planned.items():
        if app in blocked:
            rows.append((name, app, "blocked", "", "", blocked[app]))
            continue
        if build.returncode != 0:
            rows.append((name, app, "bake failed", seconds, "",
                         bench.build_failure(build.stdout + build.stderr)))
            continue
        tag = f"{registry}/{app}:bench"
        size = subprocess.run([str(DOCKER), "image", "inspect", "--format", "{{.Size}}", tag],
                              capture_output=True, text=True).stdout.strip()
        spec = repo["apps"].get(app, [])
        expose = ((plan.get("runtime") or {}).get("expose") or {}).get("value")
        probe_repo = {"probe": spec, "port": expose}
        generated = {"expose": expose}
        ran, said = bench.probe(probe_repo, generated, tag, logs / f"{slug}.{app}.run.log")
        rows.append((name, app, "ran" if ran else "built, probe failed", seconds,
                     f"{int(size or 0) / 1e6:.1f} MB", said))
    return rows


def render(rows):
    lines = ["| repository | app | result | bake (s, all apps) | image | probe / why |",
             "| --- | --- | --- | --- | --- | --- |"]
    for row in rows:
        lines.append("| " + " | ".join(str(c) for c in row) + " |")
    ran = sum(1 for r in rows if r[2] == "ran")
    attempted = sum(1 for r in rows if r[2] not in ("gap", "blocked", "not fetched"))
    lines.append("")
    lines.append(f"{ran} of {attempted} apps built and ran; "
                 f"{sum(1 for r in rows if r[2] == 'blocked')} blocked here, "
                 f"{sum(1 for r in rows if r[2] == 'gap')} in a known gap.")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
