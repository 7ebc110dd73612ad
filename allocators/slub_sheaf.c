// SPDX-License-Identifier: GPL-2.0
/*
 * slub_sheaf.c - the per-CPU sheaves and the barn of a 7.2 SLUB cache
 * (slub_sheaf.h), after Debian's linux-source-7.2 (7.2.13) mm/slub.c:
 * alloc_from_pcs, __pcs_replace_empty_main, free_to_pcs,
 * __pcs_replace_full_main, __pcs_install_empty_sheaf, refill_objects
 * (__refill_objects_node, get_partial_node_bulk, alloc_from_new_slab),
 * ___slab_alloc's fallback, sheaf_flush_unused / __kmem_cache_free_bulk
 * (build_detached_freelist, __slab_free), pcs_flush_all, barn_shrink.
 * One node, single-threaded: every trylock succeeds, nothing migrates.
 *
 * Not modelled: the sheaves' own memory (kmalloc of 32 + 8 x capacity
 * bytes from a kmalloc cache, never this one; the model's sheaves never
 * fail to be allocated), kfree_rcu's rcu_free sheaf, pfmemalloc slabs.
 */
#include <errno.h>
#include <stdlib.h>

#include "slub_partial.h"
#include "slub_sheaf.h"
#include "slub_slab.h"

#define MAX_FULL_SHEAVES 10	/* barn_replace_full_sheaf's limit */
#define PCS_BATCH_MAX 32u	/* __sheaf_flush_main_batch */
#define SHEAF_HEADER_BYTES 32	/* 64-bit struct slab_sheaf before objects[] */
#define REFILL_MAX_SLABS 64	/* more than a sheaf's objects: each slab gives one at least */

/* kmalloc_size_roundup() for the sizes a sheaf can have (8-byte minimum alignment). */
static unsigned int kmalloc_roundup(unsigned int bytes)
{
	unsigned int sz = 8;

	if (bytes > 64 && bytes <= 96)
		return 96;
	if (bytes > 128 && bytes <= 192)
		return 192;
	while (sz < bytes)
		sz *= 2;
	return sz;
}

unsigned int slub_sheaf_capacity(unsigned int size)
{
	unsigned int capacity;

	if (size >= PAGE_SIZE)
		capacity = 4;
	else if (size >= 1024)
		capacity = 12;
	else if (size >= 256)
		capacity = 26;
	else
		capacity = 60;
	/* "Increment capacity to make sheaf exactly a kmalloc size bucket" */
	return (kmalloc_roundup(SHEAF_HEADER_BYTES + capacity * 8) - SHEAF_HEADER_BYTES) / 8;
}

static struct slab_sheaf *sheaf_new(const struct kmem_cache *s)
{
	struct slab_sheaf *sheaf = calloc(1, sizeof(*sheaf) + s->sheaf_capacity * sizeof(phys_addr_t));

	PTB_BUG_ON(!sheaf);	/* host memory: the kernel's kmalloc is not modelled */
	return sheaf;
}

int sheaves_init(struct kmem_cache *s)
{
	for (unsigned int cpu = 0; cpu < s->nr_cpus; cpu++) {
		s->cpu_slab[cpu].main = calloc(1, sizeof(struct slab_sheaf) +
						  s->sheaf_capacity * sizeof(phys_addr_t));
		if (!s->cpu_slab[cpu].main)
			return -ENOMEM;
	}
	return 0;
}

/* ---- the barn: list_add and list_first_entry, so LIFO ---- */

static void barn_put(struct slab_sheaf **list, unsigned int *nr, struct slab_sheaf *sheaf)
{
	sheaf->next = *list;
	*list = sheaf;
	(*nr)++;
}

static struct slab_sheaf *barn_get(struct slab_sheaf **list, unsigned int *nr)
{
	struct slab_sheaf *sheaf = *list;

	if (sheaf) {
		*list = sheaf->next;
		(*nr)--;
	}
	return sheaf;
}

