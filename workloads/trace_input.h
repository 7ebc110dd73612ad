/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace_input.h - the bytes of a trace, read once: from a file, a pipe, a
 * FIFO or stdin ("-"), gunzipped when they are gzip, and hashed (SHA-256,
 * libcrypto's EVP) as they are read.
 *
 * Types:
 *   struct trace_input  one open input: the raw bytes, the inflate stream,
 *                       the running hash.
 * Terms: "raw" bytes are the bytes as stored (the compressed bytes of a
 * .gz); "data" bytes are what comes out (the trace itself).  The hash is
 * of the raw bytes, all of them (trailing bytes after a gzip stream too):
 * the "trace.sha256" of every result, what `sha256sum FILE` prints.
 */
#ifndef PTB_TRACE_INPUT_H
#define PTB_TRACE_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TRACE_SHA256_HEX_BYTES	65	/* 64 hex digits + NUL */

struct trace_input;

/**
 * trace_input_open() - open @path ("-": stdin) for reading.
 * Returns 0 or -errno, with "PATH: reason" in @err.
 */
int trace_input_open(const char *path, struct trace_input **out, char *err, size_t err_bytes);

/**
 * trace_input_read() - up to @bytes data bytes into @buf.
 *
 * gzip (magic 1f 8b) is undone as zlib's gzread() does: members one after
 * the other, the data ending at the first bytes after a member that are not
 * another member (trace_input_check_end() then says what they are);
 * anything else is passed through.  Returns the bytes read (fewer than @bytes is not the end), 0 at
 * the end, or -1 with a reason in @err ("gzip stream cut short (...): the
 * trace is incomplete", "gzip: ...", "read error: ...").
 */
long trace_input_read(struct trace_input *in, void *buf, size_t bytes, char *err, size_t err_bytes);

/**
 * trace_input_check_end() - after trace_input_read() returned 0: what
 * follows the last gzip member, as `gzip -dc` (1.12) reads it.  Zero bytes
 * are padding; anything else is garbage (gzip -dc warns "trailing garbage
 * ignored" and exits 2), @garbage_offset its first byte from the input's
 * start.  The bytes are read (and hashed) to the end.  An input that is not
 * gzip ends clean.  Returns 0 (clean), 1 (garbage), or -1 with "read
 * error: ..." in @err.
 */
int trace_input_check_end(struct trace_input *in, uint64_t *garbage_offset,
			  char *err, size_t err_bytes);

/* The input is gzip: known after the first trace_input_read(). */
bool trace_input_is_gzip(const struct trace_input *in);
/* The input is a regular file opened by its path (it can be opened again). */
bool trace_input_is_file(const struct trace_input *in);

/**
 * trace_input_sha256_hex() - the SHA-256 of every raw byte of the input:
 * reads (and hashes) what was not read yet, then finishes the hash.
 * Returns 0, or -1 with "read error: ..." in @err.
 */
int trace_input_sha256_hex(struct trace_input *in, char hex[TRACE_SHA256_HEX_BYTES],
			   char *err, size_t err_bytes);

/* Accepts NULL. */
void trace_input_close(struct trace_input *in);

#endif /* PTB_TRACE_INPUT_H */
