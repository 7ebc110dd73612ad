/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gen_pool.h - lib/genalloc.c's pool of chunks, the model both genalloc
 * backends use (genalloc.c: one 4 MiB chunk; genalloc_grow.c: chunks added
 * when the pool runs out).
 *
 * Terms: "granule" = one bitmap bit = 1 KiB (gen_pool_create(10, -1));
 * "chunk" = one memory range added with gen_pool_add, its own bitmap and
 * avail count.  The chunks' memory is the caller's (pages it took from the
 * machine); the pool only hands out granules of it.
 */
#ifndef PTB_GEN_POOL_H
#define PTB_GEN_POOL_H

#include "pt_alloc.h"

#define GENALLOC_MIN_ALLOC_ORDER 10		/* gen_pool_create(10, -1): 1 KiB granules */

struct gen_pool_chunk {
	struct page *block;		/* the pages behind the chunk */
	unsigned int order;
	phys_addr_t start_phys;		/* chunk->phys_addr */
	uint64_t nbits;			/* chunk size >> min_alloc_order */
	uint64_t avail_bits;		/* chunk->avail, in granules */
	uint64_t *bits;			/* chunk->bits */
};

/*
 * genpool_algo_t of lib/genalloc.c: the first free run of @nr bits in
 * [@start, @size) of @map, or @size if none.
 */
typedef uint64_t (*genpool_algo_t)(const uint64_t *map, uint64_t size, uint64_t start,
				   unsigned int nr);

struct gen_pool {
	genpool_algo_t algo;
	/* newest first, as gen_pool_add's list_add_rcu puts them at the head */
	struct gen_pool_chunk *chunks;
	unsigned int nr_chunks, max_chunks;
	/* every chunk's bitmap, sized at init: adding a chunk never mallocs */
	uint64_t *bitmap_words;
	uint64_t nr_words, used_words;
	uint64_t avail_bits, size_bits;	/* gen_pool_avail / gen_pool_size, in granules */
};

/* gen_pool_create(10, -1) with room for @max_chunks chunks of @max_bits granules in all. */
int gen_pool_init(struct gen_pool *pool, unsigned int max_chunks, uint64_t max_bits);
void gen_pool_exit(struct gen_pool *pool);
/*
 * gen_pool_add(pool, virt, PAGE_SIZE << @order, -1) for the block @block.
 * Returns 0, or -ENOSPC when the pool has no room left for it (init's limits).
 */
int gen_pool_add(struct gen_pool *pool, struct mm *mm, struct page *block, unsigned int order);
/* gen_pool_alloc(): 0 with the granules' address in @out, or -ENOMEM. Any context. */
int gen_pool_alloc(struct gen_pool *pool, uint64_t size_bytes, phys_addr_t *out);
/* gen_pool_free(): BUG() when the range is in no chunk or a granule was free. Any context. */
void gen_pool_free(struct gen_pool *pool, phys_addr_t addr, uint64_t size_bytes);
/*
 * gen_pool_destroy(), then what the caller would do after it: every chunk's
 * pages back to @mm.  BUG() if a granule is still allocated.
 */
void gen_pool_destroy(struct gen_pool *pool, struct mm *mm);
/* What gen_pool_create and every gen_pool_add took from kmalloc/vzalloc (@rules' version). */
uint64_t gen_pool_metadata_bytes(const struct gen_pool *pool, const struct kernel_rules *rules);

#endif /* PTB_GEN_POOL_H */
