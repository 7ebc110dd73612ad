// SPDX-License-Identifier: GPL-2.0
/*
 * replay_cmd.c - `ptbench replay [options] TRACE`: options, output files.
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

static const char replay_usage[] =
	"usage: ptbench replay [options] TRACE\n"
	"\n"
	"Replays an IOMMU map/unmap trace (ftrace text, trace-cmd report or trace.dat,\n"
	"perf script, .ptb; gzip or not; format detected from the content) through the\n"
	"v7s page-table model and each chosen backend, each on a fresh identical machine.\n"
	"\n"
	"Backends and output:\n"
	"  --backend NAME[,NAME...]|all  backends to compare (default all; see list backends)\n"
	"  --json FILE|-           write the JSON summary (- = stdout)\n"
	"  --csv FILE              write the time series: per backend, one row per interval\n"
	"                          that has events (nothing changes in the others)\n"
	"  --interval-ns N         CSV sample interval in trace time (default 1000000000)\n"
	"  --timing                add host ns/event to the JSON (not deterministic)\n"
	"  --l2-log FILE           every L2 table op, one line each: BACKEND EVENT\n"
	"                          alloc|fail|free SLOT CPU (the oracle compares them)\n"
	"Machine:\n"
	"  --memory SPEC           layout name[:overrides] or free form (default mt8173-4g;\n"
	"                          see list -v memories)\n"
	"  --kernel 4.19|5.4|6.1|6.13  version rules (default 4.19)\n"
	"  --cpus N                CPUs: per-CPU lists and SLUB (default 4)\n"
	"  --min-free-kbytes N     override the computed min_free_kbytes\n"
	"  --watermarks ZONE=MIN:LOW:HIGH[,...]  a zone's watermarks in pages instead of\n"
	"                          computed ones, e.g. a real kernel's (/proc/zoneinfo)\n"
	"  --seed N                seed for everything random (default 1)\n"
	"  --fail-rate PCT         fail_page_alloc probability in percent (default 0)\n"
	"  --fail-interval N       fail_page_alloc interval (default 1)\n"
	"  --fail-min-order N      orders below N are never failed (kernel default 1)\n"
	"  --pressure NAME[:KEY=VALUE,...]  others' use of memory while the trace replays\n"
	"                          (default none; scenarios and keys below); trace:FILE\n"
	"                          replays the device's own, a ptrec --kmem CSV of this trace\n"
	"Backends' options:\n"
	"  --slub-debug            slub_debug=FZPU on the slab caches\n"
	"  --slab-merge            the v7s cache merged with a same-flags cache others use\n"
	"  --shared-objects N      others' objects in a merged cache or kmalloc-1k\n"
	"  --kmalloc-dma32-fix     kzalloc-dma32: model a DMA32 kmalloc cache array\n"
	"  --genalloc-pool BYTES   genalloc-4m pool size (power of two, default 4194304)\n"
	"Trace:\n"
	"  --gfp FLAGS             L2 gfp for events that carry none, kernels >= 5.9\n"
	"                          (default GFP_ATOMIC, what dma-iommu passes)\n"
	"  --reorder-window-ns N   events up to N ns out of order are sorted (default 1000000)\n"
	"  --single-domain         one page table even if the trace has domain ids\n"
	"  --skip-bad              count and skip malformed lines instead of stopping\n"
	"  --strict                exit 1 on a trace with no iommu map/unmap event, an ftrace\n"
	"                          file with fewer entries than its header counts, or a\n"
	"                          backend that failed every map (else a warning on stderr)\n"
	"  --check                 walk every live mapping after each event\n"
	"\n"
	"Exit status: 0, or 1 on a bad trace or option (one line on stderr);\n"
	"130 / 143 after SIGINT / SIGTERM, which remove the temporary files.\n"
	"\n"
	"Examples:\n"
	"  ptbench replay --backend all --json - tests/data/small.ftrace\n"
	"  ptbench replay --backend slab-dma32,page-frag --kernel 6.1 --csv out.csv trace.ptb.gz\n"
	"  ptbench replay --backend slab-dma --check --json r.json trace.dat\n"
	"  ptbench replay --kernel 6.1 --pressure trace:kmem.csv --json r.json iommu.ptb.gz\n";

static int parse_backends(struct replay_opts *o, const char *list)
{
	char buf[256];
	char *save = NULL, *name;

	o->nr_backends = 0;
	if (!strcmp(list, "all")) {
		for (int id = 0; id < PT_BACKEND_NR; id++)
			o->backends[o->nr_backends++] = pt_backend_get(id);
		return 0;
	}
	if (strlen(list) >= sizeof(buf))
		return cli_error("--backend: list too long");
	strcpy(buf, list);
	for (name = strtok_r(buf, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		const struct pt_backend *b = pt_backend_find(name);

		if (!b)
			return cli_error("--backend: unknown backend '%s' (see ptbench list backends)", name);
		for (unsigned int i = 0; i < o->nr_backends; i++)
			if (o->backends[i] == b)
				return cli_error("--backend: '%s' given twice", name);
		o->backends[o->nr_backends++] = b;
	}
	if (!o->nr_backends)
		return cli_error("--backend: empty list");
	return 0;
}

/* Options that take a value: the value is argv[i + 1]. */
static int parse_valued(struct replay_opts *o, const char *opt, const char *val)
{
	char err[256];
	uint64_t v;

	if (!strcmp(opt, "--backend"))
		return parse_backends(o, val);
	if (!strcmp(opt, "--json")) {
		o->json_path = val;
		return 0;
	}
	if (!strcmp(opt, "--csv")) {
		o->csv_path = val;
		return 0;
	}
	if (!strcmp(opt, "--l2-log")) {
		o->l2_log_path = val;
		return 0;
	}
	if (!strcmp(opt, "--memory")) {
		if (memory_layout_parse(val, &o->mm.layout, err, sizeof(err)))
			return cli_error("--memory: %s", err);
		o->memory_arg = val;
		return 0;
	}
	if (!strcmp(opt, "--kernel")) {
		if (kver_parse(val, &o->mm.kernel))
			return cli_error("--kernel: '%s' is not one of 4.19, 5.4, 6.1, 6.13", val);
		return 0;
	}
	if (!strcmp(opt, "--gfp")) {
		if (gfp_parse(val, &o->gfp))
			return cli_error("--gfp: cannot parse '%s' (e.g. GFP_ATOMIC or GFP_KERNEL|__GFP_NOWARN)", val);
		o->gfp_set = true;
		return 0;
	}
	if (!strcmp(opt, "--pressure")) {
		if (pressure_parse(val, &o->pressure, err, sizeof(err)))
			return cli_error("--pressure: %s", err);
		return 0;
	}
	if (!strcmp(opt, "--watermarks")) {
		if (mm_watermarks_parse(val, &o->mm, err, sizeof(err)))
			return cli_error("--watermarks: %s", err);
		return 0;
	}
	if (cli_parse_u64(opt, val, &v))
		return 1;
	if (!strcmp(opt, "--cpus")) {
		if (v < 1 || v > MM_MAX_CPUS)
			return cli_error("--cpus: %" PRIu64 " is outside 1..%d", v, MM_MAX_CPUS);
		o->mm.nr_cpus = (unsigned int)v;
	} else if (!strcmp(opt, "--seed")) {
		o->seed = v;
	} else if (!strcmp(opt, "--interval-ns")) {
		if (!v)
			return cli_error("--interval-ns: must be at least 1");
		o->interval_ns = v;
	} else if (!strcmp(opt, "--min-free-kbytes")) {
		o->mm.min_free_kbytes = (unsigned int)v;
	} else if (!strcmp(opt, "--fail-rate")) {
		if (v > 100)
			return cli_error("--fail-rate: %" PRIu64 " is not a percentage", v);
		o->mm.fail.probability = (unsigned int)v;
	} else if (!strcmp(opt, "--fail-interval")) {
		o->mm.fail.interval = v ? (unsigned long)v : 1;
	} else if (!strcmp(opt, "--fail-min-order")) {
		if (v >= MAX_ORDER)
			return cli_error("--fail-min-order: %" PRIu64 " is beyond order %d", v, MAX_ORDER - 1);
		o->mm.fail.min_order = (unsigned int)v;
	} else if (!strcmp(opt, "--shared-objects")) {
		o->pt.shared_objects = (unsigned int)v;
	} else if (!strcmp(opt, "--genalloc-pool")) {
		o->pt.genalloc_pool_bytes = v;
	} else if (!strcmp(opt, "--reorder-window-ns")) {
		o->reorder_window_ns = v;
	} else {
		return cli_error("replay: unknown option '%s' (see ptbench replay --help)", opt);
	}
	return 0;
}

