/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm.h - the simulated physical machine page-table allocators get memory from.
 *
 * Types:
 *   struct mm    one machine: DRAM of 4 KiB frames, zones, a buddy allocator
 *                per zone, per-CPU page lists, watermarks, kswapd, reclaim,
 *                fault injection, and who holds which page.
 *   struct page  one simulated 4 KiB frame, like the kernel's struct page.
 *   struct zone  one zone (ZONE_DMA, ZONE_DMA32, ZONE_NORMAL).
 * Terms:
 *   "page" = a simulated 4 KiB frame; "block" = 2^order pages allocated or
 *   freed together; "owner" = who holds a page (enum page_owner); "managed"
 *   = pages the buddy allocator manages (present minus memblock-reserved).
 *
 * The page allocator follows mm/page_alloc.c of 4.19 unless kernel.h names a
 * version difference: __alloc_pages_nodemask's fast path at the low
 * watermark, the slow path at min with ALLOC_HIGH / ALLOC_HARDER, no reclaim
 * for callers without __GFP_DIRECT_RECLAIM, the zonelist fallback
 * (GFP_KERNEL: NORMAL then DMA32 then DMA; GFP_DMA32: DMA32 then DMA).
 *
 * Context: single-threaded.  `cpu` arguments select per-CPU lists only.
 */
#ifndef PTB_MM_H
#define PTB_MM_H

#include "gfp.h"
#include "glue.h"
#include "kernel.h"
#include "watermark.h"

#define MAX_ORDER 11			/* orders 0..10: 4 MiB blocks (arm64 4K pages) */
#define PAGEBLOCK_ORDER 9		/* 2 MiB pageblocks (HUGETLB_PAGE) */
#define PAGEBLOCK_NR_PAGES (1u << PAGEBLOCK_ORDER)
#define PAGE_ALLOC_COSTLY_ORDER 3
#define MM_MAX_CPUS 64

enum zone_type {
	ZONE_DMA,
	ZONE_DMA32,
	ZONE_NORMAL,
	MAX_NR_ZONES,
};

enum migratetype {
	MIGRATE_UNMOVABLE,
	MIGRATE_MOVABLE,
	MIGRATE_RECLAIMABLE,
	MIGRATE_PCPTYPES,
	MIGRATE_HIGHATOMIC = MIGRATE_PCPTYPES,
	MIGRATE_TYPES,
};

enum zone_watermarks {
	WMARK_MIN,
	WMARK_LOW,
	WMARK_HIGH,
	NR_WMARK,
};

/* Who holds a page.  Accounting is kept per owner, per zone, per order. */
enum page_owner {
	OWNER_FREE,		/* in the buddy allocator or on a per-CPU list */
	OWNER_RESERVED,		/* memblock-reserved at boot: never managed */
	OWNER_BOOT,		/* kernel and user space at boot (not reclaimable) */
	OWNER_BACKGROUND,	/* others' memory that scenarios take and return */
	OWNER_V7S_L1,		/* the v7s level-1 tables */
	OWNER_PT_BACKEND,	/* the page-table allocator backend under test */
	OWNER_KMALLOC_OTHER,	/* other kernel users of kmalloc / shared slabs */
	OWNER_TEST,		/* tests */
	NR_PAGE_OWNERS,
};

/* struct page flags */
#define PG_buddy	0x01u	/* head of a free buddy block (order in ->order) */
#define PG_head		0x02u	/* head of an allocated compound/multi-page block */
#define PG_tail		0x04u	/* tail page: ->head is the head's pfn offset */
#define PG_reserved	0x08u	/* hole or memblock-reserved: never allocated */
#define PG_pcp		0x10u	/* on a per-CPU list */
#define PG_slab		0x20u	/* backing a slab (set by the SLUB model) */
/* 0x40 is the model's own (mmzone.h); bits 8..9 hold the zone. */
#define PG_ZONE_SHIFT	8

/*
 * One 4 KiB frame: 28 bytes, so the default 4 GiB machine's memmap is 28 MiB
 * (in a boot image; a machine started from one copies the sections it uses).
 * next/prev link free lists by frame index (PAGE_NIL ends a list).
 */
