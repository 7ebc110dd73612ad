// SPDX-License-Identifier: GPL-2.0
/*
 * debug.c - mm_check(), the expensive consistency check of every free list,
 * per-CPU list, counter and the owner accounting against the memmap (what
 * the kernel's CONFIG_DEBUG_VM checks piecemeal).  Tests call it; it calls
 * memmap.c only.
 */
#include <string.h>

#include "mmzone.h"

/* Walk one list; count entries and check links and membership. */
static uint64_t check_list(struct mm *mm, const struct list_head_idx *h, uint16_t flag)
{
	uint64_t n = 0;
	uint32_t prev = PAGE_NIL;

	for (uint32_t idx = h->first; idx != PAGE_NIL; idx = idx_page_peek(mm, idx)->next) {
		PTB_BUG_ON(idx_page_peek(mm, idx)->prev != prev);
		PTB_BUG_ON(!(idx_page_peek(mm, idx)->flags & flag));
		prev = idx;
		n++;
	}
	PTB_BUG_ON(h->last != prev);
	return n;
}

void mm_check(struct mm *mm)
{
	static uint64_t held[NR_PAGE_OWNERS][MAX_NR_ZONES][MAX_ORDER];

	memset(held, 0, sizeof(held));
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &mm->zones[z];
		uint64_t free_pages = 0, pcp_pages = 0;

		if (!zone->populated)
			continue;
		for (int o = 0; o < MAX_ORDER; o++) {
			uint64_t total = 0;

			for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
				uint64_t n = check_list(mm, &zone->free_area[o].free_list[mt], PG_buddy);

				PTB_BUG_ON(n != zone->free_area[o].nr_free_mt[mt]);
				total += n;
			}
			PTB_BUG_ON(total != zone->free_area[o].nr_free);
			free_pages += total << o;
		}
		PTB_BUG_ON(free_pages != zone->free_pages);
		for (unsigned int c = 0; c < mm->cfg.nr_cpus; c++) {
			uint64_t n = 0;

			for (int i = 0; i < NR_PCP_LISTS; i++)
				n += check_list(mm, &zone->pcp[c].lists[i], PG_pcp) << (i / MIGRATE_PCPTYPES);
			PTB_BUG_ON(n != zone->pcp[c].count);
			pcp_pages += n;
		}
		for (uint64_t pfn = zone->start_pfn; pfn < zone->end_pfn;) {
			const struct page *p = idx_page_peek(mm, (uint32_t)(pfn - mm->base_pfn));

			PTB_BUG_ON(page_zonenum(mm, p) != (enum zone_type)z && !(p->flags & PG_reserved));
			if (p->flags & (PG_buddy | PG_pcp)) {
				PTB_BUG_ON(p->owner != OWNER_FREE);
				pfn += 1ULL << p->order;
				continue;
			}
			if (!(p->flags & (PG_reserved | PG_tail)))
				held[p->owner][z][p->order]++;
			pfn++;
		}
		(void)pcp_pages;
	}
	for (int ow = OWNER_BOOT; ow < NR_PAGE_OWNERS; ow++)
		for (int z = 0; z < MAX_NR_ZONES; z++)
			for (int o = 0; o < MAX_ORDER; o++)
				PTB_BUG_ON(held[ow][z][o] != mm->held[ow][z][o]);
}
