// SPDX-License-Identifier: GPL-2.0
/*
 * test_slub.c - the SLUB model and its three backends (slab-dma, slab-dma32,
 * kzalloc-dma32) against docs/kernel-facts.md, "SLUB" and "The regression,
 * zones and layouts".
 */
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


static struct pt_alloc *make_backend(const char *name, struct mm *mm, struct pt_cfg *cfg)
{
	char err[256];
	struct pt_alloc *a;

	cfg->kernel = mm_kernel(mm);
	cfg->nr_cpus = mm_nr_cpus(mm);
	a = pt_alloc_create(pt_backend_find(name), mm, cfg, err, sizeof(err));
	if (!a)
		fail_msg("%s: %s", name, err);
	return a;
}

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

/*
 * calculate_order() for a 1024/1024 cache: min_objects = 4 * (fls(nr) + 1),
 * fractions 16/8/4, slub_max_order 3 (docs/kernel-facts.md, "SLUB").
 */
static void test_slab_order_by_cpus(void **state)
{
	static const struct { unsigned int cpus, order, objects; } want[] = {
		{ 1, 1, 8 }, { 2, 2, 16 }, { 4, 2, 16 }, { 7, 2, 16 }, { 8, 3, 32 }, { 64, 3, 32 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		struct mm *mm = test_machine("mt8173-4g", KVER_4_19, want[i].cpus);
		struct pt_cfg cfg = { 0 };
		struct pt_alloc *a = make_backend("slab-dma32", mm, &cfg);

		assert_int_equal(slub_calculate_order(1024, want[i].cpus), want[i].order);
		assert_int_equal(cfg.slab_order, want[i].order);
		assert_int_equal(cfg.slab_objects, want[i].objects);
		assert_int_equal(cfg.object_bytes, 1024);
		pt_alloc_destroy(a);
		mm_destroy(mm);
	}
}

/* slub_debug=FZPU: 1024/1024 grows to 3072 B, order 3, 10 objects, still 1 KiB aligned. */
static void test_slub_debug_geometry(void **state)
{
	static const unsigned int cpus[] = { 1, 2, 4, 8 };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cpus); i++) {
		struct mm *mm = test_machine("mt8173-4g", KVER_4_19, cpus[i]);
		struct pt_cfg cfg = { .slub_debug = true };
		struct pt_alloc *a = make_backend("slab-dma32", mm, &cfg);
		struct kmem_cache *s = slab_backend_cache(a);
		phys_addr_t t[12];

		assert_int_equal(cfg.object_bytes, 3072);
		assert_int_equal(cfg.slab_order, 3);
		assert_int_equal(cfg.slab_objects, 10);
		assert_int_equal(kmem_cache_red_left_pad_bytes(s), 1024);
		assert_int_equal(kmem_cache_cpu_partial(s), 0);
		assert_int_equal(kmem_cache_min_partial(s), 5);
		for (int k = 0; k < 12; k++) {
			assert_int_equal(pt_table_alloc(a, GFP_ATOMIC, 0, &t[k]), 0);
			assert_true(IS_ALIGNED(t[k], 1024));
		}
		/* objects at 1024 + k * 3072 inside their slab */
		assert_int_equal(t[1] - t[0], 3072);
		assert_int_equal((t[0] & (SZ_4K * 8 - 1)), 1024);
		for (int k = 0; k < 12; k++)
			pt_table_free(a, t[k], 0);
		pt_alloc_destroy(a);
		mm_destroy(mm);
	}
}

