// SPDX-License-Identifier: GPL-2.0
/*
 * oracle_result.c - the result files ptb_oracle.ko wrote in the guest
 * (kmod/oracle_main.c result_show, oracle_pressure.c), read and turned into
 * replay's runs, so one writer (result.c) gives the kernel run replay's JSON.
 *
 * The module writes every key on every run: a key it did not write is an
 * error, never read as 0.  What the kernel run does not measure (the
 * backend's own books, the machine's counters, the --check walk) is marked
 * unmeasured in replay_run.measured and written null.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "oracle.h"
#include "v7s_mm.h"
#include "watermark.h"

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

static void note_missing(struct oracle_result *r, const char *key)
{
	if (!r->missing[0])
		snprintf(r->missing, sizeof(r->missing), "%s", key);
}

uint64_t oracle_result_value(struct oracle_result *r, const char *key)
{
	uint64_t v;

	if (result_has(r, key, &v))
		return v;
	note_missing(r, key);
	return 0;
}

int oracle_result_check(const struct oracle_result *r)
{
	if (r->missing[0])
		return cli_error("%s: no '%s' line: the module writes it on every run", r->path, r->missing);
	return 0;
}

static int zone_by_name(const char *name)
{
	for (int z = 0; z < MAX_NR_ZONES; z++)
		if (!strcmp(zone_name(z), name))
			return z;
	return -1;
}

/* "zone NAME start_pfn N spanned N present N managed N min N low N high N" */
static int result_zone(struct oracle_result *r, const char *line)
{
	char name[32];
	uint64_t v[7];
	int z;

	if (sscanf(line, "%31s start_pfn %" SCNu64 " spanned %" SCNu64 " present %" SCNu64
		   " managed %" SCNu64 " min %" SCNu64 " low %" SCNu64 " high %" SCNu64,
		   name, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6]) != 8)
		return -1;
	z = zone_by_name(name);
	if (z < 0)
		return -1;
	r->zones[z] = (struct zone_summary){
		.populated = true, .start_pfn = v[0], .spanned_pages = v[1], .present_pages = v[2],
		.managed_pages = v[3], .watermark_pages = { [WMARK_MIN] = v[4], [WMARK_LOW] = v[5],
							    [WMARK_HIGH] = v[6] },
		/* the guest's GFP_ATOMIC mark from its own min, by its version's rule */
		.watermark_atomic_pages = wmark_gfp_atomic(r->kver, v[4]),
	};
	return 0;
}

static int result_sample(struct oracle_result *r, const char *line)
{
	uint64_t s[ORACLE_SAMPLE_COLS], (*grown)[ORACLE_SAMPLE_COLS];

	if (sscanf(line, "%" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64
		   " %" SCNu64 " %" SCNu64, &s[0], &s[1], &s[2], &s[3], &s[4], &s[5], &s[6], &s[7]) != 8)
		return -1;
	grown = realloc(r->samples, (r->nr_samples + 1) * sizeof(*grown));
	if (!grown)
		return -1;
	r->samples = grown;
	memcpy(r->samples[r->nr_samples++], s, sizeof(s));
	return 0;
}

static int result_key(struct oracle_result *r, const char *key, uint64_t v)
{
	if (r->nr == ORACLE_MAX_KEYS || strlen(key) >= sizeof(r->key[0]))
		return -1;
	strcpy(r->key[r->nr], key);
	r->val[r->nr++] = v;
	return 0;
}

