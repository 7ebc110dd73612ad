/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iommu.h - the IOMMU core over one v7s page table (drivers/iommu/iommu.c:
 * iommu_map/__iommu_map, iommu_unmap/__iommu_unmap, iommu_pgsize; and the
 * driver layer of mtk_iommu.c: the 4GB-mode paddr mask).  FREESTANDING like
 * v7s.h: <stdint.h>, <stddef.h>, <stdbool.h> and its own headers only.
 *
 * Types:
 *   struct iommu_domain     one paging domain: its v7s page table, counters,
 *                           optional trace hooks and the --check shadow.
 *   struct iommu_trace_ops  the two trace events (trace_map / trace_unmap).
 *   struct iommu_stats      what the core counted.
 *   struct iommu_shadow     --check: what SHOULD be mapped, as sorted intervals.
 * Terms: "request" = one iommu_map / iommu_unmap call; "chunk" = one page
 * the request is cut into (iommu_pgsize); "slot" = one 1 MiB L1 entry.
 */
#ifndef PTB_IOMMU_H
#define PTB_IOMMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "v7s.h"

/**
 * struct iommu_trace_ops - the events include/trace/events/iommu.h emits.
 * @map: after a successful iommu_map, once, with the whole request.
 * @unmap: at the end of every iommu_unmap that passed the alignment check,
 *	including the unroll of a failed map (even with size 0).
 * Both optional.
 */
struct iommu_trace_ops {
	void (*map)(void *ctx, uint64_t iova, uint64_t paddr, uint64_t size);
	void (*unmap)(void *ctx, uint64_t iova, uint64_t size, uint64_t unmapped);
};

/* Counters of the core; the page table's own are in dom->pgt.stats. */
struct iommu_stats {
	uint64_t maps;			/* iommu_map requests */
	uint64_t maps_ok;		/* ... that returned 0 */
	uint64_t map_bytes;		/* bytes of the successful ones */
	uint64_t map_failures;		/* ... that returned an error (any errno) */
	uint64_t map_enomem;		/* -ENOMEM: no L2 table, or one above 4 GiB */
	uint64_t map_eexist;		/* -EEXIST: a conflict with a live mapping */
	uint64_t map_erange;		/* -ERANGE: iova or paddr above 32 bits */
	uint64_t map_einval;		/* -EINVAL: unaligned request (not traced) */
	uint64_t map_eother;		/* any other error */
	uint64_t chunks[V7S_NR_PGSIZES];	/* chunks mapped: 4K, 64K, 1M, 16M */
	uint64_t unrolls;		/* failed requests unmapped again */
	uint64_t unroll_bytes;		/* bytes those unroll unmaps removed */
	uint64_t unmaps;		/* iommu_unmap requests (unrolls not included) */
	uint64_t unmap_bytes;		/* bytes asked */
	uint64_t unmapped_bytes;	/* bytes unmapped */
	uint64_t unmap_short;		/* requests that unmapped less than asked */
	uint64_t unmap_einval;		/* unaligned requests: 0, not traced */
	/* --check (shadow attached): pages whose translation is wrong */
	uint64_t checked_pages;		/* pages walked by the checks */
	uint64_t faults_now;		/* wrong now: missing, wrong phys, or stale */
	uint64_t faults_peak;		/* the most at any one time */
	uint64_t faults_new;		/* pages that became wrong (sum of increases) */
	/*
	 * The part of faults_* that is the kernel's own arm_v7s_split_blk_unmap
	 * refill (4.13 .. 6.12): a page of a split section that translates to
	 * its offset in the 1 MiB section instead of the block's paddr + offset.
	 */
	uint64_t split_refill_faults_now;
	uint64_t split_refill_faults_new;
	/* faults_new less the split refill's: pages the kernel would map right */
	uint64_t other_faults_new;
	bool shadow_lost;		/* the shadow ran out of memory: checks stopped */
};

/* One live mapping the shadow expects: [iova, end) -> paddr. */
struct iommu_shadow_iv {
	uint64_t iova, end, paddr;
};

/*
 * Grow the shadow's memory: return a block of at least *new_bytes (which
 * the callee may raise) holding the first @old_bytes of @mem, or NULL.
 */
typedef void *(*iommu_shadow_grow_t)(void *ctx, void *mem, size_t old_bytes, size_t *new_bytes);

