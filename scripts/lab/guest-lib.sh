# scripts/lab/guest-lib.sh - shell functions for lab workloads, packed as
# /lab/lib.sh in the initramfs; /init sources it and so does a workload
# (`. /lab/lib.sh`).  busybox sh.

TRACEFS=/sys/kernel/tracing

# lab_console MSG: one "lab: MSG" line on the console (the host greps these).
lab_console() {
	echo "lab: $*"
}

# lab_modprobe NAME: insmod NAME and what it depends on, in the order
# scripts/lab/modules.py computed at build time (/lab/mod/NAME); a module
# already loaded is skipped.  busybox's modprobe would need modules.dep,
# which the kernel package does not ship.
lab_modprobe() {
	[ -f "/lab/mod/$1" ] || { lab_console "module $1 was not packed (initramfs.sh -m/-M)"; return 1; }
	for ko in $(cat "/lab/mod/$1"); do
		m=$(basename "$ko" .ko | tr - _)
		[ -d "/sys/module/$m" ] && continue
		insmod "/lib/modules/$ko" || { lab_console "insmod $ko failed"; return 1; }
	done
}

# lab_disk SERIAL: the /dev/vdX whose serial is SERIAL (boot.sh -d blk:SERIAL:MB).
lab_disk() {
	for s in /sys/block/vd*/serial; do
		if [ -f "$s" ] && [ "$(cat "$s")" = "$1" ]; then
			echo "/dev/$(basename "$(dirname "$s")")"
			return 0
		fi
	done
	lab_console "no disk with serial $1"
	return 1
}

# lab_iommu_report: which PCI devices sit in which IOMMU group and domain
# type ("DMA": the kernel translates their DMA), for the run's provenance.
lab_iommu_report() {
	for g in /sys/kernel/iommu_groups/*; do
		for d in "$g"/devices/*; do
			echo "iommu group $(basename "$g") $(cat "$g/type"): $(basename "$d") vendor $(cat "$d/vendor") device $(cat "$d/device") driver $(basename "$(readlink "$d/driver" 2>/dev/null || echo none)")"
		done
	done
}

# lab_trace_start [BUFFER_KB]: a clean tracefs buffer of BUFFER_KB per CPU
# (default 32768) recording iommu:map and iommu:unmap only, time-stamped by
# the "mono" trace clock: CLOCK_MONOTONIC, as ptrec's bpf_ktime_get_ns(), so
# the two recorders' timestamps of one event differ by the probes' distance
# only (the default here would be "global": the guest sees an unstable TSC).
lab_trace_start() {
	echo 0 >$TRACEFS/tracing_on
	echo mono >$TRACEFS/trace_clock || return 1
	echo "${1:-32768}" >$TRACEFS/buffer_size_kb || return 1
	echo >$TRACEFS/set_event
	echo >$TRACEFS/trace
	echo 1 >$TRACEFS/events/iommu/map/enable || return 1
	echo 1 >$TRACEFS/events/iommu/unmap/enable || return 1
	echo 1 >$TRACEFS/tracing_on
}

# lab_ptrec_start FILE: /ptrec (packed with initramfs.sh -f) recording into
# FILE in the background; returns once it has attached (its "recording to"
# line), so a tracefs window opened after it sees no event ptrec misses.
lab_ptrec_start() {
	/ptrec -o "$1" >/tmp/ptrec.out 2>/tmp/ptrec.err &
	LAB_PTREC_PID=$!
	n=0
	until grep -q '^ptrec: recording to ' /tmp/ptrec.err; do
		if ! kill -0 "$LAB_PTREC_PID" 2>/dev/null || [ $n -ge 1200 ]; then
			cat /tmp/ptrec.err
			lab_console "ptrec did not start"
			return 1
		fi
		n=$((n + 1))
		sleep 0.1
	done
}

# lab_ptrec_stop LOG: SIGINT to ptrec, wait for it to write its file; its
# report (events seen, written, lost) goes to LOG and, one line, to the
# console.  Returns ptrec's status: 2 when it lost events.
lab_ptrec_stop() {
	kill -INT "$LAB_PTREC_PID"
	wait "$LAB_PTREC_PID"
	rc=$?
	cat /tmp/ptrec.err >"$1"
	lab_console "ptrec exit $rc: $(grep -E '^ptrec: (written|lost):' /tmp/ptrec.err | sed 's/^ptrec: //' | tr '\n' ';')"
	return $rc
}

# lab_trace_stop FILE: stop tracing, copy the buffer to FILE and prove that
# nothing was lost: the header's entries-in-buffer equals entries-written and
# no CPU's ring buffer overran or dropped an event.  Returns 1 on a loss.
lab_trace_stop() {
	echo 0 >$TRACEFS/tracing_on
	cat $TRACEFS/trace >"$1" || return 1
	hdr=$(grep -m 1 'entries-in-buffer/entries-written' "$1")
	counts=${hdr#*: }
	counts=${counts%% *}
	in_buffer=${counts%/*}
	written=${counts#*/}
	lost=0
	for s in $TRACEFS/per_cpu/cpu*/stats; do
		o=$(awk '/^overrun:/ { print $2 } /^dropped events:/ { print $3 }' "$s" | awk '{ s += $1 } END { print s + 0 }')
		lost=$((lost + o))
	done
	lab_console "trace $(basename "$1"): entries-in-buffer $in_buffer, entries-written $written, overrun+dropped $lost"
	echo >$TRACEFS/set_event
	[ -n "$in_buffer" ] && [ "$in_buffer" = "$written" ] && [ "$lost" -eq 0 ]
}
