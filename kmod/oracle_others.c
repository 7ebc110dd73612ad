// SPDX-License-Identifier: GPL-2.0
/*
 * oracle_others.c - others' memory in the guest, for oracle_pressure.c's
 * scenarios: the pages they hold, the fills that bring a zone to a level,
 * and the model's kswapd giving their pages back.  The guest's own kswapd
 * cannot reclaim what this module holds (no LRU page of ours), so the
 * module does what allocators/mm/reclaim.c's kswapd does to others' pages,
 * under the kernel's own wake and sleep rules.
 */
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/vmstat.h>

#include "oracle.h"

/*
 * The per-CPU deltas: in zone->pageset (struct per_cpu_pageset) in 5.10
 * include/linux/mmzone.h, in zone->per_cpu_zonestats from 5.14 (6.1, 6.12).
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 14, 0)
#define ORACLE_ZONE_STATS(zone) ((zone)->pageset)
#else
#define ORACLE_ZONE_STATS(zone) ((zone)->per_cpu_zonestats)
#endif

/*
 * This CPU's NR_FREE_PAGES delta into the zone's counter, as vmstat_update
 * does every second (mm/vmstat.c 6.1 refresh_cpu_vm_stats): the allocator
 * reads the counter without the per-CPU deltas (zone_watermark_fast), which
 * may each be up to the stat threshold off, 125 pages while kswapd is awake
 * (calculate_pressure_threshold) and 24 here otherwise.
 */
static void vmstat_fold_local(struct zone *zone)
{
	long v;

	preempt_disable();
	v = this_cpu_xchg(ORACLE_ZONE_STATS(zone)->vm_stat_diff[NR_FREE_PAGES], 0);
	if (v)
		zone_page_state_add(v, zone, NR_FREE_PAGES);
	preempt_enable();
}

/*
 * Free pages as the allocator's watermark checks read them: the zone's
 * counter, this CPU's delta folded in; the other CPUs' deltas (their own
 * allocations and frees since their last fold) stay out, as they do for the
 * allocator (counted in vmstat_drift_max_pages).
 */
u64 oracle_zone_free(const struct oracle_pressure *p)
{
	vmstat_fold_local(p->zone);
	return zone_page_state(p->zone, NR_FREE_PAGES);
}

/* pgdat_balanced (mm/vmscan.c 6.1), order 0: some zone up to the class is above high. */
static bool node_balanced(const struct oracle_pressure *p)
{
	pg_data_t *pgdat = p->zone->zone_pgdat;
	enum zone_type classzone = zone_idx(p->zone);
	int i;

	for (i = 0; i <= classzone; i++) {
		struct zone *z = &pgdat->node_zones[i];
		s64 free;

		if (!managed_zone(z))
			continue;
		free = (s64)zone_page_state_snapshot(z, NR_FREE_PAGES) - (s64)z->nr_reserved_highatomic;
		if (free > (s64)(high_wmark_pages(z) + z->lowmem_reserve[classzone]))
			return true;
	}
	return false;
}

/* ---- held pages: others' blocks, linked through page->lru, order in page->private ---- */

void oracle_held_add(struct oracle_pressure *p, struct page *page, unsigned int order)
{
	set_page_private(page, order);
	list_add_tail(&page->lru, &p->held);
	p->held_pages += 1ull << order;
}

u64 oracle_held_free(struct oracle_pressure *p, struct page *page)
{
	unsigned int order = page_private(page);

	list_del(&page->lru);
	set_page_private(page, 0);
	__free_pages(page, order);
	p->held_pages -= 1ull << order;
	return 1ull << order;
}

void oracle_held_free_all(struct oracle_pressure *p)
{
	struct page *page, *n;

	list_for_each_entry_safe(page, n, &p->held, lru)
		oracle_held_free(p, page);
}

/* ---- others: fill to a level ---- */

/*
 * A page the allocator took from a lower zone that still passes its
 * watermark: not others' (they are zone-exact), held until the fill ends.
 */
static bool borrowed(struct oracle_pressure *p, struct page *page, unsigned int order,
		     struct list_head *list)
{
	if (page_zone(page) == p->zone)
		return false;
	set_page_private(page, order);
	list_add(&page->lru, list);
	p->st.borrowed_pages += 1ull << order;
	return true;
}

static void borrowed_free(struct list_head *list)
{
	struct page *page, *n;

	list_for_each_entry_safe(page, n, list, lru) {
		list_del(&page->lru);
		__free_pages(page, page_private(page));
		set_page_private(page, 0);
	}
}

/*
 * edge, steady, atomic-burst (harness/pressure.c hold_to): blocks of
 * BLOCK_ORDER straight from the buddy lists, the last one crossing the
 * level: free ends up less than one block (16 pages) below it, as in the
 * model.  No per-CPU list is involved, so this runs on whichever CPU the
 * replay is on.
 */