/* ---- objects back to their slabs ---- */

/*
 * __slab_free() of one detached freelist (7.2, no per-CPU partial lists):
 * @objs[0] is its tail, @objs[n - 1] its head, the next object handed out.
 * A full slab goes to the node list's tail; an empty one is discarded when
 * the node has min_partial slabs already.
 */
static void slab_free_list(struct kmem_cache *s, uint32_t idx, const unsigned int *objs,
			   unsigned int n, int cpu)
{
	struct slab *slab = &s->slabs[idx];
	bool was_full = slab_free_objects(slab) == 0;

	for (unsigned int k = 0; k < n; k++)
		slab_give(s, idx, objs[k]);
	if (slab->inuse && !was_full)
		return;			/* on the node list and staying there */
	if (!slab->inuse && s->counts.nr_partial >= s->min_partial) {
		if (!was_full)
			remove_partial(s, idx);
		discard_slab(s, idx, cpu);
		return;
	}
	if (was_full)
		add_partial(s, idx, true);
}

/*
 * __kmem_cache_free_bulk(): build_detached_freelist() takes the last object,
 * then walks back for more of its slab (giving up after 3 of another),
 * moving them behind the ones still to do; each list goes to __slab_free.
 */
static void free_bulk(struct kmem_cache *s, phys_addr_t *p, unsigned int size, int cpu)
{
	unsigned int objs[SLUB_MAX_OBJECTS];

	while (size) {
		unsigned int i, n = 0, same, lookahead = 3;
		uint32_t idx = phys_to_slab(s, p[--size], &i);

		objs[n++] = i;
		same = size;
		while (size) {
			phys_addr_t obj = p[--size];
			unsigned int j;

			if (phys_to_slab(s, obj, &j) == idx) {
				objs[n++] = j;
				same--;
				if (size != same) {
					p[size] = p[same];
					p[same] = obj;
				}
				continue;
			}
			if (!--lookahead)
				break;
		}
		size = same;
		slab_free_list(s, idx, objs, n, cpu);
	}
}

/* sheaf_flush_unused(): the whole sheaf, from its top. */
static void sheaf_flush(struct kmem_cache *s, struct slab_sheaf *sheaf, int cpu)
{
	free_bulk(s, sheaf->objects, sheaf->size, cpu);
	sheaf->size = 0;
}

/* ---- objects from the slabs ---- */

/* One object off slab @idx's freelist into @p (a sheaf's next slot). */
static void take_into(struct kmem_cache *s, uint32_t idx, phys_addr_t *p)
{
	*p = slab_obj_phys(s, &s->slabs[idx], slab_take(s, idx));
}

/*
 * alloc_from_new_slab(): @count objects of a new slab in freelist order; a
 * slab with objects left goes to the node list's head.
 */
static unsigned int from_new_slab(struct kmem_cache *s, uint32_t idx, phys_addr_t *p, unsigned int count)
{
	struct slab *slab = &s->slabs[idx];

	if (count > slab->objects)
		count = slab->objects;
	for (unsigned int k = 0; k < count; k++)
		take_into(s, idx, &p[k]);
	if (slab_free_objects(slab))
		add_partial(s, idx, false);
	return count;
}

/*
 * refill_objects(min = max = @n): get_partial_node_bulk() detaches slabs
 * from the node list's head until they hold @n free objects; their objects
 * are taken in freelist order; the slab left with objects goes back to the
 * list's tail (__slab_try_return_freelist), any slab not reached after it;
 * then new slabs for what is missing.  Returns the objects taken.
 */
