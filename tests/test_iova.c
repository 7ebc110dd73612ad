// SPDX-License-Identifier: GPL-2.0
/*
 * test_iova.c - the IOVA allocator the synthetic workloads map through
 * (workloads/synth/iova.c, drivers/iommu/iova.c 6.1) on hand-worked cases:
 * top-down, size alignment, the range caches and their magazines, the 1 MiB
 * slots of a full space, fast failure.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "synth/iova.h"

/* ---- the IOVA allocator (drivers/iommu/iova.c 6.1) by hand ---- */

#define LIMIT_PFN	0xfffffULL	/* 4 GiB - 1 */

static void iova_init(struct iova_domain *d)
{
	assert_int_equal(iova_domain_init(d, 1, 4), 0);
}

/*
 * Top-down from the limit, each range aligned to roundup_pow_of_two(size):
 *   1 page  -> 0xfffff
 *   2 pages -> 0xffffc (0xffffe stays a hole: 2-aligned below 0xfffff)
 *   3 pages -> rounded to 4 (below 32 pages), 4-aligned: 0xffff8
 *   100 pages -> not rounded (>= 32), 128-aligned: 0xfff80..0xfffe3
 * Expect exactly those, and 0xffffe still free (a 1-page range on another
 * CPU, not from a cache, takes the highest hole below the last range).
 */
static void test_iova_top_down_aligned(void **state)
{
	struct iova_domain d;
	uint64_t lo, hi;

	(void)state;
	iova_init(&d);
	assert_int_equal(alloc_iova_fast(&d, 1, LIMIT_PFN, true, 0), 0xfffff);
	assert_int_equal(alloc_iova_fast(&d, 2, LIMIT_PFN, true, 0), 0xffffc);
	assert_int_equal(alloc_iova_fast(&d, 3, LIMIT_PFN, true, 0), 0xffff8);
	assert_true(iova_find(&d, 0xffffb, &lo, &hi));
	assert_int_equal(lo, 0xffff8);
	assert_int_equal(hi, 0xffffb);		/* 4 pages reserved for 3 */
	assert_int_equal(alloc_iova_fast(&d, 100, LIMIT_PFN, true, 0), 0xfff80);
	assert_true(iova_find(&d, 0xfffe3, &lo, &hi));
	assert_int_equal(hi, 0xfffe3);		/* 100 pages, not rounded */
	assert_false(iova_find(&d, 0xfffe4, &lo, &hi));
	assert_false(iova_find(&d, 0xffffe, &lo, &hi));
	/* below the last range (the cached node), not back up in the hole */
	assert_int_equal(alloc_iova_fast(&d, 1, LIMIT_PFN, true, 1), 0xfff7f);
	iova_domain_exit(&d);
}

/*
 * Range caches: a freed 1-page range goes to the freeing CPU's magazine and
 * stays allocated; the same CPU gets it back, another CPU does not.  A
 * 64-page range (order 6 = IOVA_RANGE_CACHE_MAX_SIZE) is not cached: it goes
 * back to the tree, and the cached node moves up over it, so the next
 * 64-page range lands in the same place.
 */
