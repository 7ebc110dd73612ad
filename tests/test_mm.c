// SPDX-License-Identifier: GPL-2.0
/*
 * test_mm.c - the simulated machine against the kernel rules it models
 * (docs/kernel-facts.md, "Page allocator" and "Per-CPU page lists").
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "machine.h"

#include "mm.h"

static uint64_t zone_free(struct mm *mm, enum zone_type z)
{
	struct zone_info zi;

	mm_zone_info(mm, z, &zi);
	return zi.free_pages;
}

/*
 * 4.19 watermarks for mt8173-4g, by hand (mm/page_alloc.c):
 *   managed: DMA32 786432 - 24576 reserved = 761856, NORMAL 262144
 *   min_free_kbytes = int_sqrt(1024000 * 4 * 16) = 8095 -> pages_min 2023
 *   DMA32:  min 2023*761856/1024000 = 1505, step max(376, 761) = 761 -> 2266, 3027
 *   NORMAL: min 2023*262144/1024000 = 517,  step max(129, 262) = 262 -> 779, 1041
 *   lowmem_reserve[DMA32][NORMAL] = 262144 / 256 = 1024
 */
static void test_watermarks_mt8173_4g(void **state)
{
	struct mm *mm = test_machine_checked("mt8173-4g", KVER_4_19, 4);
	struct zone_info dma32, normal;

	(void)state;
	assert_false(mm_zone_populated(mm, ZONE_DMA));
	mm_zone_info(mm, ZONE_DMA32, &dma32);
	mm_zone_info(mm, ZONE_NORMAL, &normal);
	assert_int_equal(mm_min_free_kbytes(mm), 8095);
	assert_int_equal(dma32.managed_pages, 761856);
	assert_int_equal(normal.managed_pages, 262144);
	assert_int_equal(dma32.watermark[WMARK_MIN], 1505);
	assert_int_equal(dma32.watermark[WMARK_LOW], 2266);
	assert_int_equal(dma32.watermark[WMARK_HIGH], 3027);
	assert_int_equal(normal.watermark[WMARK_MIN], 517);
	assert_int_equal(normal.watermark[WMARK_LOW], 779);
	assert_int_equal(normal.watermark[WMARK_HIGH], 1041);
	assert_int_equal(dma32.lowmem_reserve[ZONE_NORMAL], 1024);
	assert_int_equal(normal.lowmem_reserve[ZONE_NORMAL], 0);
	/* the default machine is cheap to simulate */
	assert_true(mm_host_bytes(mm) < 64 * MIB_BYTES);
	mm_destroy(mm);
}

/* arm64 from 5.5: ZONE_DMA below 4 GiB, ZONE_DMA32 empty; 4.19: GFP_DMA is NORMAL. */
static void test_zones_per_version(void **state)
{
	struct mm *old = test_machine_checked("mt8173-4g", KVER_4_19, 4);
	struct mm *new = test_machine_checked("mt8173-4g", KVER_6_1, 4);
	struct mm *x86 = test_machine_checked("x86-3g1g", KVER_6_1, 2);
	struct zone_info zi;
	struct page *p;

	(void)state;
	assert_int_equal(mm_gfp_zone(old, GFP_DMA), ZONE_NORMAL);
	assert_int_equal(mm_gfp_zone(old, GFP_DMA32), ZONE_DMA32);
	assert_true(mm_zone_populated(new, ZONE_DMA));
	assert_false(mm_zone_populated(new, ZONE_DMA32));
	p = alloc_pages(new, GFP_KERNEL | GFP_DMA32, 0, 0, OWNER_TEST);
	assert_non_null(p);
	assert_int_equal(page_zonenum(new, p), ZONE_DMA);	/* DMA32 falls back into DMA */
	assert_true(page_to_phys(new, p) < SZ_4G);
	free_pages(new, p, 0, 0);
	/* docs/qemu-lab.md: ZONE_DMA32 present 782304 pages from pfn 4096 */
	mm_zone_info(x86, ZONE_DMA32, &zi);
	assert_int_equal(zi.start_pfn, 4096);
	assert_int_equal(zi.present_pages, 782304);
	mm_zone_info(x86, ZONE_NORMAL, &zi);
	assert_int_equal(zi.present_pages, 262144);
	assert_int_equal(zi.start_pfn, SZ_4G >> PAGE_SHIFT);
	mm_zone_info(x86, ZONE_DMA, &zi);
	assert_int_equal(zi.present_pages, 3998);
	mm_destroy(old);
	mm_destroy(new);
	mm_destroy(x86);
}

