// SPDX-License-Identifier: GPL-2.0
/*
 * test_v7s_mtk.c - the newer MediaTek IOMMUs' page-table rules (iommu/v7s.c,
 * iommu/v7s_rules.c, harness/v7s_mm.c) against docs/kernel-facts.md,
 * "Newer MediaTek IOMMUs: 34-bit IOVA and TTBR_EXT":
 *   ias 34: a 64 KiB (order 4) L1 of 16384 entries, IOVAs up to 16 GiB;
 *   ias 32: an IOVA at or above 4 GiB is -ERANGE;
 *   oas 35: PA bits 32..34 in the PTEs (bits 9, 4, 5), decoded by the walk;
 *   TTBR_EXT: L1 from GFP_KERNEL, slab-dma32's cache without SLAB_CACHE_DMA32,
 *   tables refused only at or above 1 << 35, the L2's PA bits in its table
 *   entry; without it a table above 4 GiB is refused;
 *   both need kernel 6.1 or later.
 * Machine tests run on mt8173-4g (DRAM 1..5 GiB: ZONE_NORMAL is 4..5 GiB)
 * and end with no L1 page, live table or backend page left.
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "machine.h"

#include "iommu.h"
#include "pt_alloc.h"
#include "v7s.h"
#include "v7s_mm.h"

#define GIB4 (1ULL << 32)

struct rig {
	struct mm *mm;
	struct pt_alloc *a;
	struct pt_cfg pcfg;
	struct v7s_mm_cfg cfg;
	struct v7s_mm_domain *d;
	struct v7s_pgtable *pt;
};

/* mt8173-4g, 6.1, slab-dma32, --check on; @ias and @ttbr_ext as replay sets them. */
static void rig_up(struct rig *r, unsigned int ias, bool ttbr_ext)
{
	struct v7s_cfg vc;
	char err[256];

	memset(r, 0, sizeof(*r));
	r->mm = test_machine("mt8173-4g", KVER_6_1, 4);
	r->pcfg.kernel = KVER_6_1;
	r->pcfg.nr_cpus = 4;
	r->pcfg.ttbr_ext = ttbr_ext;
	assert_int_equal(v7s_cfg_for(&vc, KVER_6_1, 0), 0);
	assert_int_equal(v7s_cfg_mtk_ext(&vc, KVER_6_1, ias, ttbr_ext), 0);
	r->pcfg.table_phys_limit = v7s_table_phys_limit(&vc);
	r->a = pt_alloc_create(pt_backend_find("slab-dma32"), r->mm, &r->pcfg, err, sizeof(err));
	if (!r->a)
		fail_msg("slab-dma32: %s", err);
	v7s_mm_cfg_default(&r->cfg, r->mm, r->a);
	r->cfg.ias = ias;
	r->cfg.ttbr_ext = ttbr_ext;
	r->d = v7s_mm_domain_create(r->mm, r->a, &r->cfg, err, sizeof(err));
	if (!r->d)
		fail_msg("v7s_mm_domain_create: %s", err);
	r->pt = &r->d->dom.pgt;
	assert_int_equal(v7s_mm_enable_check(r->d), 0);
}

static void rig_down(struct rig *r)
{
	assert_int_equal(iommu_check(&r->d->dom), 0);
	v7s_mm_domain_destroy(r->d);
	assert_int_equal(mm_held_pages_total(r->mm, OWNER_V7S_L1), 0);
	assert_int_equal(r->a->live_tables, 0);
	pt_alloc_destroy(r->a);
	assert_int_equal(mm_held_pages_total(r->mm, OWNER_PT_BACKEND), 0);
	mm_check(r->mm);
	mm_destroy(r->mm);
}

static uint64_t xlate(const struct v7s_pgtable *pt, uint64_t iova)
{
	uint64_t phys;

	return v7s_iova_to_phys(pt, iova, &phys) ? phys : ~0ull;
}

