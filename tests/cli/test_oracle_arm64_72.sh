#!/bin/sh
# tests/cli/test_oracle_arm64_72.sh - the real-kernel oracle on Debian unstable's arm64 7.2:
# tests/data/small.ptb through ptb_oracle.ko cross-built against 7.2's arm64 headers
# (make kmod-arm64-7.2) in qemu-system-aarch64 virt (virt-mt8173), all kernel backends,
# against the model with 7.2's rules on the MT8173's layout (--kernel 7.2 --memory
# mt8173-4g --cpus 2).  Agreement targets as everywhere (oracle-agree.sh), 7.2's own
# io-pgtable-arm-v7s.c included, with 7.2's L2 op counts (no split: 4 per backend); the
# guest ran 7.2's rules, its zones are the MT8173's, every GFP_DMA32 table below 4 GiB.
# A missing prerequisite is a failure, never a skip.
. "$(dirname "$0")/lib.sh"
plain_pass_only "the guest kernel against the model; test_oracle.sh runs ptbench oracle under ASan"
. "$(dirname "$0")/oracle-agree.sh"

KV=7.2
# as tests/cli/test_oracle_72.sh: no arm_v7s_split_blk_unmap in 7.2
L2_OPS=70 L2_OPS_SAY="7 x 4 + kzalloc-dma32 42" REF_OPS=4
agree_runs "--arch arm64 --kernel 7.2" "--kernel 7.2 --memory mt8173-4g --cpus 2"

eq "engine is kernel-7.2" "$(json_get "$TMP/k.json" "d['config']['engine']")" kernel-7.2
eq "the guest ran Debian unstable's arm64 7.2" \
	"$(json_get "$TMP/k.json" "d['config']['guest_kernel'].startswith('7.2.') and d['config']['guest_kernel'].endswith('+deb14-arm64')")" True
eq "the module says it ran 7.2's rules" "$(awk '$1 == "kver" { print $2 }' "$K/guest/results/slab-dma32.result" 2>/dev/null)" 7.2
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
