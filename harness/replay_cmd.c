// SPDX-License-Identifier: GPL-2.0
/*
 * replay_cmd.c - `ptbench replay [options] TRACE`: the output files and the
 * summary table (the options: replay_options.c).
 *
 * Output files are written under a temporary name and renamed when
 * complete, so an interrupted run never leaves a half-written JSON or CSV.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "out_file.h"
#include "replay.h"
#include "v7s.h"

static void print_table(const struct replay_opts *o, const struct replay_trace *t,
			const struct replay_run *runs)
{
	printf("trace %s: %s, %" PRIu64 " events (%" PRIu64 " maps, %" PRIu64 " unmaps)\n",
	       o->trace_path, t->format, t->events, t->maps, t->unmaps);
	if (t->lost_events)
		printf("the tracer lost %" PRIu64 " events: the trace is incomplete\n", t->lost_events);
	/* 18: the longest backend name, slab-dma32-reserve */
	printf("%-18s %8s %8s %9s %12s %12s %8s %8s %8s %9s\n", "backend", "allocs", "frees",
	       "peak_live", "peak_fp_KiB", "final_fp_KiB", "reused", "mapfail", ">4GiB", "tr_faults");
	for (unsigned int i = 0; i < o->nr_backends; i++) {
		const struct run_summary *s = &runs[i].sum;

		printf("%-18s %8" PRIu64 " %8" PRIu64 " %9" PRIu64 " %12" PRIu64 " %12" PRIu64
		       " %8" PRIu64 " %8" PRIu64 " %8" PRIu64 " %9" PRIu64 "\n",
		       s->backend, s->allocs, s->frees, s->peak_live,
		       (uint64_t)(s->peak_footprint_bytes / KIB_BYTES), (uint64_t)(s->final_footprint_bytes / KIB_BYTES),
		       s->reused_allocs, s->c.map_failures, s->above_4g, s->c.translation_faults);
	}
}

static bool is_stdout(const char *path)
{
	return path && !strcmp(path, "-");
}

int cmd_replay(int argc, char **argv)
{
	struct replay_opts o;
	struct replay_trace t;
	struct replay_run runs[PT_BACKEND_NR];
	struct out_file csv = { .f = NULL }, json = { .f = NULL }, l2 = { .f = NULL };
	unsigned int nr;
	int ret;

	replay_opts_default(&o);
	ret = opt_parse(&replay_options, argc, argv, (void *[]){ &o, NULL }, &o.trace_path, &nr);
	if (ret == OPT_HELP) {
		fputs("\nPressure scenarios (--pressure NAME:KEY=VALUE,...; defaults shown):\n", stdout);
		pressure_list(stdout, true);
		return 0;
	}
	if (ret)
		return 1;
	if (!o.trace_path)
		return cli_error("replay: no trace given (see ptbench replay --help)");
	replay_opts_finish(&o);
	if ((o.ias == 34 || o.pt.ttbr_ext) && !v7s_rules(o.mm.kernel)->mtk_ext)
		return cli_error("--ias 34 and --ttbr-ext need --kernel 6.1 or later (io-pgtable-arm-v7s.c has neither in %s)",
				 kver_name(o.mm.kernel));
	if (o.csv_path && !strcmp(o.csv_path, "-") && o.json_path && !strcmp(o.json_path, "-"))
		return cli_error("--csv and --json cannot both be stdout");
	if (out_file_not_input(o.json_path, o.trace_path) ||
	    out_file_not_input(o.csv_path, o.trace_path) ||
	    out_file_not_input(o.l2_log_path, o.trace_path))
		return 1;
	if (o.csv_path) {
		if (out_file_open(&csv, o.csv_path))
			return 1;
		o.csv = csv.f;
	}
	if (o.l2_log_path) {
		if (out_file_open(&l2, o.l2_log_path))
			goto out_abort;
		o.l2_log = l2.f;
	}
	if (replay_run_all(&o, &t, runs))
		goto out_abort;
	if (o.csv_path && out_file_commit(&csv))
		goto out_abort;
	if (o.l2_log_path && out_file_commit(&l2))
		goto out_abort;
	if (o.json_path) {
		if (out_file_open(&json, o.json_path))
			goto out_abort;
		replay_write_json(json.f, &o, &t, runs);
		if (out_file_commit(&json))
			goto out_abort;
	}
	/* the table only when stdout carries no data */
	if (!is_stdout(o.json_path) && !is_stdout(o.csv_path) && !is_stdout(o.l2_log_path))
		print_table(&o, &t, runs);
	return 0;

out_abort:
	out_file_abort(&csv);
	out_file_abort(&json);
	out_file_abort(&l2);
	return 1;
}
