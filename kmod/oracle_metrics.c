// SPDX-License-Identifier: GPL-2.0
/*
 * oracle_metrics.c - what one replay of ptb_oracle.ko measured: the samples,
 * peaks and time-weighted waste as harness/metrics.c keeps them for the
 * model, and the result file "result" prints (oracle_run.h).
 */
#include <linux/mmzone.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/utsname.h>

#include "oracle_run.h"

static u64 free_below_4g_pages(void)
{
	u64 pages = 0;
	int nid, z;

	for_each_online_node(nid) {
		for (z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &NODE_DATA(nid)->node_zones[z];

			if (populated_zone(zone) && zone_end_pfn(zone) <= PHYS_PFN(SZ_4G))
				pages += zone_page_state(zone, NR_FREE_PAGES);
		}
	}
	return pages;
}

/* ---- sampling: harness/sample_clock.c decides the rows, as in harness/metrics.c ---- */

void oracle_run_write_row(struct oracle_run *r, u64 t_ns)
{
	struct oracle_sample *s;

	if (r->nr_samples == r->max_samples)
		return;		/* cannot happen: max_samples bounds the rows */
	s = &r->samples[r->nr_samples++];
	*s = (struct oracle_sample){
		.t_ns = t_ns, .events = r->c.events, .live = r->alloc.live,
		.footprint_bytes = r->held_pages * PAGE_SIZE,
		.free_below_4g_pages = free_below_4g_pages(),
		.atomic_attempts = r->c.atomic_attempts, .atomic_failures = r->c.atomic_failures,
		.map_failures = r->c.map_failures,
	};
}

void oracle_run_tick(struct oracle_run *r, u64 ts_ns)
{
	u64 row_t_ns;

	if (sample_clock_tick(&r->clock, ts_ns, r->cur_waste_bytes, &row_t_ns))
		oracle_run_write_row(r, row_t_ns);
}

void oracle_run_after_event(struct oracle_run *r, bool tables_changed)
{
	u64 live_bytes = r->alloc.live * SZ_1K, fp;

	if (tables_changed)
		r->held_pages = r->alloc.b->held_pages(&r->alloc);
	fp = r->held_pages * PAGE_SIZE;
	r->cur_waste_bytes = fp > live_bytes ? fp - live_bytes : 0;
	r->peak_footprint_bytes = max(r->peak_footprint_bytes, fp);
	if (live_bytes > r->peak_live_bytes) {
		r->peak_live_bytes = live_bytes;
		r->footprint_at_peak_live = fp;
	}
}

u64 oracle_max_samples(const struct oracle_trace *t, u64 interval_ns)
{
	u64 lo = U64_MAX, hi = 0, i;

	for (i = 0; i < t->nr; i++) {
		lo = min(lo, t->ev[i].ts_ns);
		hi = max(hi, t->ev[i].ts_ns);
	}
	if (!t->nr)
		return 1;
	return min(t->nr, (hi - lo) / interval_ns + 1) + 1;
}

/* ---- the result file ---- */

static void show_zones(struct seq_file *m)
{
	int nid, z;

	for_each_online_node(nid) {
		for (z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &NODE_DATA(nid)->node_zones[z];

			if (!populated_zone(zone))
				continue;
			seq_printf(m, "zone %s start_pfn %lu spanned %lu present %lu managed %lu min %lu low %lu high %lu\n",
				   zone->name, zone->zone_start_pfn, zone->spanned_pages,
				   zone->present_pages, zone_managed_pages(zone),
				   min_wmark_pages(zone), low_wmark_pages(zone), high_wmark_pages(zone));
		}
	}
}

/*
 * "table_zone NAME N": the tables that sat in each populated zone, counted at
 * allocation (oracle_table_alloc): which zone the backend's gfp was served from
 * (on arm64, GFP_DMA32 from ZONE_DMA; kzalloc's from wherever kmalloc-1k's slab is).
 */
static void show_table_zones(struct seq_file *m, const struct oracle_alloc *a)
{
	int z;

	for (z = 0; z < MAX_NR_ZONES; z++) {
		const struct zone *zone = &NODE_DATA(first_online_node)->node_zones[z];

		if (populated_zone((struct zone *)zone))
			seq_printf(m, "table_zone %s %llu\n", zone->name, a->zone_allocs[z]);
	}
}

/* 128 / 64 bits by shift and subtract: the kernel has no __udivti3. */
static u64 div_u128_u64(unsigned __int128 n, u64 d)
{
	unsigned __int128 q = 0, r = 0;
	int bit;

	for (bit = 127; bit >= 0; bit--) {
		r = (r << 1) | ((n >> bit) & 1);
		if (r >= d) {
			r -= d;
			q |= (unsigned __int128)1 << bit;
		}
	}
	return (u64)q;
}

