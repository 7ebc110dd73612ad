/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iova.h - the IOVA allocator dma-iommu uses: drivers/iommu/iova.c of 6.1
 * (alloc_iova_fast, free_iova_fast, __alloc_and_insert_iova_range, the
 * cached-node rules and the per-CPU range caches).
 *
 * Types:
 *   struct iova_domain  one IOVA space: the ranges allocated in it (an
 *                       ordered tree, like the kernel's rbtree), the cached
 *                       nodes, and the range caches ("rcaches").
 *   struct iova_magazine  up to IOVA_MAG_SIZE freed pfns of one size.
 * Terms: "pfn" here is an IOVA page number (iova >> 12, granule 4 KiB);
 * "size" is in pages; a range is [pfn_lo, pfn_hi], inclusive as in the kernel.
 *
 * Rules followed (6.1):
 *  - alloc_iova_fast() rounds a size below 2^(IOVA_RANGE_CACHE_MAX_SIZE-1) =
 *    32 pages up to a power of two (so a freed range fits its cache bin), tries
 *    the range cache of order_base_2(size), then the tree with size_aligned:
 *    the range starts at a multiple of roundup_pow_of_two(size), for EVERY
 *    size, not only the cached ones.
 *  - the tree search walks down from the cached node (cached32_node for
 *    limits within 32 bits), taking the highest fitting aligned gap; if none,
 *    it retries once above the cached node; on failure it remembers
 *    max32_alloc_size and fails fast for as big a request until a free.
 *  - a freed range moves cached32_node up to its successor when it was at or
 *    above the cached node (__cached_rbnode_delete_update).
 *  - free_iova_fast() puts sizes of order < IOVA_RANGE_CACHE_MAX_SIZE into
 *    the freeing CPU's "loaded" magazine, swapping with "prev" when full, then
 *    pushing the full one to the global depot (MAX_GLOBAL_MAGS), else
 *    releasing its pfns to the tree.  Cached ranges stay allocated in the
 *    tree.  A get pops the most recent pfn below the limit (LIFO).
 *  - a failed tree allocation flushes every CPU's and the global caches and
 *    retries once (flush_rcache).
 * IOVA_MAG_SIZE is 128 in 6.1 (127 from 6.6: "iommu/iova: Optimize iova_magazine
 * alignment").  The flush queue (lazy mode) is not modelled: arm64 defaults
 * to strict invalidation (IOMMU_DEFAULT_DMA_STRICT), so ranges are freed at
 * unmap.
 */
#ifndef PTB_SYNTH_IOVA_H
#define PTB_SYNTH_IOVA_H

#include <stdbool.h>
#include <stdint.h>

#define IOVA_RANGE_CACHE_MAX_SIZE 6	/* log2 of the largest cached size + 1 */
#define IOVA_MAG_SIZE		128
#define MAX_GLOBAL_MAGS		32
#define IOVA_MAX_CPUS		8
#define IOVA_ANCHOR		UINT64_MAX	/* the node above the space */

struct iova_magazine {
	uint32_t size;
	uint32_t next_free;		/* the model's free list of magazines */
	uint64_t pfns[IOVA_MAG_SIZE];
};

struct iova_cpu_rcache {
	uint32_t loaded, prev;		/* magazine indices */
};

struct iova_rcache {
	uint32_t depot_size;
	uint32_t depot[MAX_GLOBAL_MAGS];
	struct iova_cpu_rcache cpu[IOVA_MAX_CPUS];
};

/* One allocated range; tree links are node indices, 0 = none. */
struct iova_node {
	uint64_t pfn_lo, pfn_hi;
	uint32_t left, right, parent;
	uint32_t prio;			/* treap priority: a hash, deterministic */
};

struct iova_stats {
	uint64_t allocs, alloc_failures;
	uint64_t rcache_hits;		/* allocations served by a range cache */
	uint64_t tree_allocs;		/* ... by the tree */
	uint64_t retries;		/* tree searches retried above the cached node */
	uint64_t flushes;		/* range caches flushed after a failure */
	uint64_t frees, rcache_inserts, tree_frees;
	uint64_t depot_pushes, magazines_released;
};

struct iova_domain {
	struct iova_node *nodes;	/* [0] unused */
	uint32_t nr_nodes, cap_nodes, free_node;
	uint32_t root, anchor;
	uint32_t cached_node, cached32_node;
	uint64_t start_pfn, dma_32bit_pfn, max32_alloc_size;
	unsigned int nr_cpus;
	struct iova_magazine *mags;	/* [0] unused */
	uint32_t nr_mags, cap_mags, free_mag;
	struct iova_rcache rcaches[IOVA_RANGE_CACHE_MAX_SIZE];
	uint64_t nr_ranges;		/* in the tree, anchor excluded */
	bool host_oom;			/* the model ran out of host memory */
	struct iova_stats stats;
};

/**
 * iova_domain_init() - init_iova_domain(granule 4 KiB, start_pfn) plus
 * iova_domain_init_rcaches() for @nr_cpus CPUs.  Returns 0 or -ENOMEM/-EINVAL.
 */
int iova_domain_init(struct iova_domain *iovad, uint64_t start_pfn, unsigned int nr_cpus);
/** iova_domain_exit() - put_iova_domain(); accepts a zeroed domain. */
void iova_domain_exit(struct iova_domain *iovad);

/**
 * alloc_iova_fast() - a range of @size pages ending at or below @limit_pfn,
 * from @cpu's range cache or the tree.  Returns its first pfn, or 0 when the
 * space is full (pfn 0 is never handed out: dma-iommu's start_pfn is 1).
 */
uint64_t alloc_iova_fast(struct iova_domain *iovad, uint64_t size, uint64_t limit_pfn,
			 bool flush_rcache, int cpu);
/** free_iova_fast() - give back a range of @size pages (its unrounded size) on @cpu. */
void free_iova_fast(struct iova_domain *iovad, uint64_t pfn, uint64_t size, int cpu);

/* The kernel's round-up of cacheable sizes (alloc_iova_fast). */
uint64_t iova_fast_size(uint64_t size);
/* The range holding @pfn, if any (private_find_iova); false if none. */
bool iova_find(const struct iova_domain *iovad, uint64_t pfn, uint64_t *pfn_lo, uint64_t *pfn_hi);
/* Pfns held by the range caches of order @log_size on @cpu (loaded + prev), for tests. */
uint32_t iova_rcache_cpu_count(const struct iova_domain *iovad, unsigned int log_size, int cpu);
uint32_t iova_rcache_depot_count(const struct iova_domain *iovad, unsigned int log_size);

#endif /* PTB_SYNTH_IOVA_H */
