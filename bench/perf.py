#!/usr/bin/env python3
"""docksmith's performance side by side: image size against the floor and the naive
Dockerfile, rebuild cost, and generator speed against nixpacks. One command:

    bench/perf.py [--sections sizes,rebuild,plan] [--only WORD ...] [--rebuild-all]
                  [--repos /work/.mirror] [--out target/bench]

It writes `perf.md` and `perf.json` (the tables) and `sizes.png` (final size and floor
per example) into --out, and prints the markdown. It is a benchmark, not a test: it
reports, it never fails on a goal missed. Its tools (nixpacks from crates.io,
@vercel/nft and matplotlib) go into --out/tools on first use and are never committed.
The engine is ../shared/imageforge's, builds use `--network host`.

sizes    every example docksmith builds here, in its default flavor: final size, the
         floor (the smallest base able to run the artifact plus the bytes the process
         needs: for Node the files @vercel/nft traces from the entry, the tracer
         Next.js uses for its standalone output; otherwise what the image adds on top
         of its base), and the naive single-stage image (full builder + COPY . . +
         install), with final/floor and naive/final.
rebuild  per example (one per ecosystem unless --rebuild-all): cold build with an
         empty BuildKit cache (WARNING: `docker builder prune -af`), warm rebuild after
         editing one source file, and after adding one dependency; which steps re-ran.
plan     `docksmith plan` against `nixpacks plan` (CPU time and peak memory, median of
         5) on the corpus repositories found under --repos, and docksmith on a
         synthetic monorepo of 100,000 files.
"""

import argparse
import functools
import hashlib
import json
import os
import re
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCKER = str(ROOT.parent / "shared" / "imageforge" / "bin" / "docker")
sys.path.insert(0, str(ROOT / "bench" / "corpus"))
import bench as corpus  # noqa: E402  (the corpus' extract and git_dir)

# The rebuild table's default set: one example per ecosystem and install tool.
REBUILD_DEFAULT = ["go-http", "rust-axum", "node-express-npm", "node-nextjs",
                   "python-flask-pip", "java-spring-boot"]
# The dependency each ecosystem adds (all served by this machine's registries).
GO_DEP = "github.com/google/uuid@v1.6.0"
RUST_DEP = "itoa@1"
NPM_DEP = "is-number@7.0.0"
PY_DEP = "six==1.16.0"
MAVEN_DEP = ("junit", "junit", "4.13.2")
# Steps that install dependencies: none of them may re-run after a source edit.
DEPENDENCY_STEP = re.compile(
    r"npm ci|npm install|pnpm install|yarn install|yarn --|bun install|pip install|"
    r"uv sync|uv pip|poetry install|pipenv|go mod download|cargo fetch|cargo chef cook|"
    r"dependency:go-offline|apt-get install")


def main():
    args = parse_args()
    out = Path(args.out).resolve()
    (out / "tools").mkdir(parents=True, exist_ok=True)
    docksmith = corpus.build_docksmith()
    # A run of some sections (or of --only some examples) updates the last report: the
    # rest of it is carried over, each section with the time it was measured.
    previous = out / "perf.json"
    report = json.loads(previous.read_text()) if previous.exists() else {}
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    if "sizes" in args.sections:
        rows = sizes_section(docksmith, out, args.only)
        report["sizes"] = merged(report.get("sizes"), rows, "example", args.only)
        report.setdefault("measured", {})["sizes"] = stamp
    if "rebuild" in args.sections:
        chosen = None if args.rebuild_all else REBUILD_DEFAULT
        rows = rebuild_section(docksmith, out, args.only, chosen)
        report["rebuild"] = merged(report.get("rebuild"), rows, "example", args.only)
        report.setdefault("measured", {})["rebuild"] = stamp
    if "plan" in args.sections:
        report["plan"] = plan_section(docksmith, out, Path(args.repos))
        report.setdefault("measured", {})["plan"] = stamp
    (out / "perf.json").write_text(json.dumps(report, indent=2) + "\n")
    markdown = render(report)
    (out / "perf.md").write_text(markdown)
    if report.get("sizes"):
        chart(report["sizes"], out)
    print(markdown)
    print(f"written: {out}/perf.md, perf.json" + (", sizes.png" if report.get("sizes") else ""))


def merged(earlier, rows, key, only):
    """`rows` replace the earlier rows of the same key; with --only the others stay."""
    if not only or not earlier:
        return rows
    fresh = {r[key]: r for r in rows}
    kept = [fresh.pop(r[key], r) for r in earlier]
    return sorted(kept + list(fresh.values()), key=lambda r: r[key])


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sections", default="sizes,rebuild,plan",
                   type=lambda s: [x for x in s.split(",") if x])
    p.add_argument("--only", nargs="*", default=[], help="examples whose name contains a word")
    p.add_argument("--rebuild-all", action="store_true", help="every example in the rebuild table")
    p.add_argument("--repos", default="/work/.mirror", help="fetched corpus repositories")
    p.add_argument("--out", default=str(ROOT / "target" / "bench"))
    return p.parse_args()