static const char *const valued_opts[] = {
	"--backend", "--json", "--csv", "--memory", "--kernel", "--gfp", "--pressure", "--cpus",
	"--seed", "--interval-ns", "--min-free-kbytes", "--watermarks", "--fail-rate", "--fail-interval",
	"--fail-min-order", "--shared-objects", "--genalloc-pool", "--reorder-window-ns",
	"--l2-log",
};

static bool is_valued(const char *opt)
{
	for (size_t i = 0; i < ARRAY_SIZE(valued_opts); i++)
		if (!strcmp(opt, valued_opts[i]))
			return true;
	return false;
}

static int parse_flag(struct replay_opts *o, const char *opt)
{
	if (!strcmp(opt, "--check"))
		o->check = true;
	else if (!strcmp(opt, "--skip-bad"))
		o->skip_bad = true;
	else if (!strcmp(opt, "--strict"))
		o->strict = true;
	else if (!strcmp(opt, "--timing"))
		o->timing = true;
	else if (!strcmp(opt, "--single-domain"))
		o->per_domain = false;
	else if (!strcmp(opt, "--slub-debug"))
		o->pt.slub_debug = true;
	else if (!strcmp(opt, "--slab-merge"))
		o->pt.slab_merge = true;
	else if (!strcmp(opt, "--kmalloc-dma32-fix"))
		o->pt.kmalloc_dma32_fix = true;
	else
		return cli_error("replay: unknown option '%s' (see ptbench replay --help)", opt);
	return 0;
}

