// SPDX-License-Identifier: GPL-2.0
/*
 * trace_reader.c - open any trace, detect its format from its content, undo
 * gzip, cut text into lines and hand them (or the raw bytes) to the format's
 * parser; keep the statistics and the one error message.  The format is
 * found by trace_detect.c; the text helpers the parsers share are in
 * trace_text.c.
 *
 * Input goes through trace_input.c for every format: read once (a pipe or
 * stdin works), hashed as it is read, gunzipped when it is gzip.  A gzip
 * stream cut short is an error, never an early end of the trace; so are
 * bytes after its last member other than zero padding (reader_end()).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace_detect.h"
#include "trace_input.h"
#include "trace_reader.h"

#define TRACE_CHUNK_BYTES	(64u * 1024)
#define TRACE_LINE_START_BYTES	4096u
#define TRACE_ERR_BYTES		512u

struct trace_reader {
	const struct trace_format_ops *ops;
	char *path;
	struct trace_input *in;
	bool skip_bad;
	bool failed;
	bool at_end;
	/* decompressed input, one chunk at a time */
	unsigned char *chunk;
	size_t chunk_pos;
	size_t chunk_len;
	bool input_end;
	bool chunk_refilled;		/* past the first chunk: no rewind */
	/* the current text line: reused, grown up to TRACE_LINE_MAX_BYTES */
	char *line;
	size_t line_cap;
	uint64_t line_no;		/* 1-based number of the line being read */
	void *priv;
	struct trace_read_stats stats;
	char err[TRACE_ERR_BYTES];
};

static const char *const format_names[TRACE_FORMAT_NR] = {
	[TRACE_FORMAT_FTRACE] = "ftrace",
	[TRACE_FORMAT_TRACE_CMD] = "trace-cmd",
	[TRACE_FORMAT_TRACE_DAT] = "trace.dat",
	[TRACE_FORMAT_PERF] = "perf",
	[TRACE_FORMAT_PTB] = "ptb",
};

static const char *const skip_names[TRACE_SKIP_NR] = {
	[TRACE_SKIP_NO_NEWLINE] = "no-newline",
	[TRACE_SKIP_LINE_TOO_LONG] = "line-too-long",
	[TRACE_SKIP_BAD_PREFIX] = "bad-prefix",
	[TRACE_SKIP_BAD_IOMMU] = "bad-iommu-fields",
	[TRACE_SKIP_BAD_RECORD] = "bad-record",
};

const char *trace_format_name(enum trace_format f)
{
	if ((unsigned int)f >= TRACE_FORMAT_NR)
		return "unknown";
	return format_names[f];
}

const char *trace_skip_reason_name(enum trace_skip_reason reason)
{
	if ((unsigned int)reason >= TRACE_SKIP_NR)
		return "unknown";
	return skip_names[reason];
}

/* ---- errors and counters ---- */

static int reader_vfail(struct trace_reader *r, bool with_line, const char *fmt, va_list ap)
{
	int n;

	if (with_line)
		n = snprintf(r->err, sizeof(r->err), "%s:%llu: ", r->path,
			     (unsigned long long)r->line_no);
	else
		n = snprintf(r->err, sizeof(r->err), "%s: ", r->path);
	if (n < 0 || (size_t)n >= sizeof(r->err))
		n = 0;
	vsnprintf(r->err + n, sizeof(r->err) - n, fmt, ap);
	r->failed = true;
	return -1;
}

int trace_reader_fail(struct trace_reader *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	reader_vfail(r, true, fmt, ap);
	va_end(ap);
	return -1;
}

int trace_reader_fail_noline(struct trace_reader *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	reader_vfail(r, false, fmt, ap);
	va_end(ap);
	return -1;
}

int trace_reader_bad(struct trace_reader *r, enum trace_skip_reason reason,
		     const char *fmt, ...)
{
	bool binary = r->ops && r->ops->next_record;
	va_list ap;

	if (r->skip_bad) {
		r->stats.skipped[reason]++;
		r->stats.bad_lines_skipped++;
		return 0;
	}
	va_start(ap, fmt);
	reader_vfail(r, !binary, fmt, ap);
	va_end(ap);
	return -1;
}

