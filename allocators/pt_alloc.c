// SPDX-License-Identifier: GPL-2.0
/*
 * pt_alloc.c - the backend registry and the checks every table goes through.
 *
 * The shadow maps hold one bit per 1 KiB slot of the DRAM span: "a live table
 * covers this slot" and "a freed table once covered it".  With them overlap,
 * reuse, alignment and the 4 GiB limit are measured in one place, the same
 * way for every backend.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pt_alloc.h"

static const struct pt_backend *const backends[PT_BACKEND_NR] = {
	[PT_BACKEND_SLAB_DMA] = &pt_backend_slab_dma,
	[PT_BACKEND_SLAB_DMA32] = &pt_backend_slab_dma32,
	[PT_BACKEND_GENALLOC_4M] = &pt_backend_genalloc_4m,
	[PT_BACKEND_PAGE_FRAG] = &pt_backend_page_frag,
	[PT_BACKEND_KZALLOC_DMA32] = &pt_backend_kzalloc_dma32,
	[PT_BACKEND_PAGE_PER_TABLE] = &pt_backend_page_per_table,
	[PT_BACKEND_PT_FRAG] = &pt_backend_pt_frag,
	[PT_BACKEND_GENALLOC_GROW] = &pt_backend_genalloc_grow,
	[PT_BACKEND_SLAB_DMA32_RESERVE] = &pt_backend_slab_dma32_reserve,
};

const struct pt_backend *pt_backend_get(enum pt_backend_id id)
{
	if ((unsigned int)id >= PT_BACKEND_NR)
		return NULL;
	return backends[id];
}

const struct pt_backend *pt_backend_find(const char *name)
{
	return pt_backend_get(pt_backend_id_of(name));
}

static inline bool slot_test(const uint8_t *map, uint64_t slot)
{
	return map[slot >> 3] & (1u << (slot & 7));
}

/* Live slots of the page holding @slot: a nibble of live_map (4 slots per page). */
static unsigned int page_live_slots(const struct pt_alloc *a, uint64_t slot)
{
	uint64_t first = slot & ~(uint64_t)(PT_TABLES_PER_PAGE - 1);
	unsigned int n = 0;

	for (uint64_t s = first; s < first + PT_TABLES_PER_PAGE; s++)
		n += slot_test(a->live_map, s);
	return n;
}

static bool slot_in_backend_page(const struct pt_alloc *a, uint64_t slot)
{
	phys_addr_t phys = a->map_base_phys + (slot << PT_TABLE_SHIFT);

	return phys_to_page(a->mm, phys)->owner == OWNER_PT_BACKEND;
}

/* Pages the backend gains start with 4 free slots and must give them all back. */
static void backend_pages_hook(void *ctx, uint64_t pfn, unsigned int order, int sign)
{
	struct pt_alloc *a = ctx;
	uint64_t nr = 1ULL << order;

	if (sign > 0) {
		a->free_slots_pages[PT_TABLES_PER_PAGE] += nr;
		return;
	}
	for (uint64_t p = pfn; p < pfn + nr; p++) {
		uint64_t slot = (pfn_to_phys(p) - a->map_base_phys) >> PT_TABLE_SHIFT;

		/* a page going back with a live table in it is a backend bug */
		PTB_BUG_ON(page_live_slots(a, slot) != 0);
	}
	a->free_slots_pages[PT_TABLES_PER_PAGE] -= nr;
}

int pt_alloc_init(struct pt_alloc *a, const struct pt_backend *b,
		  const struct pt_alloc_ops *ops, struct mm *mm)
{
	struct zone_info first, last;
	uint64_t map_bytes;
	int z0 = -1, z1 = -1;

	memset(a, 0, sizeof(*a));
	a->backend = b;
	a->ops = ops;
	a->mm = mm;
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		if (!mm_zone_populated(mm, z))
			continue;
		if (z0 < 0)
			z0 = z;
		z1 = z;
	}
	PTB_BUG_ON(z0 < 0);
	mm_zone_info(mm, z0, &first);
	mm_zone_info(mm, z1, &last);
	a->map_base_phys = pfn_to_phys(first.start_pfn);
	a->map_slots = (pfn_to_phys(last.end_pfn) - a->map_base_phys) >> PT_TABLE_SHIFT;
	map_bytes = DIV_ROUND_UP(a->map_slots, 8);
	a->live_map = calloc(1, map_bytes);
	a->freed_map = calloc(1, map_bytes);
	if (!a->live_map || !a->freed_map) {
		pt_alloc_exit(a);
		return -ENOMEM;
	}
	mm_set_owner_hook(mm, OWNER_PT_BACKEND, backend_pages_hook, a);
	return 0;
}

void pt_alloc_exit(struct pt_alloc *a)
{
	if (a->mm)
		mm_set_owner_hook(a->mm, OWNER_PT_BACKEND, NULL, NULL);
	free(a->live_map);
	free(a->freed_map);
	a->live_map = a->freed_map = NULL;
}

