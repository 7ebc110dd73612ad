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
# RUN_TESTS_JOBS=N runs the programs N at a time (their output still in order).
set -u
passed=0
failed=0
PTB_TEST_BUILD=plain
PTBENCH=${PTBENCH_PLAIN:-build/ptbench}
export PTBENCH PTB_TEST_BUILD
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# RUN_TESTS_JOBS=N (make check): the programs run N at a time first, each into its
# own log; the loop below then reports them in order as if run one by one.
jobs=${RUN_TESTS_JOBS:-1}
if [ "$jobs" -gt 1 ]; then
	i=0 build=plain
	for bin in "$@"; do
		if [ "$bin" = "--" ]; then build=asan; continue; fi
		i=$((i + 1))
		echo "$i $build $bin"
	done | xargs -P "$jobs" -L 1 sh -c '
		if [ "$2" = asan ]; then PTBENCH=${PTBENCH_SAN:-build/asan/ptbench}
		else PTBENCH=${PTBENCH_PLAIN:-build/ptbench}; fi
		PTB_TEST_BUILD=$2
		export PTBENCH PTB_TEST_BUILD
		t0=$(date +%s)
		"$3" >"$0/$1.log" 2>&1
		echo $? >"$0/$1.rc"
		echo $(( $(date +%s) - t0 )) >"$0/$1.s"' "$dir"
fi
i=0
for bin in "$@"; do
	if [ "$bin" = "--" ]; then PTB_TEST_BUILD=asan; PTBENCH=${PTBENCH_SAN:-build/asan/ptbench}; continue; fi
	i=$((i + 1))
	log=$dir/$i.log
	printf '== %s (%s)\n' "$bin" "$PTB_TEST_BUILD"
	if [ "$jobs" -gt 1 ]; then
		rc=$(cat "$dir/$i.rc" 2>/dev/null || echo 127)
		secs=$(cat "$dir/$i.s" 2>/dev/null || echo 0)
	else
		t0=$(date +%s)
		"$bin" >"$log" 2>&1
		rc=$?
		secs=$(( $(date +%s) - t0 ))
	fi
	cat "$log"
	echo "-- $bin ($PTB_TEST_BUILD): $secs s"
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
