#!/bin/sh
# tests/cli/test_replay.sh - `ptbench replay` end to end on tests/data: the
# issue's done-when points (0 violations with --check, format-independent
# runs, one run per backend, byte-identical reruns) and its error handling.
. tests/cli/lib.sh

FORMATS="small.ftrace small-5.17.ftrace small.ftrace.gz small.trace-cmd.txt \
small.trace-cmd-l.txt small.trace.dat small.trace.dat.gz small.perf.txt small.ptb small.ptb.gz"
CLEAN="slab-dma32 genalloc-4m page-frag page-per-table pt-frag genalloc-grow slab-dma32-reserve"

# --check: no violation for the four backends that keep tables below 4 GiB,
# on both kernels' rules, in every format.
for kver in 4.19 6.1; do
	for f in $FORMATS; do
		ok "replay --check --kernel $kver $f" \
			"$PTBENCH" replay --check --kernel "$kver" --backend all --json "$TMP/$f.$kver.json" "$DATA/$f"
		for b in $CLEAN; do
			v=$(json_get "$TMP/$f.$kver.json" "[sum(r['violations'][k] for k in ('above_4g','misaligned','overlap','translation_faults')) for r in d['runs'] if r['backend']=='$b'][0]")
			eq "$kver $f $b: 0 violations" "$v" 0
		done
	done
done

# The trace's 64 KiB unmap out of a 1 MiB section is split by the kernel's
# arm_v7s_split_blk_unmap, whose refill maps the other 15 x 64 KiB from
# physical 0: 240 pages, reported apart from the model's own faults.
eq "split refill faults reported" \
	"$(json_get "$TMP/small.ftrace.6.1.json" "[r['violations']['split_refill_faults'] for r in d['runs'] if r['backend']=='slab-dma32'][0]")" 240

# 4.19 as released: kzalloc-dma32 tables come from ZONE_NORMAL, above 4 GiB on
# mt8173-4g, and __arm_v7s_alloc_table rejects them: maps fail, counted.
eq "4.19 kzalloc-dma32 tables above 4 GiB" \
	"$(json_get "$TMP/small.ftrace.4.19.json" "[r['violations']['rejected_above_4g'] > 0 and r['map_failures'] > 0 for r in d['runs'] if r['backend']=='kzalloc-dma32'][0]")" True

# The format is irrelevant to the results: the "runs" of every format agree.
for kver in 4.19 6.1; do
	json_get "$TMP/small.ftrace.$kver.json" "json.dumps(d['runs'], sort_keys=True)" >"$TMP/runs.ref" 2>/dev/null ||
		python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["runs"], sort_keys=True))' \
			"$TMP/small.ftrace.$kver.json" >"$TMP/runs.ref"
	for f in $FORMATS; do
		python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["runs"], sort_keys=True))' \
			"$TMP/$f.$kver.json" >"$TMP/runs.$f"
		same "$kver: $f runs == small.ftrace runs" "$TMP/runs.ref" "$TMP/runs.$f"
	done
done

# --backend all --json - prints one run per backend, in registry order.
ok "replay --backend all --json -" "$PTBENCH" replay --backend all --json - "$DATA/small.ptb"
cp "$TMP/out" "$TMP/all.json"
eq "one run per backend" "$(json_get "$TMP/all.json" "','.join(r['backend'] for r in d['runs'])")" \
	"$("$PTBENCH" list backends | paste -sd, -)"

# Same trace, seed and options: byte-identical JSON and CSV.
for i in 1 2; do
	ok "replay run $i" "$PTBENCH" replay --kernel 6.1 --seed 7 --interval-ns 100000 \
		--json "$TMP/det$i.json" --csv "$TMP/det$i.csv" "$DATA/small.trace.dat"
done
same "rerun: identical JSON" "$TMP/det1.json" "$TMP/det2.json"
same "rerun: identical CSV" "$TMP/det1.csv" "$TMP/det2.csv"
# 10 of the 100 us intervals hold events (intervals where nothing happened get no row)
eq "CSV: the same 10 sample rows for each of the 9 backends" \
	"$(awk -F, 'NR > 1 { n[$1]++ } END { for (b in n) print n[b] }' "$TMP/det1.csv" | sort | uniq -c | tr -s ' ')" " 9 10"
