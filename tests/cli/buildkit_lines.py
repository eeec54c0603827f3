#!/usr/bin/env python3
"""Reads each Dockerfile named on the command line with BuildKit's own parser (PyPI
`dockerfile`, which wraps moby/buildkit's frontend/dockerfile/parser) and prints, as
JSON, per instruction: keyword, first and last line, exec form or not, flags, heredocs
(name and body) and, for a shell-form RUN, CMD or ENTRYPOINT, the command as BuildKit
joined it. doctor's parser must read every file the same way."""
import json
import sys

import dockerfile

result = {}
for path in sys.argv[1:]:
    try:
        commands = dockerfile.parse_file(path)
    except dockerfile.GoParseError as error:
        result[path] = {"error": str(error)}
        continue
    entries = []
    for cmd in commands:
        keyword = cmd.cmd.upper()
        shell = None
        if keyword in ("RUN", "CMD", "ENTRYPOINT") and not cmd.json:
            shell = cmd.value[0] if cmd.value else ""
        entries.append({
            "keyword": keyword,
            "line": cmd.start_line,
            "end_line": cmd.end_line,
            "exec": bool(cmd.json) and keyword in ("RUN", "CMD", "ENTRYPOINT", "SHELL"),
            "flags": list(cmd.flags),
            "heredocs": [[h.name, h.content] for h in cmd.heredocs],
            "shell": shell,
        })
    result[path] = entries
json.dump(result, sys.stdout)
