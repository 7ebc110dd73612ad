// SPDX-License-Identifier: GPL-2.0
/*
 * pressure_hold.c - the scenarios in which others hold free memory at a
 * level: edge (one level), steady (a band, a new level each period),
 * atomic-burst (GFP_ATOMIC bursts between holds), fragmented (free memory
 * left only in small blocks).  Registered in pressure.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "pressure_internal.h"

static void fill_to(struct pressure *p, uint64_t target_pages, unsigned int order)
{
	pressure_fill_zone_to(p, p->zone, p->zone_gfp, target_pages, order);
}

/*
 * Edge, steady and atomic-burst: others take HOLD_BLOCK_PAGES blocks until
 * free is at or below the level, the last one crossing it, then order-0
 * pages if no block is left.  ptb_oracle.ko's others hold a level the same
 * way in the guest (kmod/oracle_pressure.c fill_to).
 */
static void hold_to(struct pressure *p, uint64_t target_pages)
{
	uint64_t free = pressure_free_pages(p), want, got;

	if (free <= target_pages)
		return;
	want = (free - target_pages + HOLD_BLOCK_PAGES - 1) / HOLD_BLOCK_PAGES;
	got = background_alloc_zone(p->mm, p->zone, FILLER_GFP | p->zone_gfp, HOLD_BLOCK_ORDER, want,
				    PRESSURE_CPU);
	p->st.filler_pages += got * HOLD_BLOCK_PAGES;
	if (got < want)
		fill_to(p, target_pages, 0);
}

static void release_to(struct pressure *p, uint64_t target_pages)
{
	pressure_release_zone_to(p, p->zone, target_pages);
}

static uint64_t resolve_level(const struct pressure *p, const struct pressure_level *l)
{
	return pressure_resolve_zone_level(p, p->zone, l);
}

/* ---- steady and edge: free memory held at a level or in a band ---- */

/*
 * Setup: others' use brings free memory to the floor of the band (edge: to
 * its level) at once, as if the system had been running for a while.
 */
int pressure_hold_setup(struct pressure *p, char *err, size_t err_bytes)
{
	/* edge has no free_max key: it stays 0 pages and the band is the level itself */
	p->st.target_min_pages = resolve_level(p, &p->cfg.free);
	p->st.target_max_pages = MAX(resolve_level(p, &p->cfg.free_max), p->st.target_min_pages);
	/*
	 * free may end up to a block - 1 pages below the level drawn, or a
	 * per-CPU batch - 1 when no block is left and order-0 pages come
	 * through a refill: never below the floor.
	 */
	p->draw_min_pages = MIN(p->st.target_min_pages + MAX(HOLD_BLOCK_PAGES, p->batch_pages) - 1,
				p->st.target_max_pages);
	p->period_ns = p->cfg.period_ms * NS_PER_MS;
	p->period_idx = UINT64_MAX;
	release_to(p, p->draw_min_pages);
	hold_to(p, p->draw_min_pages);
	(void)err;
	(void)err_bytes;
	return 0;
}

/*
 * steady: others' demand draws a level in [floor + max(block, batch) - 1,
 * ceiling] each period (seeded, the same whatever the event times) and
 * allocates whatever kswapd reclaimed above it: an allocation rate that
 * matches kswapd's reclaim rate.  When the drawn level rises, kswapd raises free memory at its rate;
 * when it falls, others take the difference.  Every allocation below the low
 * watermark wakes kswapd, so it stays busy.
 */
void pressure_steady_tick(struct pressure *p, uint64_t now_ns)
{
	uint64_t idx = now_ns / p->period_ns;

	if (idx != p->period_idx) {
		uint64_t span = p->st.target_max_pages - p->draw_min_pages + 1;

		p->period_target_pages = p->draw_min_pages + prng_draw(p->seed, idx, span);
		p->period_idx = idx;
	}
	hold_to(p, p->period_target_pages);
}

/* edge: whatever kswapd reclaims, others take again: free stays at the level. */
void pressure_edge_tick(struct pressure *p, uint64_t now_ns)
{
	(void)now_ns;
	hold_to(p, p->st.target_min_pages);
}

/* ---- atomic-burst ---- */

int pressure_atomic_burst_parse(const struct pressure_cfg *cfg, char *err, size_t err_bytes)
{
	if (cfg->hold_ms / cfg->period_ms >= BURSTS_MAX_ALIVE) {
		snprintf(err, err_bytes, "atomic-burst: hold_ms %" PRIu64 " keeps more than %d bursts "
			 "alive at period_ms %" PRIu64, cfg->hold_ms, BURSTS_MAX_ALIVE, cfg->period_ms);
		return -EINVAL;
	}
	return 0;
}

