#!/bin/sh
# tests/cli/test_ptrec.sh - ptrec, the libbpf recorder, on THIS host: its
# options and one-line errors, the BPF object loading and attaching to
# iommu:map / iommu:unmap (and kmem:* with --kmem), valid outputs in every
# format, a clean stop on SIGINT / SIGTERM, and the kernel gfp table
# translation against the real 6.1 kernel's format file.
#
# The host has no IOMMU, so no map/unmap event fires here: the outputs hold
# 0 events (the lab test records real ones in the q35 guest).  ptrec needs
# root, BTF and tracefs: without them this test FAILS, it never skips.
# $PTREC defaults to the ptrec next to $PTBENCH (build/ptrec, or
# build/asan/ptrec in make test's ASan+UBSan pass).
. tests/cli/lib.sh
: "${PTREC:=$(dirname "$PTBENCH")/ptrec}"
: "${PTREC_STATIC:=build/ptrec-static}"

# wait_ready ERRFILE: until ptrec says it records (at most 30 s).
wait_ready() {
	n=0
	until grep -q '^ptrec: recording' "$1" 2>/dev/null; do
		n=$((n + 1))
		[ $n -gt 300 ] && return 1
		sleep 0.1
	done
}

# Options and errors need nothing from the kernel.
ok "ptrec --help" "$PTREC" --help
eq "--help has EXAMPLES" "$(grep -c '^EXAMPLES:' "$TMP/out")" 1
eq "--help lists every option" "$(grep -oE -- '^ +(-[a-z], )?--[a-z-]+' "$TMP/out" | sed 's/.*--//' | sort | paste -sd' ' -)" \
	"allow-loss duration fentry format gfp-format help kmem kmem-interval-ms list-attached output ringbuf-mb show-gfp verbose"
fails "unknown option" 1 "^ptrec: unknown option '--frobnicate'" "$PTREC" --frobnicate -o "$TMP/x.ptb"
fails "unknown short option" 1 "^ptrec: unknown option '-x'" "$PTREC" -x -o "$TMP/x.ptb"
fails "bad -d value" 1 "^ptrec: -d: 'soon': expected a number of seconds > 0" "$PTREC" -d soon -o "$TMP/x.ptb"
fails "negative -d" 1 "^ptrec: -d: '-1': expected" "$PTREC" -d -1 -o "$TMP/x.ptb"
fails "zero -d" 1 "^ptrec: -d: '0': expected" "$PTREC" -d 0 -o "$TMP/x.ptb"
fails "-d without a value" 1 "^ptrec: -d: needs a value" "$PTREC" -o "$TMP/x.ptb" -d
fails "--kmem without a value" 1 "^ptrec: --kmem: needs a value" "$PTREC" -o "$TMP/x.ptb" --kmem
fails "bad -f" 1 "^ptrec: -f: 'json': expected ptb or ftrace" "$PTREC" -f json -o "$TMP/x.ptb"
fails "-b not a power of two" 1 "^ptrec: -b: '3': the ring buffer size must be a power of two" "$PTREC" -b 3 -o "$TMP/x.ptb"
fails "bad --kmem-interval-ms" 1 "^ptrec: --kmem-interval-ms: '0': expected an integer" "$PTREC" --kmem-interval-ms 0 -o "$TMP/x.ptb"
fails "no output" 1 "^ptrec: no output: give -o FILE" "$PTREC" -d 1
fails "a stray argument" 1 "^ptrec: unexpected argument 'extra'" "$PTREC" -o "$TMP/x.ptb" extra
fails ".ptb to stdout" 1 "^ptrec: -o -: stdout takes -f ftrace only" "$PTREC" -o -
fails "--kmem onto the output" 1 "^ptrec: --kmem: '$TMP/x.ptb' is also the -o output" "$PTREC" -o "$TMP/x.ptb" --kmem "$TMP/x.ptb"

# The kernel gfp table -> ptbench: the real 6.1 kernel's mm_page_alloc format
# (recorded in the lab guest), against the 6.1 numbering of
# include/linux/gfp_types.h that allocators/mm/gfp.c encodes independently.
ok "--show-gfp from the 6.1 format" "$PTREC" --gfp-format "$DATA/mm_page_alloc-6.1.format" --show-gfp
awk '!/^#/ { print $1, $3 }' "$TMP/out" >"$TMP/gfp61"
printf '%s\n' "0 0x1" "1 0x2" "2 0x4" "3 0x8" "4 0x10" "5 0x20" "6 0x40" "7 0x80" \
	"8 0x8000" "9 0x80000" "10 0x200000" "11 0x400000" "12 0x100" "13 0x200" "14 0x400" \
	"15 0x800" "16 0x1000" "17 0x2000" "18 0x4000" "19 0x10000" "20 0x20000" "21 0x40000" \
	"22 0x100000" "23 -" >"$TMP/gfp61.want"
