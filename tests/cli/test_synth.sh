#!/bin/sh
# tests/cli/test_synth.sh - `ptbench synth` and `ptbench list workloads` end to
# end: every workload replays with --check on 6.1 with no violation for
# slab-dma32, reruns are byte-identical, another seed differs, --events caps
# exactly, .gz output reads back, bad options get one line and exit 1.
. tests/cli/lib.sh

WORKLOADS="display video camera browse churn frag-worst day"
# mtk16g's IOVAs reach 16 GiB: it replays with --ias 34 (tests/cli/test_mtkext.sh)

ok "list workloads" "$PTBENCH" list workloads
eq "list workloads: the names, one per line" "$(paste -sd' ' "$TMP/out")" "$WORKLOADS mtk16g"
ok "list -v workloads" "$PTBENCH" list -v workloads
eq "list -v workloads: a line each" "$(wc -l <"$TMP/out")" 8

for w in $WORKLOADS; do
	ok "synth $w" "$PTBENCH" synth "$w" --events 3000 --seed 2 --duration-s 7200 -o "$TMP/$w.ptb"
	n=$(sed -n 's/.*: \([0-9]*\) events .*/\1/p' "$TMP/err")
	ok "replay --check --kernel 6.1 $w" \
		"$PTBENCH" replay --check --kernel 6.1 --backend slab-dma32 --json "$TMP/$w.json" "$TMP/$w.ptb"
	eq "$w: 0 violations, conflicts, mismatches, map failures" \
		"$(json_get "$TMP/$w.json" "[sum(r['violations'][k] for k in ('above_4g','misaligned','overlap','translation_faults')) + r['iommu']['conflicts'] + r['iommu']['unmap_mismatches'] + r['map_failures'] for r in d['runs']][0]")" 0
	eq "$w: the trace is what synth wrote" \
		"$(json_get "$TMP/$w.json" "d['trace']['format'] + ' ' + str(d['trace']['events'])")" "ptb $n"
done

# Same name, seed and options: the same bytes; another seed: other bytes.
ok "synth video again" "$PTBENCH" synth video --events 3000 --seed 2 --duration-s 7200 -o "$TMP/video2.ptb"
same "rerun: identical .ptb" "$TMP/video.ptb" "$TMP/video2.ptb"
ok "synth video seed 3" "$PTBENCH" synth video --events 3000 --seed 3 --duration-s 7200 -o "$TMP/video3.ptb"
if cmp -s "$TMP/video.ptb" "$TMP/video3.ptb"; then fail "another seed: other events"; else pass "another seed: other events"; fi

# gzip when the name ends in .gz; ptbench stat reads it back; the header says who wrote it.
ok "synth camera .ptb.gz" "$PTBENCH" synth camera --events 777 -o "$TMP/cam.ptb.gz"
ok "stat .ptb.gz" "$PTBENCH" stat --json "$TMP/cam.json" "$TMP/cam.ptb.gz"
eq "stat: exactly --events events" "$(json_get "$TMP/cam.json" "d['trace']['events']")" 777
eq "header source" "$(gzip -dc "$TMP/cam.ptb.gz" | head -c 64 | tail -c 24 | tr -d '\0')" "synth:camera"

# --duration-s bounds the simulated time.
ok "synth display 600 s" "$PTBENCH" synth display --duration-s 600 -o "$TMP/d600.ptb"
ok "stat display" "$PTBENCH" stat --json "$TMP/d600.json" "$TMP/d600.ptb"
eq "no event at or after 600 s" "$(json_get "$TMP/d600.json" "d['stat']['last_ns'] < 600 * 10**9")" True

# Bad input: one line, exit 1, no file left behind.
# --memory: the buffers come from that machine; replayed on it, every map succeeds
ok "synth browse --memory mt8173-2g" "$PTBENCH" synth browse --events 3000 --memory mt8173-2g \
	-o "$TMP/b2g.ptb"
ok "replay it on mt8173-2g" "$PTBENCH" replay --backend slab-dma32 --memory mt8173-2g \
	--json "$TMP/b2g.json" "$TMP/b2g.ptb"
eq "mt8173-2g: no map refused" "$(json_get "$TMP/b2g.json" \
	"d['runs'][0]['map_failures'] + d['runs'][0]['iommu']['map_errors_other']")" 0
ok "synth browse --memory mt8173-4g" "$PTBENCH" synth browse --events 3000 --memory mt8173-4g \
	-o "$TMP/b4g.ptb"
ok "synth browse (default machine)" "$PTBENCH" synth browse --events 3000 -o "$TMP/bdef.ptb"
same "--memory mt8173-4g is the default" "$TMP/b4g.ptb" "$TMP/bdef.ptb"
fails "unknown memory" 1 "unknown memory 'nope'" "$PTBENCH" synth browse --memory nope -o "$TMP/x.ptb"
fails "unknown workload" 1 "unknown workload 'nope'" "$PTBENCH" synth nope -o "$TMP/x.ptb"
fails "no -o" 1 "expected NAME -o FILE" "$PTBENCH" synth video
fails "bad --events" 1 "--events: 'lots' is not a non-negative number" \
	"$PTBENCH" synth video --events lots -o "$TMP/x.ptb"
fails "--duration-s 0" 1 "--duration-s: 0 is outside" "$PTBENCH" synth video --duration-s 0 -o "$TMP/x.ptb"
fails "unknown option" 1 "unknown option '--fast'" "$PTBENCH" synth video --fast -o "$TMP/x.ptb"
fails "unwritable output" 1 "$TMP/no/such/dir/x.ptb" "$PTBENCH" synth video -o "$TMP/no/such/dir/x.ptb"
mkfifo "$TMP/fifo"
fails "a FIFO as output" 1 "fifo: not a regular file" "$PTBENCH" synth video --events 10 -o "$TMP/fifo"
eq "the FIFO is still a FIFO" "$(stat -c %F "$TMP/fifo")" "fifo"
eq "nothing written on error" "$(ls "$TMP" | grep -c '^x\.ptb')" 0

finish
