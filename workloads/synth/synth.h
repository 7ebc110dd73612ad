/* SPDX-License-Identifier: GPL-2.0 */
/*
 * synth.h - synthetic IOMMU workloads of a MediaTek MT8173 Chromebook
 * (workloads/synth/README.md has every size and rate with its source).
 *
 * Types:
 *   struct synth_workload  one named workload: `ptbench synth NAME`.
 *   struct synth_opts      what a generation depends on (seed, caps).
 *   struct synth_result    what it produced.
 * A workload drives models of the MT8173's IOMMU clients (display, video
 * decoder, MDP, JPEG decoder, camera path) through a model of the kernel's
 * dma-iommu layer on a simulated machine, and hands out, in time order, the
 * iommu:map / iommu:unmap events the 6.1 kernel would trace.  Same options,
 * same events: everything random comes from the seed.
 */
#ifndef PTB_SYNTH_H
#define PTB_SYNTH_H

#include <stddef.h>
#include <stdint.h>

#include "trace.h"

struct synth_opts {
	uint64_t seed;
	uint64_t max_events;		/* stop after this many events; 0 = no cap */
	uint64_t duration_ns;		/* simulated time; 0 = the workload's default */
	const char *memory;		/* the machine's layout name; NULL = mt8173-4g */
};

struct synth_result {
	uint64_t events, maps, unmaps;
	uint64_t end_ns;		/* simulated time reached */
	uint64_t dma_allocs, dma_frees, dma_maps, dma_unmaps;
	uint64_t alloc_failures;	/* buffers the machine or the IOVA space refused */
};

struct synth;

/* Receives each event, in nondecreasing ts_ns.  Returns 0, or -errno to stop. */
typedef int (*synth_emit_t)(void *ctx, const struct trace_event *ev);

struct synth_workload {
	const char *name;
	const char *what;		/* one line for `ptbench list -v workloads` */
	uint64_t default_duration_s;
	int (*setup)(struct synth *s);	/* start the clients (engine.h) */
};

const struct synth_workload *synth_workload_find(const char *name);
const struct synth_workload *synth_workload_get(unsigned int i);	/* NULL past the end */

/**
 * synth_generate() - run workload @w and pass every event to @emit.
 * @err: on failure, one line naming the reason.
 * Returns 0 (with *@res filled), or -errno: -ENOMEM (host memory), or what
 * @emit returned.
 */
int synth_generate(const struct synth_workload *w, const struct synth_opts *o,
		   synth_emit_t emit, void *emit_ctx, struct synth_result *res,
		   char *err, size_t err_bytes);

#endif /* PTB_SYNTH_H */