/* set_min_partial and set_cpu_partial: 4.19 counts 6 objects, 5.16+ 24 objects = 3 slabs. */
static void test_partial_limits_per_version(void **state)
{
	struct mm *old = test_machine("mt8173-4g", KVER_4_19, 4);
	struct mm *new = test_machine("mt8173-4g", KVER_6_1, 4);
	struct kmem_cache *s_old = make_cache(old, SLAB_CACHE_DMA32);
	struct kmem_cache *s_new = make_cache(new, SLAB_CACHE_DMA32);

	(void)state;
	assert_int_equal(kmem_cache_min_partial(s_old), 5);
	assert_int_equal(kmem_cache_cpu_partial(s_old), 6);
	assert_int_equal(kmem_cache_cpu_partial_slabs(s_old), 0);
	assert_int_equal(kmem_cache_cpu_partial(s_new), 24);
	assert_int_equal(kmem_cache_cpu_partial_slabs(s_new), 3);
	kmem_cache_destroy(s_old);
	kmem_cache_destroy(s_new);
	mm_destroy(old);
	mm_destroy(new);
}

/*
 * __slab_free: an empty slab on the node list is discarded when the node
 * holds min_partial (5) partial slabs, the slab itself counted.
 *
 *   node partial: [S0 empty][S1 empty][S2 empty][S3 empty] + S4 emptying
 *   Expect S0..S3 kept (nr_partial 1..4 when each emptied), S4 and later
 *   discarded (nr_partial == 5 with themselves).
 *
 * slub_debug keeps the picture simple: no per-CPU slabs, so every slab
 * with a free object is on the node list.  Seven slabs of 10 objects, all
 * full, are emptied one after the other.
 */
static void test_empty_slab_kept_below_min_partial(void **state)
{
	struct mm *mm = test_machine("mt8173-4g", KVER_4_19, 4);
	struct kmem_cache *s = make_cache(mm, SLAB_CACHE_DMA32 | SLAB_DEBUG_FZPU);
	const struct kmem_cache_counts *c = kmem_cache_counts(s);
	phys_addr_t obj[70];

	(void)state;
	for (int i = 0; i < 70; i++)
		assert_int_equal(kmem_cache_alloc(s, GFP_ATOMIC, 0, SLUB_USER_TABLE, &obj[i]), 0);
	assert_int_equal(c->slabs, 7);
	assert_int_equal(c->nr_partial, 0);	/* all full: on no list */
	for (int slab = 0; slab < 7; slab++) {
		for (int i = 0; i < 10; i++)
			kmem_cache_free(s, obj[slab * 10 + i], 0);
		if (slab < 4) {
			assert_int_equal(c->slabs, 7);
			assert_int_equal(c->nr_partial, (uint64_t)slab + 1);
		} else {
			assert_int_equal(c->slabs, 7 - (slab - 3));
			assert_int_equal(c->nr_partial, 4);
		}
	}
	assert_int_equal(kmem_cache_empty_slabs(s), 4);
	/* kmem_cache_shrink ignores min_partial */
	kmem_cache_shrink(s);
	assert_int_equal(c->slabs, 0);
	assert_int_equal(mm_held_pages_total(mm, OWNER_PT_BACKEND), 0);
	kmem_cache_destroy(s);
	mm_destroy(mm);
}

/*
 * Empty slabs SLUB keeps after a burst: min_partial + nr_cpus x (1 active +
 * cpu_partial_slabs) at most.  Measured on the real 6.1 kernel (qemu, 2
 * CPUs, 320 allocs then 320 frees): 13 slabs = 5 + 2 x (1 + 3) when both
 * CPUs work, 7 when one does (its list is drained every third slab and ends
 * holding one).  On 4 CPUs the bound, 21, is reached when each CPU ends
 * with 3 slabs on its list and 5 went to the node (448 objects: 6 full
 * slabs + the active one per CPU); 320 objects leave 1 per list:
 * 5 + 4 x (1 + 1) = 13.
 * Expect the model to keep exactly as many, all empty.
 */
