#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Install what is missing, build, create the store if there is none, and
# serve on 127.0.0.1:8080 with the embedded SQLite store.
#
#   ./run.sh [cirtkit serve options]
#
# The store is in $CIRTKIT_DATA (default /var/lib/cirtkit); with
# CIRTKIT_DB set to a PostgreSQL connection string it is there instead.
# The first run prints the admin password, once.
set -eu
cd "$(dirname "$0")"
tools/deps.sh build
tools/build.sh
export CIRTKIT_DATA="${CIRTKIT_DATA:-/var/lib/cirtkit}"
./build/cirtkit init
exec ./build/cirtkit serve "$@"
