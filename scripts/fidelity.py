#!/usr/bin/env python3
"""scripts/fidelity.py - the model against the real 6.1 kernel, metric by metric.

Usage: scripts/fidelity.py [--out DIR] [--ptbench BIN] [TRACE...]

For every trace (default: workloads/traces/*, tests/data/small.ptb and a synthetic
5.17-format trace from scripts/gen-ftrace.py) it runs
  ptbench replay --kernel 6.1 --memory x86-3g1g --cpus 2   (the model)
  ptbench oracle                                           (ptb_oracle.ko in the guest)
on the five backends the kernel run has, each with --csv, --json and --l2-log, and
compares:
  - the L2 op sequence (every alloc/fail/free, its slot and CPU), per backend, and the
    sequence of the kernel's OWN io-pgtable-arm-v7s.c (ptb_v7s_ref.ko, oracle --ref-l2-log);
  - the pages held at every sample (slab-dma32, page-frag, genalloc-4m: target equal);
  - the run's counters (allocs, frees, peaks, reuse, above 4 GiB, map failures, ...).
Writes DIR/fidelity.csv (trace,backend,metric,model,kernel,equal), DIR/fidelity.md (the
table and each target's verdict), DIR/fidelity/*.svg (footprint over time, model
dashed, kernel solid; scripts/plot/fidelity.gp).  Exit status 1 when a target fails.
Without pressure only: the model's --pressure scenarios have no guest counterpart yet.
"""
import argparse
import csv
import glob
import json
import os
import subprocess
import sys
import tempfile

BACKENDS = ["slab-dma32", "genalloc-4m", "page-frag", "kzalloc-dma32", "page-per-table"]
EXACT_FOOTPRINT = ["slab-dma32", "page-frag", "genalloc-4m"]
METRICS = [
    ("tables.allocs", lambda r: r["tables"]["allocs"]),
    ("tables.frees", lambda r: r["tables"]["frees"]),
    ("tables.peak_live", lambda r: r["tables"]["peak_live"]),
    ("tables.alloc_failures", lambda r: r["tables"]["alloc_failures"]),
    ("memory.peak_footprint_bytes", lambda r: r["memory"]["peak_footprint_bytes"]),
    ("memory.final_footprint_bytes", lambda r: r["memory"]["final_footprint_bytes"]),
    ("memory.mean_waste_bytes", lambda r: r["memory"]["mean_waste_bytes"]),
    ("reuse.reused_allocs", lambda r: r["reuse"]["reused_allocs"]),
    ("atomic.attempts", lambda r: r["atomic"]["attempts"]),
    ("atomic.failures", lambda r: r["atomic"]["failures"]),
    ("map_failures", lambda r: r["map_failures"]),
    ("violations.above_4g", lambda r: r["violations"]["above_4g"]),
    ("violations.misaligned", lambda r: r["violations"]["misaligned"]),
    ("iommu.conflicts", lambda r: r["iommu"]["conflicts"]),
    ("iommu.unmap_mismatches", lambda r: r["iommu"]["unmap_mismatches"]),
    ("iommu.unexpected_gfp_warnings", lambda r: r["iommu"]["unexpected_gfp_warnings"]),
    ("fallbacks", lambda r: r["fallbacks"]),
]


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode:
        sys.exit(f"fidelity: {' '.join(cmd)}: exit {p.returncode}: {p.stderr.strip()}")


def series(path, backend):
    """(t_ns, footprint_bytes) of one backend's CSV rows, by column name."""
    with open(path) as f:
        return [(int(r["t_ns"]), int(r["footprint_bytes"]))
                for r in csv.DictReader(f) if r["backend"] == backend]


def l2_lines(path, backend):
    with open(path) as f:
        return [line.split(" ", 1)[1] for line in f if line.startswith(backend + " ")]


