// SPDX-License-Identifier: GPL-2.0
/*
 * iova.c - drivers/iommu/iova.c of 6.1, as dma-iommu uses it (rules: iova.h).
 *
 * The kernel keeps allocated ranges in an rbtree; this model keeps them in a
 * treap (same order, same prev/next, deterministic priorities), so every
 * search below visits the same ranges in the same order as the kernel's.
 * Ranges and magazines live in arrays that grow by doubling and recycle
 * their slots: a free list, no allocation per call in the steady state.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "glue.h"
#include "iova.h"

#define NIL 0u

static inline struct iova_node *node(const struct iova_domain *d, uint32_t i)
{
	return &d->nodes[i];
}

static inline struct iova_magazine *mag(const struct iova_domain *d, uint32_t i)
{
	return &d->mags[i];
}

/* order_base_2(): ceil(log2(n)), 0 for 1. */
static unsigned int order_base_2(uint64_t n)
{
	return n <= 1 ? 0 : (unsigned int)fls64(n - 1);
}

static uint64_t roundup_pow_of_two(uint64_t n)
{
	return n <= 1 ? 1 : 1ULL << fls64(n - 1);
}

uint64_t iova_fast_size(uint64_t size)
{
	/* alloc_iova_fast: a non-power-of-two size freed into a cache bin would
	 * later be handed out for a bigger request of the same order. */
	return size < (1u << (IOVA_RANGE_CACHE_MAX_SIZE - 1)) ? roundup_pow_of_two(size) : size;
}

/* ---- the ordered tree of ranges (the kernel's rbroot) ---- */

static uint32_t node_alloc(struct iova_domain *d, uint64_t pfn_lo, uint64_t pfn_hi)
{
	uint32_t i = d->free_node;
	struct iova_node *n;

	if (i) {
		d->free_node = node(d, i)->left;
	} else {
		if (d->nr_nodes >= d->cap_nodes) {
			uint32_t cap = d->cap_nodes ? d->cap_nodes * 2 : 1024;
			struct iova_node *grown = realloc(d->nodes, (size_t)cap * sizeof(*grown));

			if (!grown) {
				d->host_oom = true;
				return NIL;
			}
			d->nodes = grown;
			d->cap_nodes = cap;
		}
		i = d->nr_nodes++;
	}
	n = node(d, i);
	n->pfn_lo = pfn_lo;
	n->pfn_hi = pfn_hi;
	n->left = n->right = n->parent = NIL;
	/* a splitmix-style hash of a counter: balanced and reproducible */
	n->prio = (uint32_t)(((uint64_t)(d->stats.allocs + d->stats.frees + i) * 0x9e3779b97f4a7c15ULL) >> 32);
	return i;
}

static void node_free(struct iova_domain *d, uint32_t i)
{
	node(d, i)->left = d->free_node;
	d->free_node = i;
}

static void replace_child(struct iova_domain *d, uint32_t parent, uint32_t old, uint32_t new)
{
	if (!parent)
		d->root = new;
	else if (node(d, parent)->left == old)
		node(d, parent)->left = new;
	else
		node(d, parent)->right = new;
	if (new)
		node(d, new)->parent = parent;
}

/* Lift @x above its parent, keeping the in-order sequence. */
static void rotate_up(struct iova_domain *d, uint32_t x)
{
	uint32_t p = node(d, x)->parent, g = node(d, p)->parent, b;

	if (node(d, p)->left == x) {
		b = node(d, x)->right;
		node(d, p)->left = b;
		node(d, x)->right = p;
	} else {
		b = node(d, x)->left;
		node(d, p)->right = b;
		node(d, x)->left = p;
	}
	if (b)
		node(d, b)->parent = p;
	node(d, p)->parent = x;
	replace_child(d, g, p, x);
}

