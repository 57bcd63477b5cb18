#!/bin/sh
# Installation test: `make install` into a temporary PREFIX, then a program built against the
# installed library through pkg-config alone (tests/install/prog.c: opens the engine on the
# installed sample, screens a name, checks the best match), shared and static; the exported
# symbols of libxcheck.so are exactly the functions include/xcheck.h declares (no internal xc__
# name); the installed CLI finds its sample outside the source tree; a DESTDIR-staged install
# names the final PREFIX and `make uninstall` removes every file it installed.
# Prints "install: N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 2
passed=0 failed=0
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL install: $*"; }
check() { # description, command...
    what=$1; shift
    if "$@" >/dev/null 2>&1; then ok; else fail "$what"; fi
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/usr
version=$(sed -n 's/^#define XC_VERSION "\([0-9.]*\)".*/\1/p' include/xcheck.h)
major=${version%%.*}

if ! make --no-print-directory -s install PREFIX="$prefix" LDCONFIG=: >"$tmp/make.log" 2>&1; then
    cat "$tmp/make.log"; fail "make install PREFIX=$prefix"
    echo "install: $passed passed, $failed failed"; exit 1
fi
ok
lib=$prefix/lib
for f in bin/xcheck lib/libxcheck.so.$version lib/libxcheck.a include/xcheck.h \
         lib/pkgconfig/xcheck.pc share/xcheck/samples/sdn.csv share/xcheck/examples/polyimide_kr.json; do
    check "installed $f" test -f "$prefix/$f"
done
check "libxcheck.so.$major -> libxcheck.so.$version" \
    test "$(readlink "$lib/libxcheck.so.$major")" = "libxcheck.so.$version"
check "libxcheck.so -> libxcheck.so.$major" test "$(readlink "$lib/libxcheck.so")" = "libxcheck.so.$major"
soname=$(readelf -d "$lib/libxcheck.so.$version" | sed -n 's/.*Library soname: \[\(.*\)\].*/\1/p')
check "SONAME libxcheck.so.$major (got '$soname')" test "$soname" = "libxcheck.so.$major"

# Exported symbols: the header's functions, nothing else (the version node aside).
nm -D --defined-only "$lib/libxcheck.so.$version" | awk '$2 != "A" {print $3}' | sed 's/@.*//' |
    sort -u >"$tmp/exported"
grep -oE '\bxc_[a-z0-9_]+\(' include/xcheck.h | tr -d '(' | sort -u >"$tmp/declared"
internal=$(grep -c '^xc__' "$tmp/exported")
check "no internal xc__ symbol exported ($internal are)" test "$internal" -eq 0
n_exported=$(wc -l <"$tmp/exported")
if cmp -s "$tmp/exported" "$tmp/declared" && [ "$n_exported" -gt 40 ]; then ok; else
    fail "exported symbols differ from include/xcheck.h's functions (< exported, > declared):"
    diff "$tmp/exported" "$tmp/declared" | head -10
fi

# A front end built through pkg-config only, against the installed copy.
export PKG_CONFIG_PATH="$lib/pkgconfig"
check "pkg-config --modversion = $version" test "$(pkg-config --modversion xcheck)" = "$version"
cflags=$(pkg-config --cflags xcheck) libs=$(pkg-config --libs xcheck)
case " $cflags " in *" -I$prefix/include "*) ok ;; *) fail "cflags '$cflags' lack -I$prefix/include" ;; esac
# shellcheck disable=SC2086
if cc -std=c11 -Wall -Werror -o "$tmp/prog" tests/install/prog.c $cflags $libs 2>"$tmp/cc.log"; then
    ok
    run() { LD_LIBRARY_PATH=$lib "$tmp/prog" "$prefix/share/xcheck/samples" "$@"; }
    out=$(run "Korea Mining Development Trading Corporation" us_ofac_sdn 9345)
    case $out in ok*) ok ;; *) fail "prog (shared): $out" ;; esac
    out=$(run "Zebulon Quixotic Farthingale" us_ofac_sdn 9345)
    case $out in *"no match"*) ok ;; *) fail "prog: an unlisted name matched: $out" ;; esac
    resolved=$(LD_LIBRARY_PATH=$lib ldd "$tmp/prog" | awk '/libxcheck/ {print $3}')
    check "prog loads the installed library (ldd: $resolved)" \
        test "$(readlink -f "$resolved")" = "$(readlink -f "$lib/libxcheck.so.$version")"
else
    cat "$tmp/cc.log"; fail "cc prog.c \$(pkg-config --cflags --libs xcheck)"
fi
# The archive with its dependencies as xcheck.pc names them (Requires.private, Libs.private),
# linked against their shared libraries (Debian ships no static libcurl closure).
deps=$(pkg-config --print-requires-private xcheck | awk '{print $1}' | tr '\n' ' ')
# shellcheck disable=SC2046,SC2086
if cc -std=c11 -o "$tmp/prog-static" tests/install/prog.c $cflags "$lib/libxcheck.a" \
        $(pkg-config --libs $deps) -lpthread -lm 2>"$tmp/cc.log"; then
    out=$("$tmp/prog-static" "$prefix/share/xcheck/samples" "LIMMT Economic and Trade Company" us_ofac_sdn 9749)
    case $out in ok*) ok ;; *) fail "prog (static): $out" ;; esac
else
    cat "$tmp/cc.log"; fail "static link with pkg-config --static --libs xcheck"
fi

# The installed CLI, run outside the source tree, finds its installed sample.
out=$(cd "$tmp" && XCHECK_DATA= "$prefix/bin/xcheck" screen --sample "LI Fangwei" 2>&1)
case $out in *11447*) ok ;; *) fail "installed xcheck screen --sample: $out" ;; esac

# A staged install (DESTDIR) is laid out for its final PREFIX; uninstall leaves no file behind.
stage=$tmp/stage
if make --no-print-directory -s install DESTDIR="$stage" PREFIX=/opt/xcheck >"$tmp/make.log" 2>&1; then
    check "DESTDIR: library under the stage" test -f "$stage/opt/xcheck/lib/libxcheck.so.$version"
    check "DESTDIR: xcheck.pc names PREFIX" grep -qx 'prefix=/opt/xcheck' "$stage/opt/xcheck/lib/pkgconfig/xcheck.pc"
    make --no-print-directory -s uninstall DESTDIR="$stage" PREFIX=/opt/xcheck >"$tmp/make.log" 2>&1
    left=$(find "$stage" ! -type d | wc -l)
    check "DESTDIR: uninstall left $left files" test "$left" -eq 0
else
    cat "$tmp/make.log"; fail "make install DESTDIR=$stage"
fi
make --no-print-directory -s uninstall PREFIX="$prefix" LDCONFIG=: >"$tmp/make.log" 2>&1
left=$(find "$prefix" ! -type d | wc -l)
check "uninstall PREFIX=$prefix left $left files" test "$left" -eq 0

echo "install: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
