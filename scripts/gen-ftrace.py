#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""gen-ftrace.py - a large, deterministic ftrace text trace for benchmarks.

Writes EVENTS iommu map/unmap lines in the 5.17+ format the real 6.1 kernel
prints (include/trace/events/iommu.h), as /sys/kernel/tracing/trace shows
them: buffers of 4 KiB .. 4 MiB mapped at IOVAs handed out top-down below
4 GiB (as dma-iommu's IOVA allocator does, freed
IOVAs reused per size), at most LIVE buffers at once,
each unmapped whole.  Not a workload model: only load for `make bench-replay`.

usage: gen-ftrace.py EVENTS LIVE SEED > trace
"""
import random
import sys


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.strip().splitlines()[-1])
    events, live_max, seed = (int(a) for a in sys.argv[1:])
    rng = random.Random(seed)
    sizes = [4096] * 8 + [16384] * 4 + [65536] * 3 + [1 << 20] * 2 + [4 << 20]
    live = []
    free_iova = {}
    next_iova = 1 << 32
    ts_us = 1_000_000
    out = sys.stdout
    out.write("# tracer: nop\n#\n")
    for _ in range(events):
        ts_us += rng.randint(1, 200)
        cpu = rng.randrange(4)
        ts = f"{ts_us // 1000000}.{ts_us % 1000000:06d}"
        if live and (len(live) >= live_max or rng.random() < 0.5):
            iova, size = live.pop(rng.randrange(len(live)))
            free_iova.setdefault(size, []).append(iova)
            out.write(f"       kworker-{40 + cpu:<5d} [{cpu:03d}] d..1. {ts}: unmap: IOMMU: "
                      f"iova=0x{iova:016x} - 0x{iova + size:016x} size={size} "
                      f"unmapped_size={size}\n")
            continue
        size = rng.choice(sizes)
        if free_iova.get(size):
            iova = free_iova[size].pop()     # a freed IOVA of this size, LIFO
        else:
            next_iova -= size
            next_iova &= ~(size - 1)
            iova = next_iova
        paddr = 0x40000000 + rng.randrange(0, 3 << 30, 4096)
        live.append((iova, size))
        out.write(f"       kworker-{40 + cpu:<5d} [{cpu:03d}] d..1. {ts}: map: IOMMU: "
                  f"iova=0x{iova:016x} - 0x{iova + size:016x} paddr=0x{paddr:016x} "
                  f"size={size}\n")


if __name__ == "__main__":
    main()
