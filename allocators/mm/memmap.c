// SPDX-License-Identifier: GPL-2.0
/*
 * memmap.c - struct page <-> pfn <-> physical address, compound heads and the
 * zone a page is in (include/linux/mm.h, asm-generic/memory_model.h: the
 * flat memmap of CONFIG_FLATMEM).  Below the allocator: it calls nothing.
 */
#include "mmzone.h"

uint64_t page_to_pfn(const struct mm *mm, const struct page *page)
{
	return mm->base_pfn + (uint64_t)(page - mm->pages);
}

struct page *pfn_to_page(struct mm *mm, uint64_t pfn)
{
	if (pfn < mm->base_pfn || pfn - mm->base_pfn >= mm->nr_frames)
		return NULL;
	return &mm->pages[pfn - mm->base_pfn];
}

phys_addr_t page_to_phys(const struct mm *mm, const struct page *page)
{
	return pfn_to_phys(page_to_pfn(mm, page));
}

struct page *phys_to_page(struct mm *mm, phys_addr_t phys)
{
	return pfn_to_page(mm, phys >> PAGE_SHIFT);
}

struct page *compound_head(struct mm *mm, struct page *page)
{
	return (page->flags & PG_tail) ? &mm->pages[page->head] : page;
}

enum zone_type page_zonenum(const struct mm *mm, const struct page *page)
{
	return (enum zone_type)((page->flags >> PG_ZONE_SHIFT) & 3);
}
