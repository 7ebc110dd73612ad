#!/bin/sh
# tests/cli/test_oracle.sh - the real-kernel oracle end to end: tests/data/small.ptb
# through ptb_oracle.ko in the pc-3g1g guest (Debian 6.1, TCG), all eight kernel
# backends, against the model (--kernel 6.1 --memory x86-3g1g --cpus 2).
# Agreement targets (issue 7): the same L2 op sequence (every alloc/fail/free,
# its slot and CPU); pages held by slab-dma32, page-frag and genalloc-4m equal
# at every sample; kzalloc-dma32's tables above 4 GiB equal.  The module must
# load and unload cleanly with the kernel's books empty, and refuse a malformed
# trace while the guest goes on.  The kernel's own io-pgtable-arm-v7s.c (Debian's
# linux-source-6.1, ptb_v7s_ref.ko) must give the model's L2 op sequence too.  Under
# --pressure edge:free=atomic-128 (slab-dma32 only), the GFP_ATOMIC failure rates of model
# and kernel within a factor of 2, the level resolved on the guest's own watermarks, the
# guest alive; under fragmented, pages held equal at every sample (slab-dma32's order-0
# slabs, page-frag's order-0 refill); under steady, the band on the guest's watermarks.
# genalloc-grow (4 KiB chunks) and slab-dma32-reserve (a reserve of 4) take their options
# in the guest: pages held equal at every sample on two page tables, and under
# edge:free=atomic-128 the same failures (the grown chunks') and the same reserve use.
# The module's v7s configuration is `ptbench list -v kernels`' for 6.1.
# The model runs with the guest's min_free_kbytes and watermarks (--watermarks).  The JSON
# and CSV are docs/schema.md's (tests/cli/schema.py).  A missing prerequisite (qemu,
# headers, the kernel package) is a failure,
# never a skip.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/oracle-agree.sh"

ok "oracle runs the trace in the guest" \
	"$PTBENCH" oracle --backend "$B" --json "$TMP/k.json" --csv "$TMP/k.csv" --l2-log "$TMP/k.l2" \
	--ref-l2-log "$TMP/ref.l2" --keep "$K" "$DATA/small.ptb"
[ -s "$TMP/k.json" ] || { cat "$TMP/err"; echo "no oracle JSON"; }
ok "the model replays the same trace" \
	"$PTBENCH" replay --kernel 6.1 --memory x86-3g1g --cpus 2 --backend "$B" --json "$TMP/m.json" \
	--csv "$TMP/m.csv" --l2-log "$TMP/m.l2" "$DATA/small.ptb"

# One writer (harness/result.c) for both: every key path of replay's JSON is in the
# oracle's and the other way round; what the kernel run cannot measure is null.
keypaths() {
	python3 -c '
import json, sys
def walk(v, p):
    if isinstance(v, dict):
        for k, x in v.items():
            yield from walk(x, p + "." + k)
    elif isinstance(v, list) and any(isinstance(x, dict) for x in v):
        for x in v:
            yield from walk(x, p + "[]")
    else:
        yield p
print("\n".join(sorted(set(walk(json.load(open(sys.argv[1])), "")))))' "$1"
}
keypaths "$TMP/m.json" >"$TMP/m.keys" 2>&1
keypaths "$TMP/k.json" >"$TMP/k.keys" 2>&1
eq "replay's key paths collected (over 150)" "$(awk 'END { print (NR > 150) }' "$TMP/m.keys")" 1
same "the oracle's JSON has replay's key paths, no more, no fewer" "$TMP/m.keys" "$TMP/k.keys"
for key in "['mm']['allocs']" "['violations']['split_refill_faults']" "['memory']['fixed_cost_bytes']" \
	"['backend_cfg']['zone']" "['backend_cfg']['object_bytes']" "['pressure']['intervals']"; do
	eq "unmeasured in the kernel run: $key is null" \
		"$(json_get "$TMP/k.json" "set(r$key for r in d['runs'])")" "{None}"
	eq "measured by the model: $key is a number" \
		"$(json_get "$TMP/m.json" "all(r$key is not None for r in d['runs'])")" True
done
eq "late events: the host ordered the trace for both" \
	"$(json_get "$TMP/k.json" "[r['iommu']['late_events'] for r in d['runs']]")" \
	"$(json_get "$TMP/m.json" "[r['iommu']['late_events'] for r in d['runs']]")"
eq "the guest-only keys are null in the model's" \
	"$(json_get "$TMP/m.json" "set([r['teardown']['ok'] for r in d['runs']] + [r['pressure']['guest_kswapd_runs'] for r in d['runs']])")" "{None}"
