/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pressure.h - memory pressure: what the rest of the system does to the
 * simulated machine while a trace replays (--pressure NAME[:key=value,...]).
 *
 * Types:
 *   enum pressure_id          the registry's ids, PRESSURE_NR the sentinel
 *   enum pressure_zone        the zone class a scenario presses on (dma32, dma, normal)
 *   struct pressure_level     a free-memory level: pages, a watermark or the boot
 *                             level +/- pages, or a fraction of the way from the min
 *                             to the low watermark
 *   struct pressure_cfg       a parsed --pressure: the scenario and every key's value
 *   struct pressure_key       one key a scenario takes: name, kind, default, meaning
 *   struct pressure_scenario  the factory: name, the situation it models, keys, ops
 *   struct pressure           one scenario acting on one machine
 *   struct pressure_stats     what it did (a run's JSON "pressure")
 * Terms:
 *   "zone"    the zone the scenario presses on: the one the class's gfp is
 *             served from on this machine (dma32 = DMA32 on 4.19, DMA on arm64 6.1)
 *   "free"    NR_FREE_PAGES of that zone: pages in its buddy lists; pages on
 *             per-CPU lists are not free for the watermarks, as in the kernel
 *   "filler"  others' movable memory (page cache, anon) the scenario allocates
 *             to hold free memory at its level; kswapd and direct reclaim can
 *             take it back like any background page
 *   "burst"   others' GFP_ATOMIC pages (network receive), freed after hold_ms
 *   "tick"    the scenario acting at one instant of simulated time, after the
 *             machine's clock (and kswapd) advanced and before the event
 *   "others' level"  (trace) the pages others hold in a zone as a device's
 *             recording says: the zone's at setup plus every ended interval's
 *             allocations minus its frees
 */
#ifndef PTB_PRESSURE_H
#define PTB_PRESSURE_H

#include <stdio.h>

#include "kmem_recording.h"
#include "mm.h"

/* --pressure's argument (a trace scenario's path included), and its canonical string */
#define PRESSURE_ARG_MAX 1024
#define PRESSURE_STRING_BYTES (PRESSURE_ARG_MAX + 256)
#define PRESSURE_MAX_KEYS 8		/* keys of one scenario, at most */
#define PRESSURE_PPM 1000000U		/* a level's fraction_ppm of the way from min to low */

enum pressure_id {
	PRESSURE_NONE,
	PRESSURE_STEADY,
	PRESSURE_ATOMIC_BURST,
	PRESSURE_FRAGMENTED,
	PRESSURE_EDGE,
	PRESSURE_TRACE,
	PRESSURE_NR,
};

enum pressure_zone {
	PRESSURE_ZONE_DMA32,		/* where GFP_DMA32 allocations are served */
	PRESSURE_ZONE_DMA,		/* where GFP_DMA allocations are served */
	PRESSURE_ZONE_NORMAL,		/* where GFP_KERNEL allocations are served */
	PRESSURE_ZONE_NR,
	PRESSURE_ZONE_NONE = PRESSURE_ZONE_NR,	/* trace's zone map only: not replayed */
};

/* The zones a recording names that trace can map (KMEM_DMA .. KMEM_MOVABLE). */
#define PRESSURE_MAP_ZONES (KMEM_MOVABLE + 1)

enum pressure_level_base {
	LEVEL_PAGES,		/* .pages free pages */
	LEVEL_WMARK_MIN,	/* the zone's watermarks + .pages (may be negative) */
	LEVEL_WMARK_LOW,
	LEVEL_WMARK_HIGH,
	LEVEL_WMARK_ATOMIC,	/* min as GFP_ATOMIC sees it (ALLOC_HIGH|ALLOC_HARDER) */
	LEVEL_BOOT,		/* the zone's free pages when the scenario starts + .pages */
	LEVEL_FRACTION,		/* min + .fraction_ppm millionths of (low - min) */
	LEVEL_NR,
};

struct pressure_level {
	enum pressure_level_base base;
	int64_t pages;
	uint32_t fraction_ppm;
};

struct pressure_cfg {
	enum pressure_id id;
	enum pressure_zone zone;
	struct pressure_level free;		/* the level others hold free memory at (trace: start at) */
	struct pressure_level free_max;		/* steady: the band's ceiling */
	uint64_t pages;				/* atomic-burst: pages per burst */
	uint64_t period_ms;			/* steady: demand change; atomic-burst: burst period */
	uint64_t hold_ms;			/* atomic-burst: how long a burst's pages live */
	uint64_t order;				/* fragmented: largest free block order left */
	char file[PRESSURE_ARG_MAX];		/* trace: the --kmem CSV */
	/* trace: the zone class each recorded zone is replayed in, or PRESSURE_ZONE_NONE */
	enum pressure_zone zone_map[PRESSURE_MAP_ZONES];
};

enum pressure_key_kind {
	PRESSURE_KEY_ZONE,	/* enum pressure_zone */
	PRESSURE_KEY_LEVEL,	/* struct pressure_level */
	PRESSURE_KEY_U64,	/* uint64_t within [min, max] */
	PRESSURE_KEY_PATH,	/* char[PRESSURE_ARG_MAX], no ',' (the key separator) */
	PRESSURE_KEY_ZONE_MAP,	/* enum pressure_zone, or PRESSURE_ZONE_NONE */
};

struct pressure_key {
	const char *name;
	enum pressure_key_kind kind;
	size_t offset;			/* of the value in struct pressure_cfg */
	const char *dflt;		/* the default, parsed like a user's value; NULL: none */
	uint64_t min, max;		/* PRESSURE_KEY_U64 bounds */
	const char *what;		/* one line for --help and `list -v pressures` */
};

struct pressure;

struct pressure_scenario {
	const char *name;
	const char *what;		/* the real situation it stands for, one line */
	const struct pressure_key *keys;
	unsigned int nr_keys;
	/* Optional: the key a value given without "key=" is for (trace:FILE). */
	const char *bare_key;
	/* Optional: checks between keys once all are parsed.  0 or -EINVAL. */
	int (*parse)(const struct pressure_cfg *cfg, char *err, size_t err_bytes);
	/* Optional: bring the zone to the scenario's state (boot -> pressure). 0 or -errno. */
	int (*setup)(struct pressure *p, char *err, size_t err_bytes);
	/* Optional: act at simulated time now_ns.  Never fails; never mallocs. */
	void (*tick)(struct pressure *p, uint64_t now_ns);
};

struct pressure_stats {
	enum zone_type zone;		/* the zone pressed on */
	uint64_t target_min_pages;	/* the level(s) resolved for this machine */
	uint64_t target_max_pages;
	uint64_t ticks;
	uint64_t free_lowest_pages;	/* free pages right after each tick: extremes */
	uint64_t free_highest_pages;
	uint64_t filler_pages;		/* others' movable pages allocated to hold the level */
	uint64_t released_pages;	/* others' pages freed to raise free memory (setup; trace) */
	uint64_t bursts;		/* bursts alive at some tick (allocated) */
	uint64_t bursts_between_events;	/* bursts that began and ended between two ticks */
	uint64_t burst_pages;		/* pages the bursts got */
	uint64_t burst_failed_pages;	/* pages the bursts asked for and did not get */
	uint64_t burst_live_pages;	/* burst pages held now */
	/* trace: counts of the recording's intervals ended by the last tick ("applied") */
	uint64_t intervals;		/* in the file */
	uint64_t intervals_applied;
	uint64_t recorded_alloc_pages;	/* in zones replayed */
	uint64_t recorded_free_pages;
	uint64_t ignored_alloc_pages;	/* "other", unknown names, zones mapped to none or empty */
	uint64_t ignored_free_pages;
	uint64_t unknown_zone_rows;	/* rows naming a zone ptrec does not write */
	/* others' level the machine could not follow, the most at any tick (pages) */
	uint64_t unapplied_alloc_pages;	/* allocations refused: the zone at its min watermark */
	uint64_t unapplied_free_pages;	/* frees with none of others' pages left to free */
	uint64_t unapplied_ticks;	/* ticks that ended with either */
};

/* The registry, like the backends': bounds-checked lookup. */
const struct pressure_scenario *pressure_get(enum pressure_id id);
const struct pressure_scenario *pressure_find(const char *name);

/* "none". */
void pressure_cfg_default(struct pressure_cfg *cfg);
/**
 * pressure_parse() - parse "NAME" or "NAME:key=value,...".
 * Keys not given take their defaults.  Level values: a page count, a
 * watermark min|low|high|atomic (also WMARK_MIN, ...) with an optional +N or
 * -N pages, or a fraction 0..1 of the way from min to low (with a '.').
 * Returns 0, or -EINVAL with one line naming the key in @err.
 */
int pressure_parse(const char *arg, struct pressure_cfg *cfg, char *err, size_t err_bytes);
/* The canonical string: the name and every key with its value.  Returns buf. */
const char *pressure_format(const struct pressure_cfg *cfg, char *buf, size_t buf_bytes);
/* "dma32", "dma", "normal"; NULL if out of range. */
const char *pressure_zone_class_name(enum pressure_zone zone);
/* A level's base as one word: pages, min, low, high, atomic, fraction; NULL if out of range. */
const char *pressure_level_base_name(enum pressure_level_base base);
/*
 * atomic-burst's first burst, in ns after the first event: a phase within the
 * first period drawn from @seed (the run's --seed).  ptbench oracle passes it
 * to the guest so both make their bursts at the same trace times.
 */
uint64_t pressure_burst_phase_ns(const struct pressure_cfg *cfg, uint64_t seed);
/* Names one per line; verbose: what each models, its keys and defaults. */
void pressure_list(FILE *out, bool verbose);

/**
 * pressure_create() - put @cfg's scenario on @mm: resolve its zone and
 * levels for this machine and run its setup.
 * @seed: the run's --seed; every random choice comes from it.
 * @t0_ns: the trace time of the machine's time 0 (the first event's ts_ns):
 *         trace places the recording's intervals on the trace's clock.
 * Returns the instance, or NULL with one line in @err as the user sees it
 * after "ptbench: ": "--pressure: reason", or trace's "FILE:LINE: reason".
 */
struct pressure *pressure_create(const struct pressure_cfg *cfg, struct mm *mm, uint64_t seed,
				 uint64_t t0_ns, char *err, size_t err_bytes);
/** pressure_tick() - act at the machine's current time (mm_now_ns). */
void pressure_tick(struct pressure *p);
void pressure_get_stats(const struct pressure *p, struct pressure_stats *out);
void pressure_destroy(struct pressure *p);

#endif /* PTB_PRESSURE_H */