# ---- the engine -------------------------------------------------------------------

def docker(*args, input=None, check=True):
    run = subprocess.run([DOCKER, *args], input=input, capture_output=True, text=True)
    if check and run.returncode != 0:
        raise RuntimeError(f"docker {' '.join(args[:3])}: {run.stderr[-2000:]}")
    return run.stdout


def build(context, tag, dockerfile=None):
    """Builds; returns (seconds, plain progress log). `dockerfile` text replaces the file."""
    own = Path(context) / "Dockerfile"
    text = dockerfile if dockerfile is not None else (own.read_text() if own.exists() else "")
    for image in re.findall(r"(?im)^FROM\s+(?:--\S+\s+)*(\S+)", text):
        ensure_base(image)
    cmd = [DOCKER, "build", "--network", "host", "--progress", "plain", "-t", tag]
    if dockerfile is not None:
        cmd += ["-f", "-"]
    start = time.monotonic()
    run = subprocess.run(cmd + [str(context)], input=dockerfile, capture_output=True, text=True)
    seconds = time.monotonic() - start
    if run.returncode != 0:
        raise RuntimeError(f"build {tag} failed:\n{run.stderr[-3000:]}")
    return seconds, run.stderr


def ensure_base(image):
    """The forge tags its stand-ins by minor version (`rust:1.95-slim-bookworm`); a
    Dockerfile pinning a patch release (`rust:1.95.0-slim-bookworm`, from a pinned
    rust-toolchain.toml) gets that tag as an alias of the minor one, as the e2e
    harness does (tests/e2e/engine.rs, ensure_base)."""
    def present(tag):
        return subprocess.run([DOCKER, "image", "inspect", tag], capture_output=True).returncode == 0

    match = re.fullmatch(r"([^:@]+):(\d+)\.(\d+)\.\d+((?:-[^@]+)?)", image)
    if not match or present(image):
        return
    repo, major, minor, variant = match.groups()
    alias = f"{repo}:{major}.{minor}{variant}"
    if present(alias):
        docker("tag", alias, image)


def image_size(tag):
    return int(docker("image", "inspect", "-f", "{{.Size}}", tag).strip())


def image_tree(tag):
    """Every regular file of the image: path -> bytes (hard links counted once)."""
    cid = docker("create", "--entrypoint", "/none", tag, "none").strip()
    try:
        proc = subprocess.Popen([DOCKER, "export", cid], stdout=subprocess.PIPE)
        files = {}
        with tarfile.open(fileobj=proc.stdout, mode="r|") as tar:
            for member in tar:
                if member.isfile():
                    files[member.name.lstrip("./")] = member.size
        proc.wait()
        return files
    finally:
        docker("rm", cid, check=False)


@functools.lru_cache(maxsize=None)
def base_tree(tag):
    """A base image's files, exported once per run (30 Node examples share one base)."""
    return image_tree(tag)


def export_subtree(tag, prefix, dest):
    """Extracts the image's files under `prefix` (no leading slash) into dest."""
    cid = docker("create", "--entrypoint", "/none", tag, "none").strip()
    try:
        proc = subprocess.Popen([DOCKER, "export", cid], stdout=subprocess.PIPE)
        with tarfile.open(fileobj=proc.stdout, mode="r|") as tar:
            for member in tar:
                name = member.name.lstrip("./")
                if name == prefix or name.startswith(prefix.rstrip("/") + "/"):
                    if member.isfile() or member.isdir() or member.issym():
                        tar.extract(member, dest, filter="tar")
        proc.wait()
    finally:
        docker("rm", cid, check=False)


# ---- sizes ------------------------------------------------------------------------

def examples(only):
    names = sorted(p.name for p in (ROOT / "examples").iterdir()
                   if p.is_dir() and (p / "expected").is_dir() and p.name != "standards")
    return [n for n in names if not only or any(w in n for w in only)]


def prepared(docksmith, name, work, flags=()):
    """A copy of the example with docksmith's files in it, and its plan."""
    dest = work / name
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(ROOT / "examples" / name, dest, ignore=shutil.ignore_patterns("expected"))
    subprocess.run([str(docksmith), "init", str(dest), "--syntax", "none", *flags],
                   check=True, capture_output=True, stdin=subprocess.DEVNULL)
    plan = json.loads(subprocess.run([str(docksmith), "plan", str(dest), "--json", *flags],
                                     check=True, capture_output=True, text=True).stdout)
    return dest, plan


def not_built_here(plan):
    if plan["builder"]["value"].startswith("gradle:"):
        return "Gradle cannot be downloaded here"
    if plan["runtime"]["libc"] == "musl":
        return "alpine (musl) images cannot be built here"
    return None


