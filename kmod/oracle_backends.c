// SPDX-License-Identifier: GPL-2.0
/*
 * oracle_backends.c - ptbench's L2-table allocators with a kernel twin
 * (allocators/pt_backends.c), as the real kernel (6.1) runs them:
 *
 *   slab-dma32      kmem_cache_create(name, 1024, 1024, SLAB_CACHE_DMA32) +
 *                   kmem_cache_zalloc: io-pgtable-arm-v7s.c's own L2 cache
 *   genalloc-4m     gen_pool_create(10) over __get_free_pages(GFP_DMA32, 10)
 *   page-frag       page_frag_alloc(gfp | GFP_DMA32) from one page_frag_cache
 *   kzalloc-dma32   kzalloc(SZ_1K, gfp | GFP_DMA32): kmalloc-1k, which has
 *                   no DMA32 variant (slab_common.c kmalloc_fix_flags strips it)
 *   page-per-table  get_zeroed_page(gfp | GFP_DMA32)
 *   pt-frag         four tables a page from alloc_page(gfp | GFP_DMA32), a
 *                   list of partial pages per page table (oracle_pt_frag.c)
 *   genalloc-grow   gen_pool_create(10) over a DMA32 chunk, one more from
 *                   alloc_pages(gfp | GFP_DMA32, order) when full, never
 *                   shrunk (oracle_genalloc_grow.c)
 *   slab-dma32-reserve  slab-dma32's cache behind mempool_create_slab_pool(N,
 *                   cache): mempool_alloc / mempool_free (oracle_mempool.c)
 *
 * Held pages are read from the kernel's own books: the cache's object count
 * (/sys/kernel/slab/NAME/total_objects, which SLUB keeps per node, over the
 * objects a page holds), the compound order of every page a live fragment or kmalloc
 * object sits in, the gen_pool's block.
 */
#include <linux/bitmap.h>
#include <linux/fs.h>
#include <linux/genalloc.h>
#include <linux/io.h>
#include <linux/gfp.h>
#include <linux/kprobes.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <linux/version.h>
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
/* 6.13 moved the page_frag API out of gfp.h into linux/page_frag_cache.h (7.2 has it there) */
#include <linux/page_frag_cache.h>
#endif
#include <linux/slab.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "oracle.h"


#define L2_CACHE_NAME		"ptb_oracle_l2"
#define POOL_ORDER		10		/* 4 MiB: every possible L2 table */
#define HEADS_CAP		8192		/* > 4096 tables, one head each at worst */

/* ---- the kernel's books ---- */