/*
 * Split and merge on an empty 8 MiB machine: two free order-10 blocks.
 *
 *   before:  [ 4 MiB free ][ 4 MiB free ]
 *   order-3: [32K used|32K|64K|...|2M free][ 4 MiB free ]
 * Expect one free block of each order 3..9 after the split, and the two
 * order-10 blocks back after the free.
 */
static void test_buddy_split_merge(void **state)
{
	struct mm *mm = test_machine_checked("dram=0x40000000-0x40800000:reserved=0,boot=0", KVER_4_19, 1);
	struct zone_info zi;
	struct page *p;

	(void)state;
	mm_zone_info(mm, ZONE_DMA32, &zi);
	assert_int_equal(zi.nr_free[10], 2);
	p = alloc_pages(mm, GFP_KERNEL | GFP_DMA32, 3, 0, OWNER_TEST);
	assert_non_null(p);
	assert_int_equal(page_to_phys(mm, p) & (8 * PAGE_SIZE - 1), 0);
	mm_zone_info(mm, ZONE_DMA32, &zi);
	assert_int_equal(zi.nr_free[10], 1);
	for (int o = 3; o < 10; o++)
		assert_int_equal(zi.nr_free[o], 1);
	assert_int_equal(mm_held_blocks(mm, OWNER_TEST, ZONE_DMA32, 3), 1);
	assert_int_equal(mm_held_pages(mm, OWNER_TEST, ZONE_DMA32), 8);
	mm_check(mm);
	free_pages(mm, p, 3, 0);
	mm_zone_info(mm, ZONE_DMA32, &zi);
	assert_int_equal(zi.nr_free[10], 2);
	assert_int_equal(zi.free_pages, 2048);
	assert_int_equal(mm_held_pages_total(mm, OWNER_TEST), 0);
	mm_check(mm);
	mm_destroy(mm);
}

/* Allocate order-0 pages with gfp until one fails; returns how many. */
static uint64_t drain(struct mm *mm, gfp_t gfp, unsigned int order)
{
	uint64_t n = 0;

	while (alloc_pages(mm, gfp, order, 0, OWNER_TEST))
		n++;
	return n;
}

/*
 * How deep each caller may dip into ZONE_DMA32 (mt8173-4g, 4.19, min 1505):
 *
 *   free  |######....................| high 3027 / low 2266 / min 1505
 *   GFP_NOWAIT  stops at min                          (free <= 1505)
 *   GFP_ATOMIC  stops at min/2 - (min/2)/4 = 565      (ALLOC_HIGH|ALLOC_HARDER)
 * The watermark is tested before a per-CPU refill takes its batch, so the
 * zone may end up to batch - 1 pages lower.
 * Expect each caller to fail exactly at its mark, never beyond it.
 */
static void test_atomic_dips_to_fraction_of_min(void **state)
{
	struct mm *mm = test_machine_checked("mt8173-4g", KVER_4_19, 4);
	struct mm_stats st;
	uint64_t free;
	const uint64_t batch = 31;	/* zone_batchsize(): 761856/1024 capped at 128, /4, 2^n - 1 */

	(void)state;
	drain(mm, GFP_NOWAIT | GFP_DMA32, 0);
	free = zone_free(mm, ZONE_DMA32);
	assert_true(free <= 1505 && free > 1505 - batch);
	drain(mm, GFP_ATOMIC | GFP_DMA32, 0);
	free = zone_free(mm, ZONE_DMA32);
	assert_true(free <= 565 && free > 565 - batch);
	/* __GFP_NOMEMALLOC takes ALLOC_HARDER away: min/2 = 753 would be the mark */
	mm_get_stats(mm, &st);
	assert_int_equal(st.direct_reclaims, 0);	/* atomic callers never reclaim */
	assert_true(st.kswapd_wakeups >= 1);		/* but they wake kswapd */
	mm_check(mm);
	mm_destroy(mm);
}

