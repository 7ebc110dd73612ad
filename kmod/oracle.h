/* SPDX-License-Identifier: GPL-2.0 */
/*
 * oracle.h - the ptb_oracle kernel module: a .ptb trace replayed through the
 * SHARED v7s/iommu model code (iommu/v7s.c, iommu/iommu.c, compiled into
 * this module unchanged) whose L2 tables come from the REAL allocators of
 * the running kernel (Debian 12's 6.1).
 *
 * Types:
 *   struct oracle_event    one decoded .ptb record.
 *   struct oracle_trace    the records of the trace written to debugfs.
 *   struct oracle_backend  one real allocator (oracle_backends.c):
 *                          create/destroy, table alloc/free, the pages it
 *                          holds now.
 *   struct oracle_alloc    one backend instance and the counters every
 *                          backend shares (oracle_alloc.c: allocs, frees,
 *                          above 4 GiB, reuse).
 * Terms as in iommu/v7s.h: "table" = one 1 KiB level-2 table; "slot" =
 * one 1 MiB L1 entry.  "held pages" = 4 KiB pages the backend holds from the
 * page allocator, counted by the kernel's own books (slab counters, page
 * refcounts, the gen_pool).
 */
#ifndef PTB_ORACLE_H
#define PTB_ORACLE_H

#include <linux/mempool.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/version.h>

#include "kver.h"
#include "pt_backends.h"

#define ORACLE_NAME "ptb_oracle"
/*
 * The rules of the kernel the module is built for (v7s_cfg_for(), GFP_ATOMIC's
 * mark, ...): the lab's Debian kernels, 5.10 (Debian 11), 6.1 (Debian 12), 6.12
 * (Debian 13) and 7.2 (Debian unstable).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(7, 3, 0)
#error "ptb_oracle.ko: no ptbench kernel rules for this version (5.10, 6.1, 6.12 and 7.2 are modelled)"
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(7, 2, 0)
#define ORACLE_KVER KVER_7_2
#define ORACLE_KVER_NAME "7.2"
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
#error "ptb_oracle.ko: no ptbench kernel rules for this version (5.10, 6.1, 6.12 and 7.2 are modelled)"
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#define ORACLE_KVER KVER_6_12
#define ORACLE_KVER_NAME "6.12"
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 1, 0) && LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
#define ORACLE_KVER KVER_6_1
#define ORACLE_KVER_NAME "6.1"
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(5, 10, 0) && LINUX_VERSION_CODE < KERNEL_VERSION(5, 11, 0)
#define ORACLE_KVER KVER_5_10
#define ORACLE_KVER_NAME "5.10"
#else
#error "ptb_oracle.ko: no ptbench kernel rules for this version (5.10, 6.1, 6.12 and 7.2 are modelled)"
#endif

/*
 * The number of buddy orders, include/linux/mmzone.h: 6.1 has MAX_ORDER 11
 * (exclusive: orders 0..10), 6.12 MAX_PAGE_ORDER 10 (the largest order) and
 * NR_PAGE_ORDERS (MAX_PAGE_ORDER + 1).  In between (6.4 .. 6.7, upstream) MAX_ORDER
 * was already the largest order, before the rename: not built against here.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#define ORACLE_NR_ORDERS NR_PAGE_ORDERS
#else
#define ORACLE_NR_ORDERS MAX_ORDER
#endif

/*
 * A zone's per-CPU lists: 5.10 include/linux/mmzone.h has zone->pageset, a
 * struct per_cpu_pageset around its struct per_cpu_pages pcp; 5.14 ("mm/page_alloc:
 * split per cpu page lists and zone stats") renamed it zone->per_cpu_pageset, a struct per_cpu_pages itself, and keeps
 * the batch, the same on every CPU, in zone->pageset_batch too (6.1, 6.12).
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 14, 0)
#define oracle_zone_pcp(zone, cpu) (&per_cpu_ptr((zone)->pageset, (cpu))->pcp)
#define oracle_zone_pcp_batch(zone) READ_ONCE(oracle_zone_pcp((zone), 0)->batch)
#else
#define oracle_zone_pcp(zone, cpu) per_cpu_ptr((zone)->per_cpu_pageset, (cpu))
#define oracle_zone_pcp_batch(zone) READ_ONCE((zone)->pageset_batch)
#endif

struct oracle_event {
	u64 ts_ns, iova, paddr, size_bytes, unmapped_bytes;
	u32 domain, gfp;
	u16 cpu;
	u8 op;				/* 1 = map, 2 = unmap (workloads/ptb.h) */
};

