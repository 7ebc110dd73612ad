#!/bin/sh
# tests/cli/test_oracle_510.sh - the real-kernel oracle on Debian 11's 5.10 (x86): the
# same run as test_oracle.sh's first, tests/data/small.ptb through ptb_oracle.ko built
# against 5.10's headers (make kmod-5.10) in the pc-3g1g guest booting Debian 11's kernel
# (build/lab-5.10, scripts/lab/kernel-suite.sh from bullseye), all five kernel backends,
# against the model with 5.10's rules (--kernel 5.10 --memory x86-3g1g --cpus 2).
# Agreement targets as on 6.1 (oracle-agree.sh): the same L2 op sequence, also from
# 5.10's own io-pgtable-arm-v7s.c (linux-source-5.10, make kmod-ref-5.10); pages held by
# slab-dma32, page-frag and genalloc-4m equal at every sample; the module's v7s
# configuration ptbench's for 5.10; clean unload, malformed trace refused.
# And: the JSON names the engine kernel-5.10, the guest ran 5.10, its DMA32 and Normal
# are the pc-3g1g layout's, GFP_ATOMIC's mark is 5.10's rule (ALLOC_HIGH|ALLOC_HARDER)
# on the guest's own min; --kernel 5.4 is refused.
# A missing prerequisite (qemu, the bullseye packages) is a failure, never a skip.
. "$(dirname "$0")/lib.sh"
plain_pass_only "the guest kernel against the model; test_oracle.sh runs ptbench oracle under ASan"
. "$(dirname "$0")/oracle-agree.sh"

KV=5.10
agree_runs "--kernel 5.10" "--kernel 5.10 --memory x86-3g1g --cpus 2"

ok "the JSON is valid" python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$TMP/k.json"
eq "engine is kernel-5.10" "$(json_get "$TMP/k.json" "d['config']['engine']")" kernel-5.10
eq "config.kernel is 5.10, as the model's" "$(json_get "$TMP/k.json" "d['config']['kernel']")" \
	"$(json_get "$TMP/m.json" "d['config']['kernel']")"
eq "the guest ran Debian 11's 5.10 on 2 CPUs" \
	"$(json_get "$TMP/k.json" "(d['config']['guest_kernel'].startswith('5.10.0-') and d['config']['guest_kernel'].endswith('-amd64'), d['config']['cpus'])")" \
	"(True, 2)"
eq "the module says it ran 5.10's rules" "$(awk '$1 == "kver" { print $2 }' "$K/guest/results/slab-dma32.result" 2>/dev/null)" 5.10
eq "DMA32 is pc-3g1g's: 3 GiB below 4 GiB from pfn 4096" \
	"$(json_get "$TMP/k.json" "[(z['start_pfn'], z['spanned_pages'], z['present_pages']) for z in d['config']['zones'] if z['name'] == 'DMA32'][0]")" \
	"(4096, 1044480, 782301)"
eq "Normal is the 1 GiB above 4 GiB" \
	"$(json_get "$TMP/k.json" "[(z['start_pfn'], z['spanned_pages']) for z in d['config']['zones'] if z['name'] == 'Normal'][0]")" \
	"(1048576, 262144)"
# 5.10 __zone_watermark_ok: min - min/2 (ALLOC_HIGH), then - a quarter of that (ALLOC_HARDER)
eq "GFP_ATOMIC's mark is 5.10's rule on the guest's DMA32 min" \
	"$(json_get "$TMP/k.json" "[m - m // 2 - (m - m // 2) // 4 == z['watermark_atomic_pages'] for z in [d['runs'][0]['zones']['DMA32']] for m in [z['watermark_min_pages']]][0]")" True

oracle_agree "$K"

fails "--kernel 5.4 is refused, naming the kernels" 1 "^ptbench: --kernel: '5.4' is not 5.10, 6.1, 6.12 or 7.2$" \
	"$PTBENCH" oracle --kernel 5.4 "$DATA/small.ptb"
finish