#define PAGE_NIL UINT32_MAX
struct page {
	uint32_t next;		/* free list / pcp list link; unused when allocated */
	uint32_t prev;
	int32_t refcount;	/* _refcount: 1 when allocated, 0 when free */
	uint32_t head;		/* tail pages: frame index of the head */
	uint32_t private;	/* the owner's own use (slab index, pool id, ...) */
	uint32_t data;		/* content block index + 1, 0 = never written */
	uint16_t flags;		/* PG_* */
	uint8_t order;		/* buddy / allocated block order (on the head) */
	uint8_t owner;		/* enum page_owner */
};

/* fail_page_alloc (mm/page_alloc.c, lib/fault-inject.c), deterministic from seed. */
struct fail_page_alloc_cfg {
	unsigned int probability;	/* percent, 0 = off */
	unsigned long interval;		/* fail at most every interval-th eligible call */
	long times;			/* failures allowed, -1 = unlimited */
	unsigned int min_order;		/* orders below are never failed (kernel default 1) */
	bool ignore_gfp_wait;		/* skip callers that may reclaim (default true) */
	bool ignore_gfp_highmem;	/* skip __GFP_HIGHMEM callers (default true) */
	uint64_t seed;
};

/* A memory layout: DRAM ranges, zone limits and what is in use at boot. */
#define MEMORY_MAX_RANGES 4
struct memory_layout {
	const char *name;
	const char *what;			/* one line for `ptbench list memories` */
	unsigned int nr_ranges;
	struct { phys_addr_t start, end; } dram[MEMORY_MAX_RANGES];	/* [start, end) */
	bool arm64;				/* arm64 zone rules (kernel.h arm64_zone_dma) */
	phys_addr_t zone_dma_end;		/* x86: 16 MiB; arm64 >= 5.5: 4 GiB */
	phys_addr_t zone_dma32_end;		/* 4 GiB */
	uint64_t reserved_bytes;		/* memblock-reserved, from the start of DRAM */
	uint64_t boot_used_bytes;		/* allocated at boot by kernel + user space */
	unsigned int boot_movable_pct;		/* of boot_used: movable (page cache, anon) */
	unsigned int boot_reclaimable_pct;	/* of boot_used: reclaimable (slab caches) */
};

struct mm_cfg {
	struct memory_layout layout;	/* from memory_layout_find() or parsed free form */
	enum kver kernel;
	unsigned int nr_cpus;		/* nr_cpu_ids; MT8173 = 4 */
	unsigned int min_free_kbytes;	/* 0 = computed as init_per_zone_wmark_min does */
	unsigned int watermark_scale_factor;	/* 0 = the default 10 */
	/* A zone's min, low, high given (--watermarks) instead of computed; all 0: computed. */
	uint64_t watermark_pages[MAX_NR_ZONES][NR_WMARK];
	uint64_t kswapd_pages_per_ms;	/* kswapd reclaim rate in simulated time */
	struct fail_page_alloc_cfg fail;
	uint64_t seed;			/* background placement, reclaim choices */
};

/* Per zone, at one instant (mm_zone_info). */
struct zone_info {
	const char *name;		/* "DMA32" */
	uint64_t start_pfn, end_pfn;	/* spanned, [start, end) */
	uint64_t present_pages, managed_pages, free_pages;
	uint64_t watermark[NR_WMARK];
	uint64_t lowmem_reserve[MAX_NR_ZONES];
	uint64_t nr_reserved_highatomic;
	uint64_t pcp_pages;		/* on per-CPU lists: not counted in free_pages */
	uint64_t pcp_batch;		/* pages a per-CPU refill takes from the buddy lists at once */
	uint64_t nr_free[MAX_ORDER];	/* free blocks per order, all migratetypes */
};

