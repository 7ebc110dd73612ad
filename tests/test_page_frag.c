// SPDX-License-Identifier: GPL-2.0
/*
 * test_page_frag.c - the page-frag backend against the page_frag rules
 * (docs/kernel-facts.md, "page_frag").
 * Each test fails if the model breaks the rule it names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "machine.h"

#include "pt_alloc.h"

#define FRAG_PAGE_BYTES 32768ULL		/* PAGE_FRAG_CACHE_MAX_SIZE */
#define FRAGS_PER_PAGE (FRAG_PAGE_BYTES / PT_TABLE_SIZE)

/* 16 MiB / 64 MiB of DRAM at 1 GiB, nothing reserved or used at boot. */
#define MEM_16M "dram=0x40000000-0x41000000:reserved=0,boot=0"
#define MEM_64M "dram=0x40000000-0x44000000:reserved=0,boot=0"

static struct mm *make_mm(const char *memory, enum kver kver)
{
	return test_machine(memory, kver, 4);
}

static struct pt_alloc *make_pf(struct mm *mm)
{
	struct pt_cfg cfg = { .kernel = mm_kernel(mm), .nr_cpus = mm_nr_cpus(mm) };
	char err[256] = "";
	struct pt_alloc *a = pt_alloc_create(&pt_backend_page_frag, mm, &cfg, err, sizeof(err));

	if (!a)
		fail_msg("page-frag: %s", err);
	return a;
}

static phys_addr_t alloc_table(struct pt_alloc *a, gfp_t gfp)
{
	phys_addr_t t = 0;

	assert_int_equal(pt_table_alloc(a, gfp, 0, &t), 0);
	assert_true(IS_ALIGNED(t, PT_TABLE_SIZE));
	return t;
}

static struct page *head_of(struct mm *mm, phys_addr_t t)
{
	return compound_head(mm, phys_to_page(mm, t));
}

static phys_addr_t base_of(struct mm *mm, phys_addr_t t)
{
	return page_to_phys(mm, head_of(mm, t));
}

/* Stats agree with the machine and the loss split adds up exactly. */
static void check_stats(struct pt_alloc *a, struct pt_alloc_stats *st)
{
	uint64_t blocks_pages = 0;

	pt_alloc_stats(a, st);
	for (int z = 0; z < MAX_NR_ZONES; z++)
		for (int o = 0; o < MAX_ORDER; o++)
			blocks_pages += st->held_pages[z][o] << o;
	assert_int_equal(st->footprint_bytes, blocks_pages * PAGE_SIZE);
	assert_int_equal(st->footprint_bytes,
			 mm_held_pages_total(a->mm, OWNER_PT_BACKEND) * PAGE_SIZE);
	assert_int_equal(st->footprint_bytes, st->live_tables * PT_TABLE_SIZE +
			 st->loss.free_slot_bytes + st->loss.stranded_bytes);
}

static void destroy_all(struct pt_alloc *a, struct mm *mm)
{
	pt_alloc_destroy(a);
	assert_int_equal(mm_held_pages_total(mm, OWNER_PT_BACKEND), 0);
	mm_check(mm);
	mm_destroy(mm);
}

/* What create() writes back: one 32 KiB page of 32 1 KiB objects, no fixed cost. */
static void test_cfg_writeback(void **state)
{
	struct mm *mm = make_mm(MEM_16M, KVER_4_19);
	struct pt_cfg cfg = { .kernel = KVER_4_19, .nr_cpus = 4 };
	char err[256];
	struct pt_alloc *a = pt_alloc_create(pt_backend_find("page-frag"), mm, &cfg, err, sizeof(err));
	struct pt_alloc_stats st;

	(void)state;
	assert_non_null(a);
	assert_int_equal(cfg.zone, ZONE_DMA32);
	assert_int_equal(cfg.slab_order, 3);
	assert_int_equal(cfg.slab_objects, 32);
	assert_int_equal(cfg.object_bytes, 1024);
	assert_int_equal(cfg.fixed_cost_bytes, 0);
	/* nothing is taken before the first table */
	check_stats(a, &st);
	assert_int_equal(st.footprint_bytes, 0);
	assert_int_equal(st.metadata_bytes, 24);	/* 4.19 struct page_frag_cache */
	destroy_all(a, mm);
}

