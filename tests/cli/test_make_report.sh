#!/bin/sh
# tests/cli/test_make_report.sh - `make report TRACES="..." OUT=DIR`: a user's recorded
# traces (two of workloads/traces/, one tracefs text, one .ptb) through every backend by
# make bench's own code, end to end: DIR/REPORT.md with its verdict table, summary.txt
# within 72 columns, the plots; refusals in one line.
. tests/cli/lib.sh
export PTBENCH
T1=workloads/traces/e1000.ftrace.gz
T2=workloads/traces/gpu.ptb.gz

start=$(date +%s)
ok "make report on two recorded traces" make -s report TRACES="$T1 $T2" OUT="$TMP/r" SEEDS=1
end=$(date +%s)
[ $((end - start)) -lt 60 ] && pass "make report: $((end - start)) s (< 60)" ||
	fail "make report: $((end - start)) s (>= 60)"
eq "runs: two traces x (2 kernels x (plain, slub_debug, merge, kmalloc_fix, kmalloc_fix_debug))" \
	"$(ls "$TMP/r/runs" 2>/dev/null | grep -c '\.json$')" 20
eq "runs.csv: the two traces" \
	"$(python3 -c 'import csv, sys; print(" ".join(sorted({r["workload"] for r in
		csv.DictReader(open(sys.argv[1]))})))' "$TMP/r/runs.csv")" "real-e1000 real-gpu"
eq "REPORT.md: the verdict table within 40 lines" \
	"$(head -40 "$TMP/r/REPORT.md" | grep -c '^| claim | verdict |')" 1
grep -q '^| 5\. .*not measured' "$TMP/r/REPORT.md" &&
	pass "REPORT.md: no pressure run, claim 5 not measured" ||
	fail "REPORT.md: no pressure run, claim 5 not measured"
eq "summary.txt: no line over 72 columns" "$(awk 'length > 72' "$TMP/r/summary.txt" | wc -l)" 0
grep -q '^  verdict: ' "$TMP/r/summary.txt" && pass "summary.txt: verdicts" ||
	fail "summary.txt: verdicts"
for p in waste stranded; do
	[ -s "$TMP/r/$p.png" ] && pass "plot $p.png" || fail "plot $p.png" "missing"
done
grep -o '](\./[a-z0-9.-]*\.svg)' "$TMP/r/REPORT.md" | tr -d '()]' | sed 's|^\./||' |
	while read -r f; do [ -s "$TMP/r/$f" ] || echo "$f"; done >"$TMP/dangling"
eq "REPORT.md: no image link without its file" "$(cat "$TMP/dangling")" ""
make -s report TRACES="$TMP/nope.trace" OUT="$TMP/r2" >"$TMP/out" 2>"$TMP/err"
rc=$?
[ "$rc" -ne 0 ] && grep -q "nope.trace: no such file" "$TMP/err" &&
	pass "make report: a missing trace refused, named" ||
	fail "make report: a missing trace refused, named" "exit $rc: $(head -c 300 "$TMP/err")"
finish