struct pt_alloc *pt_alloc_create(const struct pt_backend *b, struct mm *mm,
				 struct pt_cfg *cfg, char *err, size_t err_bytes)
{
	struct pt_alloc *a = b->create(mm, cfg, err, err_bytes);

	if (a)
		a->table_phys_limit = cfg->table_phys_limit;
	return a;
}

void pt_alloc_destroy(struct pt_alloc *a)
{
	if (a)
		a->backend->destroy(a);
}

static inline void slot_set(uint8_t *map, uint64_t slot, bool on)
{
	if (on)
		map[slot >> 3] |= (uint8_t)(1u << (slot & 7));
	else
		map[slot >> 3] &= (uint8_t)~(1u << (slot & 7));
}

/* Set or clear a live slot, moving its page between free_slots_pages[] bins. */
static void slot_set_counted(struct pt_alloc *a, uint64_t slot, bool on)
{
	bool counted = slot_in_backend_page(a, slot);
	unsigned int live;

	if (slot_test(a->live_map, slot) == on)
		return;
	live = page_live_slots(a, slot);
	if (counted)
		a->free_slots_pages[PT_TABLES_PER_PAGE - live]--;
	slot_set(a->live_map, slot, on);
	if (counted)
		a->free_slots_pages[PT_TABLES_PER_PAGE - live + (on ? -1 : 1)]++;
}

/*
 * The 1 KiB slot a table at @phys is tracked by: the one it starts in.  A
 * misaligned table (4.19 kmalloc-1k with slub_debug: 1536-byte objects)
 * spills into the next slot, but two distinct objects never start in the
 * same slot because every object stride is at least 1 KiB; marking the
 * spilled slot too would report neighbours as overlapping.
 */
static void table_slots(const struct pt_alloc *a, phys_addr_t phys,
			uint64_t *first, uint64_t *nr)
{
	PTB_BUG_ON(phys < a->map_base_phys);
	*first = (phys - a->map_base_phys) >> PT_TABLE_SHIFT;
	*nr = 1;
	PTB_BUG_ON(*first + *nr > a->map_slots);
}

int pt_table_alloc(struct pt_alloc *a, gfp_t gfp, int cpu, phys_addr_t *out)
{
	uint64_t first, nr;
	bool reused = false, overlap = false;
	int ret;

	ret = a->ops->alloc_table(a, gfp, cpu, out);
	if (ret) {
		a->failures++;
		return ret;
	}
	a->allocs++;
	if (!IS_ALIGNED(*out, PT_TABLE_SIZE))
		a->misaligned++;
	if (*out + PT_TABLE_SIZE > (a->table_phys_limit ? a->table_phys_limit : SZ_4G))
		a->above_4g++;
	table_slots(a, *out, &first, &nr);
	for (uint64_t s = first; s < first + nr; s++) {
		overlap |= slot_test(a->live_map, s);
		reused |= slot_test(a->freed_map, s);
		slot_set_counted(a, s, true);
	}
	a->overlap += overlap;
	a->reused_allocs += reused;
	a->live_tables++;
	if (a->live_tables > a->peak_live_tables)
		a->peak_live_tables = a->live_tables;
	return 0;
}

void pt_table_free(struct pt_alloc *a, phys_addr_t table, int cpu)
{
	uint64_t first, nr;

	table_slots(a, table, &first, &nr);
	for (uint64_t s = first; s < first + nr; s++) {
		/* Freeing memory that holds no live table is a caller bug. */
		PTB_BUG_ON(!slot_test(a->live_map, s));
		slot_set_counted(a, s, false);
		slot_set(a->freed_map, s, true);
	}
	PTB_BUG_ON(a->live_tables == 0);
	a->live_tables--;
	a->frees++;
	a->ops->free_table(a, table, cpu);
	/*
	 * Host memory only: a page the freed table leaves all zero (its PTEs
	 * cleared by the unmaps) needs no content block while a backend keeps it
	 * (a slab, a page_frag page with stranded fragments): it reads the same.
	 */
	mm_phys_forget_zero(a->mm, table);
	mm_phys_forget_zero(a->mm, table + PT_TABLE_SIZE - 1);
}

void pt_alloc_stats(struct pt_alloc *a, struct pt_alloc_stats *out)
{
	memset(out, 0, sizeof(*out));
	a->ops->stats(a, out);
	out->live_tables = a->live_tables;
}

void pt_table_zero(struct mm *mm, phys_addr_t table)
{
	phys_addr_t end = table + PT_TABLE_SIZE;

	/* A misaligned table (4.19 kmalloc + slub_debug) may cross a page. */
	while (table < end) {
		size_t bytes = MIN(end, (table & PAGE_MASK) + PAGE_SIZE) - table;

		memset(mm_phys_write_ptr(mm, table, bytes), 0, bytes);
		table += bytes;
	}
}
