/* SPDX-License-Identifier: GPL-2.0 */
/*
 * oracle_run.h - one replay of ptb_oracle.ko: struct oracle_run, everything
 * "run" builds (oracle_main.c) and "result" prints (oracle_metrics.c).
 *
 * Types:
 *   struct oracle_run       the trace, the backend instance, the domains, the
 *                           counters, samples and L2 op log, the teardown's books.
 *   struct oracle_sample    one row of the time series (harness/metrics.c's CSV).
 *   struct oracle_l2_op     one L2 table alloc, failure or free (--l2-log).
 *   struct oracle_counters  the domains' numbers added up.
 */
#ifndef PTB_ORACLE_RUN_H
#define PTB_ORACLE_RUN_H

#include <linux/completion.h>

#include "iommu.h"
#include "oracle.h"
#include "sample_clock.h"

#define MAX_DOMAINS		64		/* harness/replay.c REPLAY_MAX_DOMAINS */
#define ERR_BYTES		256

struct oracle_sample {
	u64 t_ns, events, live, footprint_bytes, free_below_4g_pages;
	u64 atomic_attempts, atomic_failures, map_failures;
};

struct oracle_l2_op {
	u64 event;
	u16 slot;
	u8 op, cpu;
};

struct oracle_counters {
	u64 events, maps, unmaps, map_failures, map_errors_other, conflicts, unmap_mismatches;
	u64 atomic_attempts, atomic_failures, rejected_above_4g, l1_above_4g;
	u64 l2_allocs, l2_frees, split_blk, split_blk_lost, warnings;
};

/* One replay: everything "run" builds and "result" prints. */
struct oracle_run {
	struct oracle_trace trace;
	struct oracle_alloc alloc;
	struct oracle_alloc end;	/* alloc's counters when the last event was done */
	u32 domain_id[MAX_DOMAINS];
	struct iommu_domain *dom[MAX_DOMAINS];
	unsigned int nr_domains;
	struct oracle_counters c;
	/* sampling: the clock harness/metrics.c runs too (harness/sample_clock.c) */
	struct sample_clock clock;
	u64 held_pages, peak_footprint_bytes, peak_live_bytes, footprint_at_peak_live;
	u64 cur_waste_bytes;
	struct oracle_sample *samples;
	u64 nr_samples, max_samples;
	struct oracle_l2_op *l2;
	u64 nr_l2, l2_dropped, cur_event;
	/* teardown */
	u64 free_pages_before, free_pages_after;
	u64 unexpected_gfp;
	char teardown_err[ERR_BYTES];
	u64 host_ns;
	/* others' use of memory (--pressure): acts before every event, on CPU 0 */
	struct oracle_pressure pressure;
	struct oracle_pressure_stats pressure_stats;
	char err[ERR_BYTES];
	int ret;
	struct completion done;
};

/* The page table ptbench's --kernel 6.1 gives (iommu/v7s_rules.c), every L1 kept. */
void oracle_domain_cfg(struct v7s_cfg *cfg);

/* ---- oracle_metrics.c: sampling as harness/metrics.c, and the result file ---- */

/* Samples a run of @t needs: at most one per event and per @interval_ns of its span. */
u64 oracle_max_samples(const struct oracle_trace *t, u64 interval_ns);
/* Before an event at @ts_ns: the time-weighted waste, a row per interval ended. */
void oracle_run_tick(struct oracle_run *r, u64 ts_ns);
/* After an event: pages held (read from the kernel's books if tables changed), the peaks. */
void oracle_run_after_event(struct oracle_run *r, bool tables_changed);
/* One sample row at @t_ns (the last one at the end of the replay). */
void oracle_run_write_row(struct oracle_run *r, u64 t_ns);
/* The result file of a finished run (ptbench oracle parses it: harness/oracle_cmd.c). */
int oracle_result_show(struct seq_file *m, const struct oracle_run *r);

#endif /* PTB_ORACLE_RUN_H */
