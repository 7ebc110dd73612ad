// SPDX-License-Identifier: GPL-2.0
/*
 * pt_frag.c - backend pt-frag: 1 KiB tables cut from order-0 DMA32 pages,
 * freed slots reused, empty pages given back.
 *
 * The allocator Matthew Wilcox suggested in the 2018 thread ("a per-MM
 * page_frag allocator; s390 already has something like this"), never
 * written for io-pgtable-arm-v7s.  Two kernel allocators cut page tables
 * out of pages; this model takes from each what serves a 1 KiB table
 * (read in Debian's linux-source-6.1):
 *
 * - arch/s390/mm/pgalloc.c (6.1) page_table_alloc / page_table_free: two
 *   2 KiB tables per 4 KiB page, which halves are allocated kept in the
 *   page itself (bits 24-25 of page->_refcount), a per-mm list
 *   (mm->context.pgtable_list, under mm->context.lock) of the pages that
 *   still have a free half.  Followed here: a table comes from the FIRST
 *   page of the list, in its lowest free slot; a page that becomes full
 *   leaves the list; a fresh page gives its first slot and goes to the
 *   head of the list (list_add); a free from a full page puts the page
 *   back at the head (list_add); the free of a page's last table takes it
 *   off the list and gives it back to the buddy allocator at once.  So a
 *   freed slot IS reused, and no page is kept empty.  With four slots a
 *   page can also lose a table while it is already on the list: it stays
 *   where it is (s390, with two halves, never meets that case).  Not
 *   followed: the "pending removal" bits, which exist for RCU-deferred
 *   frees through the mmu_gather (page_table_free_rcu); an IOMMU page table
 *   frees its tables after the TLB flush, synchronously, as v7s does.
 * - arch/powerpc/mm/pgtable-frag.c (6.1) pte_fragment_alloc: a per-mm
 *   current page carved sequentially, page->pt_frag_refcount counting the
 *   fragments handed out, and a freed fragment never reused until the whole
 *   page is free.  Not followed: that is page_frag's behaviour, which the
 *   page-frag backend measures already; pt-frag is the reusing design.
 *
 * The page comes from alloc_page(gfp | GFP_DMA32) with the caller's gfp (v7s
 * passes GFP_ATOMIC when it may not sleep), where s390 asks GFP_KERNEL; the
 * table is zeroed on every allocation, since a reused slot holds whatever
 * the freed table held (s390 initialises the whole page when it is fresh).
 *
 * Scope: one pool (list) per page table, as s390's is per mm ("per-MM"), or
 * one global pool for every page table (--pt-frag-scope global).  The pool
 * of an allocation is pt_alloc.pool, set by the caller; a free finds it
 * from the page (page->private), as s390 finds the mm's list from the
 * table's page.
 *
 * Terms: "slot" = one 1 KiB quarter of a held page; "partial page" = a
 * held page with at least one free slot, on its pool's list.
 *
 * Invariant: footprint_bytes == live_tables * 1 KiB + free_slot_bytes,
 * where free_slot_bytes are the free slots of the held pages (all partial).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "pt_alloc.h"

#define SLOTS_FULL ((1u << PT_TABLES_PER_PAGE) - 1)	/* 0xf: every slot allocated */
#define MASK_BITS 8u					/* page->private: pool << 8 | mask */

/*
 * sizeof(struct pt_frag_pool) the kernel twin embeds per pool on arm64
 * (kmod/oracle_pt_frag.c): spinlock_t (4, padded to 8) + struct list_head
 * (16), without lock debugging.  The page's own state lives in the page.
 */
#define PT_FRAG_POOL_BYTES 24u

/* A list of pages by pfn through page->next/prev (unused while allocated, mm.h). */
struct pfn_list {
	uint32_t first, last;		/* PAGE_NIL when empty */
};

struct pt_frag {
	struct pt_alloc base;
	bool global;			/* one pool for every page table */
	struct pfn_list partial[PT_ALLOC_MAX_POOLS];
	bool pool_used[PT_ALLOC_MAX_POOLS];
	unsigned int pools_used;
	uint64_t held_pages[MAX_NR_ZONES];
	uint64_t free_slots;		/* free slots of every held page */
};

