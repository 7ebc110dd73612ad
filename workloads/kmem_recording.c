// SPDX-License-Identifier: GPL-2.0
/*
 * kmem_recording.c - ptrec's --kmem CSV read whole into intervals
 * (kmem_recording.h).  The writer is workloads/recorder/kmem.c:kmem_csv_write():
 * one row per zone, then "other", per flush, all with the flush's ts_ns.
 *
 * The input goes through zlib's gzgets(), which reads gzip and, transparently,
 * plain files, like the trace readers.  Every malformed line is an error
 * naming its line: a pressure replayed from half a file would be wrong
 * without saying so.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "kmem_recording.h"
#include "trace_reader.h"

#define KMEM_LINE_BYTES 256		/* ptrec's rows are under 100 bytes */
#define KMEM_LABEL_BYTES 40		/* ptrec's label[40] */
#define KMEM_FIELDS 4
#define LINE_SENTINEL 'x'		/* fills the buffer before gzgets: finds NUL bytes */

static const char *const zone_id_names[KMEM_ZONE_NR] = {
	[KMEM_DMA] = "DMA",
	[KMEM_DMA32] = "DMA32",
	[KMEM_NORMAL] = "Normal",
	[KMEM_MOVABLE] = "Movable",
	[KMEM_OTHER] = "other",
	[KMEM_UNKNOWN] = "unknown",
};

const char *kmem_zone_id_name(enum kmem_zone_id id)
{
	return (unsigned int)id < KMEM_ZONE_NR ? zone_id_names[id] : "?";
}

struct kmem_parser {
	const char *path;
	gzFile gz;
	uint64_t line_no;
	char *err;
	size_t err_bytes;
	/* the interval being read: its labels, to refuse a zone twice */
	char labels[KMEM_ROW_ZONES_MAX][KMEM_LABEL_BYTES];
	unsigned int nr_labels;
	uint64_t cap;
};

static int __attribute__((format(printf, 3, 4)))
parse_fail(struct kmem_parser *kp, int ret, const char *fmt, ...)
{
	size_t n = (size_t)snprintf(kp->err, kp->err_bytes, "%s:%" PRIu64 ": ", kp->path, kp->line_no);
	va_list ap;

	if (n < kp->err_bytes) {
		va_start(ap, fmt);
		vsnprintf(kp->err + n, kp->err_bytes - n, fmt, ap);
		va_end(ap);
	}
	return ret;
}

/*
 * The next line into @buf without its "\n" (or "\r\n").  Returns 1, 0 at
 * the end of the input, or -errno after parse_fail().
 */
static int read_line(struct kmem_parser *kp, char *buf, size_t buf_bytes)
{
	size_t len, end;
	int zerr;

	memset(buf, LINE_SENTINEL, buf_bytes);
	kp->line_no++;
	if (!gzgets(kp->gz, buf, (int)buf_bytes)) {
		const char *msg = gzerror(kp->gz, &zerr);

		if (zerr == Z_ERRNO)
			return parse_fail(kp, -EIO, "%s", strerror(errno));
		if (zerr != Z_OK)
			return parse_fail(kp, -EIO, "gzip: %s", msg);
		return 0;
	}
	/* gzgets ends what it wrote with a NUL and leaves the sentinel after it */
	for (end = buf_bytes - 1; end && buf[end] != '\0'; end--)
		;
	len = strlen(buf);
	if (len != end)
		return parse_fail(kp, -EINVAL, "NUL byte in the line");
	if (!len || buf[len - 1] != '\n') {
		if (len == buf_bytes - 1 && !gzeof(kp->gz))
			return parse_fail(kp, -EINVAL, "line longer than %zu bytes", buf_bytes - 2);
		gzerror(kp->gz, &zerr);
		if (zerr != Z_OK && zerr != Z_STREAM_END)
			return parse_fail(kp, -EIO, "gzip: %s", gzerror(kp->gz, &zerr));
		return parse_fail(kp, -EINVAL, "last line has no newline: the file was cut short");
	}
	buf[--len] = '\0';
	if (len && buf[len - 1] == '\r')
		buf[--len] = '\0';
	return 1;
}

/* "DMA32", "node1/DMA32" -> KMEM_DMA32; names ptrec does not write -> KMEM_UNKNOWN. */
static enum kmem_zone_id zone_id_of(const char *label)
{
	const char *name = label;

	if (!strncmp(name, "node", 4) && name[4] >= '0' && name[4] <= '9') {
		const char *p = name + 4;

		while (*p >= '0' && *p <= '9')
			p++;
		if (*p == '/')
			name = p + 1;
	}
	for (int id = 0; id < KMEM_UNKNOWN; id++)
		if (!strcmp(name, zone_id_names[id]))
			return (enum kmem_zone_id)id;
	return KMEM_UNKNOWN;
}

static int parse_count(struct kmem_parser *kp, const char *field, const char *what, uint64_t *out)
{
	const char *p = field;

	if (trace_parse_dec(&p, out) || *p)
		return parse_fail(kp, -EINVAL, "%s: '%s' is not a number", what, field);
	if (*out > KMEM_ROW_PAGES_MAX)
		return parse_fail(kp, -EINVAL, "%s: %" PRIu64 " is more than %llu pages in one interval",
				  what, *out, (unsigned long long)KMEM_ROW_PAGES_MAX);
	return 0;
}