def sizes_section(docksmith, out, only):
    """One row per example. Rows are kept in sizes-state.json and reused while the
    generated Dockerfile is the same, so an interrupted run resumes where it stopped."""
    work = out / "work"
    state_file = out / "sizes-state.json"
    state = json.loads(state_file.read_text()) if state_file.exists() else {}
    rows = []
    for name in examples(only):
        print(f"sizes: {name}", file=sys.stderr)
        try:
            dest, plan = prepared(docksmith, name, work)
            sha = hashlib.sha256((dest / "Dockerfile").read_bytes()).hexdigest()
            earlier = state.get(name, {})
            if earlier.get("dockerfile_sha") == sha and not earlier.get("error") \
                    and (earlier.get("skipped") or earlier.get("final")):
                # The builds are the same: their sizes stand, the floor is measured again.
                row = dict(earlier)
                if row.get("final"):
                    row.update(floor(plan, f"docksmith-bench/{name}:final", out))
                    if row.get("naive_error"):
                        naive_size(row, name, dest, plan)
                    ratios(row)
            else:
                row = size_row(name, dest, plan, out)
                row["dockerfile_sha"] = sha
        except Exception as e:  # a benchmark reports, it does not stop
            row = {"example": name, "error": str(e)[-400:]}
        rows.append(row)
        state[name] = row
        state_file.write_text(json.dumps(state, indent=1))
    return rows


def size_row(name, dest, plan, out):
    row = {"example": name, "language": plan["language"], "flavor": plan["flavor"]["value"],
           "runtime": plan["runtime"]["image"]["value"]}
    why = not_built_here(plan)
    if why:
        row["skipped"] = why
        return row
    tag = f"docksmith-bench/{name}:final"
    build(dest, tag)
    row["final"] = image_size(tag)
    row.update(floor(plan, tag, out))
    naive_size(row, name, dest, plan)
    ratios(row)
    return row


def naive_size(row, name, dest, plan):
    naive = naive_dockerfile(plan, dest)
    if not naive:
        return
    try:
        build(dest, f"docksmith-bench/{name}:naive", naive)
        row["naive"] = image_size(f"docksmith-bench/{name}:naive")
        row.pop("naive_error", None)
    except RuntimeError as e:
        # One stage cannot build every project (a front end built first, a C library
        # to install): the naive column stays empty, with the reason.
        row["naive_error"] = last_error_line(str(e))


def ratios(row):
    if row.get("floor"):
        row["final_over_floor"] = round(row["final"] / row["floor"], 3)
    if row.get("naive"):
        row["naive_over_final"] = round(row["naive"] / row["final"], 2)


def last_error_line(log):
    """The compiler's or tool's own error line from a failed build's log."""
    lines = [re.sub(r"^#\d+ [0-9.]+ ", "", l).strip() for l in log.splitlines()]
    lines = [l for l in lines if l and not l.startswith(("ERROR:", "------", ">", "#"))
             and "executor failed" not in l and not re.match(r"^[0-9]+ \|", l)]
    errors = [l for l in lines if re.search(r"error|fatal|not found", l, re.I)]
    return (errors or lines or ["failed"])[0][:120]


def floor_base(plan):
    """The smallest image that can run the artifact, and why."""
    language, runtime = plan["language"], plan["runtime"]
    image = runtime["image"]["value"]
    if language == "go":
        if plan["go"]["cgo"]["value"]:
            return "gcr.io/distroless/base-debian12:nonroot", "a cgo binary needs glibc"
        return "scratch", "a static binary needs no libraries"
    if language == "rust":
        if image == "scratch":
            return "scratch", "a static binary needs no libraries"
        return "gcr.io/distroless/cc-debian12:nonroot", "Rust's std links glibc and libgcc_s"
    if language == "node":
        if "nginx" in image or "caddy" in image:
            return image, "a static site needs a web server (the smallest here)"
        major = plan["node"].get("node", {}).get("value")
        if major is None:
            return image, "Bun's own image"
        return f"gcr.io/distroless/nodejs{major}-debian12:nonroot", "Node alone"
    if language == "python":
        return "gcr.io/distroless/cc-debian12:nonroot", "the interpreter alone, on glibc"
    if language == "java":
        java = plan["java"]["java"]["value"]
        return f"gcr.io/distroless/java{java}-debian12:nonroot", "a JRE"
    return image, "its own runtime"


