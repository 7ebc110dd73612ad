// SPDX-License-Identifier: GPL-2.0
/*
 * kmem.c - zone spans from /proc/zoneinfo and the --kmem CSV (kmem.h).
 *
 * /proc/zoneinfo (mm/vmstat.c:zoneinfo_show_print()) prints per zone
 *   Node 0, zone    DMA32
 *     ...
 *           spanned  1044480
 *     ...
 *     start_pfn:           4096
 * and an empty zone (spanned 0) without start_pfn.  Only zones with pages
 * are kept.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kmem.h"

int kmem_zones_read(struct kmem_zones *zs, const char *zoneinfo_path, char *err, size_t err_bytes)
{
	struct kmem_zone cur = { .node = -1 };
	uint64_t spanned = 0;
	char line[512];
	int ret = 0;
	FILE *f;

	memset(zs, 0, sizeof(*zs));
	f = fopen(zoneinfo_path, "r");
	if (!f) {
		ret = -errno;
		snprintf(err, err_bytes, "%s: %s", zoneinfo_path, strerror(errno));
		return ret;
	}
	while (fgets(line, sizeof(line), f)) {
		int node;
		char name[16];
		unsigned long long v;

		if (sscanf(line, "Node %d, zone %15s", &node, name) == 2) {
			cur = (struct kmem_zone){ .node = node };
			snprintf(cur.name, sizeof(cur.name), "%s", name);
			spanned = 0;
		} else if (sscanf(line, " spanned %llu", &v) == 1) {
			spanned = v;
		} else if (sscanf(line, " start_pfn: %llu", &v) == 1 && cur.node >= 0 && spanned) {
			if (zs->nr == PTREC_ZONES_MAX) {
				ret = -E2BIG;
				snprintf(err, err_bytes, "%s: more than %d populated zones", zoneinfo_path,
					 PTREC_ZONES_MAX);
				break;
			}
			cur.start_pfn = v;
			cur.end_pfn = v + spanned;
			if (cur.node)
				zs->multi_node = 1;
			zs->zone[zs->nr++] = cur;
		}
	}
	fclose(f);
	if (!ret && !zs->nr) {
		ret = -EINVAL;
		snprintf(err, err_bytes, "%s: no zone with a start_pfn and pages", zoneinfo_path);
	}
	return ret;
}

int kmem_csv_open(struct kmem_csv *c, const char *path, char *err, size_t err_bytes)
{
	int ret;

	memset(c, 0, sizeof(*c));
	c->path = path;
	if ((size_t)snprintf(c->tmp_path, sizeof(c->tmp_path), "%s.tmp.%ld", path, (long)getpid()) >=
	    sizeof(c->tmp_path)) {
		snprintf(err, err_bytes, "%s: path too long", path);
		return -ENAMETOOLONG;
	}
	c->f = fopen(c->tmp_path, "w");
	if (!c->f) {
		ret = -errno;
		snprintf(err, err_bytes, "%s: %s", c->tmp_path, strerror(errno));
		return ret;
	}
	fputs("ts_ns,zone,allocs_pages,frees_pages\n", c->f);
	return 0;
}

static void csv_row(struct kmem_csv *c, uint64_t ts_ns, const char *label,
		    const struct ptrec_kmem_count *now, struct ptrec_kmem_count *last)
{
	fprintf(c->f, "%" PRIu64 ",%s,%" PRIu64 ",%" PRIu64 "\n", ts_ns, label,
		(uint64_t)(now->alloc_pages - last->alloc_pages),
		(uint64_t)(now->free_pages - last->free_pages));
	*last = *now;
}

int kmem_csv_write(struct kmem_csv *c, const struct kmem_zones *zs, uint64_t ts_ns,
		   const struct ptrec_kmem_count *total)
{
	char label[40];

	for (unsigned int z = 0; z < zs->nr; z++) {
		if (zs->multi_node)
			snprintf(label, sizeof(label), "node%d/%s", zs->zone[z].node, zs->zone[z].name);
		else
			snprintf(label, sizeof(label), "%s", zs->zone[z].name);
		csv_row(c, ts_ns, label, &total[z], &c->last[z]);
	}
	csv_row(c, ts_ns, "other", &total[zs->nr], &c->last[zs->nr]);
	c->rows++;
	return ferror(c->f) ? -EIO : 0;
}

int kmem_csv_close(struct kmem_csv *c, char *err, size_t err_bytes)
{
	int failed = ferror(c->f);

	failed |= fclose(c->f);
	c->f = NULL;
	if (failed) {
		unlink(c->tmp_path);
		snprintf(err, err_bytes, "%s: write failed: %s", c->path, strerror(errno ? errno : EIO));
		return -EIO;
	}
	if (rename(c->tmp_path, c->path)) {
		int ret = -errno;

		snprintf(err, err_bytes, "%s: %s", c->path, strerror(errno));
		unlink(c->tmp_path);
		return ret;
	}
	return 0;
}

void kmem_csv_abort(struct kmem_csv *c)
{
	if (!c->f)
		return;
	fclose(c->f);
	unlink(c->tmp_path);
	c->f = NULL;
}