static inline struct pt_frag *to_ptf(struct pt_alloc *a)
{
	return container_of(a, struct pt_frag, base);
}

static inline unsigned int page_mask(const struct page *page)
{
	return page->private & SLOTS_FULL;
}

static inline unsigned int page_pool(const struct page *page)
{
	return page->private >> MASK_BITS;
}

static struct page *pfn_page(struct pt_frag *p, uint32_t pfn)
{
	return pfn_to_page(p->base.mm, pfn);
}

/* list_add(&page->lru, list): at the head. */
static void pool_add(struct pt_frag *p, struct pfn_list *l, struct page *page)
{
	uint32_t pfn = (uint32_t)page_to_pfn(p->base.mm, page);

	page->prev = PAGE_NIL;
	page->next = l->first;
	if (l->first != PAGE_NIL)
		pfn_page(p, l->first)->prev = pfn;
	else
		l->last = pfn;
	l->first = pfn;
}

/* list_del(&page->lru). */
static void pool_del(struct pt_frag *p, struct pfn_list *l, struct page *page)
{
	if (page->prev != PAGE_NIL)
		pfn_page(p, page->prev)->next = page->next;
	else
		l->first = page->next;
	if (page->next != PAGE_NIL)
		pfn_page(p, page->next)->prev = page->prev;
	else
		l->last = page->prev;
	page->next = page->prev = PAGE_NIL;
}

/* The lowest free slot of a partial page (s390: bit = mask & 1). */
static inline unsigned int lowest_free(unsigned int mask)
{
	return (unsigned int)__builtin_ctz(~mask & SLOTS_FULL);
}

/* A fresh page for @pool: alloc_page(gfp | GFP_DMA32), its first slot taken. */
static struct page *pt_frag_refill(struct pt_frag *p, unsigned int pool, gfp_t gfp, int cpu)
{
	struct page *page = alloc_pages(p->base.mm, gfp | GFP_DMA32, 0, cpu, OWNER_PT_BACKEND);

	if (!page)
		return NULL;
	page->private = pool << MASK_BITS | 1u;
	pool_add(p, &p->partial[pool], page);
	p->held_pages[page_zonenum(p->base.mm, page)]++;
	p->free_slots += PT_TABLES_PER_PAGE - 1;
	return page;
}

/**
 * pt_frag_alloc() - page_table_alloc() (arch/s390/mm/pgalloc.c 6.1) for 1 KiB.
 * The first partial page of the pool gives its lowest free slot and leaves
 * the list when full; with none, a fresh page gives slot 0.
 * Context: whatever @gfp allows.  Returns 0 or -ENOMEM.
 */
static int ptf_alloc_table(struct pt_alloc *a, gfp_t gfp, int cpu, phys_addr_t *out)
{
	struct pt_frag *p = to_ptf(a);
	unsigned int pool = p->global ? 0 : a->pool;
	struct pfn_list *l;
	struct page *page;
	unsigned int slot;

	PTB_BUG_ON(pool >= PT_ALLOC_MAX_POOLS);
	l = &p->partial[pool];
	if (!p->pool_used[pool]) {
		p->pool_used[pool] = true;
		p->pools_used++;
	}
	if (l->first != PAGE_NIL) {
		page = pfn_page(p, l->first);
		slot = lowest_free(page_mask(page));
		page->private |= 1u << slot;
		p->free_slots--;
		if (page_mask(page) == SLOTS_FULL)
			pool_del(p, l, page);
	} else {
		page = pt_frag_refill(p, pool, gfp, cpu);
		if (!page)
			return -ENOMEM;
		slot = 0;
	}
	*out = page_to_phys(a->mm, page) + ((phys_addr_t)slot << PT_TABLE_SHIFT);
	pt_table_zero(a->mm, *out);
	return 0;
}