struct oracle_trace {
	struct oracle_event *ev;	/* vmalloc'ed */
	u64 nr;
	u32 flags;			/* PTB_F_* */
};

/**
 * oracle_trace_parse() - decode a .ptb v1 image (workloads/README.md) with
 * the host's decoder (workloads/ptb_decode.c): a file or record it refuses
 * gets -EINVAL and its reason in @err.  Returns 0 or -errno.
 */
int oracle_trace_parse(const u8 *buf, size_t bytes, struct oracle_trace *t,
		       char *err, size_t err_bytes);
void oracle_trace_free(struct oracle_trace *t);

/* The bytes written to a debugfs "trace" file; a write at offset 0 starts anew. */
struct oracle_trace_buf {
	u8 *buf;			/* vmalloc'ed */
	size_t bytes, cap;
};

/* A debugfs .write: append @count bytes at *@ppos.  Caller holds its lock. */
ssize_t oracle_trace_buf_write(struct oracle_trace_buf *b, const char __user *ubuf, size_t count,
			       loff_t *ppos);
void oracle_trace_buf_free(struct oracle_trace_buf *b);

struct seq_file;

/**
 * struct oracle_debugfs - a module's debugfs directory (oracle_debugfs.c):
 * "trace" (write a .ptb), "run" (write anything: @run replays the trace),
 * "result" (@result_show), "error" (the last run's reason).  @run and
 * @result_show are called with @lock held.
 */
struct oracle_debugfs {
	const char *name;		/* the directory, and the prefix of pr_err */
	int (*run)(const struct oracle_trace_buf *trace, char *err, size_t err_bytes);
	int (*result_show)(struct seq_file *m);
	/* set up by oracle_debugfs_create */
	struct dentry *dir;
	struct mutex lock;
	struct oracle_trace_buf trace;
	char error[256];
};

/* The four files. Returns 0 or -errno. */
int oracle_debugfs_create(struct oracle_debugfs *d);
/* The files gone (no handler runs after it), the trace freed. */
void oracle_debugfs_destroy(struct oracle_debugfs *d);

/* One L2 table: 1 KiB, 1 KiB aligned (iommu/v7s.h V7S_L2_TABLE_BYTES). */
#define TABLE_SHIFT		10
#define TABLE_BYTES		(1u << TABLE_SHIFT)

/* A head page and how many live tables sit in it (page_frag, kmalloc-1k). */
struct oracle_head_count {
	unsigned long pfn;		/* 0 = empty entry */
	unsigned long tables;
};

struct oracle_alloc;
struct oracle_ptf_pool;

/* pt-frag's pools: one per page table, as harness/replay.c's REPLAY_MAX_DOMAINS. */
#define ORACLE_PTF_POOLS	64

/* One kernel twin; its name is ptbench's, pt_backend_names[] of its id (its index). */
struct oracle_backend {
	int (*create)(struct oracle_alloc *a);
	void (*destroy)(struct oracle_alloc *a);
	/* one zeroed 1 KiB table with @gfp; NULL on failure */
	void *(*alloc)(struct oracle_alloc *a, gfp_t gfp);
	void (*free)(struct oracle_alloc *a, void *table);
	/* the 4 KiB pages the backend holds now; process context */
	u64 (*held_pages)(struct oracle_alloc *a);
	/*
	 * Before destroy, all tables freed: 0 when the kernel's own books say
	 * the backend holds nothing it should not, else -EBUSY and a reason.
	 */
	int (*check_empty)(struct oracle_alloc *a, char *err, size_t err_bytes);
};

