// SPDX-License-Identifier: GPL-2.0
/* watermark.c - __zone_watermark_ok()'s reduced mark per kernel version (watermark.h). */
#include "watermark.h"

bool wmark_non_block(enum kver k)
{
	/* ALLOC_MIN_RESERVE / ALLOC_NON_BLOCK from 6.3 (6.12, 6.13, 7.2 mm/page_alloc.c) */
	return k == KVER_6_12 || k == KVER_6_13 || k == KVER_7_2;
}

uint64_t wmark_reduced(enum kver k, uint64_t mark, unsigned int alloc_flags)
{
	uint64_t min = mark;

	if (wmark_non_block(k)) {
		/* 6.12, 6.13 and 7.2 mm/page_alloc.c __zone_watermark_ok, under ALLOC_RESERVES */
		if (alloc_flags & ALLOC_MIN_RESERVE) {
			min -= min / 2;
			if (alloc_flags & ALLOC_NON_BLOCK)
				min -= min / 4;
		}
		return min;
	}
	/* 4.19, 5.10 and 6.1 mm/page_alloc.c __zone_watermark_ok */
	if (alloc_flags & ALLOC_HIGH)
		min -= min / 2;
	if (alloc_flags & ALLOC_HARDER)
		min -= min / 4;
	return min;
}

unsigned int wmark_gfp_atomic_flags(enum kver k)
{
	/*
	 * GFP_ATOMIC = __GFP_HIGH | __GFP_ATOMIC | __GFP_KSWAPD_RECLAIM (4.19..6.1)
	 * or __GFP_HIGH | __GFP_KSWAPD_RECLAIM (6.12, 6.13, 7.2): gfp_to_alloc_flags gives
	 * the two reserve bits either way, under its version's names.
	 */
	return wmark_non_block(k) ? ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK : ALLOC_HIGH | ALLOC_HARDER;
}

uint64_t wmark_gfp_atomic(enum kver k, uint64_t min_pages)
{
	return wmark_reduced(k, min_pages, wmark_gfp_atomic_flags(k));
}
