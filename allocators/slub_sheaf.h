/* SPDX-License-Identifier: GPL-2.0 */
/*
 * slub_sheaf.h - 7.2's per-CPU sheaves of the SLUB model (slub_sheaf.c):
 * where kernel_rules()->slub_sheaves says so, a cache without debug flags
 * has no per-CPU slabs nor partial lists; each CPU keeps freed objects in a
 * main and a spare sheaf of sheaf_capacity objects, the node keeps more in
 * its barn, and the slabs are reached only to refill or flush a whole sheaf.
 * Called by slub.c; calls slub_partial.c (the node list) and slub_slab.c.
 */
#ifndef PTB_SLUB_SHEAF_H
#define PTB_SLUB_SHEAF_H

#include "slub_def.h"

/*
 * calculate_sheaf_capacity() (7.2 mm/slub.c) for an object of @size bytes
 * (s->size) and no debug flags: 4, 12, 26 or 60 objects by size, rounded up
 * so that the sheaf fills a kmalloc size exactly.
 */
unsigned int slub_sheaf_capacity(unsigned int size);
/* init_percpu_sheaves(): an empty main sheaf per CPU.  Returns 0 or -ENOMEM. */
int sheaves_init(struct kmem_cache *s);
/* alloc_from_pcs() and, when it gives up, ___slab_alloc(): 0 or -ENOMEM. */
int sheaf_alloc(struct kmem_cache *s, gfp_t gfp, int cpu, enum slub_user user, phys_addr_t *out);
/* free_to_pcs(): @obj into @cpu's main sheaf, making room as 7.2 does. */
void sheaf_free(struct kmem_cache *s, phys_addr_t obj, int cpu);
/* flush_all() + barn_shrink(): every cached object back to its slab. */
void sheaves_flush(struct kmem_cache *s);
/* The sheaves' own memory, at kmem_cache_destroy (after sheaves_flush). */
void sheaves_free(struct kmem_cache *s);
/* Objects in sheaves (per-CPU and barn). */
uint64_t sheaves_objects(const struct kmem_cache *s);

#endif /* PTB_SLUB_SHEAF_H */
