// SPDX-License-Identifier: GPL-2.0
/*
 * engine.c - run a synthetic workload: the machine, the clock, the actors,
 * the event sink; and the registry of workloads.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dma.h"
#include "engine.h"
#include "workloads.h"

static const struct synth_workload *const workloads[] = {
	&synth_display,
	&synth_video,
	&synth_camera,
	&synth_browse,
	&synth_churn,
	&synth_frag_worst,
	&synth_day,
	&synth_mtk16g,
};

const struct synth_workload *synth_workload_get(unsigned int i)
{
	return i < ARRAY_SIZE(workloads) ? workloads[i] : NULL;
}

const struct synth_workload *synth_workload_find(const char *name)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(workloads); i++)
		if (!strcmp(workloads[i]->name, name))
			return workloads[i];
	return NULL;
}

int synth_add_actor(struct synth *s, struct synth_actor *a)
{
	if (s->nr_actors == SYNTH_MAX_ACTORS)
		return -ENOSPC;
	s->actors[s->nr_actors++] = a;
	return 0;
}

uint64_t synth_below(struct synth *s, uint64_t bound)
{
	return prng_below(&s->rng, bound);
}

/*
 * ln(x) for 0 < x <= 1 with +, -, *, / only (IEEE-exact everywhere, unlike a
 * libm's log): x = m * 2^e with m in [sqrt(1/2), sqrt(2)), then
 * ln(m) = 2 atanh(t), t = (m - 1) / (m + 1), |t| < 0.172, 12 odd terms.
 */
double synth_ln(double x)
{
	double m = x, t, t2, sum = 0.0, term;
	int e = 0;

	while (m < 0.70710678118654752440) {
		m *= 2.0;
		e--;
	}
	t = (m - 1.0) / (m + 1.0);
	t2 = t * t;
	term = t;
	for (int k = 1; k <= 23; k += 2) {
		sum += term / k;
		term *= t2;
	}
	return 2.0 * sum + e * 0.69314718055994530942;
}

uint64_t synth_exp_ns(struct synth *s, uint64_t mean_ns)
{
	/* u in (0, 1]: never ln(0) */
	double u = (double)((prng_next(&s->rng) >> 11) + 1) * (1.0 / 9007199254740992.0);
	double v = -synth_ln(u) * (double)mean_ns;

	return v < 1.0 ? 1 : (uint64_t)v;
}

unsigned int synth_pick(struct synth *s, const unsigned int *weights, unsigned int n)
{
	uint64_t total = 0, r;

	for (unsigned int i = 0; i < n; i++)
		total += weights[i];
	r = synth_below(s, total);
	for (unsigned int i = 0; i < n; i++) {
		if (r < weights[i])
			return i;
		r -= weights[i];
	}
	return n - 1;
}

void synth_client_init(struct synth_client *c, const char *name, uint32_t pid)
{
	c->name = name;
	c->pid = pid;
	c->cpu = (int)(pid % SYNTH_NR_CPUS);
	c->iovad = NULL;
	c->iova_limit_pfn = 0;
}

int synth_pick_cpu(struct synth *s, struct synth_client *c)
{
	if (!synth_below(s, SYNTH_MIGRATE_ONE_IN))
		c->cpu = (int)synth_below(s, SYNTH_NR_CPUS);
	return c->cpu;
}

int synth_grow(void **mem, uint32_t *cap, uint32_t need, size_t elem_bytes)
{
	uint32_t n = *cap ? *cap : 8;
	void *grown;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	grown = realloc(*mem, (size_t)n * elem_bytes);
	if (!grown)
		return -ENOMEM;
	*mem = grown;
	*cap = n;
	return 0;
}

static void synth_emit(struct synth *s, struct trace_event *ev)
{
	int ret;

	if (s->stopped)
		return;
	if (s->opts->max_events && s->res.events == s->opts->max_events) {
		s->stopped = true;
		return;
	}
	ev->ts_ns = s->now_ns;
	ev->domain = SYNTH_DOMAIN_ID;
	ev->ctx = 0;			/* process context: README "context" */
	ev->has = TRACE_HAS_CPU | TRACE_HAS_CTX | TRACE_HAS_DOMAIN | TRACE_HAS_GFP | TRACE_HAS_PID;
	ret = s->emit(s->emit_ctx, ev);
	if (ret) {
		s->error = ret;
		s->stopped = true;
		return;
	}
	s->res.events++;
	if (ev->op == TRACE_OP_MAP)
		s->res.maps++;
	else
		s->res.unmaps++;
	s->now_ns += SYNTH_EVENT_NS;
}

