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