eq "no temporary files left" "$(ls "$TMP" | grep -c '\.tmp\.')" 0
eq "ns_per_event is null without --timing" \
	"$(json_get "$TMP/det1.json" "d['runs'][0]['replay']['ns_per_event']")" None
eq "provenance: trace sha256" "$(json_get "$TMP/det1.json" "d['trace']['sha256']")" \
	"$(sha256sum "$DATA/small.trace.dat" | cut -d' ' -f1)"

# A non-regular output (a FIFO, /dev/null) is written in place, never renamed over.
mkfifo "$TMP/fifo"
cat "$TMP/fifo" >"$TMP/from-fifo.json" &
ok "replay --json FIFO" "$PTBENCH" replay --json "$TMP/fifo" "$DATA/small.ptb"
wait
[ -p "$TMP/fifo" ] && pass "the FIFO is still a FIFO" || fail "the FIFO is still a FIFO" "replaced"
eq "the JSON came through the FIFO" "$(json_get "$TMP/from-fifo.json" "d['trace']['events']")" 36
fails "convert -o FIFO refused" 1 "^ptbench: .*/fifo: not a regular file" \
	"$PTBENCH" convert "$DATA/small.ptb" -o "$TMP/fifo"

# Bad input: one line naming FILE:LINE and the reason, exit 1, no output file.
fails "malformed hex: FILE:LINE" 1 '^ptbench: tests/data/bad-hex.ftrace:13: map: iova: ' \
	"$PTBENCH" replay --json "$TMP/bad.json" "$DATA/bad-hex.ftrace"
eq "no JSON written for a bad trace" "$(ls "$TMP" | grep -c '^bad.json')" 0
fails "truncated last line" 1 '^ptbench: tests/data/bad-truncated-line.ftrace:41: .*cut short' \
	"$PTBENCH" replay "$DATA/bad-truncated-line.ftrace"
fails "truncated .ptb" 1 '^ptbench: tests/data/bad-truncated.ptb: record 35 cut short' \
	"$PTBENCH" replay "$DATA/bad-truncated.ptb"
fails "gzip cut short" 1 '^ptbench: tests/data/bad-cut.ftrace.gz:[0-9]+: gzip stream cut short' \
	"$PTBENCH" replay "$DATA/bad-cut.ftrace.gz"
ok "--skip-bad counts instead" "$PTBENCH" replay --skip-bad --json "$TMP/skip.json" "$DATA/bad-hex.ftrace"
eq "--skip-bad: skipped line in the JSON" "$(json_get "$TMP/skip.json" "d['trace']['skipped']")" 1
eq "--skip-bad: the rest replayed" "$(json_get "$TMP/skip.json" "d['trace']['events']")" 35

# An ftrace file cut at a line boundary holds fewer entries than its header counts.
head -40 "$DATA/small.ftrace" >"$TMP/cut.ftrace"
cut_msg="^ptbench: $TMP/cut.ftrace: its header counts 41 entries \\(entries-in-buffer\\), it holds 29: the file was cut short$"
fails "ftrace cut at a line: replay warns" 0 "$cut_msg" \
	"$PTBENCH" replay --backend slab-dma32 --json "$TMP/cut.json" "$TMP/cut.ftrace"
fails "ftrace cut at a line: stat warns" 0 "$cut_msg" "$PTBENCH" stat "$TMP/cut.ftrace"
fails "ftrace cut at a line: replay --strict" 1 "$cut_msg" \
	"$PTBENCH" replay --strict --backend slab-dma32 "$TMP/cut.ftrace"
ok "ftrace whole: replay --strict" "$PTBENCH" replay --strict --backend slab-dma32 "$DATA/small.ftrace"

