// SPDX-License-Identifier: GPL-2.0
/*
 * vmstat.c - what the machine shows of its zones and counters: zone names,
 * per-zone information (/proc/zoneinfo: spans, managed and free pages,
 * watermarks, lowmem_reserve, per-CPU pages, free blocks per order), and the
 * event counters (mm/vmstat.c's vm_event_states).  Below the allocator: it
 * calls nothing.
 */
#include <string.h>

#include "mmzone.h"

static const char *const zone_names[MAX_NR_ZONES] = { "DMA", "DMA32", "Normal" };

const char *zone_name(enum zone_type z)
{
	return (unsigned int)z < MAX_NR_ZONES ? zone_names[z] : "?";
}

bool mm_zone_populated(const struct mm *mm, enum zone_type z)
{
	return (unsigned int)z < MAX_NR_ZONES && mm->zones[z].populated;
}

void mm_zone_info(const struct mm *mm, enum zone_type z, struct zone_info *out)
{
	const struct zone *zone = &mm->zones[z];

	memset(out, 0, sizeof(*out));
	out->name = zone_names[z];
	out->start_pfn = zone->start_pfn;
	out->end_pfn = zone->end_pfn;
	out->present_pages = zone->present_pages;
	out->managed_pages = zone->managed_pages;
	out->free_pages = zone->free_pages;
	memcpy(out->watermark, zone->watermark, sizeof(out->watermark));
	memcpy(out->lowmem_reserve, zone->lowmem_reserve, sizeof(out->lowmem_reserve));
	out->nr_reserved_highatomic = zone->nr_reserved_highatomic;
	for (unsigned int c = 0; zone->populated && c < mm->cfg.nr_cpus; c++)
		out->pcp_pages += zone->pcp[c].count;
	out->pcp_batch = zone->populated ? zone->pcp[0].batch : 0;
	for (int o = 0; o < MAX_ORDER; o++)
		out->nr_free[o] = zone->free_area[o].nr_free;
}

uint64_t mm_zone_free_pages(const struct mm *mm, enum zone_type z)
{
	return mm->zones[z].free_pages;
}

unsigned int mm_min_free_kbytes(const struct mm *mm)
{
	return mm->min_free_kbytes;
}

void mm_get_stats(const struct mm *mm, struct mm_stats *out)
{
	*out = mm->stats;
}
