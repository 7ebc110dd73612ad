// SPDX-License-Identifier: GPL-2.0
/*
 * slub_partial.c - the partial lists of the SLUB model: the node's
 * (add_partial, remove_partial) and each CPU's (put_cpu_partial,
 * unfreeze_partials), and the refill of a CPU from the node
 * (get_partial_node), after mm/slub.c 4.19 with the 5.16+ per-CPU partial
 * accounting in slabs where kernel_rules()->slub_cpu_partial_slabs says so.
 * Calls slub_slab.c to discard empty slabs.
 */
#include "slub_partial.h"
#include "slub_slab.h"

void add_partial(struct kmem_cache *s, uint32_t idx, bool tail)
{
	struct slab *slab = &s->slabs[idx];

	slab->where = SLAB_NODE_PARTIAL;
	slab->cpu = -1;
	if (s->partial_head == SLAB_NONE) {
		slab->prev = slab->next = SLAB_NONE;
		s->partial_head = s->partial_tail = idx;
	} else if (tail) {
		slab->prev = s->partial_tail;
		slab->next = SLAB_NONE;
		s->slabs[s->partial_tail].next = idx;
		s->partial_tail = idx;
	} else {
		slab->prev = SLAB_NONE;
		slab->next = s->partial_head;
		s->slabs[s->partial_head].prev = idx;
		s->partial_head = idx;
	}
	s->counts.nr_partial++;
}

void remove_partial(struct kmem_cache *s, uint32_t idx)
{
	struct slab *slab = &s->slabs[idx];

	PTB_BUG_ON(slab->where != SLAB_NODE_PARTIAL);
	if (slab->prev != SLAB_NONE)
		s->slabs[slab->prev].next = slab->next;
	else
		s->partial_head = slab->next;
	if (slab->next != SLAB_NONE)
		s->slabs[slab->next].prev = slab->prev;
	else
		s->partial_tail = slab->prev;
	slab->where = SLAB_FULL;
	s->counts.nr_partial--;
}

/* unfreeze_partials(): every slab of a detached per-CPU list to the node, or discarded. */
void unfreeze_partials(struct kmem_cache *s, uint32_t idx, int cpu)
{
	while (idx != SLAB_NONE) {
		struct slab *slab = &s->slabs[idx];
		uint32_t next = slab->next;

		s->counts.cpu_partial_slabs--;
		slab->cpu = -1;
		slab->where = SLAB_FULL;
		if (slab->inuse == 0 && s->counts.nr_partial >= s->min_partial)
			discard_slab(s, idx, cpu);
		else
			add_partial(s, idx, true);	/* DEACTIVATE_TO_TAIL */
		idx = next;
	}
}

/*
 * put_cpu_partial(): push a slab on this CPU's partial list.  With @drain,
 * a list that is already "full" goes to the node first: 4.19 compares the
 * free objects the list had when its slabs were added (pobjects, a
 * snapshot) with cpu_partial; 5.16+ counts slabs against cpu_partial_slabs.
 */
void put_cpu_partial(struct kmem_cache *s, uint32_t idx, int cpu, bool drain)
{
	struct kmem_cache_cpu *c = &s->cpu_slab[cpu];
	struct slab *slab = &s->slabs[idx];
	uint32_t head = c->partial, pobjects = 0, pslabs = 0;

	if (head != SLAB_NONE) {
		struct slab *h = &s->slabs[head];
		bool full = s->cpu_partial_by_slabs ? h->pslabs >= s->cpu_partial_slabs :
						      h->pobjects > s->cpu_partial;

		if (drain && full) {
			c->partial = SLAB_NONE;
			unfreeze_partials(s, head, cpu);
			head = SLAB_NONE;
		} else {
			pobjects = h->pobjects;
			pslabs = h->pslabs;
		}
	}
	slab->pslabs = pslabs + 1;
	slab->pobjects = pobjects + slab_free_objects(slab);
	slab->next = head;
	slab->cpu = (int16_t)cpu;
	slab->where = SLAB_CPU_PARTIAL;
	c->partial = idx;
	s->counts.cpu_partial_slabs++;
}

/*
 * get_partial_node(): take node partial slabs, the first as the active slab,
 * the next ones onto the per-CPU partial list until it holds enough (4.19:
 * more than cpu_partial / 2 free objects; 5.16+: more than
 * cpu_partial_slabs / 2 slabs).  Returns true if an active slab was found.
 */
bool get_partial_node(struct kmem_cache *s, int cpu)
{
	struct kmem_cache_cpu *c = &s->cpu_slab[cpu];
	unsigned int available = 0, partial_slabs = 0;
	bool got = false;
	uint32_t idx = s->partial_head;

	while (idx != SLAB_NONE) {
		struct slab *slab = &s->slabs[idx];
		uint32_t next = slab->next;

		remove_partial(s, idx);
		available += slab_free_objects(slab);
		if (!got) {
			slab->cpu = (int16_t)cpu;
			slab->where = SLAB_CPU_ACTIVE;
			c->page = idx;
			got = true;
		} else {
			put_cpu_partial(s, idx, cpu, false);
			partial_slabs++;
		}
		if (!has_cpu_partial(s))
			break;
		if (s->cpu_partial_by_slabs ? partial_slabs > s->cpu_partial_slabs / 2 :
					      available > s->cpu_partial / 2)
			break;
		idx = next;
	}
	return got;
}