/* The first number of a sysfs file ("12 N0=12" -> 12). */
static int sysfs_read_u64(const char *path, u64 *val)
{
	struct file *f;
	char buf[64];
	loff_t pos = 0;
	ssize_t n;

	f = filp_open(path, O_RDONLY, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_read(f, buf, sizeof(buf) - 1, &pos);
	filp_close(f, NULL);
	if (n <= 0)
		return n < 0 ? (int)n : -EIO;
	buf[n] = '\0';
	return sscanf(buf, "%llu", val) == 1 ? 0 : -EINVAL;
}

static int slab_attr(const char *attr, u64 *val)
{
	char path[96];

	snprintf(path, sizeof(path), "/sys/kernel/slab/%s/%s", L2_CACHE_NAME, attr);
	return sysfs_read_u64(path, val);
}

/*
 * Head pages with live tables in them, and their order: an open-addressing
 * hash keyed by pfn, linear probing, deletion by backward shift, so it never
 * fills with tombstones.  Preallocated: it never allocates on the event path.
 */
static unsigned int head_hash(const struct oracle_alloc *a, unsigned long pfn)
{
	return (unsigned int)(hash_long(pfn, 32) & (a->heads_cap - 1));
}

static struct oracle_head_count *head_find(struct oracle_alloc *a, unsigned long pfn)
{
	unsigned int i = head_hash(a, pfn);

	while (a->heads[i].pfn) {
		if (a->heads[i].pfn == pfn)
			return &a->heads[i];
		i = (i + 1) & (a->heads_cap - 1);
	}
	return &a->heads[i];		/* the empty entry where it would go */
}

static void head_get(struct oracle_alloc *a, struct page *head)
{
	struct oracle_head_count *h = head_find(a, page_to_pfn(head));

	h->pfn = page_to_pfn(head);
	h->tables++;
}

static void head_put(struct oracle_alloc *a, struct page *head)
{
	struct oracle_head_count *h = head_find(a, page_to_pfn(head));
	unsigned int i, j, home, mask = a->heads_cap - 1;

	if (WARN_ON(!h->pfn || !h->tables) || --h->tables)
		return;
	/* backward-shift deletion */
	i = (unsigned int)(h - a->heads);
	for (j = (i + 1) & mask; a->heads[j].pfn; j = (j + 1) & mask) {
		home = head_hash(a, a->heads[j].pfn);
		/* move j to i unless its home lies cyclically in (i, j] */
		if (((j - home) & mask) >= ((j - i) & mask)) {
			a->heads[i] = a->heads[j];
			i = j;
		}
	}
	a->heads[i].pfn = 0;
	a->heads[i].tables = 0;
}

/* Pages held by the heads with live tables, @extra (a pinned page) included once. */
static u64 heads_pages(struct oracle_alloc *a, struct page *extra)
{
	u64 pages = 0;
	bool extra_seen = false;
	unsigned int i;

	for (i = 0; i < a->heads_cap; i++) {
		struct page *p;

		if (!a->heads[i].pfn)
			continue;
		p = pfn_to_page(a->heads[i].pfn);
		pages += 1ull << compound_order(p);
		extra_seen |= p == extra;
	}
	if (extra && !extra_seen)
		pages += 1ull << compound_order(extra);
	return pages;
}

static int heads_create(struct oracle_alloc *a)
{
	a->heads_cap = HEADS_CAP;
	a->heads = vzalloc(sizeof(*a->heads) * a->heads_cap);
	return a->heads ? 0 : -ENOMEM;
}

static int heads_check_empty(struct oracle_alloc *a, char *err, size_t err_bytes)
{
	unsigned int i, left = 0;

	for (i = 0; i < a->heads_cap; i++)
		left += a->heads[i].pfn != 0;
	if (!left)
		return 0;
	snprintf(err, err_bytes, "%u pages still hold tables after teardown", left);
	return -EBUSY;
}

/* ---- slab-dma32 ---- */

int slab_create(struct oracle_alloc *a)
{
	u64 aliases = 1, order = 0, objs = 0;

	a->cache = kmem_cache_create(L2_CACHE_NAME, TABLE_BYTES, TABLE_BYTES, SLAB_CACHE_DMA32,
				     NULL);
	if (!a->cache)
		return -ENOMEM;
	/*
	 * A merged cache shares its slabs with every other 1 KiB DMA32 user and
	 * its sysfs entry is a link to ":D-0001024": the guest must boot with
	 * slab_nomerge for the counts to be the table allocator's own.
	 */
	if (slab_attr("aliases", &aliases) || aliases || slab_attr("order", &order) ||
	    slab_attr("objs_per_slab", &objs)) {
		kmem_cache_destroy(a->cache);
		a->cache = NULL;
		return -EXDEV;
	}
	a->slab_order = (unsigned int)order;
	a->slab_objects = (unsigned int)objs;
	return 0;
}

void slab_destroy(struct oracle_alloc *a)
{
	kmem_cache_destroy(a->cache);
	a->cache = NULL;
}

static void *slab_alloc(struct oracle_alloc *a, gfp_t gfp)
{
	return kmem_cache_zalloc(a->cache, gfp);
}

static void slab_free(struct oracle_alloc *a, void *table)
{
	kmem_cache_free(a->cache, table);
}

/*
 * SLUB's per-node total_objects counts the objects of every slab of the
 * cache, per-CPU ones too, whatever order each slab got: allocate_slab
 * (mm/slub.c 6.1) falls back to the cache's min order (0 here) when the
 * preferred one fails, and such a slab holds 4 objects, not 32.  A page
 * holds objs_per_slab >> order objects either way (1 KiB objects, no debug
 * metadata), so the pages are total_objects / that; slabs x the cache's
 * order would count a fallen-back slab as 8 pages.
 */
u64 slab_held_pages(struct oracle_alloc *a)
{
	u64 objects = 0;

	if (slab_attr("total_objects", &objects))
		return 0;
	return (objects << a->slab_order) / a->slab_objects;
}

int slab_check_empty(struct oracle_alloc *a, char *err, size_t err_bytes)
{
	u64 objects = 1, slabs = 1;

	/* kmem_cache_shrink gives back every empty slab, min_partial or not */
	kmem_cache_shrink(a->cache);
	if (slab_attr("objects", &objects) || slab_attr("slabs", &slabs)) {
		snprintf(err, err_bytes, "cannot read /sys/kernel/slab/%s", L2_CACHE_NAME);
		return -EIO;
	}
	if (!objects && !slabs)
		return 0;
	snprintf(err, err_bytes, "%s still has %llu objects in %llu slabs after teardown",
		 L2_CACHE_NAME, objects, slabs);
	return -EBUSY;
}

/* ---- genalloc-4m ---- */

static int pool_create(struct oracle_alloc *a)
{
	a->pool = gen_pool_create(TABLE_SHIFT, -1);
	if (!a->pool)
		return -ENOMEM;
	a->pool_block = __get_free_pages(GFP_KERNEL | GFP_DMA32 | __GFP_ZERO, POOL_ORDER);
	if (!a->pool_block)
		goto err_pool;
	if (gen_pool_add(a->pool, a->pool_block, PAGE_SIZE << POOL_ORDER, -1))
		goto err_block;
	return 0;

err_block:
	free_pages(a->pool_block, POOL_ORDER);
	a->pool_block = 0;
err_pool:
	gen_pool_destroy(a->pool);
	a->pool = NULL;
	return -ENOMEM;
}

static void pool_destroy(struct oracle_alloc *a)
{
	gen_pool_destroy(a->pool);
	free_pages(a->pool_block, POOL_ORDER);
	a->pool = NULL;
	a->pool_block = 0;
}

static void *pool_alloc(struct oracle_alloc *a, gfp_t gfp)
{
	unsigned long va = gen_pool_alloc(a->pool, TABLE_BYTES);

	if (!va)
		return NULL;
	memset((void *)va, 0, TABLE_BYTES);
	return (void *)va;
}

static void pool_free(struct oracle_alloc *a, void *table)
{
	gen_pool_free(a->pool, (unsigned long)table, TABLE_BYTES);
}

static u64 pool_held_pages(struct oracle_alloc *a)
{
	return a->pool ? 1ull << POOL_ORDER : 0;
}

static int pool_check_empty(struct oracle_alloc *a, char *err, size_t err_bytes)
{
	size_t avail = gen_pool_avail(a->pool), size = gen_pool_size(a->pool);

	if (avail == size)
		return 0;
	snprintf(err, err_bytes, "gen_pool has %zu of %zu bytes handed out after teardown",
		 size - avail, size);
	return -EBUSY;
}

/* ---- page-frag ---- */

/*
 * 6.13 replaced page_frag_cache's va (and size, pfmemalloc) by
 * encoded_page: the page's address with its order and pfmemalloc in the low
 * bits (mm/page_frag_cache.c encoded_page_decode_virt: & PAGE_MASK).
 */
static void *frag_cache_va(const struct oracle_alloc *a)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
	return (void *)(a->frag.encoded_page & PAGE_MASK);
#else
	return a->frag.va;
#endif
}

