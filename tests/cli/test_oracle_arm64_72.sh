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

guest_is_arm64 "Debian unstable's" "7.2." "+deb14-arm64"

oracle_agree "$K"

tables_below_4g
finish
