/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace_reader.h - open a recorded trace of any supported format and read
 * its iommu map/unmap events one at a time (struct trace_event, trace.h).
 *
 * Types:
 *   struct trace_reader      one open trace: format, input, line buffer, stats.
 *   struct trace_read_stats  what was read so far: lines, events, skips.
 *   enum trace_format        the formats, detected from the CONTENT (never the
 *                            file name); gzip is undone transparently for all.
 * Terms: a "line" is one newline-terminated line of a text format; a
 * "record" is one entry of a binary format (.ptb record, trace.dat event).
 * "Other events" are trace events that are not iommu map/unmap (sched_switch
 * ...): counted by name and skipped.  A "bad line" is a line or record that
 * cannot be parsed: an error, unless skip_bad, which counts it by reason.
 *
 * Events come out in file order; the replay sorts.  The read loop does not
 * allocate: one line buffer is reused (the trace.dat reader excepted, see
 * workloads/README.md: libtracecmd allocates each record).
 */
#ifndef PTB_TRACE_READER_H
#define PTB_TRACE_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace.h"
#include "trace_input.h"

enum trace_format {
	TRACE_FORMAT_FTRACE,		/* /sys/kernel/tracing/trace or trace_pipe text */
	TRACE_FORMAT_TRACE_CMD,		/* `trace-cmd report` text */
	TRACE_FORMAT_TRACE_DAT,		/* trace-cmd's binary trace.dat (v6, v7) */
	TRACE_FORMAT_PERF,		/* `perf script` text */
	TRACE_FORMAT_PTB,		/* ptbench's own binary .ptb v1 (ptb.h) */
	TRACE_FORMAT_NR,
};

/* Why a bad line or record was skipped (with skip_bad); an error otherwise. */
enum trace_skip_reason {
	TRACE_SKIP_NO_NEWLINE,		/* last line of the file without '\n' */
	TRACE_SKIP_LINE_TOO_LONG,	/* longer than TRACE_LINE_MAX_BYTES */
	TRACE_SKIP_BAD_PREFIX,		/* not "TASK-PID [CPU] FLAGS SECS.USECS: EVENT:" */
	TRACE_SKIP_BAD_IOMMU,		/* an iommu map/unmap whose fields do not parse */
	TRACE_SKIP_BAD_RECORD,		/* a binary record with impossible contents */
	TRACE_SKIP_NR,
};

#define TRACE_LINE_MAX_BYTES	(1u << 20)
#define TRACE_OTHER_NAMES_MAX	64	/* distinct other-event names kept; the rest in "(more)" */
#define TRACE_EVENT_NAME_BYTES	48

struct trace_name_count {
	char name[TRACE_EVENT_NAME_BYTES];
	uint64_t count;
};

struct trace_read_stats {
	uint64_t lines;			/* text lines or binary records read, good or bad */
	uint64_t events;		/* maps + unmaps returned */
	uint64_t maps;
	uint64_t unmaps;
	uint64_t iommu_pre_5_17;	/* iommu lines in the up-to-5.16 text format */
	uint64_t iommu_5_17;		/* iommu lines with the 5.17+ " - 0x<end>" */
	uint64_t other_events;		/* non-iommu events, counted and skipped */
	uint64_t bad_lines_skipped;	/* == sum of skipped[] */
	uint64_t skipped[TRACE_SKIP_NR];
	uint64_t lost_events;		/* the tracer's own "LOST n EVENTS" / dropped count
					 * (a .ptb: its header's, from the trace it was made of) */
	uint64_t converted_skipped;	/* a .ptb: bad lines convert --skip-bad left out */
	uint64_t header_entries;	/* ftrace: entries-in-buffer of its header, 0 if none */
	uint32_t nr_other_names;
	struct trace_name_count other[TRACE_OTHER_NAMES_MAX + 1];	/* last: "(more)" */
};

struct trace_open_opts {
	bool skip_bad;			/* count bad lines by reason instead of failing */
	/*
	 * Read the input as @format without detecting it (the fuzz targets use
	 * it to keep each reader on its own parser, tests/fuzz/).  gzip is still
	 * undone; a .ptb is still checked for its magic, a trace.dat by
	 * libtracecmd.
	 */
	bool force_format;
	enum trace_format format;
};

struct trace_reader;

/**
 * trace_open() - open a trace and detect its format from its first bytes.
 * @path: the file, a pipe or a FIFO, "-" for stdin; read once, from its
 *        start to its end; gzip-compressed or not, any enum trace_format.
 * @opts: options, NULL for the defaults (all false).
 * @out: the new reader, on success.
 * @err: on failure, "FILE:LINE: reason" (or "FILE: reason" when no line).
 *
 * Returns 0 or -errno (-ENOENT, -EINVAL for an unknown or corrupt format,
 * -ENOMEM).
 */
