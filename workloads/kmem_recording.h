/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kmem_recording.h - a device's page allocations and frees per zone, as
 * ptrec --kmem records them (workloads/recorder/README.md, "--kmem"):
 *
 *   ts_ns,zone,allocs_pages,frees_pages
 *   8346331080,DMA32,818,0
 *   8346331080,Normal,120,96
 *   8346331080,other,0,0
 *
 * Types:
 *   enum kmem_zone_id      the zone names ptrec writes, plus "a name we do not know"
 *   struct kmem_interval   one flush: the pages each zone allocated and freed
 *                          since the previous one, ending at end_ns
 *   struct kmem_recording  every interval of a file, in time order
 * Terms:
 *   "interval"  the rows of one ts_ns: ptrec writes one row per zone, then
 *               "other", at each flush (every --kmem-interval-ms and at the end)
 *   "end_ns"    the row's ts_ns: CLOCK_MONOTONIC at the flush, the clock of
 *               ptrec's event ts_ns (bpf_ktime_get_ns)
 */
#ifndef PTB_KMEM_RECORDING_H
#define PTB_KMEM_RECORDING_H

#include <stddef.h>
#include <stdint.h>

#define KMEM_HEADER "ts_ns,zone,allocs_pages,frees_pages"
/* ptrec writes at most 8 zones (PTREC_ZONES_MAX) + other per flush */
#define KMEM_ROW_ZONES_MAX 16
/* one row's count: 2^32 pages (16 TiB) is no device's 100 ms */
#define KMEM_ROW_PAGES_MAX (1ULL << 32)
/* 2^24 flushes: 19 days at 100 ms; with the row bound, sums stay below 2^62 */
#define KMEM_INTERVALS_MAX (1ULL << 24)

enum kmem_zone_id {
	KMEM_DMA,
	KMEM_DMA32,
	KMEM_NORMAL,
	KMEM_MOVABLE,
	KMEM_OTHER,		/* pages outside every zone ptrec knew at start */
	KMEM_UNKNOWN,		/* a zone name not above (HighMem, a typo, ...) */
	KMEM_ZONE_NR,
};

struct kmem_interval {
	uint64_t end_ns;
	/* every node's zone of that name summed ("node1/DMA32" is DMA32) */
	uint64_t alloc_pages[KMEM_ZONE_NR];
	uint64_t free_pages[KMEM_ZONE_NR];
	uint32_t unknown_rows;		/* rows counted under KMEM_UNKNOWN */
};

struct kmem_recording {
	struct kmem_interval *iv;
	uint64_t nr;
};

/**
 * kmem_recording_load() - read a --kmem CSV (gzip or not) whole.
 * The header must be KMEM_HEADER; each row "ts_ns,zone,allocs_pages,frees_pages"
 * with decimal counts up to KMEM_ROW_PAGES_MAX; ts_ns never decreases; a zone
 * appears once per interval; at most KMEM_INTERVALS_MAX intervals; the last
 * line ends with '\n' (a file cut short is refused); at least one row.
 * Returns 0, or -errno with one line in @err: "FILE: reason" or
 * "FILE:LINE: reason".  @rec is empty on error.
 */
int kmem_recording_load(const char *path, struct kmem_recording *rec, char *err, size_t err_bytes);
void kmem_recording_free(struct kmem_recording *rec);
/* "DMA", "DMA32", "Normal", "Movable", "other", "unknown". */
const char *kmem_zone_id_name(enum kmem_zone_id id);

#endif /* PTB_KMEM_RECORDING_H */