struct oracle_alloc {
	const struct oracle_backend *b;
	/* backend state */
	struct kmem_cache *cache;	/* slab-dma32, slab-dma32-reserve */
	unsigned int slab_order, slab_objects;
	/*
	 * slab-dma32-reserve: in front of the cache.  mempool_t, the one name
	 * every lab kernel has: the struct is mempool_s in 5.10, 6.1 and 6.12,
	 * struct mempool in 7.2 (include/linux/mempool.h).
	 */
	mempool_t *mempool;
	struct gen_pool *pool;		/* genalloc-4m, genalloc-grow */
	unsigned long pool_block;	/* genalloc-4m */
	unsigned int grow_order;	/* genalloc-grow: each chunk's page order */
	struct page_frag_cache frag;	/* page-frag */
	struct oracle_head_count *heads;	/* page-frag, kzalloc-dma32: open hash */
	unsigned int heads_cap;
	u64 table_pages;		/* page-per-table, pt-frag: pages held */
	struct oracle_ptf_pool *ptf;	/* pt-frag: ORACLE_PTF_POOLS pools */
	bool ptf_global;		/* pt-frag: pool 0 for every page table */
	/* the page table (domain index) the next alloc is for: pt-frag's pool */
	unsigned int ptf_pool;
	/* counters every backend keeps, as allocators/pt_alloc.c does */
	u64 allocs, frees, failures, reused_allocs, above_4g, misaligned;
	u64 live, peak_live;
	u64 fallbacks;			/* page-frag: order-0 refills (order-3 try failed) */
	unsigned long *freed_map;	/* 1 bit per 1 KiB of physical memory */
	u64 map_slots;
	u64 untracked;			/* tables above the bitmap's reach (not checked for reuse) */
	/* tables per zone of the page they sit in (page_zonenum): where GFP_DMA32 was served */
	u64 zone_allocs[MAX_NR_ZONES];
};

/* The backend ptbench names @name (allocators/pt_backends.c); NULL if it has no kernel twin. */
const struct oracle_backend *oracle_backend_find(const char *name);
/* 0 when the module has a backend for every kernel twin ptbench lists and no other; -EINVAL. */
int oracle_backends_check(char *err, size_t err_bytes);
/* ptbench's name of @b: "slab-dma32". */
const char *oracle_backend_name(const struct oracle_backend *b);
/* Set up and tear down the generic part and the backend. Returns 0 or -errno. */
int oracle_alloc_create(struct oracle_alloc *a, const struct oracle_backend *b, char *err,
			size_t err_bytes);
void oracle_alloc_destroy(struct oracle_alloc *a);
/* One table: the counters above kept; @phys its physical address. */
int oracle_table_alloc(struct oracle_alloc *a, gfp_t gfp, u64 *phys);
void oracle_table_free(struct oracle_alloc *a, u64 phys);

/* pt-frag's twin (oracle_pt_frag.c): its oracle_backend members. */
int ptf_create(struct oracle_alloc *a);
void ptf_destroy(struct oracle_alloc *a);
void *ptf_alloc(struct oracle_alloc *a, gfp_t gfp);
void ptf_free(struct oracle_alloc *a, void *table);
u64 ptf_held_pages(struct oracle_alloc *a);
int ptf_check_empty(struct oracle_alloc *a, char *err, size_t err_bytes);

/* slab-dma32's twin (oracle_backends.c): the cache slab-dma32-reserve puts its mempool before. */
int slab_create(struct oracle_alloc *a);
void slab_destroy(struct oracle_alloc *a);
u64 slab_held_pages(struct oracle_alloc *a);
int slab_check_empty(struct oracle_alloc *a, char *err, size_t err_bytes);

/* genalloc-grow's twin (oracle_genalloc_grow.c): its oracle_backend members. */
int grow_create(struct oracle_alloc *a);
void grow_destroy(struct oracle_alloc *a);
void *grow_alloc(struct oracle_alloc *a, gfp_t gfp);
void grow_free(struct oracle_alloc *a, void *table);
u64 grow_held_pages(struct oracle_alloc *a);
int grow_check_empty(struct oracle_alloc *a, char *err, size_t err_bytes);

