#!/usr/bin/env python3
"""Reads every *.Dockerfile in a folder with BuildKit's own parser (PyPI `dockerfile`,
which wraps moby/buildkit's frontend/dockerfile/parser) and prints, as JSON, each
file's structure: per instruction its keyword, its flags (each --mount option list
split at commas as BuildKit splits it, keys only), whether it is exec form (and how
many items), and how many words LABEL/ENV hold. A value that escaped its quoting
changes this structure."""
import json
import pathlib
import sys

import dockerfile


def mount_keys(flag):
    name, _, value = flag.partition("=")
    if name != "--mount":
        return name
    return name + ":" + ",".join(f.split("=", 1)[0].lower() for f in value.split(","))


def signature(text):
    out = []
    for cmd in dockerfile.parse_string(text):
        entry = [cmd.cmd.upper(), [mount_keys(f) for f in cmd.flags]]
        if cmd.cmd.upper() in ("ENTRYPOINT", "CMD", "RUN", "SHELL", "HEALTHCHECK"):
            entry.append(["exec", len(cmd.value)] if cmd.json else ["shell"])
        elif cmd.cmd.upper() in ("LABEL", "ENV"):
            entry.append(len(cmd.value))
        elif cmd.cmd.upper() == "FROM":
            entry.append(len(cmd.value))
        out.append(entry)
    return out


result = {}
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.Dockerfile")):
    try:
        result[path.name] = signature(path.read_text())
    except dockerfile.GoParseError as error:
        result[path.name] = {"error": str(error)}
json.dump(result, sys.stdout)
