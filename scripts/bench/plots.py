#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""plots.py - the data the gnuplot scripts draw, then the SVG and PNG plots.

Reads what bench.py wrote (results/runs.csv, results/runs/*.csv and *.json,
results/hyperfine.json), writes small CSVs under results/plotdata/ (long time
series downsampled to at most BUCKETS min/mean/max points per backend), and runs
every scripts/plot/*.gp twice: results/NAME.svg and results/NAME.png.
C measures, this script only reshapes; gnuplot draws.

usage: plots.py [--results DIR] [--sweep-workload NAME]
"""
import argparse
import csv
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import metrics  # noqa: E402
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RESULTS = os.path.join(ROOT, "results")	# --results
RUNS = os.path.join(RESULTS, "runs")
SWEEP_WORKLOAD = "browse"	# --sweep-workload
DATA = os.path.join(RESULTS, "plotdata")
BUCKETS = 400
BACKENDS = None  # registry order, from runs.csv


def read_runs():
    with open(os.path.join(RESULTS, "runs.csv")) as f:
        return list(csv.DictReader(f))


def write_csv(name, rows, header=None):
    path = os.path.join(DATA, name)
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        if header:
            w.writerow(header)
        w.writerows(rows)
    return path


def gnuplot(script, data_path, out_name, **extra):
    for term in ("svg", "png"):
        out = os.path.join(RESULTS, "%s.%s" % (out_name, term))
        sets = ["term='%s'" % term, "out='%s'" % out, "data='%s'" % data_path]
        sets += ["%s='%s'" % (k, v) for k, v in extra.items()]
        subprocess.run(["gnuplot", "-e", "; ".join(sets),
                        os.path.join(ROOT, "scripts", "plot", script + ".gp")],
                       check=True, cwd=ROOT)


def series(run_name):
    """The run's time series: {backend: [(t_ns, row), ...]} in file order."""
    out = defaultdict(list)
    with open(os.path.join(RUNS, run_name + ".csv")) as f:
        for row in csv.DictReader(f):
            out[row["backend"]].append((int(row["t_ns"]), row))
    return out


def downsample(points, t0, t1, key):
    """Split [t0, t1] into BUCKETS; per non-empty bucket (t_mid, min, mean, max) of key."""
    span = max(1, t1 - t0)
    buckets = defaultdict(list)
    for t, row in points:
        b = min(BUCKETS - 1, (t - t0) * BUCKETS // span)
        buckets[b].append(int(row[key]))
    return [((t0 + (b + 0.5) * span / BUCKETS), min(v), sum(v) / len(v), max(v))
            for b, v in sorted(buckets.items())]


def plot_footprint(run_name, title, out_name):
    """Footprint over time per backend of one run; a backend whose tables the IOMMU could
    not use in that run (runs.csv says so) is not drawn as a cost but named in the title."""
    s = series(run_name)
    bad = [r["backend"] for r in read_runs() if r["run"] == run_name and metrics.broken(
        {k: float(r[k]) for k in ("above_4g", "rejected_above_4g", "misaligned")})]
    allpts = [t for pts in s.values() for t, _ in pts]
    t0, t1 = min(allpts), max(allpts)
    rows, bound = [], []
    shown = [b for b in BACKENDS if b in s and b not in bad]
    for i, b in enumerate(shown):
        for t, lo, mean, hi in downsample(s[b], t0, t1, "footprint_bytes"):
            rows.append([i, b, "%.6f" % ((t - t0) / 1e9), lo / 1024, "%.1f" % (mean / 1024), hi / 1024])
    first = next(iter(s.values()))
    for t, lo, mean, hi in downsample(first, t0, t1, "lower_bound_bytes"):
        bound.append(["%.6f" % ((t - t0) / 1e9), hi / 1024])
    data = write_csv(out_name + ".csv", rows)
    bpath = write_csv(out_name + "-bound.csv", bound)
    gnuplot("footprint", data, out_name, title=title, bound=bpath,
            note="BROKEN, not drawn: " + ", ".join(bad) if bad else "")


def mean(values):
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def plot_waste(runs):
    """Peak footprint over peak live (metrics.fp_per_live) per workload and backend, mean
    over seeds; a backend with a broken run (tables the IOMMU cannot use) is left out and
    named in the title, never drawn as a cost."""
    by = defaultdict(list)
    workloads, bad = [], []
    for r in runs:
        if r["run"].startswith(("sweep.", "bound.")) or r["kernel"] != "6.1" or r["pressure"] != "none" \
                or r["slub_debug"] != "0" or r["slab_merge"] != "0" \
                or r.get("kmalloc_dma32_fix", "0") != "0":
            continue
        if r["workload"] not in workloads:
            workloads.append(r["workload"])
        n = {k: float(r[k]) for k in ("above_4g", "rejected_above_4g", "misaligned",
                                      "peak_live_bytes", "peak_footprint_bytes")}
        if metrics.broken(n):
            if r["backend"] not in bad:
                bad.append(r["backend"])
            continue
        v = metrics.fp_per_live(n)
        if v is not None:
            by[(r["workload"], r["backend"])].append(v)
    shown = [b for b in BACKENDS if b not in bad]
    rows = [[w] + ["%.3f" % mean(by[(w, b)]) if by[(w, b)] else "" for b in shown]
            for w in workloads]
    gnuplot("waste", write_csv("waste.csv", rows, ["workload"] + shown), "waste",
            note="BROKEN, not drawn: " + ", ".join(bad) if bad else "")


def plot_stranded(runs, workloads):
    """page_frag's stranded KiB over each workload's trace (log scale: from a few KiB to
    frag-worst's tens of MiB); a workload that never strands a byte has nothing to draw on
    a log scale and is named in the title instead."""
    rows, zero, i = [], [], 0
    for w in workloads:
        name = "%s.none.k6.1.s1" % w
        if not os.path.exists(os.path.join(RUNS, name + ".csv")):
            continue
        pts = series(name).get("page-frag")
        if not pts:
            continue
        if all(int(r["stranded_bytes"]) == 0 for _, r in pts):
            zero.append(w)
            continue
        t0, t1 = pts[0][0], pts[-1][0]
        for t, lo, m, hi in downsample(pts, t0, t1, "stranded_bytes"):
            rows.append([i, w, "%.3f" % (100.0 * (t - t0) / max(1, t1 - t0)), hi / 1024])
        i += 1
    if not rows:
        return	# nothing stranded anywhere: no plot (REPORT.md links only plots that exist)
    gnuplot("stranded", write_csv("stranded.csv", rows), "stranded",
            note="nothing stranded: " + ", ".join(zero) if zero else "")


def plot_atomic(runs, kernel, memory="mt8173-4g"):
    by = defaultdict(list)
    runs = [r for r in runs if r.get("memory", "mt8173-4g") == memory]
    if not any(r["run"].startswith("sweep.") and r["kernel"] == kernel for r in runs):
        return
    for r in runs:
        if not r["run"].startswith("sweep.") or r["kernel"] != kernel:
            continue
        free = int(r["pressure"].split("free=atomic")[1].split(",")[0])
        by[(r["backend"], free)].append(100.0 * float(r["atomic_failure_rate"]))
    # a backend whose tables the IOMMU could not use has no failure rate worth drawing
    bad = sorted({r["backend"] for r in runs if r["run"].startswith("sweep.")
                  and r["kernel"] == kernel and metrics.broken(
                      {k: float(r[k]) for k in ("above_4g", "rejected_above_4g", "misaligned")})},
                 key=BACKENDS.index)
    rows = []
    for i, b in enumerate(b for b in BACKENDS if b not in bad):
        for free in sorted({f for (bb, f) in by if bb == b}):
            rows.append([i, b, free, "%.4f" % mean(by[(b, free)])])
    out = "atomic-%s%s" % (kernel, "" if memory == "mt8173-4g" else "-" + memory)
    gnuplot("atomic", write_csv(out + ".csv", rows), out,
            title="%s, kernel %s, workload %s, seed 1" % (memory, kernel, SWEEP_WORKLOAD),
            note="BROKEN, not drawn: " + ", ".join(bad) if bad else "")


def plot_slots(run_name, title):
    if not os.path.exists(os.path.join(RUNS, run_name + ".json")):
        return
    with open(os.path.join(RUNS, run_name + ".json")) as f:
        d = json.load(f)
    rows = [[r["backend"]] + r["memory"]["pages_by_free_slots_at_peak"] for r in d["runs"]]
    gnuplot("slots", write_csv("slots.csv", rows, ["backend"] + ["%d free" % k for k in range(5)]),
            "slots", title=title)


def plot_speed():
    if not os.path.exists(os.path.join(RESULTS, "hyperfine.json")):
        return
    with open(os.path.join(RESULTS, "hyperfine.json")) as f:
        d = json.load(f)
    events = {}
    by = defaultdict(list)
    for res in d["results"]:
        workload, backend = res["command"].split("/")
        if workload not in events:
            with open(os.path.join(RUNS, "%s.none.k6.1.s1.json" % workload)) as f:
                events[workload] = json.load(f)["trace"]["events"]
        by[backend].append(events[workload] / res["mean"])
    rows = [[b, "%.0f" % mean(by[b]), "%.0f" % min(by[b]), "%.0f" % max(by[b])]
            for b in BACKENDS if by[b]]
    gnuplot("speed", write_csv("speed.csv", rows), "speed")


def main():
    global BACKENDS, RESULTS, RUNS, DATA, SWEEP_WORKLOAD
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--results", default=RESULTS)
    ap.add_argument("--sweep-workload", default=SWEEP_WORKLOAD)
    args = ap.parse_args()
    RESULTS = os.path.abspath(args.results)
    RUNS = os.path.join(RESULTS, "runs")
    DATA = os.path.join(RESULTS, "plotdata")
    SWEEP_WORKLOAD = args.sweep_workload
    os.makedirs(DATA, exist_ok=True)
    runs = read_runs()
    BACKENDS = []
    for r in runs:
        if r["backend"] not in BACKENDS:
            BACKENDS.append(r["backend"])
    order = subprocess.run([os.environ.get("PTBENCH", os.path.join(ROOT, "build", "ptbench")), "list", "backends"],
                           check=True, capture_output=True, text=True).stdout.split()
    BACKENDS.sort(key=lambda b: order.index(b) if b in order else len(order))
    workloads = []
    for r in runs:
        if not r["run"].startswith(("sweep.", "bound.")) and r["workload"] not in workloads:
            workloads.append(r["workload"])
    for w in ("video", "frag-worst"):
        if w not in workloads:
            continue
        # frag-worst: the run to completion (its real peak, 4096 tables) when there is one
        name = "%s.none.k6.1.s1" % w
        if w == "frag-worst" and os.path.exists(os.path.join(RUNS, "bound." + name + ".csv")):
            name = "bound." + name
        plot_footprint(name, "%s%s, kernel 6.1, no pressure, seed 1"
                       % (w, " to completion" if name.startswith("bound.") else ""),
                       "footprint-" + w)
    plot_waste(runs)
    plot_stranded(runs, workloads)
    for m in ("mt8173-4g", "mt8173-2g"):
        for k in ("4.19", "6.1"):
            plot_atomic(runs, k, m)
    plot_slots("%s.none.k6.1.s1" % SWEEP_WORKLOAD, "%s, kernel 6.1, no pressure, seed 1" % SWEEP_WORKLOAD)
    plot_speed()
    print("plots: written under %s" % os.path.relpath(RESULTS, ROOT), file=sys.stderr)


if __name__ == "__main__":
    main()
