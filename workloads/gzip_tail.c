// SPDX-License-Identifier: GPL-2.0
/*
 * gzip_tail.c - the end of a gzip file: members, zero padding, or garbage
 * (gzip_tail.h).  Members are walked with inflate() as gzip(1) does
 * (gzip 1.12 unzip.c: another member must start with the magic 1f 8b).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "gzip_tail.h"

#define GZIP_TAIL_BUF_BYTES	(64u * 1024)
#define GZIP_TRAILER_BYTES	8	/* CRC32, ISIZE */
#define GZIP_HEADER_MIN_BYTES	10

/* The file's last 4 bytes are the inflated size mod 2^32: one member, nothing after. */
static bool isize_matches(int fd, const struct stat *st, uint64_t total_out)
{
	unsigned char b[4];

	if (st->st_size < GZIP_HEADER_MIN_BYTES + GZIP_TRAILER_BYTES ||
	    pread(fd, b, sizeof(b), st->st_size - 4) != 4)
		return false;
	return ((uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
		(uint32_t)b[3] << 24) == (uint32_t)total_out;
}

/*
 * Inflate member after member; between two, skip zero bytes.  Returns 0,
 * 1 with *garbage_offset, or -errno.
 */
static int walk_members(int fd, uint64_t *garbage_offset)
{
	static unsigned char in[GZIP_TAIL_BUF_BYTES], out[GZIP_TAIL_BUF_BYTES];
	uint64_t read_bytes = 0, member_start = 0;
	bool in_member = true, zeros = false;
	z_stream s;
	int ret = 0;

	memset(&s, 0, sizeof(s));
	if (inflateInit2(&s, 16 + MAX_WBITS) != Z_OK)
		return -ENOMEM;
	for (;;) {
		if (!s.avail_in) {
			ssize_t n = read(fd, in, sizeof(in));

			if (n < 0) {
				ret = -errno;
				break;
			}
			if (n == 0)
				break;
			s.next_in = in;
			s.avail_in = (uInt)n;
			read_bytes += (uint64_t)n;
		}
		if (in_member) {
			int zret;

			s.next_out = out;
			s.avail_out = sizeof(out);
			zret = inflate(&s, Z_NO_FLUSH);
			if (zret == Z_STREAM_END) {
				in_member = false;
			} else if (zret != Z_OK && zret != Z_BUF_ERROR) {
				/* not a member after all (the first one gzread() read whole) */
				*garbage_offset = member_start;
				ret = 1;
				break;
			}
			continue;
		}
		/* between members: zero padding, another member, or garbage */
		while (s.avail_in && !*s.next_in) {
			s.next_in++;
			s.avail_in--;
			zeros = true;
		}
		if (!s.avail_in)
			continue;
		member_start = read_bytes - s.avail_in;
		if (zeros || *s.next_in != 0x1f) {
			*garbage_offset = member_start;
			ret = 1;
			break;
		}
		inflateReset(&s);
		in_member = true;
	}
	inflateEnd(&s);
	return ret;
}

int gzip_tail_check(const char *path, uint64_t total_out, uint64_t *garbage_offset)
{
	struct stat st;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		ret = -errno;
	else if (!S_ISREG(st.st_mode) || isize_matches(fd, &st, total_out))
		ret = 0;
	else
		ret = walk_members(fd, garbage_offset);
	close(fd);
	return ret;
}