/*
 * GFP_ATOMIC's mark, the one function the machine and ptb_oracle.ko both
 * compute it with (watermark.c), against the page allocator's own reduction
 * of the flags gfp_to_alloc_flags gives GFP_ATOMIC, on every version:
 *   4.19 .. 6.1     ALLOC_HIGH | ALLOC_HARDER             min - min/2 - (min - min/2)/4
 *   6.12 .. 7.2     ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK   the same marks
 * Expect 565 for min 1505 (mt8173-4g DMA32 on 4.19), 4785 for the guest's 12759,
 * and __GFP_HIGH alone (GFP_KERNEL | __GFP_HIGH: it may block) to halve only.
 */
static void test_gfp_atomic_mark(void **state)
{
	static const uint64_t mins[] = { 0, 1, 7, 1505, 12759, 1000003 };

	(void)state;
	for (int k = 0; k < KVER_NR; k++) {
		struct mm *mm = test_machine_checked("mt8173-4g", (enum kver)k, 4);
		unsigned int flags = mm_gfp_to_alloc_flags(mm, GFP_ATOMIC);

		assert_int_equal(flags & ~ALLOC_WMARK_MASK, wmark_gfp_atomic_flags((enum kver)k));
		assert_int_equal(wmark_non_block((enum kver)k), k == KVER_6_12 || k == KVER_6_13 || k == KVER_7_2);
		for (size_t i = 0; i < sizeof(mins) / sizeof(mins[0]); i++)
			assert_int_equal(wmark_gfp_atomic((enum kver)k, mins[i]),
					 zone_watermark_reduced(mm, mins[i], flags));
		assert_int_equal(wmark_gfp_atomic((enum kver)k, 1505), 565);
		assert_int_equal(wmark_gfp_atomic((enum kver)k, 12759), 4785);
		assert_int_equal(zone_watermark_reduced(mm, 1505,
				 mm_gfp_to_alloc_flags(mm, GFP_KERNEL | __GFP_HIGH)), 753);
		mm_destroy(mm);
	}
	assert_int_equal(wmark_gfp_atomic_flags(KVER_6_13), ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK);
	/* 7.2 include/linux/gfp_types.h: GFP_ATOMIC is __GFP_HIGH|__GFP_KSWAPD_RECLAIM, as 6.12 */
	assert_int_equal(wmark_gfp_atomic_flags(KVER_7_2), ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK);
	assert_int_equal(wmark_gfp_atomic_flags(KVER_6_1), ALLOC_HIGH | ALLOC_HARDER);
}

/*
 * GFP_KERNEL falling back from NORMAL into DMA32 must leave lowmem_reserve:
 *   NORMAL: [######....] stops at min 517
 *   DMA32:  [######....] stops at min + lowmem_reserve = 1505 + 1024 = 2529
 * Expect a non-reclaiming NORMAL-class caller to stop at 2529 in DMA32.
 */
/*
 * calculate_min_free_kbytes' upper clamp: 65536 in 4.19, 5.4, 6.1, 262144 in 5.10
 * (Debian's 5.10.223 init_per_zone_wmark_min), 6.12
 * (Debian's 6.12.117 mm/page_alloc.c), 6.13 and 7.2.  A machine 64 GiB of lowmem
 * would need to reach it; asked for the rule directly, and what mt8173-4g
 * gets stays below both.
 */
static void test_min_free_kbytes_clamp(void **state)
{
	static const struct { enum kver k; unsigned int max; } want[] = {
		{ KVER_4_19, 65536 }, { KVER_5_4, 65536 }, { KVER_5_10, 262144 }, { KVER_6_1, 65536 },
		{ KVER_6_12, 262144 }, { KVER_6_13, 262144 },
		{ KVER_7_2, 262144 },	/* linux-source-7.2 (7.2.13) calculate_min_free_kbytes */
	};

	(void)state;
	assert_int_equal(sizeof(want) / sizeof(want[0]), KVER_NR);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct mm *mm = test_machine_checked("mt8173-4g", want[i].k, 4);

		assert_int_equal(kernel_rules(want[i].k)->min_free_kbytes_max, want[i].max);
		assert_int_equal(mm_min_free_kbytes(mm), 8095);
		mm_destroy(mm);
	}
}

