// SPDX-License-Identifier: GPL-2.0
/*
 * buddy.c - the buddy allocator of one zone: free lists per order and
 * migratetype, split and merge, stealing from other migratetypes, and the
 * highatomic reserve.  Follows mm/page_alloc.c of 4.19: __free_one_page,
 * __rmqueue_smallest, expand, __rmqueue_fallback, steal_suitable_fallback,
 * reserve_highatomic_pageblock, unreserve_highatomic_pageblock.
 *
 * A free block is named by its head frame: PG_buddy, ->order, and ->private
 * holding the migratetype of the list it is on (the kernel finds it from the
 * list; here the list is implicit).
 */
#include "buddy.h"

void idx_list_add(struct mm *mm, struct list_head_idx *h, uint32_t idx)
{
	struct page *p = idx_page(mm, idx);

	p->prev = PAGE_NIL;
	p->next = h->first;
	if (h->first != PAGE_NIL)
		idx_page(mm, h->first)->prev = idx;
	else
		h->last = idx;
	h->first = idx;
}

void idx_list_add_tail(struct mm *mm, struct list_head_idx *h, uint32_t idx)
{
	struct page *p = idx_page(mm, idx);

	p->next = PAGE_NIL;
	p->prev = h->last;
	if (h->last != PAGE_NIL)
		idx_page(mm, h->last)->next = idx;
	else
		h->first = idx;
	h->last = idx;
}

void idx_list_del(struct mm *mm, struct list_head_idx *h, uint32_t idx)
{
	struct page *p = idx_page(mm, idx);

	if (p->prev != PAGE_NIL)
		idx_page(mm, p->prev)->next = p->next;
	else
		h->first = p->next;
	if (p->next != PAGE_NIL)
		idx_page(mm, p->next)->prev = p->prev;
	else
		h->last = p->prev;
	p->next = p->prev = PAGE_NIL;
}

static void add_to_free_area(struct mm *mm, struct zone *zone, uint32_t idx,
			     unsigned int order, int mt, bool tail)
{
	struct free_area *area = &zone->free_area[order];
	struct page *p = idx_page(mm, idx);

	p->flags |= PG_buddy;
	p->order = (uint8_t)order;
	p->private = (uint32_t)mt;
	p->owner = OWNER_FREE;
	if (tail)
		idx_list_add_tail(mm, &area->free_list[mt], idx);
	else
		idx_list_add(mm, &area->free_list[mt], idx);
	area->nr_free++;
	area->nr_free_mt[mt]++;
}

static void del_from_free_area(struct mm *mm, struct zone *zone, uint32_t idx)
{
	struct page *p = idx_page(mm, idx);
	struct free_area *area = &zone->free_area[p->order];
	int mt = (int)p->private;

	idx_list_del(mm, &area->free_list[mt], idx);
	area->nr_free--;
	area->nr_free_mt[mt]--;
	p->flags &= (uint16_t)~PG_buddy;
}

static void move_to_free_list(struct mm *mm, struct zone *zone, uint32_t idx, int mt)
{
	unsigned int order = idx_page(mm, idx)->order;

	del_from_free_area(mm, zone, idx);
	add_to_free_area(mm, zone, idx, order, mt, false);
}

/* page_is_buddy(): the buddy is a free block of the same order in the same zone. */
static bool idx_is_buddy(struct mm *mm, struct zone *zone, uint64_t buddy_pfn, unsigned int order)
{
	struct page *b;

	if (buddy_pfn < zone->start_pfn || buddy_pfn >= zone->end_pfn)
		return false;
	b = idx_page(mm, (uint32_t)(buddy_pfn - mm->base_pfn));
	return (b->flags & PG_buddy) && b->order == order;
}

/**
 * buddy_free_one() - __free_one_page(): merge with free buddies, then list.
 * @mt: the migratetype of the freed block's pageblock at free time.
 */
