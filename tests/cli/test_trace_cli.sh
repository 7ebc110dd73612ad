#!/bin/sh
# tests/cli/test_trace_cli.sh - `ptbench stat` and `ptbench convert` end to
# end on tests/data: the same counts from every format, the JSON keys, skipped
# lines by reason, one-line errors; every format converted to .ptb and
# .ptb.gz gives the same stat and the same replay "runs"; a failed convert
# leaves no file behind.
. tests/cli/lib.sh

FORMATS="small.ftrace small-5.17.ftrace small.ftrace.gz small.trace-cmd.txt \
small.trace-cmd-l.txt small.perf.txt small.trace.dat small.trace.dat.gz small.ptb small.ptb.gz"

# What stat says of the events themselves, whatever the format carried
# around them (lines, text versions and other events differ by format).
core() {
	python3 -c 'import json,sys
d = json.load(open(sys.argv[1])); s = d["stat"]; t = d["trace"]
print(json.dumps([t["events"], t["maps"], t["unmaps"], t["skipped"]] +
                 [s[k] for k in ("mapped_bytes", "unmapped_bytes", "unmap_requested_bytes",
                                 "first_ns", "last_ns", "span_ns", "lost_events", "sizes",
                                 "cpus", "events_without_cpu")], sort_keys=True))' "$1"
}

runs() {
	python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["runs"], sort_keys=True))' "$1"
}

# ---- stat: every format, the same events ----

# gen-testdata.py's trace: 23 maps (17977344 bytes: 19 of 4K, one each of
# 8K, 64K, 1M, 16M), 13 unmaps asking for 18554880 bytes and getting
# 17977344 (one of size 0), from 3.949760 s to 4.449877 s, on CPUs 0-3
# (8, 6, 18, 4 events).
for f in $FORMATS; do
	ok "stat --json $f" "$PTBENCH" stat --json "$TMP/$f.stat.json" "$DATA/$f"
	core "$TMP/$f.stat.json" >"$TMP/$f.core"
done
eq "small.ftrace: the trace gen-testdata.py wrote" "$(cat "$TMP/small.ftrace.core")" \
	'[36, 23, 13, 0, 17977344, 17977344, 18554880, 3949760000, 4449877000, 500117000, 0, [{"bucket": "<4K", "maps": 0, "min_bytes": 0, "unmaps": 1}, {"bucket": "4K", "maps": 19, "min_bytes": 4096, "unmaps": 3}, {"bucket": "8K", "maps": 1, "min_bytes": 8192, "unmaps": 2}, {"bucket": "16K", "maps": 0, "min_bytes": 16384, "unmaps": 0}, {"bucket": "32K", "maps": 0, "min_bytes": 32768, "unmaps": 1}, {"bucket": "64K", "maps": 1, "min_bytes": 65536, "unmaps": 3}, {"bucket": "128K", "maps": 0, "min_bytes": 131072, "unmaps": 0}, {"bucket": "256K", "maps": 0, "min_bytes": 262144, "unmaps": 1}, {"bucket": "512K", "maps": 0, "min_bytes": 524288, "unmaps": 0}, {"bucket": "1M", "maps": 1, "min_bytes": 1048576, "unmaps": 1}, {"bucket": "2M", "maps": 0, "min_bytes": 2097152, "unmaps": 0}, {"bucket": "4M", "maps": 0, "min_bytes": 4194304, "unmaps": 0}, {"bucket": "8M", "maps": 0, "min_bytes": 8388608, "unmaps": 0}, {"bucket": "16M", "maps": 1, "min_bytes": 16777216, "unmaps": 1}], [{"cpu": 0, "events": 8}, {"cpu": 1, "events": 6}, {"cpu": 2, "events": 18}, {"cpu": 3, "events": 4}], 0]'
for f in $FORMATS; do
	same "stat: $f counts == small.ftrace counts" "$TMP/small.ftrace.core" "$TMP/$f.core"
done
for pair in small.ftrace:ftrace small.trace-cmd.txt:trace-cmd small.perf.txt:perf \
	    small.trace.dat:trace.dat small.ptb.gz:ptb; do
	f=${pair%%:*}
	eq "stat: $f format" "$(json_get "$TMP/$f.stat.json" "d['trace']['format']")" "${pair#*:}"
done
eq "stat: other events by name" "$(json_get "$TMP/small.perf.txt.stat.json" "d['stat']['other_by_name']")" \
	"{'sched_switch': 3, 'sched_wakeup': 2}"
