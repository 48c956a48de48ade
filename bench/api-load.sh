#!/usr/bin/env bash
# REST API load: CLIENTS concurrent clients (default 20) submit TOTAL dry-run builds (default 500) to
# bin/image-builder serve, against H2 and PostgreSQL, with one and two server instances (each with WORKERS
# workers, default 2). Reports accepted submissions per second, p50/p99 submit latency, the time until every
# build has ended, and checks in the database that each accepted build is there exactly once.
#   bench/api-load.sh                 all four set-ups
#   bench/api-load.sh h2 1            one set-up: DB (h2|postgresql) and INSTANCES (1|2)
# Needs the loopback environment (scripts/testenv.sh up) for PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${CLIENTS:-20}
total=${TOTAL:-500}
workers=${WORKERS:-2}
testenv=${TESTENV_DIR:-/var/lib/image-builder-testenv}
pg_port=5433
pg_user=imagebuilder
[ -f executor/target/image-builder.jar ] || mvn -q -B package -DskipTests
h2_jar=$(ls executor/target/lib/h2-*.jar)

work=$(mktemp -d)
chmod 700 "$work"
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# one API key, random; the server keeps only its SHA-256
export IB_BENCH_KEY
IB_BENCH_KEY=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
printf 'bench %s\n' "$(printf '%s' "$IB_BENCH_KEY" | sha256sum | cut -d' ' -f1)" > "$work/api-keys"
cat > "$work/request.json" <<'JSON'
{"source": {"dockerfile": {"url": "http://127.0.0.1:8000/no_context/Dockerfile"}},
 "target": {"images": [{"image": "bench/api", "tag": "@TAG@", "platforms": ["linux/amd64"]}],
            "registry": {"url": "127.0.0.1:5000", "username": "builder", "password": "not-used-by-dry-runs"}}}
JSON

pg_sql() {  # pg_sql DB SQL: runs SQL as the test user; the password goes through a private passfile
  (umask 077 && printf '127.0.0.1:%s:*:%s:%s\n' "$pg_port" "$pg_user" "$(<"$testenv/postgres/password")" > "$work/pgpass")
  PGPASSFILE="$work/pgpass" psql -X -q -t -A -w -h 127.0.0.1 -p "$pg_port" -U "$pg_user" -d "$1" -c "$2"
}

start_server() {  # start_server NAME DB_ARGS...: sets $port, records the pid
  local name=$1 out="$work/$1.log"
  shift
  port=""
  bin/image-builder serve --host 127.0.0.1 --port 0 --workers "$workers" --api-keys "$work/api-keys" \
    --state-dir "$work/$name" --secret-key "$work/secret.key" --docker-host ssh://root@127.0.0.1:2221 "$@" \
    > "$out" 2>&1 &
  pids+=("$!")
  for _ in $(seq 1 300); do
    port=$(sed -n 's/.*listening on [^ ]*:\([0-9]*\) .*/\1/p' "$out")
    [ -n "$port" ] && break
    sleep 0.1
  done
  [ -n "$port" ] || { echo "server $name did not start:" >&2; cat "$out" >&2; exit 1; }
}

run() {
  local db=$1 instances=$2 ports=() i dbname="" result rows port
  local -a dbargs
  if [ "$db" = h2 ]; then
    # two processes share one H2 file database through H2's automatic server mode
    dbargs=(--db "jdbc:h2:file:$work/h2-$instances/db;AUTO_SERVER=TRUE")
  else
    dbname="ib_bench_$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    pg_sql imagebuilder "CREATE DATABASE $dbname" >/dev/null
    export IMAGE_BUILDER_DB_PASSWORD
    IMAGE_BUILDER_DB_PASSWORD=$(<"$testenv/postgres/password")
    dbargs=(--db "jdbc:postgresql://127.0.0.1:$pg_port/$dbname" --db-user "$pg_user")
  fi
  for i in $(seq 1 "$instances"); do
    start_server "$db-$instances-$i" "${dbargs[@]}"
    ports+=("$port")
  done
  result=$(IB_BENCH_IDS="$work/ids" python3 bench/api-load.py "$(IFS=,; echo "${ports[*]}")" "$clients" "$total" \
    "$work/request.json")
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
  local query="SELECT COUNT(*) || ' rows, ' || COUNT(DISTINCT id) || ' distinct, ' || SUM(CASE WHEN status = 'succeeded' THEN 1 ELSE 0 END) || ' succeeded' FROM builds"
  if [ "$db" = h2 ]; then
    rows=$(java -cp "$h2_jar" org.h2.tools.Shell -url "jdbc:h2:file:$work/h2-$instances/db" -sql "$query" | sed -n 2p)
  else
    rows=$(pg_sql "$dbname" "$query")
    pg_sql imagebuilder "DROP DATABASE $dbname WITH (FORCE)" >/dev/null
  fi
  printf '%-10s %d instance(s): %s; in the database: %s\n' "$db" "$instances" "$result" "$rows"
}

echo "$clients clients, $total dry-run submissions, $workers workers per server, $(nproc) cores"
if [ $# -eq 2 ]; then
  run "$1" "$2"
else
  for db in h2 postgresql; do
    for instances in 1 2; do run "$db" "$instances"; done
  done
fi