void trace_reader_count_other(struct trace_reader *r, const char *name, size_t name_bytes)
{
	struct trace_read_stats *s = &r->stats;
	uint32_t i;

	s->other_events++;
	if (name_bytes >= TRACE_EVENT_NAME_BYTES)
		name_bytes = TRACE_EVENT_NAME_BYTES - 1;
	/* Few distinct names in a trace: a linear scan costs less than hashing. */
	for (i = 0; i < s->nr_other_names; i++) {
		struct trace_name_count *nc = &s->other[i];

		if (!strncmp(nc->name, name, name_bytes) && nc->name[name_bytes] == '\0') {
			nc->count++;
			return;
		}
	}
	if (i < TRACE_OTHER_NAMES_MAX) {
		memcpy(s->other[i].name, name, name_bytes);
		s->other[i].name[name_bytes] = '\0';
		s->other[i].count = 1;
		s->nr_other_names++;
		return;
	}
	strcpy(s->other[TRACE_OTHER_NAMES_MAX].name, "(more)");
	s->other[TRACE_OTHER_NAMES_MAX].count++;
}

void trace_reader_count_lost(struct trace_reader *r, uint64_t nr_lost)
{
	r->stats.lost_events += nr_lost;
}

void trace_reader_count_converted_skipped(struct trace_reader *r, uint64_t nr_lines)
{
	r->stats.converted_skipped += nr_lines;
}

void trace_reader_count_header_entries(struct trace_reader *r, uint64_t nr_entries)
{
	r->stats.header_entries += nr_entries;
}

void trace_reader_count_record(struct trace_reader *r)
{
	r->stats.lines++;
}

const char *trace_reader_path(const struct trace_reader *r)
{
	return r->path;
}

void *trace_reader_priv(const struct trace_reader *r)
{
	return r->priv;
}

void trace_reader_set_priv(struct trace_reader *r, void *priv)
{
	r->priv = priv;
}

bool trace_reader_is_gzip(const struct trace_reader *r)
{
	return trace_input_is_gzip(r->in);
}

bool trace_reader_is_file(const struct trace_reader *r)
{
	return trace_input_is_file(r->in);
}

int trace_sha256_hex(struct trace_reader *r, char hex[TRACE_SHA256_HEX_BYTES])
{
	char msg[TRACE_ERR_BYTES];

	if (trace_input_sha256_hex(r->in, hex, msg, sizeof(msg)) < 0)
		return trace_reader_fail_noline(r, "%s", msg);
	return 0;
}

const char *trace_reader_line(const struct trace_reader *r)
{
	return r->line;
}

void trace_reader_count_iommu(struct trace_reader *r, bool v5_17)
{
	if (v5_17)
		r->stats.iommu_5_17++;
	else
		r->stats.iommu_pre_5_17++;
}

/* ---- input ---- */

/*
 * The input ended cleanly: for gzip, nothing but zero bytes may follow the
 * last member (trace_input_check_end()).  Returns 0 or -1 (error set).
 */
static int reader_end(struct trace_reader *r)
{
	char msg[TRACE_ERR_BYTES];
	uint64_t at = 0;
	int ret;

	r->input_end = true;
	ret = trace_input_check_end(r->in, &at, msg, sizeof(msg));
	if (ret < 0)
		return trace_reader_fail_noline(r, "%s", msg);
	if (ret > 0)
		return trace_reader_fail_noline(r, "gzip: trailing garbage at byte %llu, after the last gzip member (gzip -dc ignores it with a warning): the file is not all gzip",
						(unsigned long long)at);
	return 0;
}

/* Refill the chunk.  Returns bytes read, 0 at the end, -1 on error (set). */
static long reader_fill(struct trace_reader *r)
{
	char msg[TRACE_ERR_BYTES];
	long n;

	if (r->chunk_len)
		r->chunk_refilled = true;
	r->chunk_pos = 0;
	r->chunk_len = 0;
	if (r->input_end)
		return 0;
	n = trace_input_read(r->in, r->chunk, TRACE_CHUNK_BYTES, msg, sizeof(msg));
	if (n > 0) {
		r->chunk_len = (size_t)n;
		return n;
	}
	if (n == 0)
		return reader_end(r);
	return trace_reader_fail(r, "%s", msg);
}