def floor(plan, tag, out):
    """The floor: the smallest base's bytes plus the bytes the process needs."""
    base, why = floor_base(plan)
    base_bytes = 0 if base == "scratch" else image_size(base)
    own_base = plan["runtime"]["image"]["value"]
    final = image_tree(tag)
    under = {} if own_base == "scratch" else base_tree(own_base)
    added = {p: s for p, s in final.items() if under.get(p) != s}
    how = "what the image adds on top of its base"
    if plan["language"] == "java":
        # The floor's JRE is distroless java's: the app's own files alone.
        added = {p: s for p, s in added.items() if not p.startswith("opt/java/")}
        how = "the application's files (the JRE is the base's)"
    payload = sum(added.values())
    traced = node_trace(plan, tag, out) if plan["language"] == "node" else None
    if traced is not None:
        payload, how = traced, "the files @vercel/nft traces from the entry"
    return {"floor": base_bytes + payload, "floor_base": base, "floor_base_bytes": base_bytes,
            "payload": payload, "floor_why": f"{why}; payload: {how}"}


def node_trace(plan, tag, out):
    """Bytes of the files the entry needs, as @vercel/nft traces them; None if no JS entry."""
    runtime = plan["runtime"]
    argv = [a for a in runtime.get("entrypoint", []) + runtime.get("command", [])
            if not a.startswith("-") and a not in ("/usr/bin/tini", "--")]
    workdir = runtime.get("user_workdir") or "/app"
    # Every script the command names: a serve CLI is handed the server build it
    # imports at run time (react-router-serve build/server/index.js), which a trace of
    # the CLI alone cannot follow.
    entries = [a for a in argv if re.search(r"\.(c|m)?js$", a) or a.startswith("node_modules/")]
    if not entries:
        return None
    tools = ensure_nft(out)
    dest = out / "work" / "trace"
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    export_subtree(tag, workdir.lstrip("/"), dest)
    root = (dest / workdir.lstrip("/")).resolve()
    script = ("const {nodeFileTrace}=require('@vercel/nft');const fs=require('fs');"
              "(async()=>{const r=await nodeFileTrace(process.argv[1].split('\\n'),"
              "{base:process.argv[2]});"
              "let n=0;for(const f of r.fileList){const p=require('path').join(process.argv[2],f);"
              "try{const s=fs.lstatSync(p);if(s.isFile())n+=s.size}catch{}}console.log(n)})()")
    files = "\n".join(str(root / e) for e in entries if (root / e).exists())
    run = subprocess.run(["node", "-e", script, files, str(root)],
                         cwd=tools, capture_output=True, text=True)
    shutil.rmtree(dest)
    return int(run.stdout.strip()) if run.returncode == 0 and run.stdout.strip() else None


def ensure_nft(out):
    tools = out / "tools"
    if not (tools / "node_modules" / "@vercel" / "nft").exists():
        if not (tools / "package.json").exists():
            (tools / "package.json").write_text('{"private": true}\n')
        subprocess.run(["npm", "install", "-q", "@vercel/nft@0.29"], cwd=tools, check=True,
                       capture_output=True)
    return tools


def naive_dockerfile(plan, dest):
    """The single-stage Dockerfile people write first: the full builder image, the whole
    project, the install and build; nothing removed."""
    language = plan["language"]
    section = plan[language]
    builder = plan["builder"]["value"]
    q = shlex.join
    if language == "go":
        return f"FROM {builder}\nWORKDIR /src\nCOPY . .\nRUN {q(section['go_build'])}\n"
    if language == "rust":
        build = [a for a in section["cargo_build"]]
        return f"FROM {builder}\nWORKDIR /src\nCOPY . .\nRUN {q(build)}\n"
    if language == "java":
        return (f"FROM {builder}\nWORKDIR /src\nCOPY . .\n"
                f"RUN {q(section['package'])}\n")
    if language == "node":
        major = (section.get("node") or {}).get("value", 24)
        tool = section["package_manager"]["value"].split()[0].split("@")[0]
        if tool == "bun":
            return ("FROM oven/bun:1\nWORKDIR /app\nCOPY . .\n"
                    "RUN bun install && bun run --if-present build\n")
        # pnpm where the project uses it (npm cannot read its `workspace:` protocol),
        # else npm, as people write it first.
        if tool == "pnpm":
            steps = [q(s) for s in section.get("setup", [])] + [" ".join(section["install"])]
            install, runner = " && ".join(steps), tool
        else:
            install, runner = "npm install", "npm"
        return (f"FROM node:{major}\nWORKDIR /app\nCOPY . .\n"
                f"RUN {install} && {runner} run --if-present build\n")
    if language == "python":
        minor = section["python"]["value"]
        tool = section["installer"]["value"].split(" ")[0]
        install = {"uv": "pip install uv && uv sync --frozen",
                   "poetry": "pip install poetry && poetry install",
                   "pipenv": "pip install pipenv && pipenv sync --system"}.get(tool)
        if install is None:
            if (dest / "requirements.txt").is_file():
                install = "pip install -r requirements.txt"
            elif (dest / "pyproject.toml").is_file() or (dest / "setup.py").is_file():
                install = "pip install ."
            else:
                install = "true"
        return f"FROM python:{minor}\nWORKDIR /app\nCOPY . .\nRUN {install}\n"
    return None