static void test_lowmem_reserve(void **state)
{
	struct mm *mm = test_machine_checked("mt8173-4g", KVER_4_19, 4);
	uint64_t free;

	(void)state;
	drain(mm, GFP_NOWAIT, 0);
	free = zone_free(mm, ZONE_NORMAL);
	assert_true(free <= 517 && free > 517 - 31);
	free = zone_free(mm, ZONE_DMA32);
	assert_true(free <= 2529 && free > 2529 - 31);
	mm_destroy(mm);
}

/*
 * Only callers with __GFP_DIRECT_RECLAIM reclaim: GFP_ATOMIC fails at its
 * mark although half the zone is reclaimable page cache; GFP_KERNEL then
 * succeeds by reclaiming it.
 * Expect direct_reclaims == 0 before the GFP_KERNEL call, > 0 after.
 */
static void test_no_reclaim_without_direct_reclaim(void **state)
{
	struct mm *mm = test_machine_checked("mt8173-2g", KVER_4_19, 4);
	struct mm_stats st;

	(void)state;
	assert_true(background_held_pages(mm, MIGRATE_MOVABLE) > 100000);
	drain(mm, GFP_ATOMIC | GFP_DMA32, 0);
	mm_get_stats(mm, &st);
	assert_int_equal(st.direct_reclaims, 0);
	assert_non_null(alloc_pages(mm, GFP_KERNEL | GFP_DMA32, 0, 0, OWNER_TEST));
	mm_get_stats(mm, &st);
	assert_true(st.direct_reclaims > 0);
	assert_true(st.direct_reclaimed_pages > 0);
	mm_check(mm);
	mm_destroy(mm);
}

/*
 * A high-order GFP_ATOMIC allocation served from the slow path reserves its
 * pageblock as MIGRATE_HIGHATOMIC, up to managed/100 + one pageblock.
 *   DMA32 below low (GFP_NOWAIT drained it to min), then order-2 GFP_ATOMIC.
 * Expect nr_reserved_highatomic == 512 after the first, and never more than
 * 761856/100 + 512 = 8130 rounded to whole pageblocks (8192 > 8130 stops at 8192).
 */
static void test_highatomic_reserve(void **state)
{
	struct mm *mm = test_machine_checked("mt8173-4g", KVER_4_19, 4);
	struct zone_info zi;

	(void)state;
	drain(mm, GFP_NOWAIT | GFP_DMA32, 0);
	assert_non_null(alloc_pages(mm, GFP_ATOMIC | GFP_DMA32, 2, 0, OWNER_TEST));
	mm_zone_info(mm, ZONE_DMA32, &zi);
	assert_int_equal(zi.nr_reserved_highatomic, 512);
	/* fast-path allocations (above low) never reserve */
	for (int i = 0; i < 4000; i++)
		alloc_pages(mm, GFP_ATOMIC | GFP_DMA32, 9, 0, OWNER_TEST);
	mm_zone_info(mm, ZONE_DMA32, &zi);
	assert_true(zi.nr_reserved_highatomic <= 761856 / 100 + 512 + 511);
	assert_true(zi.nr_reserved_highatomic > 512);
	mm_check(mm);
	mm_destroy(mm);
}

