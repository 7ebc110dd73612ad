// SPDX-License-Identifier: GPL-2.0
/*
 * test_v7s.c - the v7s io-pgtable model (iommu/v7s.c, iommu/v7s_rules.c)
 * against docs/kernel-facts.md, "io-pgtable-arm-v7s" and "Seen on the real
 * 6.1 kernel": v7s_cfg_for() per version, the kernel's arm_v7s_do_selftests,
 * 6.13's refused partial unmaps, the PTE encodings, the splits of a large
 * entry per version (and 6.1's refill bug), MediaTek's 4GB mode.
 *
 * Two environments (v7s_env.h): the simulated machine and, where a test must
 * see or steer what v7s asks its environment for, a small fake environment
 * in host memory.  Every machine test ends with the domain destroyed and no
 * OWNER_V7S_L1 / OWNER_PT_BACKEND page left.  Where v7s's tables come from
 * and when they go: test_v7s_tables.c; the IOMMU core: test_iommu.c.
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
 * arm_v7s_do_selftests, rewritten (kernels with split: 4.19 .. 6.12)
 *
 *   iova   0    16M          32M          48M ............ 64M
 *          4K   64K          1M           16M (supersection)
 * Expect every size to map and translate, a second map over each to fail
 * with -EEXIST, a 4K hole to be punched at +4K in the three large ones and
 * remapped, and every block to unmap whole and remap.
 */
static void selftest_on(enum kver k)
{
	struct fake *f = fake_new();
	struct v7s_cfg cfg = cfg_for(k, MT8173_QUIRKS);	/* the selftest's quirks */
	struct v7s_pgtable *pt = calloc(1, sizeof(*pt));
	static const uint64_t sizes[] = { V7S_SZ_4K, V7S_SZ_64K, V7S_SZ_1M, V7S_SZ_16M };
	uint64_t iova, size;

	assert_non_null(pt);
	assert_int_equal(v7s_init(pt, &cfg, &fake_ops, f), 0);

	/* Empty page tables shouldn't provide any translations. */
	assert_true(xlate(pt, 42) == ~0ull);
	assert_true(xlate(pt, (1ull << 30) + 42) == ~0ull);
	assert_true(xlate(pt, (2ull << 30) + 42) == ~0ull);

	/* Distinct mappings of different granule sizes. */
	iova = 0;
	for (unsigned int i = 0; i < 4; i++) {
		size = sizes[i];
		assert_int_equal(v7s_map(pt, iova, iova, size,
					 RW | V7S_PROT_NOEXEC | V7S_PROT_CACHE, 0, 0), 0);
		/* Overlapping mappings */
		assert_int_equal(v7s_map(pt, iova, iova + size, size,
					 V7S_PROT_READ | V7S_PROT_NOEXEC, 0, 0), -EEXIST);
		assert_int_equal(xlate(pt, iova + 42), iova + 42);
		iova += V7S_SZ_16M;
	}
	assert_int_equal(pt->stats.eexist, 4);
	assert_int_equal(f->warnings, 4);	/* WARN_ON(!selftest_running) outside the selftest */

	/* Partial unmap, and remap of the hole. */
	size = V7S_SZ_4K;
	for (unsigned int i = 1; i < 4; i++) {
		uint64_t start = i * V7S_SZ_16M;

		assert_int_equal(v7s_unmap(pt, start + size, size, 0), size);
		assert_true(xlate(pt, start + size + 42) == ~0ull);
		assert_int_equal(v7s_map(pt, start + size, size, size, V7S_PROT_READ, 0, 0), 0);
		assert_int_equal(xlate(pt, start + size + 42), size + 42);
	}
	/* 64K: split_cont; 1M: split_blk; 16M (slot 0): split_cont + split_blk. */
	assert_int_equal(pt->stats.split_cont, 2);
	assert_int_equal(pt->stats.split_blk, 2);
	assert_int_equal(pt->stats.split_blk_lost, 0);
	/*
	 * The kernel's split_blk_unmap refills from the block's attributes but
	 * not its address: the rest of the 1M section at 32M now maps from
	 * physical 0.  The selftest only looks at the remapped page.
	 */
	assert_int_equal(xlate(pt, 2 * V7S_SZ_16M + 2 * V7S_SZ_4K + 42), 2 * V7S_SZ_4K + 42);
	/* split_cont keeps addresses: the 64K page's other 4K pages are right */
	assert_int_equal(xlate(pt, V7S_SZ_16M + 2 * V7S_SZ_4K), V7S_SZ_16M + 2 * V7S_SZ_4K);
	/* and the supersection's other slots still translate */
	assert_int_equal(xlate(pt, 3 * V7S_SZ_16M + 5 * V7S_SZ_1M + 42),
			 3 * V7S_SZ_16M + 5 * V7S_SZ_1M + 42);

	/* Full unmap, and remap of the full block. */
	iova = 0;
	for (unsigned int i = 0; i < 4; i++) {
		size = sizes[i];
		assert_int_equal(v7s_unmap(pt, iova, size, 0), size);
		assert_true(xlate(pt, iova + 42) == ~0ull);
		assert_int_equal(v7s_map(pt, iova, iova, size, V7S_PROT_WRITE, 0, 0), 0);
		assert_int_equal(xlate(pt, iova + 42), iova + 42);
		iova += V7S_SZ_16M;
	}
	/* Tables: 0 (4K), 16M (64K), 32M and 48M (splits); two freed by the 1M/16M unmaps. */
	assert_int_equal(pt->stats.l2_allocs, 4);
	assert_int_equal(pt->stats.l2_freed_unmap, 2);
	assert_int_equal(pt->stats.live_l2, 2);
	v7s_free(pt, 0);
	assert_int_equal(pt->stats.l2_freed_teardown, 2);
	assert_int_equal(f->nr_free, 4);
	assert_int_equal(f->nr_l1_free, 1);
	free(pt);
	fake_free(f);
}

