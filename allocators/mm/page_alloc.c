// SPDX-License-Identifier: GPL-2.0
/*
 * page_alloc.c - alloc_pages / free_pages and the watermarks, after
 * mm/page_alloc.c of 4.19 (__alloc_pages_nodemask, get_page_from_freelist,
 * __alloc_pages_slowpath, __zone_watermark_ok, __setup_per_zone_wmarks,
 * setup_per_zone_lowmem_reserve, init_per_zone_wmark_min), with the
 * version differences kernel.h names.
 */
#include <string.h>

#include "buddy.h"
#include "content.h"
#include "fail.h"
#include "page_alloc.h"
#include "page_owner.h"
#include "pcp.h"
#include "reclaim.h"

/* sysctl_lowmem_reserve_ratio (4.19): DMA 256, DMA32 256, NORMAL 32. */
static const uint64_t lowmem_reserve_ratio[MAX_NR_ZONES] = { 256, 256, 32 };

#define SWAP_CLUSTER_MAX 32		/* pages per direct reclaim round */
#define MAX_RECLAIM_RETRIES 16

/* mult_frac() (include/linux/kernel.h): x * n / d without overflow. */
static uint64_t mult_frac(uint64_t x, uint64_t n, uint64_t d)
{
	return (x / d) * n + ((x % d) * n) / d;
}

/*
 * init_per_zone_wmark_min(): min_free_kbytes = int_sqrt(lowmem_kbytes * 16),
 * lowmem_kbytes = nr_free_buffer_pages() * 4 = managed pages of every zone
 * (the high watermarks are still 0 when it first runs), clamped to
 * [128, 65536] (262144 in 6.12 and 6.13).  Then __setup_per_zone_wmarks() and
 * setup_per_zone_lowmem_reserve().  A zone's --watermarks replace what was
 * computed: a real kernel's own (ptbench oracle's guest, whose watermarks
 * follow the managed pages at the moment khugepaged last set
 * min_free_kbytes, which a layout's reservations only approximate).
 */
void mm_setup_watermarks(struct mm *mm)
{
	uint64_t lowmem_pages = 0, pages_min;
	unsigned int wsf = mm->cfg.watermark_scale_factor ? mm->cfg.watermark_scale_factor : 10;

	for (int z = 0; z < MAX_NR_ZONES; z++)
		lowmem_pages += mm->zones[z].managed_pages;
	if (mm->cfg.min_free_kbytes) {
		mm->min_free_kbytes = mm->cfg.min_free_kbytes;
	} else {
		uint64_t kb = int_sqrt(lowmem_pages * 4 * 16);

		kb = MAX(kb, 128ULL);
		kb = MIN(kb, (uint64_t)mm->rules->min_free_kbytes_max);
		mm->min_free_kbytes = (unsigned int)kb;
	}
	pages_min = mm->min_free_kbytes >> (PAGE_SHIFT - 10);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &mm->zones[z];
		uint64_t tmp, step;

		if (!lowmem_pages)
			break;
		tmp = pages_min * zone->managed_pages / lowmem_pages;
		zone->watermark[WMARK_MIN] = tmp;
		step = MAX(tmp >> 2, mult_frac(zone->managed_pages, wsf, 10000));
		zone->watermark[WMARK_LOW] = tmp + step;
		zone->watermark[WMARK_HIGH] = tmp + 2 * step;
		if (mm->cfg.watermark_pages[z][WMARK_HIGH])
			memcpy(zone->watermark, mm->cfg.watermark_pages[z], sizeof(zone->watermark));
	}
	for (int j = 0; j < MAX_NR_ZONES; j++) {
		uint64_t managed = mm->zones[j].managed_pages;

		mm->zones[j].lowmem_reserve[j] = 0;
		for (int idx = j - 1; idx >= 0; idx--) {
			struct zone *lower = &mm->zones[idx];

			lower->lowmem_reserve[j] = managed / lowmem_reserve_ratio[idx];
			managed += lower->managed_pages;
		}
	}
}

