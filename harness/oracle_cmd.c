// SPDX-License-Identifier: GPL-2.0
/*
 * oracle_cmd.c - `ptbench oracle`: the trace through the real 6.1 kernel.
 *
 * The trace is read and ordered exactly as `ptbench replay` orders it
 * (replay_trace_load), written as a plain .ptb, and handed to
 * scripts/lab/oracle.sh, which builds ptb_oracle.ko (make kmod) and a lab
 * initramfs and boots Debian's 6.1 kernel on the pc-3g1g machine (qemu
 * pc,max-ram-below-4g=3G -m 4G -smp 2, TCG, slab_nomerge).  In the guest the
 * module replays the trace through the model's own v7s/iommu code with the
 * kernel's real allocators, one backend per insmod, and checks that a
 * malformed trace is refused and that the backend gave every page back.
 * Its result files are turned here into replay's JSON schema, with
 * "engine": "kernel-6.1" and the guest's zones and watermarks in "config".
 * Numbers the kernel run does not measure are null, never guessed.
 */
#include <errno.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "json.h"
#include "out_file.h"
#include "pressure.h"
#include "replay.h"
#include "trace_reader.h"
#include "v7s_mm.h"
#include "version.h"

extern char **environ;

#define ORACLE_SCRIPT	"scripts/lab/oracle.sh"
#define ORACLE_MAX_KEYS	128
#define ORACLE_NR_BACKENDS 5

/* The backends the module has (oracle_alloc.c), in the registry's order. */
static const char *const oracle_backends[ORACLE_NR_BACKENDS] = {
	"slab-dma32", "genalloc-4m", "page-frag", "kzalloc-dma32", "page-per-table",
};

static const char oracle_usage[] =
	"usage: ptbench oracle [options] TRACE\n"
	"\n"
	"Replays a trace through the REAL kernel: Debian 12's 6.1 kernel booted under\n"
	"qemu (pc,max-ram-below-4g=3G -m 4G -smp 2: 3 GiB DMA32 + 1 GiB NORMAL, TCG,\n"
	"slab_nomerge) with ptb_oracle.ko, which runs the model's own v7s code with the\n"
	"kernel's kmem_cache / gen_pool / page_frag / kzalloc / page allocator.  Events\n"
	"run on their trace CPU modulo 2, L2 tables with the gfp `--kernel 6.1` uses.\n"
	"Prints replay's JSON with \"engine\": \"kernel-6.1\"; unmeasured numbers are null.\n"
	"Needs `make deps` (qemu, busybox, linux-headers-amd64) and the source tree\n"
	"(run it from there: it builds the module and the guest).\n"
	"\n"
	"Options:\n"
	"  --backend NAME[,NAME...]|all  slab-dma32, genalloc-4m, page-frag, kzalloc-dma32,\n"
	"                          page-per-table (default all five)\n"
	"  --json FILE|-           the JSON summary (default -: stdout)\n"
	"  --csv FILE              the kernel's time series (replay's column names)\n"
	"  --interval-ns N         sample interval in trace time (default 1000000000)\n"
	"  --l2-log FILE           every L2 op the kernel run made, in replay --l2-log's form\n"
	"  --ref-l2-log FILE       also run the kernel's OWN io-pgtable-arm-v7s.c (Debian's\n"
	"                          linux-source-6.1, make kmod-ref) through the real iommu\n"
	"                          core; its L2 ops in the same form, backend \"v7s-ref\"\n"
	"  --reorder-window-ns N   as replay (default 1000000)\n"
	"  --single-domain         one page table even if the trace has domain ids\n"
	"  --pressure NAME[:KEY=VALUE,...]  others' use of memory in the guest, as replay's\n"
	"                          scenarios but trace (see ptbench list -v pressures);\n"
	"                          levels on the guest zone's real watermarks\n"
	"  --seed N                the seed of atomic-burst's first burst and steady's\n"
	"                          levels (default 1, as replay)\n"
	"  --timing                host and guest seconds in the JSON (not deterministic)\n"
	"  --keep DIR              keep the guest's files (console, results) in DIR\n"
	"  --timeout S             give the guest S seconds (default 600)\n"
	"  --arch x86|arm64        the guest: x86 (default, above) or arm64: Debian's arm64\n"
	"                          6.1 kernel on qemu-system-aarch64 virt -m 4G -smp 2, the\n"
	"                          MT8173's DRAM (4 GiB from 0x4000_0000: 3 GiB ZONE_DMA,\n"
	"                          ZONE_DMA32 empty, 1 GiB NORMAL), the module cross-built\n"
	"\n"
	"Exit status: 0; 1 on a bad trace or option, or when the guest run failed\n"
	"(a step of the module did not do what it should: the reason on stderr).\n"
	"\n"
	"Examples:\n"
	"  ptbench oracle tests/data/small.ptb\n"
	"  ptbench oracle --backend slab-dma32,page-frag --csv k.csv --json k.json trace.ptb.gz\n"
	"  ptbench oracle --backend page-per-table --pressure edge:free=atomic-32 trace.ptb\n";

