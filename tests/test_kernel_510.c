// SPDX-License-Identifier: GPL-2.0
/*
 * test_kernel_510.c - the model's --kernel 5.10 against Debian 11's 5.10
 * (linux-source-5.10, 5.10.223; docs/kernel-facts.md, "Debian 11's 5.10"):
 * each rule where 5.10 differs from 5.4 or from 6.1, through the model that
 * follows it.  The oracle (tests/cli/test_oracle_510.sh, _arm64_510.sh) runs
 * the real kernel on the same machines.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "machine.h"

#include "gfp.h"
#include "kernel.h"
#include "mm.h"
#include "pcp.h"
#include "slub.h"
#include "v7s.h"
#include "watermark.h"

/* "5.10" names the version, between 5.4 and 6.1 in `list kernels`. */
static void test_name_and_order(void **state)
{
	enum kver k;

	(void)state;
	assert_int_equal(kver_parse("5.10", &k), 0);
	assert_int_equal(k, KVER_5_10);
	assert_string_equal(kver_name(KVER_5_10), "5.10");
	assert_true(KVER_5_4 < KVER_5_10 && KVER_5_10 < KVER_6_1);
	assert_int_equal(kver_parse("5.1", &k), -EINVAL);
}

/*
 * 5.10 mm/page_alloc.c zone_batchsize: managed / 1024 capped at 1 MiB of
 * pages ("But no more than a meg"), / 4, 2^n - 1; pageset_set_batch: high =
 * 6 * batch; only order 0 has per-CPU lists (free_unref_page).  On x86-3g1g's
 * DMA32 (about 757k managed pages): 256 / 4 = 64 -> 63 (5.4: 128 / 4 -> 31).
 * Freeing 600 pages then leaves between 5 x batch and 6 x batch on the list.
 */
static void test_pcp_batch_high_order0(void **state)
{
	struct mm *mm = test_machine("x86-3g1g", KVER_5_10, 2);
	struct mm *old = test_machine("x86-3g1g", KVER_5_4, 2);
	struct page *pages[600];
	struct zone_info zi;

	(void)state;
	mm_zone_info(old, ZONE_DMA32, &zi);
	assert_int_equal(zi.pcp_batch, 31);
	mm_zone_info(mm, ZONE_DMA32, &zi);
	assert_int_equal(zi.pcp_batch, 63);
	assert_true(pcp_allowed_order(mm, 0));
	assert_false(pcp_allowed_order(mm, 1));
	assert_false(pcp_allowed_order(mm, 3));
	for (unsigned int i = 0; i < 600; i++) {
		pages[i] = alloc_pages(mm, GFP_KERNEL | GFP_DMA32, 0, 1, OWNER_TEST);
		assert_non_null(pages[i]);
	}
	mm_drain_pcp(mm);
	for (unsigned int i = 0; i < 600; i++)
		free_pages(mm, pages[i], 0, 0);
	mm_zone_info(mm, ZONE_DMA32, &zi);
	assert_true(zi.pcp_pages < 6 * 63 && zi.pcp_pages >= 5 * 63);
	mm_check(mm);
	mm_destroy(mm);
	mm_destroy(old);
	/* the 1 MiB cap from 5.10 on (7.2's guest: DMA32 batch 63 in /proc/zoneinfo) */
	for (int k = 0; k < KVER_NR; k++)
		assert_int_equal(kernel_rules((enum kver)k)->pcp_batch_1m, k >= KVER_5_10);
}

/*
 * 5.10 mm/slub.c set_cpu_partial: 6 objects for a 1 KiB cache, counted in
 * objects (cpu_partial_slabs came in 5.16).
 */
static void test_slub_cpu_partial_objects(void **state)
{
	struct mm *mm = test_machine("mt8173-4g", KVER_5_10, 2);
	struct kmem_cache_cfg kcfg = {
		.name = "io-pgtable_armv7s_l2", .object_bytes = 1024, .align_bytes = 1024,
		.flags = SLAB_CACHE_DMA32, .kernel = KVER_5_10, .nr_cpus = 2,
	};
	char err[256];
	struct kmem_cache *s = kmem_cache_create(mm, &kcfg, err, sizeof(err));

	(void)state;
	assert_non_null(s);
	assert_int_equal(kmem_cache_cpu_partial(s), 6);
	assert_int_equal(kmem_cache_cpu_partial_slabs(s), 0);
	kmem_cache_destroy(s);
	mm_destroy(mm);
}

/*
 * 5.10 init_per_zone_wmark_min clamps at 262144 (6.1's table says 65536);
 * reserve_highatomic_pageblock's limit is managed / 100 + pageblock_nr_pages,
 * not ALIGNed (6.12).
 */
