// SPDX-License-Identifier: GPL-2.0
/*
 * test_genalloc_grow.c - the genalloc-grow backend: lib/genalloc.c's pool
 * (gen_pool.c, shared with genalloc-4m) that adds a chunk from the map path
 * when full and never removes one (docs/kernel-facts.md, "genalloc").
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

/* 16 MiB of DRAM at 1 GiB (ZONE_DMA32 on 4.19), nothing reserved or used at boot. */
#define MEM_16M "dram=0x40000000-0x41000000:reserved=0,boot=0"
#define CHUNK_BYTES (32 * KIB_BYTES)
#define CHUNK_TABLES (CHUNK_BYTES / PT_TABLE_SIZE)	/* 32 */

static struct pt_alloc *make_grow(struct mm *mm, uint64_t chunk_bytes, struct pt_cfg *cfg)
{
	char err[256] = "";
	struct pt_alloc *a;

	*cfg = (struct pt_cfg){ .kernel = mm_kernel(mm), .nr_cpus = mm_nr_cpus(mm),
				.genalloc_grow_chunk_bytes = chunk_bytes };
	a = pt_alloc_create(pt_backend_find("genalloc-grow"), mm, cfg, err, sizeof(err));
	if (!a)
		fail_msg("genalloc-grow: %s", err);
	return a;
}

static uint64_t footprint(struct pt_alloc *a, struct pt_alloc_stats *st)
{
	pt_alloc_stats(a, st);
	assert_int_equal(st->footprint_bytes, mm_held_pages_total(a->mm, OWNER_PT_BACKEND) * PAGE_SIZE);
	assert_int_equal(st->footprint_bytes, st->live_tables * PT_TABLE_SIZE + st->loss.unused_pool_bytes);
	return st->footprint_bytes;
}

static void destroy_all(struct pt_alloc *a, struct mm *mm)
{
	pt_alloc_destroy(a);
	assert_int_equal(mm_held_pages_total(mm, OWNER_PT_BACKEND), 0);
	mm_check(mm);
	mm_destroy(mm);
}

/*
 * One 32 KiB chunk at creation; the 33rd table adds a second one, walked
 * first from then on (gen_pool_add's list_add_rcu); nothing goes back:
 *   create        [c0: ................................]              32 KiB
 *   32 tables     [c0: tttttttttttttttttttttttttttttttt]              32 KiB
 *   33rd, 34th    [c1: tt..............................] [c0: full]   64 KiB
 *   all freed     [c1: ................................] [c0: empty]  64 KiB
 * Expect one order-3 DMA32 block at creation and no page allocator call for
 * the first 32 tables, then one more block; t32, t33 at c1's start; the
 * footprint at 64 KiB with no table left, all of it unused pool.
 */
static void test_grows_by_one_chunk_never_shrinks(void **state)
{
	struct mm *mm = test_machine(MEM_16M, KVER_4_19, 4);
	struct pt_cfg cfg;
	struct pt_alloc *a = make_grow(mm, 0, &cfg);
	struct pt_alloc_stats st;
	struct mm_stats before, after;
	phys_addr_t t[CHUNK_TABLES + 2], c0;

	(void)state;
	assert_int_equal(cfg.zone, ZONE_DMA32);
	assert_int_equal(cfg.slab_order, 3);
	assert_int_equal(cfg.slab_objects, CHUNK_TABLES);
	assert_int_equal(cfg.fixed_cost_bytes, CHUNK_BYTES);
	assert_int_equal(footprint(a, &st), CHUNK_BYTES);
	assert_int_equal(st.held_pages[ZONE_DMA32][3], 1);
	/* 4.19: struct gen_pool in kmalloc-128, the chunk's 48 + 8 bytes in kmalloc-128 */
	assert_int_equal(st.metadata_bytes, 128 + 128);
	mm_get_stats(mm, &before);
	for (unsigned int i = 0; i < CHUNK_TABLES; i++)
		assert_int_equal(pt_table_alloc(a, GFP_ATOMIC, 0, &t[i]), 0);
	mm_get_stats(mm, &after);
	assert_int_equal(after.allocs, before.allocs);
	c0 = t[0];
	assert_int_equal(t[CHUNK_TABLES - 1], c0 + CHUNK_BYTES - PT_TABLE_SIZE);
	assert_int_equal(pt_table_alloc(a, GFP_ATOMIC, 0, &t[CHUNK_TABLES]), 0);
	assert_int_equal(pt_table_alloc(a, GFP_ATOMIC, 0, &t[CHUNK_TABLES + 1]), 0);
	assert_true(t[CHUNK_TABLES] < c0 || t[CHUNK_TABLES] >= c0 + CHUNK_BYTES);
	assert_true(IS_ALIGNED(t[CHUNK_TABLES], CHUNK_BYTES));
	assert_int_equal(t[CHUNK_TABLES + 1], t[CHUNK_TABLES] + PT_TABLE_SIZE);
	assert_int_equal(footprint(a, &st), 2 * CHUNK_BYTES);
	assert_int_equal(st.held_pages[ZONE_DMA32][3], 2);
	assert_int_equal(st.metadata_bytes, 128 + 2 * 128);
	for (unsigned int i = 0; i < CHUNK_TABLES + 2; i++)
		pt_table_free(a, t[i], 0);
	pt_alloc_shrink(a, 0);
	assert_int_equal(footprint(a, &st), 2 * CHUNK_BYTES);
	assert_int_equal(st.loss.unused_pool_bytes, 2 * CHUNK_BYTES);
	destroy_all(a, mm);
}