int oracle_result_read(const char *path, struct oracle_result *r, FILE *l2_log, const char *backend)
{
	char line[512], key[40];
	unsigned int lineno = 0, op, slot, cpu;
	bool ended = false;
	uint64_t v, ev;
	FILE *f = fopen(path, "r");
	int bad = 0;

	memset(r, 0, sizeof(*r));
	r->path = path;
	if (!f)
		return cli_error("%s: %s (the guest wrote no result)", path, strerror(errno));
	while (!bad && fgets(line, sizeof(line), f)) {
		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "sample ", 7)) {
			bad = result_sample(r, line + 7);
		} else if (!strncmp(line, "l2 ", 3)) {
			bad = sscanf(line + 3, "%" SCNu64 " %u %u %u", &ev, &op, &slot, &cpu) != 4 || !op ||
			      op > V7S_L2_OP_FREE;
			if (!bad && l2_log)
				fprintf(l2_log, "%s %" PRIu64 " %s %u %u\n", backend, ev,
					v7s_l2_op_name((int)op), slot, cpu);
		} else if (!strncmp(line, "zone ", 5)) {
			bad = result_zone(r, line + 5);
		} else if (!strncmp(line, "pressure_zone ", 14)) {
			snprintf(r->pressure_zone, sizeof(r->pressure_zone), "%.15s", line + 14);
		} else if (!strncmp(line, "kver ", 5)) {
			bad = kver_parse(line + 5, &r->kver) != 0;
			r->have_kver = !bad;
		} else if (!strncmp(line, "kernel ", 7)) {
			snprintf(r->kernel, sizeof(r->kernel), "%.63s", line + 7);
		} else if (!strcmp(line, "end")) {
			ended = true;
		} else if (!strncmp(line, "teardown ", 9)) {
			bad = result_key(r, "teardown_ok", !strcmp(line + 9, "ok"));
		} else if (!strncmp(line, "backend ", 8) || !strncmp(line, "ptb_oracle ", 11) ||
			   !strncmp(line, "guest_replay_s ", 15) || !strncmp(line, "table_zone ", 11)) {
			/* table_zone NAME N: for docs/qemu-lab.md's measurements, not in the JSON */
			continue;
		} else {
			bad = sscanf(line, "%39s %" SCNu64, key, &v) != 2 || result_key(r, key, v);
		}
	}
	fclose(f);
	if (bad)
		return cli_error("%s:%u: unexpected line '%s'", path, lineno, line);
	if (!ended)
		return cli_error("%s: the result ends early (no \"end\" line)", path);
	return 0;
}

void oracle_result_free(struct oracle_result *r)
{
	free(r->samples);
	r->samples = NULL;
}

static double ratio(uint64_t num, uint64_t den)
{
	return den ? (double)num / (double)den : 0.0;
}

/* replay's pressure_stats from the module's pressure_* lines, and what only the guest shows. */
static void result_pressure(struct oracle_result *r, struct replay_run *run)
{
	struct pressure_stats *p = &run->pressure;
	int z = zone_by_name(r->pressure_zone);
	char key[64];

	if (z >= 0) {
		p->zone = z;
		run->measured |= RUN_M_PRESSURE_ZONE;
	}
	if (!r->pressure_zone[0])
		note_missing(r, "pressure_zone");
	p->target_min_pages = oracle_result_value(r, "pressure_target_min_pages");
	p->target_max_pages = oracle_result_value(r, "pressure_target_max_pages");
	p->ticks = oracle_result_value(r, "pressure_ticks");
	p->free_lowest_pages = oracle_result_value(r, "pressure_free_pages_lowest");
	p->free_highest_pages = oracle_result_value(r, "pressure_free_pages_highest");
	p->filler_pages = oracle_result_value(r, "pressure_filler_pages");
	p->released_pages = oracle_result_value(r, "pressure_released_pages");
	p->bursts = oracle_result_value(r, "pressure_bursts");
	p->bursts_between_events = oracle_result_value(r, "pressure_bursts_between_events");
	p->burst_pages = oracle_result_value(r, "pressure_burst_pages");
	p->burst_failed_pages = oracle_result_value(r, "pressure_burst_failed_pages");
	for (unsigned int k = 0; k < RUN_GUEST_PRESSURE_NR; k++) {
		snprintf(key, sizeof(key), "pressure_%s", run_guest_pressure_keys[k]);
		run->guest.pressure[k] = oracle_result_value(r, key);
	}
}

int oracle_result_run(struct oracle_result *r, const char *backend, uint64_t late,
		      struct replay_run *run)
{
	struct run_summary *s = &run->sum;
	uint64_t footprint_at_peak_live;

