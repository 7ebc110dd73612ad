#!/bin/sh
# scripts/lab/record.sh - record the real IOMMU traces of workloads/traces/ in
# the qemu lab (q35 + intel-iommu, Debian's 6.1 kernel), one device behind the
# IOMMU per run, each seen by two recorders at once: tracefs (NAME.ftrace.gz)
# and ptrec, the libbpf recorder (NAME.ptb.gz, with domain ids); write their
# provenance into workloads/traces/README.md.
#
# Usage: scripts/lab/record.sh [-k LABDIR] [-o TRACEDIR] [-p PTBENCH] [-r PTREC] [NAME...]
#   NAME      blk fs e1000 gpu (default: all), scripts/lab/workloads/NAME.sh
#   -k LABDIR build/lab (kernel.sh's output; runs go to LABDIR/record/NAME)
#   -o DIR    where the traces go (default workloads/traces)
#   -p FILE   the ptbench that reads the counts back (default build/ptbench)
#   -r FILE   the static ptrec packed into the guest (default build/ptrec-static)
#
# tracefs events carry no IOMMU domain: two devices' IOVA spaces in one trace
# would replay as false conflicts, hence one traced device per run (the
# results disk stays off the IOMMU, see boot.sh).  Each trace is checked in
# the guest for loss (entries-in-buffer == entries-written, no overrun) and
# gzipped without a name or time stamp (gzip -n).  ptrec's events are then
# compared with tracefs's (scripts/lab/ptb-compare.py on `ptbench convert` of
# the text): the verdict goes into the README; a different event fails the
# run, a different cross-CPU interleaving of the same per-CPU sequences does
# not (two recorders order concurrent events of two CPUs each its own way).
# ptrec losing an event fails the guest's workload.
set -eu
here=$(dirname "$0")
labdir=build/lab tracedir=workloads/traces ptbench=build/ptbench ptrec=build/ptrec-static
while getopts k:o:p:r: opt; do
	case $opt in
	k) labdir=$OPTARG ;;
	o) tracedir=$OPTARG ;;
	p) ptbench=$OPTARG ;;
	r) ptrec=$OPTARG ;;
	*) echo "usage: record.sh [-k LABDIR] [-o TRACEDIR] [-p PTBENCH] [blk|fs|e1000|gpu]..." >&2; exit 1 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- blk fs e1000 gpu
[ -x "$ptbench" ] || { echo "lab-record: $ptbench missing: run 'make'" >&2; exit 1; }
[ -x "$ptrec" ] || { echo "lab-record: $ptrec missing: run 'make ptrec-static'" >&2; exit 1; }
mkdir -p "$tracedir"

runs= failed=
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
	"$here/initramfs.sh" -k "$labdir" -o "$labdir/record/$name.cpio.gz" -w "$workload" \
		-f "$ptrec:/ptrec" $iopts
	"$here/boot.sh" -p q35-iommu -k "$labdir" -i "$labdir/record/$name.cpio.gz" -o "$run" \
		-d "$devs" -a quiet -t 900
	for t in ftrace ptb; do
		gzip -9n <"$run/results/$name.$t" >"$tracedir/$name.$t.gz.tmp"
		mv "$tracedir/$name.$t.gz.tmp" "$tracedir/$name.$t.gz"
	done
	echo "$tracedir/$name.ftrace.gz $tracedir/$name.ptb.gz" >"$run/traces"
	"$ptbench" convert "$run/results/$name.ftrace" -o "$run/ftrace.ptb" 2>/dev/null
	# 0: same order; 2: same per CPU, interleaved differently (ptb-compare.py)
	rc=0
	python3 "$here/ptb-compare.py" "$tracedir/$name.ptb.gz" "$run/ftrace.ptb" >"$run/compare" || rc=$?
	[ "$rc" -eq 0 ] || [ "$rc" -eq 2 ] || failed="$failed $name"
	cat "$run/compare"
	echo "$workload" >"$run/workload"
	runs="$runs $run"
done
# shellcheck disable=SC2086
python3 "$here/provenance.py" --readme "$tracedir/README.md" --ptbench "$ptbench" $runs
echo "lab-record: provenance in $tracedir/README.md"
if [ -n "$failed" ]; then
	echo "lab-record: ptrec and tracefs saw different events in:$failed" >&2
	exit 1
fi
