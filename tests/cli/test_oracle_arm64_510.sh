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

guest_is_arm64 "Debian 11's" "5.10.0-" "-arm64"

oracle_agree "$K"

tables_below_4g
finish