struct iommu_shadow {
	struct iommu_shadow_iv *iv;	/* sorted by iova, disjoint; NULL = no --check */
	size_t nr, cap;
	iommu_shadow_grow_t grow;
	void *grow_ctx;
	uint16_t slot_faults[V7S_L1_PTES_MAX];	/* wrong pages per 1 MiB slot, <= 256 */
	uint16_t slot_split_refill[V7S_L1_PTES_MAX];	/* ... of them, the split refill's */
};

struct iommu_domain {
	struct v7s_pgtable pgt;
	uint32_t pgsize_bitmap;		/* domain->pgsize_bitmap: the table's */
	int prot;			/* prot of every map: IOMMU_READ | IOMMU_WRITE */
	const struct iommu_trace_ops *trace;
	void *trace_ctx;
	struct iommu_shadow shadow;
	struct iommu_stats stats;
};

/**
 * iommu_domain_init() - a domain over a new v7s page table (v7s_init).
 * Returns 0 or v7s_init's error; the domain then needs no exit.
 */
int iommu_domain_init(struct iommu_domain *dom, const struct v7s_cfg *cfg,
		      const struct v7s_env_ops *ops, void *ctx);
/** iommu_domain_exit() - tear the page table down. The shadow memory is the caller's. */
void iommu_domain_exit(struct iommu_domain *dom, int cpu);

/**
 * iommu_pgsize() - the chunk iommu_pgsize picks: the largest size in
 * @pgsize_bitmap not above @size nor above the alignment of @addr_merge
 * (iova | paddr; 0 means no alignment limit).  0 if none fits.
 */
uint64_t iommu_pgsize(uint32_t pgsize_bitmap, uint64_t addr_merge, uint64_t size);

/**
 * iommu_map() - map [iova, iova + size) to paddr (iommu_map / __iommu_map).
 * iova, paddr and size must be aligned to the smallest page size, else
 * -EINVAL with no trace.  Cut into chunks by iommu_pgsize; in MTK 4GB mode
 * each chunk's paddr is masked to 32 bits (mtk_iommu_map).  On a chunk's
 * failure what was mapped is unmapped again (traced as an unmap), else one
 * map event.  @gfp reaches the L2 allocation only where cfg.l2_caller_gfp.
 * Returns 0 or the chunk's -errno.
 */
int iommu_map(struct iommu_domain *dom, uint64_t iova, uint64_t paddr, uint64_t size,
	      uint32_t gfp, int cpu);
/**
 * iommu_unmap() - unmap [iova, iova + size) chunk by chunk (__iommu_unmap),
 * stopping at the first chunk that unmaps 0.  Unaligned: 0, no trace.
 * Returns the bytes unmapped.
 */
uint64_t iommu_unmap(struct iommu_domain *dom, uint64_t iova, uint64_t size, int cpu);
/** iommu_iova_to_phys() - the hardware walk (v7s_iova_to_phys). */
bool iommu_iova_to_phys(const struct iommu_domain *dom, uint64_t iova, uint64_t *phys);

/**
 * iommu_shadow_attach() - turn --check on: keep a shadow of what should be
 * mapped in @mem (@bytes; @grow, optional, enlarges it), and after every
 * request re-walk the 1 MiB slots it touched.  Attach before the first map.
 */
void iommu_shadow_attach(struct iommu_domain *dom, void *mem, size_t bytes,
			 iommu_shadow_grow_t grow, void *grow_ctx);
/**
 * iommu_check() - walk every slot page by page through the hardware walk and
 * compare with the shadow: a page the shadow holds must translate to its
 * paddr (masked to 32 bits in MTK 4GB mode); any other page must not
 * translate.  Updates stats.faults_*; returns faults_now (0 without shadow).
 */
uint64_t iommu_check(struct iommu_domain *dom);
/** iommu_check_range() - the same for the slots [iova, iova + size) touches. */
uint64_t iommu_check_range(struct iommu_domain *dom, uint64_t iova, uint64_t size);
/** iommu_shadow_lookup() - the paddr the shadow expects at @iova. */
bool iommu_shadow_lookup(const struct iommu_domain *dom, uint64_t iova, uint64_t *paddr);

#endif /* PTB_IOMMU_H */
