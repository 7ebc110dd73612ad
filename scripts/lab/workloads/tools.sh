# scripts/lab/workloads/tools.sh - guest workload: the real trace-cmd and perf
# (the host's trace-cmd 3.1.6 and perf 6.1, packed with initramfs.sh -b)
# record iommu:map/unmap around a little direct I/O on the virtio-blk disk
# "data" (the only device behind the IOMMU): trace.dat v6 and v7, v7 with the
# events in one and in two buffer instances (-B), and two perf.data (the second
# with callchains, -g), each its own run of the same I/O.  For tests/data/lab-iommu*
# (scripts/lab/record-tools.sh); the host turns them into report and script text.
. /lab/lib.sh
dev=$(lab_disk data) || exit 1
# no kernel symbols in the trace.dat: trace-cmd copies /proc/kallsyms (megabytes)
mount -o bind /dev/null /proc/kallsyms || exit 1
cat >/tmp/io.sh <<IO
dd if=/dev/zero of=$dev bs=64k count=8 oflag=direct 2>/dev/null
dd if=$dev of=/dev/null bs=4k count=8 iflag=direct 2>/dev/null
IO
cd /results || exit 1
for v in 6 7; do
	/lab/bin/trace-cmd record --file-version $v -e iommu:map -e iommu:unmap \
		-o /results/lab-iommu-v$v.trace.dat sh /tmp/io.sh >/results/trace-cmd-v$v.log 2>&1 || exit 1
done
# -B: the events in buffer instances, the top buffer empty (one instance; two)
/lab/bin/trace-cmd record -B ptb -e iommu:map -e iommu:unmap \
	-o /results/lab-iommu-instance.trace.dat sh /tmp/io.sh >/results/trace-cmd-B.log 2>&1 || exit 1
/lab/bin/trace-cmd record -B maps -e iommu:map -B unmaps -e iommu:unmap \
	-o /results/lab-iommu-2instances.trace.dat sh /tmp/io.sh >/results/trace-cmd-2B.log 2>&1 || exit 1
/lab/bin/perf record -e iommu:map -e iommu:unmap -a -o /results/lab-iommu.perf.data \
	sh /tmp/io.sh >/results/perf.log 2>&1 || exit 1
/lab/bin/perf record -g -e iommu:map -e iommu:unmap -a -o /results/lab-iommu-g.perf.data \
	sh /tmp/io.sh >/results/perf-g.log 2>&1 || exit 1