static uint64_t fail_pattern(uint64_t seed, unsigned int pct)
{
	struct mm_cfg cfg;
	char err[256];
	struct mm *mm;
	uint64_t bits = 0;

	mm_cfg_default(&cfg);
	cfg.fail.probability = pct;
	cfg.fail.seed = seed;
	mm = mm_create(&cfg, err, sizeof(err));
	assert_non_null(mm);
	for (int i = 0; i < 64; i++) {
		struct page *p = alloc_pages(mm, GFP_ATOMIC | GFP_DMA32, 1, 0, OWNER_TEST);

		if (p)
			free_pages(mm, p, 1, 0);
		else
			bits |= 1ULL << i;
	}
	/* min_order 1 (the kernel's default): order 0 is never failed */
	for (int i = 0; i < 64; i++)
		assert_non_null(alloc_pages(mm, GFP_ATOMIC | GFP_DMA32, 0, 0, OWNER_TEST));
	/* ignore-gfp-wait: callers that may reclaim are never failed */
	for (int i = 0; i < 64; i++)
		assert_non_null(alloc_pages(mm, GFP_KERNEL | GFP_DMA32, 1, 0, OWNER_TEST));
	mm_destroy(mm);
	return bits;
}

static void test_fail_injection_deterministic(void **state)
{
	uint64_t a = fail_pattern(42, 30), b = fail_pattern(42, 30), c = fail_pattern(43, 30);

	(void)state;
	assert_int_equal(a, b);
	assert_int_not_equal(a, c);
	assert_true(__builtin_popcountll(a) > 5 && __builtin_popcountll(a) < 40);
	assert_int_equal(fail_pattern(42, 0), 0);
	assert_int_equal(fail_pattern(42, 100), UINT64_MAX);
}

/*
 * kswapd: woken by a slow-path allocation, reclaims at 64 pages/ms of
 * simulated time until the zone is above high, then sleeps.
 * Expect at most 64 pages reclaimed in 1 ms, and free >= high after 1 s.
 */
static void test_kswapd(void **state)
{
	struct mm *mm = test_machine_checked("mt8173-4g", KVER_4_19, 4);
	struct mm_stats st;

	(void)state;
	drain(mm, GFP_ATOMIC | GFP_DMA32, 0);
	mm_advance_time(mm, 1000000);
	mm_get_stats(mm, &st);
	assert_int_equal(st.kswapd_wakeups, 1);
	assert_true(st.kswapd_reclaimed_pages > 0 && st.kswapd_reclaimed_pages <= 64);
	mm_advance_time(mm, 1000000000);
	assert_true(zone_free(mm, ZONE_DMA32) >= 3027);
	mm_get_stats(mm, &st);
	assert_true(st.kswapd_reclaimed_pages < 4000);		/* it stopped at high */
	mm_check(mm);
	mm_destroy(mm);
}

/*
 * Per-CPU lists while kswapd reclaims (6.1 nr_pcp_high, ZONE_RECLAIM_ACTIVE):
 * 600 order-0 pages freed on CPU 0 of a 4-CPU mt8173-4g.
 *   kswapd asleep:   the list keeps them up to high = low / 4 CPUs (566 on 6.1)
 *   kswapd awake:    it keeps at most 4 x batch; the rest reaches the buddy lists
 * Expect 6.1 to keep at most 4 x batch with kswapd awake and more without;
 * 4.19 (no cap) to keep the same either way.
 */
static uint64_t pcp_after_freeing(enum kver kver, bool kswapd_awake, uint64_t *batch)
{
	struct mm *mm = test_machine_checked("mt8173-4g", kver, 4);
	enum zone_type z = mm_gfp_zone_served(mm, GFP_DMA32);
	struct page *pages[600];
	struct zone_info zi;

	for (unsigned int i = 0; i < 600; i++) {
		pages[i] = alloc_pages(mm, GFP_KERNEL | GFP_DMA32, 0, 1, OWNER_TEST);
		assert_non_null(pages[i]);
	}
	if (kswapd_awake) {
		/* a slow-path allocation below low wakes it; what it took is given back */
		struct page *p;
		uint64_t n = 0;

		while ((p = alloc_pages(mm, GFP_ATOMIC | GFP_DMA32, 0, 1, OWNER_TEST)))
			n++;
		assert_true(n > 0);
		mm_drain_pcp(mm);
	}
	mm_drain_pcp(mm);
	for (unsigned int i = 0; i < 600; i++)
		free_pages(mm, pages[i], 0, 0);
	mm_zone_info(mm, z, &zi);
	*batch = zi.pcp_batch;
	mm_destroy(mm);
	return zi.pcp_pages;
}

