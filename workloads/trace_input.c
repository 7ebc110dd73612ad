// SPDX-License-Identifier: GPL-2.0
/*
 * trace_input.c - a trace's bytes, read once from a file, a pipe or stdin:
 * hashed with libcrypto's SHA-256 as they arrive, and inflated with zlib
 * when they are gzip, the way gzread() reads (so a pipe works: nothing is
 * opened twice, nothing is rewound).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/evp.h>
#include <zlib.h>

#include "trace_input.h"

#define TRACE_INPUT_RAW_BYTES	(128u * 1024)

enum input_mode {
	INPUT_UNKNOWN,		/* nothing read yet */
	INPUT_DIRECT,		/* not gzip: the raw bytes are the data */
	INPUT_GZIP,		/* inside a gzip member */
	INPUT_GZIP_DONE,	/* after the last member: the rest must be zero padding */
};

struct trace_input {
	int fd;
	bool own_fd;		/* not stdin */
	bool is_file;
	bool raw_eof;
	bool hash_done;
	enum input_mode mode;
	unsigned char *raw;
	size_t raw_pos, raw_len;
	uint64_t raw_total;	/* raw bytes read so far: raw[raw_len] is at this offset */
	z_stream zs;
	bool zs_init;
	EVP_MD_CTX *md;
	char hex[TRACE_SHA256_HEX_BYTES];
};

/* Every raw byte goes through here: read, then hashed.  Returns bytes, 0 at EOF, -1. */
static long raw_read(struct trace_input *in, void *buf, size_t bytes)
{
	ssize_t n;

	if (in->raw_eof)
		return 0;
	do
		n = read(in->fd, buf, bytes);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if (n == 0) {
		in->raw_eof = true;
		return 0;
	}
	in->raw_total += (uint64_t)n;
	if (!EVP_DigestUpdate(in->md, buf, (size_t)n)) {
		errno = ENOMEM;
		return -1;
	}
	return n;
}

/* Keep the unread raw bytes and read more behind them.  Returns as raw_read(). */
static long raw_fill(struct trace_input *in)
{
	long n;

	if (in->raw_pos) {
		memmove(in->raw, in->raw + in->raw_pos, in->raw_len - in->raw_pos);
		in->raw_len -= in->raw_pos;
		in->raw_pos = 0;
	}
	n = raw_read(in, in->raw + in->raw_len, TRACE_INPUT_RAW_BYTES - in->raw_len);
	if (n > 0)
		in->raw_len += (size_t)n;
	return n;
}

/* At least @need unread raw bytes, unless the input ends first.  0 or -1. */
static int raw_want(struct trace_input *in, size_t need)
{
	while (in->raw_len - in->raw_pos < need && !in->raw_eof)
		if (raw_fill(in) < 0)
			return -1;
	return 0;
}

static bool raw_gzip_magic(const struct trace_input *in)
{
	return in->raw_len - in->raw_pos >= 2 && in->raw[in->raw_pos] == 0x1f &&
	       in->raw[in->raw_pos + 1] == 0x8b;
}

static int read_error(char *err, size_t err_bytes)
{
	snprintf(err, err_bytes, "read error: %s", strerror(errno));
	return -1;
}

int trace_input_open(const char *path, struct trace_input **out, char *err, size_t err_bytes)
{
	struct trace_input *in = calloc(1, sizeof(*in));
	struct stat st;
	int ret = -ENOMEM;

	*out = NULL;
	if (!in)
		goto fail;
	in->fd = -1;
	in->raw = malloc(TRACE_INPUT_RAW_BYTES);
	in->md = EVP_MD_CTX_new();
	if (!in->raw || !in->md || !EVP_DigestInit_ex(in->md, EVP_sha256(), NULL))
		goto fail;
	if (!strcmp(path, "-")) {
		in->fd = STDIN_FILENO;
	} else {
		in->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (in->fd < 0) {
			ret = -errno;
			goto fail;
		}
		in->own_fd = true;
		in->is_file = !fstat(in->fd, &st) && S_ISREG(st.st_mode);
	}
	*out = in;
	return 0;
fail:
	snprintf(err, err_bytes, "%s: %s", path, strerror(-ret));
	trace_input_close(in);
	return ret;
}

/* The first bytes decide: gzip's magic, or the bytes as they are. */
static int input_start(struct trace_input *in, char *err, size_t err_bytes)
{
	if (raw_want(in, 2) < 0)
		return read_error(err, err_bytes);
	if (!raw_gzip_magic(in)) {
		in->mode = INPUT_DIRECT;
		return 0;
	}
	/* 16 + MAX_WBITS: a gzip wrapper, as gzread() expects one */
	if (inflateInit2(&in->zs, 16 + MAX_WBITS) != Z_OK) {
		snprintf(err, err_bytes, "gzip: out of memory");
		return -1;
	}
	in->zs_init = true;
	in->mode = INPUT_GZIP;
	return 0;
}

