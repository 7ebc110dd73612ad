# scripts/lab/workloads/e1000.sh - guest workload: an e1000 NIC's rings (the
# only device behind the IOMMU) on qemu's isolated user network (restrict=on:
# the guest reaches slirp's gateway 10.0.2.2 and nothing else).  ICMP echo of
# sizes from 56 bytes to 60000 (fragmented into MTU-sized frames): every TX
# frame is mapped by e1000_tx_map and unmapped at completion, every RX buffer
# is unmapped at receive and a new one mapped by the refill
# (drivers/net/ethernet/intel/e1000/e1000_main.c, 6.1).
# Recorded twice in the same run: /results/e1000.ftrace (tracefs) and
# /results/e1000.ptb (ptrec, started first and stopped last).
. /lab/lib.sh
ip link set lo up
lab_ptrec_start /results/e1000.ptb || exit 1
lab_trace_start 32768 || exit 1
# Loaded under the trace, like a driver at boot; bringing the link up
# allocates the rings and maps the RX buffers.
lab_modprobe e1000 || exit 1
ip link set eth0 up || exit 1
ip addr add 10.0.2.15/24 dev eth0 || exit 1
n=0
while [ "$(cat /sys/class/net/eth0/carrier 2>/dev/null)" != 1 ]; do
	n=$((n + 1))
	[ $n -gt 100 ] && { lab_console "eth0: no carrier"; exit 1; }
	sleep 0.1
done
for s in 56 512 1472 4000 9000 30000 60000; do
	out=$(ping -q -A -c 40 -s $s -W 5 10.0.2.2) || { echo "$out"; exit 1; }
	lab_console "ping -s $s: $(echo "$out" | grep 'packets transmitted')"
done
ip link set eth0 down
lab_trace_stop /results/e1000.ftrace || exit 1
lab_ptrec_stop /results/e1000.ptrec.log || exit 1
lab_iommu_report