/*
 * 4.19..6.12 carve downward from the end of the 32 KiB page (6.12's
 * __page_frag_alloc_align: offset = nc->offset - fragsz):
 *   [ .......................... | t1 | t0 ]
 *   page                          +30K +31K  +32K
 * Expect t0 = page + 31 KiB, t1 = page + 30 KiB, all in one order-3 block of
 * GFP_DMA32's zone, on 4.19 and on 6.12 alike.
 */
static void check_carve_down(enum kver kver)
{
	struct mm *mm = make_mm(MEM_16M, kver);
	struct pt_alloc *a = make_pf(mm);
	struct pt_alloc_stats st;
	phys_addr_t t0, t1, base;
	/* GFP_DMA32's zone: DMA32, or on arm64 from 5.5 the DMA zone below 4 GiB */
	enum zone_type z = mm_zone_populated(mm, ZONE_DMA32) ? ZONE_DMA32 : ZONE_DMA;

	t0 = alloc_table(a, GFP_ATOMIC);
	t1 = alloc_table(a, GFP_ATOMIC);
	base = base_of(mm, t0);
	assert_int_equal(t0, base + FRAG_PAGE_BYTES - PT_TABLE_SIZE);
	assert_int_equal(t1, base + FRAG_PAGE_BYTES - 2 * PT_TABLE_SIZE);
	assert_int_equal(head_of(mm, t0)->order, 3);
	check_stats(a, &st);
	assert_int_equal(st.held_pages[z][3], 1);
	assert_int_equal(st.footprint_bytes, FRAG_PAGE_BYTES);
	assert_int_equal(st.loss.free_slot_bytes, FRAG_PAGE_BYTES - 2 * PT_TABLE_SIZE);
	assert_int_equal(st.fallbacks, 0);
	pt_table_free(a, t0, 0);
	pt_table_free(a, t1, 0);
	destroy_all(a, mm);
}

static void test_carve_down_4_19(void **state)
{
	(void)state;
	check_carve_down(KVER_4_19);
	check_carve_down(KVER_6_12);
}

/*
 * 6.13 (8218f62c9c9b) carves upward from offset 0, and so does 7.2
 * (linux-source-7.2 mm/page_frag_cache.c __page_frag_alloc_align):
 *   [ t0 | t1 | .......................... ]
 *   page +1K  +2K                           +32K
 * Expect t0 = page, t1 = page + 1 KiB, and the 16-byte page_frag_cache
 * (encoded_page, u32 offset, u32 pagecnt_bias).
 */
static void check_carve_up(enum kver kver)
{
	struct mm *mm = make_mm(MEM_16M, kver);
	struct pt_alloc *a = make_pf(mm);
	struct pt_alloc_stats st;
	phys_addr_t t0, t1, base;

	t0 = alloc_table(a, GFP_ATOMIC);
	t1 = alloc_table(a, GFP_ATOMIC);
	base = base_of(mm, t0);
	assert_int_equal(t0, base);
	assert_int_equal(t1, base + PT_TABLE_SIZE);
	assert_int_equal(head_of(mm, t0)->order, 3);
	check_stats(a, &st);
	assert_int_equal(st.metadata_bytes, 16);
	pt_table_free(a, t0, 0);
	pt_table_free(a, t1, 0);
	destroy_all(a, mm);
}

static void test_carve_up_6_13(void **state)
{
	(void)state;
	check_carve_up(KVER_6_13);
	check_carve_up(KVER_7_2);
}