def first_diff(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"op {i}: model '{x.strip()}' kernel '{y.strip()}'"
    return f"lengths {len(a)} vs {len(b)}" if len(a) != len(b) else ""


def compare(ptbench, trace, work, out_dir, rows, verdicts):
    name = os.path.basename(trace)
    m = {k: os.path.join(work, f"{name}.model.{k}") for k in ("json", "csv", "l2")}
    k = {x: os.path.join(work, f"{name}.kernel.{x}") for x in ("json", "csv", "l2")}
    bl = ",".join(BACKENDS)
    run([ptbench, "replay", "--kernel", "6.1", "--memory", "x86-3g1g", "--cpus", "2", "--backend", bl,
         "--json", m["json"], "--csv", m["csv"], "--l2-log", m["l2"], trace])
    ref = os.path.join(work, f"{name}.ref.l2")
    run([ptbench, "oracle", "--backend", bl, "--json", k["json"], "--csv", k["csv"],
         "--l2-log", k["l2"], "--ref-l2-log", ref, trace])
    # the kernel's own io-pgtable-arm-v7s.c through the real iommu core (ptb_v7s_ref.ko)
    ml, rl = l2_lines(m["l2"], "slab-dma32"), l2_lines(ref, "v7s-ref")
    rows.append([name, "v7s-ref", "l2_ops", len(ml), len(rl), int(ml == rl)])
    verdicts.append((name, "kernel's own v7s", "same L2 op sequence as the model", ml == rl,
                     first_diff(ml, rl)))
    mj, kj = json.load(open(m["json"])), json.load(open(k["json"]))
    plot_rows = []
    for i, b in enumerate(BACKENDS):
        mr = next(r for r in mj["runs"] if r["backend"] == b)
        kr = next(r for r in kj["runs"] if r["backend"] == b)
        ml, kl = l2_lines(m["l2"], b), l2_lines(k["l2"], b)
        same_l2 = ml == kl
        rows.append([name, b, "l2_ops", len(ml), len(kl), int(same_l2)])
        verdicts.append((name, b, "same L2 op sequence", same_l2, first_diff(ml, kl)))
        ms, ks = series(m["csv"], b), series(k["csv"], b)
        same_fp = ms == ks
        n_eq = sum(1 for x, y in zip(ms, ks) if x == y)
        rows.append([name, b, "samples_footprint_equal", len(ms), n_eq, int(same_fp)])
        if b in EXACT_FOOTPRINT:
            diff = "" if same_fp else next(
                (f"t={x[0]} ns: model {x[1]} B, kernel {y[1]} B" for x, y in zip(ms, ks) if x != y),
                f"{len(ms)} vs {len(ks)} samples")
            verdicts.append((name, b, "pages held equal at every sample", same_fp, diff))
        for metric, get in METRICS:
            mv, kv = get(mr), get(kr)
            rows.append([name, b, metric, mv, kv, int(mv == kv) if kv is not None else ""])
        if b == "kzalloc-dma32":
            a, c = mr["violations"]["above_4g"], kr["violations"]["above_4g"]
            verdicts.append((name, b, "tables above 4 GiB equal", a == c, f"model {a}, kernel {c}"))
        t0 = ms[0][0] if ms else 0
        kd = dict(ks)
        for t, fp in ms:
            if t in kd:
                plot_rows.append(f"{i},{b},{(t - t0) / 1e9:.3f},{fp / 1024:.0f},{kd[t] / 1024:.0f}")
    os.makedirs(os.path.join(out_dir, "fidelity"), exist_ok=True)
    data = os.path.join(work, f"{name}.plot.csv")
    with open(data, "w") as f:
        f.write("\n".join(plot_rows) + "\n")
    for term in ("svg", "png"):
        out = os.path.join(out_dir, "fidelity", f"{name}.{term}")
        run(["gnuplot", "-e", f"term='{term}'; out='{out}'; data='{data}'; title='{name}'",
             "scripts/plot/fidelity.gp"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="results")
    ap.add_argument("--ptbench", default="build/ptbench")
    ap.add_argument("traces", nargs="*")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as work:
        traces = a.traces
        if not traces:
            synth = os.path.join(work, "synth-5000.ftrace")
            with open(synth, "w") as f:
                subprocess.run(["python3", "scripts/gen-ftrace.py", "5000", "2000", "7"], stdout=f,
                               check=True)
            traces = sorted(glob.glob("workloads/traces/*.gz")) + ["tests/data/small.ptb", synth]
        rows, verdicts = [], []
        for t in traces:
            print(f"fidelity: {t}", file=sys.stderr)
            compare(a.ptbench, t, work, a.out, rows, verdicts)
    with open(os.path.join(a.out, "fidelity.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["trace", "backend", "metric", "model", "kernel", "equal"])
        w.writerows(rows)
    failed = [v for v in verdicts if not v[3]]
    with open(os.path.join(a.out, "fidelity.md"), "w") as f:
        f.write("# Model vs real kernel\n\n")
        f.write("`scripts/fidelity.py` (`make fidelity`): each trace through the model "
                "(`ptbench replay --kernel 6.1 --memory x86-3g1g --cpus 2`) and through the real "
                "Debian 6.1 kernel (`ptbench oracle`: ptb_oracle.ko in a qemu pc-3g1g guest, 2 CPUs, "
                "slab_nomerge), no pressure.\n\n")
        f.write(f"Targets met: {len(verdicts) - len(failed)} of {len(verdicts)}.\n\n")
        f.write("| trace | backend | target | met | detail |\n|---|---|---|---|---|\n")
        for v in verdicts:
            f.write(f"| {v[0]} | {v[1]} | {v[2]} | {'yes' if v[3] else '**no**'} | {v[4]} |\n")
        f.write("""
## Where they differ, and why

- **kzalloc-dma32 footprint** (model 32 KiB, kernel 0 on these traces): the kernel's
  `kmalloc-1k` is shared with the whole kernel, so the oracle counts only the slab pages
  that hold a live table; every table here landed above 4 GiB and was freed at once by
  `__arm_v7s_alloc_table`, so none is held.  The model gives the backend a `kmalloc-1k` of
  its own and counts its slab.  Not a target (the target is the above-4 GiB count, equal).
- **kzalloc-dma32 "Unexpected gfp" warnings** (model 2, kernel 0): `kmalloc_fix_flags`
  (mm/slab_common.c, 6.1) warns only when kmalloc-1k needs a NEW slab; the booted kernel's
  kmalloc-1k already has partial slabs with free objects, so the tables fit in them and
  nothing is printed (kernel-facts.md: "kzalloc(GFP_DMA32) can be silent").  The model's
  kmalloc-1k starts empty unless `--shared-objects N` fills it with others' objects.
- **Reuse** (which allocations land on memory that held a freed table) is not a target:
  it depends on which free object or page the allocator picks next.  On gpu.ftrace.gz
  slab-dma32 differs (model 207, kernel 205 of 285 allocs) while its L2 ops, slabs and
  pages held agree at every sample: the model's choice of the next free object within
  a slab is not the kernel's on 2 of 285 allocations.  Not investigated further yet.
- Not measured by the kernel run (null in its JSON): metadata bytes, stranded bytes,
  overlap and translation faults (the module does not walk the tables), fallbacks other
  than page_frag's.
""")
        f.write("\n## Every metric\n\n| trace | backend | metric | model | kernel | equal |\n"
                "|---|---|---|---:|---:|---|\n")
        for r in rows:
            eq = {1: "yes", 0: "**no**", "": "not measured"}[r[5]]
            f.write(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} | {'null' if r[4] is None else r[4]} | {eq} |\n")
    print(f"fidelity: {len(verdicts) - len(failed)} of {len(verdicts)} targets met; "
          f"{a.out}/fidelity.md", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
