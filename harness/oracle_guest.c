// SPDX-License-Identifier: GPL-2.0
/*
 * oracle_guest.c - `ptbench oracle`'s guest run: the trace in replay order
 * written as a plain .ptb (and a malformed copy), the options as module
 * parameters, scripts/lab/oracle.sh booting Debian's 6.1 kernel on the
 * pc-3g1g machine (qemu pc,max-ram-below-4g=3G -m 4G -smp 2, TCG,
 * slab_nomerge), and what the guest checked itself: every page given back,
 * the malformed trace refused.
 */
#include <errno.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "cli.h"
#include "oracle.h"
#include "ptb.h"
#include "trace_reader.h"
#include "v7s_mm.h"

extern char **environ;

int oracle_write_ptbs(const struct trace_event *ev, uint64_t nr, const char *path, const char *bad_path)
{
	struct ptb_writer *w;
	/* the header ptbench writes and 36 bytes of the first 56-byte record */
	char err[512], buf[PTB_HEADER_COUNTS_BYTES + 36];
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
	if (n <= PTB_HEADER_COUNTS_BYTES)
		n = 30;		/* no record to cut: a header cut short */
	if (!in || !out || fwrite(buf, 1, n, out) != n) {
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

int oracle_run_guest(const struct oracle_opts *o, const struct replay_opts *ro, const char *dir,
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
	for (unsigned int i = 0; i < ro->nr_backends; i++) {
		strcat(backends, pt_backend_name(ro->backends[i]));
		strcat(backends, " ");
	}
	/*
	 * The module takes its quirks from the guest's DRAM (v7s_mtk_quirks).
	 * Room for every L2 op: at most one alloc (or fail) and one free per 4K
	 * chunk, split included, and a teardown free per slot.
	 */
	pressure_params(ro, pressure, sizeof(pressure));
	snprintf(params, sizeof(params),
		 "interval_ns=%" PRIu64 " per_domain=%d pt_frag_global=%d genalloc_grow_chunk_bytes=%"
		 PRIu64 " reserve_objects=%u l2_log_max=%" PRIu64 " %s",
		 ro->interval_ns, ro->per_domain, ro->pt.pt_frag_global,
		 ro->pt.genalloc_grow_chunk_bytes ? ro->pt.genalloc_grow_chunk_bytes :
		 (uint64_t)PT_GROW_CHUNK_BYTES_DEFAULT,
		 ro->pt.reserve_objects ? ro->pt.reserve_objects : PT_RESERVE_OBJECTS_DEFAULT,
		 ro->l2_log_path ? 8 * nr_events + 2 * V7S_L1_PTES : 0, pressure);
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
	argv[argc++] = "-K"; argv[argc++] = (char *)kver_name(o->kernel);
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

int oracle_check_guest(const char *dir, const struct replay_opts *ro, const struct replay_run *runs)
{
	char path[4300], line[512];

	for (unsigned int i = 0; i < ro->nr_backends; i++) {
		const char *backend = pt_backend_name(ro->backends[i]);
		FILE *f;

		if (!runs[i].guest.teardown_ok)
			return cli_error("oracle: %s: the module's teardown check failed (see %s/guest/console.log)",
					 backend, dir);
		snprintf(path, sizeof(path), "%s/guest/results/%s.bad", dir, backend);
		f = fopen(path, "r");
		if (!f || !fgets(line, sizeof(line), f) || strncmp(line, "refused: ", 9)) {
			if (f)
				fclose(f);
			return cli_error("oracle: %s: a malformed trace was not refused (%s)",
					 backend, path);
		}
		fclose(f);
	}
	return 0;
}