static void tree_insert(struct iova_domain *d, uint32_t x)
{
	uint32_t parent = NIL, *link = &d->root;

	while (*link) {
		parent = *link;
		link = node(d, x)->pfn_lo < node(d, parent)->pfn_lo ? &node(d, parent)->left :
								      &node(d, parent)->right;
	}
	*link = x;
	node(d, x)->parent = parent;
	while (node(d, x)->parent && node(d, x)->prio > node(d, node(d, x)->parent)->prio)
		rotate_up(d, x);
	d->nr_ranges++;
}

static void tree_erase(struct iova_domain *d, uint32_t x)
{
	while (node(d, x)->left && node(d, x)->right) {
		uint32_t l = node(d, x)->left, r = node(d, x)->right;

		rotate_up(d, node(d, l)->prio > node(d, r)->prio ? l : r);
	}
	replace_child(d, node(d, x)->parent, x, node(d, x)->left ? node(d, x)->left : node(d, x)->right);
	d->nr_ranges--;
}

/* rb_prev() / rb_next() */
static uint32_t tree_prev(const struct iova_domain *d, uint32_t x)
{
	uint32_t p;

	if (node(d, x)->left) {
		x = node(d, x)->left;
		while (node(d, x)->right)
			x = node(d, x)->right;
		return x;
	}
	while ((p = node(d, x)->parent) && node(d, p)->left == x)
		x = p;
	return p;
}

static uint32_t tree_next(const struct iova_domain *d, uint32_t x)
{
	uint32_t p;

	if (node(d, x)->right) {
		x = node(d, x)->right;
		while (node(d, x)->left)
			x = node(d, x)->left;
		return x;
	}
	while ((p = node(d, x)->parent) && node(d, p)->right == x)
		x = p;
	return p;
}

/* private_find_iova(): the range holding @pfn. */
static uint32_t tree_find(const struct iova_domain *d, uint64_t pfn)
{
	uint32_t x = d->root;

	while (x) {
		if (pfn < node(d, x)->pfn_lo)
			x = node(d, x)->left;
		else if (pfn > node(d, x)->pfn_hi)
			x = node(d, x)->right;
		else
			return x;
	}
	return NIL;
}

/*
 * iova_find_limit(): where a retried search starts, the lowest range at or
 * above @limit_pfn (the anchor when the limit is beyond 32 bits).  The
 * kernel's walk gives this node whenever no range straddles the limit, which
 * holds here: every range is allocated below its limit.
 */
static uint32_t iova_find_limit(const struct iova_domain *d, uint64_t limit_pfn)
{
	uint32_t x = d->root, best = d->anchor;

	if (limit_pfn > d->dma_32bit_pfn)
		return d->anchor;
	while (x) {
		if (node(d, x)->pfn_lo >= limit_pfn) {
			best = x;
			x = node(d, x)->left;
		} else {
			x = node(d, x)->right;
		}
	}
	return best;
}

bool iova_find(const struct iova_domain *d, uint64_t pfn, uint64_t *pfn_lo, uint64_t *pfn_hi)
{
	uint32_t x = tree_find(d, pfn);

	if (!x || x == d->anchor)
		return false;
	*pfn_lo = node(d, x)->pfn_lo;
	*pfn_hi = node(d, x)->pfn_hi;
	return true;
}

/* ---- cached nodes ---- */

static uint32_t get_cached_rbnode(const struct iova_domain *d, uint64_t limit_pfn)
{
	return limit_pfn <= d->dma_32bit_pfn ? d->cached32_node : d->cached_node;
}

static void cached_rbnode_insert_update(struct iova_domain *d, uint32_t new)
{
	if (node(d, new)->pfn_hi < d->dma_32bit_pfn)
		d->cached32_node = new;
	else
		d->cached_node = new;
}

/*
 * __cached_rbnode_delete_update() as of 5.18 (stable to 5.15/5.10, "iommu/iova:
 * Improve 32-bit free space estimate", reported by MediaTek): cached32_node
 * only moves up, and any free below 32 bits re-opens the fast-fail size.
 */
