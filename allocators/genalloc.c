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
 * the one memory range added to the pool.
 *
 * Invariant: footprint_bytes == live_tables * 1 KiB + unused_pool_bytes,
 * with unused_pool_bytes == free granules * 1 KiB (chunk->avail).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "pt_alloc.h"

#define GENALLOC_MIN_ALLOC_ORDER 10		/* gen_pool_create(10, -1): 1 KiB granules */
#define GENALLOC_POOL_BYTES_DEFAULT (4 * MIB_BYTES)
#define GENALLOC_POOL_BYTES_MIN PAGE_SIZE
#define GENALLOC_MAX_BITS (GENALLOC_POOL_BYTES_DEFAULT >> GENALLOC_MIN_ALLOC_ORDER)
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

/*
 * genpool_algo_t of lib/genalloc.c: the first free run of @nr bits in
 * [@start, @size) of @map, or @size if none.
 */
typedef uint64_t (*genpool_algo_t)(const uint64_t *map, uint64_t size, uint64_t start,
				   unsigned int nr);

struct gen_pool {
	struct pt_alloc base;
	genpool_algo_t algo;
	struct page *block;		/* the order-@block_order pages behind the chunk */
	unsigned int block_order;
	phys_addr_t start_phys;		/* chunk->phys_addr */
	uint64_t nbits;			/* chunk size >> min_alloc_order */
	uint64_t avail_bits;		/* chunk->avail, in granules */
	uint64_t metadata_bytes;
	uint64_t bits[BITS_TO_LONGS(GENALLOC_MAX_BITS)];	/* chunk->bits */
};

static inline struct gen_pool *to_pool(struct pt_alloc *a)
{
	return container_of(a, struct gen_pool, base);
}

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

/**
 * gen_pool_alloc() - gen_pool_alloc_algo() for one chunk: skip it when
 * @size_bytes exceeds chunk->avail, else take the run the algorithm finds.
 * Context: any (lockless; never calls the page allocator).
 * Returns 0 with the physical address in @out, or -ENOMEM when the pool is full.
 */
static int gen_pool_alloc(struct gen_pool *pool, uint64_t size_bytes, phys_addr_t *out)
{
	unsigned int nbits = (unsigned int)DIV_ROUND_UP(size_bytes, 1ULL << GENALLOC_MIN_ALLOC_ORDER);
	uint64_t start_bit;

	if (nbits > pool->avail_bits)
		return -ENOMEM;
	start_bit = pool->algo(pool->bits, pool->nbits, 0, nbits);
	if (start_bit >= pool->nbits)
		return -ENOMEM;
	bitmap_set_range(pool->bits, start_bit, nbits);
	pool->avail_bits -= nbits;
	*out = pool->start_phys + (start_bit << GENALLOC_MIN_ALLOC_ORDER);
	return 0;
}

/**
 * gen_pool_free() - clear the granules of [@addr, @addr + @size_bytes).
 * 4.19 BUG()s when the address is in no chunk or a bit was already clear.
 * Context: any.
 */
