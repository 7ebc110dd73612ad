// SPDX-License-Identifier: GPL-2.0
/*
 * replay.c - events in timestamp order through v7s -> backend -> machine.
 *
 * The trace is read once into memory, put in timestamp order within the
 * reorder window, then replayed once per backend on a fresh machine built
 * from the same options and seed.  The loop itself never allocates: the
 * events are an array, the page tables live in simulated memory, and the
 * metrics are counters.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "pressure.h"
#include "replay.h"
#include "sha256.h"
#include "trace_reader.h"
#include "v7s_mm.h"

#define REPLAY_MAX_DOMAINS 64

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
	o->mm.seed = o->seed;
	o->mm.fail.seed = o->seed;
	if (!o->mm.fail.interval)
		o->mm.fail.interval = 1;	/* --fail-interval 0: every call, as 1 */
}

/* ---- the trace in memory, in replay order ---- */

struct trace_buf {
	struct trace_event *ev;
	uint64_t nr, cap;
};

static int trace_buf_push(struct trace_buf *b, const struct trace_event *ev)
{
	if (b->nr == b->cap) {
		uint64_t cap = b->cap ? b->cap * 2 : 4096;
		struct trace_event *grown = realloc(b->ev, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		b->ev = grown;
		b->cap = cap;
	}
	b->ev[b->nr++] = *ev;
	return 0;
}

struct order_key {
	uint64_t key_ns;
	uint64_t seq;
};

static int order_key_cmp(const void *pa, const void *pb)
{
	const struct order_key *a = pa, *b = pb;

	if (a->key_ns != b->key_ns)
		return a->key_ns < b->key_ns ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/*
 * Timestamp order within the reorder window: an event at most window ns
 * older than the newest event read before it is sorted into place; an
 * older one is "late" and replayed where it was read (at the newest time
 * seen), and counted.  (key, seq) is unique, so qsort gives one order.
 */
static int trace_buf_order(struct trace_buf *b, uint64_t window_ns, uint64_t *late)
{
	struct order_key *keys = malloc((b->nr ? b->nr : 1) * sizeof(*keys));
	struct trace_event *sorted = malloc((b->nr ? b->nr : 1) * sizeof(*sorted));
	uint64_t newest = 0;

	if (!keys || !sorted) {
		free(keys);
		free(sorted);
		return -ENOMEM;
	}
	*late = 0;
	for (uint64_t i = 0; i < b->nr; i++) {
		uint64_t ts = b->ev[i].ts_ns;

		keys[i].seq = i;
		if (i && ts < newest && newest - ts > window_ns) {	/* no ts + window: it overflows */
			keys[i].key_ns = newest;
			(*late)++;
		} else {
			keys[i].key_ns = ts;
		}
		if (ts > newest)
			newest = ts;
	}
	qsort(keys, b->nr, sizeof(*keys), order_key_cmp);
	for (uint64_t i = 0; i < b->nr; i++)
		sorted[i] = b->ev[keys[i].seq];
	free(keys);
	free(b->ev);
	b->ev = sorted;
	return 0;
}

static int trace_load(const struct replay_opts *o, struct trace_buf *b, struct replay_trace *t,
		      uint64_t *late)
{
	struct trace_open_opts topts = { .skip_bad = o->skip_bad };
	const struct trace_read_stats *st;
	struct trace_reader *r;
	struct trace_event ev;
	char err[512];
	int ret;

	memset(t, 0, sizeof(*t));
	ret = sha256_file_hex(o->trace_path, t->sha256);
	if (ret)
		return cli_error("%s: %s", o->trace_path, strerror(-ret));
	if (trace_open(o->trace_path, &topts, &r, err, sizeof(err)))
		return cli_error("%s", err);
	while ((ret = trace_read_next(r, &ev)) > 0) {
		if (trace_buf_push(b, &ev)) {
			trace_close(r);
			return cli_error("%s: out of memory after %" PRIu64 " events", o->trace_path, b->nr);
		}
	}
	if (ret < 0) {
		cli_error("%s", trace_error(r));
		trace_close(r);
		return 1;
	}
	if (cli_check_entries(o->trace_path, r, o->strict) ||
	    cli_check_events(o->trace_path, r, o->strict) ||
	    cli_check_lost(o->trace_path, r, o->strict)) {
		trace_close(r);
		return 1;
	}
	st = trace_stats(r);
	t->format = trace_format_name(trace_reader_format(r));
	t->events = b->nr;
	t->maps = st->maps;
	t->unmaps = st->unmaps;
	t->skipped = st->bad_lines_skipped;
	t->other_events = st->other_events;
	t->lost_events = st->lost_events;
	t->converted_skipped = st->converted_skipped;
	trace_close(r);
	/* a CPU the machine does not have replays on CPU % --cpus: said once */
	for (uint64_t i = 0; i < b->nr; i++)
		if ((b->ev[i].has & TRACE_HAS_CPU) && b->ev[i].cpu >= o->mm.nr_cpus)
			t->cpus_folded_events++;
	if (t->cpus_folded_events)
		cli_error("%s: %" PRIu64 " events on CPUs >= --cpus %u replay on CPU %% %u",
			  o->trace_path, t->cpus_folded_events, o->mm.nr_cpus, o->mm.nr_cpus);
	if (trace_buf_order(b, o->reorder_window_ns, late))
		return cli_error("%s: out of memory ordering %" PRIu64 " events", o->trace_path, b->nr);
	return 0;
}

/* ---- domains ---- */

struct domains {
	uint32_t id[REPLAY_MAX_DOMAINS];
	struct v7s_mm_domain *dom[REPLAY_MAX_DOMAINS];
	unsigned int nr;
};

/* The page table of a trace domain, created on its first event. */
static struct v7s_mm_domain *domain_get(struct domains *d, uint32_t id, struct mm *mm,
					struct pt_alloc *a, bool check, char *err, size_t err_bytes)
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
	dom = v7s_mm_domain_create(mm, a, &cfg, err, err_bytes);
	if (!dom)
		return NULL;
	if (check && v7s_mm_enable_check(dom)) {
		v7s_mm_domain_destroy(dom);
		snprintf(err, err_bytes, "out of host memory for --check");
		return NULL;
	}
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

/*
 * Every domain the trace uses, created before the first event in the order
 * the trace first names them: the IOMMU driver allocates its page tables at
 * probe (mtk_iommu: one DMA domain at boot), before the workload and before
 * any memory pressure, so a level-1 table (order 2, no reclaim flags) is
 * never refused by a pressed zone.
 */
static int domains_probe(struct domains *d, const struct trace_buf *b, const struct replay_opts *o,
			 struct mm *mm, struct pt_alloc *a)
{
	char err[512];

	for (uint64_t i = 0; i < b->nr; i++) {
		const struct trace_event *ev = &b->ev[i];
		uint32_t id = o->per_domain && (ev->has & TRACE_HAS_DOMAIN) ? ev->domain : 0;

		if (!domain_get(d, id, mm, a, o->check, err, sizeof(err)))
			return cli_error("%s: event %" PRIu64 ": %s", o->trace_path, i + 1, err);
	}
	return 0;
}

static uint64_t count_domains(const struct trace_buf *b, bool per_domain)
{
	uint32_t seen[REPLAY_MAX_DOMAINS + 1];
	uint64_t nr = 0;

	if (!per_domain)
		return b->nr ? 1 : 0;
	for (uint64_t i = 0; i < b->nr; i++) {
		uint32_t id = b->ev[i].has & TRACE_HAS_DOMAIN ? b->ev[i].domain : 0;
		uint64_t k;

		for (k = 0; k < nr && seen[k] != id; k++)
			;
		if (k == nr && nr <= REPLAY_MAX_DOMAINS)
			seen[nr++] = id;
	}
	return nr;
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

static int replay_one(const struct replay_opts *o, const struct pt_backend *b,
		      const struct trace_buf *buf, uint64_t late, struct replay_run *run)
{
	struct pt_cfg cfg = o->pt;
	struct run_counters own = { .late_events = late }, c;
	struct domains doms = { .nr = 0 };
	struct metrics m;
	struct pressure *p = NULL;
	struct pt_alloc *a;
	struct mm *mm;
	char err[512];
	uint64_t t0_ns, first_ts = buf->nr ? buf->ev[0].ts_ns : 0;
	int ret = 1;

	memset(run, 0, sizeof(*run));
	run->measured = RUN_M_MODEL;
	mm = mm_create(&o->mm, err, sizeof(err));
	if (!mm)
		return cli_error("the machine (--memory, --cpus, --min-free-kbytes, --watermarks): %s", err);
	a = pt_alloc_create(b, mm, &cfg, err, sizeof(err));
	if (!a) {
		cli_error("%s", err);
		goto out_mm;
	}
	if (domains_probe(&doms, buf, o, mm, a))
		goto out_domains;
	/* the workload's time starts with others already pressing on memory */
	p = pressure_create(&o->pressure, mm, o->seed, first_ts, err, sizeof(err));
	if (!p) {
		cli_error("%s", err);
		goto out_domains;
	}
	metrics_init(&m, a, mm, pt_backend_name(b), o->interval_ns, o->csv);
	t0_ns = host_now_ns();
	for (uint64_t i = 0; i < buf->nr; i++) {
		const struct trace_event *ev = &buf->ev[i];
		uint32_t id = o->per_domain && (ev->has & TRACE_HAS_DOMAIN) ? ev->domain : 0;
		int cpu = ev->has & TRACE_HAS_CPU ? (int)(ev->cpu % o->mm.nr_cpus) : 0;
		struct v7s_mm_domain *dom;

		domains_counters(&doms, &own, &c);
		metrics_tick(&m, ev->ts_ns, &c);
		/* time advances (kswapd runs), others act, then the event */
		mm_advance_time(mm, ev->ts_ns - MIN(ev->ts_ns, first_ts));
		pressure_tick(p);
		dom = domain_get(&doms, id, mm, a, o->check, err, sizeof(err));
		if (!dom) {
			cli_error("%s: event %" PRIu64 ": %s", o->trace_path, i + 1, err);
			goto out_domains;
		}
		own.events++;
		dom->l2_log = o->l2_log;	/* --l2-log: every L2 op of this event */
		dom->l2_log_backend = pt_backend_name(b);
		dom->l2_log_event = i;
		if (ev->op == TRACE_OP_MAP) {
			own.maps++;
			iommu_map(&dom->dom, ev->iova, ev->paddr, ev->size_bytes, event_gfp(o, ev), cpu);
		} else {
			uint64_t unmapped = iommu_unmap(&dom->dom, ev->iova, ev->size_bytes, cpu);

			own.unmaps++;
			own.unmap_mismatches += unmapped != ev->unmapped_bytes;
		}
		domains_counters(&doms, &own, &c);
		metrics_event(&m, ev->ts_ns, &c);
	}
	run->host_ns = host_now_ns() - t0_ns;
	domains_counters(&doms, &own, &c);
	metrics_finish(&m, &c, &run->sum);
	run->cfg = cfg;
	run->l1_tables = doms.nr;
	pressure_get_stats(p, &run->pressure);
	ret = 0;

out_domains:
	pressure_destroy(p);
	for (unsigned int d = 0; d < doms.nr; d++)
		v7s_mm_domain_destroy(doms.dom[d]);
	/* teardown gave every table back: a leak here is a model bug */
	PTB_BUG_ON(a->live_tables != 0);
	pt_alloc_destroy(a);
	PTB_BUG_ON(mm_held_pages_total(mm, OWNER_PT_BACKEND) != 0);
out_mm:
	mm_destroy(mm);
	return ret;
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

int replay_run_all(const struct replay_opts *o, struct replay_trace *t, struct replay_run *runs)
{
	struct trace_buf buf = { 0 };
	uint64_t late = 0;
	int ret;

	if (o->csv)
		metrics_csv_header(o->csv);
	ret = trace_load(o, &buf, t, &late);
	if (ret)
		goto out;
	t->domains = count_domains(&buf, o->per_domain);
	for (unsigned int i = 0; i < o->nr_backends; i++) {
		ret = replay_one(o, o->backends[i], &buf, late, &runs[i]);
		if (ret || (ret = check_maps(o, &runs[i])))
			break;
	}
out:
	free(buf.ev);
	return ret;
}

int replay_trace_load(const struct replay_opts *o, struct replay_trace *t,
		      struct trace_event **ev, uint64_t *nr, uint64_t *late)
{
	struct trace_buf buf = { 0 };
	int ret = trace_load(o, &buf, t, late);

	if (ret) {
		free(buf.ev);
		return ret;
	}
	t->domains = count_domains(&buf, o->per_domain);
	*ev = buf.ev;
	*nr = buf.nr;
	return 0;
}