static void test_pcp_high_while_kswapd_reclaims(void **state)
{
	uint64_t batch, asleep, awake;

	(void)state;
	asleep = pcp_after_freeing(KVER_6_1, false, &batch);
	awake = pcp_after_freeing(KVER_6_1, true, &batch);
	assert_true(awake <= 4 * batch);
	assert_true(asleep > 4 * batch);
	assert_int_equal(pcp_after_freeing(KVER_4_19, true, &batch),
			 pcp_after_freeing(KVER_4_19, false, &batch));
}

/*
 * The sizes of the first @nr drains of one CPU's list while 3000 order-0
 * pages are freed on it (1 CPU), an allocation after the @alloc_after-th.
 */
static void pcp_drains(enum kver kver, uint64_t *drains, unsigned int nr, unsigned int alloc_after,
		       uint64_t *batch)
{
	struct mm *mm = test_machine_checked("mt8173-4g", kver, 1);
	enum zone_type z = mm_gfp_zone_served(mm, GFP_DMA32);
	static struct page *pages[3000];
	struct zone_info zi;
	uint64_t before = 0;
	unsigned int got = 0;

	for (unsigned int i = 0; i < 3000; i++) {
		pages[i] = alloc_pages(mm, GFP_KERNEL | GFP_DMA32, 0, 0, OWNER_TEST);
		assert_non_null(pages[i]);
	}
	mm_drain_pcp(mm);
	for (unsigned int i = 0; i < 3000 && got < nr; i++) {
		free_pages(mm, pages[i], 0, 0);
		pages[i] = NULL;
		mm_zone_info(mm, z, &zi);
		if (zi.pcp_pages < before + 1) {
			drains[got++] = before + 1 - zi.pcp_pages;
			if (got == alloc_after) {
				pages[i] = alloc_pages(mm, GFP_KERNEL | GFP_DMA32, 0, 0, OWNER_TEST);
				mm_zone_info(mm, z, &zi);
			}
		}
		before = zi.pcp_pages;
	}
	assert_int_equal(got, nr);
	*batch = zi.pcp_batch;
	for (unsigned int i = 0; i < 3000; i++)
		if (pages[i])
			free_pages(mm, pages[i], 0, 0);
	mm_destroy(mm);
}

/*
 * 6.1 nr_pcp_free (mm/page_alloc.c): frees with no allocation between
 * drain batch, then 2 x, 4 x batch (free_factor); an allocation halves the
 * factor.  4.19 drains batch every time.
 */
static void test_pcp_free_factor(void **state)
{
	uint64_t d[4], batch;

	(void)state;
	pcp_drains(KVER_6_1, d, 4, 0, &batch);
	assert_int_equal(d[0], batch);
	assert_int_equal(d[1], 2 * batch);
	assert_int_equal(d[2], 4 * batch);
	assert_int_equal(d[3], 8 * batch);
	/* after the third drain the factor is 3; the allocation makes it 1 */
	pcp_drains(KVER_6_1, d, 4, 3, &batch);
	assert_int_equal(d[3], 2 * batch);
	pcp_drains(KVER_4_19, d, 4, 0, &batch);
	for (int i = 0; i < 4; i++)
		assert_int_equal(d[i], batch);
}

/*
 * 6.1 free_unref_page_commit's free_high: an order-1..3 page freed while the
 * factor is up drains the whole list.
 */
static void test_pcp_free_high(void **state)
{
	struct mm *mm = test_machine_checked("mt8173-4g", KVER_6_1, 1);
	enum zone_type z = mm_gfp_zone_served(mm, GFP_DMA32);
	static struct page *pages[3000];
	struct page *two = alloc_pages(mm, GFP_KERNEL | GFP_DMA32, 1, 0, OWNER_TEST);
	struct zone_info zi;
	uint64_t before = 0;
	unsigned int i;

	(void)state;
	assert_non_null(two);
	for (i = 0; i < 3000; i++)
		pages[i] = alloc_pages(mm, GFP_KERNEL | GFP_DMA32, 0, 0, OWNER_TEST);
	mm_drain_pcp(mm);
	/* order-0 frees until the first drain: the factor is 1 */
	for (i = 0; i < 3000; i++) {
		free_pages(mm, pages[i], 0, 0);
		mm_zone_info(mm, z, &zi);
		if (zi.pcp_pages < before + 1)
			break;
		before = zi.pcp_pages;
	}
	assert_true(i < 3000);
	assert_true(zi.pcp_pages > 0);
	free_pages(mm, two, 1, 0);
	mm_zone_info(mm, z, &zi);
	assert_int_equal(zi.pcp_pages, 0);
	for (i++; i < 3000; i++)
		free_pages(mm, pages[i], 0, 0);
	mm_check(mm);
	mm_destroy(mm);
}

