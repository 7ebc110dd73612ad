// SPDX-License-Identifier: GPL-2.0
/*
 * oracle_mempool.c - slab-dma32-reserve's kernel twin (allocators/
 * slab_dma32_reserve.c) on the real mm/mempool.c (6.1 and 6.12 alike for
 * what is used here): slab-dma32's cache (kmem_cache_create(name, 1024,
 * 1024, SLAB_CACHE_DMA32), oracle_backends.c) behind
 * mempool_create_slab_pool(reserve_objects, cache), which fills its reserve
 * with kmem_cache_alloc(GFP_KERNEL) at create (mempool_init_node); a table
 * is mempool_alloc(pool, gfp) with the map path's gfp and is zeroed after
 * (mempool_alloc warns on __GFP_ZERO), mempool_free() gives it back: to the
 * reserve while the reserve is short, else to the cache.
 *
 * A gfp that may reclaim (6.12's caller gfp from a recorded trace): where
 * cache and reserve both fail, mempool_alloc sleeps until an element is
 * freed, which in a single-threaded replay is never; the model fails the
 * table there.  So for such a gfp the twin asks mempool_alloc without
 * __GFP_DIRECT_RECLAIM and __GFP_IO (its own first round: the cache, then
 * the reserve) and then the cache with the full gfp and mempool's three bits
 * (its second round), and fails where the kernel would wait.
 *
 * Held pages: the cache's slabs, reserve included (slab_held_pages).
 */
#include <linux/gfp.h>
#include <linux/mempool.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "oracle.h"

static unsigned int reserve_objects = PT_RESERVE_OBJECTS_DEFAULT;
module_param(reserve_objects, uint, 0444);
MODULE_PARM_DESC(reserve_objects,
		 "slab-dma32-reserve: the mempool's min_nr (ptbench --reserve-objects)");

int reserve_create(struct oracle_alloc *a)
{
	int ret;

	if (!reserve_objects || reserve_objects > PT_RESERVE_OBJECTS_MAX)
		return -EINVAL;
	ret = slab_create(a);
	if (ret)
		return ret;
	a->mempool = mempool_create_slab_pool(reserve_objects, a->cache);
	if (!a->mempool) {
		slab_destroy(a);
		return -ENOMEM;
	}
	return 0;
}

/* mempool_destroy: the reserve's elements back to the cache, then the cache. */
void reserve_destroy(struct oracle_alloc *a)
{
	mempool_destroy(a->mempool);
	a->mempool = NULL;
	slab_destroy(a);
}

void *reserve_alloc(struct oracle_alloc *a, gfp_t gfp)
{
	void *t;

	if (oracle_gfp_atomic(gfp)) {
		t = mempool_alloc(a->mempool, gfp);
	} else {
		t = mempool_alloc(a->mempool, gfp & ~(__GFP_DIRECT_RECLAIM | __GFP_IO));
		if (!t)
			t = kmem_cache_alloc(a->cache,
					     gfp | __GFP_NOMEMALLOC | __GFP_NORETRY | __GFP_NOWARN);
	}
	if (t)
		memset(t, 0, TABLE_BYTES);
	return t;
}

void reserve_free(struct oracle_alloc *a, void *table)
{
	mempool_free(table, a->mempool);
}

/*
 * With every table freed the reserve is full again (mempool_free refills
 * it first); then the cache holds nothing once the reserve is destroyed.
 */
int reserve_check_empty(struct oracle_alloc *a, char *err, size_t err_bytes)
{
	if (a->mempool->curr_nr != a->mempool->min_nr) {
		snprintf(err, err_bytes, "mempool reserve holds %d of %d elements after teardown",
			 a->mempool->curr_nr, a->mempool->min_nr);
		return -EBUSY;
	}
	mempool_destroy(a->mempool);
	a->mempool = NULL;
	return slab_check_empty(a, err, err_bytes);
}
