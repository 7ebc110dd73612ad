# tests/cli/oracle-agree.sh - sourced by the test_oracle*.sh scripts after
# lib.sh: the checks that the kernel run of tests/data/small.ptb (all eight backends)
# agrees with the model's, the same on every architecture.
#
# oracle_agree KEEPDIR: the kernel run in $TMP/k.json, k.csv, k.l2 and ref.l2 (ptbench
# oracle ... --keep KEEPDIR), the model's in $TMP/m.json, m.csv, m.l2; $B the backends.
# Targets (issue 7): the same L2 op sequence (every alloc/fail/free, its slot and CPU),
# also from the kernel's own io-pgtable-arm-v7s.c; pages held by slab-dma32, page-frag,
# genalloc-4m, pt-frag, genalloc-grow and slab-dma32-reserve equal at every sample; kzalloc-dma32's tables above 4 GiB equal;
# the module's v7s configuration is ptbench's for the guest's version (list -v kernels:
# $KV, 6.1 unless the test sets it); the
# module loads and unloads cleanly with the kernel's books empty, and refuses a malformed
# trace while the guest goes on.

# $B: the eight kernel backends; $K: where the guest's files are kept
B=slab-dma32,genalloc-4m,page-frag,kzalloc-dma32,page-per-table,pt-frag,genalloc-grow,slab-dma32-reserve
K=$TMP/keep

# footprint_bytes per (backend, t_ns) sample, from either CSV by column name
fp() {
	python3 -c '
import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    if r["backend"] == sys.argv[2]:
        print(r["t_ns"], r["footprint_bytes"])' "$1" "$2"
}

# agree_runs "ORACLE OPTIONS" "REPLAY OPTIONS": the kernel run of small.ptb ($B, with every
# output oracle_agree reads, the guest's files kept in $K) and the model's, each with its
# own options (split on blanks).
agree_runs() {
	# shellcheck disable=SC2086
	ok "oracle $1 runs the trace in the guest" "$PTBENCH" oracle $1 --backend "$B" \
		--json "$TMP/k.json" --csv "$TMP/k.csv" --l2-log "$TMP/k.l2" --ref-l2-log "$TMP/ref.l2" \
		--keep "$K" "$DATA/small.ptb"
	# shellcheck disable=SC2086
	ok "the model replays the same trace ($2)" "$PTBENCH" replay $2 --backend "$B" \
		--json "$TMP/m.json" --csv "$TMP/m.csv" --l2-log "$TMP/m.l2" "$DATA/small.ptb"
}

