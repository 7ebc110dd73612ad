// SPDX-License-Identifier: GPL-2.0
/*
 * kzalloc_dma32.c - kzalloc(SZ_1K, gfp | GFP_DMA32) as the kernel serves it.
 *
 * There are no DMA32 kmalloc caches (4.19 kmalloc_slab, 6.1 kmalloc_type:
 * only __GFP_DMA picks another array), so the request goes to kmalloc-1k,
 * shared with every other kmalloc(1024) user.  Objects from slabs the cache
 * already has come with no zone guarantee and no warning; a new slab hits
 * GFP_SLAB_BUG_MASK: "Unexpected gfp: ... Fix your code!", the flag is
 * stripped and the slab comes from wherever GFP_KERNEL-like flags land -
 * ZONE_NORMAL above 4 GiB first on a 4 GiB MT8173.  kmalloc caches are
 * aligned to ARCH_KMALLOC_MINALIGN (128 on arm64) before 5.4 (59bb47985c1d
 * made power-of-two sizes naturally aligned), so with slub_debug a 4.19
 * object is 1536 B and not 1 KiB aligned.
 *
 * cfg->kmalloc_dma32_fix models the real fix instead: an array of DMA32
 * kmalloc caches created at boot, kmalloc-1k's twin with SLAB_CACHE_DMA32.
 * Its fixed cost is the kernel metadata of the whole array.
 */
#include <stdio.h>

#include "slab_backend.h"

#define KMALLOC_MAX_CACHE_BYTES 8192	/* KMALLOC_SHIFT_HIGH = PAGE_SHIFT + 1 */

/*
 * ARCH_KMALLOC_MINALIGN: arm64 ARCH_DMA_MINALIGN (128) up to 6.4 (6.5 lets
 * kmalloc go down to 8: 6.12's arch/arm64/include/asm/cache.h has
 * ARCH_KMALLOC_MINALIGN 8); 8 on x86-64.
 */
static unsigned int kmalloc_minalign_bytes(const struct mm *mm)
{
	return mm_arm64(mm) && mm_kernel(mm) < KVER_6_12 ? 128 : 8;
}

/* The kmalloc caches from KMALLOC_MIN_SIZE to 8 KiB, plus 96 and 192 below 128 B alignment. */
static unsigned int kmalloc_nr_caches(const struct mm *mm)
{
	unsigned int min_bytes = kmalloc_minalign_bytes(mm), n = 0;

	for (unsigned int sz = min_bytes; sz <= KMALLOC_MAX_CACHE_BYTES; sz *= 2)
		n++;
	if (min_bytes <= 32)
		n++;			/* kmalloc-96 */
	if (min_bytes <= 64)
		n++;			/* kmalloc-192 */
	return n;
}

static struct pt_alloc *kzalloc_dma32_create(struct mm *mm, struct pt_cfg *cfg,
					     char *err, size_t err_bytes)
{
	const struct kernel_rules *r = kernel_rules(mm_kernel(mm));
	unsigned int align_bytes = kmalloc_minalign_bytes(mm);
	struct kmem_cache_cfg kcfg;
	struct pt_alloc *a;
	const char *name = cfg->kmalloc_dma32_fix ? "dma32-kmalloc-1k" : "kmalloc-1k";

	/* create_boot_cache: align = max(align, size) for powers of two from 5.4 */
	if (r->kmalloc_natural_align)
		align_bytes = PT_TABLE_SIZE;
	if (slab_backend_kcfg(&pt_backend_kzalloc_dma32, mm, cfg, name, align_bytes,
			      cfg->kmalloc_dma32_fix ? SLAB_CACHE_DMA32 : 0, true, &kcfg,
			      err, err_bytes))
		return NULL;
	/* With the fix kmalloc_type() routes GFP_DMA32 to the DMA32 array: the flag is consumed. */
	a = slab_backend_create(&pt_backend_kzalloc_dma32, mm, cfg, &kcfg,
				cfg->kmalloc_dma32_fix ? 0 : __GFP_DMA32, err, err_bytes);
	if (a && cfg->kmalloc_dma32_fix)
		cfg->fixed_cost_bytes = kmalloc_nr_caches(mm) *
					kmem_cache_metadata_bytes(slab_backend_cache(a));
	return a;
}

const struct pt_backend pt_backend_kzalloc_dma32 = {
	.id = PT_BACKEND_KZALLOC_DMA32,
	.what = "kzalloc(SZ_1K, GFP_DMA32): kmalloc-1k with the DMA32 flag stripped (no zone guarantee)",
	.create = kzalloc_dma32_create,
	.destroy = slab_backend_destroy,
};
