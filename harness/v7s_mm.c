// SPDX-License-Identifier: GPL-2.0
/*
 * v7s_mm.c - the v7s env ops on the simulated machine and the domain factory.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "v7s_mm.h"

_Static_assert(V7S_GFP_ATOMIC == GFP_ATOMIC, "v7s.h and gfp.h disagree on GFP_ATOMIC");
_Static_assert(V7S_GFP_DIRECT_RECLAIM == __GFP_DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM");
_Static_assert(V7S_ENOMEM == ENOMEM && V7S_EEXIST == EEXIST && V7S_EINVAL == EINVAL &&
	       V7S_ERANGE == ERANGE, "v7s.h errno values");
_Static_assert(V7S_L2_TABLE_BYTES == PT_TABLE_SIZE, "one L2 table is one pt_alloc table");

/*
 * The L1 gfp (__arm_v7s_alloc_table, lvl 1): zeroed; GFP_DMA32 (no reclaim
 * flags), or with TTBR_EXT gfp_l1 = GFP_KERNEL (6.1+).
 */
static gfp_t l1_gfp(const struct v7s_mm_cfg *cfg)
{
	if (cfg->ttbr_ext)
		return GFP_KERNEL | __GFP_ZERO;
	return (cfg->l1_gfp_dma ? GFP_DMA : GFP_DMA32) | __GFP_ZERO;
}

static int env_alloc_l2(void *ctx, uint32_t gfp, int cpu, uint64_t *phys)
{
	struct v7s_mm_domain *d = ctx;

	d->a->pool = d->pool;
	return pt_table_alloc(d->a, gfp, cpu, phys);
}

static void env_free_l2(void *ctx, uint64_t phys, int cpu)
{
	struct v7s_mm_domain *d = ctx;

	pt_table_free(d->a, phys, cpu);
}

static int env_alloc_l1(void *ctx, uint64_t *phys)
{
	struct v7s_mm_domain *d = ctx;
	/* v7s_init set the page table's cfg before it asks: order 2, or 4 with ias 34 */
	struct page *page = alloc_pages(d->mm, l1_gfp(&d->cfg), v7s_l1_order(&d->dom.pgt.cfg), 0,
					OWNER_V7S_L1);

	if (!page)
		return -ENOMEM;
	*phys = page_to_phys(d->mm, page);
	return 0;
}

static void env_free_l1(void *ctx, uint64_t phys)
{
	struct v7s_mm_domain *d = ctx;

	free_pages(d->mm, phys_to_page(d->mm, phys), v7s_l1_order(&d->dom.pgt.cfg), 0);
}

/* The walker may be sent outside DRAM (a truncated TTBR): no memory reads 0. */
static uint32_t env_read_pte(void *ctx, uint64_t phys)
{
	struct v7s_mm_domain *d = ctx;

	return mm_phys_read32(d->mm, phys);
}

static void env_write_pte(void *ctx, uint64_t phys, uint32_t pte)
{
	struct v7s_mm_domain *d = ctx;
	uint32_t *p = mm_phys_write_ptr(d->mm, phys, sizeof(pte));

	*p = pte;
}

static void env_warn(void *ctx, const char *what)
{
	struct v7s_mm_domain *d = ctx;

	d->warnings++;
	d->last_warning = what;
	if (d->print_warnings)
		fprintf(stderr, "ptbench: v7s: %s\n", what);
}

const char *v7s_l2_op_name(int op)
{
	return op == V7S_L2_OP_ALLOC ? "alloc" : op == V7S_L2_OP_FAIL ? "fail" : "free";
}

/*
 * The L2 op log: the same lines the oracle's module and the kernel's own
 * io-pgtable-arm-v7s.c give for a trace (scripts/fidelity.py compares them).
 */
static void env_l2_op(void *ctx, int op, unsigned int slot, int cpu)
{
	struct v7s_mm_domain *d = ctx;

	if (d->l2_log)
		fprintf(d->l2_log, "%s %llu %s %u %d\n", d->l2_log_backend ? d->l2_log_backend : "-",
			(unsigned long long)d->l2_log_event, v7s_l2_op_name(op), slot, cpu);
}

const struct v7s_env_ops v7s_mm_env_ops = {
	.alloc_l2 = env_alloc_l2,
	.free_l2 = env_free_l2,
	.alloc_l1 = env_alloc_l1,
	.free_l1 = env_free_l1,
	.read_pte = env_read_pte,
	.write_pte = env_write_pte,
	.warn = env_warn,
	.l2_op = env_l2_op,
};

