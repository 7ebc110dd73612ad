// SPDX-License-Identifier: GPL-2.0
/*
 * mtk16g.c - the `mtk16g` workload: a newer MediaTek IOMMU (MT8192, MT8195,
 * MT8186, MT8188 multimedia: IOVA_34_EN) whose devices map buffers spread
 * over a 16 GiB IOVA space, for `ptbench replay --ias 34 [--ttbr-ext]`.
 *
 * drivers/iommu/mtk_iommu.c (6.1, 6.12): mt8192_multi_dom gives four 4 GiB
 * IOVA regions, 0-4G, 4-8G, 8-12G, 12-16G; a device's dma-ranges pick its
 * region (mtk_iommu_get_iova_region_id), each region is an iommu_domain of
 * its own (mtk_iommu_device_group), and all of them share one page table
 * (mtk_iommu_domain_finalise: share_dom), with .ias = 34.  dma-iommu gives
 * each domain its own IOVA allocator, bounded by the region's aperture
 * (iommu_dma_init_domain: base_pfn = max(1, aperture_start >> PAGE_SHIFT);
 * iommu_dma_alloc_iova: limit = min(DMA mask, aperture_end)).
 *
 * The clients: one per region, each the `churn` pattern (churn.c) with
 * MTK16G_NR_BUFS buffers: fill, shuffle, free half, then free and
 * reallocate MTK16G_ROUND_PCT % every MTK16G_ROUND_NS.  A stress pattern,
 * not a device model: the IOVAs, pages and events are the real paths'; the
 * events all go to the one page table (SYNTH_DOMAIN_ID).  The two 64 MiB
 * CCU regions (0x2_4000_0000, 0x2_4400_0000) mt8192_multi_dom also lists are
 * left out: no client here is a camera control unit.
 */
#include <errno.h>
#include <stdlib.h>

#include "workloads.h"

#define MTK16G_NR_REGIONS	4
#define MTK16G_REGION_BYTES	(4ULL << 30)	/* SZ_4G */
#define MTK16G_NR_BUFS		128
#define MTK16G_SIZE_ORDERS	10	/* pages in [2^k, 2^(k+1)), k uniform in 0..9 */
#define MTK16G_ROUND_NS		(100ULL * NSEC_PER_MSEC)
#define MTK16G_ROUND_PCT	10
#define MTK16G_PID		3000

static const char *const region_names[MTK16G_NR_REGIONS] = {
	"region0-4g", "region4-8g", "region8-12g", "region12-16g",
};

struct mtk16g_client {
	struct synth_actor actor;
	struct synth_client task;
	struct iova_domain iovad;	/* the region's dma-iommu IOVA domain */
	bool filled;
	struct synth_buf bufs[MTK16G_NR_BUFS];
	uint32_t live[MTK16G_NR_BUFS];	/* indices of mapped buffers */
	uint32_t nr_live;
};

static inline struct mtk16g_client *to_mtk16g(struct synth_actor *a)
{
	return container_of(a, struct mtk16g_client, actor);
}

static uint64_t mtk16g_size(struct synth *s)
{
	uint64_t k = synth_below(s, MTK16G_SIZE_ORDERS);

	return ((1ULL << k) + synth_below(s, 1ULL << k)) << PAGE_SHIFT;
}

static void mtk16g_alloc(struct synth *s, struct mtk16g_client *c, uint32_t i)
{
	if (!dma_alloc_attrs(s, &c->task, mtk16g_size(s), &c->bufs[i]))
		c->live[c->nr_live++] = i;
}

static void mtk16g_free_at(struct synth *s, struct mtk16g_client *c, uint32_t pos)
{
	dma_free_attrs(s, &c->task, &c->bufs[c->live[pos]]);
	c->live[pos] = c->live[--c->nr_live];
}

static void mtk16g_step(struct synth *s, struct synth_actor *a)
{
	struct mtk16g_client *c = to_mtk16g(a);
	uint32_t n = MTK16G_NR_BUFS * MTK16G_ROUND_PCT / 100;

	if (!c->filled) {
		for (uint32_t i = 0; i < MTK16G_NR_BUFS && !s->stopped; i++)
			mtk16g_alloc(s, c, i);
		for (uint32_t i = c->nr_live; i > 1; i--) {
			uint32_t j = (uint32_t)synth_below(s, i), t = c->live[i - 1];

			c->live[i - 1] = c->live[j];
			c->live[j] = t;
		}
		for (uint32_t i = c->nr_live / 2; i > 0 && !s->stopped; i--)
			mtk16g_free_at(s, c, 0);
		c->filled = true;
	} else {
		for (uint32_t i = 0; i < n && c->nr_live && !s->stopped; i++)
			mtk16g_free_at(s, c, (uint32_t)synth_below(s, c->nr_live));
		for (uint32_t i = 0, k = 0; k < n && i < MTK16G_NR_BUFS && !s->stopped; i++)
			if (!synth_buf_mapped(&c->bufs[i])) {
				mtk16g_alloc(s, c, i);
				k++;
			}
	}
	a->next_ns += MTK16G_ROUND_NS;
}

static void mtk16g_destroy(struct synth_actor *a)
{
	struct mtk16g_client *c = to_mtk16g(a);

	for (int i = 0; i < MTK16G_NR_BUFS; i++)
		synth_buf_release(&c->bufs[i]);
	iova_domain_exit(&c->iovad);
	free(c);
}

static int mtk16g_add(struct synth *s, unsigned int region)
{
	uint64_t base = region * MTK16G_REGION_BYTES;
	struct mtk16g_client *c = calloc(1, sizeof(*c));
	int ret;

	if (!c)
		return -ENOMEM;
	ret = iova_domain_init(&c->iovad, MAX(1ULL, base >> PAGE_SHIFT), SYNTH_NR_CPUS);
	if (ret) {
		free(c);
		return ret;
	}
	c->actor.step = mtk16g_step;
	c->actor.destroy = mtk16g_destroy;
	/* one round apart, so the regions' rounds interleave */
	c->actor.next_ns = region * (MTK16G_ROUND_NS / MTK16G_NR_REGIONS);
	synth_client_init(&c->task, region_names[region], MTK16G_PID + region);
	c->task.iovad = &c->iovad;
	c->task.iova_limit_pfn = (base + MTK16G_REGION_BYTES - 1) >> PAGE_SHIFT;
	if (synth_add_actor(s, &c->actor)) {
		iova_domain_exit(&c->iovad);
		free(c);
		return -ENOSPC;
	}
	return 0;
}

static int mtk16g_setup(struct synth *s)
{
	for (unsigned int r = 0; r < MTK16G_NR_REGIONS; r++) {
		int ret = mtk16g_add(s, r);

		if (ret)
			return ret;
	}
	return 0;
}

const struct synth_workload synth_mtk16g = {
	.name = "mtk16g",
	.what = "MT8192-style IOVA_34_EN: four 4 GiB regions (0..16 GiB), one churn client each, one "
		"shared page table; replay with --kernel 6.1 --ias 34",
	.default_duration_s = 60,
	.setup = mtk16g_setup,
};