unsigned int mm_gfp_to_alloc_flags(const struct mm *mm, gfp_t gfp)
{
	unsigned int flags = ALLOC_WMARK_MIN;

	if (wmark_non_block(mm->cfg.kernel)) {
		/* 6.13: ALLOC_MIN_RESERVE for __GFP_HIGH, ALLOC_NON_BLOCK if it cannot reclaim */
		if (gfp & __GFP_HIGH)
			flags |= ALLOC_MIN_RESERVE;
		if (!(gfp & __GFP_DIRECT_RECLAIM) && !(gfp & __GFP_NOMEMALLOC))
			flags |= ALLOC_NON_BLOCK;
	} else {
		if (gfp & __GFP_HIGH)
			flags |= ALLOC_HIGH;
		if ((gfp & __GFP_ATOMIC) && !(gfp & __GFP_NOMEMALLOC))
			flags |= ALLOC_HARDER;
	}
	/* gfp_pfmemalloc_allowed(): __GFP_MEMALLOC ignores the watermarks */
	if ((gfp & __GFP_MEMALLOC) && !(gfp & __GFP_NOMEMALLOC))
		flags |= ALLOC_NO_WATERMARKS;
	return flags;
}

uint64_t zone_watermark_reduced(const struct mm *mm, uint64_t mark, unsigned int alloc_flags)
{
	return wmark_reduced(mm->cfg.kernel, mark, alloc_flags);
}

bool zone_watermark_ok(const struct mm *mm, enum zone_type z, unsigned int order,
		       uint64_t mark, enum zone_type classzone, unsigned int alloc_flags)
{
	const struct zone *zone = &mm->zones[z];
	int64_t free = (int64_t)zone->free_pages - (int64_t)((1ULL << order) - 1);
	int64_t min = (int64_t)zone_watermark_reduced(mm, mark, alloc_flags);
	bool alloc_harder = alloc_flags & ALLOC_HARDER;

	/* Callers without reserve rights do not count the highatomic reserve. */
	if (wmark_non_block(mm->cfg.kernel) ? !(alloc_flags & (ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK)) :
	    !alloc_harder)
		free -= (int64_t)zone->nr_reserved_highatomic;
	if (free <= min + (int64_t)zone->lowmem_reserve[classzone])
		return false;
	if (!order)
		return true;
	return buddy_has_free_block(zone, order, alloc_harder);
}

/* The first zone a gfp may use: gfp_zone() with this machine's zones. */
enum zone_type mm_gfp_zone(const struct mm *mm, gfp_t gfp)
{
	enum zone_type z = ZONE_NORMAL;

	if (gfp & __GFP_DMA)
		/* arm64 4.19 has no CONFIG_ZONE_DMA: GFP_DMA means ZONE_NORMAL */
		z = mm->cfg.layout.arm64 && !mm->rules->arm64_zone_dma ? ZONE_NORMAL : ZONE_DMA;
	else if (gfp & __GFP_DMA32)
		z = ZONE_DMA32;
	return z;
}

enum zone_type mm_gfp_zone_served(const struct mm *mm, gfp_t gfp)
{
	enum zone_type z = mm_gfp_zone(mm, gfp);

	while (z > ZONE_DMA && !mm_zone_populated(mm, z))
		z--;
	return z;
}

void prep_new_block(struct mm *mm, uint32_t idx, unsigned int order, gfp_t gfp,
		    enum page_owner owner)
{
	struct page *head = idx_page(mm, idx);
	uint16_t keep = (uint16_t)(3u << PG_ZONE_SHIFT);
	int mt = gfp_migratetype(gfp);
	uint16_t movable = mt == MIGRATE_MOVABLE ? PG_movable :
			   mt == MIGRATE_RECLAIMABLE ? PG_reclaimable : 0;

	head->flags = (uint16_t)((head->flags & keep) | movable | (order ? PG_head : 0));
	head->order = (uint8_t)order;
	head->refcount = 1;
	head->owner = (uint8_t)owner;
	head->private = 0;
	head->next = head->prev = PAGE_NIL;
	for (uint32_t i = 1; i < (1u << order); i++) {
		struct page *t = idx_page(mm, idx + i);

		t->flags = (uint16_t)((t->flags & keep) | PG_tail | movable);
		t->head = idx;
		t->owner = (uint8_t)owner;
		t->refcount = 0;
	}
	if (gfp & __GFP_ZERO)
		for (uint32_t i = 0; i < (1u << order); i++)
			content_forget(mm, idx_page(mm, idx + i));
	mm_account(mm, idx, order, owner, +1);
}