int pressure_atomic_burst_setup(struct pressure *p, char *err, size_t err_bytes)
{
	p->st.target_min_pages = p->st.target_max_pages = resolve_level(p, &p->cfg.free);
	p->period_ns = p->cfg.period_ms * NS_PER_MS;
	p->hold_ns = p->cfg.hold_ms * NS_PER_MS;
	p->bursts_cap = (unsigned int)(p->cfg.hold_ms / p->cfg.period_ms) + 2;
	p->bursts = calloc(p->bursts_cap, sizeof(*p->bursts));
	if (!p->bursts) {
		snprintf(err, err_bytes, "--pressure: out of host memory for %u bursts", p->bursts_cap);
		return -ENOMEM;
	}
	p->next_burst_ns = pressure_burst_phase_ns(&p->cfg, p->seed);
	release_to(p, p->st.target_min_pages);
	hold_to(p, p->st.target_min_pages);
	return 0;
}

/*
 * At each tick: the stack frees the pages of bursts whose hold has passed
 * (oldest first: background_free_zone takes the oldest unmovable pages, which
 * are the bursts' own); others take free memory back to their level; then
 * every burst due by now that is still alive allocates its pages with
 * GFP_ATOMIC, one by one, until the page allocator refuses one (at the
 * reduced min ALLOC_HIGH|ALLOC_HARDER allow).  A burst that began and ended
 * between two ticks is not simulated: nothing could have seen it.  While a
 * burst lives, kswapd (woken by it) gives free memory back at its rate.
 */
/*
 * Moves the next burst on by nr periods.  Trace time is a u64: a burst that
 * would begin past 2^64 ns never begins, rather than wrapping to the past.
 */
static void burst_advance(struct pressure *p, uint64_t nr)
{
	if (nr > (UINT64_MAX - p->next_burst_ns) / p->period_ns) {
		p->bursts_over = true;
		return;
	}
	p->next_burst_ns += nr * p->period_ns;
}

void pressure_atomic_burst_tick(struct pressure *p, uint64_t now_ns)
{
	while (p->bursts_alive && p->bursts[p->bursts_head].free_at_ns <= now_ns) {
		struct burst *b = &p->bursts[p->bursts_head];

		background_free_zone(p->mm, p->zone, MIGRATE_UNMOVABLE, b->pages, PRESSURE_CPU);
		p->st.burst_live_pages -= b->pages;
		p->bursts_head = (p->bursts_head + 1) % p->bursts_cap;
		p->bursts_alive--;
	}
	hold_to(p, p->st.target_min_pages);
	/* next_burst_ns + hold_ns <= now_ns, written so that neither side wraps */
	if (!p->bursts_over && p->next_burst_ns <= now_ns &&
	    now_ns - p->next_burst_ns >= p->hold_ns) {
		uint64_t gone = (now_ns - p->next_burst_ns - p->hold_ns) / p->period_ns + 1;

		p->st.bursts_between_events += gone;
		burst_advance(p, gone);
	}
	while (!p->bursts_over && p->next_burst_ns <= now_ns) {
		struct burst *b;
		uint64_t got;

		PTB_BUG_ON(p->bursts_alive == p->bursts_cap);
		b = &p->bursts[(p->bursts_head + p->bursts_alive) % p->bursts_cap];
		got = background_alloc_zone(p->mm, p->zone, GFP_ATOMIC | p->zone_gfp, 0, p->cfg.pages,
					    PRESSURE_CPU);
		/* a hold past 2^64 ns ends at the last instant trace time has */
		b->free_at_ns = p->hold_ns > UINT64_MAX - p->next_burst_ns ?
				UINT64_MAX : p->next_burst_ns + p->hold_ns;
		b->pages = got;
		p->bursts_alive++;
		p->st.bursts++;
		p->st.burst_pages += got;
		p->st.burst_failed_pages += p->cfg.pages - got;
		p->st.burst_live_pages += got;
		burst_advance(p, 1);
	}
}

/* ---- fragmented ---- */

/*
 * A zone after a long uptime, drawn in three strokes (order 1 shown):
 *   take every free block of the order:      [AA][AA][AA][AA][AA][AA]
 *   free every other one (buddies held):     [AA][..][AA][..][AA][..]
 *   take holes back down to the level:       [AA][..][AA][AA][AA][..]
 * Expect no free block above the order, and free memory at the level: order-0
 * allocations succeed, higher ones fail unless direct compaction (only with
 * __GFP_DIRECT_RECLAIM) can move the movable pages out of the way.
 */
int pressure_fragmented_setup(struct pressure *p, char *err, size_t err_bytes)
{
	unsigned int order = (unsigned int)p->cfg.order;

	p->st.target_min_pages = p->st.target_max_pages = resolve_level(p, &p->cfg.free);
	mm_drain_pcp(p->mm);
	fill_to(p, 0, order);
	background_free_alternate_order(p->mm, p->zone, order, PRESSURE_CPU);
	mm_drain_pcp(p->mm);
	fill_to(p, p->st.target_min_pages, order);
	(void)err;
	(void)err_bytes;
	return 0;
}

/* What the page tables free, others take again down to the level, in the same small blocks. */
void pressure_fragmented_tick(struct pressure *p, uint64_t now_ns)
{
	(void)now_ns;
	fill_to(p, p->st.target_min_pages, (unsigned int)p->cfg.order);
}
