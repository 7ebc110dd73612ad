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
	/*
	 * Debian 11's 5.10 (linux-source-5.10, 5.10.223): slub.c set_cpu_partial
	 * counts objects (6 for 1 KiB) and calculate_order nr_cpu_ids;
	 * zone_batchsize caps the batch at 1 MiB but pageset_set_batch keeps
	 * high = 6 * batch and only order 0 on the per-CPU lists;
	 * init_per_zone_wmark_min clamps at 262144; reserve_highatomic_pageblock
	 * managed / 100 + pageblock_nr_pages; __page_frag_cache_refill keeps the
	 * caller's reclaim bits on the order-3 try, __page_frag_alloc carves down
	 * with bias PAGE_FRAG_CACHE_MAX_SIZE + 1; gen_pool_add_owner vzalloc_node;
	 * arm64 zone_sizes_init has ZONE_DMA (zone_dma_bits min3(32, dt, acpi));
	 * mtk_iommu_map calls ops->map with no pgtlock; trace events "iova=".
	 */
	[KVER_5_10] = {
		.name = "5.10",
		.arm64_zone_dma = true,
		.slub_cpu_partial_objects = 6,
		.kmalloc_natural_align = true,
		.page_frag_const_bias = true,
		.genalloc_vzalloc = true,
		.min_free_kbytes_max = 262144,
		.pcp_batch_1m = true,
	},
	[KVER_6_1] = {
		.name = "6.1",
		.pcp_batch_1m = true,
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
		.pcp_batch_1m = true,
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
		.pcp_batch_1m = true,
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
	 * carves upward); zone_batchsize caps at 1 MiB (the guest's DMA32 batch
	 * is 63); calculate_min_free_kbytes clamps at 262144;
	 * reserve_highatomic_pageblock ALIGNs its limit; nr_pcp_high caps at
	 * batch << 2 under ZONE_RECLAIM_ACTIVE.  SLUB has no per-CPU slabs nor
	 * partial lists any more: every cache without debug flags caches
	 * objects in per-CPU sheaves (slub_sheaves below).
	 */
	[KVER_7_2] = {
		.name = "7.2",
		.pcp_batch_1m = true,
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
