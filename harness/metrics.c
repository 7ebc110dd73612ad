// SPDX-License-Identifier: GPL-2.0
/*
 * metrics.c - peaks, time-weighted means and the CSV time series of one run.
 *
 * Sampling: when rows are written and how waste is weighed by time is the
 * clock ptb_oracle.ko shares (sample_clock.h).
 */
#include <string.h>

#include "metrics.h"

static const char csv_header[] =
	"backend,t_ns,events,live_tables,live_bytes,footprint_bytes,metadata_bytes,"
	"waste_bytes,lower_bound_bytes,stranded_bytes,free_below_4g_pages,"
	"atomic_attempts,atomic_failures,map_failures,"
	"pages_0_free_slots,pages_1_free_slot,pages_2_free_slots,pages_3_free_slots,pages_4_free_slots\n";

void metrics_csv_header(FILE *csv)
{
	fputs(csv_header, csv);
}

static uint64_t lower_bound_bytes(uint64_t live_bytes)
{
	return DIV_ROUND_UP(live_bytes, PAGE_SIZE) * PAGE_SIZE;
}

static uint64_t free_below_4g_pages(struct mm *mm)
{
	uint64_t pages = 0;

	for (int z = ZONE_DMA; z <= ZONE_DMA32; z++) {
		struct zone_info zi;

		if (!mm_zone_populated(mm, z))
			continue;
		mm_zone_info(mm, z, &zi);
		pages += zi.free_pages;
	}
	return pages;
}

void metrics_init(struct metrics *m, struct pt_alloc *a, struct mm *mm, const char *backend,
		  uint64_t interval_ns, FILE *csv)
{
	memset(m, 0, sizeof(*m));
	m->a = a;
	m->mm = mm;
	m->backend = backend;
	sample_clock_init(&m->clock, interval_ns);
	m->csv = csv;
	for (int z = 0; z < MAX_NR_ZONES; z++)
		m->zone_free_at_peak_pages[z] = m->zone_free_lowest_pages[z] =
			mm_zone_populated(mm, z) ? mm_zone_free_pages(mm, z) : 0;
}

static void write_row(struct metrics *m, uint64_t t_ns, const struct run_counters *c)
{
	struct pt_alloc_stats st;
	uint64_t live_bytes = m->a->live_tables * PT_TABLE_SIZE;

	/* a row the run produces, written or not: replay.samples does not depend on --csv */
	m->nr_samples++;
	if (!m->csv)
		return;
	pt_alloc_stats(m->a, &st);
	fprintf(m->csv, "%s,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu",
		m->backend, (unsigned long long)t_ns, (unsigned long long)c->events,
		(unsigned long long)m->a->live_tables, (unsigned long long)live_bytes,
		(unsigned long long)st.footprint_bytes, (unsigned long long)st.metadata_bytes,
		(unsigned long long)(st.footprint_bytes > live_bytes ? st.footprint_bytes - live_bytes : 0),
		(unsigned long long)lower_bound_bytes(live_bytes),
		(unsigned long long)st.loss.stranded_bytes,
		(unsigned long long)free_below_4g_pages(m->mm),
		(unsigned long long)c->atomic_attempts, (unsigned long long)c->atomic_failures,
		(unsigned long long)c->map_failures);
	for (unsigned int k = 0; k <= PT_TABLES_PER_PAGE; k++)
		fprintf(m->csv, ",%llu", (unsigned long long)m->a->free_slots_pages[k]);
	fputc('\n', m->csv);
}

/**
 * metrics_tick() - before applying an event at @ts_ns: close the intervals it
 * leaves behind and add the waste held since the last event to the integral.
 */
void metrics_tick(struct metrics *m, uint64_t ts_ns, const struct run_counters *c)
{
	uint64_t row_t_ns;

	if (sample_clock_tick(&m->clock, ts_ns, m->cur_waste_bytes, &row_t_ns))
		write_row(m, row_t_ns, c);
}

