// SPDX-License-Identifier: GPL-2.0
/*
 * page_frag.c - one page_frag_cache carving 1 KiB tables out of 32 KiB pages.
 *
 * The v3 proposal ("iommu/io-pgtable-arm-v7s: Use page_frag to request DMA32
 * memory", Dec 2018): level-2 tables come from
 * page_frag_alloc(&data->l2_tables, SZ_1K, gfp | GFP_DMA32) and go back with
 * page_frag_free(); the table is zeroed by the caller because page_frag
 * never zeroes.  Modelled on mm/page_alloc.c of 4.19 (page_frag_alloc,
 * __page_frag_cache_refill, page_frag_free, __page_frag_cache_drain), with
 * the 5.4 and 6.13 (mm/page_frag_cache.c) differences from kernel.h.
 *
 * Terms: "cache" = the struct page_frag_cache; "current page" = the block the
 * cache carves from (order 3, or order 0 after a fallback); "retired page" =
 * an exhausted block the cache let go of, kept alive only by the references
 * of its live fragments.  A freed fragment is never handed out again while
 * its page lives: it is stranded until the last fragment of the page goes.
 *
 * Invariant, per held block and so in total:
 *   footprint_bytes == live_tables * 1 KiB + free_slot_bytes + stranded_bytes
 * where free_slot_bytes is the uncarved part of the current page and
 * stranded_bytes the freed fragments of every held block.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "pt_alloc.h"

/* include/linux/mm_types.h: PAGE_FRAG_CACHE_MAX_SIZE = __ALIGN_MASK(32768, ~PAGE_MASK) */
#define PAGE_FRAG_CACHE_MAX_SIZE  32768u
#define PAGE_FRAG_CACHE_MAX_ORDER 3u

/*
 * sizeof(struct page_frag_cache) on arm64 (64-bit, 4 KiB pages), the only
 * metadata page_frag has.  4.19..6.12: void *va, __u16 offset, __u16 size,
 * unsigned int pagecnt_bias, bool pfmemalloc = 17 bytes, padded to the
 * pointer's alignment: 24.  6.13 (the same page_frag series as the upward
 * carving, "mm: page_frag: reuse existing space for 'size' and 'pfmemalloc'")
 * folds size and pfmemalloc into unsigned long encoded_page next to
 * __u32 offset and __u32 pagecnt_bias: 16.
 */
#define PAGE_FRAG_CACHE_BYTES_OLD 24u
#define PAGE_FRAG_CACHE_BYTES_6_13 16u

/* struct page_frag_cache, with the page instead of its virtual address. */
struct page_frag_cache {
	struct page *page;		/* nc->va: NULL until the first refill */
	unsigned int offset_bytes;	/* downward: next end; upward: next start */
	unsigned int size_bytes;	/* nc->size: 32768, or 4096 after a fallback */
	unsigned int pagecnt_bias;	/* references the cache still owns on the page */
};

struct pt_page_frag {
	struct pt_alloc base;
	struct page_frag_cache nc;
	const struct kernel_rules *rules;
	/* blocks held: the current page plus retired pages with live fragments */
	uint64_t held_blocks[MAX_NR_ZONES][MAX_ORDER];
	uint64_t held_pages;
	uint64_t stranded_bytes;
	uint64_t fallbacks;
};

static inline struct pt_page_frag *to_pf(struct pt_alloc *a)
{
	return container_of(a, struct pt_page_frag, base);
}

static inline unsigned int block_order(const struct page *head)
{
	return head->order;
}

static inline uint64_t block_bytes(const struct page *head)
{
	return PAGE_SIZE << block_order(head);
}

static void pf_block_gained(struct pt_page_frag *pf, struct page *head)
{
	pf->held_blocks[page_zonenum(pf->base.mm, head)][block_order(head)]++;
	pf->held_pages += 1ULL << block_order(head);
}

/*
 * A held block goes back to the buddy allocator.  Every fragment of it was
 * carved and freed (a retired page is fully carved), so all of it had been
 * counted as stranded.  Called just before the free, while ->order is valid.
 */
