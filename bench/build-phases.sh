#!/usr/bin/env bash
# Where a cached build's time goes: one bin/image-builder build of one image on the loopback build host over SSH
# (after a warm-up build, whose SSH connection it uses), every line of its output stamped with the time since the
# command started, and the phases read off the lines that begin them. Also counts the processes the build starts, by program, with strace.
# Needs the loopback environment: scripts/testenv.sh up.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
testenv=${TESTENV_DIR:-/var/lib/image-builder-testenv}
registry=127.0.0.1:5000
[ -f executor/target/image-builder.jar ] || mvn -q -B package -DskipTests
command -v strace >/dev/null || { echo "bench/build-phases.sh needs strace (apt-get install strace)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/context"
printf 'FROM %s/library/busybox:latest\nCOPY hello.txt /hello.txt\nRUN cat /hello.txt > /copy\n' "$registry" \
  > "$work/context/Dockerfile"
echo "bench" > "$work/context/hello.txt"
loopback_params "$work/params.yaml" "$work/context" bench/phases:v1
export PATH="$testenv/bin:$PATH"
build() { bin/image-builder build --lock-file "$work/lock.json" --registry-password-stdin "$work/params.yaml" \
  < "$testenv/registry/password"; }
build > /dev/null 2>&1   # warm the engine's cache

python3 - "$work" <<'PY'
import subprocess, sys, time
work = sys.argv[1]
start = time.time()
p = subprocess.Popen(["bash", "-c", 'bin/image-builder build --lock-file "$0/lock.json" --registry-password-stdin '
                      '"$0/params.yaml" < "$1/registry/password"', work,
                      "/var/lib/image-builder-testenv"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
stamped = [(time.time() - start, line) for line in p.stdout]
p.wait()
end = time.time() - start
marks = [("JVM start, reading and checking the input, planning the run", None),
         ("the fetch step", "==> image: Standard.create"),
         ("the SSH connection the warm-up build kept taken, the engine asked its version over it, and the build"
          " (docker build over that connection); the registry login meanwhile", "==> image: Standard.start"),
         ("push (or asking the engine and the registry whether the registry holds the image as built)",
          "naming to"),
         ("lock, provenance and SBOMs", "pushed " + "127.0.0.1"),
         ("state saved, results written", "lock recorded"),
         ("JVM exit", None)]
times = [0.0]
for name, marker in marks[1:-1]:
    times.append(next((t for t, l in stamped if marker in l), times[-1]))
times.append(stamped[-1][0] if stamped else end)
times.append(end)
print("| phase | seconds |\n|---|---|")
for (name, _), a, b in zip(marks, times, times[1:]):
    print("| %s | %.3f |" % (name, b - a))
print("| total | %.3f |" % end)
PY

strace -f -e trace=execve -o "$work/strace" bin/image-builder build --lock-file "$work/lock.json" \
  --registry-password-stdin "$work/params.yaml" < "$testenv/registry/password" > /dev/null 2>&1
echo
python3 - "$work/strace" <<'PY'
import collections, os, re, sys
counts = collections.Counter()
for line in open(sys.argv[1]):
    m = re.search(r'execve\("([^"]*)", \[(.*?)\]', line)
    if not m or "ENOENT" in line:
        continue
    program = os.path.basename(m.group(1))
    args = re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(2))
    if program == "docker":
        counts["docker " + (args[1] if len(args) > 1 else "")] += 1
    elif m.group(1) == "/usr/bin/ssh":
        counts["ssh " + ("-O " + args[args.index("-O") + 1] if "-O" in args else "(the connection)")] += 1
    elif program in ("mkfifo", "flock", "docker-credential-imagebuilder"):
        counts[program] += 1
print("| process the build started | times |\n|---|---|")
for name, n in sorted(counts.items()):
    print("| %s | %d |" % (name.strip(), n))
PY