static void cached_rbnode_delete_update(struct iova_domain *d, uint32_t free)
{
	const struct iova_node *f = node(d, free);
	const struct iova_node *cached = node(d, d->cached32_node);

	if (free == d->cached32_node || (f->pfn_hi < d->dma_32bit_pfn && f->pfn_lo >= cached->pfn_lo))
		d->cached32_node = tree_next(d, free);
	if (f->pfn_lo < d->dma_32bit_pfn)
		d->max32_alloc_size = d->dma_32bit_pfn;
	cached = node(d, d->cached_node);
	if (f->pfn_lo >= cached->pfn_lo)
		d->cached_node = tree_next(d, free);
}

/* remove_iova() + free_iova_mem() */
static void remove_iova(struct iova_domain *d, uint32_t x)
{
	cached_rbnode_delete_update(d, x);
	tree_erase(d, x);
	node_free(d, x);
}

/*
 * __alloc_and_insert_iova_range() with size_aligned (6.1): top-down first fit
 * from the cached node, aligned to roundup_pow_of_two(size); @limit_pfn is
 * one past the highest usable pfn (alloc_iova passes limit_pfn + 1).
 * Returns the new range's node, or NIL.
 */
static uint32_t alloc_and_insert_iova_range(struct iova_domain *d, uint64_t size,
					    uint64_t limit_pfn)
{
	uint64_t align_mask = size > 1 ? ~0ULL << fls64(size - 1) : ~0ULL;
	uint64_t high_pfn = limit_pfn, low_pfn = d->start_pfn, new_pfn, retry_pfn;
	uint32_t curr, prev, new;

	if (limit_pfn <= d->dma_32bit_pfn && size >= d->max32_alloc_size)
		return NIL;
	curr = get_cached_rbnode(d, limit_pfn);
	retry_pfn = node(d, curr)->pfn_hi;
retry:
	do {
		high_pfn = MIN(high_pfn, node(d, curr)->pfn_lo);
		new_pfn = (high_pfn - size) & align_mask;
		prev = curr;
		curr = tree_prev(d, curr);
	} while (curr && new_pfn <= node(d, curr)->pfn_hi && new_pfn >= low_pfn);

	if (high_pfn < size || new_pfn < low_pfn) {
		/* 6.1 ("iommu/iova: Fix alloc iova overflows issue"): retry_pfn is
		 * the cached node's pfn_hi, the retry starts one above it */
		if (low_pfn == d->start_pfn && retry_pfn < limit_pfn) {
			high_pfn = limit_pfn;
			low_pfn = retry_pfn + 1;
			curr = iova_find_limit(d, limit_pfn);
			d->stats.retries++;
			goto retry;
		}
		d->max32_alloc_size = size;
		return NIL;
	}
	(void)prev;		/* the kernel's insertion hint; the order is the same */
	new = node_alloc(d, new_pfn, new_pfn + size - 1);
	if (!new)
		return NIL;
	tree_insert(d, new);
	cached_rbnode_insert_update(d, new);
	return new;
}

/* ---- range caches (magazines) ---- */

static uint32_t mag_alloc(struct iova_domain *d)
{
	uint32_t i = d->free_mag;

	if (i) {
		d->free_mag = mag(d, i)->next_free;
	} else {
		if (d->nr_mags >= d->cap_mags) {
			uint32_t cap = d->cap_mags ? d->cap_mags * 2 : 128;
			struct iova_magazine *grown = realloc(d->mags, (size_t)cap * sizeof(*grown));

			if (!grown) {
				d->host_oom = true;
				return 0;
			}
			d->mags = grown;
			d->cap_mags = cap;
		}
		i = d->nr_mags++;
	}
	mag(d, i)->size = 0;
	mag(d, i)->next_free = 0;
	return i;
}

static void mag_free(struct iova_domain *d, uint32_t i)
{
	mag(d, i)->next_free = d->free_mag;
	d->free_mag = i;
}

/* iova_magazine_free_pfns(): every cached range back to the tree. */
static void mag_free_pfns(struct iova_domain *d, uint32_t m)
{
	for (uint32_t i = 0; i < mag(d, m)->size; i++) {
		uint32_t x = tree_find(d, mag(d, m)->pfns[i]);

		PTB_BUG_ON(!x);
		remove_iova(d, x);
	}
	mag(d, m)->size = 0;
}

