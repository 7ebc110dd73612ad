// SPDX-License-Identifier: GPL-2.0
/*
 * test_genalloc.c - the genalloc-4m backend against the genalloc rules
 * (docs/kernel-facts.md, "genalloc").
 * Each test fails if the model breaks the rule it names.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "machine.h"

#include "pt_alloc.h"

#define POOL_BYTES (4 * MIB_BYTES)
#define POOL_TABLES (POOL_BYTES / PT_TABLE_SIZE)	/* 4096 */
#define POOL_ORDER 10

/* 16 MiB of DRAM at 1 GiB, nothing reserved or used at boot: four order-10 blocks. */
#define MEM_16M "dram=0x40000000-0x41000000:reserved=0,boot=0"
#define MEM_64M "dram=0x40000000-0x44000000:reserved=0,boot=0"

static struct mm *make_mm(const char *memory, enum kver kver)
{
	return test_machine(memory, kver, 4);
}

static struct pt_alloc *make_pool(struct mm *mm, struct pt_cfg *cfg)
{
	char err[256] = "";
	struct pt_alloc *a;

	cfg->kernel = mm_kernel(mm);
	cfg->nr_cpus = mm_nr_cpus(mm);
	a = pt_alloc_create(&pt_backend_genalloc_4m, mm, cfg, err, sizeof(err));
	if (!a)
		fail_msg("genalloc-4m: %s", err);
	return a;
}

static phys_addr_t alloc_table(struct pt_alloc *a)
{
	phys_addr_t t = 0;

	assert_int_equal(pt_table_alloc(a, GFP_ATOMIC, 0, &t), 0);
	return t;
}

/* Stats agree with the machine and the loss split adds up exactly. */
static void check_stats(struct pt_alloc *a, struct pt_alloc_stats *st)
{
	pt_alloc_stats(a, st);
	assert_int_equal(st->footprint_bytes,
			 mm_held_pages_total(a->mm, OWNER_PT_BACKEND) * PAGE_SIZE);
	assert_int_equal(st->footprint_bytes,
			 st->live_tables * PT_TABLE_SIZE + st->loss.unused_pool_bytes);
}

static void destroy_all(struct pt_alloc *a, struct mm *mm)
{
	pt_alloc_destroy(a);
	assert_int_equal(mm_held_pages_total(mm, OWNER_PT_BACKEND), 0);
	mm_check(mm);
	mm_destroy(mm);
}

/*
 * Creation takes exactly one 4 MiB block below 4 GiB, zeroed, and nothing else:
 *   DMA32: [ pool 4 MiB | ........................ ]   NORMAL: [ ......... ]
 * Expect one order-10 DMA32 block, the cfg written back, and the metadata
 * gen_pool_add would allocate: 4.19 kmalloc-1024 (48 + 512 bytes) +
 * kmalloc-128 (struct gen_pool); 5.4 one vzalloc'd page + kmalloc-128.
 */
static void test_create_takes_one_dma32_block(void **state)
{
	struct mm *mm = make_mm("mt8173-4g", KVER_4_19);
	struct pt_cfg cfg = { 0 };
	struct pt_alloc *a = make_pool(mm, &cfg);
	struct pt_alloc_stats st;

	(void)state;
	assert_int_equal(mm_held_pages_total(mm, OWNER_PT_BACKEND), 1024);
	assert_int_equal(mm_held_blocks(mm, OWNER_PT_BACKEND, ZONE_DMA32, POOL_ORDER), 1);
	assert_int_equal(cfg.zone, ZONE_DMA32);
	assert_int_equal(cfg.slab_order, POOL_ORDER);
	assert_int_equal(cfg.slab_objects, 4096);
	assert_int_equal(cfg.object_bytes, 1024);
	assert_int_equal(cfg.fixed_cost_bytes, POOL_BYTES);
	check_stats(a, &st);
	assert_int_equal(st.held_pages[ZONE_DMA32][POOL_ORDER], 1);
	assert_int_equal(st.footprint_bytes, POOL_BYTES);
	assert_int_equal(st.loss.unused_pool_bytes, POOL_BYTES);
	assert_int_equal(st.metadata_bytes, 1024 + 128);
	assert_int_equal(st.fallbacks, 0);
	destroy_all(a, mm);

	mm = make_mm("mt8173-4g", KVER_5_4);
	a = make_pool(mm, &cfg);
	check_stats(a, &st);
	assert_int_equal(st.metadata_bytes, 4096 + 128);
	destroy_all(a, mm);

	/* 5.10 lib/genalloc.c gen_pool_add_owner: vzalloc_node too */
	mm = make_mm("mt8173-4g", KVER_5_10);
	a = make_pool(mm, &cfg);
	check_stats(a, &st);
	assert_int_equal(st.metadata_bytes, 4096 + 128);
	destroy_all(a, mm);
}

