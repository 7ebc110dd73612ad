/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kmem.h - ptrec --kmem: the zones' pfn spans, and the CSV side file of
 * pages allocated and freed per zone per interval.
 *
 * Types:
 *   struct kmem_zone   one zone of one node: name and [start_pfn, end_pfn).
 *   struct kmem_zones  the populated zones of /proc/zoneinfo, in its order.
 *   struct kmem_csv    the side file being written.
 * A page's zone is found from its pfn, against the spans read once at start
 * (zoneinfo's "start_pfn:" and "spanned"): the pfn is all the mm_page_alloc
 * and mm_page_free events carry in every version, and spans do not move
 * (memory hotplug aside: such pages land in the "other" row).
 *
 * CSV (workloads/recorder/README.md): header "ts_ns,zone,allocs_pages,frees_pages",
 * then per interval one row per zone, then one "other" row; ts_ns is the
 * CLOCK_MONOTONIC time of the flush (the clock of the events' ts_ns), the
 * counts are pages (order-n blocks count 2^n) since the previous row.
 */
#ifndef PTB_RECORDER_KMEM_H
#define PTB_RECORDER_KMEM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ptrec.h"

struct kmem_zone {
	int node;
	char name[16];			/* "DMA32" */
	uint64_t start_pfn;
	uint64_t end_pfn;		/* start_pfn + spanned */
};

struct kmem_zones {
	struct kmem_zone zone[PTREC_ZONES_MAX];
	unsigned int nr;
	int multi_node;			/* label rows "node1/Normal" */
};

/* Returns 0, or -errno with @err "PATH: reason" (-E2BIG beyond PTREC_ZONES_MAX). */
int kmem_zones_read(struct kmem_zones *zs, const char *zoneinfo_path, char *err, size_t err_bytes);

struct kmem_csv {
	FILE *f;
	const char *path;
	char tmp_path[4096];
	struct ptrec_kmem_count last[PTREC_ZONES_MAX + 1];	/* totals at the previous row */
	uint64_t rows;			/* intervals written */
};

/* Open PATH.tmp.PID and write the header.  Returns 0 or -errno, @err set. */
int kmem_csv_open(struct kmem_csv *c, const char *path, char *err, size_t err_bytes);
/* One interval: @total[0..nr] are the running totals (zones, then "other"). */
int kmem_csv_write(struct kmem_csv *c, const struct kmem_zones *zs, uint64_t ts_ns,
		   const struct ptrec_kmem_count *total);
/* Close and rename into place.  Returns 0 or -errno, @err set. */
int kmem_csv_close(struct kmem_csv *c, char *err, size_t err_bytes);
/* Close and remove; harmless when not open. */
void kmem_csv_abort(struct kmem_csv *c);

#endif /* PTB_RECORDER_KMEM_H */
