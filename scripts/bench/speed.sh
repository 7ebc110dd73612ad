#!/bin/sh
# scripts/bench/speed.sh PTBENCH BIG_FTRACE BIG_PTB TRACE_DAT: `make bench-speed`.
# Times, with hyperfine in one run, each pair whose ratio is the point, and prints
# the ratios side by side, of the median wall time and of the mean CPU time (user +
# system: on a loaded machine a command and its anchor, timed one after the other,
# meet different loads in wall time; much less so in CPU time):
#   replay (one backend, slab-dma32) of BIG_PTB   vs  ptbench stat of it
#   ptbench stat of BIG_FTRACE                     vs  grep -c of its IOMMU: lines > file
#     (to a file: GNU grep stops at the first match when its output is /dev/null)
#   ptbench stat of TRACE_DAT                      vs  trace-cmd report > file
#   replay --backend all of BIG_PTB                vs  replay of it with one backend
# The hyperfine JSON goes to build/bench/speed.json.
set -eu
PTBENCH=$1 FTRACE=$2 PTB=$3 DAT=$4
OUT=build/bench/speed.json
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

hyperfine --style basic --warmup 1 --min-runs 3 --export-json "$OUT" \
	-n replay "$PTBENCH replay --backend slab-dma32 $PTB" \
	-n replay-all "$PTBENCH replay --backend all $PTB" \
	-n stat "$PTBENCH stat $PTB" \
	-n stat-ftrace "$PTBENCH stat $FTRACE" \
	-n grep-ftrace "grep -c IOMMU: $FTRACE > $TMP/count.txt" \
	-n stat-dat "$PTBENCH stat $DAT" \
	-n report-dat "trace-cmd report -i $DAT > $TMP/report.txt" >&2

python3 - "$OUT" <<'EOF'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
def cpu(c):
    return r[c]["user"] + r[c]["system"]
rows = [("replay .ptb, one backend (slab-dma32)", "stat .ptb", "replay", "stat"),
        ("stat ftrace text", "grep -c IOMMU:", "stat-ftrace", "grep-ftrace"),
        ("stat trace.dat", "trace-cmd report > file", "stat-dat", "report-dat"),
        ("replay .ptb, --backend all", "one backend (slab-dma32)", "replay-all", "replay")]
print("%-38s %-24s %8s %8s %7s %8s %8s %7s" % ("command", "vs", "wall_s", "anchor", "ratio",
                                              "cpu_s", "anchor", "ratio"))
for what, anchor, a, b in rows:
    print("%-38s %-24s %8.3f %8.3f %7.2f %8.3f %8.3f %7.2f" % (
        what, anchor, r[a]["median"], r[b]["median"], r[a]["median"] / r[b]["median"],
        cpu(a), cpu(b), cpu(a) / cpu(b)))
EOF
