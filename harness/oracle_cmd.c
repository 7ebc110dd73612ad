// SPDX-License-Identifier: GPL-2.0
/*
 * oracle_cmd.c - `ptbench oracle`: the trace through the real 6.1 (or 5.10, 6.12, 7.2) kernel.
 *
 * The trace is read and ordered exactly as `ptbench replay` orders it
 * (replay_trace_load), written as a plain .ptb, and handed to
 * scripts/lab/oracle.sh, which builds ptb_oracle.ko (make kmod) and a lab
 * initramfs and boots Debian's 6.1 kernel (--kernel 5.10: Debian 11's; 6.12:
 * Debian 13's; 7.2: Debian unstable's) on the pc-3g1g machine (qemu
 * pc,max-ram-below-4g=3G -m 4G -smp 2, TCG, slab_nomerge).  In the guest the
 * module replays the trace through the model's own v7s/iommu code with the
 * kernel's real allocators, one backend per insmod, and checks that a
 * malformed trace is refused and that the backend gave every page back.
 * Here: the options (replay's own descriptors where the option is replay's),
 * the work directory, and the order of the steps; the guest run is
 * oracle_guest.c, the result files oracle_result.c.  The JSON is replay's,
 * written by the same writer (result.c), with "engine": "kernel-6.1" (or -5.10, -6.12, -7.2) and the
 * guest's zones and watermarks in "config"; numbers the kernel run does not
 * measure are null, never guessed.
 */
#include <errno.h>
#include <inttypes.h>
#include <spawn.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "oracle.h"
#include "out_file.h"
#include "trace_reader.h"

extern char **environ;


#define OO(field) OPT_BASE_CMD, offsetof(struct oracle_opts, field)

static const struct opt opt_ref_l2_log = {
	"ref-l2-log", "FILE", OPT_STR, OO(ref_l2_log_path),
	.help = "also run the kernel's OWN io-pgtable-arm-v7s.c (Debian's\n"
		"linux-source-6.1, make kmod-ref) through the real iommu\n"
		"core; its L2 ops in the same form, backend \"v7s-ref\"",
};
static const struct opt opt_keep = {
	"keep", "DIR", OPT_STR, OO(keep_dir), .help = "keep the guest's files (console, results) in DIR",
};
static const struct oracle_arch oracle_archs[] = {
	{ "x86", "qemu pc,max-ram-below-4g=3G -m 4G (x86-3g1g)" },
	{ "arm64", "qemu virt -m 4G, DRAM from 0x40000000 (mt8173-4g)" },
};

static int parse_arch(void *base, const char *val)
{
	struct oracle_opts *o = base;

	for (size_t i = 0; i < ARRAY_SIZE(oracle_archs); i++) {
		if (!strcmp(val, oracle_archs[i].name)) {
			o->arch = &oracle_archs[i];
			return 0;
		}
	}
	return cli_error("--arch: '%s' is not x86 or arm64", val);
}

static const struct opt opt_arch = {
	"arch", "x86|arm64", OPT_FN, OPT_BASE_CMD, 0, .parse = parse_arch,
	.help = "the guest: x86 (default, above) or arm64: Debian's arm64\n"
		"6.1 kernel on qemu-system-aarch64 virt -m 4G -smp 2, the\n"
		"MT8173's DRAM (4 GiB from 0x4000_0000: 3 GiB ZONE_DMA,\n"
		"ZONE_DMA32 empty, 1 GiB NORMAL), the module cross-built",
};
/* The guest kernels the lab fetches (scripts/lab/kernel.sh) and the module builds against. */
static int parse_kernel(void *base, const char *val)
{
	struct oracle_opts *o = base;

	if (kver_parse(val, &o->kernel) ||
	    (o->kernel != KVER_5_10 && o->kernel != KVER_6_1 && o->kernel != KVER_6_12 &&
	     o->kernel != KVER_7_2))
		return cli_error("--kernel: '%s' is not 5.10, 6.1, 6.12 or 7.2", val);
	return 0;
}

static const struct opt opt_kernel = {
	"kernel", "5.10|6.1|6.12|7.2", OPT_FN, OPT_BASE_CMD, 0, .parse = parse_kernel,
	.help = "the guest kernel: Debian 12's 6.1 (default), Debian 11's\n"
		"5.10, Debian 13's 6.12 or Debian unstable's 7.2, on\n"
		"either --arch; the model's rules of that version",
};
static const struct opt opt_timeout = {
	"timeout", "S", OPT_U64, OO(timeout_s), .min = 1, .help = "give the guest S seconds (default 600)",
};