void metrics_event(struct metrics *m, uint64_t ts_ns, const struct run_counters *c)
{
	struct pt_alloc_stats st;
	uint64_t live_bytes = m->a->live_tables * PT_TABLE_SIZE;

	(void)ts_ns;
	(void)c;
	pt_alloc_stats(m->a, &st);
	m->cur_waste_bytes = st.footprint_bytes > live_bytes ? st.footprint_bytes - live_bytes : 0;
	for (int z = 0; z < MAX_NR_ZONES; z++)
		m->zone_free_lowest_pages[z] = MIN(m->zone_free_lowest_pages[z],
						   mm_zone_free_pages(m->mm, z));
	if (st.footprint_bytes > m->peak_footprint_bytes) {
		m->peak_footprint_bytes = st.footprint_bytes;
		memcpy(m->free_slots_at_peak, m->a->free_slots_pages, sizeof(m->free_slots_at_peak));
		for (int z = 0; z < MAX_NR_ZONES; z++)
			m->zone_free_at_peak_pages[z] = mm_zone_free_pages(m->mm, z);
	}
	if (live_bytes > m->peak_live_bytes) {
		m->peak_live_bytes = live_bytes;
		m->footprint_at_peak_live = st.footprint_bytes;
	}
	if (st.loss.stranded_bytes > m->peak_stranded_bytes)
		m->peak_stranded_bytes = st.loss.stranded_bytes;
}

void metrics_finish(struct metrics *m, const struct run_counters *c, struct run_summary *out)
{
	struct pt_alloc_stats st;
	struct pt_alloc *a = m->a;
	uint64_t span_ns = sample_clock_span_ns(&m->clock), row_t_ns;

	if (sample_clock_last_row(&m->clock, &row_t_ns))
		write_row(m, row_t_ns, c);
	pt_alloc_stats(a, &st);
	memset(out, 0, sizeof(*out));
	out->backend = m->backend;
	out->allocs = a->allocs;
	out->frees = a->frees;
	out->failures = a->failures;
	out->peak_live = a->peak_live_tables;
	out->final_live = a->live_tables;
	out->peak_footprint_bytes = m->peak_footprint_bytes;
	out->final_footprint_bytes = st.footprint_bytes;
	out->peak_live_bytes = m->peak_live_bytes;
	out->mean_waste_bytes = span_ns ? (uint64_t)(m->clock.waste_byte_ns / span_ns) : m->cur_waste_bytes;
	out->metadata_bytes = st.metadata_bytes;
	out->lower_bound_bytes = lower_bound_bytes(m->peak_live_bytes);
	out->waste_ratio_at_peak_live = m->peak_live_bytes ?
		(double)m->footprint_at_peak_live / (double)m->peak_live_bytes : 0.0;
	out->reused_allocs = a->reused_allocs;
	out->reuse_ratio = a->allocs ? (double)a->reused_allocs / (double)a->allocs : 0.0;
	out->stranded_bytes_peak = m->peak_stranded_bytes;
	out->stranded_bytes_final = st.loss.stranded_bytes;
	out->atomic_failure_rate = c->atomic_attempts ?
		(double)c->atomic_failures / (double)c->atomic_attempts : 0.0;
	out->fallbacks = st.fallbacks;
	out->unexpected_gfp_warnings = st.unexpected_gfp_warnings;
	out->above_4g = a->above_4g;
	out->misaligned = a->misaligned;
	out->overlap = a->overlap;
	memcpy(out->free_slots_peak, m->free_slots_at_peak, sizeof(out->free_slots_peak));
	memcpy(out->free_slots_final, a->free_slots_pages, sizeof(out->free_slots_final));
	out->loss_final = st.loss;
	memcpy(out->held_blocks_final, st.held_pages, sizeof(out->held_blocks_final));
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone_summary *zs = &out->zones[z];
		struct zone_info zi;

		if (!mm_zone_populated(m->mm, z))
			continue;
		mm_zone_info(m->mm, z, &zi);
		zs->populated = true;
		zs->start_pfn = zi.start_pfn;
		zs->spanned_pages = zi.end_pfn - zi.start_pfn;
		zs->present_pages = zi.present_pages;
		zs->managed_pages = zi.managed_pages;
		memcpy(zs->watermark_pages, zi.watermark, sizeof(zs->watermark_pages));
		zs->watermark_atomic_pages = wmark_gfp_atomic(mm_kernel(m->mm), zi.watermark[WMARK_MIN]);
		zs->free_at_peak_pages = m->zone_free_at_peak_pages[z];
		zs->free_lowest_pages = m->zone_free_lowest_pages[z];
		zs->free_final_pages = zi.free_pages;
	}
	out->c = *c;
	mm_get_stats(m->mm, &out->mm);
	out->nr_samples = m->nr_samples;
}
