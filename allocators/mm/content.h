/* SPDX-License-Identifier: GPL-2.0 */
/*
 * content.h - the bytes of the simulated frames (content.c; mm.h's
 * mm_phys_*): what mm_init.c frees at teardown.
 */
#ifndef PTB_CONTENT_H
#define PTB_CONTENT_H

#include "mmzone.h"

/* Free every content block; pages keep their ->data index (teardown only). */
void content_release(struct mm *mm);

#endif /* PTB_CONTENT_H */
