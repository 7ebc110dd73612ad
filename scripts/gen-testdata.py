#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""gen-testdata.py - the small hand-written trace of tests/data in every format.

One event sequence (EVENTS below: 34 iommu map/unmap events on 4 CPUs and 6
scheduler events) written the way each tool prints it:

  small.ftrace          /sys/kernel/tracing/trace of a 4.19 kernel: "# tracer: nop"
                        header, 4-character flags, the pre-5.17 iommu format
  small-5.17.ftrace     trace_pipe of a 6.1 kernel: no header, 5-character flags,
                        the 5.17+ iommu format (" - 0x<iova+size>")
  small.trace-cmd.txt   `trace-cmd report` (3.1.6) of small.trace.dat
  small.trace-cmd-l.txt `trace-cmd report -l` of small.trace.dat (CPU+flags glued)
  small.perf.txt        `perf script` of `perf record -e iommu:map -e iommu:unmap -e sched:*`
  small.trace.dat       trace-cmd's binary file, v6, uncompressed, the 6.1 event formats
  small.ftrace.gz       small.ftrace, gzip -n
  small.trace.dat.gz    small.trace.dat, gzip -n
  bad-*                 broken copies (see BAD below)

two-domains.ptb, written here directly (.ptb v1, workloads/README.md): two IOMMU domains
(PTB_F_DOMAIN | PTB_F_CPU, all on CPU 0); domain 1 maps one 4 KiB page in each of slots
0..7 (8 L2 tables), domain 2 in slots 0..2, domain 1 unmaps slots 0, 2 and 5 whole (their
tables freed), domain 2 maps slots 3..8: pt-frag's pools per page table and a global
pool hold different pages (tests/cli/test_oracle.sh).

small.ptb (from small.ftrace), small.ptb.gz (from small.trace.dat) and
bad-truncated.ptb are written by `ptbench convert` (pass --ptbench).
Timestamps are whole microseconds, so every format carries the same values.

