#!/usr/bin/env bash
# The main job: starts the loopback build host and registry, builds the executor, and runs the example
# blueprint with an example from inputs/. Run as root on Debian 12.
set -euo pipefail
cd "$(dirname "$0")/.."
inputs=${1:-inputs/local-git.yaml}
blueprint=blueprints/docker_image_definition.yaml
scripts/deps.sh
scripts/testenv.sh up
mvn -B -q -ntp package -DskipTests
bin/image-builder validate -i "$inputs" "$blueprint"
bin/image-builder plan -i "$inputs" "$blueprint"