/* replay's own descriptors where the option is replay's; the help says what it means here */
static const struct opt_use oracle_table[] = {
	{ &replay_opt_backend, "slab-dma32, genalloc-4m, page-frag, kzalloc-dma32,\n"
			       "page-per-table, pt-frag, genalloc-grow,\n"
			       "slab-dma32-reserve (default all eight)" },
	{ &replay_opt_pt_frag_scope, "pt-frag's pools, as replay (default domain)" },
	{ &replay_opt_genalloc_grow_chunk, "genalloc-grow's chunk, as replay (default 32K)" },
	{ &replay_opt_reserve_objects, "slab-dma32-reserve's mempool min_nr, as replay\n"
				       "(default 32)" },
	{ &replay_opt_json, "the JSON summary (default -: stdout)" },
	{ &replay_opt_csv, "the kernel's time series (replay's column names)" },
	{ &replay_opt_interval_ns, "sample interval in trace time (default 1000000000)" },
	{ &replay_opt_l2_log, "every L2 op the kernel run made, in replay --l2-log's form" },
	{ &opt_ref_l2_log, NULL },
	{ &replay_opt_reorder_window_ns, "as replay (default 1000000)" },
	{ &replay_opt_single_domain, NULL },
	{ &replay_opt_pressure, "others' use of memory in the guest, as replay's\n"
				"scenarios but trace (see ptbench list -v pressures);\n"
				"levels on the guest zone's real watermarks" },
	{ &replay_opt_seed, "the seed of atomic-burst's first burst and steady's\n"
			    "levels (default 1, as replay)" },
	{ &replay_opt_timing, "the guest's ns/event in the JSON (not deterministic)" },
	{ &opt_keep, NULL },
	{ &opt_timeout, NULL },
	{ &opt_arch, NULL },
	{ &opt_kernel, NULL },
};

static const struct opt_cmd oracle_options = {
	.name = "oracle",
	.usage = "usage: ptbench oracle [options] TRACE\n"
		 "\n"
		 "Replays a trace through the REAL kernel: Debian 12's 6.1 kernel (--kernel 6.12:\n"
		 "Debian 13's 6.12, fetched from trixie by scripts/lab/kernel.sh; --kernel 5.10:\n"
		 "Debian 11's 5.10, from bullseye; --kernel 7.2: Debian unstable's 7.2, from\n"
		 "unstable) booted under\n"
		 "qemu (pc,max-ram-below-4g=3G -m 4G -smp 2: 3 GiB DMA32 + 1 GiB NORMAL, TCG,\n"
		 "slab_nomerge) with ptb_oracle.ko, which runs the model's own v7s code with the\n"
		 "kernel's kmem_cache / gen_pool / page_frag / kzalloc / mempool / page\n"
		 "allocator.  Events run on their trace CPU modulo 2, L2 tables with the gfp\n"
		 "replay's --kernel gives.\n"
		 "Prints replay's JSON with \"engine\": \"kernel-6.1\" (or kernel-5.10, -6.12, -7.2): every\n"
		 "key replay writes, null where the kernel run does not measure it.\n"
		 "Needs `make deps` (qemu, busybox, linux-headers-amd64) and the source tree\n"
		 "(run it from there: it builds the module and the guest).\n"
		 "\n"
		 "Options:\n",
	.tail = "\n"
		"Exit status: 0; 1 on a bad trace or option, or when the guest run failed\n"
		"(a step of the module did not do what it should: the reason on stderr).\n"
		"\n"
		"Examples:\n"
		"  ptbench oracle tests/data/small.ptb\n"
		"  ptbench oracle --backend slab-dma32,page-frag --csv k.csv --json k.json trace.ptb.gz\n"
		"  ptbench oracle --backend page-per-table --pressure edge:free=atomic-32 trace.ptb\n"
		"  ptbench oracle --kernel 6.12 tests/data/small.ptb\n"
		"  ptbench oracle --arch arm64 --kernel 5.10 tests/data/small.ptb\n",
	.table = oracle_table,
	.nr = ARRAY_SIZE(oracle_table),
	.operand = "trace",
	.max_operands = 1,
};

