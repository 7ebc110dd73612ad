// SPDX-License-Identifier: GPL-2.0
/*
 * fail.c - fault injection like the kernel's fail_page_alloc
 * (mm/page_alloc.c should_fail_alloc_page, lib/fault-inject.c should_fail,
 * 4.19), with the random draws taken from a PRNG seeded by cfg.seed so a run
 * is repeatable.  Not modelled: "space" and the task/stack filters.
 */
#include "fail.h"

void fail_init(struct fail_state *f, const struct fail_page_alloc_cfg *cfg)
{
	f->cfg = *cfg;
	f->calls = 0;
	f->failures_left = cfg->times;
	prng_seed(&f->rng, cfg->seed);
}

bool should_fail_alloc_page(struct fail_state *f, gfp_t gfp, unsigned int order)
{
	if (!f->cfg.probability)
		return false;
	if (order < f->cfg.min_order)
		return false;
	if (gfp & __GFP_NOFAIL)
		return false;
	if (f->cfg.ignore_gfp_highmem && (gfp & __GFP_HIGHMEM))
		return false;
	if (f->cfg.ignore_gfp_wait && (gfp & __GFP_DIRECT_RECLAIM))
		return false;
	if (f->failures_left == 0)
		return false;
	if (f->cfg.interval > 1 && ++f->calls % f->cfg.interval)
		return false;
	if (f->cfg.probability <= prng_below(&f->rng, 100))
		return false;
	if (f->failures_left > 0)
		f->failures_left--;
	return true;
}
