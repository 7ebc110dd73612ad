# scripts/lab/workloads/fs.sh - guest workload: a filesystem's life on the
# virtio-blk disk with serial "data" (the only device behind the IOMMU):
# mkfs.ext4, files of many sizes created, copied, read back cold, deleted.
# Recorded twice in the same run: /results/fs.ftrace (tracefs) and
# /results/fs.ptb (ptrec, started first and stopped last).
. /lab/lib.sh
dev=$(lab_disk data) || exit 1
mkdir -p /mnt
lab_ptrec_start /results/fs.ptb || exit 1
lab_trace_start 32768 || exit 1
# Inode tables and journal written by mke2fs itself, not later by the
# ext4lazyinit thread at a time nobody chose.
/lab/bin/mke2fs -q -F -t ext4 -E lazy_itable_init=0,lazy_journal_init=0 "$dev" || exit 1
mount -t ext4 "$dev" /mnt || exit 1
mkdir /mnt/src
i=0
for kb in 1 2 3 4 6 8 12 16 24 32 48 64 96 128 192 256 384 512 768 1024; do
	for j in 1 2 3 4 5 6 7 8 9 10; do
		dd if=/dev/urandom of=/mnt/src/f$i.$j bs=1k count=$kb 2>/dev/null || exit 1
	done
	i=$((i + 1))
done
dd if=/dev/urandom of=/mnt/src/big16m bs=1M count=16 2>/dev/null || exit 1
sync
cp -a /mnt/src /mnt/copy || exit 1
sync
echo 3 >/proc/sys/vm/drop_caches
cat /mnt/copy/* >/dev/null || exit 1
rm -rf /mnt/src
sync
rm /mnt/copy/big16m /mnt/copy/f1[0-9].*
sync
umount /mnt || exit 1
lab_trace_stop /results/fs.ftrace || exit 1
lab_ptrec_stop /results/fs.ptrec.log || exit 1
lab_iommu_report
