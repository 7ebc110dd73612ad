/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pt_alloc.h - the one page-table-allocator interface and its registry.
 *
 * Types:
 *   struct pt_backend    the factory: one const object per backend, create/destroy.
 *   struct pt_alloc      one instance, embedded by the backend in its own struct
 *                        (container_of gets back to it).
 *   struct pt_alloc_ops  what an instance does: alloc_table, free_table, stats.
 * Terms: "table" = one v7s level-2 table: 1 KiB, which must be 1 KiB aligned
 * and below 4 GiB for the IOMMU to use it.  A backend that cannot guarantee
 * that (slab-dma, kzalloc-dma32) still hands the table out: the caller (v7s)
 * rejects it as __arm_v7s_alloc_table does, and the violation is counted.
 *
 * Like io-pgtable's io_pgtable_init_fns / io_pgtable_ops
 * (include/linux/io-pgtable.h).  Every byte a backend holds comes from the
 * simulated page allocator (mm.h) with the gfp and order the kernel would use.
 *
 * pt_table_alloc()/pt_table_free() wrap the ops and keep, for every backend
 * alike, the shadow map of live tables: overlap, alignment, above-4 GiB and
 * reuse ("this memory held an earlier freed table") are measured there once.
 */
#ifndef PTB_PT_ALLOC_H
#define PTB_PT_ALLOC_H

#include "mm.h"
#include "pt_backends.h"

#define PT_TABLE_SHIFT 10
#define PT_TABLE_SIZE  (1ULL << PT_TABLE_SHIFT)	/* 1 KiB */
#define PT_TABLE_MASK  (~(PT_TABLE_SIZE - 1))
#define PT_TABLES_PER_PAGE (PAGE_SIZE / PT_TABLE_SIZE)
/* Page tables a backend tells apart (struct pt_alloc.pool): the replay's domains. */
#define PT_ALLOC_MAX_POOLS 64

/* What goes in; the backend writes back what it really provided. */
struct pt_cfg {
	enum kver kernel;
	unsigned int nr_cpus;
	bool slub_debug;		/* slab backends: slub_debug=FZPU on the cache */
	bool slab_merge;		/* slab-dma(32): merged with dma-kmalloc-1024 traffic */
	bool kmalloc_dma32_fix;		/* kzalloc-dma32: model a DMA32 kmalloc cache array */
	uint64_t genalloc_pool_bytes;	/* genalloc-4m: 0 = 4 MiB */
	bool pt_frag_global;		/* pt-frag: one pool for all page tables, not one each */
	uint64_t genalloc_grow_chunk_bytes;	/* genalloc-grow: 0 = 32 KiB */
	unsigned int reserve_objects;	/* slab-dma32-reserve: mempool min_nr, 0 = 32 */
	/*
	 * IO_PGTABLE_QUIRK_ARM_MTK_TTBR_EXT (replay --ttbr-ext): slab-dma32, the
	 * kernel's own cache, is created without SLAB_CACHE_DMA32
	 * (arm_v7s_alloc_pgtable, 6.1+: slab_flag = TTBR_EXT ? 0 : ...).
	 */
	bool ttbr_ext;
	/*
	 * The first address a table may not lie at: 0 = 4 GiB; the caller sets
	 * it from v7s_table_phys_limit (1 << 35 with TTBR_EXT).  Tables at or
	 * above it are counted in above_4g.
	 */
	uint64_t table_phys_limit;
	/*
	 * Objects other kernel users hold in the same cache when the table
	 * allocator starts: the merged dma-kmalloc-1024 (slab_merge) or
	 * kmalloc-1k (kzalloc-dma32).  Placed as 2N allocations with every
	 * other one freed again, so their slabs have free slots.
	 */
	unsigned int shared_objects;
	/* written back by create(): */
	unsigned int slab_order;	/* slab order chosen (slab backends) */
	unsigned int slab_objects;	/* objects per slab */
	unsigned int object_bytes;	/* object size with debug padding */
	enum zone_type zone;		/* zone the backend asks pages from */
	uint64_t fixed_cost_bytes;	/* memory taken at creation (pool, cache array) */
};

/* Loss split the way slabinfo / perf kmem split it. */
struct pt_loss {
	uint64_t align_bytes;		/* per-object padding beyond 1 KiB (slub_debug) */
	uint64_t tail_pad_bytes;	/* slab bytes no object fits in */
	uint64_t free_slot_bytes;	/* free, reusable object slots in held memory */
	uint64_t unused_pool_bytes;	/* genalloc pool not handed out */
	uint64_t stranded_bytes;	/* freed, neither reusable nor returned (page_frag) */
};

struct pt_alloc_stats {
	uint64_t held_pages[MAX_NR_ZONES][MAX_ORDER];	/* blocks held, per zone and order */
	uint64_t footprint_bytes;	/* page-allocator memory held (pages x 4 KiB) */
	uint64_t metadata_bytes;	/* kernel-side metadata: bitmaps, cache structs */
	uint64_t live_tables;
	struct pt_loss loss;
	/*
	 * Shared caches (slab_merge, kmalloc-1k): others' objects in slabs the
	 * backend allocated, and tables sitting in slabs others allocated.  With
	 * them the identity every backend keeps is
	 *   footprint + borrowed_table = live_tables * 1 KiB + loss (all five) + shared
	 */
	uint64_t shared_bytes;
	uint64_t borrowed_table_bytes;
	uint64_t fallbacks;		/* high-order attempts that fell back to order 0 */
	uint64_t unexpected_gfp_warnings;	/* "Unexpected gfp: ..." lines (kzalloc-dma32) */
};

