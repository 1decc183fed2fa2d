#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Detection benchmark: log lines/s of `cirtkit match` over Zeek conn and
# dns logs against 1 and 10 million mixed indicators, bytes of memory per
# indicator and compile time, against `grep -F -f` and a bare hash-lookup
# loop over the same lines and indicators (bench/README.md). Installs what
# is missing, builds, then runs bench/detect_bench.py, which generates
# the data in a temporary directory under /tmp (removed at the end) and
# prints a table. It reports; it does not judge: exit 0 whatever the
# figures.
#
#   bench/detect.sh [--quick] [--sizes N,M] [--conn L] [--dns L]
#                   [--repeat R] [--perf] [--keep] ...   (--help: all)
set -eu
cd "$(dirname "$0")/.."
tools/deps.sh bench
tools/build.sh
exec /usr/bin/python3 bench/detect_bench.py --bin build/cirtkit "$@"