/*
 * The reference bias: after a refill the page carries the bias plus the
 * cache's own reference, each live fragment one of them.
 *   4.19: page_ref_add(page, size - 1)        -> page_count 32768
 *   5.4:  page_ref_add(page, MAX_SIZE)        -> page_count 32769
 * Expect page_count unchanged by allocations (the cache spends its bias) and
 * one lower per freed fragment.
 */
static void check_bias(enum kver kver, int expect_count)
{
	struct mm *mm = make_mm(MEM_16M, kver);
	struct pt_alloc *a = make_pf(mm);
	phys_addr_t t0, t1;

	t0 = alloc_table(a, GFP_ATOMIC);
	assert_int_equal(page_count(head_of(mm, t0)), expect_count);
	t1 = alloc_table(a, GFP_ATOMIC);
	assert_int_equal(page_count(head_of(mm, t0)), expect_count);
	pt_table_free(a, t0, 0);
	assert_int_equal(page_count(head_of(mm, t1)), expect_count - 1);
	pt_table_free(a, t1, 0);
	destroy_all(a, mm);
}

static void test_bias_per_version(void **state)
{
	(void)state;
	check_bias(KVER_4_19, 32768);
	check_bias(KVER_5_4, 32769);
	check_bias(KVER_5_10, 32769);
	check_bias(KVER_6_12, 32769);
	check_bias(KVER_6_13, 32769);
	check_bias(KVER_7_2, 32769);	/* 7.2 __page_frag_cache_refill: PAGE_FRAG_CACHE_MAX_SIZE + 1 */
}

/*
 * A page outlives the cache's interest in it until its last fragment goes:
 *   A: [t31 .. t1 t0]  full, retired by the 33rd table      B: [........ t32]
 *   free t0..t30:  A still held (t31 pins it), 31 KiB stranded
 *   free t31:      A goes back to the buddy allocator
 * Expect 16 pages held until the last fragment of A is freed, then 8.
 */
static void test_page_held_until_last_fragment(void **state)
{
	struct mm *mm = make_mm(MEM_16M, KVER_4_19);
	struct pt_alloc *a = make_pf(mm);
	struct pt_alloc_stats st;
	phys_addr_t t[FRAGS_PER_PAGE + 1];
	struct page *head_a;

	(void)state;
	for (unsigned int i = 0; i <= FRAGS_PER_PAGE; i++)
		t[i] = alloc_table(a, GFP_ATOMIC);
	head_a = head_of(mm, t[0]);
	assert_ptr_equal(head_of(mm, t[FRAGS_PER_PAGE - 1]), head_a);
	assert_ptr_not_equal(head_of(mm, t[FRAGS_PER_PAGE]), head_a);
	/* retired: the cache gave back its bias, only the 32 fragments remain */
	assert_int_equal(page_count(head_a), FRAGS_PER_PAGE);
	assert_int_equal(mm_held_pages_total(mm, OWNER_PT_BACKEND), 16);
	for (unsigned int i = 0; i < FRAGS_PER_PAGE - 1; i++)
		pt_table_free(a, t[i], 0);
	assert_int_equal(page_count(head_a), 1);
	assert_int_equal(mm_held_pages_total(mm, OWNER_PT_BACKEND), 16);
	check_stats(a, &st);
	assert_int_equal(st.held_pages[ZONE_DMA32][3], 2);
	assert_int_equal(st.loss.stranded_bytes, (FRAGS_PER_PAGE - 1) * PT_TABLE_SIZE);
	pt_table_free(a, t[FRAGS_PER_PAGE - 1], 0);
	assert_int_equal(mm_held_pages_total(mm, OWNER_PT_BACKEND), 8);
	check_stats(a, &st);
	assert_int_equal(st.held_pages[ZONE_DMA32][3], 1);
	assert_int_equal(st.loss.stranded_bytes, 0);
	pt_table_free(a, t[FRAGS_PER_PAGE], 0);
	destroy_all(a, mm);
}

/*
 * A freed fragment is not handed out again while its page lives:
 *   [ ..... | t2 | t1 | x ]   x = t0, freed at once
 * Expect the next 31 tables all different from t0 and no allocation landing
 * on once-freed memory (reused_allocs == 0) before the page is exhausted.
 */
