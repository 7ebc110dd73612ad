// SPDX-License-Identifier: GPL-2.0
/*
 * slab_backend.c - tables as objects of one SLUB cache.
 *
 * alloc_table is kmem_cache_zalloc(cache, gfp) (io-pgtable-arm-v7s.c,
 * __arm_v7s_alloc_table, 4.19..6.13) or kzalloc(SZ_1K, gfp | GFP_DMA32);
 * free_table is kmem_cache_free / kfree.  Other users of a shared cache hold
 * their objects for the whole run, so the tables see the slabs a busy
 * system already has.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slab_backend.h"

/* The other users' objects: the ones still held after placement (freed at destroy). */
struct shared_objects {
	phys_addr_t *phys;
	unsigned int nr;
};

/*
 * mempool_create_slab_pool(min_nr, cache) over the cache (mm/mempool.c 6.1):
 * pool->elements, a stack of objects kept back for when the cache fails.
 */
struct slab_mempool {
	phys_addr_t *elements;
	unsigned int min_nr, curr_nr;
};

struct slab_backend_priv {
	struct slab_backend sb;
	struct shared_objects others;
	struct slab_mempool pool;	/* min_nr 0: kmem_cache_zalloc directly */
	unsigned int nr_cpus;
};

static inline struct slab_backend_priv *to_priv(struct pt_alloc *a)
{
	return container_of(a, struct slab_backend_priv, sb.base);
}

struct kmem_cache *slab_backend_cache(struct pt_alloc *a)
{
	return to_priv(a)->sb.cache;
}

/**
 * mempool_alloc() (mm/mempool.c 6.1) with mempool_alloc_slab: the cache first
 * with __GFP_NOMEMALLOC | __GFP_NORETRY | __GFP_NOWARN and neither
 * __GFP_DIRECT_RECLAIM nor __GFP_IO, then the reserve, then (a caller that
 * may reclaim) the cache again with its reclaim bits.  Where the kernel
 * would then sleep until an element is freed, the replay cannot: -ENOMEM.
 * The caller zeroes (mempool_alloc warns on __GFP_ZERO).
 */
static int mempool_alloc(struct slab_backend_priv *p, gfp_t gfp, int cpu, phys_addr_t *out)
{
	gfp_t gfp_temp;

	gfp |= __GFP_NOMEMALLOC | __GFP_NORETRY | __GFP_NOWARN;
	gfp_temp = gfp & ~(__GFP_DIRECT_RECLAIM | __GFP_IO);
	if (!kmem_cache_alloc(p->sb.cache, gfp_temp, cpu, SLUB_USER_TABLE, out))
		return 0;
	if (p->pool.curr_nr) {
		*out = p->pool.elements[--p->pool.curr_nr];
		return 0;
	}
	if (gfp_temp != gfp && !kmem_cache_alloc(p->sb.cache, gfp, cpu, SLUB_USER_TABLE, out))
		return 0;
	return -ENOMEM;
}

/* mempool_free(): back into the reserve while it is below min_nr, else to the cache. */
static void mempool_free(struct slab_backend_priv *p, phys_addr_t element, int cpu)
{
	if (p->pool.curr_nr < p->pool.min_nr) {
		p->pool.elements[p->pool.curr_nr++] = element;
		return;
	}
	kmem_cache_free(p->sb.cache, element, cpu);
}

static int slab_alloc_table(struct pt_alloc *a, gfp_t gfp, int cpu, phys_addr_t *out)
{
	struct slab_backend *sb = &to_priv(a)->sb;
	int ret;

	if (to_priv(a)->pool.min_nr) {
		ret = mempool_alloc(to_priv(a), gfp | sb->gfp_add, cpu, out);
		if (!ret)
			pt_table_zero(a->mm, *out);
		return ret;
	}
	ret = kmem_cache_alloc(sb->cache, gfp | sb->gfp_add | __GFP_ZERO, cpu,
			       SLUB_USER_TABLE, out);
	if (ret)
		return ret;
	/* slab_post_alloc_hook: __GFP_ZERO memsets the object's data */
	pt_table_zero(a->mm, *out);
	return 0;
}

static void slab_free_table(struct pt_alloc *a, phys_addr_t table, int cpu)
{
	if (to_priv(a)->pool.min_nr)
		mempool_free(to_priv(a), table, cpu);
	else
		kmem_cache_free(to_priv(a)->sb.cache, table, cpu);
}

