/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fail.h - fail_page_alloc fault injection (fail.c): set up by mm_init.c,
 * asked by page_alloc.c before every allocation.
 */
#ifndef PTB_FAIL_H
#define PTB_FAIL_H

#include "mmzone.h"

void fail_init(struct fail_state *f, const struct fail_page_alloc_cfg *cfg);
bool should_fail_alloc_page(struct fail_state *f, gfp_t gfp, unsigned int order);

#endif /* PTB_FAIL_H */
