// SPDX-License-Identifier: GPL-2.0
/*
 * dma.c - dma-iommu of 6.1 for the synthetic clients (paths: dma.h).
 *
 * The pages come from the simulated machine (allocators/mm) exactly as the
 * kernel asks for them, so a run of physically contiguous pages, and with it
 * a 64 KiB or 1 MiB IOMMU mapping, exists only when the page allocator really
 * handed out adjacent blocks.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dma.h"

/*
 * Who holds a buffer's pages in the generator's machine.  The machine is the
 * generator's own (the replay builds a fresh one), so the owner only labels
 * the accounting: others' kernel memory.
 */
#define DMA_PAGE_OWNER OWNER_KMALLOC_OTHER

/* mtk_iommu_ops.pgsize_bitmap (4K | 64K | 1M | 16M) >> PAGE_SHIFT, masked to
 * the orders alloc_pages has ((2U << MAX_ORDER) - 1, MAX_ORDER 11 in 6.1). */
#define DMA_ORDER_MASK	(((SZ_4K | SZ_64K | SZ_1M | SZ_16M) >> PAGE_SHIFT) & ((2u << MAX_ORDER) - 1))

/* iommu_dma_alloc: the driver's GFP_KERNEL | __GFP_ZERO; __iommu_dma_alloc_pages
 * adds __GFP_NOWARN | __GFP_HIGHMEM and drops __GFP_COMP. */
#define DMA_ALLOC_GFP	(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN | __GFP_HIGHMEM)

static int buf_push(struct synth_buf *b, uint64_t pfn, unsigned int order)
{
	if (synth_grow((void **)&b->blocks, &b->cap_blocks, b->nr_blocks + 1, sizeof(*b->blocks)))
		return -ENOMEM;
	b->blocks[b->nr_blocks].pfn = pfn;
	b->blocks[b->nr_blocks].order = order;
	b->nr_blocks++;
	return 0;
}

static void host_oom(struct synth *s)
{
	if (!s->error)
		s->error = -ENOMEM;
	s->stopped = true;
}

int synth_buf_add_block(struct synth *s, struct synth_buf *b, gfp_t gfp, unsigned int order,
			int cpu)
{
	struct page *page = alloc_pages(s->mm, gfp, order, cpu, DMA_PAGE_OWNER);

	if (!page)
		return -ENOMEM;
	if (buf_push(b, page_to_pfn(s->mm, page), order)) {
		free_pages(s->mm, page, order, cpu);
		host_oom(s);
		return -ENOMEM;
	}
	b->owns_pages = true;
	b->size_bytes += PAGE_SIZE << order;
	return 0;
}

/*
 * __iommu_dma_free_pages(): the kernel split_page()s each block and frees it
 * page by page; the model gives each block back whole (the buddy allocator
 * ends with the same free pages, without the per-CPU list detour).
 */
void synth_buf_free_pages(struct synth *s, struct synth_buf *b, int cpu)
{
	for (uint32_t i = b->nr_blocks; i-- > 0;)
		free_pages(s->mm, pfn_to_page(s->mm, b->blocks[i].pfn), b->blocks[i].order, cpu);
	b->nr_blocks = 0;
	b->size_bytes = 0;
	b->owns_pages = false;
}

/* __iommu_dma_alloc_pages(): the highest order that fits what is left first. */
static int dma_alloc_pages(struct synth *s, struct synth_buf *b, uint64_t count, int cpu)
{
	unsigned int order_mask = DMA_ORDER_MASK;

	while (count) {
		unsigned int order_size = 0;
		int ret = -ENOMEM;

		/* an order that failed stays out of order_mask for the rest */
		for (order_mask &= (2u << ilog2_u64(count)) - 1; order_mask; order_mask &= ~order_size) {
			unsigned int order = (unsigned int)fls(order_mask) - 1;
			gfp_t gfp = DMA_ALLOC_GFP;

			order_size = 1u << order;
			/* higher orders are a convenience, not a necessity */
			if (order_mask > order_size)
				gfp |= __GFP_NORETRY;
			ret = synth_buf_add_block(s, b, gfp, order, cpu);
			if (!ret)
				break;
		}
		if (ret) {
			synth_buf_free_pages(s, b, cpu);
			return -ENOMEM;
		}
		count -= order_size;
	}
	return 0;
}

/* The client's IOVA domain: its own region's, or the one M4U domain's. */
static struct iova_domain *client_iovad(struct synth *s, const struct synth_client *c)
{
	return c->iovad ? c->iovad : &s->iovad;
}

/*
 * iommu_dma_alloc_iova(): the IOVA limit is the M4U aperture (4 GiB - 1),
 * or the client's region's end (mtk_iommu's iova regions, dma-ranges).
 */
static uint64_t dma_alloc_iova(struct synth *s, const struct synth_client *c, uint64_t size_bytes,
			       int cpu)
{
	struct iova_domain *iovad = client_iovad(s, c);
	uint64_t limit = c->iovad ? c->iova_limit_pfn : DMA_IOVA_LIMIT_PFN;
	uint64_t pfn = alloc_iova_fast(iovad, size_bytes >> PAGE_SHIFT, limit, true, cpu);

	if (iovad->host_oom)
		host_oom(s);
	return pfn << PAGE_SHIFT;
}