static void test_empty_slabs_after_burst_6_1(void **state)
{
	static const struct { unsigned int cpus, busy_cpus, objects; uint64_t slabs; } want[] = {
		{ 2, 1, 320, 7 }, { 2, 2, 320, 13 }, { 4, 4, 448, 21 }, { 4, 4, 320, 13 },
	};

	(void)state;
	for (size_t w = 0; w < ARRAY_SIZE(want); w++) {
		struct mm *mm = test_machine("x86-3g1g", KVER_6_1, want[w].cpus);
		struct kmem_cache *s = make_cache(mm, SLAB_CACHE_DMA32);
		const struct kmem_cache_counts *c = kmem_cache_counts(s);
		phys_addr_t obj[448];
		unsigned int n = want[w].busy_cpus;

		for (unsigned int i = 0; i < want[w].objects; i++)
			assert_int_equal(kmem_cache_alloc(s, GFP_ATOMIC, i % n, SLUB_USER_TABLE,
							  &obj[i]), 0);
		for (unsigned int i = 0; i < want[w].objects; i++)
			kmem_cache_free(s, obj[i], i % n);
		assert_int_equal(c->own_table_objects, 0);
		assert_int_equal(c->slabs, want[w].slabs);
		assert_int_equal(kmem_cache_empty_slabs(s), want[w].slabs);
		kmem_cache_destroy(s);
		assert_int_equal(mm_held_pages_total(mm, OWNER_PT_BACKEND), 0);
		mm_destroy(mm);
	}
}

/* SLUB's freelist is LIFO: a freed table is the next one handed out on that CPU. */
static void test_freed_object_reused_first(void **state)
{
	struct mm *mm = test_machine("mt8173-4g", KVER_4_19, 4);
	struct pt_cfg cfg = { 0 };
	struct pt_alloc *a = make_backend("slab-dma32", mm, &cfg);
	phys_addr_t t[20], again;

	(void)state;
	for (int i = 0; i < 20; i++)
		assert_int_equal(pt_table_alloc(a, GFP_ATOMIC, 0, &t[i]), 0);
	/* the first slab's objects come in address order */
	assert_int_equal(t[1], t[0] + 1024);
	pt_table_free(a, t[17], 0);
	assert_int_equal(pt_table_alloc(a, GFP_ATOMIC, 0, &again), 0);
	assert_int_equal(again, t[17]);
	assert_int_equal(a->reused_allocs, 1);
	for (int i = 0; i < 20; i++)
		pt_table_free(a, t[i], 0);
	pt_alloc_destroy(a);
	mm_destroy(mm);
}

/*
 * Frozen slabs are never discarded at free time: emptying the active slab
 * keeps it, whatever nr_partial is.
 */
static void test_frozen_slab_not_discarded(void **state)
{
	struct mm *mm = test_machine("mt8173-4g", KVER_4_19, 4);
	struct kmem_cache *s = make_cache(mm, SLAB_CACHE_DMA32);
	const struct kmem_cache_counts *c = kmem_cache_counts(s);
	phys_addr_t obj[4];

	(void)state;
	for (int i = 0; i < 4; i++)
		assert_int_equal(kmem_cache_alloc(s, GFP_ATOMIC, 1, SLUB_USER_TABLE, &obj[i]), 0);
	for (int i = 0; i < 4; i++)
		kmem_cache_free(s, obj[i], 2);
	assert_int_equal(c->slabs, 1);
	assert_int_equal(kmem_cache_empty_slabs(s), 1);
	kmem_cache_destroy(s);
	mm_destroy(mm);
}

/*
 * allocate_slab: the preferred order fails, the minimum order (0: 4
 * objects) with the caller's flags succeeds, ORDER_FALLBACK counted.
 *
 *   DMA32: [U.U.U.U.U.U.U. ...]  every other page held, the rest of the
 *          order-2+ blocks taken too (GFP_NOWAIT: no compaction)
 *   Expect an order-0 slab of 4 tables and one fallback.
 */
