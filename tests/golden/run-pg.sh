#!/bin/sh
# PostgreSQL extension tests: builds pg/ against the tree's libxcheck, installs it into a
# temporary installation of the server (a copy of the system's postgres binaries, whose share
# and lib folders link the system's files and add the extension's; PostgreSQL finds them
# relative to its own binary), so the system's directories are never written and concurrent
# runs cannot disturb each other. initdb makes a throwaway cluster in a temporary folder,
# listening on a Unix socket in that folder only, run as an unprivileged user (nobody when
# run as root); pg_regress runs pg/sql/*.sql against pg/expected/; then the cluster and every
# temporary file are removed. The regression tests compare the extension's answers with the
# CLI's for the same names (written here to $tmp/cli.jsonl by build/xcheck screen --json).
# Without PostgreSQL (pg_config, its server headers, initdb, pg_regress) this is a skip that says
# so, or a failure under CI=true. Prints "pg: N passed, N failed, N skipped".
set -u
cd "$(dirname "$0")/../.." || exit 2
root=$(pwd)
passed=0 failed=0

skip() {
    if [ "${CI:-}" = true ]; then
        echo "FAIL pg: $* (CI=true: PostgreSQL is required; scripts/install-deps installs it)"
        echo "pg: 0 passed, 1 failed, 0 skipped"; exit 1
    fi
    echo "SKIP pg: $* (scripts/install-deps installs postgresql and postgresql-server-dev-15)"
    echo "pg: 0 passed, 0 failed, 1 skipped"; exit 0
}
command -v pg_config >/dev/null 2>&1 || skip "no pg_config"
pgxs=$(pg_config --pgxs 2>/dev/null)
[ -f "$pgxs" ] || skip "no PGXS ($pgxs): the server headers are not installed"
bindir=$(pg_config --bindir) pkglibdir=$(pg_config --pkglibdir) sharedir=$(pg_config --sharedir)
for f in "$bindir/postgres" "$bindir/initdb" "$bindir/pg_ctl" "$bindir/psql"; do
    [ -x "$f" ] || skip "no $f"
done
regress=$(dirname "$pgxs")/../test/regress/pg_regress
[ -x "$regress" ] || skip "no pg_regress ($regress)"
[ -f build/libxcheck.so ] && [ -x build/xcheck ] || { echo "FAIL pg: build first (make)"; echo "pg: 0 passed, 1 failed"; exit 1; }

tmp=$(mktemp -d)
inst=$tmp/inst

# The server exports its own functions to extensions; a symbol libxcheck.so imports under the
# same name (jansson's json_object against the SQL function json_object) would bind to the
# server's: none may. (Functions only: a variable the server copies from a library it links,
# libxml2's xmlFree, is the same variable for both.)
nm -D --defined-only "$bindir/postgres" | awk '$2 ~ /^[TWi]$/ {print $3}' | sed 's/@.*//' | sort -u >"$tmp/server.syms"
nm -D --undefined-only build/libxcheck.so | awk '{print $2}' | sed 's/@.*//' | sort -u >"$tmp/lib.syms"
clash=$(comm -12 "$tmp/server.syms" "$tmp/lib.syms" | tr '\n' ' ')
if [ -z "$clash" ]; then passed=$((passed + 1)); else
    echo "FAIL pg: libxcheck.so imports symbols the server defines (they would bind to the server's): $clash"
    failed=$((failed + 1))
