#!/bin/sh
# tests/cli/test_ptb_refusals.sh - one .ptb decoder on both sides: corrupted copies
# of tests/data/small.ptb (and tests/data/bad-truncated.ptb) go to `ptbench replay`
# and, through scripts/lab/oracle.sh -B (the files `ptbench oracle` hands the guest,
# which ptbench itself would refuse first), to ptb_oracle.ko in the lab guest; each
# must be refused by both with the same reason text (workloads/ptb_decode.c).  A
# missing prerequisite (qemu, headers, the kernel package) is a failure, never a skip.
. "$(dirname "$0")/lib.sh"
plain_pass_only "the module's refusals in the guest; ptbench's own are checked under ASan by test_replay.sh"

BAD=$TMP/bad
mkdir -p "$BAD"
cp "$DATA/bad-truncated.ptb" "$BAD/truncated.ptb"
# corrupt NAME: small.ptb with header fields and record bytes changed (offsets: ptb.h)
python3 - "$DATA/small.ptb" "$BAD" <<'PY'
import struct, sys
src, out = sys.argv[1], sys.argv[2]
good = open(src, "rb").read()
HDR, REC = 64, 56

def put(data, off, fmt, v):
    b = bytearray(data)
    struct.pack_into(fmt, b, off, v)
    return bytes(b)

flags = struct.unpack_from("<I", good, 20)[0]
cases = {
    "version": put(good, 8, "<I", 2),
    "header-bytes": put(good, 12, "<I", 60),
    "record-bytes": put(good, 16, "<I", 57),
    "flags": put(good, 20, "<I", flags | 0x40),
    "gfp-kver": put(put(good, 20, "<I", flags | 0x08), 32, "<I", 5),
    "count": put(good, 24, "<Q", 99),
    "op": put(good, HDR + 3 * REC + 54, "<B", 7),
    "ctx": put(put(good, 20, "<I", flags | 0x02), HDR + 2 * REC + 55, "<B", 0x81),
    "header-short": good[:40],
    "long-header-short": put(good, 12, "<I", 72)[:68],
}
for name, data in cases.items():
    open(f"{out}/{name}.ptb", "wb").write(data)
PY
names=
set --
for f in "$BAD"/*.ptb; do
	names="$names $(basename "$f" .ptb)"
	set -- "$@" -B "$f"
done
ok "the guest refuses every corrupted trace" sh scripts/lab/oracle.sh -t "$DATA/small.ptb" \
	-o "$TMP/guest" -b slab-dma32 -T 300 "$@"
for n in $names; do
	"$PTBENCH" replay --kernel 6.1 --backend slab-dma32 "$BAD/$n.ptb" >/dev/null 2>"$TMP/host.err"
	host=$(sed "s|^ptbench: $BAD/$n.ptb: ||" "$TMP/host.err")
	guest=$(sed 's/^refused: //' "$TMP/guest/results/slab-dma32.$n" 2>/dev/null)
	[ -n "$host" ] || host="(accepted)"
	eq "$n: the module's reason is ptbench's ($host)" "$guest" "$host"
done
eq "the guest lived on after the corrupted traces" "$(cat "$TMP/guest/results/alive" 2>/dev/null)" alive
finish