# A gzip bomb posing as a trace.dat: refused once its copy passes the bound, in one line.
{ printf '\027\010Dtracing6\000'; head -c 67108864 /dev/zero; } | gzip -1 >"$TMP/bomb.trace.dat.gz"
fails "gzip'd trace.dat past the inflate bound" 1 \
	"^ptbench: $TMP/bomb.trace.dat.gz: trace.dat: gzip'd, it inflates past 16777216 bytes, the bound of its temporary copy" \
	env PTBENCH_INFLATE_MAX_BYTES=16777216 "$PTBENCH" replay "$TMP/bomb.trace.dat.gz"
{ printf '\027\010Dtracing8\000'; head -c 1000 /dev/zero; } | gzip >"$TMP/v8.trace.dat.gz"
fails "gzip'd trace.dat of version 8" 1 "^ptbench: $TMP/v8.trace.dat.gz: trace.dat: file version '8': libtracecmd 3.1.6 reads versions 6 and 7$" \
	"$PTBENCH" replay "$TMP/v8.trace.dat.gz"

# Every map failing in the model (IOVAs above v7s's 32 bits: -ERANGE) is said on stderr;
# --strict makes it an error that writes nothing.
printf '%s\n' \
	'          dd-129     [000] d..1.     3.949760: map: IOMMU: iova=0x0000000100000000 paddr=0x0000000101d12000 size=4096' \
	'          dd-129     [000] d..1.     3.949761: map: IOMMU: iova=0x0000000200000000 paddr=0x0000000101d13000 size=4096' \
	>"$TMP/erange.ftrace"
fails "every map failed: a warning, exit 0" 0 \
	"^ptbench: $TMP/erange.ftrace: slab-dma32: every map failed in the model: 2 of 2 \\(-ENOMEM 0, other errors 2\\)$" \
	"$PTBENCH" replay --backend slab-dma32 --json "$TMP/erange.json" "$TMP/erange.ftrace"
fails "every map failed: --strict exit 1" 1 "^ptbench: $TMP/erange.ftrace: slab-dma32: every map failed" \
	"$PTBENCH" replay --strict --backend slab-dma32 --json "$TMP/erange-strict.json" "$TMP/erange.ftrace"
eq "every map failed: --strict writes no JSON" "$(ls "$TMP" | grep -c erange-strict)" 0
ok "--strict: a trace whose maps work" "$PTBENCH" replay --strict --backend slab-dma32 "$DATA/small.ptb"

# Bad options: one line naming the option.
fails "unknown backend" 1 "^ptbench: --backend: unknown backend 'slub-1k'" \
	"$PTBENCH" replay --backend slub-1k "$DATA/small.ptb"
fails "unknown option" 1 "^ptbench: replay: unknown option '--frobnicate'" \
	"$PTBENCH" replay --frobnicate "$DATA/small.ptb"
fails "bad kernel" 1 "^ptbench: --kernel: '5.99'" "$PTBENCH" replay --kernel 5.99 "$DATA/small.ptb"
fails "bad watermarks" 1 "^ptbench: --watermarks: DMA32: min 3, low 2, high 1: need min <= low <= high" \
	"$PTBENCH" replay --watermarks DMA32=3:2:1 "$DATA/small.ptb"
ok "given watermarks" "$PTBENCH" replay --kernel 6.1 --memory x86-3g1g --watermarks DMA32=100:200:300 \
	--backend slab-dma32 --json "$TMP/wm.json" "$DATA/small.ptb"
eq "given watermarks: in config and in the zone" \
	"$(json_get "$TMP/wm.json" "(d['config']['watermarks'], d['runs'][0]['zones']['DMA32']['watermark_low_pages'])")" \
	"('DMA32=100:200:300', 200)"
fails "missing value" 1 "^ptbench: --seed: needs a value" "$PTBENCH" replay "$DATA/small.ptb" --seed
# One parser (harness/options.c) for every command: the same lines everywhere.
fails "a flag given a value" 1 "^ptbench: --check: takes no value$" "$PTBENCH" replay --check=1 "$DATA/small.ptb"
fails "an ambiguous abbreviation" 1 "^ptbench: replay: '--s' is ambiguous \(--seed, --slub-debug, " \
	"$PTBENCH" replay --s 1 "$DATA/small.ptb"
fails "a number out of range" 1 "^ptbench: --cpus: 0 is outside 1\.\.[0-9]+$" "$PTBENCH" replay --cpus 0 "$DATA/small.ptb"
fails "a percentage out of range" 1 "^ptbench: --fail-rate: 101 is outside 0\.\.100$" \
	"$PTBENCH" replay --fail-rate 101 "$DATA/small.ptb"
