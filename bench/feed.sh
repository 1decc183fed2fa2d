#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Feed benchmark: events/s of a large Shadowserver-style report through
# the parser alone, through parse + enrichment + routing against 10,000
# constituents, and through the whole pipeline into the store, with peak
# memory at two input sizes (bench/README.md). Installs what is missing,
# builds, then runs bench/feed_bench.py, which prints a table. It
# reports; it does not judge: exit 0 whatever the figures.
#
#   bench/feed.sh [--rows N] [--small N] [--store-rows N] [--keep]
set -eu
cd "$(dirname "$0")/.."
tools/deps.sh bench
tools/build.sh
exec /usr/bin/python3 bench/feed_bench.py --bin build/cirtkit "$@"