void buddy_free_one(struct mm *mm, struct zone *zone, uint32_t idx, unsigned int order, int mt)
{
	uint64_t pfn = idx_pfn(mm, idx);
	bool tail = false;

	zone->free_pages += 1ULL << order;
	while (order < MAX_ORDER - 1) {
		uint64_t buddy_pfn = pfn ^ (1ULL << order);

		if (!idx_is_buddy(mm, zone, buddy_pfn, order))
			break;
		del_from_free_area(mm, zone, (uint32_t)(buddy_pfn - mm->base_pfn));
		pfn &= buddy_pfn;
		order++;
	}
	/*
	 * 4.19: if the next-higher buddy is free, this block is likely to merge
	 * soon: queue it at the tail so it is allocated last.
	 */
	if (order < MAX_ORDER - 2) {
		uint64_t higher = (pfn & ~((1ULL << (order + 1)) - 1)) ^ (1ULL << (order + 1));

		tail = idx_is_buddy(mm, zone, higher, order + 1);
	}
	add_to_free_area(mm, zone, (uint32_t)(pfn - mm->base_pfn), order, mt, tail);
}

/* expand(): split a 2^high block down to 2^low, listing the upper halves. */
static void expand(struct mm *mm, struct zone *zone, uint32_t idx, unsigned int low,
		   unsigned int high, int mt)
{
	while (high > low) {
		high--;
		add_to_free_area(mm, zone, idx + (1u << high), high, mt, false);
	}
}

/* __rmqueue_smallest(): the smallest free block of a migratetype that fits. */
static uint32_t rmqueue_smallest(struct mm *mm, struct zone *zone, unsigned int order, int mt)
{
	for (unsigned int o = order; o < MAX_ORDER; o++) {
		uint32_t idx = zone->free_area[o].free_list[mt].first;

		if (idx == PAGE_NIL)
			continue;
		del_from_free_area(mm, zone, idx);
		expand(mm, zone, idx, order, o, mt);
		return idx;
	}
	return PAGE_NIL;
}

/**
 * buddy_take_page() - take the first page of the free block headed by @idx,
 * listing the rest as smaller free blocks (compaction's isolate_freepages).
 * Returns @idx.
 */
uint32_t buddy_take_page(struct mm *mm, struct zone *zone, uint32_t idx)
{
	struct page *p = idx_page(mm, idx);
	unsigned int order = p->order;
	int mt = (int)p->private;

	PTB_BUG_ON(!(p->flags & PG_buddy));
	del_from_free_area(mm, zone, idx);
	expand(mm, zone, idx, 0, order, mt);
	zone->free_pages--;
	return idx;
}

/* The fallbacks[] table of mm/page_alloc.c (4.19). */
static const int fallbacks[MIGRATE_PCPTYPES][2] = {
	[MIGRATE_UNMOVABLE] = { MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE },
	[MIGRATE_RECLAIMABLE] = { MIGRATE_UNMOVABLE, MIGRATE_MOVABLE },
	[MIGRATE_MOVABLE] = { MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE },
};

/* can_steal_fallback(): may a request of start_mt claim the whole pageblock? */
static bool can_steal_fallback(unsigned int order, int start_mt)
{
	if (order >= PAGEBLOCK_ORDER)
		return true;
	return order >= PAGEBLOCK_ORDER / 2 || start_mt == MIGRATE_RECLAIMABLE ||
	       start_mt == MIGRATE_UNMOVABLE;
}

static int find_suitable_fallback(struct zone *zone, unsigned int order, int mt, bool *can_steal)
{
	struct free_area *area = &zone->free_area[order];

	*can_steal = false;
	if (!area->nr_free)
		return -1;
	for (int i = 0; i < 2; i++) {
		int fmt = fallbacks[mt][i];

		if (area->free_list[fmt].first == PAGE_NIL)
			continue;
		*can_steal = can_steal_fallback(order, mt);
		return fmt;
	}
	return -1;
}