/*
 * From 5.5 arm64 has ZONE_DMA below 4 GiB and an empty ZONE_DMA32: GFP_DMA32
 * falls back into ZONE_DMA (mt8173-4g on 6.1).
 * Expect the pool in ZONE_DMA below 4 GiB, and cfg.zone saying so.
 */
static void test_create_6_1_zone_dma(void **state)
{
	struct mm *mm = make_mm("mt8173-4g", KVER_6_1);
	struct pt_cfg cfg = { 0 };
	struct pt_alloc *a = make_pool(mm, &cfg);
	struct pt_alloc_stats st;
	phys_addr_t t;

	(void)state;
	assert_int_equal(cfg.zone, ZONE_DMA);
	check_stats(a, &st);
	assert_int_equal(st.held_pages[ZONE_DMA][POOL_ORDER], 1);
	t = alloc_table(a);
	assert_true(t + PT_TABLE_SIZE <= SZ_4G);
	pt_table_free(a, t, 0);
	destroy_all(a, mm);
}

/* Take every free page of both zones (others' unmovable memory). */
static void exhaust_memory(struct mm *mm)
{
	struct zone_info zi;

	background_alloc(mm, __GFP_MEMALLOC, 0, 1u << 24, 0);
	mm_drain_pcp(mm);
	background_alloc(mm, __GFP_MEMALLOC, 0, 1u << 24, 0);
	mm_zone_info(mm, ZONE_DMA32, &zi);
	assert_int_equal(zi.free_pages, 0);
	mm_zone_info(mm, ZONE_NORMAL, &zi);
	assert_int_equal(zi.free_pages, 0);
}

/*
 * The pool covers every table a v7s L1 table can point to, with no page
 * allocator call after creation:
 *   DMA32:  [ pool ][##################### all taken ##########]
 *   NORMAL: [############################# all taken ##########]
 * Expect 4096 GFP_ATOMIC tables without a single alloc_pages call, then
 * -ENOMEM for the 4097th (the pool is full, nothing else is tried).
 */
static void test_never_fails_until_full(void **state)
{
	struct mm *mm = make_mm("mt8173-4g", KVER_4_19);
	struct pt_cfg cfg = { 0 };
	struct pt_alloc *a = make_pool(mm, &cfg);
	static phys_addr_t t[POOL_TABLES];
	struct pt_alloc_stats st;
	struct mm_stats before, after;
	phys_addr_t extra;

	(void)state;
	exhaust_memory(mm);
	assert_null(alloc_pages(mm, GFP_ATOMIC | GFP_DMA32, 0, 0, OWNER_TEST));
	mm_get_stats(mm, &before);
	for (unsigned int i = 0; i < POOL_TABLES; i++)
		t[i] = alloc_table(a);
	assert_int_equal(pt_table_alloc(a, GFP_ATOMIC, 0, &extra), -ENOMEM);
	mm_get_stats(mm, &after);
	assert_int_equal(after.allocs, before.allocs);
	assert_int_equal(a->failures, 1);
	assert_int_equal(a->overlap, 0);
	assert_int_equal(a->above_4g, 0);
	check_stats(a, &st);
	assert_int_equal(st.live_tables, POOL_TABLES);
	assert_int_equal(st.loss.unused_pool_bytes, 0);
	for (unsigned int i = 0; i < POOL_TABLES; i++)
		pt_table_free(a, t[i], 0);
	destroy_all(a, mm);
}

/*
 * No chunk is ever removed: with every table freed (and a shrink asked for)
 * the pool stays.
 * Expect 4 MiB held, all of it unused, until destroy.
 */
