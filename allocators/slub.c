// SPDX-License-Identifier: GPL-2.0
/*
 * slub.c - one SLUB cache: geometry, create, alloc, free, shrink, destroy.
 * Its partial lists are in slub_partial.c, one slab in slub_slab.c.
 *
 * Follows mm/slub.c of 4.19 (calculate_sizes, calculate_order,
 * ___slab_alloc, get_partial_node, put_cpu_partial, __slab_free,
 * unfreeze_partials, deactivate_slab, __kmem_cache_shrink), with the 5.16+
 * per-CPU partial accounting in slabs (cpu_partial_slabs) where
 * kernel_rules()->slub_cpu_partial_slabs says so, and 7.2's per-CPU sheaves
 * instead of per-CPU slabs (slub_sheaf.c) where ->slub_sheaves says so.
 * One NUMA node.
 *
 * Each slab keeps its free objects as a LIFO stack of indices: SLUB's
 * freelist is LIFO (a freed object is the next one handed out) and starts in
 * address order when CONFIG_SLAB_FREELIST_RANDOM is off, as on the
 * Chromebook kernels of the debate.  The kernel's split between the lockless
 * c->freelist and page->freelist does not change which object comes next in a
 * single-threaded replay, so there is one list per slab.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slub_partial.h"
#include "slub_sheaf.h"
#include "slub_slab.h"

#define SLUB_MIN_OBJECT_BYTES 1024	/* the sizes ptbench needs: 1 KiB and up */
#define SLUB_MAX_ORDER PAGE_ALLOC_COSTLY_ORDER	/* slub_max_order */
#define MIN_PARTIAL 5
#define MAX_PARTIAL 10
/* 64-bit: struct track with CONFIG_STACKTRACE (TRACK_ADDRS_COUNT 16): 8 + 16*8 + 4 + 4 + 8. */
#define SLUB_TRACK_BYTES 152

/*
 * Kernel metadata per cache, counted from the 4.19 arm64 struct definitions
 * (non-NUMA, CONFIG_SLUB_CPU_PARTIAL, no CONFIG_SLUB_STATS): struct
 * kmem_cache 188 B rounded to its cache's 64 B alignment, kmem_cache_cpu
 * (freelist, tid, page, partial) 32 B per CPU, kmem_cache_node 64 B.
 */
#define KMEM_CACHE_STRUCT_BYTES 192
#define KMEM_CACHE_CPU_BYTES 32
#define KMEM_CACHE_NODE_BYTES 64

static unsigned int get_order_bytes(uint64_t bytes)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

/* slab_order(), 4.19 (reserved = 0: no RCU-reserved tail). */
static unsigned int slab_order(unsigned int size, unsigned int min_objects,
			       unsigned int max_order, unsigned int fract_leftover)
{
	unsigned int order = get_order_bytes((uint64_t)min_objects * size);

	for (; order <= max_order; order++) {
		uint64_t slab_bytes = PAGE_SIZE << order;
		uint64_t rem = slab_bytes % size;

		if (rem <= slab_bytes / fract_leftover)
			break;
	}
	return order;
}

unsigned int slub_calculate_order(unsigned int size, unsigned int nr_cpus)
{
	unsigned int min_objects = 4 * (fls(nr_cpus) + 1);
	unsigned int max_objects = order_objects(SLUB_MAX_ORDER, size);
	unsigned int order;

	min_objects = MIN(min_objects, max_objects);
	while (min_objects > 1) {
		for (unsigned int fraction = 16; fraction >= 4; fraction /= 2) {
			order = slab_order(size, min_objects, SLUB_MAX_ORDER, fraction);
			if (order <= SLUB_MAX_ORDER)
				return order;
		}
		min_objects--;
	}
	order = slab_order(size, 1, SLUB_MAX_ORDER, 1);
	if (order <= SLUB_MAX_ORDER)
		return order;
	return slab_order(size, 1, MAX_ORDER - 1, 1);
}

/* calculate_sizes(), 4.19, 64-bit: object size with debug metadata and red_left_pad. */
static void calculate_sizes(struct kmem_cache *s)
{
	unsigned int size = ALIGN_UP(s->object_size, 8u);

	s->red_left_pad = 0;
	if (s->flags & SLAB_DEBUG_FZPU) {
		if (size == s->object_size)
			size += 8;			/* right red zone */
		size += 8;				/* free pointer after the poisoned object */
		size += 2 * SLUB_TRACK_BYTES;		/* SLAB_STORE_USER: alloc + free track */
		size += 8;				/* red zone padding */
		s->red_left_pad = ALIGN_UP(8u, s->align);	/* left red zone, padded to align */
		size += s->red_left_pad;
	}
	s->size = ALIGN_UP(size, s->align);
}