fi
run_as=""
if [ "$(id -u)" = 0 ]; then run_as="runuser -u nobody --"; fi
cleanup() {
    if [ -f "$tmp/data/postmaster.pid" ]; then
        $run_as "$inst$bindir/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
chmod 755 "$tmp"

# The extension, built against the tree's library and installed into the temporary installation.
if ! make --no-print-directory -s -C pg >"$tmp/build.log" 2>&1 ||
   ! make --no-print-directory -s -C pg install DESTDIR="$inst" >>"$tmp/build.log" 2>&1; then
    cat "$tmp/build.log"; echo "FAIL pg: building the extension"; echo "pg: 0 passed, 1 failed"; exit 1
fi
mkdir -p "$inst$bindir" "$inst$sharedir/extension" "$inst$pkglibdir"
cp "$bindir/postgres" "$bindir/initdb" "$bindir/pg_ctl" "$inst$bindir/"
for f in "$sharedir"/*; do
    [ "$(basename "$f")" = extension ] || ln -s "$f" "$inst$sharedir/"
done
for f in "$sharedir"/extension/*; do
    case $(basename "$f") in xcheck.control|xcheck--*) ;; *) ln -s "$f" "$inst$sharedir/extension/" ;; esac
done
for f in "$pkglibdir"/*; do
    [ -e "$inst$pkglibdir/$(basename "$f")" ] || ln -s "$f" "$inst$pkglibdir/"
done
# The library the extension links, as an installed copy would be found.
mkdir -p "$tmp/lib"
cp -P build/libxcheck.so* "$tmp/lib/"

# Lists: the bundled sample, and a watch list the tests rewrite (the server must write it).
mkdir -p "$tmp/lists" "$tmp/snapshots" "$tmp/sock" "$tmp/data" "$tmp/out"
cat >"$tmp/lists/watch.csv" <<'CSV'
list_id,entity_id,name,aliases,kind,country,date_of_birth,identifiers
acme_watch,W1,Quentin Oldfield,Q. Oldfield,person,GB,1961-04-02,
acme_watch,W2,Borealis Freight Forwarding Ltd,,organization,FI,,
CSV
data="$root/data/samples,$tmp/lists/watch.csv"

# The CLI's answers for the names the regression test screens again in SQL.
: >"$tmp/cli.jsonl"
while IFS= read -r name; do
    XCHECK_DATA= XCHECK_MAX_AGE_DAYS= build/xcheck screen --data "$root/data/samples" \
        --data "$tmp/lists/watch.csv" --json --no-audit "$name" >>"$tmp/cli.jsonl" 2>"$tmp/cli.err" ||
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
[ "$run_as" ] && chown -R nobody "$tmp/lists" "$tmp/snapshots" "$tmp/sock" "$tmp/data" "$tmp/out"

export LD_LIBRARY_PATH="$tmp/lib"
if ! $run_as "$inst$bindir/initdb" -D "$tmp/data" -A trust -E UTF8 --no-locale --no-sync \
        >"$tmp/initdb.log" 2>&1; then
    cat "$tmp/initdb.log"; echo "FAIL pg: initdb"; echo "pg: 0 passed, 1 failed"; exit 1
fi
cat >>"$tmp/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$tmp/sock'
fsync = off
max_worker_processes = 8
max_parallel_workers = 4
xcheck.data = '$data'
xcheck.snapshot_dir = '$tmp/snapshots'
CONF
if ! $run_as env LD_LIBRARY_PATH="$tmp/lib" "$inst$bindir/pg_ctl" -D "$tmp/data" \
        -l "$tmp/out/server.log" -w -t 60 start >/dev/null 2>&1; then
    cat "$tmp/out/server.log"; echo "FAIL pg: the server did not start"; echo "pg: 0 passed, 1 failed"; exit 1
fi

tests="xcheck parallel"
# shellcheck disable=SC2086
$run_as env XCHECK_CLI_ANSWERS="$tmp/cli.jsonl" XCHECK_WATCH_FILE="$tmp/lists/watch.csv" \
    "$regress" --inputdir="$root/pg" --outputdir="$tmp/out" --bindir="$bindir" \
    --host="$tmp/sock" --port=5432 --dbname=xcheck_regression $tests >"$tmp/regress.log" 2>&1
cat "$tmp/regress.log" | grep -E '^(test|ok|not ok| *[a-z_]+ +\.\.\.)' 
ok_count=$(grep -cE '\.\.\. ok|^ok ' "$tmp/regress.log")
bad_count=$(grep -cE '\.\.\. FAILED|^not ok ' "$tmp/regress.log")
passed=$((passed + ok_count)); failed=$((failed + bad_count))
if [ "$ok_count" -eq 0 ] && [ "$bad_count" -eq 0 ]; then
    cat "$tmp/regress.log"; failed=$((failed + 1))
fi
if [ "$bad_count" -gt 0 ] && [ -f "$tmp/out/regression.diffs" ]; then
    for t in $tests; do
        grep -q "^test $t .*FAILED\|not ok.* $t " "$tmp/regress.log" && echo "FAIL pg: $t"
    done
    head -80 "$tmp/out/regression.diffs"
    [ "${KEEP_RESULTS:-0}" = 1 ] && mkdir -p pg/results && cp "$tmp/out/results/"*.out pg/results/
fi
# The backends opened their engines through the snapshot folder (xcheck.snapshot_dir).
snaps=$(find "$tmp/snapshots" -name '*.snap' | wc -l)
if [ "$snaps" -gt 0 ]; then passed=$((passed + 1)); else
    echo "FAIL pg: no snapshot written in xcheck.snapshot_dir"; failed=$((failed + 1))
fi
[ "$failed" -eq 0 ] || grep -E 'FATAL|PANIC|TRAP|terminated' "$tmp/out/server.log" | head -10
echo "pg: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
