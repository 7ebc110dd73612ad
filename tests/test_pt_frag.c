// SPDX-License-Identifier: GPL-2.0
/*
 * test_pt_frag.c - the pt-frag backend against the rules it takes from
 * arch/s390/mm/pgalloc.c 6.1 (docs/kernel-facts.md, "pt-frag"), and against
 * page-frag on the trace that tells them apart.
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

/* 16 MiB of DRAM at 1 GiB, nothing reserved or used at boot. */
#define MEM_16M "dram=0x40000000-0x41000000:reserved=0,boot=0"

static struct pt_alloc *make(struct mm *mm, const struct pt_backend *b, bool global)
{
	struct pt_cfg cfg = { .kernel = mm_kernel(mm), .nr_cpus = mm_nr_cpus(mm),
			      .pt_frag_global = global };
	char err[256] = "";
	struct pt_alloc *a = pt_alloc_create(b, mm, &cfg, err, sizeof(err));

	if (!a)
		fail_msg("%s: %s", pt_backend_name(b), err);
	return a;
}

static phys_addr_t alloc_in(struct pt_alloc *a, unsigned int pool)
{
	phys_addr_t t = 0;

	a->pool = pool;
	assert_int_equal(pt_table_alloc(a, GFP_ATOMIC, 0, &t), 0);
	assert_true(IS_ALIGNED(t, PT_TABLE_SIZE));
	assert_true(t + PT_TABLE_SIZE <= SZ_4G);
	return t;
}

static uint64_t footprint(struct pt_alloc *a)
{
	struct pt_alloc_stats st;

	pt_alloc_stats(a, &st);
	assert_int_equal(st.footprint_bytes, mm_held_pages_total(a->mm, OWNER_PT_BACKEND) * PAGE_SIZE);
	assert_int_equal(st.footprint_bytes, st.live_tables * PT_TABLE_SIZE + st.loss.free_slot_bytes +
			 st.loss.stranded_bytes);
	return st.footprint_bytes;
}

static void destroy_all(struct pt_alloc *a, struct mm *mm)
{
	pt_alloc_destroy(a);
	assert_int_equal(mm_held_pages_total(mm, OWNER_PT_BACKEND), 0);
	mm_check(mm);
	mm_destroy(mm);
}

/*
 * The trace that tells pt-frag from page-frag: 32 tables, every other one
 * freed, 16 new ones.
 *
 *   after 32 allocs      pt-frag: 8 pages  [tttt][tttt]...[tttt]      32 KiB
 *                        page-frag: one 32 KiB refill, fully carved  32 KiB
 *   after 16 frees       pt-frag:          [t.t.][t.t.]...[t.t.]      32 KiB
 *                        page-frag:        [t.t.t.t. ... t.t.]       32 KiB (16 stranded)
 *   after 16 allocs      pt-frag:          [tttt][tttt]...[tttt]      32 KiB, 16 reused
 *                        page-frag: a second 32 KiB refill           64 KiB, 0 reused
 *
 * Expect pt-frag to put every new table in a freed slot (16 reused, the
 * footprint unchanged) where page-frag cannot (0 reused, a new refill):
 * page_frag gives memory back only when a whole refill is free.
 */
static void test_reuses_where_page_frag_cannot(void **state)
{
	const struct pt_backend *bs[] = { &pt_backend_pt_frag, &pt_backend_page_frag };
	const uint64_t want_reused[] = { 16, 0 }, want_fp[] = { 32 * KIB_BYTES, 64 * KIB_BYTES };

	(void)state;
	for (unsigned int b = 0; b < ARRAY_SIZE(bs); b++) {
		struct mm *mm = test_machine(MEM_16M, KVER_6_1, 4);
		struct pt_alloc *a = make(mm, bs[b], false);
		phys_addr_t t[48];

		for (int i = 0; i < 32; i++)
			t[i] = alloc_in(a, 0);
		assert_int_equal(footprint(a), 32 * KIB_BYTES);
		for (int i = 1; i < 32; i += 2)
			pt_table_free(a, t[i], 0);
		assert_int_equal(footprint(a), 32 * KIB_BYTES);
		for (int i = 32; i < 48; i++)
			t[i] = alloc_in(a, 0);
		assert_int_equal(a->reused_allocs, want_reused[b]);
		assert_int_equal(footprint(a), want_fp[b]);
		for (int i = 0; i < 48; i += i < 32 ? 2 : 1)
			pt_table_free(a, t[i], 0);
		destroy_all(a, mm);
	}
}

