// SPDX-License-Identifier: GPL-2.0
/*
 * test_v7s_tables.c - where the v7s model's tables come from and when they
 * go (iommu/v7s.c, harness/v7s_mm.c) against docs/kernel-facts.md,
 * "io-pgtable-arm-v7s": an L2 table freed only when the kernel frees it,
 * slab-dma on 4.19 as released (tables above 4 GiB rejected) and the L1 kept
 * above 4 GiB, the L2's gfp per version, the install cmpxchg lost to another
 * CPU, a table's physical address checked, teardown returning every table.
 *
 * Two environments (v7s_env.h): the simulated machine and, where a test must
 * see or steer what v7s asks its environment for, a small fake environment
 * in host memory.  Every machine test ends with the domain destroyed and no
 * OWNER_V7S_L1 / OWNER_PT_BACKEND page left.
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

#include "v7s_env.h"

/* =========================================================================
 * When L2 tables are freed: level-1 unmap, block replacement, teardown
 */

/*
 *   slot 0x400: a 4K page mapped, then unmapped      -> table stays (empty)
 *   slot 0x400: a 1M section over the table with a live 4K in it
 *                                                   -> table freed, 4K gone
 *   slot 0x401: a 4K, then unmap(slot, 1M)           -> table freed
 *   slots 0x402..0x404: a 4K each, left              -> freed at teardown
 */
static void test_l2_lifetime(void **state)
{
	struct rig r;
	const uint64_t s = 0x40000000;

	(void)state;
	rig_up(&r, KVER_5_4, "slab-dma32");

	/* An emptied table stays installed: no refcount. */
	assert_int_equal(iommu_map(r.dom, s, 0x80000000, V7S_SZ_4K, GFP_ATOMIC, 0), 0);
	assert_int_equal(iommu_unmap(r.dom, s, V7S_SZ_4K, 0), V7S_SZ_4K);
	assert_int_equal(r.pt->stats.live_l2, 1);
	assert_int_equal(r.a->live_tables, 1);
	assert_int_equal(r.pt->stats.l2_frees, 0);
	/* ... and is used again without a new allocation */
	assert_int_equal(iommu_map(r.dom, s + 0x7000, 0x80007000, V7S_SZ_4K, GFP_ATOMIC, 0), 0);
	assert_int_equal(r.pt->stats.l2_alloc_attempts, 1);

	/* A section over the table: the table and its live page go. */
	assert_int_equal(iommu_map(r.dom, s, 0x90000000, V7S_SZ_1M, GFP_ATOMIC, 0), 0);
	assert_int_equal(r.pt->stats.l2_freed_replace, 1);
	assert_int_equal(r.pt->stats.replaced_live_ptes, 1);
	assert_int_equal(r.a->live_tables, 0);
	assert_int_equal(xlate(r.pt, s + 0x7000), 0x90007000);

	/* A level-1 unmap of a whole slot frees its table. */
	assert_int_equal(iommu_map(r.dom, s + V7S_SZ_1M, 0x80000000, V7S_SZ_4K, GFP_ATOMIC, 0), 0);
	assert_int_equal(iommu_unmap(r.dom, s + V7S_SZ_1M, V7S_SZ_1M, 0), V7S_SZ_1M);
	assert_int_equal(r.pt->stats.l2_freed_unmap, 1);

	/* A supersection over three tables frees all three. */
	for (unsigned int i = 0; i < 3; i++)
		assert_int_equal(iommu_map(r.dom, 0x43000000 + i * V7S_SZ_1M, 0x80000000 + i * 0x1000,
					   V7S_SZ_4K, GFP_ATOMIC, 0), 0);
	assert_int_equal(iommu_map(r.dom, 0x43000000, 0x91000000, V7S_SZ_16M, GFP_ATOMIC, 0), 0);
	assert_int_equal(r.pt->stats.l2_freed_replace, 4);
	assert_int_equal(r.pt->stats.replaced_live_ptes, 4);

	/* Tables left for teardown. */
	for (unsigned int i = 2; i < 5; i++)
		assert_int_equal(iommu_map(r.dom, s + i * V7S_SZ_1M, 0x80000000, V7S_SZ_4K,
					   GFP_ATOMIC, 0), 0);
	assert_int_equal(r.a->live_tables, 3);
	assert_int_equal(iommu_check(r.dom), 0);
	v7s_mm_domain_destroy(r.d);
	r.d = NULL;
	assert_int_equal(r.a->live_tables, 0);
	rig_down(&r);
}

/* =========================================================================
 * The regression: slab-dma on 4.19 as released, mt8173-4g
 */