static unsigned int refill_objects(struct kmem_cache *s, phys_addr_t *p, gfp_t gfp, unsigned int n,
				   int cpu, enum slub_user user)
{
	uint32_t detached[REFILL_MAX_SLABS];
	unsigned int nr = 0, total = 0, got = 0, k;

	for (uint32_t idx = s->partial_head; idx != SLAB_NONE && total < n;) {
		uint32_t next = s->slabs[idx].next;

		PTB_BUG_ON(nr == REFILL_MAX_SLABS);
		total += slab_free_objects(&s->slabs[idx]);
		remove_partial(s, idx);
		detached[nr++] = idx;
		idx = next;
	}
	for (k = 0; k < nr && got < n; k++) {
		uint32_t idx = detached[k];

		while (slab_free_objects(&s->slabs[idx]) && got < n)
			take_into(s, idx, &p[got++]);
		if (slab_free_objects(&s->slabs[idx])) {
			add_partial(s, idx, true);
			k++;
			break;
		}
	}
	for (; k < nr; k++)
		add_partial(s, detached[k], true);	/* list_splice_tail of the rest */
	while (got < n) {
		uint32_t idx = new_slab(s, gfp, cpu, user);

		if (idx == SLAB_NONE)
			break;
		got += from_new_slab(s, idx, &p[got], n - got);
	}
	return got;
}

/*
 * ___slab_alloc() without sheaves, when the sheaves gave up (a refill
 * failed): one object from the node list's first slab, else from a new slab.
 */
static int alloc_single(struct kmem_cache *s, gfp_t gfp, int cpu, enum slub_user user, phys_addr_t *out)
{
	uint32_t idx = s->partial_head;

	if (idx == SLAB_NONE) {
		idx = new_slab(s, gfp, cpu, user);
		if (idx == SLAB_NONE)
			return -ENOMEM;
		from_new_slab(s, idx, out, 1);
	} else {
		take_into(s, idx, out);
		if (!slab_free_objects(&s->slabs[idx]))
			remove_partial(s, idx);
	}
	return 0;
}

/* __pcs_replace_empty_main(): false when the allocation must go without sheaves. */
static bool replace_empty_main(struct kmem_cache *s, struct kmem_cache_cpu *c, gfp_t gfp, int cpu,
			       enum slub_user user)
{
	struct slab_sheaf *sheaf;

	if (c->spare && c->spare->size) {
		sheaf = c->main;
		c->main = c->spare;
		c->spare = sheaf;
		return true;
	}
	sheaf = barn_get(&s->barn_full, &s->barn_nr_full);
	if (sheaf) {
		/* barn_replace_empty_sheaf: the empty main goes to the barn */
		barn_put(&s->barn_empty, &s->barn_nr_empty, c->main);
		c->main = sheaf;
		return true;
	}
	if (c->spare) {
		sheaf = c->spare;
		c->spare = NULL;
	} else {
		sheaf = barn_get(&s->barn_empty, &s->barn_nr_empty);
		if (!sheaf)
			sheaf = sheaf_new(s);
	}
	sheaf->size = refill_objects(s, sheaf->objects, gfp | __GFP_NOMEMALLOC | __GFP_NOWARN,
				     s->sheaf_capacity, cpu, user);
	if (sheaf->size < s->sheaf_capacity) {
		/* "we must be very low on memory so don't bother with the barn" */
		sheaf_flush(s, sheaf, cpu);
		free(sheaf);
		return false;
	}
	/* main is empty: it becomes the spare, or goes to the barn */
	if (!c->spare)
		c->spare = c->main;
	else
		barn_put(&s->barn_empty, &s->barn_nr_empty, c->main);
	c->main = sheaf;
	return true;
}

int sheaf_alloc(struct kmem_cache *s, gfp_t gfp, int cpu, enum slub_user user, phys_addr_t *out)
{
	struct kmem_cache_cpu *c = &s->cpu_slab[cpu];
	unsigned int i;
	uint32_t idx;

	if (!c->main->size && !replace_empty_main(s, c, gfp, cpu, user)) {
		if (alloc_single(s, gfp, cpu, user, out)) {
			s->counts.alloc_failures++;
			return -ENOMEM;
		}
		idx = phys_to_slab(s, *out, &i);
		slab_hand(s, idx, i, user);
		return 0;
	}
	*out = c->main->objects[--c->main->size];
	idx = phys_to_slab(s, *out, &i);
	slab_hand(s, idx, i, user);
	return 0;
}