# ---- rebuilds ---------------------------------------------------------------------

def rebuild_section(docksmith, out, only, chosen):
    work = out / "rebuild"
    rows = []
    for name in examples(only):
        if chosen is not None and name not in chosen:
            continue
        print(f"rebuild: {name}", file=sys.stderr)
        try:
            rows.append(rebuild_row(docksmith, name, work))
        except Exception as e:
            rows.append({"example": name, "error": str(e)[-400:]})
    return rows


def rebuild_row(docksmith, name, work):
    dest, plan = prepared(docksmith, name, work)
    row = {"example": name, "language": plan["language"]}
    why = not_built_here(plan)
    if why:
        row["skipped"] = why
        return row
    tag = f"docksmith-bench/{name}:rebuild"
    docker("builder", "prune", "-af")
    row["cold"], log = build(dest, tag)
    source = edited_source(plan, dest)
    row["edited"] = str(source.relative_to(dest))
    comment = "#" if source.suffix == ".py" else "//"
    with source.open("a") as f:
        f.write(f"\n{comment} bench edit {time.time_ns()}\n")
    row["edit"], log = build(dest, tag)
    row["edit_reran"] = reran(log)
    if plan["language"] == "rust":
        row["edit_compiled"] = compiled(log)
    row["edit_reran_dependencies"] = [s for s in row["edit_reran"] if DEPENDENCY_STEP.search(s)]
    added = add_dependency(plan, dest)
    if added is None:
        row["dependency"] = "not measured: no host tool edits this lockfile"
    else:
        row["dependency"] = added
        row["dep"], log = build(dest, tag)
        row["dep_reran"] = reran(log)
    row["edit_over_cold"] = round(row["edit"] / row["cold"], 3)
    return row


def edited_source(plan, dest):
    """One source file of the program, as a developer would touch it."""
    language = plan["language"]
    suffixes = {"go": [".go"], "rust": [".rs"], "java": [".java"], "python": [".py"],
                "node": [".js", ".ts", ".mjs", ".tsx", ".jsx", ".vue", ".svelte"]}[language]
    skip = {"node_modules", "target", ".venv", "vendor", "test", "tests", "dist", "build"}
    found = sorted(p for p in dest.rglob("*") if p.suffix in suffixes and p.is_file()
                   and not skip.intersection(p.relative_to(dest).parts)
                   and not p.name.endswith(("_test.go", ".test.js", ".spec.ts", ".d.ts"))
                   and "config" not in p.name)
    if not found:
        raise RuntimeError("no source file to edit")
    # The entry when it is there (main.go, main.rs, app.py, server.js), else the first.
    for preferred in ("main.go", "main.rs", "app.py", "server.js", "page.js", "index.js"):
        for p in found:
            if p.name == preferred:
                return p
    return found[0]


def add_dependency(plan, dest):
    language = plan["language"]
    run = lambda *cmd: subprocess.run(cmd, cwd=dest, check=True, capture_output=True)
    if language == "go":
        run("go", "get", GO_DEP)
        return GO_DEP
    if language == "rust":
        run("cargo", "add", RUST_DEP)
        # Resolves the new dependency into Cargo.lock, leaving the others' versions.
        run("cargo", "metadata", "--format-version", "1")
        return RUST_DEP
    if language == "node" and (dest / "package-lock.json").exists():
        run("npm", "install", "--package-lock-only", "--ignore-scripts", NPM_DEP)
        return NPM_DEP
    if language == "python" and (dest / "requirements.txt").exists():
        with (dest / "requirements.txt").open("a") as f:
            f.write(f"\n{PY_DEP}\n")
        return PY_DEP
    if language == "java" and (dest / "pom.xml").exists():
        pom = (dest / "pom.xml").read_text()
        g, a, v = MAVEN_DEP
        dep = (f"<dependency><groupId>{g}</groupId><artifactId>{a}</artifactId>"
               f"<version>{v}</version></dependency>")
        if "<dependencies>" not in pom:
            return None
        (dest / "pom.xml").write_text(pom.replace("<dependencies>", "<dependencies>" + dep, 1))
        return ":".join(MAVEN_DEP)
    return None


STEP = re.compile(r"^#(\d+) \[([^\]]+?) +(\d+)/(\d+)\] (.*)$")


def reran(log):
    """The Dockerfile steps BuildKit ran (not cached): '[stage] INSTRUCTION ...'."""
    described, cached = {}, set()
    for line in log.splitlines():
        m = STEP.match(line)
        if m and not m.group(5).startswith("FROM "):
            described[m.group(1)] = f"[{m.group(2)}] {m.group(5)}"
        elif re.match(r"^#(\d+) CACHED", line):
            cached.add(line.split()[0][1:])
    return [short(d) for i, d in described.items() if i not in cached]


