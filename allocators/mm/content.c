// SPDX-License-Identifier: GPL-2.0
/*
 * content.c - the bytes of the simulated frames.  Only pages someone writes
 * get host memory, DATA_CHUNK_PAGES blocks at a time, so a 4 GiB machine
 * costs little; content survives free and reallocation as real memory does.
 * A page that reads as all zero needs no block (one never written reads so):
 * __GFP_ZERO and a free of an all-zero page give theirs back for reuse, so
 * the blocks held follow the pages with content now, not every page that
 * ever had some.  Below the allocator: it calls memmap.c only.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "content.h"

/* The host bytes of content block @data (a page's ->data, 1-based). */
static uint8_t *content_block(struct mm *mm, uint32_t data)
{
	uint64_t n = data - 1;

	return mm->data_chunks[n / DATA_CHUNK_PAGES] + (n % DATA_CHUNK_PAGES) * PAGE_SIZE;
}

void *mm_phys_write_ptr(struct mm *mm, phys_addr_t phys, size_t bytes)
{
	struct page *page = phys_to_page(mm, phys);

	PTB_BUG_ON(!page || (phys & ~PAGE_MASK) + bytes > PAGE_SIZE);
	if (!page->data && mm->data_free) {
		/* a block content_forget() gave back: zeroed, the page was never written */
		uint32_t data = mm->data_free;
		uint8_t *block = content_block(mm, data);

		memcpy(&mm->data_free, block, sizeof(mm->data_free));
		memset(block, 0, PAGE_SIZE);
		page->data = data;
	}
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
	return content_block(mm, page->data) + (phys & ~PAGE_MASK);
}

void content_forget(struct mm *mm, struct page *page)
{
	if (!page->data)
		return;
	memcpy(content_block(mm, page->data), &mm->data_free, sizeof(mm->data_free));
	mm->data_free = page->data;
	page->data = 0;
}

void content_forget_zero(struct mm *mm, struct page *page)
{
	static const uint8_t zero[PAGE_SIZE];

	if (page->data && !memcmp(content_block(mm, page->data), zero, PAGE_SIZE))
		content_forget(mm, page);
}

void mm_phys_read(struct mm *mm, phys_addr_t phys, void *buf, size_t bytes)
{
	struct page *page = phys_to_page(mm, phys);

	PTB_BUG_ON(!page || (phys & ~PAGE_MASK) + bytes > PAGE_SIZE);
	if (!page->data)
		memset(buf, 0, bytes);
	else
		memcpy(buf, content_block(mm, page->data) + (phys & ~PAGE_MASK), bytes);
}

uint32_t mm_phys_read32(struct mm *mm, phys_addr_t phys)
{
	struct page *page = phys_to_page(mm, phys);
	uint32_t v;

	/* one lookup a PTE: the walker reads every entry it passes */
	if (!page || !page->data)
		return 0;
	PTB_BUG_ON((phys & ~PAGE_MASK) + sizeof(v) > PAGE_SIZE);
	memcpy(&v, content_block(mm, page->data) + (phys & ~PAGE_MASK), sizeof(v));
	return v;
}

void mm_phys_forget_zero(struct mm *mm, phys_addr_t phys)
{
	struct page *page = phys_to_page(mm, phys);

	PTB_BUG_ON(!page);
	content_forget_zero(mm, page);
}


void content_release(struct mm *mm)
{
	for (uint64_t i = 0; i < mm->nr_data_chunks; i++)
		free(mm->data_chunks[i]);
	free(mm->data_chunks);
}

int content_copy(struct mm *mm, const struct mm *from)
{
	mm->data_chunks = calloc(from->nr_data_chunks ? from->nr_data_chunks : 1, sizeof(*mm->data_chunks));
	if (!mm->data_chunks)
		return -ENOMEM;
	for (uint64_t i = 0; i < from->nr_data_chunks; i++) {
		mm->data_chunks[i] = malloc(DATA_CHUNK_PAGES * PAGE_SIZE);
		if (!mm->data_chunks[i])
			return -ENOMEM;
		memcpy(mm->data_chunks[i], from->data_chunks[i], DATA_CHUNK_PAGES * PAGE_SIZE);
		mm->nr_data_chunks = i + 1;
	}
	mm->nr_data = from->nr_data;
	mm->data_free = from->data_free;
	return 0;
}