static void test_freed_fragment_not_reused(void **state)
{
	struct mm *mm = make_mm(MEM_16M, KVER_4_19);
	struct pt_alloc *a = make_pf(mm);
	struct pt_alloc_stats st;
	phys_addr_t t0, t[FRAGS_PER_PAGE - 1];

	(void)state;
	t0 = alloc_table(a, GFP_ATOMIC);
	pt_table_free(a, t0, 0);
	for (unsigned int i = 0; i < FRAGS_PER_PAGE - 1; i++) {
		t[i] = alloc_table(a, GFP_ATOMIC);
		assert_int_not_equal(t[i], t0);
		assert_int_equal(base_of(mm, t[i]), base_of(mm, t0));
	}
	assert_int_equal(a->reused_allocs, 0);
	check_stats(a, &st);
	assert_int_equal(st.loss.stranded_bytes, PT_TABLE_SIZE);
	assert_int_equal(st.loss.free_slot_bytes, 0);
	for (unsigned int i = 0; i < FRAGS_PER_PAGE - 1; i++)
		pt_table_free(a, t[i], 0);
	destroy_all(a, mm);
}

/*
 * An exhausted page whose fragments were all freed is recycled in place:
 *   [t31 .. t0] all freed, then one more table
 *   page_ref_sub_and_test(page, bias) hits 0 -> set_page_count, offset = size
 * Expect the 33rd table at the same page + 31 KiB, no new page from the
 * buddy allocator, page_count reset to 32768, the slot counted as reused.
 */
static void test_exhausted_page_reused_in_place(void **state)
{
	struct mm *mm = make_mm(MEM_16M, KVER_4_19);
	struct pt_alloc *a = make_pf(mm);
	struct pt_alloc_stats st;
	struct mm_stats before, after;
	phys_addr_t t[FRAGS_PER_PAGE], again;

	(void)state;
	for (unsigned int i = 0; i < FRAGS_PER_PAGE; i++)
		t[i] = alloc_table(a, GFP_ATOMIC);
	for (unsigned int i = 0; i < FRAGS_PER_PAGE; i++)
		pt_table_free(a, t[i], 0);
	check_stats(a, &st);
	assert_int_equal(st.loss.stranded_bytes, FRAG_PAGE_BYTES);
	mm_get_stats(mm, &before);
	again = alloc_table(a, GFP_ATOMIC);
	mm_get_stats(mm, &after);
	assert_int_equal(again, t[0]);
	assert_int_equal(again, base_of(mm, t[0]) + FRAG_PAGE_BYTES - PT_TABLE_SIZE);
	assert_int_equal(after.allocs, before.allocs);
	assert_int_equal(page_count(head_of(mm, again)), 32768);
	assert_int_equal(a->reused_allocs, 1);
	check_stats(a, &st);
	assert_int_equal(st.footprint_bytes, FRAG_PAGE_BYTES);
	assert_int_equal(st.loss.stranded_bytes, 0);
	assert_int_equal(st.loss.free_slot_bytes, FRAG_PAGE_BYTES - PT_TABLE_SIZE);
	pt_table_free(a, again, 0);
	destroy_all(a, mm);
}

/*
 * GFP_ATOMIC with ZONE_DMA32 just above min (mt8173-4g, 4.19, min 1505):
 *   free |####.............| order-3 mark: min/2 = 753 (ALLOC_HIGH only:
 *        ^ here              __GFP_NOMEMALLOC takes ALLOC_HARDER away)
 *                            order-0 mark: 753 - 753/4 = 565 (HIGH|HARDER)
 * Expect the order-3 try to fail and the order-0 fallback to succeed: one
 * fallback, one order-0 page with the 4.19 bias of its size (4096), four
 * tables per page; a plain GFP_ATOMIC order-3 request would have succeeded.
 */