static void test_order_fallback(void **state)
{
	struct mm *mm = test_machine("mt8173-2g", KVER_4_19, 4);
	struct pt_cfg cfg = { 0 };
	struct pt_alloc *a = make_backend("slab-dma32", mm, &cfg);
	struct pt_alloc_stats st;
	phys_addr_t t[4];

	(void)state;
	background_alloc(mm, GFP_KERNEL | __GFP_DMA32, 0, UINT64_MAX, 0);
	assert_true(background_free_alternate(mm, ZONE_DMA32, 0) > 1000);
	background_alloc(mm, GFP_NOWAIT | __GFP_DMA32, 2, UINT64_MAX, 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(pt_table_alloc(a, GFP_ATOMIC, 0, &t[i]), 0);
	pt_alloc_stats(a, &st);
	assert_int_equal(st.fallbacks, 1);
	assert_int_equal(st.held_pages[ZONE_DMA32][0], 1);
	assert_int_equal(st.held_pages[ZONE_DMA32][2], 0);
	assert_int_equal(st.footprint_bytes, 4096);
	for (int i = 0; i < 4; i++)
		pt_table_free(a, t[i], 0);
	pt_alloc_destroy(a);
	mm_destroy(mm);
}

/*
 * The regression (4.19 arm64, mt8173-4g): SLAB_CACHE_DMA means ZONE_NORMAL,
 * which sits above 4 GiB.  Expect every slab-dma table above 4 GiB on 4.19
 * and 5.4, none from 5.5 (arm64 ZONE_DMA is back), and slab-dma32 never.
 */
static void test_slab_dma_regression(void **state)
{
	static const struct { const char *backend; enum kver k; bool above; } want[] = {
		{ "slab-dma", KVER_4_19, true }, { "slab-dma", KVER_5_4, true },
		{ "slab-dma", KVER_6_1, false }, { "slab-dma32", KVER_4_19, false },
		{ "slab-dma32", KVER_6_13, false },
	};

	(void)state;
	for (size_t w = 0; w < ARRAY_SIZE(want); w++) {
		struct mm *mm = test_machine("mt8173-4g", want[w].k, 4);
		struct pt_cfg cfg = { 0 };
		struct pt_alloc *a = make_backend(want[w].backend, mm, &cfg);
		phys_addr_t t[40];

		for (int i = 0; i < 40; i++) {
			assert_int_equal(pt_table_alloc(a, GFP_ATOMIC, i % 4, &t[i]), 0);
			assert_int_equal(t[i] >= SZ_4G, want[w].above);
		}
		assert_int_equal(a->above_4g, want[w].above ? 40 : 0);
		assert_int_equal(cfg.zone, want[w].above ? ZONE_NORMAL :
				 (want[w].k >= KVER_6_1 ? ZONE_DMA : ZONE_DMA32));
		for (int i = 0; i < 40; i++)
			pt_table_free(a, t[i], i % 4);
		pt_alloc_destroy(a);
		mm_destroy(mm);
	}
}

/*
 * kzalloc(SZ_1K, GFP_ATOMIC | GFP_DMA32) on 4.19 mt8173-4g: the new slab
 * prints "Unexpected gfp", the flag is stripped, and the slab comes from
 * ZONE_NORMAL (free, and first in GFP_KERNEL's zonelist) above 4 GiB.
 */
static void test_kzalloc_dma32_stripped(void **state)
{
	struct mm *mm = test_machine("mt8173-4g", KVER_4_19, 4);
	struct pt_cfg cfg = { 0 };
	struct pt_alloc *a = make_backend("kzalloc-dma32", mm, &cfg);
	struct pt_alloc_stats st;
	phys_addr_t t[16];

	(void)state;
	for (int i = 0; i < 16; i++) {
		assert_int_equal(pt_table_alloc(a, GFP_ATOMIC, 0, &t[i]), 0);
		assert_true(t[i] >= SZ_4G);
	}
	pt_alloc_stats(a, &st);
	/* one order-2 slab of 16: one warning, not one per table */
	assert_int_equal(st.unexpected_gfp_warnings, 1);
	assert_int_equal(st.held_pages[ZONE_NORMAL][2], 1);
	assert_string_equal(kmem_cache_last_warning(slab_backend_cache(a)),
			    "Unexpected gfp: 0x4 (GFP_DMA32). Fixing up to gfp: 0x488020 "
			    "(GFP_ATOMIC|__GFP_ZERO). Fix your code!");
	assert_int_equal(a->above_4g, 16);
	for (int i = 0; i < 16; i++)
		pt_table_free(a, t[i], 0);
	pt_alloc_destroy(a);
	mm_destroy(mm);
}

/*
 * The silent case seen on the real 6.1 kernel: with others' kmalloc-1k
 * slabs holding free objects, the first tables fit there - above 4 GiB,
 * with no warning at all.
 */
static void test_kzalloc_dma32_silent(void **state)
{
	struct mm *mm = test_machine("mt8173-4g", KVER_4_19, 4);
	struct pt_cfg cfg = { .shared_objects = 64 };
	struct pt_alloc *a = make_backend("kzalloc-dma32", mm, &cfg);
	struct pt_alloc_stats st;
	phys_addr_t t[8];

	(void)state;
	for (int i = 0; i < 8; i++) {
		assert_int_equal(pt_table_alloc(a, GFP_ATOMIC, i % 4, &t[i]), 0);
		assert_true(t[i] >= SZ_4G);
	}
	pt_alloc_stats(a, &st);
	assert_int_equal(st.unexpected_gfp_warnings, 0);
	assert_int_equal(st.footprint_bytes, 0);		/* no slab of its own */
	assert_int_equal(st.borrowed_table_bytes, 8 * 1024);
	for (int i = 0; i < 8; i++)
		pt_table_free(a, t[i], i % 4);
	pt_alloc_destroy(a);
	assert_int_equal(mm_held_pages_total(mm, OWNER_KMALLOC_OTHER), 0);
	mm_destroy(mm);
}

/*
 * kmalloc alignment: 4.19 arm64 kmalloc-1k is 128-aligned, so with
 * slub_debug objects are 1536 B and not 1 KiB aligned; 5.4 guarantees
 * natural alignment (3072 B, aligned).  The hypothetical DMA32 kmalloc
 * array puts tables below 4 GiB, warns never, and costs its metadata.
 */
static void test_kzalloc_alignment_and_fix(void **state)
{
	struct mm *old = test_machine("mt8173-4g", KVER_4_19, 4);
	struct mm *new = test_machine("mt8173-4g", KVER_5_4, 4);
	struct pt_cfg c_old = { .slub_debug = true }, c_new = { .slub_debug = true };
	struct pt_cfg c_fix = { .kmalloc_dma32_fix = true };
	struct pt_alloc *a_old = make_backend("kzalloc-dma32", old, &c_old);
	struct pt_alloc *a_new = make_backend("kzalloc-dma32", new, &c_new);
	phys_addr_t t_old[4], t_new[4];
	struct pt_alloc_stats st;

	(void)state;
	assert_int_equal(c_old.object_bytes, 1536);
	assert_int_equal(c_new.object_bytes, 3072);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pt_table_alloc(a_old, GFP_ATOMIC, 0, &t_old[i]), 0);
		assert_int_equal(pt_table_alloc(a_new, GFP_ATOMIC, 0, &t_new[i]), 0);
	}
	/* 128 + k * 1536 is never a multiple of 1024 */
	assert_int_equal(a_old->misaligned, 4);
	assert_int_equal(a_new->misaligned, 0);
	assert_int_equal(a_old->overlap, 0);
	for (int i = 0; i < 4; i++) {
		pt_table_free(a_old, t_old[i], 0);
		pt_table_free(a_new, t_new[i], 0);
	}
	pt_alloc_destroy(a_old);
	pt_alloc_destroy(a_new);
	mm_destroy(new);

	a_old = make_backend("kzalloc-dma32", old, &c_fix);
	assert_true(c_fix.fixed_cost_bytes > 0);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pt_table_alloc(a_old, GFP_ATOMIC, 0, &t_old[i]), 0);
		assert_true(t_old[i] < SZ_4G);
	}
	pt_alloc_stats(a_old, &st);
	assert_int_equal(st.unexpected_gfp_warnings, 0);
	for (int i = 0; i < 4; i++)
		pt_table_free(a_old, t_old[i], 0);
	pt_alloc_destroy(a_old);
	mm_destroy(old);
}

