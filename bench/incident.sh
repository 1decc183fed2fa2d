#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Incident benchmark of `cirtkit serve`: 10 thousand, then 100 thousand
# incidents loaded through POST /api/v1/incidents, and at each size the
# latency of the incident list, its filters, a deep page and full-text
# search, against GET /api/v1/whoami (bench/README.md). Installs what is
# missing, builds, then runs bench/incident_bench.py, which prints a table
# of figures. It reports; it does not judge: exit 0 whatever the figures,
# non-zero only when the benchmark itself broke or an answer was wrong.
#
#   bench/incident.sh [--pg] [--no-sqlite] [--small N] [--large N] ...
#
# --pg starts a throwaway PostgreSQL cluster (tests/pg.sh) when
# CIRT_TEST_PG_DSN is not set; with it set, PostgreSQL is always measured.
# bench/incident_bench.py --help lists every option.
set -eu
cd "$(dirname "$0")/.."
tools/deps.sh bench
tools/build.sh
exec /usr/bin/python3 bench/incident_bench.py --bin build/cirtkit "$@"