/*
 * mt8173-4g: DRAM 0x4000_0000..0x1_4000_0000, ZONE_NORMAL = the 1 GiB above
 * 4 GiB; on arm64 4.19 GFP_DMA means ZONE_NORMAL.
 * Expect the 4.19-as-released L1 (GFP_DMA) above 4 GiB and rejected: the
 * domain cannot be created (no page kept).  With the L1 fixed, an L2 from
 * the SLAB_CACHE_DMA cache is above 4 GiB, thrown back to the cache, the
 * map fails -ENOMEM - silently on 4.19, with a dev_err from 5.1.
 */
static void test_above_4g_rejection(void **state)
{
	struct rig r;
	char err[256];

	(void)state;
	rig_backend(&r, "mt8173-4g", KVER_4_19, "slab-dma");
	assert_true(r.cfg.l1_gfp_dma);
	assert_null(v7s_mm_domain_create(r.mm, r.a, &r.cfg, err, sizeof(err)));
	assert_true(r.cfg.l1_above_4g);
	assert_non_null(strstr(err, "above 4 GiB"));
	assert_int_equal(mm_held_pages_total(r.mm, OWNER_V7S_L1), 0);

	/* L1 from GFP_DMA32 (the fix), L2 still from the SLAB_CACHE_DMA cache. */
	r.cfg.l1_gfp_dma = false;
	rig_domain(&r, true);
	assert_false(r.cfg.l1_above_4g);
	assert_true(r.cfg.l1_phys < SZ_4G);
	assert_int_equal(r.cfg.l1_zone, ZONE_DMA32);
	assert_int_equal(iommu_map(r.dom, 0x40000000, 0x80000000, V7S_SZ_4K, GFP_ATOMIC, 0), -ENOMEM);
	assert_int_equal(iommu_map(r.dom, 0x40100000, 0x80000000, V7S_SZ_4K, GFP_ATOMIC, 0), -ENOMEM);
	assert_int_equal(r.pt->stats.rejected_above_4g, 2);
	assert_int_equal(r.a->above_4g, 2);		/* the backend saw both */
	assert_int_equal(r.a->allocs, 2);
	assert_int_equal(r.a->frees, 2);		/* thrown back to the cache */
	assert_int_equal(r.a->live_tables, 0);
	assert_int_equal(r.pt->stats.l2_allocs, 0);
	assert_int_equal(r.d->warnings, 0);		/* 4.19: silent */
	assert_true(xlate(r.pt, 0x40000000) == ~0ull);
	{
		struct run_counters c = { 0 };

		v7s_mm_domain_counters(r.d, &c);
		assert_int_equal(c.map_failures, 2);
		assert_int_equal(c.rejected_above_4g, 2);
		assert_int_equal(c.atomic_attempts, 2);
		assert_int_equal(c.atomic_failures, 0);
		assert_int_equal(c.l1_above_4g, 0);
	}
	rig_down(&r);

	/* 5.4 (still no arm64 ZONE_DMA): the same, with "Page table does not fit in PTE". */
	rig_backend(&r, "mt8173-4g", KVER_5_4, "slab-dma");
	assert_false(r.cfg.l1_gfp_dma);	/* 5.1+: L1 from GFP_DMA32 */
	rig_domain(&r, false);
	assert_int_equal(iommu_map(r.dom, 0x40000000, 0x80000000, V7S_SZ_64K, GFP_ATOMIC, 0), -ENOMEM);
	assert_int_equal(r.pt->stats.rejected_above_4g, 1);
	assert_int_equal(r.d->warnings, 1);
	assert_string_equal(r.d->last_warning, "Page table does not fit in PTE");
	rig_down(&r);

	/* slab-dma32 (the 5.1 fix) on 4.19: everything below 4 GiB. */
	rig_up(&r, KVER_4_19, "slab-dma32");
	assert_false(r.cfg.l1_gfp_dma);
	assert_int_equal(iommu_map(r.dom, 0x40000000, 0x80000000, V7S_SZ_4K, GFP_ATOMIC, 0), 0);
	assert_int_equal(r.pt->stats.rejected_above_4g, 0);
	rig_down(&r);
}

/*
 * keep_l1_above_4g (a model option): the run goes on with the 4.19 L1
 * above 4 GiB, counted; the IOMMU walks from the truncated TTBR, so every
 * mapped page fails --check.
 */
