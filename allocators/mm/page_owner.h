/* SPDX-License-Identifier: GPL-2.0 */
/*
 * page_owner.h - who holds which blocks (page_owner.c), kept by the
 * allocator at every allocation and free (page_alloc.c, reclaim.c's
 * compaction).  Below the allocator: it calls nothing above it.
 */
#ifndef PTB_PAGE_OWNER_H
#define PTB_PAGE_OWNER_H

#include "mmzone.h"

/* One block of 2^order pages at idx gained (sign +1) or given back (-1) by owner. */
void mm_account(struct mm *mm, uint32_t idx, unsigned int order, enum page_owner owner, int sign);

#endif /* PTB_PAGE_OWNER_H */
