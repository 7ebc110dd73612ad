// SPDX-License-Identifier: GPL-2.0
/*
 * pcp.c - per-CPU page lists (struct per_cpu_pages, mm/page_alloc.c).
 *
 * 4.19: order-0 pages only; batch from zone_batchsize() (managed/1024 capped
 * at 512 KiB, /4, rounded to 2^n - 1), high = 6 * batch; a free puts the page
 * at the head of its migratetype's list and drains `batch` pages, oldest
 * first and round-robin over the lists (free_pcppages_bulk), once
 * count >= high; an empty list is refilled with `batch` pages (rmqueue_bulk).
 * 6.1 / 6.13 (kernel_rules()->pcp_high_order): orders 0..3 have lists too,
 * batch caps at 1 MiB, high = max(low watermark / nr_cpus, 4 * batch)
 * (zone_highsize), and a high-order refill takes max(batch >> order, 2)
 * blocks; while kswapd reclaims the zone, high is at most 4 * batch
 * (ZONE_RECLAIM_ACTIVE, 5.14+); 6.1's drains grow with free_factor
 * (nr_pcp_free, kernel_rules()->pcp_free_factor), 4.19's free batch.
 *
 * Pages on pcp lists are not free as far as watermarks go: they are out of
 * NR_FREE_PAGES (zone->free_pages), as in the kernel.  ->private holds the
 * migratetype the page will be freed to the buddy lists with.
 */
#include "buddy.h"
#include "pcp.h"

#define PCP_BATCH_SCALE_MAX 5	/* Debian 6.1's CONFIG_PCP_BATCH_SCALE_MAX */

static inline unsigned int pcp_index(unsigned int order, int mt)
{
	return order * MIGRATE_PCPTYPES + (unsigned int)mt;
}

bool pcp_allowed_order(const struct mm *mm, unsigned int order)
{
	if (order == 0)
		return true;
	return mm->rules->pcp_high_order && order <= PAGE_ALLOC_COSTLY_ORDER;
}

static uint64_t rounddown_pow_of_two(uint64_t x)
{
	return x ? 1ULL << ilog2_u64(x) : 0;
}

/* zone_batchsize() of 4.19 and of 5.10 / 6.1 (pcp_batch_1m). */
static uint64_t zone_batchsize(const struct mm *mm, const struct zone *zone)
{
	uint64_t batch = zone->managed_pages / 1024;
	uint64_t cap_bytes = mm->rules->pcp_batch_1m ? 1024 * 1024 : 512 * 1024;

	if (batch * PAGE_SIZE > cap_bytes)
		batch = cap_bytes / PAGE_SIZE;
	batch /= 4;
	if (batch < 1)
		batch = 1;
	return rounddown_pow_of_two(batch + batch / 2) - 1;
}

void pcp_setup(struct mm *mm, struct zone *zone)
{
	uint64_t batch = zone_batchsize(mm, zone);
	uint64_t high;

	if (batch < 1)
		batch = 1;
	if (mm->rules->pcp_high_order) {
		/* zone_highsize(): the low watermark split between the CPUs */
		high = zone->watermark[WMARK_LOW] / mm->cfg.nr_cpus;
		high = MAX(high, batch << 2);
	} else {
		high = 6 * batch;
	}
	for (unsigned int cpu = 0; cpu < mm->cfg.nr_cpus; cpu++) {
		struct per_cpu_pages *pcp = &zone->pcp[cpu];

		pcp->batch = batch;
		pcp->high = high;
	}
}

/* free_pcppages_bulk(): give nr_pages back to the buddy lists, oldest first. */
static void free_pcppages_bulk(struct mm *mm, struct zone *zone, struct per_cpu_pages *pcp,
			       uint64_t nr_pages)
{
	unsigned int pindex = 0;

	while (nr_pages && pcp->count) {
		struct list_head_idx *list;
		uint32_t idx;
		unsigned int order;

		do {
			pindex = (pindex + 1) % NR_PCP_LISTS;
			list = &pcp->lists[pindex];
		} while (list->first == PAGE_NIL);
		idx = list->last;
		idx_list_del(mm, list, idx);
		order = pindex / MIGRATE_PCPTYPES;
		pcp->count -= 1ULL << order;
		idx_page(mm, idx)->flags &= (uint16_t)~PG_pcp;
		buddy_free_one(mm, zone, idx, order, (int)idx_page(mm, idx)->private);
		nr_pages -= MIN(nr_pages, 1ULL << order);
	}
}

/**
 * pcp_rmqueue() - rmqueue_pcplist(): a block from @cpu's list, refilled from
 * the buddy lists when empty.  Returns the frame or PAGE_NIL.
 */
