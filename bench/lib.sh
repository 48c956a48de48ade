# Helpers the benchmark scripts share; source it after cd to the repository root.

# median: the median of the numbers on standard input, one per line.
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# median_of N...: the median of the arguments.
median_of() { printf '%s\n' "$@" | median; }

# timed CMD...: runs CMD, its output discarded (it would be taken for the time), and prints its wall time in seconds.
timed() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc -l; }

# timed_median CMD...: the median wall time of $runs runs of CMD; $before_each, when set, runs untimed before each.
timed_median() {
  local out=() i
  for i in $(seq "$runs"); do
    ${before_each:+$before_each}
    out+=("$(timed "$@")")
  done
  median_of "${out[@]}"
}

# loopback_params FILE CONTEXT IMAGE: writes a build_params file that builds directory CONTEXT as IMAGE (name:tag) on
# loopback build host 1 and pushes it to the loopback registry as its user builder; $testenv is the environment.
loopback_params() {
  cat > "$1" <<YAML
build_params:
  source: {path: $2}
  target:
    registry: {url: 127.0.0.1:5000, username: builder}
    images: [{image: ${3%:*}, tag: ${3##*:}}]
docker_host: ssh://root@127.0.0.1:2221
ssh_private_key: $testenv/client_key
known_hosts: $testenv/known_hosts
build_network: none
YAML
}