/* slab-dma32-reserve's twin (oracle_mempool.c): its oracle_backend members. */
int reserve_create(struct oracle_alloc *a);
void reserve_destroy(struct oracle_alloc *a);
void *reserve_alloc(struct oracle_alloc *a, gfp_t gfp);
void reserve_free(struct oracle_alloc *a, void *table);
int reserve_check_empty(struct oracle_alloc *a, char *err, size_t err_bytes);

/* "Unexpected gfp" warnings since kzalloc-dma32 was created (a kprobe counts them). */
u64 oracle_unexpected_gfp_warnings(void);

/* ptbench's canonical gfp (allocators/mm/gfp.h: the 4.19 bits) -> this kernel's gfp_t. */
gfp_t oracle_gfp_from_ptb(u32 ptb_gfp);
/* No __GFP_DIRECT_RECLAIM: the caller may be atomic. */
static inline bool oracle_gfp_atomic(gfp_t gfp)
{
	return !(gfp & __GFP_DIRECT_RECLAIM);
}

/* ---- pressure (oracle_pressure.c): the model's scenarios in the guest ---- */

enum oracle_pressure_scenario {
	ORACLE_PRESSURE_EDGE,
	ORACLE_PRESSURE_ATOMIC_BURST,
	ORACLE_PRESSURE_STEADY,
	ORACLE_PRESSURE_FRAGMENTED,
};

/* A level's base, as harness/pressure.h names them ("pages", "min", ... module parameter). */
enum oracle_level_base {
	ORACLE_LEVEL_PAGES,
	ORACLE_LEVEL_MIN,
	ORACLE_LEVEL_LOW,
	ORACLE_LEVEL_HIGH,
	ORACLE_LEVEL_ATOMIC,
	ORACLE_LEVEL_BOOT,		/* the zone's free pages when the scenario starts */
	ORACLE_LEVEL_FRACTION,
};

#define ORACLE_BURSTS_MAX	4096	/* harness/pressure.c BURSTS_MAX_ALIVE */

/* What the scenario did: the model's struct pressure_stats, and what only the guest shows. */
struct oracle_pressure_stats {
	char zone_name[16];
	u64 target_min_pages, target_max_pages, ticks;
	u64 free_lowest_pages, free_highest_pages;	/* right after each tick */
	u64 filler_pages, released_pages;
	u64 bursts, bursts_between_events, burst_pages, burst_failed_pages, burst_live_pages;
	u64 burst_other_zone;		/* bursts ended by a page from another zone */
	u64 borrowed_pages;		/* others' pages that came from another zone, given back */
	u64 kswapd_wakeups, kswapd_reclaimed_pages;	/* the model's kswapd, on our pages */
	u64 watermark_boost_max_pages, boosted_ticks;	/* the zone's real watermark_boost */
	u64 guest_kswapd_runs;		/* the guest's own kswapd: balance_pgdat passes */
	u64 vmstat_drift_max_pages;	/* |folded - unfolded NR_FREE_PAGES| after a tick, the most */
	u64 blocks_above_order;		/* fragmented: free blocks above its order after setup */
	u64 refragmented_blocks;	/* fragmented: blocks others' frees merged, given back again */
	u64 highatomic_pages_at_start;	/* the zone's highatomic reserve an earlier backend left */
};

struct oracle_burst;

struct oracle_pressure {
	struct zone *zone;		/* NULL: no pressure */
	gfp_t zone_gfp;
	enum oracle_pressure_scenario scenario;
	enum oracle_level_base level, max_level;	/* steady's band: level .. max_level */
	struct list_head held;		/* others' pages, oldest first; page->lru, order in page->private */
	u64 held_pages;
	/* steady: a level drawn in [draw_min_pages, target_max_pages] each period */
	u64 draw_min_pages, period_idx, period_target_pages;
	/* fragmented: others' block order; mm/page_alloc.c drain_all_pages (not exported) */
	unsigned int order;
	void (*drain_pcp)(struct zone *zone);
	/* the model's kswapd (allocators/mm/reclaim.c mm_advance_time) */
	u64 kswapd_pages_per_ms;
	bool kswapd_awake;
	u64 now_ns, kswapd_frac;
	u64 kswapd_runs_before;		/* PAGEOUTRUN at create */
	/* atomic-burst: a ring, oldest at bursts_head */
	struct oracle_burst *bursts;
	unsigned int bursts_cap, bursts_head, bursts_alive;
	u64 next_burst_ns;
	struct oracle_pressure_stats st;
};