uint32_t pcp_rmqueue(struct mm *mm, struct zone *zone, int cpu, unsigned int order, int mt)
{
	struct per_cpu_pages *pcp = &zone->pcp[cpu];
	struct list_head_idx *list = &pcp->lists[pcp_index(order, mt)];
	uint32_t idx;

	/* rmqueue_pcplist (6.1): an allocation halves the next drains' growth */
	pcp->free_factor >>= 1;
	if (list->first == PAGE_NIL) {
		uint64_t nr = order ? MAX(pcp->batch >> order, 2ULL) : pcp->batch;

		for (uint64_t i = 0; i < nr; i++) {
			idx = buddy_rmqueue(mm, zone, order, mt, 0);
			if (idx == PAGE_NIL)
				break;
			idx_page(mm, idx)->flags |= PG_pcp;
			idx_page(mm, idx)->private = (uint32_t)mt;
			idx_page(mm, idx)->order = (uint8_t)order;
			idx_list_add_tail(mm, list, idx);
			pcp->count += 1ULL << order;
		}
		if (list->first == PAGE_NIL)
			return PAGE_NIL;
	}
	idx = list->first;
	idx_list_del(mm, list, idx);
	idx_page(mm, idx)->flags &= (uint16_t)~PG_pcp;
	pcp->count -= 1ULL << order;
	return idx;
}

/*
 * nr_pcp_high() (6.1): while kswapd reclaims for a zone class, every zone up
 * to it is ZONE_RECLAIM_ACTIVE (mm/vmscan.c update_reclaim_active) and its
 * lists hold at most 4 x batch, so what is freed meanwhile (kswapd's own
 * pages among them) reaches the buddy lists soon.
 */
static uint64_t pcp_high(const struct mm *mm, const struct zone *zone,
			 const struct per_cpu_pages *pcp)
{
	if (mm->rules->pcp_reclaim_cap && mm->kswapd_awake && zone->type <= mm->kswapd_classzone)
		return MIN(pcp->high, pcp->batch << 2);
	return pcp->high;
}

/* nr_pcp_free() (mm/page_alloc.c 6.1): how many pages a drain gives back. */
static uint64_t nr_pcp_free(struct per_cpu_pages *pcp, uint64_t high, bool free_high)
{
	uint64_t batch = pcp->batch, max_nr_free;

	if (free_high)
		return pcp->count;
	if (high < batch)
		return 1;
	max_nr_free = high - batch;
	batch <<= pcp->free_factor;
	if (batch < max_nr_free && pcp->free_factor < PCP_BATCH_SCALE_MAX)
		pcp->free_factor++;
	return MIN(MAX(batch, pcp->batch), max_nr_free);
}

/**
 * pcp_free() - free_unref_page(): onto @cpu's list; drain a batch at high
 * (6.1: nr_pcp_free's share, the whole list for an order-1..3 page freed
 * while free_factor is up: free_unref_page_commit's free_high).
 * A page of a highatomic pageblock is listed as movable but freed back with
 * its pageblock's type (4.19 free_unref_page_commit).
 */
void pcp_free(struct mm *mm, struct zone *zone, int cpu, uint32_t idx, unsigned int order)
{
	struct per_cpu_pages *pcp = &zone->pcp[cpu];
	int mt = get_pageblock_migratetype(zone, idx_pfn(mm, idx));
	struct page *page = idx_page(mm, idx);
	int list_mt = mt >= MIGRATE_PCPTYPES ? MIGRATE_MOVABLE : mt;

	page->private = (uint32_t)mt;
	page->order = (uint8_t)order;
	page->flags |= PG_pcp;
	page->owner = OWNER_FREE;
	idx_list_add(mm, &pcp->lists[pcp_index(order, list_mt)], idx);
	pcp->count += 1ULL << order;
	if (mm->rules->pcp_free_factor) {
		bool free_high = pcp->free_factor && order && order <= PAGE_ALLOC_COSTLY_ORDER;
		uint64_t high = free_high ? 0 : pcp_high(mm, zone, pcp);

		if (pcp->count >= high)
			free_pcppages_bulk(mm, zone, pcp, nr_pcp_free(pcp, high, free_high));
		return;
	}
	if (pcp->count >= pcp_high(mm, zone, pcp))
		free_pcppages_bulk(mm, zone, pcp, pcp->batch);
}

/* drain_all_pages() for one zone: every CPU's lists back to the buddy lists. */
void pcp_drain_zone(struct mm *mm, struct zone *zone)
{
	if (!zone->populated)
		return;
	for (unsigned int cpu = 0; cpu < mm->cfg.nr_cpus; cpu++)
		free_pcppages_bulk(mm, zone, &zone->pcp[cpu], zone->pcp[cpu].count);
}

/* drain_all_pages(): every zone's. */
void mm_drain_pcp(struct mm *mm)
{
	for (int z = 0; z < MAX_NR_ZONES; z++)
		if (mm->zones[z].populated)
			pcp_drain_zone(mm, &mm->zones[z]);
}
