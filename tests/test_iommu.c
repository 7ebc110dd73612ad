// SPDX-License-Identifier: GPL-2.0
/*
 * test_iommu.c - the IOMMU core (iommu/iommu.c) over the v7s model and its
 * machine adapter (harness/v7s_mm.c) against docs/kernel-facts.md, "IOMMU
 * core and trace events" and "Seen on the real 6.1 kernel": iommu_pgsize and
 * the chunks iommu_map cuts, the trace events, __iommu_unmap stopping at a
 * hole, -EEXIST, the unroll of a failed map, the --check shadow.
 *
 * On the simulated machine (v7s_env.h); every test ends with the domain
 * destroyed and no OWNER_V7S_L1 / OWNER_PT_BACKEND page left.
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
 * iommu_pgsize and the chunks iommu_map cuts
 */

static void test_iommu_pgsize(void **state)
{
	const uint32_t b = V7S_PGSIZE_BITMAP;

	(void)state;
	assert_int_equal(iommu_pgsize(b, 0, 3 * V7S_SZ_1M), V7S_SZ_1M);
	assert_int_equal(iommu_pgsize(b, 0, V7S_SZ_16M), V7S_SZ_16M);
	assert_int_equal(iommu_pgsize(b, 0, 64 * V7S_SZ_16M), V7S_SZ_16M);	/* alignment term skipped */
	assert_int_equal(iommu_pgsize(b, 0x40100000 | 0x80010000, V7S_SZ_1M), V7S_SZ_64K);
	assert_int_equal(iommu_pgsize(b, 0x41000000 | 0x82000000, V7S_SZ_16M), V7S_SZ_16M);
	assert_int_equal(iommu_pgsize(b, 0x41000000 | 0x82100000, V7S_SZ_16M), V7S_SZ_1M);
	assert_int_equal(iommu_pgsize(b, 0x41000000 | 0x82100000, 0xff000), V7S_SZ_64K);
	assert_int_equal(iommu_pgsize(b, 0x1000, V7S_SZ_16M), V7S_SZ_4K);
	assert_int_equal(iommu_pgsize(b, 0x40000000, 0x3000), V7S_SZ_4K);
	assert_int_equal(iommu_pgsize(V7S_SZ_4K | V7S_SZ_1M, 0, 0xff000), V7S_SZ_4K);
	assert_int_equal(iommu_pgsize(b, 0x800, 0x1000), 0);	/* below the smallest page */
}

/*
 * The churn of "Seen on the real 6.1 kernel": a 1 MiB-aligned 1 MiB buffer
 * whose paddr is only 64K aligned.
 *
 *   iova 0x4010_0000 ........ 0x4020_0000   one L1 slot
 *   paddr 0x8001_0000 (64K aligned)          -> 16 x 64K chunks, one L2
 * Expect one L2 table at the map and its free at the 1 MiB unmap, which
 * works at level 1.
 */