oracle_agree() {
	# $L2_OPS, $REF_OPS: a kernel without arm_v7s_split_blk_unmap (6.13+) makes fewer
	eq "L2 ops of the trace happened (${L2_OPS_SAY:-7 x 6 + kzalloc-dma32 44})" \
		"$(grep -c . "$TMP/k.l2" 2>/dev/null)" "${L2_OPS:-86}"

	same "same L2 op sequence (op, slot, CPU), every backend" "$TMP/m.l2" "$TMP/k.l2"
	# the kernel's OWN io-pgtable-arm-v7s.c, through the real iommu core, gives the same ops
	grep '^slab-dma32 ' "$TMP/m.l2" | cut -d' ' -f2- >"$TMP/m.ops"
	cut -d' ' -f2- "$TMP/ref.l2" >"$TMP/ref.ops" 2>/dev/null
	eq "the kernel's own v7s made L2 ops" "$(grep -c . "$TMP/ref.ops")" "${REF_OPS:-6}"
	same "model L2 ops = the kernel's own io-pgtable-arm-v7s.c's" "$TMP/m.ops" "$TMP/ref.ops"

	for b in slab-dma32 page-frag genalloc-4m pt-frag genalloc-grow slab-dma32-reserve; do
		fp "$TMP/m.csv" $b >"$TMP/m.$b"
		fp "$TMP/k.csv" $b >"$TMP/k.$b"
		[ -s "$TMP/k.$b" ] || echo "no kernel samples for $b" >"$TMP/k.$b"
		same "$b: pages held equal at every sample" "$TMP/m.$b" "$TMP/k.$b"
		for key in "['memory']['peak_footprint_bytes']" "['tables']['allocs']" "['tables']['frees']"; do
			eq "$b: $key" "$(json_get "$TMP/k.json" "[r$key for r in d['runs'] if r['backend']=='$b'][0]")" \
				"$(json_get "$TMP/m.json" "[r$key for r in d['runs'] if r['backend']=='$b'][0]")"
		done
	done
	for key in "['violations']['above_4g']" "['map_failures']" "['tables']['allocs']"; do
		eq "kzalloc-dma32: $key" \
			"$(json_get "$TMP/k.json" "[r$key for r in d['runs'] if r['backend']=='kzalloc-dma32'][0]")" \
			"$(json_get "$TMP/m.json" "[r$key for r in d['runs'] if r['backend']=='kzalloc-dma32'][0]")"
	done

	R=$1/guest/results
	# the page table the module made is the one --kernel $KV makes (iommu/v7s_rules.c, in both)
	host_cfg=$("$PTBENCH" list -v kernels | awk -v kv="${KV:-6.1}" '$1 == kv { $1 = ""; print substr($0, 2) }')
	guest_cfg=$(for k in v7s_pgsize_bitmap v7s_l2_caller_gfp v7s_split v7s_warn_table_phys; do
		awk -v k=$k '$1 == k { printf "%s %s ", k, $2 }' "$R/slab-dma32.result" 2>/dev/null; done)
	eq "the module's v7s configuration is ptbench's for ${KV:-6.1}" "${guest_cfg% }" "$host_cfg"
	# mtk_iommu's quirks from the guest's own DRAM, which ends at 5 GiB on both guests:
	# ARM_NS | NO_PERMS | MTK_4GB (iommu/v7s.h), as the model's 5 GiB layouts
	eq "the module's quirks are v7s_mtk_quirks() of the guest's DRAM" \
		"$(awk '$1 == "v7s_quirks" { print $2 }' "$R/slab-dma32.result" 2>/dev/null)" 7
	for b in $(echo "$B" | tr , ' '); do
		eq "$b: teardown gave everything back" \
			"$(json_get "$TMP/k.json" "[r['teardown']['ok'] for r in d['runs'] if r['backend']=='$b'][0]")" True
		eq "$b: rmmod" "$(head -n 1 "$R/$b.unload" 2>/dev/null)" "rmmod ok"
		eq "$b: malformed trace refused" "$(cut -c1-50 "$R/$b.bad" 2>/dev/null)" \
			"refused: record 0 cut short: 36 of 56 bytes (the f"
	done
	eq "the guest lived on after the malformed traces" "$(cat "$R/alive" 2>/dev/null)" alive
	# the kernel's own v7s WARNs on this trace's unmaps of unmapped pages (as the model
	# counts them); nothing else may warn or oops
	eq "no oops, no warning but the kernel v7s's own" \
		"$(grep -E 'BUG:|Oops|WARNING:' "$R/dmesg" 2>/dev/null | grep -vc 'io-pgtable-arm-v7s.c')" 0
}

