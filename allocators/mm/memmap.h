/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memmap.h - the memmap's host mapping (memmap.c): what mm_init.c sets up
 * and tears down.  memmap_populate() is in mmzone.h, for idx_page().
 */
#ifndef PTB_MEMMAP_H
#define PTB_MEMMAP_H

#include "mmzone.h"

/*
 * Map @mm's memmap (base_pfn and nr_frames set): the whole of it, written
 * at boot, for an image (@image NULL); for a machine started from @image,
 * an address range whose sections idx_page() copies in at first use.
 * Returns 0 or -ENOMEM.
 */
int memmap_init(struct mm *mm, const struct mm *image);
/* Unmap it; a NULL or half-set-up memmap is fine. */
void memmap_release(struct mm *mm);

#endif /* PTB_MEMMAP_H */