static void test_l1_kept_above_4g(void **state)
{
	struct rig r;
	struct run_counters c = { 0 };

	(void)state;
	rig_backend(&r, "mt8173-4g", KVER_4_19, "slab-dma32");
	r.cfg.l1_gfp_dma = true;
	r.cfg.keep_l1_above_4g = true;
	rig_domain(&r, true);
	assert_true(r.cfg.l1_above_4g);
	assert_true(r.cfg.l1_phys >= SZ_4G);
	assert_int_equal(r.pt->l1_hw_base, (uint32_t)r.cfg.l1_phys);
	assert_int_equal(iommu_map(r.dom, 0x40000000, 0x80000000, 2 * V7S_SZ_4K, GFP_ATOMIC, 0), 0);
	assert_int_equal(r.dom->stats.faults_now, 2);
	v7s_mm_domain_counters(r.d, &c);
	assert_int_equal(c.l1_above_4g, 1);
	assert_int_equal(c.translation_faults, 2);
	assert_int_equal(iommu_unmap(r.dom, 0x40000000, 2 * V7S_SZ_4K, 0), 2 * V7S_SZ_4K);
	assert_int_equal(r.dom->stats.faults_now, 0);
	rig_down(&r);
}

/* =========================================================================
 * The L2 gfp per version, and the install cmpxchg
 */

/*
 * GFP_ATOMIC up to 5.8 (4.19, 5.4) whatever the caller passes; the
 * caller's gfp from 5.9 (6.1, 6.13).  split_blk_unmap: GFP_ATOMIC always.
 */
static void test_l2_gfp_per_version(void **state)
{
	static const struct { enum kver k; uint32_t want; } v[] = {
		{ KVER_4_19, GFP_ATOMIC }, { KVER_5_4, GFP_ATOMIC },
		{ KVER_6_1, GFP_KERNEL }, { KVER_6_13, GFP_KERNEL },
	};

	(void)state;
	for (unsigned int i = 0; i < ARRAY_SIZE(v); i++) {
		struct fake *f = fake_new();
		struct v7s_cfg cfg = cfg_for(v[i].k, MT8173_QUIRKS);
		struct v7s_pgtable *pt = calloc(1, sizeof(*pt));

		assert_non_null(pt);
		assert_int_equal(v7s_init(pt, &cfg, &fake_ops, f), 0);
		assert_int_equal(v7s_map(pt, 0x40000000, 0x80000000, V7S_SZ_4K, RW, GFP_KERNEL, 0), 0);
		assert_int_equal(f->gfp[0], v[i].want);
		assert_int_equal(pt->stats.atomic_attempts, v[i].want == GFP_ATOMIC);
		if (cfg.split) {
			assert_int_equal(v7s_map(pt, 0x40100000, 0x80100000, V7S_SZ_1M, RW, GFP_KERNEL, 0), 0);
			assert_int_equal(v7s_unmap(pt, 0x40100000, V7S_SZ_4K, 0), V7S_SZ_4K);
			assert_int_equal(f->gfp[1], GFP_ATOMIC);
		}
		v7s_free(pt, 0);
		free(pt);
		fake_free(f);
	}

	/* The same through the machine: 6.1 with GFP_KERNEL is not atomic, 4.19 is. */
	{
		struct rig r;

		rig_up(&r, KVER_6_1, "slab-dma32");
		assert_int_equal(iommu_map(r.dom, 0x40000000, 0x80000000, V7S_SZ_4K, GFP_KERNEL, 0), 0);
		assert_int_equal(r.pt->stats.atomic_attempts, 0);
		assert_int_equal(iommu_map(r.dom, 0x40100000, 0x80000000, V7S_SZ_4K, GFP_ATOMIC, 0), 0);
		assert_int_equal(r.pt->stats.atomic_attempts, 1);
		rig_down(&r);
		rig_up(&r, KVER_4_19, "slab-dma32");
		assert_int_equal(iommu_map(r.dom, 0x40000000, 0x80000000, V7S_SZ_4K, GFP_KERNEL, 0), 0);
		assert_int_equal(r.pt->stats.atomic_attempts, 1);
		rig_down(&r);
	}
}

/*
 * Two CPUs mapping into one empty slot without MediaTek's lock (5.5+): both
 * allocate, the loser's cmpxchg fails, it frees its table and maps into the
 * winner's.  Under the lock (4.19..5.4) this cannot happen; the model is
 * single-threaded, so the fake environment plays the other CPU.
 */