void synth_emit_map(struct synth *s, const struct synth_client *c, int cpu, uint64_t iova,
		    uint64_t paddr, uint64_t size_bytes)
{
	struct trace_event ev = {
		.op = TRACE_OP_MAP,
		.iova = iova,
		.paddr = paddr,
		.size_bytes = size_bytes,
		/* dma-iommu maps with iommu_map_sg_atomic / iommu_map_atomic in 6.1 */
		.gfp = GFP_ATOMIC,
		.pid = c->pid,
		.cpu = (uint16_t)cpu,
	};

	synth_emit(s, &ev);
}

void synth_emit_unmap(struct synth *s, const struct synth_client *c, int cpu, uint64_t iova,
		      uint64_t size_bytes)
{
	struct trace_event ev = {
		.op = TRACE_OP_UNMAP,
		.iova = iova,
		.size_bytes = size_bytes,
		/* the model maps every byte it unmaps: __iommu_unmap reports it all */
		.unmapped_bytes = size_bytes,
		.pid = c->pid,
		.cpu = (uint16_t)cpu,
	};

	synth_emit(s, &ev);
}

/* The actor to run next: the earliest, the first registered on a tie. */
static struct synth_actor *next_actor(const struct synth *s)
{
	struct synth_actor *best = NULL;

	for (unsigned int i = 0; i < s->nr_actors; i++)
		if (s->actors[i]->next_ns != SYNTH_NEVER &&
		    (!best || s->actors[i]->next_ns < best->next_ns))
			best = s->actors[i];
	return best;
}

int synth_generate(const struct synth_workload *w, const struct synth_opts *o,
		   synth_emit_t emit, void *emit_ctx, struct synth_result *res,
		   char *err, size_t err_bytes)
{
	struct synth s = { .opts = o, .emit = emit, .emit_ctx = emit_ctx };
	struct mm_cfg cfg;
	struct synth_actor *a;
	int ret;

	memset(res, 0, sizeof(*res));
	/* an MT8173 Chromebook (mt8173-4g unless o->memory names another layout, whose
	 * buffers then sit where that machine has memory), 4 CPUs, the 6.1 kernel */
	mm_cfg_default(&cfg);
	if (o->memory) {
		const struct memory_layout *l = memory_layout_find(o->memory);

		if (!l) {
			snprintf(err, err_bytes, "synth: unknown memory '%s'", o->memory);
			return -EINVAL;
		}
		cfg.layout = *l;
	}
	cfg.kernel = KVER_6_1;
	cfg.nr_cpus = SYNTH_NR_CPUS;
	cfg.seed = o->seed;
	s.mm = mm_create(&cfg, err, err_bytes);
	if (!s.mm)
		return -ENOMEM;
	ret = iova_domain_init(&s.iovad, DMA_IOVA_START_PFN, SYNTH_NR_CPUS);
	if (ret) {
		snprintf(err, err_bytes, "synth %s: out of host memory", w->name);
		goto out_mm;
	}
	/* a stream of its own, apart from the machine's */
	prng_seed(&s.rng, o->seed ^ 0x53594e5448ULL);
	s.end_ns = (o->duration_ns ? o->duration_ns : w->default_duration_s * NSEC_PER_SEC);
	ret = w->setup(&s);
	if (ret) {
		snprintf(err, err_bytes, "synth %s: %s", w->name,
			 ret == -ENOSPC ? "too many clients" : "out of host memory");
		goto out_actors;
	}
	while (!s.stopped && (a = next_actor(&s)) && a->next_ns < s.end_ns) {
		if (a->next_ns > s.now_ns)
			s.now_ns = a->next_ns;
		mm_advance_time(s.mm, s.now_ns);
		a->step(&s, a);
	}
	if (s.error && !ret) {
		ret = s.error;
		snprintf(err, err_bytes, "synth %s: %s", w->name,
			 ret == -ENOMEM ? "out of host memory" : strerror(-ret));
	}
	s.res.end_ns = s.now_ns;
	*res = s.res;
out_actors:
	for (unsigned int i = s.nr_actors; i-- > 0;)
		if (s.actors[i]->destroy)
			s.actors[i]->destroy(s.actors[i]);
	iova_domain_exit(&s.iovad);
out_mm:
	mm_destroy(s.mm);
	return ret;
}
