// SPDX-License-Identifier: GPL-2.0
/*
 * replay.c - events in timestamp order through v7s -> backend -> machine.
 *
 * The trace is read once and streamed: put in timestamp order within the
 * reorder window (reorder.c), each event is replayed on every backend's
 * machine in turn, each machine fresh and built from the same options and
 * seed.  Memory does not grow with the trace: the window, the machines,
 * the page tables in simulated memory, counters; each run's CSV rows and
 * --l2-log lines go to a temporary file of their own, copied out in backend
 * order at the end.  The loop never allocates.
 *
 * The domains a trace names are all created before its first event (a
 * driver creates them at probe).  The stream starts with the first event's
 * domain; a trace that names another one later (a .ptb with several domain
 * ids) is read whole instead, from the file again, and replayed from memory.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "pressure.h"
#include "replay.h"
#include "replay_input.h"
#include "tmp_paths.h"
#include "trace_reader.h"
#include "v7s_mm.h"

#define REPLAY_MAX_DOMAINS 64
_Static_assert(REPLAY_MAX_DOMAINS <= PT_ALLOC_MAX_POOLS, "a pool per domain");

void replay_opts_default(struct replay_opts *o)
{
	memset(o, 0, sizeof(*o));
	mm_cfg_default(&o->mm);
	pressure_cfg_default(&o->pressure);
	for (int id = 0; id < PT_BACKEND_NR; id++)
		o->backends[o->nr_backends++] = pt_backend_get(id);
	o->backends_all = true;
	o->engine = "model";
	o->seed = 1;
	o->per_domain = true;
	o->reorder_window_ns = 1000000;
	o->interval_ns = 1000000000;
}

void replay_opts_finish(struct replay_opts *o)
{
	o->pt.kernel = o->mm.kernel;
	o->pt.nr_cpus = o->mm.nr_cpus;
	o->pt.table_phys_limit = 0;
	if (v7s_rules(o->mm.kernel) && v7s_rules(o->mm.kernel)->mtk_ext) {
		struct v7s_cfg vc;

		/* where __arm_v7s_alloc_table accepts a table: the violation line */
		v7s_cfg_for(&vc, o->mm.kernel, 0);
		if (!v7s_cfg_mtk_ext(&vc, o->mm.kernel, o->ias ? o->ias : V7S_ADDR_BITS, o->pt.ttbr_ext))
			o->pt.table_phys_limit = v7s_table_phys_limit(&vc);
	}
	o->mm.seed = o->seed;
	o->mm.fail.seed = o->seed;
	if (!o->mm.fail.interval)
		o->mm.fail.interval = 1;	/* --fail-interval 0: every call, as 1 */
}

/* ---- domains ---- */

struct domains {
	uint32_t id[REPLAY_MAX_DOMAINS];
	struct v7s_mm_domain *dom[REPLAY_MAX_DOMAINS];
	unsigned int nr;
};

/* The page table of a trace domain, created on its first event. */
static struct v7s_mm_domain *domain_get(struct domains *d, uint32_t id, struct mm *mm,
					struct pt_alloc *a, const struct replay_opts *o,
					char *err, size_t err_bytes)
{
	struct v7s_mm_cfg cfg;
	struct v7s_mm_domain *dom;

	for (unsigned int i = 0; i < d->nr; i++)
		if (d->id[i] == id)
			return d->dom[i];
	if (d->nr == REPLAY_MAX_DOMAINS) {
		snprintf(err, err_bytes, "more than %d IOMMU domains in the trace", REPLAY_MAX_DOMAINS);
		return NULL;
	}
	v7s_mm_cfg_default(&cfg, mm, a);
	/*
	 * 4.19 as released puts the L1 in ZONE_NORMAL too; the kernel rejects
	 * it above 4 GiB and the domain never works.  ptbench counts that
	 * (violations.l1_above_4g) and goes on, so the L2 allocator is still
	 * measured.
	 */
	cfg.keep_l1_above_4g = true;
	cfg.ias = o->ias;
	cfg.ttbr_ext = o->pt.ttbr_ext;
	dom = v7s_mm_domain_create(mm, a, &cfg, err, err_bytes);
	if (!dom)
		return NULL;
	if (o->check && v7s_mm_enable_check(dom)) {
		v7s_mm_domain_destroy(dom);
		snprintf(err, err_bytes, "out of host memory for --check");
		return NULL;
	}
	dom->pool = d->nr;
	d->id[d->nr] = id;
	d->dom[d->nr] = dom;
	return d->dom[d->nr++];
}

