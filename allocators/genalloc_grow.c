// SPDX-License-Identifier: GPL-2.0
/*
 * genalloc_grow.c - backend genalloc-grow: a gen_pool that starts with one
 * small DMA32 chunk and adds another from the map path when it runs out,
 * never giving one back.  The middle ground between genalloc-4m (the whole
 * 4 MiB up front) and no pool at all; never proposed as a patch, so this is
 * what one would do with lib/genalloc.c (6.1) as it is:
 *
 * - gen_pool_create(10, -1) and one chunk of --genalloc-grow-chunk bytes from
 *   __get_free_pages(GFP_KERNEL | GFP_DMA32 | __GFP_ZERO, order) at domain
 *   creation (may sleep), as genalloc-4m takes its pool.
 * - A table: gen_pool_alloc(pool, SZ_1K) (gen_pool.c: chunks newest first,
 *   first fit).  When every chunk is full: one more block of the same order
 *   from alloc_pages(gfp | GFP_DMA32, order) with the caller's gfp (GFP_ATOMIC
 *   on the map path), gen_pool_add, and the allocation again.  No fallback
 *   order: a failed block fails the map.
 * - gen_pool_free() on unmap; no chunk is ever removed (lib/genalloc.c has no
 *   call for it, 4.19 .. 6.18): the pool holds its high-water mark of chunks
 *   until the domain goes (gen_pool_destroy).
 *
 * Not modelled: gen_pool_add_virt allocates the chunk header and bitmap with
 * vzalloc_node (GFP_KERNEL; kzalloc_node in 4.19), which may sleep and so is
 * not allowed on the atomic map path; a real patch would have to allocate it
 * ahead or change lib/genalloc.c.  The model counts its size (metadata) and
 * takes only the chunk's pages from the machine.
 *
 * The default chunk, 32 KiB (order 3): PAGE_ALLOC_COSTLY_ORDER (3,
 * include/linux/mmzone.h) is the largest order the page allocator does not
 * call costly, the largest its per-CPU lists hold (pcp_allowed_order, 6.1),
 * and page_frag's refill order (PAGE_FRAG_CACHE_MAX_SIZE): a block an atomic
 * caller can get without asking for high-order memory the kernel treats as
 * rare.  Each chunk is then 32 tables.
 *
 * Invariant: footprint_bytes == live_tables * 1 KiB + unused_pool_bytes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "gen_pool.h"

/* The default chunk, its bounds and the pool's: allocators/pt_backends.h, shared with the twin. */

struct genalloc_grow {
	struct pt_alloc base;
	struct gen_pool pool;
	const struct kernel_rules *rules;
	unsigned int chunk_order;
	uint64_t held_blocks[MAX_NR_ZONES];	/* chunks, each one order-@chunk_order block */
};

static inline struct genalloc_grow *to_grow(struct pt_alloc *a)
{
	return container_of(a, struct genalloc_grow, base);
}

/* One more chunk from the page allocator with @gfp. Returns 0 or -ENOMEM. */
static int grow_add_chunk(struct genalloc_grow *g, gfp_t gfp, int cpu)
{
	struct page *block = alloc_pages(g->base.mm, gfp | GFP_DMA32, g->chunk_order, cpu,
					 OWNER_PT_BACKEND);

	if (!block)
		return -ENOMEM;
	if (gen_pool_add(&g->pool, g->base.mm, block, g->chunk_order)) {
		free_pages(g->base.mm, block, g->chunk_order, cpu);
		return -ENOMEM;
	}
	g->held_blocks[page_zonenum(g->base.mm, block)]++;
	return 0;
}

static int grow_alloc_table(struct pt_alloc *a, gfp_t gfp, int cpu, phys_addr_t *out)
{
	struct genalloc_grow *g = to_grow(a);

	if (gen_pool_alloc(&g->pool, PT_TABLE_SIZE, out)) {
		if (grow_add_chunk(g, gfp, cpu) || gen_pool_alloc(&g->pool, PT_TABLE_SIZE, out))
			return -ENOMEM;
	}
	/* a granule handed out again is dirty; a fresh chunk is not zeroed either */
	pt_table_zero(a->mm, *out);
	return 0;
}

