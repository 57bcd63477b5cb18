#!/bin/sh
# Golden tests of licence determination through the CLI (called by tests/run-all):
#   tests/golden/decide/NAME.json  a shipment; `build/xcheck decide NAME.json [NAME.args]` must
#                                  print NAME.out byte for byte and exit NAME.status (default 0);
#   tests/golden/decide/NAME.cmd   other verbs (groups, timeline): arguments of one build/xcheck call.
# A case whose NAME.needs names a path under ../shared that is missing is skipped.
# UPDATE=1 rewrites the expected files (review the diff before committing).
# The regime data's digest in "data_version" is written as <sha>: a data edit changes it in every
# answer, and what these cases check is the decision, not which bytes the data had.
# Prints "decide golden: N passed, N failed, N skipped".
set -u
cd "$(dirname "$0")/../.." || exit 2
dir=tests/golden/decide
# Cases name shared files as ../shared/...; they are read from $XCHECK_SHARED when it is set.
shared=${XCHECK_SHARED:-../shared}
subst() { sed "s#\.\./shared#$shared#g" "$1"; }
passed=0 failed=0 skipped=0
for input in "$dir"/*.json "$dir"/*.cmd; do
    [ -f "$input" ] || continue
    name=${input%.*}
    if [ -f "$name.needs" ] && [ ! -e "$(subst "$name.needs")" ]; then
        if [ "${CI:-}" = true ]; then
            failed=$((failed + 1))
            echo "FAIL decide golden $(basename "$name"): $(subst "$name.needs") missing under CI"
        else
            skipped=$((skipped + 1))
            echo "SKIP decide golden $(basename "$name"): $(subst "$name.needs") missing"
        fi
        continue
    fi
    actual=$(mktemp)
    case $input in
    *.json)
        args=""
        [ -f "$name.args" ] && args=$(subst "$name.args")
        eval "XCHECK_DATA= build/xcheck decide $input $args" >"$actual" 2>/dev/null
        ;;
    *.cmd)
        eval "XCHECK_DATA= build/xcheck $(cat "$input")" >"$actual" 2>/dev/null
        ;;
    esac
    status=$?
    sed -i 's/regimes sha256:[0-9a-f]\{12\}/regimes sha256:<sha>/g' "$actual"
    want_status=0
    [ -f "$name.status" ] && want_status=$(cat "$name.status")
    if [ "${UPDATE:-0}" = 1 ]; then
        cp "$actual" "$name.out"
        if [ "$status" = 0 ]; then rm -f "$name.status"; else echo "$status" >"$name.status"; fi
        want_status=$status
    fi
    if [ "$status" = "$want_status" ] && cmp -s "$actual" "$name.out"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL decide golden $(basename "$name"): exit $status (want $want_status)"
        diff "$name.out" "$actual" | head -20
    fi
    rm -f "$actual"
done
echo "decide golden: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
