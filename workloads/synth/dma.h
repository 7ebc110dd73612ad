/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dma.h - the kernel's DMA API over the IOMMU as the MT8173 clients reach it:
 * drivers/iommu/dma-iommu.c of 6.1 on the one M4U domain.
 *
 * Types:
 *   struct synth_buf   a buffer's pages (blocks from the simulated page
 *                      allocator, in IOVA order) and its IOVA mapping.
 *   struct dma_block   2^order physically contiguous pages.
 * Paths modelled (each emits what include/trace/events/iommu.h would show):
 *   dma_alloc_attrs()   iommu_dma_alloc -> __iommu_dma_alloc_noncontiguous:
 *                       pages by __iommu_dma_alloc_pages (orders 8, 4, 0 from
 *                       the 4K|64K|1M|16M page sizes, __GFP_NORETRY on all
 *                       but the last, an order that failed is not tried again
 *                       for this buffer), then iommu_dma_alloc_iova, then
 *                       iommu_map_sg_atomic: ONE iommu:map event per run of
 *                       physically contiguous pages (__iommu_map_sg calls
 *                       __iommu_map once per run; __iommu_map traces once).
 *   dma_free_attrs()    __iommu_dma_unmap: ONE iommu:unmap of the whole
 *                       page-aligned size, then free_iova_fast, then the pages.
 *   dma_map_sgtable()   iommu_dma_map_sg of pages someone else owns (a
 *                       dma-buf import, a re-mapped buffer): new IOVA, the
 *                       same runs.  dma_unmap_sgtable() undoes it.
 *   synth_buf_fault_user()  user memory (what a V4L2 USERPTR buffer pins):
 *                       order-0 GFP_HIGHUSER_MOVABLE pages as page faults
 *                       bring them in, no event; dma_map_sgtable() maps it.
 * The IOVA limit is 4 GiB - 1: min(DMA mask, the M4U aperture end); the
 * domain's start_pfn is 1 (iommu_dma_init_domain: base 0 -> pfn 1).
 * Returns: 0 or -ENOMEM (no pages, or no IOVA); on failure nothing is traced
 * and nothing is held, as when the driver's call fails.
 */
#ifndef PTB_SYNTH_DMA_H
#define PTB_SYNTH_DMA_H

#include <stdbool.h>
#include <stdint.h>

#include "engine.h"

#define DMA_IOVA_LIMIT_PFN	0xfffffULL	/* (4 GiB - 1) >> PAGE_SHIFT */
#define DMA_IOVA_START_PFN	1ULL

struct dma_block {
	uint64_t pfn;
	uint32_t order;
};

struct synth_buf {
	uint64_t iova;			/* 0: not mapped */
	uint64_t size_bytes;		/* page-aligned mapped size */
	struct dma_block *blocks;	/* the pages, in IOVA order */
	uint32_t nr_blocks, cap_blocks;
	bool owns_pages;		/* false for an import of another buffer's pages */
};

static inline bool synth_buf_mapped(const struct synth_buf *b)
{
	return b->iova != 0;
}

int dma_alloc_attrs(struct synth *s, struct synth_client *c, uint64_t size_bytes,
		    struct synth_buf *b);
void dma_free_attrs(struct synth *s, struct synth_client *c, struct synth_buf *b);
/* Map @src's pages again at a new IOVA into @map (which must be unmapped). */
int dma_map_sgtable(struct synth *s, struct synth_client *c, const struct synth_buf *src,
		    struct synth_buf *map);
void dma_unmap_sgtable(struct synth *s, struct synth_client *c, struct synth_buf *map);
/* Fault in @size_bytes of user memory on @c's CPU into @b (0 or -ENOMEM). */
int synth_buf_fault_user(struct synth *s, struct synth_client *c, uint64_t size_bytes,
			 struct synth_buf *b);
/* Give back the pages @b owns, without events (a buffer never mapped). */
void synth_buf_free_pages(struct synth *s, struct synth_buf *b, int cpu);
/* Host memory of a buffer, without events (the run is over); accepts unused ones. */
void synth_buf_release(struct synth_buf *b);

/*
 * Blocks the generator takes for itself (frag-worst's re-mapped buffer):
 * alloc_pages with @gfp at @order, appended to @b; 0 or -ENOMEM.
 */
int synth_buf_add_block(struct synth *s, struct synth_buf *b, gfp_t gfp, unsigned int order,
			int cpu);

#endif /* PTB_SYNTH_DMA_H */