/*
 * A page goes back to the buddy allocator with its last table, at once:
 *   [t0 t1 t2 t3][t4 . . .]  free t4 -> [t0 t1 t2 t3]          4 KiB
 *   free t0..t3              ->  (nothing held)                0 KiB
 * Expect the footprint to drop by 4 KiB at each page's last free, and to be
 * 0 with no table live, before destroy (page-frag keeps its current page).
 */
static void test_page_freed_with_last_table(void **state)
{
	struct mm *mm = test_machine(MEM_16M, KVER_6_1, 4);
	struct pt_alloc *a = make(mm, &pt_backend_pt_frag, false);
	uint64_t free_before = mm_zone_free_pages(mm, ZONE_DMA32);
	phys_addr_t t[5];

	(void)state;
	for (int i = 0; i < 5; i++)
		t[i] = alloc_in(a, 0);
	assert_int_equal(footprint(a), 2 * PAGE_SIZE);
	pt_table_free(a, t[4], 0);
	assert_int_equal(footprint(a), PAGE_SIZE);
	for (int i = 0; i < 3; i++) {
		pt_table_free(a, t[i], 0);
		assert_int_equal(footprint(a), PAGE_SIZE);
	}
	pt_table_free(a, t[3], 0);
	assert_int_equal(footprint(a), 0);
	mm_drain_pcp(mm);
	assert_int_equal(mm_zone_free_pages(mm, ZONE_DMA32), free_before);
	destroy_all(a, mm);
}

/*
 * Which slot: the first page of the list, its lowest free slot; a full
 * page that loses a table goes to the head of the list (list_add).
 *   A [t0 t1 t2 t3] (full, off the list)   B [t4 . . .] (on the list)
 *   free t1           -> list: A, B         A [t0 .  t2 t3]
 *   alloc             -> A's slot 1          (not B's slot 1)
 *   free t2, t0       -> A [.  t5 .  t3]    alloc -> A's slot 0, then slot 2
 * Expect the new tables at A+1K, A+0, A+2K; B untouched.
 */
static void test_first_page_lowest_slot(void **state)
{
	struct mm *mm = test_machine(MEM_16M, KVER_6_1, 4);
	struct pt_alloc *a = make(mm, &pt_backend_pt_frag, false);
	phys_addr_t t[8], pa, pb;

	(void)state;
	for (int i = 0; i < 5; i++)
		t[i] = alloc_in(a, 0);
	pa = t[0];
	pb = t[4];
	for (int i = 0; i < 4; i++)
		assert_int_equal(t[i], pa + (phys_addr_t)i * PT_TABLE_SIZE);
	assert_int_equal(pb & ~PAGE_MASK, 0);
	pt_table_free(a, t[1], 0);
	t[5] = alloc_in(a, 0);
	assert_int_equal(t[5], pa + PT_TABLE_SIZE);
	pt_table_free(a, t[2], 0);
	pt_table_free(a, t[0], 0);
	t[6] = alloc_in(a, 0);
	t[7] = alloc_in(a, 0);
	assert_int_equal(t[6], pa);
	assert_int_equal(t[7], pa + 2 * PT_TABLE_SIZE);
	assert_int_equal(footprint(a), 2 * PAGE_SIZE);
	pt_table_free(a, t[3], 0);
	pt_table_free(a, t[4], 0);
	for (int i = 5; i < 8; i++)
		pt_table_free(a, t[i], 0);
	destroy_all(a, mm);
}

