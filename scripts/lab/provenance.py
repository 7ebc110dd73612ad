#!/usr/bin/env python3
"""scripts/lab/provenance.py - write the provenance of recorded traces into
workloads/traces/README.md.

Usage: provenance.py --readme README --ptbench PTBENCH RECORD_DIR...

Each RECORD_DIR is one run of scripts/lab/record.sh: qemu.cmd, boot.time and
results/ (kernel, workload.log, NAME.ptrec.log) from scripts/lab/boot.sh,
plus the files record.sh adds: "traces" (the committed trace files the run
produced), "workload" (its guest script) and "compare" (ptb-compare.py's
verdict on ptrec's events against tracefs's).  The counts come from `ptbench stat --json` on the
committed files themselves, so the README says exactly what `ptbench stat`
reads back (tests/cli/test_traces.sh checks it).  Only the part of README
between the BEGIN and END markers is replaced; a run not given keeps its
old text.
"""
import argparse
import json
import os
import re
import subprocess
import sys

BEGIN = "<!-- lab-record: begin (scripts/lab/provenance.py writes this part) -->"
END = "<!-- lab-record: end -->"
COLUMNS = ["trace", "format", "events", "maps", "unmaps", "mapped_bytes", "unmapped_bytes", "sha256"]


def stat(ptbench, path):
    out = subprocess.run([ptbench, "stat", "--json", "-", path], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def read(path, default=""):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return default


def run_section(ptbench, run):
    """The rows and the text of one record run."""
    rows, lines = [], []
    traces = read(os.path.join(run, "traces")).split()
    name = os.path.basename(run.rstrip("/"))
    log = read(os.path.join(run, "results", "workload.log")).splitlines()
    lines.append(f"### {name}")
    lines.append("")
    lines.append(f"- guest workload: `{read(os.path.join(run, 'workload'))}`")
    lines.append(f"- kernel: `{read(os.path.join(run, 'results', 'kernel'))}`")
    lines.append(f"- qemu (TCG) ran {read(os.path.join(run, 'boot.time'))} s, boot to poweroff")
    for t in traces:
        s = stat(ptbench, t)
        tr, st = s["trace"], s["stat"]
        cpus = ", ".join(f"cpu{c['cpu']} {c['events']}" for c in st["cpus"])
        rows.append([os.path.basename(t), tr["format"], tr["events"], tr["maps"], tr["unmaps"],
                     st["mapped_bytes"], st["unmapped_bytes"], tr["sha256"]])
        lines.append(f"- `{os.path.basename(t)}`: {tr['events']} events over "
                     f"{st['span_ns'] / 1e9:.3f} s ({cpus}), lost {st['lost_events']}")
    # The workload's own "lab: ..." lines (loss check, what it did), then
    # the IOMMU groups (guest-lib.sh lab_iommu_report) in one line.
    groups = [e for e in log if e.startswith("iommu group ")]
    for entry in log:
        if entry.startswith("lab: ") or entry.startswith("drm-dumb: connector"):
            lines.append(f"- guest: `{entry}`")
    compare = read(os.path.join(run, "compare"))
    if compare:
        lines.append(f"- ptrec vs tracefs (scripts/lab/ptb-compare.py): `{compare}`")
    ptrec_log = read(os.path.join(run, "results", f"{name}.ptrec.log")).splitlines()
    for entry in ptrec_log:
        if entry.startswith(("ptrec: seen", "ptrec: paired", "ptrec: gfp", "ptrec: call functions")):
            lines.append(f"- guest: `{entry}`")
    if groups:
        types = sorted({g.split()[3].rstrip(":") for g in groups})
        drivers = [g.split(": ", 1)[1] for g in groups if not g.endswith("driver none")]
        lines.append(f"- IOMMU: {len(groups)} PCI devices, domain types {'/'.join(types)}; "
                     f"with a driver: {'; '.join(drivers)} (the last is the results disk, "
                     f"without iommu_platform)")
    lines.append(f"- qemu command: `{read(os.path.join(run, 'qemu.cmd'))}`")
    lines.append("")
    return rows, "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--readme", required=True)
    ap.add_argument("--ptbench", required=True)
    ap.add_argument("runs", nargs="+")
    a = ap.parse_args()

    text = read(a.readme)
    if BEGIN not in text or END not in text:
        print(f"provenance.py: {a.readme}: no '{BEGIN}' ... '{END}' section", file=sys.stderr)
        return 1
    head, rest = text.split(BEGIN, 1)
    old, tail = rest.split(END, 1)

    # Keep the sections (and rows) of runs not re-recorded this time.
    sections, rows = {}, {}
    for m in re.finditer(r"^### (\S+)\n(.*?)(?=^### |\Z)", old, re.S | re.M):
        sections[m.group(1)] = f"### {m.group(1)}\n{m.group(2).rstrip()}\n"
    for m in re.finditer(r"^\| `([^`]+)` \|(.*)\|$", old, re.M):
        rows[m.group(1)] = m.group(0)
    for run in a.runs:
        name = os.path.basename(run.rstrip("/"))
        run_rows, sections[name] = run_section(a.ptbench, run)
        for r in list(rows):
            if r.split(".")[0] == name:
                del rows[r]
        for r in run_rows:
            rows[r[0]] = "| " + " | ".join(f"`{v}`" if i in (0, 7) else str(v)
                                           for i, v in enumerate(r)) + " |"

    table = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    table += [rows[k] for k in sorted(rows)]
    body = "\n".join(table) + "\n\n" + "\n".join(sections[k] for k in sorted(sections))
    with open(a.readme + ".tmp", "w") as f:
        f.write(head + BEGIN + "\n" + body.rstrip() + "\n" + END + tail)
        if not tail.endswith("\n"):
            f.write("\n")
    os.replace(a.readme + ".tmp", a.readme)
    return 0


if __name__ == "__main__":
    sys.exit(main())
