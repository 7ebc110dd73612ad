/* SPDX-License-Identifier: GPL-2.0 */
/*
 * watermark.h - how deep under a watermark an allocation may go:
 * __zone_watermark_ok()'s reduction of the mark by the caller's alloc_flags,
 * per kernel version.  Freestanding (<stdint.h>, <stdbool.h>, kver.h): the
 * machine (page_alloc.c, pressure's "atomic" level) and ptb_oracle.ko (its
 * "atomic" level on the guest's real watermarks) compute it with this one code.
 *
 * The two alloc_flags bits the reduction reads are the same bits in every
 * version (mm/internal.h), under two names: up to 6.2 ALLOC_HIGH (__GFP_HIGH)
 * and ALLOC_HARDER (__GFP_ATOMIC without __GFP_NOMEMALLOC); from 6.3
 * (1ebbb21811b7, ab3508854353; backported to Debian's 6.1.192, the oracle's
 * kernel) ALLOC_MIN_RESERVE (__GFP_HIGH) and ALLOC_NON_BLOCK (no
 * __GFP_DIRECT_RECLAIM, without __GFP_NOMEMALLOC).  The model's 6.1 is 6.1 as
 * released; its 6.13 has the new names.  GFP_ATOMIC's mark is the same in all.
 */
#ifndef PTB_WATERMARK_H
#define PTB_WATERMARK_H

#include <stdbool.h>
#include <stdint.h>

#include "kver.h"

/* 4.19 .. 6.2 */
#define ALLOC_HARDER		0x10u
#define ALLOC_HIGH		0x20u
/* 6.3+: the same bits */
#define ALLOC_NON_BLOCK		0x10u
#define ALLOC_MIN_RESERVE	0x20u

/* True when kernel @k names its reserves ALLOC_MIN_RESERVE / ALLOC_NON_BLOCK (6.3+). */
bool wmark_non_block(enum kver k);

/**
 * wmark_reduced() - the mark __zone_watermark_ok() of kernel @k really
 * compares free pages with, for @mark and @alloc_flags (lowmem_reserve
 * aside).  Up to 6.2: ALLOC_HIGH halves it, ALLOC_HARDER takes a quarter of
 * the rest; 6.3+: ALLOC_MIN_RESERVE halves it and only then ALLOC_NON_BLOCK
 * takes the quarter.  ALLOC_OOM never applies (no OOM killer modelled).
 */
uint64_t wmark_reduced(enum kver k, uint64_t mark, unsigned int alloc_flags);

/* The alloc_flags a GFP_ATOMIC caller's slow path has in kernel @k. */
unsigned int wmark_gfp_atomic_flags(enum kver k);

/* The mark GFP_ATOMIC stops at in kernel @k, for a zone with min watermark @min_pages. */
uint64_t wmark_gfp_atomic(enum kver k, uint64_t min_pages);

#endif /* PTB_WATERMARK_H */