uint64_t buddy_move_freepages_block(struct mm *mm, struct zone *zone, uint64_t pfn, int mt,
				    uint64_t *movable_pages)
{
	uint64_t start = pfn & ~(uint64_t)(PAGEBLOCK_NR_PAGES - 1);
	uint64_t end = start + PAGEBLOCK_NR_PAGES;
	uint64_t moved = 0, movable = 0;

	start = MAX(start, zone->start_pfn);
	end = MIN(end, zone->end_pfn);
	for (uint64_t p = start; p < end;) {
		struct page *page = idx_page(mm, (uint32_t)(p - mm->base_pfn));

		if (page->flags & PG_buddy) {
			unsigned int order = page->order;

			move_to_free_list(mm, zone, (uint32_t)(p - mm->base_pfn), mt);
			moved += 1ULL << order;
			p += 1ULL << order;
			continue;
		}
		if (page->flags & PG_movable)
			movable++;
		p++;
	}
	if (movable_pages)
		*movable_pages = movable;
	return moved;
}

/* steal_suitable_fallback() (4.19, before watermark boosting). */
static void steal_suitable_fallback(struct mm *mm, struct zone *zone, uint32_t idx,
				    int start_mt, bool whole_block)
{
	struct page *page = idx_page(mm, idx);
	unsigned int order = page->order;
	uint64_t pfn = idx_pfn(mm, idx);
	int old_mt = get_pageblock_migratetype(zone, pfn);
	uint64_t free_pages, movable_pages, alike_pages;

	if (order >= PAGEBLOCK_ORDER) {
		for (uint64_t p = pfn; p < pfn + (1ULL << order); p += PAGEBLOCK_NR_PAGES)
			set_pageblock_migratetype(zone, p, start_mt);
		goto single_page;
	}
	if (!whole_block)
		goto single_page;
	free_pages = buddy_move_freepages_block(mm, zone, pfn, start_mt, &movable_pages);
	if (start_mt == MIGRATE_MOVABLE)
		alike_pages = movable_pages;
	else if (old_mt == MIGRATE_MOVABLE)
		alike_pages = PAGEBLOCK_NR_PAGES - (free_pages + movable_pages);
	else
		alike_pages = 0;
	if (!free_pages)
		goto single_page;
	/* Claim the pageblock when at least half of it is free or alike. */
	if (free_pages + alike_pages >= (1u << (PAGEBLOCK_ORDER - 1)))
		set_pageblock_migratetype(zone, pfn, start_mt);
	return;
single_page:
	move_to_free_list(mm, zone, idx, start_mt);
}

/* __rmqueue_fallback(): steal the largest block of another type (4.19). */
static bool rmqueue_fallback(struct mm *mm, struct zone *zone, unsigned int order, int start_mt)
{
	bool can_steal;
	int fmt = -1;
	int o;

	for (o = MAX_ORDER - 1; o >= (int)order; o--) {
		fmt = find_suitable_fallback(zone, (unsigned int)o, start_mt, &can_steal);
		if (fmt == -1)
			continue;
		/*
		 * A movable request that cannot claim the block splits the
		 * smallest block instead, so as not to fragment a large one.
		 */
		if (!can_steal && start_mt == MIGRATE_MOVABLE && o > (int)order)
			goto find_smallest;
		goto do_steal;
	}
	return false;
find_smallest:
	for (o = (int)order; o < MAX_ORDER; o++) {
		fmt = find_suitable_fallback(zone, (unsigned int)o, start_mt, &can_steal);
		if (fmt != -1)
			break;
	}
	PTB_BUG_ON(fmt == -1);
do_steal:
	mm->stats.fallback_steals++;
	steal_suitable_fallback(mm, zone, zone->free_area[o].free_list[fmt].first, start_mt,
				can_steal);
	return true;
}

/**
 * buddy_rmqueue() - take a 2^order block of migratetype @mt from the buddy
 * lists (__rmqueue, and rmqueue's MIGRATE_HIGHATOMIC try first when
 * @alloc_flags has ALLOC_HARDER and order > 0).  Returns the frame or PAGE_NIL.
 */