/* __pcs_replace_full_main() with __pcs_install_empty_sheaf(): main has room after it. */
static void replace_full_main(struct kmem_cache *s, struct kmem_cache_cpu *c, int cpu)
{
	struct slab_sheaf *sheaf;

	if (!c->spare) {
		sheaf = barn_get(&s->barn_empty, &s->barn_nr_empty);
		c->spare = c->main;
		c->main = sheaf ? sheaf : sheaf_new(s);
		return;
	}
	if (c->spare->size < s->sheaf_capacity) {
		sheaf = c->main;
		c->main = c->spare;
		c->spare = sheaf;
		return;
	}
	if (s->barn_nr_full >= MAX_FULL_SHEAVES) {
		/* -E2BIG: the full spare is flushed to the slabs and becomes main */
		sheaf = c->spare;
		sheaf_flush(s, sheaf, cpu);
		c->spare = c->main;
		c->main = sheaf;
		return;
	}
	sheaf = barn_get(&s->barn_empty, &s->barn_nr_empty);
	if (!sheaf)
		sheaf = sheaf_new(s);	/* -ENOMEM from the barn: a new sheaf */
	barn_put(&s->barn_full, &s->barn_nr_full, c->main);
	c->main = sheaf;
}

void sheaf_free(struct kmem_cache *s, phys_addr_t obj, int cpu)
{
	struct kmem_cache_cpu *c = &s->cpu_slab[cpu];
	unsigned int i;
	uint32_t idx = phys_to_slab(s, obj, &i);

	/* slab_free_hook's double-free check is the kernel's; ours: */
	PTB_BUG_ON(!s->slabs[idx].inuse);
	slab_unhand(s, idx, i);
	if (c->main->size == s->sheaf_capacity)
		replace_full_main(s, c, cpu);
	c->main->objects[c->main->size++] = obj;
}

void sheaves_flush(struct kmem_cache *s)
{
	struct slab_sheaf *sheaf;

	for (unsigned int cpu = 0; cpu < s->nr_cpus; cpu++) {
		struct kmem_cache_cpu *c = &s->cpu_slab[cpu];

		/* pcs_flush_all: the spare first (and freed), then main in batches */
		if (c->spare) {
			sheaf_flush(s, c->spare, (int)cpu);
			free(c->spare);
			c->spare = NULL;
		}
		while (c->main->size) {
			unsigned int batch = MIN(PCS_BATCH_MAX, c->main->size);

			c->main->size -= batch;
			free_bulk(s, &c->main->objects[c->main->size], batch, (int)cpu);
		}
	}
	/* barn_shrink: the full sheaves flushed, every sheaf freed */
	while ((sheaf = barn_get(&s->barn_full, &s->barn_nr_full))) {
		sheaf_flush(s, sheaf, 0);
		free(sheaf);
	}
	while ((sheaf = barn_get(&s->barn_empty, &s->barn_nr_empty)))
		free(sheaf);
}

void sheaves_free(struct kmem_cache *s)
{
	for (unsigned int cpu = 0; cpu < s->nr_cpus; cpu++) {
		free(s->cpu_slab[cpu].main);
		free(s->cpu_slab[cpu].spare);
		s->cpu_slab[cpu].main = s->cpu_slab[cpu].spare = NULL;
	}
}

uint64_t sheaves_objects(const struct kmem_cache *s)
{
	uint64_t n = 0;

	for (unsigned int cpu = 0; cpu < s->nr_cpus; cpu++) {
		const struct kmem_cache_cpu *c = &s->cpu_slab[cpu];

		n += c->main ? c->main->size : 0;
		n += c->spare ? c->spare->size : 0;
	}
	for (const struct slab_sheaf *sh = s->barn_full; sh; sh = sh->next)
		n += sh->size;
	return n;
}
