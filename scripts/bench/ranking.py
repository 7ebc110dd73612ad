# SPDX-License-Identifier: GPL-2.0
"""ranking.py - every backend ranked for one question: what should a page-table format with
1 KiB tables below 4 GiB (iommupt's ARMv7s, drivers/iommu/generic_pt/) allocate them with?
Read by report.py; tested by tests/cli/report_metrics.py.

The order is the order a maintainer weighs them in: a backend whose tables the IOMMU cannot
use is out (metrics.broken); then fewer failed GFP_ATOMIC table allocations under pressure
(a failed L2 allocation fails the map: arm_v7s_map returns -ENOMEM); then a smaller peak
footprint.  Rows are runs.csv rows as report.py loads them.
"""
import math

from metrics import broken, group, pooled_rate

STRESS = {"churn", "frag-worst"}	# allocator stress tests, not device models


def geomean(xs):
    xs = [x for x in xs if x and x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def footprint_ratios(plain, backends):
    """{backend: {workload: mean peak footprint / the smallest of any usable backend}} on the
    runs without pressure, device workloads only.  A workload where a backend broke has no
    ratio for it, and a broken backend is never the smallest."""
    by = group(plain, lambda r: (r["workload"], r["backend"]))
    out = {b: {} for b in backends}
    for wl in sorted({r["workload"] for r in plain if r["workload"] not in STRESS}):
        means = {}
        for b in backends:
            rs = by.get((wl, b))
            if rs and not any(broken(r) for r in rs):
                means[b] = sum(r["peak_footprint_bytes"] for r in rs) / len(rs)
        best = min(means.values(), default=0)
        for b, m in means.items():
            if best > 0:
                out[b][wl] = m / best
    return out


def rank(plain, pressured, backends):
    """One dict per backend, best first.  @plain: the runs without pressure; @pressured: the
    runs under pressure (every machine); both of one kernel."""
    ratios = footprint_ratios(plain, backends)
    entries = []
    for b in backends:
        mine = [r for r in plain if r["backend"] == b]
        press = [r for r in pressured if r["backend"] == b]
        if not mine:
            continue
        dev = [r for r in mine if r["workload"] not in STRESS]
        bad = [r for r in mine + press if broken(r)]
        failed, attempted = pooled_rate(press)
        synth = [v for wl, v in ratios[b].items() if not wl.startswith("real-")]
        real = [v for wl, v in ratios[b].items() if wl.startswith("real-")]
        entries.append({
            "backend": b,
            "broken_runs": len(bad), "runs": len(mine) + len(press),
            "atomic_failures": failed, "atomic_attempts": attempted,
            "map_failures": sum(r["map_failures"] for r in press),
            "maps": sum(r.get("maps", 0) for r in press),	# runs.csv had no maps once
            "footprint_synthetic": geomean(synth), "footprint_recorded": geomean(real),
            "footprint_all": geomean(synth + real),
            "reused_allocs": sum(r["reused_allocs"] for r in dev),
            "allocs": sum(r["allocs"] for r in dev),
            "fixed_cost_bytes": max((r["fixed_cost_bytes"] for r in mine), default=0),
        })

    def key(e):
        r = e["atomic_failures"] / e["atomic_attempts"] if e["atomic_attempts"] else 0.0
        fp = e["footprint_all"] if e["footprint_all"] is not None else math.inf
        return (e["broken_runs"] > 0, r, fp, e["backend"])
    return sorted(entries, key=key)
