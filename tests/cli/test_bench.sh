#!/bin/sh
# tests/cli/test_bench.sh - a tiny `make bench` end to end, in a scratch folder: every
# stage (synth, matrix, sweep, reserve, combine, hyperfine, plots, report) on two workloads and
# two pressures, then the same again: the runs' JSON and CSV must be byte-identical.
# The fidelity stage (qemu guests) is left to tests/cli/test_oracle.sh.
. tests/cli/lib.sh
plain_pass_only "bench.py runs ptbench synth and replay as test_synth.sh and test_replay.sh do under ASan; the stages and their determinism are the same with either build"

tiny() {
	python3 scripts/bench/bench.py --quick --jobs 2 --no-real --workloads browse,video \
		--pressures none,edge --events 600 --pressure-events 100 --seeds 1 \
		--stages traces,matrix,sweep,reserve,combine,timing,plots,report \
		--results "$1" --report "$1/REPORT.md"
}
export PTBENCH
ok "bench: tiny run, all stages" tiny "$TMP/a"
grep -q '^bench: done in' "$TMP/err" && pass "bench: progress and end on stderr" ||
	fail "bench: progress and end on stderr" "$(tail -3 "$TMP/err")"
eq "runs.csv: header + 9 backends x runs" \
	"$(head -1 "$TMP/a/runs.csv" | cut -d, -f1-3)" "run,workload,trace_sha256"
# 2 workloads x (2 kernels x (none + edge on 2 machines) + 2 slab variants x 2 kernels)
# + sweep 4 levels x 2 kernels x 2 machines
eq "every run combined" "$(ls "$TMP/a/runs" | grep -c '\.json$')" 36
eq "runs.csv: both machines under pressure" \
	"$(python3 -c 'import csv, sys; print(" ".join(sorted({r["memory"] for r in
		csv.DictReader(open(sys.argv[1])) if r["pressure"] != "none"})))' "$TMP/a/runs.csv")" \
	"mt8173-2g mt8173-4g"
for p in footprint-video waste stranded atomic-4.19 atomic-6.1 slots speed; do
	for t in svg png; do
		[ -s "$TMP/a/$p.$t" ] && pass "plot $p.$t" || fail "plot $p.$t" "missing"
	done
done
eq "hyperfine JSON: one result per workload x backend" \
	"$(json_get "$TMP/a/hyperfine.json" "len(d['results'])")" 18
# slab-dma32-reserve's smallest reserve: one row per kernel x sweep point, N found
eq "reserve.csv: header and 2 kernels x 4 sweep points" "$(sed -n 1p "$TMP/a/reserve.csv"; grep -c '^browse,' "$TMP/a/reserve.csv")" \
	"$(printf 'workload,kernel,pressure,seed,min_reserve_objects,peak_footprint_bytes,fixed_cost_bytes,plain_map_failures\n8')"
eq "reserve.csv: an N at every point" "$(awk -F, 'NR > 1 && $5 == ""' "$TMP/a/reserve.csv" | wc -l)" 0
eq "REPORT.md: one section per seed claim" "$(grep -c '^## Claim [1-6]:' "$TMP/a/REPORT.md")" 6
eq "REPORT.md: a verdict per claim" "$(awk '/^## Claim [1-6]:/ { c = 1 }
	c && /^\*\*Verdict: / { n++; c = 0 } END { print n }' "$TMP/a/REPORT.md")" 6
eq "REPORT.md: the verdict table first" "$(head -40 "$TMP/a/REPORT.md" | grep -c '^| [1-6]\. ')" 6
# stranded, waste, footprint-video, atomic-{4.19,6.1} on each of the two machines
eq "REPORT.md: images point at the plots" \
	"$(grep -o '](\./[a-z0-9.-]*\.svg)' "$TMP/a/REPORT.md" | sort -u | wc -l)" 7
eq "REPORT.md: no image link without its file" "$(grep -o '](\./[a-z0-9.-]*\.svg)' \
	"$TMP/a/REPORT.md" | tr -d '()]' | sed 's|^\./||' | while read -r f; do
		[ -s "$TMP/a/$f" ] || echo "$f"; done)" ""
for f in summary.txt verdicts.csv tables.csv appendix-tables.md appendix-provenance.md \
	appendix-performance.md; do
	[ -s "$TMP/a/$f" ] && pass "results: $f" || fail "results: $f" "missing"
done

cp -r "$TMP/a/runs" "$TMP/first-runs" && cp "$TMP/a/runs.csv" "$TMP/first-runs.csv"
ok "bench: the same run again" tiny "$TMP/a"
diff -r "$TMP/first-runs" "$TMP/a/runs" >"$TMP/diff" 2>&1 &&
	cmp "$TMP/first-runs.csv" "$TMP/a/runs.csv" >>"$TMP/diff" 2>&1 &&
	pass "rerun: byte-identical runs JSON, CSV and runs.csv" ||
	fail "rerun: byte-identical runs JSON, CSV and runs.csv" "$(head -5 "$TMP/diff")"
finish
