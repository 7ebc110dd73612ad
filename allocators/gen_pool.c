// SPDX-License-Identifier: GPL-2.0
/*
 * gen_pool.c - lib/genalloc.c (4.19; the same in 6.1 for what is modelled
 * here): gen_pool_add_virt, gen_pool_alloc_algo, gen_pool_first_fit,
 * gen_pool_free, gen_pool_destroy's check; the kernel-side sizes of the pool
 * and its chunks.
 *
 * Invariant: avail_bits == the clear bits of every chunk's bitmap.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gen_pool.h"

#define BITS_PER_LONG 64
#define BITS_TO_LONGS(nr) DIV_ROUND_UP(nr, BITS_PER_LONG)

/*
 * Kernel-side sizes on arm64 (64-bit pointers, non-debug 4-byte spinlock).
 * 4.19 struct gen_pool_chunk: list_head 16 + atomic_t avail 4 (+4 padding) +
 * phys_addr 8 + start_addr 8 + end_addr 8 = 48 bytes before the bitmap.
 * struct gen_pool: spinlock 4 (+4) + list_head 16 + min_alloc_order 4 (+4) +
 * algo 8 + data 8 + name 8 = 56 bytes.
 */
#define GEN_POOL_CHUNK_BYTES 48u
#define GEN_POOL_BYTES 56u
/*
 * kmalloc on arm64 4.19: ARCH_KMALLOC_MINALIGN = ARCH_DMA_MINALIGN = 128, so
 * kmalloc-128 is the smallest cache and kmalloc-192 is unused (sizes 129..192
 * go to kmalloc-256, setup_kmalloc_cache_index_table): every request lands in
 * the next power of two, at least 128.
 */
#define KMALLOC_MIN_BYTES 128u

/**
 * gen_pool_first_fit() - the default algorithm (lib/genalloc.c):
 * bitmap_find_next_zero_area(map, size, start, nr, 0), a word at a time.
 * Returns the first bit of the lowest free run of @nr bits, or @size.
 */
static uint64_t gen_pool_first_fit(const uint64_t *map, uint64_t size, uint64_t start,
				   unsigned int nr)
{
	uint64_t bit = start, run = 0;

	while (bit < size) {
		/* the word from @bit on; bits shifted in at the top read as free */
		uint64_t word = map[bit / BITS_PER_LONG] >> (bit % BITS_PER_LONG);
		unsigned int left = BITS_PER_LONG - bit % BITS_PER_LONG;
		unsigned int nr_bits;

		if (word & 1) {
			/* busy: skip the run of set bits, restart the free run */
			nr_bits = ~word ? (unsigned int)__builtin_ctzll(~word) : BITS_PER_LONG;
			bit += nr_bits;
			run = 0;
			continue;
		}
		nr_bits = word ? (unsigned int)__builtin_ctzll(word) : BITS_PER_LONG;
		nr_bits = MIN(nr_bits, left);
		if (run + nr_bits >= nr)
			return bit - run + nr <= size ? bit - run : size;
		run += nr_bits;
		bit += nr_bits;
	}
	return size;
}

/* find_first_bit(): the lowest set bit of @map, or @size. */
static uint64_t find_first_bit(const uint64_t *map, uint64_t size)
{
	for (uint64_t w = 0; w < BITS_TO_LONGS(size); w++)
		if (map[w])
			return MIN(w * BITS_PER_LONG + (uint64_t)__builtin_ctzll(map[w]), size);
	return size;
}

static void bitmap_set_range(uint64_t *map, uint64_t start, unsigned int nr)
{
	for (uint64_t b = start; b < start + nr; b++)
		map[b / BITS_PER_LONG] |= 1ULL << (b % BITS_PER_LONG);
}

/* bitmap_clear_ll(): Returns how many of the bits were already clear. */
static unsigned int bitmap_clear_range(uint64_t *map, uint64_t start, unsigned int nr)
{
	unsigned int remain = 0;

	for (uint64_t b = start; b < start + nr; b++) {
		uint64_t mask = 1ULL << (b % BITS_PER_LONG);

		remain += !(map[b / BITS_PER_LONG] & mask);
		map[b / BITS_PER_LONG] &= ~mask;
	}
	return remain;
}

static inline unsigned int granules(uint64_t size_bytes)
{
	return (unsigned int)DIV_ROUND_UP(size_bytes, 1ULL << GENALLOC_MIN_ALLOC_ORDER);
}

int gen_pool_init(struct gen_pool *pool, unsigned int max_chunks, uint64_t max_bits)
{
	memset(pool, 0, sizeof(*pool));
	pool->algo = gen_pool_first_fit;
	pool->max_chunks = max_chunks;
	/* each chunk's bitmap starts on a word: one partial word a chunk at most */
	pool->nr_words = BITS_TO_LONGS(max_bits) + max_chunks;
	pool->chunks = calloc(max_chunks, sizeof(*pool->chunks));
	pool->bitmap_words = calloc(pool->nr_words, sizeof(uint64_t));
	if (!pool->chunks || !pool->bitmap_words) {
		gen_pool_exit(pool);
		return -ENOMEM;
	}
	return 0;
}

void gen_pool_exit(struct gen_pool *pool)
{
	free(pool->chunks);
	free(pool->bitmap_words);
	pool->chunks = NULL;
	pool->bitmap_words = NULL;
}

