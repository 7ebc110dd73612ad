#!/bin/sh
# record-testdata.sh - the tests/data/real-sched.* captures, made by the real tools on
# the host: tracefs, trace-cmd and perf recording sched events while a task named
# "ptb a: 1.0: b" (a comm that looks like a timestamp) sleeps 20 times 5 ms.
#
# usage: sudo scripts/record-testdata.sh OUTDIR
#
# Needs root, tracefs at /sys/kernel/tracing, trace-cmd and perf.  The top-level
# trace buffer is set to 8 KiB per CPU for the capture (so it stays small: the ring
# buffer overwrites, and the captures carry lost events) and put back afterwards.
# `trace-cmd record` cannot run in a container that forbids writing
# /proc/sys/kernel/ftrace_enabled, so the buffer is filled through tracefs and read
# by `trace-cmd extract`; /proc/kallsyms is hidden from it (a mount namespace) so the
# trace.dat does not carry 5 MB of kernel symbols.
set -eu
out=${1:?usage: record-testdata.sh OUTDIR}
T=/sys/kernel/tracing
mkdir -p "$out"
cd "$out"

cat >task.sh <<'EOF'
#!/bin/sh
printf 'ptb a: 1.0: b' > /proc/$$/comm
i=0; while [ $i -lt 20 ]; do sleep 0.005; i=$((i+1)); done
EOF
chmod +x task.sh

old_kb=$(cat $T/buffer_size_kb)
echo 8 >$T/buffer_size_kb
echo >$T/trace
echo 1 >$T/events/sched/sched_switch/enable
echo 1 >$T/tracing_on
./task.sh
echo 0 >$T/tracing_on
echo 0 >$T/events/sched/sched_switch/enable
cat $T/trace >real-sched.ftrace
unshare -m sh -c 'mount --bind /dev/null /proc/kallsyms && trace-cmd extract -o real-sched-v7.trace.dat'
echo >$T/trace
echo "$old_kb" >$T/buffer_size_kb
trace-cmd convert --file-version 6 -i real-sched-v7.trace.dat -o real-sched-v6.trace.dat
trace-cmd report -i real-sched-v7.trace.dat >real-sched.trace-cmd.txt

# two events of different name lengths: perf right-aligns the shorter one
perf record -e sched:sched_switch -e sched:sched_process_exit -a -o sched.perf.data ./task.sh
perf script -i sched.perf.data >real-sched.perf.txt
perf script -i sched.perf.data -F comm,tid,cpu,time,event,trace --ns >real-sched.perf-F-ns.txt
perf script -i sched.perf.data -F comm,pid,tid,cpu,time,event,trace >real-sched.perf-F-pid.txt
perf script -i sched.perf.data -F time,event,trace >real-sched.perf-F-time.txt

gzip -9f real-sched.ftrace real-sched-v6.trace.dat real-sched.trace-cmd.txt real-sched.perf*.txt
rm -f task.sh sched.perf.data
