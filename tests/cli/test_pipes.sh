#!/bin/sh
# tests/cli/test_pipes.sh - a trace read once, from a pipe, stdin or a FIFO:
# `cat TRACE | ptbench replay -` gives the same runs and the same trace.sha256
# (sha256sum's, of the bytes as stored) as the file itself, in every format;
# stat and convert too; a FIFO is read, not waited on forever.  What the file
# is checked for, a pipe is too: gzip's end, a trace.dat's version and copy
# bound, the trace's warnings and --strict.
. tests/cli/lib.sh

FORMATS="small.ftrace small-5.17.ftrace small.ftrace.gz small.trace-cmd.txt \
small.trace-cmd-l.txt small.trace.dat small.trace.dat.gz small.perf.txt small.ptb small.ptb.gz"

# The document without trace.path (a pipe is "-") and the commit line.
strip() {
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["trace"].pop("path"); d["ptbench"].pop("commit"); print(json.dumps(d, sort_keys=True))' "$1"
}

for f in $FORMATS; do
	sum=$(sha256sum <"$DATA/$f" | cut -c1-64)
	ok "replay $f" "$PTBENCH" replay --backend all --json "$TMP/file.json" --csv "$TMP/file.csv" "$DATA/$f"
	cat "$DATA/$f" | "$PTBENCH" replay --backend all --json - --csv "$TMP/pipe.csv" - >"$TMP/pipe.json" 2>"$TMP/pipe.err"
	eq "cat $f | replay --json - -: exit 0" "$?" 0
	strip "$TMP/file.json" >"$TMP/file.norm"
	strip "$TMP/pipe.json" >"$TMP/pipe.norm"
	same "cat $f | replay: the same JSON as the file" "$TMP/file.norm" "$TMP/pipe.norm"
	same "cat $f | replay: the same CSV as the file" "$TMP/file.csv" "$TMP/pipe.csv"
	eq "$f: trace.sha256 is sha256sum's" "$(json_get "$TMP/file.json" "d['trace']['sha256']")" "$sum"
	eq "cat $f | replay: trace.sha256 is sha256sum's" "$(json_get "$TMP/pipe.json" "d['trace']['sha256']")" "$sum"
	eq "cat $f | replay: trace.path is -" "$(json_get "$TMP/pipe.json" "d['trace']['path']")" "-"

	cat "$DATA/$f" | "$PTBENCH" stat --json "$TMP/stat.json" - 2>"$TMP/err"
	eq "cat $f | stat -: sha256" "$(json_get "$TMP/stat.json" "d['trace']['sha256']")" "$sum"
	ok "stdin < $f: replay -" sh -c "\"$PTBENCH\" replay --backend all --json - --csv \"$TMP/pipe.csv\" - <\"$DATA/$f\" >\"$TMP/stdin.json\""
	strip "$TMP/stdin.json" >"$TMP/stdin.norm"
	same "replay - <$f: the same JSON as the file" "$TMP/file.norm" "$TMP/stdin.norm"

	ok "convert $f" "$PTBENCH" convert "$DATA/$f" -o "$TMP/file.ptb"
	ok "cat $f | convert -" sh -c "cat \"$DATA/$f\" | \"$PTBENCH\" convert - -o \"$TMP/pipe.ptb\""
	same "cat $f | convert: the same .ptb" "$TMP/file.ptb" "$TMP/pipe.ptb"
done

# A trace.dat larger than the 64 KiB the format is detected from: the copy
# libtracecmd reads starts at the first byte all the same.
"$PTBENCH" stat "$DATA/host-sched.trace.dat" | tail -n +2 >"$TMP/stat-file.txt"
cat "$DATA/host-sched.trace.dat" | "$PTBENCH" stat - | tail -n +2 >"$TMP/stat-pipe.txt"
same "cat host-sched.trace.dat (128 KiB) | stat -: what the file says" "$TMP/stat-file.txt" "$TMP/stat-pipe.txt"

