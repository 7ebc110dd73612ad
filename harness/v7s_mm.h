/* SPDX-License-Identifier: GPL-2.0 */
/*
 * v7s_mm.h - the v7s model (v7s.h, iommu.h) on the simulated machine: the
 * env ops backed by struct mm and a page-table backend (struct pt_alloc),
 * and a domain factory.
 *
 * Types:
 *   struct v7s_mm_cfg     what a domain is made with; the factory writes back
 *                         where the L1 went.
 *   struct v7s_mm_domain  one IOMMU domain on the machine.
 * Where things come from:
 *   L2 tables  pt_table_alloc / pt_table_free on the backend under test.
 *   L1 table   alloc_pages(GFP_DMA32 | __GFP_ZERO, order 2, cpu 0,
 *              OWNER_V7S_L1) - or GFP_DMA | __GFP_ZERO for 4.19 as released
 *              (l1_gfp_dma), which is ZONE_NORMAL on arm64 4.19; GFP_KERNEL
 *              with ttbr_ext, order 4 with ias 34 (v7s_l1_order).
 *   PTEs       mm_phys_read32 / mm_phys_write_ptr: the tables' real bytes.
 * The version rules come from v7s_rules(mm_kernel(mm)) (iommu/v7s_rules.c).
 */
#ifndef PTB_V7S_MM_H
#define PTB_V7S_MM_H

#include "iommu.h"
#include "metrics.h"
#include "mm.h"
#include "pt_alloc.h"

struct v7s_mm_cfg {
	uint32_t quirks;		/* V7S_QUIRK_*: MT8173 = ARM_NS | NO_PERMS [| MTK_4GB] */
	int prot;			/* prot of every map: V7S_PROT_READ | V7S_PROT_WRITE */
	bool l1_gfp_dma;		/* 4.19 as released: L1 with GFP_DMA, else GFP_DMA32 */
	bool keep_l1_above_4g;		/* model option: go on with an L1 the kernel rejects */
	unsigned int ias;		/* --ias: 32 (0 too) or 34 (IOVA_34_EN SoCs, 6.1+) */
	bool ttbr_ext;			/* --ttbr-ext: IO_PGTABLE_QUIRK_ARM_MTK_TTBR_EXT (6.1+) */
	/* written back by v7s_mm_domain_create(): */
	uint64_t l1_phys;		/* 0 when the L1 was rejected */
	enum zone_type l1_zone;
	bool l1_above_4g;
};

struct v7s_mm_domain {
	struct iommu_domain dom;
	struct mm *mm;
	struct pt_alloc *a;
	unsigned int pool;		/* its tables' pool in @a (pt_alloc.pool): the replay's index */
	struct v7s_mm_cfg cfg;
	uint64_t warnings;		/* WARNs and dev_errs v7s would have printed */
	const char *last_warning;
	bool print_warnings;		/* also print them to stderr (off by default) */
	/* --l2-log: one line per L2 op, "BACKEND EVENT alloc|fail|free SLOT CPU" */
	FILE *l2_log;
	const char *l2_log_backend;
	uint64_t l2_log_event;		/* index of the event being replayed */
};

/*
 * The MT8173 defaults for @mm and backend @a: quirks ARM_NS | NO_PERMS, plus
 * MTK_4GB when DRAM ends above 4 GiB (mtk_iommu: max_pfn > 4 GiB); prot
 * READ | WRITE; l1_gfp_dma for 4.19 as released (a kernel whose v7s_rules
 * have no l1_dma32, and the slab-dma backend).
 */
void v7s_mm_cfg_default(struct v7s_mm_cfg *cfg, const struct mm *mm, const struct pt_alloc *a);
/*
 * The v7s page-table configuration v7s_cfg_for(@kver) and @cfg give, with
 * v7s_cfg_mtk_ext() for @cfg's ias / ttbr_ext (checked by the options: a
 * kernel without them is a bug here).
 */
void v7s_mm_v7s_cfg(struct v7s_cfg *out, enum kver kver, const struct v7s_mm_cfg *cfg);

/**
 * v7s_mm_domain_create() - a domain with a fresh L1 on @mm, L2s from @a.
 * Writes back cfg->l1_*.  Returns NULL with a one-line reason in @err when
 * the L1 cannot be allocated or (4.19 as released) lands above 4 GiB and is
 * rejected as __arm_v7s_alloc_table rejects it (cfg->l1_above_4g set).
 */
struct v7s_mm_domain *v7s_mm_domain_create(struct mm *mm, struct pt_alloc *a,
					   struct v7s_mm_cfg *cfg, char *err, size_t err_bytes);
/** v7s_mm_domain_destroy() - teardown: every L2 back to @a, then the L1. NULL ok. */
void v7s_mm_domain_destroy(struct v7s_mm_domain *d);
/** v7s_mm_enable_check() - attach a growing shadow (--check). Returns 0 or -ENOMEM. */
int v7s_mm_enable_check(struct v7s_mm_domain *d);

/* Add this domain's numbers into @c (several domains add up). */
void v7s_mm_domain_counters(const struct v7s_mm_domain *d, struct run_counters *c);

/* The L2 log's name of a V7S_L2_OP_* ("alloc", "fail", "free"). */
const char *v7s_l2_op_name(int op);

/* The env ops themselves, ctx = struct v7s_mm_domain. */
extern const struct v7s_env_ops v7s_mm_env_ops;

#endif /* PTB_V7S_MM_H */
