/* SPDX-License-Identifier: GPL-2.0 */
/*
 * oracle.h - the ptb_oracle kernel module: a .ptb trace replayed through the
 * SHARED v7s/iommu model code (harness/v7s.c, harness/iommu.c, compiled into
 * this module unchanged) whose L2 tables come from the REAL allocators of
 * the running kernel (Debian 12's 6.1).
 *
 * Types:
 *   struct oracle_event    one decoded .ptb record.
 *   struct oracle_trace    the records of the trace written to debugfs.
 *   struct oracle_backend  one real allocator: create/destroy, table
 *                          alloc/free, the pages it holds now.
 *   struct oracle_alloc    one backend instance and the counters every
 *                          backend shares (allocs, frees, above 4 GiB, reuse).
 * Terms as in harness/v7s.h: "table" = one 1 KiB level-2 table; "slot" =
 * one 1 MiB L1 entry.  "held pages" = 4 KiB pages the backend holds from the
 * page allocator, counted by the kernel's own books (slab counters, page
 * refcounts, the gen_pool).
 */
#ifndef PTB_ORACLE_H
#define PTB_ORACLE_H

#include <linux/mm.h>
#include <linux/types.h>

#define ORACLE_NAME "ptb_oracle"

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
 * oracle_trace_parse() - decode a .ptb v1 image (workloads/README.md).
 * Every field the header declares is checked; a bad file gets -EINVAL and
 * one line in @err.  Returns 0 or -errno.
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

/* A head page and how many live tables sit in it (page_frag, kmalloc-1k). */
struct oracle_head_count {
	unsigned long pfn;		/* 0 = empty entry */
	unsigned long tables;
};

struct oracle_alloc;

struct oracle_backend {
	const char *name;		/* as ptbench names it: "slab-dma32" */
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
	struct kmem_cache *cache;	/* slab-dma32 */
	unsigned int slab_order, slab_objects;
	struct gen_pool *pool;		/* genalloc-4m */
	unsigned long pool_block;
	struct page_frag_cache frag;	/* page-frag */
	struct oracle_head_count *heads;	/* page-frag, kzalloc-dma32: open hash */
	unsigned int heads_cap;
	u64 table_pages;		/* page-per-table: pages held */
	/* counters every backend keeps, as allocators/pt_alloc.c does */
	u64 allocs, frees, failures, reused_allocs, above_4g, misaligned;
	u64 live, peak_live;
	u64 fallbacks;			/* page-frag: order-0 refills (order-3 try failed) */
	unsigned long *freed_map;	/* 1 bit per 1 KiB of physical memory */
	u64 map_slots;
	u64 untracked;			/* tables above the bitmap's reach (not checked for reuse) */
};

/* The five backends; NULL if @name is none of them. */
const struct oracle_backend *oracle_backend_find(const char *name);
/* Set up and tear down the generic part and the backend. Returns 0 or -errno. */
int oracle_alloc_create(struct oracle_alloc *a, const struct oracle_backend *b, char *err,
			size_t err_bytes);
void oracle_alloc_destroy(struct oracle_alloc *a);
/* One table: the counters above kept; @phys its physical address. */
int oracle_table_alloc(struct oracle_alloc *a, gfp_t gfp, u64 *phys);
void oracle_table_free(struct oracle_alloc *a, u64 phys);

/* "Unexpected gfp" warnings since kzalloc-dma32 was created (a kprobe counts them). */
u64 oracle_unexpected_gfp_warnings(void);

/* ptbench's canonical gfp (allocators/mm/gfp.h: the 4.19 bits) -> this kernel's gfp_t. */
gfp_t oracle_gfp_from_ptb(u32 ptb_gfp);
/* No __GFP_DIRECT_RECLAIM: the caller may be atomic. */
static inline bool oracle_gfp_atomic(gfp_t gfp)
{
	return !(gfp & __GFP_DIRECT_RECLAIM);
}

#endif /* PTB_ORACLE_H */