/*
 * Scope: page table 0 takes one table, page table 1 another.
 *   domain:  [t0 . . .] [t1 . . .]   8 KiB: a pool per page table (per mm)
 *   global:  [t0 t1 . .]             4 KiB: one pool
 * Expect 2 pages with a pool per page table, 1 with one global pool; a
 * free finds its pool from the page whatever pt_alloc.pool says.
 */
static void test_scope(void **state)
{
	(void)state;
	for (int global = 0; global <= 1; global++) {
		struct mm *mm = test_machine(MEM_16M, KVER_6_1, 4);
		struct pt_alloc *a = make(mm, &pt_backend_pt_frag, global);
		phys_addr_t t0 = alloc_in(a, 0), t1 = alloc_in(a, 1), t2;
		struct pt_alloc_stats st;

		assert_int_equal(footprint(a), global ? PAGE_SIZE : 2 * PAGE_SIZE);
		pt_alloc_stats(a, &st);
		assert_int_equal(st.metadata_bytes, global ? 24 : 48);
		a->pool = 1;
		pt_table_free(a, t0, 0);
		/* pool 0's page went back (domain) or pool 1 still holds it (global) */
		assert_int_equal(footprint(a), PAGE_SIZE);
		t2 = alloc_in(a, 1);
		assert_int_equal(t2 & PAGE_MASK, t1 & PAGE_MASK);
		pt_table_free(a, t1, 0);
		pt_table_free(a, t2, 0);
		destroy_all(a, mm);
	}
}

/* A reused slot is zeroed: whatever the freed table held is gone. */
static void test_reused_slot_zeroed(void **state)
{
	struct mm *mm = test_machine(MEM_16M, KVER_6_1, 4);
	struct pt_alloc *a = make(mm, &pt_backend_pt_frag, false);
	phys_addr_t keep = alloc_in(a, 0), t = alloc_in(a, 0), again;
	uint8_t buf[PT_TABLE_SIZE], zero[PT_TABLE_SIZE] = { 0 };

	(void)state;
	memset(mm_phys_write_ptr(mm, t, PT_TABLE_SIZE), 0xa5, PT_TABLE_SIZE);
	pt_table_free(a, t, 0);
	again = alloc_in(a, 0);
	assert_int_equal(again, t);
	mm_phys_read(mm, again, buf, sizeof(buf));
	assert_memory_equal(buf, zero, sizeof(buf));
	pt_table_free(a, again, 0);
	pt_table_free(a, keep, 0);
	destroy_all(a, mm);
}

/* A page is one order-0 block of the zone GFP_DMA32 is served from (alloc_page(gfp | GFP_DMA32)). */
static void test_atomic_order0_dma32(void **state)
{
	struct mm *mm = test_machine(MEM_16M, KVER_6_1, 4);
	struct pt_alloc *a = make(mm, &pt_backend_pt_frag, false);
	phys_addr_t t = alloc_in(a, 0);
	enum zone_type z = mm_gfp_zone_served(mm, GFP_DMA32);
	struct pt_alloc_stats st;

	(void)state;
	pt_alloc_stats(a, &st);
	assert_int_equal(page_zonenum(mm, phys_to_page(mm, t)), z);
	assert_int_equal(st.held_pages[z][0], 1);
	for (unsigned int o = 1; o < MAX_ORDER; o++)
		assert_int_equal(st.held_pages[z][o], 0);
	pt_table_free(a, t, 0);
	destroy_all(a, mm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reuses_where_page_frag_cannot),
		cmocka_unit_test(test_page_freed_with_last_table),
		cmocka_unit_test(test_first_page_lowest_slot),
		cmocka_unit_test(test_scope),
		cmocka_unit_test(test_reused_slot_zeroed),
		cmocka_unit_test(test_atomic_order0_dma32),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
