#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench.py - `make bench`: the comparison matrix, the sweeps, hyperfine, plots, REPORT.md.

Stages (each a separate function, each writing under results/):
  1. traces   every synthetic workload x seed (`ptbench synth`), full and short (for the
              pressure runs), plus the real traces committed under workloads/traces/
  2. matrix   every backend x workload x pressure x seed x kernel (4.19, 6.1), plus
              slub_debug and slab merging for slab-dma32 (and slub_debug for
              kzalloc-dma32: the seeds' alignment claim), as independent `ptbench replay`
              jobs through GNU parallel (-j = cores, or --sshlogin to spread them)
  3. sweep    atomic failure rate against free memory (the `steady` pressure's target)
  3b. reserve slab-dma32-reserve on the sweep's points: the smallest --reserve-objects N
              with no failed map (bisection over 1..4096, run here one after another) and
              what it holds -> results/reserve.csv
  4. combine  every run's JSON -> results/runs.csv (one row per backend x run, a header)
  5. timing   hyperfine: replay time of each backend on each workload
  6. fidelity scripts/fidelity.py (`make fidelity`): the model against the real 6.1 kernel
  7. plots    gnuplot (scripts/plot/*.gp) -> results/*.svg and *.png
  8. report   scripts/bench/report.py -> REPORT.md

Pressure runs and the sweep replay the whole traces, on mt8173-4g and mt8173-2g.

usage: bench.py [--quick] [--jobs N] [--sshlogin LOGIN[,LOGIN...]] [--stages a,b,...]
                [--workloads a,b] [--pressures a,b] [--events N] [--pressure-events N]
                [--seeds N] [--no-real]
                [--results DIR] [--report FILE]
"""
import argparse
import csv
import json
import os
import shlex
import shutil
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Absolute, like every path in a job's command line: a job sent with --sshlogin runs in
# whatever directory the remote shell starts in.
PTBENCH = os.path.abspath(os.environ.get("PTBENCH", os.path.join(ROOT, "build", "ptbench")))
RESULTS = os.path.join(ROOT, "results")	# --results
RUNS = os.path.join(RESULTS, "runs")
TRACES = os.path.join(ROOT, "build", "bench", "traces")	# under --results with --results
KERNELS = ["4.19", "6.1"]
SEEDS = [1, 2, 3]
# The machine of every run; the pressure runs (and the sweep) also on the 2 GiB MT8173,
# all of whose memory is below 4 GiB (`ptbench list -v memories`).
MEMORY = "mt8173-4g"
PRESSURE_MEMORIES = ["mt8173-4g", "mt8173-2g"]
# workloads of another SoC than the matrix's MT8173: mtk16g's IOVAs reach 16 GiB and replay
# only with --ias 34 (tests/cli/test_mtkext.sh); the report's bounds cover that case
OTHER_SOC_WORKLOADS = {"mtk16g"}


def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


def ptbench_list(what):
    out = subprocess.run([PTBENCH, "list", what], check=True, capture_output=True, text=True)
    return [line.strip() for line in out.stdout.splitlines() if line.strip()]


def fmt_s(seconds):
    seconds = int(seconds)
    return "%d:%02d" % (seconds // 60, seconds % 60)


def job(argv, outputs, stderr=True):
    """One parallel job: a shell command line (every word quoted, so paths with spaces or
    shell characters survive both the local shell and the remote one) and the files it
    must leave behind."""
    return (shlex.join(argv) + " >/dev/null" + ("" if stderr else " 2>/dev/null"), outputs)


def run_parallel(name, jobs, args):
    """Run jobs (command line, outputs) through GNU parallel, with progress on stderr.

    With --sshlogin a job writes its outputs on the host that runs it; they come back only
    if that host writes into this same folder (the tree on a shared filesystem, or this
    machine).  Each output is removed before the jobs start and must exist after they end,
    so that a host writing elsewhere stops the bench here instead of leaving runs out of
    runs.csv or an old file in place of a new one."""
    if not jobs:
        return
    outputs = [o for _, outs in jobs for o in outs]
    for o in outputs:
        if os.path.exists(o):
            os.unlink(o)
    os.makedirs(os.path.join(RESULTS, "tmp"), exist_ok=True)
    joblog = os.path.join(RESULTS, "tmp", name + ".joblog")
    cmd = ["parallel", "--halt", "now,fail=1", "--joblog", joblog]
    if args.sshlogin:
        cmd += ["--sshlogin", args.sshlogin, "--workdir", ROOT]
    else:
        cmd += ["-j", str(args.jobs)]
    if os.path.exists(joblog):
        os.unlink(joblog)
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, text=True, cwd=ROOT)

    def feed():
        # parallel reads its jobs as slots free up: a few hundred command lines fill the
        # pipe, and written from here they would hold back the progress lines until the
        # last jobs started
        try:
            proc.stdin.write("".join(line + "\n" for line, _ in jobs))
            proc.stdin.close()
        except BrokenPipeError:
            pass	# parallel stopped (--halt): its exit status says why
    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    last = 0.0
    while proc.poll() is None:
        time.sleep(0.5)
        now = time.monotonic()
        if now - last >= 5:
            last = now
            progress(name, joblog, len(jobs), start)
    progress(name, joblog, len(jobs), start)
    feeder.join()
    if proc.returncode:
        sys.exit("bench: %s: a job failed (see %s)" % (name, joblog))
    missing = [o for o in outputs if not os.path.exists(o)]
    if missing:
        sys.exit("bench: %s: %d of %d outputs missing after every job succeeded, e.g. %s%s"
                 % (name, len(missing), len(outputs), missing[0],
                    ": with --sshlogin every host must write into this same folder"
                    if args.sshlogin else ""))


def progress(name, joblog, total, start):
    done = 0
    if os.path.exists(joblog):
        with open(joblog) as f:
            done = max(0, sum(1 for _ in f) - 1)
    elapsed = time.monotonic() - start
    eta = "?" if not done else fmt_s(elapsed / done * (total - done))
    log("%s %d/%d runs, %s elapsed, ETA %s" % (name, done, total, fmt_s(elapsed), eta))


# ---- 1. traces ----
#
# One trace per workload and seed (--events), replayed whole with and without pressure
# (measured: 200,000 browse events under atomic-burst in 0.68 s against 0.27 s without,
# per backend).  --pressure-events N writes a second, shorter trace for the pressure
# runs and the sweep instead (a cap for quick experiments; 0, the default, means none).

SHORT = False	# --pressure-events N > 0: pressure runs replay the short traces


def trace_path(workload, seed, short=False, memory=MEMORY):
    """A synthetic trace; another machine's (`synth --memory`) has its buffers where that
    machine has memory."""
    short = short and SHORT
    return os.path.join(TRACES, "%s.s%d%s%s.ptb" % (workload, seed, ".short" if short else "",
                                                    "" if memory == MEMORY else "." + memory))


def stage_traces(args, plan):
    os.makedirs(TRACES, exist_ok=True)
    jobs = []
    for w in plan["workloads"]:
        for s in plan["seeds"]:
            for m in PRESSURE_MEMORIES if plan["pressures"] != ["none"] else [MEMORY]:
                for short, n in ((False, args.events), (True, args.pressure_events)):
                    if (short and not n) or (m != MEMORY and not short and SHORT):
                        continue
                    out = trace_path(w, s, short, m)
                    jobs.append(job([PTBENCH, "synth", w, "--seed", str(s), "--events", str(n),
                                     "--memory", m, "-o", out], [out], stderr=False))
    if "frag-worst" in plan["workloads"]:
        # the adversary run to completion (no --events cap): page_frag's bound, measured
        jobs.append(job([PTBENCH, "synth", "frag-worst", "--seed", "1", "-o", bound_trace_path()],
                        [bound_trace_path()], stderr=False))
    run_parallel("synth", jobs, args)


def bound_trace_path():
    return os.path.join(TRACES, "frag-worst.s1.full.ptb")


def real_traces():
    d = os.path.join(ROOT, "workloads", "traces")
    if not os.path.isdir(d):
        return []
    # one file per recording: ptrec's .ptb (with domain ids) over tracefs's text
    best = {}
    for f in sorted(os.listdir(d)):
        if not f.endswith((".gz", ".ptb", ".ftrace", ".dat")):
            continue
        stem = f.split(".")[0]
        if stem not in best or ".ptb" in f:
            best[stem] = os.path.join(d, f)
    return [best[k] for k in sorted(best)]


# ---- 2. the matrix ----

def run_name(workload, pressure, kernel, seed, variant):
    p = pressure.replace(":", "_").replace(",", "_").replace("=", "-")
    return "%s.%s.k%s.s%d%s" % (workload, p, kernel, seed, "." + variant if variant else "")


SAMPLES_PER_RUN = 400
_intervals = {}


def interval_ns(trace):
    """A CSV sample interval giving about SAMPLES_PER_RUN rows over the trace's span."""
    if trace not in _intervals:
        out = subprocess.run([PTBENCH, "stat", "--json", "-", trace], check=True,
                             capture_output=True, text=True).stdout
        span = json.loads(out)["stat"]["span_ns"]
        _intervals[trace] = max(1, span // SAMPLES_PER_RUN)
    return _intervals[trace]


def replay_job(trace, name, backends, kernel, pressure, seed, extra=(), memory=MEMORY):
    base = os.path.join(RUNS, name)
    return job([PTBENCH, "replay", "--backend", backends, "--kernel", kernel,
                "--memory", memory, "--pressure", pressure, "--seed", str(seed),
                "--interval-ns", str(interval_ns(trace))] + list(extra)
               + ["--json", base + ".json", "--csv", base + ".csv", trace],
               [base + ".json", base + ".csv"])


def plan_runs(args, plan):
    """Every run of the matrix: (name, trace, workload, job)."""
    runs = []
    inputs = [(w, s, trace_path(w, s)) for w in plan["workloads"] for s in plan["seeds"]]
    for t in plan["real"]:
        w = "real-" + os.path.basename(t).split(".")[0]
        inputs += [(w, s, t) for s in plan["seeds"]]
    for (w, s, t) in inputs:
        for p in plan["pressures"]:
            if p != "none" and w.startswith("real-"):
                continue	# recorded traces are replayed whole: without pressure only
            for k in KERNELS:
                for m in ([MEMORY] if p == "none" else PRESSURE_MEMORIES):
                    trace = t if p == "none" else trace_path(w, s, short=True, memory=m)
                    name = run_name(w, p, k, s, "" if m == MEMORY else m)
                    runs.append((name, replay_job(trace, name, "all", k, p, s, memory=m)))
        # the slab options the seeds argue about, without pressure
        for k in KERNELS:
            for variant, backends, extra in (
                    ("slub_debug", "slab-dma32,kzalloc-dma32", ["--slub-debug"]),
                    # slub_debug caches never merge (mm/slab_common.c slab_unmergeable)
                    ("merge", "slab-dma32", ["--slab-merge", "--shared-objects", "64"])):
                name = run_name(w, "none", k, s, variant)
                runs.append((name, replay_job(t, name, backends, k, "none", s, extra)))
    if "frag-worst" in plan["workloads"]:
        # 4096 live tables, one per 1 MiB slot: every backend, both kernels, and page_frag
        # with only order <= 1 blocks free (every refill falls back to order 0)
        for k in KERNELS:
            name = "bound." + run_name("frag-worst", "none", k, 1, "")
            runs.append((name, replay_job(bound_trace_path(), name, "all", k, "none", 1)))
        p = "fragmented"
        name = "bound." + run_name("frag-worst", p, "6.1", 1, "")
        runs.append((name, replay_job(bound_trace_path(), name, "page-frag", "6.1", p, 1)))
    return runs


def stage_matrix(args, plan):
    os.makedirs(RUNS, exist_ok=True)
    run_parallel("matrix", [j for _, j in plan_runs(args, plan)], args)


# ---- 3. the atomic-failure sweep ----

def sweep_points(quick):
    """Free memory held by `edge`, in pages above the watermark GFP_ATOMIC sees."""
    return [-32, 0, 32, 128] if quick else [-64, -32, -16, 0, 8, 16, 32, 64, 128, 256]


def stage_sweep(args, plan):
    os.makedirs(RUNS, exist_ok=True)
    jobs = []
    w = plan["sweep_workload"]
    s = plan["seeds"][0]	# one seed: the sweep is a curve, not the matrix
    for k in KERNELS:
        for m in PRESSURE_MEMORIES:
            for free in sweep_points(args.quick):
                p = "edge:free=atomic%+d" % free
                name = "sweep." + run_name(w, p, k, s, "" if m == MEMORY else m)
                jobs.append(replay_job(trace_path(w, s, short=True, memory=m), name, "all", k,
                                       p, s, memory=m))
    run_parallel("sweep", jobs, args)


# ---- 3b. the smallest mempool reserve ----

RESERVE_MAX = 4096	# --reserve-objects' limit: every table a page table can have
RESERVE_COLUMNS = ["workload", "kernel", "pressure", "seed", "min_reserve_objects",
                   "peak_footprint_bytes", "fixed_cost_bytes", "plain_map_failures"]


def reserve_run(trace, kernel, pressure, seed, backend, n):
    """One replay of @backend (slab-dma32-reserve with N objects); its run's JSON."""
    out = subprocess.run([PTBENCH, "replay", "--backend", backend, "--kernel", kernel,
                          "--pressure", pressure, "--seed", str(seed), "--reserve-objects", str(n),
                          "--json", "-", trace], check=True, capture_output=True, text=True).stdout
    return json.loads(out)["runs"][0]


def stage_reserve(args, plan):
    """Per sweep point: the smallest N with no failed map, by bisection (more reserve never
    fails more maps: the cache is tried first either way); empty when even 4096 fails."""
    w = plan["sweep_workload"]
    s = plan["seeds"][0]
    trace = trace_path(w, s, short=True)
    rows = []
    for k in KERNELS:
        for free in sweep_points(args.quick):
            p = "edge:free=atomic%+d" % free
            plain = reserve_run(trace, k, p, s, "slab-dma32", 1)["map_failures"]
            lo, hi, best = 1, RESERVE_MAX, None
            while lo <= hi:
                mid = (lo + hi) // 2
                r = reserve_run(trace, k, p, s, "slab-dma32-reserve", mid)
                if r["map_failures"] == 0:
                    best, hi = (mid, r), mid - 1
                else:
                    lo = mid + 1
            rows.append({"workload": w, "kernel": k, "pressure": p, "seed": s,
                         "min_reserve_objects": best[0] if best else "",
                         "peak_footprint_bytes": best[1]["memory"]["peak_footprint_bytes"] if best else "",
                         "fixed_cost_bytes": best[1]["memory"]["fixed_cost_bytes"] if best else "",
                         "plain_map_failures": plain})
            print("bench: reserve: %s %s: N = %s" % (k, p, rows[-1]["min_reserve_objects"] or "none"),
                  file=sys.stderr)
    with open(os.path.join(RESULTS, "reserve.csv"), "w", newline="") as f:
        wr = csv.DictWriter(f, fieldnames=RESERVE_COLUMNS, lineterminator="\n")
        wr.writeheader()
        wr.writerows(rows)


# ---- 4. combine ----

COLUMNS = [
    "run", "workload", "trace_sha256", "events", "memory", "kernel", "pressure", "seed",
    "slub_debug",
    "slab_merge", "backend", "allocs", "frees", "peak_live", "final_live",
    "peak_footprint_bytes", "final_footprint_bytes", "peak_live_bytes", "mean_waste_bytes",
    "metadata_bytes", "lower_bound_bytes", "footprint_per_live_at_peak", "reused_allocs",
    "reuse_ratio", "stranded_bytes_peak", "stranded_bytes_final", "atomic_attempts",
    "atomic_failures", "atomic_failure_rate", "maps", "map_failures", "fallbacks", "above_4g",
    "misaligned", "overlap", "translation_faults", "split_refill_faults",
    "rejected_above_4g", "unexpected_gfp_warnings", "conflicts",
]


def run_rows(path):
    with open(path) as f:
        d = json.load(f)
    name = os.path.basename(path)[:-len(".json")]
    workload = name.split(".")[1] if name.startswith(("sweep.", "bound.")) else name.split(".")[0]
    for r in d["runs"]:
        yield {
            "run": name, "workload": workload, "trace_sha256": d["trace"]["sha256"],
            "events": d["trace"]["events"], "memory": d["config"]["memory"],
            "kernel": d["config"]["kernel"],
            "pressure": d["config"]["pressure"], "seed": d["config"]["seed"],
            "slub_debug": int(d["config"]["slub_debug"]),
            "slab_merge": int(d["config"]["slab_merge"]), "backend": r["backend"],
            **{k: r["tables"][k] for k in ("allocs", "frees", "peak_live", "final_live")},
            **{k: r["memory"][k] for k in ("peak_footprint_bytes", "final_footprint_bytes",
                                          "peak_live_bytes", "mean_waste_bytes",
                                          "metadata_bytes", "lower_bound_bytes",
                                          "footprint_per_live_at_peak")},
            **{k: r["reuse"][k] for k in ("reused_allocs", "reuse_ratio",
                                         "stranded_bytes_peak", "stranded_bytes_final")},
            "atomic_attempts": r["atomic"]["attempts"],
            "atomic_failures": r["atomic"]["failures"],
            "atomic_failure_rate": r["atomic"]["failure_rate"],
            "maps": r["iommu"]["maps"],
            "map_failures": r["map_failures"], "fallbacks": r["fallbacks"],
            **{k: r["violations"][k] for k in ("above_4g", "misaligned", "overlap",
                                              "translation_faults", "split_refill_faults",
                                              "rejected_above_4g")},
            "unexpected_gfp_warnings": r["iommu"]["unexpected_gfp_warnings"],
            "conflicts": r["iommu"]["conflicts"],
        }


def stage_combine(args, plan):
    names = sorted(f for f in os.listdir(RUNS) if f.endswith(".json"))
    out = os.path.join(RESULTS, "runs.csv")
    with open(out + ".tmp", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        for n in names:
            for row in run_rows(os.path.join(RUNS, n)):
                w.writerow(row)
    os.replace(out + ".tmp", out)
    log("combine: %d runs -> %s" % (len(names), os.path.relpath(out, ROOT)))


# ---- 5. hyperfine ----

def stage_timing(args, plan):
    cmds, names = [], []
    for w in plan["workloads"]:
        for b in plan["backends"]:
            names.append("%s/%s" % (w, b))
            cmds.append(shlex.join([PTBENCH, "replay", "--backend", b, "--kernel", "6.1",
                                    trace_path(w, 1)]))
    cmd = ["hyperfine", "--style", "basic", "--warmup", "1", "--runs", "2" if args.quick else "5",
           "--export-json", os.path.join(RESULTS, "hyperfine.json"),
           "--time-unit", "millisecond",
           "--export-markdown", os.path.join(RESULTS, "hyperfine.md")]
    for n, c in zip(names, cmds):
        cmd += ["-n", n, c]
    log("timing: hyperfine, %d commands" % len(cmds))
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)


# ---- 6, 7: plots and the report ----

def stage_plots(args, plan):
    subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "bench", "plots.py"),
                    "--results", RESULTS, "--sweep-workload", plan["sweep_workload"]],
                   check=True, cwd=ROOT)


def stage_report(args, plan):
    subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "bench", "report.py"),
                    "--results", RESULTS, "--report", args.report,
                    "--sweep-workload", plan["sweep_workload"]]
                   + (["--quick"] if args.quick else []), check=True, cwd=ROOT)


def stage_fidelity(args, plan):
    """The model against the real kernel (`make fidelity`), into the same results folder."""
    log("fidelity: the model vs the real 6.1 kernel in qemu (scripts/fidelity.py%s)"
        % (" --quick" if args.quick else ""))
    subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "fidelity.py"),
                    "--out", RESULTS, "--ptbench", PTBENCH] + (["--quick"] if args.quick else []),
                   check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


STAGES = [("traces", stage_traces), ("matrix", stage_matrix), ("sweep", stage_sweep),
          ("reserve", stage_reserve), ("combine", stage_combine), ("timing", stage_timing), ("fidelity", stage_fidelity),
          ("plots", stage_plots), ("report", stage_report)]


def subset(names, wanted, opt):
    if not wanted:
        return names
    for w in wanted.split(","):
        if w not in names:
            sys.exit("bench: %s: unknown name '%s' (known: %s)" % (opt, w, ", ".join(names)))
    return wanted.split(",")


def set_results(path):
    global RESULTS, RUNS, TRACES
    RESULTS = os.path.abspath(path)
    RUNS = os.path.join(RESULTS, "runs")
    if RESULTS != os.path.join(ROOT, "results"):
        TRACES = os.path.join(RESULTS, "traces")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="a smoke run: small traces, 1 seed")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2,
                    help="jobs at once (default: cores); with --sshlogin, each host's N/ instead")
    ap.add_argument("--sshlogin", help="GNU parallel --sshlogin: run the synth and replay jobs "
                    "on these hosts ([N/]user@host or [N/]ssh command, ':' is here); each "
                    "needs this tree built at the same path, its results and traces "
                    "folders shared (README.md)")
    ap.add_argument("--stages", default=",".join(n for n, _ in STAGES))
    ap.add_argument("--workloads", help="comma-separated subset of `ptbench list workloads`")
    ap.add_argument("--pressures", help="comma-separated subset of `ptbench list pressures`")
    ap.add_argument("--events", type=int, help="events per synthetic trace "
                    "(default 200000; 20000 with --quick)")
    ap.add_argument("--pressure-events", type=int, default=0, help="cap the traces replayed "
                    "under pressure and in the sweep at N events (default 0: the whole trace)")
    ap.add_argument("--seeds", type=int, help="seeds per configuration (default 3; 1 with --quick)")
    ap.add_argument("--no-real", action="store_true", help="leave out workloads/traces/")
    ap.add_argument("--traces", help="`make report`: replay these traces (comma- or "
                    "space-separated files, any format replay reads) instead of the matrix's "
                    "synthetic workloads and workloads/traces/; stages traces..report but the "
                    "sweep, timing and fidelity")
    ap.add_argument("--results", default=RESULTS, help="output folder (default results/)")
    ap.add_argument("--report", default=os.path.join(ROOT, "REPORT.md"))
    args = ap.parse_args()
    set_results(args.results)
    if args.events is None:
        args.events = 5000 if args.quick else 200000
    global SHORT
    SHORT = args.pressure_events > 0
    if args.seeds is None:
        args.seeds = 1 if args.quick else len(SEEDS)
    for tool in ("parallel", "hyperfine", "gnuplot"):
        if not shutil.which(tool):
            sys.exit("bench: %s not found: run `make deps`" % tool)
    plan = {
        "workloads": subset([w for w in ptbench_list("workloads") if w not in OTHER_SOC_WORKLOADS],
                            args.workloads, "--workloads"),
        # trace replays a device's own --kmem recording of the same run: synthetic traces have none
        "pressures": subset([p for p in ptbench_list("pressures") if p != "trace"], args.pressures or
                            ("none,atomic-burst" if args.quick else None), "--pressures"),
        "backends": ptbench_list("backends"),
        "seeds": SEEDS[:args.seeds],
        "real": [] if args.no_real else real_traces(),
    }
    if args.traces:
        given = [os.path.abspath(t) for t in args.traces.replace(",", " ").split()]
        for t in given:
            if not os.path.isfile(t):
                sys.exit("bench: --traces: %s: no such file" % t)
        stems = [os.path.basename(t).split(".")[0] for t in given]
        if len(set(stems)) != len(stems):
            sys.exit("bench: --traces: two traces named alike (%s): the run names are the "
                     "file names up to the first dot" % ", ".join(stems))
        plan.update(workloads=[], real=given, pressures=["none"])
        if args.stages == ",".join(n for n, _ in STAGES):
            args.stages = "matrix,combine,plots,report"
    plan["sweep_workload"] = "browse" if "browse" in plan["workloads"] else \
        (plan["workloads"] or ["browse"])[0]
    wanted = args.stages.split(",")
    start = time.monotonic()
    for name, fn in STAGES:
        if name in wanted:
            fn(args, plan)
    log("done in %s" % fmt_s(time.monotonic() - start))


if __name__ == "__main__":
    main()
