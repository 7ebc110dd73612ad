// SPDX-License-Identifier: GPL-2.0
/*
 * page_per_table.c - the baseline: one order-0 GFP_DMA32 page per 1 KiB table.
 *
 * What a generic page-table allocator does today when it has no sub-page
 * allocator: __get_free_page(gfp | GFP_DMA32 | __GFP_ZERO) for every table
 * and free_page() when the table goes.  Three quarters of every page are
 * wasted, but nothing is ever stranded and every page goes back at once.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "pt_alloc.h"

struct page_per_table {
	struct pt_alloc base;
	uint64_t held_pages[MAX_NR_ZONES];
};

static inline struct page_per_table *to_ppt(struct pt_alloc *a)
{
	return container_of(a, struct page_per_table, base);
}

static int ppt_alloc_table(struct pt_alloc *a, gfp_t gfp, int cpu, phys_addr_t *out)
{
	struct page_per_table *p = to_ppt(a);
	struct page *page;

	/* The caller's reclaim/reserve bits, our zone: as GFP_DMA32 callers do. */
	gfp = (gfp & ~GFP_ZONEMASK) | GFP_DMA32 | __GFP_ZERO;
	page = alloc_pages(a->mm, gfp, 0, cpu, OWNER_PT_BACKEND);
	if (!page)
		return -ENOMEM;
	p->held_pages[page_zonenum(a->mm, page)]++;
	*out = page_to_phys(a->mm, page);
	return 0;
}

static void ppt_free_table(struct pt_alloc *a, phys_addr_t table, int cpu)
{
	struct page_per_table *p = to_ppt(a);
	struct page *page = phys_to_page(a->mm, table);

	PTB_BUG_ON(!page || page->owner != OWNER_PT_BACKEND);
	p->held_pages[page_zonenum(a->mm, page)]--;
	free_pages(a->mm, page, 0, cpu);
}

static void ppt_stats(struct pt_alloc *a, struct pt_alloc_stats *out)
{
	struct page_per_table *p = to_ppt(a);

	for (int z = 0; z < MAX_NR_ZONES; z++) {
		out->held_pages[z][0] = p->held_pages[z];
		out->footprint_bytes += p->held_pages[z] * PAGE_SIZE;
	}
	/* The 3 KiB after each table is never handed out: the tail of its "slab". */
	out->loss.tail_pad_bytes = a->live_tables * (PAGE_SIZE - PT_TABLE_SIZE);
}

static const struct pt_alloc_ops ppt_ops = {
	.alloc_table = ppt_alloc_table,
	.free_table = ppt_free_table,
	.stats = ppt_stats,
};

static struct pt_alloc *ppt_create(struct mm *mm, struct pt_cfg *cfg, char *err, size_t err_bytes)
{
	struct page_per_table *p = calloc(1, sizeof(*p));

	if (!p)
		goto err_nomem;
	if (pt_alloc_init(&p->base, &pt_backend_page_per_table, &ppt_ops, mm))
		goto err_free;
	cfg->zone = mm_gfp_zone_served(mm, GFP_DMA32);
	cfg->slab_order = 0;
	cfg->slab_objects = 1;
	cfg->object_bytes = PAGE_SIZE;
	cfg->fixed_cost_bytes = 0;
	return &p->base;

err_free:
	free(p);
err_nomem:
	snprintf(err, err_bytes, "page-per-table: out of host memory");
	return NULL;
}

static void ppt_destroy(struct pt_alloc *a)
{
	if (!a)
		return;
	/* The caller frees every table first (free_io_pgtable_ops walks them all). */
	PTB_BUG_ON(a->live_tables != 0);
	pt_alloc_exit(a);
	free(to_ppt(a));
}

const struct pt_backend pt_backend_page_per_table = {
	.id = PT_BACKEND_PAGE_PER_TABLE,
	.what = "one order-0 GFP_DMA32 page per 1 KiB table (__get_free_page)",
	.create = ppt_create,
	.destroy = ppt_destroy,
};