static void print_table(const struct replay_opts *o, const struct replay_trace *t,
			const struct replay_run *runs)
{
	printf("trace %s: %s, %" PRIu64 " events (%" PRIu64 " maps, %" PRIu64 " unmaps)\n",
	       o->trace_path, t->format, t->events, t->maps, t->unmaps);
	printf("%-16s %8s %8s %9s %12s %12s %8s %8s %8s %9s\n", "backend", "allocs", "frees",
	       "peak_live", "peak_fp_KiB", "final_fp_KiB", "reused", "mapfail", ">4GiB", "tr_faults");
	for (unsigned int i = 0; i < o->nr_backends; i++) {
		const struct run_summary *s = &runs[i].sum;

		printf("%-16s %8" PRIu64 " %8" PRIu64 " %9" PRIu64 " %12" PRIu64 " %12" PRIu64
		       " %8" PRIu64 " %8" PRIu64 " %8" PRIu64 " %9" PRIu64 "\n",
		       s->backend, s->allocs, s->frees, s->peak_live,
		       (uint64_t)(s->peak_footprint_bytes / KIB_BYTES), (uint64_t)(s->final_footprint_bytes / KIB_BYTES),
		       s->reused_allocs, s->c.map_failures, s->above_4g, s->c.translation_faults);
	}
}

int cmd_replay(int argc, char **argv)
{
	struct replay_opts o;
	struct replay_trace t;
	struct replay_run runs[PT_BACKEND_NR];
	struct out_file csv = { .f = NULL }, json = { .f = NULL }, l2 = { .f = NULL };

	replay_opts_default(&o);
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (cli_is_help(arg)) {
			fputs(replay_usage, stdout);
			fputs("\nPressure scenarios (--pressure NAME:KEY=VALUE,...; defaults shown):\n", stdout);
			pressure_list(stdout, true);
			return 0;
		}
		if (arg[0] != '-' || !strcmp(arg, "-")) {
			if (o.trace_path)
				return cli_error("replay: one trace only ('%s' and '%s')", o.trace_path, arg);
			o.trace_path = arg;
			continue;
		}
		if (is_valued(arg)) {
			if (i + 1 >= argc)
				return cli_error("%s: needs a value", arg);
			if (parse_valued(&o, arg, argv[++i]))
				return 1;
			continue;
		}
		if (parse_flag(&o, arg))
			return 1;
	}
	if (!o.trace_path)
		return cli_error("replay: no trace given (see ptbench replay --help)");
	replay_opts_finish(&o);
	if (o.csv_path && !strcmp(o.csv_path, "-") && o.json_path && !strcmp(o.json_path, "-"))
		return cli_error("--csv and --json cannot both be stdout");
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
	if (!o.json_path || strcmp(o.json_path, "-"))
		print_table(&o, &t, runs);
	return 0;

out_abort:
	out_file_abort(&csv);
	out_file_abort(&json);
	out_file_abort(&l2);
	return 1;
}