/* The L1 entry of @iova's 1 MiB slot, read where the IOMMU walks from. */
static uint32_t l1_entry(const struct rig *r, uint64_t iova)
{
	return mm_phys_read32(r->mm, r->pt->l1_hw_base + 4 * (iova >> 20));
}

/* ---- the rules as numbers ---- */

static void test_rules(void **state)
{
	struct v7s_cfg c;

	(void)state;
	assert_int_equal(v7s_cfg_for(&c, KVER_6_1, V7S_QUIRK_ARM_NS | V7S_QUIRK_NO_PERMS |
				     V7S_QUIRK_MTK_4GB), 0);
	/* ias 32: 4096 entries, 16 KiB, order 2; tables below 4 GiB */
	assert_int_equal(v7s_ias(&c), 32);
	assert_int_equal(v7s_oas(&c), 32);
	assert_int_equal(v7s_l1_ptes(&c), 4096);
	assert_int_equal(v7s_l1_order(&c), 2);
	assert_int_equal(v7s_table_phys_limit(&c), GIB4);
	/* 32 without TTBR_EXT changes nothing */
	assert_int_equal(v7s_cfg_mtk_ext(&c, KVER_6_1, 32, false), 0);
	assert_int_equal(c.quirks & V7S_QUIRK_MTK_4GB, V7S_QUIRK_MTK_4GB);
	/* ias 34: 14 bits at level 1 = 16384 entries, 64 KiB, order 4; oas 35, no 4GB mode */
	assert_int_equal(v7s_cfg_mtk_ext(&c, KVER_6_1, 34, false), 0);
	assert_int_equal(v7s_l1_ptes(&c), 16384);
	assert_int_equal(v7s_l1_order(&c), 4);
	assert_int_equal(v7s_oas(&c), 35);
	assert_int_equal(c.quirks & V7S_QUIRK_MTK_4GB, 0);
	assert_int_equal(v7s_table_phys_limit(&c), GIB4);
	/* TTBR_EXT: tables anywhere below 1 << oas = 32 GiB */
	assert_int_equal(v7s_cfg_mtk_ext(&c, KVER_6_12, 34, true), 0);
	assert_int_equal(v7s_table_phys_limit(&c), 1ULL << 35);
	/* not in 4.19 / 5.4; no other ias */
	assert_int_equal(v7s_cfg_mtk_ext(&c, KVER_4_19, 34, false), -V7S_EINVAL);
	assert_int_equal(v7s_cfg_mtk_ext(&c, KVER_5_4, 32, true), -V7S_EINVAL);
	assert_int_equal(v7s_cfg_mtk_ext(&c, KVER_6_1, 33, false), -V7S_EINVAL);
	assert_false(v7s_rules(KVER_5_4)->mtk_ext);
	assert_true(v7s_rules(KVER_6_1)->mtk_ext);
	/* 7.2's io-pgtable-arm-v7s.c: cfg->ias still sizes the L1, TTBR_EXT still there */
	assert_true(v7s_rules(KVER_7_2)->mtk_ext);
	assert_int_equal(v7s_cfg_for(&c, KVER_7_2, V7S_QUIRK_ARM_NS | V7S_QUIRK_NO_PERMS |
				     V7S_QUIRK_MTK_4GB), 0);
	assert_int_equal(v7s_cfg_mtk_ext(&c, KVER_7_2, 34, true), 0);
	assert_int_equal(v7s_l1_ptes(&c), 16384);
	assert_int_equal(v7s_table_phys_limit(&c), 1ULL << 35);
}

/* ---- ias ---- */

static void test_l1_size(void **state)
{
	struct rig r;

	(void)state;
	rig_up(&r, 32, false);
	assert_int_equal(mm_held_pages_total(r.mm, OWNER_V7S_L1), 4);	/* 16 KiB */
	assert_int_equal(r.pt->l1_ptes, 4096);
	rig_down(&r);
	rig_up(&r, 34, false);
	assert_int_equal(mm_held_pages_total(r.mm, OWNER_V7S_L1), 16);	/* 64 KiB */
	assert_int_equal(r.pt->l1_ptes, 16384);
	assert_true(r.cfg.l1_phys < GIB4);			/* GFP_DMA32 */
	rig_down(&r);
}

