#!/bin/sh
# PostgreSQL extension tests: a throwaway server with the extension (tests/tools/pgtmp.sh: a
# temporary installation, initdb in a temporary folder, a Unix socket there only, run as nobody
# when started as root), pg_regress over pg/sql/ against pg/expected/, then the server and every
# temporary file removed. The regression tests compare the extension's answers with the CLI's for
# the same names (written here to work/cli.jsonl by build/xcheck screen --json) and rewrite a
# watch list the server reads. Without PostgreSQL (pg_config, its server headers, initdb,
# pg_regress) this is a skip that says so, or a failure under CI=true.
# Prints "pg: N passed, N failed, N skipped".
set -u
cd "$(dirname "$0")/../.." || exit 2
root=$(pwd)
passed=0 failed=0
. tests/tools/pgtmp.sh

if ! why=$(pgtmp_check); then
    if [ "${CI:-}" = true ]; then
        echo "FAIL pg: $why (CI=true: PostgreSQL is required; scripts/install-deps installs it)"
        echo "pg: 0 passed, 1 failed, 0 skipped"; exit 1
    fi
    echo "SKIP pg: $why (scripts/install-deps installs postgresql and postgresql-server-dev-15)"
    echo "pg: 0 passed, 0 failed, 1 skipped"; exit 0
fi
pgtmp_check >/dev/null
[ -f build/libxcheck.so ] && [ -x build/xcheck ] ||
    { echo "FAIL pg: build first (make)"; echo "pg: 0 passed, 1 failed"; exit 1; }
tmp=$(mktemp -d)
trap 'pgtmp_stop; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

# The server exports its own functions to extensions; a function libxcheck.so imports under the
# same name (jansson's json_object against the SQL function json_object) would bind to the
# server's: none may. (Functions only: a variable the server copies from a library it links,
# libxml2's xmlFree, is the same variable for both.)
nm -D --defined-only "$pg_bindir/postgres" | awk '$2 ~ /^[TWi]$/ {print $3}' | sed 's/@.*//' |
    sort -u >"$tmp/server.syms"
nm -D --undefined-only build/libxcheck.so | awk '{print $2}' | sed 's/@.*//' | sort -u >"$tmp/lib.syms"
clash=$(comm -12 "$tmp/server.syms" "$tmp/lib.syms" | tr '\n' ' ')
if [ -z "$clash" ]; then passed=$((passed + 1)); else
    echo "FAIL pg: libxcheck.so imports functions the server defines (they would bind to the server's): $clash"
    failed=$((failed + 1))
fi

# Lists: the bundled sample, and a watch list the tests rewrite (the server writes it).
work=$tmp/work
mkdir -p "$work"
cat >"$work/watch.csv" <<'CSV'
list_id,entity_id,name,aliases,kind,country,date_of_birth,identifiers
acme_watch,W1,Quentin Oldfield,Q. Oldfield,person,GB,1961-04-02,
acme_watch,W2,Borealis Freight Forwarding Ltd,,organization,FI,,
CSV
# The CLI's answers for the names the regression test screens again in SQL.
: >"$work/cli.jsonl"
while IFS= read -r name; do
    XCHECK_DATA= XCHECK_MAX_AGE_DAYS= build/xcheck screen --data "$root/data/samples" \
        --data "$work/watch.csv" --json --no-audit "$name" >>"$work/cli.jsonl" 2>"$tmp/cli.err" ||
        { cat "$tmp/cli.err"; echo "FAIL pg: xcheck screen $name"; failed=$((failed + 1)); }
done <<'NAMES'
Kim Jong Un
KIM Jong-un
Korea Mining Development Trading Corporation
Vladimir Putin
Sergei Lavrov
Li Fangwei
Ali Khamenei
Foreign Trade Bank of the DPRK
Quentin Oldfield
Borealis Freight Forwarding
Zebulon Quixotic Farthingale
NAMES

if ! pgtmp_setup "$tmp" "$root/data/samples,$work/watch.csv"; then
    echo "FAIL pg: no server"; echo "pg: $passed passed, $((failed + 1)) failed"; exit 1
fi

tests="xcheck parallel"
mkdir -p "$work/out"
[ -n "$pg_run_as" ] && chown -R nobody "$work"
# shellcheck disable=SC2086
$pg_run_as env XCHECK_CLI_ANSWERS="$work/cli.jsonl" XCHECK_WATCH_FILE="$work/watch.csv" \
    "$pg_regress" --inputdir="$root/pg" --outputdir="$work/out" --bindir="$pg_bindir" \
    --host="$tmp/sock" --port=5432 --dbname=xcheck_regression $tests >"$tmp/regress.log" 2>&1
grep -E '^test |^ok |^not ok ' "$tmp/regress.log"
ok_count=$(grep -cE '\.\.\. ok|^ok ' "$tmp/regress.log")
bad_count=$(grep -cE '\.\.\. FAILED|^not ok ' "$tmp/regress.log")
passed=$((passed + ok_count)); failed=$((failed + bad_count))
if [ "$ok_count" -eq 0 ] && [ "$bad_count" -eq 0 ]; then
    cat "$tmp/regress.log"; failed=$((failed + 1))
fi
if [ "$bad_count" -gt 0 ] && [ -f "$work/out/regression.diffs" ]; then
    for t in $tests; do
        grep -qE "^test $t .*FAILED|^not ok .* $t " "$tmp/regress.log" && echo "FAIL pg: $t"
    done
    head -80 "$work/out/regression.diffs"
    # KEEP_RESULTS=1 keeps the actual outputs in pg/results/ to review or adopt.
    [ "${KEEP_RESULTS:-0}" = 1 ] && mkdir -p pg/results && cp "$work/out/results/"*.out pg/results/
fi
# The backends opened their engines through the snapshot folder (xcheck.snapshot_dir).
snaps=$(find "$work/snapshots" -name '*.snap' 2>/dev/null | wc -l)
if [ "$snaps" -gt 0 ]; then passed=$((passed + 1)); else
    echo "FAIL pg: no snapshot written in xcheck.snapshot_dir"; failed=$((failed + 1))
fi
[ "$failed" -eq 0 ] || grep -E 'FATAL|PANIC|TRAP|terminated' "$work/server.log" | head -10
echo "pg: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
