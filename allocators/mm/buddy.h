/* SPDX-License-Identifier: GPL-2.0 */
/*
 * buddy.h - the buddy allocator of one zone (buddy.c), and the frame-index
 * lists its free lists and the per-CPU lists are made of.
 * Called by pcp.c, page_alloc.c, reclaim.c and, at boot, mm_init.c.
 */
#ifndef PTB_BUDDY_H
#define PTB_BUDDY_H

#include "mmzone.h"

/* index lists (list.c-like, by frame index) */
void idx_list_add(struct mm *mm, struct list_head_idx *h, uint32_t idx);	/* at the front */
void idx_list_add_tail(struct mm *mm, struct list_head_idx *h, uint32_t idx);
void idx_list_del(struct mm *mm, struct list_head_idx *h, uint32_t idx);

void buddy_free_one(struct mm *mm, struct zone *zone, uint32_t idx, unsigned int order, int mt);
uint32_t buddy_rmqueue(struct mm *mm, struct zone *zone, unsigned int order, int mt,
		       unsigned int alloc_flags);
uint32_t buddy_take_page(struct mm *mm, struct zone *zone, uint32_t idx);
void buddy_reserve_highatomic(struct mm *mm, struct zone *zone, uint32_t idx);
bool buddy_unreserve_highatomic(struct mm *mm, struct zone *zone, bool force);
uint64_t buddy_move_freepages_block(struct mm *mm, struct zone *zone, uint64_t pfn, int mt,
				    uint64_t *movable_pages);
bool buddy_has_free_block(const struct zone *zone, unsigned int order, bool alloc_harder);

#endif /* PTB_BUDDY_H */