static void test_chunking_churn(void **state)
{
	struct rig r;
	struct trace_log t = { 0 };
	const uint64_t iova = 0x40100000, paddr = 0x80010000;

	(void)state;
	rig_up(&r, KVER_6_1, "slab-dma32");
	r.dom->trace = &log_ops;
	r.dom->trace_ctx = &t;

	assert_int_equal(iommu_map(r.dom, iova, paddr, V7S_SZ_1M, GFP_ATOMIC, 1), 0);
	assert_int_equal(r.dom->stats.chunks[1], 16);
	assert_int_equal(r.dom->stats.chunks[0] + r.dom->stats.chunks[2] + r.dom->stats.chunks[3], 0);
	assert_int_equal(r.pt->stats.l2_allocs, 1);
	assert_int_equal(r.a->live_tables, 1);
	assert_int_equal(t.nr_map, 1);	/* one event with the whole size */
	assert_int_equal(t.map_iova, iova);
	assert_int_equal(t.map_paddr, paddr);
	assert_int_equal(t.map_size, V7S_SZ_1M);
	assert_int_equal(xlate(r.pt, iova + 0x12345), paddr + 0x12345);

	assert_int_equal(iommu_unmap(r.dom, iova, V7S_SZ_1M, 1), V7S_SZ_1M);
	assert_int_equal(r.pt->stats.l2_freed_unmap, 1);
	assert_int_equal(r.a->live_tables, 0);
	assert_int_equal(r.a->frees, 1);
	assert_int_equal(t.nr_unmap, 1);
	assert_int_equal(t.unmap_unmapped, V7S_SZ_1M);

	/* The same buffer with a 1 MiB-aligned paddr is one section: no table. */
	assert_int_equal(iommu_map(r.dom, iova, 0x80100000, V7S_SZ_1M, GFP_ATOMIC, 1), 0);
	assert_int_equal(r.dom->stats.chunks[2], 1);
	assert_int_equal(r.pt->stats.l2_allocs, 1);
	assert_int_equal(iommu_unmap(r.dom, iova, V7S_SZ_1M, 1), V7S_SZ_1M);

	/* 16M-aligned both sides, 16M + 68K: one supersection, one 64K, one 4K. */
	assert_int_equal(iommu_map(r.dom, 0x41000000, 0x82000000, V7S_SZ_16M + 0x11000,
				   GFP_ATOMIC, 0), 0);
	assert_int_equal(r.dom->stats.chunks[3], 1);
	assert_int_equal(r.dom->stats.chunks[1], 17);
	assert_int_equal(r.dom->stats.chunks[0], 1);
	assert_int_equal(iommu_unmap(r.dom, 0x41000000, V7S_SZ_16M + 0x11000, 0),
			 V7S_SZ_16M + 0x11000);

	/* Unaligned to 4K: -EINVAL and no trace, for map and unmap. */
	assert_int_equal(iommu_map(r.dom, 0x40000800, 0x80000000, 0x1000, GFP_ATOMIC, 0), -EINVAL);
	assert_int_equal(iommu_map(r.dom, 0x40000000, 0x80000000, 0x1800, GFP_ATOMIC, 0), -EINVAL);
	assert_int_equal(iommu_unmap(r.dom, 0x40000000, 0x800, 0), 0);
	assert_int_equal(r.dom->stats.map_einval, 2);
	assert_int_equal(r.dom->stats.unmap_einval, 1);
	assert_int_equal(t.nr_map, 3);
	assert_int_equal(t.nr_unmap, 3);
	rig_down(&r);
}

/*
 * __iommu_unmap stops at the first chunk that unmaps 0:
 *   A: 4K mapped | A+4K: hole | A+8K: 4K mapped
 * Expect unmap(A, 12K) = 4K, one event with unmapped_size 4K, one WARN.
 */
static void test_unmap_stops_at_hole(void **state)
{
	struct rig r;
	struct trace_log t = { 0 };
	const uint64_t a = 0x50000000;

	(void)state;
	rig_up(&r, KVER_4_19, "slab-dma32");
	r.dom->trace = &log_ops;
	r.dom->trace_ctx = &t;
	assert_int_equal(iommu_map(r.dom, a, 0x60000000, V7S_SZ_4K, GFP_ATOMIC, 0), 0);
	assert_int_equal(iommu_map(r.dom, a + 0x2000, 0x60002000, V7S_SZ_4K, GFP_ATOMIC, 0), 0);
	assert_int_equal(iommu_unmap(r.dom, a, 0x3000, 0), V7S_SZ_4K);
	assert_int_equal(t.unmap_size, 0x3000);
	assert_int_equal(t.unmap_unmapped, V7S_SZ_4K);
	assert_int_equal(r.pt->stats.unmap_invalid, 1);
	assert_int_equal(r.dom->stats.unmap_short, 1);
	assert_int_equal(xlate(r.pt, a + 0x2000), 0x60002000);
	/* A never-mapped 1 MiB slot: WARN, 0. */
	assert_int_equal(iommu_unmap(r.dom, 0x70000000, V7S_SZ_1M, 0), 0);
	assert_int_equal(r.pt->stats.unmap_invalid, 2);
	rig_down(&r);
}

