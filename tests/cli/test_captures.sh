#!/bin/sh
# test_captures.sh - the captures the real tools made (tests/data/README.md): every line
# trace-cmd, perf and tracefs printed is read; the same sched events from each tool's
# files; a trace with no iommu event replays and converts with one warning line (and one
# more when the tracer lost events), and --strict makes that an error that writes nothing.
. tests/cli/lib.sh

# FILE LINES SCHED_SWITCH SCHED_PROCESS_EXIT LOST: stat's counts of a capture.
stat_counts() {
	"$PTBENCH" stat --json "$TMP/s.json" "$DATA/$1" 2>"$TMP/err" ||
		{ fail "$1: stat" "$(cat "$TMP/err")"; return; }
	eq "$1: lines, events, other events by name, lost" \
		"$(json_get "$TMP/s.json" "(d['stat']['lines'], d['trace']['events'], d['stat']['other_by_name'], d['stat']['lost_events'])")" \
		"($2, 0, $3, $4)"
}

tracefs="{'sched_switch': 309}"
perf="{'sched_switch': 899, 'sched_process_exit': 52}"
stat_counts real-sched.ftrace.gz 322 "$tracefs" 360
stat_counts real-sched-v7.trace.dat 309 "$tracefs" 2
stat_counts real-sched-v6.trace.dat.gz 309 "$tracefs" 2
stat_counts real-sched.trace-cmd.txt.gz 312 "$tracefs" 2
for f in real-sched.perf.txt.gz real-sched.perf-F-ns.txt.gz real-sched.perf-F-pid.txt.gz \
	real-sched.perf-F-time.txt.gz; do
	stat_counts "$f" 951 "$perf" 0
done

# Replay and convert: exit 0, an all-zero table, one line saying there was nothing to replay.
for f in real-sched.ftrace.gz real-sched-v7.trace.dat real-sched-v6.trace.dat.gz \
	real-sched.trace-cmd.txt.gz real-sched.perf.txt.gz real-sched.perf-F-ns.txt.gz \
	real-sched.perf-F-pid.txt.gz real-sched.perf-F-time.txt.gz; do
	case $f in
	*.trace.dat*) unit=records n=309 lost=2 ;;
	*ftrace*) unit=lines n=322 lost=360 ;;
	*trace-cmd*) unit=lines n=312 lost=2 ;;
	*) unit=lines n=951 lost=0 ;;
	esac
	# warned: no event, then (if any) the lost events
	"$PTBENCH" replay --backend slab-dma32,page-frag --json "$TMP/r.json" "$DATA/$f" 2>"$TMP/err"
	eq "$f: replay warns" "$? $(grep -c . "$TMP/err") $(grep -Ec "^ptbench: $DATA/$f: no iommu map/unmap event in $n $unit \\([0-9]+ other events\\)$" "$TMP/err") $(grep -c "^ptbench: $DATA/$f: the tracer lost $lost events" "$TMP/err")" \
		"0 $((1 + (lost > 0))) 1 $((lost > 0))"
	eq "$f: replay: lost events in the JSON" "$(json_get "$TMP/r.json" "d['trace']['lost_events']")" "$lost"
	eq "$f: replay: no event, no table, no memory" \
		"$(json_get "$TMP/r.json" "[d['trace']['events']] + [(r['tables']['allocs'], r['memory']['peak_footprint_bytes']) for r in d['runs']]")" \
		"[0, (0, 0), (0, 0)]"
	fails "$f: replay --strict" 1 "^ptbench: $DATA/$f: no iommu map/unmap event in $n $unit" \
		"$PTBENCH" replay --strict --json "$TMP/strict.json" "$DATA/$f"
	ok "$f: convert" "$PTBENCH" convert "$DATA/$f" -o "$TMP/c.ptb"
	eq "$f: convert warns, then its summary" "$(grep -c . "$TMP/err") $(grep -Ec "^ptbench: $DATA/$f: no iommu map/unmap event in $n $unit" "$TMP/err")" "$((2 + (lost > 0))) 1"
	eq "$f: convert: the lost events in the .ptb's header" \
		"$("$PTBENCH" stat --json - "$TMP/c.ptb" | python3 -c 'import json,sys; print(json.load(sys.stdin)["stat"]["lost_events"])')" "$lost"
	eq "$f: convert: a .ptb with no record" \
		"$("$PTBENCH" stat --json - "$TMP/c.ptb" | python3 -c 'import json,sys; print(json.load(sys.stdin)["stat"]["lines"])')" 0
	fails "$f: convert --strict" 1 "^ptbench: $DATA/$f: no iommu map/unmap event" \
		"$PTBENCH" convert --strict "$DATA/$f" -o "$TMP/strict.ptb"
	eq "$f: --strict wrote nothing" "$(ls "$TMP" | grep -c strict)" 0
