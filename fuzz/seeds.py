#!/usr/bin/env python3
"""Writes seed inputs for every fuzz target from the projects in examples/.

An input is `<name byte>\\0<contents>\\0…`: the byte picks the file name from the
target's list in src/fuzzing.rs (TARGETS), which this script reads to stay in step.
Usage: fuzz/seeds.py OUT_DIR
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = pathlib.Path(sys.argv[1])

source = (ROOT / "src/fuzzing.rs").read_text()
block = source[source.index("pub const TARGETS"):source.index("pub fn run")]
targets = {}
for name, body in re.findall(r'\(\s*"(\w+)",\s*&\[(.*?)\],?\s*\)', block, re.S):
    targets[name] = re.findall(r'"([^"]+)"', body)
targets["whole_project"] = [n for names in targets.values() for n in names]

for target, names in targets.items():
    out = OUT / target
    out.mkdir(parents=True, exist_ok=True)
    for example in sorted((ROOT / "examples").iterdir()):
        seed = b""
        for index, name in enumerate(names):
            path = example / name
            if path.is_file():
                data = path.read_bytes()[:64 * 1024]
                if b"\0" not in data:
                    seed += bytes([index]) + b"\0" + data + b"\0"
        if seed:
            (out / example.name).write_bytes(seed)

ignores = OUT / "dockerignore_merge"
ignores.mkdir(parents=True, exist_ok=True)
for example in sorted((ROOT / "examples").iterdir()):
    for name in (".dockerignore", "expected/.dockerignore", ".gitignore"):
        path = example / name
        if path.is_file():
            (ignores / f"{example.name}-{name.replace('/', '-')}").write_bytes(path.read_bytes())
print(" ".join(f"{t}:{len(list((OUT / t).iterdir()))}" for t in list(targets) + ["dockerignore_merge"]))
