// SPDX-License-Identifier: GPL-2.0
/*
 * test_mm_pages.c - the simulated machine's pages as memory (allocators/mm/):
 * content survives free until __GFP_ZERO, all-zero pages give their host memory
 * back, machines started from one boot stay apart, compound pages' refcounts,
 * the owner hook.  The page-allocator rules themselves are in test_mm.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "machine.h"

#include "mm.h"

/* Content survives free (like real memory) until __GFP_ZERO. */
static void test_page_content(void **state)
{
	struct mm *mm = test_machine_checked("dram=0x40000000-0x40800000:reserved=0,boot=0", KVER_4_19, 1);
	struct page *p = alloc_pages(mm, GFP_KERNEL | GFP_DMA32, 2, 0, OWNER_TEST);
	phys_addr_t phys = page_to_phys(mm, p);

	(void)state;
	assert_int_equal(mm_phys_read32(mm, phys + 4096), 0);
	*(uint32_t *)mm_phys_write_ptr(mm, phys + 4096, 4) = 0xdeadbeef;
	assert_int_equal(mm_phys_read32(mm, phys + 4096), 0xdeadbeef);
	free_pages(mm, p, 2, 0);
	p = alloc_pages(mm, GFP_KERNEL | GFP_DMA32, 2, 0, OWNER_TEST);
	assert_int_equal(page_to_phys(mm, p), phys);
	assert_int_equal(mm_phys_read32(mm, phys + 4096), 0xdeadbeef);
	free_pages(mm, p, 2, 0);
	p = alloc_pages(mm, GFP_KERNEL | GFP_DMA32 | __GFP_ZERO, 2, 0, OWNER_TEST);
	assert_int_equal(mm_phys_read32(mm, phys + 4096), 0);
	mm_destroy(mm);
}

/*
 * Host memory only: a page that reads all zero gives its content block back
 * for another page (mm_phys_forget_zero, a free, __GFP_ZERO); one that does
 * not keeps it.  Expect 65 pages written one after the other, each zeroed
 * and forgotten before the next, to fit in the first 64-block chunk.
 */
static void test_content_forget_zero(void **state)
{
	struct mm *mm = test_machine_checked("dram=0x40000000-0x40800000:reserved=0,boot=0", KVER_4_19, 1);
	struct page *p = alloc_pages(mm, GFP_KERNEL | GFP_DMA32, 7, 0, OWNER_TEST);
	phys_addr_t phys = page_to_phys(mm, p);
	uint64_t one_chunk;

	(void)state;
	*(uint32_t *)mm_phys_write_ptr(mm, phys, 4) = 1;
	one_chunk = mm_host_bytes(mm);
	mm_phys_forget_zero(mm, phys);		/* not zero: kept */
	assert_int_equal(mm_phys_read32(mm, phys), 1);
	for (int i = 0; i < 65; i++) {
		phys_addr_t page = phys + (uint64_t)(i + 1) * PAGE_SIZE;

		*(uint32_t *)mm_phys_write_ptr(mm, page + 8, 4) = 7;
		assert_int_equal(mm_phys_read32(mm, page + 8), 7);
		*(uint32_t *)mm_phys_write_ptr(mm, page + 8, 4) = 0;
		mm_phys_forget_zero(mm, page);
		assert_int_equal(mm_phys_read32(mm, page + 8), 0);
	}
	assert_int_equal(mm_host_bytes(mm), one_chunk);
	/* a reused block reads zero where the page before it wrote */
	assert_int_equal(mm_phys_read32(mm, phys + 2 * PAGE_SIZE + 8), 0);
	*(uint32_t *)mm_phys_write_ptr(mm, phys + 2 * PAGE_SIZE + 12, 4) = 3;
	assert_int_equal(mm_phys_read32(mm, phys + 2 * PAGE_SIZE + 8), 0);
	assert_int_equal(mm_phys_read32(mm, phys + 2 * PAGE_SIZE + 12), 3);
	assert_int_equal(mm_phys_read32(mm, phys), 1);
	free_pages(mm, p, 7, 0);
	/* freed, the non-zero content survives; __GFP_ZERO then reads zero */
	p = alloc_pages(mm, GFP_KERNEL | GFP_DMA32, 7, 0, OWNER_TEST);
	assert_int_equal(page_to_phys(mm, p), phys);
	assert_int_equal(mm_phys_read32(mm, phys), 1);
	assert_int_equal(mm_phys_read32(mm, phys + 2 * PAGE_SIZE + 12), 3);
	free_pages(mm, p, 7, 0);
	p = alloc_pages(mm, GFP_KERNEL | GFP_DMA32 | __GFP_ZERO, 7, 0, OWNER_TEST);
	assert_int_equal(mm_phys_read32(mm, phys), 0);
	assert_int_equal(mm_phys_read32(mm, phys + 2 * PAGE_SIZE + 12), 0);
	assert_int_equal(mm_host_bytes(mm), one_chunk);
	mm_check(mm);
	mm_destroy(mm);
}

