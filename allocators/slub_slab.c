// SPDX-License-Identifier: GPL-2.0
/*
 * slub_slab.c - one slab of the SLUB model: its slot in the cache's slab
 * array, its pages from the page allocator (allocate_slab, new_slab with the
 * "Unexpected gfp" fix-up, discard_slab; mm/slub.c 4.19), its objects'
 * addresses, and its LIFO freelist with the per-user counts.  Calls the page
 * allocator (mm.h) only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slub_slab.h"

static uint32_t slab_slot_get(struct kmem_cache *s)
{
	uint32_t idx;

	if (s->free_slot == SLAB_NONE) {
		uint32_t n = s->nr_slab_slots ? s->nr_slab_slots * 2 : 64;
		struct slab *grown = realloc(s->slabs, n * sizeof(*grown));

		if (!grown)
			return SLAB_NONE;
		s->slabs = grown;
		for (uint32_t i = n; i-- > s->nr_slab_slots;) {
			grown[i].where = SLAB_UNUSED;
			grown[i].next = s->free_slot;
			s->free_slot = i;
		}
		s->nr_slab_slots = n;
	}
	idx = s->free_slot;
	s->free_slot = s->slabs[idx].next;
	return idx;
}

static void slab_slot_put(struct kmem_cache *s, uint32_t idx)
{
	s->slabs[idx].where = SLAB_UNUSED;
	s->slabs[idx].next = s->free_slot;
	s->free_slot = idx;
}

uint32_t phys_to_slab(struct kmem_cache *s, phys_addr_t obj, unsigned int *index)
{
	struct page *page = phys_to_page(s->mm, obj);
	struct slab *slab;
	uint64_t off;
	uint32_t idx;

	PTB_BUG_ON(!page);
	page = compound_head(s->mm, page);
	PTB_BUG_ON(!(page->flags & PG_slab) || page->private == 0);
	idx = page->private - 1;
	PTB_BUG_ON(idx >= s->nr_slab_slots);
	slab = &s->slabs[idx];
	off = obj - pfn_to_phys(slab->pfn);
	/* Freeing a pointer that is not an object start is a caller bug (kfree's BUG). */
	PTB_BUG_ON(off < s->red_left_pad || (off - s->red_left_pad) % s->size);
	*index = (unsigned int)((off - s->red_left_pad) / s->size);
	PTB_BUG_ON(*index >= slab->objects);
	return idx;
}

/* ---- slab pages ---- */

static void count_slab(struct kmem_cache *s, const struct slab *slab, int sign)
{
	struct kmem_cache_counts *c = &s->counts;
	struct page *head = pfn_to_page(s->mm, slab->pfn);
	enum zone_type z = page_zonenum(s->mm, head);

	uint64_t pages = 1ULL << slab->order;

	if (sign > 0) {
		c->slabs++;
		c->slab_pages[slab->owner] += pages;
		c->held_blocks[slab->owner][z][slab->order]++;
		if (slab->owner == OWNER_PT_BACKEND)
			c->own_free_objects += slab->objects;
		return;
	}
	c->slabs--;
	c->slab_pages[slab->owner] -= pages;
	c->held_blocks[slab->owner][z][slab->order]--;
	if (slab->owner == OWNER_PT_BACKEND)
		c->own_free_objects -= slab->objects;
}

/*
 * allocate_slab(), 4.19: the preferred order with __GFP_NOWARN|__GFP_NORETRY
 * (and no reclaim, plus __GFP_NOMEMALLOC, for a caller that could reclaim),
 * then the minimum order with the caller's flags.  Zone bits come only from
 * s->allocflags.
 */
static uint32_t allocate_slab(struct kmem_cache *s, gfp_t flags, int cpu, enum page_owner owner)
{
	unsigned int order = s->oo_order, objects = s->oo_objects;
	gfp_t alloc_gfp;
	struct page *page;
	struct slab *slab;
	uint32_t idx;

	flags |= s->allocflags;
	alloc_gfp = (flags | __GFP_NOWARN | __GFP_NORETRY) & ~__GFP_NOFAIL;
	if ((alloc_gfp & __GFP_DIRECT_RECLAIM) && order > s->min_order)
		alloc_gfp = (alloc_gfp | __GFP_NOMEMALLOC) & ~(__GFP_RECLAIM | __GFP_NOFAIL);
	page = alloc_pages(s->mm, alloc_gfp, order, cpu, owner);
	if (!page && order > s->min_order) {
		order = s->min_order;
		objects = s->min_objects;
		page = alloc_pages(s->mm, flags, order, cpu, owner);
		if (page)
			s->counts.order_fallbacks++;
	}
	if (!page)
		return SLAB_NONE;
	idx = slab_slot_get(s);
	if (idx == SLAB_NONE) {
		free_pages(s->mm, page, order, cpu);
		return SLAB_NONE;
	}
	slab = &s->slabs[idx];
	memset(slab, 0, sizeof(*slab));
	slab->pfn = page_to_pfn(s->mm, page);
	slab->order = (uint8_t)order;
	slab->objects = (uint8_t)objects;
	slab->owner = (uint8_t)owner;
	slab->cpu = -1;
	slab->prev = slab->next = SLAB_NONE;
	slab->where = SLAB_FULL;
	/* Freelist in address order: object 0 on top of the stack. */
	for (unsigned int i = 0; i < objects; i++)
		slab->free_stack[i] = (uint8_t)(objects - 1 - i);
	page->flags |= PG_slab;
	page->private = idx + 1;
	count_slab(s, slab, +1);
	s->counts.slabs_allocated++;
	return idx;
}

