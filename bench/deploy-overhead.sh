#!/usr/bin/env bash
# Deploy overhead: a topology of 20 nodes whose operations are trivial playbooks (one debug task each),
# deployed by image-builder, against the floor an xOpera-like orchestrator sits on: 20 sequential plain
# `ansible-playbook` runs of the same playbook, in the same run. Also the speed-up of --workers 4 on 20
# independent nodes. Prints medians of RUNS runs (default 3) and the ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
runs=${RUNS:-3}
nodes=20
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -f executor/target/image-builder.jar ] || mvn -q -B package -DskipTests

mkdir -p "$work/playbooks"
cat > "$work/playbooks/noop.yml" <<'YAML'
- hosts: all
  gather_facts: false
  tasks:
    - ansible.builtin.debug:
        msg: "{{ name | default('noop') }}"
YAML
echo 'localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3' > "$work/hosts"

# $1 = chain (each node depends on the previous) or independent
write_template() {
  {
    echo "tosca_definitions_version: tosca_simple_yaml_1_3"
    echo "topology_template:"
    echo "  node_templates:"
    for i in $(seq 1 "$nodes"); do
      echo "    n$i:"
      echo "      type: tosca.nodes.Root"
      echo "      interfaces:"
      echo "        Standard:"
      echo "          create:"
      echo "            implementation: playbooks/noop.yml"
      echo "            inputs: {name: n$i}"
      if [ "$1" = chain ] && [ "$i" -gt 1 ]; then
        echo "      requirements: [{dependency: n$((i - 1))}]"
      fi
    done
  } > "$work/$1.yaml"
}
write_template chain
write_template independent


plain_playbooks() {
  for i in $(seq 1 "$nodes"); do
    ANSIBLE_NOCOLOR=1 ansible-playbook -i "$work/hosts" -e "name=n$i" "$work/playbooks/noop.yml" >/dev/null
  done
}
ours() { bin/image-builder deploy --clean-state --state-dir "$work/state-$1-$2" --workers "$2" "$work/$1.yaml"; }

a=() b=() c=() d=()
for _ in $(seq "$runs"); do
  a+=("$(timed plain_playbooks)")
  b+=("$(timed ours chain 1)")
  c+=("$(timed ours independent 1)")
  d+=("$(timed ours independent 4)")
done
ta=$(median_of "${a[@]}")
tb=$(median_of "${b[@]}")
tc=$(median_of "${c[@]}")
td=$(median_of "${d[@]}")
printf 'deploy overhead, %d nodes, median of %d runs\n' "$nodes" "$runs"
printf '  %-52s %7.2f s\n' "20 sequential ansible-playbook runs (floor)" "$ta"
printf '  %-52s %7.2f s   ratio to floor %.2f\n' "image-builder deploy, chain, --workers 1" "$tb" "$(echo "$tb / $ta" | bc -l)"
printf '  %-52s %7.2f s\n' "image-builder deploy, independent, --workers 1" "$tc"
printf '  %-52s %7.2f s   speed-up %.2fx\n' "image-builder deploy, independent, --workers 4" "$td" "$(echo "$tc / $td" | bc -l)"