# A FIFO: written by another process, read once (no second open that would
# wait for a writer that is gone).  timeout turns a hang into a failure.
for f in small.ftrace.gz small.trace.dat small.ptb; do
	rm -f "$TMP/fifo"
	mkfifo "$TMP/fifo"
	cat "$DATA/$f" >"$TMP/fifo" &
	ok "FIFO $f: replay" timeout 120 "$PTBENCH" replay --backend all --json "$TMP/fifo.json" "$TMP/fifo"
	wait
	ok "replay $f" "$PTBENCH" replay --backend all --json "$TMP/file.json" "$DATA/$f"
	eq "FIFO $f: the same runs" "$(json_get "$TMP/fifo.json" "json.dumps(d['runs'])" 2>&1)" \
		"$(json_get "$TMP/file.json" "json.dumps(d['runs'])" 2>&1)"
	eq "FIFO $f: trace.sha256 is sha256sum's" "$(json_get "$TMP/fifo.json" "d['trace']['sha256']")" \
		"$(sha256sum <"$DATA/$f" | cut -c1-64)"
	cat "$DATA/$f" >"$TMP/fifo" &
	ok "FIFO $f: stat" timeout 120 "$PTBENCH" stat "$TMP/fifo"
	wait
done

# Two domains (a .ptb written here, workloads/README.md's layout): both are
# created before the first event.  From a file the second one's late first
# event sends the replay back to the file's start, read whole; a pipe cannot
# be read again: one line, unless --single-domain.
python3 - "$TMP/two.ptb" <<'PY'
import struct, sys
recs = []
for i in range(8):
    for dom in (1, 2):
        ts = 1000 * (2 * i + dom)
        iova = 0xfff00000 - i * 0x10000
        recs.append(struct.pack("<QQQQQIIIHBB", ts, iova, 0x80000000 + dom * 0x1000000 + i * 0x10000,
                                0x10000, 0, dom, 0, 0, 0, 1, 0))
hdr = struct.pack("<8sIIIIQII24s", b"PTBTRACE", 1, 64, 56, 0x05, len(recs), 0, 0, b"test_pipes")
open(sys.argv[1], "wb").write(hdr + b"".join(recs))
PY
ok "two domains: replay the file" "$PTBENCH" replay --backend all --json "$TMP/two.json" "$TMP/two.ptb"
eq "two domains: trace.domains" "$(json_get "$TMP/two.json" "d['trace']['domains']")" 2
eq "two domains: two L1 tables each run" "$(json_get "$TMP/two.json" "sorted(set(r['iommu']['l1_tables'] for r in d['runs']))")" "[2]"
eq "two domains: no conflict" "$(json_get "$TMP/two.json" "sum(r['iommu']['conflicts'] for r in d['runs'])")" 0
fails "two domains from a pipe" 1 '^ptbench: -: event 2: IOMMU domain 2 is first named after the replay began' \
	sh -c "cat \"$TMP/two.ptb\" | \"$PTBENCH\" replay --backend slab-dma32 -"
ok "two domains, --single-domain: the file" "$PTBENCH" replay --single-domain --backend all --json "$TMP/one.json" "$TMP/two.ptb"
ok "two domains, --single-domain: a pipe" sh -c "cat \"$TMP/two.ptb\" | \"$PTBENCH\" replay --single-domain --backend all --json \"$TMP/one-pipe.json\" -"
eq "two domains, --single-domain: the same runs" "$(json_get "$TMP/one.json" "json.dumps(d['runs'])" 2>&1)" \
	"$(json_get "$TMP/one-pipe.json" "json.dumps(d['runs'])" 2>&1)"

# Errors from a pipe name it "-", with the line.
fails "cat bad-cut.ftrace.gz | replay -" 1 '^ptbench: -:40: gzip stream cut short' \
	sh -c "cat \"$DATA/bad-cut.ftrace.gz\" | \"$PTBENCH\" replay --backend slab-dma32 -"
fails "empty pipe" 1 '^ptbench: -: empty file' sh -c ": | \"$PTBENCH\" stat -"

# gzip's end, from a pipe as from a file (trace_input.c reads what follows the last
# member to the end): garbage is an error naming its offset, zero padding is not.
gz_bytes=$(wc -c <"$DATA/small.ftrace.gz")
{ cat "$DATA/small.ftrace.gz"; printf 'garbage\n'; } >"$TMP/garbage.ftrace.gz"
garbage_msg="gzip: trailing garbage at byte $gz_bytes, after the last gzip member \\(gzip -dc ignores it with a warning\\): the file is not all gzip\$"
fails "gzip trailing garbage: the file" 1 "^ptbench: $TMP/garbage.ftrace.gz: $garbage_msg" \
	"$PTBENCH" replay --backend slab-dma32 "$TMP/garbage.ftrace.gz"