/* Machine-wide event counters. */
struct mm_stats {
	uint64_t allocs, alloc_failures, frees;
	uint64_t alloc_failures_order[MAX_ORDER];
	uint64_t slowpath;		/* allocations that missed the low watermark */
	uint64_t kswapd_wakeups, kswapd_reclaimed_pages;
	uint64_t direct_reclaims, direct_reclaimed_pages, compactions;
	uint64_t fail_injected;
	uint64_t highatomic_reserved_blocks;
	uint64_t fallback_steals;	/* __rmqueue_fallback from another migratetype */
};

struct mm;
struct mm_boot;

/*
 * Machine lifetime.  mm_boot() boots the machine @cfg describes and keeps it
 * unchanged as a boot image; mm_start() gives a fresh machine in exactly the
 * image's state, which holds host memory only for what it changes or
 * touches (its memmap is copied from the image a section at a time, at
 * first use: memmap.c), so many machines booted alike (one per backend of a
 * replay) share one boot.  The image lives until mm_boot_put() and the
 * mm_destroy() of every machine started from it.  mm_create() is the three
 * for one machine.  Constructors return NULL with a one-line reason in @err.
 */
struct mm_boot *mm_boot(const struct mm_cfg *cfg, char *err, size_t err_bytes);
struct mm *mm_start(struct mm_boot *boot, char *err, size_t err_bytes);
void mm_boot_put(struct mm_boot *boot);
struct mm *mm_create(const struct mm_cfg *cfg, char *err, size_t err_bytes);
void mm_destroy(struct mm *mm);
/* The defaults: mt8173-4g, 4.19, 4 CPUs, fail injection off. */
void mm_cfg_default(struct mm_cfg *cfg);

/* Named layouts (mt8173-4g, mt8173-2g, x86-3g1g) and the free form. */
const struct memory_layout *memory_layout_find(const char *name);
const struct memory_layout *memory_layout_get(unsigned int i);	/* NULL past the end */
/*
 * Parse a --memory argument: a layout name, optionally followed by
 * ":key=value,..." overrides (reserved=, boot=, movable=, reclaimable=), or the
 * free form "dram=START-END[+START-END...],dma=END,dma32=END[,arch=arm64|x86]".
 * Sizes take K/M/G suffixes.  Returns 0 or -EINVAL with a reason in err.
 */
int memory_layout_parse(const char *arg, struct memory_layout *out, char *err, size_t err_bytes);

/**
 * alloc_pages() - allocate 2^order contiguous pages (__alloc_pages_nodemask).
 * @gfp: zone, reclaim and reserve behaviour as in the kernel.
 * @cpu: whose per-CPU list serves order 0 (and 1..3 where pcp_high_order).
 * @owner: who will hold the block, for accounting.
 *
 * Context: never sleeps; a caller without __GFP_DIRECT_RECLAIM never
 * reclaims or compacts and fails at once below its watermark.  __GFP_ZERO
 * zeroes the content.  With __GFP_COMP the block is a compound page (head +
 * tails); without it, too, the head remembers the order (so free_pages and
 * accounting need no size from the caller).
 * Returns the head page, or NULL.
 */
struct page *alloc_pages(struct mm *mm, gfp_t gfp, unsigned int order, int cpu,
			 enum page_owner owner);
/** free_pages() - return a block from alloc_pages() (__free_pages). */
void free_pages(struct mm *mm, struct page *page, unsigned int order, int cpu);
/** put_page() - drop one reference; free the whole block when it reaches 0. */
void put_page(struct mm *mm, struct page *page, int cpu);

/* struct page <-> pfn <-> phys */
uint64_t page_to_pfn(const struct mm *mm, const struct page *page);
struct page *pfn_to_page(struct mm *mm, uint64_t pfn);	/* NULL outside DRAM */
static inline phys_addr_t pfn_to_phys(uint64_t pfn) { return pfn << PAGE_SHIFT; }
phys_addr_t page_to_phys(const struct mm *mm, const struct page *page);
struct page *phys_to_page(struct mm *mm, phys_addr_t phys);	/* NULL outside DRAM */
struct page *compound_head(struct mm *mm, struct page *page);
enum zone_type page_zonenum(const struct mm *mm, const struct page *page);