/* The replay's own counts plus every domain's. */
static void domains_counters(const struct domains *d, const struct run_counters *own,
			     struct run_counters *c)
{
	*c = *own;
	for (unsigned int i = 0; i < d->nr; i++)
		v7s_mm_domain_counters(d->dom[i], c);
}

/* The page table an event goes to: its domain's, or the one of them all. */
static uint32_t event_domain(const struct replay_opts *o, const struct trace_event *ev)
{
	return o->per_domain && (ev->has & TRACE_HAS_DOMAIN) ? ev->domain : 0;
}

/* The distinct domain ids, in the order first named (up to one more than the most). */
struct domain_ids {
	uint32_t id[REPLAY_MAX_DOMAINS + 1];
	uint64_t first_event[REPLAY_MAX_DOMAINS + 1];	/* 1-based */
	unsigned int nr;
};

/* Returns true if @id is new. */
static bool domain_ids_add(struct domain_ids *d, uint32_t id, uint64_t event_no)
{
	unsigned int k;

	for (k = 0; k < d->nr && d->id[k] != id; k++)
		;
	if (k < d->nr || d->nr > REPLAY_MAX_DOMAINS)
		return false;
	d->first_event[d->nr] = event_no;
	d->id[d->nr++] = id;
	return true;
}

/* ---- one backend ---- */

/*
 * The L2 gfp v7s is given: kernels up to 5.8 ignore it (GFP_ATOMIC inside
 * v7s); from 5.9 it is the caller's, recorded by ptrec when the trace has
 * it, else --gfp, else GFP_ATOMIC as dma-iommu passes for streaming maps.
 */
static gfp_t event_gfp(const struct replay_opts *o, const struct trace_event *ev)
{
	if (ev->has & TRACE_HAS_GFP)
		return ev->gfp;
	return o->gfp_set ? o->gfp : GFP_ATOMIC;
}

static uint64_t host_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* ---- one backend's run, one event at a time ---- */

struct run_state {
	const struct replay_opts *o;
	const struct pt_backend *b;
	struct replay_run *run;
	struct pt_cfg cfg;
	struct mm *mm;
	struct pt_alloc *a;
	struct domains doms;
	struct pressure *p;
	struct metrics m;
	struct run_counters own;
	uint64_t first_ts;
	FILE *csv, *l2_log;	/* this run's part: copied out in backend order at the end */
};

/* A scratch file (tmp_paths.h) for one run's part of an output, or NULL (errno set). */
static FILE *scratch_file(void)
{
	char path[4096];
	FILE *f;
	int fd = tmp_paths_scratch("run", path, sizeof(path));

	if (fd < 0) {
		errno = -fd;
		return NULL;
	}
	f = fdopen(fd, "w+");
	if (!f)
		close(fd);
	return f;
}

/*
 * Start the machine from @boot, create the backend and every domain in @ids (as a
 * driver does at probe), then the pressure scenario: the run is ready for
 * its first event.  Returns 0 or 1 (error printed); run_end() undoes it.
 */