static void test_watermark_rules(void **state)
{
	const struct kernel_rules *r = kernel_rules(KVER_5_10);

	(void)state;
	assert_int_equal(r->min_free_kbytes_max, 262144);
	assert_false(r->highatomic_aligned_limit);
	assert_false(r->pcp_reclaim_cap);
	assert_false(r->pcp_free_factor);
	/* __zone_watermark_ok: ALLOC_HIGH halves, ALLOC_HARDER takes a quarter more */
	assert_false(wmark_non_block(KVER_5_10));
	assert_int_equal(wmark_gfp_atomic_flags(KVER_5_10), ALLOC_HIGH | ALLOC_HARDER);
	assert_int_equal(wmark_gfp_atomic(KVER_5_10, 12760), 4785);
}

/*
 * 5.10 include/linux/gfp.h numbers its bits as 6.1 does (___GFP_ZERO 0x100,
 * ___GFP_ATOMIC 0x200, ___GFP_KSWAPD_RECLAIM 0x800), not as ptbench's 4.19.
 */
static void test_gfp_bits(void **state)
{
	(void)state;
	assert_int_equal(gfp_kernel_value(GFP_ATOMIC, KVER_5_10), 0x20 | 0x200 | 0x800);
	assert_int_equal(gfp_kernel_value(GFP_ATOMIC | GFP_DMA32 | __GFP_ZERO, KVER_5_10),
			 gfp_kernel_value(GFP_ATOMIC | GFP_DMA32 | __GFP_ZERO, KVER_6_1));
	assert_int_equal(gfp_kernel_value(GFP_KERNEL, KVER_5_10), gfp_kernel_value(GFP_KERNEL, KVER_6_1));
}

/*
 * 5.10 page_frag (mm/page_alloc.c): bias PAGE_FRAG_CACHE_MAX_SIZE + 1, carving
 * downward, the order-3 try with the caller's reclaim bits; lib/genalloc.c
 * gen_pool_add_owner vzalloc_node; kmalloc of a power of two naturally
 * aligned (mm/slab_common.c create_boot_cache).
 */
static void test_allocator_rules(void **state)
{
	const struct kernel_rules *r = kernel_rules(KVER_5_10);

	(void)state;
	assert_true(r->page_frag_const_bias);
	assert_false(r->page_frag_carve_up);
	assert_false(r->page_frag_nodirect_high);
	assert_true(r->genalloc_vzalloc);
	assert_true(r->kmalloc_natural_align);
	assert_false(r->mtk_pgtlock);
	assert_false(r->trace_iova_range);
}

/*
 * 5.10 arch/arm64/mm/init.c zone_sizes_init: ZONE_DMA ends at max_zone_phys(32)
 * = 4 GiB when DRAM starts below it (zone_dma_bits = min3(32, dt, acpi)), as
 * ZONE_DMA32 does: on mt8173-4g GFP_DMA32 is served from ZONE_DMA.
 */
static void test_arm64_zone_dma(void **state)
{
	struct mm *mm = test_machine("mt8173-4g", KVER_5_10, 2);
	struct page *p;

	(void)state;
	assert_true(kernel_rules(KVER_5_10)->arm64_zone_dma);
	assert_int_equal(mm_gfp_zone_served(mm, GFP_DMA32), ZONE_DMA);
	p = alloc_pages(mm, GFP_KERNEL | GFP_DMA32, 0, 0, OWNER_TEST);
	assert_non_null(p);
	assert_int_equal(mm_held_blocks(mm, OWNER_TEST, ZONE_DMA, 0), 1);
	free_pages(mm, p, 0, 0);
	mm_destroy(mm);
}

/*
 * 5.10 drivers/iommu/io-pgtable-arm-v7s.c: L1 with GFP_DMA32, the L2 with the
 * map's gfp, arm_v7s_split_blk_unmap present: 6.1's configuration.
 */
static void test_v7s_rules(void **state)
{
	const struct v7s_rules *r = v7s_rules(KVER_5_10);
	struct v7s_cfg c510, c61;

	(void)state;
	assert_non_null(r);
	assert_true(r->l1_dma32);
	assert_true(r->l2_caller_gfp);
	assert_true(r->split);
	assert_int_equal(v7s_cfg_for(&c510, KVER_5_10, V7S_QUIRK_ARM_NS), 0);
	assert_int_equal(v7s_cfg_for(&c61, KVER_6_1, V7S_QUIRK_ARM_NS), 0);
	assert_memory_equal(&c510, &c61, sizeof(c510));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_and_order),
		cmocka_unit_test(test_pcp_batch_high_order0),
		cmocka_unit_test(test_slub_cpu_partial_objects),
		cmocka_unit_test(test_watermark_rules),
		cmocka_unit_test(test_gfp_bits),
		cmocka_unit_test(test_allocator_rules),
		cmocka_unit_test(test_arm64_zone_dma),
		cmocka_unit_test(test_v7s_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
