#!/bin/sh
# pg_bench.sh — the PostgreSQL extension's figures (run by `make bench`, from the project root,
# on a throwaway server: tests/tools/pgtmp.sh). Lists: OFAC SDN, UN, CSL from ../shared.
#   - speed: BENCH_ROWS customer rows (default 1,000,000: yente's negatives and UN positives,
#     repeated with variations, bench/pg_names.py) screened in SQL on both cores
#     (CROSS JOIN LATERAL xcheck_screen, a parallel plan), and by the CLI's `screen --input` on
#     the same rows in the same run; rows/s and their ratio;
#   - pg_trgm side by side: a GIN trigram index over the lists' names and aliases, `%` with
#     similarity() ordering (the top 10 per row, as xcheck_screen's default), its rows/s on
#     BENCH_TRGM_ROWS of the same rows (default 2,000: pg_trgm runs under 100 rows/s), and recall of yente's UN positives
#     (a hit on the UN list) and alerts per 1,000 of BENCH_NEG negatives (default 2,000; any
#     hit), for pg_trgm at its default threshold (0.3) and at 0.5, and for xcheck (its default
#     threshold, the possible band), on the same names;
#   - backend memory (VmRSS, anonymous and file-backed) before and after the engine opens,
#     the first call's time in a new backend (engine mapped from the snapshot) against the
#     second's, and memory after screening the same 100,000 rows once and three times in one
#     backend (a leak would grow it).
# Figures are printed, never asserted.
set -u
cd "$(dirname "$0")/.." || exit 2
root=$(pwd)
shared=${XCHECK_SHARED:-$root/../shared}
rows=${BENCH_ROWS:-1000000} trgm_rows=${BENCH_TRGM_ROWS:-2000} neg=${BENCH_NEG:-2000}
. tests/tools/pgtmp.sh
if ! why=$(pgtmp_check); then echo "pg_bench: skipped: $why"; exit 0; fi
pgtmp_check >/dev/null
for f in ofac/sdn.csv un/consolidated.xml us-csl/consolidated.csv; do
    [ -f "$shared/data/lists/$f" ] || { echo "pg_bench: skipped: no $shared/data/lists/$f"; exit 0; }
done
tmp=$(mktemp -d)
trap 'pgtmp_stop; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
work=$tmp/work
mkdir -p "$work"
lists="$shared/data/lists/ofac/sdn.csv,$shared/data/lists/un/consolidated.xml,$shared/data/lists/us-csl/consolidated.csv"
python3 bench/pg_names.py "$shared" "$work" "$rows" "$neg" || exit 1
PGTMP_CONF="max_parallel_workers_per_gather = 2
shared_buffers = 256MB
work_mem = 64MB" pgtmp_setup "$tmp" "$lists" || exit 1
[ -n "$pg_run_as" ] && chown -R nobody "$work"

now() { date +%s.%N; }
elapsed() { echo "$1 $2" | awk '{printf "%.2f", $2 - $1}'; }
rate() { echo "$1 $2" | awk '{printf "%.0f", $1 / $2}'; }
sql() { pgtmp_psql -At -v ON_ERROR_STOP=1 -c "$1"; }

sql "CREATE EXTENSION xcheck; CREATE EXTENSION pg_trgm;
     CREATE TABLE customers (id int PRIMARY KEY, name text, dob text);
     COPY customers FROM '$work/customers.csv' WITH (FORMAT csv, HEADER);
     CREATE TABLE names (list text, entity_id text, name text);
     COPY names FROM '$work/names.csv' WITH (FORMAT csv, HEADER);
     CREATE TABLE positives (name text);
     COPY positives FROM '$work/positives.csv' WITH (FORMAT csv, HEADER);
     CREATE TABLE negatives (name text);
     COPY negatives FROM '$work/negatives.csv' WITH (FORMAT csv, HEADER);
     CREATE INDEX names_trgm ON names USING gin (name gin_trgm_ops);
     ANALYZE;" >/dev/null || exit 1