uint32_t zone_take_block(struct mm *mm, struct zone *zone, unsigned int order, int mt)
{
	return buddy_rmqueue(mm, zone, order, mt, 0);
}

/* rmqueue(): per-CPU lists for the orders that have them, else the buddy lists. */
static uint32_t rmqueue(struct mm *mm, struct zone *zone, unsigned int order, int mt,
			unsigned int alloc_flags, int cpu)
{
	if (pcp_allowed_order(mm, order)) {
		uint32_t idx = pcp_rmqueue(mm, zone, cpu, order, mt);

		if (idx != PAGE_NIL || order == 0)
			return idx;
	}
	return buddy_rmqueue(mm, zone, order, mt, alloc_flags);
}

/* get_page_from_freelist(): walk the zonelist from the preferred zone down. */
static uint32_t get_page_from_freelist(struct mm *mm, unsigned int order, unsigned int alloc_flags,
				       enum zone_type classzone, int mt, int cpu)
{
	for (int z = classzone; z >= 0; z--) {
		struct zone *zone = &mm->zones[z];
		uint32_t idx;

		if (!zone->populated || !zone->managed_pages)
			continue;
		if (!(alloc_flags & ALLOC_NO_WATERMARKS) &&
		    !zone_watermark_ok(mm, (enum zone_type)z, order,
				       zone->watermark[alloc_flags & ALLOC_WMARK_MASK],
				       classzone, alloc_flags))
			continue;
		idx = rmqueue(mm, zone, order, mt, alloc_flags, cpu);
		if (idx == PAGE_NIL)
			continue;
		if (order && (alloc_flags & ALLOC_HARDER))
			buddy_reserve_highatomic(mm, zone, idx);
		return idx;
	}
	return PAGE_NIL;
}

/*
 * __alloc_pages_slowpath(): wake kswapd, retry at min with the reserves the
 * gfp allows; callers that cannot sleep stop there.  Others reclaim and
 * compact; __GFP_NORETRY gives up after one round of each, costly orders
 * without __GFP_RETRY_MAYFAIL likewise; otherwise retry while reclaim makes
 * progress (should_reclaim_retry), up to MAX_RECLAIM_RETRIES rounds without.
 * The OOM killer is not modelled: the allocation fails.
 */
static uint32_t alloc_pages_slowpath(struct mm *mm, gfp_t gfp, unsigned int order,
				     enum zone_type classzone, int mt, int cpu)
{
	unsigned int alloc_flags = mm_gfp_to_alloc_flags(mm, gfp);
	bool costly = order > PAGE_ALLOC_COSTLY_ORDER;
	unsigned int no_progress = 0;
	bool drained = false;
	uint32_t idx;

	mm->stats.slowpath++;
	if (gfp & __GFP_KSWAPD_RECLAIM)
		wakeup_kswapd(mm, classzone);
	idx = get_page_from_freelist(mm, order, alloc_flags, classzone, mt, cpu);
	if (idx != PAGE_NIL || !(gfp & __GFP_DIRECT_RECLAIM))
		return idx;
	/* Costly or unmovable high-order requests compact first. */
	if (costly || (order > 0 && mt != MIGRATE_MOVABLE)) {
		if (direct_compact(mm, classzone, order, cpu)) {
			idx = get_page_from_freelist(mm, order, alloc_flags, classzone, mt, cpu);
			if (idx != PAGE_NIL)
				return idx;
		}
		if (costly && (gfp & __GFP_NORETRY))
			return PAGE_NIL;
	}
	for (;;) {
		uint64_t reclaimed;
		bool compacted;

		reclaimed = direct_reclaim(mm, classzone, SWAP_CLUSTER_MAX, cpu);
		idx = get_page_from_freelist(mm, order, alloc_flags, classzone, mt, cpu);
		if (idx == PAGE_NIL && !drained) {
			for (int z = classzone; z >= 0; z--) {
				buddy_unreserve_highatomic(mm, &mm->zones[z], false);
				pcp_drain_zone(mm, &mm->zones[z]);
			}
			drained = true;
			idx = get_page_from_freelist(mm, order, alloc_flags, classzone, mt, cpu);
		}
		if (idx != PAGE_NIL)
			return idx;
		compacted = order && direct_compact(mm, classzone, order, cpu);
		if (compacted) {
			idx = get_page_from_freelist(mm, order, alloc_flags, classzone, mt, cpu);
			if (idx != PAGE_NIL)
				return idx;
		}
		if (gfp & __GFP_NORETRY)
			return PAGE_NIL;
		if (costly && !(gfp & __GFP_RETRY_MAYFAIL))
			return PAGE_NIL;
		if (!reclaimed && !compacted && ++no_progress > MAX_RECLAIM_RETRIES)
			return PAGE_NIL;
	}
}