/*
 * The per-version rules both programs configure v7s with (v7s_rules.c):
 * 4.19 L1 by GFP_DMA and L2 GFP_ATOMIC, DMA32 L1 and its dev_err from 5.1,
 * the caller's gfp from 5.9, no split in 6.13 (nor 7.2); an unknown version refused.
 */
static void test_cfg_per_version(void **state)
{
	static const struct { enum kver k; bool dma32, caller_gfp, split; } want[] = {
		{ KVER_4_19, false, false, true },
		{ KVER_5_4, true, false, true },
		{ KVER_5_10, true, true, true },	/* 5.10 io-pgtable-arm-v7s.c: as 6.1 */
		{ KVER_6_1, true, true, true },
		{ KVER_6_12, true, true, true },	/* the splits are still there */
		{ KVER_6_13, true, true, false },
		{ KVER_7_2, true, true, false },	/* linux-source-7.2: as 6.13 */
	};
	struct v7s_cfg c;

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		c = cfg_for(want[i].k, MT8173_QUIRKS);
		assert_int_equal(v7s_rules(want[i].k)->l1_dma32, want[i].dma32);
		assert_int_equal(c.quirks, MT8173_QUIRKS);
		assert_int_equal(c.pgsize_bitmap, V7S_PGSIZE_BITMAP);
		assert_int_equal(c.warn_table_phys, want[i].dma32);
		assert_int_equal(c.l2_caller_gfp, want[i].caller_gfp);
		assert_int_equal(c.split, want[i].split);
		assert_false(c.keep_l1_above_4g);
	}
	assert_null(v7s_rules(KVER_NR));
	assert_int_equal(v7s_cfg_for(&c, KVER_NR, 0), -V7S_EINVAL);
}

static void test_selftests(void **state)
{
	(void)state;
	selftest_on(KVER_4_19);
	selftest_on(KVER_5_4);
	selftest_on(KVER_6_1);
}

/*
 * 6.13 (fd50651636fb): no split.  A partial unmap of a 64K, 1M or 16M entry
 * WARNs once and unmaps 0; the whole-block unmaps still work.
 */
