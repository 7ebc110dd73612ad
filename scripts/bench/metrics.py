# SPDX-License-Identifier: GPL-2.0
"""metrics.py - the report's definitions, one function each, read by report.py and
tested by tests/cli/test_report.sh (scripts/bench/test_metrics.py).

A row is one backend x run of results/runs.csv, its numbers already int or float.
"""
import math

KIB = 1024
MIB = 1024 * 1024


def broken(r):
    """True when the IOMMU could not use what the backend gave: a table above 4 GiB (the
    v7s walker takes 32-bit physical addresses), rejected by v7s, or not 1 KiB aligned.
    Such a run is a correctness failure, never a cost: its footprint and reuse mean
    nothing."""
    return r["above_4g"] > 0 or r["rejected_above_4g"] > 0 or r["misaligned"] > 0


def fp_per_live(r):
    """Peak footprint over peak live bytes, both maxima over the whole run (they need
    not be at the same instant).  None when nothing was live or the run is broken:
    never a ratio below 1 made of 0 bytes counted."""
    if broken(r) or r["peak_live_bytes"] <= 0:
        return None
    return r["peak_footprint_bytes"] / r["peak_live_bytes"]


def rate(failed, attempted):
    """failed / attempted, None without attempts."""
    return failed / attempted if attempted else None


def pooled_rate(rows, fail="atomic_failures", att="atomic_attempts"):
    """(failed, attempted) summed over rows: one statistic, not a mean of rates."""
    return sum(r[fail] for r in rows), sum(r[att] for r in rows)


def spread(values):
    """(mean, min, max) of the values that are not None; None if there are none."""
    vs = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if not vs:
        return None
    return (sum(vs) / len(vs), min(vs), max(vs))


def frag_reused(r):
    """Allocations a backend placed on memory that held a freed table.  For page_frag this
    can only happen through a whole page coming back (recycled in place once its every
    fragment was freed, or returned to the buddy allocator and refilled): a freed fragment
    itself is never handed out while its page lives (allocators/page_frag.c)."""
    return r["reused_allocs"]


def max_live_tables(rows):
    """The most live tables any run needed: every row given, the matrix, the sweep and the
    `bound.` runs (frag-worst run to completion) alike."""
    return max((r["peak_live"] for r in rows), default=0)


def broken_summary(rows):
    """For broken rows: (runs broken, runs, tables unusable, tables allocated,
    maps failed, maps) -- maps is None when runs.csv has no maps column."""
    bad = [r for r in rows if broken(r)]
    unusable = sum(max(r["above_4g"], r["rejected_above_4g"], r["misaligned"]) for r in rows)
    maps = sum(r["maps"] for r in rows) if rows and all("maps" in r for r in rows) else None
    return (len(bad), len(rows), unusable, sum(r["allocs"] for r in rows),
            sum(r["map_failures"] for r in rows), maps)


def group(rows, key):
    out = {}
    for r in rows:
        out.setdefault(key(r), []).append(r)
    return out