fails "a negative number" 1 "^ptbench: --seed: '-1' is not a non-negative number$" \
	"$PTBENCH" replay --seed -1 "$DATA/small.ptb"
fails "a bad unit" 1 "^ptbench: --genalloc-pool: '4X' is not a number of bytes" \
	"$PTBENCH" replay --genalloc-pool 4X "$DATA/small.ptb"
eq "iommu-pages: listed with -v as an alias of page-per-table" \
	"$("$PTBENCH" list -v backends | awk '$1 == "iommu-pages" { print $2, $3, $4 }')" "alias of page-per-table:"
eq "iommu-pages: not a run of its own in list backends" "$("$PTBENCH" list backends | grep -c '^iommu-pages$')" 0
ok "iommu-pages runs as page-per-table" "$PTBENCH" replay --backend iommu-pages --json "$TMP/iop.json" "$DATA/small.ptb"
eq "iommu-pages: its run is page-per-table's" "$(json_get "$TMP/iop.json" "d['runs'][0]['backend']")" page-per-table
fails "a genalloc-grow chunk not a power of two" 1 \
	"^ptbench: genalloc-grow: chunk size 49152 bytes is not a power of two from 4 KiB to 4 MiB$" \
	"$PTBENCH" replay --backend genalloc-grow --genalloc-grow-chunk 48K "$DATA/small.ptb"
ok "genalloc-grow with 4 KiB chunks" "$PTBENCH" replay --backend genalloc-grow --genalloc-grow-chunk 4K \
	--json "$TMP/gg.json" "$DATA/small.ptb"
eq "genalloc-grow: 3 tables in 4 KiB chunks hold 4 KiB, chunk in config" \
	"$(json_get "$TMP/gg.json" "(d['runs'][0]['memory']['peak_footprint_bytes'], d['config']['genalloc_grow_chunk_bytes'])")" "(4096, 4096)"
fails "a bad pt-frag scope" 1 "^ptbench: --pt-frag-scope: 'mm' is not domain or global$" \
	"$PTBENCH" replay --pt-frag-scope mm "$DATA/small.ptb"
ok "pt-frag, one global pool" "$PTBENCH" replay --backend pt-frag --pt-frag-scope global \
	--json "$TMP/ptf-g.json" "$DATA/small.ptb"
eq "config.pt_frag_scope: global" "$(json_get "$TMP/ptf-g.json" "d['config']['pt_frag_scope']")" global
ok "pt-frag, a pool per page table" "$PTBENCH" replay --backend pt-frag --json "$TMP/ptf-d.json" "$DATA/small.ptb"
eq "config.pt_frag_scope: domain by default" "$(json_get "$TMP/ptf-d.json" "d['config']['pt_frag_scope']")" domain
fails "a byte count that overflows" 1 "^ptbench: --genalloc-pool: '20000000000G' is too large$" \
	"$PTBENCH" replay --genalloc-pool 20000000000G "$DATA/small.ptb"
ok "an unambiguous abbreviation" "$PTBENCH" replay --backe genalloc-4m --js "$TMP/abbrev.json" "$DATA/small.ptb"
eq "the abbreviation set the option" "$(json_get "$TMP/abbrev.json" "[r['backend'] for r in d['runs']]")" "['genalloc-4m']"
fails "two traces" 1 "^ptbench: replay: one trace only \('tests/data/small.ptb' and 'x'\)$" \
	"$PTBENCH" replay "$DATA/small.ptb" x
fails "stat: missing value" 1 "^ptbench: --json: needs a value$" "$PTBENCH" stat "$DATA/small.ptb" --json
fails "convert: unknown short option" 1 "^ptbench: convert: unknown option '-x'" \
	"$PTBENCH" convert -x "$DATA/small.ptb" -o "$TMP/x.ptb"
fails "list: a second list" 1 "^ptbench: list: one list only \('backends' and 'kernels'\)$" \
	"$PTBENCH" list backends kernels
ok "--name=value, K/M suffix, options after the trace" "$PTBENCH" replay "$DATA/small.ptb" --seed=7 \
	--genalloc-pool 4M --backend=genalloc-4m --json "$TMP/eqform.json"
