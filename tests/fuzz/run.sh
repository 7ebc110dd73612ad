#!/bin/sh
# tests/fuzz/run.sh - run the libFuzzer targets (build/fuzz/fuzz_*), each for
# SECONDS, JOBS of them at a time, and say which found a crash.
#
# usage: run.sh [--smoke] SECONDS JOBS FUZZER...
#
# Seeds come from tests/fuzz/corpus/<target>/ (read only).  New inputs go to
# build/fuzz/corpus/<target>/ (kept between `make fuzz` runs), or with
# --smoke (the `make test` step) to a scratch directory removed at exit.
# A crash, leak, timeout or out-of-memory leaves its input in
# build/fuzz/artifacts/<target>/ and fails the target.  Ends with the line
# "N passed, N failed" that scripts/run-tests.sh adds up; exit 1 on a failure.
set -u
smoke=0
if [ "${1:-}" = "--smoke" ]; then smoke=1; shift; fi
[ $# -ge 3 ] || { echo "usage: run.sh [--smoke] SECONDS JOBS FUZZER..." >&2; exit 2; }
seconds=$1 jobs=$2
shift 2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# run_one FUZZER: the fuzzer's log goes to $scratch/<target>.log, its verdict
# to $scratch/<target>.rc.
run_one() {
	bin=$1
	name=$(basename "$bin")
	seeds=tests/fuzz/corpus/$name
	if [ "$smoke" -eq 1 ]; then work=$scratch/corpus-$name; else work=build/fuzz/corpus/$name; fi
	art=build/fuzz/artifacts/$name
	mkdir -p "$work" "$art"
	# -timeout: one input taking 10 s is a hang; -rss_limit_mb: libFuzzer's
	# default, said out loud (input.c makes mallocs over 512 MiB fail, as
	# libtracecmd's sizes read from the file may ask); the first corpus
	# directory receives new inputs.
	"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$art/" -print_final_stats=1 "$work" "$seeds" \
		>"$scratch/$name.log" 2>&1
	echo $? >"$scratch/$name.rc"
}

running=0
for bin in "$@"; do
	run_one "$bin" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then wait; running=0; fi
done
wait

passed=0
failed=0
for bin in "$@"; do
	name=$(basename "$bin")
	rc=$(cat "$scratch/$name.rc")
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$scratch/$name.log")
	cov=$(grep -Eo 'cov: [0-9]+' "$scratch/$name.log" | tail -n 1)
	if [ "$rc" -eq 0 ]; then
		passed=$((passed + 1))
		echo "ok   $name: ${seconds}s, ${runs:-?} inputs, ${cov:-cov: ?}"
	else
		failed=$((failed + 1))
		echo "FAIL $name: exit $rc; input in build/fuzz/artifacts/$name/:"
		grep -E 'ERROR|SUMMARY|broken promise|Test unit written' "$scratch/$name.log" | head -n 20
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
