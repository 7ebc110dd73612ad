/* SPDX-License-Identifier: GPL-2.0 */
/*
 * replay.h - replay one trace through v7s -> backend -> simulated machine.
 *
 * Types:
 *   struct replay_opts   everything a run depends on (the JSON "config").
 *   struct replay_trace  what the trace was (the JSON "trace").
 *   struct replay_run    one backend's result (a JSON "runs" entry).
 * Each backend replays on a fresh, identical machine built from the same
 * options and seed, so the runs differ only by the backend.
 */
#ifndef PTB_REPLAY_H
#define PTB_REPLAY_H

#include <stdio.h>

#include "metrics.h"
#include "pressure.h"
#include "pt_alloc.h"

struct replay_opts {
	const char *trace_path;
	const struct pt_backend *backends[PT_BACKEND_NR];
	unsigned int nr_backends;
	const char *memory_arg;		/* as given, for the JSON */
	struct mm_cfg mm;		/* layout, kernel, CPUs, fail_page_alloc, seed */
	struct pt_cfg pt;		/* slub_debug, slab_merge, shared objects, ... */
	struct pressure_cfg pressure;	/* --pressure: others' use of the machine */
	uint64_t seed;
	bool check;			/* walk every live mapping after each event */
	bool skip_bad;			/* count and skip malformed lines */
	bool strict;			/* no iommu event, or a backend failing every map, is an error */
	bool per_domain;		/* one page table per trace domain id (default) */
	bool timing;			/* put host ns/event in the JSON (not deterministic) */
	bool gfp_set;			/* --gfp: L2 gfp for events that carry none */
	gfp_t gfp;
	uint64_t reorder_window_ns;	/* events may arrive this much out of order */
	uint64_t interval_ns;		/* CSV sample interval */
	const char *json_path;		/* NULL: none; "-": stdout */
	const char *csv_path;
	FILE *csv;			/* the open CSV stream, NULL for none */
	const char *l2_log_path;	/* --l2-log FILE */
	FILE *l2_log;			/* --l2-log: every L2 alloc/fail/free, NULL for none */
};

struct replay_trace {
	char sha256[65];
	const char *format;
	uint64_t events, maps, unmaps, skipped, other_events;
	uint64_t domains;		/* distinct domain ids seen */
};

struct replay_run {
	struct run_summary sum;
	struct pt_cfg cfg;		/* what the backend really provided */
	uint64_t l1_tables;
	uint64_t host_ns;		/* host time of the replay loop */
	struct pressure_stats pressure;	/* what the pressure scenario did */
};

void replay_opts_default(struct replay_opts *o);
/* After the options are set: derive what follows from them (backend cfg, seeds). */
void replay_opts_finish(struct replay_opts *o);
/**
 * replay_run_all() - replay @o->trace_path through every backend of @o.
 * @runs: o->nr_backends entries, filled in order.
 * Returns 0, or 1 after one line "ptbench: FILE:LINE: reason" on stderr.
 */
int replay_run_all(const struct replay_opts *o, struct replay_trace *t, struct replay_run *runs);
/**
 * replay_trace_load() - read @o->trace_path and put its events in replay
 * order, exactly as replay_run_all() replays them (ptbench oracle hands this
 * order to the kernel).  *@ev is the caller's to free.
 * Returns 0, or 1 after one line "ptbench: FILE:LINE: reason" on stderr.
 */
struct trace_event;
int replay_trace_load(const struct replay_opts *o, struct replay_trace *t,
		      struct trace_event **ev, uint64_t *nr, uint64_t *late);
/* The whole result document (architecture.md's keys), deterministic unless o->timing. */
void replay_write_json(FILE *out, const struct replay_opts *o, const struct replay_trace *t,
		       const struct replay_run *runs);

#endif /* PTB_REPLAY_H */
