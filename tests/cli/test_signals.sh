#!/bin/sh
# test_signals.sh - SIGTERM and SIGINT in the middle of replay, convert and synth: the
# exit status is 143 / 130 (128 + the signal) and no OUT.tmp.PID is left behind.  Each
# run is caught while its temporary files exist: replay and convert read a FIFO that
# stays open (replay has opened --csv and --l2-log, convert its .ptb), synth writes a
# simulated day.  Replay's scratch files (each run's part of --csv and --l2-log, in
# $TMPDIR) are unlinked as soon as they are created: none is left either.
. tests/cli/lib.sh

mkfifo "$TMP/fifo"
# 64 copies of small.ftrace: more than the 64 KiB format detection reads at once, so
# convert gets past trace_open() and opens its output before the FIFO runs dry
i=0
while [ $i -lt 64 ]; do cat "$DATA/small.ftrace"; i=$((i + 1)); done >"$TMP/big.ftrace"

# wait_tmp DIR N: until DIR holds N *.tmp.* files (10 s at most).
wait_tmp() {
	t=0
	while [ "$(ls "$1" | grep -c '\.tmp\.')" -lt "$2" ] && [ $t -lt 100 ]; do
		sleep 0.1
		t=$((t + 1))
	done
}

# interrupt NAME SIGNAL STATUS NTMP CMD...: CMD in the background, the FIFO fed, until
# NTMP temporary files exist in $TMP/out; then SIGNAL: exit STATUS, no *.tmp.* left.
interrupt() {
	name=$1 sig=$2 want=$3 ntmp=$4
	shift 4
	rm -rf "$TMP/out"
	mkdir "$TMP/out"
	{ cat "$TMP/big.ftrace"; sleep 30; } >"$TMP/fifo" &
	feeder=$!
	"$@" >/dev/null 2>"$TMP/err" &
	pid=$!
	wait_tmp "$TMP/out" "$ntmp"
	eq "$name: its temporary files exist" "$(ls "$TMP/out" | grep -c "\\.tmp\\.$pid\$")" "$ntmp"
	kill -s "$sig" $pid
	# a process that ignores the signal (sh starts background jobs with SIGINT ignored)
	# is killed after 5 s and fails the test instead of hanging it
	{ sleep 5; kill -9 $pid 2>/dev/null; } &
	watchdog=$!
	wait $pid
	rc=$?
	kill $watchdog 2>/dev/null
	kill $feeder 2>/dev/null
	wait $feeder 2>/dev/null
	eq "$name: exit $want" "$rc" "$want"
	eq "$name: no temporary file left" "$(ls "$TMP/out")" ""
}

for s in TERM:143 INT:130; do
	sig=${s%:*} st=${s#*:}
	# TMPDIR too: each run's --csv and --l2-log part (a scratch file) is in $TMP/out
	interrupt "replay, SIG$sig" "$sig" "$st" 2 env TMPDIR="$TMP/out" "$PTBENCH" replay \
		--backend slab-dma32,page-frag --csv "$TMP/out/out.csv" --l2-log "$TMP/out/out.l2" \
		--json "$TMP/out/out.json" "$TMP/fifo"
	interrupt "convert, SIG$sig" "$sig" "$st" 1 "$PTBENCH" convert "$TMP/fifo" -o "$TMP/out/x.ptb"
	interrupt "synth, SIG$sig" "$sig" "$st" 1 "$PTBENCH" synth day -o "$TMP/out/day.ptb"
done

finish
