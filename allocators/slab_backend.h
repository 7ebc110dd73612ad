/* SPDX-License-Identifier: GPL-2.0 */
/*
 * slab_backend.h - what the three SLUB-based backends share.
 *
 * Types:
 *   struct slab_backend  a pt_alloc whose tables are objects of one SLUB
 *                        cache (slub.h): slab-dma, slab-dma32 and
 *                        kzalloc-dma32 differ only in the cache they create
 *                        and the gfp bits they add to the caller's.
 */
#ifndef PTB_SLAB_BACKEND_H
#define PTB_SLAB_BACKEND_H

#include "pt_alloc.h"
#include "slub.h"

struct slab_backend {
	struct pt_alloc base;
	struct kmem_cache *cache;
	gfp_t gfp_add;		/* kzalloc: __GFP_DMA32; kmem_cache_zalloc: none */
};

/**
 * slab_backend_create() - a cache from @kcfg behind the pt_alloc interface,
 * with cfg->shared_objects of other users' objects placed in it first.
 * Writes the geometry back into @cfg.  NULL + reason in @err.
 */
struct pt_alloc *slab_backend_create(const struct pt_backend *b, struct mm *mm,
				     struct pt_cfg *cfg, const struct kmem_cache_cfg *kcfg,
				     gfp_t gfp_add, char *err, size_t err_bytes);
void slab_backend_destroy(struct pt_alloc *a);
/**
 * slab_backend_mempool() - mempool_create_slab_pool(@min_nr, cache): tables
 * through mempool_alloc/mempool_free, @min_nr objects taken now (GFP_KERNEL).
 * Returns 0 or -ENOMEM with a reason in @err (the caller destroys @a).
 */
int slab_backend_mempool(struct pt_alloc *a, unsigned int min_nr, char *err, size_t err_bytes);
/**
 * slab_backend_kcfg() - check @cfg for a slab backend and fill @kcfg for a
 * 1 KiB cache with @align_bytes and @slab_flags (SLAB_CACHE_DMA / _DMA32).
 * @shared: the cache is shared by nature (kmalloc-1k) rather than by merging.
 * Returns 0 or -EINVAL with a one-line reason in @err.
 */
int slab_backend_kcfg(const struct pt_backend *b, struct mm *mm, struct pt_cfg *cfg,
		      const char *cache_name, unsigned int align_bytes, unsigned int slab_flags,
		      bool shared, struct kmem_cache_cfg *kcfg, char *err, size_t err_bytes);
/* The kmem_cache under a slab backend (tests, reports). */
struct kmem_cache *slab_backend_cache(struct pt_alloc *a);

#endif /* PTB_SLAB_BACKEND_H */