/* True when the module parameters ask for a scenario. */
bool oracle_pressure_active(void);
/**
 * oracle_pressure_create() - resolve the level on the zone's watermarks and
 * bring the zone to it.  Process context, on the CPU others run on (0).
 * Without a scenario it only initialises @p.  Returns 0 or -errno (@err);
 * on error too, oracle_pressure_destroy() gives back what it took.
 */
int oracle_pressure_create(struct oracle_pressure *p, char *err, size_t err_bytes);
/*
 * True when the tick at @now_ns frees or makes a burst: order-0 pages through
 * a per-CPU list, which must be CPU 0's (the model's others run there).
 */
bool oracle_pressure_wants_cpu0(const struct oracle_pressure *p, u64 now_ns);
/**
 * oracle_pressure_tick() - act at @now_ns of trace time; process context, on
 * CPU 0 when oracle_pressure_wants_cpu0() says so, else on any CPU.
 */
void oracle_pressure_tick(struct oracle_pressure *p, u64 now_ns);
/* Every page back to the kernel; accepts an instance without a scenario. */
void oracle_pressure_destroy(struct oracle_pressure *p);
/* What it did; valid after destroy too. */
void oracle_pressure_get_stats(const struct oracle_pressure *p, struct oracle_pressure_stats *st);
struct seq_file;
/* The "pressure_*" lines of the result file. */
void oracle_pressure_show(struct seq_file *m, const struct oracle_pressure_stats *st);

/* ---- others (oracle_others.c): what they hold, their fills, the model's kswapd ---- */

#define NS_PER_MS		1000000ull
#define KSWAPD_CHUNK_PAGES	32ull		/* SWAP_CLUSTER_MAX, as the model's kswapd */
/* Others' blocks: the smallest order that bypasses the per-CPU lists (6.1 pcp_allowed_order). */
#define BLOCK_ORDER		(PAGE_ALLOC_COSTLY_ORDER + 1)
#define BLOCK_PAGES		(1ull << BLOCK_ORDER)
/* Others' movable memory: no watermark stops it; it wakes no kswapd (the module's does). */
#define FILL_GFP		(__GFP_MEMALLOC | __GFP_MOVABLE | __GFP_NOWARN)

/* NR_FREE_PAGES as the allocator's watermark checks read it, this CPU's delta folded in. */
u64 oracle_zone_free(const struct oracle_pressure *p);
/* Others' pages, oldest first: hold one (any order), give one back, give all back. */
void oracle_held_add(struct oracle_pressure *p, struct page *page, unsigned int order);
u64 oracle_held_free(struct oracle_pressure *p, struct page *page);
void oracle_held_free_all(struct oracle_pressure *p);
/* Take free memory down to @target_pages: BLOCK_ORDER blocks (then order 0), or fragmented's order. */
void oracle_fill_to(struct oracle_pressure *p, u64 target_pages);
void oracle_fill_order_to(struct oracle_pressure *p, u64 target_pages);
/*
 * fragmented (oracle_fragmented.c), p->order and the level set: every free block
 * of the order taken, every other one given back, the holes taken down to the
 * level.  Returns 0 or -ENOMEM (@err).
 */
int oracle_fragment(struct oracle_pressure *p, char *err, size_t err_bytes);
/* The model's kswapd: wake at low unless balanced, run until @now_ns, sleep. */
void oracle_kswapd_check_wake(struct oracle_pressure *p);
void oracle_kswapd_run(struct oracle_pressure *p, u64 now_ns);
void oracle_kswapd_sleep(struct oracle_pressure *p);

#endif /* PTB_ORACLE_H */
