/* SPDX-License-Identifier: GPL-2.0 */
/*
 * slub_slab.h - one slab of the SLUB model (slub_slab.c): made, discarded,
 * an object taken from or given back to its freelist, an object's slab.
 * Called by slub.c and slub_partial.c.
 */
#ifndef PTB_SLUB_SLAB_H
#define PTB_SLUB_SLAB_H

#include "slub_def.h"

/* The slab @obj (an object's data address) is in; its index there in @index. */
uint32_t phys_to_slab(struct kmem_cache *s, phys_addr_t obj, unsigned int *index);
/* A new slab for @user: its index, or SLAB_NONE when the page allocator says no. */
uint32_t new_slab(struct kmem_cache *s, gfp_t gfp, int cpu, enum slub_user user);
/* An empty slab's pages back to the page allocator, its slot freed. */
void discard_slab(struct kmem_cache *s, uint32_t idx, int cpu);
/* Take the freelist's top object for @user; returns its index in the slab. */
unsigned int slab_pop(struct kmem_cache *s, uint32_t idx, enum slub_user user);
/* Give object @i back to the top of the freelist (a double free is a BUG). */
void slab_push(struct kmem_cache *s, uint32_t idx, unsigned int i);
/*
 * The two halves of each, for objects that sit in a 7.2 sheaf between the
 * freelist and a user (slub_sheaf.c): taken off or given back to the freelist
 * (slab->inuse), and handed to or back from @user (the per-user counts, where
 * an object in a sheaf still counts as free).
 */
unsigned int slab_take(struct kmem_cache *s, uint32_t idx);
void slab_give(struct kmem_cache *s, uint32_t idx, unsigned int i);
void slab_hand(struct kmem_cache *s, uint32_t idx, unsigned int i, enum slub_user user);
void slab_unhand(struct kmem_cache *s, uint32_t idx, unsigned int i);

#endif /* PTB_SLUB_SLAB_H */
