#!/bin/sh
# tests/cli/test_traces.sh - the real traces committed in workloads/traces/
# are what their README says: every trace has a row, and `ptbench stat` reads
# back the row's format, events, maps, unmaps, bytes and sha256; replayed
# through the 6.1 rules with --check, the four backends that keep tables
# below 4 GiB show no violation and no conflict (one device, one domain);
# ptrec's .ptb and tracefs's text of one run hold the same events.
. tests/cli/lib.sh

TRACES=workloads/traces
README=$TRACES/README.md
CLEAN="slab-dma32 genalloc-4m page-frag page-per-table pt-frag genalloc-grow slab-dma32-reserve"

# "| `blk.ftrace.gz` | ftrace | 51524 | 25762 | 25762 | 214171648 | 214171648 | `sha` |"
sed -n 's/^| `\([^`]*\)` | \([a-z0-9.-]*\) | \([0-9]*\) | \([0-9]*\) | \([0-9]*\) | \([0-9]*\) | \([0-9]*\) | `\([0-9a-f]*\)` |$/\1 \2 \3 \4 \5 \6 \7 \8/p' \
	"$README" >"$TMP/rows"
ok "README has trace rows" test -s "$TMP/rows"
for f in "$TRACES"/*.gz; do
	eq "$(basename "$f") has a README row" "$(awk -v n="$(basename "$f")" '$1 == n' "$TMP/rows" | wc -l)" 1
done

while read -r trace format events maps unmaps mapped unmapped sha; do
	f=$TRACES/$trace
	if [ ! -f "$f" ]; then
		fail "$trace: in the README but not in $TRACES"
		continue
	fi
	eq "$trace: sha256" "$(sha256sum "$f" | cut -d' ' -f1)" "$sha"
	ok "$trace: ptbench stat" "$PTBENCH" stat --json "$TMP/stat.json" "$f"
	eq "$trace: stat agrees with the README" \
		"$(json_get "$TMP/stat.json" "' '.join(str(x) for x in (d['trace']['format'], d['trace']['events'], d['trace']['maps'], d['trace']['unmaps'], d['stat']['mapped_bytes'], d['stat']['unmapped_bytes'], d['trace']['sha256'], d['trace']['skipped'], d['stat']['lost_events']))")" \
		"$format $events $maps $unmaps $mapped $unmapped $sha 0 0"
	ok "$trace: replay --check --kernel 6.1" "$PTBENCH" replay --check --kernel 6.1 \
		--backend "$(echo $CLEAN | tr ' ' ,)" --json "$TMP/$trace.json" "$f"
	for b in $CLEAN; do
		eq "$trace $b: 0 violations, 0 conflicts, 0 map failures" \
			"$(json_get "$TMP/$trace.json" "[sum(r['violations'][k] for k in ('above_4g','misaligned','overlap','translation_faults')) + r['iommu']['conflicts'] + r['map_failures'] for r in d['runs'] if r['backend']=='$b'][0]")" 0
	done
done <"$TMP/rows"

# NAME.ptb.gz (ptrec) and NAME.ftrace.gz (tracefs) of one run: the same
# events on every CPU, in the same per-CPU order (ptb-compare.py exits 0, or 2
# when only the cross-CPU interleaving differs), and the same replay "runs"
# but for the two numbers made of timestamps: mean_waste_bytes (time-weighted;
# the recorders stamp an event at two probes) and late_events (events beyond
# the reorder window, from a vCPU stalled between ptrec's reserve and stamp).
# runs_but_time FILE: the runs without those two keys, canonical.
runs_but_time() {
	python3 -c 'import json,sys
runs = json.load(open(sys.argv[1]))["runs"]
for r in runs:
    r["memory"].pop("mean_waste_bytes")
    r["iommu"].pop("late_events")
print(json.dumps(runs, sort_keys=True))' "$1"
}
for p in "$TRACES"/*.ptb.gz; do
	n=$(basename "$p" .ptb.gz)
	ok "$n: tracefs trace beside ptrec's" test -f "$TRACES/$n.ftrace.gz"
	ok "$n: convert the tracefs text" "$PTBENCH" convert "$TRACES/$n.ftrace.gz" -o "$TMP/$n.ftrace.ptb"
	python3 scripts/lab/ptb-compare.py "$p" "$TMP/$n.ftrace.ptb" >"$TMP/cmp" 2>&1
	rc=$?
	eq "$n: ptrec's events = tracefs's, per CPU ($(cut -c1-60 "$TMP/cmp"))" \
		"$([ "$rc" -eq 0 ] || [ "$rc" -eq 2 ] && echo yes)" yes
	if runs_but_time "$TMP/$n.ptb.gz.json" >"$TMP/$n.ptb.runs" &&
		runs_but_time "$TMP/$n.ftrace.gz.json" >"$TMP/$n.ftrace.runs"; then
		same "$n: replay runs of ptrec's .ptb = tracefs's (but time-weighted numbers)" \
			"$TMP/$n.ptb.runs" "$TMP/$n.ftrace.runs"
	else
		fail "$n: replay runs of ptrec's .ptb = tracefs's" "no replay JSON to compare"
	fi
done
finish
