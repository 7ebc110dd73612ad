# kmod/guest.sh - the oracle's guest workload (busybox sh, run by the
# lab's /init as /workload; scripts/lab/oracle.sh packs it with the module and
# the trace).  For every backend in /oracle/backends: insmod ptb_oracle.ko with
# /oracle/params, write /oracle/trace.ptb to debugfs, replay, save the result,
# then check that every malformed trace /oracle/bad/NAME.ptb is refused with
# an error while the guest goes on ("refused: REASON" in BACKEND.NAME), and rmmod.  Exit status 0 only when every
# step did what it should.
. /lab/lib.sh
D=/sys/kernel/debug/ptb_oracle
status=0
cat /proc/zoneinfo >/results/zoneinfo
cat /proc/sys/vm/min_free_kbytes >/results/min_free_kbytes
nproc >/results/cpus
# The kernel's own v7s (ptb_v7s_ref.ko, packed by oracle.sh -R): the reference L2 ops.
if [ -f /oracle/ptb_v7s_ref.ko ]; then
	R=/sys/kernel/debug/ptb_v7s_ref
	if insmod /oracle/ptb_v7s_ref.ko && dd if=/oracle/trace.ptb of=$R/trace bs=65536 2>/dev/null &&
		echo 1 >$R/run && cat $R/result >/results/ref.result && rmmod ptb_v7s_ref; then
		lab_console "reference v7s: replayed"
	else
		lab_console "reference v7s: failed: $(cat $R/error 2>/dev/null)"; status=1
	fi
fi
for b in $(cat /oracle/backends); do
	free_before=$(awk '/^MemFree:/ { print $2 }' /proc/meminfo)
	# shellcheck disable=SC2046 # the parameters are split on purpose
	if ! insmod /oracle/ptb_oracle.ko backend="$b" $(cat /oracle/params); then
		lab_console "oracle $b: insmod failed"; status=1; continue
	fi
	dd if=/oracle/trace.ptb of=$D/trace bs=65536 2>/dev/null || { lab_console "oracle $b: trace write failed"; status=1; }
	t0=$(cut -d' ' -f1 /proc/uptime)
	if echo 1 >$D/run; then
		lab_console "oracle $b: replayed"
	else
		lab_console "oracle $b: replay failed: $(cat $D/error)"; status=1
	fi
	t1=$(cut -d' ' -f1 /proc/uptime)
	cat $D/result >"/results/$b.result" 2>/dev/null || { lab_console "oracle $b: no result"; status=1; }
	echo "guest_replay_s $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" >>"/results/$b.result"
	for bad in /oracle/bad/*.ptb; do
		[ -f "$bad" ] || continue
		name=$(basename "$bad" .ptb)
		dd if="$bad" of=$D/trace bs=65536 2>/dev/null
		if echo 1 >$D/run 2>/dev/null; then
			echo "accepted" >"/results/$b.$name"; status=1
		else
			echo "refused: $(cat $D/error)" >"/results/$b.$name"
		fi
	done
	if rmmod ptb_oracle; then
		echo "rmmod ok" >"/results/$b.unload"
	else
		echo "rmmod failed" >"/results/$b.unload"; status=1
	fi
	echo "memfree_kb_before $free_before" >>"/results/$b.unload"
	echo "memfree_kb_after $(awk '/^MemFree:/ { print $2 }' /proc/meminfo)" >>"/results/$b.unload"
done
dmesg >/results/dmesg
echo alive >/results/alive
exit $status
