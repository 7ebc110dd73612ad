#!/bin/sh
# tests/cli/test_oracle_72.sh - the real-kernel oracle on Debian unstable's 7.2 (x86): the
# same run as test_oracle_612.sh, tests/data/small.ptb through ptb_oracle.ko built against
# 7.2's headers (make kmod-7.2) in the pc-3g1g guest booting unstable's kernel
# (build/lab-7.2, scripts/lab/kernel-suite.sh), all kernel backends, against the model
# with 7.2's rules (--kernel 7.2 --memory x86-3g1g --cpus 2).  Agreement targets as on 6.1
# (oracle-agree.sh): the same L2 op sequence, also from 7.2's own io-pgtable-arm-v7s.c
# (linux-source-7.2, make kmod-ref-7.2); pages held equal at every sample; the module's
# v7s configuration ptbench's for 7.2 (no split_blk_unmap, as 6.13); clean unload,
# malformed trace refused.  And: the JSON names the engine kernel-7.2, the guest ran
# unstable's 7.2, its zones are the pc-3g1g layout's, GFP_ATOMIC's mark is 7.2's rule
# (ALLOC_MIN_RESERVE|ALLOC_NON_BLOCK, as 6.12) on the guest's own min; --kernel 6.13 is
# refused.  A missing prerequisite (qemu, the unstable packages) is a failure, never a skip.
. "$(dirname "$0")/lib.sh"
plain_pass_only "the guest kernel against the model; test_oracle.sh runs ptbench oracle under ASan"
. "$(dirname "$0")/oracle-agree.sh"

KV=7.2
# No arm_v7s_split_blk_unmap in 7.2 (gone in 6.13, fd50651636fb): the trace's unmap of part
# of a block splits no block into a new L2 table, so each backend makes 4 L2 ops, not 6
# (2 allocs, 2 frees), kzalloc-dma32 42, the kernel's own v7s 4: 70 in all, not 86.
L2_OPS=70 L2_OPS_SAY="7 x 4 + kzalloc-dma32 42" REF_OPS=4
agree_runs "--kernel 7.2" "--kernel 7.2 --memory x86-3g1g --cpus 2"

guest_is_x86 "Debian unstable's" "7.2." "+deb14-amd64"

oracle_agree "$K"

fails "--kernel 6.13 is refused, naming the kernels" 1 "^ptbench: --kernel: '6.13' is not 5.10, 6.1, 6.12 or 7.2$" \
	"$PTBENCH" oracle --kernel 6.13 "$DATA/small.ptb"
finish
