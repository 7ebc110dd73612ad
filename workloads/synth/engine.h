/* SPDX-License-Identifier: GPL-2.0 */
/*
 * engine.h - the inside of a synthetic workload: the simulated clock, the
 * clients ("actors") that act on it, and the events they emit.
 *
 * Types:
 *   struct synth        one generation: the machine, the IOVA domain, the
 *                       clock, the PRNG, the actors, the event sink.
 *   struct synth_actor  something that acts at a simulated time: step() runs
 *                       at next_ns and sets the next next_ns.
 * Terms: "now" is simulated ns since the start; an "op" is one DMA API call
 * of a driver (dma.h), which emits its events at now, now + SYNTH_EVENT_NS...
 *
 * The engine runs the actor with the earliest next_ns (ties: the one
 * registered first) until the duration is reached or the event cap hit, so
 * events come out in time order and the run is a function of the seed.
 */
#ifndef PTB_SYNTH_ENGINE_H
#define PTB_SYNTH_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "glue.h"
#include "iova.h"
#include "mm.h"
#include "synth.h"

#define SYNTH_MAX_ACTORS	32
#define SYNTH_NR_CPUS		4		/* MT8173: 2x Cortex-A72 + 2x Cortex-A53 */
#define SYNTH_DOMAIN_ID		1		/* the one M4U domain (README: "one domain") */
/* Simulated time one iommu_map / iommu_unmap call takes: the gap between two
 * events of one op (an assumption; README). */
#define SYNTH_EVENT_NS		2000ULL
#define NSEC_PER_MSEC		1000000ULL
#define NSEC_PER_SEC		1000000000ULL
#define SYNTH_NEVER		UINT64_MAX

struct synth;

struct synth_actor {
	uint64_t next_ns;		/* SYNTH_NEVER: idle until someone wakes it */
	void (*step)(struct synth *s, struct synth_actor *a);
	/* Free the actor's host memory at the end (no events); optional. */
	void (*destroy)(struct synth_actor *a);
};

/* A task that calls the DMA API: its pid goes into every event it causes. */
struct synth_client {
	const char *name;		/* for the README and debugging */
	uint32_t pid;
	int cpu;			/* where it runs now (synth_pick_cpu) */
	/*
	 * The dma-iommu cookie's IOVA domain of the client's iommu_domain, and
	 * its limit (min(DMA mask, aperture end) >> PAGE_SHIFT); NULL: the one
	 * M4U domain (s->iovad, DMA_IOVA_LIMIT_PFN).  Set after
	 * synth_client_init for a client in an IOVA region of its own (mtk16g.c).
	 */
	struct iova_domain *iovad;
	uint64_t iova_limit_pfn;
};

/* Name a client; it starts on CPU pid % SYNTH_NR_CPUS. */
void synth_client_init(struct synth_client *c, const char *name, uint32_t pid);

struct synth {
	const struct synth_opts *opts;
	struct mm *mm;
	struct iova_domain iovad;
	struct prng rng;
	uint64_t now_ns, end_ns;
	bool stopped;			/* event cap reached or the sink failed */
	int error;			/* -errno from the sink or the host */
	synth_emit_t emit;
	void *emit_ctx;
	struct synth_actor *actors[SYNTH_MAX_ACTORS];
	unsigned int nr_actors;
	struct synth_result res;
};

/* Register an actor; its first step runs at a->next_ns.  Returns 0 or -ENOSPC. */
int synth_add_actor(struct synth *s, struct synth_actor *a);

/* Randomness, all from s->rng. */
uint64_t synth_below(struct synth *s, uint64_t bound);		/* uniform in [0, bound) */
/* An exponential variate of mean @mean_ns (Poisson arrivals), at least 1 ns. */
uint64_t synth_exp_ns(struct synth *s, uint64_t mean_ns);
/* Index drawn from @weights (@n entries, sum > 0). */
unsigned int synth_pick(struct synth *s, const unsigned int *weights, unsigned int n);
/*
 * The CPU @c's next op runs on: the task stays where it ran (wake-affine
 * scheduling) and moves to a random CPU before one op in SYNTH_MIGRATE_ONE_IN.
 */
#define SYNTH_MIGRATE_ONE_IN	16
int synth_pick_cpu(struct synth *s, struct synth_client *c);
/*
 * Make room for @need elements of @elem_bytes in *@mem (capacity *@cap,
 * doubled from 8).  Returns 0 or -ENOMEM (the old block is kept).
 */
int synth_grow(void **mem, uint32_t *cap, uint32_t need, size_t elem_bytes);

/*
 * Emit one event at s->now_ns, then advance now by SYNTH_EVENT_NS.  Stops the
 * run (s->stopped) at the event cap; after that it emits nothing.
 */
void synth_emit_map(struct synth *s, const struct synth_client *c, int cpu, uint64_t iova,
		    uint64_t paddr, uint64_t size_bytes);
void synth_emit_unmap(struct synth *s, const struct synth_client *c, int cpu, uint64_t iova,
		      uint64_t size_bytes);

/* Natural-log helper with IEEE basic operations only, so runs are identical
 * on every libm: ln(x) for 0 < x <= 1. */
double synth_ln(double x);

#endif /* PTB_SYNTH_ENGINE_H */
