#!/bin/sh
# scripts/lab/boot.sh - boot Debian's 6.1 kernel under qemu (TCG) on a named
# machine profile with a lab initramfs, and bring the workload's results back.
#
# Usage: scripts/lab/boot.sh -p PROFILE -i INITRAMFS -o OUTDIR [-k LABDIR]
#          [-d DEVICE]... [-a KERNEL_ARGS] [-m MEMORY] [-t TIMEOUT_S]
#          [-r RESULTS_MB] [-q QEMU_ARG]...
#
# Profiles:
#   q35-iommu  q35 + intel-iommu, kernel args intel_iommu=on iommu.strict=1,
#              -m 2G -smp 2: every device asked for DMAs through the emulated
#              IOMMU (virtio ones with iommu_platform=on), so the guest's
#              iommu:map/unmap events are real; for recording traces.
#   pc-3g1g    pc,max-ram-below-4g=3G -m 4G -smp 2: 3 GiB of ZONE_DMA32 and
#              1 GiB of ZONE_NORMAL above 4 GiB (the MT8173 layout), no IOMMU;
#              for replaying traces through the real allocators.
#   virt-mt8173  qemu-system-aarch64 virt, -cpu cortex-a72 -m 4G -smp 2, Debian's
#              arm64 kernel (LABDIR build/lab-arm64: kernel.sh OUTDIR arm64):
#              the MT8173 itself, DRAM 4 GiB from 0x4000_0000, so ZONE_DMA is
#              0x4000_0000..4 GiB, ZONE_DMA32 empty, ZONE_NORMAL the 1 GiB above;
#              console ttyAMA0 (pl011), PCIe on virt's generic host bridge.
# Devices (-d, any number, in this order on the PCI bus):
#   blk:SERIAL:SIZE_MB  a fresh sparse raw image OUTDIR/SERIAL.img on
#              virtio-blk; the guest finds it as the vdX whose
#              /sys/block/vdX/serial is SERIAL
#   e1000      an e1000 NIC on an isolated user netdev (restrict=on: nothing
#              leaves the machine; the guest reaches only slirp's 10.0.2.2)
#   gpu        virtio-gpu-pci, no display attached
# Nothing else is on the machine (-nodefaults, -nic none) but the serial
# console (OUTDIR/console.log) and the results disk: a virtio-blk disk with
# serial lab-results, RESULTS_MB (default 256) sparse, kept off the IOMMU
# (no iommu_platform: the guest's virtio driver then bypasses the DMA API, so
# it adds no event to a trace).  The guest's /init writes /results onto it as
# a tar archive; it is unpacked into OUTDIR/results/.
#
# Exit status: the workload's (OUTDIR/results/status); 124 when qemu ran
# past TIMEOUT_S (default 300); 1 when the guest brought back no status.
# OUTDIR/qemu.cmd holds the qemu command line, OUTDIR/boot.time the wall
# seconds qemu ran.
set -eu
die() { echo "lab-boot: $*" >&2; exit 1; }

profile= initrd= outdir= labdir=build/lab devices= extra_args= mem= timeout_s=300 results_mb=256
qemu_extra=
while getopts p:i:o:k:d:a:m:t:r:q: opt; do
	case $opt in
	p) profile=$OPTARG ;;
	i) initrd=$OPTARG ;;
	o) outdir=$OPTARG ;;
	k) labdir=$OPTARG ;;
	d) devices="$devices $OPTARG" ;;
	a) extra_args="$extra_args $OPTARG" ;;
	m) mem=$OPTARG ;;
	t) timeout_s=$OPTARG ;;
	r) results_mb=$OPTARG ;;
	q) qemu_extra="$qemu_extra $OPTARG" ;;
	*) die "usage: boot.sh -p q35-iommu|pc-3g1g|virt-mt8173 -i INITRAMFS -o OUTDIR [-d blk:SERIAL:MB|e1000|gpu]... [-a ARGS] [-m MEM] [-t S] [-r MB] [-q QEMU_ARG]..." ;;
	esac
done
[ -n "$profile" ] && [ -n "$initrd" ] && [ -n "$outdir" ] || die "-p PROFILE, -i INITRAMFS and -o OUTDIR are required"
[ -f "$initrd" ] || die "$initrd: no such initramfs"
# x86 profiles boot the uncompressed vmlinux (PVH), arm64 the Image as Debian ships it.
case $profile in
virt-*) qemu_name=qemu-system-aarch64 qemu_pkg=qemu-system-arm kernel=$labdir/Image console=ttyAMA0 ;;
*) qemu_name=qemu-system-x86_64 qemu_pkg=qemu-system-x86 kernel=$labdir/vmlinux console=ttyS0 ;;
esac
[ -f "$kernel" ] || die "$kernel missing: run 'make lab-kernel' (arm64: 'make lab-kernel-arm64')"
qemu=$(command -v $qemu_name) || die "$qemu_name not found: run 'make deps' ($qemu_pkg)"

