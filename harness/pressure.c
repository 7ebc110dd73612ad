// SPDX-License-Identifier: GPL-2.0
/*
 * pressure.c - the memory pressure scenarios' registry (like the backends'):
 * each scenario's keys and ops; the instance (create, tick, stats); and what
 * every scenario does to the machine (others fill, free, levels resolved).
 * Each scenario's own setup and tick: pressure_hold.c, pressure_trace.c; the
 * NAME:key=value string itself: pressure_spec.c.
 *
 * Everything a scenario does goes through the machine's own page allocator
 * and background owner, so the page-table allocators meet the same rules they
 * would in the kernel (mm/page_alloc.c, mm/vmscan.c 4.19 and 6.1):
 *  - __zone_watermark_ok: a caller fails when free <= its mark + lowmem_reserve;
 *    ALLOC_HIGH (__GFP_HIGH) halves the mark, ALLOC_HARDER (__GFP_ATOMIC, 6.13:
 *    ALLOC_NON_BLOCK) takes a quarter of the rest, so GFP_ATOMIC goes down to
 *    3/8 of WMARK_MIN while GFP_NOWAIT stops at WMARK_MIN.  ALLOC_OOM (OOM
 *    victims: half of the rest) does not occur: the machine has no OOM killer.
 *  - an allocation that misses the low watermark wakes kswapd (wakeup_kswapd),
 *    which reclaims others' movable and reclaimable pages at
 *    kswapd_pages_per_ms until the zone is above its high watermark
 *    (pgdat_balanced) and then sleeps; mm_advance_time runs it between events.
 * The scenarios place others' memory; the machine decides what follows.
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pressure_internal.h"

/* ---- the registry ---- */

/* The zone modifier whose zonelist starts at each class (gfp_zone()). */
const gfp_t pressure_zone_class_gfp[PRESSURE_ZONE_NR] = {
	[PRESSURE_ZONE_DMA32] = __GFP_DMA32,
	[PRESSURE_ZONE_DMA] = __GFP_DMA,
	[PRESSURE_ZONE_NORMAL] = 0,
};

#define KEY_ZONE { "zone", PRESSURE_KEY_ZONE, offsetof(struct pressure_cfg, zone), "dma32", 0, 0, \
	"zone pressed on: dma32|dma|normal, where GFP_DMA32|GFP_DMA|GFP_KERNEL are served" }