ok "the same run, spelt out" "$PTBENCH" replay --seed 7 --genalloc-pool 4194304 --backend genalloc-4m \
	--json "$TMP/spelt.json" "$DATA/small.ptb"
same "--name=value and K/M suffixes parse as spelt out" "$TMP/eqform.json" "$TMP/spelt.json"
# ptbench oracle takes replay's own descriptors for the options both have: the same
# value gives the same line (the oracle stops at it, before any guest).
for bad in "--seed x" "--interval-ns 0" "--reorder-window-ns -3" "--pressure edge:rate=1" \
	"--backend slub-1k" "--backend slab-dma32,slab-dma32" "--timing=1" "--json"; do
	# shellcheck disable=SC2086 # $bad is an option and its value, split on purpose
	"$PTBENCH" replay "$DATA/small.ptb" $bad >/dev/null 2>"$TMP/replay.err"
	# shellcheck disable=SC2086
	"$PTBENCH" oracle "$DATA/small.ptb" $bad >/dev/null 2>"$TMP/oracle.err"
	eq "oracle $bad: one line" "$(grep -c '^ptbench: --' "$TMP/oracle.err")" 1
	same "replay and oracle say the same of $bad" "$TMP/replay.err" "$TMP/oracle.err"
done
fails "oracle: replay's own option is not the oracle's" 1 "^ptbench: oracle: unknown option '--slub-debug'" \
	"$PTBENCH" oracle --slub-debug "$DATA/small.ptb"
fails "oracle: --strict is replay's (a model run failing every map)" 1 \
	"^ptbench: oracle: unknown option '--strict'" "$PTBENCH" oracle --strict "$DATA/small.ptb"
fails "convert: --strict=1 takes no value" 1 "^ptbench: --strict: takes no value" \
	"$PTBENCH" convert --strict=1 "$DATA/small.ptb" -o "$TMP/strict.ptb"
ok "-- ends the options" "$PTBENCH" list -v -- backends
fails "missing trace" 1 "^ptbench: tests/data/nope.ftrace: " "$PTBENCH" replay "$DATA/nope.ftrace"
fails "no trace" 1 "^ptbench: replay: no trace given" "$PTBENCH" replay
ok "replay --help" "$PTBENCH" replay --help
eq "--help has examples" "$(grep -c '^  ptbench replay' "$TMP/out")" 4

# ---- outputs: never over the input, stdout's data alone, a failed stdout is an error ----
cp "$DATA/small.ptb" "$TMP/self.ptb"
ln -s self.ptb "$TMP/self-link.ptb"
fails "replay --json INPUT: refused" 1 "^ptbench: $TMP/self.ptb: is the input trace $TMP/self.ptb: refusing to write over it$" \
	"$PTBENCH" replay --json "$TMP/self.ptb" "$TMP/self.ptb"
fails "replay --csv LINK-TO-INPUT: refused" 1 "^ptbench: $TMP/self-link.ptb: is the input trace" \
	"$PTBENCH" replay --csv "$TMP/self-link.ptb" "$TMP/self.ptb"
fails "convert -o INPUT: refused" 1 "^ptbench: $TMP/self.ptb: is the input trace" \
	"$PTBENCH" convert "$TMP/self.ptb" -o "$TMP/self.ptb"
same "the input trace is intact" "$DATA/small.ptb" "$TMP/self.ptb"
ok "replay --csv -" "$PTBENCH" replay --backend slab-dma32,page-frag --csv - "$DATA/small.ptb"
eq "replay --csv -: stdout is the CSV alone (no table)" \
	"$(awk -F, 'NF != 19' "$TMP/out" | wc -l) $(head -n 1 "$TMP/out" | cut -d, -f1-2)" "0 backend,t_ns"
if [ -w /dev/full ]; then
	fails "replay, stdout on a full disk: exit 1" 1 "^ptbench: stdout: write failed: No space left on device$" \
		sh -c '"$1" replay "$2" >/dev/full' sh "$PTBENCH" "$DATA/small.ptb"
	fails "replay --json -, stdout on a full disk: exit 1" 1 "^ptbench: -: write failed: No space left on device$" \
		sh -c '"$1" replay --json - "$2" >/dev/full' sh "$PTBENCH" "$DATA/small.ptb"
	fails "list, stdout on a full disk: exit 1" 1 "^ptbench: stdout: write failed" \
		sh -c '"$1" list backends >/dev/full' sh "$PTBENCH"
