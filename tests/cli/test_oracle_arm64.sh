#!/bin/sh
# tests/cli/test_oracle_arm64.sh - the real-kernel oracle on arm64, the MT8173's own
# architecture: tests/data/small.ptb through ptb_oracle.ko (cross-built, make kmod-arm64)
# in Debian 12's arm64 6.1 kernel on qemu-system-aarch64 virt (TCG, -m 4G -smp 2, DRAM
# from 0x4000_0000 as on the MT8173), all eight kernel backends, against the model on
# the same layout (--kernel 6.1 --memory mt8173-4g --cpus 2).
# The guest's zones must be the MT8173's: ZONE_DMA 0x4000_0000..4 GiB (arm64 6.1's
# zone_sizes_init: zone_dma_bits 32), ZONE_DMA32 empty, ZONE_NORMAL the 1 GiB above; the
# L2 tables of GFP_DMA32 land in ZONE_DMA.  Agreement targets as on x86 (oracle-agree.sh).
# A missing prerequisite (qemu-system-aarch64, the arm64 packages) is a failure, never a skip.
. "$(dirname "$0")/lib.sh"
plain_pass_only "the guest kernel against the model; test_oracle.sh runs ptbench oracle under ASan"
. "$(dirname "$0")/oracle-agree.sh"

agree_runs "--arch arm64" "--kernel 6.1 --memory mt8173-4g --cpus 2"

ok "the JSON is valid" python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$TMP/k.json"
eq "engine is kernel-6.1" "$(json_get "$TMP/k.json" "d['config']['engine']")" kernel-6.1
eq "the guest ran Debian's arm64 kernel on 2 CPUs" \
	"$(json_get "$TMP/k.json" "(d['config']['guest_kernel'].endswith('-arm64'), d['config']['cpus'])")" "(True, 2)"
eq "config.memory names the arm64 machine" "$(json_get "$TMP/k.json" "d['config']['memory']")" \
	"qemu virt -m 4G, DRAM from 0x40000000 (mt8173-4g)"
eq "one run per backend" "$(json_get "$TMP/k.json" "','.join(r['backend'] for r in d['runs'])")" "$B"

# The zones as [start, end) physical addresses (4 KiB pages).
zone_range() {
	json_get "$TMP/k.json" "[hex(z['start_pfn'] << 12) + '-' + hex((z['start_pfn'] + z['spanned_pages']) << 12) for z in d['config']['zones'] if z['name'] == '$1'][0]"
}
eq "guest zones with memory: DMA, Normal (as the model's mt8173-4g)" \
	"$(json_get "$TMP/k.json" "','.join(z['name'] for z in d['config']['zones'])")" \
	"$(json_get "$TMP/m.json" "','.join(d['runs'][0]['zones'])")"
eq "ZONE_DMA is 0x40000000..4 GiB" "$(zone_range DMA)" 0x40000000-0x100000000
eq "ZONE_NORMAL is the 1 GiB above 4 GiB" "$(zone_range Normal)" 0x100000000-0x140000000
eq "ZONE_DMA32 is empty (the guest's /proc/zoneinfo)" \
	"$(awk '/^Node 0, zone/ { z = $4 } z == "DMA32" && $1 ~ /^(spanned|present|managed)$/ { printf "%s=%s ", $1, $2 }' \
		"$K/guest/results/zoneinfo" 2>/dev/null)" "spanned=0 present=0 managed=0 "

oracle_agree "$K"

# GFP_DMA32 on a kernel whose ZONE_DMA32 is empty: the zonelist holds populated zones only,
# so the allocation falls to ZONE_DMA, below 4 GiB; kzalloc drops GFP_DMA32 (kmalloc-1k).
for b in slab-dma32 genalloc-4m page-frag page-per-table pt-frag genalloc-grow slab-dma32-reserve; do
	eq "$b: every table below 4 GiB" \
		"$(json_get "$TMP/k.json" "[r['violations']['above_4g'] for r in d['runs'] if r['backend']=='$b'][0]")" 0
done

# Under pressure, the default zone=dma32 ("where GFP_DMA32 is served") is ZONE_DMA here, in
# the guest and in the model (with the guest's min_free_kbytes and watermarks): held 128
# pages below GFP_ATOMIC's mark, every slab-dma32 table fails on both.
ok "oracle --arch arm64 --pressure edge:free=atomic-128" "$PTBENCH" oracle --arch arm64 \
	--backend slab-dma32 --pressure edge:free=atomic-128 --json "$TMP/kp.json" "$DATA/small.ptb"
wm=$(json_get "$TMP/kp.json" "','.join('%s=%d:%d:%d' % (z['name'], z['min_pages'], z['low_pages'], z['high_pages']) for z in d['config']['zones'])")
ok "the model under the same pressure" "$PTBENCH" replay --kernel 6.1 --memory mt8173-4g --cpus 2 \
	--min-free-kbytes "$(json_get "$TMP/kp.json" "d['config']['min_free_kbytes']")" --watermarks "$wm" \
	--backend slab-dma32 --pressure edge:free=atomic-128 --json "$TMP/mp.json" "$DATA/small.ptb"
eq "GFP_DMA32's zone pressed: DMA in the guest and in the model" \
	"$(json_get "$TMP/kp.json" "d['runs'][0]['pressure']['zone']") $(json_get "$TMP/mp.json" "d['runs'][0]['pressure']['zone']")" "DMA DMA"
rates="$(json_get "$TMP/mp.json" "d['runs'][0]['atomic']['failure_rate']") $(json_get "$TMP/kp.json" "d['runs'][0]['atomic']['failure_rate']")"
eq "GFP_ATOMIC failure rates within 2x, both failing ($rates)" \
	"$(echo "$rates" | awk '{ print ($1 > 0 && $2 > 0 && $2 <= 2 * $1 && $1 <= 2 * $2) }')" 1
eq "pressure: teardown gave everything back" "$(json_get "$TMP/kp.json" "d['runs'][0]['teardown']['ok']")" True

fails "an unknown --arch is one line" 1 "^ptbench: --arch: 'riscv' is not x86 or arm64" \
	"$PTBENCH" oracle --arch riscv "$DATA/small.ptb"
finish
