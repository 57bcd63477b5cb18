#!/bin/sh
# Tests of `xcheck serve` over real HTTP (called by tests/run-all): starts build/xcheck serve on
# a port it picks, sends the requests of tests/golden/server/*.req and checks the answers against
# *.out byte for byte, then checks limits, bad clients and a clean stop on SIGTERM (see
# tests/tools/server_check.py). UPDATE=1 rewrites the expected files (review the diff).
# Prints "server golden: N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 2
if [ -z "${XDG_DATA_HOME:-}" ] || [ -z "${XDG_CACHE_HOME:-}" ]; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    XDG_DATA_HOME=$tmp/data XDG_CACHE_HOME=$tmp/cache
    export XDG_DATA_HOME XDG_CACHE_HOME
fi
python3 tests/tools/server_check.py
