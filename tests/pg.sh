#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# A throwaway PostgreSQL cluster for the tests, in a directory of its own,
# listening on 127.0.0.1 and a Unix socket in that directory.
#
#   tests/pg.sh start DIR   initialise and start; prints the conninfo
#   tests/pg.sh stop DIR    stop it (the caller removes DIR)
#
# PostgreSQL refuses to run as root, so as root the cluster belongs to the
# 'postgres' user that Debian's package creates (docs/TIPS.md).
set -euo pipefail

cmd=${1:?usage: tests/pg.sh start|stop DIR}
dir=${2:?usage: tests/pg.sh start|stop DIR}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "pg.sh: PostgreSQL server binaries not found" >&2; exit 1; }

as_owner() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case $cmd in
start)
	mkdir -p "$dir"
	[ "$(id -u)" = 0 ] && chown postgres: "$dir"
	as_owner "$bin/initdb" -D "$dir/data" -A trust -U cirt -E UTF8 >"$dir/initdb.log" 2>&1
	port=$(( 20000 + RANDOM % 20000 ))
	as_owner "$bin/pg_ctl" -D "$dir/data" -w -l "$dir/server.log" \
		-o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=200" \
		start >/dev/null
	echo "host=$dir port=$port user=cirt dbname=postgres"
	;;
stop)
	as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
	;;
*)
	echo "usage: tests/pg.sh start|stop DIR" >&2
	exit 2
	;;
esac
