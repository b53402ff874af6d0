#!/bin/sh
# A throw-away PostgreSQL server for tests and benchmarks.
#
#   pg_scratch.sh run CMD [ARG...]  start a server, run CMD with BRIDGE_TEST_PG=<uri> in its
#                                   environment, stop and delete the server (also when CMD
#                                   fails or the script is interrupted); exits with CMD's status
#   pg_scratch.sh start             start a server and print its connection URI
#   pg_scratch.sh stop URI          stop the server of a URI printed by start and delete it
#   pg_scratch.sh pause URI         stop that server but keep its data (fault tests: the
#                                   database goes away mid-ingest)
#   pg_scratch.sh resume URI        start a paused server again, on the same socket
#
# The cluster lives in a fresh directory under $TMPDIR (or /tmp), made by initdb with trust
# authentication, and listens ONLY on a Unix socket in that directory (listen_addresses=''),
# so nothing outside the directory's owner can reach it and no TCP port is taken. The port
# number only names the socket file (.s.PGSQL.<port>); it is picked at random and checked
# free in that private directory.
#
# PostgreSQL refuses to run as root: as root (CI), initdb, pg_ctl and postgres run as the
# `postgres` system user (created by the Debian package) and the directory belongs to it.
#
# The server binaries come from /usr/lib/postgresql/<version>/bin (the newest there), or
# from PG_BINDIR. A missing server is an error, never a silent skip: scripts/bootstrap
# installs the postgresql package.
#
# run mode stops CMD after PG_SCRATCH_TIMEOUT seconds (default 280, under ctest's 300), so
# the server is always stopped by this script rather than orphaned by a killed test.
set -eu

die() {
    echo "pg_scratch: $*" >&2
    exit 1
}

find_bindir() {
    if [ -n "${PG_BINDIR:-}" ]; then
        [ -x "$PG_BINDIR/initdb" ] || die "PG_BINDIR=$PG_BINDIR has no initdb"
        echo "$PG_BINDIR"
        return
    fi
    best=""
    for d in /usr/lib/postgresql/*/bin; do
        [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ] && best="$d"
    done
    [ -n "$best" ] || die "no PostgreSQL server found in /usr/lib/postgresql/*/bin;" \
        "install it with scripts/bootstrap (Debian package postgresql)"
    # The glob sorts 13 < 15 < 16 as text; good enough for the one or two installed majors.
    echo "$best"
}

# Runs a command as the cluster's owner: the postgres user when we are root.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# The socket directory of a URI printed by start (its host= parameter).
dir_of_uri() {
    printf '%s\n' "$1" | sed -n 's/.*[?&]host=\([^&]*\).*/\1/p'
}

start() {
    bindir=$(find_bindir)
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || die "running as root but there is no postgres user" \
            "(the postgresql package creates it)"
    fi
    base="${TMPDIR:-/tmp}"
    if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -w "$base" -a -x "$base"; then
        base=/tmp # the postgres user must be able to reach the directory
    fi
    dir=$(mktemp -d "$base/pg-scratch-XXXXXX")
    chmod 700 "$dir"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres: "$dir"
    fi
    port=""
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        candidate=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000))
        if [ ! -e "$dir/.s.PGSQL.$candidate" ]; then
            port=$candidate
            break
        fi
    done
    [ -n "$port" ] || die "no free socket name in $dir"
    if ! as_owner "$bindir/initdb" -D "$dir/data" -U bridge --auth=trust -E UTF8 --locale=C \
        --no-sync >"$dir/initdb.log" 2>&1; then
        cat "$dir/initdb.log" >&2
        rm -rf "$dir"
        die "initdb failed"
    fi
    # Throw-away data: no durability work. Small memory: several may run at once.
    as_owner sh -c "cat >> '$dir/data/postgresql.conf'" <<EOF
listen_addresses = ''
unix_socket_directories = '$dir'
port = $port
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 16MB
max_connections = 40
EOF
    if ! as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
        >/dev/null 2>&1; then
        cat "$dir/server.log" >&2 2>/dev/null || true
        as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
        rm -rf "$dir"
        die "the server did not start"
    fi
    echo "postgresql://bridge@/postgres?host=$dir&port=$port"
}

stop() {
    dir=$(dir_of_uri "$1")
    case "$dir" in
    */pg-scratch-*) ;;
    *) die "not a pg_scratch URI: $1" ;;
    esac
    [ -d "$dir" ] || return 0
    bindir=$(find_bindir)
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 ||
            echo "pg_scratch: could not stop the server in $dir" >&2
    fi
    rm -rf "$dir"
}

# The cluster directory of a pg_scratch URI; dies on any other URI.
scratch_dir() {
    dir=$(dir_of_uri "$1")
    case "$dir" in
    */pg-scratch-*) ;;
    *) die "not a pg_scratch URI: $1" ;;
    esac
    [ -d "$dir/data" ] || die "no scratch server in $dir"
    echo "$dir"
}

pause() {
    dir=$(scratch_dir "$1")
    as_owner "$(find_bindir)/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null ||
        die "could not stop the server in $dir"
}

resume() {
    dir=$(scratch_dir "$1")
    as_owner "$(find_bindir)/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
        >/dev/null || die "could not start the server in $dir again"
}

run() {
    [ $# -gt 0 ] || die "run: no command"
    uri=$(start)
    # Stop the server however we leave: normal end, failure, or a signal.
    trap 'stop "$uri"' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    status=0
    BRIDGE_TEST_PG="$uri" timeout --signal=TERM --kill-after=10 "${PG_SCRATCH_TIMEOUT:-280}" \
        "$@" || status=$?
    if [ "$status" -eq 124 ]; then
        echo "pg_scratch: $1 did not finish within ${PG_SCRATCH_TIMEOUT:-280} s" >&2
    fi
    exit "$status"
}

[ $# -gt 0 ] || die "usage: pg_scratch.sh run CMD [ARG...] | start | stop|pause|resume URI"
cmd=$1
shift
case "$cmd" in
run) run "$@" ;;
start) start ;;
stop)
    [ $# -eq 1 ] || die "usage: pg_scratch.sh stop URI"
    stop "$1"
    ;;
pause | resume)
    [ $# -eq 1 ] || die "usage: pg_scratch.sh $cmd URI"
    "$cmd" "$1"
    ;;
*) die "unknown command '$cmd' (run, start, stop, pause or resume)" ;;
esac