/* After a member's end: another member follows, or the data ends. */
static int gzip_next_member(struct trace_input *in)
{
	if (raw_want(in, 2) < 0)
		return -1;
	if (!raw_gzip_magic(in)) {
		in->mode = INPUT_GZIP_DONE;	/* gz_look(); trace_input_check_end() looks at the rest */
		return 0;
	}
	inflateReset(&in->zs);
	return 0;
}

static long gzip_read(struct trace_input *in, void *buf, size_t bytes, char *err, size_t err_bytes)
{
	unsigned int chunk = bytes > (1u << 30) ? 1u << 30 : (unsigned int)bytes;

	in->zs.next_out = buf;
	in->zs.avail_out = chunk;
	while (in->mode == INPUT_GZIP && in->zs.avail_out == chunk) {
		int zret;

		if (in->raw_pos == in->raw_len) {
			in->raw_pos = in->raw_len = 0;
			if (raw_fill(in) < 0)
				return read_error(err, err_bytes);
			if (in->raw_len == 0) {
				snprintf(err, err_bytes,
					 "gzip stream cut short (unexpected end of file): the trace is incomplete");
				return -1;
			}
		}
		in->zs.next_in = in->raw + in->raw_pos;
		in->zs.avail_in = (unsigned int)(in->raw_len - in->raw_pos);
		zret = inflate(&in->zs, Z_NO_FLUSH);
		in->raw_pos = in->raw_len - in->zs.avail_in;
		if (zret == Z_STREAM_END) {
			if (gzip_next_member(in) < 0)
				return read_error(err, err_bytes);
			continue;
		}
		if (zret == Z_MEM_ERROR) {
			snprintf(err, err_bytes, "gzip: out of memory");
			return -1;
		}
		if (zret != Z_OK && zret != Z_BUF_ERROR) {
			snprintf(err, err_bytes, "gzip: %s", in->zs.msg ? in->zs.msg : "corrupt data");
			return -1;
		}
	}
	return (long)(chunk - in->zs.avail_out);
}

long trace_input_read(struct trace_input *in, void *buf, size_t bytes, char *err, size_t err_bytes)
{
	long n;

	if (in->mode == INPUT_UNKNOWN && input_start(in, err, err_bytes) < 0)
		return -1;
	if (in->mode == INPUT_GZIP)
		return gzip_read(in, buf, bytes, err, err_bytes);
	if (in->mode != INPUT_DIRECT)
		return 0;
	if (in->raw_pos < in->raw_len) {
		size_t take = in->raw_len - in->raw_pos < bytes ? in->raw_len - in->raw_pos : bytes;

		memcpy(buf, in->raw + in->raw_pos, take);
		in->raw_pos += take;
		return (long)take;
	}
	n = raw_read(in, buf, bytes);
	return n < 0 ? read_error(err, err_bytes) : n;
}

int trace_input_check_end(struct trace_input *in, uint64_t *garbage_offset,
			  char *err, size_t err_bytes)
{
	if (in->mode != INPUT_GZIP_DONE)
		return 0;
	for (;;) {
		for (; in->raw_pos < in->raw_len; in->raw_pos++) {
			if (in->raw[in->raw_pos]) {
				*garbage_offset = in->raw_total - (in->raw_len - in->raw_pos);
				return 1;
			}
		}
		in->raw_pos = in->raw_len = 0;
		if (raw_fill(in) < 0)
			return read_error(err, err_bytes);
		if (in->raw_len == 0)
			return 0;
	}
}

bool trace_input_is_gzip(const struct trace_input *in)
{
	return in->mode == INPUT_GZIP || in->mode == INPUT_GZIP_DONE;
}

bool trace_input_is_file(const struct trace_input *in)
{
	return in->is_file;
}

int trace_input_sha256_hex(struct trace_input *in, char hex[TRACE_SHA256_HEX_BYTES],
			   char *err, size_t err_bytes)
{
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int digest_bytes = 0;
	long n;

	if (!in->hash_done) {
		/* the bytes nobody needed (after a gzip stream, a trace.dat libtracecmd read) */
		in->raw_pos = in->raw_len = 0;
		while ((n = raw_read(in, in->raw, TRACE_INPUT_RAW_BYTES)) > 0)
			;
		if (n < 0)
			return read_error(err, err_bytes);
		if (!EVP_DigestFinal_ex(in->md, digest, &digest_bytes)) {
			snprintf(err, err_bytes, "sha256: libcrypto failed");
			return -1;
		}
		for (unsigned int i = 0; i < digest_bytes; i++)
			snprintf(in->hex + 2 * i, 3, "%02x", digest[i]);
		in->hash_done = true;
	}
	memcpy(hex, in->hex, TRACE_SHA256_HEX_BYTES);
	return 0;
}

void trace_input_close(struct trace_input *in)
{
	if (!in)
		return;
	if (in->zs_init)
		inflateEnd(&in->zs);
	if (in->own_fd && in->fd >= 0)
		close(in->fd);
	EVP_MD_CTX_free(in->md);
	free(in->raw);
	free(in);
}