static void test_iova_above_4g(void **state)
{
	const uint64_t pa = 0x80000000ull;
	struct rig r;

	(void)state;
	/* ias 32: WARN_ON(iova >= 1 << ias): -ERANGE, no table */
	rig_up(&r, 32, false);
	assert_int_equal(iommu_map(&r.d->dom, GIB4, pa, V7S_SZ_64K, GFP_ATOMIC, 0), -ERANGE);
	assert_int_equal(r.pt->stats.erange, 1);
	assert_int_equal(r.pt->stats.l2_allocs, 0);
	rig_down(&r);

	/* ias 34: 4 GiB .. 16 GiB map and translate; slot = iova >> 20, up to 16383 */
	rig_up(&r, 34, false);
	assert_int_equal(iommu_map(&r.d->dom, GIB4, pa, V7S_SZ_64K, GFP_ATOMIC, 0), 0);
	assert_int_equal(iommu_map(&r.d->dom, (1ull << 34) - V7S_SZ_1M, pa + V7S_SZ_1M, V7S_SZ_1M,
				   GFP_ATOMIC, 0), 0);
	assert_int_equal(iommu_map(&r.d->dom, 5 * GIB4 / 2, pa + 2 * V7S_SZ_1M, V7S_SZ_4K,
				   GFP_ATOMIC, 0), 0);
	assert_int_equal(xlate(r.pt, GIB4 + 0x1234), pa + 0x1234);
	assert_int_equal(xlate(r.pt, (1ull << 34) - 1), pa + 2 * V7S_SZ_1M - 1);
	assert_int_equal(xlate(r.pt, 5 * GIB4 / 2), pa + 2 * V7S_SZ_1M);
	/* the same low 32 bits in a 32-bit table would alias slot 0: here it is empty */
	assert_int_equal(xlate(r.pt, 0), ~0ull);
	assert_int_equal(l1_entry(&r, GIB4) & 3u, V7S_PTE_TYPE_TABLE);
	assert_int_equal(l1_entry(&r, (1ull << 34) - V7S_SZ_1M) & 3u, V7S_PTE_TYPE_PAGE);
	/* at 16 GiB: -ERANGE */
	assert_int_equal(iommu_map(&r.d->dom, 1ull << 34, pa, V7S_SZ_4K, GFP_ATOMIC, 0), -ERANGE);
	assert_int_equal(iommu_unmap(&r.d->dom, GIB4, V7S_SZ_64K, 0), V7S_SZ_64K);
	assert_int_equal(iommu_unmap(&r.d->dom, (1ull << 34) - V7S_SZ_1M, V7S_SZ_1M, 0), V7S_SZ_1M);
	assert_int_equal(xlate(r.pt, GIB4), ~0ull);
	rig_down(&r);	/* the 4K at 10 GiB goes at teardown */
}

/* oas 35: a leaf's PA bits 32..34 go to PTE bits 9, 4, 5 and come back in the walk. */
static void test_pa_above_4g(void **state)
{
	const uint64_t pa = 0x100200000ull;	/* 4 GiB + 2 MiB: mt8173-4g's ZONE_NORMAL */
	struct rig r;
	uint32_t pte;
	int lvl;

	(void)state;
	rig_up(&r, 34, false);
	assert_int_equal(iommu_map(&r.d->dom, 0x200000000ull, pa, V7S_SZ_4K, GFP_ATOMIC, 0), 0);
	pte = v7s_leaf_pte(r.pt, 0x200000000ull, &lvl);
	assert_int_equal(lvl, 2);
	assert_int_equal(pte & V7S_ATTR_MTK_PA_BIT32, V7S_ATTR_MTK_PA_BIT32);
	assert_int_equal(pte & (V7S_ATTR_MTK_PA_BIT33 | V7S_ATTR_MTK_PA_BIT34), 0);
	assert_int_equal(xlate(r.pt, 0x200000010ull), pa + 0x10);
	rig_down(&r);
}

