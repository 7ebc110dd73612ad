#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""report_metrics.py - the report's metric definitions (scripts/bench/metrics.py) and
report.py's tables on a hand-made runs.csv whose answers are known.  Prints one
"ok NAME" or "FAIL NAME: why" per check; tests/cli/test_report.sh counts them.

usage: report_metrics.py DIR   (a scratch folder)
"""
import csv
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts", "bench"))
import metrics  # noqa: E402
import ranking  # noqa: E402

COLUMNS = None
failed = 0


def check(name, cond, why=""):
    global failed
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else ": " + why))
    failed += not cond


def row(**kw):
    r = {"run": "w.none.k6.1.s1", "workload": "w", "trace_sha256": "0" * 64, "events": 100,
         "kernel": "6.1", "pressure": "none", "seed": 1, "slub_debug": 0, "slab_merge": 0,
         "kmalloc_dma32_fix": 0, "backend": "slab-dma32", "allocs": 10, "frees": 5, "peak_live": 4, "final_live": 2,
         "peak_footprint_bytes": 16384, "final_footprint_bytes": 16384,
         "peak_live_bytes": 4096, "mean_waste_bytes": 0, "metadata_bytes": 0,
         "lower_bound_bytes": 4096, "fixed_cost_bytes": 0, "footprint_per_live_at_peak": 9.0, "reused_allocs": 3,
         "reuse_ratio": 0.3, "stranded_bytes_peak": 0, "stranded_bytes_final": 0,
         "atomic_attempts": 10, "atomic_failures": 0, "atomic_failure_rate": 0.0,
         "map_failures": 0, "fallbacks": 0, "above_4g": 0, "misaligned": 0, "overlap": 0,
         "translation_faults": 0, "split_refill_faults": 0, "rejected_above_4g": 0,
         "unexpected_gfp_warnings": 0, "conflicts": 0}
    r.update(kw)
    return r


def main():
    d = sys.argv[1]
    # footprint / live: the peak footprint over the peak live, not the value at the
    # instant live peaked (footprint_per_live_at_peak says 9.0 here)
    r = row()
    check("fp/live is peak footprint over peak live", metrics.fp_per_live(r) == 4.0,
          str(metrics.fp_per_live(r)))
    # 0 bytes counted: no ratio, never one below 1
    check("fp/live without live bytes is None",
          metrics.fp_per_live(row(peak_live_bytes=0, peak_live=0)) is None)
    # a table above 4 GiB, rejected or misaligned: broken, no ratio
    for k in ("above_4g", "rejected_above_4g", "misaligned"):
        b = row(**{k: 10})
        check("broken when %s" % k, metrics.broken(b) and metrics.fp_per_live(b) is None)
    check("not broken when clean", not metrics.broken(row()))
    # the most live tables any run needed includes the bound runs
    rows = [row(peak_live=4), row(run="bound.frag-worst.none.k6.1.s1", peak_live=4096)]
    check("max live tables includes bound runs", metrics.max_live_tables(rows) == 4096)
    # one statistic: failures summed, not a mean of rates
    rows = [row(atomic_attempts=100, atomic_failures=50), row(atomic_attempts=900,
                                                              atomic_failures=0)]
    check("failure rate pooled", metrics.pooled_rate(rows) == (50, 1000))
    # misaligned counted once per run, not per backend x run
    bs = metrics.broken_summary([row(misaligned=10, above_4g=10, rejected_above_4g=10,
                                     map_failures=10)])
    check("unusable tables counted once", bs[2] == 10, str(bs))

    # the iommupt ranking: usable first, then fewer atomic failures, then footprint
    plain = [row(workload="w", backend="a", peak_footprint_bytes=8192),
             row(workload="w", backend="b", peak_footprint_bytes=4096),
             row(workload="w", backend="c", peak_footprint_bytes=2048),
             row(workload="w", backend="d", peak_footprint_bytes=1024, above_4g=1),
             row(workload="real-x", backend="a", peak_footprint_bytes=4096),
             row(workload="real-x", backend="b", peak_footprint_bytes=4096),
             row(workload="real-x", backend="c", peak_footprint_bytes=4096),
             row(workload="real-x", backend="d", peak_footprint_bytes=4096),
             row(workload="churn", backend="a", peak_footprint_bytes=1)]	# a stress test
    press = [row(pressure="edge", backend="a", atomic_attempts=100, atomic_failures=0),
             row(pressure="edge", backend="b", atomic_attempts=100, atomic_failures=0),
             row(pressure="edge", backend="c", atomic_attempts=100, atomic_failures=1),
             row(pressure="edge", backend="d", atomic_attempts=100, atomic_failures=0)]
    rk = ranking.rank(plain, press, ["a", "b", "c", "d"])
    check("ranking: usable, then atomic failures, then footprint",
          [e["backend"] for e in rk] == ["b", "a", "c", "d"], str([e["backend"] for e in rk]))
    e = {x["backend"]: x for x in rk}
    check("ranking: footprint over the smallest usable backend's (a broken one is never it)",
          e["c"]["footprint_synthetic"] == 1.0 and e["a"]["footprint_synthetic"] == 4.0,
          str((e["c"]["footprint_synthetic"], e["a"]["footprint_synthetic"])))
    check("ranking: recorded traces apart, stress tests left out",
          e["a"]["footprint_recorded"] == 1.0 and abs(e["a"]["footprint_all"] - 2.0) < 1e-9,
          str((e["a"]["footprint_recorded"], e["a"]["footprint_all"])))
    check("ranking: failures pooled with their denominator",
          (e["c"]["atomic_failures"], e["c"]["atomic_attempts"]) == (1, 100))
    check("ranking: no footprint ratio where a backend broke, its broken runs counted",
          e["d"]["footprint_synthetic"] is None and e["d"]["footprint_recorded"] == 1.0
          and e["d"]["broken_runs"] == 1)

    # report.py end to end on a hand-made runs.csv
    os.makedirs(d, exist_ok=True)
    rs = []
    for s in (1, 2):
        for k in ("4.19", "6.1"):
            name = "w.none.k%s.s%d" % (k, s)
            rs.append(row(run=name, kernel=k, seed=s, backend="slab-dma32"))
            rs.append(row(run=name, kernel=k, seed=s, backend="page-frag",
                          peak_footprint_bytes=32768, reused_allocs=2))
            rs.append(row(run=name, kernel=k, seed=s, backend="kzalloc-dma32", peak_live=0,
                          peak_live_bytes=0, footprint_per_live_at_peak=0.0,
                          above_4g=10, rejected_above_4g=10, map_failures=57434))
            rs.append(row(run=name, kernel=k, seed=s, backend="genalloc-4m",
                          peak_footprint_bytes=4 << 20, final_footprint_bytes=4 << 20))
            rs.append(row(run=name, kernel=k, seed=s, backend="slab-dma", **(
                dict(above_4g=10, rejected_above_4g=10, map_failures=10) if k == "4.19" else {})))
            # the DMA32 kmalloc array: usable tables, a fixed cost, never in the plain matrix
            rs.append(row(run=name + ".kmalloc_fix", kernel=k, seed=s, backend="kzalloc-dma32",
                          kmalloc_dma32_fix=1, fixed_cost_bytes=2688))
    rs.append(row(run="bound.frag-worst.none.k6.1.s1", workload="frag-worst",
                  backend="page-frag", peak_live=4096, peak_live_bytes=4 << 20,
                  peak_footprint_bytes=128 << 20))
    with open(os.path.join(d, "runs.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rs[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rs)
    subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "bench", "report.py"),
                    "--results", d, "--report", os.path.join(d, "REPORT.md")], check=True)
    with open(os.path.join(d, "tables.csv")) as f:
        t = list(csv.DictReader(f))
    kz = [x for x in t if x["backend"] == "kzalloc-dma32"]
    check("broken backend shown broken in tables.csv",
          kz and all(x["status"] == "broken" and "BROKEN" in x["peak footprint"]
                     and "114,868 maps failed" in x["peak footprint"] for x in kz),
          str(kz[:1]))
    check("broken backend has no footprint / live, no failure rate",
          all(x["footprint / live"] == "-" and x["atomic failures"] == "-" for x in kz))
    fl = [float(x["footprint / live"].split()[0]) for x in t if x["status"] == "ok"
          and x["footprint / live"] != "-"]
    check("no footprint / live below 1", fl and min(fl) >= 1.0, str(fl))
    sl = [x for x in t if x["backend"] == "slab-dma32"]
    check("tables.csv fp/live = peak/peak", all(x["footprint / live"] == "4.00" for x in sl),
          str([x["footprint / live"] for x in sl]))
    with open(os.path.join(d, "REPORT.md")) as f:
        rep = f.read().splitlines()
    check("the verdict table in the first 40 lines",
          any(line.startswith("| claim | verdict |") for line in rep[:40]))
    check("regression in the verdict table",
          any("4.19 regression" in line and "**holds**" in line for line in rep[:40]))
    k61 = rep.index("Kernel 6.1:") if "Kernel 6.1:" in rep else len(rep)
    order = [line.split(" | ")[1] for line in rep[k61 + 4:k61 + 9]]
    check("the iommupt section, kernel 6.1: by footprint without pressure, broken last",
          order == ["slab-dma", "slab-dma32", "page-frag", "genalloc-4m", "kzalloc-dma32"]
          and "BROKEN (2 of 2 runs)" in rep[k61 + 8], str(order))
    check("the iommupt answer in the verdict table",
          any(line.startswith("| what iommupt's ARMv7s format should use") for line in rep[:40]))
    check("claim 4 shows the DMA32 kmalloc array apart, with its fixed cost",
          any(line.startswith("| 6.1 | yes | off | 2 |") and "2,688 B" in line for line in rep),
          str([line for line in rep if "| yes |" in line][:2]))
    check("claim 2 counts the bound run's live tables",
          any("4,096 of 4,096" in line for line in rep), "")
    with open(os.path.join(d, "verdicts.csv")) as f:
        v = list(csv.DictReader(f))
    with open(os.path.join(d, "summary.txt")) as f:
        summ = f.read().splitlines()
    check("summary.txt at most 72 columns", all(len(x) <= 72 for x in summ),
          str([x for x in summ if len(x) > 72][:2]))
    check("summary.txt ASCII", all(x.isascii() for x in summ))
    check("summary.txt holds every verdict row",
          sum(1 for x in summ if x.startswith("  verdict: ")) == len(v) and len(v) >= 3,
          "%d verdicts" % len(v))
    check("summary.txt shows the regression's failed maps",
          any("4.19 regression" in x for x in summ) and any("maps failed" in x for x in summ))
    print("%s" % ("all passed" if not failed else "%d failed" % failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