static void grow_free_table(struct pt_alloc *a, phys_addr_t table, int cpu)
{
	gen_pool_free(&to_grow(a)->pool, table, PT_TABLE_SIZE);
}

static void grow_stats(struct pt_alloc *a, struct pt_alloc_stats *out)
{
	struct genalloc_grow *g = to_grow(a);

	for (int z = 0; z < MAX_NR_ZONES; z++) {
		out->held_pages[z][g->chunk_order] = g->held_blocks[z];
		out->footprint_bytes += (g->held_blocks[z] * PAGE_SIZE) << g->chunk_order;
	}
	out->metadata_bytes = gen_pool_metadata_bytes(&g->pool, g->rules);
	out->loss.unused_pool_bytes = g->pool.avail_bits << GENALLOC_MIN_ALLOC_ORDER;
	PTB_DEBUG_CHECK(out->footprint_bytes == a->live_tables * PT_TABLE_SIZE +
			out->loss.unused_pool_bytes);
}

static const struct pt_alloc_ops grow_ops = {
	.alloc_table = grow_alloc_table,
	.free_table = grow_free_table,
	.stats = grow_stats,
};

static struct pt_alloc *grow_create(struct mm *mm, struct pt_cfg *cfg, char *err, size_t err_bytes)
{
	uint64_t chunk_bytes = cfg->genalloc_grow_chunk_bytes ? cfg->genalloc_grow_chunk_bytes :
				PT_GROW_CHUNK_BYTES_DEFAULT;
	struct genalloc_grow *g;

	if (!pt_grow_chunk_ok(chunk_bytes)) {
		snprintf(err, err_bytes,
			 "genalloc-grow: chunk size %llu bytes is not a power of two from 4 KiB to 4 MiB",
			 (unsigned long long)chunk_bytes);
		return NULL;
	}
	g = calloc(1, sizeof(*g));
	if (!g)
		goto err_nomem;
	if (pt_alloc_init(&g->base, &pt_backend_genalloc_grow, &grow_ops, mm))
		goto err_free;
	if (gen_pool_init(&g->pool, (unsigned int)(PT_GROW_POOL_BYTES_MAX / chunk_bytes),
			  PT_GROW_POOL_BYTES_MAX >> GENALLOC_MIN_ALLOC_ORDER))
		goto err_alloc_exit;
	g->rules = kernel_rules(mm_kernel(mm));
	g->chunk_order = pt_grow_chunk_order(chunk_bytes);
	/* the first chunk at domain creation, which may sleep */
	if (grow_add_chunk(g, GFP_KERNEL | __GFP_ZERO, 0))
		goto err_exit;
	cfg->zone = page_zonenum(mm, g->pool.chunks[0].block);
	cfg->slab_order = g->chunk_order;
	cfg->slab_objects = (unsigned int)(chunk_bytes >> GENALLOC_MIN_ALLOC_ORDER);
	cfg->object_bytes = PT_TABLE_SIZE;
	cfg->fixed_cost_bytes = chunk_bytes;
	return &g->base;

err_exit:
	gen_pool_exit(&g->pool);
	pt_alloc_exit(&g->base);
	free(g);
	snprintf(err, err_bytes, "genalloc-grow: no free order-%u block below 4 GiB for the first chunk",
		 pt_grow_chunk_order(chunk_bytes));
	return NULL;
err_alloc_exit:
	pt_alloc_exit(&g->base);
err_free:
	free(g);
err_nomem:
	snprintf(err, err_bytes, "genalloc-grow: out of host memory");
	return NULL;
}

/* gen_pool_destroy() (BUG()s on a granule still allocated), then every chunk's pages. */
static void grow_destroy(struct pt_alloc *a)
{
	struct genalloc_grow *g;

	if (!a)
		return;
	g = to_grow(a);
	PTB_BUG_ON(a->live_tables != 0);
	gen_pool_destroy(&g->pool, a->mm);
	pt_alloc_exit(a);
	free(g);
}

const struct pt_backend pt_backend_genalloc_grow = {
	.id = PT_BACKEND_GENALLOC_GROW,
	.what = "gen_pool_alloc(SZ_1K) from a DMA32 pool of 32 KiB chunks, one more added "
		"(gfp) when full, never shrunk",
	.create = grow_create,
	.destroy = grow_destroy,
};