static void slab_stats(struct pt_alloc *a, struct pt_alloc_stats *out)
{
	struct kmem_cache *s = to_priv(a)->sb.cache;
	const struct kmem_cache_counts *c = kmem_cache_counts(s);
	uint64_t size_bytes = kmem_cache_size_bytes(s);
	uint64_t object_bytes_held;

	for (int z = 0; z < MAX_NR_ZONES; z++)
		for (int o = 0; o < MAX_ORDER; o++)
			out->held_pages[z][o] = c->held_blocks[OWNER_PT_BACKEND][z][o];
	out->footprint_bytes = c->slab_pages[OWNER_PT_BACKEND] * PAGE_SIZE;
	out->metadata_bytes = kmem_cache_metadata_bytes(s);
	object_bytes_held = (c->own_free_objects + c->own_table_objects + c->own_other_objects) *
			    size_bytes;
	out->loss.align_bytes = c->own_table_objects * (size_bytes - PT_TABLE_SIZE);
	out->loss.tail_pad_bytes = out->footprint_bytes - object_bytes_held;
	out->loss.free_slot_bytes = c->own_free_objects * size_bytes;
	/* the reserve's objects are table objects to the cache, none is live */
	out->loss.unused_pool_bytes = (uint64_t)to_priv(a)->pool.curr_nr * PT_TABLE_SIZE;
	out->shared_bytes = c->own_other_objects * size_bytes;
	out->borrowed_table_bytes = c->other_slab_tables * PT_TABLE_SIZE;
	out->fallbacks = c->order_fallbacks;
	out->unexpected_gfp_warnings = c->unexpected_gfp;
}

static void slab_shrink(struct pt_alloc *a, int cpu)
{
	kmem_cache_shrink(to_priv(a)->sb.cache);
}

static const struct pt_alloc_ops slab_ops = {
	.alloc_table = slab_alloc_table,
	.free_table = slab_free_table,
	.stats = slab_stats,
	.shrink = slab_shrink,
};

/*
 * Others' objects: 2N allocations round-robin over the CPUs with
 * GFP_KERNEL, then every other one of each CPU freed, leaving N held and partial slabs
 * with free slots - the state of a cache a running system has used.
 */
static int place_shared_objects(struct slab_backend_priv *p, unsigned int nr,
				unsigned int nr_cpus, char *err, size_t err_bytes)
{
	unsigned int total = 2 * nr;
	phys_addr_t *all = calloc(total ? total : 1, sizeof(*all));

	p->others.phys = calloc(total ? total : 1, sizeof(*p->others.phys));
	if (!all || !p->others.phys) {
		free(all);
		snprintf(err, err_bytes, "%s: out of host memory", pt_backend_name(p->sb.base.backend));
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < total; i++) {
		if (kmem_cache_alloc(p->sb.cache, GFP_KERNEL, (int)(i % nr_cpus),
				     SLUB_USER_OTHER, &all[i])) {
			for (unsigned int k = 0; k < i; k++)
				kmem_cache_free(p->sb.cache, all[k], (int)(k % nr_cpus));
			free(all);
			snprintf(err, err_bytes, "%s: no memory for %u shared objects",
				 pt_backend_name(p->sb.base.backend), nr);
			return -ENOMEM;
		}
	}
	/* every other object of each CPU's own sequence goes back */
	for (unsigned int i = 0; i < total; i++) {
		if ((i / nr_cpus) & 1)
			kmem_cache_free(p->sb.cache, all[i], (int)(i % nr_cpus));
		else
			p->others.phys[p->others.nr++] = all[i];
	}
	free(all);
	return 0;
}

/* A merged cache with nobody else's objects in it would not differ from a private one. */
#define SLAB_MERGE_DEFAULT_SHARED_OBJECTS 64

