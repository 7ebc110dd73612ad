// SPDX-License-Identifier: GPL-2.0
/* gfp.c - printing, parsing and per-version re-encoding of GFP masks. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gfp.h"

/* Composite names first, as include/trace/events/mmflags.h lists them. */
static const struct {
	gfp_t mask;
	const char *name;
} gfp_names[] = {
	{ GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE" },
	{ GFP_HIGHUSER, "GFP_HIGHUSER" },
	{ GFP_USER, "GFP_USER" },
	{ GFP_KERNEL, "GFP_KERNEL" },
	{ GFP_NOFS, "GFP_NOFS" },
	{ GFP_ATOMIC, "GFP_ATOMIC" },
	{ GFP_NOIO, "GFP_NOIO" },
	{ GFP_NOWAIT, "GFP_NOWAIT" },
	{ GFP_DMA, "GFP_DMA" },
	{ __GFP_HIGHMEM, "__GFP_HIGHMEM" },
	{ GFP_DMA32, "GFP_DMA32" },
	{ __GFP_HIGH, "__GFP_HIGH" },
	{ __GFP_ATOMIC, "__GFP_ATOMIC" },
	{ __GFP_IO, "__GFP_IO" },
	{ __GFP_FS, "__GFP_FS" },
	{ __GFP_NOWARN, "__GFP_NOWARN" },
	{ __GFP_RETRY_MAYFAIL, "__GFP_RETRY_MAYFAIL" },
	{ __GFP_NOFAIL, "__GFP_NOFAIL" },
	{ __GFP_NORETRY, "__GFP_NORETRY" },
	{ __GFP_COMP, "__GFP_COMP" },
	{ __GFP_ZERO, "__GFP_ZERO" },
	{ __GFP_NOMEMALLOC, "__GFP_NOMEMALLOC" },
	{ __GFP_MEMALLOC, "__GFP_MEMALLOC" },
	{ __GFP_HARDWALL, "__GFP_HARDWALL" },
	{ __GFP_THISNODE, "__GFP_THISNODE" },
	{ __GFP_RECLAIMABLE, "__GFP_RECLAIMABLE" },
	{ __GFP_MOVABLE, "__GFP_MOVABLE" },
	{ __GFP_ACCOUNT, "__GFP_ACCOUNT" },
	{ __GFP_WRITE, "__GFP_WRITE" },
	{ __GFP_RECLAIM, "__GFP_RECLAIM" },
	{ __GFP_DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM" },
	{ __GFP_KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM" },
};

/* Bit positions in 6.1's include/linux/gfp_types.h, indexed by 4.19 bit number. */
static const signed char bit_6_1[__GFP_BITS_SHIFT] = {
	[0] = 0,	/* DMA */
	[1] = 1,	/* HIGHMEM */
	[2] = 2,	/* DMA32 */
	[3] = 3,	/* MOVABLE */
	[4] = 4,	/* RECLAIMABLE */
	[5] = 5,	/* HIGH */
	[6] = 6,	/* IO */
	[7] = 7,	/* FS */
	[8] = 12,	/* WRITE */
	[9] = 13,	/* NOWARN */
	[10] = 14,	/* RETRY_MAYFAIL */
	[11] = 15,	/* NOFAIL */
	[12] = 16,	/* NORETRY */
	[13] = 17,	/* MEMALLOC */
	[14] = 18,	/* COMP */
	[15] = 8,	/* ZERO */
	[16] = 19,	/* NOMEMALLOC */
	[17] = 20,	/* HARDWALL */
	[18] = 21,	/* THISNODE */
	[19] = 9,	/* ATOMIC */
	[20] = 22,	/* ACCOUNT */
	[21] = 10,	/* DIRECT_RECLAIM */
	[22] = 11,	/* KSWAPD_RECLAIM */
};

gfp_t gfp_kernel_value(gfp_t gfp, enum kver kver)
{
	gfp_t out = 0;

	if (kver == KVER_4_19 || kver == KVER_5_4)
		return gfp;
	for (int bit = 0; bit < __GFP_BITS_SHIFT; bit++) {
		if (!(gfp & (1u << bit)))
			continue;
		/*
		 * 6.12's, 6.13's and 7.2's GFP_ATOMIC has no __GFP_ATOMIC bit at all
		 * (gone in 6.3); 7.2's include/linux/gfp_types.h numbers the others as 6.12.
		 */
		if ((kver == KVER_6_12 || kver == KVER_6_13 || kver == KVER_7_2) && (1u << bit) == __GFP_ATOMIC)
			continue;
		out |= 1u << bit_6_1[bit];
	}
	return out;
}

const char *gfp_format(gfp_t gfp, char *buf, size_t buf_bytes)
{
	size_t used = 0;
	gfp_t left = gfp;

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(gfp_names) && left; i++) {
		if ((left & gfp_names[i].mask) != gfp_names[i].mask)
			continue;
		used += snprintf(buf + used, used < buf_bytes ? buf_bytes - used : 0,
				 "%s%s", used ? "|" : "", gfp_names[i].name);
		left &= ~gfp_names[i].mask;
	}
	if (left)
		used += snprintf(buf + used, used < buf_bytes ? buf_bytes - used : 0,
				 "%s%#x", used ? "|" : "", left);
	if (!gfp)
		snprintf(buf, buf_bytes, "0");
	return buf;
}

int gfp_parse(const char *s, gfp_t *out)
{
	char tok[64];
	gfp_t gfp = 0;

	while (*s) {
		size_t n = strcspn(s, "|");
		size_t i;
		char *end;

		if (n == 0 || n >= sizeof(tok))
			return -EINVAL;
		memcpy(tok, s, n);
		tok[n] = '\0';
		for (i = 0; i < ARRAY_SIZE(gfp_names); i++)
			if (!strcmp(tok, gfp_names[i].name))
				break;
		if (i < ARRAY_SIZE(gfp_names)) {
			gfp |= gfp_names[i].mask;
		} else {
			unsigned long v = strtoul(tok, &end, 0);

			if (*end || v >> __GFP_BITS_SHIFT)
				return -EINVAL;
			gfp |= (gfp_t)v;
		}
		s += n;
		if (*s == '|')
			s++;
	}
	*out = gfp;
	return 0;
}