static void test_atomic_falls_back_to_order0(void **state)
{
	struct mm *mm = make_mm("mt8173-4g", KVER_4_19);
	struct pt_alloc *a = make_pf(mm);
	struct pt_alloc_stats st;
	struct zone_info zi;
	uint64_t mark3, mark0, target;
	phys_addr_t t[5];
	struct page *p;

	(void)state;
	mm_drain_pcp(mm);
	mm_zone_info(mm, ZONE_DMA32, &zi);
	mark3 = zi.watermark[WMARK_MIN] - zi.watermark[WMARK_MIN] / 2;
	mark0 = mark3 - mark3 / 4;
	assert_int_equal(mark3, 753);
	assert_int_equal(mark0, 565);
	/* order 3 needs free - 7 > mark3; order 0 needs free > mark0 */
	target = (mark3 + 7 + mark0) / 2;
	assert_int_equal(background_alloc(mm, GFP_DMA32 | __GFP_MEMALLOC, 0,
					  zi.free_pages - target, 0), zi.free_pages - target);
	mm_drain_pcp(mm);
	mm_zone_info(mm, ZONE_DMA32, &zi);
	assert_int_equal(zi.free_pages, target);
	assert_true(zi.nr_free[3] > 0);		/* blocks exist: the watermark refuses */

	for (int i = 0; i < 5; i++)
		t[i] = alloc_table(a, GFP_ATOMIC);
	check_stats(a, &st);
	assert_int_equal(st.fallbacks, 2);		/* the 5th table needed a second page */
	assert_int_equal(st.held_pages[ZONE_DMA32][0], 2);
	assert_int_equal(st.held_pages[ZONE_DMA32][3], 0);
	assert_ptr_equal(head_of(mm, t[3]), head_of(mm, t[0]));
	assert_ptr_not_equal(head_of(mm, t[4]), head_of(mm, t[0]));
	assert_int_equal(t[0], base_of(mm, t[0]) + PAGE_SIZE - PT_TABLE_SIZE);
	assert_int_equal(page_count(head_of(mm, t[4])), 4096);
	/* without __GFP_NOMEMALLOC the same GFP_ATOMIC order-3 request gets through */
	p = alloc_pages(mm, GFP_ATOMIC | GFP_DMA32 | __GFP_COMP, 3, 0, OWNER_TEST);
	assert_non_null(p);
	free_pages(mm, p, 3, 0);
	for (int i = 0; i < 5; i++)
		pt_table_free(a, t[i], 0);
	destroy_all(a, mm);
}

/* Take every page of @z, then give back every other one: no free block above order 0. */
static void fragment_zone(struct mm *mm, enum zone_type z)
{
	struct zone_info zi;

	background_alloc(mm, __GFP_MOVABLE | __GFP_MEMALLOC | GFP_DMA32, 0, 1u << 24, 0);
	background_free_alternate(mm, z, 0);
	mm_drain_pcp(mm);
	mm_zone_info(mm, z, &zi);
	for (int o = 1; o < MAX_ORDER; o++)
		assert_int_equal(zi.nr_free[o], 0);
}

/*
 * 6.13 clears __GFP_DIRECT_RECLAIM on the order-3 try; 4.19 keeps it, so a
 * GFP_KERNEL caller there compacts (once: __GFP_NORETRY) for 32 KiB.
 *   [B.B.B.B.B.B.B.B.B.B.B.B.B.B.B.B.]   B = movable background, . = free
 * Expect 4.19: an order-3 page through compaction, no fallback.
 *        6.13: no compaction, an order-0 page, one fallback.
 */
