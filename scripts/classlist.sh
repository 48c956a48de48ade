#!/usr/bin/env bash
# Writes executor/cds/image-builder.classlist: the classes the executor loads for its everyday commands (a build that
# makes a new image and its SBOM, a cached rebuild, plan and validate), from which bin/image-builder makes the class
# data sharing archive its later runs start from. Run it again after large changes to the executor; a stale list
# only makes starting slower (classes it does not name are loaded from the jars as before).
# Needs the loopback environment: scripts/testenv.sh up.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
testenv=${TESTENV_DIR:-/var/lib/image-builder-testenv}
registry=127.0.0.1:5000
[ -f executor/target/image-builder.jar ] || mvn -q -B package -DskipTests
jar=executor/target/image-builder.jar
out=executor/cds/image-builder.classlist

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/context"
printf 'FROM %s/library/busybox:latest\nCOPY hello.txt /hello.txt\n' "$registry" > "$work/context/Dockerfile"
# a new file each time, so that the first build makes a new image and its SBOM
date +%s%N > "$work/context/hello.txt"
loopback_params "$work/params.yaml" "$work/context" classlist/sample:latest
export PATH="$testenv/bin:$PATH"

# the JVM options of bin/image-builder's command line runs
run() {
  local list=$1
  shift
  java -XX:DumpLoadedClassList="$work/$list" -XX:+UseParallelGC -XX:TieredStopAtLevel=1 \
    -Dimagebuilder.home="$PWD" -jar "$jar" "$@"
}
run new.list build --lock-file "$work/lock.json" --registry-password-stdin "$work/params.yaml" \
  < "$testenv/registry/password" > /dev/null
run cached.list build --lock-file "$work/lock.json" --registry-password-stdin "$work/params.yaml" \
  < "$testenv/registry/password" > /dev/null
run plan.list plan --format json -i inputs/local-git.yaml blueprints/docker_image_definition.yaml > /dev/null
run validate.list validate -i inputs/local-git.yaml blueprints/docker_image_definition.yaml > /dev/null

mkdir -p "$(dirname "$out")"
{
  echo "# The classes image-builder's everyday commands load, written by scripts/classlist.sh; bin/image-builder"
  echo "# makes its class data sharing archive from them (java -Xshare:dump -XX:SharedClassListFile=...)."
  cat "$work/new.list" "$work/cached.list" "$work/plan.list" "$work/validate.list" | grep -v '^#' | awk '!seen[$0]++'
} > "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out ($(grep -vc '^#' "$out") entries)"
