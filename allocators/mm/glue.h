/* SPDX-License-Identifier: GPL-2.0 */
/*
 * glue.h - every host dependency of the allocator models, in one place.
 *
 * The models under allocators/ read like kernel code; what they need from the
 * host (fixed-width types, assertions, bit tricks, a PRNG) comes from here
 * only.  Terms fixed here:
 *   phys_addr_t  a simulated physical address (64-bit, bytes)
 *   pfn          a page frame number: phys >> PAGE_SHIFT
 *   page         a simulated 4 KiB frame (struct page, mm.h)
 */
#ifndef PTB_GLUE_H
#define PTB_GLUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "prng.h"	/* every random choice in a model, seeded from the run's --seed */

typedef uint64_t phys_addr_t;
typedef uint32_t gfp_t;

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1ULL << PAGE_SHIFT)
#define PAGE_MASK  (~(PAGE_SIZE - 1))

#define SZ_1K   0x400ULL
#define SZ_4K   0x1000ULL
#define SZ_64K  0x10000ULL
#define SZ_1M   0x100000ULL
#define SZ_16M  0x1000000ULL
#define SZ_4G   0x100000000ULL

#define KIB_BYTES 1024ULL
#define MIB_BYTES (1024ULL * 1024)
#define GIB_BYTES (1024ULL * 1024 * 1024)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* fls(): 1-based index of the most significant set bit, 0 for 0 (kernel bitops). */
static inline int fls(unsigned int x)
{
	return x ? 32 - __builtin_clz(x) : 0;
}

static inline int fls64(uint64_t x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

static inline int ilog2_u64(uint64_t x)
{
	return fls64(x) - 1;
}

/* int_sqrt(): floor of the square root, as lib/int_sqrt.c computes it. */
static inline uint64_t int_sqrt(uint64_t x)
{
	uint64_t b, m, y = 0;

	if (x <= 1)
		return x;
	m = 1ULL << (ilog2_u64(x) & ~1);
	while (m != 0) {
		b = y + m;
		y >>= 1;
		if (x >= b) {
			x -= b;
			y += m;
		}
		m >>= 2;
	}
	return y;
}

/*
 * Assertions.  PTB_BUG_ON() is always on: it guards invariants whose breach
 * would make every later number wrong.  PTB_DEBUG_CHECK() runs expensive
 * checks only when built with -DPTB_DEBUG=1 (tests), not in benchmarks.
 */
void ptb_bug(const char *file, int line, const char *cond) __attribute__((noreturn));
#define PTB_BUG_ON(cond) \
	do { if (unlikely(cond)) ptb_bug(__FILE__, __LINE__, #cond); } while (0)
#ifndef PTB_DEBUG
#define PTB_DEBUG 0
#endif
#define PTB_DEBUG_CHECK(cond) \
	do { if (PTB_DEBUG && unlikely(!(cond))) ptb_bug(__FILE__, __LINE__, #cond); } while (0)

#endif /* PTB_GLUE_H */
