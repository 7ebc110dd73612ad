// SPDX-License-Identifier: GPL-2.0
/*
 * oracle_fragmented.c - the fragmented scenario in the guest (harness/pressure.c
 * fragmented): free memory of the zone left only in blocks of the scenario's
 * order, none above it, the way the model's others leave it.
 */
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "oracle.h"

static int pfn_cmp(const void *a, const void *b)
{
	unsigned long pa = page_to_pfn(*(struct page *const *)a);
	unsigned long pb = page_to_pfn(*(struct page *const *)b);

	return pa < pb ? -1 : pa > pb;
}

/* Free blocks above the scenario's order on the zone's buddy lists: 0 is what it promises. */
static u64 blocks_above_order(const struct oracle_pressure *p)
{
	unsigned long flags;
	unsigned int o;
	u64 n = 0;

	spin_lock_irqsave(&p->zone->lock, flags);
	for (o = p->order + 1; o < ORACLE_NR_ORDERS; o++)
		n += p->zone->free_area[o].nr_free;
	spin_unlock_irqrestore(&p->zone->lock, flags);
	return n;
}

/*
 * A page someone else frees meanwhile (an RCU callback, a kworker: seen in
 * one boot of two) merges with a given-back block into a block above the
 * order, where the model has none.  Each such block is taken and given back
 * the same way: split into pages (split_page), every other order-sized
 * group of them freed, the rest held.  Returns the blocks found; the caller
 * drains the per-CPU lists, where the freed pages went.
 */
static u64 refragment(struct oracle_pressure *p)
{
	unsigned int o, i, group = 1u << p->order;
	u64 found = 0;

	for (o = ORACLE_NR_ORDERS - 1; o > p->order; o--) {
		while (READ_ONCE(p->zone->free_area[o].nr_free)) {
			struct page *page = alloc_pages(FILL_GFP | p->zone_gfp, o);

			if (!page)	/* a highatomic block: not others' to take */
				break;
			if (page_zone(page) != p->zone) {
				__free_pages(page, o);
				break;
			}
			found++;
			split_page(page, o);
			for (i = 0; i < 1u << o; i++) {
				if ((i / group) & 1) {
					__free_page(page + i);
				} else {
					oracle_held_add(p, page + i, 0);
					p->st.filler_pages++;
				}
			}
		}
	}
	return found;
}

/*
 * harness/pressure.c fragmented_setup(), p->order and the level set: with the
 * per-CPU lists drained
 * (else their order-2 and order-3 pages would stay there for any taker:
 * oracle_pressure_create did), others take every free block of the order, give back every other one by
 * address (allocators/mm/reclaim.c background_free_alternate_order: their
 * buddies stay held, so nothing merges), drain the lists again (where the
 * given-back blocks went), then take the holes back down to the level.
 */
int oracle_fragment(struct oracle_pressure *p, char *err, size_t err_bytes)
{
	struct page **blocks, *page;
	u64 nr = 0, i;

	oracle_fill_order_to(p, 0);
	/* others' list stays in allocation order (kswapd's oldest first): sort a copy */
	blocks = kvmalloc_array(p->held_pages >> p->order, sizeof(*blocks), GFP_KERNEL);
	if (!blocks) {
		snprintf(err, err_bytes, "pressure: fragmented: no memory to sort %llu blocks",
			 p->held_pages >> p->order);
		return -ENOMEM;
	}
	list_for_each_entry(page, &p->held, lru)
		blocks[nr++] = page;
	sort(blocks, nr, sizeof(*blocks), pfn_cmp, NULL);
	for (i = 1; i < nr; i += 2)
		oracle_held_free(p, blocks[i]);
	kvfree(blocks);
	p->drain_pcp(p->zone);
	p->st.refragmented_blocks = refragment(p);
	p->drain_pcp(p->zone);
	oracle_fill_order_to(p, p->st.target_min_pages);
	if (blocks_above_order(p)) {
		p->st.refragmented_blocks += refragment(p);
		p->drain_pcp(p->zone);
	}
	p->st.blocks_above_order = blocks_above_order(p);
	return 0;
}
