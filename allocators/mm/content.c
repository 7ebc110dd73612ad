// SPDX-License-Identifier: GPL-2.0
/*
 * content.c - the bytes of the simulated frames.  Only pages someone writes
 * get host memory, DATA_CHUNK_PAGES blocks at a time, so a 4 GiB machine
 * costs little; content survives free and reallocation as real memory does.
 * Below the allocator: it calls memmap.c only.
 */
#include <stdlib.h>
#include <string.h>

#include "content.h"

void *mm_phys_write_ptr(struct mm *mm, phys_addr_t phys, size_t bytes)
{
	struct page *page = phys_to_page(mm, phys);
	uint64_t n;

	PTB_BUG_ON(!page || (phys & ~PAGE_MASK) + bytes > PAGE_SIZE);
	if (!page->data) {
		if (mm->nr_data % DATA_CHUNK_PAGES == 0) {
			uint8_t **chunks = realloc(mm->data_chunks,
						   (mm->nr_data_chunks + 1) * sizeof(*chunks));

			PTB_BUG_ON(!chunks);
			mm->data_chunks = chunks;
			chunks[mm->nr_data_chunks] = calloc(DATA_CHUNK_PAGES, PAGE_SIZE);
			PTB_BUG_ON(!chunks[mm->nr_data_chunks]);
			mm->nr_data_chunks++;
		}
		page->data = (uint32_t)++mm->nr_data;
	}
	n = page->data - 1;
	return mm->data_chunks[n / DATA_CHUNK_PAGES] + (n % DATA_CHUNK_PAGES) * PAGE_SIZE +
	       (phys & ~PAGE_MASK);
}

void mm_phys_read(struct mm *mm, phys_addr_t phys, void *buf, size_t bytes)
{
	struct page *page = phys_to_page(mm, phys);

	PTB_BUG_ON(!page || (phys & ~PAGE_MASK) + bytes > PAGE_SIZE);
	if (!page->data)
		memset(buf, 0, bytes);
	else
		memcpy(buf, mm_phys_write_ptr(mm, phys, bytes), bytes);
}

uint32_t mm_phys_read32(struct mm *mm, phys_addr_t phys)
{
	uint32_t v;

	mm_phys_read(mm, phys, &v, sizeof(v));
	return v;
}

void content_release(struct mm *mm)
{
	for (uint64_t i = 0; i < mm->nr_data_chunks; i++)
		free(mm->data_chunks[i]);
	free(mm->data_chunks);
}