static int run_start(struct run_state *s, struct mm_boot *boot, const struct domain_ids *ids,
		     uint64_t first_ts)
{
	const struct replay_opts *o = s->o;
	char err[512];

	memset(s->run, 0, sizeof(*s->run));
	s->run->measured = RUN_M_MODEL;
	s->cfg = o->pt;
	s->first_ts = first_ts;
	if ((o->csv && !(s->csv = scratch_file())) || (o->l2_log && !(s->l2_log = scratch_file())))
		return cli_error("cannot create a temporary file: %s", strerror(errno));
	s->mm = mm_start(boot, err, sizeof(err));
	if (!s->mm)
		return cli_error("%s", err);
	s->a = pt_alloc_create(s->b, s->mm, &s->cfg, err, sizeof(err));
	if (!s->a)
		return cli_error("%s", err);
	for (unsigned int i = 0; i < ids->nr; i++)
		if (!domain_get(&s->doms, ids->id[i], s->mm, s->a, o, err, sizeof(err)))
			return cli_error("%s: event %" PRIu64 ": %s", o->trace_path, ids->first_event[i], err);
	/* the workload's time starts with others already pressing on memory */
	s->p = pressure_create(&o->pressure, s->mm, o->seed, first_ts, err, sizeof(err));
	if (!s->p)
		return cli_error("%s", err);
	metrics_init(&s->m, s->a, s->mm, pt_backend_name(s->b), o->interval_ns, s->csv);
	return 0;
}

/* Event @i (0-based, in replay order).  Returns 0 or 1 (error printed). */
static int run_event(struct run_state *s, const struct trace_event *ev, uint64_t i)
{
	const struct replay_opts *o = s->o;
	int cpu = ev->has & TRACE_HAS_CPU ? (int)(ev->cpu % o->mm.nr_cpus) : 0;
	uint64_t t0_ns = o->timing ? host_now_ns() : 0;
	struct v7s_mm_domain *dom;
	struct run_counters c;
	char err[512];

	domains_counters(&s->doms, &s->own, &c);
	metrics_tick(&s->m, ev->ts_ns, &c);
	/* time advances (kswapd runs), others act, then the event */
	mm_advance_time(s->mm, ev->ts_ns - MIN(ev->ts_ns, s->first_ts));
	pressure_tick(s->p);
	dom = domain_get(&s->doms, event_domain(o, ev), s->mm, s->a, o, err, sizeof(err));
	if (!dom)
		return cli_error("%s: event %" PRIu64 ": %s", o->trace_path, i + 1, err);
	s->own.events++;
	dom->l2_log = s->l2_log;	/* --l2-log: every L2 op of this event */
	dom->l2_log_backend = pt_backend_name(s->b);
	dom->l2_log_event = i;
	if (ev->op == TRACE_OP_MAP) {
		s->own.maps++;
		iommu_map(&dom->dom, ev->iova, ev->paddr, ev->size_bytes, event_gfp(o, ev), cpu);
	} else {
		uint64_t unmapped = iommu_unmap(&dom->dom, ev->iova, ev->size_bytes, cpu);

		s->own.unmaps++;
		s->own.unmap_mismatches += unmapped != ev->unmapped_bytes;
	}
	domains_counters(&s->doms, &s->own, &c);
	metrics_event(&s->m, ev->ts_ns, &c);
	if (o->timing)
		s->run->host_ns += host_now_ns() - t0_ns;
	return 0;
}

/* After the last event: the summary into s->run. */
static void run_finish(struct run_state *s, uint64_t late)
{
	struct run_counters c;

	s->own.late_events = late;
	domains_counters(&s->doms, &s->own, &c);
	metrics_finish(&s->m, &c, &s->run->sum);
	s->run->cfg = s->cfg;
	s->run->l1_tables = s->doms.nr;
	pressure_get_stats(s->p, &s->run->pressure);
}

