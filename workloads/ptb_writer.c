// SPDX-License-Identifier: GPL-2.0
/*
 * ptb_writer.c - the .ptb v1 writer (layout: ptb.h; API: trace_reader.h;
 * spec: workloads/README.md).  Used by `ptbench convert` and by ptrec, which
 * links it alone: nothing here depends on the trace readers.
 *
 * Encodes field by field in little-endian, never by casting the packed
 * structs, so a big-endian host writes the same bytes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "ptb.h"
#include "tmp_paths.h"
#include "trace_reader.h"

static void put_le16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void put_le32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void put_le64(unsigned char *p, uint64_t v)
{
	put_le32(p, (uint32_t)v);
	put_le32(p + 4, (uint32_t)(v >> 32));
}

/* TRACE_HAS_* <-> PTB_F_*: the same fields, spelled for each side. */
static uint32_t ptb_flags_from_has(uint8_t has)
{
	return ((has & TRACE_HAS_CPU) ? PTB_F_CPU : 0) | ((has & TRACE_HAS_CTX) ? PTB_F_CTX : 0) |
	       ((has & TRACE_HAS_DOMAIN) ? PTB_F_DOMAIN : 0) | ((has & TRACE_HAS_GFP) ? PTB_F_GFP : 0) |
	       ((has & TRACE_HAS_PID) ? PTB_F_PID : 0);
}


struct ptb_writer {
	char *path;
	char *tmp_path;
	FILE *out;		/* plain: tmp_path; gzip: an anonymous tmpfile() */
	bool gzip;
	uint64_t nr_records;
	uint8_t has_all;	/* AND of the events' TRACE_HAS_* */
	uint64_t lost_events;	/* struct ptb_header_counts */
	uint64_t skipped_lines;
	char source[24];
	int error;		/* first errno met while writing */
};

static void encode_header(unsigned char *h, const struct ptb_writer *w)
{
	memset(h, 0, PTB_HEADER_COUNTS_BYTES);
	memcpy(h, PTB_MAGIC, 8);
	put_le32(h + 8, PTB_VERSION);
	put_le32(h + 12, PTB_HEADER_COUNTS_BYTES);
	put_le32(h + 16, PTB_RECORD_BYTES);
	put_le32(h + 20, w->nr_records ? ptb_flags_from_has(w->has_all) : 0);
	put_le64(h + 24, w->nr_records);
	put_le32(h + 32, 0);		/* gfp_kver: ptbench's own numbering */
	put_le32(h + 36, 0);
	memcpy(h + 40, w->source, sizeof(w->source));
	put_le64(h + PTB_HEADER_BYTES, w->lost_events);
	put_le64(h + PTB_HEADER_BYTES + 8, w->skipped_lines);
}