static void test_partial_unmap_6_13(void **state)
{
	struct rig r;
	static const uint64_t sizes[] = { V7S_SZ_64K, V7S_SZ_1M, V7S_SZ_16M };

	(void)state;
	rig_up(&r, KVER_6_13, "slab-dma32");
	for (unsigned int i = 0; i < 3; i++) {
		uint64_t iova = (i + 1) * V7S_SZ_16M;

		assert_int_equal(iommu_map(r.dom, iova, 0x80000000ull + iova, sizes[i], GFP_ATOMIC, 0), 0);
		assert_int_equal(iommu_unmap(r.dom, iova + V7S_SZ_4K, V7S_SZ_4K, 0), 0);
		assert_int_equal(xlate(r.pt, iova + V7S_SZ_4K), 0x80000000ull + iova + V7S_SZ_4K);
	}
	/* a 1M unmap of a supersection is partial too */
	assert_int_equal(iommu_unmap(r.dom, 3 * V7S_SZ_16M + V7S_SZ_1M, V7S_SZ_1M, 0), 0);
	assert_int_equal(r.pt->stats.partial_refused, 4);
	assert_int_equal(r.d->warnings, 1);	/* WARN_ONCE */
	assert_string_equal(r.d->last_warning, "Unmap of a partial large IOPTE is not allowed");
	assert_int_equal(r.pt->stats.split_cont + r.pt->stats.split_blk, 0);
	assert_int_equal(r.dom->stats.unmap_short, 4);
	for (unsigned int i = 0; i < 3; i++)
		assert_int_equal(iommu_unmap(r.dom, (i + 1) * V7S_SZ_16M, sizes[i], 0), sizes[i]);
	assert_int_equal(r.dom->stats.faults_now, 0);
	rig_down(&r);
}

/* =========================================================================
 * PTE encodings: the kernel's bits for IOMMU_READ | IOMMU_WRITE
 */

struct enc {
	uint64_t size;
	int lvl;
	uint32_t attrs;		/* the PTE without its address bits */
	uint32_t addr_mask;
};

static void check_encodings(uint32_t quirks, int prot, const struct enc want[4])
{
	struct fake *f = fake_new();
	struct v7s_cfg cfg = cfg_for(KVER_4_19, quirks);
	struct v7s_pgtable *pt = calloc(1, sizeof(*pt));

	assert_non_null(pt);
	assert_int_equal(v7s_init(pt, &cfg, &fake_ops, f), 0);
	for (unsigned int i = 0; i < 4; i++) {
		uint64_t iova = (i + 1) * V7S_SZ_16M, paddr = 0x43000000ull;
		uint32_t pte;
		int lvl;

		assert_int_equal(v7s_map(pt, iova, paddr, want[i].size, prot, 0, 0), 0);
		pte = v7s_leaf_pte(pt, iova, &lvl);
		assert_int_equal(lvl, want[i].lvl);
		assert_int_equal(pte & ~want[i].addr_mask, want[i].attrs);
		assert_int_equal(pte & want[i].addr_mask, paddr);
		/* every one of the 16 copies is the same entry */
		if (want[i].size == V7S_SZ_64K || want[i].size == V7S_SZ_16M) {
			uint64_t step = want[i].size / V7S_CONT_PAGES;

			for (unsigned int c = 1; c < V7S_CONT_PAGES; c++)
				assert_int_equal(v7s_leaf_pte(pt, iova + c * step, &lvl), pte);
		}
		assert_int_equal(xlate(pt, iova + want[i].size - 1), paddr + want[i].size - 1);
	}
	/* The L1 entry of the 4K/64K chunks: table | type 01 (| NS_TABLE). */
	{
		uint32_t l1 = fake_read(f, FAKE_BASE + 4 * (V7S_SZ_16M >> 20));

		assert_int_equal(l1 & 3u, V7S_PTE_TYPE_TABLE);
		assert_int_equal(l1 & V7S_ATTR_NS_TABLE, (quirks & V7S_QUIRK_ARM_NS) ? V7S_ATTR_NS_TABLE : 0);
		assert_int_equal(l1 & V7S_TABLE_MASK, FAKE_L2_FIRST);
	}
	v7s_free(pt, 0);
	free(pt);
	fake_free(f);
}

