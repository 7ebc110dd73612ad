#!/bin/sh
# tests/cli/test_bounds.sh - the worst-case bounds REPORT.md states, computed by
# scripts/bench/bounds.py from the page-table rules (`ptbench list -v geometries`,
# iommu/v7s_rules.c), for a 32-bit and a 34-bit IOVA, with and without TTBR_EXT;
# and report.py stating each bound for both configurations.
. tests/cli/lib.sh
export PTBENCH

ok "list geometries" "$PTBENCH" list geometries
eq "the four configurations" "$(paste -sd' ' "$TMP/out")" "ias32 ias34 ias32-ttbr-ext ias34-ttbr-ext"
ok "bounds.py --json" python3 scripts/bench/bounds.py --json
cp "$TMP/out" "$TMP/b.json"
B() { json_get "$TMP/b.json" "$1"; }
# ias 32: _ARM_V7S_LVL_BITS(1) = 12: 4096 slots, a 16 KiB L1; one 1 KiB L2 each at most
eq "ias32: L1 bytes, tables, live bytes" "$(B "[d['ias32'][k] for k in ('l1_bytes','max_l2_tables','max_live_table_bytes')]")" "[16384, 4096, 4194304]"
# page_frag: a page per table at most: 16 MiB (order 0), 128 MiB (order 3)
eq "ias32: page_frag order 0 / 3" "$(B "[d['ias32'][k] for k in ('page_frag_order0_bytes','page_frag_order3_bytes')]")" "[16777216, 134217728]"
# ias 34: 14 bits: 16384 slots, a 64 KiB L1; 16 MiB of tables, page_frag 64 / 512 MiB
eq "ias34: L1 bytes, tables, live bytes" "$(B "[d['ias34'][k] for k in ('l1_bytes','max_l2_tables','max_live_table_bytes')]")" "[65536, 16384, 16777216]"
eq "ias34: page_frag order 0 / 3" "$(B "[d['ias34'][k] for k in ('page_frag_order0_bytes','page_frag_order3_bytes')]")" "[67108864, 536870912]"
# genalloc-4m's 4 MiB pool: 4096 tables: all of a 32-bit space's, a quarter of a 34-bit one's
eq "genalloc-4m pool share" "$(B "[d[n]['genalloc_pool_share'] for n in ('ias32','ias34')]")" "[1.0, 0.25]"
# tables below 4 GiB without TTBR_EXT, below 1 << 35 with it
eq "table placement limits" "$(B "[d[n]['table_phys_limit'] for n in ('ias32','ias34','ias32-ttbr-ext','ias34-ttbr-ext')]")" \
	"[4294967296, 4294967296, 34359738368, 34359738368]"
eq "ttbr-ext changes no size" "$(B "d['ias34-ttbr-ext']['page_frag_order0_bytes'] == d['ias34']['page_frag_order0_bytes']")" True

# report.py: the bounds for both configurations, in the verdicts and the claim-1 table
mkdir -p "$TMP/r" && cp results/runs.csv "$TMP/r/"
ok "report.py" python3 scripts/bench/report.py --results "$TMP/r" --report "$TMP/r/REPORT.md"
eq "claim 1: the order-0 bound for both" \
	"$(grep -c 'worst case with order-0 refills 16.0 MiB for 4096 KiB of tables (32-bit IOVA), 64.0 MiB for 16.0 MiB (34-bit IOVA, TTBR_EXT)' "$TMP/r/REPORT.md")" 2
eq "claim 2: the tables a page table can need, for both" \
	"$(grep -c 'a page table can need 4,096 (32-bit IOVA), 16,384 (34-bit IOVA, TTBR_EXT) tables: the pool covers 100.0 % (32-bit IOVA), 25.0 % (34-bit IOVA, TTBR_EXT)' "$TMP/r/REPORT.md")" 2
eq "the bounds table: a row per configuration" "$(grep -c '^| ias3[24]' "$TMP/r/REPORT.md")" 4
eq "summary.txt: the 34-bit bound" "$(grep -c '34-bit IOVA: up to 16,384 tables, page_frag 512.0 MiB' "$TMP/r/summary.txt")" 1
finish