uint32_t buddy_rmqueue(struct mm *mm, struct zone *zone, unsigned int order, int mt,
		       unsigned int alloc_flags)
{
	uint32_t idx = PAGE_NIL;

	if (order > 0 && (alloc_flags & ALLOC_HARDER))
		idx = rmqueue_smallest(mm, zone, order, MIGRATE_HIGHATOMIC);
	while (idx == PAGE_NIL) {
		idx = rmqueue_smallest(mm, zone, order, mt);
		if (idx == PAGE_NIL && !rmqueue_fallback(mm, zone, order, mt))
			break;
	}
	if (idx != PAGE_NIL)
		zone->free_pages -= 1ULL << order;
	return idx;
}

/*
 * reserve_highatomic_pageblock(): after a successful high-order atomic
 * allocation, keep its pageblock for such allocations, up to
 * managed/100 + one pageblock (4.19; 6.13: ALIGN(managed/100, pageblock)).
 */
void buddy_reserve_highatomic(struct mm *mm, struct zone *zone, uint32_t idx)
{
	uint64_t pfn = idx_pfn(mm, idx);
	uint64_t max_managed;
	int mt;

	if (mm->rules->highatomic_aligned_limit)
		max_managed = ALIGN_UP(zone->managed_pages / 100, (uint64_t)PAGEBLOCK_NR_PAGES);
	else
		max_managed = zone->managed_pages / 100 + PAGEBLOCK_NR_PAGES;
	if (zone->nr_reserved_highatomic >= max_managed)
		return;
	mt = get_pageblock_migratetype(zone, pfn);
	if (mt == MIGRATE_HIGHATOMIC)
		return;
	zone->nr_reserved_highatomic += PAGEBLOCK_NR_PAGES;
	set_pageblock_migratetype(zone, pfn, MIGRATE_HIGHATOMIC);
	buddy_move_freepages_block(mm, zone, pfn, MIGRATE_HIGHATOMIC, NULL);
	mm->stats.highatomic_reserved_blocks++;
}

/*
 * unreserve_highatomic_pageblock(): give a reserved pageblock back, from the
 * direct-reclaim path only; without @force at least one pageblock stays.
 */
bool buddy_unreserve_highatomic(struct mm *mm, struct zone *zone, bool force)
{
	if (!zone->nr_reserved_highatomic)
		return false;
	if (!force && zone->nr_reserved_highatomic <= PAGEBLOCK_NR_PAGES)
		return false;
	for (unsigned int o = 0; o < MAX_ORDER; o++) {
		uint32_t idx = zone->free_area[o].free_list[MIGRATE_HIGHATOMIC].first;
		uint64_t pfn;

		if (idx == PAGE_NIL)
			continue;
		pfn = idx_pfn(mm, idx);
		if (get_pageblock_migratetype(zone, pfn) == MIGRATE_HIGHATOMIC)
			zone->nr_reserved_highatomic -=
				MIN((uint64_t)PAGEBLOCK_NR_PAGES, zone->nr_reserved_highatomic);
		set_pageblock_migratetype(zone, pfn, MIGRATE_MOVABLE);
		if (buddy_move_freepages_block(mm, zone, pfn, MIGRATE_MOVABLE, NULL))
			return true;
	}
	return false;
}

/* The free-block part of __zone_watermark_ok() for order > 0. */
bool buddy_has_free_block(const struct zone *zone, unsigned int order, bool alloc_harder)
{
	for (unsigned int o = order; o < MAX_ORDER; o++) {
		const struct free_area *area = &zone->free_area[o];

		if (!area->nr_free)
			continue;
		for (int mt = 0; mt < MIGRATE_PCPTYPES; mt++)
			if (area->nr_free_mt[mt])
				return true;
		if (alloc_harder && area->nr_free_mt[MIGRATE_HIGHATOMIC])
			return true;
	}
	return false;
}
