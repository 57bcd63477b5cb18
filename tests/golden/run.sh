#!/bin/sh
# Golden tests of CLI output: each tests/golden/cli/NAME.cmd holds the arguments of one
# `build/xcheck` call (shell words, run from the project root; a case may end in 2>&1 to check
# the error message too); its standard output must equal
# NAME.out byte for byte, and its exit status NAME.status (default 0). UPDATE=1 rewrites the
# expected files (review the diff before committing).
set -u
cd "$(dirname "$0")/../.." || exit 2
passed=0 failed=0
for cmd in tests/golden/cli/*.cmd; do
    [ -f "$cmd" ] || continue
    name=${cmd%.cmd}
    args=$(cat "$cmd")
    actual=$(mktemp)
    # no list from the caller's environment: each case names its own (--data, --sample)
    eval "XCHECK_DATA= XCHECK_MAX_AGE_DAYS= build/xcheck $args" >"$actual" 2>/dev/null
    status=$?
    want_status=0
    [ -f "$name.status" ] && want_status=$(cat "$name.status")
    if [ "${UPDATE:-0}" = 1 ]; then
        cp "$actual" "$name.out"
        [ "$status" = 0 ] || echo "$status" >"$name.status"
    fi
    if [ "$status" = "$want_status" ] && cmp -s "$actual" "$name.out"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL golden $(basename "$name"): exit $status (want $want_status)"
        diff "$name.out" "$actual" | head -20
    fi
    rm -f "$actual"
done
echo "golden: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