int gen_pool_add(struct gen_pool *pool, struct mm *mm, struct page *block, unsigned int order)
{
	uint64_t nbits = (PAGE_SIZE << order) >> GENALLOC_MIN_ALLOC_ORDER;
	struct gen_pool_chunk *chunk;

	if (pool->nr_chunks == pool->max_chunks ||
	    pool->used_words + BITS_TO_LONGS(nbits) > pool->nr_words)
		return -ENOSPC;
	/* list_add_rcu(&chunk->next_chunk, &pool->chunks): the new chunk is walked first */
	memmove(pool->chunks + 1, pool->chunks, pool->nr_chunks * sizeof(*pool->chunks));
	chunk = &pool->chunks[0];
	*chunk = (struct gen_pool_chunk){
		.block = block, .order = order, .start_phys = page_to_phys(mm, block),
		.nbits = nbits, .avail_bits = nbits, .bits = pool->bitmap_words + pool->used_words,
	};
	pool->used_words += BITS_TO_LONGS(nbits);
	pool->nr_chunks++;
	pool->avail_bits += nbits;
	pool->size_bits += nbits;
	return 0;
}

/**
 * gen_pool_alloc() - gen_pool_alloc_algo(): each chunk in list order, skipped
 * when @size_bytes exceeds chunk->avail, else the run the algorithm finds.
 * Context: any (lockless; never calls the page allocator).
 * Returns 0 with the physical address in @out, or -ENOMEM when no chunk has room.
 */
int gen_pool_alloc(struct gen_pool *pool, uint64_t size_bytes, phys_addr_t *out)
{
	unsigned int nbits = granules(size_bytes);

	for (unsigned int i = 0; i < pool->nr_chunks; i++) {
		struct gen_pool_chunk *chunk = &pool->chunks[i];
		uint64_t start_bit;

		if (nbits > chunk->avail_bits)
			continue;
		start_bit = pool->algo(chunk->bits, chunk->nbits, 0, nbits);
		if (start_bit >= chunk->nbits)
			continue;
		bitmap_set_range(chunk->bits, start_bit, nbits);
		chunk->avail_bits -= nbits;
		pool->avail_bits -= nbits;
		*out = chunk->start_phys + (start_bit << GENALLOC_MIN_ALLOC_ORDER);
		return 0;
	}
	return -ENOMEM;
}

/**
 * gen_pool_free() - clear the granules of [@addr, @addr + @size_bytes) in the
 * chunk that holds them.  4.19 BUG()s when the address is in no chunk or a
 * bit was already clear.
 * Context: any.
 */
void gen_pool_free(struct gen_pool *pool, phys_addr_t addr, uint64_t size_bytes)
{
	unsigned int nbits = granules(size_bytes);

	for (unsigned int i = 0; i < pool->nr_chunks; i++) {
		struct gen_pool_chunk *chunk = &pool->chunks[i];
		phys_addr_t end = chunk->start_phys + (chunk->nbits << GENALLOC_MIN_ALLOC_ORDER);

		if (addr < chunk->start_phys || addr >= end)
			continue;
		PTB_BUG_ON(addr + size_bytes > end);
		PTB_BUG_ON(bitmap_clear_range(chunk->bits,
					      (addr - chunk->start_phys) >> GENALLOC_MIN_ALLOC_ORDER,
					      nbits) != 0);
		chunk->avail_bits += nbits;
		pool->avail_bits += nbits;
		return;
	}
	PTB_BUG_ON(1);
}

void gen_pool_destroy(struct gen_pool *pool, struct mm *mm)
{
	for (unsigned int i = 0; i < pool->nr_chunks; i++) {
		struct gen_pool_chunk *chunk = &pool->chunks[i];

		PTB_BUG_ON(find_first_bit(chunk->bits, chunk->nbits) < chunk->nbits);
		free_pages(mm, chunk->block, chunk->order, 0);
	}
	gen_pool_exit(pool);
}

/* The kmalloc size class a request of @bytes lands in on arm64 4.19. */
static uint64_t kmalloc_bytes(uint64_t bytes)
{
	uint64_t class_bytes = KMALLOC_MIN_BYTES;

	while (class_bytes < bytes)
		class_bytes <<= 1;
	return class_bytes;
}

/*
 * What the pool costs the kernel besides its chunks' memory.  gen_pool_create
 * kmallocs struct gen_pool (56 -> kmalloc-128).  gen_pool_add_virt allocates
 * each chunk's header and bitmap in one: 4.19 kzalloc_node (4 MiB: 48 + 512 =
 * 560 bytes -> kmalloc-1024); from ~5.1 (6862d2fc8185) vzalloc_node, which
 * takes whole pages (PAGE_ALIGN: one page for any chunk up to 4 MiB).
 * struct gen_pool stays in kmalloc-128 in every version modelled: from 6.5
 * arm64 kmalloc caches may be smaller than 128 (kmalloc-64 would hold it),
 * 64 bytes the model does not distinguish.
 */
uint64_t gen_pool_metadata_bytes(const struct gen_pool *pool, const struct kernel_rules *rules)
{
	uint64_t bytes = kmalloc_bytes(GEN_POOL_BYTES);

	for (unsigned int i = 0; i < pool->nr_chunks; i++) {
		uint64_t chunk_bytes = GEN_POOL_CHUNK_BYTES +
				       BITS_TO_LONGS(pool->chunks[i].nbits) * sizeof(uint64_t);

		bytes += rules->genalloc_vzalloc ? ALIGN_UP(chunk_bytes, PAGE_SIZE) :
						   kmalloc_bytes(chunk_bytes);
	}
	return bytes;
}
