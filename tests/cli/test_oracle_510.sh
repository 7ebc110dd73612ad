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

guest_is_x86 "Debian 11's" "5.10.0-" "-amd64"

oracle_agree "$K"

fails "--kernel 5.4 is refused, naming the kernels" 1 "^ptbench: --kernel: '5.4' is not 5.10, 6.1, 6.12 or 7.2$" \
	"$PTBENCH" oracle --kernel 5.4 "$DATA/small.ptb"
finish