/* =========================================================================
 * -EEXIST, and the unroll of a failed map
 */

static void test_eexist(void **state)
{
	struct rig r;
	const uint64_t a = 0x40000000;

	(void)state;
	rig_up(&r, KVER_6_1, "slab-dma32");
	assert_int_equal(iommu_map(r.dom, a, 0x80000000, V7S_SZ_4K, GFP_ATOMIC, 0), 0);
	/* the same 4K again */
	assert_int_equal(iommu_map(r.dom, a, 0x90000000, V7S_SZ_4K, GFP_ATOMIC, 0), -EEXIST);
	/* a 64K over it */
	assert_int_equal(iommu_map(r.dom, a, 0x90000000, V7S_SZ_64K, GFP_ATOMIC, 0), -EEXIST);
	/* a 4K inside a section: the L1 block is in the way */
	assert_int_equal(iommu_map(r.dom, a + 2 * V7S_SZ_1M, 0x81000000, V7S_SZ_1M, GFP_ATOMIC, 0), 0);
	assert_int_equal(iommu_map(r.dom, a + 2 * V7S_SZ_1M + 0x5000, 0x90005000, V7S_SZ_4K,
				   GFP_ATOMIC, 0), -EEXIST);
	/* a section over a section */
	assert_int_equal(iommu_map(r.dom, a + 2 * V7S_SZ_1M, 0x82000000, V7S_SZ_1M, GFP_ATOMIC, 0),
			 -EEXIST);
	assert_int_equal(r.dom->stats.map_eexist, 4);
	assert_int_equal(r.pt->stats.eexist, 4);
	assert_int_equal(r.d->warnings, 4);
	/* the failed maps changed nothing */
	assert_int_equal(xlate(r.pt, a), 0x80000000);
	assert_int_equal(xlate(r.pt, a + 2 * V7S_SZ_1M + 0x5000), 0x81005000);
	assert_int_equal(r.pt->stats.l2_allocs, 1);

	{
		struct run_counters c = { 0 };

		v7s_mm_domain_counters(r.d, &c);
		assert_int_equal(c.conflicts, 4);
		assert_int_equal(c.map_errors_other, 4);
		assert_int_equal(c.map_failures, 0);
	}
	rig_down(&r);
}

/*
 *   slot S: empty        slot S+1: a 1M section
 *   map [S, S+2M) at a 64K-aligned paddr: 16 x 64K in S (one L2), then the
 *   first 64K of S+1 meets the section.
 * Expect -EEXIST, the unroll unmap(S, 1M) traced with unmapped 1M, the L2
 * freed by it, no map event.  A map whose first chunk fails is unrolled
 * with size 0, traced too.
 */
static void test_unroll(void **state)
{
	struct rig r;
	struct trace_log t = { 0 };
	const uint64_t s = 0x40000000;

	(void)state;
	rig_up(&r, KVER_4_19, "slab-dma32");
	assert_int_equal(iommu_map(r.dom, s + V7S_SZ_1M, 0x81000000, V7S_SZ_1M, GFP_ATOMIC, 0), 0);
	r.dom->trace = &log_ops;
	r.dom->trace_ctx = &t;
	assert_int_equal(iommu_map(r.dom, s, 0x80010000, 2 * V7S_SZ_1M, GFP_ATOMIC, 0), -EEXIST);
	assert_int_equal(t.nr_map, 0);
	assert_int_equal(t.nr_unmap, 1);
	assert_int_equal(t.unmap_iova, s);
	assert_int_equal(t.unmap_size, V7S_SZ_1M);
	assert_int_equal(t.unmap_unmapped, V7S_SZ_1M);
	assert_int_equal(r.dom->stats.unrolls, 1);
	assert_int_equal(r.dom->stats.unroll_bytes, V7S_SZ_1M);
	assert_int_equal(r.dom->stats.unmaps, 0);	/* unrolls are not the caller's unmaps */
	assert_int_equal(r.pt->stats.l2_allocs, 1);
	assert_int_equal(r.pt->stats.l2_freed_unmap, 1);
	assert_true(xlate(r.pt, s) == ~0ull);
	assert_int_equal(xlate(r.pt, s + V7S_SZ_1M), 0x81000000);

	/* First chunk fails: unmap(iova, 0) with unmapped 0 is still traced. */
	assert_int_equal(iommu_map(r.dom, s + V7S_SZ_1M, 0x90000000, V7S_SZ_4K, GFP_ATOMIC, 0),
			 -EEXIST);
	assert_int_equal(t.nr_unmap, 2);
	assert_int_equal(t.unmap_size, 0);
	assert_int_equal(t.unmap_unmapped, 0);
	rig_down(&r);
}