static void test_iova_rcache(void **state)
{
	struct iova_domain d;
	uint64_t lo, hi, big;

	(void)state;
	iova_init(&d);
	assert_int_equal(alloc_iova_fast(&d, 1, LIMIT_PFN, true, 0), 0xfffff);
	free_iova_fast(&d, 0xfffff, 1, 0);
	assert_true(iova_find(&d, 0xfffff, &lo, &hi));		/* still in the tree */
	assert_int_equal(iova_rcache_cpu_count(&d, 0, 0), 1);
	assert_int_equal(alloc_iova_fast(&d, 1, LIMIT_PFN, true, 1), 0xffffe);
	assert_int_equal(alloc_iova_fast(&d, 1, LIMIT_PFN, true, 0), 0xfffff);
	assert_int_equal(d.stats.rcache_hits, 1);
	big = alloc_iova_fast(&d, 64, LIMIT_PFN, true, 2);
	assert_int_equal(big, 0xfff80);
	free_iova_fast(&d, big, 64, 2);
	assert_false(iova_find(&d, big, &lo, &hi));		/* back in the tree */
	assert_int_equal(alloc_iova_fast(&d, 64, LIMIT_PFN, true, 3), big);
	/* 17..31 pages share the 32-page bin: freed as 20, handed out for 31 */
	big = alloc_iova_fast(&d, 20, LIMIT_PFN, true, 0);
	assert_int_equal(big % 32, 0);
	free_iova_fast(&d, big, 20, 0);
	assert_int_equal(alloc_iova_fast(&d, 31, LIMIT_PFN, true, 0), big);
	iova_domain_exit(&d);
}

/*
 * Magazines: IOVA_MAG_SIZE = 128.  CPU 0 frees 257 one-page ranges: 128 fill
 * "loaded", the next swaps it to "prev" and fills a new "loaded", the 257th
 * finds both full and pushes "loaded" to the global depot.  Expect 129 on
 * CPU 0 and 128 in the depot; then CPU 1, with empty magazines, takes a whole
 * magazine from the depot.
 */
static void test_iova_magazines(void **state)
{
	static uint64_t pfn[257];
	struct iova_domain d;

	(void)state;
	iova_init(&d);
	for (int i = 0; i < 257; i++)
		pfn[i] = alloc_iova_fast(&d, 1, LIMIT_PFN, true, 0);
	for (int i = 0; i < 257; i++)
		free_iova_fast(&d, pfn[i], 1, 0);
	assert_int_equal(iova_rcache_cpu_count(&d, 0, 0), 129);
	assert_int_equal(iova_rcache_depot_count(&d, 0), 128);
	/* the magazine pushed to the depot was the second one, pfn[128..255];
	 * CPU 1 takes it whole and pops its last entry */
	assert_int_equal(alloc_iova_fast(&d, 1, LIMIT_PFN, true, 1), pfn[255]);
	assert_int_equal(iova_rcache_depot_count(&d, 0), 0);
	assert_int_equal(iova_rcache_cpu_count(&d, 0, 1), 127);
	iova_domain_exit(&d);
}

/*
 * 1 MiB ranges (256 pages, 1 MiB aligned) fill the 4 GiB space slot by slot
 * from the top: 4095 fit, slot 0 cannot (pfn 0 is below start_pfn 1).  The
 * 4096th fails, and fails fast for that size until something is freed.
 */
static void test_iova_full(void **state)
{
	struct iova_domain d;
	uint64_t pfn = 0;
	int n = 0;

	(void)state;
	iova_init(&d);
	while (n < 5000 && (pfn = alloc_iova_fast(&d, 256, LIMIT_PFN, true, 0)))
		assert_int_equal(pfn, (uint64_t)(4095 - n++) * 256);
	assert_int_equal(n, 4095);
	assert_int_equal(d.max32_alloc_size, 256);
	assert_int_equal(alloc_iova_fast(&d, 512, LIMIT_PFN, true, 0), 0);	/* fast fail */
	/* slot 0 still takes smaller ranges: the highest fitting page is 0xff */
	assert_int_equal(alloc_iova_fast(&d, 1, LIMIT_PFN, true, 0), 0xff);
	free_iova_fast(&d, 40 * 256, 256, 0);
	assert_int_equal(alloc_iova_fast(&d, 256, LIMIT_PFN, true, 0), 40 * 256);
	iova_domain_exit(&d);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iova_top_down_aligned),
		cmocka_unit_test(test_iova_rcache),
		cmocka_unit_test(test_iova_magazines),
		cmocka_unit_test(test_iova_full),
	};

	return cmocka_run_group_tests_name("iova", tests, NULL, NULL);
}