/* iova_magazine_pop(): the most recent pfn at or below @limit_pfn. */
static uint64_t mag_pop(struct iova_magazine *m, uint64_t limit_pfn)
{
	uint32_t i;
	uint64_t pfn;

	/* only fall back to the tree when no cached pfn fits at all */
	for (i = m->size - 1; m->pfns[i] > limit_pfn; i--)
		if (i == 0)
			return 0;
	pfn = m->pfns[i];
	m->pfns[i] = m->pfns[--m->size];
	return pfn;
}

static uint64_t iova_rcache_get(struct iova_domain *d, uint64_t size, uint64_t limit_pfn, int cpu)
{
	unsigned int log_size = order_base_2(size);
	struct iova_rcache *rc;
	struct iova_cpu_rcache *cr;
	bool has_pfn = false;

	if (log_size >= IOVA_RANGE_CACHE_MAX_SIZE)
		return 0;
	rc = &d->rcaches[log_size];
	cr = &rc->cpu[cpu];
	limit_pfn -= size;
	if (mag(d, cr->loaded)->size) {
		has_pfn = true;
	} else if (mag(d, cr->prev)->size) {
		uint32_t t = cr->prev;

		cr->prev = cr->loaded;
		cr->loaded = t;
		has_pfn = true;
	} else if (rc->depot_size > 0) {
		mag_free(d, cr->loaded);
		cr->loaded = rc->depot[--rc->depot_size];
		has_pfn = true;
	}
	return has_pfn ? mag_pop(mag(d, cr->loaded), limit_pfn) : 0;
}

static bool iova_rcache_insert(struct iova_domain *d, uint64_t pfn, uint64_t size, int cpu)
{
	unsigned int log_size = order_base_2(size);
	struct iova_rcache *rc;
	struct iova_cpu_rcache *cr;
	uint32_t to_free = 0;

	if (log_size >= IOVA_RANGE_CACHE_MAX_SIZE)
		return false;
	rc = &d->rcaches[log_size];
	cr = &rc->cpu[cpu];
	if (mag(d, cr->loaded)->size == IOVA_MAG_SIZE) {
		if (mag(d, cr->prev)->size < IOVA_MAG_SIZE) {
			uint32_t t = cr->prev;

			cr->prev = cr->loaded;
			cr->loaded = t;
		} else {
			/* iova_magazine_alloc(GFP_ATOMIC): the model's never fails */
			uint32_t fresh = mag_alloc(d);

			if (!fresh)
				return false;
			if (rc->depot_size < MAX_GLOBAL_MAGS) {
				rc->depot[rc->depot_size++] = cr->loaded;
				d->stats.depot_pushes++;
			} else {
				to_free = cr->loaded;
			}
			cr->loaded = fresh;
		}
	}
	mag(d, cr->loaded)->pfns[mag(d, cr->loaded)->size++] = pfn;
	if (to_free) {
		mag_free_pfns(d, to_free);
		mag_free(d, to_free);
		d->stats.magazines_released++;
	}
	return true;
}

/* free_cpu_cached_iovas() for every CPU, then free_global_cached_iovas(). */
static void flush_rcaches(struct iova_domain *d)
{
	for (unsigned int cpu = 0; cpu < d->nr_cpus; cpu++)
		for (int i = 0; i < IOVA_RANGE_CACHE_MAX_SIZE; i++) {
			mag_free_pfns(d, d->rcaches[i].cpu[cpu].loaded);
			mag_free_pfns(d, d->rcaches[i].cpu[cpu].prev);
		}
	for (int i = 0; i < IOVA_RANGE_CACHE_MAX_SIZE; i++) {
		struct iova_rcache *rc = &d->rcaches[i];

		for (uint32_t j = 0; j < rc->depot_size; j++) {
			mag_free_pfns(d, rc->depot[j]);
			mag_free(d, rc->depot[j]);
		}
		rc->depot_size = 0;
	}
}

