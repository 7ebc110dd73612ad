// SPDX-License-Identifier: GPL-2.0
/*
 * frag_worst.c - the `frag-worst` workload: the order of IOMMU maps and unmaps
 * that makes page_frag hold the most memory for the fewest live L2 tables
 * (README: "frag-worst" has the bound and its derivation).
 *
 * page_frag carves 32 consecutive table allocations out of one 32 KiB page
 * and keeps the page until all 32 are freed.  The adversary makes 32 table
 * allocations per page and frees 31 of them, so each page stays pinned by
 * one live table, and repeats until every 1 MiB slot of the 4 GiB IOVA space
 * holds a live table.  Through dma-iommu, with the real IOVA allocator:
 *  - a table is allocated when 4K/64K pages are first mapped in a 1 MiB slot
 *    and freed only by an unmap of the whole slot at level 1; so the freed
 *    tables come from a 1 MiB streaming buffer B whose pages are two
 *    physically separate 512 KiB blocks (never a 1 MiB section), mapped and
 *    unmapped 31 times per round (a driver re-mapping a pinned USERPTR buffer
 *    on each use): its 1 MiB-aligned IOVA lands in the same free slot each
 *    time, each map allocates the slot's table and each unmap frees it;
 *  - the kept table of a round comes from a 129-page (516 KiB) dma_alloc
 *    buffer K: 129 pages round up to a 1 MiB alignment, so K takes a slot of
 *    its own (the one B just left), at most 516 KiB of it is contiguous (no
 *    section), and it stays mapped;
 *  - the rounds walk down from the top slot; slot 0 cannot take a 1 MiB
 *    aligned range (IOVA page 0 is never allocated), so after 4095 rounds
 *    the last table comes from a one-page buffer, which lands in slot 0.
 * 4096 live tables, each on its own 32 KiB page_frag page: 128 MiB.
 */
#include <errno.h>
#include <stdlib.h>

#include "workloads.h"

#define FRAG_WORST_FREED_PER_ROUND	31	/* PAGE_FRAG_CACHE_MAX_SIZE / 1 KiB - 1 */
#define FRAG_WORST_KEEP_BYTES		(129ULL * PAGE_SIZE)	/* > 128 pages: 1 MiB aligned */
#define FRAG_WORST_HALF_ORDER		7	/* 512 KiB blocks: B's two runs */
#define FRAG_WORST_PID			3000

struct frag_worst_client {
	struct synth_actor actor;
	struct synth_client task;
	struct synth_buf b;		/* the re-mapped 1 MiB buffer's pages */
	struct synth_buf b_map;		/* its mapping of the moment */
	struct synth_buf *keep;		/* the kept buffers, one per round */
	uint32_t nr_keep, cap_keep;
	bool started, done;
};

static inline struct frag_worst_client *to_frag_worst(struct synth_actor *a)
{
	return container_of(a, struct frag_worst_client, actor);
}

/* B: two 512 KiB blocks that are not neighbours, so no 1 MiB section fits. */
static int frag_worst_make_b(struct synth *s, struct frag_worst_client *f)
{
	struct synth_buf *b = &f->b;
	uint64_t half = 1ULL << FRAG_WORST_HALF_ORDER;
	uint32_t last;

	do {
		if (synth_buf_add_block(s, b, GFP_KERNEL, FRAG_WORST_HALF_ORDER, 0))
			return -ENOMEM;
		last = b->nr_blocks - 1;
	} while (!last || b->blocks[last].pfn == b->blocks[0].pfn + half ||
		 b->blocks[last].pfn + half == b->blocks[0].pfn);
	/* the neighbours taken on the way go back */
	for (uint32_t i = 1; i < last; i++)
		free_pages(s->mm, pfn_to_page(s->mm, b->blocks[i].pfn), FRAG_WORST_HALF_ORDER, 0);
	b->blocks[1] = b->blocks[last];
	b->nr_blocks = 2;
	b->size_bytes = 2 * (half << PAGE_SHIFT);
	return 0;
}

static int keep_push(struct frag_worst_client *f)
{
	if (synth_grow((void **)&f->keep, &f->cap_keep, f->nr_keep + 1, sizeof(*f->keep)))
		return -ENOMEM;
	f->keep[f->nr_keep++] = (struct synth_buf){ 0 };
	return 0;
}

static void frag_worst_step(struct synth *s, struct synth_actor *a)
{
	struct frag_worst_client *f = to_frag_worst(a);

	if (!f->started) {
		f->started = true;
		if (frag_worst_make_b(s, f)) {
			s->error = s->error ? s->error : -ENOMEM;
			s->stopped = true;
			return;
		}
	}
	/* one round: 31 tables allocated and freed in one slot ... */
	for (int i = 0; i < FRAG_WORST_FREED_PER_ROUND && !s->stopped; i++) {
		if (dma_map_sgtable(s, &f->task, &f->b, &f->b_map)) {
			/* no 1 MiB slot left: the last table goes to slot 0 */
			if (!keep_push(f))
				dma_alloc_attrs(s, &f->task, PAGE_SIZE, &f->keep[f->nr_keep - 1]);
			f->done = true;
			a->next_ns = SYNTH_NEVER;
			return;
		}
		dma_unmap_sgtable(s, &f->task, &f->b_map);
	}
	/* ... and the 32nd kept, in the slot B just left */
	if (!s->stopped && !keep_push(f))
		dma_alloc_attrs(s, &f->task, FRAG_WORST_KEEP_BYTES, &f->keep[f->nr_keep - 1]);
	a->next_ns = s->now_ns;
}

static void frag_worst_destroy(struct synth_actor *a)
{
	struct frag_worst_client *f = to_frag_worst(a);

	for (uint32_t i = 0; i < f->nr_keep; i++)
		synth_buf_release(&f->keep[i]);
	free(f->keep);
	synth_buf_release(&f->b);
	synth_buf_release(&f->b_map);
	free(f);
}

static int frag_worst_setup(struct synth *s)
{
	struct frag_worst_client *f = calloc(1, sizeof(*f));

	if (!f)
		return -ENOMEM;
	f->actor.step = frag_worst_step;
	f->actor.destroy = frag_worst_destroy;
	synth_client_init(&f->task, "frag-worst", FRAG_WORST_PID);
	if (synth_add_actor(s, &f->actor)) {
		free(f);
		return -ENOSPC;
	}
	return 0;
}

const struct synth_workload synth_frag_worst = {
	.name = "frag-worst",
	.what = "adversary: 32 L2 tables per 32 KiB page_frag page, 31 freed, until all 4096 slots hold one",
	.default_duration_s = 24 * 3600,
	.setup = frag_worst_setup,
};
