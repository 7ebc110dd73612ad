// SPDX-License-Identifier: GPL-2.0
/*
 * page_owner.c - who holds which blocks: counts per owner x zone x order,
 * kept at every allocation and free, and the per-owner hook a metric follows
 * one owner's pages with (the kernel's mm/page_owner.c records the allocator
 * of each page; here the owner is named by the caller).  Below the
 * allocator: it calls memmap.c only.
 */
#include "page_owner.h"

static const char *const owner_names[NR_PAGE_OWNERS] = {
	[OWNER_FREE] = "free",
	[OWNER_RESERVED] = "reserved",
	[OWNER_BOOT] = "boot",
	[OWNER_BACKGROUND] = "background",
	[OWNER_V7S_L1] = "v7s-l1",
	[OWNER_PT_BACKEND] = "pt-backend",
	[OWNER_KMALLOC_OTHER] = "kmalloc-other",
	[OWNER_TEST] = "test",
};

const char *page_owner_name(enum page_owner owner)
{
	return (unsigned int)owner < NR_PAGE_OWNERS ? owner_names[owner] : "?";
}

void mm_account(struct mm *mm, uint32_t idx, unsigned int order, enum page_owner owner, int sign)
{
	enum zone_type z = page_zonenum(mm, idx_page(mm, idx));

	if (sign > 0)
		mm->held[owner][z][order]++;
	else
		mm->held[owner][z][order]--;
	if (mm->owner_hook[owner])
		mm->owner_hook[owner](mm->owner_hook_ctx[owner], idx_pfn(mm, idx), order, sign);
}

void mm_set_owner_hook(struct mm *mm, enum page_owner owner, mm_owner_hook_t fn, void *ctx)
{
	mm->owner_hook[owner] = fn;
	mm->owner_hook_ctx[owner] = ctx;
}

uint64_t mm_held_blocks(const struct mm *mm, enum page_owner owner, enum zone_type z,
			unsigned int order)
{
	return mm->held[owner][z][order];
}

uint64_t mm_held_pages(const struct mm *mm, enum page_owner owner, enum zone_type z)
{
	uint64_t pages = 0;

	for (unsigned int o = 0; o < MAX_ORDER; o++)
		pages += mm->held[owner][z][o] << o;
	return pages;
}

uint64_t mm_held_pages_total(const struct mm *mm, enum page_owner owner)
{
	uint64_t pages = 0;

	for (int z = 0; z < MAX_NR_ZONES; z++)
		pages += mm_held_pages(mm, owner, z);
	return pages;
}
