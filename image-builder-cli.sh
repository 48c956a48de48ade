#!/bin/sh
# Builds and pushes the images an inputs file describes (SODALITE's build_params, under a top-level
# build_params key or on its own), by deploying blueprints/docker_image_definition.yaml.
#   image-builder-cli.sh input.yaml [--docker-host ssh://user@host:port] [--ssh-key FILE] [--known-hosts FILE] ...
# See `bin/image-builder build --help` for every option.
set -e
if [ $# -lt 1 ]; then
  echo "usage: image-builder-cli.sh INPUT.yaml [build options]" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
input=$1
shift
exec "$here/bin/image-builder" build "$@" "$input"