/*
 * Fragmented zone: every other page held by movable page cache.
 *   [U.U.U.U.U.U.U.U.U.U.U.U.U.U.U.U.]   U = background, . = free
 * Expect GFP_ATOMIC order 3 to fail (no compaction without direct reclaim)
 * and GFP_KERNEL order 3 to succeed through direct compaction.
 */
static void test_fragmentation_and_compaction(void **state)
{
	struct mm *mm = test_machine_checked("dram=0x40000000-0x41000000:reserved=0,boot=0", KVER_4_19, 1);
	struct zone_info zi;
	struct mm_stats st;

	(void)state;
	/* __GFP_MEMALLOC ignores the watermarks: take every page */
	background_alloc(mm, __GFP_MOVABLE | __GFP_MEMALLOC | GFP_DMA32, 0, 1u << 20, 0);
	assert_int_equal(zone_free(mm, ZONE_DMA32), 0);
	background_free_alternate(mm, ZONE_DMA32, 0);
	mm_drain_pcp(mm);
	mm_zone_info(mm, ZONE_DMA32, &zi);
	for (int o = 1; o < MAX_ORDER; o++)
		assert_int_equal(zi.nr_free[o], 0);
	assert_null(alloc_pages(mm, GFP_ATOMIC | GFP_DMA32, 3, 0, OWNER_TEST));
	mm_get_stats(mm, &st);
	assert_int_equal(st.compactions, 0);
	assert_non_null(alloc_pages(mm, GFP_KERNEL | GFP_DMA32, 3, 0, OWNER_TEST));
	mm_get_stats(mm, &st);
	assert_true(st.compactions > 0);
	mm_check(mm);
	mm_destroy(mm);
}

static void test_memory_parse(void **state)
{
	struct memory_layout l;
	char err[256];

	(void)state;
	assert_int_equal(memory_layout_parse("mt8173-4g:reserved=64M,boot=2G", &l, err, sizeof(err)), 0);
	assert_int_equal(l.reserved_bytes, 64 * MIB_BYTES);
	assert_int_equal(l.boot_used_bytes, 2 * GIB_BYTES);
	assert_int_equal(memory_layout_parse("dram=0-1G+4G-5G,dma=16M,dma32=4G,arch=x86", &l, err, sizeof(err)), 0);
	assert_int_equal(l.nr_ranges, 2);
	assert_false(l.arm64);
	assert_int_equal(l.dram[1].start, 4 * GIB_BYTES);
	assert_int_not_equal(memory_layout_parse("nosuch", &l, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "nosuch"));
	assert_int_not_equal(memory_layout_parse("mt8173-4g:bogus=1", &l, err, sizeof(err)), 0);
	assert_int_not_equal(memory_layout_parse("dram=5G-4G", &l, err, sizeof(err)), 0);
	assert_non_null(memory_layout_find("x86-3g1g"));
	assert_null(memory_layout_get(3));
}

/* An impossible configuration is refused with a reason, never crashes. */
static void test_impossible_config(void **state)
{
	struct mm_cfg cfg;
	char err[256] = "";

	(void)state;
	mm_cfg_default(&cfg);
	cfg.nr_cpus = 0;
	assert_null(mm_create(&cfg, err, sizeof(err)));
	assert_non_null(strstr(err, "cpus"));
	mm_cfg_default(&cfg);
	assert_int_equal(memory_layout_parse("mt8173-2g:boot=3G", &cfg.layout, err, sizeof(err)), 0);
	assert_null(mm_create(&cfg, err, sizeof(err)));
	assert_non_null(strstr(err, "watermark"));
}