static void pf_block_lost(struct pt_page_frag *pf, struct page *head)
{
	pf->held_blocks[page_zonenum(pf->base.mm, head)][block_order(head)]--;
	pf->held_pages -= 1ULL << block_order(head);
	PTB_BUG_ON(pf->stranded_bytes < block_bytes(head));
	pf->stranded_bytes -= block_bytes(head);
}

/**
 * page_frag_cache_refill() - __page_frag_cache_refill() (mm/page_alloc.c 4.19).
 * @gfp: the caller's gfp, zone bits included (they are kept on both tries).
 *
 * Try a 32 KiB compound page without retries, warnings or emergency reserves:
 * __GFP_NOMEMALLOC takes ALLOC_HARDER away, so a GFP_ATOMIC caller has only
 * ALLOC_HIGH there; 6.13 also clears __GFP_DIRECT_RECLAIM on that try.  Then
 * one page with the caller's gfp as it is, reserves and all.
 * Context: whatever @gfp allows.
 * Returns the new page (nc->size set), or NULL.
 */
static struct page *page_frag_cache_refill(struct pt_page_frag *pf, gfp_t gfp, int cpu)
{
	struct page_frag_cache *nc = &pf->nc;
	gfp_t gfp_high = gfp | __GFP_COMP | __GFP_NOWARN | __GFP_NORETRY | __GFP_NOMEMALLOC;
	struct page *page;

	if (pf->rules->page_frag_nodirect_high)
		gfp_high &= ~__GFP_DIRECT_RECLAIM;
	page = alloc_pages(pf->base.mm, gfp_high, PAGE_FRAG_CACHE_MAX_ORDER, cpu, OWNER_PT_BACKEND);
	nc->size_bytes = page ? PAGE_FRAG_CACHE_MAX_SIZE : (unsigned int)PAGE_SIZE;
	if (unlikely(!page)) {
		page = alloc_pages(pf->base.mm, gfp, 0, cpu, OWNER_PT_BACKEND);
		pf->fallbacks++;
	}
	nc->page = page;
	if (page)
		pf_block_gained(pf, page);
	return page;
}

/*
 * The bias a fresh or recycled page gets: the page size in 4.19
 * (page_ref_add(page, size - 1)); PAGE_FRAG_CACHE_MAX_SIZE + 1 whatever the
 * page size from 5.x (page_frag_alloc in 5.4, page_frag_cache.c in 6.13).
 */
static unsigned int page_frag_bias(const struct pt_page_frag *pf)
{
	return pf->rules->page_frag_const_bias ? PAGE_FRAG_CACHE_MAX_SIZE + 1 : pf->nc.size_bytes;
}

/* Where carving starts on a fresh or recycled page: the end, or 0 in 6.13. */
static unsigned int page_frag_start(const struct pt_page_frag *pf)
{
	return pf->rules->page_frag_carve_up ? 0 : pf->nc.size_bytes;
}

/*
 * Recycle the exhausted current page in place (its last reference was the
 * cache's bias, so every fragment of it has been freed): set_page_count()
 * and a new bias, as page_frag_alloc() does after page_ref_sub_and_test().
 */
static void page_frag_recycle(struct pt_page_frag *pf)
{
	struct page_frag_cache *nc = &pf->nc;

	set_page_count(nc->page, (int)page_frag_bias(pf));
	nc->pagecnt_bias = page_frag_bias(pf);
	nc->offset_bytes = page_frag_start(pf);
	/* its freed fragments are usable again: no longer stranded */
	PTB_BUG_ON(pf->stranded_bytes < nc->size_bytes);
	pf->stranded_bytes -= nc->size_bytes;
}

/* Uncarved bytes of the current page. */
static uint64_t page_frag_room(const struct pt_page_frag *pf)
{
	const struct page_frag_cache *nc = &pf->nc;

	if (!nc->page)
		return 0;
	return pf->rules->page_frag_carve_up ? nc->size_bytes - nc->offset_bytes : nc->offset_bytes;
}

