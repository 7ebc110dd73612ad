/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kgfp.h - the running kernel's gfp bits, translated to ptbench's encoding
 * (allocators/mm/gfp.h: the 4.19 bit values).
 *
 * Types:
 *   struct kgfp  kernel bit -> ptbench mask, learnt from the kernel itself.
 * The kernel renumbers its ___GFP_* bits between versions (4.19: __GFP_ZERO
 * = 0x8000; 6.1: 0x100), and the numbers are macros, absent from BTF.  The
 * kernel does print them, though: the mm_page_alloc event's format file
 * (tracefs events/kmem/mm_page_alloc/format) carries show_gfp_flags()'s
 * table, include/trace/events/mmflags.h, as C expressions the build
 * expanded: {( unsigned long)(( gfp_t)0x100u), "__GFP_ZERO"} in 6.1,
 * {( unsigned long)(( gfp_t)((((1UL))) << (8))), "__GFP_ZERO"} in 6.18.
 * Every single-bit entry whose name ptbench knows (gfp_parse()) gives one
 * kernel bit -> ptbench bit; kernel bits ptbench has no name for
 * (__GFP_ZEROTAGS, __GFP_SKIP_KASAN, __GFP_NOLOCKDEP...) are dropped and
 * counted.  A kernel without __GFP_ATOMIC (6.18's table has none) never sets it.
 */
#ifndef PTB_RECORDER_KGFP_H
#define PTB_RECORDER_KGFP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KGFP_BITS		32	/* gfp_t is unsigned int */
#define KGFP_NAME_BYTES		32

struct kgfp {
	uint32_t to_ptb[KGFP_BITS];		/* kernel bit i -> ptbench mask (0: unknown) */
	char name[KGFP_BITS][KGFP_NAME_BYTES];	/* the kernel's name of bit i, "" if none */
	uint32_t mapped_mask;			/* kernel bits with a ptbench equivalent */
};

/**
 * kgfp_load() - read the gfp table from an event format file.
 * @path: normally TRACEFS/events/kmem/mm_page_alloc/format.
 *
 * Returns 0, or -errno with @err "PATH: reason" (-EINVAL: no gfp table, or
 * a bit named twice with different ptbench values).
 */
int kgfp_load(struct kgfp *g, const char *path, char *err, size_t err_bytes);

/* @kernel_gfp in ptbench's encoding; *dropped_bits: kernel bits that had none. */
uint32_t kgfp_translate(const struct kgfp *g, uint64_t kernel_gfp, uint64_t *dropped_bits);

#endif /* PTB_RECORDER_KGFP_H */
