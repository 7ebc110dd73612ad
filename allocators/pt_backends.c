// SPDX-License-Identifier: GPL-2.0
/* pt_backends.c - the backends' names and kernel twins (pt_backends.h). */
#include "pt_backends.h"

const struct pt_backend_name pt_backend_names[PT_BACKEND_NR] = {
	/* 4.19 as released: its tables land above 4 GiB on arm64; no kernel twin */
	[PT_BACKEND_SLAB_DMA] = { .name = "slab-dma", .kernel_twin = false },
	[PT_BACKEND_SLAB_DMA32] = { .name = "slab-dma32", .kernel_twin = true },
	[PT_BACKEND_GENALLOC_4M] = { .name = "genalloc-4m", .kernel_twin = true },
	[PT_BACKEND_PAGE_FRAG] = { .name = "page-frag", .kernel_twin = true },
	[PT_BACKEND_KZALLOC_DMA32] = { .name = "kzalloc-dma32", .kernel_twin = true },
	[PT_BACKEND_PAGE_PER_TABLE] = { .name = "page-per-table", .kernel_twin = true },
	[PT_BACKEND_PT_FRAG] = { .name = "pt-frag", .kernel_twin = true },
	[PT_BACKEND_GENALLOC_GROW] = { .name = "genalloc-grow", .kernel_twin = true },
	[PT_BACKEND_SLAB_DMA32_RESERVE] = { .name = "slab-dma32-reserve", .kernel_twin = true },
};

/*
 * drivers/iommu/iommu-pages.h (2024, Pasha Tatashin; what generic IOMMU page
 * tables allocate from): iommu_alloc_pages_node(nid, gfp, order) is
 * alloc_pages_node(nid, gfp | __GFP_ZERO, order); iommu_alloc_pages_node_sz
 * (drivers/iommu/iommu-pages.c, later) takes a size and rounds it up with
 * get_order(), so a 1 KiB table is a whole zeroed order-0 page; later
 * versions also count it in NR_IOMMU_PAGES and NR_SECONDARY_PAGETABLE
 * (vmstat counters ptbench does not measure).  With the caller's gfp |
 * GFP_DMA32 that is page-per-table, page for page: one machine has one node.
 */
const struct pt_backend_alias pt_backend_aliases[PT_BACKEND_ALIAS_NR] = {
	{ .name = "iommu-pages", .id = PT_BACKEND_PAGE_PER_TABLE,
	  .why = "iommu_alloc_pages_node_sz(nid, gfp | GFP_DMA32, SZ_1K): a whole zeroed order-0 page" },
};

static bool same(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

enum pt_backend_id pt_backend_id_of(const char *name)
{
	unsigned int id;

	for (id = 0; id < PT_BACKEND_NR && !same(pt_backend_names[id].name, name); id++)
		;
	for (unsigned int i = 0; id == PT_BACKEND_NR && i < PT_BACKEND_ALIAS_NR; i++)
		if (same(pt_backend_aliases[i].name, name))
			id = pt_backend_aliases[i].id;
	return (enum pt_backend_id)id;
}

bool pt_grow_chunk_ok(unsigned long long bytes)
{
	return bytes >= PT_GROW_CHUNK_BYTES_MIN && bytes <= PT_GROW_CHUNK_BYTES_MAX &&
	       !(bytes & (bytes - 1));
}

unsigned int pt_grow_chunk_order(unsigned long long bytes)
{
	unsigned int order = 0;

	while ((PT_GROW_CHUNK_BYTES_MIN << order) < bytes)
		order++;
	return order;
}
