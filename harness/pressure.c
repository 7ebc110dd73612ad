// SPDX-License-Identifier: GPL-2.0
/*
 * pressure.c - the memory pressure scenarios: a registry (like the backends'),
 * each scenario's keys, setup and tick (the NAME:key=value string itself:
 * pressure_spec.c).
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

#include "pressure.h"

#define PRESSURE_CPU 0			/* others' allocations and frees run on CPU 0 */
#define BURSTS_MAX_ALIVE 4096		/* hold_ms / period_ms bound: the burst ring */
#define NS_PER_MS 1000000ULL

/*
 * Others' movable memory: page cache and anon of running programs.  It takes
 * the zone to any level the scenario names (__GFP_MEMALLOC: no watermark
 * stops it, so the level is the scenario's, not a gfp's) and, like every
 * allocation below the low watermark, wakes kswapd.
 */
#define FILLER_GFP (__GFP_MEMALLOC | __GFP_KSWAPD_RECLAIM | __GFP_MOVABLE)
/*
 * The hold scenarios' others take memory in blocks of the smallest order no
 * per-CPU list holds (4.19..6.13: PAGE_ALLOC_COSTLY_ORDER + 1), straight from
 * the buddy lists: free then ends less than a block below a level.  Order-0
 * pages would pull a per-CPU batch per refill (63 pages on a 3 GiB zone),
 * past a level set a few pages above a watermark.
 */
#define HOLD_BLOCK_ORDER (PAGE_ALLOC_COSTLY_ORDER + 1)
#define HOLD_BLOCK_PAGES (1ULL << HOLD_BLOCK_ORDER)

struct burst {
	uint64_t free_at_ns;
	uint64_t pages;
};

struct pressure {
	const struct pressure_scenario *s;
	struct pressure_cfg cfg;
	struct mm *mm;
	enum zone_type zone;
	gfp_t zone_gfp;			/* the zone modifier that reaches the zone */
	uint64_t seed;
	uint64_t t0_ns;			/* trace time of the machine's time 0 */
	uint64_t batch_pages;		/* the zone's per-CPU refill size */
	/* steady */
	uint64_t period_ns;
	uint64_t draw_min_pages;	/* lowest target drawn: free ends within a batch below it */
	uint64_t period_idx;
	uint64_t period_target_pages;
	/* atomic-burst */
	uint64_t hold_ns;
	uint64_t next_burst_ns;
	struct burst *bursts;		/* a ring, oldest at bursts_head */
	unsigned int bursts_cap, bursts_head, bursts_alive;
	/* trace */
	struct kmem_recording rec;
	uint64_t next_interval;		/* the first interval not applied yet */
	enum zone_type replay_in[KMEM_ZONE_NR];	/* MAX_NR_ZONES: ignored */
	bool replayed[MAX_NR_ZONES];
	int64_t others_level_pages[MAX_NR_ZONES];	/* below 0: frees with nothing to free */
	struct pressure_stats st;
};

/* ---- the registry ---- */