# Never -accel kvm: /dev/kvm exists on this host but belongs to a paravirtual
# host without vmx; a stock kernel hangs or crawls under it (docs/qemu-lab.md).
case $profile in
q35-iommu)
	# intel-iommu must come before the devices it translates for.
	machine="-machine q35 -m ${mem:-2G} -smp 2 -device intel-iommu"
	kargs="intel_iommu=on iommu.strict=1"
	virtio_opts=",disable-legacy=on,iommu_platform=on" ;;
pc-3g1g)
	machine="-machine pc,max-ram-below-4g=3G -m ${mem:-4G} -smp 2"
	kargs=
	virtio_opts= ;;
virt-mt8173)
	# virt's RAM starts at 0x4000_0000, as the MT8173's DRAM; cortex-a72 is
	# the MT8173's big core (-cpu max would add pointer authentication,
	# which TCG emulates slowly).
	machine="-machine virt -cpu cortex-a72 -m ${mem:-4G} -smp 2"
	kargs=
	virtio_opts= ;;
*) die "unknown profile '$profile' (q35-iommu, pc-3g1g, virt-mt8173)" ;;
esac

rm -rf "$outdir"
mkdir -p "$outdir/results"
set -- -accel tcg $machine -nodefaults -nic none -display none -no-reboot \
	-serial "file:$outdir/console.log" -monitor none \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=$console panic=-1 rdinit=/init $kargs$extra_args"
nic=0
for d in $devices; do
	case $d in
	blk:*:*)
		serial=${d#blk:}; size_mb=${serial#*:}; serial=${serial%%:*}
		truncate -s "${size_mb}M" "$outdir/$serial.img"
		set -- "$@" -drive "if=none,id=$serial,file=$outdir/$serial.img,format=raw,cache=unsafe" \
			-device "virtio-blk-pci,drive=$serial,serial=$serial$virtio_opts" ;;
	e1000)
		set -- "$@" -netdev "user,id=n$nic,restrict=on" -device "e1000,netdev=n$nic"
		nic=$((nic + 1)) ;;
	gpu)
		set -- "$@" -device "virtio-gpu-pci$virtio_opts" ;;
	*) die "unknown device '$d' (blk:SERIAL:SIZE_MB, e1000, gpu)" ;;
	esac
done
truncate -s "${results_mb}M" "$outdir/results.img"
set -- "$@" -drive "if=none,id=lab-results,file=$outdir/results.img,format=raw,cache=unsafe" \
	-device "virtio-blk-pci,drive=lab-results,serial=lab-results"
# shellcheck disable=SC2086 # QEMU_ARGs are split on purpose
set -- "$@" $qemu_extra

printf '%s' "$qemu" >"$outdir/qemu.cmd"
printf " '%s'" "$@" >>"$outdir/qemu.cmd"
echo >>"$outdir/qemu.cmd"

start_ns=$(date +%s%N)
rc=0
timeout -k 5 "$timeout_s" "$qemu" "$@" </dev/null >"$outdir/qemu.out" 2>&1 || rc=$?
end_ns=$(date +%s%N)
secs=$(awk -v a="$start_ns" -v b="$end_ns" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
echo "$secs" >"$outdir/boot.time"
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
	echo "lab-boot: $profile: qemu still running after ${timeout_s} s, killed; console tail:" >&2
	tail -n 20 "$outdir/console.log" >&2
	exit 124
fi
[ "$rc" -eq 0 ] || { cat "$outdir/qemu.out" >&2; die "$profile: qemu exited with status $rc"; }

tar -x -f "$outdir/results.img" -C "$outdir/results" 2>/dev/null || true
if [ ! -f "$outdir/results/status" ]; then
	echo "lab-boot: $profile: the guest brought back no status (${secs} s); console tail:" >&2
	tail -n 30 "$outdir/console.log" >&2
	exit 1
fi
rm -f "$outdir/results.img"
status=$(cat "$outdir/results/status")
echo "lab-boot: $profile: workload status $status, qemu ran ${secs} s, results in $outdir/results"
exit "$status"