struct pt_alloc;

struct pt_alloc_ops {
	/**
	 * alloc_table() - allocate one zeroed 1 KiB table.
	 * @gfp: the gfp v7s passes (GFP_ATOMIC in atomic context: must not reclaim).
	 * @cpu: the CPU the caller runs on (per-CPU slabs, pcp lists).
	 * @out: the table's physical address.
	 * Returns 0 or -ENOMEM.
	 */
	int (*alloc_table)(struct pt_alloc *a, gfp_t gfp, int cpu, phys_addr_t *out);
	/** free_table() - free a table from alloc_table(); any context. */
	void (*free_table)(struct pt_alloc *a, phys_addr_t table, int cpu);
	/** stats() - what the backend holds now. */
	void (*stats)(struct pt_alloc *a, struct pt_alloc_stats *out);
	/** shrink() - optional: kmem_cache_shrink() or equivalent. */
	void (*shrink)(struct pt_alloc *a, int cpu);
};

struct pt_backend {
	enum pt_backend_id id;		/* its name: pt_backend_names[id] (pt_backends.c) */
	const char *what;		/* one line: the kernel code it models */
	/**
	 * create() - make an instance on @mm (e.g. at boot / domain creation).
	 * May allocate memory (genalloc's pool).  Writes back into @cfg.
	 * Returns NULL with a one-line reason in @err.
	 */
	struct pt_alloc *(*create)(struct mm *mm, struct pt_cfg *cfg, char *err, size_t err_bytes);
	/** destroy() - free everything, every page back to the buddy allocator. NULL ok. */
	void (*destroy)(struct pt_alloc *a);
};

/* The generic part every backend instance embeds. */
struct pt_alloc {
	const struct pt_backend *backend;
	const struct pt_alloc_ops *ops;
	struct mm *mm;
	/*
	 * The page table (0 .. PT_ALLOC_MAX_POOLS - 1) the next alloc_table is
	 * for, set by the caller (harness/v7s_mm.c: its domain's index).  Read
	 * only by backends with a pool per page table (pt-frag).
	 */
	unsigned int pool;
	/* kept by pt_table_alloc/free: */
	uint64_t allocs, frees, failures, reused_allocs;
	uint64_t above_4g, misaligned, overlap;	/* above_4g: at/above table_phys_limit */
	uint64_t table_phys_limit;	/* pt_cfg's; 0 = 4 GiB */
	uint64_t live_tables, peak_live_tables;
	/*
	 * free_slots_pages[k]: backend pages (OWNER_PT_BACKEND) with k free
	 * 1 KiB slots, k = 0..4 - kept at every table and page change.
	 */
	uint64_t free_slots_pages[PT_TABLES_PER_PAGE + 1];
	uint8_t *live_map;		/* 1 bit per 1 KiB slot of DRAM: live table */
	uint8_t *freed_map;		/* 1 bit per 1 KiB slot: held a freed table */
	uint64_t map_base_phys, map_slots;
};

const struct pt_backend *pt_backend_get(enum pt_backend_id id);
const struct pt_backend *pt_backend_find(const char *name);	/* NULL if unknown */
static inline const char *pt_backend_name(const struct pt_backend *b)
{
	return pt_backend_names[b->id].name;
}

/* Create through the factory and set up the generic part. NULL + err on failure. */
struct pt_alloc *pt_alloc_create(const struct pt_backend *b, struct mm *mm,
				 struct pt_cfg *cfg, char *err, size_t err_bytes);
void pt_alloc_destroy(struct pt_alloc *a);
/* Called by each backend's create() on the struct it embeds. Returns 0 or -ENOMEM. */
int pt_alloc_init(struct pt_alloc *a, const struct pt_backend *b,
		  const struct pt_alloc_ops *ops, struct mm *mm);
void pt_alloc_exit(struct pt_alloc *a);

/* The ops, through the checks above. */
int pt_table_alloc(struct pt_alloc *a, gfp_t gfp, int cpu, phys_addr_t *out);
void pt_table_free(struct pt_alloc *a, phys_addr_t table, int cpu);
void pt_alloc_stats(struct pt_alloc *a, struct pt_alloc_stats *out);
static inline void pt_alloc_shrink(struct pt_alloc *a, int cpu)
{
	if (a->ops->shrink)
		a->ops->shrink(a, cpu);
}
/* Zero the 1 KiB at @table in simulated memory (kmem_cache_zalloc's memset). */
void pt_table_zero(struct mm *mm, phys_addr_t table);

/* Backend factories, one per file. */
extern const struct pt_backend pt_backend_slab_dma;
extern const struct pt_backend pt_backend_slab_dma32;
extern const struct pt_backend pt_backend_genalloc_4m;
extern const struct pt_backend pt_backend_page_frag;
extern const struct pt_backend pt_backend_kzalloc_dma32;
extern const struct pt_backend pt_backend_page_per_table;
extern const struct pt_backend pt_backend_pt_frag;
extern const struct pt_backend pt_backend_genalloc_grow;
extern const struct pt_backend pt_backend_slab_dma32_reserve;

#endif /* PTB_PT_ALLOC_H */
