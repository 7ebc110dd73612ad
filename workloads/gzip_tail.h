/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gzip_tail.h - what follows the last gzip member of a file.
 *
 * zlib's gzread() reads concatenated members, as `gzip -dc` does, but stops
 * without a word at bytes that are not a member; `gzip -dc` says "trailing
 * garbage ignored" and exits 2.  A trace must not hide half of itself, so
 * the reader checks the end of a gzip file: members, then nothing but zero
 * bytes (tape padding, which gzip ignores silently too).
 */
#ifndef PTB_GZIP_TAIL_H
#define PTB_GZIP_TAIL_H

#include <stdint.h>

/**
 * gzip_tail_check() - does the gzip file @path end after its last member?
 * @total_out: the bytes gzread() inflated from it, all members.
 * @garbage_offset: on 1, where the garbage starts, in bytes from the file's start.
 *
 * A file whose last 4 bytes are @total_out mod 2^32 (the one member's
 * ISIZE) ends cleanly at once; any other is inflated again member by member
 * to find where the last one ends.  A file that is not regular (a FIFO)
 * cannot be read twice and is taken as it is.
 * Returns 0 (clean), 1 (garbage) or -errno.
 */
int gzip_tail_check(const char *path, uint64_t total_out, uint64_t *garbage_offset);

#endif /* PTB_GZIP_TAIL_H */
