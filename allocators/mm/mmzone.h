/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mmzone.h - the inside of the simulated machine: its types and the inline
 * helpers on them, shared by the files of allocators/mm/ only (like the
 * kernel's include/linux/mmzone.h).  No function of a .c file is declared
 * here: each file's are in that file's own header (buddy.h, pcp.h,
 * page_alloc.h, ...), so what a file includes is what it may call, and the
 * layering README.md draws shows in the includes.
 *
 * Types:
 *   struct free_area      free blocks of one order, one list per migratetype
 *   struct per_cpu_pages  one CPU's page lists for one zone
 *   struct zone           one zone: span, watermarks, buddy lists, pcp lists
 *   struct bg_list        the background owner's blocks of one zone and migratetype
 *   struct mm             the machine
 * Pages are named by frame index ("idx" = pfn - mm->base_pfn, 32 bits).
 */
#ifndef PTB_MMZONE_H
#define PTB_MMZONE_H

#include "mm.h"

/* Allocation migratetype of an allocated page: movable (LRU) pages can be migrated. */
#define PG_movable 0x40u
#define PG_reclaimable 0x80u

/* The migratetype an allocated page was asked for. */
static inline int page_alloc_migratetype(const struct page *p)
{
	if (p->flags & PG_movable)
		return MIGRATE_MOVABLE;
	return (p->flags & PG_reclaimable) ? MIGRATE_RECLAIMABLE : MIGRATE_UNMOVABLE;
}

/* pcp lists: one per pcp migratetype and order 0..PAGE_ALLOC_COSTLY_ORDER (6.1 has 1..3 too) */
#define NR_PCP_ORDERS (PAGE_ALLOC_COSTLY_ORDER + 1)
#define NR_PCP_LISTS (MIGRATE_PCPTYPES * NR_PCP_ORDERS)

#define DATA_CHUNK_PAGES 64u	/* content blocks are allocated 64 at a time */

struct list_head_idx {
	uint32_t first;		/* PAGE_NIL when empty */
	uint32_t last;
};

struct free_area {
	struct list_head_idx free_list[MIGRATE_TYPES];
	uint64_t nr_free;			/* blocks of this order, all types */
	uint64_t nr_free_mt[MIGRATE_TYPES];
};

struct per_cpu_pages {
	uint64_t count;		/* pages on all lists */
	uint64_t high;		/* drain when count >= high */
	uint64_t batch;		/* pages moved to/from the buddy lists at once */
	unsigned int free_factor;	/* 6.1: drains double while nothing is allocated */
	struct list_head_idx lists[NR_PCP_LISTS];
};

struct zone {
	enum zone_type type;
	bool populated;
	uint64_t start_pfn, end_pfn;		/* spanned */
	uint64_t present_pages, managed_pages;
	uint64_t free_pages;			/* NR_FREE_PAGES: buddy lists only */
	uint64_t watermark[NR_WMARK];
	uint64_t lowmem_reserve[MAX_NR_ZONES];
	uint64_t nr_reserved_highatomic;
	struct free_area free_area[MAX_ORDER];
	struct per_cpu_pages *pcp;		/* [nr_cpus] */
	uint8_t *pageblock_mt;			/* per pageblock of the span */
};

/* The background owner's blocks in one zone and migratetype, oldest first. */
struct bg_list {
	uint32_t *idx;		/* frame index of each block's head, PAGE_NIL when gone */
	uint64_t head, len, cap;
	uint64_t nr_pages;	/* pages held by live entries */
	bool borrowed;		/* idx is the boot image's: copied before the first change */
};

struct fail_state {
	struct fail_page_alloc_cfg cfg;
	struct prng rng;
	uint64_t calls;		/* eligible calls seen (for interval) */
	long failures_left;
};

struct mm {
	struct mm_cfg cfg;
	const struct kernel_rules *rules;
	uint64_t base_pfn, nr_frames;		/* the memmap covers [base_pfn, base_pfn + nr_frames) */
	/* the memmap (memmap.c): &pages[idx]; sections populated at first use */
	struct page *pages;
	void *memmap_base;			/* the host mapping, from base_pfn's section on */
	uint64_t memmap_bytes;
	unsigned int section_shift;		/* 2^section_shift frames a section */
	uint64_t section_skew;			/* base_pfn's frame offset in its section */
	uint64_t nr_sections, nr_present;
	uint64_t *section_present;		/* a bit per section */
	struct mm_boot *boot;			/* the image sections come from; NULL in an image */
	struct zone zones[MAX_NR_ZONES];
	unsigned int min_free_kbytes;
	/* accounting: blocks held per owner, zone, order */
	uint64_t held[NR_PAGE_OWNERS][MAX_NR_ZONES][MAX_ORDER];
	mm_owner_hook_t owner_hook[NR_PAGE_OWNERS];
	void *owner_hook_ctx[NR_PAGE_OWNERS];
	struct mm_stats stats;
	/* page content: blocks of PAGE_SIZE bytes, DATA_CHUNK_PAGES per chunk */
	uint8_t **data_chunks;
	uint64_t nr_data, nr_data_chunks;
	uint32_t data_free;			/* blocks given back, linked through their first bytes; 0 ends */
	/* background owner */
	struct bg_list bg[MAX_NR_ZONES][MIGRATE_PCPTYPES];
	/* kswapd */
	bool kswapd_awake;
	enum zone_type kswapd_classzone;
	uint64_t now_ns;
	uint64_t kswapd_frac;		/* reclaim budget carried over, in pages x 1e6 */
	struct fail_state fail;
	struct prng rng;
};

/*
 * A boot image (mm.h): a booted machine kept unchanged, and how many
 * machines started from it (and its creator) still use it.
 */
struct mm_boot {
	struct mm *mm;
	unsigned int refs;
};

static inline uint32_t page_idx(const struct mm *mm, const struct page *page)
{
	return (uint32_t)(page - mm->pages);
}

/*
 * The one function of a .c file declared here, for idx_page below: copy a
 * section of the boot image's memmap in (memmap.c).
 */
void memmap_populate(struct mm *mm, uint64_t sec);

/* Every struct page is reached through here (or pfn_to_page, which calls it). */
static inline struct page *idx_page(struct mm *mm, uint32_t idx)
{
	uint64_t sec = (idx + mm->section_skew) >> mm->section_shift;

	if (unlikely(!(mm->section_present[sec / 64] & (1ULL << (sec % 64)))))
		memmap_populate(mm, sec);
	return &mm->pages[idx];
}

/* A frame as it is now, for reading only: a section not copied yet is the image's. */
static inline const struct page *idx_page_peek(const struct mm *mm, uint32_t idx)
{
	uint64_t sec = (idx + mm->section_skew) >> mm->section_shift;

	if (!(mm->section_present[sec / 64] & (1ULL << (sec % 64))))
		return &mm->boot->mm->pages[idx];
	return &mm->pages[idx];
}

static inline uint64_t idx_pfn(const struct mm *mm, uint32_t idx)
{
	return mm->base_pfn + idx;
}

static inline struct zone *idx_zone(struct mm *mm, uint32_t idx)
{
	return &mm->zones[(idx_page(mm, idx)->flags >> PG_ZONE_SHIFT) & 3];
}

static inline unsigned int pageblock_index(const struct zone *zone, uint64_t pfn)
{
	return (unsigned int)((pfn - (zone->start_pfn & ~(uint64_t)(PAGEBLOCK_NR_PAGES - 1)))
			      >> PAGEBLOCK_ORDER);
}

static inline int get_pageblock_migratetype(const struct zone *zone, uint64_t pfn)
{
	return zone->pageblock_mt[pageblock_index(zone, pfn)];
}

static inline void set_pageblock_migratetype(struct zone *zone, uint64_t pfn, int mt)
{
	zone->pageblock_mt[pageblock_index(zone, pfn)] = (uint8_t)mt;
}

/* gfpflags_to_migratetype() (include/linux/gfp.h 4.19) */
static inline int gfp_migratetype(gfp_t gfp)
{
	if (gfp & __GFP_MOVABLE)
		return MIGRATE_MOVABLE;
	if (gfp & __GFP_RECLAIMABLE)
		return MIGRATE_RECLAIMABLE;
	return MIGRATE_UNMOVABLE;
}

#endif /* PTB_MMZONE_H */
