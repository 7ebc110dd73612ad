#!/bin/sh
# scripts/same-results.sh OLD NEW [WORKDIR] - do two ptbench binaries give the
# same results?  Runs one matrix of replays with each (the committed traces
# with --backend all on both kernels' rule sets, --check, every pressure
# scenario, the other memory layouts, a two-domain trace, a synth day trace)
# and compares the JSON (the "commit" line left out: it names the build), the
# CSV and the --l2-log byte for byte.  For a change that must not move any
# number (a host-memory or speed change of the model): build the old commit
# somewhere (git worktree add /tmp/old REV && make -C /tmp/old) and run
#   scripts/same-results.sh /tmp/old/build/ptbench build/ptbench
# OLD may be - to reuse the old side of an earlier run into the same WORKDIR.
# Ends with "N passed, N failed"; exit 1 if any differs.
set -u
OLD=${1:?usage: same-results.sh OLD_PTBENCH NEW_PTBENCH [WORKDIR]}
NEW=${2:?usage: same-results.sh OLD_PTBENCH NEW_PTBENCH [WORKDIR]}
WORK=${3:-$(mktemp -d)}
mkdir -p "$WORK/old" "$WORK/new"
passed=0
failed=0

# run NAME ARGS...: one replay with each binary; JSON, CSV and L2 log compared.
run() {
	name=$1; shift
	for side in old new; do
		if [ $side = old ]; then bin=$OLD; else bin=$NEW; fi
		# an old side already run into this WORKDIR is reused (OLD=- says so)
		[ $side = old ] && [ "$OLD" = - ] && continue
		rm -f "$WORK/$side/$name".*
		"$bin" replay --json "$WORK/$side/$name.json" --csv "$WORK/$side/$name.csv" \
			--l2-log "$WORK/$side/$name.l2" "$@" >/dev/null 2>"$WORK/$side/$name.err"
		echo "exit $?" >>"$WORK/$side/$name.err"
		[ -f "$WORK/$side/$name.json" ] &&
			grep -v '"commit":' "$WORK/$side/$name.json" >"$WORK/$side/$name.jsonc"
	done
	bad=
	for ext in jsonc csv l2 err; do
		cmp -s "$WORK/old/$name.$ext" "$WORK/new/$name.$ext" || bad="$bad $ext"
	done
	if [ -z "$bad" ] && [ -s "$WORK/new/$name.jsonc" ]; then
		passed=$((passed + 1)); echo "ok   $name"
	else
		failed=$((failed + 1)); echo "FAIL $name:${bad:- no JSON}"
	fi
}

TRACES=workloads/traces
for t in "$TRACES"/*.ptb.gz; do
	b=$(basename "$t" .ptb.gz)
	run "$b-4.19" --backend all "$t"
	run "$b-6.1" --backend all --kernel 6.1 "$t"
	run "$b-6.12-check" --backend all --kernel 6.12 --check "$t"
done
run blk-ftrace-6.1 --backend all --kernel 6.1 "$TRACES/blk.ftrace.gz"
for p in steady atomic-burst fragmented edge 'edge:free=atomic-32'; do
	n=$(echo "$p" | tr ':=' '__')
	run "blk-pressure-$n-6.1" --backend all --kernel 6.1 --pressure "$p" "$TRACES/blk.ptb.gz"
	run "gpu-pressure-$n-4.19" --backend all --pressure "$p" "$TRACES/gpu.ptb.gz"
done
run blk-pressure-trace --backend all --kernel 6.1 --pressure trace:tests/data/kmem-small.csv \
	"$TRACES/blk.ptb.gz"
run fs-2g --backend all --memory mt8173-2g "$TRACES/fs.ptb.gz"
run fs-x86 --backend all --kernel 6.1 --memory x86-3g1g "$TRACES/fs.ptb.gz"
run fs-cpus2-seed7 --backend all --cpus 2 --seed 7 "$TRACES/fs.ptb.gz"
run e1000-fail --backend all --kernel 6.1 --fail-rate 2 --seed 2 "$TRACES/e1000.ptb.gz"
run e1000-slub-debug --backend all --slub-debug "$TRACES/e1000.ptb.gz"
run e1000-slab-merge --backend slab-dma32,slab-dma32-reserve --slab-merge --shared-objects 40 \
	"$TRACES/e1000.ptb.gz"
run two-domains --backend all --kernel 6.1 tests/data/two-domains.ptb
[ -f "$WORK/day.ptb" ] || "$NEW" synth day --events 200000 -o "$WORK/day.ptb" >/dev/null 2>&1
run day-200k-6.1 --backend all --kernel 6.1 "$WORK/day.ptb"
run day-200k-steady --backend all --pressure steady "$WORK/day.ptb"
[ -f "$WORK/day2g.ptb" ] || "$NEW" synth day --memory mt8173-2g --events 100000 -o "$WORK/day2g.ptb" >/dev/null 2>&1
run day2g-edge --backend all --memory mt8173-2g --kernel 6.1 --pressure edge "$WORK/day2g.ptb"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