static void gen_pool_free(struct gen_pool *pool, phys_addr_t addr, uint64_t size_bytes)
{
	unsigned int nbits = (unsigned int)DIV_ROUND_UP(size_bytes, 1ULL << GENALLOC_MIN_ALLOC_ORDER);
	uint64_t start_bit;

	PTB_BUG_ON(addr < pool->start_phys ||
		   addr + size_bytes > pool->start_phys + (pool->nbits << GENALLOC_MIN_ALLOC_ORDER));
	start_bit = (addr - pool->start_phys) >> GENALLOC_MIN_ALLOC_ORDER;
	PTB_BUG_ON(bitmap_clear_range(pool->bits, start_bit, nbits) != 0);
	pool->avail_bits += nbits;
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
 * What the pool costs the kernel besides the pool itself.  gen_pool_create
 * kmallocs struct gen_pool (56 -> kmalloc-128).  gen_pool_add_virt allocates
 * the chunk header and bitmap in one: 4.19 kzalloc_node (4 MiB: 48 + 512 =
 * 560 bytes -> kmalloc-1024); from ~5.1 (6862d2fc8185) vzalloc_node, which
 * takes whole pages (PAGE_ALIGN: one page for any pool up to 4 MiB).
 * struct gen_pool stays in kmalloc-128 in every version modelled: from 6.5
 * arm64 kmalloc caches may be smaller than 128 (kmalloc-64 would hold it),
 * 64 bytes the model does not distinguish.
 */
static uint64_t gen_pool_metadata_bytes(const struct kernel_rules *rules, uint64_t nbits)
{
	uint64_t chunk_bytes = GEN_POOL_CHUNK_BYTES + BITS_TO_LONGS(nbits) * sizeof(uint64_t);

	chunk_bytes = rules->genalloc_vzalloc ? ALIGN_UP(chunk_bytes, PAGE_SIZE) :
						kmalloc_bytes(chunk_bytes);
	return kmalloc_bytes(GEN_POOL_BYTES) + chunk_bytes;
}

static int genalloc_alloc_table(struct pt_alloc *a, gfp_t gfp, int cpu, phys_addr_t *out)
{
	/* @gfp is not needed: the memory was taken at creation */
	if (gen_pool_alloc(to_pool(a), PT_TABLE_SIZE, out))
		return -ENOMEM;
	/* the pool was zeroed once; a granule handed out again is dirty */
	pt_table_zero(a->mm, *out);
	return 0;
}

static void genalloc_free_table(struct pt_alloc *a, phys_addr_t table, int cpu)
{
	gen_pool_free(to_pool(a), table, PT_TABLE_SIZE);
}

static void genalloc_stats(struct pt_alloc *a, struct pt_alloc_stats *out)
{
	struct gen_pool *pool = to_pool(a);

	out->held_pages[page_zonenum(a->mm, pool->block)][pool->block_order] = 1;
	out->footprint_bytes = PAGE_SIZE << pool->block_order;
	out->metadata_bytes = pool->metadata_bytes;
	out->loss.unused_pool_bytes = pool->avail_bits << GENALLOC_MIN_ALLOC_ORDER;
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
	struct gen_pool *pool;
	char size_name[32];

	if (pool_bytes < GENALLOC_POOL_BYTES_MIN || pool_bytes > GENALLOC_POOL_BYTES_DEFAULT ||
	    (pool_bytes & (pool_bytes - 1))) {
		snprintf(err, err_bytes,
			 "genalloc-4m: pool size %llu bytes is not a power of two from 4 KiB to 4 MiB",
			 (unsigned long long)pool_bytes);
		return NULL;
	}
	pool = calloc(1, sizeof(*pool));
	if (!pool)
		goto err_nomem;
	if (pt_alloc_init(&pool->base, &pt_backend_genalloc_4m, &genalloc_ops, mm))
		goto err_free;
	pool->algo = gen_pool_first_fit;
	pool->block_order = (unsigned int)(ilog2_u64(pool_bytes) - PAGE_SHIFT);
	pool->nbits = pool_bytes >> GENALLOC_MIN_ALLOC_ORDER;
	pool->avail_bits = pool->nbits;
	pool->metadata_bytes = gen_pool_metadata_bytes(kernel_rules(mm_kernel(mm)), pool->nbits);
	/* Domain creation may sleep: reclaim and compaction are allowed. */
	pool->block = alloc_pages(mm, GFP_KERNEL | GFP_DMA32 | __GFP_ZERO, pool->block_order, 0,
				  OWNER_PT_BACKEND);
	if (!pool->block)
		goto err_exit;
	pool->start_phys = page_to_phys(mm, pool->block);
	cfg->zone = page_zonenum(mm, pool->block);
	cfg->slab_order = pool->block_order;
	cfg->slab_objects = (unsigned int)pool->nbits;
	cfg->object_bytes = PT_TABLE_SIZE;
	cfg->fixed_cost_bytes = pool_bytes;
	return &pool->base;

err_exit:
	pt_alloc_exit(&pool->base);
	free(pool);
	snprintf(err, err_bytes, "genalloc-4m: no free order-%u block below 4 GiB for the %s pool",
		 (unsigned int)(ilog2_u64(pool_bytes) - PAGE_SHIFT),
		 pool_size_name(pool_bytes, size_name, sizeof(size_name)));
	return NULL;
err_free:
	free(pool);
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
	struct gen_pool *pool;

	if (!a)
		return;
	pool = to_pool(a);
	PTB_BUG_ON(find_first_bit(pool->bits, pool->nbits) < pool->nbits);
	PTB_BUG_ON(a->live_tables != 0);
	free_pages(a->mm, pool->block, pool->block_order, 0);
	pt_alloc_exit(a);
	free(pool);
}

const struct pt_backend pt_backend_genalloc_4m = {
	.id = PT_BACKEND_GENALLOC_4M,
	.what = "gen_pool_alloc(SZ_1K) from a 4 MiB GFP_DMA32 pool taken at creation (1 bit = 1 KiB)",
	.create = genalloc_create,
	.destroy = genalloc_destroy,
};