static void test_pool_never_returned(void **state)
{
	struct mm *mm = make_mm(MEM_16M, KVER_4_19);
	struct pt_cfg cfg = { 0 };
	struct pt_alloc *a = make_pool(mm, &cfg);
	struct pt_alloc_stats st;
	phys_addr_t t[100];

	(void)state;
	for (int i = 0; i < 100; i++)
		t[i] = alloc_table(a);
	check_stats(a, &st);
	assert_int_equal(st.loss.unused_pool_bytes, POOL_BYTES - 100 * PT_TABLE_SIZE);
	for (int i = 0; i < 100; i++)
		pt_table_free(a, t[i], 0);
	pt_alloc_shrink(a, 0);
	check_stats(a, &st);
	assert_int_equal(st.footprint_bytes, POOL_BYTES);
	assert_int_equal(st.loss.unused_pool_bytes, POOL_BYTES);
	assert_int_equal(mm_held_pages_total(mm, OWNER_PT_BACKEND), 1024);
	destroy_all(a, mm);
}

/*
 * gen_pool_first_fit: always the lowest free granule.
 *   [0 1 2 3 4 5 6 7 8 9 . . .]  then free 3 and 7:  [0 1 2 . 4 5 6 . 8 9 . .]
 * Expect tables at pool + i KiB in order, then 3, then 7, then 10.
 */
static void test_first_fit(void **state)
{
	struct mm *mm = make_mm(MEM_16M, KVER_4_19);
	struct pt_cfg cfg = { 0 };
	struct pt_alloc *a = make_pool(mm, &cfg);
	phys_addr_t t[11], base;

	(void)state;
	for (int i = 0; i < 10; i++)
		t[i] = alloc_table(a);
	base = t[0];
	assert_true(IS_ALIGNED(base, POOL_BYTES));
	for (int i = 0; i < 10; i++)
		assert_int_equal(t[i], base + i * PT_TABLE_SIZE);
	pt_table_free(a, t[7], 0);
	pt_table_free(a, t[3], 0);
	t[3] = alloc_table(a);
	t[7] = alloc_table(a);
	t[10] = alloc_table(a);
	assert_int_equal(t[3], base + 3 * PT_TABLE_SIZE);
	assert_int_equal(t[7], base + 7 * PT_TABLE_SIZE);
	assert_int_equal(t[10], base + 10 * PT_TABLE_SIZE);
	assert_int_equal(a->reused_allocs, 2);
	for (int i = 0; i < 11; i++)
		pt_table_free(a, t[i], 0);
	destroy_all(a, mm);
}

/* A granule handed out again is zeroed: the pool was zeroed only once. */
static void test_reused_table_zeroed(void **state)
{
	struct mm *mm = make_mm(MEM_16M, KVER_4_19);
	struct pt_cfg cfg = { 0 };
	struct pt_alloc *a = make_pool(mm, &cfg);
	phys_addr_t t, again;

	(void)state;
	t = alloc_table(a);
	memset(mm_phys_write_ptr(mm, t, PT_TABLE_SIZE), 0x5a, PT_TABLE_SIZE);
	pt_table_free(a, t, 0);
	again = alloc_table(a);
	assert_int_equal(again, t);
	for (unsigned int off = 0; off < PT_TABLE_SIZE; off += 4)
		assert_int_equal(mm_phys_read32(mm, again + off), 0);
	pt_table_free(a, again, 0);
	destroy_all(a, mm);
}

/* Fill the zone in order-0 pages of @gfp, then give back every other one. */
static void fragment_dma32(struct mm *mm, gfp_t gfp)
{
	struct zone_info zi;

	background_alloc(mm, gfp | __GFP_MEMALLOC | GFP_DMA32, 0, 1u << 24, 0);
	background_free_alternate(mm, ZONE_DMA32, 0);
	mm_drain_pcp(mm);
	mm_zone_info(mm, ZONE_DMA32, &zi);
	for (int o = 1; o < MAX_ORDER; o++)
		assert_int_equal(zi.nr_free[o], 0);
	assert_true(zi.free_pages >= 1024);	/* enough memory, just not in one piece */
}

/*
 * No order-10 block: DMA32 half free, in single pages between unmovable ones.
 *   [U.U.U.U.U.U.U.U.U.U.U.U.U.U.U.U.U.U.U.U.]   U = unmovable background
 * Expect create to fail cleanly: NULL, the reason in err, nothing held.
 */
