// SPDX-License-Identifier: GPL-2.0
/*
 * reclaim.c - others' memory and getting it back: the background owner,
 * kswapd, direct reclaim and direct compaction.
 *
 * Reclaim is modelled at the level the page-table allocators can see: it
 * frees movable and reclaimable background pages, oldest first, from the
 * zones an allocation may use (mm/vmscan.c shrink_node with reclaim_idx).
 * kswapd (mm/vmscan.c 4.19): woken by an allocation's slow path when the
 * node is not balanced for its classzone (pgdat_balanced: some eligible zone
 * above its high watermark, lowmem_reserve included); it then reclaims at
 * cfg.kswapd_pages_per_ms of simulated time until balanced, and sleeps.
 * Direct compaction (mm/compaction.c) moves movable order-0 background pages
 * out of an aligned block into free pages found from the top of the zone
 * (the migrate and free scanners), until one block of the order is free.
 */
#include <stdlib.h>
#include <string.h>

#include "buddy.h"
#include "page_alloc.h"
#include "page_owner.h"
#include "pcp.h"
#include "reclaim.h"

#define KSWAPD_CHUNK_PAGES 32ULL	/* SWAP_CLUSTER_MAX */

static struct bg_list *bg_list_of(struct mm *mm, uint32_t idx)
{
	struct page *p = idx_page(mm, idx);

	return &mm->bg[page_zonenum(mm, p)][page_alloc_migratetype(p)];
}

/*
 * A machine started from a boot image reads the image's lists until it first
 * changes one: then it takes a copy of its own.
 */
static void bg_list_own(struct bg_list *l)
{
	uint32_t *n;

	if (!l->borrowed)
		return;
	n = l->cap ? malloc(l->cap * sizeof(*n)) : NULL;
	PTB_BUG_ON(l->cap && !n);
	if (l->len)
		memcpy(n, l->idx, l->len * sizeof(*n));
	l->idx = n;
	l->borrowed = false;
}

/* Remember a background block; ->private keeps its position in the list. */
void bg_record(struct mm *mm, uint32_t idx)
{
	struct bg_list *l = bg_list_of(mm, idx);

	bg_list_own(l);

	if (l->head > 0 && l->head >= l->len / 2) {
		/* drop the consumed front (amortised O(1)) */
		memmove(l->idx, l->idx + l->head, (l->len - l->head) * sizeof(*l->idx));
		for (uint64_t i = 0; i < l->len - l->head; i++)
			if (l->idx[i] != PAGE_NIL)
				idx_page(mm, l->idx[i])->private = (uint32_t)i;
		l->len -= l->head;
		l->head = 0;
	}
	if (l->len == l->cap) {
		uint64_t cap = l->cap ? 2 * l->cap : 1024;
		uint32_t *n = realloc(l->idx, cap * sizeof(*n));

		PTB_BUG_ON(!n);
		l->idx = n;
		l->cap = cap;
	}
	idx_page(mm, idx)->private = (uint32_t)l->len;
	l->idx[l->len++] = idx;
	l->nr_pages += 1ULL << idx_page(mm, idx)->order;
}

void bg_release(struct mm *mm)
{
	for (int z = 0; z < MAX_NR_ZONES; z++)
		for (int mt = 0; mt < MIGRATE_PCPTYPES; mt++)
			if (!mm->bg[z][mt].borrowed)
				free(mm->bg[z][mt].idx);
}

/* Forget and free one recorded background block. */
static uint64_t bg_free_block(struct mm *mm, uint32_t idx, int cpu)
{
	struct page *p = idx_page(mm, idx);
	struct bg_list *l = bg_list_of(mm, idx);
	uint64_t pages = 1ULL << p->order;

	PTB_BUG_ON(p->owner != OWNER_BACKGROUND || l->idx[p->private] != idx);
	bg_list_own(l);
	l->idx[p->private] = PAGE_NIL;
	l->nr_pages -= pages;
	free_pages(mm, p, p->order, cpu);
	return pages;
}