/* Impossible configurations are refused with a reason, not run. */
static void test_bad_configs(void **state)
{
	struct mm *mm = test_machine("mt8173-4g", KVER_4_19, 4);
	struct pt_cfg merge_debug = { .slab_merge = true, .slub_debug = true };
	struct pt_cfg private_shared = { .shared_objects = 10 };
	struct pt_cfg wrong_cpus = { .nr_cpus = 8 };
	char err[256] = "";

	(void)state;
	assert_null(pt_alloc_create(pt_backend_find("slab-dma32"), mm, &merge_debug, err, sizeof(err)));
	assert_non_null(strstr(err, "never merge"));
	assert_null(pt_alloc_create(pt_backend_find("slab-dma"), mm, &private_shared, err, sizeof(err)));
	assert_non_null(strstr(err, "slab_merge"));
	assert_null(pt_alloc_create(pt_backend_find("slab-dma32"), mm, &wrong_cpus, err, sizeof(err)));
	assert_non_null(strstr(err, "CPUs"));
	assert_int_equal(mm_held_pages_total(mm, OWNER_PT_BACKEND), 0);
	mm_destroy(mm);
}

/*
 * A merged cache (slab_merge: the L2 cache aliased to a same-flags cache
 * others use, seed 002's ":dt-0001024"): tables share slabs with others'
 * objects, so some of the memory the backend's slabs hold is not theirs.
 */
