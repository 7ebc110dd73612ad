// SPDX-License-Identifier: GPL-2.0
/*
 * slab_dma.c - 4.19 as released: L2 tables from a SLAB_CACHE_DMA cache.
 *
 * io-pgtable-arm-v7s.c, v4.19: ARM_V7S_TABLE_SLAB_CACHE = SLAB_CACHE_DMA.
 * arm64 had no ZONE_DMA from 4.16 to 5.4 (ad67f5a6545f), so GFP_DMA means
 * ZONE_NORMAL there and slabs land above 4 GiB on a 4 GiB MT8173: the
 * regression.  The caller (v7s) rejects such a table and frees it back to
 * the cache, which keeps handing out the same bad slab; pt_alloc counts
 * every table above 4 GiB.  From 5.5 arm64's ZONE_DMA covers DRAM below
 * 4 GiB again and the same cache is harmless.
 */
#include "slab_backend.h"

static struct pt_alloc *slab_dma_create(struct mm *mm, struct pt_cfg *cfg,
					char *err, size_t err_bytes)
{
	struct kmem_cache_cfg kcfg;

	if (slab_backend_kcfg(&pt_backend_slab_dma, mm, cfg, "io-pgtable_armv7s_l2", PT_TABLE_SIZE,
			      SLAB_CACHE_DMA, false, &kcfg, err, err_bytes))
		return NULL;
	return slab_backend_create(&pt_backend_slab_dma, mm, cfg, &kcfg, 0, err, err_bytes);
}

const struct pt_backend pt_backend_slab_dma = {
	.id = PT_BACKEND_SLAB_DMA,
	.what = "4.19 as released: kmem_cache_zalloc from a SLAB_CACHE_DMA cache (ZONE_NORMAL on arm64)",
	.create = slab_dma_create,
	.destroy = slab_backend_destroy,
};
