/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ptb_decode.h - the one decoder of .ptb v1 (layout: ptb.h; spec: README.md),
 * FREESTANDING: <stdint.h>, <stddef.h>, <stdbool.h> and nothing else, because
 * the same source is compiled into ptbench (ptb.c, the trace reader) and into
 * both kernel modules (kmod/oracle_trace.c).  Every check a .ptb goes through,
 * and the one-line reason of each refusal, is written here once.
 *
 * Types:
 *   struct ptb_layout  what a v1 header declares: the sizes, the flags, the
 *                      record count (0 = unknown) and the TRACE_HAS_* bits
 *                      every record of the file carries.
 * The caller reads the bytes (a stream on the host, gzip or not; a buffer
 * in the module); the decoder judges them.  A reason is at most
 * PTB_ERR_BYTES bytes, NUL included; a longer one is cut.
 */
#ifndef PTB_PTB_DECODE_H
#define PTB_PTB_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ptb.h"
#include "trace.h"

#define PTB_ERR_BYTES		160u

struct ptb_layout {
	uint32_t header_bytes;		/* >= PTB_HEADER_BYTES: a later header may be longer */
	uint32_t record_bytes;		/* >= PTB_RECORD_BYTES */
	uint32_t flags;			/* PTB_F_* */
	uint64_t nr_records;		/* 0 = unknown */
	uint8_t has;			/* TRACE_HAS_* from flags */
	uint64_t lost_events;		/* struct ptb_header_counts, 0 when the header has none */
	uint64_t skipped_lines;
};

/**
 * ptb_decode_header() - check the first @bytes bytes of a file (all of the
 * 64-byte v1 header, or what there was of it) and fill @l.  The counts
 * (struct ptb_header_counts) are read when header_bytes declares them and
 * @bytes holds them; the bytes past them that a longer header_bytes declares
 * are the caller's to skip.  Returns 0, or -1 with the reason in @err.
 */
int ptb_decode_header(const unsigned char *h, uint64_t bytes, struct ptb_layout *l,
		      char *err, size_t err_bytes);

/**
 * ptb_check_length() - a file of @file_bytes bytes against its header: the
 * whole declared header present, a whole number of records, as many as
 * nr_records says (when it says).  Returns 0, or -1 with the reason in @err.
 */
int ptb_check_length(const struct ptb_layout *l, uint64_t file_bytes, char *err, size_t err_bytes);

/**
 * ptb_decode_record() - record @idx (0-based) from its record_bytes bytes
 * at @b into @ev: every field little-endian, fields the header does not
 * promise (or the op has not) read as 0 (trace.h).  Returns 0, or -1 with
 * the reason in @err when the record is impossible (an op that is neither
 * map nor unmap, ctx bits v1 does not define): a bad record, which the
 * host may skip (--skip-bad) and the module refuses.
 */
int ptb_decode_record(const struct ptb_layout *l, const unsigned char *b, uint64_t idx,
		      struct trace_event *ev, char *err, size_t err_bytes);

/* The reasons a reader that learns the length only by reading gives. */
void ptb_err_header_short(char *err, size_t err_bytes, uint64_t got_bytes, uint32_t header_bytes);
void ptb_err_record_short(char *err, size_t err_bytes, uint64_t idx, uint64_t got_bytes,
			  uint32_t record_bytes);
void ptb_err_count(char *err, size_t err_bytes, uint64_t declared, uint64_t held);

#endif /* PTB_PTB_DECODE_H */