/* The zone modifier whose zonelist starts at each class (gfp_zone()). */
static const gfp_t zone_class_gfp[PRESSURE_ZONE_NR] = {
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

static int atomic_burst_parse(const struct pressure_cfg *cfg, char *err, size_t err_bytes);
static int hold_setup(struct pressure *p, char *err, size_t err_bytes);
static void steady_tick(struct pressure *p, uint64_t now_ns);
static void edge_tick(struct pressure *p, uint64_t now_ns);
static int atomic_burst_setup(struct pressure *p, char *err, size_t err_bytes);
static void atomic_burst_tick(struct pressure *p, uint64_t now_ns);
static int fragmented_setup(struct pressure *p, char *err, size_t err_bytes);
static void fragmented_tick(struct pressure *p, uint64_t now_ns);
static int trace_parse(const struct pressure_cfg *cfg, char *err, size_t err_bytes);
static int trace_setup(struct pressure *p, char *err, size_t err_bytes);
static void trace_tick(struct pressure *p, uint64_t now_ns);

static const struct pressure_scenario pressure_none = {
	.name = "none",
	.what = "the layout's boot state: nobody else presses on memory",
};

static const struct pressure_scenario pressure_steady = {
	.name = "steady",
	.what = "free memory between min and low, kswapd busy: a 4 GB Chromebook, many tabs",
	.keys = steady_keys,
	.nr_keys = ARRAY_SIZE(steady_keys),
	.setup = hold_setup,
	.tick = steady_tick,
};

static const struct pressure_scenario pressure_atomic_burst = {
	.name = "atomic-burst",
	.what = "others' GFP_ATOMIC bursts (network receive) drain the reserves below min",
	.keys = atomic_burst_keys,
	.nr_keys = ARRAY_SIZE(atomic_burst_keys),
	.parse = atomic_burst_parse,
	.setup = atomic_burst_setup,
	.tick = atomic_burst_tick,
};

static const struct pressure_scenario pressure_fragmented = {
	.name = "fragmented",
	.what = "free memory only in small blocks: high-order tries fail (long uptime)",
	.keys = fragmented_keys,
	.nr_keys = ARRAY_SIZE(fragmented_keys),
	.setup = fragmented_setup,
	.tick = fragmented_tick,
};

static const struct pressure_scenario pressure_edge = {
	.name = "edge",
	.what = "free memory at the min watermark: where callers without reserves fail",
	.keys = edge_keys,
	.nr_keys = ARRAY_SIZE(edge_keys),
	.setup = hold_setup,
	.tick = edge_tick,
};

static const struct pressure_scenario pressure_trace = {
	.name = "trace",
	.what = "a device's own: the pages each zone allocated and freed, as ptrec --kmem recorded",
	.keys = trace_keys,
	.nr_keys = ARRAY_SIZE(trace_keys),
	.bare_key = "file",
	.parse = trace_parse,
	.setup = trace_setup,
	.tick = trace_tick,
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

static uint64_t zone_free(const struct pressure *p)
{
	return mm_zone_free_pages(p->mm, p->zone);
}

/* Others allocate 2^order blocks in zone @z until its free memory is at most @target_pages. */
static void fill_zone_to(struct pressure *p, enum zone_type z, gfp_t zone_gfp, uint64_t target_pages,
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

static void fill_to(struct pressure *p, uint64_t target_pages, unsigned int order)
{
	fill_zone_to(p, p->zone, p->zone_gfp, target_pages, order);
}

/*
 * Edge, steady and atomic-burst: others take HOLD_BLOCK_PAGES blocks until
 * free is at or below the level, the last one crossing it, then order-0
 * pages if no block is left.  ptb_oracle.ko's others hold a level the same
 * way in the guest (kmod/oracle_pressure.c fill_to).
 */
static void hold_to(struct pressure *p, uint64_t target_pages)
{
	uint64_t free = zone_free(p), want, got;

	if (free <= target_pages)
		return;
	want = (free - target_pages + HOLD_BLOCK_PAGES - 1) / HOLD_BLOCK_PAGES;
	got = background_alloc_zone(p->mm, p->zone, FILLER_GFP | p->zone_gfp, HOLD_BLOCK_ORDER, want,
				    PRESSURE_CPU);
	p->st.filler_pages += got * HOLD_BLOCK_PAGES;
	if (got < want)
		fill_to(p, target_pages, 0);
}

/*
 * Others free up to @nr_pages of their movable, then reclaimable pages in
 * zone @z; the caller drains the per-CPU lists, where freed order-0 pages
 * sit (not free for the watermarks) until then.  Returns the pages freed.
 */
static uint64_t others_free(struct pressure *p, enum zone_type z, uint64_t nr_pages)
{
	uint64_t got = background_free_zone(p->mm, z, MIGRATE_MOVABLE, nr_pages, PRESSURE_CPU);

	if (got < nr_pages)
		got += background_free_zone(p->mm, z, MIGRATE_RECLAIMABLE, nr_pages - got, PRESSURE_CPU);
	p->st.released_pages += got;
	return got;
}

/* Others free pages in zone @z until its free memory reaches @target_pages. */
static void release_zone_to(struct pressure *p, enum zone_type z, uint64_t target_pages)
{
	uint64_t free = mm_zone_free_pages(p->mm, z);

	if (free >= target_pages)
		return;
	others_free(p, z, target_pages - free);
	mm_drain_pcp(p->mm);
}

static void release_to(struct pressure *p, uint64_t target_pages)
{
	release_zone_to(p, p->zone, target_pages);
}

static uint64_t resolve_zone_level(const struct pressure *p, enum zone_type z,
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

static uint64_t resolve_level(const struct pressure *p, const struct pressure_level *l)
{
	return resolve_zone_level(p, p->zone, l);
}

/* ---- steady and edge: free memory held at a level or in a band ---- */

/*
 * Setup: others' use brings free memory to the floor of the band (edge: to
 * its level) at once, as if the system had been running for a while.
 */
static int hold_setup(struct pressure *p, char *err, size_t err_bytes)
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
static void steady_tick(struct pressure *p, uint64_t now_ns)
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
static void edge_tick(struct pressure *p, uint64_t now_ns)
{
	(void)now_ns;
	hold_to(p, p->st.target_min_pages);
}

/* ---- atomic-burst ---- */

static int atomic_burst_parse(const struct pressure_cfg *cfg, char *err, size_t err_bytes)
{
	if (cfg->hold_ms / cfg->period_ms >= BURSTS_MAX_ALIVE) {
		snprintf(err, err_bytes, "atomic-burst: hold_ms %" PRIu64 " keeps more than %d bursts "
			 "alive at period_ms %" PRIu64, cfg->hold_ms, BURSTS_MAX_ALIVE, cfg->period_ms);
		return -EINVAL;
	}
	return 0;
}

static int atomic_burst_setup(struct pressure *p, char *err, size_t err_bytes)
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
static void atomic_burst_tick(struct pressure *p, uint64_t now_ns)
{
	while (p->bursts_alive && p->bursts[p->bursts_head].free_at_ns <= now_ns) {
		struct burst *b = &p->bursts[p->bursts_head];

		background_free_zone(p->mm, p->zone, MIGRATE_UNMOVABLE, b->pages, PRESSURE_CPU);
		p->st.burst_live_pages -= b->pages;
		p->bursts_head = (p->bursts_head + 1) % p->bursts_cap;
		p->bursts_alive--;
	}
	hold_to(p, p->st.target_min_pages);
	if (p->next_burst_ns + p->hold_ns <= now_ns) {
		uint64_t gone = (now_ns - p->hold_ns - p->next_burst_ns) / p->period_ns + 1;

		p->st.bursts_between_events += gone;
		p->next_burst_ns += gone * p->period_ns;
	}
	while (p->next_burst_ns <= now_ns) {
		struct burst *b;
		uint64_t got;

		PTB_BUG_ON(p->bursts_alive == p->bursts_cap);
		b = &p->bursts[(p->bursts_head + p->bursts_alive) % p->bursts_cap];
		got = background_alloc_zone(p->mm, p->zone, GFP_ATOMIC | p->zone_gfp, 0, p->cfg.pages,
					    PRESSURE_CPU);
		b->free_at_ns = p->next_burst_ns + p->hold_ns;
		b->pages = got;
		p->bursts_alive++;
		p->st.bursts++;
		p->st.burst_pages += got;
		p->st.burst_failed_pages += p->cfg.pages - got;
		p->st.burst_live_pages += got;
		p->next_burst_ns += p->period_ns;
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
static int fragmented_setup(struct pressure *p, char *err, size_t err_bytes)
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
static void fragmented_tick(struct pressure *p, uint64_t now_ns)
{
	(void)now_ns;
	fill_to(p, p->st.target_min_pages, (unsigned int)p->cfg.order);
}

/* ---- trace: a device's recorded demand, interval by interval ---- */

/*
 * Others' recorded allocations are user memory, the bulk of what a device
 * allocates and frees: anon and page cache, GFP_HIGHUSER_MOVABLE (anon:
 * mm/memory.c do_anonymous_page() -> include/linux/highmem.h
 * alloc_zeroed_user_highpage_movable(); page cache: fs/inode.c
 * inode_init_always() sets it as every mapping's gfp mask; 4.19), movable,
 * so kswapd and compaction treat them as on the device.  Without __GFP_HIGHMEM (no highmem on arm64, and it does not
 * combine with a zone modifier) and without __GFP_DIRECT_RECLAIM: the
 * reclaim the device did to satisfy them is in the recording already, as
 * frees, so here they stop at the min watermark (ALLOC_WMARK_MIN, no
 * reserves) and wait for memory instead of reclaiming it a second time.
 */
#define TRACE_OTHERS_GFP (GFP_HIGHUSER_MOVABLE & ~(__GFP_HIGHMEM | __GFP_DIRECT_RECLAIM))

/* The zone modifier whose zonelist starts at @z (gfp_zone()). */
static gfp_t zone_modifier(enum zone_type z)
{
	return z == ZONE_DMA ? __GFP_DMA : z == ZONE_DMA32 ? __GFP_DMA32 : 0;
}

static int trace_parse(const struct pressure_cfg *cfg, char *err, size_t err_bytes)
{
	if (!cfg->file[0]) {
		snprintf(err, err_bytes, "trace: needs the recording: trace:FILE or trace:file=FILE "
			 "(a ptrec --kmem CSV)");
		return -EINVAL;
	}
	return 0;
}

/*
 * Setup: the recording is read once, whole.  Each recorded zone is replayed
 * in the zone its class is served from on this machine (DMA32 -> where
 * GFP_DMA32 is served: DMA32 on 4.19, DMA on arm64 6.1), so a recording
 * of one kernel replays on another's zones; a zone with no memory here,
 * "other" and names ptrec does not write are ignored and counted.  Each
 * replayed zone is brought to the free level, then others' level starts at
 * what they hold there.
 */
static int trace_setup(struct pressure *p, char *err, size_t err_bytes)
{
	int ret = kmem_recording_load(p->cfg.file, &p->rec, err, err_bytes);

	if (ret)
		return ret;
	p->st.intervals = p->rec.nr;
	for (int id = 0; id < KMEM_ZONE_NR; id++) {
		enum pressure_zone cls = id < PRESSURE_MAP_ZONES ? p->cfg.zone_map[id] : PRESSURE_ZONE_NONE;
		enum zone_type z;
		struct zone_info zi;

		p->replay_in[id] = MAX_NR_ZONES;
		if (cls == PRESSURE_ZONE_NONE)
			continue;
		z = mm_gfp_zone_served(p->mm, zone_class_gfp[cls]);
		mm_zone_info(p->mm, z, &zi);
		if (!zi.managed_pages)
			continue;
		p->replay_in[id] = z;
		p->replayed[z] = true;
	}
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		uint64_t level;

		if (!p->replayed[z])
			continue;
		level = resolve_zone_level(p, (enum zone_type)z, &p->cfg.free);
		release_zone_to(p, (enum zone_type)z, level);
		fill_zone_to(p, (enum zone_type)z, zone_modifier((enum zone_type)z), level, 0);
		p->others_level_pages[z] = (int64_t)mm_held_pages(p->mm, OWNER_BACKGROUND, (enum zone_type)z);
		if (z == (int)p->zone)
			p->st.target_min_pages = p->st.target_max_pages = level;
	}
	/* what the last refill left on a per-CPU list goes back: the level is exact */
	mm_drain_pcp(p->mm);
	return 0;
}

/* One ended interval: its net demand moves others' level in each replayed zone. */
static void trace_apply(struct pressure *p, const struct kmem_interval *iv)
{
	for (int id = 0; id < KMEM_ZONE_NR; id++) {
		enum zone_type z = p->replay_in[id];

		if (z == MAX_NR_ZONES) {
			p->st.ignored_alloc_pages += iv->alloc_pages[id];
			p->st.ignored_free_pages += iv->free_pages[id];
			continue;
		}
		/* the reader bounds rows and intervals: no level nears INT64_MAX */
		p->others_level_pages[z] += (int64_t)iv->alloc_pages[id] - (int64_t)iv->free_pages[id];
		p->st.recorded_alloc_pages += iv->alloc_pages[id];
		p->st.recorded_free_pages += iv->free_pages[id];
	}
	p->st.unknown_zone_rows += iv->unknown_rows;
	p->st.intervals_applied++;
}

/*
 * At each tick: every interval that ended by now (trace time = t0 + the
 * machine's time; ptrec's rows and events share CLOCK_MONOTONIC) moves
 * others' level; then in each replayed zone others allocate or free until
 * they hold their level.  The machine's own reclaim (kswapd, direct reclaim
 * by the page tables) takes others' pages between ticks: they are taken
 * again, since the device's reclaim is in the recording already.  What the
 * machine cannot hold waits: allocations refused at min are retried at the
 * next tick, and frees beyond what others hold are owed back by the next
 * allocations, so the level keeps following the device's.
 */
static void trace_tick(struct pressure *p, uint64_t now_ns)
{
	uint64_t at_ns = p->t0_ns + now_ns, short_alloc = 0, short_free = 0;
	bool freed = false;

	while (p->next_interval < p->rec.nr && p->rec.iv[p->next_interval].end_ns <= at_ns)
		trace_apply(p, &p->rec.iv[p->next_interval++]);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		int64_t level = p->others_level_pages[z];
		uint64_t held, got;

		if (!p->replayed[z])
			continue;
		if (level < 0) {
			short_free += (uint64_t)-level;
			level = 0;
		}
		held = mm_held_pages(p->mm, OWNER_BACKGROUND, (enum zone_type)z);
		if (held < (uint64_t)level) {
			uint64_t want = (uint64_t)level - held;

			got = background_alloc_zone(p->mm, (enum zone_type)z,
						    TRACE_OTHERS_GFP | zone_modifier((enum zone_type)z), 0,
						    want, PRESSURE_CPU);
			p->st.filler_pages += got;
			short_alloc += want - got;
		} else if (held > (uint64_t)level) {
			got = others_free(p, (enum zone_type)z, held - (uint64_t)level);
			short_free += held - (uint64_t)level - got;
			freed = true;
		}
	}
	if (freed)
		mm_drain_pcp(p->mm);
	p->st.unapplied_alloc_pages = MAX(p->st.unapplied_alloc_pages, short_alloc);
	p->st.unapplied_free_pages = MAX(p->st.unapplied_free_pages, short_free);
	p->st.unapplied_ticks += short_alloc || short_free;
}

/* ---- the instance ---- */

static void note_free(struct pressure *p)
{
	uint64_t free = zone_free(p);

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
	p->zone_gfp = zone_class_gfp[cfg->zone];
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
	p->st.free_lowest_pages = p->st.free_highest_pages = zone_free(p);
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