int slab_backend_kcfg(const struct pt_backend *b, struct mm *mm, struct pt_cfg *cfg,
		      const char *cache_name, unsigned int align_bytes, unsigned int slab_flags,
		      bool shared, struct kmem_cache_cfg *kcfg, char *err, size_t err_bytes)
{
	if (cfg->nr_cpus && cfg->nr_cpus != mm_nr_cpus(mm)) {
		snprintf(err, err_bytes, "%s: %u CPUs asked but the machine has %u",
			 pt_backend_name(b), cfg->nr_cpus, mm_nr_cpus(mm));
		return -EINVAL;
	}
	if (cfg->kernel != mm_kernel(mm)) {
		snprintf(err, err_bytes, "%s: kernel %s asked but the machine runs %s",
			 pt_backend_name(b), kver_name(cfg->kernel), kver_name(mm_kernel(mm)));
		return -EINVAL;
	}
	if (cfg->slab_merge && cfg->slub_debug) {
		/* SLAB_NEVER_MERGE holds the debug flags (mm/slab_common.c) */
		snprintf(err, err_bytes, "%s: slab_merge with slub_debug is impossible: debug caches never merge",
			 pt_backend_name(b));
		return -EINVAL;
	}
	if (!shared && cfg->shared_objects && !cfg->slab_merge) {
		snprintf(err, err_bytes, "%s: shared objects need slab_merge: the cache is private otherwise",
			 pt_backend_name(b));
		return -EINVAL;
	}
	if (shared && cfg->slab_merge) {
		snprintf(err, err_bytes, "%s: slab_merge applies to the v7s cache, not to kmalloc-1k",
			 pt_backend_name(b));
		return -EINVAL;
	}
	if (cfg->slab_merge && !cfg->shared_objects)
		cfg->shared_objects = SLAB_MERGE_DEFAULT_SHARED_OBJECTS;
	cfg->nr_cpus = mm_nr_cpus(mm);
	memset(kcfg, 0, sizeof(*kcfg));
	kcfg->name = cache_name;
	kcfg->object_bytes = PT_TABLE_SIZE;
	kcfg->align_bytes = align_bytes;
	kcfg->flags = slab_flags | (cfg->slub_debug ? SLAB_DEBUG_FZPU : 0);
	kcfg->kernel = cfg->kernel;
	kcfg->nr_cpus = cfg->nr_cpus;
	return 0;
}

struct pt_alloc *slab_backend_create(const struct pt_backend *b, struct mm *mm,
				     struct pt_cfg *cfg, const struct kmem_cache_cfg *kcfg,
				     gfp_t gfp_add, char *err, size_t err_bytes)
{
	struct slab_backend_priv *p = calloc(1, sizeof(*p));
	struct kmem_cache *s;

	if (!p) {
		snprintf(err, err_bytes, "%s: out of host memory", pt_backend_name(b));
		return NULL;
	}
	if (pt_alloc_init(&p->sb.base, b, &slab_ops, mm)) {
		snprintf(err, err_bytes, "%s: out of host memory", pt_backend_name(b));
		goto err_free;
	}
	s = kmem_cache_create(mm, kcfg, err, err_bytes);
	if (!s)
		goto err_exit;
	p->sb.cache = s;
	p->sb.gfp_add = gfp_add;
	p->nr_cpus = kcfg->nr_cpus;
	if (cfg->shared_objects &&
	    place_shared_objects(p, cfg->shared_objects, kcfg->nr_cpus, err, err_bytes))
		goto err_cache;
	cfg->zone = mm_gfp_zone_served(mm, kmem_cache_allocflags(s));
	cfg->slab_order = kmem_cache_order(s);
	cfg->slab_objects = kmem_cache_objects(s);
	cfg->object_bytes = kmem_cache_size_bytes(s);
	return &p->sb.base;

err_cache:
	free(p->others.phys);
	kmem_cache_destroy(s);
err_exit:
	pt_alloc_exit(&p->sb.base);
err_free:
	free(p);
	return NULL;
}

int slab_backend_mempool(struct pt_alloc *a, unsigned int min_nr, char *err, size_t err_bytes)
{
	struct slab_backend_priv *p = to_priv(a);

	p->pool.elements = calloc(min_nr ? min_nr : 1, sizeof(*p->pool.elements));
	if (!p->pool.elements) {
		snprintf(err, err_bytes, "%s: out of host memory", pt_backend_name(a->backend));
		return -ENOMEM;
	}
	p->pool.min_nr = min_nr;
	/* mempool_init_node: min_nr elements with the pool's gfp (GFP_KERNEL), up front */
	while (p->pool.curr_nr < min_nr) {
		phys_addr_t obj;

		if (kmem_cache_alloc(p->sb.cache, GFP_KERNEL, 0, SLUB_USER_TABLE, &obj)) {
			snprintf(err, err_bytes, "%s: no memory for a reserve of %u objects",
				 pt_backend_name(a->backend), min_nr);
			return -ENOMEM;
		}
		p->pool.elements[p->pool.curr_nr++] = obj;
	}
	return 0;
}

void slab_backend_destroy(struct pt_alloc *a)
{
	struct slab_backend_priv *p;

	if (!a)
		return;
	p = to_priv(a);
	/* mempool_destroy: the reserve's elements back to the cache first */
	while (p->pool.curr_nr)
		kmem_cache_free(p->sb.cache, p->pool.elements[--p->pool.curr_nr], 0);
	free(p->pool.elements);
	/* The caller freed every table; the other users let go of theirs too. */
	for (unsigned int i = 0; i < p->others.nr; i++)
		kmem_cache_free(p->sb.cache, p->others.phys[i], (int)(i % p->nr_cpus));
	free(p->others.phys);
	kmem_cache_destroy(p->sb.cache);
	pt_alloc_exit(a);
	free(p);
}
