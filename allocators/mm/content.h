/* SPDX-License-Identifier: GPL-2.0 */
/*
 * content.h - the bytes of the simulated frames (content.c; mm.h's
 * mm_phys_*): what mm_init.c frees at teardown.
 */
#ifndef PTB_CONTENT_H
#define PTB_CONTENT_H

#include "mmzone.h"

/*
 * Give a page's content block back: it reads as zero from now on, as
 * __GFP_ZERO leaves it (content_forget), or as it already does
 * (content_forget_zero: only if every byte is zero; for pages freed).
 */
void content_forget(struct mm *mm, struct page *page);
void content_forget_zero(struct mm *mm, struct page *page);
/* Free every content block; pages keep their ->data index (teardown only). */
void content_release(struct mm *mm);
/* A started machine's own copy of its image's content (mm_start).  0 or -ENOMEM. */
int content_copy(struct mm *mm, const struct mm *from);

#endif /* PTB_CONTENT_H */