/*
 * --watermarks: a zone's given watermarks replace the computed ones (the
 * oracle's guest's, for fidelity), the canonical form round-trips, and a
 * malformed list is refused with a reason.
 */
static void test_watermarks_given(void **state)
{
	static const char *const bad[] = {
		"DMA32=1:2", "DMA33=1:2:3", "DMA32=3:2:1", "DMA32=0:0:0", "DMA32=1:2:3,DMA32=1:2:3",
		"DMA32=1:2:3,", "DMA32=-1:2:3", "DMA32=1:2:3x", "DMA32=1:2:99999999999999999999", "",
	};
	char err[256] = "", buf[256];
	struct zone_info zi;
	struct mm_cfg cfg;
	struct mm *mm;

	(void)state;
	mm_cfg_default(&cfg);
	assert_int_equal(memory_layout_parse("x86-3g1g", &cfg.layout, err, sizeof(err)), 0);
	cfg.kernel = KVER_6_1;
	cfg.nr_cpus = 2;
	assert_null(mm_watermarks_format(&cfg, buf, sizeof(buf)));
	assert_int_equal(mm_watermarks_parse("dma32=12759:15948:19137,Normal=4136:5170:6204", &cfg, err,
					     sizeof(err)), 0);
	assert_string_equal(mm_watermarks_format(&cfg, buf, sizeof(buf)),
			    "DMA32=12759:15948:19137,Normal=4136:5170:6204");
	mm = mm_create(&cfg, err, sizeof(err));
	assert_non_null(mm);
	mm_zone_info(mm, ZONE_DMA32, &zi);
	assert_int_equal(zi.watermark[WMARK_MIN], 12759);
	assert_int_equal(zi.watermark[WMARK_LOW], 15948);
	assert_int_equal(zi.watermark[WMARK_HIGH], 19137);
	mm_zone_info(mm, ZONE_NORMAL, &zi);
	assert_int_equal(zi.watermark[WMARK_MIN], 4136);
	mm_destroy(mm);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_not_equal(mm_watermarks_parse(bad[i], &cfg, err, sizeof(err)), 0);
		assert_true(err[0] != '\0');
	}
}

/* prng_draw: the idx-th draw of a seed, in range, whatever was drawn before. */
static void test_prng_draw(void **state)
{
	uint64_t first = prng_draw(1, 7, 3000);

	(void)state;
	for (uint64_t i = 0; i < 100; i++)
		assert_true(prng_draw(1, i, 3000) < 3000);
	assert_int_equal(prng_draw(1, 7, 3000), first);
	assert_int_not_equal(prng_draw(1, 7, 1ULL << 40), prng_draw(2, 7, 1ULL << 40));
	assert_int_not_equal(prng_draw(1, 7, 1ULL << 40), prng_draw(1, 8, 1ULL << 40));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_watermarks_mt8173_4g),
		cmocka_unit_test(test_zones_per_version),
		cmocka_unit_test(test_buddy_split_merge),
		cmocka_unit_test(test_atomic_dips_to_fraction_of_min),
		cmocka_unit_test(test_gfp_atomic_mark),
		cmocka_unit_test(test_min_free_kbytes_clamp),
		cmocka_unit_test(test_lowmem_reserve),
		cmocka_unit_test(test_no_reclaim_without_direct_reclaim),
		cmocka_unit_test(test_highatomic_reserve),
		cmocka_unit_test(test_fail_injection_deterministic),
		cmocka_unit_test(test_kswapd),
		cmocka_unit_test(test_pcp_high_while_kswapd_reclaims),
		cmocka_unit_test(test_pcp_free_factor),
		cmocka_unit_test(test_pcp_free_high),
		cmocka_unit_test(test_fragmentation_and_compaction),
		cmocka_unit_test(test_memory_parse),
		cmocka_unit_test(test_impossible_config),
		cmocka_unit_test(test_watermarks_given),
		cmocka_unit_test(test_prng_draw),
	};

	return cmocka_run_group_tests_name("mm", tests, NULL, NULL);
}
