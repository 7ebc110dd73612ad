#!/bin/sh
# tests/cli/test_mtkext.sh - newer MediaTek IOMMUs end to end: `replay --ias
# 32|34` and `--ttbr-ext` are documented, refused before 6.1 and recorded in
# the JSON config; `synth mtk16g` is deterministic, uses IOVAs above 4 GiB,
# replays without a fault with --ias 34 and is refused (-ERANGE, counted in
# map_errors_other) without it; with --ttbr-ext the kernel's own slab-dma32
# cache comes from ZONE_NORMAL and its tables above 4 GiB are no violation.
. tests/cli/lib.sh

ok "replay --help" "$PTBENCH" replay --help
eq "--help documents --ias" "$(grep -c -- '^  --ias 32|34 ' "$TMP/out")" 1
eq "--help documents --ttbr-ext" "$(grep -c -- '^  --ttbr-ext ' "$TMP/out")" 1

ok "synth mtk16g" "$PTBENCH" synth mtk16g --events 6000 --seed 4 -o "$TMP/m.ptb"
ok "synth mtk16g again" "$PTBENCH" synth mtk16g --events 6000 --seed 4 -o "$TMP/m2.ptb"
same "mtk16g: same seed, same bytes" "$TMP/m.ptb" "$TMP/m2.ptb"
ok "synth mtk16g seed 5" "$PTBENCH" synth mtk16g --events 6000 --seed 5 -o "$TMP/m5.ptb"
if cmp -s "$TMP/m.ptb" "$TMP/m5.ptb"; then fail "another seed: other events"; else pass "another seed: other events"; fi
ok "stat mtk16g" "$PTBENCH" stat --json "$TMP/m.json" "$TMP/m.ptb"
eq "stat: exactly --events events" "$(json_get "$TMP/m.json" "d['trace']['events']")" 6000

fails "--ias 33" 1 "--ias: '33' is not 32 or 34" "$PTBENCH" replay --ias 33 "$TMP/m.ptb"
fails "--ias 34 on 5.4" 1 "need --kernel 6.1 or later" "$PTBENCH" replay --kernel 5.4 --ias 34 "$TMP/m.ptb"
fails "--ttbr-ext on 4.19" 1 "need --kernel 6.1 or later" "$PTBENCH" replay --ttbr-ext "$TMP/m.ptb"

run_cfg() { # NAME ARGS...: replay m.ptb on 6.1 with --check into $TMP/NAME.json
	name=$1; shift
	ok "replay $name" "$PTBENCH" replay --kernel 6.1 --check --backend slab-dma32,page-frag "$@" \
		--json "$TMP/$name.json" "$TMP/m.ptb"
}
run_cfg ias32
run_cfg ias34 --ias 34
run_cfg ias34x --ias 34 --ttbr-ext
run_cfg ias32x --ttbr-ext

eq "config records ias 32 / no ttbr_ext" "$(json_get "$TMP/ias32.json" "(d['config']['ias'], d['config']['ttbr_ext'])")" "(32, False)"
eq "config records ias 34 + ttbr_ext" "$(json_get "$TMP/ias34x.json" "(d['config']['ias'], d['config']['ttbr_ext'])")" "(34, True)"
ERRS="[r['iommu']['map_errors_other'] for r in d['runs']]"
FAULTS="[r['violations']['translation_faults'] + r['violations']['above_4g'] + r['violations']['rejected_above_4g'] + r['violations']['l1_above_4g'] for r in d['runs']]"
above=$(json_get "$TMP/ias32.json" "d['runs'][0]['iommu']['map_errors_other']")
if [ "$above" -gt 0 ]; then pass "ias 32: the maps above 4 GiB are refused ($above)"; else fail "ias 32: maps above 4 GiB refused" "$above"; fi
eq "ias 34: no map refused" "$(json_get "$TMP/ias34.json" "$ERRS")" "[0, 0]"
eq "ias 34: no fault or violation" "$(json_get "$TMP/ias34.json" "$FAULTS")" "[0, 0]"
eq "ias 34 + ttbr-ext: no map refused" "$(json_get "$TMP/ias34x.json" "$ERRS")" "[0, 0]"
eq "ias 34 + ttbr-ext: no fault or violation" "$(json_get "$TMP/ias34x.json" "$FAULTS")" "[0, 0]"
eq "slab-dma32's cache: DMA, Normal with ttbr-ext" \
	"$(json_get "$TMP/ias34.json" "d['runs'][0]['backend_cfg']['zone']") $(json_get "$TMP/ias34x.json" "d['runs'][0]['backend_cfg']['zone']")" "DMA Normal"
eq "ttbr-ext: slab-dma32's tables in ZONE_NORMAL" \
	"$(json_get "$TMP/ias34x.json" "sum(d['runs'][0]['memory']['held_blocks_final']['Normal']) > 0")" True
eq "ttbr-ext alone: the same maps refused as ias 32" "$(json_get "$TMP/ias32x.json" "d['runs'][0]['iommu']['map_errors_other']")" "$above"

# Deterministic: the same options, the same JSON.
run_cfg ias34b --ias 34
same "replay --ias 34 twice: identical JSON" "$TMP/ias34.json" "$TMP/ias34b.json"

finish