static void test_create_fails_when_fragmented(void **state)
{
	struct mm *mm = make_mm(MEM_16M, KVER_4_19);
	struct pt_cfg cfg = { 0 };
	char err[256] = "";

	(void)state;
	fragment_dma32(mm, 0);
	assert_null(pt_alloc_create(&pt_backend_genalloc_4m, mm, &cfg, err, sizeof(err)));
	assert_string_equal(err,
			    "genalloc-4m: no free order-10 block below 4 GiB for the 4 MiB pool");
	assert_int_equal(mm_held_pages_total(mm, OWNER_PT_BACKEND), 0);
	mm_check(mm);
	mm_destroy(mm);
}

/*
 * Creation may sleep (GFP_KERNEL): with the same holes between movable
 * pages (64 MiB, so compaction_suitable has the free pages it wants),
 * direct compaction makes the 4 MiB block.
 *   [M.M.M.M.M.M.M.M.M.M.M.M.M.M.M.M.M.M.M.M.]   M = movable background
 * Expect create to succeed after at least one compaction.
 */
static void test_create_compacts(void **state)
{
	struct mm *mm = make_mm(MEM_64M, KVER_4_19);
	struct pt_cfg cfg = { 0 };
	struct pt_alloc *a;
	struct mm_stats ms;

	(void)state;
	fragment_dma32(mm, __GFP_MOVABLE);
	a = make_pool(mm, &cfg);
	mm_get_stats(mm, &ms);
	assert_true(ms.compactions > 0);
	assert_int_equal(mm_held_blocks(mm, OWNER_PT_BACKEND, ZONE_DMA32, POOL_ORDER), 1);
	destroy_all(a, mm);
}

/*
 * genalloc_pool_bytes picks another power-of-two pool from 4 KiB to 4 MiB.
 * Expect 3 MiB, 2 KiB and 8 MiB refused with a reason and nothing held; a
 * 64 KiB pool is one order-4 block of 64 granules (metadata 4.19: chunk
 * 48 + 8 bytes -> kmalloc-128, plus kmalloc-128) and its 65th table fails.
 */
static void test_pool_size(void **state)
{
	static const uint64_t bad[] = { 3 * MIB_BYTES, 2 * KIB_BYTES, 8 * MIB_BYTES, 0x5000 };
	struct mm *mm = make_mm(MEM_16M, KVER_4_19);
	struct pt_cfg cfg = { 0 };
	struct pt_alloc_stats st;
	struct pt_alloc *a;
	phys_addr_t t[64], extra;

	(void)state;
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		char err[256] = "";

		cfg.genalloc_pool_bytes = bad[i];
		assert_null(pt_alloc_create(&pt_backend_genalloc_4m, mm, &cfg, err, sizeof(err)));
		assert_non_null(strstr(err, "power of two"));
		assert_null(strchr(err, '\n'));
		assert_int_equal(mm_held_pages_total(mm, OWNER_PT_BACKEND), 0);
	}
	cfg.genalloc_pool_bytes = 64 * KIB_BYTES;
	a = make_pool(mm, &cfg);
	assert_int_equal(cfg.slab_order, 4);
	assert_int_equal(cfg.slab_objects, 64);
	assert_int_equal(cfg.fixed_cost_bytes, 64 * KIB_BYTES);
	check_stats(a, &st);
	assert_int_equal(st.held_pages[ZONE_DMA32][4], 1);
	assert_int_equal(st.metadata_bytes, 128 + 128);
	for (int i = 0; i < 64; i++)
		t[i] = alloc_table(a);
	assert_int_equal(pt_table_alloc(a, GFP_ATOMIC, 0, &extra), -ENOMEM);
	for (int i = 0; i < 64; i++)
		pt_table_free(a, t[i], 0);
	destroy_all(a, mm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_takes_one_dma32_block),
		cmocka_unit_test(test_create_6_1_zone_dma),
		cmocka_unit_test(test_never_fails_until_full),
		cmocka_unit_test(test_pool_never_returned),
		cmocka_unit_test(test_first_fit),
		cmocka_unit_test(test_reused_table_zeroed),
		cmocka_unit_test(test_create_fails_when_fragmented),
		cmocka_unit_test(test_create_compacts),
		cmocka_unit_test(test_pool_size),
	};

	return cmocka_run_group_tests_name("genalloc", tests, NULL, NULL);
}
