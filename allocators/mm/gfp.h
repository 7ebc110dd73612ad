/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gfp.h - GFP flags with the kernel's names, composed as the kernel composes
 * them (include/linux/gfp.h).
 *
 * The bit values are those of 4.19 (GFP_ATOMIC == 0x480020); they are
 * ptbench's canonical encoding.  gfp_kernel_value() re-encodes a mask the way
 * another version numbers its bits, for messages such as "Unexpected gfp:".
 * 6.13 dropped __GFP_ATOMIC from GFP_ATOMIC; the page allocator models that
 * through wmark_non_block() (watermark.c) rather than a different mask.
 */
#ifndef PTB_GFP_H
#define PTB_GFP_H

#include "glue.h"
#include "kernel.h"

#define __GFP_DMA            0x01u
#define __GFP_HIGHMEM        0x02u
#define __GFP_DMA32          0x04u
#define __GFP_MOVABLE        0x08u
#define __GFP_RECLAIMABLE    0x10u
#define __GFP_HIGH           0x20u
#define __GFP_IO             0x40u
#define __GFP_FS             0x80u
#define __GFP_WRITE          0x100u
#define __GFP_NOWARN         0x200u
#define __GFP_RETRY_MAYFAIL  0x400u
#define __GFP_NOFAIL         0x800u
#define __GFP_NORETRY        0x1000u
#define __GFP_MEMALLOC       0x2000u
#define __GFP_COMP           0x4000u
#define __GFP_ZERO           0x8000u
#define __GFP_NOMEMALLOC     0x10000u
#define __GFP_HARDWALL       0x20000u
#define __GFP_THISNODE       0x40000u
#define __GFP_ATOMIC         0x80000u
#define __GFP_ACCOUNT        0x100000u
#define __GFP_DIRECT_RECLAIM 0x200000u
#define __GFP_KSWAPD_RECLAIM 0x400000u
#define __GFP_BITS_SHIFT     23

#define __GFP_RECLAIM    (__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)
#define GFP_ZONEMASK     (__GFP_DMA | __GFP_HIGHMEM | __GFP_DMA32 | __GFP_MOVABLE)
#define GFP_MOVABLE_MASK (__GFP_RECLAIMABLE | __GFP_MOVABLE)

#define GFP_ATOMIC       (__GFP_HIGH | __GFP_ATOMIC | __GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL       (__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_NOWAIT       (__GFP_KSWAPD_RECLAIM)
#define GFP_NOIO         (__GFP_RECLAIM)
#define GFP_NOFS         (__GFP_RECLAIM | __GFP_IO)
#define GFP_USER         (__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL)
#define GFP_DMA          (__GFP_DMA)
#define GFP_DMA32        (__GFP_DMA32)
#define GFP_HIGHUSER     (GFP_USER | __GFP_HIGHMEM)
#define GFP_HIGHUSER_MOVABLE (GFP_HIGHUSER | __GFP_MOVABLE)

/* mm/internal.h: the parts of a caller's gfp that the slab allocator passes on. */
#define GFP_RECLAIM_MASK (__GFP_RECLAIM | __GFP_HIGH | __GFP_IO | __GFP_FS | \
			  __GFP_NOWARN | __GFP_RETRY_MAYFAIL | __GFP_NOFAIL | \
			  __GFP_NORETRY | __GFP_MEMALLOC | __GFP_NOMEMALLOC | \
			  __GFP_ATOMIC)
#define GFP_CONSTRAINT_MASK (__GFP_HARDWALL | __GFP_THISNODE)
/* mm/internal.h: flags a slab allocation must not carry (4.19 and 6.1). */
#define GFP_SLAB_BUG_MASK (__GFP_DMA32 | __GFP_HIGHMEM | ~((1u << __GFP_BITS_SHIFT) - 1))

static inline bool gfpflags_allow_blocking(gfp_t gfp)
{
	return gfp & __GFP_DIRECT_RECLAIM;
}

/*
 * The same mask as `kver` numbers its bits.  4.19 and 5.4 share the encoding
 * above; 6.1 and 6.13 renumbered them (include/linux/gfp_types.h in 6.1:
 * GFP_ATOMIC|__GFP_ZERO == 0xb20).
 */
gfp_t gfp_kernel_value(gfp_t gfp, enum kver kver);
/* "GFP_ATOMIC|__GFP_ZERO" as %pGg prints it (mmflags.h order). Returns buf. */
const char *gfp_format(gfp_t gfp, char *buf, size_t buf_bytes);
/* Parse "GFP_ATOMIC|__GFP_DMA32" or a number. Returns 0 or -EINVAL. */
int gfp_parse(const char *s, gfp_t *out);

#endif /* PTB_GFP_H */
