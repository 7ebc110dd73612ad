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

guest_is_arm64 "Debian 13's" "6.12." "+deb13-arm64"

oracle_agree "$K"

tables_below_4g
finish