int trace_open(const char *path, const struct trace_open_opts *opts,
	       struct trace_reader **out, char *err, size_t err_bytes);

/**
 * trace_read_next() - the next iommu map or unmap event, in file order.
 *
 * Returns 1 with *ev filled, 0 at the end of the trace, -1 on an error
 * (trace_error() says "FILE:LINE: reason"); after -1 the reader stays failed.
 */
int trace_read_next(struct trace_reader *r, struct trace_event *ev);

/**
 * trace_sha256_hex() - the SHA-256 of the trace's bytes as stored (the
 * compressed bytes of a .gz), hashed while they were read: call it after
 * trace_read_next() returned 0 (it reads whatever bytes the format left,
 * e.g. after a gzip stream).  Returns 0, or -1 (trace_error() says why).
 */
int trace_sha256_hex(struct trace_reader *r, char hex[TRACE_SHA256_HEX_BYTES]);

/* The last error, "FILE:LINE: reason"; "" if none. */
const char *trace_error(const struct trace_reader *r);
const struct trace_read_stats *trace_stats(const struct trace_reader *r);
enum trace_format trace_reader_format(const struct trace_reader *r);
/* "ftrace", "trace-cmd", "trace.dat", "perf", "ptb". */
const char *trace_format_name(enum trace_format f);
/* "no-newline", "line-too-long", "bad-prefix", "bad-iommu-fields", "bad-record". */
const char *trace_skip_reason_name(enum trace_skip_reason reason);
/* Accepts NULL. */
void trace_close(struct trace_reader *r);

/*
 * ---- For the format files (ftrace.c, tracecmd.c, tracedat.c, perf.c, ptb.c) only. ----
 *
 * Text formats implement next_line(): called with each complete line (no
 * '\n', NUL-terminated), it returns 1 with *ev filled, 0 for a line that
 * carries no event (header, other event: already counted), or -1 after
 * trace_reader_bad() or trace_reader_fail().  Binary formats implement
 * next_record() instead and read through trace_reader_read_bytes().
 */
struct trace_format_ops {
	enum trace_format format;
	int (*open)(struct trace_reader *r);	/* optional: 0 or -1 (error set) */
	int (*next_line)(struct trace_reader *r, char *line, size_t line_bytes,
			 struct trace_event *ev);
	int (*next_record)(struct trace_reader *r, struct trace_event *ev);
	void (*close)(struct trace_reader *r);	/* optional */
};

extern const struct trace_format_ops ftrace_format_ops;
extern const struct trace_format_ops tracecmd_format_ops;
extern const struct trace_format_ops tracedat_format_ops;
extern const struct trace_format_ops perf_format_ops;
extern const struct trace_format_ops ptb_format_ops;

