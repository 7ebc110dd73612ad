#!/bin/sh
# scripts/lab/record-tools.sh - tests/data/lab-iommu*: real iommu:map/unmap
# events recorded by trace-cmd and perf themselves in the lab guest (q35 +
# intel-iommu, Debian's 6.1), then printed by the host's trace-cmd report and
# perf script (tests/data/README.md).
#
# Usage: scripts/lab/record-tools.sh [-k LABDIR] OUTDIR
set -eu
here=$(dirname "$0")
labdir=build/lab
while getopts k: opt; do
	case $opt in
	k) labdir=$OPTARG ;;
	*) echo "usage: record-tools.sh [-k LABDIR] OUTDIR" >&2; exit 1 ;;
	esac
done
shift $((OPTIND - 1))
out=${1:?usage: record-tools.sh [-k LABDIR] OUTDIR}
run=$labdir/record/tools
mkdir -p "$labdir/record" "$out"
"$here/initramfs.sh" -k "$labdir" -o "$labdir/record/tools.cpio.gz" -w "$here/workloads/tools.sh" \
	-b "$(command -v trace-cmd)" -b "$(command -v perf)"
"$here/boot.sh" -p q35-iommu -k "$labdir" -i "$labdir/record/tools.cpio.gz" -o "$run" \
	-d blk:data:64 -a quiet -t 300
r=$run/results
cp "$r/lab-iommu-v6.trace.dat" "$r/lab-iommu-v7.trace.dat" "$r/lab-iommu-instance.trace.dat" \
	"$r/lab-iommu-2instances.trace.dat" "$out/"
trace-cmd report -i "$r/lab-iommu-v7.trace.dat" | gzip -9n >"$out/lab-iommu.trace-cmd.txt.gz"
trace-cmd report -i "$r/lab-iommu-2instances.trace.dat" | gzip -9n >"$out/lab-iommu-2instances.trace-cmd.txt.gz"
perf script -i "$r/lab-iommu.perf.data" | gzip -9n >"$out/lab-iommu.perf.txt.gz"
perf script -i "$r/lab-iommu.perf.data" -F comm,tid,cpu,time,event,trace --ns |
	gzip -9n >"$out/lab-iommu.perf-F-ns.txt.gz"
perf script -i "$r/lab-iommu-g.perf.data" | gzip -9n >"$out/lab-iommu.perf-g.txt.gz"
