/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcp.h - the per-CPU page lists of a zone (pcp.c), above the buddy lists.
 * Called by page_alloc.c, reclaim.c and, at boot, mm_init.c.
 */
#ifndef PTB_PCP_H
#define PTB_PCP_H

#include "mmzone.h"

void pcp_setup(struct mm *mm, struct zone *zone);
uint32_t pcp_rmqueue(struct mm *mm, struct zone *zone, int cpu, unsigned int order, int mt);
void pcp_free(struct mm *mm, struct zone *zone, int cpu, uint32_t idx, unsigned int order);
bool pcp_allowed_order(const struct mm *mm, unsigned int order);
void pcp_drain_zone(struct mm *mm, struct zone *zone);

#endif /* PTB_PCP_H */
