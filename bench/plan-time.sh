#!/usr/bin/env bash
# Times `docksmith plan` (scan + detect + plan) on every example and on a synthetic large
# Go module, with a release build. Uses hyperfine when installed, else repeated runs
# timed with `date`. Usage: bench/plan-time.sh [RUNS]   (default 20)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-20}"
cargo build --release --locked --quiet
bin="$PWD/target/release/docksmith"

# A module with 400 packages of 10 files each (4,000 Go files, ~2 MB), one main
# importing them all: larger than most services, well under the 20,000-file cap.
large="$(mktemp -d)"
trap 'rm -rf "$large"' EXIT
printf 'module example.com/large\n\ngo 1.22\n' > "$large/go.mod"
imports=""
for p in $(seq 1 400); do
  mkdir -p "$large/internal/p$p"
  for f in $(seq 1 10); do
    printf 'package p%d\n\nimport (\n\t"fmt"\n\t"strings"\n)\n\n// F%d does work.\nfunc F%d(s string) string {\n\treturn fmt.Sprint(strings.ToUpper(s), %d)\n}\n%s\n' \
      "$p" "$f" "$f" "$f" "$(head -c 300 /dev/zero | tr '\0' '/')" > "$large/internal/p$p/f$f.go"
  done
  imports="$imports\t_ \"example.com/large/internal/p$p\"\n"
done
printf "package main\n\nimport (\n\t\"net/http\"\n$imports)\n\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n" > "$large/main.go"

targets=(examples/* "$large")
if command -v hyperfine >/dev/null; then
  for t in "${targets[@]}"; do hyperfine --warmup 2 --runs "$runs" -N "$bin plan $t"; done
  exit 0
fi
printf '%-40s %8s %8s\n' "project" "mean ms" "min ms"
for t in "${targets[@]}"; do
  "$bin" plan "$t" >/dev/null 2>&1 || true   # warm the page cache
  total=0; min=""
  for _ in $(seq 1 "$runs"); do
    start=$(date +%s%N); "$bin" plan "$t" >/dev/null 2>&1; end=$(date +%s%N)
    ms=$(( (end - start) / 1000000 )); total=$((total + ms))
    if [ -z "$min" ] || [ "$ms" -lt "$min" ]; then min=$ms; fi
  done
  name="$t"; [ "$t" = "$large" ] && name="synthetic (4,000 Go files)"
  printf '%-40s %8d %8d\n' "$name" $((total / runs)) "$min"
done
