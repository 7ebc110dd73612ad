// SPDX-License-Identifier: GPL-2.0
/*
 * churn.c - the `churn` workload: an allocator benchmark's pattern through
 * the DMA API, to stress how freed page-table memory gets reused.
 *
 *   t = 0      fill: CHURN_NR_BUFS buffers, sizes log-uniform 4 KiB..4 MiB;
 *              shuffle; free half of them (a random half);
 *   each round (every CHURN_ROUND_NS): free CHURN_ROUND_PCT % of
 *              CHURN_NR_BUFS random live buffers, allocate as many new ones.
 * The live set stays at half the pool; its IOVAs, and so the L2 tables under
 * them, are scattered over the space and keep moving.  Not a device model: a
 * stress pattern (README), with the pages, IOVAs and events of the real paths.
 */
#include <errno.h>
#include <stdlib.h>

#include "workloads.h"

#define CHURN_NR_BUFS		512
#define CHURN_SIZE_ORDERS	10	/* pages in [2^k, 2^(k+1)), k uniform in 0..9 */
#define CHURN_ROUND_NS		(100ULL * NSEC_PER_MSEC)
#define CHURN_ROUND_PCT		10
#define CHURN_PID		2000

struct churn_client {
	struct synth_actor actor;
	struct synth_client task;
	bool filled;
	struct synth_buf bufs[CHURN_NR_BUFS];
	uint32_t live[CHURN_NR_BUFS];	/* indices of mapped buffers */
	uint32_t nr_live;
};

static inline struct churn_client *to_churn(struct synth_actor *a)
{
	return container_of(a, struct churn_client, actor);
}

static uint64_t churn_size(struct synth *s)
{
	uint64_t k = synth_below(s, CHURN_SIZE_ORDERS);

	return ((1ULL << k) + synth_below(s, 1ULL << k)) << PAGE_SHIFT;
}

static void churn_alloc(struct synth *s, struct churn_client *c, uint32_t i)
{
	if (!dma_alloc_attrs(s, &c->task, churn_size(s), &c->bufs[i]))
		c->live[c->nr_live++] = i;
}

/* Free the live buffer at position @pos of the live list. */
static void churn_free_at(struct synth *s, struct churn_client *c, uint32_t pos)
{
	dma_free_attrs(s, &c->task, &c->bufs[c->live[pos]]);
	c->live[pos] = c->live[--c->nr_live];
}

static void churn_step(struct synth *s, struct synth_actor *a)
{
	struct churn_client *c = to_churn(a);
	uint32_t n = CHURN_NR_BUFS * CHURN_ROUND_PCT / 100;

	if (!c->filled) {
		for (uint32_t i = 0; i < CHURN_NR_BUFS && !s->stopped; i++)
			churn_alloc(s, c, i);
		/* Fisher-Yates over the live list, then free its first half */
		for (uint32_t i = c->nr_live; i > 1; i--) {
			uint32_t j = (uint32_t)synth_below(s, i), t = c->live[i - 1];

			c->live[i - 1] = c->live[j];
			c->live[j] = t;
		}
		for (uint32_t i = c->nr_live / 2; i > 0 && !s->stopped; i--)
			churn_free_at(s, c, 0);
		c->filled = true;
	} else {
		for (uint32_t i = 0; i < n && c->nr_live && !s->stopped; i++)
			churn_free_at(s, c, (uint32_t)synth_below(s, c->nr_live));
		for (uint32_t i = 0, k = 0; k < n && i < CHURN_NR_BUFS && !s->stopped; i++)
			if (!synth_buf_mapped(&c->bufs[i])) {
				churn_alloc(s, c, i);
				k++;
			}
	}
	a->next_ns += CHURN_ROUND_NS;
}

static void churn_destroy(struct synth_actor *a)
{
	struct churn_client *c = to_churn(a);

	for (int i = 0; i < CHURN_NR_BUFS; i++)
		synth_buf_release(&c->bufs[i]);
	free(c);
}

static int churn_setup(struct synth *s)
{
	struct churn_client *c = calloc(1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	c->actor.step = churn_step;
	c->actor.destroy = churn_destroy;
	synth_client_init(&c->task, "churn", CHURN_PID);
	if (synth_add_actor(s, &c->actor)) {
		free(c);
		return -ENOSPC;
	}
	return 0;
}

const struct synth_workload synth_churn = {
	.name = "churn",
	.what = "allocator-benchmark pattern: fill 512, shuffle, free half, then free+reallocate 10% per 100 ms",
	.default_duration_s = 600,
	.setup = churn_setup,
};
