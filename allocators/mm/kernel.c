// SPDX-License-Identifier: GPL-2.0
/* kernel.c - the table of version-dependent kernel rules (kernel.h). */
#include <errno.h>
#include <string.h>

#include "kernel.h"

static const struct kernel_rules rules[KVER_NR] = {
	[KVER_4_19] = {
		.name = "4.19",
		.mtk_pgtlock = true,
		.slub_cpu_partial_objects = 6,
		.min_free_kbytes_max = 65536,
	},
	[KVER_5_4] = {
		.name = "5.4",
		.mtk_pgtlock = true,
		.slub_cpu_partial_objects = 6,
		.kmalloc_natural_align = true,
		.page_frag_const_bias = true,
		.genalloc_vzalloc = true,
		.min_free_kbytes_max = 65536,
	},
	[KVER_6_1] = {
		.name = "6.1",
		.arm64_zone_dma = true,
		.trace_iova_range = true,
		.slub_cpu_partial_objects = 24,
		.slub_cpu_partial_slabs = true,
		.slub_present_cpus = true,
		.kmalloc_natural_align = true,
		.page_frag_const_bias = true,
		.genalloc_vzalloc = true,
		.min_free_kbytes_max = 65536,
		.pcp_high_order = true,
		.pcp_reclaim_cap = true,
		.pcp_free_factor = true,
	},
	/*
	 * Debian 13's 6.12 (linux-source-6.12, 6.12.117): slub.c set_cpu_partial
	 * and calculate_order as 6.1 for a 1 KiB cache; page_frag still in
	 * mm/page_alloc.c, carving downward (__page_frag_alloc_align) but its
	 * order-3 try already without __GFP_DIRECT_RECLAIM (__page_frag_cache_refill);
	 * calculate_min_free_kbytes clamps at 262144; reserve_highatomic_pageblock
	 * ALIGNs its limit; nr_pcp_high caps at batch << 2 under ZONE_RECLAIM_ACTIVE;
	 * nr_pcp_free works on free_count (6.7), not modelled.
	 */
	[KVER_6_12] = {
		.name = "6.12",
		.arm64_zone_dma = true,
		.trace_iova_range = true,
		.slub_cpu_partial_objects = 24,
		.slub_cpu_partial_slabs = true,
		.slub_present_cpus = true,
		.kmalloc_natural_align = true,
		.page_frag_const_bias = true,
		.page_frag_nodirect_high = true,
		.genalloc_vzalloc = true,
		.min_free_kbytes_max = 262144,
		.pcp_high_order = true,
		.pcp_reclaim_cap = true,
		.highatomic_aligned_limit = true,
	},
	[KVER_6_13] = {
		.name = "6.13",
		.arm64_zone_dma = true,
		.trace_iova_range = true,
		.slub_cpu_partial_objects = 24,
		.slub_cpu_partial_slabs = true,
		.slub_present_cpus = true,
		.kmalloc_natural_align = true,
		.page_frag_const_bias = true,
		.page_frag_carve_up = true,
		.page_frag_nodirect_high = true,
		.genalloc_vzalloc = true,
		.min_free_kbytes_max = 262144,
		.pcp_high_order = true,
		.pcp_reclaim_cap = true,
		.highatomic_aligned_limit = true,
	},
	/*
	 * Debian unstable's 7.2 (linux-source-7.2, 7.2.13): page_frag as 6.13
	 * (mm/page_frag_cache.c: __page_frag_cache_refill clears
	 * __GFP_DIRECT_RECLAIM for its order-3 try, __page_frag_alloc_align
	 * carves upward); calculate_min_free_kbytes clamps at 262144;
	 * reserve_highatomic_pageblock ALIGNs its limit; nr_pcp_high caps at
	 * batch << 2 under ZONE_RECLAIM_ACTIVE.  SLUB has no per-CPU slabs nor
	 * partial lists any more: every cache without debug flags caches
	 * objects in per-CPU sheaves (slub_sheaves below).
	 */
	[KVER_7_2] = {
		.name = "7.2",
		.arm64_zone_dma = true,
		.trace_iova_range = true,
		.slub_sheaves = true,
		.slub_present_cpus = true,
		.kmalloc_natural_align = true,
		.page_frag_const_bias = true,
		.page_frag_carve_up = true,
		.page_frag_nodirect_high = true,
		.genalloc_vzalloc = true,
		.min_free_kbytes_max = 262144,
		.pcp_high_order = true,
		.pcp_reclaim_cap = true,
		.highatomic_aligned_limit = true,
	},
};

const struct kernel_rules *kernel_rules(enum kver k)
{
	PTB_BUG_ON((unsigned int)k >= KVER_NR);
	return &rules[k];
}

int kver_parse(const char *s, enum kver *out)
{
	for (int k = 0; k < KVER_NR; k++) {
		if (!strcmp(s, rules[k].name)) {
			*out = (enum kver)k;
			return 0;
		}
	}
	return -EINVAL;
}

const char *kver_name(enum kver k)
{
	return kernel_rules(k)->name;
}
