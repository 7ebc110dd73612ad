#!/bin/sh
# tests/cli/test_lab.sh - the qemu lab end to end: boot Debian's 6.1 kernel
# on the q35-iommu profile (TCG), record a small virtio-blk workload with
# tracefs, and check what comes back: the guest's exit status, no lost event,
# the boot under 30 s, ptbench stat counting exactly the event lines the
# guest wrote, replay --check clean, and the trace's .ptb conversion giving
# the same stat and the same replay runs.
#
# Fails (never skips) when qemu or the kernel is missing: `make deps`
# installs qemu-system-x86 and fetches the kernel (scripts/lab/kernel.sh).
. tests/cli/lib.sh
LAB=${LAB:-build/lab}

ok "qemu-system-x86_64 installed (make deps)" command -v qemu-system-x86_64
ok "the 6.1 kernel fetched (make lab-kernel)" test -f "$LAB/vmlinux" -a -f "$LAB/kver"

cat >"$TMP/workload.sh" <<'EOF'
. /lab/lib.sh
dev=$(lab_disk data) || exit 1
lab_trace_start 8192 || exit 1
dd if=/dev/zero of="$dev" bs=4k count=32 oflag=direct 2>/dev/null || exit 1
dd if=/dev/zero of="$dev" bs=64k count=8 seek=4 oflag=direct 2>/dev/null || exit 1
dd if=/dev/zero of="$dev" bs=1M count=4 seek=2 oflag=direct 2>/dev/null || exit 1
dd if="$dev" of=/dev/null bs=16k count=16 iflag=direct 2>/dev/null || exit 1
lab_trace_stop /results/lab.ftrace || exit 1
EOF
ok "initramfs builds" scripts/lab/initramfs.sh -k "$LAB" -o "$TMP/lab.cpio.gz" -w "$TMP/workload.sh"
ok "q35-iommu guest boots, runs the workload, exits 0" \
	scripts/lab/boot.sh -p q35-iommu -k "$LAB" -i "$TMP/lab.cpio.gz" -o "$TMP/run" -d blk:data:64 -a quiet -t 120
echo "     boot to poweroff: $(cat "$TMP/run/boot.time" 2>/dev/null) s"
eq "boot to poweroff under 30 s" \
	"$(awk '{ print ($1 < 30) ? "yes" : $1 " s" }' "$TMP/run/boot.time" 2>/dev/null)" yes
ok "the guest's kernel is Debian's $(cat "$LAB/kver" 2>/dev/null)" \
	grep -q "Linux version $(cat "$LAB/kver" 2>/dev/null) " "$TMP/run/results/kernel"
ok "no event lost (entries-in-buffer == entries-written, no overrun)" \
	grep -Eq '^lab: trace lab.ftrace: entries-in-buffer ([0-9]+), entries-written \1, overrun\+dropped 0$' \
	"$TMP/run/results/workload.log"

T=$TMP/run/results/lab.ftrace
maps=$(grep -c ' map: IOMMU: iova=' "$T" 2>/dev/null)
unmaps=$(grep -c ' unmap: IOMMU: iova=' "$T" 2>/dev/null)
ok "ptbench stat reads the trace" "$PTBENCH" stat --json "$TMP/stat.json" "$T"
eq "stat: maps and unmaps = the guest's event lines, all 5.17+ format, none skipped" \
	"$(json_get "$TMP/stat.json" "(d['trace']['maps'], d['trace']['unmaps'], d['stat']['iommu_5_17'], d['trace']['skipped'])")" \
	"($maps, $unmaps, $((maps + unmaps)), 0)"
# 32 + 8 + 16 O_DIRECT requests at least, each mapped and unmapped.
eq "the workload's I/O went through the IOMMU (>= 56 maps, as many unmaps)" \
	"$([ "${maps:-0}" -ge 56 ] && [ "$maps" = "$unmaps" ] && echo yes)" yes

ok "replay --check --kernel 6.1" "$PTBENCH" replay --check --kernel 6.1 --backend all --json "$TMP/ftrace.json" "$T"
for b in slab-dma32 genalloc-4m page-frag page-per-table; do
	eq "$b: 0 violations, 0 conflicts" \
		"$(json_get "$TMP/ftrace.json" "[sum(r['violations'][k] for k in ('above_4g','misaligned','overlap','translation_faults')) + r['iommu']['conflicts'] for r in d['runs'] if r['backend']=='$b'][0]")" 0
done

ok "convert to .ptb" "$PTBENCH" convert "$T" -o "$TMP/lab.ptb"
ok "stat of the .ptb" "$PTBENCH" stat --json "$TMP/ptb-stat.json" "$TMP/lab.ptb"
eq ".ptb stat = ftrace stat (events, maps, unmaps, bytes, span)" \
	"$(json_get "$TMP/ptb-stat.json" "(d['trace']['events'], d['trace']['maps'], d['trace']['unmaps'], d['stat']['mapped_bytes'], d['stat']['unmapped_bytes'], d['stat']['span_ns'])")" \
	"$(json_get "$TMP/stat.json" "(d['trace']['events'], d['trace']['maps'], d['trace']['unmaps'], d['stat']['mapped_bytes'], d['stat']['unmapped_bytes'], d['stat']['span_ns'])")"
ok "replay of the .ptb" "$PTBENCH" replay --check --kernel 6.1 --backend all --json "$TMP/ptb.json" "$TMP/lab.ptb"
# runs FILE: the "runs" of a replay JSON, canonical.
runs() { python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["runs"], sort_keys=True))' "$1"; }
runs "$TMP/ftrace.json" >"$TMP/ftrace.runs" 2>&1
runs "$TMP/ptb.json" >"$TMP/ptb.runs" 2>&1
same ".ptb replay runs = ftrace replay runs" "$TMP/ftrace.runs" "$TMP/ptb.runs"
finish