static inline int page_count(const struct page *page) { return page->refcount; }
static inline void page_ref_add(struct page *page, int nr) { page->refcount += nr; }
static inline void set_page_count(struct page *page, int v) { page->refcount = v; }
/* Returns true when the count dropped to 0. */
static inline bool page_ref_sub_and_test(struct page *page, int nr)
{
	page->refcount -= nr;
	PTB_BUG_ON(page->refcount < 0);
	return page->refcount == 0;
}

/*
 * Page content.  Only pages someone writes get host memory (page tables),
 * so a 4 GiB machine costs little.  Content survives free and reallocation,
 * as real memory does, until __GFP_ZERO or a write replaces it.
 * mm_phys_write_ptr: a writable pointer to [phys, phys + bytes), which must
 * not cross a page.  mm_phys_read: copies; never-written memory reads as 0.
 * mm_phys_read32: one word, 0 also outside DRAM (a walker sent astray).
 */
void *mm_phys_write_ptr(struct mm *mm, phys_addr_t phys, size_t bytes);
void mm_phys_read(struct mm *mm, phys_addr_t phys, void *buf, size_t bytes);
uint32_t mm_phys_read32(struct mm *mm, phys_addr_t phys);
/*
 * Host memory only: if the page at @phys reads all zero, let its host block
 * go (it reads the same as one never written).  Nothing a model sees changes.
 */
void mm_phys_forget_zero(struct mm *mm, phys_addr_t phys);

/* Zones and watermarks. */
const char *zone_name(enum zone_type z);
bool mm_zone_populated(const struct mm *mm, enum zone_type z);
void mm_zone_info(const struct mm *mm, enum zone_type z, struct zone_info *out);
/* NR_FREE_PAGES of a zone (its buddy lists only), cheap enough for every event. */
uint64_t mm_zone_free_pages(const struct mm *mm, enum zone_type z);
/* The zone a gfp asks for first (gfp_zone, with arm64 4.19's GFP_DMA == NORMAL). */
enum zone_type mm_gfp_zone(const struct mm *mm, gfp_t gfp);
/* The first populated zone of that zonelist: where the pages really come from
 * (GFP_DMA32 on arm64 >= 5.5 is served by ZONE_DMA). */
enum zone_type mm_gfp_zone_served(const struct mm *mm, gfp_t gfp);
unsigned int mm_min_free_kbytes(const struct mm *mm);
/*
 * --watermarks ZONE=MIN:LOW:HIGH[,ZONE=...] (zone names as zone_name(), any
 * case) into cfg->watermark_pages; 0 or -EINVAL with the reason in @err.
 * mm_watermarks_format: the canonical form, or NULL when none is given.
 */
int mm_watermarks_parse(const char *s, struct mm_cfg *cfg, char *err, size_t err_bytes);
const char *mm_watermarks_format(const struct mm_cfg *cfg, char *buf, size_t buf_bytes);
unsigned int mm_nr_cpus(const struct mm *mm);
bool mm_arm64(const struct mm *mm);	/* arm64 rules (zones, ARCH_KMALLOC_MINALIGN) */
enum kver mm_kernel(const struct mm *mm);
/**
 * zone_watermark_ok() - __zone_watermark_ok() for the current state.
 * @mark: the watermark in pages; @classzone: the zone the allocation asked for;
 * @alloc_flags: ALLOC_* below.
 */
#define ALLOC_WMARK_MIN      0x00
#define ALLOC_WMARK_LOW      0x01
#define ALLOC_WMARK_HIGH     0x02
#define ALLOC_NO_WATERMARKS  0x04
#define ALLOC_WMARK_MASK     (ALLOC_NO_WATERMARKS - 1)
/* ALLOC_HIGH, ALLOC_HARDER (6.13: ALLOC_MIN_RESERVE, ALLOC_NON_BLOCK): watermark.h */
bool zone_watermark_ok(const struct mm *mm, enum zone_type z, unsigned int order,
		       uint64_t mark, enum zone_type classzone, unsigned int alloc_flags);