done

# The lab guest's real iommu events, recorded by trace-cmd and perf themselves
# (scripts/lab/record-tools.sh): every line read, replayed with --check --strict clean;
# a trace.dat and its report, a perf script and its -F --ns form replay the same.
# lab_counts FILE EVENTS MAPS LINES
lab_counts() {
	"$PTBENCH" stat --json "$TMP/s.json" "$DATA/$1" 2>"$TMP/err" ||
		{ fail "$1: stat" "$(cat "$TMP/err")"; return; }
	eq "$1: events, maps, unmaps, lines, other, lost" \
		"$(json_get "$TMP/s.json" "(d['trace']['events'], d['trace']['maps'], d['trace']['unmaps'], d['stat']['lines'], d['stat']['other_events'], d['stat']['lost_events'])")" \
		"($2, $3, $3, $4, 0, 0)"
	quiet "$1: replay --check --strict, no word on stderr" \
		"$PTBENCH" replay --check --strict --backend slab-dma32,page-frag,genalloc-4m \
		--json "$TMP/$1.json" "$DATA/$1"
	eq "$1: no violation, no mismatch" \
		"$(json_get "$TMP/$1.json" "[sum(r['violations'].values()) + r['iommu']['unmap_mismatches'] + r['iommu']['map_errors_other'] for r in d['runs']]")" \
		"[0, 0, 0]"
}
lab_counts lab-iommu-v6.trace.dat 336 168 336
lab_counts lab-iommu-v7.trace.dat 352 176 352
lab_counts lab-iommu.trace-cmd.txt.gz 352 176 353
lab_counts lab-iommu-instance.trace.dat 368 184 368
lab_counts lab-iommu-2instances.trace-cmd.txt.gz 368 184 369
lab_counts lab-iommu.perf.txt.gz 368 184 368
lab_counts lab-iommu.perf-F-ns.txt.gz 368 184 368
lab_counts lab-iommu.perf-g.txt.gz 368 184 7806
fails "lab-iommu-2instances.trace.dat: two buffer instances refused, naming them" 1 \
	"^ptbench: $DATA/lab-iommu-2instances.trace.dat: trace.dat: the top buffer is empty and 2 buffer instances \\('unmaps', 'maps'\\) may hold the events: ptbench reads one; read their \`trace-cmd report\` instead, which merges them$" \
	"$PTBENCH" replay "$DATA/lab-iommu-2instances.trace.dat"
eq "lab-iommu-v7.trace.dat and its trace-cmd report: the same runs" \
	"$(json_get "$TMP/lab-iommu-v7.trace.dat.json" "d['runs']" | md5sum)" \
	"$(json_get "$TMP/lab-iommu.trace-cmd.txt.gz.json" "d['runs']" | md5sum)"
eq "lab-iommu perf script, default and -F ... --ns: the same runs" \
	"$(json_get "$TMP/lab-iommu.perf.txt.gz.json" "d['runs']" | md5sum)" \
	"$(json_get "$TMP/lab-iommu.perf-F-ns.txt.gz.json" "d['runs']" | md5sum)"

# A trace with events is not warned about, --strict or not.
fails "small.ftrace: convert --strict, one line: the summary" 0 '^convert: tests/data/small.ftrace \(ftrace\): 36 events' \
	"$PTBENCH" convert --strict "$DATA/small.ftrace" -o "$TMP/small.ptb"

finish
