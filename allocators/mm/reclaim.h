/* SPDX-License-Identifier: GPL-2.0 */
/*
 * reclaim.h - what reclaim.c offers the other files of allocators/mm beyond
 * mm.h's background owner: kswapd's wake-up, direct reclaim and compaction
 * for page_alloc.c's slow path (the one circle of allocators/mm, as
 * mm/page_alloc.c <-> mm/vmscan.c), and the boot-time background blocks for
 * mm_init.c.
 */
#ifndef PTB_RECLAIM_H
#define PTB_RECLAIM_H

#include "mmzone.h"

void wakeup_kswapd(struct mm *mm, enum zone_type classzone);
uint64_t direct_reclaim(struct mm *mm, enum zone_type classzone, uint64_t nr_pages, int cpu);
bool direct_compact(struct mm *mm, enum zone_type classzone, unsigned int order, int cpu);
void bg_record(struct mm *mm, uint32_t idx);
void bg_release(struct mm *mm);

#endif /* PTB_RECLAIM_H */