/* ---- the API ---- */

uint64_t alloc_iova_fast(struct iova_domain *d, uint64_t size, uint64_t limit_pfn,
			 bool flush_rcache, int cpu)
{
	uint64_t pfn;
	uint32_t new;

	PTB_BUG_ON(cpu < 0 || (unsigned int)cpu >= d->nr_cpus || !size);
	d->stats.allocs++;
	size = iova_fast_size(size);
	pfn = iova_rcache_get(d, size, limit_pfn + 1, cpu);
	if (pfn) {
		d->stats.rcache_hits++;
		return pfn;
	}
	for (;;) {
		new = alloc_and_insert_iova_range(d, size, limit_pfn + 1);
		if (new) {
			d->stats.tree_allocs++;
			return node(d, new)->pfn_lo;
		}
		if (!flush_rcache || d->host_oom) {
			d->stats.alloc_failures++;
			return 0;
		}
		/* try replenishing IOVAs by flushing the range caches */
		flush_rcache = false;
		d->stats.flushes++;
		flush_rcaches(d);
	}
}

void free_iova_fast(struct iova_domain *d, uint64_t pfn, uint64_t size, int cpu)
{
	uint32_t x;

	PTB_BUG_ON(cpu < 0 || (unsigned int)cpu >= d->nr_cpus);
	d->stats.frees++;
	if (iova_rcache_insert(d, pfn, size, cpu)) {
		d->stats.rcache_inserts++;
		return;
	}
	/* free_iova(): a pfn nobody allocated is ignored, as the kernel does */
	x = tree_find(d, pfn);
	if (!x || x == d->anchor)
		return;
	d->stats.tree_frees++;
	remove_iova(d, x);
}

int iova_domain_init(struct iova_domain *d, uint64_t start_pfn, unsigned int nr_cpus)
{
	memset(d, 0, sizeof(*d));
	if (!nr_cpus || nr_cpus > IOVA_MAX_CPUS || !start_pfn)
		return -EINVAL;
	d->nr_cpus = nr_cpus;
	d->start_pfn = start_pfn;
	d->dma_32bit_pfn = 1ULL << (32 - 12);
	d->max32_alloc_size = d->dma_32bit_pfn;
	d->nr_nodes = 1;		/* slot 0 is NIL */
	d->nr_mags = 1;
	d->anchor = node_alloc(d, IOVA_ANCHOR, IOVA_ANCHOR);
	if (!d->anchor)
		goto nomem;
	tree_insert(d, d->anchor);
	d->nr_ranges = 0;		/* the anchor is not a range */
	d->cached_node = d->cached32_node = d->anchor;
	/* iova_domain_init_rcaches(): two empty magazines per CPU per size */
	for (int i = 0; i < IOVA_RANGE_CACHE_MAX_SIZE; i++)
		for (unsigned int cpu = 0; cpu < nr_cpus; cpu++) {
			d->rcaches[i].cpu[cpu].loaded = mag_alloc(d);
			d->rcaches[i].cpu[cpu].prev = mag_alloc(d);
			if (!d->rcaches[i].cpu[cpu].loaded || !d->rcaches[i].cpu[cpu].prev)
				goto nomem;
		}
	return 0;
nomem:
	iova_domain_exit(d);
	return -ENOMEM;
}

void iova_domain_exit(struct iova_domain *d)
{
	free(d->nodes);
	free(d->mags);
	memset(d, 0, sizeof(*d));
}

uint32_t iova_rcache_cpu_count(const struct iova_domain *d, unsigned int log_size, int cpu)
{
	const struct iova_cpu_rcache *cr = &d->rcaches[log_size].cpu[cpu];

	return mag(d, cr->loaded)->size + mag(d, cr->prev)->size;
}

uint32_t iova_rcache_depot_count(const struct iova_domain *d, unsigned int log_size)
{
	uint32_t n = 0;

	for (uint32_t j = 0; j < d->rcaches[log_size].depot_size; j++)
		n += mag(d, d->rcaches[log_size].depot[j])->size;
	return n;
}
