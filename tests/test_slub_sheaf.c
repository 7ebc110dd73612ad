// SPDX-License-Identifier: GPL-2.0
/*
 * test_slub_sheaf.c - 7.2's per-CPU sheaves in the SLUB model
 * (allocators/slub_sheaf.c) against docs/kernel-facts.md, "SLUB sheaves (7.2)":
 * which caches have them and how many objects a sheaf holds, the refill from
 * the node list and new slabs, frees that stay in sheaves and the barn, the
 * barn's limit of 10 full sheaves, the flush at kmem_cache_shrink, and the
 * fallback to single objects when a refill fails.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "machine.h"

#include "pt_alloc.h"
#include "slab_backend.h"
#include "slub.h"
#include "slub_sheaf.h"

static struct kmem_cache *make_cache(struct mm *mm, unsigned int flags)
{
	struct kmem_cache_cfg kcfg = {
		.name = "io-pgtable_armv7s_l2", .object_bytes = 1024, .align_bytes = 1024,
		.flags = flags, .kernel = mm_kernel(mm), .nr_cpus = mm_nr_cpus(mm),
	};
	char err[256];
	struct kmem_cache *s = kmem_cache_create(mm, &kcfg, err, sizeof(err));

	if (!s)
		fail_msg("kmem_cache_create: %s", err);
	return s;
}

static phys_addr_t alloc_on(struct kmem_cache *s, int cpu)
{
	phys_addr_t obj = 0;

	assert_int_equal(kmem_cache_alloc(s, GFP_ATOMIC, cpu, SLUB_USER_TABLE, &obj), 0);
	return obj;
}

/*
 * calculate_sheaf_capacity(): 4 objects from a page up, 12 from 1 KiB, 26
 * from 256 B, else 60, each rounded up to fill a kmalloc size with the
 * 32-byte header: 12 x 8 + 32 = 128 (12), 26 x 8 + 32 = 240 -> 256 (28),
 * 60 x 8 + 32 = 512 (60), 4 x 8 + 32 = 64 (4).
 */
static void test_capacity(void **state)
{
	(void)state;
	assert_int_equal(slub_sheaf_capacity(4096), 4);
	assert_int_equal(slub_sheaf_capacity(2048), 12);
	assert_int_equal(slub_sheaf_capacity(1024), 12);
	assert_int_equal(slub_sheaf_capacity(256), 28);
	assert_int_equal(slub_sheaf_capacity(64), 60);
}

/*
 * Only 7.2, and there only without debug flags (SLAB_DEBUG_FLAGS: capacity
 * 0), has sheaves: the v7s cache (SLAB_CACHE_DMA32, no sheaf_capacity
 * asked) gets 12-object sheaves all the same.
 */