same "6.1 gfp bits -> ptbench bits (__GFP_ZEROTAGS dropped)" "$TMP/gfp61.want" "$TMP/gfp61"
printf 'name: mm_page_alloc\nprint fmt: "gfp_flags=%%s", __print_flags(REC->gfp_flags, "|", {(unsigned long)(( gfp_t)0x100u) + , "__GFP_ZERO"})\n' >"$TMP/bad.format"
fails "a gfp value that does not evaluate" 1 "^ptrec: $TMP/bad.format: cannot evaluate the value of \"__GFP_ZERO\"" \
	"$PTREC" --gfp-format "$TMP/bad.format" --show-gfp
fails "a file without a gfp table" 1 "^ptrec: $DATA/small.ftrace: no __print_flags\(\) gfp table" \
	"$PTREC" --gfp-format "$DATA/small.ftrace" --show-gfp

# From here on ptrec loads BPF programs: root, BTF and tracefs or FAIL.
if [ "$(id -u)" != 0 ]; then
	fail "ptrec must run as root here (uid $(id -u)): the BPF tests below cannot run"
	finish
	exit 1
fi
if [ ! -r /sys/kernel/btf/vmlinux ]; then
	fail "/sys/kernel/btf/vmlinux missing: this kernel has no BTF, ptrec cannot load"
	finish
	exit 1
fi

# This host's own table (whatever its version): __GFP_ZERO and __GFP_DMA32 are ptbench's.
ok "--show-gfp from this kernel" "$PTREC" --show-gfp
eq "this kernel's __GFP_ZERO -> 0x8000" "$(awk '$2 == "__GFP_ZERO" { print $3 }' "$TMP/out")" 0x8000
eq "this kernel's DMA32 bit -> 0x4" "$(awk '$2 ~ /^(__)?GFP_DMA32$/ { print $3 }' "$TMP/out")" 0x4

# Load and attach.  Both tracepoints must attach; every call-function
# candidate is accounted for (attached, failed with a reason, or absent).
ok "--list-attached" "$PTREC" --list-attached
cp "$TMP/out" "$TMP/attached"
eq "iommu:map attached" "$(grep -c '^tracepoint iommu:map  *attached$' "$TMP/attached")" 1
eq "iommu:unmap attached" "$(grep -c '^tracepoint iommu:unmap  *attached$' "$TMP/attached")" 1
for fn in __iommu_map iommu_map_nosync _iommu_map iommu_map iommu_map_atomic __iommu_map_sg \
	iommu_map_sg iommu_map_sg_atomic __iommu_unmap iommu_unmap iommu_unmap_fast; do
	eq "$fn accounted for" "$(grep -cE "^(kprobe|-) +$fn +(attached|FAILED: .+|not attached: .+)" "$TMP/attached")" 1
done
ok "the static binary loads and attaches too" "$PTREC_STATIC" --list-attached
eq "static: iommu:map attached" "$(grep -c '^tracepoint iommu:map  *attached$' "$TMP/out")" 1

# Record 1 s, as the issue asks: the tracepoints attach (from --verbose's
# table on stderr), the .ptb is valid, and it holds what ptrec says it wrote.
ok "record 1 s into a .ptb" "$PTREC" -d 1 -o "$TMP/rec.ptb" --verbose
cp "$TMP/err" "$TMP/rec.err"
eq "stderr: iommu:map attached" "$(grep -c '^tracepoint iommu:map  *attached$' "$TMP/rec.err")" 1
eq "stderr: iommu:unmap attached" "$(grep -c '^tracepoint iommu:unmap  *attached$' "$TMP/rec.err")" 1
eq "summary: nothing lost" "$(grep -c '^ptrec: lost: 0 (ring buffer full: 0 map, 0 unmap)$' "$TMP/rec.err")" 1
written=$(sed -n 's/^ptrec: written: \([0-9]*\) events to .*/\1/p' "$TMP/rec.err")
ok "ptbench stat reads it" "$PTBENCH" stat --json "$TMP/rec.json" "$TMP/rec.ptb"
eq "stat: as many events as ptrec wrote" "$(json_get "$TMP/rec.json" "d['trace']['events']")" "${written:-none}"
eq "the .ptb names ptrec as its source" "$(dd if="$TMP/rec.ptb" bs=1 skip=40 count=5 2>/dev/null)" ptrec
groups=$(ls /sys/kernel/iommu_groups 2>/dev/null | wc -l)
if [ "$groups" -eq 0 ]; then
	# No IOMMU group: no device DMAs through an IOMMU, nothing can call
	# iommu_map() here, so no map/unmap event can be made on this host.
	echo "note: this host has no IOMMU (0 iommu groups): no map/unmap event can fire here"
	eq "no IOMMU, 0 events" "$(json_get "$TMP/rec.json" "d['trace']['events']")" 0