/*
 * --arch: the guest machine (scripts/lab/oracle.sh -A) and how the JSON names
 * its memory.  Both have DRAM ending at 5 GiB, so the same v7s quirks.
 */
struct oracle_arch {
	const char *name, *memory;
};

static const struct oracle_arch oracle_archs[] = {
	{ "x86", "qemu pc,max-ram-below-4g=3G -m 4G (x86-3g1g)" },
	{ "arm64", "qemu virt -m 4G, DRAM from 0x40000000 (mt8173-4g)" },
};

static const struct oracle_arch *oracle_arch_get(const char *name)
{
	for (size_t i = 0; i < sizeof(oracle_archs) / sizeof(oracle_archs[0]); i++)
		if (!strcmp(name, oracle_archs[i].name))
			return &oracle_archs[i];
	return NULL;
}

struct oracle_opts {
	const struct oracle_arch *arch;
	const char *backends[ORACLE_NR_BACKENDS];
	unsigned int nr_backends;
	const char *json_path, *csv_path, *l2_log_path, *ref_l2_log_path, *keep_dir;
	uint64_t timeout_s;
	bool timing;
};

/* One backend's result file, as the module wrote it (oracle_main.c result_show). */
struct oracle_result {
	char key[ORACLE_MAX_KEYS][40];
	uint64_t val[ORACLE_MAX_KEYS];
	unsigned int nr;
	char kernel[64];
	char zones[8][160];
	unsigned int nr_zones;
	char pressure_zone[16];
	uint64_t (*samples)[8];
	uint64_t nr_samples;
	bool ended;
	double guest_replay_s;
};

static bool result_has(const struct oracle_result *r, const char *key, uint64_t *v)
{
	for (unsigned int i = 0; i < r->nr; i++) {
		if (!strcmp(r->key[i], key)) {
			*v = r->val[i];
			return true;
		}
	}
	return false;
}

static uint64_t rv(const struct oracle_result *r, const char *key)
{
	uint64_t v = 0;

	result_has(r, key, &v);
	return v;
}

static int result_parse(const char *path, struct oracle_result *r, FILE *l2_log,
			const char *backend)
{
	char line[512];
	unsigned int lineno = 0;
	FILE *f = fopen(path, "r");

	memset(r, 0, sizeof(*r));
	if (!f)
		return cli_error("%s: %s (the guest wrote no result)", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		uint64_t s[8], ev;
		unsigned int op, slot, cpu;
		char key[40];
		uint64_t v;

		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "sample ", 7)) {
			uint64_t (*grown)[8];

			if (sscanf(line + 7, "%" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64
				   " %" SCNu64 " %" SCNu64 " %" SCNu64, &s[0], &s[1], &s[2], &s[3], &s[4],
				   &s[5], &s[6], &s[7]) != 8)
				goto bad;
			grown = realloc(r->samples, (r->nr_samples + 1) * sizeof(*grown));
			if (!grown)
				goto bad;
			r->samples = grown;
			memcpy(r->samples[r->nr_samples++], s, sizeof(s));
		} else if (!strncmp(line, "l2 ", 3)) {
			if (sscanf(line + 3, "%" SCNu64 " %u %u %u", &ev, &op, &slot, &cpu) != 4 || !op ||
			    op > V7S_L2_OP_FREE)
				goto bad;
			if (l2_log)
				fprintf(l2_log, "%s %" PRIu64 " %s %u %u\n", backend, ev,
					v7s_l2_op_name((int)op), slot, cpu);
		} else if (!strncmp(line, "zone ", 5)) {
			if (r->nr_zones < 8)
				snprintf(r->zones[r->nr_zones++], sizeof(r->zones[0]), "%.159s", line + 5);
		} else if (!strncmp(line, "pressure_zone ", 14)) {
			snprintf(r->pressure_zone, sizeof(r->pressure_zone), "%.15s", line + 14);
		} else if (!strncmp(line, "kernel ", 7)) {
			snprintf(r->kernel, sizeof(r->kernel), "%.63s", line + 7);
		} else if (!strncmp(line, "guest_replay_s ", 15)) {
			r->guest_replay_s = strtod(line + 15, NULL);
		} else if (!strcmp(line, "end")) {
			r->ended = true;
		} else if (!strncmp(line, "teardown ", 9)) {
			if (r->nr < ORACLE_MAX_KEYS) {
				snprintf(r->key[r->nr], sizeof(r->key[0]), "teardown_ok");
				r->val[r->nr++] = !strcmp(line + 9, "ok");
			}
		} else if (!strncmp(line, "backend ", 8) || !strncmp(line, "ptb_oracle ", 11)) {
			continue;
		} else if (sscanf(line, "%39s %" SCNu64, key, &v) == 2 && r->nr < ORACLE_MAX_KEYS) {
			memcpy(r->key[r->nr], key, sizeof(key));
			r->val[r->nr++] = v;
		} else {
			goto bad;
		}
	}
	fclose(f);
	if (!r->ended)
		return cli_error("%s: the result ends early (no \"end\" line)", path);
	return 0;
