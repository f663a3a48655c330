#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: `start DIR` prints its URL, `stop DIR` removes it.
#
#   url=$(.ci/postgres.sh start /tmp/pg)   # initdb into /tmp/pg, listen on 127.0.0.1:<free port>
#   .ci/postgres.sh stop /tmp/pg           # stop the server and delete the folder
#   .ci/postgres.sh run CMD…               # CMD with TEST_DATABASE_URL on a server of its own
#
# `start` installs Debian's postgresql package when no server binaries are found and
# `INSTALL_POSTGRES=1` (what .ci/run sets); without binaries nor that variable, `run` says
# so and succeeds (the suite has run on SQLite only).
# The server refuses to run as root: as root, it runs as the `postgres` system user.
# Durability is switched off (fsync, synchronous_commit): it only ever holds test data.
set -euo pipefail

DATABASE=mandat_bot

bindir() {
    local dir
    for dir in "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/*/bin; do
        if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
            echo "$dir"
            return 0
        fi
    done
    return 1
}

as_owner() {  # run a server binary as the folder's owner (postgres when we are root)
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install_server() {
    echo "PostgreSQL absent : installation du paquet Debian postgresql…" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
    local dir=$1 bin port
    if ! bin=$(bindir); then
        [ "${INSTALL_POSTGRES:-0}" = 1 ] || { echo "PostgreSQL n'est pas installé." >&2; exit 1; }
        install_server
        bin=$(bindir)
    fi
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    port=$(free_port)
    as_owner "$bin/initdb" --pgdata="$dir/data" --username=postgres --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir" \
        -o "-c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        -o "-c max_connections=300" start >/dev/null \
        || { cat "$dir/server.log" >&2; exit 1; }
    as_owner "$bin/createdb" --host=127.0.0.1 --port="$port" --username=postgres "$DATABASE"
    echo "postgresql+psycopg://postgres@127.0.0.1:$port/$DATABASE"
}

stop() {
    local dir=$1 bin
    if [ -d "$dir/data" ] && bin=$(bindir); then
        as_owner "$bin/pg_ctl" --pgdata="$dir/data" --mode=immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
}

run() {  # start, run the command with TEST_DATABASE_URL, stop whatever happens
    if ! bindir >/dev/null && [ "${INSTALL_POSTGRES:-0}" != 1 ]; then
        echo "PostgreSQL n'est pas installé (initdb introuvable) : la suite n'a tourné que" \
             "sur SQLite. Installez le paquet postgresql, ou lancez .ci/run qui l'installe." >&2
        return 0
    fi
    SERVER_DIR=$(mktemp -d /tmp/mandat-bot-pg.XXXXXX)
    trap 'stop "$SERVER_DIR"' EXIT
    trap 'exit 130' INT TERM
    TEST_DATABASE_URL=$(start "$SERVER_DIR")
    echo "Suite sur PostgreSQL : $TEST_DATABASE_URL" >&2
    TEST_DATABASE_URL=$TEST_DATABASE_URL "$@"
}

case "${1:-}" in
    start) start "${2:?folder}" ;;
    stop) stop "${2:?folder}" ;;
    run) shift; run "$@" ;;
    *) echo "usage: $0 start DIR | stop DIR | run CMD…" >&2; exit 2 ;;
esac