static void test_pte_encodings(void **state)
{
	/*
	 * No quirks, READ|WRITE.  Attribute block NG|S|TEX(1)|AP1|AP0 = 0xc7:
	 *   4K  small page  0xc7 << 4  | 0x2                       = 0x00000c72
	 *   64K large page  TEX moves to [14:12], type 0x1          = 0x00001c31
	 *   1M  section     0xc7 << 10 | 0x2                       = 0x00031c02
	 *   16M supersection  section | bit 18                      = 0x00071c02
	 */
	static const struct enc plain[4] = {
		{ V7S_SZ_4K,  2, 0x00000c72, 0xfffff000 },
		{ V7S_SZ_64K, 2, 0x00001c31, 0xffff0000 },
		{ V7S_SZ_1M,  1, 0x00031c02, 0xfff00000 },
		{ V7S_SZ_16M, 1, 0x00071c02, 0xff000000 },
	};
	/* READ only: AP2 (read-only, bit 5 of the block) joins: 0xe7. */
	static const struct enc rdonly[4] = {
		{ V7S_SZ_4K,  2, 0x00000e72, 0xfffff000 },
		{ V7S_SZ_64K, 2, 0x00001e31, 0xffff0000 },
		{ V7S_SZ_1M,  1, 0x00039c02, 0xfff00000 },
		{ V7S_SZ_16M, 1, 0x00079c02, 0xff000000 },
	};
	/*
	 * MT8173 in 4GB mode: NO_PERMS drops AF/AP (block 0xc4), ARM_NS sets
	 * bit 19 on sections, MTK_4GB sets bit 9 on every leaf.
	 */
	static const struct enc mt8173[4] = {
		{ V7S_SZ_4K,  2, 0x00000e42, 0xfffff000 },
		{ V7S_SZ_64K, 2, 0x00001e01, 0xffff0000 },
		{ V7S_SZ_1M,  1, 0x000b1202, 0xfff00000 },
		{ V7S_SZ_16M, 1, 0x000f1202, 0xff000000 },
	};
	struct v7s_cfg c = cfg_for(KVER_4_19, 0);

	(void)state;
	check_encodings(0, RW, plain);
	check_encodings(0, V7S_PROT_READ, rdonly);
	check_encodings(MT8173_QUIRKS | V7S_QUIRK_MTK_4GB, RW, mt8173);

	/* The other prot bits, by the helper: NOEXEC, CACHE, MMIO, PRIV. */
	assert_int_equal(v7s_prot_to_pte(&c, RW | V7S_PROT_NOEXEC, 2), 0x00000c73);	/* XN = bit 0 */
	assert_int_equal(v7s_prot_to_pte(&c, RW | V7S_PROT_NOEXEC, 1), 0x00031c12);	/* XN = bit 4 */
	assert_int_equal(v7s_prot_to_pte(&c, RW | V7S_PROT_CACHE, 2), 0x00000c7e);	/* B|C */
	assert_int_equal(v7s_prot_to_pte(&c, RW | V7S_PROT_MMIO, 2), 0x00000c36);	/* TEX 0, B */
	assert_int_equal(v7s_prot_to_pte(&c, RW | V7S_PROT_PRIV, 2), 0x00000c52);	/* no AP1 */
	/* a large page carries XN at bit 15 */
	assert_int_equal(v7s_pte_to_cont(v7s_prot_to_pte(&c, RW | V7S_PROT_NOEXEC, 2), 2), 0x00009c31);
	assert_true(v7s_pte_is_cont(0x00001c31, 2) && !v7s_pte_is_cont(0x00000c72, 2));
	assert_true(v7s_pte_is_cont(0x00071c02, 1) && !v7s_pte_is_cont(0x00031c02, 1));
	assert_false(v7s_pte_is_cont(0x40000001, 1));	/* a table is never contiguous */
}

/* =========================================================================
 * Splits
 */