#define KEY_LEVEL(field, dflt, what) \
	{ #field, PRESSURE_KEY_LEVEL, offsetof(struct pressure_cfg, field), dflt, 0, 0, what }
#define KEY_U64(field, dflt, lo, hi, what) \
	{ #field, PRESSURE_KEY_U64, offsetof(struct pressure_cfg, field), dflt, lo, hi, what }
#define KEY_MAP(name, id, dflt) { name, PRESSURE_KEY_ZONE_MAP, \
	offsetof(struct pressure_cfg, zone_map) + (id) * sizeof(enum pressure_zone), dflt, 0, 0, \
	"the recording's " name " zone replayed in: dma32|dma|normal|none" }

static const struct pressure_key steady_keys[] = {
	KEY_ZONE,
	KEY_LEVEL(free, "min+0", "band floor: free pages never drawn below it"),
	KEY_LEVEL(free_max, "low+0", "band ceiling (raised to free when below it)"),
	KEY_U64(period_ms, "10", 1, 3600000, "others' demand draws a new level in the band this often"),
};

static const struct pressure_key atomic_burst_keys[] = {
	KEY_ZONE,
	KEY_LEVEL(free, "low+0", "free pages others hold between bursts"),
	KEY_U64(pages, "2048", 1, 1ULL << 24, "order-0 GFP_ATOMIC pages per burst (stops at its mark)"),
	KEY_U64(period_ms, "100", 1, 3600000, "one burst this often, first at a seeded phase"),
	KEY_U64(hold_ms, "10", 1, 3600000, "a burst's pages are freed this long after it"),
};

static const struct pressure_key fragmented_keys[] = {
	KEY_ZONE,
	KEY_LEVEL(free, "32768", "free pages left, all in blocks of order <= order"),
	KEY_U64(order, "1", 0, MAX_ORDER - 2, "largest free block order left"),
};

static const struct pressure_key edge_keys[] = {
	KEY_ZONE,
	KEY_LEVEL(free, "min+0", "free pages held there, less than a 16-page block below"),
};

/* The recorded zones keep the kernel's names (/proc/zoneinfo), as keys too. */
static const struct pressure_key trace_keys[] = {
	{ "file", PRESSURE_KEY_PATH, offsetof(struct pressure_cfg, file), NULL, 0, 0,
	  "ptrec --kmem CSV (gzip or not), recorded with the trace (also trace:FILE)" },
	KEY_LEVEL(free, "boot+0", "each replayed zone's free pages before the first interval"),
	KEY_MAP("DMA", KMEM_DMA, "dma"),
	KEY_MAP("DMA32", KMEM_DMA32, "dma32"),
	KEY_MAP("Normal", KMEM_NORMAL, "normal"),
	KEY_MAP("Movable", KMEM_MOVABLE, "normal"),
};

static const struct pressure_scenario pressure_none = {
	.name = "none",
	.what = "the layout's boot state: nobody else presses on memory",
};

static const struct pressure_scenario pressure_steady = {
	.name = "steady",
	.what = "free memory between min and low, kswapd busy: a 4 GB Chromebook, many tabs",
	.keys = steady_keys,
	.nr_keys = ARRAY_SIZE(steady_keys),
	.setup = pressure_hold_setup,
	.tick = pressure_steady_tick,
};

static const struct pressure_scenario pressure_atomic_burst = {
	.name = "atomic-burst",
	.what = "others' GFP_ATOMIC bursts (network receive) drain the reserves below min",
	.keys = atomic_burst_keys,
	.nr_keys = ARRAY_SIZE(atomic_burst_keys),
	.parse = pressure_atomic_burst_parse,
	.setup = pressure_atomic_burst_setup,
	.tick = pressure_atomic_burst_tick,
};

static const struct pressure_scenario pressure_fragmented = {
	.name = "fragmented",
	.what = "free memory only in small blocks: high-order tries fail (long uptime)",
	.keys = fragmented_keys,
	.nr_keys = ARRAY_SIZE(fragmented_keys),
	.setup = pressure_fragmented_setup,
	.tick = pressure_fragmented_tick,
};

static const struct pressure_scenario pressure_edge = {
	.name = "edge",
	.what = "free memory at the min watermark: where callers without reserves fail",
	.keys = edge_keys,
	.nr_keys = ARRAY_SIZE(edge_keys),
	.setup = pressure_hold_setup,
	.tick = pressure_edge_tick,
};

static const struct pressure_scenario pressure_trace = {
	.name = "trace",
	.what = "a device's own: the pages each zone allocated and freed, as ptrec --kmem recorded",
	.keys = trace_keys,
	.nr_keys = ARRAY_SIZE(trace_keys),
	.bare_key = "file",
	.parse = pressure_trace_parse,
	.setup = pressure_trace_setup,
	.tick = pressure_trace_tick,
};

static const struct pressure_scenario *const scenarios[PRESSURE_NR] = {
	[PRESSURE_NONE] = &pressure_none,
	[PRESSURE_STEADY] = &pressure_steady,
	[PRESSURE_ATOMIC_BURST] = &pressure_atomic_burst,
	[PRESSURE_FRAGMENTED] = &pressure_fragmented,
	[PRESSURE_EDGE] = &pressure_edge,
	[PRESSURE_TRACE] = &pressure_trace,
};

const struct pressure_scenario *pressure_get(enum pressure_id id)
{
	if ((unsigned int)id >= PRESSURE_NR)
		return NULL;
	return scenarios[id];
}

const struct pressure_scenario *pressure_find(const char *name)
{
	for (int i = 0; i < PRESSURE_NR; i++)
		if (!strcmp(scenarios[i]->name, name))
			return scenarios[i];
	return NULL;
}

uint64_t pressure_burst_phase_ns(const struct pressure_cfg *cfg, uint64_t seed)
{
	struct prng r;

	prng_seed(&r, seed ^ 0x6275727374ULL);
	return prng_below(&r, cfg->period_ms * NS_PER_MS);
}

/* ---- acting on the machine ---- */

uint64_t pressure_free_pages(const struct pressure *p)
{
	return mm_zone_free_pages(p->mm, p->zone);
}

/* Others allocate 2^order blocks in zone @z until its free memory is at most @target_pages. */
void pressure_fill_zone_to(struct pressure *p, enum zone_type z, gfp_t zone_gfp, uint64_t target_pages,
			 unsigned int order)
{
	uint64_t free;

	while ((free = mm_zone_free_pages(p->mm, z)) > target_pages) {
		uint64_t want = (free - target_pages) >> order, got;

		if (!want)
			break;
		got = background_alloc_zone(p->mm, z, FILLER_GFP | zone_gfp, order, want, PRESSURE_CPU);
		p->st.filler_pages += got << order;
		if (got < want)
			break;	/* no block of that order left in the zone */
	}
}

/*
 * Others free up to @nr_pages of their movable, then reclaimable pages in
 * zone @z; the caller drains the per-CPU lists, where freed order-0 pages
 * sit (not free for the watermarks) until then.  Returns the pages freed.
 */
uint64_t pressure_others_free(struct pressure *p, enum zone_type z, uint64_t nr_pages)
{
	uint64_t got = background_free_zone(p->mm, z, MIGRATE_MOVABLE, nr_pages, PRESSURE_CPU);

	if (got < nr_pages)
		got += background_free_zone(p->mm, z, MIGRATE_RECLAIMABLE, nr_pages - got, PRESSURE_CPU);
	p->st.released_pages += got;
	return got;
}

/* Others free pages in zone @z until its free memory reaches @target_pages. */
void pressure_release_zone_to(struct pressure *p, enum zone_type z, uint64_t target_pages)
{
	uint64_t free = mm_zone_free_pages(p->mm, z);

	if (free >= target_pages)
		return;
	pressure_others_free(p, z, target_pages - free);
	mm_drain_pcp(p->mm);
}

uint64_t pressure_resolve_zone_level(const struct pressure *p, enum zone_type z,
				   const struct pressure_level *l)
{
	struct zone_info zi;
	int64_t base = 0;

	mm_zone_info(p->mm, z, &zi);
	switch (l->base) {
	case LEVEL_PAGES:
		return (uint64_t)l->pages;
	case LEVEL_FRACTION:
		return zi.watermark[WMARK_MIN] +
		       (zi.watermark[WMARK_LOW] - zi.watermark[WMARK_MIN]) * l->fraction_ppm / PRESSURE_PPM;
	case LEVEL_WMARK_MIN:
		base = (int64_t)zi.watermark[WMARK_MIN];
		break;
	case LEVEL_WMARK_LOW:
		base = (int64_t)zi.watermark[WMARK_LOW];
		break;
	case LEVEL_WMARK_HIGH:
		base = (int64_t)zi.watermark[WMARK_HIGH];
		break;
	case LEVEL_WMARK_ATOMIC:
		/* the function ptb_oracle.ko resolves "atomic" with (watermark.c) */
		base = (int64_t)wmark_gfp_atomic(mm_kernel(p->mm), zi.watermark[WMARK_MIN]);
		break;
	case LEVEL_BOOT:
		base = (int64_t)zi.free_pages;
		break;
	case LEVEL_NR:
		PTB_BUG_ON(1);
	}
	return base + l->pages > 0 ? (uint64_t)(base + l->pages) : 0;
}

/* ---- the instance ---- */

static void note_free(struct pressure *p)
{
	uint64_t free = pressure_free_pages(p);

	p->st.free_lowest_pages = MIN(p->st.free_lowest_pages, free);
	p->st.free_highest_pages = MAX(p->st.free_highest_pages, free);
}

struct pressure *pressure_create(const struct pressure_cfg *cfg, struct mm *mm, uint64_t seed,
				 uint64_t t0_ns, char *err, size_t err_bytes)
{
	const struct pressure_scenario *s = pressure_get(cfg->id);
	struct pressure *p;
	struct zone_info zi;

	PTB_BUG_ON(!s || s->nr_keys > PRESSURE_MAX_KEYS);
	p = calloc(1, sizeof(*p));
	if (!p) {
		snprintf(err, err_bytes, "--pressure: out of host memory");
		return NULL;
	}
	p->s = s;
	p->cfg = *cfg;
	p->mm = mm;
	p->seed = seed;
	p->t0_ns = t0_ns;
	p->zone_gfp = pressure_zone_class_gfp[cfg->zone];
	p->zone = mm_gfp_zone_served(mm, p->zone_gfp);
	mm_zone_info(mm, p->zone, &zi);
	if (!zi.managed_pages) {
		snprintf(err, err_bytes, "--pressure: %s: zone=%s: zone %s has no memory on this machine", s->name,
			 pressure_zone_class_name(cfg->zone), zone_name(p->zone));
		goto fail;
	}
	p->batch_pages = zi.pcp_batch;
	p->st.zone = p->zone;
	if (s->setup && s->setup(p, err, err_bytes))
		goto fail;
	p->st.free_lowest_pages = p->st.free_highest_pages = pressure_free_pages(p);
	return p;
fail:
	pressure_destroy(p);
	return NULL;
}

void pressure_tick(struct pressure *p)
{
	if (p->s->tick)
		p->s->tick(p, mm_now_ns(p->mm));
	p->st.ticks++;
	note_free(p);
}

void pressure_get_stats(const struct pressure *p, struct pressure_stats *out)
{
	*out = p->st;
}

void pressure_destroy(struct pressure *p)
{
	if (!p)
		return;
	free(p->bursts);
	kmem_recording_free(&p->rec);
	free(p);
}