/**
 * pt_frag_free() - page_table_free() (arch/s390/mm/pgalloc.c 6.1) for 1 KiB.
 * A full page goes back to the head of its pool's list; a page whose last
 * table goes leaves the list and goes back to the buddy allocator.
 * Context: any.
 */
static void ptf_free_table(struct pt_alloc *a, phys_addr_t table, int cpu)
{
	struct pt_frag *p = to_ptf(a);
	struct page *page = phys_to_page(a->mm, table);
	unsigned int bit = 1u << ((table & ~PAGE_MASK) >> PT_TABLE_SHIFT);
	struct pfn_list *l;
	unsigned int mask;

	PTB_BUG_ON(!page || page->owner != OWNER_PT_BACKEND || !(page_mask(page) & bit));
	l = &p->partial[page_pool(page)];
	mask = page_mask(page);
	page->private &= ~bit;
	if (mask == SLOTS_FULL) {
		pool_add(p, l, page);
	} else if (!(mask & ~bit)) {
		pool_del(p, l, page);
		p->held_pages[page_zonenum(a->mm, page)]--;
		p->free_slots -= PT_TABLES_PER_PAGE - 1;
		page->private = 0;
		free_pages(a->mm, page, 0, cpu);
		return;
	}
	p->free_slots++;
}

static void ptf_stats(struct pt_alloc *a, struct pt_alloc_stats *out)
{
	struct pt_frag *p = to_ptf(a);

	for (int z = 0; z < MAX_NR_ZONES; z++) {
		out->held_pages[z][0] = p->held_pages[z];
		out->footprint_bytes += p->held_pages[z] * PAGE_SIZE;
	}
	out->metadata_bytes = (uint64_t)p->pools_used * PT_FRAG_POOL_BYTES;
	out->loss.free_slot_bytes = p->free_slots * PT_TABLE_SIZE;
	PTB_DEBUG_CHECK(out->footprint_bytes == a->live_tables * PT_TABLE_SIZE +
			out->loss.free_slot_bytes);
}

static const struct pt_alloc_ops ptf_ops = {
	.alloc_table = ptf_alloc_table,
	.free_table = ptf_free_table,
	.stats = ptf_stats,
};

static struct pt_alloc *ptf_create(struct mm *mm, struct pt_cfg *cfg, char *err, size_t err_bytes)
{
	struct pt_frag *p = calloc(1, sizeof(*p));

	if (!p)
		goto err_nomem;
	if (pt_alloc_init(&p->base, &pt_backend_pt_frag, &ptf_ops, mm))
		goto err_free;
	p->global = cfg->pt_frag_global;
	for (unsigned int i = 0; i < PT_ALLOC_MAX_POOLS; i++)
		p->partial[i].first = p->partial[i].last = PAGE_NIL;
	cfg->zone = mm_gfp_zone_served(mm, GFP_DMA32);
	cfg->slab_order = 0;
	cfg->slab_objects = PT_TABLES_PER_PAGE;
	cfg->object_bytes = PT_TABLE_SIZE;
	cfg->fixed_cost_bytes = 0;
	return &p->base;

err_free:
	free(p);
err_nomem:
	snprintf(err, err_bytes, "pt-frag: out of host memory");
	return NULL;
}

static void ptf_destroy(struct pt_alloc *a)
{
	struct pt_frag *p;

	if (!a)
		return;
	p = to_ptf(a);
	/* The caller frees every table first; each page went back with its last. */
	PTB_BUG_ON(a->live_tables != 0);
	for (unsigned int i = 0; i < PT_ALLOC_MAX_POOLS; i++)
		PTB_BUG_ON(p->partial[i].first != PAGE_NIL);
	PTB_BUG_ON(p->free_slots != 0);
	pt_alloc_exit(a);
	free(p);
}

const struct pt_backend pt_backend_pt_frag = {
	.id = PT_BACKEND_PT_FRAG,
	.what = "four 1 KiB slots per order-0 GFP_DMA32 page, freed slots reused, empty pages "
		"freed (s390 page_table_alloc)",
	.create = ptf_create,
	.destroy = ptf_destroy,
};
