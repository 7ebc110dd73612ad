/* SPDX-License-Identifier: GPL-2.0 */
/*
 * slub.h - a model of one SLUB cache (mm/slub.c) on the simulated machine.
 *
 * Types:
 *   struct kmem_cache      one cache: its geometry (size, order, objects per
 *                          slab), per-CPU active slab and partial list, one
 *                          node partial list, counters.
 *   struct kmem_cache_cfg  what kmem_cache_create() is given.
 * Terms: "slab" = the 2^order pages one allocate_slab() call returned;
 * "object" = one slot of s->size bytes; the caller's data starts
 * red_left_pad bytes into it.  "frozen" = owned by a CPU (its active slab
 * or on its per-CPU partial list).  Objects are identified by the physical
 * address of their data.
 *
 * Three backends sit on this one model: slab-dma (4.19 SLAB_CACHE_DMA),
 * slab-dma32 (the 5.1 fix) and kzalloc-dma32 (kmalloc-1k).  The model follows
 * 4.19 and switches to the 5.16+ per-CPU partial rules where kernel.h says so
 * (slub_cpu_partial_slabs); docs/kernel-facts.md, "SLUB", has the detail.
 *
 * Context: single-threaded; `cpu` selects the per-CPU state the kernel would
 * use.  Never sleeps: a caller without __GFP_DIRECT_RECLAIM gets -ENOMEM
 * when the page allocator says no.
 */
#ifndef PTB_SLUB_H
#define PTB_SLUB_H

#include "mm.h"

/* Cache flags (include/linux/slab.h names). */
#define SLAB_CACHE_DMA		0x1u	/* allocflags GFP_DMA */
#define SLAB_CACHE_DMA32	0x2u	/* allocflags GFP_DMA32 (5.1+) */
#define SLAB_DEBUG_FZPU		0x4u	/* slub_debug=FZPU: red zones, poison, user tracking */

/* Owners of objects: tables or other users sharing a merged/kmalloc cache. */
enum slub_user {
	SLUB_USER_TABLE,
	SLUB_USER_OTHER,
};

struct kmem_cache_cfg {
	const char *name;		/* "io-pgtable_armv7s_l2", "kmalloc-1k" */
	unsigned int object_bytes;	/* kmem_cache_create size: 1024 */
	unsigned int align_bytes;	/* 1024 for the v7s cache; kmalloc: 128 or 1024 */
	unsigned int flags;		/* SLAB_CACHE_DMA | SLAB_CACHE_DMA32 | SLAB_DEBUG_FZPU */
	enum kver kernel;
	unsigned int nr_cpus;		/* nr_cpu_ids (present CPUs from 5.11) */
};

/* Counters over the cache, kept at every change (no scans). */
struct kmem_cache_counts {
	uint64_t slabs;			/* slabs held, all owners */
	uint64_t slab_pages[NR_PAGE_OWNERS];	/* pages held per page owner */
	uint64_t held_blocks[NR_PAGE_OWNERS][MAX_NR_ZONES][MAX_ORDER];
	/* objects in slabs whose pages belong to OWNER_PT_BACKEND: */
	uint64_t own_free_objects, own_table_objects, own_other_objects;
	/* tables in slabs allocated for other users (OWNER_KMALLOC_OTHER) */
	uint64_t other_slab_tables;
	uint64_t nr_partial;		/* node partial list length */
	uint64_t cpu_partial_slabs;	/* on all per-CPU partial lists */
	uint64_t order_fallbacks;	/* ORDER_FALLBACK: high-order try failed */
	uint64_t alloc_failures;
	uint64_t unexpected_gfp;	/* "Unexpected gfp: ..." warnings printed */
	uint64_t slabs_allocated, slabs_discarded;
};

struct kmem_cache;

/**
 * kmem_cache_create() - a cache with SLUB's geometry for @cfg
 * (calculate_sizes, calculate_order, set_min_partial, set_cpu_partial).
 * Takes no pages: slabs come on demand.  NULL + reason in @err on bad input.
 */
struct kmem_cache *kmem_cache_create(struct mm *mm, const struct kmem_cache_cfg *cfg,
				     char *err, size_t err_bytes);
/**
 * kmem_cache_destroy() - shrink, then give every slab back.  Every object
 * must have been freed (the kernel's "Objects remaining" is a BUG here).
 * NULL is accepted.
 */
void kmem_cache_destroy(struct kmem_cache *s);

/**
 * kmem_cache_alloc() - one object (slab_alloc_node, ___slab_alloc).
 * @gfp: the caller's flags; zone bits come from the cache only, and
 *       GFP_SLAB_BUG_MASK bits (__GFP_DMA32) are stripped with the kernel's
 *       warning when a new slab is needed.
 * @user: who holds the object (tables, or other users of a shared cache).
 * @out: physical address of the object's data.
 * Returns 0 or -ENOMEM.  Does not zero: callers zero (kmem_cache_zalloc).
 */
int kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp, int cpu, enum slub_user user,
		     phys_addr_t *out);
/** kmem_cache_free() - free an object (do_slab_free, __slab_free). */
void kmem_cache_free(struct kmem_cache *s, phys_addr_t obj, int cpu);
/** kmem_cache_shrink() - flush every CPU, discard every empty slab (ignores min_partial). */
void kmem_cache_shrink(struct kmem_cache *s);

/* Geometry the cache settled on. */
unsigned int kmem_cache_order(const struct kmem_cache *s);		/* oo_order(s->oo) */
unsigned int kmem_cache_objects(const struct kmem_cache *s);		/* oo_objects(s->oo) */
unsigned int kmem_cache_size_bytes(const struct kmem_cache *s);		/* s->size */
unsigned int kmem_cache_red_left_pad_bytes(const struct kmem_cache *s);
unsigned int kmem_cache_min_partial(const struct kmem_cache *s);
unsigned int kmem_cache_cpu_partial(const struct kmem_cache *s);	/* objects */
unsigned int kmem_cache_cpu_partial_slabs(const struct kmem_cache *s);	/* 5.16+, else 0 */
gfp_t kmem_cache_allocflags(const struct kmem_cache *s);
/* Metadata the kernel keeps for the cache: kmem_cache + per-CPU + node structs. */
uint64_t kmem_cache_metadata_bytes(const struct kmem_cache *s);
const struct kmem_cache_counts *kmem_cache_counts(const struct kmem_cache *s);
/* 7.2: objects per sheaf (0: no sheaves); objects now in sheaves and the barn. */
unsigned int kmem_cache_sheaf_capacity(const struct kmem_cache *s);
uint64_t kmem_cache_sheaf_objects(const struct kmem_cache *s);
/* Empty slabs held (inuse == 0), wherever they sit. */
uint64_t kmem_cache_empty_slabs(const struct kmem_cache *s);
/* The last "Unexpected gfp: ..." line, or "" if none was printed. */
const char *kmem_cache_last_warning(const struct kmem_cache *s);

/*
 * calculate_order() for @object_bytes with nr_cpus CPUs (4.19 mm/slub.c;
 * 6.1 and 6.13 give the same numbers for these sizes).  Exposed for tests.
 */
unsigned int slub_calculate_order(unsigned int size_bytes, unsigned int nr_cpus);

#endif /* PTB_SLUB_H */
