/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sha256.h - SHA-256 (FIPS 180-4) of a trace file's bytes as stored (the
 * compressed bytes for a .gz): the "trace.sha256" of every result.
 *
 * Types:
 *   struct sha256  a running hash: init, update any number of times, final.
 */
#ifndef PTB_SHA256_H
#define PTB_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_BYTES	32
#define SHA256_HEX_BYTES	65	/* 64 hex digits + NUL */

struct sha256 {
	uint32_t state[8];
	uint64_t total_bytes;
	uint8_t block[64];
	size_t block_bytes;		/* bytes waiting in block[] */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t bytes);
void sha256_final(struct sha256 *s, uint8_t digest[SHA256_DIGEST_BYTES]);
/* Lower-case hex of a digest into @hex (SHA256_HEX_BYTES). */
void sha256_hex(const uint8_t digest[SHA256_DIGEST_BYTES], char *hex);
/* SHA-256 of the bytes @path holds, as hex.  Returns 0 or -errno. */
int sha256_file_hex(const char *path, char *hex);

#endif /* PTB_SHA256_H */
