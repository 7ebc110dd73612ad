/* SPDX-License-Identifier: GPL-2.0 */
/*
 * slub_def.h - the inside of the SLUB model: struct kmem_cache, its per-CPU
 * part and struct slab (the kernel's include/linux/slub_def.h and mm/slab.h),
 * and the inline helpers on them, shared by slub.c, slub_partial.c and
 * slub_slab.c only.  Their functions are declared in their own headers:
 * slub.c (the cache) calls slub_partial.c (the partial lists), which calls
 * slub_slab.c (one slab's pages and objects); nothing calls back up.
 *
 * Each slab keeps its free objects as a LIFO stack of indices; slabs live
 * in one growing array of the cache and are named by their index there
 * (SLAB_NONE: none), so lists link indices, not pointers.
 */
#ifndef PTB_SLUB_DEF_H
#define PTB_SLUB_DEF_H

#include "slub.h"

#define SLAB_NONE UINT32_MAX
#define SLUB_MAX_OBJECTS 32		/* 32 KiB / 1 KiB: order 3 of the smallest size */

enum slab_where {
	SLAB_FULL,		/* no free object, on no list (no debug full list) */
	SLAB_NODE_PARTIAL,	/* on n->partial */
	SLAB_CPU_ACTIVE,	/* c->page of slab->cpu (frozen) */
	SLAB_CPU_PARTIAL,	/* on c->partial of slab->cpu (frozen) */
	SLAB_UNUSED,		/* slot of the slab array not in use */
};

struct slab {
	uint64_t pfn;			/* head page */
	uint32_t prev, next;		/* n->partial (doubly), c->partial (next) */
	uint32_t other_mask;		/* objects held by SLUB_USER_OTHER */
	uint32_t pobjects;		/* 4.19 put_cpu_partial snapshot (list head) */
	uint32_t pslabs;		/* pages (4.19) / slabs (5.16+) on the list from here */
	int16_t cpu;			/* frozen to this CPU, else -1 */
	uint8_t where;			/* enum slab_where */
	uint8_t owner;			/* enum page_owner of its pages */
	uint8_t order, objects, inuse;
	uint8_t free_stack[SLUB_MAX_OBJECTS];	/* top = objects - inuse - 1 */
};

struct kmem_cache_cpu {
	uint32_t page;			/* active slab */
	uint32_t partial;		/* per-CPU partial list head */
	/* 7.2 struct slub_percpu_sheaves (slub_sheaf.c): never NULL / may be NULL */
	struct slab_sheaf *main, *spare;
};

/* 7.2 mm/slub.c struct slab_sheaf: objects[size - 1] is the next one handed out. */
struct slab_sheaf {
	struct slab_sheaf *next;	/* barn_list */
	unsigned int size;
	phys_addr_t objects[];		/* s->sheaf_capacity of them */
};

struct kmem_cache {
	struct mm *mm;
	char name[32];
	unsigned int object_size, size, align, red_left_pad;
	unsigned int flags;
	unsigned int oo_order, oo_objects, min_order, min_objects;
	unsigned int min_partial, cpu_partial, cpu_partial_slabs;
	bool cpu_partial_by_slabs;	/* 5.16+ rules */
	gfp_t allocflags;
	enum kver kernel;
	unsigned int nr_cpus;
	struct kmem_cache_cpu cpu_slab[MM_MAX_CPUS];
	uint32_t partial_head, partial_tail;	/* n->partial */
	/* 7.2: objects per sheaf (0: none, as for debug caches); the node's barn */
	unsigned int sheaf_capacity;
	struct slab_sheaf *barn_full, *barn_empty;	/* list_add at the head */
	unsigned int barn_nr_full, barn_nr_empty;
	struct slab *slabs;
	uint32_t nr_slab_slots, free_slot;	/* free_slot: chain through ->next */
	struct kmem_cache_counts counts;
	char last_warning[192];
};

static inline bool has_cpu_partial(const struct kmem_cache *s)
{
	/* kmem_cache_has_cpu_partial(): no per-CPU partial lists when debugging */
	return !(s->flags & SLAB_DEBUG_FZPU);
}

static inline unsigned int slab_free_objects(const struct slab *slab)
{
	return slab->objects - slab->inuse;
}

static inline unsigned int order_objects(unsigned int order, unsigned int size)
{
	return (unsigned int)((PAGE_SIZE << order) / size);
}

static inline phys_addr_t slab_obj_phys(const struct kmem_cache *s, const struct slab *slab, unsigned int i)
{
	return pfn_to_phys(slab->pfn) + (uint64_t)i * s->size + s->red_left_pad;
}

#endif /* PTB_SLUB_DEF_H */
