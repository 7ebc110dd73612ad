#!/bin/sh
# Runs test programs and adds up their results.
# Usage: run-tests.sh PLAIN_BIN... [-- SANITIZED_BIN...]
# A BIN may be a tests/cli/*.sh script: it gets $PTBENCH, the plain build
# before "--" ($PTBENCH_PLAIN, default build/ptbench), the ASan+UBSan build
# after it ($PTBENCH_SAN, default build/asan/ptbench), and $PTB_TEST_BUILD, plain
# or asan: which of the two passes runs it.
# A program either prints cmocka's summary ("[  PASSED  ] N test(s)." and
# "[  FAILED  ] N test(s)") or a last line "N passed, N failed".  A program that
# exits non-zero without reporting a failure (a crash, a sanitizer report)
# counts as one failed test: nothing is lost silently.
set -u
passed=0
failed=0
PTB_TEST_BUILD=plain
PTBENCH=${PTBENCH_PLAIN:-build/ptbench}
export PTBENCH PTB_TEST_BUILD
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for bin in "$@"; do
	if [ "$bin" = "--" ]; then PTB_TEST_BUILD=asan; PTBENCH=${PTBENCH_SAN:-build/asan/ptbench}; continue; fi
	printf '== %s (%s)\n' "$bin" "$PTB_TEST_BUILD"
	t0=$(date +%s)
	"$bin" >"$log" 2>&1
	rc=$?
	cat "$log"
	echo "-- $bin ($PTB_TEST_BUILD): $(( $(date +%s) - t0 )) s"
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
		if [ -n "$line" ]; then
			p=${line%% passed*}
			f=${line#*, }; f=${f%% failed}
		fi
	fi
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "run-tests: $bin exited with status $rc without a reported failure: counted as 1 failed"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
