// SPDX-License-Identifier: GPL-2.0
/*
 * result.c - the replay's JSON document.
 *
 * The keys docs/schema.md lists are a contract (scripts and checks read
 * them): they are written here exactly, in that order, and new keys are only
 * ever added.  Everything but "replay.ns_per_event" is a function of the
 * trace, the seed and the options; host timing is written only with
 * --timing, so two runs give the same bytes.
 *
 * One writer for both engines: the model's replay and the kernel's
 * (ptbench oracle) give the same keys; what a run did not measure
 * (replay_run.measured) is written null, never left out, never guessed.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>

#include "json.h"
#include "replay.h"
#include "version.h"

const char *const run_guest_pressure_keys[RUN_GUEST_PRESSURE_NR] = {
	"burst_other_zone", "borrowed_pages", "kswapd_wakeups", "kswapd_reclaimed_pages",
	"watermark_boost_max_pages", "boosted_ticks", "guest_kswapd_runs", "vmstat_drift_max_pages",
	"blocks_above_order", "refragmented_blocks", "highatomic_pages_at_start",
};

/* @v, or null when @known is false. */
static void put_u64(struct json *j, const char *key, uint64_t v, bool known)
{
	if (known)
		json_u64(j, key, v);
	else
		json_str(j, key, NULL);
}

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
	json_u64(j, "lost_events", t->lost_events);
	json_u64(j, "converted_skipped", t->converted_skipped);
	json_u64(j, "cpus_folded_events", t->cpus_folded_events);
	json_u64(j, "domains", t->domains);
	json_object_end(j);
}

static void write_machine_zones(struct json *j, const struct run_summary *s)
{
	json_array_begin(j, "zones");
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		const struct zone_summary *zs = &s->zones[z];

		if (!zs->populated)
			continue;
		json_object_begin(j, NULL);
		json_str(j, "name", zone_name(z));
		json_u64(j, "start_pfn", zs->start_pfn);
		json_u64(j, "spanned_pages", zs->spanned_pages);
		json_u64(j, "present_pages", zs->present_pages);
		json_u64(j, "managed_pages", zs->managed_pages);
		json_u64(j, "min_pages", zs->watermark_pages[WMARK_MIN]);
		json_u64(j, "low_pages", zs->watermark_pages[WMARK_LOW]);
		json_u64(j, "high_pages", zs->watermark_pages[WMARK_HIGH]);
		json_object_end(j);
	}
	json_array_end(j);
}

static void write_config(struct json *j, const struct replay_opts *o, const struct replay_run *runs)
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
	json_u64(j, "genalloc_grow_chunk_bytes", o->pt.genalloc_grow_chunk_bytes ?
		 o->pt.genalloc_grow_chunk_bytes : PT_GROW_CHUNK_BYTES_DEFAULT);
	json_u64(j, "reserve_objects", o->pt.reserve_objects ? o->pt.reserve_objects :
		 PT_RESERVE_OBJECTS_DEFAULT);
	json_str(j, "pt_frag_scope", o->pt.pt_frag_global ? "global" : "domain");
	json_u64(j, "ias", o->ias ? o->ias : 32);
	json_bool(j, "ttbr_ext", o->pt.ttbr_ext);
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
	json_str(j, "engine", o->engine);
	json_str(j, "guest_kernel", o->guest_kernel);
	write_machine_zones(j, &runs[0].sum);
	json_object_end(j);
}

static void write_loss(struct json *j, const struct pt_loss *l, bool known)
{
	json_object_begin(j, "loss_final");
	put_u64(j, "align_bytes", l->align_bytes, known);
	put_u64(j, "tail_pad_bytes", l->tail_pad_bytes, known);
	put_u64(j, "free_slot_bytes", l->free_slot_bytes, known);
	put_u64(j, "unused_pool_bytes", l->unused_pool_bytes, known);
	put_u64(j, "stranded_bytes", l->stranded_bytes, known);
	json_object_end(j);
}