void ptb_writer_set_counts(struct ptb_writer *w, uint64_t lost_events, uint64_t skipped_lines)
{
	w->lost_events = lost_events;
	w->skipped_lines = skipped_lines;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

int ptb_writer_open(const char *path, const char *source, struct ptb_writer **out,
		    char *err, size_t err_bytes)
{
	unsigned char h[PTB_HEADER_COUNTS_BYTES];
	struct ptb_writer *w;
	struct stat st;
	size_t n;
	int ret;

	*out = NULL;
	/*
	 * The file is written whole, then renamed over @path: never over a device
	 * or a FIFO (renaming over /dev/null would replace it with a file), and
	 * the header is rewritten at the end, so the output must be seekable.
	 */
	if (!stat(path, &st) && !S_ISREG(st.st_mode)) {
		snprintf(err, err_bytes, "%s: not a regular file (a .ptb is written whole, then "
			 "renamed into place)", path);
		return -EINVAL;
	}
	w = calloc(1, sizeof(*w));
	if (!w)
		goto nomem;
	n = strlen(path) + 32;
	w->path = strdup(path);
	w->tmp_path = malloc(n);
	if (!w->path || !w->tmp_path)
		goto nomem;
	snprintf(w->tmp_path, n, "%s.tmp.%ld", path, (long)getpid());
	strncpy(w->source, source ? source : "", sizeof(w->source));	/* NUL padded, may fill all 24 */
	w->has_all = 0xff;
	w->gzip = ends_with(path, ".gz");
	tmp_paths_add(w->tmp_path);	/* SIGINT, SIGTERM remove it (ptbench) */
	w->out = w->gzip ? tmpfile() : fopen(w->tmp_path, "wb");
	if (!w->out) {
		ret = -errno;
		snprintf(err, err_bytes, "%s: cannot create %s: %s", path,
			 w->gzip ? "a temporary file" : w->tmp_path, strerror(errno));
		goto fail;
	}
	encode_header(h, w);		/* placeholder, rewritten on close */
	if (fwrite(h, 1, sizeof(h), w->out) != sizeof(h)) {
		ret = -errno;
		snprintf(err, err_bytes, "%s: write error: %s", path, strerror(errno));
		goto fail;
	}
	*out = w;
	return 0;
nomem:
	snprintf(err, err_bytes, "%s: out of memory", path);
	ret = -ENOMEM;
fail:
	ptb_writer_abort(w);
	return ret;
}

int ptb_writer_write(struct ptb_writer *w, const struct trace_event *ev)
{
	unsigned char b[PTB_RECORD_BYTES];

	if (w->error)
		return -w->error;
	put_le64(b + 0, ev->ts_ns);
	put_le64(b + 8, ev->iova);
	put_le64(b + 16, ev->op == TRACE_OP_MAP ? ev->paddr : 0);
	put_le64(b + 24, ev->size_bytes);
	put_le64(b + 32, ev->op == TRACE_OP_UNMAP ? ev->unmapped_bytes : 0);
	put_le32(b + 40, (ev->has & TRACE_HAS_DOMAIN) ? ev->domain : 0);
	put_le32(b + 44, (ev->has & TRACE_HAS_GFP) ? ev->gfp : 0);
	put_le32(b + 48, (ev->has & TRACE_HAS_PID) ? ev->pid : 0);
	put_le16(b + 52, (ev->has & TRACE_HAS_CPU) ? ev->cpu : 0);
	b[54] = ev->op;
	b[55] = (ev->has & TRACE_HAS_CTX) ? ev->ctx : 0;
	if (fwrite(b, 1, sizeof(b), w->out) != sizeof(b)) {
		w->error = errno ? errno : EIO;
		return -w->error;
	}
	w->has_all &= ev->has;
	w->nr_records++;
	return 0;
}

/* Copy the finished uncompressed stream into tmp_path through gzip. */
static int writer_compress(struct ptb_writer *w)
{
	unsigned char buf[65536];
	gzFile gz;
	size_t n;
	int ret = 0;

	gz = gzopen(w->tmp_path, "wb9");
	if (!gz)
		return errno ? -errno : -ENOMEM;
	rewind(w->out);
	while ((n = fread(buf, 1, sizeof(buf), w->out)) > 0) {
		if (gzwrite(gz, buf, (unsigned int)n) != (int)n) {
			ret = -EIO;
			break;
		}
	}
	if (ferror(w->out))
		ret = -EIO;
	if (gzclose(gz) != Z_OK && !ret)
		ret = -EIO;
	return ret;
}

int ptb_writer_close(struct ptb_writer *w, char *err, size_t err_bytes)
{
	unsigned char h[PTB_HEADER_COUNTS_BYTES];
	int ret;

	if (w->error) {
		ret = -w->error;
		snprintf(err, err_bytes, "%s: write error: %s", w->path, strerror(w->error));
		goto fail;
	}
	encode_header(h, w);
	if (fseek(w->out, 0, SEEK_SET) || fwrite(h, 1, sizeof(h), w->out) != sizeof(h) ||
	    fflush(w->out)) {
		ret = errno ? -errno : -EIO;
		snprintf(err, err_bytes, "%s: write error: %s", w->path, strerror(-ret));
		goto fail;
	}
	if (w->gzip && (ret = writer_compress(w)) < 0) {
		snprintf(err, err_bytes, "%s: gzip write error: %s", w->path, strerror(-ret));
		goto fail;
	}
	ret = fclose(w->out);
	w->out = NULL;
	if (ret) {
		ret = -errno;
		snprintf(err, err_bytes, "%s: write error: %s", w->path, strerror(errno));
		goto fail;
	}
	if (rename(w->tmp_path, w->path)) {
		ret = -errno;
		snprintf(err, err_bytes, "%s: cannot rename %s: %s", w->path, w->tmp_path,
			 strerror(errno));
		goto fail;
	}
	tmp_paths_forget(w->tmp_path);
	free(w->tmp_path);
	free(w->path);
	free(w);
	return 0;
fail:
	ptb_writer_abort(w);
	return ret;
}

void ptb_writer_abort(struct ptb_writer *w)
{
	if (!w)
		return;
	if (w->out)
		fclose(w->out);
	if (w->tmp_path) {
		unlink(w->tmp_path);
		tmp_paths_forget(w->tmp_path);
	}
	free(w->tmp_path);
	free(w->path);
	free(w);
}