/**
 * page_frag_alloc() - carve @fragsz bytes from the cache (mm/page_alloc.c 4.19).
 *
 * 4.19..6.12 carve downward: offset = nc->offset - fragsz.  6.13
 * (8218f62c9c9b) carves upward from 0.  When the page has no room left the
 * cache drops its bias: if that was the last reference the page is reused in
 * place, otherwise it is retired and a new page is taken.  No lock, no
 * alignment argument (1 KiB fragments of a 1 KiB multiple stay aligned).
 * Context: whatever @gfp allows.
 * Returns 0 with the fragment's physical address in @out, or -ENOMEM.
 */
static int page_frag_alloc(struct pt_page_frag *pf, unsigned int fragsz, gfp_t gfp, int cpu,
			   phys_addr_t *out)
{
	struct page_frag_cache *nc = &pf->nc;
	unsigned int offset;

	if (unlikely(!nc->page)) {
refill:
		if (!page_frag_cache_refill(pf, gfp, cpu))
			return -ENOMEM;
		/* Even when we own the page the kernel adds, never sets (get_page_unless_zero). */
		page_ref_add(nc->page, (int)page_frag_bias(pf) - 1);
		nc->pagecnt_bias = page_frag_bias(pf);
		nc->offset_bytes = page_frag_start(pf);
	}

	if (page_frag_room(pf) < fragsz) {
		if (!page_ref_sub_and_test(nc->page, (int)nc->pagecnt_bias)) {
			/* retired: its live fragments keep it; it is fully carved */
			nc->page = NULL;
			goto refill;
		}
		page_frag_recycle(pf);
	}

	if (pf->rules->page_frag_carve_up) {
		offset = nc->offset_bytes;
		nc->offset_bytes = offset + fragsz;
	} else {
		offset = nc->offset_bytes - fragsz;
		nc->offset_bytes = offset;
	}
	nc->pagecnt_bias--;
	*out = page_to_phys(pf->base.mm, nc->page) + offset;
	return 0;
}

/**
 * page_frag_free() - drop a fragment's reference (mm/page_alloc.c 4.19):
 * put_page_testzero(virt_to_head_page(addr)), then the whole compound page
 * goes back.  The fragment itself is never reused while the page lives.
 * Context: any.
 */
static void page_frag_free(struct pt_page_frag *pf, phys_addr_t frag, unsigned int fragsz, int cpu)
{
	struct page *head = compound_head(pf->base.mm, phys_to_page(pf->base.mm, frag));

	PTB_BUG_ON(head->owner != OWNER_PT_BACKEND);
	pf->stranded_bytes += fragsz;
	if (page_count(head) == 1) {
		/* only a retired page can reach 0: the current one holds the bias */
		PTB_BUG_ON(head == pf->nc.page);
		pf_block_lost(pf, head);
	}
	put_page(pf->base.mm, head, cpu);
}

/**
 * page_frag_cache_drain() - __page_frag_cache_drain(page, nc->pagecnt_bias):
 * give the cache's references back; frees the current page if no fragment
 * of it is live.  What the owner of the cache does when it goes away.
 */
static void page_frag_cache_drain(struct pt_page_frag *pf, int cpu)
{
	struct page_frag_cache *nc = &pf->nc;
	struct page *head = nc->page;

	if (!head)
		return;
	PTB_BUG_ON(page_count(head) == 0);
	if (page_count(head) == (int)nc->pagecnt_bias) {
		/* the uncarved room goes back with the page: count it as freed */
		pf->stranded_bytes += page_frag_room(pf);
		pf_block_lost(pf, head);
	}
	/*
	 * page_ref_sub_and_test(page, count) then free_the_page(): here all but
	 * one reference first, the last through put_page(), which frees the
	 * block when it is the page's last (the count is never below the bias).
	 */
	PTB_BUG_ON(nc->pagecnt_bias == 0);
	PTB_BUG_ON(page_ref_sub_and_test(head, (int)nc->pagecnt_bias - 1));
	put_page(pf->base.mm, head, cpu);
	nc->page = NULL;
}