eq "engine is kernel-6.1" "$(json_get "$TMP/k.json" "d['config']['engine']")" kernel-6.1
eq "one run per backend" "$(json_get "$TMP/k.json" "','.join(r['backend'] for r in d['runs'])")" "$B"
eq "guest zones: DMA, DMA32, Normal" \
	"$(json_get "$TMP/k.json" "','.join(z['name'] for z in d['config']['zones'])")" DMA,DMA32,Normal
oracle_agree "$K"

# Under pressure: DMA32 held 128 pages below GFP_ATOMIC's mark (edge:free=atomic-128) in
# the guest and in the model (with the guest's min_free_kbytes): every slab-dma32 table
# the trace needs fails on both; target: the failure rates within a factor of 2.
P=edge:free=atomic-128
ok "oracle --pressure $P" "$PTBENCH" oracle --backend slab-dma32 --pressure "$P" \
	--json "$TMP/kp.json" --keep "$TMP/keep-p" "$DATA/small.ptb"
mfk=$(json_get "$TMP/kp.json" "d['config']['min_free_kbytes']")
wm=$(json_get "$TMP/kp.json" "','.join('%s=%d:%d:%d' % (z['name'], z['min_pages'], z['low_pages'], z['high_pages']) for z in d['config']['zones'] if z['managed_pages'])")
M="replay --kernel 6.1 --memory x86-3g1g --cpus 2 --min-free-kbytes $mfk --watermarks $wm"
# shellcheck disable=SC2086 # $M is the model's options, split on purpose
ok "the model under the same pressure" "$PTBENCH" $M --backend slab-dma32 --pressure "$P" \
	--json "$TMP/mp.json" "$DATA/small.ptb"
eq "the model has the guest's DMA32 watermarks" \
	"$(json_get "$TMP/mp.json" "[d['runs'][0]['zones']['DMA32'][k] for k in ('watermark_min_pages', 'watermark_low_pages', 'watermark_high_pages')]")" \
	"$(json_get "$TMP/kp.json" "[[z['min_pages'], z['low_pages'], z['high_pages']] for z in d['config']['zones'] if z['name'] == 'DMA32'][0]")"
eq "config.pressure is replay's canonical string" "$(json_get "$TMP/kp.json" "d['config']['pressure']")" \
	"$(json_get "$TMP/mp.json" "d['config']['pressure']")"
# GFP_ATOMIC's mark: the model's, on the guest's own watermarks (allocators/mm/watermark.c,
# the function the module resolves "atomic" with)
eq "the guest resolved the level on its own DMA32 watermarks, at the model's GFP_ATOMIC mark" \
	"$(json_get "$TMP/mp.json" "d['runs'][0]['zones']['DMA32']['watermark_atomic_pages'] - 128")" \
	"$(json_get "$TMP/kp.json" "d['runs'][0]['pressure']['target_min_pages']")"
eq "free held within one 16-page block below the level" \
	"$(json_get "$TMP/kp.json" "(lambda p: p['target_min_pages'] - 16 < p['free_pages_lowest'] <= p['free_pages_highest'] <= p['target_min_pages'])(d['runs'][0]['pressure'])")" True
rates="$(json_get "$TMP/mp.json" "d['runs'][0]['atomic']['failure_rate']") $(json_get "$TMP/kp.json" "d['runs'][0]['atomic']['failure_rate']")"
eq "the model fails GFP_ATOMIC allocations" "$(echo "$rates" | awk '{ print ($1 > 0) }')" 1
eq "kernel failure rate within 2x of the model's ($rates)" \
	"$(echo "$rates" | awk '{ print ($2 > 0 && $2 <= 2 * $1 && $1 <= 2 * $2) }')" 1
eq "pressure: teardown gave everything back" "$(json_get "$TMP/kp.json" "d['runs'][0]['teardown']['ok']")" True
eq "pressure: the guest lived on" "$(cat "$TMP/keep-p/guest/results/alive" 2>/dev/null)" alive

# docs/schema.md: every key path of the oracle's JSON (all eight backends, and under
# pressure) documented with its type, every documented oracle path written; its CSV header.
ok "oracle JSON = docs/schema.md (oracle column)" python3 tests/cli/schema.py json oracle \
	"$TMP/k.json" "$TMP/kp.json"
eq "oracle JSON: schema = docs/schema.md's" "$(json_get "$TMP/k.json" "d['schema']")" \
	"$(python3 tests/cli/schema.py number)"
ok "oracle CSV header = docs/schema.md's columns" python3 tests/cli/schema.py csv oracle "$TMP/k.csv"

# fragmented: free only in order-1 blocks, 32768 pages; slab-dma32's order-3 slabs fall
# back to order 0, page-frag's order-3 refill too: pages held equal at every sample.
F=slab-dma32,page-frag
ok "oracle --pressure fragmented" "$PTBENCH" oracle --backend "$F" --pressure fragmented \
	--json "$TMP/kf.json" --csv "$TMP/kf.csv" "$DATA/small.ptb"
