/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kernel.h - the kernel versions ptbench models and the rules that change
 * between them (docs/kernel-facts.md).
 *
 * Every model asks `kernel_rules(kver)->field` instead of comparing version
 * numbers itself, so each version-dependent fact is written down once, here,
 * with the kernel file it comes from; io-pgtable-arm-v7s's own rules are in
 * iommu/v7s_rules.c, compiled into the oracle's module too.
 */
#ifndef PTB_KERNEL_H
#define PTB_KERNEL_H

#include "glue.h"
#include "kver.h"

struct kernel_rules {
	const char *name;		/* "4.19" */
	/* arm64 has ZONE_DMA again from 5.5 (covering all of DRAM below 4 GiB). */
	bool arm64_zone_dma;
	/* mtk_iommu.c holds pgtlock (spin_lock_irqsave) around map: 4.19..5.4. */
	bool mtk_pgtlock;
	/* iommu trace events print "iova - end" from 5.17 (94aedac49d92). */
	bool trace_iova_range;
	/* SLUB cpu_partial for 1024 B objects: 6 (4.19, 5.4); 24 from 5.16. */
	unsigned int slub_cpu_partial_objects;
	/* 5.16+: cpu_partial is enforced as a slab count (cpu_partial_slabs). */
	bool slub_cpu_partial_slabs;
	/*
	 * 7.2 mm/slub.c: no per-CPU slabs nor partial lists; a cache without
	 * debug flags keeps freed objects in per-CPU sheaves and a per-node
	 * barn (calculate_sheaf_capacity, alloc_from_pcs, free_to_pcs).
	 */
	bool slub_sheaves;
	/* min_objects counts present CPUs from 5.11 (3286222fc609). */
	bool slub_present_cpus;
	/* kmalloc(power of two) naturally aligned from 5.4 (59bb47985c1d). */
	bool kmalloc_natural_align;
	/* page_frag bias: the page size in 4.19; PAGE_FRAG_CACHE_MAX_SIZE + 1 from 5.x. */
	bool page_frag_const_bias;
	/* page_frag carves upward from 0 in 6.13 (8218f62c9c9b), downward before. */
	bool page_frag_carve_up;
	/* 6.12, 6.13, 7.2: the order-3 page_frag try also clears __GFP_DIRECT_RECLAIM. */
	bool page_frag_nodirect_high;
	/* gen_pool_add: chunk metadata by kzalloc in 4.19, vzalloc from ~5.1. */
	bool genalloc_vzalloc;
	/* min_free_kbytes upper clamp: 65536 (4.19, 5.4, 6.1), 262144 (5.10, 6.12, 6.13, 7.2). */
	unsigned int min_free_kbytes_max;
	/*
	 * zone_batchsize caps the per-CPU batch at 1 MiB of pages (5.10 and 6.1
	 * mm/page_alloc.c, "no more than a meg"), 512 KiB before (4.19, 5.4).
	 */
	bool pcp_batch_1m;
	/* per-CPU lists for orders 1..3 too (5.13+). */
	bool pcp_high_order;
	/*
	 * While kswapd reclaims a zone (ZONE_RECLAIM_ACTIVE, 5.14+), its per-CPU
	 * lists hold at most 4 x batch (6.1 mm/page_alloc.c nr_pcp_high).
	 */
	bool pcp_reclaim_cap;
	/*
	 * 5.14..6.6 nr_pcp_free(): a drain frees batch << free_factor pages
	 * (between batch and high - batch), free_factor growing with each
	 * drain without an allocation between (CONFIG_PCP_BATCH_SCALE_MAX 5)
	 * and halved by each allocation; an order-1..3 free while it is
	 * non-zero drains the whole list (free_high, 6.0+).  6.1 only here:
	 * 6.7 replaced it (free_count, auto-tuned high), which is not modelled.
	 */
	bool pcp_free_factor;
	/* highatomic limit: managed/100 + pageblock (4.19); ALIGN(managed/100, pageblock) (6.12, 6.13, 7.2). */
	bool highatomic_aligned_limit;
};

const struct kernel_rules *kernel_rules(enum kver k);
/* Parse "4.19", "5.4", "5.10", "6.1", "6.12", "6.13", "7.2". Returns 0 or -EINVAL. */
int kver_parse(const char *s, enum kver *out);
const char *kver_name(enum kver k);

#endif /* PTB_KERNEL_H */