/* ---- where tables may live ---- */

static void test_tables_without_ttbr_ext(void **state)
{
	struct rig r;

	(void)state;
	rig_up(&r, 34, false);
	/* GFP_DMA32 L1, SLAB_CACHE_DMA32 L2 cache: both below 4 GiB */
	assert_true(r.cfg.l1_phys < GIB4);
	assert_int_equal(r.pcfg.zone == ZONE_NORMAL, false);
	assert_int_equal(iommu_map(&r.d->dom, 3 * GIB4, 0x80000000ull, V7S_SZ_4K, GFP_ATOMIC, 0), 0);
	assert_true(r.pt->l2_phys[(3 * GIB4) >> 20] < GIB4);
	assert_int_equal(r.a->above_4g, 0);
	rig_down(&r);
}

static void test_tables_with_ttbr_ext(void **state)
{
	struct rig r;
	uint64_t l2;
	uint32_t e;

	(void)state;
	for (unsigned int ias = 32; ias <= 34; ias += 2) {
		rig_up(&r, ias, true);
		/* GFP_KERNEL: the L1 comes from ZONE_NORMAL, above 4 GiB, and is kept */
		assert_true(r.cfg.l1_phys >= GIB4);
		assert_int_equal(r.cfg.l1_zone, ZONE_NORMAL);
		assert_int_equal(r.pt->stats.l1_above_4g, 0);
		assert_int_equal(r.pt->l1_hw_base, r.cfg.l1_phys);	/* the whole TTBR */
		/* the cache without SLAB_CACHE_DMA32: L2 above 4 GiB, accepted, no violation */
		assert_int_equal(r.pcfg.zone, ZONE_NORMAL);
		assert_int_equal(iommu_map(&r.d->dom, 0x40000000ull, 0x80000000ull, V7S_SZ_4K,
					   GFP_ATOMIC, 0), 0);
		l2 = r.pt->l2_phys[0x40000000ull >> 20];
		assert_true(l2 >= GIB4);
		assert_int_equal(r.pt->stats.rejected_above_4g, 0);
		assert_int_equal(r.a->above_4g, 0);
		/* the table entry carries the L2's PA bit 32, the walk follows it */
		e = l1_entry(&r, 0x40000000ull);
		assert_int_equal(e & V7S_ATTR_MTK_PA_BIT32, V7S_ATTR_MTK_PA_BIT32);
		assert_int_equal(e & V7S_TABLE_MASK, (uint32_t)l2);
		assert_int_equal(xlate(r.pt, 0x40000abcull), 0x80000abcull);
		rig_down(&r);
	}
}

/* A fake environment: one table handed out at a chosen address. */
struct fake {
	uint32_t l1[V7S_L1_PTES_MAX];
	uint64_t l2_at, l1_at, freed;
	const char *warning;
};

#define FAKE_L1 0x10000000ull

static uint32_t fake_read(void *ctx, uint64_t phys)
{
	struct fake *f = ctx;

	return phys >= FAKE_L1 && phys < FAKE_L1 + sizeof(f->l1) ? f->l1[(phys - FAKE_L1) / 4] : 0;
}

static void fake_write(void *ctx, uint64_t phys, uint32_t pte)
{
	struct fake *f = ctx;

	if (phys < FAKE_L1 || phys >= FAKE_L1 + sizeof(f->l1))
		fail_msg("PTE write outside the fake L1: %#" PRIx64, phys);
	f->l1[(phys - FAKE_L1) / 4] = pte;
}

static int fake_alloc_l2(void *ctx, uint32_t gfp, int cpu, uint64_t *phys)
{
	(void)gfp;
	(void)cpu;
	*phys = ((struct fake *)ctx)->l2_at;
	return 0;
}

