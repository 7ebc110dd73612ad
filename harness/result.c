// SPDX-License-Identifier: GPL-2.0
/*
 * result.c - the replay's JSON document.
 *
 * The keys architecture.md lists are a contract (scripts and checks read
 * them): they are written here exactly, in that order, and new keys are only
 * ever added.  Everything but "replay.ns_per_event" is a function of the
 * trace, the seed and the options; host timing is written only with
 * --timing, so two runs give the same bytes.
 */
#include <inttypes.h>
#include <stdio.h>

#include "json.h"
#include "replay.h"
#include "version.h"

static void write_ptbench(struct json *j)
{
	json_object_begin(j, "ptbench");
	json_str(j, "version", PTBENCH_VERSION);
	json_str(j, "commit", ptbench_commit());
	json_object_end(j);
}

static void write_trace(struct json *j, const struct replay_opts *o, const struct replay_trace *t)
{
	json_object_begin(j, "trace");
	json_str(j, "path", o->trace_path);
	json_str(j, "sha256", t->sha256);
	json_str(j, "format", t->format);
	json_u64(j, "events", t->events);
	json_u64(j, "maps", t->maps);
	json_u64(j, "unmaps", t->unmaps);
	json_u64(j, "skipped", t->skipped);
	json_u64(j, "other_events", t->other_events);
	json_u64(j, "domains", t->domains);
	json_object_end(j);
}

static void write_config(struct json *j, const struct replay_opts *o)
{
	char gfp_buf[128], pressure_buf[PRESSURE_STRING_BYTES], wmark_buf[256];

	json_object_begin(j, "config");
	json_str(j, "memory", o->memory_arg ? o->memory_arg : o->mm.layout.name);
	json_str(j, "kernel", kver_name(o->mm.kernel));
	json_u64(j, "cpus", o->mm.nr_cpus);
	/* canonical: the scenario and every key's value, so the run can be repeated */
	json_str(j, "pressure", pressure_format(&o->pressure, pressure_buf, sizeof(pressure_buf)));
	json_u64(j, "seed", o->seed);
	json_bool(j, "slub_debug", o->pt.slub_debug);
	json_bool(j, "slab_merge", o->pt.slab_merge);
	json_u64(j, "shared_objects", o->pt.shared_objects);
	json_bool(j, "kmalloc_dma32_fix", o->pt.kmalloc_dma32_fix);
	json_u64(j, "genalloc_pool_bytes", o->pt.genalloc_pool_bytes ? o->pt.genalloc_pool_bytes : 4 * MIB_BYTES);
	json_u64(j, "fail_rate_pct", o->mm.fail.probability);
	json_u64(j, "fail_interval", o->mm.fail.interval);
	json_bool(j, "check", o->check);
	json_bool(j, "skip_bad", o->skip_bad);
	json_bool(j, "per_domain", o->per_domain);
	json_str(j, "gfp", o->gfp_set ? gfp_format(o->gfp, gfp_buf, sizeof(gfp_buf)) : NULL);
	json_u64(j, "reorder_window_ns", o->reorder_window_ns);
	json_u64(j, "interval_ns", o->interval_ns);
	json_u64(j, "min_free_kbytes", o->mm.min_free_kbytes);
	json_str(j, "watermarks", mm_watermarks_format(&o->mm, wmark_buf, sizeof(wmark_buf)));
	json_object_end(j);
}

static void write_loss(struct json *j, const struct pt_loss *l)
{
	json_object_begin(j, "loss_final");
	json_u64(j, "align_bytes", l->align_bytes);
	json_u64(j, "tail_pad_bytes", l->tail_pad_bytes);
	json_u64(j, "free_slot_bytes", l->free_slot_bytes);
	json_u64(j, "unused_pool_bytes", l->unused_pool_bytes);
	json_u64(j, "stranded_bytes", l->stranded_bytes);
	json_object_end(j);
}

static void write_slots(struct json *j, const char *key, const uint64_t *pages)
{
	json_array_begin(j, key);
	for (unsigned int k = 0; k <= PT_TABLES_PER_PAGE; k++)
		json_u64(j, NULL, pages[k]);
	json_array_end(j);
}