static int pf_alloc_table(struct pt_alloc *a, gfp_t gfp, int cpu, phys_addr_t *out)
{
	phys_addr_t table;

	/* The proposal's call: gfp | ARM_V7S_TABLE_GFP_DMA, the v7s gfp as it is. */
	if (page_frag_alloc(to_pf(a), PT_TABLE_SIZE, gfp | GFP_DMA32, cpu, &table))
		return -ENOMEM;
	/* page_frag never zeroes and recycles pages in place: the proposal memsets */
	pt_table_zero(a->mm, table);
	*out = table;
	return 0;
}

static void pf_free_table(struct pt_alloc *a, phys_addr_t table, int cpu)
{
	page_frag_free(to_pf(a), table, PT_TABLE_SIZE, cpu);
}

static void pf_stats(struct pt_alloc *a, struct pt_alloc_stats *out)
{
	struct pt_page_frag *pf = to_pf(a);

	for (int z = 0; z < MAX_NR_ZONES; z++)
		for (unsigned int o = 0; o < MAX_ORDER; o++)
			out->held_pages[z][o] = pf->held_blocks[z][o];
	out->footprint_bytes = pf->held_pages * PAGE_SIZE;
	out->metadata_bytes = pf->rules->page_frag_carve_up ? PAGE_FRAG_CACHE_BYTES_6_13 :
							      PAGE_FRAG_CACHE_BYTES_OLD;
	out->loss.free_slot_bytes = page_frag_room(pf);
	out->loss.stranded_bytes = pf->stranded_bytes;
	out->fallbacks = pf->fallbacks;
	PTB_DEBUG_CHECK(out->footprint_bytes == a->live_tables * PT_TABLE_SIZE +
			out->loss.free_slot_bytes + out->loss.stranded_bytes);
}

static const struct pt_alloc_ops pf_ops = {
	.alloc_table = pf_alloc_table,
	.free_table = pf_free_table,
	.stats = pf_stats,
};

static struct pt_alloc *pf_create(struct mm *mm, struct pt_cfg *cfg, char *err, size_t err_bytes)
{
	struct pt_page_frag *pf = calloc(1, sizeof(*pf));

	if (!pf)
		goto err_nomem;
	if (pt_alloc_init(&pf->base, &pt_backend_page_frag, &pf_ops, mm))
		goto err_free;
	pf->rules = kernel_rules(mm_kernel(mm));
	cfg->zone = mm_gfp_zone_served(mm, GFP_DMA32);
	cfg->slab_order = PAGE_FRAG_CACHE_MAX_ORDER;
	cfg->slab_objects = PAGE_FRAG_CACHE_MAX_SIZE / PT_TABLE_SIZE;
	cfg->object_bytes = PT_TABLE_SIZE;
	cfg->fixed_cost_bytes = 0;
	return &pf->base;

err_free:
	free(pf);
err_nomem:
	snprintf(err, err_bytes, "page-frag: out of host memory");
	return NULL;
}

static void pf_destroy(struct pt_alloc *a)
{
	struct pt_page_frag *pf;

	if (!a)
		return;
	pf = to_pf(a);
	/* The caller frees every table first (free_io_pgtable_ops walks them all). */
	PTB_BUG_ON(a->live_tables != 0);
	page_frag_cache_drain(pf, 0);
	/* with no live fragment, no retired page can still be held */
	PTB_BUG_ON(pf->held_pages != 0 || pf->stranded_bytes != 0);
	pt_alloc_exit(a);
	free(pf);
}

const struct pt_backend pt_backend_page_frag = {
	.id = PT_BACKEND_PAGE_FRAG,
	.what = "page_frag_alloc(SZ_1K, gfp | GFP_DMA32) from one 32 KiB page_frag_cache (v3 proposal)",
	.create = pf_create,
	.destroy = pf_destroy,
};