/*
 * "Seen on the real 6.1 kernel": a 4K unmap inside a 16M supersection, in
 * any 1 MB slot but the first, allocates a table, loses the cmpxchg (split_
 * cont left the FIRST section's entry as blk_pte) and frees it again; the
 * unmap stops at 0.  The supersection is now 16 sections, all still right.
 *
 *   slot  0    1    2    3 ... 15
 *        [  one 16M supersection  ]   unmap 4K at slot 3 + 4K
 * Expect 0 unmapped, 1 alloc + 1 free, 16 sections; in slot 0 the split
 * works (4K unmapped, a table installed).
 */
static void test_supersection_split_6_1(void **state)
{
	struct rig r;
	struct trace_log t = { 0 };
	const uint64_t iova = 0x42000000, paddr = 0x83000000;
	uint64_t allocs, frees;
	int lvl;

	(void)state;
	rig_up(&r, KVER_6_1, "slab-dma32");
	r.dom->trace = &log_ops;
	r.dom->trace_ctx = &t;
	assert_int_equal(iommu_map(r.dom, iova, paddr, V7S_SZ_16M, GFP_ATOMIC, 2), 0);
	assert_true(v7s_pte_is_cont(v7s_leaf_pte(r.pt, iova + 3 * V7S_SZ_1M, &lvl), 1));
	allocs = r.a->allocs;
	frees = r.a->frees;

	assert_int_equal(iommu_unmap(r.dom, iova + 3 * V7S_SZ_1M + V7S_SZ_4K, V7S_SZ_4K, 2), 0);
	assert_int_equal(t.unmap_unmapped, 0);
	assert_int_equal(r.a->allocs, allocs + 1);
	assert_int_equal(r.a->frees, frees + 1);
	assert_int_equal(r.pt->stats.split_cont, 1);
	assert_int_equal(r.pt->stats.split_blk, 1);
	assert_int_equal(r.pt->stats.split_blk_lost, 1);
	assert_int_equal(r.pt->stats.l2_freed_lost, 1);
	assert_int_equal(r.pt->stats.live_l2, 0);
	for (unsigned int s = 0; s < 16; s++) {
		uint32_t pte = v7s_leaf_pte(r.pt, iova + s * V7S_SZ_1M, &lvl);

		assert_int_equal(lvl, 1);
		assert_false(v7s_pte_is_cont(pte, 1));
		assert_int_equal(pte & 0xfff00000u, paddr + s * V7S_SZ_1M);
	}
	assert_int_equal(r.dom->stats.faults_now, 0);	/* all still translate right */

	/* Slot 0: the cmpxchg expects slot 0's own entry and wins. */
	assert_int_equal(iommu_unmap(r.dom, iova + V7S_SZ_4K, V7S_SZ_4K, 2), V7S_SZ_4K);
	assert_int_equal(r.pt->stats.split_blk, 2);
	assert_int_equal(r.pt->stats.split_blk_lost, 1);
	assert_int_equal(r.pt->stats.live_l2, 1);
	assert_true(xlate(r.pt, iova + V7S_SZ_4K) == ~0ull);

	/* The slot-0 split refilled from physical 0: 255 wrong pages (see test_split_granularity). */
	assert_int_equal(r.dom->stats.faults_now, 255);
	assert_int_equal(iommu_unmap(r.dom, iova, V7S_SZ_16M, 2), V7S_SZ_16M);
	assert_int_equal(r.pt->stats.live_l2, 0);
	rig_down(&r);
}

/*
 * split_blk_unmap refills at the granularity of the unmap: 255 x 4K for a
 * 4K unmap, 15 x 64K for a 64K unmap.  And it keeps the kernel's bug: the
 * refilled entries map from physical 0, which --check counts.
 */
