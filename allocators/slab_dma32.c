// SPDX-License-Identifier: GPL-2.0
/*
 * slab_dma32.c - the 5.1 fix: L2 tables from a SLAB_CACHE_DMA32 cache.
 *
 * io-pgtable-arm-v7s.c (5.1+, backported to 4.19 stable):
 *   kmem_cache_create("io-pgtable_armv7s_l2", ARM_V7S_TABLE_SIZE(2),
 *                     ARM_V7S_TABLE_SIZE(2), ARM_V7S_TABLE_SLAB_FLAGS, NULL)
 * with ARM_V7S_TABLE_SLAB_FLAGS = SLAB_CACHE_DMA32 on arm64, and
 * kmem_cache_zalloc(cache, gfp) per table.  Every slab comes from
 * ZONE_DMA32 (ZONE_DMA from arm64 5.5, where GFP_DMA32 falls back into it).
 * With IO_PGTABLE_QUIRK_ARM_MTK_TTBR_EXT (6.1+, cfg->ttbr_ext) the cache has
 * no slab flag and its slabs come from ZONE_NORMAL.
 */
#include "slab_backend.h"

static struct pt_alloc *slab_dma32_create(struct mm *mm, struct pt_cfg *cfg,
					  char *err, size_t err_bytes)
{
	struct kmem_cache_cfg kcfg;

	if (slab_backend_kcfg(&pt_backend_slab_dma32, mm, cfg, "io-pgtable_armv7s_l2", PT_TABLE_SIZE,
			      cfg->ttbr_ext ? 0 : SLAB_CACHE_DMA32, false, &kcfg, err, err_bytes))
		return NULL;
	return slab_backend_create(&pt_backend_slab_dma32, mm, cfg, &kcfg, 0, err, err_bytes);
}

const struct pt_backend pt_backend_slab_dma32 = {
	.id = PT_BACKEND_SLAB_DMA32,
	.what = "the 5.1 fix: kmem_cache_zalloc from a 1 KiB SLAB_CACHE_DMA32 cache",
	.create = slab_dma32_create,
	.destroy = slab_backend_destroy,
};