static void test_install_race(void **state)
{
	struct fake *f = fake_new();
	struct v7s_cfg cfg = cfg_for(KVER_6_1, MT8173_QUIRKS);
	struct v7s_pgtable *pt = calloc(1, sizeof(*pt));
	const uint64_t winner = FAKE_BASE + (2u << 20);

	(void)state;
	assert_non_null(pt);
	assert_int_equal(v7s_init(pt, &cfg, &fake_ops, f), 0);
	f->race = true;
	f->race_slot = 0x400;
	f->race_pte = (uint32_t)winner | V7S_PTE_TYPE_TABLE | V7S_ATTR_NS_TABLE;
	assert_int_equal(v7s_map(pt, 0x40000000, 0x80000000, V7S_SZ_4K, RW, GFP_ATOMIC, 0), 0);
	assert_int_equal(pt->stats.install_races, 1);
	assert_int_equal(pt->stats.l2_freed_lost, 1);
	assert_int_equal(f->nr_free, 1);
	assert_int_equal(f->freed[0], FAKE_L2_FIRST);
	assert_int_equal(fake_read(f, winner), 0x80000000 | 0xc42);	/* mapped in the winner's */
	assert_int_equal(xlate(pt, 0x40000010), 0x80000010);
	free(pt);
	fake_free(f);
}

/*
 * A table the allocator hands out above 4 GiB is thrown back; an L1 there
 * is refused by v7s_init (4.19 silent, 5.1+ dev_err).
 */
static void test_table_phys_check(void **state)
{
	struct fake *f = fake_new();
	struct v7s_cfg cfg = cfg_for(KVER_6_1, MT8173_QUIRKS);
	struct v7s_pgtable *pt = calloc(1, sizeof(*pt));

	(void)state;
	assert_non_null(pt);
	assert_int_equal(v7s_init(pt, &cfg, &fake_ops, f), 0);
	f->l2_at = 0x140001c00ull;
	assert_int_equal(v7s_map(pt, 0x40000000, 0x80000000, V7S_SZ_4K, RW, GFP_ATOMIC, 0), -ENOMEM);
	assert_int_equal(pt->stats.rejected_above_4g, 1);
	assert_int_equal(f->freed[0], 0x140001c00ull);
	assert_string_equal(f->last_warning, "Page table does not fit in PTE");
	assert_int_equal(fake_read(f, FAKE_BASE + 4 * 0x400), 0);	/* nothing installed */
	v7s_free(pt, 0);

	f->l1_phys = 0x140000000ull;
	f->warnings = 0;
	cfg = cfg_for(KVER_4_19, MT8173_QUIRKS);
	assert_int_equal(v7s_init(pt, &cfg, &fake_ops, f), -ENOMEM);
	assert_int_equal(pt->stats.l1_above_4g, 1);
	assert_int_equal(f->nr_l1_free, 2);
	assert_int_equal(f->warnings, 0);		/* 4.19: silent */
	v7s_free(pt, 0);				/* nothing to do after a failed init */
	assert_int_equal(f->nr_l1_free, 2);
	free(pt);
	fake_free(f);
}

/* =========================================================================
 * Teardown
 */

/*
 * Teardown returns every table: a mix over many slots, on every kernel,
 * then destroy.  Expect no OWNER_V7S_L1 page and, after the backend's
 * destroy, no OWNER_PT_BACKEND page.
 */
static void test_teardown(void **state)
{
	static const enum kver ks[] = { KVER_4_19, KVER_5_4, KVER_6_1, KVER_6_13 };
	static const char *const backends[] = { "slab-dma32", "genalloc-4m", "page-frag",
						"page-per-table" };

	(void)state;
	for (unsigned int k = 0; k < ARRAY_SIZE(ks); k++) {
		for (unsigned int b = 0; b < ARRAY_SIZE(backends); b++) {
			struct rig r;

			rig_up(&r, ks[k], backends[b]);
			for (unsigned int i = 0; i < 200; i++) {
				uint64_t iova = 0x40000000 + i * 0x123000ull;

				iommu_map(r.dom, iova & ~0xfffull, 0x80000000 + i * 0x10000ull,
					  (i % 7 + 1) * V7S_SZ_4K, GFP_ATOMIC, i % 4);
			}
			assert_int_equal(r.pt->stats.live_l2, r.a->live_tables);
			assert_true(r.pt->stats.live_l2 > 100);
			assert_int_equal(mm_held_pages_total(r.mm, OWNER_V7S_L1), 4);
			rig_down(&r);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_l2_lifetime),
		cmocka_unit_test(test_above_4g_rejection),
		cmocka_unit_test(test_l1_kept_above_4g),
		cmocka_unit_test(test_l2_gfp_per_version),
		cmocka_unit_test(test_install_race),
		cmocka_unit_test(test_table_phys_check),
		cmocka_unit_test(test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