/* set_min_partial(s, ilog2(s->size) / 2), clamped to [MIN_PARTIAL, MAX_PARTIAL]. */
static unsigned int calc_min_partial(unsigned int size)
{
	unsigned int min = (unsigned int)ilog2_u64(size) / 2;

	return MIN(MAX(min, (unsigned int)MIN_PARTIAL), (unsigned int)MAX_PARTIAL);
}

/* set_cpu_partial() for sizes of 1 KiB up to a page (4.19; 5.16+ via kernel.h). */
static void set_cpu_partial(struct kmem_cache *s)
{
	const struct kernel_rules *r = kernel_rules(s->kernel);
	unsigned int objects = r->slub_cpu_partial_objects;

	if (!has_cpu_partial(s))
		objects = 0;
	else if (s->size >= PAGE_SIZE)
		objects = r->slub_cpu_partial_slabs ? 6 : 2;
	s->cpu_partial = objects;
	s->cpu_partial_by_slabs = r->slub_cpu_partial_slabs;
	s->cpu_partial_slabs = r->slub_cpu_partial_slabs ?
		DIV_ROUND_UP(objects * 2, s->oo_objects) : 0;
}

struct kmem_cache *kmem_cache_create(struct mm *mm, const struct kmem_cache_cfg *cfg,
				     char *err, size_t err_bytes)
{
	struct kmem_cache *s;

	if (cfg->object_bytes < SLUB_MIN_OBJECT_BYTES || cfg->object_bytes > PAGE_SIZE ||
	    !cfg->align_bytes || (cfg->align_bytes & (cfg->align_bytes - 1))) {
		snprintf(err, err_bytes, "%s: object size %u / align %u not modelled (1 KiB..4 KiB, power-of-two align)",
			 cfg->name, cfg->object_bytes, cfg->align_bytes);
		return NULL;
	}
	if (cfg->nr_cpus == 0 || cfg->nr_cpus > MM_MAX_CPUS) {
		snprintf(err, err_bytes, "%s: %u CPUs: must be 1..%d", cfg->name, cfg->nr_cpus, MM_MAX_CPUS);
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, err_bytes, "%s: out of host memory", cfg->name);
		return NULL;
	}
	s->mm = mm;
	snprintf(s->name, sizeof(s->name), "%s", cfg->name);
	s->object_size = cfg->object_bytes;
	s->align = cfg->align_bytes;
	s->flags = cfg->flags;
	s->kernel = cfg->kernel;
	s->nr_cpus = cfg->nr_cpus;
	calculate_sizes(s);
	s->oo_order = slub_calculate_order(s->size, s->nr_cpus);
	s->oo_objects = order_objects(s->oo_order, s->size);
	/* s->min = oo_make(get_order(size), size): the fallback order */
	s->min_order = get_order_bytes(s->size);
	s->min_objects = order_objects(s->min_order, s->size);
	s->min_partial = calc_min_partial(s->size);
	set_cpu_partial(s);
	if (cfg->flags & SLAB_CACHE_DMA)
		s->allocflags |= GFP_DMA;
	if (cfg->flags & SLAB_CACHE_DMA32)
		s->allocflags |= GFP_DMA32;
	if (s->oo_order)
		s->allocflags |= __GFP_COMP;
	PTB_BUG_ON(s->oo_objects > SLUB_MAX_OBJECTS);
	for (unsigned int c = 0; c < MM_MAX_CPUS; c++)
		s->cpu_slab[c].page = s->cpu_slab[c].partial = SLAB_NONE;
	s->partial_head = s->partial_tail = SLAB_NONE;
	s->free_slot = SLAB_NONE;
	/* 7.2 do_kmem_cache_create: calculate_sheaf_capacity() is 0 for debug caches */
	if (kernel_rules(s->kernel)->slub_sheaves && !(s->flags & SLAB_DEBUG_FZPU)) {
		s->sheaf_capacity = slub_sheaf_capacity(s->size);
		if (sheaves_init(s)) {
			snprintf(err, err_bytes, "%s: out of host memory", cfg->name);
			sheaves_free(s);
			free(s);
			return NULL;
		}
	}
	return s;
}

/* ---- allocation ---- */

/*
 * slub_debug caches take the slow path for every object and deactivate the
 * slab at once (___slab_alloc's debug branch): effectively objects come from
 * the head of the node partial list, and a new slab with objects left goes
 * to that head.
 */
