// SPDX-License-Identifier: GPL-2.0
/*
 * slab_dma32_reserve.c - backend slab-dma32-reserve: the 5.1 fix's
 * SLAB_CACHE_DMA32 cache behind mempool_create_slab_pool(N, cache), so an
 * atomic table allocation the cache cannot serve takes one of N objects
 * kept back at domain creation (mm/mempool.c 6.1: mempool_alloc,
 * mempool_free, mempool_init_node; slab_backend.c models them).  Never
 * proposed for v7s; the 2018 thread's question is whether a reserve of N
 * tables is a cheaper guarantee than a 4 MiB pool.  N: --reserve-objects
 * (default 32, one order-3 slab of 1 KiB objects).
 */
#include "slab_backend.h"

static struct pt_alloc *slab_dma32_reserve_create(struct mm *mm, struct pt_cfg *cfg,
						  char *err, size_t err_bytes)
{
	unsigned int min_nr = cfg->reserve_objects ? cfg->reserve_objects : PT_RESERVE_OBJECTS_DEFAULT;
	struct kmem_cache_cfg kcfg;
	struct pt_alloc *a;

	if (slab_backend_kcfg(&pt_backend_slab_dma32_reserve, mm, cfg, "io-pgtable_armv7s_l2",
			      PT_TABLE_SIZE, SLAB_CACHE_DMA32, false, &kcfg, err, err_bytes))
		return NULL;
	a = slab_backend_create(&pt_backend_slab_dma32_reserve, mm, cfg, &kcfg, 0, err, err_bytes);
	if (a && slab_backend_mempool(a, min_nr, err, err_bytes)) {
		slab_backend_destroy(a);
		return NULL;
	}
	if (a)
		cfg->fixed_cost_bytes = (uint64_t)min_nr * PT_TABLE_SIZE;
	return a;
}

const struct pt_backend pt_backend_slab_dma32_reserve = {
	.id = PT_BACKEND_SLAB_DMA32_RESERVE,
	.what = "slab-dma32 behind mempool_create_slab_pool(N, cache): N tables kept back for "
		"when the cache fails",
	.create = slab_dma32_reserve_create,
	.destroy = slab_backend_destroy,
};
