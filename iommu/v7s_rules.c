// SPDX-License-Identifier: GPL-2.0
/*
 * v7s_rules.c - what io-pgtable-arm-v7s.c does differently per kernel version,
 * and the page-table configuration it gives (v7s.h: struct v7s_rules,
 * v7s_cfg_for).  Freestanding, like the rest of iommu/: ptbench configures its
 * domains with it (harness/v7s_mm.c) and ptb_oracle.ko its own, for the kernel it is built for (6.1, 6.12, 7.2).
 */
#include "v7s.h"

static const struct v7s_rules rules[KVER_NR] = {
	/* __arm_v7s_alloc_table: L1 by __get_dma_pages, L2 GFP_ATOMIC; split_blk_unmap */
	[KVER_4_19] = { .l1_dma32 = false, .l2_caller_gfp = false, .split = true },
	/* 5.1 (0a352554da69): L1 with GFP_DMA32, "Page table does not fit in PTE" */
	[KVER_5_4] = { .l1_dma32 = true, .l2_caller_gfp = false, .split = true },
	/* 5.9 (f34ce7a7004b): the L2 gets the map's gfp */
	[KVER_6_1] = { .l1_dma32 = true, .l2_caller_gfp = true, .split = true },
	/* 6.12: as 6.1 (linux-source-6.12 io-pgtable-arm-v7s.c: only map/unmap gone for _pages) */
	[KVER_6_12] = { .l1_dma32 = true, .l2_caller_gfp = true, .split = true },
	/* 6.13 (fd50651636fb): no arm_v7s_split_blk_unmap / split_cont */
	[KVER_6_13] = { .l1_dma32 = true, .l2_caller_gfp = true, .split = false },
	/*
	 * 7.2: as 6.13 (linux-source-7.2 io-pgtable-arm-v7s.c: L1 still by
	 * __get_free_pages(GFP_DMA32), no iommu-pages; L2 kmem_cache_zalloc(gfp))
	 */
	[KVER_7_2] = { .l1_dma32 = true, .l2_caller_gfp = true, .split = false },
};

const struct v7s_rules *v7s_rules(enum kver k)
{
	return (unsigned int)k < KVER_NR ? &rules[k] : NULL;
}

uint32_t v7s_mtk_quirks(uint64_t dram_end_bytes)
{
	uint32_t quirks = V7S_QUIRK_ARM_NS | V7S_QUIRK_NO_PERMS;

	/* mtk_iommu_probe: enable_4GB = max_pfn > (BIT_ULL(32) >> PAGE_SHIFT) */
	if (dram_end_bytes > (1ULL << 32))
		quirks |= V7S_QUIRK_MTK_4GB;
	return quirks;
}

int v7s_cfg_for(struct v7s_cfg *cfg, enum kver k, uint32_t quirks)
{
	const struct v7s_rules *r = v7s_rules(k);

	if (!r)
		return -V7S_EINVAL;
	*cfg = (struct v7s_cfg){
		.quirks = quirks,
		.pgsize_bitmap = V7S_PGSIZE_BITMAP,	/* mtk_iommu_ops: 4K|64K|1M|16M */
		.l2_caller_gfp = r->l2_caller_gfp,
		.split = r->split,
		/* "Page table does not fit in PTE" came with the DMA32 L1 fix (5.1). */
		.warn_table_phys = r->l1_dma32,
	};
	return 0;
}