static void test_split_granularity(void **state)
{
	struct rig r;
	const uint64_t iova = 0x40000000, paddr = 0x88000000;
	uint32_t pte;
	int lvl;

	(void)state;
	rig_up(&r, KVER_5_4, "slab-dma32");

	/* 4K out of a section */
	assert_int_equal(iommu_map(r.dom, iova, paddr, V7S_SZ_1M, GFP_ATOMIC, 0), 0);
	assert_int_equal(iommu_unmap(r.dom, iova + 0x5000, V7S_SZ_4K, 0), V7S_SZ_4K);
	pte = v7s_leaf_pte(r.pt, iova + 0x6000, &lvl);
	assert_int_equal(lvl, 2);
	assert_false(v7s_pte_is_cont(pte, 2));
	assert_int_equal(pte & 0xfffff000u, 0x6000);	/* not paddr + 0x6000 */
	assert_true(xlate(r.pt, iova + 0x5000) == ~0ull);
	assert_int_equal(r.dom->stats.faults_now, 255);
	assert_int_equal(r.dom->stats.faults_new, 255);
	assert_int_equal(iommu_unmap(r.dom, iova, V7S_SZ_1M, 0), V7S_SZ_1M);
	assert_int_equal(r.dom->stats.faults_now, 0);

	/* 64K out of a section */
	assert_int_equal(iommu_map(r.dom, iova, paddr, V7S_SZ_1M, GFP_ATOMIC, 0), 0);
	assert_int_equal(iommu_unmap(r.dom, iova + 0x30000, V7S_SZ_64K, 0), V7S_SZ_64K);
	pte = v7s_leaf_pte(r.pt, iova + 0x40000, &lvl);
	assert_int_equal(lvl, 2);
	assert_true(v7s_pte_is_cont(pte, 2));
	assert_int_equal(pte & 0xffff0000u, 0x40000);
	assert_int_equal(v7s_leaf_pte(r.pt, iova + 0x30000, &lvl), 0);
	assert_int_equal(r.dom->stats.faults_now, 240);	/* 15 x 16 pages */
	assert_int_equal(iommu_unmap(r.dom, iova, V7S_SZ_1M, 0), V7S_SZ_1M);

	/* 4K out of a 64K large page: split_cont, no allocation, addresses kept */
	assert_int_equal(iommu_map(r.dom, iova, paddr, V7S_SZ_64K, GFP_ATOMIC, 0), 0);
	assert_int_equal(r.pt->stats.l2_alloc_attempts, 3);
	assert_int_equal(iommu_unmap(r.dom, iova + 0x3000, V7S_SZ_4K, 0), V7S_SZ_4K);
	assert_int_equal(r.pt->stats.l2_alloc_attempts, 3);
	assert_int_equal(xlate(r.pt, iova + 0x4000), paddr + 0x4000);
	assert_int_equal(r.dom->stats.faults_now, 0);
	assert_int_equal(iommu_unmap(r.dom, iova, V7S_SZ_64K, 0), 0);	/* hole at +0x3000 */
	assert_int_equal(iommu_unmap(r.dom, iova, V7S_SZ_1M, 0), V7S_SZ_1M);

	assert_int_equal(r.dom->stats.faults_new, 255 + 240);
	/* every one of them is the kernel's refill, none the model's own */
	assert_int_equal(r.dom->stats.split_refill_faults_new, 255 + 240);
	assert_int_equal(r.dom->stats.other_faults_new, 0);
	assert_int_equal(r.dom->stats.split_refill_faults_now, 0);
	rig_down(&r);
}

/* A split whose GFP_ATOMIC table cannot be had unmaps 0 and changes nothing. */
static void test_split_nomem(void **state)
{
	struct fake *f = fake_new();
	struct v7s_cfg cfg = cfg_for(KVER_4_19, MT8173_QUIRKS);
	struct v7s_pgtable *pt = calloc(1, sizeof(*pt));
	int lvl;

	(void)state;
	assert_non_null(pt);
	assert_int_equal(v7s_init(pt, &cfg, &fake_ops, f), 0);
	assert_int_equal(v7s_map(pt, 0x40000000, 0x80000000, V7S_SZ_1M, RW, 0, 0), 0);
	f->fail_l2 = true;
	assert_int_equal(v7s_unmap(pt, 0x40001000, V7S_SZ_4K, 0), 0);
	assert_int_equal(pt->stats.split_blk_nomem, 1);
	assert_int_equal(pt->stats.atomic_failures, 1);
	assert_int_equal(f->gfp[0], GFP_ATOMIC);
	assert_int_equal(v7s_leaf_pte(pt, 0x40001000, &lvl), 0x80000000 | 0xb1002);
	v7s_free(pt, 0);
	free(pt);
	fake_free(f);
}

