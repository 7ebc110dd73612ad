// SPDX-License-Identifier: GPL-2.0
/*
 * oracle_pt_frag.c - pt-frag's kernel twin (allocators/pt_frag.c) on the
 * real page allocator: arch/s390/mm/pgalloc.c's page_table_alloc /
 * page_table_free (6.1) for four 1 KiB tables a page, built from the
 * kernel's primitives: alloc_page(gfp | GFP_DMA32), the page's lru on a
 * pool's list of partial pages, the mask of allocated slots in
 * page->private (with the pool's index above it), one spinlock a pool.
 *
 * The first partial page of the pool gives its lowest free slot and leaves
 * the list when full; a fresh page gives slot 0 and goes to the head; a
 * full page that loses a table goes back to the head; a page goes back to
 * the page allocator with its last table.  pt_frag_global=1 makes one pool
 * of all page tables (ptbench --pt-frag-scope global).
 */
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "oracle.h"

static bool pt_frag_global;
module_param(pt_frag_global, bool, 0444);
MODULE_PARM_DESC(pt_frag_global, "pt-frag: one pool for every page table (ptbench --pt-frag-scope global)");

#define SLOTS_PER_PAGE	(PAGE_SIZE / TABLE_BYTES)
#define SLOTS_FULL	((1ul << SLOTS_PER_PAGE) - 1)
#define MASK_BITS	8			/* page->private: pool << 8 | mask */

struct oracle_ptf_pool {
	spinlock_t lock;
	struct list_head partial;		/* pages with a free slot, by page->lru */
};

int ptf_create(struct oracle_alloc *a)
{
	unsigned int i;

	a->ptf = kcalloc(ORACLE_PTF_POOLS, sizeof(*a->ptf), GFP_KERNEL);
	if (!a->ptf)
		return -ENOMEM;
	for (i = 0; i < ORACLE_PTF_POOLS; i++) {
		spin_lock_init(&a->ptf[i].lock);
		INIT_LIST_HEAD(&a->ptf[i].partial);
	}
	a->ptf_global = pt_frag_global;
	a->table_pages = 0;
	return 0;
}

void ptf_destroy(struct oracle_alloc *a)
{
	kfree(a->ptf);
	a->ptf = NULL;
}

void *ptf_alloc(struct oracle_alloc *a, gfp_t gfp)
{
	unsigned int idx = a->ptf_global ? 0 : a->ptf_pool;
	struct oracle_ptf_pool *pool;
	struct page *page = NULL;
	unsigned long flags, mask;
	unsigned int slot = 0;
	void *table;

	if (WARN_ON(idx >= ORACLE_PTF_POOLS))
		return NULL;
	pool = &a->ptf[idx];
	spin_lock_irqsave(&pool->lock, flags);
	if (!list_empty(&pool->partial)) {
		page = list_first_entry(&pool->partial, struct page, lru);
		mask = page_private(page) & SLOTS_FULL;
		slot = __ffs(~mask & SLOTS_FULL);
		set_page_private(page, page_private(page) | 1ul << slot);
		if ((mask | 1ul << slot) == SLOTS_FULL)
			list_del(&page->lru);
	}
	spin_unlock_irqrestore(&pool->lock, flags);
	if (!page) {
		/* as s390, the fresh page is taken outside the pool's lock */
		page = alloc_page(gfp | GFP_DMA32);
		if (!page)
			return NULL;
		set_page_private(page, (unsigned long)idx << MASK_BITS | 1ul);
		spin_lock_irqsave(&pool->lock, flags);
		list_add(&page->lru, &pool->partial);
		spin_unlock_irqrestore(&pool->lock, flags);
		a->table_pages++;
	}
	table = page_address(page) + slot * TABLE_BYTES;
	memset(table, 0, TABLE_BYTES);
	return table;
}

void ptf_free(struct oracle_alloc *a, void *table)
{
	struct page *page = virt_to_page(table);
	unsigned long bit = 1ul << (offset_in_page(table) / TABLE_BYTES);
	struct oracle_ptf_pool *pool = &a->ptf[page_private(page) >> MASK_BITS];
	unsigned long flags, mask;
	bool empty = false;

	spin_lock_irqsave(&pool->lock, flags);
	mask = page_private(page) & SLOTS_FULL;
	if (WARN_ON(!(mask & bit))) {
		spin_unlock_irqrestore(&pool->lock, flags);
		return;
	}
	set_page_private(page, page_private(page) & ~bit);
	if (mask == SLOTS_FULL) {
		list_add(&page->lru, &pool->partial);
	} else if (!(mask & ~bit)) {
		list_del(&page->lru);
		empty = true;
	}
	spin_unlock_irqrestore(&pool->lock, flags);
	if (empty) {
		set_page_private(page, 0);
		__free_page(page);
		a->table_pages--;
	}
}

u64 ptf_held_pages(struct oracle_alloc *a)
{
	return a->table_pages;
}

int ptf_check_empty(struct oracle_alloc *a, char *err, size_t err_bytes)
{
	unsigned int i, partial = 0;

	for (i = 0; i < ORACLE_PTF_POOLS; i++)
		partial += !list_empty(&a->ptf[i].partial);
	if (!a->table_pages && !partial)
		return 0;
	snprintf(err, err_bytes, "pt-frag holds %llu pages, %u pools not empty after teardown",
		 a->table_pages, partial);
	return -EBUSY;
}