/* The same steps on one machine: allocations, background frees, a pressure-like fill. */
static void machine_steps(struct mm *mm, uint64_t out[8])
{
	enum zone_type z = mm_gfp_zone_served(mm, GFP_DMA32);	/* 6.1 arm64: ZONE_DMA */
	struct page *p[4];

	for (int i = 0; i < 4; i++)
		p[i] = alloc_pages(mm, (i & 1 ? GFP_ATOMIC : GFP_KERNEL) | GFP_DMA32, (unsigned int)i, i % 4,
				   OWNER_TEST);
	out[0] = page_to_pfn(mm, p[0]);
	out[1] = page_to_pfn(mm, p[3]);
	out[2] = background_free(mm, MIGRATE_MOVABLE, 5000, 1);
	out[3] = background_alloc_zone(mm, z, GFP_HIGHUSER_MOVABLE | GFP_DMA32, 2, 3000, 2);
	out[4] = background_held_pages(mm, MIGRATE_MOVABLE);
	out[5] = mm_zone_free_pages(mm, z);
	for (int i = 0; i < 4; i++)
		free_pages(mm, p[i], (unsigned int)i, 0);
	out[6] = mm_zone_free_pages(mm, z);
	out[7] = mm_held_pages_total(mm, OWNER_BACKGROUND);
	mm_check(mm);
}

/*
 * Machines started from one boot image (mm_boot, mm_start) are each the
 * booted machine, apart: what one changes (pages, the background lists) the
 * others and the image never see, and each behaves exactly as a machine
 * booted on its own.  Expect a started machine to hold little host memory
 * (sections copied at first use), and the image to outlive its own put.
 */
static void test_boot_image_shared(void **state)
{
	struct mm_cfg cfg;
	char err[256];
	struct mm_boot *boot;
	struct mm *a, *b, *own;
	uint64_t ra[8], rb[8], rown[8];
	uint64_t held_before;

	(void)state;
	mm_cfg_default(&cfg);
	cfg.kernel = KVER_6_1;
	boot = mm_boot(&cfg, err, sizeof(err));
	assert_non_null(boot);
	a = mm_start(boot, err, sizeof(err));
	b = mm_start(boot, err, sizeof(err));
	assert_non_null(a);
	assert_non_null(b);
	mm_boot_put(boot);			/* a and b keep it */
	assert_true(mm_host_bytes(a) < 1 * MIB_BYTES);
	mm_check(a);				/* reads the image where nothing is copied */
	held_before = background_held_pages(b, MIGRATE_MOVABLE);
	machine_steps(a, ra);
	assert_true(ra[2] > 0 && ra[3] > 0);
	/* b is still the booted machine */
	assert_int_equal(background_held_pages(b, MIGRATE_MOVABLE), held_before);
	mm_check(b);
	machine_steps(b, rb);
	own = test_machine("mt8173-4g", KVER_6_1, 4);
	machine_steps(own, rown);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(ra[i], rb[i]);
		assert_int_equal(ra[i], rown[i]);
	}
	/* what it touched is a part of the 28 MiB memmap and the background lists */
	assert_true(mm_host_bytes(a) < 8 * MIB_BYTES);
	mm_destroy(a);
	mm_destroy(own);
	mm_check(b);
	mm_destroy(b);				/* the image goes with the last */
}

/* Compound pages: put_page on a tail frees the whole block at the last reference. */
static void test_compound_refcount(void **state)
{
	struct mm *mm = test_machine_checked("dram=0x40000000-0x40800000:reserved=0,boot=0", KVER_4_19, 1);
	struct page *p = alloc_pages(mm, GFP_ATOMIC | GFP_DMA32 | __GFP_COMP, 3, 0, OWNER_TEST);
	struct page *tail = pfn_to_page(mm, page_to_pfn(mm, p) + 5);

	(void)state;
	assert_ptr_equal(compound_head(mm, tail), p);
	page_ref_add(p, 2);
	put_page(mm, tail, 0);
	put_page(mm, tail, 0);
	assert_int_equal(mm_held_pages_total(mm, OWNER_TEST), 8);
	put_page(mm, tail, 0);
	assert_int_equal(mm_held_pages_total(mm, OWNER_TEST), 0);
	mm_check(mm);
	mm_destroy(mm);
}

static void count_hook(void *ctx, uint64_t pfn, unsigned int order, int sign)
{
	int64_t *pages = ctx;

	(void)pfn;
	*pages += sign * (int64_t)(1u << order);
}

/* The owner hook sees every block the owner gains and gives back. */
static void test_owner_hook(void **state)
{
	struct mm *mm = test_machine_checked("dram=0x40000000-0x40800000:reserved=0,boot=0", KVER_4_19, 1);
	int64_t pages = 0;
	struct page *a, *b;

	(void)state;
	mm_set_owner_hook(mm, OWNER_TEST, count_hook, &pages);
	a = alloc_pages(mm, GFP_KERNEL | GFP_DMA32, 2, 0, OWNER_TEST);
	b = alloc_pages(mm, GFP_KERNEL | GFP_DMA32, 0, 0, OWNER_TEST);
	alloc_pages(mm, GFP_KERNEL | GFP_DMA32, 0, 0, OWNER_BACKGROUND);
	assert_int_equal(pages, 5);
	free_pages(mm, a, 2, 0);
	assert_int_equal(pages, 1);
	free_pages(mm, b, 0, 0);
	assert_int_equal(pages, 0);
	mm_destroy(mm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_page_content),
		cmocka_unit_test(test_content_forget_zero),
		cmocka_unit_test(test_boot_image_shared),
		cmocka_unit_test(test_compound_refcount),
		cmocka_unit_test(test_owner_hook),
	};

	return cmocka_run_group_tests_name("mm_pages", tests, NULL, NULL);
}