eq "stat: 4.19 text lines" "$(json_get "$TMP/small.ftrace.stat.json" "[d['stat'][k] for k in ('lines', 'iommu_pre_5_17', 'iommu_5_17')]")" "[52, 36, 0]"
eq "stat: 5.17 text lines" "$(json_get "$TMP/small-5.17.ftrace.stat.json" "[d['stat'][k] for k in ('lines', 'iommu_pre_5_17', 'iommu_5_17')]")" "[41, 0, 36]"
eq "stat: sha256 of the file as given" "$(json_get "$TMP/small.ftrace.gz.stat.json" "d['trace']['sha256']")" \
	"$(sha256sum "$DATA/small.ftrace.gz" | cut -d' ' -f1)"

# The JSON keys (docs/schema.md, "stat JSON").
eq "stat --json: top keys" "$(json_get "$TMP/small.ftrace.stat.json" "sorted(d)")" "['ptbench', 'schema', 'stat', 'trace']"
eq "stat --json: trace keys" "$(json_get "$TMP/small.ftrace.stat.json" "sorted(d['trace'])")" \
	"['events', 'format', 'maps', 'path', 'sha256', 'skipped', 'unmaps']"
eq "stat --json: stat keys" "$(json_get "$TMP/small.ftrace.stat.json" "sorted(d['stat'])")" \
	"['converted_skipped', 'cpus', 'events_without_cpu', 'first_ns', 'iommu_5_17', 'iommu_pre_5_17', 'last_ns', 'lines', 'lost_events', 'mapped_bytes', 'other_by_name', 'other_events', 'sizes', 'skipped_by_reason', 'span_ns', 'unmap_requested_bytes', 'unmapped_bytes']"
eq "stat --json: every skip reason named" "$(json_get "$TMP/small.ftrace.stat.json" "sorted(d['stat']['skipped_by_reason'])")" \
	"['bad-iommu-fields', 'bad-prefix', 'bad-record', 'line-too-long', 'no-newline']"
ok "stat --json - (stdout)" "$PTBENCH" stat --json - "$DATA/small.ptb"
eq "stat --json -: the same JSON as to a file" "$(json_get "$TMP/out" "d['trace']['events']")" 36
ok "stat text" "$PTBENCH" stat "$DATA/small.trace.dat"
eq "stat text: events line" "$(grep '^events' "$TMP/out")" "events         36 (23 maps, 13 unmaps)"
ok "stat lost events" "$PTBENCH" stat --json "$TMP/lost.json" "$DATA/lost.perf.txt"
eq "stat: PERF_RECORD_LOST counted" "$(json_get "$TMP/lost.json" "d['stat']['lost_events']")" 42

# ---- skipped lines by reason ----
ok "stat --skip-bad bad-hex" "$PTBENCH" stat --skip-bad --json "$TMP/skip.json" "$DATA/bad-hex.ftrace"
eq "--skip-bad: bad-iommu-fields 1" "$(json_get "$TMP/skip.json" "[d['trace']['skipped'], d['stat']['skipped_by_reason']['bad-iommu-fields'], d['trace']['events']]")" "[1, 1, 35]"
ok "stat --skip-bad truncated line" "$PTBENCH" stat --skip-bad --json "$TMP/skip2.json" "$DATA/bad-truncated-line.ftrace"
eq "--skip-bad: no-newline 1" "$(json_get "$TMP/skip2.json" "[d['trace']['skipped'], d['stat']['skipped_by_reason']['no-newline'], d['trace']['events']]")" "[1, 1, 25]"
ok "stat --skip-bad text" "$PTBENCH" stat --skip-bad "$DATA/bad-hex.ftrace"
eq "--skip-bad text: the reason listed" "$(grep -A1 '^skipped lines' "$TMP/out" | paste -sd' ' - | tr -s ' ')" \
	"skipped lines 1 bad-iommu-fields 1"

# ---- bad input: one line, exit 1 ----
fails "stat bad hex" 1 '^ptbench: tests/data/bad-hex.ftrace:13: map: iova: expected 0x and 1-16 hex digits, found .g. at column 82$' \
	"$PTBENCH" stat "$DATA/bad-hex.ftrace"
fails "stat truncated line" 1 '^ptbench: tests/data/bad-truncated-line.ftrace:41: last line has no newline: the trace was cut short$' \
	"$PTBENCH" stat "$DATA/bad-truncated-line.ftrace"
fails "stat gzip cut short (even --skip-bad)" 1 '^ptbench: tests/data/bad-cut.ftrace.gz:40: gzip stream cut short' \
	"$PTBENCH" stat --skip-bad "$DATA/bad-cut.ftrace.gz"
fails "stat truncated .ptb" 1 '^ptbench: tests/data/bad-truncated.ptb: record 35 cut short: 20 of 56 bytes \(the file is truncated\)$' \
	"$PTBENCH" stat "$DATA/bad-truncated.ptb"