bad:
	fclose(f);
	return cli_error("%s:%u: unexpected line '%s'", path, lineno, line);
}

static int parse_backends(struct oracle_opts *o, const char *list)
{
	char buf[256], *save = NULL;

	o->nr_backends = 0;
	if (!strcmp(list, "all")) {
		for (unsigned int i = 0; i < ORACLE_NR_BACKENDS; i++)
			o->backends[o->nr_backends++] = oracle_backends[i];
		return 0;
	}
	snprintf(buf, sizeof(buf), "%s", list);
	for (char *name = strtok_r(buf, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		unsigned int i;

		for (i = 0; i < ORACLE_NR_BACKENDS && strcmp(name, oracle_backends[i]); i++)
			;
		if (i == ORACLE_NR_BACKENDS)
			return cli_error("--backend: '%s' has no kernel run (slab-dma32, genalloc-4m, page-frag, kzalloc-dma32, page-per-table)",
					 name);
		if (o->nr_backends == ORACLE_NR_BACKENDS)
			return cli_error("--backend: '%s' named twice", name);
		o->backends[o->nr_backends++] = oracle_backends[i];
	}
	return o->nr_backends ? 0 : cli_error("--backend: empty list");
}

static int parse_u64(const char *opt, const char *val, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(val, &end, 0);
	if (errno || end == val || *end || val[0] == '-')
		return cli_error("%s: '%s' is not a number", opt, val);
	return 0;
}

/* The trace in replay order, as a plain .ptb, and a copy cut inside its first record. */
static int write_ptbs(const struct trace_event *ev, uint64_t nr, const char *path,
		      const char *bad_path)
{
	struct ptb_writer *w;
	char err[512], buf[64 + 36];
	FILE *in, *out;
	size_t n;

	if (ptb_writer_open(path, "oracle", &w, err, sizeof(err)))
		return cli_error("%s", err);
	for (uint64_t i = 0; i < nr; i++) {
		if (ptb_writer_write(w, &ev[i])) {
			ptb_writer_abort(w);
			return cli_error("%s: write error", path);
		}
	}
	if (ptb_writer_close(w, err, sizeof(err)))
		return cli_error("%s", err);
	in = fopen(path, "rb");
	out = fopen(bad_path, "wb");
	n = in ? fread(buf, 1, sizeof(buf), in) : 0;
	/* a record cut short (or a header, for an empty trace): the module must refuse it */
	if (!in || !out || fwrite(buf, 1, n > 64 ? n : 30, out) != (n > 64 ? n : 30)) {
		if (in)
			fclose(in);
		if (out)
			fclose(out);
		return cli_error("%s: cannot write the malformed copy", bad_path);
	}
	fclose(in);
	return fclose(out) ? cli_error("%s: write error", bad_path) : 0;
}

/*
 * The scenario as module parameters (kmod/oracle_pressure.c): the
 * parsed keys, the first burst's seeded phase, and the model's kswapd rate.
 * The levels are resolved in the guest, on its zone's real watermarks.
 */
static void pressure_params(const struct replay_opts *ro, char *buf, size_t buf_bytes)
{
	const struct pressure_cfg *c = &ro->pressure;
	const struct pressure_scenario *s = pressure_get(c->id);

	if (c->id == PRESSURE_NONE) {
		snprintf(buf, buf_bytes, "pressure=none");
		return;
	}
	snprintf(buf, buf_bytes, "pressure=%s pressure_zone=%s pressure_level=%s pressure_level_pages=%" PRId64
		 " pressure_level_ppm=%" PRIu32 " pressure_max_level=%s pressure_max_level_pages=%" PRId64
		 " pressure_max_level_ppm=%" PRIu32 " pressure_seed=%" PRIu64 " pressure_order=%" PRIu64
		 " pressure_pages=%" PRIu64 " pressure_period_ns=%" PRIu64
		 " pressure_hold_ns=%" PRIu64 " pressure_phase_ns=%" PRIu64 " kswapd_pages_per_ms=%" PRIu64,
		 s->name, pressure_zone_class_name(c->zone), pressure_level_base_name(c->free.base),
		 c->free.pages, c->free.fraction_ppm, pressure_level_base_name(c->free_max.base),
		 c->free_max.pages, c->free_max.fraction_ppm, ro->seed, c->order, c->pages,
		 c->period_ms * 1000000, c->hold_ms * 1000000,
		 c->id == PRESSURE_ATOMIC_BURST ? pressure_burst_phase_ns(c, ro->seed) : 0,
		 ro->mm.kswapd_pages_per_ms);
}

static int run_guest(const struct oracle_opts *o, const struct replay_opts *ro, const char *dir,
		     uint64_t nr_events)
{
	char trace[4200], bad[4200], out[4200], backends[256] = "", params[1024], timeout[32];
	char pressure[640];
	char *argv[20];
	pid_t pid;
	int status, argc = 0;

	snprintf(trace, sizeof(trace), "%s/trace.ptb", dir);
	snprintf(bad, sizeof(bad), "%s/bad.ptb", dir);
	snprintf(out, sizeof(out), "%s/guest", dir);
	for (unsigned int i = 0; i < o->nr_backends; i++) {
		strcat(backends, o->backends[i]);
		strcat(backends, " ");
	}
	/*
	 * quirks: ARM_NS | NO_PERMS | MTK_4GB, as v7s_mm_cfg_default gives on
	 * x86-3g1g (DRAM ends at 5 GiB: mtk_iommu's 4GB mode).  Room for every
	 * L2 op: at most one alloc (or fail) and one free per 4K chunk, split
	 * included, and a teardown free per slot.
	 */
	pressure_params(ro, pressure, sizeof(pressure));
	snprintf(params, sizeof(params), "interval_ns=%" PRIu64 " quirks=%u per_domain=%d l2_log_max=%" PRIu64 " %s",
		 ro->interval_ns, V7S_QUIRK_ARM_NS | V7S_QUIRK_NO_PERMS | V7S_QUIRK_MTK_4GB, ro->per_domain,
		 o->l2_log_path ? 8 * nr_events + 2 * V7S_L1_PTES : 0, pressure);
	snprintf(timeout, sizeof(timeout), "%" PRIu64, o->timeout_s);
	argv[argc++] = "sh";
	argv[argc++] = ORACLE_SCRIPT;
	argv[argc++] = "-t"; argv[argc++] = trace;
	argv[argc++] = "-B"; argv[argc++] = bad;
	argv[argc++] = "-o"; argv[argc++] = out;
	argv[argc++] = "-b"; argv[argc++] = backends;
	argv[argc++] = "-p"; argv[argc++] = params;
	argv[argc++] = "-T"; argv[argc++] = timeout;
	if (o->ref_l2_log_path)
		argv[argc++] = "-R";
	argv[argc++] = "-A"; argv[argc++] = (char *)o->arch->name;
	argv[argc] = NULL;
	if (posix_spawnp(&pid, "sh", NULL, NULL, argv, environ))
		return cli_error("oracle: cannot run %s: %s", ORACLE_SCRIPT, strerror(errno));
	if (waitpid(pid, &status, 0) < 0)
		return cli_error("oracle: waiting for %s: %s", ORACLE_SCRIPT, strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return cli_error("oracle: the guest run failed (status %d): see %s/console.log and %s/results/",
				 WIFEXITED(status) ? WEXITSTATUS(status) : -1, out, out);
	return 0;
}

static void write_zones(struct json *j, const struct oracle_result *r)
{
	json_array_begin(j, "zones");
	for (unsigned int i = 0; i < r->nr_zones; i++) {
		char name[32];
		uint64_t v[7];

		if (sscanf(r->zones[i], "%31s start_pfn %" SCNu64 " spanned %" SCNu64 " present %" SCNu64
			   " managed %" SCNu64 " min %" SCNu64 " low %" SCNu64 " high %" SCNu64,
			   name, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6]) != 8)
			continue;
		json_object_begin(j, NULL);
		json_str(j, "name", name);
		json_u64(j, "start_pfn", v[0]);
		json_u64(j, "spanned_pages", v[1]);
		json_u64(j, "present_pages", v[2]);
		json_u64(j, "managed_pages", v[3]);
		json_u64(j, "min_pages", v[4]);
		json_u64(j, "low_pages", v[5]);
		json_u64(j, "high_pages", v[6]);
		json_object_end(j);
	}
	json_array_end(j);
}

static void write_run(struct json *j, const struct oracle_opts *o, const char *backend,
		      const struct oracle_result *r)
{
	uint64_t allocs = rv(r, "allocs"), attempts = rv(r, "atomic_attempts");
	uint64_t peak_live_bytes = rv(r, "peak_live_bytes"), events = rv(r, "events");
	bool frag = !strcmp(backend, "page-frag");

	json_object_begin(j, NULL);
	json_str(j, "backend", backend);
	json_object_begin(j, "tables");
	json_u64(j, "allocs", allocs);
	json_u64(j, "frees", rv(r, "frees"));
	json_u64(j, "peak_live", rv(r, "peak_live"));
	json_u64(j, "final_live", rv(r, "final_live"));
	json_u64(j, "alloc_failures", rv(r, "failures"));
	json_object_end(j);
	json_object_begin(j, "memory");
	json_u64(j, "peak_footprint_bytes", rv(r, "peak_footprint_bytes"));
	json_u64(j, "final_footprint_bytes", rv(r, "final_footprint_bytes"));
	json_u64(j, "peak_live_bytes", peak_live_bytes);
	json_u64(j, "mean_waste_bytes", rv(r, "mean_waste_bytes"));
	json_str(j, "metadata_bytes", NULL);
	json_u64(j, "lower_bound_bytes", (peak_live_bytes + 4095) / 4096 * 4096);
	json_real(j, "footprint_per_live_at_peak", peak_live_bytes ?
		  (double)rv(r, "footprint_at_peak_live") / (double)peak_live_bytes : 0.0);
	json_object_end(j);
	json_object_begin(j, "reuse");
	json_u64(j, "reused_allocs", rv(r, "reused_allocs"));
	json_real(j, "reuse_ratio", allocs ? (double)rv(r, "reused_allocs") / (double)allocs : 0.0);
	json_str(j, "stranded_bytes_peak", NULL);
	json_str(j, "stranded_bytes_final", NULL);
	json_object_end(j);
	json_object_begin(j, "atomic");
	json_u64(j, "attempts", attempts);
	json_u64(j, "failures", rv(r, "atomic_failures"));
	json_real(j, "failure_rate", attempts ? (double)rv(r, "atomic_failures") / (double)attempts : 0.0);
	json_object_end(j);
	json_u64(j, "map_failures", rv(r, "map_failures"));
	/* page_frag's order-0 refills are seen (the cache's new page); the others' are not */
	if (frag)
		json_u64(j, "fallbacks", rv(r, "fallbacks"));
	else
		json_str(j, "fallbacks", NULL);
	json_object_begin(j, "violations");
	json_u64(j, "above_4g", rv(r, "above_4g"));
	json_u64(j, "misaligned", rv(r, "misaligned"));
	json_str(j, "overlap", NULL);
	json_str(j, "translation_faults", NULL);
	json_u64(j, "rejected_above_4g", rv(r, "rejected_above_4g"));
	json_u64(j, "l1_above_4g", rv(r, "l1_above_4g"));
	json_object_end(j);
	json_object_begin(j, "iommu");
	json_u64(j, "maps", rv(r, "maps"));
	json_u64(j, "unmaps", rv(r, "unmaps"));
	json_u64(j, "map_errors_other", rv(r, "map_errors_other"));
	json_u64(j, "conflicts", rv(r, "conflicts"));
	json_u64(j, "unmap_mismatches", rv(r, "unmap_mismatches"));
	json_u64(j, "l1_tables", rv(r, "l1_tables"));
	json_u64(j, "unexpected_gfp_warnings", rv(r, "unexpected_gfp_warnings"));
	json_object_end(j);
	json_object_begin(j, "backend_cfg");
	if (!strcmp(backend, "slab-dma32")) {
		json_u64(j, "slab_order", rv(r, "slab_order"));
		json_u64(j, "slab_objects", rv(r, "slab_objects"));
	}
	json_object_end(j);
	/* as replay's, and what only the guest shows (kmod/oracle_pressure.c) */
	json_object_begin(j, "pressure");
	json_str(j, "zone", r->pressure_zone[0] ? r->pressure_zone : NULL);
	static const char *const pressure_keys[] = {
		"target_min_pages", "target_max_pages", "ticks", "free_pages_lowest", "free_pages_highest",
		"filler_pages", "released_pages", "bursts", "bursts_between_events", "burst_pages",
		"burst_failed_pages", "burst_other_zone", "borrowed_pages", "kswapd_wakeups",
		"kswapd_reclaimed_pages", "watermark_boost_max_pages", "boosted_ticks", "guest_kswapd_runs",
		"vmstat_drift_max_pages", "blocks_above_order", "refragmented_blocks",
		"highatomic_pages_at_start",
	};
	for (size_t k = 0; k < sizeof(pressure_keys) / sizeof(pressure_keys[0]); k++) {
		char key[48];

		snprintf(key, sizeof(key), "pressure_%s", pressure_keys[k]);
		json_u64(j, pressure_keys[k], rv(r, key));
	}
	json_object_end(j);
	json_object_begin(j, "teardown");
	json_bool(j, "ok", rv(r, "teardown_ok"));
	json_u64(j, "free_pages_before", rv(r, "free_pages_before"));
	json_u64(j, "free_pages_after", rv(r, "free_pages_after"));
	json_object_end(j);
	json_object_begin(j, "replay");
	json_u64(j, "events", events);
	if (o->timing && events)
		json_real(j, "ns_per_event", (double)rv(r, "host_ns") / (double)events);
	else
		json_str(j, "ns_per_event", NULL);
	json_u64(j, "samples", r->nr_samples);
	json_object_end(j);
	json_object_end(j);
}

static void write_json(FILE *out, const struct oracle_opts *o, const char *trace_path,
		       const struct replay_opts *ro, const struct replay_trace *t,
		       const struct oracle_result *res, uint64_t min_free_kbytes)
{
	char pressure_buf[PRESSURE_STRING_BYTES];
	struct json j;

	json_init(&j, out);
	json_object_begin(&j, NULL);
	json_object_begin(&j, "ptbench");
	json_str(&j, "version", PTBENCH_VERSION);
	json_str(&j, "commit", ptbench_commit());
	json_object_end(&j);
	json_object_begin(&j, "trace");
	json_str(&j, "path", trace_path);
	json_str(&j, "sha256", t->sha256);
	json_str(&j, "format", t->format);
	json_u64(&j, "events", t->events);
	json_u64(&j, "maps", t->maps);
	json_u64(&j, "unmaps", t->unmaps);
	json_u64(&j, "skipped", t->skipped);
	json_u64(&j, "other_events", t->other_events);
	json_u64(&j, "domains", t->domains);
	json_object_end(&j);
	json_object_begin(&j, "config");
	json_str(&j, "engine", "kernel-6.1");
	json_str(&j, "memory", o->arch->memory);
	json_str(&j, "kernel", "6.1");
	json_str(&j, "guest_kernel", res[0].kernel);
	json_u64(&j, "cpus", rv(&res[0], "cpus"));
	json_str(&j, "pressure", pressure_format(&ro->pressure, pressure_buf, sizeof(pressure_buf)));
	json_u64(&j, "seed", ro->seed);
	json_bool(&j, "slab_merge", false);
	json_bool(&j, "per_domain", ro->per_domain);
	json_u64(&j, "reorder_window_ns", ro->reorder_window_ns);
	json_u64(&j, "interval_ns", ro->interval_ns);
	json_u64(&j, "min_free_kbytes", min_free_kbytes);
	write_zones(&j, &res[0]);
	json_object_end(&j);
	json_array_begin(&j, "runs");
	for (unsigned int i = 0; i < o->nr_backends; i++)
		write_run(&j, o, o->backends[i], &res[i]);
	json_array_end(&j);
	json_object_end(&j);
	json_finish(&j);
}

static void write_csv(FILE *out, const struct oracle_opts *o, const struct oracle_result *res)
{
	fputs("backend,t_ns,events,live_tables,live_bytes,footprint_bytes,free_below_4g_pages,"
	      "atomic_attempts,atomic_failures,map_failures\n", out);
	for (unsigned int i = 0; i < o->nr_backends; i++)
		for (uint64_t k = 0; k < res[i].nr_samples; k++) {
			const uint64_t *s = res[i].samples[k];

			fprintf(out, "%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
				",%" PRIu64 ",%" PRIu64 ",%" PRIu64 "\n", o->backends[i], s[0], s[1], s[2],
				s[2] * 1024, s[3], s[4], s[5], s[6], s[7]);
		}
}

static int check_guest(const char *dir, const struct oracle_opts *o, const struct oracle_result *res)
{
	char path[4300], line[512];

	for (unsigned int i = 0; i < o->nr_backends; i++) {
		FILE *f;

		if (!rv(&res[i], "teardown_ok"))
			return cli_error("oracle: %s: the module's teardown check failed (see %s/guest/console.log)",
					 o->backends[i], dir);
		snprintf(path, sizeof(path), "%s/guest/results/%s.bad", dir, o->backends[i]);
		f = fopen(path, "r");
		if (!f || !fgets(line, sizeof(line), f) || strncmp(line, "refused: ", 9)) {
			if (f)
				fclose(f);
			return cli_error("oracle: %s: a malformed trace was not refused (%s)",
					 o->backends[i], path);
		}
		fclose(f);
	}
	return 0;
}

static uint64_t read_u64_file(const char *path)
{
	FILE *f = fopen(path, "r");
	uint64_t v = 0;

	if (f) {
		if (fscanf(f, "%" SCNu64, &v) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

int cmd_oracle(int argc, char **argv)
{
	struct oracle_opts o = { .arch = &oracle_archs[0], .json_path = "-", .timeout_s = 600 };
	struct oracle_result res[ORACLE_NR_BACKENDS];
	struct out_file json = { .f = NULL }, csv = { .f = NULL }, l2 = { .f = NULL };
	struct out_file ref_l2 = { .f = NULL };
	struct oracle_result ref;
	struct replay_opts ro;
	struct replay_trace t;
	struct trace_event *ev = NULL;
	uint64_t nr = 0, late = 0, v;
	char dir[4096], path[4300], bad[4300];
	int ret = 1;

	memset(res, 0, sizeof(res));
	parse_backends(&o, "all");
	replay_opts_default(&ro);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (cli_is_help(a)) {
			fputs(oracle_usage, stdout);
			return 0;
		}
		if (a[0] != '-' || !strcmp(a, "-")) {
			if (ro.trace_path)
				return cli_error("oracle: one trace only ('%s' and '%s')", ro.trace_path, a);
			ro.trace_path = a;
			continue;
		}
		if (!strcmp(a, "--timing")) {
			o.timing = true;
			continue;
		}
		if (!strcmp(a, "--single-domain")) {
			ro.per_domain = false;
			continue;
		}
		if (!val)
			return cli_error("%s: needs a value", a);
		i++;
		if (!strcmp(a, "--backend")) {
			if (parse_backends(&o, val))
				return 1;
		} else if (!strcmp(a, "--json")) {
			o.json_path = val;
		} else if (!strcmp(a, "--csv")) {
			o.csv_path = val;
		} else if (!strcmp(a, "--l2-log")) {
			o.l2_log_path = val;
		} else if (!strcmp(a, "--ref-l2-log")) {
			o.ref_l2_log_path = val;
		} else if (!strcmp(a, "--keep")) {
			o.keep_dir = val;
		} else if (!strcmp(a, "--interval-ns")) {
			if (parse_u64(a, val, &ro.interval_ns))
				return 1;
			if (!ro.interval_ns)
				return cli_error("--interval-ns: must be > 0");
		} else if (!strcmp(a, "--reorder-window-ns")) {
			if (parse_u64(a, val, &ro.reorder_window_ns))
				return 1;
		} else if (!strcmp(a, "--pressure")) {
			char err[256];

			if (pressure_parse(val, &ro.pressure, err, sizeof(err)))
				return cli_error("--pressure: %s", err);
			if (ro.pressure.id == PRESSURE_TRACE)
				return cli_error("--pressure: trace has no guest counterpart (none, edge, steady, "
						 "atomic-burst, fragmented)");
		} else if (!strcmp(a, "--seed")) {
			if (parse_u64(a, val, &ro.seed))
				return 1;
		} else if (!strcmp(a, "--timeout")) {
			if (parse_u64(a, val, &o.timeout_s))
				return 1;
		} else if (!strcmp(a, "--arch")) {
			o.arch = oracle_arch_get(val);
			if (!o.arch)
				return cli_error("--arch: '%s' is not x86 or arm64", val);
		} else {
			return cli_error("oracle: unknown option '%s' (see ptbench oracle --help)", a);
		}
	}
	if (!ro.trace_path)
		return cli_error("oracle: no trace given (see ptbench oracle --help)");
	if (access(ORACLE_SCRIPT, R_OK))
		return cli_error("oracle: %s not found: run ptbench oracle from the ptbench source tree",
				 ORACLE_SCRIPT);
	if (o.csv_path && o.json_path && !strcmp(o.csv_path, "-") && !strcmp(o.json_path, "-"))
		return cli_error("--csv and --json cannot both be stdout");
	if (replay_trace_load(&ro, &t, &ev, &nr, &late))
		return 1;

	if (o.keep_dir) {
		snprintf(dir, sizeof(dir), "%s", o.keep_dir);
		if (mkdir(dir, 0755) && errno != EEXIST) {
			cli_error("--keep: %s: %s", dir, strerror(errno));
			goto out;
		}
	} else {
		snprintf(dir, sizeof(dir), "%s/ptbench-oracle.XXXXXX",
			 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
		if (!mkdtemp(dir)) {
			cli_error("oracle: cannot make a work directory: %s", strerror(errno));
			goto out;
		}
	}
	snprintf(path, sizeof(path), "%s/trace.ptb", dir);
	snprintf(bad, sizeof(bad), "%s/bad.ptb", dir);
	if (write_ptbs(ev, nr, path, bad))
		goto out_dir;
	if (run_guest(&o, &ro, dir, nr))
		goto out_dir;
	if (o.l2_log_path && out_file_open(&l2, o.l2_log_path))
		goto out_dir;
	for (unsigned int i = 0; i < o.nr_backends; i++) {
		snprintf(path, sizeof(path), "%s/guest/results/%s.result", dir, o.backends[i]);
		if (result_parse(path, &res[i], l2.f, o.backends[i]))
			goto out_files;
		if (result_has(&res[i], "l2_dropped", &v) && v) {
			cli_error("oracle: %s: %" PRIu64 " L2 ops did not fit in the log", o.backends[i], v);
			goto out_files;
		}
	}
	if (check_guest(dir, &o, res))
		goto out_files;
	if (o.ref_l2_log_path) {
		snprintf(path, sizeof(path), "%s/guest/results/ref.result", dir);
		if (out_file_open(&ref_l2, o.ref_l2_log_path))
			goto out_files;
		if (result_parse(path, &ref, ref_l2.f, "v7s-ref"))
			goto out_files;
		free(ref.samples);
		if (rv(&ref, "l2_dropped")) {
			cli_error("oracle: the reference's L2 log overflowed");
			goto out_files;
		}
		if (out_file_commit(&ref_l2))
			goto out_files;
	}
	snprintf(path, sizeof(path), "%s/guest/results/min_free_kbytes", dir);
	if (o.csv_path) {
		if (out_file_open(&csv, o.csv_path))
			goto out_files;
		write_csv(csv.f, &o, res);
		if (out_file_commit(&csv))
			goto out_files;
	}
	if (o.l2_log_path && out_file_commit(&l2))
		goto out_files;
	if (out_file_open(&json, o.json_path))
		goto out_files;
	write_json(json.f, &o, ro.trace_path, &ro, &t, res, read_u64_file(path));
	if (out_file_commit(&json))
		goto out_files;
	ret = 0;
out_files:
	out_file_abort(&json);
	out_file_abort(&csv);
	out_file_abort(&l2);
	out_file_abort(&ref_l2);
out_dir:
	if (!o.keep_dir) {
		char *rm[] = { "rm", "-rf", dir, NULL };
		pid_t pid;
		int status;

		if (!posix_spawnp(&pid, "rm", NULL, NULL, rm, environ))
			waitpid(pid, &status, 0);
	}
out:
	for (unsigned int i = 0; i < ORACLE_NR_BACKENDS; i++)
		free(res[i].samples);
	free(ev);
	return ret;
}