long trace_reader_read_bytes(struct trace_reader *r, void *buf, size_t bytes)
{
	unsigned char *dst = buf;
	size_t done = 0;

	while (done < bytes) {
		size_t avail = r->chunk_len - r->chunk_pos;
		long n;

		if (avail) {
			size_t take = avail < bytes - done ? avail : bytes - done;

			memcpy(dst + done, r->chunk + r->chunk_pos, take);
			r->chunk_pos += take;
			done += take;
			continue;
		}
		n = reader_fill(r);
		if (n < 0)
			return -1;
		if (n == 0)
			break;
	}
	return (long)done;
}

int trace_reader_rewind(struct trace_reader *r)
{
	/* the input is read once (it may be a pipe): only the first chunk is kept */
	if (r->chunk_refilled)
		return trace_reader_fail_noline(r, "cannot rewind the input past its first %u bytes",
						TRACE_CHUNK_BYTES);
	r->chunk_pos = 0;
	return 0;
}

static int line_grow(struct trace_reader *r, size_t need)
{
	size_t cap = r->line_cap;
	char *line;

	while (cap < need)
		cap *= 2;
	line = realloc(r->line, cap);
	if (!line)
		return trace_reader_fail(r, "out of memory for a %zu-byte line", need);
	r->line = line;
	r->line_cap = cap;
	return 0;
}

/*
 * The next complete line into r->line.  Returns 1 (length in *len), 0 at
 * the end, -1 on error.  A line too long or without its final newline is a
 * bad line: skipped with skip_bad (then the next one is returned).
 */
static int reader_next_line(struct trace_reader *r, size_t *len_out)
{
	size_t len = 0;
	bool too_long = false;

	for (;;) {
		const unsigned char *start, *nl;
		size_t avail, take;

		if (r->chunk_pos == r->chunk_len) {
			long n = reader_fill(r);

			if (n < 0)
				return -1;
			if (n == 0) {
				if (len == 0 && !too_long)
					return 0;
				/* A trace is never shortened silently. */
				r->stats.lines++;
				if (trace_reader_bad(r, TRACE_SKIP_NO_NEWLINE,
						     "last line has no newline: the trace was cut short") < 0)
					return -1;
				return 0;
			}
		}
		start = r->chunk + r->chunk_pos;
		avail = r->chunk_len - r->chunk_pos;
		nl = memchr(start, '\n', avail);
		take = nl ? (size_t)(nl - start) : avail;
		if (!too_long) {
			if (len + take > TRACE_LINE_MAX_BYTES) {
				too_long = true;
			} else {
				if (len + take + 1 > r->line_cap && line_grow(r, len + take + 1) < 0)
					return -1;
				memcpy(r->line + len, start, take);
				len += take;
			}
		}
		r->chunk_pos += take + (nl ? 1 : 0);
		if (!nl)
			continue;
		r->stats.lines++;
		if (too_long) {
			if (trace_reader_bad(r, TRACE_SKIP_LINE_TOO_LONG,
					     "line longer than %u bytes", TRACE_LINE_MAX_BYTES) < 0)
				return -1;
			r->line_no++;
			len = 0;
			too_long = false;
			continue;
		}
		if (len && r->line[len - 1] == '\r')
			len--;
		r->line[len] = '\0';
		*len_out = len;
		return 1;
	}
}

static const struct trace_format_ops *format_ops(enum trace_format f)
{
	switch (f) {
	case TRACE_FORMAT_FTRACE: return &ftrace_format_ops;
	case TRACE_FORMAT_TRACE_CMD: return &tracecmd_format_ops;
	case TRACE_FORMAT_TRACE_DAT: return &tracedat_format_ops;
	case TRACE_FORMAT_PERF: return &perf_format_ops;
	case TRACE_FORMAT_PTB: return &ptb_format_ops;
	default: return NULL;
	}
}

