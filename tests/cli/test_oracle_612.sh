#!/bin/sh
# tests/cli/test_oracle_612.sh - the real-kernel oracle on Debian 13's 6.12 (x86): the
# same run as test_oracle.sh's first, tests/data/small.ptb through ptb_oracle.ko built
# against 6.12's headers (make kmod-6.12) in the pc-3g1g guest booting Debian 13's kernel
# (build/lab-6.12, scripts/lab/kernel-suite.sh), all eight kernel backends, against the
# model with 6.12's rules (--kernel 6.12 --memory x86-3g1g --cpus 2).  Agreement targets
# as on 6.1 (oracle-agree.sh): the same L2 op sequence, also from 6.12's own
# io-pgtable-arm-v7s.c (linux-source-6.12, make kmod-ref-6.12); pages held by
# slab-dma32, page-frag and genalloc-4m equal at every sample; the module's v7s
# configuration ptbench's for 6.12; clean unload, malformed trace refused.
# And: the JSON names the engine kernel-6.12, the guest ran 6.12, its zones are the
# pc-3g1g layout's, GFP_ATOMIC's mark is 6.12's rule (ALLOC_MIN_RESERVE|ALLOC_NON_BLOCK)
# on the guest's own min; --kernel 5.4 is refused.
# A missing prerequisite (qemu, the trixie packages) is a failure, never a skip.
. "$(dirname "$0")/lib.sh"
plain_pass_only "the guest kernel against the model; test_oracle.sh runs ptbench oracle under ASan"
. "$(dirname "$0")/oracle-agree.sh"

KV=6.12
agree_runs "--kernel 6.12" "--kernel 6.12 --memory x86-3g1g --cpus 2"

ok "the JSON is valid" python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$TMP/k.json"
eq "engine is kernel-6.12" "$(json_get "$TMP/k.json" "d['config']['engine']")" kernel-6.12
eq "config.kernel is 6.12, as the model's" "$(json_get "$TMP/k.json" "d['config']['kernel']")" \
	"$(json_get "$TMP/m.json" "d['config']['kernel']")"
eq "the guest ran Debian 13's 6.12 on 2 CPUs" \
	"$(json_get "$TMP/k.json" "(d['config']['guest_kernel'].startswith('6.12.') and d['config']['guest_kernel'].endswith('+deb13-amd64'), d['config']['cpus'])")" \
	"(True, 2)"
eq "the module says it ran 6.12's rules" "$(awk '$1 == "kver" { print $2 }' "$K/guest/results/slab-dma32.result" 2>/dev/null)" 6.12
eq "DMA32 is pc-3g1g's: 3 GiB below 4 GiB from pfn 4096" \
	"$(json_get "$TMP/k.json" "[(z['start_pfn'], z['spanned_pages'], z['present_pages']) for z in d['config']['zones'] if z['name'] == 'DMA32'][0]")" \
	"(4096, 1044480, 782301)"
eq "Normal is the 1 GiB above 4 GiB" \
	"$(json_get "$TMP/k.json" "[(z['start_pfn'], z['spanned_pages']) for z in d['config']['zones'] if z['name'] == 'Normal'][0]")" \
	"(1048576, 262144)"
# 6.12 __zone_watermark_ok: min - min/2, then - a quarter of that (ALLOC_NON_BLOCK)
eq "GFP_ATOMIC's mark is 6.12's rule on the guest's DMA32 min" \
	"$(json_get "$TMP/k.json" "[m - m // 2 - (m - m // 2) // 4 == z['watermark_atomic_pages'] for z in [d['runs'][0]['zones']['DMA32']] for m in [z['watermark_min_pages']]][0]")" True

oracle_agree "$K"

fails "--kernel 5.4 is refused, naming the kernels" 1 "^ptbench: --kernel: '5.4' is not 5.10, 6.1, 6.12 or 7.2$" \
	"$PTBENCH" oracle --kernel 5.4 "$DATA/small.ptb"
finish
