/* SPDX-License-Identifier: GPL-2.0 */
/*
 * replay.h - replay one trace through v7s -> backend -> simulated machine.
 *
 * Types:
 *   struct replay_opts   everything a run depends on (the JSON "config").
 *   struct replay_trace  what the trace was (the JSON "trace").
 *   struct replay_run    one backend's result (a JSON "runs" entry), from the
 *                        model or from the kernel (ptbench oracle), with what
 *                        it measured: every key is written, null where not.
 * Each backend replays on a fresh, identical machine built from the same
 * options and seed, so the runs differ only by the backend.
 */
#ifndef PTB_REPLAY_H
#define PTB_REPLAY_H

#include <stdio.h>

#include "metrics.h"
#include "options.h"
#include "pressure.h"
#include "pt_alloc.h"

struct replay_opts {
	const char *engine;		/* "model"; ptbench oracle: "kernel-6.1" */
	const char *guest_kernel;	/* the oracle's guest's release; NULL: the model */
	const char *trace_path;
	const struct pt_backend *backends[PT_BACKEND_NR];
	unsigned int nr_backends;
	bool backends_all;		/* --backend all (oracle: all it has) */
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
	unsigned int ias;		/* --ias: 32 or 34 IOVA bits (mtk_iommu IOVA_34_EN) */
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
	uint64_t lost_events;		/* the tracer's count of events it dropped */
	uint64_t converted_skipped;	/* a .ptb: bad lines convert --skip-bad left out */
	uint64_t cpus_folded_events;	/* events on a CPU >= --cpus, replayed on cpu % --cpus */
	uint64_t domains;		/* distinct domain ids seen */
};

/* What a run measured (struct replay_run.measured); the JSON has the rest as null. */
enum run_measured {
	RUN_M_BACKEND_PAGES = 1u << 0,	/* metadata, fixed cost, losses, pages by free slots,
					 * held blocks, stranded bytes: the backend's own books */
	RUN_M_FALLBACKS = 1u << 1,	/* fallbacks to a lower order */
	RUN_M_CHECK = 1u << 2,		/* overlap, translation and split refill faults (the walk) */
	RUN_M_MM = 1u << 3,		/* the machine's counters ("mm") */
	RUN_M_ZONE_FREE = 1u << 4,	/* each zone's free pages at peak, lowest, final */
	RUN_M_BACKEND_CFG = 1u << 5,	/* backend_cfg.zone, object_bytes */
	RUN_M_SLAB = 1u << 6,		/* backend_cfg.slab_order, slab_objects */
	RUN_M_PRESSURE_ZONE = 1u << 7,	/* pressure.zone */
	RUN_M_RECORDING = 1u << 8,	/* pressure: the trace scenario's recording counts */
	RUN_M_GUEST = 1u << 9,		/* teardown and what only the guest shows (run_guest) */
	RUN_M_MODEL = RUN_M_GUEST - 1,	/* everything but the guest's */
};

/* What only the kernel run shows (kmod/oracle_pressure.c, oracle_main.c). */
#define RUN_GUEST_PRESSURE_NR 11
extern const char *const run_guest_pressure_keys[RUN_GUEST_PRESSURE_NR];

struct run_guest {
	bool teardown_ok;		/* the backend gave every page back at rmmod */
	uint64_t free_pages_before, free_pages_after;
	uint64_t pressure[RUN_GUEST_PRESSURE_NR];	/* run_guest_pressure_keys' values */
};

struct replay_run {
	struct run_summary sum;
	struct pt_cfg cfg;		/* what the backend really provided */
	uint64_t l1_tables;
	uint64_t host_ns;		/* host time of the replay loop */
	struct pressure_stats pressure;	/* what the pressure scenario did */
	uint32_t measured;		/* enum run_measured */
	struct run_guest guest;		/* RUN_M_GUEST */
};

/* `ptbench replay`'s command line (replay_options.c): the table, --help. */
extern const struct opt_cmd replay_options;
/* The options `ptbench oracle` shares with replay: the same descriptors. */
extern const struct opt replay_opt_backend, replay_opt_json, replay_opt_csv, replay_opt_interval_ns,
	replay_opt_timing, replay_opt_l2_log, replay_opt_seed, replay_opt_pressure,
	replay_opt_reorder_window_ns, replay_opt_single_domain, replay_opt_pt_frag_scope,
	replay_opt_genalloc_grow_chunk, replay_opt_reserve_objects;

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
/*
 * The whole result document (docs/schema.md), deterministic unless o->timing;
 * the same keys for the model and the kernel run, null where a run's ->measured
 * says it was not measured.  config.zones is the machine's (runs[0]'s) zones.
 */
void replay_write_json(FILE *out, const struct replay_opts *o, const struct replay_trace *t,
		       const struct replay_run *runs);

#endif /* PTB_REPLAY_H */