# guest_is_x86 "DEBIAN'S" PREFIX SUFFIX: the kernel run of agree_runs on the pc-3g1g guest
# was $KV's: engine kernel-$KV, config.kernel the model's, the guest's kernel release
# PREFIX...SUFFIX on 2 CPUs, the module ran $KV's rules, DMA32 and Normal the pc-3g1g
# layout's, and GFP_ATOMIC's mark $KV's rule on the guest's own min: min - min/2, then a
# quarter of that off again (5.10: ALLOC_HIGH, ALLOC_HARDER; 6.12, 7.2: ALLOC_MIN_RESERVE,
# ALLOC_NON_BLOCK; __zone_watermark_ok in each version's mm/page_alloc.c).
guest_is_x86() {
	ok "the JSON is valid" python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$TMP/k.json"
	eq "engine is kernel-$KV" "$(json_get "$TMP/k.json" "d['config']['engine']")" "kernel-$KV"
	eq "config.kernel is $KV, as the model's" "$(json_get "$TMP/k.json" "d['config']['kernel']")" \
		"$(json_get "$TMP/m.json" "d['config']['kernel']")"
	eq "the guest ran $1 $KV on 2 CPUs" \
		"$(json_get "$TMP/k.json" "(d['config']['guest_kernel'].startswith('$2') and d['config']['guest_kernel'].endswith('$3'), d['config']['cpus'])")" \
		"(True, 2)"
	eq "the module says it ran $KV's rules" "$(awk '$1 == "kver" { print $2 }' "$K/guest/results/slab-dma32.result" 2>/dev/null)" "$KV"
	eq "DMA32 is pc-3g1g's: 3 GiB below 4 GiB from pfn 4096" \
		"$(json_get "$TMP/k.json" "[(z['start_pfn'], z['spanned_pages'], z['present_pages']) for z in d['config']['zones'] if z['name'] == 'DMA32'][0]")" \
		"(4096, 1044480, 782301)"
	eq "Normal is the 1 GiB above 4 GiB" \
		"$(json_get "$TMP/k.json" "[(z['start_pfn'], z['spanned_pages']) for z in d['config']['zones'] if z['name'] == 'Normal'][0]")" \
		"(1048576, 262144)"
	eq "GFP_ATOMIC's mark is $KV's rule on the guest's DMA32 min" \
		"$(json_get "$TMP/k.json" "[m - m // 2 - (m - m // 2) // 4 == z['watermark_atomic_pages'] for z in [d['runs'][0]['zones']['DMA32']] for m in [z['watermark_min_pages']]][0]")" True
}

# guest_is_arm64 "DEBIAN'S" PREFIX SUFFIX: the same for the virt-mt8173 guest: engine, the
# guest's kernel release, the module's rules, and the MT8173's zones (DMA from 0x4000_0000
# to 4 GiB, Normal above, as the model's mt8173-4g).
guest_is_arm64() {
	eq "engine is kernel-$KV" "$(json_get "$TMP/k.json" "d['config']['engine']")" "kernel-$KV"
	eq "the guest ran $1 arm64 $KV" \
		"$(json_get "$TMP/k.json" "d['config']['guest_kernel'].startswith('$2') and d['config']['guest_kernel'].endswith('$3')")" True
	eq "the module says it ran $KV's rules" "$(awk '$1 == "kver" { print $2 }' "$K/guest/results/slab-dma32.result" 2>/dev/null)" "$KV"
	eq "guest zones with memory: DMA, Normal (as the model's mt8173-4g)" \
		"$(json_get "$TMP/k.json" "','.join(z['name'] for z in d['config']['zones'])")" \
		"$(json_get "$TMP/m.json" "','.join(d['runs'][0]['zones'])")"
	eq "ZONE_DMA is 0x40000000..4 GiB" \
		"$(json_get "$TMP/k.json" "[(hex(z['start_pfn'] << 12), hex((z['start_pfn'] + z['spanned_pages']) << 12)) for z in d['config']['zones'] if z['name'] == 'DMA'][0]")" \
		"('0x40000000', '0x100000000')"
}

# tables_below_4g: on arm64 every GFP_DMA32 backend's table came from below 4 GiB.
tables_below_4g() {
	for b in slab-dma32 genalloc-4m page-frag page-per-table; do
		eq "$b: every table below 4 GiB" \
			"$(json_get "$TMP/k.json" "[r['violations']['above_4g'] for r in d['runs'] if r['backend']=='$b'][0]")" 0
	done
}