static int alloc_debug(struct kmem_cache *s, gfp_t gfp, int cpu, enum slub_user user,
		       phys_addr_t *out)
{
	uint32_t idx = s->partial_head;
	unsigned int i;
	bool fresh = false;

	if (idx == SLAB_NONE) {
		idx = new_slab(s, gfp, cpu, user);
		if (idx == SLAB_NONE)
			return -ENOMEM;
		fresh = true;
	}
	i = slab_pop(s, idx, user);
	if (fresh) {
		if (slab_free_objects(&s->slabs[idx]))
			add_partial(s, idx, false);	/* deactivate_slab: DEACTIVATE_TO_HEAD */
	} else if (!slab_free_objects(&s->slabs[idx])) {
		remove_partial(s, idx);			/* now full: on no list */
	}
	*out = slab_obj_phys(s, &s->slabs[idx], i);
	return 0;
}

int kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp, int cpu, enum slub_user user,
		     phys_addr_t *out)
{
	struct kmem_cache_cpu *c;
	uint32_t idx;

	PTB_BUG_ON(cpu < 0 || (unsigned int)cpu >= s->nr_cpus);
	if (s->sheaf_capacity)
		return sheaf_alloc(s, gfp, cpu, user, out);
	if (s->flags & SLAB_DEBUG_FZPU) {
		int ret = alloc_debug(s, gfp, cpu, user, out);

		s->counts.alloc_failures += ret != 0;
		return ret;
	}
	c = &s->cpu_slab[cpu];
	for (;;) {
		idx = c->page;
		if (idx != SLAB_NONE) {
			struct slab *slab = &s->slabs[idx];

			if (slab_free_objects(slab)) {
				*out = slab_obj_phys(s, slab, slab_pop(s, idx, user));
				return 0;
			}
			/* A full active slab is simply dropped (DEACTIVATE_BYPASS). */
			slab->cpu = -1;
			slab->where = SLAB_FULL;
			c->page = SLAB_NONE;
		}
		if (c->partial != SLAB_NONE) {
			/* new_slab: label: the per-CPU partial list first */
			idx = c->partial;
			c->partial = s->slabs[idx].next;
			s->counts.cpu_partial_slabs--;
			s->slabs[idx].where = SLAB_CPU_ACTIVE;
			c->page = idx;
			continue;
		}
		if (get_partial_node(s, cpu))
			continue;
		idx = new_slab(s, gfp, cpu, user);
		if (idx == SLAB_NONE) {
			s->counts.alloc_failures++;
			return -ENOMEM;
		}
		s->slabs[idx].cpu = (int16_t)cpu;
		s->slabs[idx].where = SLAB_CPU_ACTIVE;
		c->page = idx;
	}
}

/* ---- free ---- */

void kmem_cache_free(struct kmem_cache *s, phys_addr_t obj, int cpu)
{
	unsigned int i;
	uint32_t idx = phys_to_slab(s, obj, &i);
	struct slab *slab = &s->slabs[idx];
	bool was_full = slab_free_objects(slab) == 0;	/* !prior */

	PTB_BUG_ON(cpu < 0 || (unsigned int)cpu >= s->nr_cpus);
	if (s->sheaf_capacity) {
		sheaf_free(s, obj, cpu);
		return;
	}
	slab_push(s, idx, i);
	/* Frozen slabs (active or per-CPU partial) are never discarded at free. */
	if (slab->where == SLAB_CPU_ACTIVE || slab->where == SLAB_CPU_PARTIAL)
		return;
	/* __slab_free: a full slab's first free freezes it onto this CPU's list. */
	if (was_full && has_cpu_partial(s)) {
		put_cpu_partial(s, idx, cpu, true);
		return;
	}
	/* Only a slab becoming empty, or a full one (debug), takes the node lock. */
	if (slab->inuse == 0 && s->counts.nr_partial >= s->min_partial) {
		if (!was_full)
			remove_partial(s, idx);
		discard_slab(s, idx, cpu);
		return;
	}
	if (was_full)
		add_partial(s, idx, true);	/* !kmem_cache_has_cpu_partial: to the tail */
}

/* ---- shrink / destroy ---- */

/* deactivate_slab() of a CPU's active slab (flush_slab). */
static void deactivate_slab(struct kmem_cache *s, uint32_t idx, int cpu)
{
	struct slab *slab = &s->slabs[idx];

	slab->cpu = -1;
	slab->where = SLAB_FULL;
	if (slab->inuse == 0 && s->counts.nr_partial >= s->min_partial)
		discard_slab(s, idx, cpu);
	else if (slab_free_objects(slab))
		add_partial(s, idx, false);	/* DEACTIVATE_TO_HEAD */
}

