#!/bin/sh
# scripts/lab/init.sh - /init of the lab's busybox initramfs (runs as PID 1 in
# the guest; scripts/lab/initramfs.sh packs it).
#
# Mounts the pseudo filesystems, loads the boot modules, runs /workload with
# its output in /results/workload.log and on the console, then writes /results
# as a tar archive onto the raw disk whose serial is "lab-results" (the host's
# scripts/lab/boot.sh attaches it and unpacks it) and powers off; qemu runs
# with -no-reboot, so it exits.  The workload's exit status travels in
# /results/status and on the console as "lab: status N"; /results/kernel
# is the guest's /proc/version.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing
mkdir -p /tmp /results
mount -t tmpfs tmpfs /tmp
. /lab/lib.sh

cat /proc/version >/results/kernel
status=0
for m in $(cat /lab/boot-modules); do
	lab_modprobe "$m" || status=$?
done

if [ "$status" -eq 0 ]; then
	# The status cannot come out of the pipeline (busybox sh has no
	# pipefail), so the workload's subshell writes it down itself.
	{ sh /workload; echo $? >/results/status; } 2>&1 | tee /results/workload.log
	status=$(cat /results/status 2>/dev/null || echo 1)
else
	echo "lab: a boot module did not load (status $status): workload not run"
	echo "$status" >/results/status
fi
lab_console "status $status"

# The results disk is found by its serial, never by its name: vdX letters
# follow probe order, which depends on the devices the profile adds.
res=
for s in /sys/block/vd*/serial; do
	[ -f "$s" ] && [ "$(cat "$s")" = lab-results ] && res=/dev/$(basename "$(dirname "$s")")
done
if [ -n "$res" ]; then
	# tar ends its archive with zero blocks, so the host reads it straight
	# off the raw image; a results set larger than the disk fails here.
	if tar -c -f - -C /results . | dd of="$res" bs=65536 conv=fsync 2>/dev/null; then
		lab_console "results written to $res"
	else
		lab_console "results did not fit on $res"
	fi
else
	lab_console "no results disk (serial lab-results)"
fi
sync
poweroff -f