static void write_held(struct json *j, const struct run_summary *s)
{
	json_object_begin(j, "held_blocks_final");
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		json_array_begin(j, zone_name(z));
		for (int o = 0; o < MAX_ORDER; o++)
			json_u64(j, NULL, s->held_blocks_final[z][o]);
		json_array_end(j);
	}
	json_object_end(j);
}

/* Each populated zone: its watermarks and its free pages at peak footprint, lowest, final. */
static void write_zones(struct json *j, const struct run_summary *s)
{
	json_object_begin(j, "zones");
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		const struct zone_summary *zs = &s->zones[z];

		if (!zs->populated)
			continue;
		json_object_begin(j, zone_name(z));
		json_u64(j, "managed_pages", zs->managed_pages);
		json_u64(j, "watermark_min_pages", zs->watermark_pages[WMARK_MIN]);
		json_u64(j, "watermark_low_pages", zs->watermark_pages[WMARK_LOW]);
		json_u64(j, "watermark_high_pages", zs->watermark_pages[WMARK_HIGH]);
		json_u64(j, "watermark_atomic_pages", zs->watermark_atomic_pages);
		json_u64(j, "free_pages_at_peak", zs->free_at_peak_pages);
		json_u64(j, "free_pages_lowest", zs->free_lowest_pages);
		json_u64(j, "free_pages_final", zs->free_final_pages);
		json_object_end(j);
	}
	json_object_end(j);
}

/* What the pressure scenario did; free_pages_* are right after it acted, before each event. */
static void write_pressure(struct json *j, const struct pressure_stats *p)
{
	json_object_begin(j, "pressure");
	json_str(j, "zone", zone_name(p->zone));
	json_u64(j, "target_min_pages", p->target_min_pages);
	json_u64(j, "target_max_pages", p->target_max_pages);
	json_u64(j, "ticks", p->ticks);
	json_u64(j, "free_pages_lowest", p->free_lowest_pages);
	json_u64(j, "free_pages_highest", p->free_highest_pages);
	json_u64(j, "filler_pages", p->filler_pages);
	json_u64(j, "released_pages", p->released_pages);
	json_u64(j, "bursts", p->bursts);
	json_u64(j, "bursts_between_events", p->bursts_between_events);
	json_u64(j, "burst_pages", p->burst_pages);
	json_u64(j, "burst_failed_pages", p->burst_failed_pages);
	json_u64(j, "intervals", p->intervals);
	json_u64(j, "intervals_applied", p->intervals_applied);
	json_u64(j, "recorded_alloc_pages", p->recorded_alloc_pages);
	json_u64(j, "recorded_free_pages", p->recorded_free_pages);
	json_u64(j, "ignored_alloc_pages", p->ignored_alloc_pages);
	json_u64(j, "ignored_free_pages", p->ignored_free_pages);
	json_u64(j, "unknown_zone_rows", p->unknown_zone_rows);
	json_u64(j, "unapplied_alloc_pages", p->unapplied_alloc_pages);
	json_u64(j, "unapplied_free_pages", p->unapplied_free_pages);
	json_u64(j, "unapplied_ticks", p->unapplied_ticks);
	json_object_end(j);
}

