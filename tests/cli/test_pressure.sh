#!/bin/sh
# tests/cli/test_pressure.sh - `--pressure` end to end: the scenario list, the
# canonical string in the JSON, one-line errors, and what each scenario does
# to GFP_ATOMIC level-2 table allocations on a table-churning trace; trace:
# a ptrec --kmem recording (tests/data/kmem-small.csv) replayed with it.
. tests/cli/lib.sh

# A trace that needs a new L2 table every ms: a 1 MiB buffer mapped in 4 KiB
# pages (its paddr is not 64 KiB aligned), unmapped whole 64 ms later (a
# level-1 unmap: the table is freed).  1 s, 936 unmaps.
awk -v n=1000 'BEGIN {
	print "# tracer: nop"
	for (i = 0; i < n; i++) {
		t = 1000000 + i * 1000
		printf "  churn-1 [000] ...1 %d.%06d: map: IOMMU: iova=0x%016x paddr=0x%016x size=1048576\n",
			t / 1000000, t % 1000000, 268435456 + (i % 128) * 1048576, 1342177280 + (i % 512) * 1048576 + 4096
		if (i >= 64) {
			t += 500
			printf "  churn-1 [000] ...1 %d.%06d: unmap: IOMMU: iova=0x%016x size=1048576 unmapped_size=1048576\n",
				t / 1000000, t % 1000000, 268435456 + ((i - 64) % 128) * 1048576
		}
	}
}' >"$TMP/churn.ftrace"
CHURN=$TMP/churn.ftrace

# run NAME ARGS...: replay the churn trace into $TMP/NAME.json
run() {
	name=$1; shift
	ok "replay $*" "$PTBENCH" replay --json "$TMP/$name.json" "$@" "$CHURN"
}
# get NAME BACKEND EXPR: EXPR on that backend's run (r) of $TMP/NAME.json
get() {
	json_get "$TMP/$1.json" "[$3 for r in d['runs'] if r['backend'] == '$2'][0]"
}
# all NAME EXPR: EXPR over every run, comma-joined
all() {
	json_get "$TMP/$1.json" "','.join(str($2) for r in d['runs'])"
}

# The list: one name per line, registry order; -v adds keys and defaults.
ok "list pressures" "$PTBENCH" list pressures
eq "list pressures: the six scenarios" "$(paste -sd, "$TMP/out")" "none,steady,atomic-burst,fragmented,edge,trace"
ok "list -v pressures" "$PTBENCH" list -v pressures
eq "list -v: atomic-burst's keys with defaults" \
	"$(sed -n '/^atomic-burst /,/^[a-z]/p' "$TMP/out" | grep -c -E '^ +(zone=dma32|free=low\+0|pages=2048|period_ms=100|hold_ms=10) ')" 5
eq "list -v: trace's keys with defaults" \
	"$(sed -n '/^trace /,/^[A-Z]/p' "$TMP/out" | grep -c -E '^ +(file=FILE|free=boot\+0|DMA=dma|DMA32=dma32|Normal=normal|Movable=normal) ')" 6
ok "replay --help" "$PTBENCH" replay --help
eq "replay --help lists the scenarios and their keys" \
	"$(grep -c -E '^(none|steady|atomic-burst|fragmented|edge|trace) |^    order=1 |^    file=FILE ' "$TMP/out")" 8

# Bad values: one line naming the key, exit 1.
fails "unknown scenario" 1 "^ptbench: --pressure: unknown scenario 'heavy' \(see ptbench list pressures\)$" \
	"$PTBENCH" replay --pressure heavy "$DATA/small.ptb"
fails "unknown key" 1 "^ptbench: --pressure: steady: unknown key 'rate' \(keys: zone, free, free_max, period_ms\)$" \
	"$PTBENCH" replay --pressure steady:rate=5 "$DATA/small.ptb"
fails "bad level" 1 "^ptbench: --pressure: edge: free: 'lots' is not a level " \
	"$PTBENCH" replay --pressure edge:free=lots "$DATA/small.ptb"
fails "out of range" 1 "^ptbench: --pressure: fragmented: order: 10 is outside 0\.\.9$" \
	"$PTBENCH" replay --pressure fragmented:order=10 "$DATA/small.ptb"
fails "zone with no memory" 1 "^ptbench: --pressure: edge: zone=dma: zone DMA has no memory on this machine$" \
	"$PTBENCH" replay --memory x86-3g1g:reserved=16M --backend page-per-table --pressure edge:zone=dma "$DATA/small.ptb"

