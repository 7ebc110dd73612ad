// SPDX-License-Identifier: GPL-2.0
/*
 * memmap.c - the memmap and struct page <-> pfn <-> physical address,
 * compound heads and the zone a page is in (include/linux/mm.h).
 *
 * The memmap is one virtually contiguous array, as SPARSEMEM_VMEMMAP's is
 * (mm/sparse-vmemmap.c), in sections of whole MAX_ORDER blocks: a machine
 * started from a boot image (mm_start) reserves the host address range and
 * copies a section of the image's memmap in the first time it touches one
 * (idx_page), so a run holds host memory only for the part of the machine
 * it uses; the image alone holds all of it.  Until then the section stays
 * PROT_NONE: an access that bypassed idx_page faults rather than reading
 * zeroes.  Below the allocator: it calls nothing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "memmap.h"

/*
 * A section holds whole MAX_ORDER blocks (a block, its buddy and its tails
 * are in one section: pointer steps inside a block stay in it) and whole
 * host pages (mprotect's unit): 1024 frames with 4 KiB host pages.
 */
static unsigned int section_shift_for_host(void)
{
	long host_page_bytes = sysconf(_SC_PAGESIZE);
	unsigned int shift = MAX_ORDER - 1;

	if (host_page_bytes <= 0)
		host_page_bytes = 4096;
	while (((sizeof(struct page) << shift) % (size_t)host_page_bytes) != 0)
		shift++;
	return shift;
}

int memmap_init(struct mm *mm, const struct mm *image)
{
	uint64_t section_frames;
	size_t section_bytes;

	mm->section_shift = image ? image->section_shift : section_shift_for_host();
	section_frames = 1ULL << mm->section_shift;
	section_bytes = sizeof(struct page) << mm->section_shift;
	mm->section_skew = mm->base_pfn & (section_frames - 1);
	mm->nr_sections = (mm->section_skew + mm->nr_frames + section_frames - 1) >> mm->section_shift;
	mm->memmap_bytes = mm->nr_sections * section_bytes;
	mm->section_present = calloc(DIV_ROUND_UP(mm->nr_sections, 64), sizeof(uint64_t));
	if (!mm->section_present)
		return -ENOMEM;
	/* an image is written whole at boot; a started machine maps a section at first use */
	mm->memmap_base = mmap(NULL, mm->memmap_bytes, image ? PROT_NONE : PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mm->memmap_base == MAP_FAILED) {
		mm->memmap_base = NULL;
		return -ENOMEM;
	}
	mm->pages = (struct page *)mm->memmap_base + mm->section_skew;
	if (!image) {
		memset(mm->section_present, 0xff, DIV_ROUND_UP(mm->nr_sections, 64) * sizeof(uint64_t));
		mm->nr_present = mm->nr_sections;
	}
	return 0;
}

void memmap_release(struct mm *mm)
{
	if (mm->memmap_base)
		munmap(mm->memmap_base, mm->memmap_bytes);
	free(mm->section_present);
}

/*
 * Copy section @sec of the image in.  Host memory running out here is a
 * host failure in the middle of a model step, which cannot be undone: a bug.
 */
void memmap_populate(struct mm *mm, uint64_t sec)
{
	size_t section_bytes = sizeof(struct page) << mm->section_shift;
	char *dst = (char *)mm->memmap_base + sec * section_bytes;

	PTB_BUG_ON(sec >= mm->nr_sections || !mm->boot);
	PTB_BUG_ON(mprotect(dst, section_bytes, PROT_READ | PROT_WRITE) != 0);
	memcpy(dst, (const char *)mm->boot->mm->memmap_base + sec * section_bytes, section_bytes);
	mm->section_present[sec / 64] |= 1ULL << (sec % 64);
	mm->nr_present++;
}

uint64_t page_to_pfn(const struct mm *mm, const struct page *page)
{
	return mm->base_pfn + (uint64_t)(page - mm->pages);
}

struct page *pfn_to_page(struct mm *mm, uint64_t pfn)
{
	if (pfn < mm->base_pfn || pfn - mm->base_pfn >= mm->nr_frames)
		return NULL;
	return idx_page(mm, (uint32_t)(pfn - mm->base_pfn));
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
	return (page->flags & PG_tail) ? idx_page(mm, page->head) : page;
}

enum zone_type page_zonenum(const struct mm *mm, const struct page *page)
{
	(void)mm;
	return (enum zone_type)((page->flags >> PG_ZONE_SHIFT) & 3);
}