def compiled(log):
    return len(re.findall(r" Compiling ", log))


def short(step):
    step = re.sub(r"\s+", " ", re.sub(r"--mount=\S+ ", "", step))
    return step if len(step) <= 90 else step[:87] + "..."


# ---- generator speed --------------------------------------------------------------

def measure(cmd, runs=5, cwd=None):
    """Median CPU milliseconds (user + system) and peak RSS in MB. The CPU time is the
    kernel's for the process tree (wait4, microseconds); the peak is GNU time's, as a
    child forked from this Python would report Python's own high-water mark."""
    cpu, rss, ok = [], [], True
    report = Path(os.environ.get("TMPDIR", "/tmp")) / f"perf-time-{os.getpid()}"
    for _ in range(runs):
        proc = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", str(report), *cmd],
                                cwd=cwd, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        ok = ok and os.waitstatus_to_exitcode(status) == 0
        cpu.append(usage.ru_utime + usage.ru_stime)
        rss.append(int(report.read_text().split()[-1]) / 1024)
    report.unlink(missing_ok=True)
    return {"cpu_ms": round(statistics.median(cpu) * 1000, 1),
            "rss_mb": round(max(rss), 1), "ok": ok}


def ensure_nixpacks(out):
    root = out / "tools" / "nixpacks"
    binary = root / "bin" / "nixpacks"
    if not binary.exists():
        print("installing nixpacks from crates.io into " + str(root), file=sys.stderr)
        subprocess.run(["cargo", "install", "nixpacks", "--locked", "--root", str(root)],
                       check=True, capture_output=True)
    return binary


def plan_section(docksmith, out, repos):
    nixpacks = ensure_nixpacks(out)
    version = subprocess.run([str(nixpacks), "--version"], capture_output=True, text=True)
    entries = tomllib.loads((ROOT / "bench/corpus/corpus.toml").read_text())["repo"]
    trees = out / "plan"
    rows = []
    for repo in entries:
        git = corpus.git_dir(repos, repo["repo"])
        if git is None:
            continue
        dest = trees / repo["repo"].replace("/", "+")
        if not dest.exists():
            corpus.extract(git, repo["commit"], dest)
        project = dest / repo["dir"] if repo.get("dir") else dest
        flags = repo.get("flags", [])
        print(f"plan: {repo['repo']}", file=sys.stderr)
        ours = measure([str(docksmith), "plan", str(project), "--json", *flags])
        theirs = measure([str(nixpacks), "plan", str(project)])
        rows.append({"repo": repo["repo"], "language": repo["language"], "docksmith": ours,
                     "nixpacks": theirs,
                     "ratio": round(ours["cpu_ms"] / theirs["cpu_ms"], 2)
                     if theirs["cpu_ms"] else None})
    monorepo = synthetic_monorepo(out / "monorepo")
    mono = {"files": monorepo["files"],
            "docksmith": measure([str(docksmith), "plan", str(monorepo["path"]), "--json",
                                  "--package", "web"]),
            "nixpacks": measure([str(nixpacks), "plan", str(monorepo["path"])])}
    wall = []
    for _ in range(5):
        start = time.monotonic()
        subprocess.run([str(docksmith), "plan", str(monorepo["path"]), "--json", "--package", "web"],
                       capture_output=True)
        wall.append(time.monotonic() - start)
    mono["docksmith"]["wall_ms"] = round(statistics.median(wall) * 1000, 1)
    return {"nixpacks": version.stdout.strip(), "repos": rows, "monorepo": mono}


def synthetic_monorepo(path):
    """An npm workspace of 200 packages and one app, with node_modules and target/
    trees present: 100,000 files in all."""
    marker = path / ".complete"
    if marker.exists():
        return {"path": path, "files": int(marker.read_text())}
    if path.exists():
        shutil.rmtree(path)
    count = 0

    def write(rel, text):
        nonlocal count
        p = path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
        count += 1

    write("package.json", json.dumps({"name": "mono", "private": True,
                                      "workspaces": ["packages/*", "apps/*"]}))
    write("package-lock.json", json.dumps({"name": "mono", "lockfileVersion": 3,
                                           "packages": {"": {"name": "mono"}}}))
    write("apps/web/package.json", json.dumps({
        "name": "web", "scripts": {"start": "node server.js"},
        "dependencies": {f"pkg-{i}": "*" for i in range(200)}}))
    write("apps/web/server.js",
          "require('http').createServer((q, s) => s.end('ok')).listen(3000);\n")
    for i in range(200):
        write(f"packages/pkg-{i}/package.json",
              json.dumps({"name": f"pkg-{i}", "main": "src/index.js"}))
        for j in range(150):
            write(f"packages/pkg-{i}/src/m{j}.js", f"module.exports = {i * 1000 + j};\n")
    for i in range(300):  # node_modules: installed third-party packages
        write(f"node_modules/dep-{i}/package.json", json.dumps({"name": f"dep-{i}"}))
        for j in range(100):
            write(f"node_modules/dep-{i}/lib/f{j}.js", "module.exports = 1;\n")
    left = 100_000 - count
    for i in range(left):  # target/: a build tree
        write(f"target/debug/deps/o{i // 1000}/f{i}.o", "x")
    marker.write_text(str(count))
    return {"path": path, "files": count}