/* Free up to nr_pages from the front (oldest) of one list. */
static uint64_t bg_free_oldest(struct mm *mm, struct bg_list *l, uint64_t nr_pages, int cpu)
{
	uint64_t freed = 0;

	while (freed < nr_pages && l->head < l->len) {
		uint32_t idx = l->idx[l->head++];

		if (idx != PAGE_NIL)
			freed += bg_free_block(mm, idx, cpu);
	}
	return freed;
}

/* Allocate and record background blocks; MAX_NR_ZONES as @z takes any zone. */
static uint64_t bg_alloc(struct mm *mm, int z, gfp_t gfp, unsigned int order, uint64_t nr_blocks,
			 int cpu)
{
	uint64_t got;

	for (got = 0; got < nr_blocks; got++) {
		struct page *p = alloc_pages(mm, gfp, order, cpu, OWNER_BACKGROUND);

		if (!p)
			break;
		if (z != MAX_NR_ZONES && page_zonenum(mm, p) != (enum zone_type)z) {
			free_pages(mm, p, order, cpu);
			break;
		}
		bg_record(mm, page_idx(mm, p));
	}
	return got;
}

uint64_t background_alloc(struct mm *mm, gfp_t gfp, unsigned int order, uint64_t nr_blocks, int cpu)
{
	return bg_alloc(mm, MAX_NR_ZONES, gfp, order, nr_blocks, cpu);
}

uint64_t background_alloc_zone(struct mm *mm, enum zone_type z, gfp_t gfp, unsigned int order,
			       uint64_t nr_blocks, int cpu)
{
	return bg_alloc(mm, z, gfp, order, nr_blocks, cpu);
}

uint64_t background_free_zone(struct mm *mm, enum zone_type z, enum migratetype mt,
			      uint64_t nr_pages, int cpu)
{
	return bg_free_oldest(mm, &mm->bg[z][mt], nr_pages, cpu);
}

uint64_t background_free(struct mm *mm, enum migratetype mt, uint64_t nr_pages, int cpu)
{
	uint64_t freed = 0;

	for (int z = MAX_NR_ZONES - 1; z >= 0 && freed < nr_pages; z--)
		freed += bg_free_oldest(mm, &mm->bg[z][mt], nr_pages - freed, cpu);
	return freed;
}

uint64_t background_free_alternate_order(struct mm *mm, enum zone_type z, unsigned int order, int cpu)
{
	struct zone *zone = &mm->zones[z];
	uint64_t seen = 0, freed = 0;

	for (uint64_t pfn = zone->start_pfn; zone->populated && pfn < zone->end_pfn; pfn++) {
		uint32_t idx = (uint32_t)(pfn - mm->base_pfn);
		struct page *p = idx_page(mm, idx);

		if (p->owner != OWNER_BACKGROUND || (p->flags & PG_tail) || p->order != order)
			continue;
		if (seen++ & 1)
			freed += bg_free_block(mm, idx, cpu);
	}
	return freed;
}

uint64_t background_free_alternate(struct mm *mm, enum zone_type z, int cpu)
{
	return background_free_alternate_order(mm, z, 0, cpu);
}

uint64_t background_held_pages(const struct mm *mm, enum migratetype mt)
{
	uint64_t pages = 0;

	for (int z = 0; z < MAX_NR_ZONES; z++)
		pages += mm->bg[z][mt].nr_pages;
	return pages;
}

/* How far a zone is below its high watermark (0 if above). */
static uint64_t zone_deficit(const struct zone *zone)
{
	uint64_t high = zone->watermark[WMARK_HIGH];

	return zone->free_pages < high ? high - zone->free_pages : 0;
}

