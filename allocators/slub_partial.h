/* SPDX-License-Identifier: GPL-2.0 */
/*
 * slub_partial.h - the node and per-CPU partial lists of the SLUB model
 * (slub_partial.c).  Called by slub.c.
 */
#ifndef PTB_SLUB_PARTIAL_H
#define PTB_SLUB_PARTIAL_H

#include "slub_def.h"

/* A slab onto the node partial list, at its tail or head. */
void add_partial(struct kmem_cache *s, uint32_t idx, bool tail);
void remove_partial(struct kmem_cache *s, uint32_t idx);
/* Every slab of a detached per-CPU list to the node, or discarded. */
void unfreeze_partials(struct kmem_cache *s, uint32_t idx, int cpu);
/* A slab onto @cpu's partial list; with @drain a full list goes to the node first. */
void put_cpu_partial(struct kmem_cache *s, uint32_t idx, int cpu, bool drain);
/* Refill @cpu from the node partial list; true if it got an active slab. */
bool get_partial_node(struct kmem_cache *s, int cpu);

#endif /* PTB_SLUB_PARTIAL_H */