/* =========================================================================
 * MediaTek 4GB mode
 */

/*
 * A trace from an x86 qemu guest has paddrs above 4 GiB (0x1_01d1_2000).
 * Expect, in 4GB mode: the chunk's paddr masked to 32 bits, PTE bit 9 set,
 * the walk giving 0x01d1_2000 and --check content.  Without the quirk:
 * -ERANGE (with a WARN), and the unroll unmap of size 0.
 */
static void test_mtk_4gb(void **state)
{
	struct rig r;
	const uint64_t iova = 0x40000000, paddr = 0x101d12000ull;
	uint32_t pte;
	int lvl;

	(void)state;
	rig_up(&r, KVER_4_19, "slab-dma32");
	assert_true(r.cfg.quirks & V7S_QUIRK_MTK_4GB);	/* DRAM ends at 5 GiB */
	assert_int_equal(iommu_map(r.dom, iova, paddr, 3 * V7S_SZ_4K, GFP_ATOMIC, 0), 0);
	pte = v7s_leaf_pte(r.pt, iova, &lvl);
	assert_int_equal(pte & 0xfffff000u, 0x01d12000);
	assert_int_equal(pte & V7S_ATTR_MTK_4GB, V7S_ATTR_MTK_4GB);
	assert_int_equal(xlate(r.pt, iova + 0x1234), 0x01d13234);
	assert_int_equal(r.dom->stats.faults_now, 0);
	assert_int_equal(iommu_unmap(r.dom, iova, 3 * V7S_SZ_4K, 0), 3 * V7S_SZ_4K);
	rig_down(&r);

	/* the rule itself: 4GB mode only when DRAM ends above 4 GiB (mtk_iommu_probe) */
	assert_int_equal(v7s_mtk_quirks(1ULL << 32), V7S_QUIRK_ARM_NS | V7S_QUIRK_NO_PERMS);
	assert_int_equal(v7s_mtk_quirks((1ULL << 32) + 4096),
			 V7S_QUIRK_ARM_NS | V7S_QUIRK_NO_PERMS | V7S_QUIRK_MTK_4GB);

	/* mt8173-2g: DRAM ends below 4 GiB, no 4GB mode by default. */
	rig_backend(&r, "mt8173-2g", KVER_4_19, "slab-dma32");
	assert_false(r.cfg.quirks & V7S_QUIRK_MTK_4GB);
	rig_down(&r);

	rig_backend(&r, "mt8173-4g", KVER_6_1, "slab-dma32");
	r.cfg.quirks &= ~V7S_QUIRK_MTK_4GB;
	rig_domain(&r, true);
	{
		struct trace_log t = { 0 };

		r.dom->trace = &log_ops;
		r.dom->trace_ctx = &t;
		assert_int_equal(iommu_map(r.dom, iova, paddr, V7S_SZ_4K, GFP_ATOMIC, 0), -ERANGE);
		assert_int_equal(r.dom->stats.map_erange, 1);
		assert_int_equal(r.d->warnings, 1);
		assert_int_equal(t.nr_unmap, 1);
		assert_int_equal(t.unmap_size, 0);
		/* without the quirk the PTE has no bit 9 */
		assert_int_equal(iommu_map(r.dom, iova, 0x80000000, V7S_SZ_4K, GFP_ATOMIC, 0), 0);
		assert_int_equal(v7s_leaf_pte(r.pt, iova, &lvl) & V7S_ATTR_MTK_4GB, 0);
	}
	rig_down(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cfg_per_version),
		cmocka_unit_test(test_selftests),
		cmocka_unit_test(test_partial_unmap_6_13),
		cmocka_unit_test(test_pte_encodings),
		cmocka_unit_test(test_supersection_split_6_1),
		cmocka_unit_test(test_split_granularity),
		cmocka_unit_test(test_split_nomem),
		cmocka_unit_test(test_mtk_4gb),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
