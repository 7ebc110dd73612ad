#!/usr/bin/env python3
"""scripts/lab/ptb-compare.py - do two .ptb traces hold the same IOMMU events?

Usage: ptb-compare.py A.ptb[.gz] B.ptb[.gz]

Meant for one recording seen twice: ptrec's .ptb and `ptbench convert` of the
tracefs text of the same run.  Compares, event by event and in file order,
(cpu, op, iova, paddr, size_bytes, unmapped_bytes): what both sources see.
Timestamps are left out of the equality (ptrec reads CLOCK_MONOTONIC, tracefs
its trace clock, printed to the microsecond; the largest and the median
difference are reported), and so are the fields only ptrec knows (domain, gfp, context).  When the global order differs, each CPU's own
sequence is compared too, so the report tells a cross-CPU interleaving from a
different event: tracefs merges its per-CPU buffers by timestamp, ptrec's
ring buffer keeps reservation order, so two events of two CPUs close in time
may come out in either order (under TCG a vCPU can stall for milliseconds
between two instructions, so "close" can be ~10 ms).
Prints one summary line.  Exit status: 0 the same events in the same order;
2 the same events per CPU in the same order, interleaved differently across
CPUs; 1 different events (or a bad file).
The record layout is workloads/ptb.h (spec: workloads/README.md).
"""
import gzip
import struct
import sys

HEADER = struct.Struct("<8sIIIIQII24s")
RECORD = struct.Struct("<QQQQQIIIHBB")


def read_ptb(path):
    """The (cpu, op, iova, paddr, size, unmapped) tuples of a .ptb file."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    magic, version, header_bytes, record_bytes = HEADER.unpack_from(data)[:4]
    if magic != b"PTBTRACE" or version != 1 or record_bytes != RECORD.size:
        raise ValueError(f"{path}: not a version 1 .ptb file")
    body = data[header_bytes:]
    if len(body) % record_bytes:
        raise ValueError(f"{path}: truncated record")
    out = []
    for off in range(0, len(body), record_bytes):
        ts, iova, paddr, size, unmapped, _, _, _, cpu, op, _ = RECORD.unpack_from(body, off)
        out.append((cpu, op, iova, paddr, size, unmapped, ts))
    return out


def first_difference(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b))


def main(argv):
    if len(argv) != 3:
        print("usage: ptb-compare.py A.ptb B.ptb", file=sys.stderr)
        return 1
    try:
        ta, tb = read_ptb(argv[1]), read_ptb(argv[2])
    except (OSError, ValueError, struct.error) as e:
        print(f"ptb-compare: {e}", file=sys.stderr)
        return 1
    a, b = [e[:6] for e in ta], [e[:6] for e in tb]
    if a == b:
        # Meaningful when both used one clock (the lab's tracefs: "mono").
        deltas = sorted(abs(x[6] - y[6]) for x, y in zip(ta, tb)) or [0]
        print(f"ptb-compare: equal: {len(a)} events, same order; timestamps differ by "
              f"{deltas[-1]} ns at most, {deltas[len(deltas) // 2]} ns median")
        return 0
    i = first_difference(a, b)
    at = f"{a[i] if i < len(a) else 'end'} vs {b[i] if i < len(b) else 'end'}"
    per_cpu_equal = all([e for e in a if e[0] == c] == [e for e in b if e[0] == c]
                        for c in {e[0] for e in a + b})
    if per_cpu_equal:
        moved = sum(1 for x, y in zip(a, b) if x != y)
        print(f"ptb-compare: same events per CPU: {len(a)} events, each CPU's sequence equal; "
              f"the cross-CPU interleaving differs at {moved} positions, first at event {i}: {at}")
        return 2
    print(f"ptb-compare: DIFFERENT: {len(a)} vs {len(b)} events; first difference at event {i}: {at}")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
