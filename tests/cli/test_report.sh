#!/bin/sh
# tests/cli/test_report.sh - the report's metric definitions (scripts/bench/metrics.py)
# on known rows, report.py on a hand-made runs.csv, and report.py on the committed
# results/runs.csv: REPORT.md's verdict table first, summary.txt within 72 columns.
. tests/cli/lib.sh
export PTBENCH

python3 tests/cli/report_metrics.py "$TMP/hand" >"$TMP/m" 2>"$TMP/merr"
while read -r st rest; do
	case $st in
	ok) pass "$rest" ;;
	FAIL) fail "$rest" ;;
	esac
done <"$TMP/m"
[ -s "$TMP/merr" ] && fail "report_metrics.py: stderr" "$(head -c 300 "$TMP/merr")"

if [ -s results/runs.csv ]; then
	mkdir -p "$TMP/real" && cp results/runs.csv "$TMP/real/"
	ok "report.py on results/runs.csv" python3 scripts/bench/report.py \
		--results "$TMP/real" --report "$TMP/real/REPORT.md"
	eq "summary.txt: no line over 72 columns" \
		"$(awk 'length > 72' "$TMP/real/summary.txt" | wc -l)" 0
	eq "summary.txt: a verdict per row of verdicts.csv" \
		"$(grep -c '^  verdict: ' "$TMP/real/summary.txt")" \
		"$(($(wc -l <"$TMP/real/verdicts.csv") - 1))"
	eq "REPORT.md: the verdict table within the first 40 lines" \
		"$(head -40 "$TMP/real/REPORT.md" | grep -c '^| [1-6]\. ')" 6
	n=$(wc -l <"$TMP/real/REPORT.md")
	[ "$n" -le 330 ] && pass "REPORT.md: $n lines (<= 330)" || fail "REPORT.md: $n lines (> 330)"
fi
finish
