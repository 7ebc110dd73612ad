// SPDX-License-Identifier: GPL-2.0
/*
 * sha256.c - SHA-256 as FIPS 180-4 section 6.2 defines it, byte-oriented,
 * for hashing trace files (a few per run: clarity over speed).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sha256.h"

static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t rotr(uint32_t x, unsigned int n)
{
	return x >> n | x << (32 - n);
}

/* FIPS 180-4 6.2.2: one 512-bit block. */
static void sha256_block(struct sha256 *s, const uint8_t *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, h;
	int t;

	for (t = 0; t < 16; t++)
		w[t] = (uint32_t)p[4 * t] << 24 | (uint32_t)p[4 * t + 1] << 16 |
		       (uint32_t)p[4 * t + 2] << 8 | p[4 * t + 3];
	for (t = 16; t < 64; t++) {
		uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
		uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);

		w[t] = w[t - 16] + s0 + w[t - 7] + s1;
	}
	a = s->state[0]; b = s->state[1]; c = s->state[2]; d = s->state[3];
	e = s->state[4]; f = s->state[5]; g = s->state[6]; h = s->state[7];
	for (t = 0; t < 64; t++) {
		uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) +
			      sha256_k[t] + w[t];
		uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));

		h = g; g = f; f = e; e = d + t1;
		d = c; c = b; b = a; a = t1 + t2;
	}
	s->state[0] += a; s->state[1] += b; s->state[2] += c; s->state[3] += d;
	s->state[4] += e; s->state[5] += f; s->state[6] += g; s->state[7] += h;
}

void sha256_init(struct sha256 *s)
{
	static const uint32_t h0[8] = {	/* FIPS 180-4 5.3.3 */
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};

	memcpy(s->state, h0, sizeof(h0));
	s->total_bytes = 0;
	s->block_bytes = 0;
}

void sha256_update(struct sha256 *s, const void *data, size_t bytes)
{
	const uint8_t *p = data;

	s->total_bytes += bytes;
	while (bytes) {
		size_t take = 64 - s->block_bytes;

		if (take > bytes)
			take = bytes;
		memcpy(s->block + s->block_bytes, p, take);
		s->block_bytes += take;
		p += take;
		bytes -= take;
		if (s->block_bytes == 64) {
			sha256_block(s, s->block);
			s->block_bytes = 0;
		}
	}
}

void sha256_final(struct sha256 *s, uint8_t digest[SHA256_DIGEST_BYTES])
{
	uint64_t bits = s->total_bytes * 8;
	uint8_t len[8];
	int i;

	/* FIPS 180-4 5.1.1: 0x80, zeros up to 56 mod 64, the length in bits. */
	for (i = 0; i < 8; i++)
		len[i] = (uint8_t)(bits >> (56 - 8 * i));
	s->block[s->block_bytes++] = 0x80;
	if (s->block_bytes > 56) {
		memset(s->block + s->block_bytes, 0, 64 - s->block_bytes);
		sha256_block(s, s->block);
		s->block_bytes = 0;
	}
	memset(s->block + s->block_bytes, 0, 56 - s->block_bytes);
	memcpy(s->block + 56, len, 8);
	sha256_block(s, s->block);
	for (i = 0; i < 32; i++)
		digest[i] = (uint8_t)(s->state[i / 4] >> (24 - 8 * (i % 4)));
}

void sha256_hex(const uint8_t digest[SHA256_DIGEST_BYTES], char *hex)
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 0; i < SHA256_DIGEST_BYTES; i++) {
		hex[2 * i] = digits[digest[i] >> 4];
		hex[2 * i + 1] = digits[digest[i] & 0xf];
	}
	hex[2 * SHA256_DIGEST_BYTES] = '\0';
}

int sha256_file_hex(const char *path, char *hex)
{
	uint8_t buf[65536], digest[SHA256_DIGEST_BYTES];
	struct sha256 s;
	FILE *f;
	size_t n;
	int ret = 0;

	f = fopen(path, "rb");
	if (!f)
		return -errno;
	sha256_init(&s);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sha256_update(&s, buf, n);
	if (ferror(f))
		ret = -EIO;
	fclose(f);
	if (ret)
		return ret;
	sha256_final(&s, digest);
	sha256_hex(digest, hex);
	return 0;
}
