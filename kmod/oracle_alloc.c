// SPDX-License-Identifier: GPL-2.0
/*
 * oracle_alloc.c - one backend instance (oracle_backends.c has them) and the
 * counters every backend shares, as allocators/pt_alloc.c keeps them for the
 * model: allocs, frees, failures, live and peak, tables above 4 GiB or
 * misaligned, and reuse (a table where a freed one was, one bit per 1 KiB of
 * physical memory); ptbench's gfp bits in this kernel's names.
 */
#include <linux/bitmap.h>
#include <linux/io.h>
#include <linux/gfp.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <linux/string.h>
#include <linux/version.h>
#include <linux/vmalloc.h>

#include "oracle.h"

/*
 * ptbench's gfp bits (allocators/mm/gfp.h, the 4.19 numbering that .ptb
 * traces and the v7s model use) against this kernel's names.  __GFP_ATOMIC
 * is gone from 6.3: 6.12's include/linux/gfp_types.h has GFP_ATOMIC =
 * __GFP_HIGH | __GFP_KSWAPD_RECLAIM and bit 0x200 "unused" (6.1's: __GFP_HIGH |
 * __GFP_ATOMIC | __GFP_KSWAPD_RECLAIM), so ptbench's bit maps to nothing there,
 * as the kernel's own GFP_ATOMIC has none.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)
#define ORACLE_GFP_ATOMIC __GFP_ATOMIC
#else
#define ORACLE_GFP_ATOMIC 0
#endif
static const struct {
	u32 ptb;
	gfp_t gfp;
} gfp_bits[] = {
	{ 0x01u, __GFP_DMA }, { 0x02u, __GFP_HIGHMEM }, { 0x04u, __GFP_DMA32 },
	{ 0x08u, __GFP_MOVABLE }, { 0x10u, __GFP_RECLAIMABLE }, { 0x20u, __GFP_HIGH },
	{ 0x40u, __GFP_IO }, { 0x80u, __GFP_FS }, { 0x100u, __GFP_WRITE },
	{ 0x200u, __GFP_NOWARN }, { 0x400u, __GFP_RETRY_MAYFAIL }, { 0x800u, __GFP_NOFAIL },
	{ 0x1000u, __GFP_NORETRY }, { 0x2000u, __GFP_MEMALLOC }, { 0x4000u, __GFP_COMP },
	{ 0x8000u, __GFP_ZERO }, { 0x10000u, __GFP_NOMEMALLOC }, { 0x20000u, __GFP_HARDWALL },
	{ 0x40000u, __GFP_THISNODE }, { 0x80000u, ORACLE_GFP_ATOMIC }, { 0x100000u, __GFP_ACCOUNT },
	{ 0x200000u, __GFP_DIRECT_RECLAIM }, { 0x400000u, __GFP_KSWAPD_RECLAIM },
};

gfp_t oracle_gfp_from_ptb(u32 ptb_gfp)
{
	gfp_t gfp = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(gfp_bits); i++)
		if (ptb_gfp & gfp_bits[i].ptb)
			gfp |= gfp_bits[i].gfp;
	return gfp;
}

/* ---- the shared counters (allocators/pt_alloc.c keeps the same for the model) ---- */

static u64 phys_end_bytes(void)
{
	unsigned long end_pfn = 0;
	int nid;

	for_each_online_node(nid)
		end_pfn = max(end_pfn, pgdat_end_pfn(NODE_DATA(nid)));
	return PFN_PHYS(end_pfn);
}

int oracle_alloc_create(struct oracle_alloc *a, const struct oracle_backend *b, char *err,
			size_t err_bytes)
{
	int ret;

	memset(a, 0, sizeof(*a));
	a->b = b;
	a->map_slots = phys_end_bytes() >> TABLE_SHIFT;
	a->freed_map = vzalloc(BITS_TO_LONGS(a->map_slots) * sizeof(long));
	if (!a->freed_map) {
		snprintf(err, err_bytes, "no memory for the reuse bitmap");
		return -ENOMEM;
	}
	ret = b->create(a);
	if (ret) {
		if (ret == -EXDEV)
			snprintf(err, err_bytes, "%s: the cache was merged (boot the guest with slab_nomerge)",
				 oracle_backend_name(b));
		else
			snprintf(err, err_bytes, "%s: create failed: %d", oracle_backend_name(b), ret);
		vfree(a->freed_map);
		a->freed_map = NULL;
		a->b = NULL;
	}
	return ret;
}

void oracle_alloc_destroy(struct oracle_alloc *a)
{
	if (!a->b)
		return;
	a->b->destroy(a);
	vfree(a->freed_map);
	a->freed_map = NULL;
	a->b = NULL;
}

int oracle_table_alloc(struct oracle_alloc *a, gfp_t gfp, u64 *phys)
{
	void *t = a->b->alloc(a, gfp);
	u64 slot;

	if (!t) {
		a->failures++;
		return -ENOMEM;
	}
	*phys = virt_to_phys(t);
	a->allocs++;
	a->live++;
	a->peak_live = max(a->peak_live, a->live);
	a->above_4g += *phys >> 32 != 0;
	a->zone_allocs[page_zonenum(virt_to_page(t))]++;
	a->misaligned += (*phys & (TABLE_BYTES - 1)) != 0;
	slot = *phys >> TABLE_SHIFT;
	if (slot < a->map_slots)
		a->reused_allocs += test_bit(slot, a->freed_map);
	else
		a->untracked++;
	return 0;
}

void oracle_table_free(struct oracle_alloc *a, u64 phys)
{
	u64 slot = phys >> TABLE_SHIFT;

	if (slot < a->map_slots)
		set_bit(slot, a->freed_map);
	a->frees++;
	a->live--;
	a->b->free(a, phys_to_virt(phys));
}