/* Fill DMA32 in order-0 unmovable pages, then give back every other one. */
static void fragment_dma32(struct mm *mm)
{
	struct zone_info zi;

	background_alloc(mm, __GFP_MEMALLOC | GFP_DMA32, 0, 1u << 24, 0);
	background_free_alternate(mm, ZONE_DMA32, 0);
	mm_drain_pcp(mm);
	mm_zone_info(mm, ZONE_DMA32, &zi);
	for (int o = 1; o < MAX_ORDER; o++)
		assert_int_equal(zi.nr_free[o], 0);
}

/*
 * Growing takes the caller's gfp: GFP_ATOMIC with free memory only in single
 * pages between unmovable ones gets no order-3 block, so the map fails; a
 * 4 KiB chunk (order 0) grows in the same holes.
 *   DMA32 [U.U.U.U.U.U.U.U.U.U.U.U.U.U.U.]   U = unmovable background
 * Expect -ENOMEM and 32 KiB held with 32 KiB chunks; success and 8 KiB held
 * with 4 KiB chunks (4 tables a chunk, the 5th table in a second one).
 */
static void test_atomic_grow_needs_a_chunk_sized_block(void **state)
{
	(void)state;
	for (int small = 0; small <= 1; small++) {
		uint64_t chunk_bytes = small ? PAGE_SIZE : CHUNK_BYTES;
		unsigned int tables = (unsigned int)(chunk_bytes / PT_TABLE_SIZE);
		struct mm *mm = test_machine(MEM_16M, KVER_4_19, 4);
		struct pt_cfg cfg;
		struct pt_alloc *a = make_grow(mm, chunk_bytes, &cfg);
		struct pt_alloc_stats st;
		phys_addr_t t[CHUNK_TABLES + 1];

		for (unsigned int i = 0; i < tables; i++)
			assert_int_equal(pt_table_alloc(a, GFP_ATOMIC, 0, &t[i]), 0);
		fragment_dma32(mm);
		assert_int_equal(pt_table_alloc(a, GFP_ATOMIC, 0, &t[tables]), small ? 0 : -ENOMEM);
		assert_int_equal(footprint(a, &st), small ? 2 * chunk_bytes : chunk_bytes);
		for (unsigned int i = 0; i < tables + (unsigned int)small; i++)
			pt_table_free(a, t[i], 0);
		destroy_all(a, mm);
	}
}

/* --genalloc-grow-chunk: a power of two from 4 KiB to 4 MiB, or a one-line reason. */
static void test_chunk_size(void **state)
{
	struct mm *mm = test_machine(MEM_16M, KVER_4_19, 4);
	struct pt_cfg cfg = { .kernel = KVER_4_19, .nr_cpus = 4, .genalloc_grow_chunk_bytes = 48 * KIB_BYTES };
	char err[256] = "";

	(void)state;
	assert_null(pt_alloc_create(&pt_backend_genalloc_grow, mm, &cfg, err, sizeof(err)));
	assert_string_equal(err, "genalloc-grow: chunk size 49152 bytes is not a power of two "
				 "from 4 KiB to 4 MiB");
	cfg.genalloc_grow_chunk_bytes = 8 * MIB_BYTES;
	assert_null(pt_alloc_create(&pt_backend_genalloc_grow, mm, &cfg, err, sizeof(err)));
	assert_int_equal(mm_held_pages_total(mm, OWNER_PT_BACKEND), 0);
	mm_destroy(mm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grows_by_one_chunk_never_shrinks),
		cmocka_unit_test(test_atomic_grow_needs_a_chunk_sized_block),
		cmocka_unit_test(test_chunk_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
