// SPDX-License-Identifier: GPL-2.0
/*
 * ptb.c - ptbench's binary trace, .ptb v1 (layout: ptb.h; spec: README.md):
 * the reader, through trace_reader, so gzip is transparent.  The writer is
 * ptb_writer.c, apart so that a program that only writes .ptb (ptrec) links
 * without the readers of every other format.
 *
 * The checks and the fields are the shared decoder's (ptb_decode.c, compiled
 * into the oracle's kernel modules too); this file reads the bytes for it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ptb_decode.h"
#include "trace_reader.h"

struct ptb_in {
	struct ptb_layout l;
	uint64_t index;			/* records read */
	unsigned char buf[PTB_BLOCK_MAX_BYTES];
};

static int ptb_open(struct trace_reader *r)
{
	char err[PTB_ERR_BYTES];
	struct ptb_in *in;
	struct stat st;
	long n;

	in = calloc(1, sizeof(*in));
	if (!in)
		return trace_reader_fail_noline(r, "out of memory");
	trace_reader_set_priv(r, in);
	n = trace_reader_read_bytes(r, in->buf, PTB_HEADER_BYTES);
	if (n < 0)
		goto fail;
	/* Detection saw the magic already, unless the format was forced. */
	if (ptb_decode_header(in->buf, (uint64_t)n, &in->l, err, sizeof(err)))
		goto fail_err;
	/* A longer header: the counts (ptb.h), then what this reader does not know, skipped. */
	if (in->l.header_bytes > PTB_HEADER_BYTES) {
		size_t extra = in->l.header_bytes - PTB_HEADER_BYTES;

		n = trace_reader_read_bytes(r, in->buf + PTB_HEADER_BYTES, extra);
		if (n < 0)
			goto fail;
		if ((size_t)n < extra) {
			ptb_err_header_short(err, sizeof(err), PTB_HEADER_BYTES + (uint64_t)n,
					     in->l.header_bytes);
			goto fail_err;
		}
		/* again, the whole header: the counts after the 64 bytes */
		if (ptb_decode_header(in->buf, in->l.header_bytes, &in->l, err, sizeof(err)))
			goto fail_err;
	}
	trace_reader_count_lost(r, in->l.lost_events);
	trace_reader_count_converted_skipped(r, in->l.skipped_lines);
	/* A plain file's length tells its truncation before any record is read. */
	if (!trace_reader_is_gzip(r) && !stat(trace_reader_path(r), &st) && S_ISREG(st.st_mode) &&
	    ptb_check_length(&in->l, (uint64_t)st.st_size, err, sizeof(err)))
		goto fail_err;
	return 0;
fail_err:
	trace_reader_fail_noline(r, "%s", err);
fail:
	free(in);
	trace_reader_set_priv(r, NULL);
	return -1;
}

static int ptb_next_record(struct trace_reader *r, struct trace_event *ev)
{
	struct ptb_in *in = trace_reader_priv(r);
	char err[PTB_ERR_BYTES];

	for (;;) {
		long n = trace_reader_read_bytes(r, in->buf, in->l.record_bytes);
		uint64_t idx = in->index;

		if (n < 0)
			return -1;
		if (n == 0) {
			if (in->l.nr_records && in->index != in->l.nr_records) {
				ptb_err_count(err, sizeof(err), in->l.nr_records, in->index);
				return trace_reader_fail_noline(r, "%s", err);
			}
			return 0;
		}
		if ((uint32_t)n < in->l.record_bytes) {
			ptb_err_record_short(err, sizeof(err), idx, (uint64_t)n, in->l.record_bytes);
			return trace_reader_fail_noline(r, "%s", err);
		}
		in->index++;
		trace_reader_count_record(r);
		if (!ptb_decode_record(&in->l, in->buf, idx, ev, err, sizeof(err)))
			return 1;
		if (trace_reader_bad(r, TRACE_SKIP_BAD_RECORD, "%s", err) < 0)
			return -1;
		memset(ev, 0, sizeof(*ev));
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
