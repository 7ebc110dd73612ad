/* SPDX-License-Identifier: GPL-2.0 */
/*
 * metrics.h - the numbers of one replay run (docs/architecture.md, "Metrics"),
 * kept after every event and sampled as a time series.
 *
 * Types:
 *   struct run_counters  what the IOMMU/v7s layer counts (maps, failures, ...)
 *   struct metrics       one run's accumulator: peaks, time integrals, samples
 *   struct run_summary   what goes into the JSON "runs" entry
 * Terms: "live" = bytes of live L2 tables (x 1024); "footprint" = page-allocator
 * memory the backend holds; "waste" = footprint - live; "lower bound" =
 * ceil(live / 4 KiB) pages, what a perfect packer could not beat.
 */
#ifndef PTB_METRICS_H
#define PTB_METRICS_H

#include <stdio.h>

#include "pt_alloc.h"
#include "sample_clock.h"

struct run_counters {
	uint64_t events, maps, unmaps;
	uint64_t map_failures;		/* maps that returned -ENOMEM */
	uint64_t map_errors_other;	/* -EEXIST conflicts, -ERANGE, -EINVAL */
	uint64_t conflicts;		/* -EEXIST: a map over an existing mapping */
	uint64_t unmap_mismatches;	/* model unmapped != what the trace says */
	uint64_t atomic_attempts, atomic_failures;	/* L2 allocations without direct reclaim */
	uint64_t rejected_above_4g;	/* tables __arm_v7s_alloc_table threw back */
	uint64_t l1_above_4g;		/* level-1 tables placed above 4 GiB */
	uint64_t translation_faults;	/* --check: pages that do not translate as mapped */
	uint64_t split_refill_faults;	/* --check: the kernel's own split refill's wrong pages */
	uint64_t late_events;		/* events older than the reorder window allowed */
};

struct metrics {
	struct pt_alloc *a;
	struct mm *mm;
	const char *backend;
	FILE *csv;			/* NULL: no time series */
	struct sample_clock clock;	/* rows and the waste integral (sample_clock.h) */
	/* peaks and integrals */
	uint64_t peak_footprint_bytes, peak_live_bytes, peak_stranded_bytes;
	uint64_t footprint_at_peak_live;
	uint64_t free_slots_at_peak[PT_TABLES_PER_PAGE + 1];
	uint64_t zone_free_at_peak_pages[MAX_NR_ZONES];	/* at peak footprint */
	uint64_t zone_free_lowest_pages[MAX_NR_ZONES];	/* after any event */
	uint64_t cur_waste_bytes;
	uint64_t nr_samples;
};

/* One zone at the end of a run, with its free pages at the instants that matter. */
struct zone_summary {
	bool populated;
	uint64_t start_pfn, spanned_pages, present_pages;
	uint64_t managed_pages;
	uint64_t watermark_pages[NR_WMARK];
	uint64_t watermark_atomic_pages;	/* min as GFP_ATOMIC sees it: wmark_gfp_atomic() */
	uint64_t free_at_peak_pages;	/* when the backend's footprint peaked */
	uint64_t free_lowest_pages;	/* the fewest after any event (or at the start) */
	uint64_t free_final_pages;
};

struct run_summary {
	const char *backend;
	uint64_t allocs, frees, failures, peak_live, final_live;
	uint64_t peak_footprint_bytes, final_footprint_bytes, peak_live_bytes;
	uint64_t mean_waste_bytes, metadata_bytes, lower_bound_bytes;
	double waste_ratio_at_peak_live;	/* footprint / live at peak live */
	uint64_t reused_allocs;
	double reuse_ratio;
	uint64_t stranded_bytes_peak, stranded_bytes_final;
	double atomic_failure_rate;
	uint64_t fallbacks, unexpected_gfp_warnings;
	uint64_t above_4g, misaligned, overlap;
	uint64_t free_slots_peak[PT_TABLES_PER_PAGE + 1];
	uint64_t free_slots_final[PT_TABLES_PER_PAGE + 1];
	struct pt_loss loss_final;
	uint64_t held_blocks_final[MAX_NR_ZONES][MAX_ORDER];
	struct zone_summary zones[MAX_NR_ZONES];
	struct run_counters c;
	struct mm_stats mm;
	uint64_t nr_samples;
	double ns_per_event;		/* host time: NOT deterministic, kept out of the JSON hash */
};

/* The CSV header, one line, the columns metrics_event() writes. */
void metrics_csv_header(FILE *csv);
void metrics_init(struct metrics *m, struct pt_alloc *a, struct mm *mm, const char *backend,
		  uint64_t interval_ns, FILE *csv);
/* Before applying an event at ts_ns: close past sample intervals, integrate waste. */
void metrics_tick(struct metrics *m, uint64_t ts_ns, const struct run_counters *c);
/* After each replayed event (ts in trace time). Never allocates. */
void metrics_event(struct metrics *m, uint64_t ts_ns, const struct run_counters *c);
/* At the end: the last sample and the summary. */
void metrics_finish(struct metrics *m, const struct run_counters *c, struct run_summary *out);

#endif /* PTB_METRICS_H */
