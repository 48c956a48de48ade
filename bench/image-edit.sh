#!/usr/bin/env bash
# Image edit: add one file to a base image and change its configuration, then push, median of RUNS runs
# (default 5). The file's content is new in every run, so every route pushes a new layer:
#   (a) the raw docker CLI over ssh://: pull the base, build "FROM base / COPY / ENV / CMD", push;
#   (b) bin/image-builder build with source.image (jib-core, no engine), for linux/amd64;
#   (c) (a)'s commands as one ansible-runner playbook;
#   (b2) as (b), for both platforms of the base (linux/amd64 and linux/arm64).
# Needs the loopback environment: scripts/testenv.sh up.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
runs=${RUNS:-5}
testenv=${TESTENV_DIR:-/var/lib/image-builder-testenv}
host=ssh://root@127.0.0.1:2221
registry=127.0.0.1:5000
base=$registry/library/busybox:latest
client=/usr/bin/docker
[ -f executor/target/image-builder.jar ] || mvn -q -B package -DskipTests

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 700 "$work"
mkdir -p "$work/context" "$work/docker-config" "$work/project" "$work/inventory" "$work/env"
password_file="$testenv/registry/password"
export PATH="$testenv/bin:$PATH"   # ssh wrapper with the environment's key and known_hosts
export DOCKER_CONFIG="$work/docker-config" DOCKER_BUILDKIT=1
DOCKER_HOST=$host "$client" login --username builder --password-stdin "$registry" < "$password_file" >/dev/null 2>&1
printf 'FROM %s\nCOPY hello.txt /srv/hello.txt\nENV GREETING=hello\nWORKDIR /srv\nCMD ["cat", "/srv/hello.txt"]\n' "$base" \
  > "$work/context/Dockerfile"
change() { date +%s%N > "$work/context/hello.txt"; }

raw() {
  DOCKER_HOST=$host "$client" pull "$base" >/dev/null 2>&1
  DOCKER_HOST=$host "$client" build --network none -t "$registry/bench/edit-raw:latest" "$work/context" >/dev/null 2>&1
  DOCKER_HOST=$host "$client" push "$registry/bench/edit-raw:latest" >/dev/null 2>&1
}
params() {
  {
    echo "build_params:"
    echo "  source:"
    echo "    image: $base"
    echo "    add: [{src: $work/context/hello.txt, dest: /srv/hello.txt}]"
    echo "    config: {env: {GREETING: hello}, workdir: /srv, cmd: [cat, /srv/hello.txt]}"
    echo "  target:"
    echo "    registry: {url: $registry, username: builder}"
    echo "    images: [{image: bench/edit-ours, tag: latest, platforms: [$1]}]"
    echo "docker_host: $host"
  } > "$work/params-$2.yaml"
}
params linux/amd64 one
params "linux/amd64, linux/arm64" two
ours() { bin/image-builder build --lock-file "$work/image-builder.lock.json" --registry-password-stdin "$work/params-$1.yaml" < "$password_file" >/dev/null 2>&1; }
cat > "$work/project/edit.yml" <<YAML
- hosts: localhost
  gather_facts: false
  environment: {DOCKER_HOST: "$host", DOCKER_CONFIG: "$work/docker-config", DOCKER_BUILDKIT: "1", PATH: "$PATH"}
  tasks:
    - ansible.builtin.command: "$client pull $base"
    - ansible.builtin.command: "$client build --network none -t $registry/bench/edit-ansible:latest $work/context"
    - ansible.builtin.command: "$client push $registry/bench/edit-ansible:latest"
YAML
echo 'localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3' > "$work/inventory/hosts"
ansible() { ansible-runner run "$work" -p edit.yml --rotate-artifacts 1 >/dev/null 2>&1; }


change; raw; ours one; ours two; ansible   # the base is pulled and cached everywhere first
before_each=change
ta=$(timed_median raw)
tb=$(timed_median ours one)
tc=$(timed_median ansible)
t2=$(timed_median ours two)
printf 'add a file and change the configuration of %s, then push; median of %d runs\n' "$base" "$runs"
printf '  %-52s %6.2f s\n' "(a) docker CLI over ssh:// (pull, build, push)" "$ta"
printf '  %-52s %6.2f s   (b)/(a) = %.2f\n' "(b) image-builder, source.image, linux/amd64" "$tb" "$(echo "$tb / $ta" | bc -l)"
printf '  %-52s %6.2f s   (b)/(c) = %.2f\n' "(c) ansible-runner playbook of (a)'s commands" "$tc" "$(echo "$tb / $tc" | bc -l)"
printf '  %-52s %6.2f s\n' "(b2) image-builder, source.image, both platforms" "$t2"