/*
 * new_slab(), 4.19: a caller's GFP_SLAB_BUG_MASK bits (__GFP_DMA32 from
 * kzalloc(.., GFP_DMA32)) are stripped with "Unexpected gfp" and a stack
 * dump (kmalloc_fix_flags in 6.x, same text); then only the reclaim and
 * constraint bits of the caller go on.
 */
uint32_t new_slab(struct kmem_cache *s, gfp_t gfp, int cpu, enum slub_user user)
{
	if (gfp & GFP_SLAB_BUG_MASK) {
		gfp_t invalid = gfp & GFP_SLAB_BUG_MASK;
		char a[96], b[96];

		gfp &= ~GFP_SLAB_BUG_MASK;
		snprintf(s->last_warning, sizeof(s->last_warning),
			 "Unexpected gfp: %#x (%s). Fixing up to gfp: %#x (%s). Fix your code!",
			 gfp_kernel_value(invalid, s->kernel), gfp_format(invalid, a, sizeof(a)),
			 gfp_kernel_value(gfp, s->kernel), gfp_format(gfp, b, sizeof(b)));
		s->counts.unexpected_gfp++;
	}
	return allocate_slab(s, gfp & (GFP_RECLAIM_MASK | GFP_CONSTRAINT_MASK), cpu,
			     user == SLUB_USER_TABLE ? OWNER_PT_BACKEND : OWNER_KMALLOC_OTHER);
}

/* discard_slab(): the slab's pages go back to the page allocator. */
void discard_slab(struct kmem_cache *s, uint32_t idx, int cpu)
{
	struct slab *slab = &s->slabs[idx];
	struct page *page = pfn_to_page(s->mm, slab->pfn);

	PTB_BUG_ON(slab->inuse != 0);
	count_slab(s, slab, -1);
	s->counts.slabs_discarded++;
	page->flags &= (uint16_t)~PG_slab;
	page->private = 0;
	free_pages(s->mm, page, slab->order, cpu);
	slab_slot_put(s, idx);
}

/* ---- objects ---- */

unsigned int slab_take(struct kmem_cache *s, uint32_t idx)
{
	struct slab *slab = &s->slabs[idx];

	PTB_BUG_ON(slab_free_objects(slab) == 0);
	slab->inuse++;
	return slab->free_stack[slab_free_objects(slab)];
}

void slab_hand(struct kmem_cache *s, uint32_t idx, unsigned int i, enum slub_user user)
{
	struct slab *slab = &s->slabs[idx];

	if (user == SLUB_USER_OTHER)
		slab->other_mask |= 1u << i;
	if (slab->owner == OWNER_PT_BACKEND) {
		s->counts.own_free_objects--;
		if (user == SLUB_USER_TABLE)
			s->counts.own_table_objects++;
		else
			s->counts.own_other_objects++;
	} else if (user == SLUB_USER_TABLE) {
		s->counts.other_slab_tables++;
	}
}

unsigned int slab_pop(struct kmem_cache *s, uint32_t idx, enum slub_user user)
{
	unsigned int i = slab_take(s, idx);

	slab_hand(s, idx, i, user);
	return i;
}

void slab_give(struct kmem_cache *s, uint32_t idx, unsigned int i)
{
	struct slab *slab = &s->slabs[idx];

	/* A double free: the object is already on the freelist. */
	for (unsigned int k = 0; k < slab_free_objects(slab); k++)
		PTB_BUG_ON(slab->free_stack[k] == i);
	slab->free_stack[slab_free_objects(slab)] = (uint8_t)i;
	slab->inuse--;
}

void slab_unhand(struct kmem_cache *s, uint32_t idx, unsigned int i)
{
	struct slab *slab = &s->slabs[idx];
	bool other = slab->other_mask & (1u << i);

	slab->other_mask &= ~(1u << i);
	if (slab->owner == OWNER_PT_BACKEND) {
		s->counts.own_free_objects++;
		if (other)
			s->counts.own_other_objects--;
		else
			s->counts.own_table_objects--;
	} else if (!other) {
		s->counts.other_slab_tables--;
	}
}

void slab_push(struct kmem_cache *s, uint32_t idx, unsigned int i)
{
	slab_unhand(s, idx, i);
	slab_give(s, idx, i);
}