usage: gen-testdata.py OUTDIR [--ptbench build/ptbench]
"""
import gzip
import io
import os
import struct
import subprocess
import sys

T0_US = 3_949_760           # 3.949760 s, as in the qemu lab's first 6.1 event

# (ts_us offset, cpu, comm, pid, flags as 6.1 prints them, event, fields)
# event: map (iova, paddr, size) | unmap (iova, size, unmapped) |
#        sched_switch (prev_comm, prev_pid, prev_prio, prev_state, next_comm, next_pid, next_prio) |
#        sched_wakeup (comm, pid, prio, target_cpu)
E = []


def ev(dt_us, cpu, comm, pid, flags, name, *fields):
    E.append((T0_US + dt_us, cpu, comm, pid, flags, name, fields))


# dd writes through a device behind the IOMMU: two 4K maps, irqs off under a spinlock
ev(0, 0, "dd", 129, "d..1.", "map", 0xffff9000, 0x101d12000, 4096)
ev(9, 0, "dd", 129, "d..1.", "map", 0xffff8000, 0x101d13000, 4096)
ev(35, 0, "dd", 129, "d..2.", "sched_switch", "dd", 129, 120, 2, "kworker/0:1H", 41, 100)
# a 64K large page, a 1M section, a 16M supersection
ev(51, 0, "kworker/0:1H", 41, "...1.", "map", 0xfffe0000, 0x102340000, 65536)
ev(120, 1, "kworker/1:1H", 57, "...1.", "map", 0xffe00000, 0x103400000, 1048576)
ev(180, 1, "kworker/1:1H", 57, "...1.", "map", 0xfe000000, 0x104000000, 16777216)
ev(240, 2, "swapper/2", 0, "dNh2.", "sched_wakeup", "vpud", 310, 120, 2)
ev(262, 2, "swapper/2", 0, "d..2.", "sched_switch", "swapper/2", 0, 120, 0, "vpud", 310, 120)
# a 1 MiB-aligned 1 MiB video buffer, its first 64 KiB mapped in 4K chunks (scattered pages)
for i in range(16):
    ev(300 + 3 * i, 2, "vpud", 310, "....." if i % 4 else "...1.", "map",
       0xfd000000 + i * 0x1000, 0x1a0340000 + (i ^ 5) * 0x1000, 4096)
# network receive in softirq, completion in hardirq (irqs off)
ev(401, 3, "swapper/3", 0, "..s1.", "map", 0xffffa000, 0x1f0000000, 8192)
ev(455, 3, "swapper/3", 0, "d.h1.", "unmap", 0xffffa000, 8192, 8192)
ev(470, 3, "swapper/3", 0, "dNh1.", "sched_wakeup", "kworker/3:2", 88, 120, 3)
# dd's buffers come back; the second unmap runs into the page already gone
ev(520, 0, "kworker/0:1H", 41, "d..1.", "unmap", 0xffff9000, 4096, 4096)
ev(531, 0, "kworker/0:1H", 41, "d..1.", "unmap", 0xffff8000, 8192, 4096)
# partial unmaps: 4K out of the 64K large page, 64K out of the 1M section (both split)
ev(600, 0, "kworker/0:1H", 41, "...1.", "unmap", 0xfffe4000, 4096, 4096)
ev(640, 1, "kworker/1:1H", 57, "...1.", "unmap", 0xffe80000, 65536, 65536)
ev(700, 2, "vpud", 310, "...1.", "unmap", 0xfd000000, 65536, 65536)
ev(760, 1, "kworker/1:1H", 57, "...1.", "unmap", 0xfe000000, 16777216, 16777216)
ev(790, 1, "kworker/1:1H", 57, "d..2.", "sched_switch", "kworker/1:1H", 57, 100, 1, "swapper/1", 0, 120)
# a failed iommu_map() cleans up what it mapped: nothing, traced with size 0
ev(810, 2, "vpud", 310, "d..1.", "unmap", 0xfc000000, 0, 0)
# half a second later (trace.dat needs a time-extend): the rest of the section and of
# the large page, each unmap stopping at the hole the partial unmap left
ev(500_000, 1, "kworker/1:1H", 57, "...1.", "unmap", 0xffe00000, 1048576, 524288)
ev(500_013, 1, "kworker/1:1H", 57, "...1.", "unmap", 0xffe90000, 458752, 458752)
ev(500_040, 0, "kworker/0:1H", 41, "...1.", "unmap", 0xfffe0000, 65536, 16384)
ev(500_052, 0, "kworker/0:1H", 41, "...1.", "unmap", 0xfffe5000, 45056, 45056)
ev(500_090, 3, "kworker/3:2", 88, "d..1.", "map", 0xffff9000, 0x101d40000, 4096)
ev(500_117, 3, "kworker/3:2", 88, "d..1.", "unmap", 0xffff9000, 4096, 4096)

EVENTS = sorted(E, key=lambda e: e[0])
NR_CPUS = 4


def secs(ts_us):
    return "%5d.%06d" % (ts_us // 1_000_000, ts_us % 1_000_000)


def payload(name, f, fmt_5_17, style):
    if name == "map":
        end = " - 0x%016x" % (f[0] + f[2]) if fmt_5_17 else ""
        return "IOMMU: iova=0x%016x%s paddr=0x%016x size=%d" % (f[0], end, f[1], f[2])
    if name == "unmap":
        end = " - 0x%016x" % (f[0] + f[1]) if fmt_5_17 else ""
        return "IOMMU: iova=0x%016x%s size=%d unmapped_size=%d" % (f[0], end, f[1], f[2])
    if name == "sched_switch":
        state = "RSD"[f[3]]
        if style == "trace-cmd":    # libtraceevent's sched_switch plugin
            return "%s:%d [%d] %s ==> %s:%d [%d]" % (f[0], f[1], f[2], state, f[4], f[5], f[6])
        return ("prev_comm=%s prev_pid=%d prev_prio=%d prev_state=%s ==> "
                "next_comm=%s next_pid=%d next_prio=%d" % (f[0], f[1], f[2], state, f[4], f[5], f[6]))
    if style == "trace-cmd":
        return "%s:%d [%d] CPU:%03d" % f
    return "comm=%s pid=%d prio=%d target_cpu=%03d" % f


def comm_of(e):
    return "<idle>" if e[3] == 0 else e[2]


def write_ftrace_419(path):
    """4.19: print_func_help_header_irq() and trace_print_context() with irq-info."""
    out = ["# tracer: nop", "#",
           "# entries-in-buffer/entries-written: %d/%d   #P:%d" % (len(EVENTS), len(EVENTS), NR_CPUS),
           "#",
           "#                              _-----=> irqs-off",
           "#                             / _----=> need-resched",
           "#                            | / _---=> hardirq/softirq",
           "#                            || / _--=> preempt-depth",
           "#                            ||| /     delay",
           "#           TASK-PID   CPU#  ||||    TIMESTAMP  FUNCTION",
           "#              | |       |   ||||       |         |"]
    for ts, cpu, comm, pid, flags, name, f in EVENTS:
        out.append("%16s-%-5d [%03d] %s %s: %s: %s" % (comm_of((ts, cpu, comm, pid)), pid, cpu,
                   flags[:4], secs(ts), name, payload(name, f, False, "ftrace")))
    write(path, "\n".join(out) + "\n")


def write_ftrace_61_pipe(path):
    """6.1 trace_pipe: no header, "%16s-%-7d [%03d] FLAGS5 %5lu.%06lu: "."""
    out = []
    for ts, cpu, comm, pid, flags, name, f in EVENTS:
        out.append("%16s-%-7d [%03d] %s %s: %s: %s" % (comm_of((ts, cpu, comm, pid)), pid, cpu,
                   flags, secs(ts), name, payload(name, f, True, "ftrace")))
    write(path, "\n".join(out) + "\n")


def write_tracecmd(path, latency):
    """trace-cmd 3.1.6 report [-l] of small.trace.dat (checked against the real tool)."""
    out = ["cpus=%d" % NR_CPUS]
    for ts, cpu, comm, pid, flags, name, f in EVENTS:
        c = comm_of((ts, cpu, comm, pid))
        if latency:
            head = "%8.8s-%-7d %d%s" % (c, pid, cpu, flags)
        else:
            head = "%16s-%-5d [%03d]" % (c, pid, cpu)
        out.append("%s %s: %-21s %s" % (head, secs(ts), name + ":", payload(name, f, True, "trace-cmd")))
    write(path, "\n".join(out) + "\n")


def write_perf(path):
    """perf script: "%16s %5d [%03d] %5lu.%06lu: sys:name: " (tools/perf/builtin-script.c)."""
    out = []
    for ts, cpu, comm, pid, flags, name, f in EVENTS:
        c = "swapper" if pid == 0 else comm
        system = "iommu" if name in ("map", "unmap") else "sched"
        out.append("%16s %5d [%03d] %s: %s:%s: %s" % (c, pid, cpu, secs(ts), system, name,
                   payload(name, f, True, "perf")))
    write(path, "\n".join(out) + "\n")


# ---- trace.dat v6 (trace-cmd.dat.v6(5)), the event formats of a 6.1 kernel ----

HEADER_PAGE = ("\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n"
               "\tfield: local_t commit;\toffset:8;\tsize:8;\tsigned:1;\n"
               "\tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;\n"
               "\tfield: char data;\toffset:16;\tsize:4080;\tsigned:0;\n")
HEADER_EVENT = ("# compressed entry header\n\ttype_len    :    5 bits\n\ttime_delta  :   27 bits\n"
                "\tarray       :   32 bits\n\n\tpadding     : type == 29\n\ttime_extend : type == 30\n"
                "\ttime_stamp : type == 31\n\tdata max type_len  == 28\n")
COMMON = ("\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
          "\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
          "\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
          "\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n")
ID = {"map": 2180, "unmap": 2179, "sched_switch": 372, "sched_wakeup": 374}
FORMATS = {
    "map": "\tfield:u64 iova;\toffset:8;\tsize:8;\tsigned:0;\n"
           "\tfield:u64 paddr;\toffset:16;\tsize:8;\tsigned:0;\n"
           "\tfield:size_t size;\toffset:24;\tsize:8;\tsigned:0;\n\n"
           "print fmt: \"IOMMU: iova=0x%016llx - 0x%016llx paddr=0x%016llx size=%zu\", "
           "REC->iova, REC->iova + REC->size, REC->paddr, REC->size\n",
    "unmap": "\tfield:u64 iova;\toffset:8;\tsize:8;\tsigned:0;\n"
             "\tfield:size_t size;\toffset:16;\tsize:8;\tsigned:0;\n"
             "\tfield:size_t unmapped_size;\toffset:24;\tsize:8;\tsigned:0;\n\n"
             "print fmt: \"IOMMU: iova=0x%016llx - 0x%016llx size=%zu unmapped_size=%zu\", "
             "REC->iova, REC->iova + REC->size, REC->size, REC->unmapped_size\n",
    "sched_switch": "\tfield:char prev_comm[16];\toffset:8;\tsize:16;\tsigned:0;\n"
                    "\tfield:pid_t prev_pid;\toffset:24;\tsize:4;\tsigned:1;\n"
                    "\tfield:int prev_prio;\toffset:28;\tsize:4;\tsigned:1;\n"
                    "\tfield:long prev_state;\toffset:32;\tsize:8;\tsigned:1;\n"
                    "\tfield:char next_comm[16];\toffset:40;\tsize:16;\tsigned:0;\n"
                    "\tfield:pid_t next_pid;\toffset:56;\tsize:4;\tsigned:1;\n"
                    "\tfield:int next_prio;\toffset:60;\tsize:4;\tsigned:1;\n\n"
                    "print fmt: \"prev_comm=%s prev_pid=%d prev_prio=%d prev_state=%s%s ==> "
                    "next_comm=%s next_pid=%d next_prio=%d\", REC->prev_comm, REC->prev_pid, "
                    "REC->prev_prio, (REC->prev_state & ((((0x00000000 | 0x00000001 | 0x00000002)"
                    " + 1) << 1) - 1)) ? __print_flags(REC->prev_state & ((((0x00000000 | "
                    "0x00000001 | 0x00000002) + 1) << 1) - 1), \"|\", { 0x00000001, \"S\" }, "
                    "{ 0x00000002, \"D\" }) : \"R\", REC->prev_state & (((0x00000000 | 0x00000001 | "
                    "0x00000002) + 1) << 1) ? \"+\" : \"\", REC->next_comm, REC->next_pid, REC->next_prio\n",
    "sched_wakeup": "\tfield:char comm[16];\toffset:8;\tsize:16;\tsigned:0;\n"
                    "\tfield:pid_t pid;\toffset:24;\tsize:4;\tsigned:1;\n"
                    "\tfield:int prio;\toffset:28;\tsize:4;\tsigned:1;\n"
                    "\tfield:int target_cpu;\toffset:32;\tsize:4;\tsigned:1;\n\n"
                    "print fmt: \"comm=%s pid=%d prio=%d target_cpu=%03d\", REC->comm, REC->pid, "
                    "REC->prio, REC->target_cpu\n",
}
SYSTEMS = [("iommu", ["map", "unmap"]), ("sched", ["sched_switch", "sched_wakeup"])]
PAGE = 4096


def event_format(name):
    return "name: %s\nID: %d\nformat:\n%s%s" % (name, ID[name], COMMON, FORMATS[name])


def common_bytes(name, flags, pid):
    """common_type, common_flags (kernel/trace/trace.h TRACE_FLAG_*), preempt_count, pid."""
    fl = 0
    if flags[0] in "dD":
        fl |= 0x01
    if flags[1] == "N":
        fl |= 0x04 | 0x20
    fl |= {"h": 0x08, "s": 0x10, "H": 0x18, "z": 0x40, "Z": 0x48}.get(flags[2], 0)
    pc = 0 if flags[3] == "." else int(flags[3], 16)
    if len(flags) > 4 and flags[4] != ".":
        pc |= int(flags[4], 16) << 4
    return struct.pack("<HBBi", ID[name], fl, pc, pid)


def event_data(name, flags, pid, f):
    c = common_bytes(name, flags, pid)
    if name == "map":
        return c + struct.pack("<QQQ", *f)
    if name == "unmap":
        return c + struct.pack("<QQQ", *f)
    if name == "sched_switch":
        return c + struct.pack("<16siiq16sii", f[0].encode(), f[1], f[2], f[3], f[4].encode(), f[5], f[6])
    return c + struct.pack("<16siii", f[0].encode(), f[1], f[2], f[3])


def cpu_pages(cpu):
    """The ring-buffer pages of one CPU (kernel/trace/ring_buffer.c, header_event above)."""
    pages, body, page_ts, last_ts = [], b"", None, None

    def flush():
        if body:
            pages.append(struct.pack("<Qq", page_ts, len(body)) + body + b"\0" * (PAGE - 16 - len(body)))

    for ts, c, comm, pid, flags, name, f in EVENTS:
        if c != cpu:
            continue
        ts_ns = ts * 1000
        data = event_data(name, flags, pid, f)
        assert len(data) % 4 == 0 and len(data) <= 112
        rec = b""
        if page_ts is None:
            page_ts, delta = ts_ns, 0
        else:
            delta = ts_ns - last_ts
        if delta >= 1 << 27:
            # time extend: type_len 30, low 27 bits in time_delta, the rest in array[0]
            rec += struct.pack("<II", 30 | (delta & ((1 << 27) - 1)) << 5, delta >> 27)
            delta = 0
        rec += struct.pack("<I", len(data) // 4 | delta << 5) + data
        if 16 + len(body) + len(rec) > PAGE:
            flush()
            body, page_ts = b"", ts_ns
            rec = struct.pack("<I", len(data) // 4) + data
        body += rec
        last_ts = ts_ns
    flush()
    return b"".join(pages)


def write_tracedat(path):
    h = io.BytesIO()
    h.write(b"\x17\x08\x44tracing6\0")
    h.write(struct.pack("<BBI", 0, 8, PAGE))
    h.write(b"header_page\0" + struct.pack("<Q", len(HEADER_PAGE)) + HEADER_PAGE.encode())
    h.write(b"header_event\0" + struct.pack("<Q", len(HEADER_EVENT)) + HEADER_EVENT.encode())
    h.write(struct.pack("<I", 0))                      # no ftrace (function tracer) formats
    h.write(struct.pack("<I", len(SYSTEMS)))
    for system, names in SYSTEMS:
        h.write(system.encode() + b"\0" + struct.pack("<I", len(names)))
        for n in names:
            fmt = event_format(n).encode()
            h.write(struct.pack("<Q", len(fmt)) + fmt)
    h.write(struct.pack("<I", 0))                      # kallsyms
    h.write(struct.pack("<I", 0))                      # printk formats
    pids = sorted({(e[3], e[2]) for e in EVENTS if e[3]})
    cmdlines = "".join("%d %s\n" % p for p in pids).encode()
    h.write(struct.pack("<Q", len(cmdlines)) + cmdlines)
    h.write(struct.pack("<I", NR_CPUS))
    h.write(b"options  \0" + struct.pack("<H", 0))
    h.write(b"flyrecord\0")
    data = [cpu_pages(c) for c in range(NR_CPUS)]
    table_at = h.tell()
    offset = (table_at + 16 * NR_CPUS + PAGE - 1) // PAGE * PAGE
    for d in data:
        h.write(struct.pack("<QQ", offset if d else 0, len(d)))
        offset += len(d)
    h.write(b"\0" * ((-h.tell()) % PAGE))
    for d in data:
        h.write(d)
    write(path, h.getvalue())


def write(path, data):
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(path, mode) as f:
        f.write(data)


def gzip_bytes(data):
    return gzip.compress(data, compresslevel=9, mtime=0)


def write_two_domains_ptb(path):
    recs = []

    def rec(op, domain, slot, size_bytes, unmapped_bytes=0):
        ts_ns = (len(recs) + 1) * 1000
        paddr = 0x80000000 + (domain << 24) + (slot << 12) if op == 1 else 0
        # ts_ns iova paddr size_bytes unmapped_bytes domain gfp pid cpu op ctx
        recs.append(struct.pack("<QQQQQIIIHBB", ts_ns, slot << 20, paddr, size_bytes,
                                unmapped_bytes, domain, 0, 0, 0, op, 0))
    for slot in range(8):
        rec(1, 1, slot, 4096)
    for slot in range(3):
        rec(1, 2, slot, 4096)
    for slot in (0, 2, 5):
        rec(2, 1, slot, 1 << 20, 4096)
    for slot in range(3, 9):
        rec(1, 2, slot, 4096)
    # magic version header_bytes record_bytes flags nr_records gfp_kver reserved source
    header = b"PTBTRACE" + struct.pack("<IIIIQII", 1, 64, 56, 0x01 | 0x04, len(recs), 0, 0) + \
        b"gen-testdata".ljust(24, b"\0")
    write(path, header + b"".join(recs))


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__.strip().splitlines()[-1])
    out = sys.argv[1]
    ptbench = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == "--ptbench" else None
    p = lambda name: os.path.join(out, name)
    write_ftrace_419(p("small.ftrace"))
    write_ftrace_61_pipe(p("small-5.17.ftrace"))
    write_tracecmd(p("small.trace-cmd.txt"), False)
    write_tracecmd(p("small.trace-cmd-l.txt"), True)
    write_perf(p("small.perf.txt"))
    write_tracedat(p("small.trace.dat"))
    write(p("small.trace.dat.gz"), gzip_bytes(open(p("small.trace.dat"), "rb").read()))
    text = open(p("small.ftrace"), "rb").read()
    write(p("small.ftrace.gz"), gzip_bytes(text))
    lines = text.split(b"\n")
    # BAD: a last line cut in the middle (no newline): line 40 of 51
    write(p("bad-truncated-line.ftrace"), b"\n".join(lines[:40]) + b"\n" + lines[40][:70])
    # BAD: "iova=0x00000000ffff80g0" on line 13 (the second map)
    assert b"iova=0x00000000ffff8000" in lines[12]
    write(p("bad-hex.ftrace"), b"\n".join(lines[:12] + [lines[12].replace(b"ffff8000", b"ffff80g0")]
                                          + lines[13:]))
    # BAD: the gzip stream of small.ftrace without its last 200 bytes
    gz = gzip_bytes(text)
    write(p("bad-cut.ftrace.gz"), gz[:len(gz) - 200])
    write_two_domains_ptb(p("two-domains.ptb"))
    # .ptb through ptbench convert; BAD: the last record cut after 20 of its 56 bytes
    if ptbench:
        subprocess.run([ptbench, "convert", p("small.ftrace"), "-o", p("small.ptb")], check=True)
        subprocess.run([ptbench, "convert", p("small.trace.dat"), "-o", p("small.ptb.gz")], check=True)
        ptb = open(p("small.ptb"), "rb").read()
        write(p("bad-truncated.ptb"), ptb[:len(ptb) - 36])


if __name__ == "__main__":
    main()
