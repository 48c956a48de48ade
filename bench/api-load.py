#!/usr/bin/env python3
"""Load generator for bench/api-load.sh: CLIENTS threads submit TOTAL dry-run builds to the servers on PORTS
(round robin, one keep-alive connection per client), then wait until every build has ended.
The API key comes from the environment (IB_BENCH_KEY), never from the command line. Prints one JSON object."""
import http.client
import json
import os
import sys
import threading
import time

ports = [int(p) for p in sys.argv[1].split(",")]
clients = int(sys.argv[2])
total = int(sys.argv[3])
key = os.environ["IB_BENCH_KEY"]
template = open(sys.argv[4]).read()
headers = {"X-API-Key": key, "Content-Type": "application/json"}

lock = threading.Lock()
issued = 0
latencies = []
ids = []
failures = []


def client(index):
    global issued
    conn = http.client.HTTPConnection("127.0.0.1", ports[index % len(ports)], timeout=120)
    while True:
        with lock:
            if issued >= total:
                break
            issued += 1
            n = issued
        body = template.replace("@TAG@", "b%d" % n)
        started = time.perf_counter()
        conn.request("POST", "/builds?dry_run=true", body, headers)
        response = conn.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - started
        with lock:
            if response.status == 202:
                latencies.append(elapsed)
                ids.append(json.loads(data)["id"])
            else:
                failures.append("%d %s" % (response.status, data[:200]))
    conn.close()


def pending():
    conn = http.client.HTTPConnection("127.0.0.1", ports[0], timeout=60)
    count = 0
    for status in ("queued", "running"):
        conn.request("GET", "/builds?limit=1&status=" + status, headers={"X-API-Key": key})
        count += len(json.loads(conn.getresponse().read())["items"])
    conn.close()
    return count


start = time.perf_counter()
threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
for t in threads:
    t.start()
for t in threads:
    t.join()
submitted = time.perf_counter() - start
while pending():
    time.sleep(0.2)
finished = time.perf_counter() - start

latencies.sort()


def pct(p):
    return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else None


print(json.dumps({
    "accepted": len(ids),
    "distinct_ids": len(set(ids)),
    "failures": failures[:5],
    "submit_seconds": round(submitted, 2),
    "accepted_per_second": round(len(ids) / submitted, 1),
    "p50_ms": round(pct(0.50), 1),
    "p99_ms": round(pct(0.99), 1),
    "all_done_seconds": round(finished, 2),
}))
with open(os.environ["IB_BENCH_IDS"], "w") as f:
    f.write("\n".join(ids) + "\n")