int oracle_result_show(struct seq_file *m, const struct oracle_run *r)
{
	struct v7s_cfg cfg;
	u64 i, span;

	oracle_domain_cfg(&cfg);
	seq_printf(m, "ptb_oracle 1\nbackend %s\nkver %s\nkernel %s\ncpus %u\n", oracle_backend_name(r->end.b),
		   ORACLE_KVER_NAME, init_utsname()->release, num_online_cpus());
	show_zones(m);
	seq_printf(m, "v7s_quirks %u\nv7s_pgsize_bitmap %u\nv7s_l2_caller_gfp %d\nv7s_split %d\n",
		   cfg.quirks, cfg.pgsize_bitmap, cfg.l2_caller_gfp, cfg.split);
	seq_printf(m, "v7s_warn_table_phys %d\nv7s_keep_l1_above_4g %d\n", cfg.warn_table_phys,
		   cfg.keep_l1_above_4g);
	seq_printf(m, "trace_events %llu\n", r->trace.nr);
	seq_printf(m, "slab_order %u\nslab_objects %u\n", r->end.slab_order, r->end.slab_objects);
	seq_printf(m, "allocs %llu\nfrees %llu\nfailures %llu\npeak_live %llu\nfinal_live %llu\n",
		   r->end.allocs, r->end.frees, r->end.failures, r->end.peak_live,
		   r->end.live);
	seq_printf(m, "reused_allocs %llu\nabove_4g %llu\nmisaligned %llu\nuntracked %llu\nfallbacks %llu\n",
		   r->end.reused_allocs, r->end.above_4g, r->end.misaligned, r->end.untracked,
		   r->end.fallbacks);
	show_table_zones(m, &r->end);
	seq_printf(m, "peak_footprint_bytes %llu\nfinal_footprint_bytes %llu\npeak_live_bytes %llu\n",
		   r->peak_footprint_bytes, r->samples && r->nr_samples ?
		   r->samples[r->nr_samples - 1].footprint_bytes : r->held_pages * PAGE_SIZE,
		   r->peak_live_bytes);
	span = sample_clock_span_ns(&r->clock);
	seq_printf(m, "mean_waste_bytes %llu\nfootprint_at_peak_live %llu\n",
		   span ? div_u128_u64(r->clock.waste_byte_ns, span) : r->cur_waste_bytes,
		   r->footprint_at_peak_live);
	seq_printf(m, "events %llu\nmaps %llu\nunmaps %llu\nmap_failures %llu\nmap_errors_other %llu\n",
		   r->c.events, r->c.maps, r->c.unmaps, r->c.map_failures, r->c.map_errors_other);
	seq_printf(m, "conflicts %llu\nunmap_mismatches %llu\natomic_attempts %llu\natomic_failures %llu\n",
		   r->c.conflicts, r->c.unmap_mismatches, r->c.atomic_attempts, r->c.atomic_failures);
	seq_printf(m, "rejected_above_4g %llu\nl1_above_4g %llu\nl1_tables %u\nwarnings %llu\n",
		   r->c.rejected_above_4g, r->c.l1_above_4g, r->nr_domains, r->c.warnings);
	seq_printf(m, "split_blk %llu\nsplit_blk_lost %llu\nunexpected_gfp_warnings %llu\n",
		   r->c.split_blk, r->c.split_blk_lost, r->unexpected_gfp);
	seq_printf(m, "free_pages_before %llu\nfree_pages_after %llu\nteardown %s\nhost_ns %llu\n",
		   r->free_pages_before, r->free_pages_after, r->teardown_err[0] ? "FAILED" : "ok",
		   r->host_ns);
	oracle_pressure_show(m, &r->pressure_stats);
	for (i = 0; i < r->nr_samples; i++) {
		const struct oracle_sample *s = &r->samples[i];

		seq_printf(m, "sample %llu %llu %llu %llu %llu %llu %llu %llu\n", s->t_ns, s->events,
			   s->live, s->footprint_bytes, s->free_below_4g_pages, s->atomic_attempts,
			   s->atomic_failures, s->map_failures);
	}
	seq_printf(m, "l2_ops %llu\nl2_dropped %llu\n", r->nr_l2, r->l2_dropped);
	for (i = 0; i < r->nr_l2; i++)
		seq_printf(m, "l2 %llu %u %u %u\n", r->l2[i].event, r->l2[i].op, r->l2[i].slot,
			   r->l2[i].cpu);
	seq_puts(m, "end\n");
	return 0;
}
