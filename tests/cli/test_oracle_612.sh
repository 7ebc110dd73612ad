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

guest_is_x86 "Debian 13's" "6.12." "+deb13-amd64"

oracle_agree "$K"

fails "--kernel 5.4 is refused, naming the kernels" 1 "^ptbench: --kernel: '5.4' is not 5.10, 6.1, 6.12 or 7.2$" \
	"$PTBENCH" oracle --kernel 5.4 "$DATA/small.ptb"
finish