fails "gzip trailing garbage: a pipe" 1 "^ptbench: -: $garbage_msg" \
	sh -c "cat \"$TMP/garbage.ftrace.gz\" | \"$PTBENCH\" replay --backend slab-dma32 -"
fails "gzip trailing garbage: stat of a pipe" 1 "^ptbench: -: $garbage_msg" \
	sh -c "cat \"$TMP/garbage.ftrace.gz\" | \"$PTBENCH\" stat -"
{ cat "$DATA/small.trace.dat.gz"; printf 'x'; } >"$TMP/garbage.trace.dat.gz"
fails "gzip trailing garbage: a trace.dat from a pipe" 1 \
	"^ptbench: -: gzip: trailing garbage at byte $(wc -c <"$DATA/small.trace.dat.gz")," \
	sh -c "cat \"$TMP/garbage.trace.dat.gz\" | \"$PTBENCH\" replay --backend slab-dma32 -"
{ cat "$DATA/small.ftrace.gz"; head -c 512 /dev/zero; } >"$TMP/padded.ftrace.gz"
ok "gzip zero padding: a pipe" sh -c "cat \"$TMP/padded.ftrace.gz\" | \"$PTBENCH\" replay --backend slab-dma32 --json \"$TMP/padded.json\" -"
eq "gzip zero padding: trace.sha256 is sha256sum's" "$(json_get "$TMP/padded.json" "d['trace']['sha256']")" \
	"$(sha256sum <"$TMP/padded.ftrace.gz" | cut -c1-64)"

# A trace.dat from a pipe is copied to a temporary file as a gzip'd one is: the same
# version check on its first bytes and the same bound.
{ printf '\027\010Dtracing6\000'; head -c 33554432 /dev/zero; } >"$TMP/bomb.trace.dat"
fails "trace.dat from a pipe past the copy bound" 1 \
	"^ptbench: -: trace.dat: from a pipe, it runs past 16777216 bytes, the bound of its temporary copy in .*: save it to a file and read that\$" \
	sh -c "cat \"$TMP/bomb.trace.dat\" | PTBENCH_INFLATE_MAX_BYTES=16777216 \"$PTBENCH\" replay --backend slab-dma32 -"
fails "gzip'd trace.dat from a pipe past the bound" 1 \
	"^ptbench: -: trace.dat: gzip'd, it inflates past 16777216 bytes" \
	sh -c "gzip -1 <\"$TMP/bomb.trace.dat\" | PTBENCH_INFLATE_MAX_BYTES=16777216 \"$PTBENCH\" replay --backend slab-dma32 -"
fails "trace.dat of version 8 from a pipe" 1 "^ptbench: -: trace.dat: file version '8': libtracecmd 3.1.6 reads versions 6 and 7\$" \
	sh -c "{ printf '\\027\\010Dtracing8\\000'; head -c 1000 /dev/zero; } | \"$PTBENCH\" replay --backend slab-dma32 -"

# The trace's warnings come at the end of the stream: a pipe warns as the file does,
# and --strict makes it the one error line with no output written.
head -40 "$DATA/small.ftrace" >"$TMP/cut.ftrace"
cut_msg="^ptbench: -: its header counts 41 entries \\(entries-in-buffer\\), it holds 29: the file was cut short\$"
fails "ftrace cut short from a pipe: replay warns" 0 "$cut_msg" \
	sh -c "cat \"$TMP/cut.ftrace\" | \"$PTBENCH\" replay --backend all --json \"$TMP/cut.json\" -"
eq "ftrace cut short from a pipe: the JSON written, a run per backend" "$(json_get "$TMP/cut.json" "len(d['runs'])")" "$("$PTBENCH" list backends | wc -l)"
fails "ftrace cut short from a pipe: --strict" 1 "$cut_msg" \
	sh -c "cat \"$TMP/cut.ftrace\" | \"$PTBENCH\" replay --strict --backend all --json \"$TMP/cut-strict.json\" --csv \"$TMP/cut-strict.csv\" -"
eq "ftrace cut short from a pipe: --strict writes nothing" "$(ls "$TMP" | grep -c '^cut-strict')" 0
grep -v -e 'IOMMU' -e 'entries-in-buffer' "$DATA/small.ftrace" >"$TMP/none.ftrace"
fails "no iommu event from a pipe: --strict" 1 '^ptbench: -: no iommu map/unmap event in [0-9]+ lines' \
	sh -c "cat \"$TMP/none.ftrace\" | \"$PTBENCH\" replay --strict --backend slab-dma32 -"

finish