static void write_slots(struct json *j, const char *key, const uint64_t *pages, bool known)
{
	if (!known) {
		json_str(j, key, NULL);
		return;
	}
	json_array_begin(j, key);
	for (unsigned int k = 0; k <= PT_TABLES_PER_PAGE; k++)
		json_u64(j, NULL, pages[k]);
	json_array_end(j);
}

static void write_held(struct json *j, const struct run_summary *s, bool known)
{
	json_object_begin(j, "held_blocks_final");
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		if (!known) {
			json_str(j, zone_name(z), NULL);
			continue;
		}
		json_array_begin(j, zone_name(z));
		for (int o = 0; o < MAX_ORDER; o++)
			json_u64(j, NULL, s->held_blocks_final[z][o]);
		json_array_end(j);
	}
	json_object_end(j);
}

/* Each populated zone: its watermarks and its free pages at peak footprint, lowest, final. */
static void write_zones(struct json *j, const struct run_summary *s, bool free_known)
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
		put_u64(j, "free_pages_at_peak", zs->free_at_peak_pages, free_known);
		put_u64(j, "free_pages_lowest", zs->free_lowest_pages, free_known);
		put_u64(j, "free_pages_final", zs->free_final_pages, free_known);
		json_object_end(j);
	}
	json_object_end(j);
}

/*
 * What the pressure scenario did; free_pages_* are right after it acted,
 * before each event.  The recording's counts are the model's trace
 * scenario's; the last keys only the guest shows.
 */
static void write_pressure(struct json *j, const struct replay_run *r)
{
	const struct pressure_stats *p = &r->pressure;
	bool rec = r->measured & RUN_M_RECORDING, guest = r->measured & RUN_M_GUEST;

	json_object_begin(j, "pressure");
	json_str(j, "zone", r->measured & RUN_M_PRESSURE_ZONE ? zone_name(p->zone) : NULL);
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
	put_u64(j, "intervals", p->intervals, rec);
	put_u64(j, "intervals_applied", p->intervals_applied, rec);
	put_u64(j, "recorded_alloc_pages", p->recorded_alloc_pages, rec);
	put_u64(j, "recorded_free_pages", p->recorded_free_pages, rec);
	put_u64(j, "ignored_alloc_pages", p->ignored_alloc_pages, rec);
	put_u64(j, "ignored_free_pages", p->ignored_free_pages, rec);
	put_u64(j, "unknown_zone_rows", p->unknown_zone_rows, rec);
	put_u64(j, "unapplied_alloc_pages", p->unapplied_alloc_pages, rec);
	put_u64(j, "unapplied_free_pages", p->unapplied_free_pages, rec);
	put_u64(j, "unapplied_ticks", p->unapplied_ticks, rec);
	for (unsigned int k = 0; k < RUN_GUEST_PRESSURE_NR; k++)
		put_u64(j, run_guest_pressure_keys[k], r->guest.pressure[k], guest);
	json_object_end(j);
}

static void write_mm(struct json *j, const struct mm_stats *mm, bool known)
{
	json_object_begin(j, "mm");
	put_u64(j, "allocs", mm->allocs, known);
	put_u64(j, "alloc_failures", mm->alloc_failures, known);
	put_u64(j, "slowpath", mm->slowpath, known);
	put_u64(j, "kswapd_wakeups", mm->kswapd_wakeups, known);
	put_u64(j, "kswapd_reclaimed_pages", mm->kswapd_reclaimed_pages, known);
	put_u64(j, "direct_reclaims", mm->direct_reclaims, known);
	put_u64(j, "direct_reclaimed_pages", mm->direct_reclaimed_pages, known);
	put_u64(j, "compactions", mm->compactions, known);
	put_u64(j, "fail_injected", mm->fail_injected, known);
	put_u64(j, "highatomic_reserved_blocks", mm->highatomic_reserved_blocks, known);
	json_object_end(j);
}

