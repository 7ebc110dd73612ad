// SPDX-License-Identifier: GPL-2.0
/*
 * ptb.c - ptbench's binary trace, .ptb v1 (layout: ptb.h; spec: README.md):
 * the reader (through trace_reader, so gzip is transparent) and the writer.
 *
 * Both encode field by field in little-endian, never by casting the packed
 * structs, so a big-endian host reads and writes the same bytes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "ptb.h"
#include "trace_reader.h"

#define PTB_HEADER_BYTES	64u
#define PTB_RECORD_BYTES	56u
#define PTB_BLOCK_MAX_BYTES	4096u	/* largest header_bytes / record_bytes accepted */
#define PTB_F_ALL		(PTB_F_CPU | PTB_F_CTX | PTB_F_DOMAIN | PTB_F_GFP | PTB_F_PID)

static uint16_t get_le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get_le64(const unsigned char *p)
{
	return (uint64_t)get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

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

static uint8_t ptb_has_from_flags(uint32_t flags)
{
	return (uint8_t)(((flags & PTB_F_CPU) ? TRACE_HAS_CPU : 0) |
			 ((flags & PTB_F_CTX) ? TRACE_HAS_CTX : 0) |
			 ((flags & PTB_F_DOMAIN) ? TRACE_HAS_DOMAIN : 0) |
			 ((flags & PTB_F_GFP) ? TRACE_HAS_GFP : 0) |
			 ((flags & PTB_F_PID) ? TRACE_HAS_PID : 0));
}

/* ---- reader ---- */

struct ptb_in {
	uint32_t record_bytes;
	uint64_t nr_records;		/* from the header; 0 = unknown */
	uint64_t index;			/* records read */
	uint8_t has;
	unsigned char buf[PTB_BLOCK_MAX_BYTES];
};

static int ptb_open(struct trace_reader *r)
{
	struct ptb_in *in;
	unsigned char *h;
	uint32_t version, header_bytes, flags;
	struct stat st;
	long n;

	in = calloc(1, sizeof(*in));
	if (!in)
		return trace_reader_fail_noline(r, "out of memory");
	trace_reader_set_priv(r, in);
	h = in->buf;
	n = trace_reader_read_bytes(r, h, PTB_HEADER_BYTES);
	if (n < 0)
		goto fail;
	if (n < (long)PTB_HEADER_BYTES) {
		trace_reader_fail_noline(r, "ptb header cut short: %ld of %u bytes", n, PTB_HEADER_BYTES);
		goto fail;
	}
	version = get_le32(h + 8);
	header_bytes = get_le32(h + 12);
	in->record_bytes = get_le32(h + 16);
	flags = get_le32(h + 20);
	in->nr_records = get_le64(h + 24);
	if (version != PTB_VERSION) {
		trace_reader_fail_noline(r, "ptb version %u: this reader reads version %u only",
					 version, PTB_VERSION);
		goto fail;
	}
	if (header_bytes < PTB_HEADER_BYTES || header_bytes > PTB_BLOCK_MAX_BYTES || header_bytes % 8) {
		trace_reader_fail_noline(r, "ptb header_bytes %u: expected a multiple of 8 in [%u, %u]",
					 header_bytes, PTB_HEADER_BYTES, PTB_BLOCK_MAX_BYTES);
		goto fail;
	}
	if (in->record_bytes < PTB_RECORD_BYTES || in->record_bytes > PTB_BLOCK_MAX_BYTES ||
	    in->record_bytes % 8) {
		trace_reader_fail_noline(r, "ptb record_bytes %u: expected a multiple of 8 in [%u, %u]",
					 in->record_bytes, PTB_RECORD_BYTES, PTB_BLOCK_MAX_BYTES);
		goto fail;
	}
	if (flags & ~PTB_F_ALL) {
		trace_reader_fail_noline(r, "ptb flags 0x%x: unknown bits 0x%x", flags, flags & ~PTB_F_ALL);
		goto fail;
	}
	in->has = ptb_has_from_flags(flags);
	/* A later header may be longer: skip what v1 does not define. */
	if (header_bytes > PTB_HEADER_BYTES) {
		size_t extra = header_bytes - PTB_HEADER_BYTES;

		n = trace_reader_read_bytes(r, in->buf, extra);
		if (n < 0)
			goto fail;
		if ((size_t)n < extra) {
			trace_reader_fail_noline(r, "ptb header cut short: %ld of %u bytes",
						 (long)PTB_HEADER_BYTES + n, header_bytes);
			goto fail;
		}
	}
	/* A plain file's length tells its truncation before any record is read. */
	if (!trace_reader_is_gzip(r) && !stat(trace_reader_path(r), &st) && S_ISREG(st.st_mode)) {
		uint64_t body = (uint64_t)st.st_size - header_bytes;
		uint64_t whole = body / in->record_bytes;

		if (body % in->record_bytes) {
			trace_reader_fail_noline(r, "record %llu cut short: %llu of %u bytes (the file is truncated)",
						 (unsigned long long)whole,
						 (unsigned long long)(body % in->record_bytes),
						 in->record_bytes);
			goto fail;
		}
		if (in->nr_records && in->nr_records != whole) {
			trace_reader_fail_noline(r, "header says %llu records, the file holds %llu",
						 (unsigned long long)in->nr_records,
						 (unsigned long long)whole);
			goto fail;
		}
	}
	return 0;
fail:
	free(in);
	trace_reader_set_priv(r, NULL);
	return -1;
}

static int ptb_next_record(struct trace_reader *r, struct trace_event *ev)
{
	struct ptb_in *in = trace_reader_priv(r);
	const unsigned char *b = in->buf;

	for (;;) {
		long n = trace_reader_read_bytes(r, in->buf, in->record_bytes);
		uint64_t idx = in->index;

		if (n < 0)
			return -1;
		if (n == 0) {
			if (in->nr_records && in->index != in->nr_records)
				return trace_reader_fail_noline(r, "header says %llu records, the file holds %llu",
								(unsigned long long)in->nr_records,
								(unsigned long long)in->index);
			return 0;
		}
		if ((uint32_t)n < in->record_bytes)
			return trace_reader_fail_noline(r, "record %llu cut short: %ld of %u bytes (the file is truncated)",
							(unsigned long long)idx, n, in->record_bytes);
		in->index++;
		trace_reader_count_record(r);
		ev->ts_ns = get_le64(b + 0);
		ev->iova = get_le64(b + 8);
		ev->paddr = get_le64(b + 16);
		ev->size_bytes = get_le64(b + 24);
		ev->unmapped_bytes = get_le64(b + 32);
		ev->domain = get_le32(b + 40);
		ev->gfp = get_le32(b + 44);
		ev->pid = get_le32(b + 48);
		ev->cpu = get_le16(b + 52);
		ev->op = b[54];
		ev->ctx = b[55];
		ev->has = in->has;
		if (ev->op != TRACE_OP_MAP && ev->op != TRACE_OP_UNMAP) {
			if (trace_reader_bad(r, TRACE_SKIP_BAD_RECORD,
					     "record %llu: op %u is neither 1 (map) nor 2 (unmap)",
					     (unsigned long long)idx, ev->op) < 0)
				return -1;
			memset(ev, 0, sizeof(*ev));
			continue;
		}
		/* Fields the header does not promise read as 0 (trace.h). */
		if (!(in->has & TRACE_HAS_CPU))
			ev->cpu = 0;
		if (!(in->has & TRACE_HAS_CTX))
			ev->ctx = 0;
		if (!(in->has & TRACE_HAS_DOMAIN))
			ev->domain = 0;
		if (!(in->has & TRACE_HAS_GFP))
			ev->gfp = 0;
		if (!(in->has & TRACE_HAS_PID))
			ev->pid = 0;
		return 1;
	}
}

static void ptb_close(struct trace_reader *r)
{
	free(trace_reader_priv(r));
	trace_reader_set_priv(r, NULL);
}

const struct trace_format_ops ptb_format_ops = {
	.format = TRACE_FORMAT_PTB,
	.open = ptb_open,
	.next_record = ptb_next_record,
	.close = ptb_close,
};

/* ---- writer ---- */

struct ptb_writer {
	char *path;
	char *tmp_path;
	FILE *out;		/* plain: tmp_path; gzip: an anonymous tmpfile() */
	bool gzip;
	uint64_t nr_records;
	uint8_t has_all;	/* AND of the events' TRACE_HAS_* */
	char source[24];
	int error;		/* first errno met while writing */
};

static void encode_header(unsigned char *h, const struct ptb_writer *w)
{
	memset(h, 0, PTB_HEADER_BYTES);
	memcpy(h, PTB_MAGIC, 8);
	put_le32(h + 8, PTB_VERSION);
	put_le32(h + 12, PTB_HEADER_BYTES);
	put_le32(h + 16, PTB_RECORD_BYTES);
	put_le32(h + 20, w->nr_records ? ptb_flags_from_has(w->has_all) : 0);
	put_le64(h + 24, w->nr_records);
	put_le32(h + 32, 0);		/* gfp_kver: ptbench's own numbering */
	put_le32(h + 36, 0);
	memcpy(h + 40, w->source, sizeof(w->source));
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

int ptb_writer_open(const char *path, const char *source, struct ptb_writer **out,
		    char *err, size_t err_bytes)
{
	unsigned char h[PTB_HEADER_BYTES];
	struct ptb_writer *w;
	size_t n;
	int ret;

	*out = NULL;
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
	unsigned char h[PTB_HEADER_BYTES];
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
	if (w->tmp_path)
		unlink(w->tmp_path);
	free(w->tmp_path);
	free(w->path);
	free(w);
}