/* replay's options as the oracle takes them: backends with a kernel run, a scenario with a guest one. */
static int oracle_parse(int argc, char **argv, struct oracle_opts *o, struct replay_opts *ro)
{
	unsigned int nr;
	int ret;

	replay_opts_default(ro);
	ro->json_path = "-";
	ret = opt_parse(&oracle_options, argc, argv, (void *[]){ ro, o }, &ro->trace_path, &nr);
	if (ret)
		return ret;
	ro->engine = o->kernel == KVER_7_2 ? "kernel-7.2" : o->kernel == KVER_6_12 ? "kernel-6.12" :
		     o->kernel == KVER_5_10 ? "kernel-5.10" : "kernel-6.1";
	/* The backends the module has: the registry's kernel twins (allocators/pt_backends.c). */
	if (ro->backends_all) {
		ro->nr_backends = 0;
		for (unsigned int id = 0; id < PT_BACKEND_NR; id++)
			if (pt_backend_names[id].kernel_twin)
				ro->backends[ro->nr_backends++] = pt_backend_find(pt_backend_names[id].name);
	}
	for (unsigned int i = 0; i < ro->nr_backends; i++) {
		char twins[128] = "";

		if (pt_backend_names[ro->backends[i]->id].kernel_twin)
			continue;
		for (unsigned int id = 0; id < PT_BACKEND_NR; id++)
			if (pt_backend_names[id].kernel_twin)
				snprintf(twins + strlen(twins), sizeof(twins) - strlen(twins), "%s%s",
					 twins[0] ? ", " : "", pt_backend_names[id].name);
		return cli_error("--backend: '%s' has no kernel run (%s)", pt_backend_name(ro->backends[i]),
				 twins);
	}
	/* the model refuses it at create; the module would only fail in the guest */
	if (ro->pt.genalloc_grow_chunk_bytes && !pt_grow_chunk_ok(ro->pt.genalloc_grow_chunk_bytes))
		return cli_error("--genalloc-grow-chunk: %" PRIu64 " bytes is not a power of two from "
				 "4 KiB to 4 MiB", ro->pt.genalloc_grow_chunk_bytes);
	if (ro->pressure.id == PRESSURE_TRACE)
		return cli_error("--pressure: trace has no guest counterpart (none, edge, steady, "
				 "atomic-burst, fragmented)");
	if (!ro->trace_path)
		return cli_error("oracle: no trace given (see ptbench oracle --help)");
	if (ro->csv_path && !strcmp(ro->csv_path, "-") && !strcmp(ro->json_path, "-"))
		return cli_error("--csv and --json cannot both be stdout");
	return out_file_not_input(ro->json_path, ro->trace_path) ||
	       out_file_not_input(ro->csv_path, ro->trace_path) ||
	       out_file_not_input(ro->l2_log_path, ro->trace_path);
}