static int reader_detect(struct trace_reader *r, const struct trace_open_opts *opts)
{
	char msg[TRACE_ERR_BYTES];
	enum trace_format f;

	if (reader_fill(r) < 0)
		return -1;
	/* A short first read (gzip, a pipe): top the chunk up for the magics. */
	while (r->chunk_len < 16 && !r->input_end) {
		long n = trace_input_read(r->in, r->chunk + r->chunk_len,
					  TRACE_CHUNK_BYTES - r->chunk_len, msg, sizeof(msg));

		if (n < 0)
			return trace_reader_fail_noline(r, "%s", msg);
		if (n == 0 && reader_end(r) < 0)
			return -1;
		r->chunk_len += (size_t)n;
	}
	if (r->chunk_len == 0)
		return trace_reader_fail_noline(r, "empty file: no trace format to detect");
	if (opts && opts->force_format) {
		r->ops = format_ops(opts->format);
		if (!r->ops)
			return trace_reader_fail_noline(r, "unknown format %d forced", (int)opts->format);
		return 0;
	}
	if (trace_detect(r, r->chunk, r->chunk_len, &f) < 0)
		return -1;
	r->ops = format_ops(f);
	return 0;
}

/* ---- the API ---- */

int trace_open(const char *path, const struct trace_open_opts *opts,
	       struct trace_reader **out, char *err, size_t err_bytes)
{
	struct trace_reader *r;
	int ret = -ENOMEM;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		goto fail_msg;
	r->path = strdup(path);
	r->chunk = malloc(TRACE_CHUNK_BYTES);
	r->line = malloc(TRACE_LINE_START_BYTES);
	if (!r->path || !r->chunk || !r->line)
		goto fail_alloc;
	r->line_cap = TRACE_LINE_START_BYTES;
	r->line_no = 1;
	r->skip_bad = opts && opts->skip_bad;
	ret = trace_input_open(path, &r->in, err, err_bytes);
	if (ret)
		goto fail_free;
	ret = -EINVAL;
	if (reader_detect(r, opts) < 0)
		goto fail_err;
	if (r->ops->open && r->ops->open(r) < 0)
		goto fail_err;
	*out = r;
	return 0;

fail_err:
	snprintf(err, err_bytes, "%s", r->err);
	goto fail_free;
fail_alloc:
	ret = -ENOMEM;
fail_msg:
	snprintf(err, err_bytes, "%s: out of memory", path);
fail_free:
	if (r) {
		r->ops = NULL;		/* ops->open cleaned up after itself */
		trace_close(r);
	}
	return ret;
}

int trace_read_next(struct trace_reader *r, struct trace_event *ev)
{
	if (r->failed)
		return -1;
	if (r->at_end)
		return 0;
	for (;;) {
		size_t len;
		int ret;

		if (r->ops->next_record) {
			memset(ev, 0, sizeof(*ev));
			ret = r->ops->next_record(r, ev);
			if (ret == 0)
				r->at_end = true;
		} else {
			ret = reader_next_line(r, &len);
			if (ret == 0) {
				r->at_end = true;
				return 0;
			}
			if (ret < 0)
				return -1;
			memset(ev, 0, sizeof(*ev));
			if (memchr(r->line, '\0', len))
				ret = trace_reader_bad(r, TRACE_SKIP_BAD_PREFIX, "NUL byte in a text line");
			else
				ret = r->ops->next_line(r, r->line, len, ev);
			r->line_no++;
			if (ret == 0)
				continue;
		}
		if (ret < 0) {
			r->failed = true;
			return -1;
		}
		if (ret == 0)
			return 0;
		r->stats.events++;
		if (ev->op == TRACE_OP_MAP)
			r->stats.maps++;
		else
			r->stats.unmaps++;
		return 1;
	}
}

const char *trace_error(const struct trace_reader *r)
{
	return r->err;
}

const struct trace_read_stats *trace_stats(const struct trace_reader *r)
{
	return &r->stats;
}

enum trace_format trace_reader_format(const struct trace_reader *r)
{
	return r->ops->format;
}

void trace_close(struct trace_reader *r)
{
	if (!r)
		return;
	if (r->ops && r->ops->close)
		r->ops->close(r);
	trace_input_close(r->in);
	free(r->line);
	free(r->chunk);
	free(r->path);
	free(r);
}