uint64_t mm_reclaim(struct mm *mm, enum zone_type z, uint64_t nr_pages, int cpu)
{
	uint64_t freed = 0;

	while (freed < nr_pages) {
		int best = -1;
		uint64_t got = 0;

		/* The eligible zone with reclaimable pages that needs them most. */
		for (int i = 0; i <= (int)z; i++) {
			struct zone *zone = &mm->zones[i];

			if (!zone->populated ||
			    !(mm->bg[i][MIGRATE_RECLAIMABLE].nr_pages + mm->bg[i][MIGRATE_MOVABLE].nr_pages))
				continue;
			if (best < 0 || zone_deficit(zone) > zone_deficit(&mm->zones[best]))
				best = i;
		}
		if (best < 0)
			break;
		got = bg_free_oldest(mm, &mm->bg[best][MIGRATE_RECLAIMABLE],
				     MIN(KSWAPD_CHUNK_PAGES, nr_pages - freed), cpu);
		if (!got)
			got = bg_free_oldest(mm, &mm->bg[best][MIGRATE_MOVABLE],
					     MIN(KSWAPD_CHUNK_PAGES, nr_pages - freed), cpu);
		if (!got)
			break;
		freed += got;
	}
	return freed;
}

/* pgdat_balanced() (4.19): some eligible zone is above its high watermark. */
static bool pgdat_balanced(const struct mm *mm, enum zone_type classzone)
{
	for (int i = 0; i <= (int)classzone; i++) {
		const struct zone *zone = &mm->zones[i];

		if (!zone->populated || !zone->managed_pages)
			continue;
		if (zone_watermark_ok(mm, (enum zone_type)i, 0, zone->watermark[WMARK_HIGH],
				      classzone, 0))
			return true;
	}
	return false;
}

void wakeup_kswapd(struct mm *mm, enum zone_type classzone)
{
	if (mm->kswapd_awake) {
		mm->kswapd_classzone = MAX(mm->kswapd_classzone, classzone);
		return;
	}
	if (pgdat_balanced(mm, classzone))
		return;
	mm->kswapd_awake = true;
	mm->kswapd_classzone = classzone;
	mm->stats.kswapd_wakeups++;
}

void mm_advance_time(struct mm *mm, uint64_t now_ns)
{
	uint64_t budget;

	if (now_ns <= mm->now_ns)
		return;
	if (!mm->kswapd_awake) {
		mm->now_ns = now_ns;
		return;
	}
	mm->kswapd_frac += (now_ns - mm->now_ns) * mm->cfg.kswapd_pages_per_ms;
	mm->now_ns = now_ns;
	budget = mm->kswapd_frac / 1000000;
	mm->kswapd_frac %= 1000000;
	while (budget) {
		uint64_t got;

		if (pgdat_balanced(mm, mm->kswapd_classzone)) {
			mm->kswapd_awake = false;
			mm->kswapd_frac = 0;
			return;
		}
		got = mm_reclaim(mm, mm->kswapd_classzone, MIN(budget, KSWAPD_CHUNK_PAGES), 0);
		mm->stats.kswapd_reclaimed_pages += got;
		if (!got) {
			/* nothing left to reclaim: kswapd_failures, back to sleep */
			mm->kswapd_awake = false;
			mm->kswapd_frac = 0;
			return;
		}
		budget -= MIN(budget, got);
	}
	if (pgdat_balanced(mm, mm->kswapd_classzone)) {
		mm->kswapd_awake = false;
		mm->kswapd_frac = 0;
	}
}

uint64_t mm_now_ns(const struct mm *mm)
{
	return mm->now_ns;
}

uint64_t direct_reclaim(struct mm *mm, enum zone_type classzone, uint64_t nr_pages, int cpu)
{
	uint64_t got = mm_reclaim(mm, classzone, nr_pages, cpu);

	mm->stats.direct_reclaims++;
	mm->stats.direct_reclaimed_pages += got;
	return got;
}

/*
 * The free scanner: the first page of the highest free block at or above
 * @floor.  The scan restarts at the top of that block, whose upper halves
 * are still free.
 */
