// SPDX-License-Identifier: GPL-2.0
/*
 * pressure_trace.c - the trace scenario: others' demand as a device recorded
 * it (ptrec --kmem, workloads/kmem_recording.c), replayed interval by
 * interval in the zones its classes are served from.  Registered in pressure.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "pressure_internal.h"

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

int pressure_trace_parse(const struct pressure_cfg *cfg, char *err, size_t err_bytes)
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
int pressure_trace_setup(struct pressure *p, char *err, size_t err_bytes)
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
		z = mm_gfp_zone_served(p->mm, pressure_zone_class_gfp[cls]);
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
		level = pressure_resolve_zone_level(p, (enum zone_type)z, &p->cfg.free);
		pressure_release_zone_to(p, (enum zone_type)z, level);
		pressure_fill_zone_to(p, (enum zone_type)z, zone_modifier((enum zone_type)z), level, 0);
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
void pressure_trace_tick(struct pressure *p, uint64_t now_ns)
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
			got = pressure_others_free(p, (enum zone_type)z, held - (uint64_t)level);
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