# shellcheck disable=SC2086
ok "the model under fragmented" "$PTBENCH" $M --backend "$F" --pressure fragmented \
	--json "$TMP/mf.json" --csv "$TMP/mf.csv" "$DATA/small.ptb"
eq "fragmented: no free block above order 1 in the guest" \
	"$(json_get "$TMP/kf.json" "[r['pressure']['blocks_above_order'] for r in d['runs']]")" "[0, 0]"
eq "fragmented: pages held equal at every sample" \
	"$(cut -d, -f1,2,6 "$TMP/kf.csv" | md5sum)" "$(cut -d, -f1,2,6 "$TMP/mf.csv" | md5sum)"
eq "fragmented: page-frag fell back to order 0 on both" \
	"$(json_get "$TMP/kf.json" "d['runs'][1]['fallbacks']") $(json_get "$TMP/mf.json" "d['runs'][1]['fallbacks'] > 0")" "1 True"
eq "fragmented: slab-dma32 held order-0 slabs (2 pages for 3 tables on 2 CPUs)" \
	"$(json_get "$TMP/kf.json" "d['runs'][0]['memory']['peak_footprint_bytes']")" 8192

# pt-frag's pools on two page tables (tests/data/two-domains.ptb, scripts/gen-testdata.py):
# a list per page table (domain) or one for all (global), the same in guest and model:
# pages held equal at every sample and the same reuse; a pool per page table holds 5
# pages, one pool 4 (3 of domain 2's tables in domain 1's freed slots).
for sc in domain global; do
	ok "oracle pt-frag --pt-frag-scope $sc" "$PTBENCH" oracle --backend pt-frag --pt-frag-scope $sc \
		--interval-ns 1000 --json "$TMP/kd-$sc.json" --csv "$TMP/kd-$sc.csv" "$DATA/two-domains.ptb"
	ok "the model, --pt-frag-scope $sc" "$PTBENCH" replay --kernel 6.1 --memory x86-3g1g --cpus 2 \
		--backend pt-frag --pt-frag-scope $sc --interval-ns 1000 --json "$TMP/md-$sc.json" \
		--csv "$TMP/md-$sc.csv" "$DATA/two-domains.ptb"
	fp "$TMP/md-$sc.csv" pt-frag >"$TMP/md-$sc.fp"
	fp "$TMP/kd-$sc.csv" pt-frag >"$TMP/kd-$sc.fp"
	eq "pt-frag $sc: samples taken" "$(grep -c . "$TMP/kd-$sc.fp")" 20
	same "pt-frag $sc: pages held equal at every sample" "$TMP/md-$sc.fp" "$TMP/kd-$sc.fp"
	for key in "['reuse']['reused_allocs']" "['memory']['peak_footprint_bytes']"; do
		eq "pt-frag $sc: $key" "$(json_get "$TMP/kd-$sc.json" "d['runs'][0]$key")" \
			"$(json_get "$TMP/md-$sc.json" "d['runs'][0]$key")"
	done
	eq "pt-frag $sc: teardown gave everything back" "$(json_get "$TMP/kd-$sc.json" "d['runs'][0]['teardown']['ok']")" True
done
eq "pt-frag: the guest's peak pages, a pool per page table and one for all" \
	"$(json_get "$TMP/kd-domain.json" "d['runs'][0]['memory']['peak_footprint_bytes'] // 4096") $(json_get "$TMP/kd-global.json" "d['runs'][0]['memory']['peak_footprint_bytes'] // 4096")" "5 4"

# genalloc-grow and slab-dma32-reserve with their options, which reach the module as
# parameters: 4 KiB chunks (four tables each: the pool grows on the map path, with the map's
# GFP_ATOMIC) and a reserve of 4, on two page tables; pages held equal at every sample (the
# defaults, 32 KiB and 32, would hold 8 and 12 pages at the peak).  Then under edge:free=atomic-128 (DMA32
# below GFP_ATOMIC's mark from the first event): the same chunks fail to be added on both,
# and the reserve serves every table the cache cannot, on both.
G=genalloc-grow,slab-dma32-reserve
GO="--genalloc-grow-chunk 4096 --reserve-objects 4 --interval-ns 1000"
# shellcheck disable=SC2086
ok "oracle $G $GO" "$PTBENCH" oracle --backend "$G" $GO --json "$TMP/kg.json" --csv "$TMP/kg.csv" \
	"$DATA/two-domains.ptb"
# shellcheck disable=SC2086
ok "the model, $G $GO" "$PTBENCH" replay --kernel 6.1 --memory x86-3g1g --cpus 2 --backend "$G" $GO \
	--json "$TMP/mg.json" --csv "$TMP/mg.csv" "$DATA/two-domains.ptb"
