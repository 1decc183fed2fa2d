#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# HTTP benchmark of `cirtkit serve`: start-up time, resident memory, and
# requests/s and latency with wrk at 64 connections (bench/README.md).
# Installs what is missing, builds, then runs bench/http_bench.py, which
# prints a table of figures. It reports; it does not judge: exit 0 even
# when a target is missed, non-zero only when the benchmark itself broke.
#
#   bench/http.sh [--pg] [--duration S] [--starts N] [--repeat R] ...
#
# --pg starts a throwaway PostgreSQL cluster (tests/pg.sh) when
# CIRT_TEST_PG_DSN is not set; with it set, PostgreSQL is always measured.
# bench/http_bench.py --help lists every option.
set -eu
cd "$(dirname "$0")/.."
tools/deps.sh bench
tools/build.sh
exec /usr/bin/python3 bench/http_bench.py --bin build/cirtkit "$@"