fails "stat trace.dat libtraceevent dies on" 1 '^ptbench: tests/data/fuzz-regress/tilde-print-fmt.trace.dat.gz: trace.dat: libtracecmd died reading this file \(.*\): it is corrupt$' \
	"$PTBENCH" stat --json "$TMP/never.json" "$DATA/fuzz-regress/tilde-print-fmt.trace.dat.gz"
eq "stat: no JSON for a bad trace" "$(ls "$TMP" | grep -c '^never.json')" 0
: >"$TMP/empty"
fails "stat empty file" 1 "^ptbench: $TMP/empty: empty file: no trace format to detect\$" "$PTBENCH" stat "$TMP/empty"
fails "stat missing file" 1 '^ptbench: tests/data/nope.ftrace: No such file or directory$' "$PTBENCH" stat "$DATA/nope.ftrace"
fails "stat unknown option" 1 "^ptbench: stat: unknown option '--frob'" "$PTBENCH" stat --frob "$DATA/small.ptb"
fails "stat two traces" 1 "^ptbench: stat: one trace only" "$PTBENCH" stat "$DATA/small.ptb" "$DATA/small.ftrace"
fails "stat no trace" 1 "^ptbench: stat: expected a TRACE" "$PTBENCH" stat
ok "stat --help" "$PTBENCH" stat --help
eq "stat --help: examples" "$(grep -c '^  ptbench stat' "$TMP/out")" 3

# ---- convert: every format to .ptb and .ptb.gz, nothing lost ----
# Each event's CPU picks the per-CPU lists and slabs the replay allocates
# from, so the runs also show whether cpu survived the conversion; 6.1's
# rules (per-CPU partial slabs) rather than the default 4.19's.
for f in $FORMATS; do
	ok "replay $f" "$PTBENCH" replay --kernel 6.1 --backend all --json "$TMP/$f.replay.json" "$DATA/$f"
	runs "$TMP/$f.replay.json" >"$TMP/$f.runs"
	for ext in ptb ptb.gz; do
		out="$TMP/$f.$ext"
		ok "convert $f -> .$ext" "$PTBENCH" convert "$DATA/$f" -o "$out"
		ok "stat $f.$ext" "$PTBENCH" stat --json "$out.stat.json" "$out"
		core "$out.stat.json" >"$out.core"
		same "$f.$ext: stat == $f's" "$TMP/$f.core" "$out.core"
		eq "$f.$ext: format ptb" "$(json_get "$out.stat.json" "d['trace']['format']")" ptb
		ok "replay $f.$ext" "$PTBENCH" replay --kernel 6.1 --backend all --json "$out.replay.json" "$out"
		runs "$out.replay.json" >"$out.runs"
		same "$f.$ext: replay runs == $f's" "$TMP/$f.runs" "$out.runs"
	done
done
eq "convert: .ptb.gz is gzip" "$(head -c 2 "$TMP/small.ftrace.ptb.gz" | od -An -tx1 | tr -d ' ')" 1f8b
gzip -dc "$TMP/small.trace.dat.ptb.gz" >"$TMP/gunzipped.ptb"
same "convert: .ptb.gz is the .ptb, gzip'd" "$TMP/small.trace.dat.ptb" "$TMP/gunzipped.ptb"
eq "convert: .ptb starts with its magic" "$(head -c 8 "$TMP/small.ftrace.ptb")" PTBTRACE
eq "convert: source in the header" "$(dd if="$TMP/small.perf.txt.ptb" bs=1 skip=40 count=24 2>/dev/null | tr -d '\0')" convert:perf
eq "convert: no temporary file left" "$(ls "$TMP" | grep -c '\.tmp\.')" 0

# A bad input converts to nothing: no OUT, no temporary file.
for out in bad.ptb bad.ptb.gz; do
	fails "convert bad hex -> $out" 1 '^ptbench: tests/data/bad-hex.ftrace:13: map: iova: ' \
		"$PTBENCH" convert "$DATA/bad-hex.ftrace" -o "$TMP/$out"
	eq "convert bad hex: no $out" "$(ls "$TMP" | grep -c "^$out")" 0
done
fails "convert gzip cut short" 1 '^ptbench: tests/data/bad-cut.ftrace.gz:40: gzip stream cut short' \
	"$PTBENCH" convert --skip-bad "$DATA/bad-cut.ftrace.gz" -o "$TMP/cut.ptb"
fails "convert truncated .ptb" 1 '^ptbench: tests/data/bad-truncated.ptb: record 35 cut short' \
	"$PTBENCH" convert "$DATA/bad-truncated.ptb" -o "$TMP/cut.ptb.gz"
