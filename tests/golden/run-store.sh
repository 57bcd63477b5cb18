#!/bin/sh
# Store behaviour of the CLI (called by tests/run-all): with the managed lists (installed by
# `xcheck update` under a temporary $XDG_DATA_HOME) `screen` and `decide` append audit entries,
# a batch `screen --input` one per row; `--data` alone and `--no-audit` do not; `--db` does;
# `lists` warns about a source whose version in service is older than --max-age /
# $XCHECK_MAX_AGE_DAYS (fetch times aged in the store file with Python's sqlite3); `rescreen`
# runs after an update. Needs ../shared's OFAC history ($XCHECK_SHARED); skipped without it
# (a failure under CI=true). Prints "store golden: N passed, N failed, N skipped".
set -u
cd "$(dirname "$0")/../.." || exit 2
shared=${XCHECK_SHARED:-../shared}
X=$(pwd)/build/xcheck
passed=0 failed=0 skipped=0
sdn=$shared/data/lists/ofac/history/sdn-2024-05-02.csv
if [ ! -f "$sdn" ]; then
    if [ "${CI:-}" = true ]; then failed=1; echo "FAIL store golden: $sdn missing under CI"
    else skipped=1; echo "SKIP store golden: $sdn missing"; fi
    # --max-shrink guards names as well as entities: the same entities with an empty alias file
# lose about half their names and are refused; the complete version stays in service.
set21=$shared/data/lists/ofac/consistent-2021-07-07
export XDG_DATA_HOME=$tmp/xdg2
mkdir -p "$tmp/full/ofac" "$tmp/noalt/ofac"
cp "$set21/sdn.csv" "$set21/alt.csv" "$set21/add.csv" "$tmp/full/ofac/"
cp "$set21/sdn.csv" "$set21/add.csv" "$tmp/noalt/ofac/"
: >"$tmp/noalt/ofac/alt.csv"
"$X" update --from "$tmp/full" --source us_ofac_sdn >/dev/null 2>&1
rc=0; "$X" update --from "$tmp/noalt" --source us_ofac_sdn >"$tmp/upd" 2>&1 || rc=$?
check update_names_shrink_refused '[ $rc -ne 0 ] && grep -q "names and aliases, more than 10% fewer than the" "$tmp/upd" && grep -q "version in service is kept" "$tmp/upd"'
"$X" lists --json >"$tmp/lists.json" 2>/dev/null
check update_names_shrink_kept_full 'grep -q "\"id\":\"us_ofac_sdn\",[^}]*\"names\":2" "$tmp/lists.json" && ! grep -q "\"incomplete\":true" "$tmp/lists.json"'
echo "store golden: $passed passed, $failed failed, $skipped skipped"
    [ "$failed" -eq 0 ]; exit
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_DATA_HOME=$tmp/xdg XCHECK_DATA=
unset XCHECK_MAX_AGE_DAYS
check() { # name, condition (shell words)
    name=$1; shift
    if eval "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL store golden $name: $*"; fi
}
entries() { "$X" audit list --db "${1:-$XDG_DATA_HOME/xcheck/xcheck.db}" | wc -l; }

mkdir -p "$tmp/offline/ofac"
cp "$sdn" "$tmp/offline/ofac/sdn.csv"
# The archived SDN is sdn.csv alone: refused (alt.csv and add.csv are required), then
# installed marked incomplete on request; every answer from it says so.
rc=0; "$X" update --from "$tmp/offline" --source us_ofac_sdn >"$tmp/upd" 2>&1 || rc=$?
check update_incomplete_refused '[ $rc -ne 0 ] && grep -q "alt.csv not found in" "$tmp/upd" && grep -q "us_ofac_sdn *rejected" "$tmp/upd" && [ ! -e "$XDG_DATA_HOME/xcheck/lists/us_ofac_sdn/current" ]'
"$X" update --from "$tmp/offline" --source us_ofac_sdn --allow-incomplete >"$tmp/upd" 2>&1
check update_incomplete_allowed 'grep -q "us_ofac_sdn *installed.*INCOMPLETE: installed without alt.csv;add.csv" "$tmp/upd" && [ -f "$XDG_DATA_HOME/xcheck/lists/us_ofac_sdn/current/.xcheck-incomplete" ]'
"$X" screen --no-audit --json 'Sansara' >"$tmp/inc.json" 2>&1
check screen_incomplete_marked 'grep -q "\"us_ofac_sdn\":{[^}]*\"incomplete\":true" "$tmp/inc.json" && grep -q "us_ofac_sdn is incomplete: loaded without alt.csv;add.csv" "$tmp/inc.json"'
n0=$(entries)
"$X" screen 'Limited Liability Company Sansara' >"$tmp/out" 2>&1
check screen_managed_answers 'grep -q "us_ofac_sdn:48840" "$tmp/out"'
check screen_managed_audited '[ $(entries) -eq $((n0 + 1)) ]'
"$X" audit list --json | tail -n 1 >"$tmp/last"
check screen_audit_entry 'grep -q "\"kind\":\"screen\",\"query\":{\"name\":\"Limited Liability Company Sansara\"" "$tmp/last" && grep -q "\"data_version\":{\"us_ofac_sdn\":{" "$tmp/last"'
"$X" screen --no-audit 'Sansara' >/dev/null 2>&1
check screen_no_audit '[ $(entries) -eq $((n0 + 1)) ]'
"$X" screen --data "$tmp/offline/ofac" --allow-incomplete 'Sansara' >/dev/null 2>&1
check screen_data_not_audited '[ $(entries) -eq $((n0 + 1)) ]'
"$X" screen --data "$tmp/offline/ofac" --allow-incomplete --db "$tmp/other.db" 'Sansara' >/dev/null 2>&1
check screen_data_with_db '[ $(entries "$tmp/other.db") -eq 1 ]'
printf 'id,name\np1,Sansara\np2,Ivan Petrov\np3,\n' >"$tmp/in.csv"
"$X" screen --input "$tmp/in.csv" --output "$tmp/out.jsonl" 2>/dev/null
check screen_batch_one_entry_per_row '[ $(entries) -eq $((n0 + 4)) ] && [ $(wc -l <"$tmp/out.jsonl") -eq 3 ]'
printf '{"date":"2024-06-01","exporter":"DE","destination":"JP","items":[{"jurisdiction":"EU","code":"3C002"}]}' >"$tmp/ship.json"
if "$X" decide "$tmp/ship.json" >"$tmp/decided" 2>"$tmp/err"; then
    check decide_audited '[ $(entries) -eq $((n0 + 5)) ] && "$X" audit list | tail -n 1 | grep -q " decide "'