static void write_run(struct json *j, const struct replay_opts *o, const struct replay_run *r)
{
	const struct run_summary *s = &r->sum;
	bool books = r->measured & RUN_M_BACKEND_PAGES, check = r->measured & RUN_M_CHECK;
	bool cfg = r->measured & RUN_M_BACKEND_CFG, guest = r->measured & RUN_M_GUEST;

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
	put_u64(j, "metadata_bytes", s->metadata_bytes, books);
	json_u64(j, "lower_bound_bytes", s->lower_bound_bytes);
	json_real(j, "footprint_per_live_at_peak", s->waste_ratio_at_peak_live);
	put_u64(j, "fixed_cost_bytes", r->cfg.fixed_cost_bytes, books);
	write_loss(j, &s->loss_final, books);
	write_slots(j, "pages_by_free_slots_at_peak", s->free_slots_peak, books);
	write_slots(j, "pages_by_free_slots_final", s->free_slots_final, books);
	write_held(j, s, books);
	json_object_end(j);
	json_object_begin(j, "reuse");
	json_u64(j, "reused_allocs", s->reused_allocs);
	json_real(j, "reuse_ratio", s->reuse_ratio);
	put_u64(j, "stranded_bytes_peak", s->stranded_bytes_peak, books);
	put_u64(j, "stranded_bytes_final", s->stranded_bytes_final, books);
	json_object_end(j);
	json_object_begin(j, "atomic");
	json_u64(j, "attempts", s->c.atomic_attempts);
	json_u64(j, "failures", s->c.atomic_failures);
	json_real(j, "failure_rate", s->atomic_failure_rate);
	json_object_end(j);
	json_u64(j, "map_failures", s->c.map_failures);
	put_u64(j, "fallbacks", s->fallbacks, r->measured & RUN_M_FALLBACKS);
	json_object_begin(j, "violations");
	json_u64(j, "above_4g", s->above_4g);
	json_u64(j, "misaligned", s->misaligned);
	put_u64(j, "overlap", s->overlap, check);
	put_u64(j, "translation_faults", s->c.translation_faults, check);
	put_u64(j, "split_refill_faults", s->c.split_refill_faults, check);
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
	write_mm(j, &s->mm, r->measured & RUN_M_MM);
	write_zones(j, s, r->measured & RUN_M_ZONE_FREE);
	write_pressure(j, r);
	json_object_begin(j, "backend_cfg");
	json_str(j, "zone", cfg ? zone_name(r->cfg.zone) : NULL);
	put_u64(j, "slab_order", r->cfg.slab_order, r->measured & RUN_M_SLAB);
	put_u64(j, "slab_objects", r->cfg.slab_objects, r->measured & RUN_M_SLAB);
	put_u64(j, "object_bytes", r->cfg.object_bytes, cfg);
	json_object_end(j);
	json_object_begin(j, "replay");
	json_u64(j, "events", s->c.events);
	if (o->timing && s->c.events)
		json_real(j, "ns_per_event", (double)r->host_ns / (double)s->c.events);
	else
		json_str(j, "ns_per_event", NULL);
	json_u64(j, "samples", s->nr_samples);
	json_object_end(j);
	json_object_begin(j, "teardown");
	if (guest)
		json_bool(j, "ok", r->guest.teardown_ok);
	else
		json_str(j, "ok", NULL);
	put_u64(j, "free_pages_before", r->guest.free_pages_before, guest);
	put_u64(j, "free_pages_after", r->guest.free_pages_after, guest);
	json_object_end(j);
	json_object_end(j);
}

void replay_write_json(FILE *out, const struct replay_opts *o, const struct replay_trace *t,
		       const struct replay_run *runs)
{
	struct json j;

	json_init(&j, out);
	json_object_begin(&j, NULL);
	json_u64(&j, "schema", PTBENCH_JSON_SCHEMA);
	write_ptbench(&j);
	write_trace(&j, o, t);
	write_config(&j, o, runs);
	json_array_begin(&j, "runs");
	for (unsigned int i = 0; i < o->nr_backends; i++)
		write_run(&j, o, &runs[i]);
	json_array_end(&j);
	json_object_end(&j);
	json_finish(&j);
}
