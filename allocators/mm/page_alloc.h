/* SPDX-License-Identifier: GPL-2.0 */
/*
 * page_alloc.h - what page_alloc.c offers the other files of allocators/mm
 * beyond mm.h's alloc_pages/free_pages: the watermarks set at boot and the
 * blocks taken without the allocation path.  Called by reclaim.c (the one
 * circle of allocators/mm, as mm/page_alloc.c <-> mm/vmscan.c) and, at boot,
 * by mm_init.c.
 */
#ifndef PTB_PAGE_ALLOC_H
#define PTB_PAGE_ALLOC_H

#include "mmzone.h"

void mm_setup_watermarks(struct mm *mm);
/* Take a block straight from one zone's buddy lists (boot, compaction). */
uint32_t zone_take_block(struct mm *mm, struct zone *zone, unsigned int order, int mt);
void prep_new_block(struct mm *mm, uint32_t idx, unsigned int order, gfp_t gfp,
		    enum page_owner owner);

#endif /* PTB_PAGE_ALLOC_H */