fi
ok "ptbench replay takes it" "$PTBENCH" replay --backend all --json "$TMP/rec-replay.json" "$TMP/rec.ptb"

# The other outputs: ftrace text (read back by ptbench's ftrace reader), gzip.
ok "record into ftrace text" "$PTREC" -d 0.3 -f ftrace -o "$TMP/rec.txt"
eq "ftrace header" "$(head -n 1 "$TMP/rec.txt")" "# tracer: nop"
eq "ftrace entries line" "$(grep -c '^# entries-in-buffer/entries-written: [0-9]*/[0-9]*   #P:[0-9]*$' "$TMP/rec.txt")" 1
ok "ptbench stat reads the text" "$PTBENCH" stat --json "$TMP/txt.json" "$TMP/rec.txt"
eq "the text is ftrace format" "$(json_get "$TMP/txt.json" "d['trace']['format']")" ftrace
ok "ftrace text to stdout" "$PTREC" -d 0.3 -f ftrace -o -
eq "stdout: the ftrace header" "$(head -n 1 "$TMP/out")" "# tracer: nop"
ok "record into .ptb.gz" "$PTREC" -d 0.3 -o "$TMP/rec.ptb.gz"
ok "ptbench stat reads the .gz" "$PTBENCH" stat "$TMP/rec.ptb.gz"
eq "no temporary files left" "$(ls "$TMP" | grep -c '\.tmp\.')" 0
fails "unwritable output: one line" 1 "^ptrec: $TMP/nodir/x.ptb: cannot create " \
	"$PTREC" -d 0.3 -o "$TMP/nodir/x.ptb"

# --kmem: the kmem tracepoints attach, one CSV row per zone and interval plus
# "other", the zones those of /proc/zoneinfo; the host allocates pages all
# the time, so the counts cannot all be 0.
ok "--kmem" "$PTREC" -d 0.5 -o "$TMP/k.ptb" --kmem "$TMP/k.csv" --kmem-interval-ms 100 --verbose
eq "kmem:mm_page_alloc attached" "$(grep -c '^tracepoint kmem:mm_page_alloc  *attached$' "$TMP/err")" 1
eq "kmem:mm_page_free attached" "$(grep -c '^tracepoint kmem:mm_page_free  *attached$' "$TMP/err")" 1
eq "CSV header" "$(head -n 1 "$TMP/k.csv")" "ts_ns,zone,allocs_pages,frees_pages"
zones=$(awk '/^Node/ { z = $4 } /spanned/ && $2 > 0 { print z }' /proc/zoneinfo | paste -sd, -)
eq "CSV zones: zoneinfo's populated zones, then other" \
	"$(awk -F, 'NR > 1 && !seen[$2]++ { print $2 }' "$TMP/k.csv" | paste -sd, -)" "$zones,other"
rows=$(grep -c . "$TMP/k.csv")
nz=$(echo "$zones,other" | tr ',' '\n' | grep -c .)
eq "CSV: whole intervals of $nz rows" "$(( (rows - 1) % nz ))" 0
eq "CSV: pages were allocated" "$(awk -F, 'NR > 1 { s += $3 } END { print (s > 0) }' "$TMP/k.csv")" 1

# SIGINT and SIGTERM stop a recording without -d cleanly: exit 0, file written.
for sig in INT TERM; do
	"$PTREC" -o "$TMP/sig$sig.ptb" 2>"$TMP/sig$sig.err" &
	pid=$!
	if wait_ready "$TMP/sig$sig.err"; then
		kill -"$sig" "$pid"
		wait "$pid"
		eq "SIG$sig: exit 0" "$?" 0
	else
		kill -KILL "$pid"
		wait "$pid"
		fail "SIG$sig: ptrec never said it was recording" "$(head -c 300 "$TMP/sig$sig.err")"
	fi
	ok "SIG$sig: the .ptb is valid" "$PTBENCH" stat "$TMP/sig$sig.ptb"
	eq "SIG$sig: summary printed" "$(grep -c '^ptrec: seen (in BPF): ' "$TMP/sig$sig.err")" 1
done

finish
