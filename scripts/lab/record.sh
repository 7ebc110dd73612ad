#!/bin/sh
# scripts/lab/record.sh - record the real IOMMU traces of workloads/traces/ in
# the qemu lab (q35 + intel-iommu, Debian's 6.1 kernel), one device behind the
# IOMMU per run, and write their provenance into workloads/traces/README.md.
#
# Usage: scripts/lab/record.sh [-k LABDIR] [-o TRACEDIR] [-p PTBENCH] [NAME...]
#   NAME      blk fs e1000 gpu (default: all), scripts/lab/workloads/NAME.sh
#   -k LABDIR build/lab (kernel.sh's output; runs go to LABDIR/record/NAME)
#   -o DIR    where the traces go (default workloads/traces)
#   -p FILE   the ptbench that reads the counts back (default build/ptbench)
#
# tracefs events carry no IOMMU domain: two devices' IOVA spaces in one trace
# would replay as false conflicts, hence one traced device per run (the
# results disk stays off the IOMMU, see boot.sh).  Each trace is checked in
# the guest for loss (entries-in-buffer == entries-written, no overrun) and
# gzipped without a name or time stamp (gzip -n).
set -eu
here=$(dirname "$0")
labdir=build/lab tracedir=workloads/traces ptbench=build/ptbench
while getopts k:o:p: opt; do
	case $opt in
	k) labdir=$OPTARG ;;
	o) tracedir=$OPTARG ;;
	p) ptbench=$OPTARG ;;
	*) echo "usage: record.sh [-k LABDIR] [-o TRACEDIR] [-p PTBENCH] [blk|fs|e1000|gpu]..." >&2; exit 1 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- blk fs e1000 gpu
[ -x "$ptbench" ] || { echo "lab-record: $ptbench missing: run 'make'" >&2; exit 1; }
mkdir -p "$tracedir"

runs=
for name in "$@"; do
	case $name in
	blk) devs=blk:data:256 iopts= ;;
	fs) devs=blk:data:256 iopts="-m ext4 -m crc32c_generic -b mke2fs" ;;
	e1000) devs=e1000 iopts="-M e1000" ;;
	gpu)
		[ -x "$labdir/drm-dumb" ] || { echo "lab-record: $labdir/drm-dumb missing: run 'make lab-record'" >&2; exit 1; }
		devs=gpu iopts="-M virtio_gpu -f $labdir/drm-dumb" ;;
	*) echo "lab-record: unknown workload '$name' (blk fs e1000 gpu)" >&2; exit 1 ;;
	esac
	run=$labdir/record/$name
	workload=$here/workloads/$name.sh
	mkdir -p "$labdir/record"
	# shellcheck disable=SC2086 # option lists split on purpose
	"$here/initramfs.sh" -k "$labdir" -o "$labdir/record/$name.cpio.gz" -w "$workload" $iopts
	"$here/boot.sh" -p q35-iommu -k "$labdir" -i "$labdir/record/$name.cpio.gz" -o "$run" \
		-d "$devs" -a quiet -t 900
	gzip -9n <"$run/results/$name.ftrace" >"$tracedir/$name.ftrace.gz.tmp"
	mv "$tracedir/$name.ftrace.gz.tmp" "$tracedir/$name.ftrace.gz"
	echo "$tracedir/$name.ftrace.gz" >"$run/traces"
	echo "$workload" >"$run/workload"
	runs="$runs $run"
done
# shellcheck disable=SC2086
python3 "$here/provenance.py" --readme "$tracedir/README.md" --ptbench "$ptbench" $runs
echo "lab-record: provenance in $tracedir/README.md"