echo "lists: $(sql "SELECT string_agg(id || ' ' || entities || ' entities', ', ') FROM xcheck_lists()")"
echo "pg_trgm names table: $(sql "SELECT count(*) FROM names") names and aliases (GIN trigram index)"

# Backend memory and the first call (the snapshot is written by the calls above).
mem() { # pid -> "rss MB, anon MB, file MB"
    awk '/^VmRSS/ {r=$2} /^RssAnon/ {a=$2} /^RssFile/ {f=$2}
         END {printf "VmRSS %.0f MB (anonymous %.0f MB, file-backed %.0f MB)", r/1024, a/1024, f/1024}' "/proc/$1/status"
}
{
    echo "SELECT pg_backend_pid();"
    echo "\\o $tmp/pid"
    echo "SELECT pg_backend_pid();"
    echo "\\o"
    echo "\\! sleep 0.2; touch $tmp/ready0; while [ ! -f $tmp/go1 ]; do sleep 0.1; done"
    echo "DO \$\$ DECLARE t0 timestamptz; t1 timestamptz; t2 timestamptz; BEGIN"
    echo "t0 := clock_timestamp(); PERFORM count(*) FROM xcheck_screen('Vladimir Putin');"
    echo "t1 := clock_timestamp(); PERFORM count(*) FROM xcheck_screen('Vladimir Putin');"
    echo "t2 := clock_timestamp(); RAISE NOTICE 'first call % ms, second % ms',"
    echo "round(extract(epoch FROM t1 - t0) * 1000, 2), round(extract(epoch FROM t2 - t1) * 1000, 2);"
    echo "END \$\$;"
    echo "\\! touch $tmp/ready1; while [ ! -f $tmp/go2 ]; do sleep 0.1; done"
    echo "SET max_parallel_workers_per_gather = 0;"
    echo "SELECT count(*) FROM customers c CROSS JOIN LATERAL xcheck_screen(c.name) m WHERE c.id <= 100000;"
    echo "\\! touch $tmp/ready2; while [ ! -f $tmp/go3 ]; do sleep 0.1; done"
    echo "SELECT count(*) FROM customers c CROSS JOIN LATERAL xcheck_screen(c.name) m WHERE c.id <= 100000;"
    echo "SELECT count(*) FROM customers c CROSS JOIN LATERAL xcheck_screen(c.name) m WHERE c.id <= 100000;"
    echo "\\! touch $tmp/ready3; while [ ! -f $tmp/go4 ]; do sleep 0.1; done"
} >"$tmp/mem.sql"
chmod 644 "$tmp/mem.sql"; chmod 777 "$tmp"
pgtmp_psql -At -f "$tmp/mem.sql" >"$tmp/mem.out" 2>&1 &
wait_for() { while [ ! -f "$1" ]; do sleep 0.1; done; }
wait_for "$tmp/ready0"; pid=$(tr -d ' \n' <"$tmp/pid")
echo "memory: new backend: $(mem "$pid")"; touch "$tmp/go1"
wait_for "$tmp/ready1"
echo "memory: after the engine opened: $(mem "$pid")"
echo "new backend: $(grep -o 'first call.*' "$tmp/mem.out")"
touch "$tmp/go2"; wait_for "$tmp/ready2"
echo "memory: after 100,000 calls (the same rows once, up to 100,000): $(mem "$pid")"; touch "$tmp/go3"; wait_for "$tmp/ready3"
echo "memory: after 300,000 calls (the same 100,000 rows twice more): $(mem "$pid")"; touch "$tmp/go4"; wait

