#!/bin/sh
# bench_server.sh — `xcheck serve` under load (run by `make bench`; figures printed, never
# asserted). Installs every list of SHARED_DIR/data/lists as managed lists in a temporary
# data folder, starts the server on a free loopback port (--threads 2), and drives it with wrk
# (one connection thread, 32 connections, DURATION seconds each, default 10):
#   - GET /healthz, the cost of the HTTP layer alone;
#   - GET /v1/screen, one party per request (names from yente's negatives: mostly no match);
#   - POST /v1/screen, batches of 100 parties (screens/s = requests/s x 100), beside the
#     in-process figure of the same parties measured in the same run (`xcheck screen --input`,
#     every core, no audit);
#   - POST /match/default (yente), 10 queries per request.
# Prints requests/s and the p50/p99 latency of each, and the server's resident memory.
# usage: bench_server.sh [SHARED_DIR] (wrk must be installed: scripts/install-deps)
set -u
root=$(cd "$(dirname "$0")/.." && pwd) || exit 2
shared=${1:-${XCHECK_SHARED:-$root/../shared}}
shared=$(cd "$shared" 2>/dev/null && pwd) || { echo "bench_server: no shared folder: skipped"; exit 0; }
cd "$root" || exit 2
duration=${DURATION:-10}
X=$(pwd)/build/xcheck
if ! command -v wrk >/dev/null 2>&1; then
    echo "bench_server: wrk not installed (scripts/install-deps installs it): skipped"
    exit 0
fi
negatives=$shared/data/eval/yente/negatives_global.csv
if [ ! -d "$shared/data/lists" ] || [ ! -f "$negatives" ]; then
    echo "bench_server: $shared/data/lists or $negatives missing: skipped"
    exit 0
fi
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
export XDG_DATA_HOME=$tmp/data XDG_CACHE_HOME=$tmp/cache XCHECK_DATA= XCHECK_MAX_AGE_DAYS=
"$X" update --from "$shared/data/lists" >/dev/null 2>&1
"$X" lists >/dev/null 2>&1 # writes the snapshot the server maps

# Requests for wrk: URL paths and JSON bodies from the negatives (first 20,000 names).
python3 - "$negatives" "$tmp" <<'EOF'
import csv, json, sys, urllib.parse
src, out = sys.argv[1], sys.argv[2]
names = []
with open(src, newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        if row["full_name"].strip():
            names.append((row["full_name"], row["date_of_birth"]))
        if len(names) == 20000:
            break
with open(f"{out}/paths.txt", "w") as f:
    for n, d in names:
        f.write("/v1/screen?kind=person&name=" + urllib.parse.quote(n) + "&dob=" + d + "\n")
with open(f"{out}/batches.txt", "w") as f:
    for i in range(0, len(names), 100):
        f.write(json.dumps([{"name": n, "kind": "person", "dob": d} for n, d in names[i:i + 100]],
                           ensure_ascii=False) + "\n")
with open(f"{out}/match.txt", "w") as f:
    for i in range(0, len(names), 10):
        q = {str(k): {"schema": "Person", "properties": {"name": [n], "birthDate": [d]}}
             for k, (n, d) in enumerate(names[i:i + 10])}
        f.write(json.dumps({"queries": q}, ensure_ascii=False) + "\n")
with open(f"{out}/parties.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["name", "kind", "dob"])
    for n, d in names:
        w.writerow([n, "person", d])
EOF

# One Lua script for all three: each request takes the next line of a file, as a path (GET) or
# as the body of a POST to a fixed path.
cat >"$tmp/lines.lua" <<'EOF'
local lines, i = {}, 0
local method, target = os.getenv("WRK_METHOD"), os.getenv("WRK_PATH")
for line in io.lines(os.getenv("WRK_FILE")) do lines[#lines + 1] = line end
request = function()
    i = i % #lines + 1
    if method == "GET" then return wrk.format("GET", lines[i]) end
    return wrk.format("POST", target, {["Content-Type"] = "application/json"}, lines[i])
end
EOF

"$X" serve --listen 127.0.0.1:0 --threads 2 >"$tmp/out" 2>"$tmp/log" &
pid=$!
for _ in $(seq 100); do grep -q listening "$tmp/out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$tmp/out" | head -n 1)
if [ -z "$port" ]; then
    echo "bench_server: the server did not start"; cat "$tmp/log"; exit 1
fi
lists=$(curl -s "http://127.0.0.1:$port/v1/lists" | python3 -c 'import json,sys; d=json.load(sys.stdin)["lists"]; print(len(d), "lists,", sum(l["entities"] for l in d), "entities")')
echo "server: $lists, 2 threads; wrk: 1 thread, 32 connections, ${duration} s per run"

run() { # label, method, file, path, per-request parties
    label=$1
    WRK_METHOD=$2 WRK_FILE=$3 WRK_PATH=$4 wrk -t1 -c32 -d"${duration}s" --latency \
        -s "$tmp/lines.lua" "http://127.0.0.1:$port" >"$tmp/wrk" 2>&1
    rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$tmp/wrk")
    p50=$(awk '$1 == "50%" {print $2}' "$tmp/wrk")
    p99=$(awk '$1 == "99%" {print $2}' "$tmp/wrk")
    errors=$(grep -E "Non-2xx|Socket errors" "$tmp/wrk" | tr -s ' ' | tr '\n' ' ')
    screens=$(python3 -c "print(f'{float(\"${rps:-0}\") * $5:,.0f}')")
    echo "$label: ${rps:-?} requests/s (${screens} screens/s), p50 ${p50:-?}, p99 ${p99:-?}${errors:+; $errors}"
}
echo /healthz >"$tmp/health.txt"
run "GET /healthz (the HTTP layer alone)" GET "$tmp/health.txt" - 0
run "GET /v1/screen (1 party)" GET "$tmp/paths.txt" - 1
run "POST /v1/screen (100 parties)" POST "$tmp/batches.txt" /v1/screen 100
run "POST /match/default (10 queries)" POST "$tmp/match.txt" /match/default 10
rss=$(awk '/VmRSS/ {print $2 / 1024 " MB"}' "/proc/$pid/status")
echo "server resident memory after the runs: $rss"
kill -TERM "$pid"
wait "$pid"
echo "server exit status after SIGTERM: $?"
pid=

# The same parties in process: `xcheck screen --input`, every core.
python3 - "$X" "$tmp/parties.csv" <<'EOF'
import subprocess, sys, time
x, parties = sys.argv[1], sys.argv[2]
t = time.monotonic()
subprocess.run([x, "screen", "--no-audit", "--input", parties, "--output", "/dev/null"], check=True,
               stderr=subprocess.DEVNULL)
s = time.monotonic() - t
print(f"in process (xcheck screen --input, 20,000 parties, every core): {20000 / s:,.0f} screens/s")
EOF
