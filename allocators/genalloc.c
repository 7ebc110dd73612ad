// SPDX-License-Identifier: GPL-2.0
/*
 * genalloc.c - a 4 MiB gen_pool of 1 KiB granules, preallocated below 4 GiB.
 *
 * At creation: gen_pool_create(10, -1), one order-10 block from
 * __get_free_pages(GFP_KERNEL | GFP_DMA32 | __GFP_ZERO, 10) (domain creation
 * may sleep and reclaim), gen_pool_add(pool, virt, SZ_4M, -1).  Tables then
 * come from gen_pool_alloc(pool, SZ_1K) and go back with gen_pool_free():
 * lockless bitmap operations that never touch the page allocator, so they
 * are safe in atomic context and cannot fail until all 4096 granules are in
 * use - which is every level-2 table a v7s L1 table can point to.  Chunks are
 * never removed: the pool is freed only with the domain (gen_pool_destroy).
 * Modelled on lib/genalloc.c of 4.19 (gen_pool_add_virt, gen_pool_alloc_algo,
 * gen_pool_first_fit, gen_pool_free, gen_pool_destroy).
 *
 * Terms: "granule" = one bitmap bit = 1 KiB (min_alloc_order 10); "chunk" =
 * the one memory range added to the pool.  The pool itself: gen_pool.c.
 *
 * Invariant: footprint_bytes == live_tables * 1 KiB + unused_pool_bytes,
 * with unused_pool_bytes == free granules * 1 KiB (chunk->avail).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "gen_pool.h"

#define GENALLOC_POOL_BYTES_DEFAULT (4 * MIB_BYTES)
#define GENALLOC_POOL_BYTES_MIN PAGE_SIZE

struct genalloc_4m {
	struct pt_alloc base;
	struct gen_pool pool;		/* one chunk (gen_pool.c) */
	struct page *block;		/* the order-@block_order pages behind the chunk */
	unsigned int block_order;
	uint64_t metadata_bytes;
};

static inline struct genalloc_4m *to_g4m(struct pt_alloc *a)
{
	return container_of(a, struct genalloc_4m, base);
}

static int genalloc_alloc_table(struct pt_alloc *a, gfp_t gfp, int cpu, phys_addr_t *out)
{
	/* @gfp is not needed: the memory was taken at creation */
	if (gen_pool_alloc(&to_g4m(a)->pool, PT_TABLE_SIZE, out))
		return -ENOMEM;
	/* the pool was zeroed once; a granule handed out again is dirty */
	pt_table_zero(a->mm, *out);
	return 0;
}

static void genalloc_free_table(struct pt_alloc *a, phys_addr_t table, int cpu)
{
	gen_pool_free(&to_g4m(a)->pool, table, PT_TABLE_SIZE);
}

static void genalloc_stats(struct pt_alloc *a, struct pt_alloc_stats *out)
{
	struct genalloc_4m *g = to_g4m(a);

	out->held_pages[page_zonenum(a->mm, g->block)][g->block_order] = 1;
	out->footprint_bytes = PAGE_SIZE << g->block_order;
	out->metadata_bytes = g->metadata_bytes;
	out->loss.unused_pool_bytes = g->pool.avail_bits << GENALLOC_MIN_ALLOC_ORDER;
	PTB_DEBUG_CHECK(out->footprint_bytes == a->live_tables * PT_TABLE_SIZE +
			out->loss.unused_pool_bytes);
}

static const struct pt_alloc_ops genalloc_ops = {
	.alloc_table = genalloc_alloc_table,
	.free_table = genalloc_free_table,
	.stats = genalloc_stats,
};

/* "4 MiB", "64 KiB": a pool size for messages. */
static const char *pool_size_name(uint64_t bytes, char *buf, size_t buf_bytes)
{
	if (bytes >= MIB_BYTES)
		snprintf(buf, buf_bytes, "%llu MiB", (unsigned long long)(bytes / MIB_BYTES));
	else
		snprintf(buf, buf_bytes, "%llu KiB", (unsigned long long)(bytes / KIB_BYTES));
	return buf;
}

static struct pt_alloc *genalloc_create(struct mm *mm, struct pt_cfg *cfg, char *err,
					size_t err_bytes)
{
	uint64_t pool_bytes = cfg->genalloc_pool_bytes ? cfg->genalloc_pool_bytes :
				GENALLOC_POOL_BYTES_DEFAULT;
	struct genalloc_4m *g;
	char size_name[32];

	if (pool_bytes < GENALLOC_POOL_BYTES_MIN || pool_bytes > GENALLOC_POOL_BYTES_DEFAULT ||
	    (pool_bytes & (pool_bytes - 1))) {
		snprintf(err, err_bytes,
			 "genalloc-4m: pool size %llu bytes is not a power of two from 4 KiB to 4 MiB",
			 (unsigned long long)pool_bytes);
		return NULL;
	}
	g = calloc(1, sizeof(*g));
	if (!g)
		goto err_nomem;
	if (pt_alloc_init(&g->base, &pt_backend_genalloc_4m, &genalloc_ops, mm))
		goto err_free;
	if (gen_pool_init(&g->pool, 1, pool_bytes >> GENALLOC_MIN_ALLOC_ORDER))
		goto err_alloc_exit;
	g->block_order = (unsigned int)(ilog2_u64(pool_bytes) - PAGE_SHIFT);
	/* Domain creation may sleep: reclaim and compaction are allowed. */
	g->block = alloc_pages(mm, GFP_KERNEL | GFP_DMA32 | __GFP_ZERO, g->block_order, 0,
			       OWNER_PT_BACKEND);
	if (!g->block)
		goto err_exit;
	PTB_BUG_ON(gen_pool_add(&g->pool, mm, g->block, g->block_order));
	g->metadata_bytes = gen_pool_metadata_bytes(&g->pool, kernel_rules(mm_kernel(mm)));
	cfg->zone = page_zonenum(mm, g->block);
	cfg->slab_order = g->block_order;
	cfg->slab_objects = (unsigned int)g->pool.size_bits;
	cfg->object_bytes = PT_TABLE_SIZE;
	cfg->fixed_cost_bytes = pool_bytes;
	return &g->base;

err_exit:
	gen_pool_exit(&g->pool);
	pt_alloc_exit(&g->base);
	free(g);
	snprintf(err, err_bytes, "genalloc-4m: no free order-%u block below 4 GiB for the %s pool",
		 (unsigned int)(ilog2_u64(pool_bytes) - PAGE_SHIFT),
		 pool_size_name(pool_bytes, size_name, sizeof(size_name)));
	return NULL;
err_alloc_exit:
	pt_alloc_exit(&g->base);
err_free:
	free(g);
err_nomem:
	snprintf(err, err_bytes, "genalloc-4m: out of host memory");
	return NULL;
}

/**
 * genalloc_destroy() - gen_pool_destroy(), then the pages go back.
 * gen_pool_destroy BUG()s if any granule is still allocated.
 */
static void genalloc_destroy(struct pt_alloc *a)
{
	struct genalloc_4m *g;

	if (!a)
		return;
	g = to_g4m(a);
	PTB_BUG_ON(a->live_tables != 0);
	gen_pool_destroy(&g->pool, a->mm);
	pt_alloc_exit(a);
	free(g);
}

const struct pt_backend pt_backend_genalloc_4m = {
	.id = PT_BACKEND_GENALLOC_4M,
	.what = "gen_pool_alloc(SZ_1K) from a 4 MiB GFP_DMA32 pool taken at creation (1 bit = 1 KiB)",
	.create = genalloc_create,
	.destroy = genalloc_destroy,
};
