# scripts/lab/workloads/blk.sh - guest workload: virtio-blk block I/O of
# mixed sizes, direct and buffered, on the disk with serial "data" (the only
# device behind the IOMMU).
# Recorded twice in the same run: /results/blk.ftrace (tracefs) and
# /results/blk.ptb (ptrec, started first and stopped last).
. /lab/lib.sh
dev=$(lab_disk data) || exit 1
lab_ptrec_start /results/blk.ptb || exit 1
lab_trace_start 32768 || exit 1
# O_DIRECT: one request per dd block, so every size reaches the device as is.
set -- 4k:256 16k:128 64k:64 256k:32 1M:16 4M:8
seek_bytes=0
for w in "$@"; do
	dd if=/dev/zero of="$dev" bs="${w%%:*}" count="${w#*:}" seek="$seek_bytes" oflag=direct,seek_bytes 2>/dev/null || exit 1
	seek_bytes=$((seek_bytes + 33554432))
done
for w in 512:256 8k:128 128k:64 2M:16; do
	dd if="$dev" of=/dev/null bs="${w%%:*}" count="${w#*:}" iflag=direct 2>/dev/null || exit 1
done
# Buffered: the page cache and the block layer merge and split on their own.
dd if=/dev/urandom of="$dev" bs=64k count=512 seek=64 conv=fsync 2>/dev/null || exit 1
echo 3 >/proc/sys/vm/drop_caches
dd if="$dev" of=/dev/null bs=1M count=48 skip=4 2>/dev/null || exit 1
dd if="$dev" of=/dev/null bs=4k count=2048 skip=20000 2>/dev/null || exit 1
lab_trace_stop /results/blk.ftrace || exit 1
lab_ptrec_stop /results/blk.ptrec.log || exit 1
lab_iommu_report