struct page *alloc_pages(struct mm *mm, gfp_t gfp, unsigned int order, int cpu,
			 enum page_owner owner)
{
	enum zone_type classzone = mm_gfp_zone(mm, gfp);
	int mt = gfp_migratetype(gfp);
	uint32_t idx = PAGE_NIL;

	PTB_BUG_ON(cpu < 0 || (unsigned int)cpu >= mm->cfg.nr_cpus);
	mm->stats.allocs++;
	if (order >= MAX_ORDER)
		goto fail;
	if (should_fail_alloc_page(&mm->fail, gfp, order)) {
		mm->stats.fail_injected++;
		goto fail;
	}
	idx = get_page_from_freelist(mm, order, ALLOC_WMARK_LOW, classzone, mt, cpu);
	if (idx == PAGE_NIL)
		idx = alloc_pages_slowpath(mm, gfp, order, classzone, mt, cpu);
	if (idx == PAGE_NIL)
		goto fail;
	prep_new_block(mm, idx, order, gfp, owner);
	return idx_page(mm, idx);
fail:
	mm->stats.alloc_failures++;
	mm->stats.alloc_failures_order[MIN(order, MAX_ORDER - 1u)]++;
	return NULL;
}

/* free_the_page(): per-CPU lists for the orders that have them. */
static void free_block(struct mm *mm, struct page *page, int cpu)
{
	uint32_t idx = page_idx(mm, page);
	unsigned int order = page->order;
	struct zone *zone = idx_zone(mm, idx);
	uint16_t keep = (uint16_t)(3u << PG_ZONE_SHIFT);

	mm_account(mm, idx, order, page->owner, -1);
	content_forget_zero(mm, page);
	for (uint32_t i = 1; i < (1u << order); i++) {
		struct page *t = idx_page(mm, idx + i);

		content_forget_zero(mm, t);
		t->flags &= keep;
		t->owner = OWNER_FREE;
		t->head = 0;
	}
	page->flags &= keep;
	page->owner = OWNER_FREE;
	mm->stats.frees++;
	if (pcp_allowed_order(mm, order))
		pcp_free(mm, zone, cpu, idx, order);
	else
		buddy_free_one(mm, zone, idx, order,
			       get_pageblock_migratetype(zone, idx_pfn(mm, idx)));
}

void free_pages(struct mm *mm, struct page *page, unsigned int order, int cpu)
{
	/* The caller must free exactly the block it got. */
	PTB_BUG_ON(page->flags & (PG_tail | PG_buddy | PG_pcp | PG_reserved));
	PTB_BUG_ON(page->order != order);
	PTB_BUG_ON(cpu < 0 || (unsigned int)cpu >= mm->cfg.nr_cpus);
	if (page_ref_sub_and_test(page, 1))
		free_block(mm, page, cpu);
}

void put_page(struct mm *mm, struct page *page, int cpu)
{
	struct page *head = compound_head(mm, page);

	PTB_BUG_ON(head->flags & (PG_buddy | PG_pcp | PG_reserved));
	if (page_ref_sub_and_test(head, 1))
		free_block(mm, head, cpu);
}