/* Error "FILE:LINE: reason" at the current line; returns -1. */
int trace_reader_fail(struct trace_reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Error "FILE: reason" (binary formats name the record in the reason); returns -1. */
int trace_reader_fail_noline(struct trace_reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * A bad line or record: with skip_bad count it under @reason and return 0
 * (the caller moves on); otherwise fail with the reason text, return -1.
 */
int trace_reader_bad(struct trace_reader *r, enum trace_skip_reason reason,
		     const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Count one event that is not an iommu map/unmap under its name. */
void trace_reader_count_other(struct trace_reader *r, const char *name, size_t name_bytes);
void trace_reader_count_lost(struct trace_reader *r, uint64_t nr_lost);
void trace_reader_count_converted_skipped(struct trace_reader *r, uint64_t nr_lines);
/* ftrace: the entries its header says the file holds (stats.header_entries). */
void trace_reader_count_header_entries(struct trace_reader *r, uint64_t nr_entries);
/* Binary formats: one more record read (stats.lines). */
void trace_reader_count_record(struct trace_reader *r);
/*
 * Read exactly @bytes from the (decompressed) input.  Returns @bytes, fewer
 * at the end of the input (0 = clean end), or -1 on an I/O or gzip error
 * (error set: a gzip stream cut short is one).
 */
long trace_reader_read_bytes(struct trace_reader *r, void *buf, size_t bytes);
/* The path as given to trace_open(). */
const char *trace_reader_path(const struct trace_reader *r);
/* Per-format private state. */
void *trace_reader_priv(const struct trace_reader *r);
void trace_reader_set_priv(struct trace_reader *r, void *priv);
/* The input is gzip-compressed (the trace.dat reader must inflate it first). */
bool trace_reader_is_gzip(const struct trace_reader *r);
/* The input is a regular file named by its path (libtracecmd may open it itself). */
bool trace_reader_is_file(const struct trace_reader *r);
/*
 * Rewind the (decompressed) input to its first byte: possible only while
 * the first 64 KiB chunk (the one the format was detected from) is the only
 * one read.  0 or -1 (error set).
 */
int trace_reader_rewind(struct trace_reader *r);
/* The current text line (for the column a message names). */
const char *trace_reader_line(const struct trace_reader *r);
/* One iommu line more of the pre-5.17 or the 5.17+ kind (trace_parse_iommu). */
void trace_reader_count_iommu(struct trace_reader *r, bool v5_17);

/*
 * Shared text helpers (trace_text.c).  Each parses from *pos and advances
 * it; returns 0, or -1 without touching the reader.
 */
/* "0x" then 1..16 hex digits. */
int trace_parse_hex(const char **pos, uint64_t *val);
/* 1..20 decimal digits, no sign, no overflow. */
int trace_parse_dec(const char **pos, uint64_t *val);
/* "SECS.FRAC" with 1..9 fraction digits (ftrace prints 6) to nanoseconds. */
int trace_parse_secs(const char **pos, uint64_t *ns);
/*
 * The payload of an iommu map or unmap event after "map: " / "unmap: ",
 * either kernel format (include/trace/events/iommu.h, before and from 5.17):
 *   IOMMU: iova=0x%016llx [- 0x%016llx ]paddr=0x%016llx size=%zu
 *   IOMMU: iova=0x%016llx [- 0x%016llx ]size=%zu unmapped_size=%zu
 * Fills op, iova, paddr, size_bytes, unmapped_bytes of *ev and counts the
 * line as pre-5.17 or 5.17+.  Returns 1, or what trace_reader_bad() returned
 * for a malformed payload (0: skipped, -1: error).
 */
int trace_parse_iommu(struct trace_reader *r, enum trace_op op, const char *payload,
		      struct trace_event *ev);
/*
 * The ftrace flags column ("d..1." in 6.1, "d..1" in 4.19, 3..5 characters;
 * kernel/trace/trace_output.c:trace_print_lat_fmt()) to TRACE_CTX_* bits.
 * Returns 0 or -1 for an unknown character.
 */
int trace_parse_ctx(const char *flags, size_t flags_bytes, uint8_t *ctx);

/*
 * Find the event timestamp " SECS.USECS: " of a text line (the first such
 * token after the task and CPU columns).  Returns a pointer to its first
 * digit and sets *ns and *after (the first character after ": "), or NULL.
 */
const char *trace_find_secs(const char *line, uint64_t *ns, const char **after);

/*
 * ftrace.c: one ftrace-family event line, as the kernel's trace and
 * trace_pipe files and `trace-cmd report` (plain and -l) print it:
 *   COMM-PID [(TGID)] [CPU] [FLAGS] SECS.USECS: EVENT: PAYLOAD
 *   COMM-PID CPUFLAGS SECS.USECS: EVENT: PAYLOAD          (report -l)
 * An iommu map/unmap fills *ev (returns 1); another event is counted
 * (returns 0); a malformed line goes to trace_reader_bad().
 */
int ftrace_parse_event_line(struct trace_reader *r, const char *line, struct trace_event *ev);

/*
 * ---- ptb.c: the .ptb v1 writer (the layout is ptb.h, the spec README.md). ----
 *
 * The file is written to "PATH.tmp.<pid>" and renamed to PATH on close, so
 * PATH is never seen half-written; a PATH ending in ".gz" is gzip-compressed.
 * Header flags are the PTB_F_* fields that every written event carries
 * (the AND of their TRACE_HAS_* bits); nr_records is the count written.
 */
struct ptb_writer;

/* Returns 0 or -errno; @err says "PATH: reason". @source: e.g. "convert:ftrace". */
int ptb_writer_open(const char *path, const char *source, struct ptb_writer **out,
		    char *err, size_t err_bytes);
/* Returns 0 or -errno (the error is kept for ptb_writer_close()). */
int ptb_writer_write(struct ptb_writer *w, const struct trace_event *ev);
/* Finish the header, compress if .gz, rename.  Returns 0 or -errno, @err set. Frees @w. */
int ptb_writer_close(struct ptb_writer *w, char *err, size_t err_bytes);
/* The header's counts (struct ptb_header_counts), written at ptb_writer_close(). */
void ptb_writer_set_counts(struct ptb_writer *w, uint64_t lost_events, uint64_t skipped_lines);
/* Give up: remove the temporary file.  Accepts NULL.  Frees @w. */
void ptb_writer_abort(struct ptb_writer *w);

#endif /* PTB_TRACE_READER_H */
