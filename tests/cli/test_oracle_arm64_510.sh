#!/bin/sh
# tests/cli/test_oracle_arm64_510.sh - the real-kernel oracle on Debian 11's arm64 5.10:
# tests/data/small.ptb through ptb_oracle.ko cross-built against 5.10's arm64 headers
# (make kmod-arm64-5.10) in qemu-system-aarch64 virt (virt-mt8173, DRAM from 0x4000_0000 as
# on the MT8173), all five kernel backends, against the model with 5.10's rules on the
# MT8173's layout (--kernel 5.10 --memory mt8173-4g --cpus 2).  Agreement targets as
# everywhere (oracle-agree.sh), 5.10's own io-pgtable-arm-v7s.c included; the guest ran
# 5.10's rules, its zones are the MT8173's (ZONE_DMA to 4 GiB, ZONE_DMA32 empty: Debian's
# 5.10 zone_sizes_init sizes ZONE_DMA by zone_dma_bits = min3(32, dt, acpi), as 6.1 does),
# every GFP_DMA32 table below 4 GiB.  A missing prerequisite is a failure, never a skip.
. "$(dirname "$0")/lib.sh"
plain_pass_only "the guest kernel against the model; test_oracle.sh runs ptbench oracle under ASan"
. "$(dirname "$0")/oracle-agree.sh"

KV=5.10
agree_runs "--arch arm64 --kernel 5.10" "--kernel 5.10 --memory mt8173-4g --cpus 2"

eq "engine is kernel-5.10" "$(json_get "$TMP/k.json" "d['config']['engine']")" kernel-5.10
eq "the guest ran Debian 11's arm64 5.10" \
	"$(json_get "$TMP/k.json" "d['config']['guest_kernel'].startswith('5.10.0-') and d['config']['guest_kernel'].endswith('-arm64')")" True
eq "the module says it ran 5.10's rules" "$(awk '$1 == "kver" { print $2 }' "$K/guest/results/slab-dma32.result" 2>/dev/null)" 5.10
eq "guest zones with memory: DMA, Normal (as the model's mt8173-4g)" \
	"$(json_get "$TMP/k.json" "','.join(z['name'] for z in d['config']['zones'])")" \
	"$(json_get "$TMP/m.json" "','.join(d['runs'][0]['zones'])")"
eq "ZONE_DMA is 0x40000000..4 GiB" \
	"$(json_get "$TMP/k.json" "[(hex(z['start_pfn'] << 12), hex((z['start_pfn'] + z['spanned_pages']) << 12)) for z in d['config']['zones'] if z['name'] == 'DMA'][0]")" \
	"('0x40000000', '0x100000000')"

oracle_agree "$K"

for b in slab-dma32 genalloc-4m page-frag page-per-table; do
	eq "$b: every table below 4 GiB" \
		"$(json_get "$TMP/k.json" "[r['violations']['above_4g'] for r in d['runs'] if r['backend']=='$b'][0]")" 0
done
finish
