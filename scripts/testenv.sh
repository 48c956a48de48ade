#!/usr/bin/env bash
# Loopback build-host environment for image-builder's tests.
#
#   scripts/testenv.sh up              install what is missing, start everything, verify it
#   scripts/testenv.sh down [--purge]  stop what `up` started (--purge also deletes the state)
#   scripts/testenv.sh status          one line per component; non-zero exit if any is down
#   scripts/testenv.sh env             `export` lines describing the environment
#
# Every build host i (1..TESTENV_HOSTS) is an independent Docker engine reachable over
# its own sshd on 127.0.0.1:(TESTENV_SSH_PORT_BASE + i). A password-protected registry
# on 127.0.0.1:5000 serves a multi-arch (amd64, arm64) busybox base image built from
# Debian's busybox-static, and qemu-user-static runs arm64 containers. Nothing outside
# the machine is contacted except Debian's package mirror. See scripts/README.md.
#
# Environment: TESTENV_DIR (default /var/lib/image-builder-testenv), TESTENV_HOSTS
# (default 2), TESTENV_SSH_PORT_BASE (default 2220). Must run as root on Debian 12 amd64.
set -euo pipefail

PATH=/usr/sbin:/usr/bin:/sbin:/bin:/usr/local/sbin:/usr/local/bin
export PATH
umask 022

readonly DIR="${TESTENV_DIR:-/var/lib/image-builder-testenv}"
readonly HOSTS="${TESTENV_HOSTS:-2}"
readonly PORT_BASE="${TESTENV_SSH_PORT_BASE:-2220}"

readonly RUN_ROOT=/run/ib-testenv
readonly REGISTRY=127.0.0.1:5000
readonly REGISTRY_USER=builder
readonly BASE_REPO=library/busybox
readonly BASE_IMAGE="$REGISTRY/$BASE_REPO:latest"
readonly DEBIAN_REPO=library/debian
readonly DEBIAN_IMAGE="$REGISTRY/$DEBIAN_REPO:12"
readonly DEBIAN_MIRROR=http://deb.debian.org/debian
readonly SELFTEST_IMAGE=ib-testenv-selftest:arm64
readonly WWW=127.0.0.1:8000
readonly PG_PORT=5433
readonly S3=127.0.0.1:9000
readonly S3_BUCKET=images
readonly S3_ACCESS_KEY=imagebuilder
readonly S3PROXY_VERSION=2.6.0
readonly PG_DB=imagebuilder
readonly PG_USER=imagebuilder
readonly PG_BIN=/usr/lib/postgresql/15/bin
readonly EXAMPLES_VERSION=4   # bump when the example sources below change

readonly DOCKER=/usr/bin/docker
readonly DOCKERD=/usr/sbin/dockerd
readonly SSHD=/usr/sbin/sshd
readonly SSH=/usr/bin/ssh
readonly REGISTRY_BIN=/usr/bin/docker-registry
readonly POLICY_RC=/usr/sbin/policy-rc.d

readonly PACKAGES=(docker.io openssh-server openssh-client docker-registry apache2-utils
  qemu-user-static binfmt-support busybox-static git ansible python3-ansible-runner curl jq python3 postgresql
  chromium chromium-driver squashfs-tools maven default-jre-headless debootstrap dpkg-dev)

readonly START_TIMEOUT=60   # seconds to wait for a daemon to answer
readonly STOP_TIMEOUT=30    # seconds between TERM and KILL
readonly LOCK_TIMEOUT=1200  # seconds to wait for a concurrent `up`/`down`

TMP=""               # private scratch directory of this run (mode 0700)
POLICY_RC_OURS=""    # set when this run wrote the policy-rc.d file
POLICY_RC_SAVED=""   # set when this run moved an existing policy-rc.d aside
HTPASSWD_CHANGED=""  # set when this run wrote a new htpasswd file

# ---------------------------------------------------------------------------
# Messages and small helpers

say() { printf 'testenv: %s\n' "$*" >&2; }

die() {
  printf 'testenv: error: %s\n' "$*" >&2
  exit 1
}

# die_log LOG MESSAGE: fail, showing the end of LOG.
die_log() {
  local log=$1
  shift
  printf 'testenv: error: %s (log: %s)\n' "$*" "$log" >&2
  if [[ -r $log ]]; then
    printf 'testenv: --- last lines of %s ---\n' "$log" >&2
    tail -n 25 -- "$log" | sed 's/^/testenv: | /' >&2
  fi
  exit 1
}

# run_logged LOG DESCRIPTION CMD...: run CMD with its output appended to LOG.
run_logged() {
  local log=$1 what=$2
  shift 2
  printf '\n=== %s: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$what" >>"$log"
  "$@" >>"$log" 2>&1 || die_log "$log" "$what failed"
}

