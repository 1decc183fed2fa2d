#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Run every test suite against both builds (build/ and build-asan/) and
# both stores (SQLite, and a throwaway PostgreSQL cluster started here and
# stopped on exit), and sum them up. Each suite prints TAP ("ok N - ...",
# "not ok N - ..."); a suite that dies without reporting a failure counts
# as one. The last line is "N passed, N failed". Assumes ./check.sh has
# installed the packages and built.
set -uo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d /tmp/cirtkit-check-XXXXXX)
chmod 755 "$work"
passed=0
failed=0
skipped=0

cleanup() {
	[ -d "$work/pg" ] && tests/pg.sh stop "$work/pg"
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export CMOCKA_MESSAGE_OUTPUT=TAP

logof() {
	printf '%s/%s.log' "$work" "$(printf '%s' "$1" | tr -c 'A-Za-z0-9_.-' '_')"
}

# start NAME COMMAND...: run in the background, its status kept beside
# its log, for report NAME later (suites that mostly wait on a store or a
# socket share the two cores well).
start() {
	local name=$1 log
	log=$(logof "$name")
	shift
	("$@" >"$log" 2>&1; echo $? >"$log.rc") &
}

# suite NAME COMMAND...: run, count, and show the failures.
suite() {
	local name=$1
	shift
	start "$name" "$@"
	wait
	report "$name"
}

# report NAME: count a finished suite and show its failures.
report() {
	local name=$1 rc p f s log
	log=$(logof "$name")
	rc=$(cat "$log.rc" 2>/dev/null || echo 1)
	p=$(grep -E '^ok ' "$log" | grep -vc '# SKIP')
	f=$(grep -E '^not ok ' "$log" | grep -vc '# SKIP')
	s=$(grep -c '# SKIP' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "not ok - $name exited with status $rc" >>"$log"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	printf '%-44s %4d passed, %d failed%s\n' "$name" "$p" "$f" \
		"$([ "$s" -gt 0 ] && echo ", $s skipped")"
	if [ "$f" -gt 0 ]; then
		grep -E -B2 -A25 '^not ok|ERROR: AddressSanitizer|runtime error' \
			"$log" | head -n 80 | sed 's/^/    /'
	fi
}

suite "lint (tools/checksrc.py)" /usr/bin/python3 tools/checksrc.py

dsn=$(tests/pg.sh start "$work/pg" 2>"$work/pg-start.log")
if [ -z "$dsn" ]; then
	echo "not ok - PostgreSQL did not start:"
	sed 's/^/    /' "$work/pg-start.log" "$work/pg/server.log" 2>/dev/null | tail -n 20
	failed=$((failed + 1))
fi
export CIRT_TEST_PG_DSN="$dsn"

for build in build build-asan; do
	for t in "$build"/tests/test_*; do
		[ -f "$t" ] && [ -x "$t" ] || continue
		suite "unit $(basename "$t") ($build)" "$t"
	done
done

for build in build build-asan; do
	for target in bundle detect feed iodef json_body pattern route text; do
		suite "fuzz replay $target ($build)" \
			"$build/fuzz/fuzz_$target" "fuzz/corpus/$target"
	done
done

# The two stores of a build at once: most of their time is spent waiting.
for build in build build-asan; do
	start "integration sqlite ($build)" /usr/bin/python3 \
		tests/integration/run.py --bin "$build/cirtkit" --backend sqlite
	if [ -n "$dsn" ]; then
		start "integration postgresql ($build)" /usr/bin/python3 \
			tests/integration/run.py --bin "$build/cirtkit" --backend pg
	fi
	wait
	report "integration sqlite ($build)"
	[ -n "$dsn" ] && report "integration postgresql ($build)"
done

[ "$skipped" -gt 0 ] && echo "($skipped skipped)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