	memset(run, 0, sizeof(*run));
	run->measured = RUN_M_GUEST;
	/* page_frag's order-0 refills are seen (the cache's new page); the others' are not */
	if (!strcmp(backend, "page-frag"))
		run->measured |= RUN_M_FALLBACKS;
	if (!strcmp(backend, "slab-dma32"))
		run->measured |= RUN_M_SLAB;
	s->backend = backend;
	s->allocs = oracle_result_value(r, "allocs");
	s->frees = oracle_result_value(r, "frees");
	s->failures = oracle_result_value(r, "failures");
	s->peak_live = oracle_result_value(r, "peak_live");
	s->final_live = oracle_result_value(r, "final_live");
	s->peak_footprint_bytes = oracle_result_value(r, "peak_footprint_bytes");
	s->final_footprint_bytes = oracle_result_value(r, "final_footprint_bytes");
	s->peak_live_bytes = oracle_result_value(r, "peak_live_bytes");
	s->mean_waste_bytes = oracle_result_value(r, "mean_waste_bytes");
	s->lower_bound_bytes = (s->peak_live_bytes + PAGE_SIZE - 1) / PAGE_SIZE * PAGE_SIZE;
	footprint_at_peak_live = oracle_result_value(r, "footprint_at_peak_live");
	s->waste_ratio_at_peak_live = ratio(footprint_at_peak_live, s->peak_live_bytes);
	s->reused_allocs = oracle_result_value(r, "reused_allocs");
	s->reuse_ratio = ratio(s->reused_allocs, s->allocs);
	s->c.atomic_attempts = oracle_result_value(r, "atomic_attempts");
	s->c.atomic_failures = oracle_result_value(r, "atomic_failures");
	s->atomic_failure_rate = ratio(s->c.atomic_failures, s->c.atomic_attempts);
	s->c.map_failures = oracle_result_value(r, "map_failures");
	s->fallbacks = oracle_result_value(r, "fallbacks");
	s->above_4g = oracle_result_value(r, "above_4g");
	s->misaligned = oracle_result_value(r, "misaligned");
	s->c.rejected_above_4g = oracle_result_value(r, "rejected_above_4g");
	s->c.l1_above_4g = oracle_result_value(r, "l1_above_4g");
	s->c.maps = oracle_result_value(r, "maps");
	s->c.unmaps = oracle_result_value(r, "unmaps");
	s->c.map_errors_other = oracle_result_value(r, "map_errors_other");
	s->c.conflicts = oracle_result_value(r, "conflicts");
	s->c.unmap_mismatches = oracle_result_value(r, "unmap_mismatches");
	s->c.late_events = late;
	s->c.events = oracle_result_value(r, "events");
	s->unexpected_gfp_warnings = oracle_result_value(r, "unexpected_gfp_warnings");
	s->nr_samples = r->nr_samples;
	memcpy(s->zones, r->zones, sizeof(s->zones));
	/* every populated zone has its line: DMA32 on x86, DMA on arm64 (DMA32 empty there) */
	bool any_zone = false;
	for (unsigned int z = 0; z < MAX_NR_ZONES; z++)
		any_zone |= r->zones[z].populated;
	if (!any_zone)
		note_missing(r, "zone");
	if (!r->kernel[0])
		note_missing(r, "kernel");
	if (!r->have_kver)
		note_missing(r, "kver");
	run->l1_tables = oracle_result_value(r, "l1_tables");
	run->host_ns = oracle_result_value(r, "host_ns");
	run->cfg.slab_order = (unsigned int)oracle_result_value(r, "slab_order");
	run->cfg.slab_objects = (unsigned int)oracle_result_value(r, "slab_objects");
	result_pressure(r, run);
	run->guest.teardown_ok = oracle_result_value(r, "teardown_ok");
	run->guest.free_pages_before = oracle_result_value(r, "free_pages_before");
	run->guest.free_pages_after = oracle_result_value(r, "free_pages_after");
	return oracle_result_check(r);
}

void oracle_write_csv(FILE *out, const struct replay_opts *ro, const struct oracle_result *res)
{
	fputs("backend,t_ns,events,live_tables,live_bytes,footprint_bytes,free_below_4g_pages,"
	      "atomic_attempts,atomic_failures,map_failures\n", out);
	for (unsigned int i = 0; i < ro->nr_backends; i++)
		for (uint64_t k = 0; k < res[i].nr_samples; k++) {
			const uint64_t *s = res[i].samples[k];

			fprintf(out, "%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
				",%" PRIu64 ",%" PRIu64 ",%" PRIu64 "\n", pt_backend_name(ro->backends[i]), s[0], s[1], s[2],
				s[2] * 1024, s[3], s[4], s[5], s[6], s[7]);
		}
}

int oracle_read_min_free_kbytes(const char *dir, unsigned int *out)
{
	char path[4300];
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "%s/guest/results/min_free_kbytes", dir);
	f = fopen(path, "r");
	if (!f)
		return cli_error("%s: %s (the guest wrote no min_free_kbytes)", path, strerror(errno));
	n = fscanf(f, "%u", out);
	fclose(f);
	return n == 1 ? 0 : cli_error("%s: not a number of kilobytes", path);
}