# The JSON echoes the canonical string: every key with its value.
ok "replay --pressure edge:free=WMARK_MIN+64" "$PTBENCH" replay --backend slab-dma32 \
	--pressure edge:free=WMARK_MIN+64 --json "$TMP/canon.json" "$DATA/small.ptb"
eq "config.pressure is canonical" "$(json_get "$TMP/canon.json" "d['config']['pressure']")" \
	"edge:zone=dma32,free=min+64"
eq "the level resolved for this machine" \
	"$(json_get "$TMP/canon.json" "d['runs'][0]['pressure']['target_min_pages']")" 1569
ok "replay without --pressure" "$PTBENCH" replay --backend slab-dma32 --json "$TMP/default.json" "$DATA/small.ptb"
eq "default pressure: none" "$(json_get "$TMP/default.json" "d['config']['pressure']")" none

# none: no atomic failure for any backend, on either kernel's rules.
for k in 4.19 6.1; do
	run "none-$k" --kernel "$k"
	eq "none $k: 0 atomic failures" "$(all "none-$k" "r['atomic']['failures']")" "0,0,0,0,0,0,0,0,0"
done

# atomic-burst: 2048 GFP_ATOMIC pages every 100 ms drain DMA32 to GFP_ATOMIC's
# own mark (565 pages on 4.19), so a page-per-table allocation right after a
# burst fails; the slab cache rarely needs a new slab and genalloc never does.
for k in 4.19 6.1; do
	run "burst-$k" --kernel "$k" --pressure atomic-burst --seed 3
	eq "atomic-burst $k: page-per-table fails" "$(get "burst-$k" page-per-table "r['atomic']['failures'] > 0")" True
	eq "atomic-burst $k: the failures are map failures" \
		"$(get "burst-$k" page-per-table "r['atomic']['failures'] == r['map_failures']")" True
	eq "atomic-burst $k: genalloc never fails" "$(get "burst-$k" genalloc-4m "r['atomic']['failures']")" 0
	eq "atomic-burst $k: 10 bursts, some of their pages refused" \
		"$(get "burst-$k" page-per-table "(r['pressure']['bursts'], r['pressure']['burst_failed_pages'] > 0)")" "(10, True)"
done
eq "atomic-burst 4.19: DMA32 below min after an event" \
	"$(get burst-4.19 slab-dma32 "r['zones']['DMA32']['free_pages_lowest'] < r['zones']['DMA32']['watermark_min_pages']")" True
eq "atomic-burst 6.1: the pressed zone is DMA" "$(get burst-6.1 slab-dma32 "r['pressure']['zone']")" DMA

# edge: free memory at min.  GFP_ATOMIC still has its reserves below min
# (ALLOC_HIGH|ALLOC_HARDER), so it does not fail; a 6.1 caller passing
# GFP_NOWAIT does, every time it needs a page; at free=atomic GFP_ATOMIC fails.
run edge
eq "edge: GFP_ATOMIC never fails at min" "$(all edge "r['atomic']['failures']")" "0,0,0,0,0,0,0,0,0"
run edge-nowait --kernel 6.1 --gfp GFP_NOWAIT --pressure edge --backend page-per-table
run none-nowait --kernel 6.1 --gfp GFP_NOWAIT
eq "edge 6.1 GFP_NOWAIT: page-per-table fails every time" \
	"$(get edge-nowait page-per-table "r['atomic']['failures'] == r['atomic']['attempts'] > 0")" True
eq "none 6.1 GFP_NOWAIT: no failure" "$(all none-nowait "r['atomic']['failures']")" "0,0,0,0,0,0,0,0,0"
run edge-atomic --pressure edge:free=atomic
eq "edge:free=atomic: DMA32 backends fail (pt-frag, genalloc-grow past its first chunk, the reserve past 32), genalloc-4m does not" \
	"$(all edge-atomic "r['atomic']['failures'] > 0")" "False,True,False,True,False,True,True,True,True"

# fragmented: no block above order 1, so page_frag's order-3 refills fall back
# to order 0 (every 32nd table) and SLUB's order-2 slabs too; nothing fails.
run frag --pressure fragmented --backend slab-dma32,page-frag
eq "fragmented: page-frag falls back, never fails" \
	"$(get frag page-frag "(r['fallbacks'] > 0, r['atomic']['failures'])")" "(True, 0)"
eq "fragmented: slab-dma32 falls back to order-0 slabs" "$(get frag slab-dma32 "r['fallbacks'] > 0")" True

