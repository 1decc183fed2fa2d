#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Install what is missing, build (warnings as errors) normally and with
# AddressSanitizer and UBSan, and run every test suite on SQLite and on a
# throwaway PostgreSQL cluster. Ends with one line "N passed, N failed";
# exits 0 only if nothing failed. CI runs exactly this (.ci/run).
set -eu
cd "$(dirname "$0")"
tools/deps.sh check
tools/build.sh
tools/build.sh asan
exec tests/run.sh