static void test_merged_cache_shares_slabs(void **state)
{
	struct mm *mm = test_machine("mt8173-4g", KVER_6_1, 4);
	struct pt_cfg cfg = { .slab_merge = true };
	struct pt_alloc *a = make_backend("slab-dma32", mm, &cfg);
	struct pt_alloc_stats st;
	phys_addr_t t[100];

	(void)state;
	assert_int_equal(cfg.shared_objects, 64);
	for (int i = 0; i < 100; i++)
		assert_int_equal(pt_table_alloc(a, GFP_ATOMIC, i % 4, &t[i]), 0);
	pt_alloc_stats(a, &st);
	/* the first tables went into free slots of others' slabs */
	assert_true(st.borrowed_table_bytes > 0);
	assert_int_equal(st.footprint_bytes + st.borrowed_table_bytes,
			 st.live_tables * 1024 + st.loss.align_bytes + st.loss.tail_pad_bytes +
			 st.loss.free_slot_bytes + st.shared_bytes);
	for (int i = 0; i < 100; i++)
		pt_table_free(a, t[i], i % 4);
	pt_alloc_destroy(a);
	assert_int_equal(mm_held_pages_total(mm, OWNER_PT_BACKEND), 0);
	assert_int_equal(mm_held_pages_total(mm, OWNER_KMALLOC_OTHER), 0);
	mm_destroy(mm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slab_order_by_cpus),
		cmocka_unit_test(test_slub_debug_geometry),
		cmocka_unit_test(test_partial_limits_per_version),
		cmocka_unit_test(test_empty_slab_kept_below_min_partial),
		cmocka_unit_test(test_empty_slabs_after_burst_6_1),
		cmocka_unit_test(test_freed_object_reused_first),
		cmocka_unit_test(test_frozen_slab_not_discarded),
		cmocka_unit_test(test_order_fallback),
		cmocka_unit_test(test_slab_dma_regression),
		cmocka_unit_test(test_kzalloc_dma32_stripped),
		cmocka_unit_test(test_kzalloc_dma32_silent),
		cmocka_unit_test(test_kzalloc_alignment_and_fix),
		cmocka_unit_test(test_bad_configs),
		cmocka_unit_test(test_merged_cache_shares_slabs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