static struct page *frag_cache_page(struct oracle_alloc *a)
{
	void *va = frag_cache_va(a);

	return va ? virt_to_head_page(va) : NULL;
}

static int frag_create(struct oracle_alloc *a)
{
	memset(&a->frag, 0, sizeof(a->frag));
	return heads_create(a);
}

/*
 * 6.1 has no page_frag_cache_drain(): drop the cache's bias on its page,
 * which frees it when no fragment is left (mm/page_alloc.c).
 */
static void frag_destroy(struct oracle_alloc *a)
{
	if (frag_cache_va(a))
		__page_frag_cache_drain(frag_cache_page(a), a->frag.pagecnt_bias);
	memset(&a->frag, 0, sizeof(a->frag));
	vfree(a->heads);
	a->heads = NULL;
}

static void *frag_alloc(struct oracle_alloc *a, gfp_t gfp)
{
	struct page *before = frag_cache_page(a), *after;
	void *va = page_frag_alloc(&a->frag, TABLE_BYTES, gfp | GFP_DMA32);

	if (!va)
		return NULL;
	after = frag_cache_page(a);
	/* a refill that got order 0: the order-3 try (PAGE_FRAG_CACHE_MAX_ORDER) failed */
	if (after != before && !compound_order(after))
		a->fallbacks++;
	head_get(a, virt_to_head_page(va));
	memset(va, 0, TABLE_BYTES);
	return va;
}