/* DIR: --keep's, or a new one under $TMPDIR.  Returns 0, or 1 after one line. */
static int work_dir(const struct oracle_opts *o, char *dir, size_t dir_bytes)
{
	if (o->keep_dir) {
		snprintf(dir, dir_bytes, "%s", o->keep_dir);
		if (mkdir(dir, 0755) && errno != EEXIST)
			return cli_error("--keep: %s: %s", dir, strerror(errno));
		return 0;
	}
	snprintf(dir, dir_bytes, "%s/ptbench-oracle.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		return cli_error("oracle: cannot make a work directory: %s", strerror(errno));
	return 0;
}

static void work_dir_remove(const struct oracle_opts *o, char *dir)
{
	char *rm[] = { "rm", "-rf", dir, NULL };
	pid_t pid;
	int status;

	if (!o->keep_dir && !posix_spawnp(&pid, "rm", NULL, NULL, rm, environ))
		waitpid(pid, &status, 0);
}

/* The kernel's own v7s (ptb_v7s_ref.ko): its L2 ops, nothing else. */
static int read_ref(const char *dir, const char *log_path)
{
	struct out_file log = { .f = NULL };
	struct oracle_result ref;
	char path[4300];
	uint64_t dropped;
	int ret = 1;

	snprintf(path, sizeof(path), "%s/guest/results/ref.result", dir);
	if (out_file_open(&log, log_path))
		return 1;
	if (oracle_result_read(path, &ref, log.f, "v7s-ref"))
		goto out;
	dropped = oracle_result_value(&ref, "l2_dropped");
	if (oracle_result_check(&ref))
		goto out;
	if (dropped) {
		cli_error("oracle: the reference's L2 log overflowed");
		goto out;
	}
	ret = out_file_commit(&log);
out:
	oracle_result_free(&ref);
	out_file_abort(&log);
	return ret;
}

/* Each backend's result file into @res and @runs; L2 ops to --l2-log. */
static int read_results(const char *dir, const struct replay_opts *ro, uint64_t late, FILE *l2_log,
			struct oracle_result *res, struct replay_run *runs)
{
	char path[4300];

	for (unsigned int i = 0; i < ro->nr_backends; i++) {
		const char *backend = pt_backend_name(ro->backends[i]);
		uint64_t dropped;

		snprintf(path, sizeof(path), "%s/guest/results/%s.result", dir, backend);
		if (oracle_result_read(path, &res[i], l2_log, backend))
			return 1;
		dropped = oracle_result_value(&res[i], "l2_dropped");
		if (oracle_result_run(&res[i], backend, late, &runs[i]))
			return 1;
		if (dropped)
			return cli_error("oracle: %s: %" PRIu64 " L2 ops did not fit in the log", backend, dropped);
	}
	return 0;
}

int cmd_oracle(int argc, char **argv)
{
	struct oracle_opts o = { .arch = &oracle_archs[0], .kernel = KVER_6_1, .timeout_s = 600 };
	struct oracle_result res[PT_BACKEND_NR];
	struct replay_run runs[PT_BACKEND_NR];
	struct out_file json = { .f = NULL }, csv = { .f = NULL }, l2 = { .f = NULL };
	struct replay_opts ro;
	struct replay_trace t;
	struct trace_event *ev = NULL;
	uint64_t nr = 0, late = 0;
	char dir[4096], path[4300], bad[4300];
	int ret;

	memset(res, 0, sizeof(res));
	ret = oracle_parse(argc, argv, &o, &ro);
	if (ret)
		return ret == OPT_HELP ? 0 : 1;
	ret = 1;
	if (access(ORACLE_SCRIPT, R_OK))
		return cli_error("oracle: %s not found: run ptbench oracle from the ptbench source tree",
				 ORACLE_SCRIPT);
	if (replay_trace_load(&ro, &t, &ev, &nr, &late))
		return 1;
	if (work_dir(&o, dir, sizeof(dir)))
		goto out;
	snprintf(path, sizeof(path), "%s/trace.ptb", dir);
	snprintf(bad, sizeof(bad), "%s/bad.ptb", dir);
	if (oracle_write_ptbs(ev, nr, path, bad) || oracle_run_guest(&o, &ro, dir, nr))
		goto out_dir;
	if (ro.l2_log_path && out_file_open(&l2, ro.l2_log_path))
		goto out_dir;
	if (read_results(dir, &ro, late, l2.f, res, runs) || oracle_check_guest(dir, &ro, runs))
		goto out_files;
	if (o.ref_l2_log_path && read_ref(dir, o.ref_l2_log_path))
		goto out_files;
	/* the config is the guest's: its kernel, CPUs and min_free_kbytes */
	ro.mm.kernel = o.kernel;
	ro.memory_arg = o.arch->memory;
	ro.guest_kernel = res[0].kernel;
	ro.mm.nr_cpus = (unsigned int)oracle_result_value(&res[0], "cpus");
	if (oracle_result_check(&res[0]) || oracle_read_min_free_kbytes(dir, &ro.mm.min_free_kbytes))
		goto out_files;
	if (res[0].kver != o.kernel) {
		cli_error("oracle: the module ran %s's rules, not --kernel %s's", kver_name(res[0].kver),
			  kver_name(o.kernel));
		goto out_files;
	}
	if (ro.csv_path) {
		if (out_file_open(&csv, ro.csv_path))
			goto out_files;
		oracle_write_csv(csv.f, &ro, res);
		if (out_file_commit(&csv))
			goto out_files;
	}
	if (ro.l2_log_path && out_file_commit(&l2))
		goto out_files;
	if (out_file_open(&json, ro.json_path))
		goto out_files;
	replay_write_json(json.f, &ro, &t, runs);
	if (out_file_commit(&json))
		goto out_files;
	ret = 0;
out_files:
	out_file_abort(&json);
	out_file_abort(&csv);
	out_file_abort(&l2);
out_dir:
	work_dir_remove(&o, dir);
out:
	for (unsigned int i = 0; i < PT_BACKEND_NR; i++)
		oracle_result_free(&res[i]);
	free(ev);
	return ret;
}
