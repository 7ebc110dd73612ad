// SPDX-License-Identifier: GPL-2.0
/*
 * oracle_genalloc_grow.c - genalloc-grow's kernel twin (allocators/
 * genalloc_grow.c) on the real lib/genalloc.c (6.1 and 6.12 alike for what
 * is used here): gen_pool_create(10, -1); one chunk of
 * genalloc_grow_chunk_bytes from __get_free_pages(GFP_KERNEL | GFP_DMA32 |
 * __GFP_ZERO, order) at create; when gen_pool_alloc() finds no room, one
 * more block of the same order from alloc_pages(gfp | GFP_DMA32, order)
 * with the map path's own gfp (GFP_ATOMIC on 6.1, preemption off),
 * gen_pool_add() of it, and gen_pool_alloc() again.  No chunk is ever
 * removed (lib/genalloc.c has no call for it); every block goes back to the
 * page allocator after gen_pool_destroy's walk.
 *
 * gen_pool_add_owner() takes the chunk header and bitmap from
 * vzalloc_node(GFP_KERNEL), which may reclaim and sleep: not allowed with
 * preemption off.  The model takes only the block from the machine and
 * counts the header as metadata, as if a patch had allocated it ahead.  The
 * twin runs gen_pool_add() under memalloc_noreclaim_save() (no direct
 * reclaim: the header never sleeps, never fails for want of reclaim), so
 * the block, the one thing both sides measure, is the only allocation that
 * can fail.  Debian's 6.1 and 6.12 have no CONFIG_DEBUG_ATOMIC_SLEEP, so
 * vmalloc's might_sleep() does not warn either.
 *
 * Held pages: gen_pool_size(), the kernel's own count of the chunks' bytes.
 */
#include <linux/genalloc.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched/mm.h>
#include <linux/string.h>

#include "oracle.h"

static unsigned long genalloc_grow_chunk_bytes = PT_GROW_CHUNK_BYTES_DEFAULT;
module_param(genalloc_grow_chunk_bytes, ulong, 0444);
MODULE_PARM_DESC(genalloc_grow_chunk_bytes,
		 "genalloc-grow: bytes of each chunk, a power of two (ptbench --genalloc-grow-chunk)");

/* One more chunk: @order pages from the page allocator with @gfp, added to the pool. */
static int grow_add_chunk(struct oracle_alloc *a, gfp_t gfp)
{
	size_t chunk_bytes = PAGE_SIZE << a->grow_order;
	unsigned int noreclaim;
	struct page *block;
	int ret;

	/* the model's bound on the pool (allocators/pt_backends.h) */
	if (gen_pool_size(a->pool) + chunk_bytes > PT_GROW_POOL_BYTES_MAX)
		return -ENOSPC;
	block = alloc_pages(gfp | GFP_DMA32, a->grow_order);
	if (!block)
		return -ENOMEM;
	noreclaim = memalloc_noreclaim_save();
	ret = gen_pool_add(a->pool, (unsigned long)page_address(block), chunk_bytes, -1);
	memalloc_noreclaim_restore(noreclaim);
	if (ret) {
		__free_pages(block, a->grow_order);
		return ret;
	}
	return 0;
}

int grow_create(struct oracle_alloc *a)
{
	int ret;

	if (!pt_grow_chunk_ok(genalloc_grow_chunk_bytes))
		return -EINVAL;
	a->grow_order = pt_grow_chunk_order(genalloc_grow_chunk_bytes);
	a->pool = gen_pool_create(TABLE_SHIFT, -1);
	if (!a->pool)
		return -ENOMEM;
	/* the first chunk at domain creation, which may sleep */
	ret = grow_add_chunk(a, GFP_KERNEL | __GFP_ZERO);
	if (ret) {
		gen_pool_destroy(a->pool);
		a->pool = NULL;
	}
	return ret;
}

/* gen_pool_for_each_chunk's callback: the chunk's block back to the page allocator. */
static void grow_free_chunk(struct gen_pool *pool, struct gen_pool_chunk *chunk, void *data)
{
	const struct oracle_alloc *a = data;

	__free_pages(virt_to_page((void *)chunk->start_addr), a->grow_order);
}

void grow_destroy(struct oracle_alloc *a)
{
	if (!a->pool)
		return;
	/* the blocks are freed before the chunks: gen_pool_destroy frees what walks them */
	gen_pool_for_each_chunk(a->pool, grow_free_chunk, a);
	gen_pool_destroy(a->pool);
	a->pool = NULL;
}

void *grow_alloc(struct oracle_alloc *a, gfp_t gfp)
{
	unsigned long va = gen_pool_alloc(a->pool, TABLE_BYTES);

	if (!va) {
		if (grow_add_chunk(a, gfp))
			return NULL;
		va = gen_pool_alloc(a->pool, TABLE_BYTES);
		if (!va)
			return NULL;
	}
	/* a granule handed out again is dirty; a chunk added on the map path is not zeroed */
	memset((void *)va, 0, TABLE_BYTES);
	return (void *)va;
}

void grow_free(struct oracle_alloc *a, void *table)
{
	gen_pool_free(a->pool, (unsigned long)table, TABLE_BYTES);
}

u64 grow_held_pages(struct oracle_alloc *a)
{
	return a->pool ? gen_pool_size(a->pool) >> PAGE_SHIFT : 0;
}

int grow_check_empty(struct oracle_alloc *a, char *err, size_t err_bytes)
{
	size_t avail = gen_pool_avail(a->pool), size = gen_pool_size(a->pool);

	if (avail == size)
		return 0;
	snprintf(err, err_bytes, "gen_pool has %zu of %zu bytes handed out after teardown",
		 size - avail, size);
	return -EBUSY;
}