/* =========================================================================
 * Shadow and check
 */

static void test_shadow(void **state)
{
	struct rig r;
	const uint64_t a = 0x40000000;
	uint64_t p;

	(void)state;
	rig_up(&r, KVER_6_1, "slab-dma32");
	assert_int_equal(iommu_map(r.dom, a, 0x80000000, V7S_SZ_64K, GFP_ATOMIC, 0), 0);
	assert_int_equal(iommu_map(r.dom, a + V7S_SZ_64K, 0x90000000, 0x3000, GFP_ATOMIC, 0), 0);
	/* 64K as 16 x 4K (the iova is 64K-aligned, the size too: one large page) */
	assert_int_equal(r.dom->stats.chunks[1], 1);
	assert_int_equal(r.dom->shadow.nr, 2);
	assert_int_equal(iommu_unmap(r.dom, a + 0x4000, V7S_SZ_4K, 0), V7S_SZ_4K);	/* split_cont */
	assert_int_equal(r.dom->shadow.nr, 3);
	assert_true(iommu_shadow_lookup(r.dom, a + 0x5000, &p));
	assert_int_equal(p, 0x80005000);
	assert_false(iommu_shadow_lookup(r.dom, a + 0x4000, &p));
	assert_true(iommu_shadow_lookup(r.dom, a + 0x12000, &p));
	assert_int_equal(p, 0x90002000);
	assert_false(iommu_shadow_lookup(r.dom, a + 0x13000, &p));
	assert_int_equal(iommu_check(r.dom), 0);
	/* the check sees a page changed behind the core's back */
	r.pt->ops->write_pte(r.pt->ctx, (uint64_t)r.pt->l2_phys[0x400] + 4 * 0x12, 0);
	assert_int_equal(iommu_check(r.dom), 1);
	assert_int_equal(r.dom->stats.faults_new, 1);
	/* a missing page is a model fault, not the split refill's */
	assert_int_equal(r.dom->stats.other_faults_new, 1);
	assert_int_equal(r.dom->stats.split_refill_faults_new, 0);
	assert_int_equal(iommu_unmap(r.dom, a, V7S_SZ_1M, 0), V7S_SZ_1M);
	assert_int_equal(r.dom->shadow.nr, 0);
	assert_int_equal(r.dom->stats.faults_now, 0);
	assert_int_equal(r.dom->stats.faults_peak, 1);
	/* many intervals: the shadow grows */
	for (unsigned int i = 0; i < 1000; i++)
		assert_int_equal(iommu_map(r.dom, a + i * 0x2000ull, 0x80000000 + i * 0x1000ull,
					   V7S_SZ_4K, GFP_ATOMIC, i % 4), 0);
	assert_int_equal(r.dom->shadow.nr, 1000);
	assert_false(r.dom->stats.shadow_lost);
	assert_int_equal(iommu_check(r.dom), 0);
	rig_down(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iommu_pgsize),
		cmocka_unit_test(test_chunking_churn),
		cmocka_unit_test(test_unmap_stops_at_hole),
		cmocka_unit_test(test_eexist),
		cmocka_unit_test(test_unroll),
		cmocka_unit_test(test_shadow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
