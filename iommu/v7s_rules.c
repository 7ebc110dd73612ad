// SPDX-License-Identifier: GPL-2.0
/*
 * v7s_rules.c - what io-pgtable-arm-v7s.c does differently per kernel version,
 * and the page-table configuration it gives (v7s.h: struct v7s_rules,
 * v7s_cfg_for).  Freestanding, like the rest of iommu/: ptbench configures its
 * domains with it (harness/v7s_mm.c) and ptb_oracle.ko its own, for the kernel it is built for
 * (5.10, 6.1, 6.12, 7.2).
 */
#include "v7s.h"

static const struct v7s_rules rules[KVER_NR] = {
	/* __arm_v7s_alloc_table: L1 by __get_dma_pages, L2 GFP_ATOMIC; split_blk_unmap */
	[KVER_4_19] = { .l1_dma32 = false, .l2_caller_gfp = false, .split = true },
	/* 5.1 (0a352554da69): L1 with GFP_DMA32, "Page table does not fit in PTE" */
	[KVER_5_4] = { .l1_dma32 = true, .l2_caller_gfp = false, .split = true },
	/*
	 * 5.10 (linux-source-5.10 io-pgtable-arm-v7s.c): ARM_V7S_TABLE_GFP_DMA is
	 * GFP_DMA32, the L2 is kmem_cache_zalloc(data->l2_tables, gfp) with the
	 * map's gfp, arm_v7s_split_blk_unmap still there: 6.1's rules
	 */
	[KVER_5_10] = { .l1_dma32 = true, .l2_caller_gfp = true, .split = true },
	/* 5.9 (f34ce7a7004b): the L2 gets the map's gfp */
	/* + cfg->ias sizes the L1, IO_PGTABLE_QUIRK_ARM_MTK_TTBR_EXT (6.1 source) */
	[KVER_6_1] = { .l1_dma32 = true, .l2_caller_gfp = true, .split = true, .mtk_ext = true },
	/* 6.12: as 6.1 (linux-source-6.12 io-pgtable-arm-v7s.c: only map/unmap gone for _pages) */
	[KVER_6_12] = { .l1_dma32 = true, .l2_caller_gfp = true, .split = true, .mtk_ext = true },
	/* 6.13 (fd50651636fb): no arm_v7s_split_blk_unmap / split_cont */
	[KVER_6_13] = { .l1_dma32 = true, .l2_caller_gfp = true, .split = false, .mtk_ext = true },
	/*
	 * 7.2: as 6.13 (linux-source-7.2 io-pgtable-arm-v7s.c: L1 still by
	 * __get_free_pages(GFP_DMA32), no iommu-pages; L2 kmem_cache_zalloc(gfp);
	 * cfg->ias sizes the L1, IO_PGTABLE_QUIRK_ARM_MTK_TTBR_EXT still there)
	 */
	[KVER_7_2] = { .l1_dma32 = true, .l2_caller_gfp = true, .split = false, .mtk_ext = true },
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

int v7s_cfg_mtk_ext(struct v7s_cfg *cfg, enum kver k, unsigned int ias, bool ttbr_ext)
{
	const struct v7s_rules *r = v7s_rules(k);

	if (ias != V7S_ADDR_BITS && ias != V7S_IAS_MTK_MAX)
		return -V7S_EINVAL;
	if (ias == V7S_ADDR_BITS && !ttbr_ext)
		return 0;
	if (!r || !r->mtk_ext)
		return -V7S_EINVAL;
	/* mtk_iommu_domain_finalise: .ias = IOVA_34_EN ? 34 : 32 */
	cfg->ias = (uint8_t)ias;
	/* ... oas = HAS_4GB_MODE ? (enable_4GB ? 33 : 32) : 35; these SoCs lack it */
	cfg->oas = V7S_OAS_MTK_EXT;
	cfg->quirks &= ~V7S_QUIRK_MTK_4GB;
	/* ... PGTABLE_PA_35_EN: quirks |= IO_PGTABLE_QUIRK_ARM_MTK_TTBR_EXT */
	if (ttbr_ext)
		cfg->quirks |= V7S_QUIRK_MTK_TTBR_EXT;
	return 0;
}

unsigned int v7s_ias(const struct v7s_cfg *cfg)
{
	return cfg->ias ? cfg->ias : V7S_ADDR_BITS;
}

unsigned int v7s_oas(const struct v7s_cfg *cfg)
{
	return cfg->oas ? cfg->oas : V7S_ADDR_BITS;
}

/* _ARM_V7S_LVL_BITS(1, cfg) = cfg->ias - 20 (6.1+; 12 bits before) */
unsigned int v7s_l1_ptes(const struct v7s_cfg *cfg)
{
	return 1u << (v7s_ias(cfg) - V7S_L1_SHIFT);
}

/* get_order(ARM_V7S_TABLE_SIZE(1, cfg)): 4-byte entries, 4 KiB pages */
unsigned int v7s_l1_order(const struct v7s_cfg *cfg)
{
	unsigned int pages = v7s_l1_ptes(cfg) * 4u / 4096u, order = 0;

	while ((1u << order) < pages)
		order++;
	return order;
}

/*
 * __arm_v7s_alloc_table: "Page table does not fit in PTE" when
 * TTBR_EXT ? phys >= (1ULL << cfg->oas) : phys != (arm_v7s_iopte)phys.
 */
uint64_t v7s_table_phys_limit(const struct v7s_cfg *cfg)
{
	if (cfg->quirks & V7S_QUIRK_MTK_TTBR_EXT)
		return 1ull << v7s_oas(cfg);
	return 1ull << V7S_ADDR_BITS;
}

/* arm_v7s_is_mtk_enabled with a wider output: PA bits 32..34 in the PTE. */
bool v7s_mtk_pa(const struct v7s_cfg *cfg)
{
	return v7s_oas(cfg) > V7S_ADDR_BITS;
}

/* to_mtk_iopte (6.1+): PA bits 32, 33, 34 go to PTE bits 9, 4, 5. */
uint32_t v7s_to_mtk_iopte(uint64_t paddr, uint32_t pte)
{
	if (paddr & (1ull << 32))
		pte |= V7S_ATTR_MTK_PA_BIT32;
	if (paddr & (1ull << 33))
		pte |= V7S_ATTR_MTK_PA_BIT33;
	if (paddr & (1ull << 34))
		pte |= V7S_ATTR_MTK_PA_BIT34;
	return pte;
}

/* iopte_to_paddr's upper bits: back from PTE bits 9, 4, 5 (0 without v7s_mtk_pa). */
uint64_t v7s_mtk_iopte_upper(const struct v7s_cfg *cfg, uint32_t pte)
{
	uint64_t up = 0;

	if (!v7s_mtk_pa(cfg))
		return 0;
	if (pte & V7S_ATTR_MTK_PA_BIT32)
		up |= 1ull << 32;
	if (pte & V7S_ATTR_MTK_PA_BIT33)
		up |= 1ull << 33;
	if (pte & V7S_ATTR_MTK_PA_BIT34)
		up |= 1ull << 34;
	return up;
}