/* iommu_map_sg_atomic() of @pages at @iova: one __iommu_map per contiguous run. */
static void dma_map_runs(struct synth *s, const struct synth_client *c, int cpu, uint64_t iova,
			 const struct synth_buf *pages)
{
	uint64_t run_pfn = 0, run_pages = 0, mapped = 0;

	for (uint32_t i = 0; i < pages->nr_blocks; i++) {
		const struct dma_block *blk = &pages->blocks[i];

		if (run_pages && blk->pfn == run_pfn + run_pages) {
			run_pages += 1ULL << blk->order;
			continue;
		}
		if (run_pages) {
			synth_emit_map(s, c, cpu, iova + mapped, pfn_to_phys(run_pfn), run_pages << PAGE_SHIFT);
			mapped += run_pages << PAGE_SHIFT;
		}
		run_pfn = blk->pfn;
		run_pages = 1ULL << blk->order;
	}
	if (run_pages)
		synth_emit_map(s, c, cpu, iova + mapped, pfn_to_phys(run_pfn), run_pages << PAGE_SHIFT);
}

/* __iommu_dma_unmap(): one unmap of the whole range, then the IOVA goes back. */
static void dma_unmap_range(struct synth *s, const struct synth_client *c, int cpu,
			    struct synth_buf *b)
{
	synth_emit_unmap(s, c, cpu, b->iova, b->size_bytes);
	free_iova_fast(client_iovad(s, c), b->iova >> PAGE_SHIFT, b->size_bytes >> PAGE_SHIFT, cpu);
	b->iova = 0;
}

int dma_alloc_attrs(struct synth *s, struct synth_client *c, uint64_t size_bytes,
		    struct synth_buf *b)
{
	int cpu = synth_pick_cpu(s, c);
	uint64_t size = ALIGN_UP(size_bytes, PAGE_SIZE);

	PTB_BUG_ON(synth_buf_mapped(b) || b->nr_blocks || !size_bytes);
	if (dma_alloc_pages(s, b, size >> PAGE_SHIFT, cpu))
		goto fail;
	b->iova = dma_alloc_iova(s, c, size, cpu);
	if (!b->iova) {
		synth_buf_free_pages(s, b, cpu);
		goto fail;
	}
	b->size_bytes = size;
	dma_map_runs(s, c, cpu, b->iova, b);
	s->res.dma_allocs++;
	return 0;
fail:
	s->res.alloc_failures++;
	return -ENOMEM;
}

void dma_free_attrs(struct synth *s, struct synth_client *c, struct synth_buf *b)
{
	int cpu = synth_pick_cpu(s, c);

	PTB_BUG_ON(!synth_buf_mapped(b) || !b->owns_pages);
	dma_unmap_range(s, c, cpu, b);
	synth_buf_free_pages(s, b, cpu);
	s->res.dma_frees++;
}

int dma_map_sgtable(struct synth *s, struct synth_client *c, const struct synth_buf *src,
		    struct synth_buf *map)
{
	int cpu = synth_pick_cpu(s, c);

	PTB_BUG_ON(synth_buf_mapped(map) || map->nr_blocks || !src->nr_blocks);
	map->iova = dma_alloc_iova(s, c, src->size_bytes, cpu);
	if (!map->iova) {
		s->res.alloc_failures++;
		return -ENOMEM;
	}
	map->size_bytes = src->size_bytes;
	map->owns_pages = false;
	dma_map_runs(s, c, cpu, map->iova, src);
	s->res.dma_maps++;
	return 0;
}

int synth_buf_fault_user(struct synth *s, struct synth_client *c, uint64_t size_bytes,
			 struct synth_buf *b)
{
	uint64_t count = ALIGN_UP(size_bytes, PAGE_SIZE) >> PAGE_SHIFT;
	int cpu = synth_pick_cpu(s, c);

	PTB_BUG_ON(synth_buf_mapped(b) || b->nr_blocks || !size_bytes);
	/* one page per fault, from the faulting CPU's per-CPU list */
	for (uint64_t i = 0; i < count; i++)
		if (synth_buf_add_block(s, b, GFP_HIGHUSER_MOVABLE, 0, cpu)) {
			synth_buf_free_pages(s, b, cpu);
			s->res.alloc_failures++;
			return -ENOMEM;
		}
	return 0;
}

void dma_unmap_sgtable(struct synth *s, struct synth_client *c, struct synth_buf *map)
{
	int cpu = synth_pick_cpu(s, c);

	PTB_BUG_ON(!synth_buf_mapped(map));
	dma_unmap_range(s, c, cpu, map);
	map->size_bytes = 0;
	s->res.dma_unmaps++;
}

void synth_buf_release(struct synth_buf *b)
{
	free(b->blocks);
	memset(b, 0, sizeof(*b));
}