# steady: before every event DMA32 free is within [min, low]; kswapd busy.
run steady --pressure steady --backend slab-dma32
eq "steady: free within [min, low] before every event" \
	"$(get steady slab-dma32 "(r['pressure']['free_pages_lowest'] >= r['zones']['DMA32']['watermark_min_pages'], r['pressure']['free_pages_highest'] <= r['zones']['DMA32']['watermark_low_pages'])")" \
	"(True, True)"
eq "steady: kswapd reclaimed at least 64 pages/ms for 750 of the 1000 ms" \
	"$(get steady slab-dma32 "r['mm']['kswapd_reclaimed_pages'] >= 64 * 750")" True

# Same seed, same bytes; another seed draws other levels; the canonical
# string replays the same run.
for i in 1 2; do
	ok "steady run $i" "$PTBENCH" replay --backend slab-dma32,page-frag --pressure steady --seed 5 --interval-ns 100000000 \
		--json "$TMP/s$i.json" --csv "$TMP/s$i.csv" "$CHURN"
done
same "pressure rerun: identical JSON" "$TMP/s1.json" "$TMP/s2.json"
same "pressure rerun: identical CSV" "$TMP/s1.csv" "$TMP/s2.csv"
ok "steady, seed 6" "$PTBENCH" replay --backend slab-dma32,page-frag --pressure steady --seed 6 \
	--json "$TMP/s3.json" "$CHURN"
eq "another seed, other levels" \
	"$(json_get "$TMP/s1.json" "d['runs'][0]['pressure']['filler_pages'] != $(json_get "$TMP/s3.json" "d['runs'][0]['pressure']['filler_pages']")")" True
ok "replay the canonical string" "$PTBENCH" replay --backend slab-dma32,page-frag \
	--pressure "$(json_get "$TMP/s1.json" "d['config']['pressure']")" \
	--seed 5 --interval-ns 100000000 --json "$TMP/s4.json" --csv "$TMP/s4.csv" "$CHURN"
same "canonical string: identical JSON" "$TMP/s1.json" "$TMP/s4.json"

# trace: the device's own recorded demand.  kmem-small.csv's 7 intervals end
# at 1.1 .. 1.7 s, inside the churn trace (1.0 .. 2.0 s: same clock, as ptrec
# writes both); DMA32 +2000 +3000 +1000 then back, Normal a few pages, other 12.
KMEM=$DATA/kmem-small.csv
run trace --backend slab-dma32,page-per-table --pressure "trace:$KMEM"
eq "trace: config.pressure is canonical" "$(json_get "$TMP/trace.json" "d['config']['pressure']")" \
	"trace:file=$KMEM,free=boot+0,DMA=dma,DMA32=dma32,Normal=normal,Movable=normal"
eq "trace: every interval applied, the recorded pages counted" \
	"$(get trace slab-dma32 "[r['pressure'][k] for k in ('intervals', 'intervals_applied', 'recorded_alloc_pages', 'recorded_free_pages', 'ignored_alloc_pages', 'ignored_free_pages', 'unknown_zone_rows')]")" \
	"[7, 7, 10830, 10835, 12, 12, 0]"
# others allocate and free exactly the net demand: DMA32 +6000 -6000, Normal +60 -65
eq "trace: from the boot level, the net demand applied, nothing unapplied" \
	"$(all trace "(r['pressure']['filler_pages'], r['pressure']['released_pages'], r['pressure']['unapplied_alloc_pages'], r['pressure']['unapplied_free_pages'])")" \
	"(6060, 6065, 0, 0),(6060, 6065, 0, 0)"
eq "trace: DMA32's free pages went 6000 down and back" \
	"$(get trace slab-dma32 "r['pressure']['free_pages_highest'] - r['pressure']['free_pages_lowest'] >= 6000")" True
# from 200 pages above min the device's 6000 pages do not fit: others stop at
# min, so page-per-table's GFP_ATOMIC tables dip into the reserves, still succeed
run trace-min --backend slab-dma32,page-per-table --pressure "trace:file=$KMEM,free=min+200"
eq "trace free=min+200: demand unapplied, none of it frees" \
	"$(get trace-min page-per-table "(r['pressure']['unapplied_alloc_pages'] > 5000, r['pressure']['unapplied_free_pages'], r['pressure']['unapplied_ticks'] > 0)")" \
	"(True, 0, True)"
eq "trace free=min+200: DMA32 at min or below after an event" \
	"$(get trace-min page-per-table "r['zones']['DMA32']['free_pages_lowest'] <= r['zones']['DMA32']['watermark_min_pages']")" True