/*
 * The mark __zone_watermark_ok() really compares free pages against for these
 * alloc_flags: wmark_reduced() for the machine's kernel.  Without lowmem_reserve.
 */
uint64_t zone_watermark_reduced(const struct mm *mm, uint64_t mark, unsigned int alloc_flags);
/* gfp_to_alloc_flags() of the slow path, for the machine's kernel version. */
unsigned int mm_gfp_to_alloc_flags(const struct mm *mm, gfp_t gfp);

/* Accounting: blocks held per owner, zone and order, kept at every alloc/free. */
uint64_t mm_held_blocks(const struct mm *mm, enum page_owner owner, enum zone_type z,
			unsigned int order);
uint64_t mm_held_pages(const struct mm *mm, enum page_owner owner, enum zone_type z);
uint64_t mm_held_pages_total(const struct mm *mm, enum page_owner owner);
const char *page_owner_name(enum page_owner owner);
/*
 * Called after every block an owner gains (sign +1) or gives back (-1), so a
 * metric can follow one owner's pages without scanning the memmap.  One hook
 * per owner; NULL removes it.
 */
typedef void (*mm_owner_hook_t)(void *ctx, uint64_t pfn, unsigned int order, int sign);
void mm_set_owner_hook(struct mm *mm, enum page_owner owner, mm_owner_hook_t fn, void *ctx);
void mm_get_stats(const struct mm *mm, struct mm_stats *out);

/*
 * Simulated time.  kswapd reclaims at cfg.kswapd_pages_per_ms while woken;
 * mm_advance_time runs it up to now_ns (monotonic; earlier times are ignored).
 */
void mm_advance_time(struct mm *mm, uint64_t now_ns);
uint64_t mm_now_ns(const struct mm *mm);

/*
 * The background owner: others' memory (page cache, anon, slab) that
 * scenarios take and give back to move a zone near its watermarks and to
 * fragment it.  Pages it holds as movable or reclaimable can be reclaimed by
 * kswapd and direct reclaim; unmovable ones only by background_free.
 * background_alloc allocates nr_pages blocks of 2^order with gfp and returns
 * how many blocks it got (it stops at the first failure).
 */
uint64_t background_alloc(struct mm *mm, gfp_t gfp, unsigned int order, uint64_t nr_blocks, int cpu);
/*
 * The same, keeping only blocks from zone z: a block the zonelist fallback
 * took from another zone is given back at once and allocation stops there.
 */
uint64_t background_alloc_zone(struct mm *mm, enum zone_type z, gfp_t gfp, unsigned int order,
			       uint64_t nr_blocks, int cpu);
/* Free up to nr_pages background pages of a migratetype (oldest first); returns pages freed. */
uint64_t background_free(struct mm *mm, enum migratetype mt, uint64_t nr_pages, int cpu);
/* The same, from one zone only. */
uint64_t background_free_zone(struct mm *mm, enum zone_type z, enum migratetype mt,
			      uint64_t nr_pages, int cpu);
/* Free every other held order-0 background page in a zone: leaves order-0 holes. */
uint64_t background_free_alternate(struct mm *mm, enum zone_type z, int cpu);
/* The same for background blocks of exactly @order: holes of that order whose buddies are held. */
uint64_t background_free_alternate_order(struct mm *mm, enum zone_type z, unsigned int order, int cpu);
uint64_t background_held_pages(const struct mm *mm, enum migratetype mt);
/* Reclaim up to nr_pages reclaimable/movable background pages from zones <= z. */
uint64_t mm_reclaim(struct mm *mm, enum zone_type z, uint64_t nr_pages, int cpu);

/* Move every per-CPU page back to the buddy lists (drain_all_pages). */
void mm_drain_pcp(struct mm *mm);
/* Expensive consistency check of every list and counter (tests, PTB_DEBUG). */
void mm_check(struct mm *mm);
/* Host bytes the machine holds of its own (memmap sections, content, metadata); an image's memmap is whole. */
uint64_t mm_host_bytes(const struct mm *mm);
uint64_t mm_boot_host_bytes(const struct mm_boot *boot);

#endif /* PTB_MM_H */
