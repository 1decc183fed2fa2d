#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# TAXII GET benchmark of `cirtkit serve`: pages of 100 objects from
# collections of 10 thousand and 1 million objects with wrk at 64
# connections, and a walk following `next` (bench/README.md). Installs
# what is missing, builds, then runs bench/taxii_bench.py, which prints a
# table of figures. It reports; it does not judge: exit 0 even when a
# target is missed, non-zero only when the benchmark itself broke.
#
#   bench/taxii.sh [--pg] [--large N] [--big N] [--duration S] [--perf] ...
#
# --pg starts a throwaway PostgreSQL cluster (tests/pg.sh) when
# CIRT_TEST_PG_DSN is not set; with it set, PostgreSQL is always measured.
# bench/taxii_bench.py --help lists every option.
set -eu
cd "$(dirname "$0")/.."
tools/deps.sh bench
tools/build.sh
exec /usr/bin/python3 bench/taxii_bench.py --bin build/cirtkit "$@"