eq "trace free=min+200: no atomic failure (reserves below min)" "$(all trace-min "r['atomic']['failures']")" "0,0"
run trace-6.1 --kernel 6.1 --backend slab-dma32 --pressure "trace:$KMEM"
eq "trace 6.1: recorded DMA32 is replayed in DMA" "$(get trace-6.1 slab-dma32 "r['pressure']['zone']")" DMA
run trace-none --backend slab-dma32 --pressure "trace:file=$KMEM,DMA32=none,Normal=none"
eq "trace DMA32=none,Normal=none: everything ignored" \
	"$(get trace-none slab-dma32 "(r['pressure']['recorded_alloc_pages'], r['pressure']['ignored_alloc_pages'])")" "(0, 10842)"
ok "trace: rerun" "$PTBENCH" replay --json "$TMP/trace2.json" --backend slab-dma32,page-per-table \
	--pressure "$(json_get "$TMP/trace.json" "d['config']['pressure']")" "$CHURN"
same "trace: the canonical string replays the same bytes" "$TMP/trace.json" "$TMP/trace2.json"
gzip -c "$KMEM" >"$TMP/kmem.csv.gz"
ok "trace: a gzip'd recording" "$PTBENCH" replay --backend slab-dma32 --pressure "trace:$TMP/kmem.csv.gz" \
	--json "$TMP/trace-gz.json" "$CHURN"
eq "trace: gzip reads the same" "$(get trace-gz slab-dma32 "r['pressure']['recorded_alloc_pages']")" 10830

# A bad recording: one line naming the file (and line), exit 1.
fails "trace without a file" 1 "^ptbench: --pressure: trace: needs the recording: trace:FILE or trace:file=FILE \(a ptrec --kmem CSV\)$" \
	"$PTBENCH" replay --pressure trace "$DATA/small.ptb"
fails "trace: missing file" 1 "^ptbench: $TMP/none\.csv: No such file or directory$" \
	"$PTBENCH" replay --pressure "trace:$TMP/none.csv" "$DATA/small.ptb"
printf 'ts_ns,zone,allocs_pages,frees_pages\n10,DMA32,1,0\n5,DMA32,0,1\n' >"$TMP/back.csv"
fails "trace: time goes back" 1 "^ptbench: $TMP/back\.csv:3: ts_ns 5 is before the previous row's 10$" \
	"$PTBENCH" replay --pressure "trace:$TMP/back.csv" "$DATA/small.ptb"
printf 'ts_ns,zone,allocs_pages,frees_pages\n10,DMA32,x,0\n' >"$TMP/nan.csv"
fails "trace: a count that is no number" 1 "^ptbench: $TMP/nan\.csv:2: allocs_pages: 'x' is not a number$" \
	"$PTBENCH" replay --pressure "trace:$TMP/nan.csv" "$DATA/small.ptb"
fails "trace: a trace given as the recording" 1 \
	"^ptbench: $DATA/small-5\.17\.ftrace:1: the header is not ts_ns,zone,allocs_pages,frees_pages \(a ptrec --kmem file\?\)$" \
	"$PTBENCH" replay --pressure "trace:$DATA/small-5.17.ftrace" "$DATA/small.ptb"
fails "trace: a bad zone map" 1 "^ptbench: --pressure: trace: Normal: 'high' is not one of dma32, dma, normal, none$" \
	"$PTBENCH" replay --pressure "trace:file=$KMEM,Normal=high" "$DATA/small.ptb"

# atomic-burst at the end of trace time: a .ptb whose second event is 50 ms
# before 2^64 ns (next_burst_ns used to wrap: BUG at harness/pressure_hold.c).
python3 -c '
import struct, sys
def rec(ts, op):
    return struct.pack("<QQQQQIIIHBB", ts, 0x100000, 0x80000000 if op == 1 else 0, 4096,
                       0 if op == 1 else 4096, 1, 0xcc0, 1, 0, op, 0)
sys.stdout.buffer.write(b"PTBTRACE" + struct.pack("<IIIIQII", 1, 64, 56, 0x1f, 2, 0, 0)
                        + b"test".ljust(24, b"\0") + rec(1000, 1) + rec(2**64 - 1 - 50000000, 2))
' >"$TMP/end-of-time.ptb"
ok "atomic-burst: an event 50 ms before 2^64 ns" \
	"$PTBENCH" replay --pressure atomic-burst --json "$TMP/eot.json" "$TMP/end-of-time.ptb"
eq "atomic-burst: at most one burst by the last event" \
	"$(json_get "$TMP/eot.json" 'all(r["pressure"]["bursts"] <= 2 for r in d["runs"])')" True

finish