# ---- report -----------------------------------------------------------------------

def mb(n):
    return f"{n / 1e6:.1f}" if isinstance(n, (int, float)) else "-"


def render(report):
    lines = ["# docksmith performance", "",
             "Measured with `bench/perf.py` on " + ", ".join(
                 f"{k} {v}" for k, v in report.get("measured", {}).items()) + ".", ""]
    sizes = report.get("sizes")
    if sizes:
        built = [r for r in sizes if r.get("final")]
        ratios = [r["final_over_floor"] for r in built if r.get("final_over_floor")]
        naive = [r["naive_over_final"] for r in built if r.get("naive_over_final")]
        lines += ["## Image size (MB), default flavor", ""]
        if ratios:
            over = [r for r in built if r.get("final_over_floor", 0) > 1.15]
            lines += [f"{len(built)} examples built: final/floor median "
                      f"{statistics.median(ratios):.2f} (max {max(ratios):.2f}); "
                      f"{len(over)} above 1.15; naive/final median "
                      f"{statistics.median(naive):.1f}x" if naive else "", ""]
        lines += ["| example | runtime | final | floor | naive | final/floor | naive/final | floor base | note |",
                  "|---|---|---:|---:|---:|---:|---:|---|---|"]
        for r in sizes:
            if r.get("error") or r.get("skipped"):
                lines.append(f"| {r['example']} | {r.get('runtime', '-')} | "
                             f"{r.get('skipped') or 'error: ' + r['error'].splitlines()[-1][:80]}"
                             " | | | | | | |")
                continue
            lines.append(f"| {r['example']} | {r['runtime']} | {mb(r['final'])} | "
                         f"{mb(r.get('floor'))} | {mb(r.get('naive'))} | "
                         f"{r.get('final_over_floor', '-')} | {r.get('naive_over_final', '-')} | "
                         f"{r.get('floor_base', '-')} | {note(r)} |")
        java = [r for r in built if r["language"] == "java"]
        if java:
            lines += ["", "### Java: docksmith's runtime against distroless java (MB)", "",
                      "| example | docksmith's runtime | docksmith | distroless java + the app | ratio |",
                      "|---|---|---:|---:|---:|"]
            for r in java:
                kind = "jlink on distroless cc" if "cc-debian" in r["runtime"] else r["runtime"]
                lines.append(f"| {r['example']} | {kind} | {mb(r['final'])} | {mb(r['floor'])} | "
                             f"{r['final_over_floor']} |")
        lines.append("")
    rebuild = report.get("rebuild")
    if rebuild:
        lines += ["## Rebuilds (seconds)", "",
                  "| example | cold | after a source edit | edit/cold | re-ran after the edit "
                  "| dependency steps re-run | after adding a dependency | re-ran after it | note |",
                  "|---|---:|---:|---:|---|---|---:|---|---|"]
        for r in rebuild:
            if r.get("error") or r.get("skipped"):
                lines.append(f"| {r['example']} | {r.get('skipped') or 'error: ' + r['error'].splitlines()[-1][:80]} | | | | | | |")
                continue
            crates = (f" ({r['edit_compiled']} crates compiled)"
                      if r.get("edit_compiled") and r["language"] == "rust" else "")
            if r.get("dep") is not None:
                dep, dep_reran = f"{r['dep']:.1f} ({r['dependency']})", "<br>".join(r["dep_reran"])
            else:
                dep, dep_reran = r["dependency"], ""
            lines.append(
                f"| {r['example']} | {r['cold']:.1f} | {r['edit']:.1f} | {r['edit_over_cold']} | "
                f"{'<br>'.join(r['edit_reran'])}{crates} (edited {r['edited']}) | "
                f"{len(r['edit_reran_dependencies'])} | {dep} | {dep_reran} | "
                f"{REBUILD_EXPLAINED.get(r['example'], '') if r['edit_over_cold'] > 0.25 else ''} |")
        lines.append("")
    plan = report.get("plan")
    if plan:
        rows = plan["repos"]
        ratios = [r["ratio"] for r in rows if r["ratio"] and r["docksmith"]["ok"]]
        lines += ["## Generator speed: `docksmith plan` vs `nixpacks plan` (CPU ms, median of 5)", ""]
        if ratios:
            lines += [f"{len(rows)} repositories, {plan['nixpacks']}: docksmith/nixpacks CPU time "
                      f"median {statistics.median(ratios):.2f} (from {min(ratios):.2f} to "
                      f"{max(ratios):.2f})", ""]
        lines += ["| repository | language | docksmith ms | nixpacks ms | ratio | docksmith MB | nixpacks MB |",
                  "|---|---|---:|---:|---:|---:|---:|"]
        for r in rows:
            d, n = r["docksmith"], r["nixpacks"]
            flag = "" if d["ok"] else " (refused)"
            lines.append(f"| {r['repo']} | {r['language']} | {d['cpu_ms']}{flag} | {n['cpu_ms']} | "
                         f"{r['ratio']} | {d['rss_mb']} | {n['rss_mb']} |")
        m = plan["monorepo"]
        lines += ["", f"Synthetic monorepo ({m['files']} files: 200 workspace packages, node_modules "
                  f"and target/ trees): docksmith {m['docksmith']['wall_ms']} ms wall, "
                  f"{m['docksmith']['cpu_ms']} ms CPU, {m['docksmith']['rss_mb']} MB peak; "
                  f"nixpacks {m['nixpacks']['cpu_ms']} ms CPU, {m['nixpacks']['rss_mb']} MB peak.", ""]
    return "\n".join(lines) + "\n"


