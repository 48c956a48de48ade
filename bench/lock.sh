#!/usr/bin/env bash
# What recording the lock and attaching provenance and SBOMs add to a cached build, median of RUNS runs (default 7):
# bin/image-builder build of inputs/multiarch.yaml (one image, two platforms, everything cached after the first
# run), its wall time, and the time the executor reports for the lock (resolving each base image's digest for each
# platform from the registry, hashing the Dockerfile, writing it down), for attaching a provenance statement to
# each pushed manifest and the list, and for the SBOMs (kept when the same image already has one). Also times
# verify of the lock written.
# Needs the loopback environment: scripts/testenv.sh up.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
runs=${RUNS:-7}
testenv=${TESTENV_DIR:-/var/lib/image-builder-testenv}
password_file="$testenv/registry/password"
[ -f executor/target/image-builder.jar ] || mvn -q -B package -DskipTests

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
build() {
  bin/image-builder build --registry-password-stdin --lock-file "$work/lock.json" inputs/multiarch.yaml \
    < "$password_file" > "$work/out" 2>&1
}
build  # warms the engine's cache
walls=() locks=()
for _ in $(seq "$runs"); do
  walls+=("$(timed build)")
  build_ms=$(sed -n 's/.*lock recorded, provenance and SBOMs attached in \([0-9]*\) ms.*/\1/p' "$work/out" | tail -1)
  [ -n "$build_ms" ] || { echo "no lock was recorded:" >&2; cat "$work/out" >&2; exit 1; }
  locks+=("$(echo "$build_ms / 1000" | bc -l)")
done
verify() {
  bin/image-builder verify --registry-user builder --registry-password-stdin "$work/lock.json" < "$password_file"
}
wall=$(median_of "${walls[@]}")
lock=$(median_of "${locks[@]}")
verify_s=$(timed_median verify)
printf '| what | seconds | share of the build |\n|---|---|---|\n'
printf '| cached build, 1 image for 2 platforms | %.2f | |\n' "$wall"
printf '| lock, provenance and SBOMs (within the build) | %.3f | %.1f%% |\n' "$lock" "$(echo "100 * $lock / $wall" | bc -l)"
printf '| verify of that lock (a separate command) | %.2f | |\n' "$verify_s"
