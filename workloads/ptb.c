// SPDX-License-Identifier: GPL-2.0
/*
 * ptb.c - ptbench's binary trace, .ptb v1 (layout: ptb.h; spec: README.md):
 * the reader, through trace_reader, so gzip is transparent.  The writer is
 * ptb_writer.c, apart so that a program that only writes .ptb (ptrec) links
 * without the readers of every other format.
 *
 * Both decode and encode field by field in little-endian, never by casting
 * the packed structs, so a big-endian host reads and writes the same bytes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ptb.h"
#include "trace_reader.h"

#define PTB_BLOCK_MAX_BYTES	4096u	/* largest header_bytes / record_bytes accepted */
#define PTB_F_ALL		(PTB_F_CPU | PTB_F_CTX | PTB_F_DOMAIN | PTB_F_GFP | PTB_F_PID)
#define PTB_CTX_ALL		(TRACE_CTX_IRQS_OFF | TRACE_CTX_HARDIRQ | TRACE_CTX_SOFTIRQ | \
				 TRACE_CTX_NMI | TRACE_CTX_PREEMPT_OFF)

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
	/* Detection saw the magic already, unless the format was forced. */
	if (memcmp(h, PTB_MAGIC, 8)) {
		trace_reader_fail_noline(r, "not a .ptb: the file does not start with \"%s\"", PTB_MAGIC);
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
	/* gfp_kver numbers the gfp field's bits: v1 defines 0, ptbench's (gfp.h) */
	if ((flags & PTB_F_GFP) && get_le32(h + 32)) {
		trace_reader_fail_noline(r, "ptb gfp_kver %u: this reader knows 0 only (ptbench's gfp bits, those of 4.19)",
					 get_le32(h + 32));
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
		if ((in->has & TRACE_HAS_CTX) && (ev->ctx & ~PTB_CTX_ALL)) {
			if (trace_reader_bad(r, TRACE_SKIP_BAD_RECORD,
					     "record %llu: ctx 0x%02x has bits v1 does not define (0x%02x)",
					     (unsigned long long)idx, ev->ctx, ev->ctx & ~PTB_CTX_ALL) < 0)
				return -1;
			memset(ev, 0, sizeof(*ev));
			continue;
		}
		/* Fields the header does not promise, or the op has not, read as 0 (trace.h). */
		if (ev->op == TRACE_OP_MAP)
			ev->unmapped_bytes = 0;
		else
			ev->paddr = 0;
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