static void check_kernel_caller_high_order(enum kver kver, bool expect_compaction)
{
	struct mm *mm = make_mm(MEM_16M, kver);
	enum zone_type z = mm_zone_populated(mm, ZONE_DMA32) ? ZONE_DMA32 : ZONE_DMA;
	struct pt_alloc *a = make_pf(mm);
	struct pt_alloc_stats st;
	struct mm_stats ms;
	phys_addr_t t;

	fragment_zone(mm, z);
	t = alloc_table(a, GFP_KERNEL);
	mm_get_stats(mm, &ms);
	check_stats(a, &st);
	if (expect_compaction) {
		assert_true(ms.compactions > 0);
		assert_int_equal(st.fallbacks, 0);
		assert_int_equal(st.held_pages[z][3], 1);
	} else {
		assert_int_equal(ms.compactions, 0);
		assert_int_equal(ms.direct_reclaims, 0);
		assert_int_equal(st.fallbacks, 1);
		assert_int_equal(st.held_pages[z][0], 1);
	}
	pt_table_free(a, t, 0);
	destroy_all(a, mm);
}

static void test_high_order_try_reclaim_per_version(void **state)
{
	(void)state;
	check_kernel_caller_high_order(KVER_4_19, true);
	/* 6.12's __page_frag_cache_refill already clears __GFP_DIRECT_RECLAIM there */
	check_kernel_caller_high_order(KVER_6_12, false);
	check_kernel_caller_high_order(KVER_6_13, false);
	check_kernel_caller_high_order(KVER_7_2, false);	/* 7.2 mm/page_frag_cache.c: the same */
}

/*
 * One live table pins its whole 32 KiB page: 4096 tables, then all but the
 * first of every page freed.
 *   128 x [ t . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . ]
 * Expect 4 MiB held for 128 KiB of live tables, the rest stranded.
 */
static void test_one_table_pins_32k(void **state)
{
	struct mm *mm = make_mm("mt8173-4g", KVER_4_19);
	struct pt_alloc *a = make_pf(mm);
	struct pt_alloc_stats st;
	static phys_addr_t t[4096];

	(void)state;
	for (int i = 0; i < 4096; i++)
		t[i] = alloc_table(a, GFP_ATOMIC);
	check_stats(a, &st);
	assert_int_equal(st.footprint_bytes, 4 * MIB_BYTES);
	assert_int_equal(st.held_pages[ZONE_DMA32][3], 128);
	for (int i = 0; i < 4096; i++)
		if (i % FRAGS_PER_PAGE)
			pt_table_free(a, t[i], 0);
	check_stats(a, &st);
	assert_int_equal(st.live_tables, 128);
	assert_int_equal(st.footprint_bytes, 4 * MIB_BYTES);
	assert_int_equal(st.held_pages[ZONE_DMA32][3], 128);
	assert_int_equal(st.loss.free_slot_bytes, 0);
	assert_int_equal(st.loss.stranded_bytes, 4 * MIB_BYTES - 128 * PT_TABLE_SIZE);
	for (int i = 0; i < 4096; i += FRAGS_PER_PAGE)
		pt_table_free(a, t[i], 0);
	check_stats(a, &st);
	/* only the current page (all freed, not yet recycled) is left */
	assert_int_equal(st.footprint_bytes, FRAG_PAGE_BYTES);
	destroy_all(a, mm);
}

/*
 * The proposal's worst case, "4096 L2 tables, each on its own 4K page: 16 MB
 * for 4 MB", holds when every refill falls back to order 0 (a fragmented
 * DMA32, GFP_ATOMIC cannot compact).  With 32 KiB pages it is 8 times worse.
 *   order 0: 4096 x [ t . . . ]              -> 16 MiB
 *   order 3: 4096 x [ t . . . (31 freed) . ] -> 128 MiB
 * Expect exactly those footprints with 4 MiB of live tables.
 */
static uint64_t worst_case_footprint(struct mm *mm, unsigned int frags_per_page)
{
	struct pt_alloc *a = make_pf(mm);
	struct pt_alloc_stats st;
	static phys_addr_t keep[4096];
	uint64_t footprint;

	for (int i = 0; i < 4096; i++) {
		keep[i] = alloc_table(a, GFP_ATOMIC);
		for (unsigned int j = 1; j < frags_per_page; j++)
			pt_table_free(a, alloc_table(a, GFP_ATOMIC), 0);
	}
	check_stats(a, &st);
	assert_int_equal(st.live_tables, 4096);
	assert_int_equal(st.loss.stranded_bytes,
			 st.footprint_bytes - 4 * MIB_BYTES - st.loss.free_slot_bytes);
	footprint = st.footprint_bytes;
	for (int i = 0; i < 4096; i++)
		pt_table_free(a, keep[i], 0);
	pt_alloc_destroy(a);
	assert_int_equal(mm_held_pages_total(mm, OWNER_PT_BACKEND), 0);
	return footprint;
}

