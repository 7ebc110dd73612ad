/* SPDX-License-Identifier: GPL-2.0 */
/*
 * prng.h - the PRNG every random choice of the models comes from:
 * xoshiro256** seeded through splitmix64.  Freestanding (fixed-width types
 * only), so ptb_oracle.ko draws exactly what the model draws from the same
 * seed (kmod/oracle_pressure.c: steady's levels).
 */
#ifndef PTB_PRNG_H
#define PTB_PRNG_H

#include <stdint.h>

struct prng {
	uint64_t s[4];
};

void prng_seed(struct prng *r, uint64_t seed);
uint64_t prng_next(struct prng *r);
/* A uniform integer in [0, bound), bound > 0, without modulo bias. */
uint64_t prng_below(struct prng *r, uint64_t bound);
/*
 * Draw @idx of the sequence @seed names: a uniform integer in [0, bound),
 * the same whichever draws were made before (a period's level, by index).
 */
uint64_t prng_draw(uint64_t seed, uint64_t idx, uint64_t bound);

#endif /* PTB_PRNG_H */