void oracle_fill_to(struct oracle_pressure *p, u64 target_pages)
{
	LIST_HEAD(lower);
	struct page *page;

	while (oracle_zone_free(p) > target_pages) {
		unsigned int order = BLOCK_ORDER;

		page = alloc_pages(FILL_GFP | p->zone_gfp, order);
		if (!page)	/* no free block of that order left: order 0, a per-CPU refill */
			page = alloc_pages(FILL_GFP | p->zone_gfp, order = 0);
		if (!page)
			break;
		if (borrowed(p, page, order, &lower))
			continue;
		oracle_held_add(p, page, order);
		p->st.filler_pages += 1ull << order;
	}
	borrowed_free(&lower);
}

/*
 * fragmented (harness/pressure.c fill_zone_to): blocks of the scenario's
 * order only, through CPU 0's per-CPU lists as the model's filler, while
 * free stays at least one block above the level; none is left: stop.
 */
void oracle_fill_order_to(struct oracle_pressure *p, u64 target_pages)
{
	u64 block_pages = 1ull << p->order;
	LIST_HEAD(lower);
	struct page *page;

	while (oracle_zone_free(p) >= target_pages + block_pages) {
		page = alloc_pages(FILL_GFP | p->zone_gfp, p->order);
		if (!page)
			break;
		if (borrowed(p, page, p->order, &lower))
			break;
		oracle_held_add(p, page, p->order);
		p->st.filler_pages += block_pages;
	}
	borrowed_free(&lower);
}

/* ---- kswapd's reclaim of others' pages ---- */

/*
 * mm/vmscan.c 6.1 update_reclaim_active(): while kswapd reclaims for a zone
 * class, every zone up to it has ZONE_RECLAIM_ACTIVE, which caps the per-CPU
 * lists at 4 x batch (nr_pcp_high): frees then reach the buddy lists soon.
 * The guest's own kswapd clears it after each of its passes; the next tick
 * sets it again.
 */
static void reclaim_active(struct oracle_pressure *p, bool active)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 14, 0)
	/*
	 * 5.10 has no ZONE_RECLAIM_ACTIVE (include/linux/mmzone.h): its
	 * free_unref_page_commit drains only at pcp->high, whoever reclaims.
	 */
#else
	pg_data_t *pgdat = p->zone->zone_pgdat;
	int i;

	for (i = 0; i <= zone_idx(p->zone); i++) {
		struct zone *z = &pgdat->node_zones[i];

		if (!managed_zone(z))
			continue;
		if (active)
			set_bit(ZONE_RECLAIM_ACTIVE, &z->flags);
		else
			clear_bit(ZONE_RECLAIM_ACTIVE, &z->flags);
	}
#endif
}

void oracle_kswapd_check_wake(struct oracle_pressure *p)
{
	if (p->kswapd_awake || oracle_zone_free(p) > low_wmark_pages(p->zone))
		return;
	if (node_balanced(p))
		return;
	p->kswapd_awake = true;
	p->st.kswapd_wakeups++;
	reclaim_active(p, true);
}

void oracle_kswapd_sleep(struct oracle_pressure *p)
{
	p->kswapd_awake = false;
	p->kswapd_frac = 0;
	reclaim_active(p, false);
}

/*
 * allocators/mm/reclaim.c mm_advance_time(), step for step: while awake, the
 * model's kswapd earns kswapd_pages_per_ms of trace time; it reclaims in
 * chunks of up to 32 pages (SWAP_CLUSTER_MAX), each chunk others' oldest
 * pages, whole blocks, until the chunk is reached (so a 16-page block goes
 * for a budget of 1), checking the balance before each chunk; what is left
 * of the budget goes, as in the model.  BLOCK_ORDER blocks go straight to
 * the buddy lists, order-0 pages and fragmented's small blocks through a
 * per-CPU list, capped at 4 x batch while ZONE_RECLAIM_ACTIVE (6.1
 * nr_pcp_high), as the real kswapd's frees are.
 */
void oracle_kswapd_run(struct oracle_pressure *p, u64 now_ns)
{
	u64 budget;

	if (now_ns <= p->now_ns)
		return;
	if (!p->kswapd_awake) {
		p->now_ns = now_ns;
		return;
	}
	reclaim_active(p, true);
	p->kswapd_frac += (now_ns - p->now_ns) * p->kswapd_pages_per_ms;
	p->now_ns = now_ns;
	budget = p->kswapd_frac / NS_PER_MS;
	p->kswapd_frac %= NS_PER_MS;
	while (budget) {
		u64 want = min(budget, KSWAPD_CHUNK_PAGES), got = 0;

		if (node_balanced(p))
			goto sleep;
		while (got < want && !list_empty(&p->held))
			got += oracle_held_free(p, list_first_entry(&p->held, struct page, lru));
		p->st.kswapd_reclaimed_pages += got;
		if (!got)	/* nothing of others' left to reclaim */
			goto sleep;
		budget -= min(budget, got);
	}
	if (!node_balanced(p))
		return;
sleep:
	oracle_kswapd_sleep(p);
}
