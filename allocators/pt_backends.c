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
	return (enum pt_backend_id)id;
}
