// SPDX-License-Identifier: GPL-2.0
/*
 * test_slab_reserve.c - the slab-dma32-reserve backend: the DMA32 cache
 * behind mempool_create_slab_pool(N, cache) (mm/mempool.c 6.1;
 * docs/kernel-facts.md, "mempool").
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
#define RESERVE 4u

static struct pt_alloc *make_reserve(struct mm *mm, unsigned int n, struct pt_cfg *cfg)
{
	char err[256] = "";
	struct pt_alloc *a;

	*cfg = (struct pt_cfg){ .kernel = mm_kernel(mm), .nr_cpus = mm_nr_cpus(mm), .reserve_objects = n };
	a = pt_alloc_create(pt_backend_find("slab-dma32-reserve"), mm, cfg, err, sizeof(err));
	if (!a)
		fail_msg("slab-dma32-reserve: %s", err);
	return a;
}

static void check_stats(struct pt_alloc *a, struct pt_alloc_stats *st)
{
	pt_alloc_stats(a, st);
	assert_int_equal(st->footprint_bytes, mm_held_pages_total(a->mm, OWNER_PT_BACKEND) * PAGE_SIZE);
	assert_int_equal(st->footprint_bytes, st->live_tables * PT_TABLE_SIZE + st->loss.align_bytes +
			 st->loss.tail_pad_bytes + st->loss.free_slot_bytes + st->loss.unused_pool_bytes);
}

/* Every free page of the machine to others: the cache cannot grow any more. */
static void exhaust_memory(struct mm *mm)
{
	background_alloc(mm, __GFP_MEMALLOC, 0, 1u << 24, 0);
	mm_drain_pcp(mm);
	background_alloc(mm, __GFP_MEMALLOC, 0, 1u << 24, 0);
	assert_int_equal(mm_zone_free_pages(mm, ZONE_DMA32), 0);
}

/*
 * mempool_init_node takes N objects up front; mempool_alloc tries the cache
 * first and takes from the reserve (last in, first out) only when the cache
 * fails; mempool_free refills the reserve before the cache gets anything.
 *   create          slab [r0 r1 r2 r3 . . . . . ...]   reserve {r0 r1 r2 r3}
 *   tables          slab [r0 r1 r2 r3 t  t  t ... t]   (slab's free objects first)
 *   memory gone     t = r3, r2, r1, r0, then -ENOMEM
 *   free 2 tables   reserve {x y}: back in the reserve, not in the slab
 * Expect 4 KiB of unused pool at creation, the reserve handed out in LIFO
 * order once the slab is full and the machine has no page, -ENOMEM after.
 */
static void test_reserve_after_cache(void **state)
{
	struct mm *mm = test_machine(MEM_16M, KVER_4_19, 1);
	struct pt_cfg cfg;
	struct pt_alloc *a = make_reserve(mm, RESERVE, &cfg);
	struct pt_alloc_stats st;
	phys_addr_t t[64], r[RESERVE], extra;
	unsigned int n = 0, in_slab;

	(void)state;
	assert_int_equal(cfg.fixed_cost_bytes, RESERVE * PT_TABLE_SIZE);
	check_stats(a, &st);
	assert_int_equal(st.loss.unused_pool_bytes, RESERVE * PT_TABLE_SIZE);
	assert_int_equal(st.live_tables, 0);
	exhaust_memory(mm);
	in_slab = (unsigned int)(st.loss.free_slot_bytes / PT_TABLE_SIZE);
	assert_true(in_slab > 0 && in_slab + RESERVE <= 64);
	/* the slab's free objects: the cache serves them, the reserve is untouched */
	for (; n < in_slab; n++)
		assert_int_equal(pt_table_alloc(a, GFP_ATOMIC, 0, &t[n]), 0);
	check_stats(a, &st);
	assert_int_equal(st.loss.unused_pool_bytes, RESERVE * PT_TABLE_SIZE);
	assert_int_equal(st.loss.free_slot_bytes, 0);
	/* the cache fails now: the reserve, last in first out */
	for (unsigned int i = 0; i < RESERVE; i++, n++) {
		assert_int_equal(pt_table_alloc(a, GFP_ATOMIC, 0, &t[n]), 0);
		r[i] = t[n];
	}
	assert_true(r[0] > r[RESERVE - 1]);
	assert_int_equal(pt_table_alloc(a, GFP_ATOMIC, 0, &extra), -ENOMEM);
	check_stats(a, &st);
	assert_int_equal(st.loss.unused_pool_bytes, 0);
	/* mempool_free: the reserve first */
	pt_table_free(a, t[0], 0);
	pt_table_free(a, t[1], 0);
	check_stats(a, &st);
	assert_int_equal(st.loss.unused_pool_bytes, 2 * PT_TABLE_SIZE);
	assert_int_equal(st.loss.free_slot_bytes, 0);
	assert_int_equal(pt_table_alloc(a, GFP_ATOMIC, 0, &extra), 0);
	assert_int_equal(extra, t[1]);
	pt_table_free(a, extra, 0);
	for (unsigned int i = 2; i < n; i++)
		pt_table_free(a, t[i], 0);
	/* full again: the rest went to the cache */
	check_stats(a, &st);
	assert_int_equal(st.loss.unused_pool_bytes, RESERVE * PT_TABLE_SIZE);
	assert_int_equal(st.live_tables, 0);
	pt_alloc_destroy(a);
	assert_int_equal(mm_held_pages_total(mm, OWNER_PT_BACKEND), 0);
	mm_check(mm);
	mm_destroy(mm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reserve_after_cache),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
