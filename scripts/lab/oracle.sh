#!/bin/sh
# scripts/lab/oracle.sh - replay a .ptb through ptb_oracle.ko in the lab guest
# (pc-3g1g: 3 GiB ZONE_DMA32 + 1 GiB ZONE_NORMAL, 2 CPUs, TCG, slab_nomerge).
#
# Usage: scripts/lab/oracle.sh -t TRACE.ptb -o OUTDIR -b "BACKEND..." [-p PARAMS]
#          [-B BAD.ptb]... [-T TIMEOUT_S] [-R] [-A x86|arm64] [-K 5.10|6.1|6.12|7.2]
#
#   -t  the trace, plain .ptb in replay order (ptbench oracle writes it)
#   -b  backends, one guest boot runs them all in turn
#   -p  module parameters for every insmod (interval_ns=... gfp=...)
#   -B  a malformed trace each backend must refuse (the module's error check);
#       repeatable, each NAME.ptb refused into OUTDIR/results/BACKEND.NAME
#   -R  also run the kernel's own io-pgtable-arm-v7s.c first (make kmod-ref:
#       ptb_v7s_ref.ko), its L2 ops in OUTDIR/results/ref.result
#   -A  arm64: Debian's arm64 6.1 kernel on the virt-mt8173 machine (qemu-system-aarch64
#       virt -m 4G -smp 2: 3 GiB ZONE_DMA from 0x4000_0000, ZONE_DMA32 empty, 1 GiB
#       ZONE_NORMAL: the MT8173 itself), the modules cross-built (make kmod-arm64,
#       kmod-ref-arm64); no memmap= there, ZONE_DMA is where GFP_DMA32 lands.
#       Default x86 (pc-3g1g below).
#   -K  the guest kernel: 6.1 (Debian 12, default) or 6.12 (Debian 13: build/lab-6.12,
#       make kmod-6.12, kmod-ref-6.12; arm64: build/lab-arm64-6.12, kmod-arm64-6.12,
#       kmod-ref-arm64-6.12; the same machines and arguments) or 5.10 (Debian 11:
#       build/lab-5.10, kmod-5.10, ...: the same names with 5.10) or 7.2 (Debian unstable:
#       build/lab-7.2, make kmod-7.2, kmod-ref-7.2; arm64: build/lab-arm64-7.2,
#       kmod-arm64-7.2, kmod-ref-arm64-7.2)
# An oops in the guest panics it (oops=panic; the lab boots with panic=-1), so a
# module bug ends the run at once instead of hanging until the timeout.
# memmap=15M$1M leaves x86's 16 MiB ZONE_DMA without a managed page: the MT8173
# (and the model's x86-3g1g) has no zone below DMA32 for GFP_DMA32 to fall back to.
# init_on_alloc=0: --pressure's filler (3 GiB of held pages) is never touched.
# Builds the module (make kmod) and the initramfs (scripts/lab/initramfs.sh),
# boots with scripts/lab/boot.sh; OUTDIR/results/ then holds BACKEND.result
# (the module's result file), BACKEND.NAME per -B NAME.ptb ("refused: REASON"),
# BACKEND.unload, zoneinfo, dmesg.
# Exit status: the guest workload's (0 = every step as expected).
set -eu
die() { echo "lab-oracle: $*" >&2; exit 1; }
trace= out= backends= params= timeout_s=300 ref= arch=x86 kernel=6.1
bad_files=$(mktemp)
trap 'rm -f "$bad_files"' EXIT
while getopts t:o:b:p:B:T:RA:K: opt; do
	case $opt in
	t) trace=$OPTARG ;;
	o) out=$OPTARG ;;
	b) backends=$OPTARG ;;
	p) params=$OPTARG ;;
	B) [ -f "$OPTARG" ] || die "$OPTARG: no such trace"; echo "$OPTARG" >>"$bad_files" ;;
	T) timeout_s=$OPTARG ;;
	R) ref=1 ;;
	A) arch=$OPTARG ;;
	K) kernel=$OPTARG ;;
	*) die "usage: oracle.sh -t TRACE.ptb -o OUTDIR -b BACKENDS [-p PARAMS] [-B BAD.ptb] [-T S] [-R] [-A x86|arm64] [-K 5.10|6.1|6.12|7.2]" ;;
	esac
done
[ -n "$trace" ] && [ -n "$out" ] && [ -n "$backends" ] || die "-t, -o and -b are required"
[ -f "$trace" ] || die "$trace: no such trace"
case $arch in
x86)
	sfx= profile=pc-3g1g lab=build/lab
	kargs="slab_nomerge oops=panic init_on_alloc=0 memmap=15M\$1M" ;;
arm64)
	sfx=-arm64 profile=virt-mt8173 lab=build/lab-arm64
	kargs="slab_nomerge oops=panic init_on_alloc=0" ;;
*) die "-A: unknown architecture '$arch' (x86, arm64)" ;;
esac
case $arch-$kernel in
x86-5.10) sfx=-5.10 lab=build/lab-5.10 ;;
arm64-5.10) sfx=-arm64-5.10 lab=build/lab-arm64-5.10 ;;
x86-6.1 | arm64-6.1) ;;
x86-6.12) sfx=-6.12 lab=build/lab-6.12 ;;
arm64-6.12) sfx=-arm64-6.12 lab=build/lab-arm64-6.12 ;;
x86-7.2) sfx=-7.2 lab=build/lab-7.2 ;;
arm64-7.2) sfx=-arm64-7.2 lab=build/lab-arm64-7.2 ;;
*) die "-K: no $kernel kernel for $arch (5.10, 6.1, 6.12 and 7.2, x86 and arm64)" ;;
esac

make --no-print-directory -s "kmod$sfx" >&2 || die "make kmod$sfx failed"
[ -z "$ref" ] || make --no-print-directory -s "kmod-ref$sfx" >&2 || die "make kmod-ref$sfx failed"
stage=$out.stage
rm -rf "$stage"
mkdir -p "$stage"
echo "$backends" >"$stage/backends"
echo "$params" >"$stage/params"
set -- -f "build/kmod$sfx/ptb_oracle.ko:/oracle/ptb_oracle.ko" -f "$trace:/oracle/trace.ptb" \
	-f "$stage/backends:/oracle/backends" -f "$stage/params:/oracle/params"
while read -r bad; do
	set -- "$@" -f "$bad:/oracle/bad/$(basename "$bad")"
done <"$bad_files"
[ -z "$ref" ] || set -- "$@" -f "build/kmod-ref$sfx/ptb_v7s_ref.ko:/oracle/ptb_v7s_ref.ko"
sh scripts/lab/initramfs.sh -k "$lab" -o "$stage/oracle.cpio.gz" -w kmod/guest.sh "$@" >/dev/null
rc=0
sh scripts/lab/boot.sh -p "$profile" -k "$lab" -i "$stage/oracle.cpio.gz" -o "$out" -a "$kargs" \
	-t "$timeout_s" -r 64 >&2 || rc=$?
rm -rf "$stage"
exit $rc