void kmem_cache_shrink(struct kmem_cache *s)
{
	uint32_t bucket[SLUB_MAX_OBJECTS + 1];
	uint32_t idx;

	/* 7.2 flush_all() and barn_shrink(): every sheaf's objects to their slabs */
	if (s->sheaf_capacity)
		sheaves_flush(s);
	/* flush_all(): every CPU's active slab and per-CPU partial list. */
	for (unsigned int cpu = 0; cpu < s->nr_cpus; cpu++) {
		struct kmem_cache_cpu *c = &s->cpu_slab[cpu];

		if (c->page != SLAB_NONE) {
			idx = c->page;
			c->page = SLAB_NONE;
			deactivate_slab(s, idx, (int)cpu);
		}
		if (c->partial != SLAB_NONE) {
			idx = c->partial;
			c->partial = SLAB_NONE;
			unfreeze_partials(s, idx, (int)cpu);
		}
	}
	/*
	 * __kmem_cache_shrink: discard every empty slab, min_partial or not, and
	 * rebuild the list fullest first: list_move onto one list per free
	 * count (so each list is in reverse scan order), then list_splice of
	 * each onto the head, the one-free list last.
	 */
	for (unsigned int k = 0; k <= SLUB_MAX_OBJECTS; k++)
		bucket[k] = SLAB_NONE;
	idx = s->partial_head;
	while (idx != SLAB_NONE) {
		struct slab *slab = &s->slabs[idx];
		uint32_t next = slab->next;

		remove_partial(s, idx);
		if (slab->inuse == 0) {
			discard_slab(s, idx, 0);
		} else {
			slab->next = bucket[slab_free_objects(slab)];
			bucket[slab_free_objects(slab)] = idx;
		}
		idx = next;
	}
	for (unsigned int k = 1; k <= SLUB_MAX_OBJECTS; k++) {
		for (idx = bucket[k]; idx != SLAB_NONE;) {
			uint32_t next = s->slabs[idx].next;

			add_partial(s, idx, true);
			idx = next;
		}
	}
}

void kmem_cache_destroy(struct kmem_cache *s)
{
	if (!s)
		return;
	kmem_cache_shrink(s);
	/* shutdown_cache: "Objects remaining in %s on __kmem_cache_shutdown()" */
	PTB_BUG_ON(s->counts.slabs != 0);
	sheaves_free(s);
	free(s->slabs);
	free(s);
}

/* ---- queries ---- */

unsigned int kmem_cache_order(const struct kmem_cache *s) { return s->oo_order; }
unsigned int kmem_cache_objects(const struct kmem_cache *s) { return s->oo_objects; }
unsigned int kmem_cache_size_bytes(const struct kmem_cache *s) { return s->size; }
unsigned int kmem_cache_red_left_pad_bytes(const struct kmem_cache *s) { return s->red_left_pad; }
unsigned int kmem_cache_min_partial(const struct kmem_cache *s) { return s->min_partial; }
unsigned int kmem_cache_cpu_partial(const struct kmem_cache *s) { return s->cpu_partial; }
unsigned int kmem_cache_cpu_partial_slabs(const struct kmem_cache *s) { return s->cpu_partial_slabs; }
gfp_t kmem_cache_allocflags(const struct kmem_cache *s) { return s->allocflags; }
unsigned int kmem_cache_sheaf_capacity(const struct kmem_cache *s) { return s->sheaf_capacity; }
uint64_t kmem_cache_sheaf_objects(const struct kmem_cache *s) { return sheaves_objects(s); }
const struct kmem_cache_counts *kmem_cache_counts(const struct kmem_cache *s) { return &s->counts; }
const char *kmem_cache_last_warning(const struct kmem_cache *s) { return s->last_warning; }

uint64_t kmem_cache_metadata_bytes(const struct kmem_cache *s)
{
	return KMEM_CACHE_STRUCT_BYTES + (uint64_t)s->nr_cpus * KMEM_CACHE_CPU_BYTES +
	       KMEM_CACHE_NODE_BYTES;
}

uint64_t kmem_cache_empty_slabs(const struct kmem_cache *s)
{
	uint64_t n = 0;

	for (uint32_t i = 0; i < s->nr_slab_slots; i++)
		n += s->slabs[i].where != SLAB_UNUSED && s->slabs[i].inuse == 0;
	return n;
}
