#!/bin/sh
# tests/cli/test_oracle_arm64_612.sh - the real-kernel oracle on Debian 13's arm64 6.12:
# tests/data/small.ptb through ptb_oracle.ko cross-built against 6.12's arm64 headers
# (make kmod-arm64-6.12) in qemu-system-aarch64 virt (virt-mt8173, DRAM from 0x4000_0000 as
# on the MT8173), all eight kernel backends, against the model with 6.12's rules on the
# MT8173's layout (--kernel 6.12 --memory mt8173-4g --cpus 2).  Agreement targets as
# everywhere (oracle-agree.sh), 6.12's own io-pgtable-arm-v7s.c included; the guest ran
# 6.12's rules, its zones are the MT8173's (ZONE_DMA to 4 GiB, ZONE_DMA32 empty), every
# GFP_DMA32 table below 4 GiB.  A missing prerequisite is a failure, never a skip.
. "$(dirname "$0")/lib.sh"
plain_pass_only "the guest kernel against the model; test_oracle.sh runs ptbench oracle under ASan"
. "$(dirname "$0")/oracle-agree.sh"

KV=6.12
agree_runs "--arch arm64 --kernel 6.12" "--kernel 6.12 --memory mt8173-4g --cpus 2"

eq "engine is kernel-6.12" "$(json_get "$TMP/k.json" "d['config']['engine']")" kernel-6.12
eq "the guest ran Debian 13's arm64 6.12" \
	"$(json_get "$TMP/k.json" "d['config']['guest_kernel'].startswith('6.12.') and d['config']['guest_kernel'].endswith('+deb13-arm64')")" True
eq "the module says it ran 6.12's rules" "$(awk '$1 == "kver" { print $2 }' "$K/guest/results/slab-dma32.result" 2>/dev/null)" 6.12
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