else
    check decide_runs 'false'; cat "$tmp/err"
fi
check audit_verifies '"$X" audit verify >/dev/null'

# Age of the managed sources.
"$X" lists >"$tmp/lists" 2>"$tmp/lists.err"
check lists_fresh_no_warning '! grep -q WARNING "$tmp/lists" && ! [ -s "$tmp/lists.err" ] && grep -q "^us_ofac_sdn " "$tmp/lists"'
/usr/bin/python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"UPDATE list_versions SET fetched_at='2020-01-01T00:00:00.000Z'\"); c.commit()" "$XDG_DATA_HOME/xcheck/xcheck.db"
"$X" lists >"$tmp/lists" 2>"$tmp/lists.err"
check lists_old_warns 'grep -q "us_ofac_sdn .*WARNING: older than the limit" "$tmp/lists" && grep -q "limit 7 days" "$tmp/lists.err"'
"$X" lists --max-age 100000 >"$tmp/lists" 2>&1
check lists_max_age_option '! grep -q WARNING "$tmp/lists"'
XCHECK_MAX_AGE_DAYS=100000 "$X" lists >"$tmp/lists" 2>&1
check lists_max_age_env '! grep -q WARNING "$tmp/lists"'
XCHECK_MAX_AGE_DAYS=30 "$X" lists >"$tmp/lists" 2>&1
check lists_env_limit_used 'grep -q "limit 30 days" "$tmp/lists"'

# rescreen after import and update.
printf 'id,name\na,Limited Liability Company Sansara\nb,Philippa Worthington\n' >"$tmp/parties.csv"
"$X" parties import "$tmp/parties.csv" >/dev/null
"$X" rescreen --json >"$tmp/rescreen.json"
check rescreen_first_run 'grep -q "\"mode\":\"full\"" "$tmp/rescreen.json" && grep -q "\"full\":2,\"reevaluated\":0,\"hits\":1,\"alerts\":1" "$tmp/rescreen.json"'
"$X" rescreen >"$tmp/rescreen.txt"
check rescreen_nothing_changed 'grep -q "unchanged" "$tmp/rescreen.txt" && grep -q "2 screened (0 in full" "$tmp/rescreen.txt"'

# A folder with no list in it is a mistake, not "nothing new"; a dangling link is named.
mkdir -p "$tmp/empty" "$tmp/dangling/ofac"
rc=0; "$X" update --from "$tmp/empty" >"$tmp/upd" 2>&1 || rc=$?
check update_empty_folder_fails '[ $rc -ne 0 ] && grep -q "no list file of any source found" "$tmp/upd"'
ln -s "$tmp/nowhere.csv" "$tmp/dangling/ofac/sdn.csv"
rc=0; "$X" update --from "$tmp/dangling" --source us_ofac_sdn >"$tmp/upd" 2>&1 || rc=$?
check update_dangling_link_named '[ $rc -ne 0 ] && grep -q "is a link to a missing or unreadable file" "$tmp/upd"'
# --max-shrink guards names as well as entities: the same entities with an empty alias file
# lose about half their names and are refused; the complete version stays in service.
set21=$shared/data/lists/ofac/consistent-2021-07-07
export XDG_DATA_HOME=$tmp/xdg2
mkdir -p "$tmp/full/ofac" "$tmp/noalt/ofac"
cp "$set21/sdn.csv" "$set21/alt.csv" "$set21/add.csv" "$tmp/full/ofac/"
cp "$set21/sdn.csv" "$set21/add.csv" "$tmp/noalt/ofac/"
: >"$tmp/noalt/ofac/alt.csv"
"$X" update --from "$tmp/full" --source us_ofac_sdn >/dev/null 2>&1
rc=0; "$X" update --from "$tmp/noalt" --source us_ofac_sdn >"$tmp/upd" 2>&1 || rc=$?
check update_names_shrink_refused '[ $rc -ne 0 ] && grep -q "names and aliases, more than 10% fewer than the" "$tmp/upd" && grep -q "version in service is kept" "$tmp/upd"'
"$X" lists --json >"$tmp/lists.json" 2>/dev/null
check update_names_shrink_kept_full 'grep -q "\"id\":\"us_ofac_sdn\",[^}]*\"names\":2" "$tmp/lists.json" && ! grep -q "\"incomplete\":true" "$tmp/lists.json"'
echo "store golden: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
