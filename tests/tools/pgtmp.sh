# pgtmp.sh — a throwaway PostgreSQL server with the xcheck extension, for tests/golden/run-pg.sh
# and bench/pg_bench.sh (sourced, POSIX sh; run from the project root after `make`).
#
# The extension is built against the tree's libxcheck and installed into a temporary
# installation of the server: copies of the system's postgres, initdb and pg_ctl binaries, whose
# share and lib folders link the system's files and add the extension's (PostgreSQL finds them
# relative to its own binary, as its own `make check` does), so the system's directories are
# never written and concurrent runs cannot disturb each other. The cluster lives in
# $PGTMP/data, listens on a Unix socket in $PGTMP/sock only, and runs as nobody when started
# as root (initdb refuses root). Files the server must read or write go in $PGTMP/work
# (owned by the server's user).
#
#   pgtmp_check            0 when PostgreSQL and its server headers are here, else prints why
#   pgtmp_setup DIR DATA   build, install, initdb, start; xcheck.data = DATA ("" = unset);
#                          extra postgresql.conf lines from $PGTMP_CONF
#   pgtmp_psql ARGS...     psql on the throwaway server as its superuser
#   pgtmp_stop             stop the server (removing DIR is the caller's)

pgtmp_check() {
    command -v pg_config >/dev/null 2>&1 || { echo "no pg_config"; return 1; }
    pgxs=$(pg_config --pgxs 2>/dev/null)
    [ -f "$pgxs" ] || { echo "no PGXS ($pgxs): the server headers are not installed"; return 1; }
    pg_bindir=$(pg_config --bindir) pg_pkglibdir=$(pg_config --pkglibdir)
    pg_sharedir=$(pg_config --sharedir)
    for f in "$pg_bindir/postgres" "$pg_bindir/initdb" "$pg_bindir/pg_ctl" "$pg_bindir/psql"; do
        [ -x "$f" ] || { echo "no $f"; return 1; }
    done
    pg_regress=$(dirname "$pgxs")/../test/regress/pg_regress
    [ -x "$pg_regress" ] || { echo "no pg_regress ($pg_regress)"; return 1; }
    pg_run_as=""
    if [ "$(id -u)" = 0 ]; then
        command -v runuser >/dev/null 2>&1 || { echo "running as root without runuser"; return 1; }
        pg_run_as="runuser -u nobody --"
    fi
    return 0
}

pgtmp_setup() {
    PGTMP=$1
    pg_inst=$PGTMP/inst
    chmod 755 "$PGTMP"
    if ! make --no-print-directory -s -C pg >"$PGTMP/build.log" 2>&1 ||
       ! make --no-print-directory -s -C pg install DESTDIR="$pg_inst" >>"$PGTMP/build.log" 2>&1; then
        cat "$PGTMP/build.log"; echo "building the extension failed"; return 1
    fi
    mkdir -p "$pg_inst$pg_bindir" "$pg_inst$pg_sharedir/extension" "$pg_inst$pg_pkglibdir"
    cp "$pg_bindir/postgres" "$pg_bindir/initdb" "$pg_bindir/pg_ctl" "$pg_inst$pg_bindir/"
    for f in "$pg_sharedir"/*; do
        [ "$(basename "$f")" = extension ] || ln -s "$f" "$pg_inst$pg_sharedir/"
    done
    for f in "$pg_sharedir"/extension/*; do
        case $(basename "$f") in
            xcheck.control|xcheck--*) ;;
            *) ln -s "$f" "$pg_inst$pg_sharedir/extension/" ;;
        esac
    done
    for f in "$pg_pkglibdir"/*; do
        [ -e "$pg_inst$pg_pkglibdir/$(basename "$f")" ] || ln -s "$f" "$pg_inst$pg_pkglibdir/"
    done
    # The library the extension links, found as an installed copy would be.
    mkdir -p "$PGTMP/lib" "$PGTMP/work" "$PGTMP/sock" "$PGTMP/data"
    cp -P build/libxcheck.so* "$PGTMP/lib/"
    [ -n "$pg_run_as" ] && chown -R nobody "$PGTMP/work" "$PGTMP/sock" "$PGTMP/data"
    if ! $pg_run_as env LD_LIBRARY_PATH="$PGTMP/lib" "$pg_inst$pg_bindir/initdb" -D "$PGTMP/data" \
            -A trust -E UTF8 --no-locale --no-sync >"$PGTMP/initdb.log" 2>&1; then
        cat "$PGTMP/initdb.log"; echo "initdb failed"; return 1
    fi
    {
        echo "listen_addresses = ''"
        echo "unix_socket_directories = '$PGTMP/sock'"
        echo "fsync = off"
        echo "max_worker_processes = 8"
        echo "max_parallel_workers = 4"
        [ -n "$2" ] && echo "xcheck.data = '$2'"
        echo "xcheck.snapshot_dir = '$PGTMP/work/snapshots'"
        [ -n "${PGTMP_CONF:-}" ] && echo "$PGTMP_CONF"
    } >>"$PGTMP/data/postgresql.conf"
    if ! $pg_run_as env LD_LIBRARY_PATH="$PGTMP/lib" "$pg_inst$pg_bindir/pg_ctl" -D "$PGTMP/data" \
            -l "$PGTMP/work/server.log" -w -t 60 start >/dev/null 2>&1; then
        cat "$PGTMP/work/server.log"; echo "the server did not start"; return 1
    fi
    return 0
}

pgtmp_psql() {
    $pg_run_as "$pg_bindir/psql" -X -q -h "$PGTMP/sock" -p 5432 -d postgres "$@"
}

pgtmp_stop() {
    if [ -n "${PGTMP:-}" ] && [ -f "$PGTMP/data/postmaster.pid" ]; then
        $pg_run_as "$pg_inst$pg_bindir/pg_ctl" -D "$PGTMP/data" -m immediate stop >/dev/null 2>&1
    fi
    return 0
}
