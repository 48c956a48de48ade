#!/usr/bin/env bash
# The main job: starts the loopback build host and registry, builds the executor, and deploys
# blueprints/docker_image_definition.yaml with an example from inputs/ (a local git repository as the
# source, so no network is needed). Ends by printing the pushed reference and digest. Run as root on Debian 12.
set -euo pipefail
cd "$(dirname "$0")/.."
inputs=${1:-inputs/local-git.yaml}
blueprint=blueprints/docker_image_definition.yaml
testenv=${TESTENV_DIR:-/var/lib/image-builder-testenv}

scripts/deps.sh
scripts/testenv.sh up
mvn -B -q -ntp package -DskipTests

# The registry password stays out of argv and out of the repository: a private inputs file, removed at exit.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(
  umask 077
  password=$(cat "$testenv/registry/password")
  printf "registry_password: '%s'\n" "${password//\'/\'\'}" > "$work/secrets.yaml"
)

bin/image-builder validate -i "$inputs" -i "$work/secrets.yaml" "$blueprint"
bin/image-builder deploy --state-dir "$work/state" -i "$inputs" -i "$work/secrets.yaml" "$blueprint"
echo
echo "Pushed:"
bin/image-builder outputs --state-dir "$work/state" --format json |
  python3 -c 'import json, sys; [print("  %s@%s (%s)" % (i["reference"], i["digest"], i["platform"])) for i in json.load(sys.stdin)["images"]]'
