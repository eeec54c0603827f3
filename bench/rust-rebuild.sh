#!/usr/bin/env bash
# Rust rebuild times: docksmith's cache-mount Dockerfile against a cargo-chef
# Dockerfile, on examples/rust-axum, in the local engine (../shared/imageforge).
#
# For each approach:
#   cold       build with an empty BuildKit cache
#   edit       change src/main.rs and rebuild (same builder)
#   fresh      an ephemeral CI runner: the BuildKit cache is wiped, only the builder
#              stage's image (with inline cache metadata) is kept, and the build uses
#              it with --cache-from; then src/main.rs changes again
# and how many crates each build compiled.
#
# WARNING: wipes the engine's whole build cache (docker builder prune -af) several times.
# Usage: bench/rust-rebuild.sh   (about 10 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/../shared/imageforge/bin:$PATH" DOCKER_BUILDKIT=1
cargo build --release --locked --quiet
bin="$PWD/target/release/docksmith"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

prepare() {  # prepare DIR: a copy of the example
  rm -rf "$1"; mkdir -p "$1"; cp -r examples/rust-axum/. "$1"; rm -rf "$1/expected"
}
edit() { printf '\n// bench edit %s\n' "$(date +%s%N)" >> "$1/src/main.rs"; }
# build DIR TAG [extra docker args...]: prints "seconds compiled"
build() {
  local dir="$1" tag="$2"; shift 2
  local start end log
  log="$work/build.log"
  start=$(date +%s%N)
  docker build --network host --progress plain --build-arg BUILDKIT_INLINE_CACHE=1 -t "$tag" "$@" "$dir" >"$log" 2>&1 \
    || { tail -30 "$log" >&2; exit 1; }
  end=$(date +%s%N)
  printf '%d.%d %d' $(( (end - start) / 1000000000 )) $(( (end - start) / 100000000 % 10 )) "$(grep -c ' Compiling ' "$log" || true)"
}
row() { printf '%-12s %-8s %8s s %5s crates compiled\n' "$1" "$2" $3; }

# --- docksmith: cache mounts ---------------------------------------------------
dir="$work/mounts"; prepare "$dir"
"$bin" init "$dir" --flavor distroless --syntax none >/dev/null 2>&1
docker builder prune -af >/dev/null
row docksmith cold "$(build "$dir" bench-mounts)"
edit "$dir"; row docksmith edit "$(build "$dir" bench-mounts)"
docker build --network host --build-arg BUILDKIT_INLINE_CACHE=1 --target build -q -t bench-mounts:build "$dir" >/dev/null
docker builder prune -af >/dev/null
edit "$dir"; row docksmith fresh "$(build "$dir" bench-mounts --cache-from bench-mounts:build)"

# --- cargo-chef: dependencies in a layer -----------------------------------------
dir="$work/chef"; prepare "$dir"
"$bin" init "$dir" --flavor distroless --syntax none >/dev/null 2>&1
cat > "$dir/Dockerfile" <<'DOCKERFILE'
FROM rust:1.95-slim-bookworm AS chef
RUN cargo install cargo-chef --locked --version 0.1.78
WORKDIR /src

FROM chef AS planner
COPY . .
RUN cargo chef prepare --recipe-path recipe.json

FROM chef AS build
COPY --from=planner /src/recipe.json recipe.json
RUN cargo chef cook --release --locked --recipe-path recipe.json
COPY . .
RUN cargo build --release --locked --bin hello-axum && mkdir -p /out && cp target/release/hello-axum /out/

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /out/hello-axum /usr/local/bin/hello-axum
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/hello-axum"]
DOCKERFILE
docker builder prune -af >/dev/null
row cargo-chef cold "$(build "$dir" bench-chef)"
edit "$dir"; row cargo-chef edit "$(build "$dir" bench-chef)"
docker build --network host --build-arg BUILDKIT_INLINE_CACHE=1 --target build -q -t bench-chef:build "$dir" >/dev/null
docker builder prune -af >/dev/null
edit "$dir"; row cargo-chef fresh "$(build "$dir" bench-chef --cache-from bench-chef:build)"
echo "(cargo-chef cold includes installing cargo-chef itself, which a prebuilt chef image avoids)"
