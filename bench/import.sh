#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# STIX ingest benchmark: `cirtkit import` of synthetic bundles of N and
# 10 N objects and TAXII POST of N, against jansson's own parse rate on
# the same files (bench/README.md). Installs what is missing, builds, then
# runs bench/import_bench.py, which prints a table of figures. It reports;
# it does not judge: exit 0 even when a target is missed, non-zero only
# when the benchmark itself broke.
#
#   bench/import.sh [--pg] [--objects N] [--big M] [--perf] ...
#
# --pg starts a throwaway PostgreSQL cluster (tests/pg.sh) when
# CIRT_TEST_PG_DSN is not set; with it set, PostgreSQL is always measured.
# bench/import_bench.py --help lists every option.
set -eu
cd "$(dirname "$0")/.."
tools/deps.sh bench
tools/build.sh
exec /usr/bin/python3 bench/import_bench.py --bin build/cirtkit "$@"