else
	fail "/dev/full: not writable here"
fi

# ---- JSON: valid whatever the path's bytes, small rates kept ----
cp "$DATA/small.ptb" "$TMP/$(printf 'caf\351\377.ptb')"
ok "replay a path that is not UTF-8" "$PTBENCH" replay --backend slab-dma32 --json "$TMP/latin1.json" \
	"$TMP/$(printf 'caf\351\377.ptb')"
eq "its JSON loads (python3 json), the bytes as \\u00XX" \
	"$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["trace"]["path"].endswith("caf\u00e9\u00ff.ptb"))' "$TMP/latin1.json")" True
eq "a real in its shortest form (16.0, not 16.000000; test_json.c: 3e-07 kept)" \
	"$(grep -c '"footprint_per_live_at_peak": 16.0,$' "$TMP/latin1.json")" 1

# ---- options: one value each; the machine's errors name what set them ----
fails "a repeated option is refused" 1 "^ptbench: --seed: given twice \(see ptbench replay --help\)$" \
	"$PTBENCH" replay --seed 1 --seed 2 "$DATA/small.ptb"
fails "a repeated flag too" 1 "^ptbench: --check: given twice" "$PTBENCH" replay --check --check "$DATA/small.ptb"
fails "convert -o twice" 1 "^ptbench: -o: given twice" "$PTBENCH" convert "$DATA/small.ptb" -o "$TMP/a.ptb" -o "$TMP/b.ptb"
fails "--min-free-kbytes too high: named, not --memory" 1 \
	"^ptbench: the machine \(.*\): boot memory 1024 MiB leaves zone DMA32 below its high watermark, [0-9]+ pages \(--min-free-kbytes\)$" \
	"$PTBENCH" replay --min-free-kbytes 99999999 "$DATA/small.ptb"

# ---- CPUs the machine does not have: folded, counted, said once ----
"$PTBENCH" replay --cpus 2 --backend slab-dma32 --json "$TMP/fold.json" "$DATA/small.ftrace" >/dev/null 2>"$TMP/err"
eq "--cpus 2: events on CPUs 2, 3 counted in the JSON, one warning" \
	"$(json_get "$TMP/fold.json" "d['trace']['cpus_folded_events']") $(grep -c "^ptbench: $DATA/small.ftrace: 22 events on CPUs >= --cpus 2 replay on CPU % 2$" "$TMP/err")" "22 1"
quiet "--cpus 4: none folded, no word" "$PTBENCH" replay --cpus 4 --backend slab-dma32 --json "$TMP/nofold.json" "$DATA/small.ftrace"
eq "--cpus 4: cpus_folded_events 0" "$(json_get "$TMP/nofold.json" "d['trace']['cpus_folded_events']")" 0

# ---- replay.samples: the rows the run produces, --csv or not ----
"$PTBENCH" replay --backend slab-dma32,page-frag --interval-ns 100000000 --json "$TMP/s1.json" \
	--csv "$TMP/s1.csv" "$DATA/small.ftrace" >/dev/null 2>&1
"$PTBENCH" replay --backend slab-dma32,page-frag --interval-ns 100000000 --json "$TMP/s2.json" \
	"$DATA/small.ftrace" >/dev/null 2>&1
eq "replay.samples: the same without --csv, = the CSV's rows" \
	"$(json_get "$TMP/s1.json" "[r['replay']['samples'] for r in d['runs']]") $(json_get "$TMP/s2.json" "[r['replay']['samples'] for r in d['runs']]") $(($(wc -l <"$TMP/s1.csv") - 1))" \
	"$(json_get "$TMP/s1.json" "[r['replay']['samples'] for r in d['runs']]") $(json_get "$TMP/s1.json" "[r['replay']['samples'] for r in d['runs']]") $(json_get "$TMP/s1.json" "sum(r['replay']['samples'] for r in d['runs'])")"

finish
