// SPDX-License-Identifier: GPL-2.0
/*
 * replay_options.c - `ptbench replay`'s options as descriptors (options.h),
 * each writing into struct replay_opts.  `ptbench oracle` lists the ones it
 * shares (replay.h), so a value means the same to both commands.
 */
#include <stddef.h>
#include <string.h>

#include "cli.h"
#include "replay.h"

#define RO(field) OPT_BASE_REPLAY, offsetof(struct replay_opts, field)

static int parse_backends(void *base, const char *list)
{
	struct replay_opts *o = base;
	char buf[256];
	char *save = NULL, *name;

	o->nr_backends = 0;
	o->backends_all = !strcmp(list, "all");
	if (o->backends_all) {
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

static int parse_memory(void *base, const char *val)
{
	struct replay_opts *o = base;
	char err[256];

	if (memory_layout_parse(val, &o->mm.layout, err, sizeof(err)))
		return cli_error("--memory: %s", err);
	o->memory_arg = val;
	return 0;
}

static int parse_kernel(void *base, const char *val)
{
	struct replay_opts *o = base;

	if (kver_parse(val, &o->mm.kernel))
		return cli_error("--kernel: '%s' is not one of 4.19, 5.4, 5.10, 6.1, 6.12, 6.13, 7.2", val);
	return 0;
}

static int parse_gfp(void *base, const char *val)
{
	struct replay_opts *o = base;

	if (gfp_parse(val, &o->gfp))
		return cli_error("--gfp: cannot parse '%s' (e.g. GFP_ATOMIC or GFP_KERNEL|__GFP_NOWARN)", val);
	o->gfp_set = true;
	return 0;
}

static int parse_pressure(void *base, const char *val)
{
	struct replay_opts *o = base;
	char err[256];

	if (pressure_parse(val, &o->pressure, err, sizeof(err)))
		return cli_error("--pressure: %s", err);
	return 0;
}

static int parse_watermarks(void *base, const char *val)
{
	struct replay_opts *o = base;
	char err[256];

	if (mm_watermarks_parse(val, &o->mm, err, sizeof(err)))
		return cli_error("--watermarks: %s", err);
	return 0;
}

static int parse_ias(void *base, const char *val)
{
	struct replay_opts *o = base;

	if (strcmp(val, "32") && strcmp(val, "34"))
		return cli_error("--ias: '%s' is not 32 or 34", val);
	o->ias = !strcmp(val, "34") ? 34 : 32;
	return 0;
}

static int parse_pt_frag_scope(void *base, const char *val)
{
	struct replay_opts *o = base;

	if (strcmp(val, "domain") && strcmp(val, "global"))
		return cli_error("--pt-frag-scope: '%s' is not domain or global", val);
	o->pt.pt_frag_global = !strcmp(val, "global");
	return 0;
}

/* ---- shared with ptbench oracle ---- */

const struct opt replay_opt_backend = {
	"backend", "NAME[,NAME...]|all", OPT_FN, RO(backends), .parse = parse_backends,
	.help = "backends to compare (default all; see list backends)",
};
const struct opt replay_opt_json = {
	"json", "FILE|-", OPT_STR, RO(json_path), .help = "write the JSON summary (- = stdout)",
};
const struct opt replay_opt_csv = {
	"csv", "FILE|-", OPT_STR, RO(csv_path),
	.help = "write the time series: per backend, one row per interval\n"
		"that has events (nothing changes in the others); with -\n"
		"(stdout) no summary table, as with --json -",
};
const struct opt replay_opt_interval_ns = {
	"interval-ns", "N", OPT_U64, RO(interval_ns), .min = 1,
	.help = "CSV sample interval in trace time (default 1000000000)",
};
const struct opt replay_opt_timing = {
	"timing", NULL, OPT_SET, RO(timing), .help = "add host ns/event to the JSON (not deterministic)",
};
const struct opt replay_opt_l2_log = {
	"l2-log", "FILE", OPT_STR, RO(l2_log_path),
	.help = "every L2 table op, one line each: BACKEND EVENT\n"
		"alloc|fail|free SLOT CPU (the oracle compares them)",
};
const struct opt replay_opt_seed = {
	"seed", "N", OPT_U64, RO(seed), .help = "seed for everything random (default 1)",
};
const struct opt replay_opt_pressure = {
	"pressure", "NAME[:KEY=VALUE,...]", OPT_FN, RO(pressure), .parse = parse_pressure,
	.help = "others' use of memory while the trace replays\n"
		"(default none; scenarios and keys below); trace:FILE\n"
		"replays the device's own, a ptrec --kmem CSV of this trace",
};
const struct opt replay_opt_reorder_window_ns = {
	"reorder-window-ns", "N", OPT_U64, RO(reorder_window_ns),
	.help = "events up to N ns out of order are sorted (default 1000000); the\n"
		"replay holds only the events of this window in memory",
};
const struct opt replay_opt_single_domain = {
	"single-domain", NULL, OPT_CLEAR, RO(per_domain),
	.help = "one page table even if the trace has domain ids",
};

/* ---- replay's own ---- */

static const struct opt opt_memory = {
	"memory", "SPEC", OPT_FN, RO(mm.layout), .parse = parse_memory,
	.help = "layout name[:overrides] or free form (default mt8173-4g;\nsee list -v memories)",
};
static const struct opt opt_kernel = {
	"kernel", "4.19|5.4|5.10|6.1|6.12|6.13|7.2", OPT_FN, RO(mm.kernel), .parse = parse_kernel,
	.help = "version rules (default 4.19)",
};
/* mtk_iommu_domain_finalise (6.1+): .ias = IOVA_34_EN ? 34 : 32 */
static const struct opt opt_ias = {
	"ias", "32|34", OPT_FN, RO(ias), .parse = parse_ias,
	.help = "IOVA bits of the page table (default 32); 34 is\n"
		"mtk_iommu's IOVA_34_EN (MT8186/8192/8195/8188): a 64 KiB\n"
		"L1 of 16384 entries, IOVAs up to 16 GiB, PA bits 32..34\n"
		"in the PTEs (oas 35); --kernel 6.1 or later",
};
/* mtk_iommu_domain_finalise (6.1+): PGTABLE_PA_35_EN sets the quirk */
static const struct opt opt_ttbr_ext = {
	"ttbr-ext", NULL, OPT_SET, RO(pt.ttbr_ext),
	.help = "IO_PGTABLE_QUIRK_ARM_MTK_TTBR_EXT (PGTABLE_PA_35_EN:\n"
		"MT6779, MT8188): the L1 from GFP_KERNEL, slab-dma32's\n"
		"cache without SLAB_CACHE_DMA32, tables refused only at\n"
		"or above 32 GiB (oas 35); --kernel 6.1 or later",
};
static const struct opt opt_cpus = {
	"cpus", "N", OPT_UINT, RO(mm.nr_cpus), .min = 1, .max = MM_MAX_CPUS,
	.help = "CPUs: per-CPU lists and SLUB (default 4)",
};
static const struct opt opt_min_free_kbytes = {
	"min-free-kbytes", "N", OPT_UINT, RO(mm.min_free_kbytes),
	.help = "override the computed min_free_kbytes",
};
static const struct opt opt_watermarks = {
	"watermarks", "ZONE=MIN:LOW:HIGH[,...]", OPT_FN, RO(mm), .parse = parse_watermarks,
	.help = "a zone's watermarks in pages instead of\ncomputed ones, e.g. a real kernel's (/proc/zoneinfo)",
};
static const struct opt opt_fail_rate = {
	"fail-rate", "PCT", OPT_UINT, RO(mm.fail.probability), .max = 100,
	.help = "fail_page_alloc probability in percent (default 0)",
};
static const struct opt opt_fail_interval = {
	"fail-interval", "N", OPT_ULONG, RO(mm.fail.interval),
	.help = "fail_page_alloc interval (default 1; 0 is 1)",
};
static const struct opt opt_fail_min_order = {
	"fail-min-order", "N", OPT_UINT, RO(mm.fail.min_order), .max = MAX_ORDER - 1,
	.help = "orders below N are never failed (kernel default 1)",
};
static const struct opt opt_slub_debug = {
	"slub-debug", NULL, OPT_SET, RO(pt.slub_debug), .help = "slub_debug=FZPU on the slab caches",
};
static const struct opt opt_slab_merge = {
	"slab-merge", NULL, OPT_SET, RO(pt.slab_merge),
	.help = "the v7s cache merged with a same-flags cache others use",
};
static const struct opt opt_shared_objects = {
	"shared-objects", "N", OPT_UINT, RO(pt.shared_objects),
	.help = "others' objects in a merged cache or kmalloc-1k",
};
static const struct opt opt_kmalloc_dma32_fix = {
	"kmalloc-dma32-fix", NULL, OPT_SET, RO(pt.kmalloc_dma32_fix),
	.help = "kzalloc-dma32: model a DMA32 kmalloc cache array",
};
static const struct opt opt_genalloc_pool = {
	"genalloc-pool", "BYTES", OPT_U64, RO(pt.genalloc_pool_bytes), .min = 1, .unit = OPT_UNIT_BYTES,
	.help = "genalloc-4m pool size (power of two, default 4M)",
};
const struct opt replay_opt_genalloc_grow_chunk = {
	"genalloc-grow-chunk", "BYTES", OPT_U64, RO(pt.genalloc_grow_chunk_bytes), .min = 1,
	.unit = OPT_UNIT_BYTES,
	.help = "genalloc-grow's chunk (power of two, default 32K:\nPAGE_ALLOC_COSTLY_ORDER)",
};
const struct opt replay_opt_reserve_objects = {
	"reserve-objects", "N", OPT_UINT, RO(pt.reserve_objects), .min = 1,
	.max = PT_RESERVE_OBJECTS_MAX,
	.help = "slab-dma32-reserve: mempool_create_slab_pool's\nmin_nr (default 32)",
};
const struct opt replay_opt_pt_frag_scope = {
	"pt-frag-scope", "domain|global", OPT_FN, RO(pt), .parse = parse_pt_frag_scope,
	.help = "pt-frag: a pool of partial pages per page table\n(domain, default: s390's per-mm list) or one for all",
};
static const struct opt opt_gfp = {
	"gfp", "FLAGS", OPT_FN, RO(gfp), .parse = parse_gfp,
	.help = "L2 gfp for events that carry none, kernels >= 5.9\n(default GFP_ATOMIC, what dma-iommu passes)",
};
static const struct opt opt_skip_bad = {
	"skip-bad", NULL, OPT_SET, RO(skip_bad), .help = "count and skip malformed lines instead of stopping",
};
/* replay's only: the oracle boots its guest for the trace (no model run to find every map failed) */
static const struct opt opt_strict = {
	"strict", NULL, OPT_SET, RO(strict),
	.help = "exit 1 on a trace with no iommu map/unmap event, an ftrace\n"
		"file with fewer entries than its header counts, events the\n"
		"tracer lost, or a backend that failed every map (else a\n"
		"warning on stderr); known at the end of the stream: after\n"
		"the replay, before any output is written",
};
static const struct opt opt_check = {
	"check", NULL, OPT_SET, RO(check), .help = "walk every live mapping after each event",
};

static const struct opt_use replay_table[] = {
	{ NULL, "Backends and output:" },
	{ &replay_opt_backend, NULL },
	{ &replay_opt_json, NULL },
	{ &replay_opt_csv, NULL },
	{ &replay_opt_interval_ns, NULL },
	{ &replay_opt_timing, NULL },
	{ &replay_opt_l2_log, NULL },
	{ NULL, "Machine:" },
	{ &opt_memory, NULL },
	{ &opt_kernel, NULL },
	{ &opt_ias, NULL },
	{ &opt_ttbr_ext, NULL },
	{ &opt_cpus, NULL },
	{ &opt_min_free_kbytes, NULL },
	{ &opt_watermarks, NULL },
	{ &replay_opt_seed, NULL },
	{ &opt_fail_rate, NULL },
	{ &opt_fail_interval, NULL },
	{ &opt_fail_min_order, NULL },
	{ &replay_opt_pressure, NULL },
	{ NULL, "Backends' options:" },
	{ &opt_slub_debug, NULL },
	{ &opt_slab_merge, NULL },
	{ &opt_shared_objects, NULL },
	{ &opt_kmalloc_dma32_fix, NULL },
	{ &opt_genalloc_pool, NULL },
	{ &replay_opt_genalloc_grow_chunk, NULL },
	{ &replay_opt_pt_frag_scope, NULL },
	{ &replay_opt_reserve_objects, NULL },
	{ NULL, "Trace:" },
	{ &opt_gfp, NULL },
	{ &replay_opt_reorder_window_ns, NULL },
	{ &replay_opt_single_domain, NULL },
	{ &opt_skip_bad, NULL },
	{ &opt_strict, NULL },
	{ &opt_check, NULL },
};

const struct opt_cmd replay_options = {
	.name = "replay",
	.usage = "usage: ptbench replay [options] TRACE\n"
		 "\n"
		 "Replays an IOMMU map/unmap trace (ftrace text, trace-cmd report or trace.dat,\n"
		 "perf script, .ptb; gzip or not; format detected from the content) through the\n"
		 "v7s page-table model and each chosen backend, each on a fresh identical machine.\n"
		 "TRACE may be a pipe or a FIFO, or - for stdin: it is read once.\n"
		 "\n",
	.tail = "\n"
		"Exit status: 0, or 1 on a bad trace or option (one line on stderr);\n"
		"130 / 143 after SIGINT / SIGTERM, which remove the temporary files.\n"
		"\n"
		"Examples:\n"
		"  ptbench replay --backend all --json - tests/data/small.ftrace\n"
		"  zcat trace.ptb.gz | ptbench replay --backend all --json - -\n"
		"  ptbench replay --backend slab-dma32,page-frag --kernel 6.1 --csv out.csv trace.ptb.gz\n"
		"  ptbench replay --backend slab-dma --check --json r.json trace.dat\n"
		"  ptbench replay --kernel 6.1 --pressure trace:kmem.csv --json r.json iommu.ptb.gz\n",
	.table = replay_table,
	.nr = ARRAY_SIZE(replay_table),
	.operand = "trace",
	.max_operands = 1,
};