static void frag_free(struct oracle_alloc *a, void *table)
{
	head_put(a, virt_to_head_page(table));
	page_frag_free(table);
}

/* Pages with live fragments, and the cache's own page (pinned by its bias). */
static u64 frag_held_pages(struct oracle_alloc *a)
{
	return heads_pages(a, frag_cache_page(a));
}

/* With no fragment left the page's refcount is exactly the cache's bias. */
static int frag_check_empty(struct oracle_alloc *a, char *err, size_t err_bytes)
{
	struct page *p = frag_cache_page(a);
	int ret = heads_check_empty(a, err, err_bytes);

	if (ret || !p)
		return ret;
	if (page_ref_count(p) == (int)a->frag.pagecnt_bias)
		return 0;
	snprintf(err, err_bytes, "page_frag page refcount %d, cache bias %u: fragments still out",
		 page_ref_count(p), a->frag.pagecnt_bias);
	return -EBUSY;
}

/* ---- kzalloc-dma32 ---- */

/*
 * "Unexpected gfp: ... Fix your code!" comes from kmalloc_fix_flags()
 * (mm/slab_common.c, 6.1), called when kmalloc-1k needs a new slab for a
 * gfp with __GFP_DMA32: a kprobe on it counts the warnings exactly.
 */
static atomic64_t fix_flags_hits = ATOMIC64_INIT(0);

static int fix_flags_pre(struct kprobe *p, struct pt_regs *regs)
{
	atomic64_inc(&fix_flags_hits);
	return 0;
}

static struct kprobe fix_flags_probe = {
	.symbol_name = "kmalloc_fix_flags",
	.pre_handler = fix_flags_pre,
};

static bool fix_flags_registered;

u64 oracle_unexpected_gfp_warnings(void)
{
	return (u64)atomic64_read(&fix_flags_hits);
}

static int kz_create(struct oracle_alloc *a)
{
	int ret = heads_create(a);

	if (ret)
		return ret;
	atomic64_set(&fix_flags_hits, 0);
	ret = register_kprobe(&fix_flags_probe);
	if (ret) {
		vfree(a->heads);
		a->heads = NULL;
		return ret;
	}
	fix_flags_registered = true;
	return 0;
}

static void kz_destroy(struct oracle_alloc *a)
{
	if (fix_flags_registered)
		unregister_kprobe(&fix_flags_probe);
	fix_flags_registered = false;
	/* a kprobe struct is reused only after it is cleared */
	fix_flags_probe.addr = NULL;
	fix_flags_probe.flags = 0;
	vfree(a->heads);
	a->heads = NULL;
}

static void *kz_alloc(struct oracle_alloc *a, gfp_t gfp)
{
	void *t = kzalloc(TABLE_BYTES, gfp | GFP_DMA32);

	if (t)
		head_get(a, virt_to_head_page(t));
	return t;
}

static void kz_free(struct oracle_alloc *a, void *table)
{
	head_put(a, virt_to_head_page(table));
	kfree(table);
}

/* kmalloc-1k slabs that hold a live table (the cache's other slabs are everyone's) */
static u64 kz_held_pages(struct oracle_alloc *a)
{
	return heads_pages(a, NULL);
}