for b in genalloc-grow slab-dma32-reserve; do
	fp "$TMP/mg.csv" $b >"$TMP/mg.$b"
	fp "$TMP/kg.csv" $b >"$TMP/kg.$b"
	eq "$b $GO: samples taken" "$(grep -c . "$TMP/kg.$b")" 20
	same "$b $GO: pages held equal at every sample" "$TMP/mg.$b" "$TMP/kg.$b"
	eq "$b $GO: teardown gave everything back" \
		"$(json_get "$TMP/kg.json" "[r['teardown']['ok'] for r in d['runs'] if r['backend']=='$b'][0]")" True
done
eq "genalloc-grow: the guest's pool grew by 4 KiB chunks to 4 (14 live tables)" \
	"$(json_get "$TMP/kg.json" "d['runs'][0]['memory']['peak_footprint_bytes']")" 16384
eq "slab-dma32-reserve: the reserve of 4 and 14 live tables in two order-2 slabs of 16" \
	"$(json_get "$TMP/kg.json" "d['runs'][1]['memory']['peak_footprint_bytes']")" 32768
# shellcheck disable=SC2086
ok "oracle $G --pressure $P" "$PTBENCH" oracle --backend "$G" $GO --pressure "$P" \
	--json "$TMP/kgp.json" "$DATA/two-domains.ptb"
# shellcheck disable=SC2086
ok "the model, $G --pressure $P" "$PTBENCH" $M --backend "$G" $GO --pressure "$P" \
	--json "$TMP/mgp.json" "$DATA/two-domains.ptb"
for key in "['atomic']['failures']" "['map_failures']" "['memory']['peak_footprint_bytes']"; do
	eq "under $P: $key, genalloc-grow and slab-dma32-reserve" \
		"$(json_get "$TMP/kgp.json" "[r$key for r in d['runs']]")" \
		"$(json_get "$TMP/mgp.json" "[r$key for r in d['runs']]")"
done
eq "under $P: genalloc-grow fails its new chunks, the reserve serves every table" \
	"$(json_get "$TMP/kgp.json" "[r['atomic']['failures'] > 0 for r in d['runs']]")" "[True, False]"
fails "a chunk genalloc-grow cannot take is one line" 1 \
	"^ptbench: --genalloc-grow-chunk: 12288 bytes is not a power of two from 4 KiB to 4 MiB\$" \
	"$PTBENCH" oracle --backend genalloc-grow --genalloc-grow-chunk 12288 "$DATA/small.ptb"

# steady: the band [min, low] on the guest's watermarks, free within it after every tick.
ok "oracle --pressure steady" "$PTBENCH" oracle --backend slab-dma32 --pressure steady \
	--json "$TMP/ks.json" "$DATA/small.ptb"
eq "steady: the band is the guest's DMA32 [min, low]" \
	"$(json_get "$TMP/ks.json" "(d['runs'][0]['pressure']['target_min_pages'], d['runs'][0]['pressure']['target_max_pages'])")" \
	"$(json_get "$TMP/ks.json" "[(z['min_pages'], z['low_pages']) for z in d['config']['zones'] if z['name'] == 'DMA32'][0]")"
eq "steady: free within the band after every tick" \
	"$(json_get "$TMP/ks.json" "(lambda p: p['target_min_pages'] <= p['free_pages_lowest'] <= p['free_pages_highest'] <= p['target_max_pages'])(d['runs'][0]['pressure'])")" True
fails "a scenario the guest does not have" 1 '^ptbench: --pressure: trace has no guest counterpart' \
	"$PTBENCH" oracle --pressure "trace:$DATA/kmem-small.csv" "$DATA/small.ptb"
fails "a bad pressure key is one line" 1 "^ptbench: --pressure: edge: unknown key 'rate'" \
	"$PTBENCH" oracle --pressure edge:rate=1 "$DATA/small.ptb"

fails "a missing trace is one line" 1 'nope.ptb' "$PTBENCH" oracle "$TMP/nope.ptb"
fails "a backend without a kernel run" 1 'slab-dma' "$PTBENCH" oracle --backend slab-dma "$DATA/small.ptb"
# the kernel runs are the registry's kernel twins (allocators/pt_backends.c): one list, one check
fails "replay refuses a backend named twice" 1 "^ptbench: --backend: 'slab-dma32' given twice\$" \
	"$PTBENCH" replay --backend slab-dma32,slab-dma32 "$DATA/small.ptb"
fails "oracle refuses it as replay does" 1 "^ptbench: --backend: 'slab-dma32' given twice\$" \
	"$PTBENCH" oracle --backend slab-dma32,slab-dma32 "$DATA/small.ptb"
finish
