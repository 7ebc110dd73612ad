#!/bin/sh
# tests/cli/test_schema.sh - docs/schema.md is the output: every key path
# `ptbench replay --json` and `ptbench stat --json` write is documented there
# with its type, every documented path is written, "schema" is the number the
# document states, and the CSV headers (replay --csv, results/runs.csv) are its
# column tables, in order.  The checks are tests/cli/schema.py's; the oracle's
# JSON and CSV are checked the same way in test_oracle.sh.
. tests/cli/lib.sh

SCHEMA="python3 tests/cli/schema.py"

# Every part of the document: all backends, --check, a pressure (its keys are
# written for every scenario, steady fills the levels), the CSV; then the
# nullable keys with a value (--timing, --gfp, --watermarks).
ok "replay --backend all --check --pressure steady" "$PTBENCH" replay --backend all --check \
	--pressure steady --csv "$TMP/r.csv" --json "$TMP/r.json" "$DATA/small.ptb"
ok "replay --timing --gfp --watermarks" "$PTBENCH" replay --backend all --timing --gfp GFP_ATOMIC \
	--watermarks DMA32=1505:2266:3027 --kernel 6.1 --pressure atomic-burst \
	--json "$TMP/r2.json" "$DATA/small.ptb"
ok "replay JSON: every key path documented, every documented path written, types" \
	$SCHEMA json replay "$TMP/r.json" "$TMP/r2.json"
eq "replay JSON: schema = docs/schema.md's" "$(json_get "$TMP/r.json" "d['schema']")" \
	"$($SCHEMA number)"
ok "replay CSV header = docs/schema.md's columns" $SCHEMA csv replay "$TMP/r.csv"

# stat: a trace with a <4K bucket, and one with other events (other_by_name)
ok "stat --json small.ftrace" "$PTBENCH" stat --json "$TMP/s1.json" "$DATA/small.ftrace"
ok "stat --json host-sched.trace.dat" "$PTBENCH" stat --json "$TMP/s2.json" "$DATA/host-sched.trace.dat"
ok "stat JSON: every key path documented, every documented path written, types" \
	$SCHEMA json stat "$TMP/s1.json" "$TMP/s2.json"
eq "stat JSON: schema = docs/schema.md's" "$(json_get "$TMP/s1.json" "d['schema']")" "$($SCHEMA number)"

ok "results/runs.csv columns (bench.py) = docs/schema.md's" $SCHEMA columns runs
eq "results/runs.csv's header = bench.py's columns" "$(head -1 results/runs.csv)" \
	"$(python3 -c 'import sys; sys.path.insert(0, "scripts/bench"); import bench; print(",".join(bench.COLUMNS))')"

# The checker catches what it must: an undocumented key, a missing one, a
# wrong type, another schema number.
sed '/`runs\[\]\.mm\.compactions`/d' docs/schema.md >"$TMP/no-key.md"
fails_check() {
	name=$1 doc=$2 pat=$3; shift 3
	if SCHEMA_MD=$doc $SCHEMA "$@" >"$TMP/check" 2>&1; then fail "$name" "passed"
	elif ! grep -q -- "$pat" "$TMP/check"; then fail "$name" "$(head -c 300 "$TMP/check")"
	else pass "$name"; fi
}
fails_check "an undocumented key fails" "$TMP/no-key.md" "runs\[\].mm.compactions: key path not in" \
	json replay "$TMP/r.json"
sed 's/^| `config.seed` |/| `config.seeds` |/' docs/schema.md >"$TMP/renamed.md"
fails_check "a documented key not written fails" "$TMP/renamed.md" "config.seeds: in docs/schema.md" \
	json replay "$TMP/r.json"
sed 's/^| `runs\[\]\.reuse\.reuse_ratio` | real |/| `runs[].reuse.reuse_ratio` | int |/' docs/schema.md \
	>"$TMP/type.md"
fails_check "a wrong type fails" "$TMP/type.md" "reuse_ratio: a float" json replay "$TMP/r.json"
sed '/^| `pages_4_free_slots`/d' docs/schema.md >"$TMP/csv.md"
fails_check "a CSV column missing fails" "$TMP/csv.md" "replay CSV: header" csv replay "$TMP/r.csv"
sed 's/"schema": 1/"schema": 2/' docs/schema.md >"$TMP/two.md"
eq "the number is read from the document" "$(SCHEMA_MD="$TMP/two.md" $SCHEMA number)" 2

finish