static void test_worst_case_footprint(void **state)
{
	struct mm *mm = make_mm(MEM_64M, KVER_4_19);

	(void)state;
	fragment_zone(mm, ZONE_DMA32);
	assert_int_equal(worst_case_footprint(mm, PT_TABLES_PER_PAGE), 16 * MIB_BYTES);
	mm_check(mm);
	mm_destroy(mm);

	mm = make_mm("mt8173-4g", KVER_4_19);
	assert_int_equal(worst_case_footprint(mm, FRAGS_PER_PAGE), 128 * MIB_BYTES);
	mm_check(mm);
	mm_destroy(mm);
}

/*
 * Destroy with the cache's current page partly carved and a retired page
 * already gone: the drain gives the bias back and the page goes.
 * Expect nothing held by the backend afterwards, in every version.
 */
static void test_destroy_drains(void **state)
{
	(void)state;
	for (int k = 0; k < KVER_NR; k++) {
		struct mm *mm = make_mm(MEM_16M, (enum kver)k);
		struct pt_alloc *a = make_pf(mm);
		struct pt_alloc_stats st;
		phys_addr_t t[40];

		for (int i = 0; i < 40; i++)
			t[i] = alloc_table(a, GFP_ATOMIC);
		for (int i = 39; i >= 0; i--) {
			pt_table_free(a, t[i], 0);
			check_stats(a, &st);
		}
		assert_int_equal(st.footprint_bytes, FRAG_PAGE_BYTES);
		destroy_all(a, mm);
	}
}

/* Tables come zeroed although page_frag recycles dirty memory in place. */
static void test_tables_zeroed(void **state)
{
	struct mm *mm = make_mm(MEM_16M, KVER_4_19);
	struct pt_alloc *a = make_pf(mm);
	phys_addr_t t[FRAGS_PER_PAGE], again;

	(void)state;
	for (unsigned int i = 0; i < FRAGS_PER_PAGE; i++) {
		t[i] = alloc_table(a, GFP_ATOMIC);
		memset(mm_phys_write_ptr(mm, t[i], PT_TABLE_SIZE), 0xa5, PT_TABLE_SIZE);
	}
	for (unsigned int i = 0; i < FRAGS_PER_PAGE; i++)
		pt_table_free(a, t[i], 0);
	again = alloc_table(a, GFP_ATOMIC);
	assert_int_equal(again, t[0]);
	for (unsigned int off = 0; off < PT_TABLE_SIZE; off += 4)
		assert_int_equal(mm_phys_read32(mm, again + off), 0);
	pt_table_free(a, again, 0);
	destroy_all(a, mm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cfg_writeback),
		cmocka_unit_test(test_carve_down_4_19),
		cmocka_unit_test(test_carve_up_6_13),
		cmocka_unit_test(test_bias_per_version),
		cmocka_unit_test(test_page_held_until_last_fragment),
		cmocka_unit_test(test_freed_fragment_not_reused),
		cmocka_unit_test(test_exhausted_page_reused_in_place),
		cmocka_unit_test(test_atomic_falls_back_to_order0),
		cmocka_unit_test(test_high_order_try_reclaim_per_version),
		cmocka_unit_test(test_one_table_pins_32k),
		cmocka_unit_test(test_worst_case_footprint),
		cmocka_unit_test(test_destroy_drains),
		cmocka_unit_test(test_tables_zeroed),
	};

	return cmocka_run_group_tests_name("page_frag", tests, NULL, NULL);
}
