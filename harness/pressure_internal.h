/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pressure_internal.h - what the pressure registry and instance (pressure.c)
 * share with the scenarios' work: pressure_hold.c (edge, steady,
 * atomic-burst, fragmented: others holding free memory at a level) and
 * pressure_trace.c (trace: a device's recorded demand).
 *
 * Types:
 *   struct pressure  one scenario acting on one machine
 *   struct burst     atomic-burst: one burst's pages and when they are freed
 * Terms as in pressure.h ("others", "filler", "tick", "level").
 */
#ifndef PTB_PRESSURE_INTERNAL_H
#define PTB_PRESSURE_INTERNAL_H

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
	bool bursts_over;		/* the next burst would begin past 2^64 ns: none will */
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

/* The zone modifier whose zonelist starts at each class (gfp_zone()). */
extern const gfp_t pressure_zone_class_gfp[PRESSURE_ZONE_NR];

/* ---- acting on the machine (pressure.c) ---- */

/* The pressed zone's free pages (NR_FREE_PAGES). */
uint64_t pressure_free_pages(const struct pressure *p);
/* Others allocate 2^order blocks in zone @z until its free memory is at most @target_pages. */
void pressure_fill_zone_to(struct pressure *p, enum zone_type z, gfp_t zone_gfp, uint64_t target_pages,
			   unsigned int order);
/* Others free up to @nr_pages of theirs in zone @z (the caller drains the per-CPU lists). */
uint64_t pressure_others_free(struct pressure *p, enum zone_type z, uint64_t nr_pages);
/* Others free pages in zone @z until its free memory reaches @target_pages. */
void pressure_release_zone_to(struct pressure *p, enum zone_type z, uint64_t target_pages);
/* @l in pages for zone @z of this machine: its watermarks, its boot level. */
uint64_t pressure_resolve_zone_level(const struct pressure *p, enum zone_type z,
				     const struct pressure_level *l);

/* ---- each scenario's work: the registry's ops (struct pressure_scenario) ---- */

int pressure_hold_setup(struct pressure *p, char *err, size_t err_bytes);
void pressure_steady_tick(struct pressure *p, uint64_t now_ns);
void pressure_edge_tick(struct pressure *p, uint64_t now_ns);
int pressure_atomic_burst_parse(const struct pressure_cfg *cfg, char *err, size_t err_bytes);
int pressure_atomic_burst_setup(struct pressure *p, char *err, size_t err_bytes);
void pressure_atomic_burst_tick(struct pressure *p, uint64_t now_ns);
int pressure_fragmented_setup(struct pressure *p, char *err, size_t err_bytes);
void pressure_fragmented_tick(struct pressure *p, uint64_t now_ns);
int pressure_trace_parse(const struct pressure_cfg *cfg, char *err, size_t err_bytes);
int pressure_trace_setup(struct pressure *p, char *err, size_t err_bytes);
void pressure_trace_tick(struct pressure *p, uint64_t now_ns);

#endif /* PTB_PRESSURE_INTERNAL_H */