static void write_run(struct json *j, const struct replay_opts *o, const struct replay_run *r)
{
	const struct run_summary *s = &r->sum;

	json_object_begin(j, NULL);
	json_str(j, "backend", s->backend);
	json_object_begin(j, "tables");
	json_u64(j, "allocs", s->allocs);
	json_u64(j, "frees", s->frees);
	json_u64(j, "peak_live", s->peak_live);
	json_u64(j, "final_live", s->final_live);
	json_u64(j, "alloc_failures", s->failures);
	json_object_end(j);
	json_object_begin(j, "memory");
	json_u64(j, "peak_footprint_bytes", s->peak_footprint_bytes);
	json_u64(j, "final_footprint_bytes", s->final_footprint_bytes);
	json_u64(j, "peak_live_bytes", s->peak_live_bytes);
	json_u64(j, "mean_waste_bytes", s->mean_waste_bytes);
	json_u64(j, "metadata_bytes", s->metadata_bytes);
	json_u64(j, "lower_bound_bytes", s->lower_bound_bytes);
	json_real(j, "footprint_per_live_at_peak", s->waste_ratio_at_peak_live);
	json_u64(j, "fixed_cost_bytes", r->cfg.fixed_cost_bytes);
	write_loss(j, &s->loss_final);
	write_slots(j, "pages_by_free_slots_at_peak", s->free_slots_peak);
	write_slots(j, "pages_by_free_slots_final", s->free_slots_final);
	write_held(j, s);
	json_object_end(j);
	json_object_begin(j, "reuse");
	json_u64(j, "reused_allocs", s->reused_allocs);
	json_real(j, "reuse_ratio", s->reuse_ratio);
	json_u64(j, "stranded_bytes_peak", s->stranded_bytes_peak);
	json_u64(j, "stranded_bytes_final", s->stranded_bytes_final);
	json_object_end(j);
	json_object_begin(j, "atomic");
	json_u64(j, "attempts", s->c.atomic_attempts);
	json_u64(j, "failures", s->c.atomic_failures);
	json_real(j, "failure_rate", s->atomic_failure_rate);
	json_object_end(j);
	json_u64(j, "map_failures", s->c.map_failures);
	json_u64(j, "fallbacks", s->fallbacks);
	json_object_begin(j, "violations");
	json_u64(j, "above_4g", s->above_4g);
	json_u64(j, "misaligned", s->misaligned);
	json_u64(j, "overlap", s->overlap);
	json_u64(j, "translation_faults", s->c.translation_faults);
	json_u64(j, "split_refill_faults", s->c.split_refill_faults);
	json_u64(j, "rejected_above_4g", s->c.rejected_above_4g);
	json_u64(j, "l1_above_4g", s->c.l1_above_4g);
	json_object_end(j);
	json_object_begin(j, "iommu");
	json_u64(j, "maps", s->c.maps);
	json_u64(j, "unmaps", s->c.unmaps);
	json_u64(j, "map_errors_other", s->c.map_errors_other);
	json_u64(j, "conflicts", s->c.conflicts);
	json_u64(j, "unmap_mismatches", s->c.unmap_mismatches);
	json_u64(j, "late_events", s->c.late_events);
	json_u64(j, "l1_tables", r->l1_tables);
	json_u64(j, "unexpected_gfp_warnings", s->unexpected_gfp_warnings);
	json_object_end(j);
	json_object_begin(j, "mm");
	json_u64(j, "allocs", s->mm.allocs);
	json_u64(j, "alloc_failures", s->mm.alloc_failures);
	json_u64(j, "slowpath", s->mm.slowpath);
	json_u64(j, "kswapd_wakeups", s->mm.kswapd_wakeups);
	json_u64(j, "kswapd_reclaimed_pages", s->mm.kswapd_reclaimed_pages);
	json_u64(j, "direct_reclaims", s->mm.direct_reclaims);
	json_u64(j, "direct_reclaimed_pages", s->mm.direct_reclaimed_pages);
	json_u64(j, "compactions", s->mm.compactions);
	json_u64(j, "fail_injected", s->mm.fail_injected);
	json_u64(j, "highatomic_reserved_blocks", s->mm.highatomic_reserved_blocks);
	json_object_end(j);
	write_zones(j, s);
	write_pressure(j, &r->pressure);
	json_object_begin(j, "backend_cfg");
	json_str(j, "zone", zone_name(r->cfg.zone));
	json_u64(j, "slab_order", r->cfg.slab_order);
	json_u64(j, "slab_objects", r->cfg.slab_objects);
	json_u64(j, "object_bytes", r->cfg.object_bytes);
	json_object_end(j);
	json_object_begin(j, "replay");
	json_u64(j, "events", s->c.events);
	if (o->timing && s->c.events)
		json_real(j, "ns_per_event", (double)r->host_ns / (double)s->c.events);
	else
		json_str(j, "ns_per_event", NULL);
	json_u64(j, "samples", s->nr_samples);
	json_object_end(j);
	json_object_end(j);
}

void replay_write_json(FILE *out, const struct replay_opts *o, const struct replay_trace *t,
		       const struct replay_run *runs)
{
	struct json j;

	json_init(&j, out);
	json_object_begin(&j, NULL);
	write_ptbench(&j);
	write_trace(&j, o, t);
	write_config(&j, o);
	json_array_begin(&j, "runs");
	for (unsigned int i = 0; i < o->nr_backends; i++)
		write_run(&j, o, &runs[i]);
	json_array_end(&j);
	json_object_end(&j);
	json_finish(&j);
}
