/* SPDX-License-Identifier: GPL-2.0 */
/*
 * oracle.h - `ptbench oracle`'s two halves: the guest run (oracle_guest.c:
 * the trace and module parameters handed to scripts/lab/oracle.sh, qemu,
 * the guest's own checks) and the module's result files (oracle_result.c:
 * read, each turned into a struct replay_run for replay's JSON writer).
 *
 * Types:
 *   struct oracle_opts    the oracle's own options (replay's are in struct replay_opts)
 *   struct oracle_result  one backend's result file, as ptb_oracle.ko wrote it
 * Terms: "work directory" = where the trace goes in and the guest's files
 * come out (DIR/guest/results/BACKEND.result, .bad, .unload).
 */
#ifndef PTB_ORACLE_H
#define PTB_ORACLE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "replay.h"

#define ORACLE_SCRIPT		"scripts/lab/oracle.sh"
#define ORACLE_MAX_KEYS		128
#define ORACLE_SAMPLE_COLS	8	/* t_ns events live footprint free_below_4g attempts failures mapfail */

/*
 * --arch: the guest machine (scripts/lab/oracle.sh -A) and how the JSON names
 * its memory.  Both have DRAM ending at 5 GiB, so the same v7s quirks.
 */
struct oracle_arch {
	const char *name;		/* "x86", "arm64" */
	const char *memory;		/* config.memory */
};

struct oracle_opts {
	const struct oracle_arch *arch;	/* --arch, default x86 */
	enum kver kernel;		/* --kernel: the guest's Debian kernel, 5.10, 6.1, 6.12 or 7.2 */
	const char *ref_l2_log_path;	/* --ref-l2-log: the kernel's own v7s, NULL: not run */
	const char *keep_dir;		/* --keep: the work directory, kept */
	uint64_t timeout_s;		/* the guest's time */
};

struct oracle_result {
	const char *path;		/* for error lines */
	char key[ORACLE_MAX_KEYS][40];	/* "key value" lines */
	uint64_t val[ORACLE_MAX_KEYS];
	unsigned int nr;
	char kernel[64];		/* the guest's release */
	enum kver kver;			/* the rules the module was built with ("kver" line) */
	bool have_kver;
	struct zone_summary zones[MAX_NR_ZONES];	/* the guest's zones and watermarks */
	char pressure_zone[16];		/* the zone pressed on, "none" without a scenario */
	uint64_t (*samples)[ORACLE_SAMPLE_COLS];
	uint64_t nr_samples;
	char missing[48];		/* the first key looked up that the module did not write, or "" */
};

/* ---- oracle_guest.c ---- */

/**
 * oracle_write_ptbs() - the trace in replay order as a plain .ptb at @path,
 * and at @bad_path a copy cut inside its first record (the module must refuse it).
 * Returns 0, or 1 after one line on stderr.
 */
int oracle_write_ptbs(const struct trace_event *ev, uint64_t nr, const char *path, const char *bad_path);
/**
 * oracle_run_guest() - boot the guest on @dir's trace (scripts/lab/oracle.sh)
 * with @ro's backends, interval, domains and pressure as module parameters.
 * Returns 0, or 1 after one line on stderr (the guest run failed).
 */
int oracle_run_guest(const struct oracle_opts *o, const struct replay_opts *ro, const char *dir,
		     uint64_t nr_events);
/**
 * oracle_check_guest() - what the guest itself checked: each backend's
 * teardown gave every page back, and each refused the malformed trace.
 * Returns 0, or 1 after one line on stderr.
 */
int oracle_check_guest(const char *dir, const struct replay_opts *ro, const struct replay_run *runs);

/* ---- oracle_result.c ---- */

/**
 * oracle_result_read() - read a result file the module wrote.  Its L2 op
 * lines go to @l2_log (NULL: dropped) in replay --l2-log's form, as @backend.
 * Returns 0, or 1 after one line "FILE:LINE: reason" (or a file that ends
 * without its "end" line).  oracle_result_free() frees it either way.
 */
int oracle_result_read(const char *path, struct oracle_result *r, FILE *l2_log, const char *backend);
void oracle_result_free(struct oracle_result *r);
/**
 * oracle_result_value() - the value of @key.  A key the module did not
 * write reads 0 and is kept in r->missing: oracle_result_check() then fails.
 */
uint64_t oracle_result_value(struct oracle_result *r, const char *key);
/* Returns 0, or 1 after one line naming the first key the module should have written. */
int oracle_result_check(const struct oracle_result *r);
/**
 * oracle_result_run() - @r as replay's run of @backend: what the kernel run
 * measured, the rest marked unmeasured (null in the JSON).  @late: the trace's
 * late events (the host ordered it, as replay does).
 * Returns 0, or 1 after one line naming a key the module did not write.
 */
int oracle_result_run(struct oracle_result *r, const char *backend, uint64_t late,
		      struct replay_run *run);
/* The kernel's time series, replay --csv's columns. */
void oracle_write_csv(FILE *out, const struct replay_opts *ro, const struct oracle_result *res);
/* The guest's min_free_kbytes (DIR/guest/results/min_free_kbytes).  Returns 0, or 1 after one line. */
int oracle_read_min_free_kbytes(const char *dir, unsigned int *out);

#endif /* PTB_ORACLE_H */