/* A new interval at the end of @rec (zeroed), or -ENOMEM. */
static int interval_add(struct kmem_parser *kp, struct kmem_recording *rec, uint64_t end_ns)
{
	if (rec->nr == KMEM_INTERVALS_MAX)
		return parse_fail(kp, -E2BIG, "more than %llu intervals", (unsigned long long)KMEM_INTERVALS_MAX);
	if (rec->nr == kp->cap) {
		uint64_t cap = kp->cap ? kp->cap * 2 : 64;
		struct kmem_interval *iv = realloc(rec->iv, cap * sizeof(*iv));

		if (!iv)
			return parse_fail(kp, -ENOMEM, "out of host memory for %" PRIu64 " intervals", cap);
		rec->iv = iv;
		kp->cap = cap;
	}
	memset(&rec->iv[rec->nr], 0, sizeof(rec->iv[rec->nr]));
	rec->iv[rec->nr++].end_ns = end_ns;
	kp->nr_labels = 0;
	return 0;
}

static int parse_row(struct kmem_parser *kp, char *line, struct kmem_recording *rec)
{
	char *field[KMEM_FIELDS], *p = line;
	const char *q;
	uint64_t ts_ns, allocs, frees;
	struct kmem_interval *iv;
	enum kmem_zone_id id;
	unsigned int nr = 0;
	int ret;

	for (;;) {
		char *comma = strchr(p, ',');

		if (nr < KMEM_FIELDS)
			field[nr] = p;
		nr++;
		if (!comma)
			break;
		*comma = '\0';
		p = comma + 1;
	}
	if (nr != KMEM_FIELDS)
		return parse_fail(kp, -EINVAL, "expected 4 fields " KMEM_HEADER ", got %u", nr);
	q = field[0];
	if (trace_parse_dec(&q, &ts_ns) || *q)
		return parse_fail(kp, -EINVAL, "ts_ns: '%s' is not a number", field[0]);
	if (!*field[1])
		return parse_fail(kp, -EINVAL, "zone: empty");
	if (strlen(field[1]) >= KMEM_LABEL_BYTES)
		return parse_fail(kp, -EINVAL, "zone: longer than %d bytes", KMEM_LABEL_BYTES - 1);
	ret = parse_count(kp, field[2], "allocs_pages", &allocs);
	if (!ret)
		ret = parse_count(kp, field[3], "frees_pages", &frees);
	if (ret)
		return ret;

	if (rec->nr && ts_ns < rec->iv[rec->nr - 1].end_ns)
		return parse_fail(kp, -EINVAL, "ts_ns %" PRIu64 " is before the previous row's %" PRIu64,
				  ts_ns, rec->iv[rec->nr - 1].end_ns);
	if (!rec->nr || ts_ns != rec->iv[rec->nr - 1].end_ns) {
		ret = interval_add(kp, rec, ts_ns);
		if (ret)
			return ret;
	}
	for (unsigned int i = 0; i < kp->nr_labels; i++)
		if (!strcmp(kp->labels[i], field[1]))
			return parse_fail(kp, -EINVAL, "zone '%s' twice at ts_ns %" PRIu64, field[1], ts_ns);
	if (kp->nr_labels == KMEM_ROW_ZONES_MAX)
		return parse_fail(kp, -EINVAL, "more than %d zones at ts_ns %" PRIu64, KMEM_ROW_ZONES_MAX, ts_ns);
	strcpy(kp->labels[kp->nr_labels++], field[1]);

	iv = &rec->iv[rec->nr - 1];
	id = zone_id_of(field[1]);
	/* at most 16 rows of 2^32 pages: no sum can overflow */
	iv->alloc_pages[id] += allocs;
	iv->free_pages[id] += frees;
	iv->unknown_rows += id == KMEM_UNKNOWN;
	return 0;
}

int kmem_recording_load(const char *path, struct kmem_recording *rec, char *err, size_t err_bytes)
{
	struct kmem_parser kp = { .path = path, .err = err, .err_bytes = err_bytes };
	char line[KMEM_LINE_BYTES];
	int ret;

	memset(rec, 0, sizeof(*rec));
	errno = 0;
	kp.gz = gzopen(path, "rb");
	if (!kp.gz) {
		ret = errno ? -errno : -ENOMEM;
		snprintf(err, err_bytes, "%s: %s", path, errno ? strerror(errno) : "out of host memory");
		return ret;
	}
	ret = read_line(&kp, line, sizeof(line));
	if (ret == 0)
		ret = parse_fail(&kp, -EINVAL, "empty file: expected the header " KMEM_HEADER);
	if (ret < 0)
		goto fail;
	if (strcmp(line, KMEM_HEADER)) {
		ret = parse_fail(&kp, -EINVAL, "the header is not " KMEM_HEADER " (a ptrec --kmem file?)");
		goto fail;
	}
	while ((ret = read_line(&kp, line, sizeof(line))) > 0) {
		ret = parse_row(&kp, line, rec);
		if (ret)
			goto fail;
	}
	if (ret < 0)
		goto fail;
	if (!rec->nr) {
		kp.line_no = 1;
		ret = parse_fail(&kp, -EINVAL, "no rows after the header: nothing to replay");
		goto fail;
	}
	gzclose(kp.gz);
	return 0;

fail:
	gzclose(kp.gz);
	kmem_recording_free(rec);
	return ret;
}

void kmem_recording_free(struct kmem_recording *rec)
{
	free(rec->iv);
	rec->iv = NULL;
	rec->nr = 0;
}