# Why an example sits above 1.15 x its floor, measured by hand once (the bench cannot
# tell); shown beside the row while it stays above.
EXPLAINED = {
    "go-pcap": "libpcap at run time: slim installs it with apt (distroless base cannot); "
               "the floor counts the same files on distroless base",
    "node-angular-ssr": "Angular's application builder bundles the server: nft traces "
                        "2 MB of dist/server, the image still copies the production "
                        "node_modules (40 MB of @angular/*, rxjs)",
    "node-react-router": "npm ci --omit=dev keeps typescript (23.6 MB), an optional peer "
                         "of a production package (devOptional in the lockfile)",
    "node-remix": "production dependencies the server never loads on Node 24: "
                  "web-streams-polyfill 9 MB, @zxing/text-encoding 7 MB (polyfills "
                  "@remix-run/node depends on)",
    "node-native": "better-sqlite3 ships the SQLite amalgamation it compiles from "
                   "(deps/, 10.2 MB) in its package",
}


# Why a warm rebuild stays above 0.25 x cold, measured by hand once.
REBUILD_EXPLAINED = {
    "node-nextjs": "next build re-runs whole after any edit: its compiler cache is kept in "
                   "a cache mount (28.6 s without it, 27.0 s with it), but page "
                   "generation, tracing and the standalone copy are not incremental",
    "java-spring-boot": "Maven's package phase re-runs whole (a JVM start, the compiler, "
                        "Spring Boot's repackage) and jdeps reads the new jar; the "
                        "dependency download does not re-run",
}


def note(row):
    parts = []
    if row.get("naive_error"):
        parts.append(f"naive: {row['naive_error']}")
    if row.get("final_over_floor", 0) > 1.15:
        parts.append(EXPLAINED.get(row["example"], "above 1.15: not explained yet"))
    return "; ".join(parts).replace("|", "\\|")


def chart(sizes, out):
    """Final size and floor per example (horizontal bars, log scale), as a PNG."""
    python = ensure_matplotlib(out)
    data = [(r["example"], r["final"] / 1e6, r["floor"] / 1e6, (r.get("naive") or 0) / 1e6)
            for r in sizes if r.get("final") and r.get("floor")]
    (out / "chart-data.json").write_text(json.dumps(data))
    script = """
import json, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
data = json.load(open(sys.argv[1]))[::-1]
names = [d[0] for d in data]
fig, ax = plt.subplots(figsize=(9, 0.22 * len(data) + 1.2))
y = range(len(data))
ax.barh(y, [d[3] for d in data], color="#dddddd", label="naive single stage")
ax.barh(y, [d[1] for d in data], color="#2b6cb0", label="docksmith")
ax.scatter([d[2] for d in data], y, color="#e53e3e", marker="|", s=120, zorder=3, label="floor")
ax.set_yticks(list(y)); ax.set_yticklabels(names, fontsize=7)
ax.set_xscale("log"); ax.set_xlabel("image size (MB, log scale)")
ax.legend(loc="lower right", fontsize=8); ax.grid(axis="x", alpha=0.3)
fig.tight_layout(); fig.savefig(sys.argv[2], dpi=110)
"""
    subprocess.run([str(python), "-c", script, str(out / "chart-data.json"),
                    str(out / "sizes.png")], check=True)


def ensure_matplotlib(out):
    venv = out / "tools" / "venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    if subprocess.run([str(python), "-c", "import matplotlib"], capture_output=True).returncode:
        subprocess.run([str(python), "-m", "pip", "install", "-q", "matplotlib"], check=True)
    return python


if __name__ == "__main__":
    main()