# Speed: SQL on both cores against the CLI's screen --input on the same rows.
t0=$(now)
sql_hits=$(sql "SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
    SELECT count(DISTINCT c.id) FROM customers c CROSS JOIN LATERAL xcheck_screen(c.name, 'person', NULL, NULLIF(c.dob, '')) m" | tail -1)
t1=$(now); t_sql=$(elapsed "$t0" "$t1")
python3 - "$work/customers.csv" "$tmp/cli_in.csv" <<'PY'
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f, open(sys.argv[2], "w", newline="", encoding="utf-8") as o:
    r = csv.reader(f); w = csv.writer(o); next(r); w.writerow(["id", "name", "kind", "dob"])
    for row in r:
        w.writerow([row[0], row[1], "person", row[2]])
PY
d="--data $shared/data/lists/ofac/sdn.csv --data $shared/data/lists/un/consolidated.xml --data $shared/data/lists/us-csl/consolidated.csv"
export XDG_CACHE_HOME="$tmp/cache"
# shellcheck disable=SC2086
XCHECK_DATA= build/xcheck lists $d >/dev/null 2>&1 # the snapshot, as the server has one
t0=$(now)
# shellcheck disable=SC2086
XCHECK_DATA= build/xcheck screen $d --input "$tmp/cli_in.csv" --output "$tmp/cli_out.jsonl" --no-audit 2>/dev/null
t1=$(now); t_cli=$(elapsed "$t0" "$t1")
cli_hits=$(grep -vc '"matches":\[\]' "$tmp/cli_out.jsonl")
echo "speed: $rows rows, SQL (xcheck_screen, parallel plan, 2 cores): $t_sql s, $(rate "$rows" "$t_sql") rows/s, $sql_hits rows with a match"
echo "speed: $rows rows, CLI (screen --input, $(nproc) threads): $t_cli s, $(rate "$rows" "$t_cli") rows/s, $cli_hits rows with a match"
echo "speed: SQL / CLI rows/s: $(echo "$t_cli $t_sql" | awk '{printf "%.2f", $1 / $2}')"

# pg_trgm on the same rows, then quality side by side on the same names.
trgm() { # threshold, from-clause rows -> seconds
    t0=$(now)
    sql "SET pg_trgm.similarity_threshold = $1; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
         SELECT count(DISTINCT c.id) FROM (SELECT * FROM customers ORDER BY id LIMIT $2) c
         CROSS JOIN LATERAL (SELECT n.entity_id FROM names n WHERE n.name % c.name
                             ORDER BY similarity(n.name, c.name) DESC LIMIT 10) m" >/dev/null
    t1=$(now); elapsed "$t0" "$t1"
}
t_trgm=$(trgm 0.3 "$trgm_rows")
t0=$(now)
sql "SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
     SELECT count(DISTINCT c.id) FROM (SELECT * FROM customers ORDER BY id LIMIT $trgm_rows) c
     CROSS JOIN LATERAL xcheck_screen(c.name, 'person') m" >/dev/null
t1=$(now); t_x=$(elapsed "$t0" "$t1")
echo "pg_trgm: $trgm_rows rows, % (0.3) + similarity() top 10: $t_trgm s, $(rate "$trgm_rows" "$t_trgm") rows/s; xcheck_screen on the same rows: $t_x s, $(rate "$trgm_rows" "$t_x") rows/s"
for th in 0.3 0.5; do
    sql "SET pg_trgm.similarity_threshold = $th;
         SELECT 'pg_trgm ' || $th || ': recall of UN positives ' ||
                round(avg((EXISTS (SELECT 1 FROM names n WHERE n.list = 'un_sc' AND n.name % p.name))::int), 4) ||
                ' (' || count(*) || ' names)' FROM positives p"
    sql "SET pg_trgm.similarity_threshold = $th;
         SELECT 'pg_trgm ' || $th || ': alerts per 1,000 negatives ' ||
                round(1000.0 * avg((EXISTS (SELECT 1 FROM names n WHERE n.name % g.name))::int), 2) ||
                ' (' || count(*) || ' names)' FROM negatives g"
done
sql "SELECT 'xcheck: recall of UN positives ' ||
            round(avg((EXISTS (SELECT 1 FROM xcheck_screen(p.name, 'person') m WHERE m.list = 'un_sc'))::int), 4) ||
            ' (' || count(*) || ' names)' FROM positives p"
sql "SELECT 'xcheck: alerts per 1,000 negatives ' ||
            round(1000.0 * avg((EXISTS (SELECT 1 FROM xcheck_screen(g.name, 'person') m))::int), 2) ||
            ' (' || count(*) || ' names)' FROM negatives g"