/* Append a run's part of an output file to the output.  0, or 1 (error printed). */
static int run_copy_out(FILE *part, FILE *out)
{
	char buf[65536];
	size_t n;

	if (!part)
		return 0;
	if (fflush(part) || fseek(part, 0, SEEK_SET))
		return cli_error("temporary file: %s", strerror(errno));
	while ((n = fread(buf, 1, sizeof(buf), part)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			return cli_error("write error: %s", strerror(errno));
	if (ferror(part))
		return cli_error("temporary file: %s", strerror(errno));
	return 0;
}

/*
 * Undo run_start() but the files, started or not, in reverse order: the
 * domains' teardown frees their tables (logged), every page must be back.
 */
static void run_teardown(struct run_state *s)
{
	pressure_destroy(s->p);
	s->p = NULL;
	for (unsigned int d = 0; d < s->doms.nr; d++)
		v7s_mm_domain_destroy(s->doms.dom[d]);
	s->doms.nr = 0;
	if (s->a) {
		/* teardown gave every table back: a leak here is a model bug */
		PTB_BUG_ON(s->a->live_tables != 0);
		pt_alloc_destroy(s->a);
		PTB_BUG_ON(mm_held_pages_total(s->mm, OWNER_PT_BACKEND) != 0);
		s->a = NULL;
	}
	mm_destroy(s->mm);
	s->mm = NULL;
}

static void run_end(struct run_state *s)
{
	run_teardown(s);
	if (s->csv)
		fclose(s->csv);
	if (s->l2_log)
		fclose(s->l2_log);
	memset(s, 0, sizeof(*s));
}

/* ---- every backend, the events fanned out in turn ---- */

struct fanout {
	const struct replay_opts *o;
	struct run_state st[PT_BACKEND_NR];
	struct mm_boot *boot;		/* booted once: each run's machine starts from it */
	struct domain_ids seen;		/* every domain named so far */
	uint64_t nr_events;
	bool started;
};

static void fanout_init(struct fanout *f, const struct replay_opts *o, struct replay_run *runs)
{
	memset(f, 0, sizeof(*f));
	f->o = o;
	for (unsigned int i = 0; i < o->nr_backends; i++) {
		f->st[i].o = o;
		f->st[i].b = o->backends[i];
		f->st[i].run = &runs[i];
	}
}

static int fanout_start(struct fanout *f, const struct domain_ids *ids, uint64_t first_ts)
{
	char err[512];

	f->started = true;
	f->boot = mm_boot(&f->o->mm, err, sizeof(err));
	if (!f->boot)
		return cli_error("the machine (--memory, --cpus, --min-free-kbytes, --watermarks): %s", err);
	for (unsigned int i = 0; i < f->o->nr_backends; i++)
		if (run_start(&f->st[i], f->boot, ids, first_ts))
			return 1;
	return 0;
}

static int fanout_event(struct fanout *f, const struct trace_event *ev)
{
	for (unsigned int i = 0; i < f->o->nr_backends; i++)
		if (run_event(&f->st[i], ev, f->nr_events))
			return 1;
	f->nr_events++;
	return 0;
}

/*
 * A backend whose every map failed measured nothing but the failure (too
 * little memory, --fail-rate 100; kzalloc-dma32's tables above 4 GiB): one
 * line, a warning, or the error with --strict.  Returns 0 or 1 (strict).
 */
static int check_maps(const struct replay_opts *o, const struct replay_run *run)
{
	const struct run_counters *c = &run->sum.c;

	if (!c->maps || c->map_failures + c->map_errors_other < c->maps)
		return 0;
	cli_error("%s: %s: every map failed in the model: %" PRIu64 " of %" PRIu64
		  " (-ENOMEM %" PRIu64 ", other errors %" PRIu64 ")", o->trace_path,
		  run->sum.backend, c->map_failures + c->map_errors_other, c->maps,
		  c->map_failures, c->map_errors_other);
	return o->strict;
}

static int fanout_finish(struct fanout *f, struct replay_trace *t, uint64_t late)
{
	const struct replay_opts *o = f->o;

	if (!f->started && fanout_start(f, &f->seen, 0))	/* no event: the machines at rest */
		return 1;
	t->domains = o->per_domain ? f->seen.nr : f->nr_events ? 1 : 0;
	for (unsigned int i = 0; i < o->nr_backends; i++)
		run_finish(&f->st[i], late);
	/* in backend order, as each run's end: --strict stops at the first */
	for (unsigned int i = 0; i < o->nr_backends; i++)
		if (check_maps(o, f->st[i].run))
			return 1;
	for (unsigned int i = 0; i < o->nr_backends; i++) {
		run_teardown(&f->st[i]);	/* its frees go into the run's --l2-log */
		if (run_copy_out(f->st[i].csv, o->csv) || run_copy_out(f->st[i].l2_log, o->l2_log))
			return 1;
	}
	return 0;
}

static void fanout_end(struct fanout *f)
{
	for (unsigned int i = 0; i < f->o->nr_backends; i++)
		run_end(&f->st[i]);
	mm_boot_put(f->boot);
	f->boot = NULL;
}

/*
 * The stream: each event, once the window gives it out, replayed on every
 * run.  A domain named after the first event sets *@again (the file is read
 * whole instead: replay_whole()), or is an error when the input cannot be
 * read again (a pipe).  Returns 0 or 1 (error printed).
 */
static int replay_stream(const struct replay_opts *o, struct replay_trace *t,
			 struct replay_run *runs, bool *again)
{
	struct replay_input in;
	struct fanout f;
	struct trace_event ev;
	int ret;

	if (replay_input_open(&in, o, t))
		return 1;
	fanout_init(&f, o, runs);
	while ((ret = replay_input_next(&in, &ev)) > 0) {
		uint32_t id = event_domain(o, &ev);
		bool named = domain_ids_add(&f.seen, id, f.nr_events + 1);

		ret = 0;
		if (!f.started) {
			ret = fanout_start(&f, &f.seen, ev.ts_ns);
		} else if (named) {
			if (trace_reader_is_file(in.r)) {
				*again = true;
				ret = 0;
				goto out;
			}
			ret = cli_error("%s: event %" PRIu64 ": IOMMU domain %" PRIu32 " is first named after the replay began: "
					"a trace with several domains is read whole, from a file, not a pipe (or use --single-domain)",
					o->trace_path, f.nr_events + 1, id);
		}
		if (ret || fanout_event(&f, &ev)) {
			ret = 1;
			goto out;
		}
	}
	if (ret == 0)
		ret = replay_input_finish(&in, t) || fanout_finish(&f, t, in.ord.late);
	else
		ret = 1;
out:
	fanout_end(&f);
	replay_input_close(&in);
	return ret;
}

/* The trace read whole, every domain it names created before its first event. */
static int replay_whole(const struct replay_opts *o, struct replay_trace *t, struct replay_run *runs)
{
	struct trace_buf buf = { 0 };
	struct fanout f;
	uint64_t late = 0;
	int ret;

	ret = replay_input_load(o, &buf, t, &late);
	if (ret)
		goto out_buf;
	fanout_init(&f, o, runs);
	for (uint64_t i = 0; i < buf.nr; i++)
		domain_ids_add(&f.seen, event_domain(o, &buf.ev[i]), i + 1);
	ret = buf.nr ? fanout_start(&f, &f.seen, buf.ev[0].ts_ns) : 0;
	for (uint64_t i = 0; i < buf.nr && !ret; i++)
		ret = fanout_event(&f, &buf.ev[i]);
	if (!ret)
		ret = fanout_finish(&f, t, late);
	fanout_end(&f);
out_buf:
	free(buf.ev);
	return ret;
}

int replay_run_all(const struct replay_opts *o, struct replay_trace *t, struct replay_run *runs)
{
	bool again = false;
	int ret;

	if (o->csv)
		metrics_csv_header(o->csv);
	ret = replay_stream(o, t, runs, &again);
	if (!ret && again)
		ret = replay_whole(o, t, runs);
	return ret;
}

int replay_trace_load(const struct replay_opts *o, struct replay_trace *t,
		      struct trace_event **ev, uint64_t *nr, uint64_t *late)
{
	struct trace_buf buf = { 0 };
	struct domain_ids seen = { .nr = 0 };
	int ret = replay_input_load(o, &buf, t, late);

	if (ret) {
		free(buf.ev);
		return ret;
	}
	for (uint64_t i = 0; i < buf.nr; i++)
		domain_ids_add(&seen, event_domain(o, &buf.ev[i]), i + 1);
	t->domains = o->per_domain ? seen.nr : buf.nr ? 1 : 0;
	*ev = buf.ev;
	*nr = buf.nr;
	return 0;
}