static void fake_free_l2(void *ctx, uint64_t phys, int cpu)
{
	(void)cpu;
	((struct fake *)ctx)->freed = phys;
}

static int fake_alloc_l1(void *ctx, uint64_t *phys)
{
	*phys = ((struct fake *)ctx)->l1_at;
	return 0;
}

static void fake_free_l1(void *ctx, uint64_t phys)
{
	(void)ctx;
	(void)phys;
}

static void fake_warn(void *ctx, const char *what)
{
	((struct fake *)ctx)->warning = what;
}

static const struct v7s_env_ops fake_ops = {
	.alloc_l2 = fake_alloc_l2, .free_l2 = fake_free_l2,
	.alloc_l1 = fake_alloc_l1, .free_l1 = fake_free_l1,
	.read_pte = fake_read, .write_pte = fake_write, .warn = fake_warn,
};

/* The limits themselves: 4 GiB without TTBR_EXT, 1 << oas (32 GiB) with it. */
static void test_table_limits(void **state)
{
	struct fake *f = calloc(1, sizeof(*f));
	struct v7s_pgtable *pt = calloc(1, sizeof(*pt));
	struct v7s_cfg c;

	(void)state;
	assert_non_null(f);
	assert_non_null(pt);
	assert_int_equal(v7s_cfg_for(&c, KVER_6_1, V7S_QUIRK_ARM_NS | V7S_QUIRK_NO_PERMS), 0);
	assert_int_equal(v7s_cfg_mtk_ext(&c, KVER_6_1, 34, false), 0);
	f->l1_at = FAKE_L1;
	assert_int_equal(v7s_init(pt, &c, &fake_ops, f), 0);
	f->l2_at = GIB4;			/* the first address above the limit */
	assert_int_equal(v7s_map(pt, 0, 0, V7S_SZ_4K, V7S_PROT_READ, 0, 0), -ENOMEM);
	assert_int_equal(pt->stats.rejected_above_4g, 1);
	assert_int_equal(f->freed, GIB4);
	assert_string_equal(f->warning, "Page table does not fit in PTE");
	v7s_free(pt, 0);

	/* TTBR_EXT: 4 GiB is fine (checked on the machine above), 1 << 35 is not */
	assert_int_equal(v7s_cfg_mtk_ext(&c, KVER_6_1, 34, true), 0);
	memset(f, 0, sizeof(*f));
	f->l1_at = FAKE_L1;
	assert_int_equal(v7s_init(pt, &c, &fake_ops, f), 0);
	f->l2_at = 1ull << 35;
	assert_int_equal(v7s_map(pt, 0, 0, V7S_SZ_4K, V7S_PROT_READ, 0, 0), -ENOMEM);
	assert_int_equal(pt->stats.rejected_above_4g, 1);
	v7s_free(pt, 0);
	/* an L1 at 1 << 35 is refused too (kept only with keep_l1_above_4g) */
	f->l1_at = 1ull << 35;
	assert_int_equal(v7s_init(pt, &c, &fake_ops, f), -ENOMEM);
	assert_int_equal(pt->stats.l1_above_4g, 1);
	/* ... and one just below it is not */
	f->l1_at = (1ull << 35) - (64u << 10);
	assert_int_equal(v7s_init(pt, &c, &fake_ops, f), 0);
	assert_int_equal(pt->stats.l1_above_4g, 0);
	assert_int_equal(pt->l1_hw_base, f->l1_at);
	v7s_free(pt, 0);
	free(pt);
	free(f);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_l1_size),
		cmocka_unit_test(test_iova_above_4g),
		cmocka_unit_test(test_pa_above_4g),
		cmocka_unit_test(test_tables_without_ttbr_ext),
		cmocka_unit_test(test_tables_with_ttbr_ext),
		cmocka_unit_test(test_table_limits),
	};

	return cmocka_run_group_tests_name("v7s_mtk", tests, NULL, NULL);
}