cleanup() {
  restore_policy_rc
  if [[ -n $TMP && -d $TMP ]]; then
    rm -rf -- "$TMP"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# make_tmp: create the private scratch directory, with an empty docker client config in it.
make_tmp() {
  [[ -z $TMP ]] || return 0
  TMP=$(mktemp -d "${TMPDIR:-/tmp}/ib-testenv.XXXXXXXX")
  mkdir -m 0700 -- "$TMP/docker-config"
}

host_dir() { printf '%s/host%s' "$DIR" "$1"; }
host_sock() { printf '%s/host%s/docker.sock' "$DIR" "$1"; }
host_port() { printf '%s' "$((PORT_BASE + $1))"; }
exec_root() { printf '%s/h%s' "$RUN_ROOT" "$1"; }
docker_at() { local i=$1; shift; "$DOCKER" -H "unix://$(host_sock "$i")" "$@"; }

validate_settings() {
  [[ $DIR =~ ^(/[A-Za-z0-9._-]+)+$ && /$DIR/ != */./* && /$DIR/ != */../* ]] ||
    die "TESTENV_DIR must be an absolute path of letters, digits, '.', '_', '-' (got '$DIR')"
  [[ $HOSTS =~ ^[1-9][0-9]?$ ]] || die "TESTENV_HOSTS must be a number from 1 to 99 (got '$HOSTS')"
  if [[ ! $PORT_BASE =~ ^[1-9][0-9]{3,4}$ ]] || ((PORT_BASE + HOSTS > 65535)); then
    die "TESTENV_SSH_PORT_BASE must be a port number from 1000 that leaves room for $HOSTS hosts (got '$PORT_BASE')"
  fi
  # unix socket paths are limited to 108 bytes
  local sock
  sock=$(host_sock "$HOSTS")
  ((${#sock} < 100)) || die "TESTENV_DIR is too long for a unix socket path: $sock"
}

require_root() {
  [[ $(id -u) == 0 ]] || die "must run as root"
}

require_amd64() {
  local arch
  arch=$(dpkg --print-architecture)
  [[ $arch == amd64 ]] || die "only amd64 machines are supported (this one is $arch)"
}

# sshd (StrictModes) refuses an authorized_keys file below a directory that others can write.
require_secure_dir() {
  local d=$DIR owner mode
  while [[ -n $d ]]; do
    if [[ -e $d ]]; then
      read -r owner mode < <(stat -c '%u %a' -- "$d")
      if [[ $owner != 0 ]] || (((8#$mode & 8#022) != 0)); then
        die "TESTENV_DIR must not be inside a directory that is not root's or is group/world-writable: $d"
      fi
    fi
    d=${d%/*}
  done
}

lock_state_dir() {
  mkdir -p -- "$DIR"
  chmod 0755 -- "$DIR"
  exec 9>>"$DIR/.lock"
  if ! flock -n 9; then
    say "waiting for another 'testenv.sh up/down' to finish"
    flock -w "$LOCK_TIMEOUT" 9 || die "another 'testenv.sh up/down' still holds $DIR/.lock"
  fi
}

# ---------------------------------------------------------------------------
# Processes: every daemon is recorded in $DIR/pids/NAME.pid and is only ever
# signalled by that pid, after checking that its command line is still ours.

pid_file() { printf '%s/pids/%s.pid' "$DIR" "$1"; }

# marker NAME: a string that only the command line of that daemon contains.
marker() {
  case $1 in
    dockerd-*) printf 'unix://%s' "$(host_sock "${1#dockerd-}")" ;;
    sshd-*) printf '%s/sshd_config' "$(host_dir "${1#sshd-}")" ;;
    registry) printf '%s/registry/config.yml' "$DIR" ;;
    postgres) printf '%s/postgres/data' "$DIR" ;;
    www) printf -- '--directory %s/www' "$DIR" ;;
    s3proxy) printf '%s/s3proxy/s3proxy.conf' "$DIR" ;;
    *) return 1 ;;
  esac
}

# pid_is PID MARKER: PID is a live process (not a zombie) whose command line contains MARKER.
pid_is() {
  local pid=$1 want=$2 cmdline
  [[ $pid =~ ^[1-9][0-9]*$ ]] || return 1
  cmdline=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") || return 1
  [[ -n $cmdline && $cmdline == *"$want"* ]]
}

# running_pid NAME: print the recorded pid of NAME if that process still runs.
running_pid() {
  local file pid want
  file=$(pid_file "$1")
  want=$(marker "$1")
  [[ -r $file ]] || return 1
  pid=$(<"$file")
  pid_is "$pid" "$want" || return 1
  printf '%s\n' "$pid"
}

# own_pid NAME: the pid that dockerd or sshd wrote into its own pid file, if that process still runs.
own_pid() {
  local own pid
  case $1 in
    dockerd-*) own="$(host_dir "${1#dockerd-}")/dockerd.pid" ;;
    sshd-*) own="$(host_dir "${1#sshd-}")/sshd.pid" ;;
    *) return 1 ;;
  esac
  [[ -r $own ]] || return 1
  pid=$(<"$own")
  pid_is "$pid" "$(marker "$1")" || return 1
  printf '%s\n' "$pid"
}

# current_pid NAME: the pid of NAME if it runs, from our record or else from the daemon's own.
current_pid() { running_pid "$1" || own_pid "$1"; }

# is_running NAME: NAME runs; its pid is recorded again if only the daemon's own pid file had it.
is_running() {
  local pid
  running_pid "$1" >/dev/null && return 0
  pid=$(own_pid "$1") || return 1
  printf '%s\n' "$pid" >"$(pid_file "$1")"
}

# spawn NAME LOG CMD...: start CMD detached (own session, no terminal, lock fd closed), record its pid.
spawn() {
  local name=$1 log=$2
  shift 2
  mkdir -p -- "$DIR/pids"
  setsid "$@" </dev/null >>"$log" 2>&1 9>&- &
  printf '%s\n' "$!" >"$(pid_file "$name")"
}

# wait_ready NAME TIMEOUT CHECK...: poll CHECK until it succeeds; fail early if NAME died.
wait_ready() {
  local name=$1 deadline=$((SECONDS + $2))
  shift 2
  until "$@" >/dev/null 2>&1; do
    running_pid "$name" >/dev/null || return 1
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

# stop NAME...: TERM the recorded processes, wait, then KILL what is left.
stop() {
  local name pid deadline left
  local -a names=()
  for name in "$@"; do
    if pid=$(current_pid "$name"); then
      say "stopping $name (pid $pid)"
      kill -TERM "$pid" 2>/dev/null || true
      names+=("$name")
    fi
  done
  deadline=$((SECONDS + STOP_TIMEOUT))
  while :; do
    left=0
    for name in "${names[@]}"; do
      current_pid "$name" >/dev/null && left=1
    done
    ((left && SECONDS < deadline)) || break
    sleep 0.5
  done
  for name in "${names[@]}"; do
    if pid=$(current_pid "$name"); then
      say "$name (pid $pid) ignored TERM for ${STOP_TIMEOUT}s; sending KILL"
      kill -KILL "$pid" 2>/dev/null || true
      if [[ $name == dockerd-* ]]; then
        stop_orphaned_containerd "${name#dockerd-}"
      fi
    fi
  done
  for name in "$@"; do
    rm -f -- "$(pid_file "$name")"
  done
}

# A killed dockerd leaves the containerd it supervised; dockerd recorded that pid itself. A new dockerd would try
# to reuse it (even once it is only a zombie nobody reaps) and give up, so it is stopped, and its pid file removed,
# before the engine starts again.
stop_orphaned_containerd() {
  local own pid deadline
  own="$(exec_root "$1")/containerd/containerd.pid"
  [[ -r $own ]] || return 0
  pid=$(<"$own")
  if pid_is "$pid" "$(exec_root "$1")/"; then
    say "stopping containerd of engine $1 (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    deadline=$((SECONDS + STOP_TIMEOUT))
    while pid_is "$pid" "$(exec_root "$1")/" && ((SECONDS < deadline)); do
      sleep 0.2
    done
    pid_is "$pid" "$(exec_root "$1")/" && kill -KILL "$pid" 2>/dev/null
  fi
  rm -f -- "$own"
}

port_in_use() { [[ -n $(ss -Hltn "sport = :$1") ]]; }

# ---------------------------------------------------------------------------
# Packages

pkg_installed() {
  local status
  status=$(dpkg -s "$1" 2>/dev/null) || return 1
  grep -qx 'Status: install ok installed' <<<"$status"
}

# cached_deb ARCH: path of the cached busybox-static package for ARCH.
cached_deb() {
  local f
  local -a found=()
  for f in "$DIR/cache/busybox-static_"*"_$1.deb"; do
    [[ -f $f ]] && found+=("$f")
  done
  ((${#found[@]})) || return 1
  printf '%s\n' "${found[-1]}"
}

# Keep package maintainer scripts from starting Debian's own dockerd, sshd or registry.
block_service_starts() {
  if [[ -x $POLICY_RC ]]; then
    local rc=0
    "$POLICY_RC" docker start >/dev/null 2>&1 || rc=$?
    ((rc == 101)) && return 0
    mv -- "$POLICY_RC" "$POLICY_RC.ib-testenv-saved"
    POLICY_RC_SAVED=1
  fi
  printf '#!/bin/sh\n# scripts/testenv.sh: no service starts during package installation\nexit 101\n' >"$POLICY_RC"
  chmod 0755 -- "$POLICY_RC"
  POLICY_RC_OURS=1
}

restore_policy_rc() {
  if [[ -n $POLICY_RC_OURS ]]; then
    rm -f -- "$POLICY_RC"
    POLICY_RC_OURS=""
  fi
  if [[ -n $POLICY_RC_SAVED ]]; then
    mv -- "$POLICY_RC.ib-testenv-saved" "$POLICY_RC"
    POLICY_RC_SAVED=""
  fi
}

install_prerequisites() {
  local log="$DIR/logs/install.log" pkg arch
  local -a missing=() debs=()
  for pkg in "${PACKAGES[@]}"; do
    pkg_installed "$pkg" || missing+=("$pkg")
  done
  for arch in amd64 arm64; do
    cached_deb "$arch" >/dev/null || debs+=("busybox-static:$arch")
  done
  ((${#missing[@]} + ${#debs[@]})) || return 0

  if ((${#debs[@]})) && [[ $'\n'$(dpkg --print-foreign-architectures)$'\n' != *$'\n'arm64$'\n'* ]]; then
    say "adding the arm64 architecture to dpkg (for busybox-static:arm64)"
    dpkg --add-architecture arm64
  fi
  say "apt-get update (log: $log)"
  run_logged "$log" "apt-get update" apt-get update

  if ((${#missing[@]})); then
    say "installing ${missing[*]} (log: $log)"
    block_service_starts
    run_logged "$log" "apt-get install ${missing[*]}" \
      env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}"
    restore_policy_rc
  fi

  if ((${#debs[@]})); then
    say "downloading ${debs[*]} into $DIR/cache"
    local dl="$DIR/cache/download"
    rm -rf -- "$dl"
    mkdir -p -- "$dl"
    # apt downloads as its unprivileged _apt user, which needs to write here
    if id _apt >/dev/null 2>&1; then chown _apt -- "$dl"; fi
    cd -- "$dl"
    run_logged "$log" "apt-get download ${debs[*]}" apt-get download "${debs[@]}"
    cd /
    mv -- "$dl"/*.deb "$DIR/cache/"
    rm -rf -- "$dl"
  fi

  for pkg in "$DOCKER" "$DOCKERD" "$SSHD" "$SSH" "$REGISTRY_BIN"; do
    [[ -x $pkg ]] || die "$pkg is missing after package installation (log: $log)"
  done
}

# ---------------------------------------------------------------------------
# Multi-arch emulation

setup_binfmt() {
  local mnt=/proc/sys/fs/binfmt_misc entry=/proc/sys/fs/binfmt_misc/qemu-aarch64
  if ! mountpoint -q "$mnt"; then
    mount -t binfmt_misc binfmt_misc "$mnt" || die "cannot mount binfmt_misc on $mnt"
  fi
  if [[ ! -e $entry ]] || ! grep -qx enabled "$entry"; then
    update-binfmts --enable >/dev/null 2>&1 || true
  fi
  if [[ ! -e $entry ]] || ! grep -qx enabled "$entry"; then
    die "qemu-aarch64 is not registered in $mnt (check qemu-user-static and 'update-binfmts --display qemu-aarch64')"
  fi
  grep -q '^flags: .*F' "$entry" ||
    die "qemu-aarch64 is registered without the F flag, containers cannot use it (see $entry)"
}

# ---------------------------------------------------------------------------
# SSH keys and configuration

setup_client_key() {
  if [[ ! -s $DIR/client_key || ! -s $DIR/client_key.pub ]]; then
    rm -f -- "$DIR/client_key" "$DIR/client_key.pub"
    ssh-keygen -q -t ed25519 -N '' -C image-builder-testenv -f "$DIR/client_key"
  fi
  chmod 0600 -- "$DIR/client_key"
  install -m 0600 -- "$DIR/client_key.pub" "$DIR/authorized_keys"

  cat >"$DIR/ssh_config" <<EOF
# Written by scripts/testenv.sh: client settings for the loopback build hosts.
Host *
    User root
    IdentityFile $DIR/client_key
    IdentitiesOnly yes
    UserKnownHostsFile $DIR/known_hosts
    GlobalKnownHostsFile /dev/null
    StrictHostKeyChecking yes
    BatchMode yes
    ConnectTimeout 10
    LogLevel ERROR
EOF
  mkdir -p -- "$DIR/bin"
  printf '#!/bin/sh\nexec %s -F %s "$@"\n' "$SSH" "$DIR/ssh_config" >"$DIR/bin/ssh"
  chmod 0755 -- "$DIR/bin/ssh"
}

write_sshd_config() {
  local i=$1 hdir
  hdir=$(host_dir "$i")
  if [[ ! -s $hdir/ssh_host_ed25519_key || ! -s $hdir/ssh_host_ed25519_key.pub ]]; then
    rm -f -- "$hdir/ssh_host_ed25519_key" "$hdir/ssh_host_ed25519_key.pub"
    ssh-keygen -q -t ed25519 -N '' -C "image-builder-testenv-host$i" -f "$hdir/ssh_host_ed25519_key"
  fi
  cat >"$hdir/sshd_config" <<EOF
# Written by scripts/testenv.sh: build host $i.
ListenAddress 127.0.0.1
Port $(host_port "$i")
PidFile $hdir/sshd.pid
HostKey $hdir/ssh_host_ed25519_key
AuthorizedKeysFile $DIR/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes yes
X11Forwarding no
PrintMotd no
PrintLastLog no
MaxStartups 100:30:200
MaxSessions 100
SetEnv DOCKER_HOST=unix://$hdir/docker.sock PATH=/usr/sbin:/usr/bin:/sbin:/bin:/usr/local/sbin:/usr/local/bin
Subsystem sftp internal-sftp
EOF
  mkdir -p /run/sshd
  chmod 0755 /run/sshd
  "$SSHD" -t -f "$hdir/sshd_config" 2>"$hdir/sshd_config.check" ||
    die_log "$hdir/sshd_config.check" "sshd rejects $hdir/sshd_config"
  rm -f -- "$hdir/sshd_config.check"
}

write_known_hosts() {
  local i key
  : >"$DIR/known_hosts.new"
  for ((i = 1; i <= HOSTS; i++)); do
    read -r -a key <"$(host_dir "$i")/ssh_host_ed25519_key.pub"
    printf '[127.0.0.1]:%s %s %s\n' "$(host_port "$i")" "${key[0]}" "${key[1]}" >>"$DIR/known_hosts.new"
  done
  mv -f -- "$DIR/known_hosts.new" "$DIR/known_hosts"
}

ssh_works() { "$DIR/bin/ssh" -p "$(host_port "$1")" root@127.0.0.1 true; }

start_sshd() {
  local i=$1 name=sshd-$1 hdir port
  hdir=$(host_dir "$i")
  port=$(host_port "$i")
  if ! is_running "$name"; then
    port_in_use "$port" && die "127.0.0.1:$port is already in use by a process this environment did not start"
    say "starting sshd $i on 127.0.0.1:$port"
    spawn "$name" "$hdir/sshd.log" "$SSHD" -D -f "$hdir/sshd_config" -E "$hdir/sshd.log"
  fi
  wait_ready "$name" "$START_TIMEOUT" ssh_works "$i" ||
    die_log "$hdir/sshd.log" "sshd $i does not accept the client key on 127.0.0.1:$port"
}

# The exact way tests reach a build host: docker's ssh transport through the wrapper.
check_docker_over_ssh() {
  local i=$1 port out
  port=$(host_port "$i")
  out=$(PATH="$DIR/bin:$PATH" DOCKER_HOST="ssh://root@127.0.0.1:$port" DOCKER_CONFIG="$TMP/docker-config" \
    "$DOCKER" version --format '{{.Server.Version}}' 2>&1) ||
    die_log "$(host_dir "$i")/sshd.log" "'DOCKER_HOST=ssh://root@127.0.0.1:$port docker version' failed: $out"
  say "host $i: ssh://root@127.0.0.1:$port -> Docker Engine $out"
}

# ---------------------------------------------------------------------------
# Docker engines

engine_answers() { docker_at "$1" version --format '{{.Server.Version}}'; }

start_dockerd() {
  local i=$1 name=dockerd-$1 hdir
  hdir=$(host_dir "$i")
  is_running "$name" && return 0
  stop_orphaned_containerd "$i"
  mkdir -p -- "$hdir/data" "$(exec_root "$i")"
  # its own identity key (engine ID) instead of the machine-wide /etc/docker/key.json
  printf '{\n  "deprecated-key-path": "%s/key.json"\n}\n' "$hdir" >"$hdir/daemon.json"
  # a pid file left by a killed dockerd would make the new one refuse to start
  rm -f -- "$hdir/dockerd.pid"
  say "starting dockerd $i (unix://$hdir/docker.sock)"
  spawn "$name" "$hdir/dockerd.log" "$DOCKERD" \
    --config-file "$hdir/daemon.json" \
    --data-root "$hdir/data" \
    --exec-root "$(exec_root "$i")" \
    --pidfile "$hdir/dockerd.pid" \
    -H "unix://$hdir/docker.sock" \
    --bridge=none --iptables=false --ip-masq=false \
    --label "io.imagebuilder.testenv.host=$i"
}

wait_dockerd() {
  local i=$1
  wait_ready "dockerd-$i" "$START_TIMEOUT" engine_answers "$i" ||
    die_log "$(host_dir "$i")/dockerd.log" "dockerd $i does not answer on unix://$(host_sock "$i")"
}

# ---------------------------------------------------------------------------
# Registry

setup_registry_files() {
  local rdir="$DIR/registry"
  mkdir -p -- "$rdir/data"
  if [[ ! -s $rdir/password ]]; then
    (umask 077 && head -c 30 /dev/urandom | base64 -w 0 | tr -d '/+=' >"$rdir/password.new")
    mv -f -- "$rdir/password.new" "$rdir/password"
  fi
  chmod 0600 -- "$rdir/password"
  if [[ ! -s $rdir/htpasswd || $rdir/password -nt $rdir/htpasswd ]]; then
    # -i reads the password from stdin, so it never appears in a command line
    (umask 077 && htpasswd -iBn "$REGISTRY_USER" <"$rdir/password" >"$rdir/htpasswd.new") ||
      die "htpasswd could not hash the registry password"
    mv -f -- "$rdir/htpasswd.new" "$rdir/htpasswd"
    HTPASSWD_CHANGED=1
  fi
  cat >"$rdir/config.yml" <<EOF
# Written by scripts/testenv.sh.
version: 0.1
log:
  level: info
  fields:
    service: registry
storage:
  filesystem:
    rootdirectory: $rdir/data
  delete:
    enabled: true
http:
  addr: $REGISTRY
auth:
  htpasswd:
    realm: image-builder-testenv
    path: $rdir/htpasswd
EOF
  # curl reads the credentials from a config file, never from its command line
  make_tmp
  (umask 077 && printf 'user = "%s:%s"\n' "$REGISTRY_USER" "$(<"$rdir/password")" >"$TMP/curl-auth")
}

# registry_status [CURL ARGS...]: HTTP status of GET /v2/.
registry_status() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" "http://$REGISTRY/v2/"
}

registry_denies_anonymous() { [[ $(registry_status) == 401 ]]; }

start_registry() {
  local log="$DIR/registry/registry.log" port=${REGISTRY##*:}
  # the registry reads htpasswd when it starts
  if [[ -n $HTPASSWD_CHANGED ]] && is_running registry; then
    stop registry
  fi
  if ! is_running registry; then
    port_in_use "$port" && die "$REGISTRY is already in use by a process this environment did not start"
    say "starting registry on http://$REGISTRY"
    spawn registry "$log" "$REGISTRY_BIN" serve "$DIR/registry/config.yml"
  fi
  wait_ready registry "$START_TIMEOUT" registry_denies_anonymous ||
    die_log "$log" "the registry does not answer 401 on http://$REGISTRY/v2/ without credentials"
  local code
  code=$(registry_status -K "$TMP/curl-auth")
  [[ $code == 200 ]] || die_log "$log" "the registry answers $code instead of 200 with the credentials in $DIR/registry/password"
}

registry_login() {
  [[ -s $TMP/docker-config/config.json ]] && return 0
  run_logged "$DIR/logs/base-image.log" "docker login $REGISTRY" \
    env DOCKER_CONFIG="$TMP/docker-config" "$DOCKER" -H "unix://$(host_sock 1)" \
    login -u "$REGISTRY_USER" --password-stdin "$REGISTRY" <"$DIR/registry/password"
}

# ---------------------------------------------------------------------------
# Base images: busybox for amd64 and arm64 from Debian's busybox-static

manifest_list_present() {
  local body
  body=$(curl -sf --max-time 10 -K "$TMP/curl-auth" \
    -H 'Accept: application/vnd.docker.distribution.manifest.list.v2+json' \
    -H 'Accept: application/vnd.oci.image.index.v1+json' \
    "http://$REGISTRY/v2/$BASE_REPO/manifests/latest") || return 1
  jq -e '[.manifests[]?.platform.architecture] | (index("amd64") != null) and (index("arm64") != null)' \
    <<<"$body" >/dev/null
}

# make_rootfs ARCH APPLETS OUT: a root file system tarball with busybox and its applet links.
make_rootfs() {
  local arch=$1 applets=$2 out=$3 deb x root applet
  deb=$(cached_deb "$arch") || die "no busybox-static .deb for $arch in $DIR/cache"
  x="$TMP/deb-$arch"
  root="$TMP/rootfs-$arch"
  mkdir -p -- "$x" "$root"
  dpkg-deb -x "$deb" "$x"
  mkdir -p -- "$root"/{bin,sbin,usr/bin,usr/sbin,etc,root,tmp,proc,sys,dev}
  install -m 0755 -- "$x/bin/busybox" "$root/bin/busybox"
  while IFS= read -r applet; do
    [[ -n $applet && $applet != /* && $applet != *..* && $applet != bin/busybox ]] || continue
    mkdir -p -- "$root/$(dirname -- "$applet")"
    ln -sfn /bin/busybox "$root/$applet"
  done <"$applets"
  [[ -L $root/bin/sh ]] || die "the busybox applet list has no bin/sh"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  chmod 1777 -- "$root/tmp"
  chmod 0700 -- "$root/root"
  tar --numeric-owner --owner=0 --group=0 --sort=name --mtime='2000-01-01 00:00:00Z' \
    -C "$root" -cf "$out" .
}

debian_image_present() {
  curl -sf --max-time 10 -K "$TMP/curl-auth" -o /dev/null \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "http://$REGISTRY/v2/$DEBIAN_REPO/manifests/12"
}

# A Debian image with apt and python3 (for package layers and Ansible layers), made with debootstrap from the
# machine's own Debian package source: there is no Docker Hub here.
build_debian_image() {
  local log="$DIR/logs/debian-image.log" root="$TMP/debian-root"
  say "building $DEBIAN_IMAGE with debootstrap from $DEBIAN_MIRROR (log: $log)"
  run_logged "$log" "debootstrap bookworm" debootstrap --variant=minbase --include=python3 \
    bookworm "$root" "$DEBIAN_MIRROR"
  rm -rf -- "$root/var/cache/apt/archives/"*.deb "$root/var/lib/apt/lists/"*
  run_logged "$log" "docker import $DEBIAN_IMAGE" \
    bash -c 'tar -C "$1" -c . | "$2" -H "unix://$3" import --change "CMD [\"bash\"]" - "$4"' _ \
    "$root" "$DOCKER" "$(host_sock 1)" "$DEBIAN_IMAGE"
  rm -rf -- "$root"
  registry_login
  run_logged "$log" "docker push $DEBIAN_IMAGE" \
    env DOCKER_CONFIG="$TMP/docker-config" "$DOCKER" -H "unix://$(host_sock 1)" push "$DEBIAN_IMAGE"
  debian_image_present || die_log "$log" "the registry has no $DEBIAN_IMAGE after the push"
}

build_base_images() {
  local log="$DIR/logs/base-image.log" arch ctx applets="$TMP/applets"
  say "building $BASE_IMAGE for amd64 and arm64 (log: $log)"
  # the applet list comes from the amd64 binary, which runs natively; both packages are the same version
  mkdir -p -- "$TMP/deb-amd64"
  dpkg-deb -x "$(cached_deb amd64)" "$TMP/deb-amd64"
  "$TMP/deb-amd64/bin/busybox" --list-full >"$applets" || die "cannot list the busybox applets"
  for arch in amd64 arm64; do
    ctx="$TMP/context-$arch"
    mkdir -p -- "$ctx"
    make_rootfs "$arch" "$applets" "$ctx/rootfs.tar"
    printf 'FROM scratch\nADD rootfs.tar /\nCMD ["sh"]\n' >"$ctx/Dockerfile"
    run_logged "$log" "docker build --platform linux/$arch $BASE_IMAGE-$arch" \
      env DOCKER_BUILDKIT=1 "$DOCKER" -H "unix://$(host_sock 1)" build --network=none \
      --platform "linux/$arch" -t "$BASE_IMAGE-$arch" "$ctx"
  done
  registry_login
  for arch in amd64 arm64; do
    run_logged "$log" "docker push $BASE_IMAGE-$arch" \
      env DOCKER_CONFIG="$TMP/docker-config" "$DOCKER" -H "unix://$(host_sock 1)" push "$BASE_IMAGE-$arch"
  done
  local -a manifest=(env DOCKER_CONFIG="$TMP/docker-config" "$DOCKER" manifest)
  run_logged "$log" "docker manifest create $BASE_IMAGE" \
    "${manifest[@]}" create --insecure --amend "$BASE_IMAGE" "$BASE_IMAGE-amd64" "$BASE_IMAGE-arm64"
  run_logged "$log" "docker manifest annotate (amd64)" \
    "${manifest[@]}" annotate --os linux --arch amd64 "$BASE_IMAGE" "$BASE_IMAGE-amd64"
  run_logged "$log" "docker manifest annotate (arm64)" \
    "${manifest[@]}" annotate --os linux --arch arm64 --variant v8 "$BASE_IMAGE" "$BASE_IMAGE-arm64"
  run_logged "$log" "docker manifest push $BASE_IMAGE" \
    "${manifest[@]}" push --insecure --purge "$BASE_IMAGE"
  manifest_list_present || die_log "$log" "the registry has no manifest list for $BASE_IMAGE after the push"
}

image_arch() { docker_at "$1" image inspect --format '{{.Os}}/{{.Architecture}}' "$2" 2>/dev/null; }

engine_has_base_images() {
  local i=$1
  [[ $(image_arch "$i" "$BASE_IMAGE") == linux/amd64 &&
    $(image_arch "$i" "$BASE_IMAGE-amd64") == linux/amd64 &&
    $(image_arch "$i" "$BASE_IMAGE-arm64") == linux/arm64 ]]
}

# verify_emulation I: arm64 containers and arm64 builds with RUN steps work on engine I.
verify_emulation() {
  local i=$1 log="$DIR/logs/base-image.log" out ctx="$TMP/selftest"
  local -a dk=(env DOCKER_CONFIG="$TMP/docker-config" "$DOCKER" -H "unix://$(host_sock "$i")")
  out=$("${dk[@]}" run --rm --network none --platform linux/arm64 "$BASE_IMAGE" uname -m 2>>"$log") ||
    die_log "$log" "engine $i cannot run an arm64 container"
  [[ $out == aarch64 ]] || die "engine $i: arm64 container reports '$out' instead of aarch64"
  mkdir -p -- "$ctx"
  printf 'FROM %s\nRUN uname -m > /arch\n' "$BASE_IMAGE" >"$ctx/Dockerfile"
  run_logged "$log" "engine $i: docker build --platform linux/arm64 (RUN step)" \
    env DOCKER_BUILDKIT=1 "${dk[@]}" build --network=none --platform linux/arm64 -t "$SELFTEST_IMAGE" "$ctx"
  out=$("${dk[@]}" run --rm --network none --platform linux/arm64 "$SELFTEST_IMAGE" cat /arch 2>>"$log") ||
    die_log "$log" "engine $i cannot run the arm64 image it built"
  [[ $out == aarch64 ]] || die "engine $i: the RUN step of an arm64 build saw '$out' instead of aarch64"
  "${dk[@]}" rmi "$SELFTEST_IMAGE" >>"$log" 2>&1 || true
  say "engine $i: arm64 run and build verified (uname -m = aarch64)"
}

# load_base_images I: pull both platforms into engine I, verify emulation, leave :latest native (amd64).
load_base_images() {
  local i=$1 log="$DIR/logs/base-image.log" tag
  engine_has_base_images "$i" && return 0
  say "engine $i: pulling $BASE_IMAGE (amd64, arm64)"
  registry_login
  local -a dk=(env DOCKER_CONFIG="$TMP/docker-config" "$DOCKER" -H "unix://$(host_sock "$i")")
  for tag in "$BASE_IMAGE-amd64" "$BASE_IMAGE-arm64"; do
    run_logged "$log" "engine $i: docker pull $tag" "${dk[@]}" pull "$tag"
  done
  # through the manifest list: arm64 first for the emulation checks, then back to native
  run_logged "$log" "engine $i: docker pull --platform linux/arm64 $BASE_IMAGE" \
    "${dk[@]}" pull --platform linux/arm64 "$BASE_IMAGE"
  verify_emulation "$i"
  run_logged "$log" "engine $i: docker pull --platform linux/amd64 $BASE_IMAGE" \
    "${dk[@]}" pull --platform linux/amd64 "$BASE_IMAGE"
  engine_has_base_images "$i" || die_log "$log" "engine $i does not have the base images after pulling them"
}

# ---------------------------------------------------------------------------
# Description for tests

# ---------------------------------------------------------------------------
# Example sources for inputs/: git repositories, a local build context, and files
# served over plain HTTP on 127.0.0.1:8000 (Dockerfiles and a context archive).

example_dockerfile() {
  printf 'FROM %s\nCOPY hello.txt /hello.txt\nRUN uname -m > /arch\nCMD ["cat", "/hello.txt", "/arch"]\n' "$BASE_IMAGE"
}

git_commit_all() {
  git -C "$1" add -A
  git -C "$1" -c user.name=image-builder -c user.email=examples@image-builder.invalid \
    commit -q -m "$2"
}

make_bare() {
  local work=$1 bare=$2
  rm -rf -- "$bare"
  git clone -q --bare -- "$work" "$bare"
}

setup_examples() {
  local marker="$DIR/repos/.examples-$EXAMPLES_VERSION" w
  if [[ -f $marker ]]; then
    return 0
  fi
  say "writing the example sources (repos/, context/, www/)"
  mkdir -p -- "$DIR/repos" "$DIR/context" "$DIR/www/no_context" "$DIR/www/context" "$DIR/www/images"
  w="$TMP/examples"
  rm -rf -- "$w"

  # app.git: Dockerfile and its context at the root, default branch main
  mkdir -p -- "$w/app"
  git init -q -b main -- "$w/app"
  example_dockerfile >"$w/app/Dockerfile"
  printf 'hello from the app repository\n' >"$w/app/hello.txt"
  git_commit_all "$w/app" "app"
  make_bare "$w/app" "$DIR/repos/app.git"

  # app-layout.git: Dockerfile in docker_dir/, context in code_dir/, tag v1, a later commit on main
  mkdir -p -- "$w/layout/docker_dir" "$w/layout/code_dir"
  git init -q -b main -- "$w/layout"
  example_dockerfile >"$w/layout/docker_dir/Dockerfile"
  printf 'hello from version v1\n' >"$w/layout/code_dir/hello.txt"
  git_commit_all "$w/layout" "layout v1"
  git -C "$w/layout" tag v1
  printf 'hello from main\n' >"$w/layout/code_dir/hello.txt"
  git_commit_all "$w/layout" "layout after v1"
  make_bare "$w/layout" "$DIR/repos/app-layout.git"

  # context.git: a build context in app/, for a Dockerfile fetched over HTTP
  mkdir -p -- "$w/context/app"
  git init -q -b main -- "$w/context"
  printf 'hello from the context repository\n' >"$w/context/app/hello.txt"
  git_commit_all "$w/context" "context"
  make_bare "$w/context" "$DIR/repos/context.git"

  # context/app: a local directory holding a Dockerfile and its context
  mkdir -p -- "$DIR/context/app"
  example_dockerfile >"$DIR/context/app/Dockerfile"
  printf 'hello from a local directory\n' >"$DIR/context/app/hello.txt"

  # context/secrets: a Dockerfile whose RUN steps read a build secret and the proxy CA (inputs/secrets.yaml), and
  # the secret and CA files it is given, readable by their owner alone
  mkdir -p -- "$DIR/context/secrets" "$DIR/secrets"
  printf 'FROM %s\nRUN --mount=type=secret,id=npm_token test -s /run/secrets/npm_token && echo the token is mounted\nRUN test -s "$SSL_CERT_FILE" && echo the proxy CA is mounted\n' \
    "$BASE_IMAGE" >"$DIR/context/secrets/Dockerfile"
  (umask 077 && head -c 24 /dev/urandom | base64 >"$DIR/secrets/npm_token")
  (umask 077 && printf -- '-----BEGIN CERTIFICATE-----\n%s\n-----END CERTIFICATE-----\n' \
    "$(head -c 48 /dev/urandom | base64)" >"$DIR/secrets/proxy-ca.pem")

  # apt: a flat apt repository with one package, for the layers example (inputs/layers.yaml)
  mkdir -p -- "$w/ib-example/DEBIAN" "$w/ib-example/usr/bin" "$DIR/apt"
  printf 'Package: ib-example\nVersion: 1.0\nArchitecture: all\nMaintainer: image-builder <root@localhost>\nDescription: an example package\n' \
    >"$w/ib-example/DEBIAN/control"
  printf '#!/bin/sh\necho hello from the example apt repository\n' >"$w/ib-example/usr/bin/ib-example"
  chmod 755 -- "$w/ib-example/usr/bin/ib-example"
  dpkg-deb --root-owner-group --build "$w/ib-example" "$DIR/apt/ib-example_1.0_all.deb" >/dev/null
  (cd -- "$DIR/apt" && dpkg-scanpackages . >Packages 2>/dev/null)

  # playbooks: an Ansible layer's playbook (inputs/layers.yaml)
  mkdir -p -- "$DIR/playbooks"
  printf '%s\n' '- hosts: compute' '  gather_facts: false' '  tasks:' '    - name: mark the node as a compute node' \
    '      ansible.builtin.copy: {dest: /etc/node-role, content: "compute\n"}' >"$DIR/playbooks/compute.yml"

  # files over HTTP
  printf 'FROM %s\nRUN echo built without a context > /built\n' "$BASE_IMAGE" >"$DIR/www/no_context/Dockerfile"
  printf 'FROM %s\nCOPY hello.txt /hello.txt\n' "$BASE_IMAGE" >"$DIR/www/context/Dockerfile"
  mkdir -p -- "$w/tar"
  example_dockerfile >"$w/tar/Dockerfile"
  printf 'hello from an archive\n' >"$w/tar/hello.txt"
  tar -C "$w/tar" -cf "$DIR/www/images/app.tar" Dockerfile hello.txt

  rm -rf -- "$w"
  touch -- "$marker"
}

# ---------------------------------------------------------------------------
# PostgreSQL for the REST API server's tests: a cluster of its own (not Debian's "main"), on
# 127.0.0.1:$PG_PORT, with a database and a user whose password is in $DIR/postgres/password

readonly AS_POSTGRES=(setpriv --reuid=postgres --regid=postgres --init-groups --)
as_postgres() { "${AS_POSTGRES[@]}" "$@"; }

pg_ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; }

setup_postgres() {
  local pdir="$DIR/postgres" log="$DIR/postgres/initdb.log"
  [[ -x $PG_BIN/postgres ]] || die "$PG_BIN/postgres is missing after package installation (log: $DIR/logs/install.log)"
  mkdir -p -- "$pdir" "$RUN_ROOT/pg"
  chown postgres:postgres -- "$pdir" "$RUN_ROOT/pg"
  chmod 0700 -- "$pdir"
  if [[ ! -s $pdir/password ]]; then
    (umask 077 && head -c 30 /dev/urandom | base64 -w 0 | tr -d '/+=' >"$pdir/password.new")
    chown root:root -- "$pdir/password.new"
    mv -f -- "$pdir/password.new" "$pdir/password"
  fi
  chmod 0600 -- "$pdir/password"
  if [[ ! -s $pdir/data/PG_VERSION ]]; then
    say "creating the PostgreSQL cluster in $pdir/data"
    rm -rf -- "$pdir/data"
    run_logged "$log" "initdb" as_postgres "$PG_BIN/initdb" -D "$pdir/data" -U postgres -E UTF8 \
      --auth-local=peer --auth-host=scram-sha-256
  fi
}

start_postgres() {
  local log="$DIR/postgres/postgres.log"
  if ! is_running postgres; then
    port_in_use "$PG_PORT" && die "127.0.0.1:$PG_PORT is already in use by a process this environment did not start"
    say "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    touch -- "$log"
    chown postgres:postgres -- "$log"
    spawn postgres "$log" "${AS_POSTGRES[@]}" "$PG_BIN/postgres" -D "$DIR/postgres/data" -p "$PG_PORT" \
      -c listen_addresses=127.0.0.1 -c "unix_socket_directories=$RUN_ROOT/pg" -c max_connections=200
  fi
  wait_ready postgres "$START_TIMEOUT" pg_ready || die_log "$log" "PostgreSQL does not answer on 127.0.0.1:$PG_PORT"
  # the user and database, and the password from the file (sent on standard input, never in a command line)
  {
    printf "SELECT 'CREATE ROLE %s LOGIN CREATEDB' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '%s')\\\\gexec\n" \
      "$PG_USER" "$PG_USER"
    printf "ALTER ROLE %s LOGIN CREATEDB PASSWORD '%s';\n" "$PG_USER" "$(<"$DIR/postgres/password")"
    printf "SELECT 'CREATE DATABASE %s OWNER %s' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '%s')\\\\gexec\n" \
      "$PG_DB" "$PG_USER" "$PG_DB"
  } | as_postgres "$PG_BIN/psql" -q -X -h "$RUN_ROOT/pg" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    >>"$log" 2>&1 || die_log "$log" "cannot create the PostgreSQL user and database"
  pg_login_works || die_log "$log" "the PostgreSQL user $PG_USER cannot log in with the password in $DIR/postgres/password"
}

# pg_login_works: the test user logs in over TCP with its password (through a private passfile).
pg_login_works() {
  make_tmp
  (umask 077 && printf '127.0.0.1:%s:*:%s:%s\n' "$PG_PORT" "$PG_USER" "$(<"$DIR/postgres/password")" >"$TMP/pgpass")
  PGPASSFILE="$TMP/pgpass" "$PG_BIN/psql" -q -X -w -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" \
    -c 'SELECT 1' >/dev/null 2>&1
}

# PostgreSQL's TERM waits for clients to leave; INT (fast shutdown) disconnects them.
stop_postgres() {
  local pid
  if pid=$(current_pid postgres); then
    kill -INT "$pid" 2>/dev/null || true
  fi
  stop postgres
}

www_answers() { curl -fsS -o /dev/null "http://$WWW/no_context/Dockerfile"; }

start_www() {
  local log="$DIR/logs/www.log"
  if ! is_running www; then
    port_in_use "${WWW##*:}" && die "$WWW is already in use by a process this environment did not start"
    say "serving $DIR/www on http://$WWW"
    spawn www "$log" python3 -m http.server "${WWW##*:}" --bind "${WWW%%:*}" --directory "$DIR/www"
  fi
  wait_ready www "$START_TIMEOUT" www_answers || die_log "$log" "the example file server does not answer on http://$WWW"
}

# S3Proxy from Maven Central: a real S3 API on loopback, keeping its buckets in directories.
setup_s3() {
  local jar="$DIR/s3proxy/s3proxy-$S3PROXY_VERSION.jar"
  mkdir -p -- "$DIR/s3proxy/data/$S3_BUCKET"
  chmod 700 -- "$DIR/s3proxy"
  if [[ ! -f $jar ]]; then
    say "fetching S3Proxy $S3PROXY_VERSION"
    mvn -q -B dependency:copy -Dartifact="org.gaul:s3proxy:$S3PROXY_VERSION:jar:jar-with-dependencies" \
      -DoutputDirectory="$TMP" >/dev/null
    mv -- "$TMP/s3proxy-$S3PROXY_VERSION-jar-with-dependencies.jar" "$jar"
  fi
  if [[ ! -f $DIR/s3proxy/secret ]]; then
    (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$DIR/s3proxy/secret")
  fi
  # the AWS shared credentials format, which a build's target.s3.credentials_file names
  (umask 077 && printf '[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n' "$S3_ACCESS_KEY" \
    "$(cat "$DIR/s3proxy/secret")" >"$DIR/s3proxy/credentials")
  (umask 077 && printf '%s\n' "s3proxy.endpoint=http://$S3" "s3proxy.authorization=aws-v2-or-v4" \
    "s3proxy.identity=$S3_ACCESS_KEY" "s3proxy.credential=$(cat "$DIR/s3proxy/secret")" \
    "jclouds.provider=filesystem" "jclouds.filesystem.basedir=$DIR/s3proxy/data" >"$DIR/s3proxy/s3proxy.conf")
}

s3_answers() { curl -sS -o /dev/null "http://$S3/"; }

start_s3() {
  local log="$DIR/logs/s3proxy.log"
  if ! is_running s3proxy; then
    port_in_use "${S3##*:}" && die "$S3 is already in use by a process this environment did not start"
    say "starting S3Proxy on http://$S3 (bucket $S3_BUCKET)"
    spawn s3proxy "$log" java -jar "$DIR/s3proxy/s3proxy-$S3PROXY_VERSION.jar" --properties "$DIR/s3proxy/s3proxy.conf"
  fi
  wait_ready s3proxy "$START_TIMEOUT" s3_answers || die_log "$log" "S3Proxy does not answer on http://$S3"
}

env_pairs() {
  local i
  printf 'IB_TESTENV_DIR=%s\n' "$DIR"
  printf 'IB_TEST_HOSTS=%s\n' "$HOSTS"
  for ((i = 1; i <= HOSTS; i++)); do
    printf 'IB_TEST_DOCKER_HOST_%s=ssh://root@127.0.0.1:%s\n' "$i" "$(host_port "$i")"
  done
  for ((i = 1; i <= HOSTS; i++)); do
    printf 'IB_TEST_DOCKER_SOCKET_%s=unix://%s\n' "$i" "$(host_sock "$i")"
  done
  printf 'IB_TEST_SSH_KEY=%s\n' "$DIR/client_key"
  printf 'IB_TEST_KNOWN_HOSTS=%s\n' "$DIR/known_hosts"
  printf 'IB_TEST_SSH_CONFIG=%s\n' "$DIR/ssh_config"
  printf 'IB_TEST_REGISTRY=%s\n' "$REGISTRY"
  printf 'IB_TEST_REGISTRY_USER=%s\n' "$REGISTRY_USER"
  printf 'IB_TEST_REGISTRY_PASSWORD_FILE=%s\n' "$DIR/registry/password"
  printf 'IB_TEST_BASE_IMAGE=%s\n' "$BASE_IMAGE"
  printf 'IB_TEST_DEBIAN_IMAGE=%s\n' "$DEBIAN_IMAGE"
  printf 'IB_TEST_DOCKER_CLIENT=%s\n' "$DOCKER"
  printf 'IB_TEST_EXAMPLES_HTTP=http://%s\n' "$WWW"
  printf 'IB_TEST_PG_URL=jdbc:postgresql://127.0.0.1:%s/%s\n' "$PG_PORT" "$PG_DB"
  printf 'IB_TEST_PG_USER=%s\n' "$PG_USER"
  printf 'IB_TEST_PG_PASSWORD_FILE=%s\n' "$DIR/postgres/password"
  printf 'IB_TEST_S3_ENDPOINT=http://%s\n' "$S3"
  printf 'IB_TEST_S3_BUCKET=%s\n' "$S3_BUCKET"
  printf 'IB_TEST_S3_CREDENTIALS=%s\n' "$DIR/s3proxy/credentials"
}

write_properties() {
  {
    printf '# Written by scripts/testenv.sh up: the loopback build-host environment.\n'
    env_pairs
  } >"$DIR/testenv.properties.new"
  mv -f -- "$DIR/testenv.properties.new" "$DIR/testenv.properties"
}

# ---------------------------------------------------------------------------
# Commands

cmd_up() {
  local i started=$SECONDS
  require_root
  require_amd64
  require_secure_dir
  lock_state_dir
  mkdir -p -- "$DIR/logs" "$DIR/pids" "$DIR/cache" "$RUN_ROOT"
  make_tmp

  install_prerequisites
  setup_binfmt

  setup_registry_files
  start_registry

  for ((i = 1; i <= HOSTS; i++)); do
    mkdir -p -- "$(host_dir "$i")"
    start_dockerd "$i"
  done
  for ((i = 1; i <= HOSTS; i++)); do
    wait_dockerd "$i"
  done

  setup_client_key
  for ((i = 1; i <= HOSTS; i++)); do
    write_sshd_config "$i"
  done
  write_known_hosts
  for ((i = 1; i <= HOSTS; i++)); do
    start_sshd "$i"
    check_docker_over_ssh "$i"
  done

  if manifest_list_present; then
    say "$BASE_IMAGE is in the registry"
  else
    build_base_images
  fi
  for ((i = 1; i <= HOSTS; i++)); do
    load_base_images "$i"
  done
  if debian_image_present; then
    say "$DEBIAN_IMAGE is in the registry"
  else
    build_debian_image
  fi

  setup_examples
  start_www

  setup_postgres
  start_postgres

  setup_s3
  start_s3

  write_properties
  say "up in $((SECONDS - started))s; settings: $DIR/testenv.properties, or: eval \"\$(scripts/testenv.sh env)\""
}

# Unmount whatever a killed daemon left mounted below PATH, deepest first.
unmount_below() {
  local path=$1 mnt
  awk -v p="$path/" '{ if (index($5 "/", p) == 1) print $5 }' /proc/self/mountinfo | sort -r |
    while IFS= read -r mnt; do
      umount -l -- "$mnt" || true
    done
}

cmd_down() {
  local purge="" h n
  case ${1:-} in
    "") ;;
    --purge) purge=1 ;;
    *) usage ;;
  esac
  require_root
  if [[ ! -d $DIR ]]; then
    say "nothing to stop: $DIR does not exist"
  else
    lock_state_dir
    # every host that was ever set up, also those beyond the current TESTENV_HOSTS
    local -a sshds=() engines=()
    for h in "$DIR"/host*; do
      n=${h##*/host}
      [[ -d $h && $n =~ ^[0-9]+$ ]] || continue
      sshds+=("sshd-$n")
      engines+=("dockerd-$n")
    done
    stop "${sshds[@]}"
    stop_postgres
    stop www registry s3proxy "${engines[@]}"
  fi
  if [[ -n $purge ]]; then
    say "removing $DIR and $RUN_ROOT"
    [[ -d $DIR ]] && unmount_below "$DIR"
    [[ -d $RUN_ROOT ]] && unmount_below "$RUN_ROOT"
    rm -rf --one-file-system -- "$DIR" "$RUN_ROOT"
  fi
  say "down"
}

# status_line NAME ENDPOINT CHECK...: print one line; return non-zero unless running and answering.
status_line() {
  local name=$1 endpoint=$2 pid
  shift 2
  if ! pid=$(current_pid "$name"); then
    printf '%-10s %-8s %s\n' "$name" stopped "$endpoint"
    return 1
  fi
  if ! "$@" >/dev/null 2>&1; then
    printf '%-10s %-8s %s (pid %s, not answering)\n' "$name" failing "$endpoint" "$pid"
    return 1
  fi
  printf '%-10s %-8s %s (pid %s)\n' "$name" running "$endpoint" "$pid"
}

cmd_status() {
  local i rc=0
  for ((i = 1; i <= HOSTS; i++)); do
    status_line "dockerd-$i" "unix://$(host_sock "$i")" engine_answers "$i" || rc=1
    status_line "sshd-$i" "ssh://root@127.0.0.1:$(host_port "$i")" ssh_works "$i" || rc=1
  done
  status_line registry "http://$REGISTRY" registry_denies_anonymous || rc=1
  status_line www "http://$WWW" www_answers || rc=1
  status_line postgres "postgresql://127.0.0.1:$PG_PORT/$PG_DB" pg_login_works || rc=1
  return "$rc"
}

cmd_env() {
  local line
  while IFS= read -r line; do
    printf 'export %s=%q\n' "${line%%=*}" "${line#*=}"
  done < <(env_pairs)
}

usage() {
  cat >&2 <<'EOF'
usage: scripts/testenv.sh up|down [--purge]|status|env
  up       install what is missing, start the loopback build hosts and registry, verify them
  down     stop what 'up' started (data is kept; --purge deletes the state directory too)
  status   one line per component; exits non-zero if any is not running
  env      print 'export' lines for tests (IB_TEST_*)
environment: TESTENV_DIR (/var/lib/image-builder-testenv), TESTENV_HOSTS (2), TESTENV_SSH_PORT_BASE (2220)
EOF
  exit 2
}

main() {
  validate_settings
  case ${1:-} in
    up) [[ $# == 1 ]] || usage; cmd_up ;;
    down) shift; (($# <= 1)) || usage; cmd_down "$@" ;;
    status) [[ $# == 1 ]] || usage; cmd_status ;;
    env) [[ $# == 1 ]] || usage; cmd_env ;;
    *) usage ;;
  esac
}

main "$@"