static uint64_t dram_end(const struct mm *mm)
{
	uint64_t end = 0;

	for (enum zone_type z = 0; z < MAX_NR_ZONES; z++) {
		struct zone_info zi;

		if (!mm_zone_populated(mm, z))
			continue;
		mm_zone_info(mm, z, &zi);
		end = MAX(end, pfn_to_phys(zi.end_pfn));
	}
	return end;
}

void v7s_mm_cfg_default(struct v7s_mm_cfg *cfg, const struct mm *mm, const struct pt_alloc *a)
{
	*cfg = (struct v7s_mm_cfg){
		.quirks = v7s_mtk_quirks(dram_end(mm)),
		.prot = V7S_PROT_READ | V7S_PROT_WRITE,
		/* 4.19 as released is the slab-dma backend + __get_dma_pages for L1 */
		.l1_gfp_dma = !v7s_rules(mm_kernel(mm))->l1_dma32 && a &&
			      a->backend == &pt_backend_slab_dma,
	};
}

void v7s_mm_v7s_cfg(struct v7s_cfg *out, enum kver kver, const struct v7s_mm_cfg *cfg)
{
	PTB_BUG_ON(v7s_cfg_for(out, kver, cfg->quirks));
	PTB_BUG_ON(v7s_cfg_mtk_ext(out, kver, cfg->ias ? cfg->ias : V7S_ADDR_BITS, cfg->ttbr_ext));
	out->keep_l1_above_4g = cfg->keep_l1_above_4g;
}

struct v7s_mm_domain *v7s_mm_domain_create(struct mm *mm, struct pt_alloc *a,
					   struct v7s_mm_cfg *cfg, char *err, size_t err_bytes)
{
	struct v7s_mm_domain *d;
	struct v7s_cfg vcfg;
	int ret;

	d = calloc(1, sizeof(*d));
	if (!d) {
		snprintf(err, err_bytes, "out of host memory for a v7s domain");
		return NULL;
	}
	d->mm = mm;
	d->a = a;
	d->cfg = *cfg;
	v7s_mm_v7s_cfg(&vcfg, mm_kernel(mm), cfg);
	ret = iommu_domain_init(&d->dom, &vcfg, &v7s_mm_env_ops, d);
	d->dom.prot = cfg->prot ? cfg->prot : V7S_PROT_READ | V7S_PROT_WRITE;
	cfg->l1_above_4g = d->dom.pgt.stats.l1_above_4g;
	if (ret) {
		if (cfg->l1_above_4g)
			snprintf(err, err_bytes, "v7s level-1 table above 4 GiB rejected (%s from %s)",
				 cfg->ttbr_ext ? "GFP_KERNEL" : cfg->l1_gfp_dma ? "GFP_DMA" : "GFP_DMA32",
				 zone_name(mm_gfp_zone_served(mm, l1_gfp(cfg))));
		else
			snprintf(err, err_bytes, "v7s level-1 table: %s", strerror(-ret));
		cfg->l1_phys = 0;
		free(d);
		return NULL;
	}
	cfg->l1_phys = d->dom.pgt.l1_phys;
	cfg->l1_zone = page_zonenum(mm, phys_to_page(mm, cfg->l1_phys));
	d->cfg = *cfg;
	return d;
}

void v7s_mm_domain_destroy(struct v7s_mm_domain *d)
{
	if (!d)
		return;
	iommu_domain_exit(&d->dom, 0);
	free(d->dom.shadow.iv);
	free(d);
}

static void *shadow_grow(void *ctx, void *mem, size_t old_bytes, size_t *new_bytes)
{
	(void)ctx;
	(void)old_bytes;
	return realloc(mem, *new_bytes);
}

int v7s_mm_enable_check(struct v7s_mm_domain *d)
{
	size_t bytes = 256 * sizeof(struct iommu_shadow_iv);
	void *mem;

	if (d->dom.shadow.iv)
		return 0;	/* already on */
	mem = malloc(bytes);
	if (!mem)
		return -ENOMEM;
	iommu_shadow_attach(&d->dom, mem, bytes, shadow_grow, d);
	return 0;
}

void v7s_mm_domain_counters(const struct v7s_mm_domain *d, struct run_counters *c)
{
	const struct iommu_stats *st = &d->dom.stats;
	const struct v7s_stats *pt = &d->dom.pgt.stats;

	c->map_failures += st->map_enomem;
	c->map_errors_other += st->map_eexist + st->map_erange + st->map_einval + st->map_eother;
	c->conflicts += st->map_eexist;
	c->atomic_attempts += pt->atomic_attempts;
	c->atomic_failures += pt->atomic_failures;
	c->rejected_above_4g += pt->rejected_above_4g;
	c->l1_above_4g += pt->l1_above_4g;
	/* the kernel's own split refill bug is reported apart from model faults */
	c->translation_faults += st->other_faults_new;
	c->split_refill_faults += st->split_refill_faults_new;
}