static uint32_t take_free_page_above(struct mm *mm, struct zone *zone, uint64_t *scan_pfn,
				     uint64_t floor)
{
	while (*scan_pfn > floor) {
		uint64_t pfn = --*scan_pfn;
		uint32_t idx = (uint32_t)(pfn - mm->base_pfn);
		struct page *p = idx_page(mm, idx);

		if (!(p->flags & PG_buddy))
			continue;
		*scan_pfn = pfn + (1ULL << p->order);
		return buddy_take_page(mm, zone, idx);
	}
	return PAGE_NIL;
}

/* Can every page of [pfn, pfn + 2^order) be freed by migrating movable pages? */
static bool block_movable(struct mm *mm, uint64_t pfn, unsigned int order, uint64_t *movable)
{
	uint64_t end = pfn + (1ULL << order);

	*movable = 0;
	while (pfn < end) {
		struct page *p = idx_page(mm, (uint32_t)(pfn - mm->base_pfn));

		if (p->flags & PG_buddy) {
			if (pfn + (1ULL << p->order) > end)
				return false;
			pfn += 1ULL << p->order;
			continue;
		}
		if (p->owner != OWNER_BACKGROUND || !(p->flags & PG_movable) ||
		    (p->flags & PG_tail) || p->order)
			return false;
		(*movable)++;
		pfn++;
	}
	return *movable > 0;
}

static void migrate_page(struct mm *mm, uint32_t from, uint32_t to)
{
	struct page *src = idx_page(mm, from), *dst;
	struct bg_list *l = bg_list_of(mm, from);
	uint32_t pos = src->private;

	prep_new_block(mm, to, 0, GFP_HIGHUSER_MOVABLE, OWNER_BACKGROUND);
	dst = idx_page(mm, to);
	dst->private = pos;
	if (src->data) {
		/* migrate_page_copy(): the content moves with the page */
		uint32_t data = dst->data;

		dst->data = src->data;
		src->data = data;
	}
	bg_list_own(l);
	l->idx[pos] = to;
	mm_account(mm, from, 0, OWNER_BACKGROUND, -1);
	src->flags &= (uint16_t)(3u << PG_ZONE_SHIFT);
	src->owner = OWNER_FREE;
	src->refcount = 0;
	mm->stats.frees++;
	buddy_free_one(mm, idx_zone(mm, from), from, 0,
		       get_pageblock_migratetype(idx_zone(mm, from), idx_pfn(mm, from)));
}

bool direct_compact(struct mm *mm, enum zone_type classzone, unsigned int order, int cpu)
{
	mm->stats.compactions++;
	for (int z = classzone; z >= 0; z--) {
		struct zone *zone = &mm->zones[z];
		uint64_t scan_pfn, step = 1ULL << order;

		if (!zone->populated)
			continue;
		pcp_drain_zone(mm, zone);
		scan_pfn = zone->end_pfn;
		for (uint64_t pfn = ALIGN_UP(zone->start_pfn, step); pfn + step <= scan_pfn; pfn += step) {
			uint64_t movable;

			if (!block_movable(mm, pfn, order, &movable))
				continue;
			/* compaction_suitable(): enough free pages above the min watermark */
			if (zone->free_pages < zone->watermark[WMARK_MIN] + movable + (2ULL << order))
				break;
			for (uint64_t p = pfn; p < pfn + step; p++) {
				uint32_t idx = (uint32_t)(p - mm->base_pfn);
				struct page *pg = idx_page(mm, idx);
				uint32_t to;

				if (pg->owner != OWNER_BACKGROUND)
					continue;
				to = take_free_page_above(mm, zone, &scan_pfn, pfn + step);
				if (to == PAGE_NIL)
					return false;
				migrate_page(mm, idx, to);
			}
			return true;
		}
	}
	(void)cpu;
	return false;
}