fails "convert crashing trace.dat" 1 'libtracecmd died reading this file' \
	"$PTBENCH" convert "$DATA/fuzz-regress/tilde-print-fmt.trace.dat.gz" -o "$TMP/cut.ptb"
eq "convert bad inputs: nothing written" "$(ls "$TMP" | grep -c '^cut\.\|\.tmp\.')" 0
ok "convert --skip-bad" "$PTBENCH" convert --skip-bad "$DATA/bad-hex.ftrace" -o "$TMP/skipped.ptb"
eq "convert --skip-bad: the other 35 events" "$("$PTBENCH" stat --json - "$TMP/skipped.ptb" | python3 -c 'import json,sys; print(json.load(sys.stdin)["trace"]["events"])')" 35
fails "convert without -o" 1 "^ptbench: convert: expected IN -o OUT" "$PTBENCH" convert "$DATA/small.ptb"
fails "convert unwritable OUT" 1 "^ptbench: $TMP/no/dir/x.ptb: cannot create" \
	"$PTBENCH" convert "$DATA/small.ptb" -o "$TMP/no/dir/x.ptb"
ok "convert --help" "$PTBENCH" convert --help
eq "convert --help: examples" "$(grep -c '^  ptbench convert' "$TMP/out")" 2

# ---- lost events, end to end: counted by the readers, kept in a .ptb's header ----
"$PTBENCH" replay --backend slab-dma32 --json "$TMP/lost-r.json" "$DATA/lost.ftrace" >"$TMP/out" 2>"$TMP/err"
eq "replay lost.ftrace: exit 0, lost events in the JSON" "$? $(json_get "$TMP/lost-r.json" "d['trace']['lost_events']")" "0 72"
eq "replay lost.ftrace: one warning line" \
	"$(grep -c "^ptbench: $DATA/lost.ftrace: the tracer lost 72 events (its buffer overran): the trace is incomplete$" "$TMP/err")" 1
eq "replay lost.ftrace: the table says so" "$(grep -c '^the tracer lost 72 events' "$TMP/out")" 1
fails "replay --strict: lost events are an error" 1 "^ptbench: $DATA/lost.ftrace: the tracer lost 72 events" \
	"$PTBENCH" replay --strict --json "$TMP/lost-strict.json" "$DATA/lost.ftrace"
eq "replay --strict: no JSON" "$(ls "$TMP" | grep -c lost-strict)" 0
"$PTBENCH" convert "$DATA/lost.trace-cmd.txt" -o "$TMP/lost.ptb" 2>"$TMP/err"
eq "convert lost.trace-cmd.txt: exit 0, warned" "$? $(grep -c '^ptbench: .*: the tracer lost 204601 events' "$TMP/err")" "0 1"
eq "convert: the .ptb header holds the lost events (stat)" \
	"$("$PTBENCH" stat --json - "$TMP/lost.ptb" | python3 -c 'import json,sys; print(json.load(sys.stdin)["stat"]["lost_events"])')" 204601
eq "stat's table too" "$("$PTBENCH" stat "$TMP/lost.ptb" 2>/dev/null | grep -c '^lost events    204601')" 1
"$PTBENCH" replay --backend slab-dma32 --json "$TMP/lost-ptb.json" "$TMP/lost.ptb" >/dev/null 2>"$TMP/err"
eq "replay of that .ptb: lost events in the JSON, warned" \
	"$(json_get "$TMP/lost-ptb.json" "d['trace']['lost_events']") $(grep -c 'the tracer lost 204601 events' "$TMP/err")" "204601 1"
fails "convert --strict: lost events are an error" 1 "^ptbench: $DATA/lost.perf.txt: the tracer lost 42 events" \
	"$PTBENCH" convert --strict "$DATA/lost.perf.txt" -o "$TMP/lost-strict.ptb"
"$PTBENCH" convert --skip-bad "$DATA/bad-hex.ftrace" -o "$TMP/skipped.ptb" 2>/dev/null
eq "convert --skip-bad: the lines left out in the .ptb header (stat, replay)" \
	"$("$PTBENCH" stat --json - "$TMP/skipped.ptb" | python3 -c 'import json,sys; print(json.load(sys.stdin)["stat"]["converted_skipped"])') $("$PTBENCH" replay --json - "$TMP/skipped.ptb" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["trace"]["converted_skipped"])')" "1 1"
eq "convert writes the 80-byte header" "$(od -An -tu4 -j12 -N4 "$TMP/skipped.ptb" | tr -d ' ')" 80
eq "a 64-byte header (small.ptb) reads as no counts" \
	"$("$PTBENCH" replay --json - "$DATA/small.ptb" 2>/dev/null | python3 -c 'import json,sys; t=json.load(sys.stdin)["trace"]; print(t["lost_events"], t["converted_skipped"])')" "0 0"

finish