/* ---- page-per-table ---- */

static int ppt_create(struct oracle_alloc *a)
{
	a->table_pages = 0;
	return 0;
}

static void ppt_destroy(struct oracle_alloc *a)
{
}

static void *ppt_alloc(struct oracle_alloc *a, gfp_t gfp)
{
	unsigned long va = get_zeroed_page(gfp | GFP_DMA32);

	a->table_pages += va != 0;
	return (void *)va;
}

static void ppt_free(struct oracle_alloc *a, void *table)
{
	free_page((unsigned long)table);
	a->table_pages--;
}

static u64 ppt_held_pages(struct oracle_alloc *a)
{
	return a->table_pages;
}

static int ppt_check_empty(struct oracle_alloc *a, char *err, size_t err_bytes)
{
	if (!a->table_pages)
		return 0;
	snprintf(err, err_bytes, "%llu table pages not freed", a->table_pages);
	return -EBUSY;
}

/* ptbench's registry ids (allocators/pt_backends.c): one here per kernel twin there. */
static const struct oracle_backend backends[PT_BACKEND_NR] = {
	[PT_BACKEND_SLAB_DMA32] = {
		.create = slab_create, .destroy = slab_destroy, .alloc = slab_alloc,
		.free = slab_free, .held_pages = slab_held_pages, .check_empty = slab_check_empty },
	[PT_BACKEND_GENALLOC_4M] = {
		.create = pool_create, .destroy = pool_destroy, .alloc = pool_alloc,
		.free = pool_free, .held_pages = pool_held_pages, .check_empty = pool_check_empty },
	[PT_BACKEND_PAGE_FRAG] = {
		.create = frag_create, .destroy = frag_destroy, .alloc = frag_alloc,
		.free = frag_free, .held_pages = frag_held_pages, .check_empty = frag_check_empty },
	[PT_BACKEND_KZALLOC_DMA32] = {
		.create = kz_create, .destroy = kz_destroy, .alloc = kz_alloc,
		.free = kz_free, .held_pages = kz_held_pages, .check_empty = heads_check_empty },
	[PT_BACKEND_PAGE_PER_TABLE] = {
		.create = ppt_create, .destroy = ppt_destroy, .alloc = ppt_alloc,
		.free = ppt_free, .held_pages = ppt_held_pages, .check_empty = ppt_check_empty },
	[PT_BACKEND_PT_FRAG] = {
		.create = ptf_create, .destroy = ptf_destroy, .alloc = ptf_alloc,
		.free = ptf_free, .held_pages = ptf_held_pages, .check_empty = ptf_check_empty },
	[PT_BACKEND_GENALLOC_GROW] = {
		.create = grow_create, .destroy = grow_destroy, .alloc = grow_alloc,
		.free = grow_free, .held_pages = grow_held_pages, .check_empty = grow_check_empty },
	[PT_BACKEND_SLAB_DMA32_RESERVE] = {
		.create = reserve_create, .destroy = reserve_destroy, .alloc = reserve_alloc,
		.free = reserve_free, .held_pages = slab_held_pages,
		.check_empty = reserve_check_empty },
};

int oracle_backends_check(char *err, size_t err_bytes)
{
	unsigned int id;

	for (id = 0; id < PT_BACKEND_NR; id++) {
		if (pt_backend_names[id].kernel_twin != !!backends[id].create) {
			snprintf(err, err_bytes, "backend %s: ptbench says %s kernel twin, the module %s",
				 pt_backend_names[id].name,
				 pt_backend_names[id].kernel_twin ? "it has a" : "it has no",
				 backends[id].create ? "has one" : "has none");
			return -EINVAL;
		}
	}
	return 0;
}

const char *oracle_backend_name(const struct oracle_backend *b)
{
	return pt_backend_names[b - backends].name;
}

const struct oracle_backend *oracle_backend_find(const char *name)
{
	enum pt_backend_id id = pt_backend_id_of(name);

	if (id == PT_BACKEND_NR || !backends[id].create)
		return NULL;
	return &backends[id];
}