static void test_which_caches(void **state)
{
	static const struct { enum kver k; unsigned int flags, capacity; } want[] = {
		{ KVER_6_12, SLAB_CACHE_DMA32, 0 },
		{ KVER_6_13, SLAB_CACHE_DMA32, 0 },
		{ KVER_7_2, SLAB_CACHE_DMA32, 12 },
		{ KVER_7_2, SLAB_CACHE_DMA, 12 },
		{ KVER_7_2, SLAB_CACHE_DMA32 | SLAB_DEBUG_FZPU, 0 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		struct mm *mm = test_machine("mt8173-4g", want[i].k, 2);
		struct kmem_cache *s = make_cache(mm, want[i].flags);

		assert_int_equal(kmem_cache_sheaf_capacity(s), want[i].capacity);
		assert_int_equal(kernel_rules(want[i].k)->slub_sheaves, want[i].k == KVER_7_2);
		kmem_cache_destroy(s);
		mm_destroy(mm);
	}
}

/*
 * The first allocation refills an empty sheaf with 12 objects of a new
 * slab (2 CPUs: order 2, 16 objects), in freelist order, and hands out the
 * last one taken; the slab keeps 4 and goes to the node list's head.
 *   slab A: [0 1 2 ... 11 | 12 13 14 15]   sheaf: 0..10 left, 11 handed out
 * CPU 1's first allocation takes A's 4, then 8 of a new slab B (8 left,
 * B on the list), and hands out B's object 7.
 */
static void test_refill(void **state)
{
	struct mm *mm = test_machine("mt8173-4g", KVER_7_2, 2);
	struct kmem_cache *s = make_cache(mm, SLAB_CACHE_DMA32);
	const struct kmem_cache_counts *c = kmem_cache_counts(s);
	phys_addr_t a0, b7, next;

	(void)state;
	a0 = alloc_on(s, 0);
	assert_int_equal(c->slabs, 1);
	assert_int_equal(c->nr_partial, 1);
	assert_int_equal(kmem_cache_sheaf_objects(s), 11);
	assert_int_equal(a0 % (16 * 1024), 11 * 1024);
	next = alloc_on(s, 0);
	assert_int_equal(next, a0 - 1024);		/* object 10: the sheaf's top */
	b7 = alloc_on(s, 1);
	assert_int_equal(c->slabs, 2);
	assert_int_equal(c->nr_partial, 1);		/* A drained, B with 8 free */
	assert_int_equal(b7 % (16 * 1024), 7 * 1024);
	assert_int_equal(kmem_cache_sheaf_objects(s), 10 + 11);
	kmem_cache_free(s, a0, 0);
	kmem_cache_free(s, next, 0);
	kmem_cache_free(s, b7, 1);
	kmem_cache_destroy(s);
	mm_destroy(mm);
}

/*
 * Frees stay in sheaves: 120 objects (8 slabs) allocated and freed on CPU 0
 * leave every slab held, the objects in main, spare and 8 full sheaves in
 * the barn (under its limit of 10).  kmem_cache_shrink flushes them all
 * back and discards the 8 empty slabs.
 */
static void test_frees_stay_in_sheaves(void **state)
{
	struct mm *mm = test_machine("mt8173-4g", KVER_7_2, 2);
	struct kmem_cache *s = make_cache(mm, SLAB_CACHE_DMA32);
	const struct kmem_cache_counts *c = kmem_cache_counts(s);
	phys_addr_t obj[120];

	(void)state;
	for (int i = 0; i < 120; i++)
		obj[i] = alloc_on(s, 0);
	assert_int_equal(c->slabs, 8);
	for (int i = 0; i < 120; i++)
		kmem_cache_free(s, obj[i], 0);
	assert_int_equal(c->slabs, 8);
	assert_int_equal(kmem_cache_empty_slabs(s), 0);	/* every object sits in a sheaf */
	assert_int_equal(kmem_cache_sheaf_objects(s), 120);
	assert_int_equal(c->own_table_objects, 0);
	kmem_cache_shrink(s);
	assert_int_equal(kmem_cache_sheaf_objects(s), 0);
	assert_int_equal(c->slabs, 0);
	assert_int_equal(mm_held_pages_total(mm, OWNER_PT_BACKEND), 0);
	kmem_cache_destroy(s);
	mm_destroy(mm);
}

/*
 * The barn holds at most 10 full sheaves (MAX_FULL_SHEAVES).  160 objects
 * on CPU 0 take 14 refills (168 objects, 11 slabs of 16), leaving 8 in main.
 * Frees fill main, swap with the empty spare, then push full mains to the
 * barn: 136 frees reach main + spare + 10 x 12 = 144 cached objects; the
 * next free flushes the full spare to its slabs (-E2BIG in
 * barn_replace_full_sheaf): 12 objects back, 133 cached.
 */
static void test_barn_limit_flushes(void **state)
{
	struct mm *mm = test_machine("mt8173-4g", KVER_7_2, 2);
	struct kmem_cache *s = make_cache(mm, SLAB_CACHE_DMA32);
	const struct kmem_cache_counts *c = kmem_cache_counts(s);
	phys_addr_t obj[160];

	(void)state;
	for (int i = 0; i < 160; i++)
		obj[i] = alloc_on(s, 0);
	assert_int_equal(c->slabs, 11);
	assert_int_equal(kmem_cache_sheaf_objects(s), 8);
	for (int i = 0; i < 136; i++)
		kmem_cache_free(s, obj[i], 0);
	assert_int_equal(kmem_cache_sheaf_objects(s), 144);
	kmem_cache_free(s, obj[136], 0);
	assert_int_equal(kmem_cache_sheaf_objects(s), 144 + 1 - 12);
	for (int i = 137; i < 160; i++)
		kmem_cache_free(s, obj[i], 0);
	kmem_cache_destroy(s);
	mm_destroy(mm);
}

/*
 * A refill that cannot get 12 objects gives back what it got and the
 * allocation takes one object the old way (___slab_alloc).  One slab of 16
 * whose first refill took 12: those 12 handed out, DMA32 then taken to its
 * atomic watermark, so no new slab: the slab's last 4 objects still come out
 * one by one, and the 17th allocation fails.
 */
static void test_refill_failure_single(void **state)
{
	struct mm *mm = test_machine("mt8173-4g", KVER_7_2, 2);
	struct kmem_cache *s = make_cache(mm, SLAB_CACHE_DMA32);
	const struct kmem_cache_counts *c = kmem_cache_counts(s);
	phys_addr_t obj[17];

	(void)state;
	for (int i = 0; i < 12; i++)
		obj[i] = alloc_on(s, 0);
	assert_int_equal(c->nr_partial, 1);
	background_alloc(mm, GFP_ATOMIC | __GFP_DMA32, 0, UINT64_MAX, 0);
	for (int i = 12; i < 16; i++) {
		obj[i] = alloc_on(s, 0);
		assert_int_equal(kmem_cache_sheaf_objects(s), 0);
	}
	assert_int_equal(c->slabs, 1);
	assert_int_equal(c->nr_partial, 0);		/* the slab is full */
	assert_int_equal(kmem_cache_alloc(s, GFP_ATOMIC, 0, SLUB_USER_TABLE, &obj[16]), -ENOMEM);
	assert_int_equal(c->alloc_failures, 1);
	for (int i = 0; i < 16; i++)
		kmem_cache_free(s, obj[i], 0);
	kmem_cache_destroy(s);
	mm_destroy(mm);
}

/*
 * kzalloc(SZ_1K, GFP_ATOMIC | GFP_DMA32) on 7.2 (mt8173-4g): kmalloc-1k has
 * sheaves too (bootstrap_kmalloc_sheaves), so a new slab comes with a
 * refill: 16 tables take two refills, the second reaching a second new slab,
 * so two "Unexpected gfp" warnings where 4.19 prints one.  The refill's gfp
 * (| __GFP_NOMEMALLOC | __GFP_NOWARN) in 7.2's bits (include/linux/gfp_types.h:
 * HIGH 0x20, ZERO 0x100, KSWAPD_RECLAIM 0x800, NOWARN 0x2000, NOMEMALLOC
 * 0x80000, no __GFP_ATOMIC): 0x82920.  Every table above 4 GiB, as before.
 */
static void test_kzalloc_dma32_refills(void **state)
{
	static const char want[] = "Unexpected gfp: 0x4 (GFP_DMA32). Fixing up to gfp: 0x82920 (";
	struct mm *mm = test_machine("mt8173-4g", KVER_7_2, 4);
	struct pt_cfg cfg = { .kernel = KVER_7_2, .nr_cpus = 4 };
	char err[256];
	struct pt_alloc *a = pt_alloc_create(pt_backend_find("kzalloc-dma32"), mm, &cfg, err, sizeof(err));
	struct pt_alloc_stats st;
	phys_addr_t t[16];

	(void)state;
	if (!a)
		fail_msg("kzalloc-dma32: %s", err);
	for (int i = 0; i < 16; i++) {
		assert_int_equal(pt_table_alloc(a, GFP_ATOMIC, 0, &t[i]), 0);
		assert_true(t[i] >= SZ_4G);
	}
	pt_alloc_stats(a, &st);
	assert_int_equal(st.unexpected_gfp_warnings, 2);
	assert_int_equal(strncmp(kmem_cache_last_warning(slab_backend_cache(a)), want, sizeof(want) - 1), 0);
	for (int i = 0; i < 16; i++)
		pt_table_free(a, t[i], 0);
	pt_alloc_destroy(a);
	mm_destroy(mm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capacity),
		cmocka_unit_test(test_which_caches),
		cmocka_unit_test(test_refill),
		cmocka_unit_test(test_frees_stay_in_sheaves),
		cmocka_unit_test(test_barn_limit_flushes),
		cmocka_unit_test(test_refill_failure_single),
		cmocka_unit_test(test_kzalloc_dma32_refills),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
