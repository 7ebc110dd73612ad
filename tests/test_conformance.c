// SPDX-License-Identifier: GPL-2.0
/*
 * test_conformance.c - one conformance suite run over every registered backend.
 *
 * Every check is one cmocka test per backend, named "<check>/<backend>"; the
 * array is built at run time from pt_backend_get(0..PT_BACKEND_NR-1), so a
 * backend added to the registry is in the suite with no edit here.  Each
 * check starts from a fresh default machine (mm_cfg_default: mt8173-4g,
 * 4 CPUs) and struct pt_cfg {kernel, nr_cpus = 4}, once per kernel version
 * (KVER_4_19..KVER_6_13) or for 4.19 and 6.13 (kvers_all, kvers_ends), and
 * ends with every table freed, a clean destroy and mm_check().
 *
 * The test keeps its own shadow of what a backend handed out - live tables
 * with an exact overlap map, 1 KiB slots that held a freed table, reuse,
 * above-4 GiB and misaligned counts - and compares it after every operation
 * with the counters pt_table_alloc() keeps in struct pt_alloc, so a backend
 * cannot pass by having a violation go uncounted.  Tables are allocated with GFP_ATOMIC (what v7s passes for
 * level-2 tables up to 5.8) on cpu = i % 4.
 *
 * Usage: test_conformance [RUN [SKIP]]   cmocka patterns of test names to run
 * and to skip, e.g. "stats*", "*page-frag".
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pt_alloc.h"

#define CONF_NR_CPUS	4
#define CONF_MAX_LIVE	4096	/* genalloc-4m's 4 MiB pool holds 4096 tables */
#define CONF_PATTERN	0xa5
#define CONF_LIVE_CAP	(4 * CONF_MAX_LIVE)	/* shadow size: the atomic check goes further */

/*
 * The kernels a check runs on: all four where the backends' rules differ
 * most (placement, alignment, stats), the two ends elsewhere - 4.19 and
 * 6.13 (page_frag carving upward, ALLOC_NON_BLOCK, cpu_partial_slabs).
 * Every check ends with a clean destroy, so each kernel is leak-checked.
 */
static const enum kver kvers_all[] = { KVER_4_19, KVER_5_4, KVER_6_1, KVER_6_13 };
static const enum kver kvers_ends[] = { KVER_4_19, KVER_6_13 };

/* One test's state: the backend under test and, while a check runs, its machine. */
struct conf {
	const struct pt_backend *b;
	enum kver kver;
	bool slub_debug;
	struct mm *mm;
	struct pt_alloc *a;
	/* own shadow of the backend's live tables, in no order */
	phys_addr_t *live;
	size_t nr_live;
	/*
	 * start_map[slot]: 0, or 1 + the offset in the 1 KiB slot where a live
	 * table starts.  Two live tables never start in one slot (they would
	 * intersect), and a table intersects only tables starting in its own
	 * slot or the two next to it: an exact overlap test in O(1).
	 */
	uint16_t *start_map;
	/* own map: 1 bit per 1 KiB slot of physical memory that held a freed table */
	uint8_t *freed_map;
	uint64_t map_slots;
	/* own counts of what the counters in struct pt_alloc must say */
	uint64_t allocs, frees, failures, reused, above_4g, misaligned;
	uint64_t held_before[NR_PAGE_OWNERS];	/* pages per owner before create() */
	uint64_t ops;		/* table operations since the last stats check */
	unsigned int stats_every;	/* check stats every n operations, 0 = never */
	bool dirty_before_free;	/* write CONF_PATTERN into a table before freeing it */
	bool check_zero;	/* every new table must read as all zero */
};

/* A tiny xorshift64 PRNG: the test's random patterns do not depend on glue.h's. */
static uint64_t xorshift64(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static uint64_t rand_below(uint64_t *s, uint64_t bound)
{
	return xorshift64(s) % bound;
}

#define conf_fail(c, fmt, ...) \
	fail_msg("%s, kernel %s%s: " fmt, pt_backend_name((c)->b), kver_name((c)->kver), \
		 (c)->slub_debug ? ", slub_debug" : "", __VA_ARGS__)

/* Equality of two counts, with the backend and kernel in the message. */
#define expect_u64(c, what, got, want) do { \
	uint64_t got_ = (got), want_ = (want); \
	if (got_ != want_) \
		conf_fail(c, "%s = %" PRIu64 ", expected %" PRIu64, what, got_, want_); \
} while (0)

#define expect_true(c, cond) do { \
	if (!(cond)) \
		conf_fail(c, "expected %s", #cond); \
} while (0)

static bool is_may_violate_4g(const struct pt_backend *b)
{
	/* slab-dma (GFP_DMA is ZONE_NORMAL on arm64 4.19) and kzalloc-dma32 (DMA32 dropped) */
	return !strcmp(pt_backend_name(b), "slab-dma") || !strcmp(pt_backend_name(b), "kzalloc-dma32");
}

static bool is_kzalloc_dma32(const struct pt_backend *b)
{
	return !strcmp(pt_backend_name(b), "kzalloc-dma32");
}

/* A fresh default machine for @kver, and the test's shadow maps sized to it. */
static void conf_start_mm(struct conf *c, enum kver kver)
{
	struct mm_cfg mcfg;
	uint64_t end_pfn = 0;
	char err[256] = "";

	memset(&c->kver, 0, sizeof(*c) - offsetof(struct conf, kver));
	c->kver = kver;
	mm_cfg_default(&mcfg);
	mcfg.kernel = kver;
	c->mm = mm_create(&mcfg, err, sizeof(err));
	if (!c->mm)
		conf_fail(c, "mm_create: %s", err);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone_info zi;

		if (!mm_zone_populated(c->mm, z))
			continue;
		mm_zone_info(c->mm, z, &zi);
		end_pfn = MAX(end_pfn, zi.end_pfn);
	}
	c->map_slots = pfn_to_phys(end_pfn) >> PT_TABLE_SHIFT;
	c->freed_map = calloc(DIV_ROUND_UP(c->map_slots, 8), 1);
	c->start_map = calloc(c->map_slots, sizeof(*c->start_map));
	c->live = calloc(CONF_LIVE_CAP, sizeof(*c->live));
	assert_non_null(c->freed_map);
	assert_non_null(c->start_map);
	assert_non_null(c->live);
}

/* The backend instance on c->mm: default struct pt_cfg, slub_debug if asked. */
static void conf_create(struct conf *c, bool slub_debug)
{
	struct pt_cfg cfg = {
		.kernel = c->kver,
		.nr_cpus = CONF_NR_CPUS,
		.slub_debug = slub_debug,
	};
	char err[256] = "";

	PTB_BUG_ON(c->nr_live != 0);
	/* a new instance's counters and shadow maps start empty, like ours */
	memset(c->freed_map, 0, DIV_ROUND_UP(c->map_slots, 8));
	c->allocs = c->frees = c->failures = c->reused = c->above_4g = c->misaligned = 0;
	c->ops = 0;
	c->slub_debug = slub_debug;
	/* creation may take memory (genalloc's pool): destroy must give back all of it */
	for (int ow = 0; ow < NR_PAGE_OWNERS; ow++)
		c->held_before[ow] = mm_held_pages_total(c->mm, ow);
	c->a = pt_alloc_create(c->b, c->mm, &cfg, err, sizeof(err));
	if (!c->a)
		conf_fail(c, "create: %s", err);
	expect_true(c, c->a->backend == c->b);
	expect_u64(c, "live tables at creation", c->a->live_tables, 0);
}

static void conf_start(struct conf *c, enum kver kver, bool slub_debug)
{
	conf_start_mm(c, kver);
	conf_create(c, slub_debug);
}

/*
 * Free what is still live, destroy the instance and the machine.  No checks:
 * this also unwinds a failed check.  If the failure left the wrapper and the
 * shadow disagreeing (an overlapping table), freeing would trip a BUG_ON and
 * end the whole suite, so the instance is left to leak instead.
 */
static void conf_stop(struct conf *c)
{
	if (c->a && c->a->live_tables == c->nr_live) {
		while (c->nr_live)
			pt_table_free(c->a, c->live[--c->nr_live], 0);
		pt_alloc_destroy(c->a);
	}
	c->a = NULL;
	if (c->mm) {
		mm_destroy(c->mm);
		c->mm = NULL;
	}
	free(c->live);
	free(c->freed_map);
	free(c->start_map);
	c->live = NULL;
	c->freed_map = NULL;
	c->start_map = NULL;
	c->nr_live = 0;
}

static int conf_teardown(void **state)
{
	conf_stop(*state);
	return 0;
}

/* The 1 KiB slots a table covers: one if aligned, two if not (as pt_alloc.c). */
static uint64_t first_slot(phys_addr_t t) { return t >> PT_TABLE_SHIFT; }
static uint64_t last_slot(phys_addr_t t) { return (t + PT_TABLE_SIZE - 1) >> PT_TABLE_SHIFT; }

static bool freed_test(const struct conf *c, uint64_t slot)
{
	return c->freed_map[slot >> 3] & (1u << (slot & 7));
}

/* Is there a live table @u that intersects [t, t + 1 KiB)? */
static bool live_intersecting(const struct conf *c, phys_addr_t t, phys_addr_t *u)
{
	uint64_t slot = first_slot(t);

	for (uint64_t s = slot ? slot - 1 : 0; s <= slot + 1 && s < c->map_slots; s++) {
		if (!c->start_map[s])
			continue;
		*u = (s << PT_TABLE_SHIFT) + c->start_map[s] - 1;
		if (*u < t + PT_TABLE_SIZE && t < *u + PT_TABLE_SIZE)
			return true;
	}
	return false;
}

static void check_zero(struct conf *c, phys_addr_t t)
{
	static const uint8_t zero[PT_TABLE_SIZE];
	uint8_t buf[PT_TABLE_SIZE];

	mm_phys_read(c->mm, t, buf, sizeof(buf));
	if (memcmp(buf, zero, sizeof(buf))) {
		size_t i = 0;

		while (!buf[i])
			i++;
		conf_fail(c, "new table %#" PRIx64 " not zeroed: byte %zu = %#x",
			  t, i, buf[i]);
	}
}

static void check_stats(struct conf *c);

static void conf_op_done(struct conf *c)
{
	if (c->stats_every && ++c->ops >= c->stats_every) {
		c->ops = 0;
		check_stats(c);
	}
}

/*
 * One GFP_ATOMIC table through the checked wrapper; on success the table
 * joins the shadow after checking it intersects no live table.
 * Returns what pt_table_alloc returned, which must be 0 or -ENOMEM.
 */
static int conf_alloc(struct conf *c, unsigned int i)
{
	phys_addr_t t, u;
	bool reused = false;
	int ret;

	ret = pt_table_alloc(c->a, GFP_ATOMIC, (int)(i % CONF_NR_CPUS), &t);
	if (ret) {
		if (ret != -ENOMEM)
			conf_fail(c, "pt_table_alloc returned %d, expected 0 or -ENOMEM", ret);
		c->failures++;
		expect_u64(c, "a->failures", c->a->failures, c->failures);
		conf_op_done(c);
		return ret;
	}
	c->allocs++;
	expect_true(c, c->nr_live < CONF_LIVE_CAP);
	expect_true(c, last_slot(t) < c->map_slots);
	if (live_intersecting(c, t, &u))
		conf_fail(c, "table %#" PRIx64 " overlaps live table %#" PRIx64, t, u);
	c->start_map[first_slot(t)] = (uint16_t)((t & (PT_TABLE_SIZE - 1)) + 1);
	c->live[c->nr_live++] = t;
	for (uint64_t s = first_slot(t); s <= last_slot(t); s++)
		reused |= freed_test(c, s);
	c->reused += reused;
	c->misaligned += !IS_ALIGNED(t, PT_TABLE_SIZE);
	/* any byte at or above 4 GiB is out of the IOMMU's reach */
	c->above_4g += t + PT_TABLE_SIZE > SZ_4G;
	expect_u64(c, "a->allocs", c->a->allocs, c->allocs);
	expect_u64(c, "a->overlap", c->a->overlap, 0);
	expect_u64(c, "a->reused_allocs", c->a->reused_allocs, c->reused);
	expect_u64(c, "a->misaligned", c->a->misaligned, c->misaligned);
	expect_u64(c, "a->above_4g", c->a->above_4g, c->above_4g);
	expect_u64(c, "a->live_tables", c->a->live_tables, c->nr_live);
	if (c->check_zero)
		check_zero(c, t);
	conf_op_done(c);
	return 0;
}

/* Free the live table at shadow index @idx. */
static void conf_free_at(struct conf *c, size_t idx, unsigned int i)
{
	phys_addr_t t = c->live[idx];

	if (c->dirty_before_free) {
		/* aligned tables never cross a page: one write pointer covers them */
		expect_true(c, IS_ALIGNED(t, PT_TABLE_SIZE));
		memset(mm_phys_write_ptr(c->mm, t, PT_TABLE_SIZE), CONF_PATTERN, PT_TABLE_SIZE);
	}
	c->live[idx] = c->live[--c->nr_live];
	c->start_map[first_slot(t)] = 0;
	pt_table_free(c->a, t, (int)(i % CONF_NR_CPUS));
	for (uint64_t s = first_slot(t); s <= last_slot(t); s++)
		c->freed_map[s >> 3] |= (uint8_t)(1u << (s & 7));
	c->frees++;
	expect_u64(c, "a->frees", c->a->frees, c->frees);
	expect_u64(c, "a->live_tables", c->a->live_tables, c->nr_live);
	conf_op_done(c);
}

static void conf_free_all(struct conf *c, uint64_t *seed)
{
	for (unsigned int i = 0; c->nr_live; i++)
		conf_free_at(c, seed ? rand_below(seed, c->nr_live) : c->nr_live - 1, i);
}

/* @n allocations that must all succeed. */
static void conf_alloc_n(struct conf *c, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		int ret = conf_alloc(c, i);

		if (ret)
			conf_fail(c, "allocation %u of %u failed: %d (%" PRIu64 " live)",
				  i, n, ret, (uint64_t)c->nr_live);
	}
}

/*
 * A random alloc/free pattern: phases of mostly allocating and mostly
 * freeing, so slabs and pages fill, empty and refill; never more than
 * @max_live live.  Every allocation must succeed on the idle machine.
 */
static void conf_random(struct conf *c, uint64_t seed, unsigned int nr_ops, unsigned int max_live)
{
	for (unsigned int i = 0; i < nr_ops; i++) {
		/* alloc probability: 3/4 in growing phases, 1/4 in shrinking ones */
		bool grow = (i / 700) % 2 == 0;
		bool do_alloc = rand_below(&seed, 4) < (grow ? 3u : 1u);

		if (c->nr_live == 0 || (do_alloc && c->nr_live < max_live)) {
			int ret = conf_alloc(c, i);

			if (ret)
				conf_fail(c, "op %u: allocation failed on an idle machine: %d", i, ret);
		} else {
			conf_free_at(c, rand_below(&seed, c->nr_live), i);
		}
	}
}

/*
 * The stats invariants:
 *   st.live_tables == a->live_tables == own live count
 *   st.held_pages[z][o] == blocks the mm says the backend holds (zone z, order o)
 *   footprint == sum(held_pages[z][o] * 4 KiB << o) == mm held pages * 4 KiB
 *   footprint == live * 1 KiB + align + tail_pad + free_slot + unused_pool + stranded
 *   sum(free_slots_pages[k]) == backend pages; sum((4 - k) * free_slots_pages[k])
 *     == live tables in backend pages
 */
static void check_stats(struct conf *c)
{
	struct pt_alloc_stats st;
	const struct pt_loss *l = &st.loss;
	uint64_t held_bytes = 0, held_pages, slot_pages = 0, used_slots = 0, in_backend = 0;
	uint64_t sum;

	pt_alloc_stats(c->a, &st);
	expect_u64(c, "st.live_tables", st.live_tables, c->nr_live);
	expect_u64(c, "a->live_tables", c->a->live_tables, c->nr_live);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		for (int o = 0; o < MAX_ORDER; o++) {
			uint64_t blocks = mm_held_blocks(c->mm, OWNER_PT_BACKEND, z, o);

			if (st.held_pages[z][o] != blocks)
				conf_fail(c, "st.held_pages[%s][%d] = %" PRIu64 ", mm says %" PRIu64,
					  zone_name(z), o, st.held_pages[z][o], blocks);
			held_bytes += st.held_pages[z][o] * PAGE_SIZE << o;
		}
	}
	expect_u64(c, "footprint_bytes vs held_pages[][]", st.footprint_bytes, held_bytes);
	held_pages = mm_held_pages_total(c->mm, OWNER_PT_BACKEND);
	expect_u64(c, "footprint_bytes vs mm held pages", st.footprint_bytes, held_pages * PAGE_SIZE);
	sum = st.live_tables * PT_TABLE_SIZE + l->align_bytes + l->tail_pad_bytes +
	      l->free_slot_bytes + l->unused_pool_bytes + l->stranded_bytes;
	if (st.footprint_bytes != sum)
		conf_fail(c, "footprint %" PRIu64 " != live %" PRIu64 " x 1 KiB + align %" PRIu64
			  " + tail_pad %" PRIu64 " + free_slot %" PRIu64 " + unused_pool %" PRIu64
			  " + stranded %" PRIu64 " = %" PRIu64,
			  st.footprint_bytes, st.live_tables, l->align_bytes, l->tail_pad_bytes,
			  l->free_slot_bytes, l->unused_pool_bytes, l->stranded_bytes, sum);
	for (unsigned int k = 0; k <= PT_TABLES_PER_PAGE; k++) {
		slot_pages += c->a->free_slots_pages[k];
		used_slots += (PT_TABLES_PER_PAGE - k) * c->a->free_slots_pages[k];
	}
	expect_u64(c, "sum of free_slots_pages[]", slot_pages, held_pages);
	for (size_t i = 0; i < c->nr_live; i++) {
		phys_addr_t t = c->live[i];

		if (IS_ALIGNED(t, PT_TABLE_SIZE) && phys_to_page(c->mm, t)->owner == OWNER_PT_BACKEND)
			in_backend++;
		else if (!IS_ALIGNED(t, PT_TABLE_SIZE))
			return;	/* two slots, maybe two pages: no simple count */
	}
	expect_u64(c, "live slots in free_slots_pages[]", used_slots, in_backend);
}

/*
 * Free every table, destroy, and find every page back where it was: the
 * backend holds none, and (@owners) every owner holds what it held before
 * create() - no page leaked under another owner's name either.
 */
static void check_destroy_clean(struct conf *c, bool owners)
{
	conf_free_all(c, NULL);
	check_stats(c);
	pt_alloc_destroy(c->a);
	c->a = NULL;
	expect_u64(c, "backend pages after destroy", mm_held_pages_total(c->mm, OWNER_PT_BACKEND), 0);
	for (int ow = OWNER_BOOT; owners && ow < NR_PAGE_OWNERS; ow++) {
		uint64_t now = mm_held_pages_total(c->mm, ow);

		if (now != c->held_before[ow])
			conf_fail(c, "owner %s holds %" PRIu64 " pages after destroy, %" PRIu64
				  " before create", page_owner_name(ow), now, c->held_before[ow]);
	}
	mm_check(c->mm);	/* aborts on an inconsistent list or counter */
}

/* The end of every check that got this far: clean destroy, then the machine goes. */
static void conf_finish(struct conf *c)
{
	check_destroy_clean(c, true);
	conf_stop(c);
}

/*
 * 0. The registry: the backend is found by its id and by its name, which is
 * the one ptb_oracle.ko knows it by (pt_backends.c); unknown names are not.
 */
static void test_registry(void **state)
{
	struct conf *c = *state;

	assert_ptr_equal(pt_backend_get(c->b->id), c->b);
	assert_ptr_equal(pt_backend_find(pt_backend_name(c->b)), c->b);
	assert_int_equal(pt_backend_id_of(pt_backend_names[c->b->id].name), c->b->id);
	assert_null(pt_backend_find("slab"));
	assert_null(pt_backend_get(PT_BACKEND_NR));
	assert_int_equal(pt_backend_id_of("slab-dma32x"), PT_BACKEND_NR);
	/* an alias finds the backend it names, and no alias hides a backend's name */
	for (unsigned int i = 0; i < PT_BACKEND_ALIAS_NR; i++) {
		assert_true(pt_backend_aliases[i].id < PT_BACKEND_NR);
		assert_int_equal(pt_backend_id_of(pt_backend_aliases[i].name), pt_backend_aliases[i].id);
		assert_true(strcmp(pt_backend_aliases[i].name, pt_backend_name(c->b)) != 0);
	}
	/* drivers/iommu/iommu-pages: one zeroed order-0 page a table, page-per-table's */
	assert_ptr_equal(pt_backend_find("iommu-pages"), &pt_backend_page_per_table);
}

/* 1. Every table is 1 KiB aligned; slub_debug misalignment is counted, not hidden. */
static void test_alignment(void **state)
{
	struct conf *c = *state;

	for (size_t v = 0; v < ARRAY_SIZE(kvers_all); v++) {
		enum kver k = kvers_all[v];
		uint64_t seed = 0x9e3779b97f4a7c15ULL + k;

		conf_start(c, k, false);
		conf_random(c, seed, 1500, 512);
		for (size_t i = 0; i < c->nr_live; i++)
			if (!IS_ALIGNED(c->live[i], PT_TABLE_SIZE))
				conf_fail(c, "table %#" PRIx64 " not 1 KiB aligned", c->live[i]);
		/* and every table handed out, freed or not (own count, then the wrapper's) */
		expect_u64(c, "misaligned tables", c->misaligned, 0);
		expect_u64(c, "a->misaligned", c->a->misaligned, 0);
		conf_finish(c);
	}
	if (!is_kzalloc_dma32(c->b))
		return;
	/*
	 * kmalloc-1024 with slub_debug: 4.19 puts objects at 1024 + debug
	 * padding, so some are misaligned; from 5.4 kmalloc of a power of two
	 * is naturally aligned (59bb47985c1d).  conf_alloc checks the count.
	 */
	conf_start(c, KVER_4_19, true);
	conf_alloc_n(c, 256);
	if (c->misaligned == 0)
		conf_fail(c, "no misaligned table in %" PRIu64 " allocations", c->allocs);
	expect_u64(c, "a->misaligned", c->a->misaligned, c->misaligned);
	conf_finish(c);
	conf_start(c, KVER_5_4, true);
	conf_alloc_n(c, 256);
	expect_u64(c, "a->misaligned", c->a->misaligned, 0);
	conf_finish(c);
}

/*
 * 2. Below 4 GiB.  slab-dma and kzalloc-dma32 may hand out tables above
 * 4 GiB (4.19 arm64: GFP_DMA is ZONE_NORMAL, and kmalloc drops
 * __GFP_DMA32): then the violation must be counted.  On the default
 * machine ZONE_NORMAL (4..5 GiB) has free memory and is preferred, so on
 * 4.19 they must actually violate.  The others never do.
 */
static void test_below_4g(void **state)
{
	struct conf *c = *state;

	for (size_t v = 0; v < ARRAY_SIZE(kvers_all); v++) {
		enum kver k = kvers_all[v];
		conf_start(c, k, false);
		conf_alloc_n(c, 512);
		expect_u64(c, "a->above_4g", c->a->above_4g, c->above_4g);
		if (!is_may_violate_4g(c->b))
			expect_u64(c, "tables above 4 GiB", c->above_4g, 0);
		else if (k == KVER_4_19 && c->above_4g == 0)
			conf_fail(c, "no table above 4 GiB in %" PRIu64 " allocations", c->allocs);
		conf_finish(c);
	}
}

static int cmp_phys(const void *x, const void *y)
{
	phys_addr_t a = *(const phys_addr_t *)x, b = *(const phys_addr_t *)y;

	return (a > b) - (a < b);
}

/* 3. No two live tables intersect, over a few thousand random allocs and frees. */
static void test_overlap(void **state)
{
	struct conf *c = *state;

	for (size_t v = 0; v < ARRAY_SIZE(kvers_all); v++) {
		enum kver k = kvers_all[v];
		uint64_t seed = 0x2545f4914f6cdd1dULL ^ k;

		conf_start(c, k, false);
		conf_random(c, seed, 4000, CONF_MAX_LIVE);
		/* once more, independently of the start map: sorted, adjacent pairs */
		qsort(c->live, c->nr_live, sizeof(*c->live), cmp_phys);
		for (size_t i = 1; i < c->nr_live; i++)
			if (c->live[i - 1] + PT_TABLE_SIZE > c->live[i])
				conf_fail(c, "live tables %#" PRIx64 " and %#" PRIx64 " overlap",
					  c->live[i - 1], c->live[i]);
		expect_u64(c, "a->overlap", c->a->overlap, 0);
		expect_true(c, c->a->peak_live_tables >= c->nr_live);
		conf_finish(c);
	}
}

/* 4. A table is zeroed even when its memory held a written, freed table. */
static void test_zeroed(void **state)
{
	struct conf *c = *state;

	for (size_t v = 0; v < ARRAY_SIZE(kvers_ends); v++) {
		enum kver k = kvers_ends[v];
		uint64_t seed = 0xd1b54a32d192ed03ULL + k;

		conf_start(c, k, false);
		c->dirty_before_free = true;
		c->check_zero = true;
		conf_alloc_n(c, 1024);
		conf_free_all(c, &seed);
		conf_random(c, seed, 3000, 2048);
		/* without reuse the check would prove nothing */
		if (c->reused == 0)
			conf_fail(c, "no allocation reused freed memory in %" PRIu64, c->allocs);
		conf_finish(c);
	}
}

/* 5. After freeing everything, allocating again works; reuse is counted consistently. */
static void test_free_realloc(void **state)
{
	struct conf *c = *state;
	const unsigned int n = 1500;

	for (size_t v = 0; v < ARRAY_SIZE(kvers_ends); v++) {
		enum kver k = kvers_ends[v];
		uint64_t seed = 0x94d049bb133111ebULL + k;

		conf_start(c, k, false);
		conf_alloc_n(c, n);
		/* a fresh machine: nothing was freed before, nothing is reused */
		expect_u64(c, "a->reused_allocs on a fresh machine", c->a->reused_allocs, 0);
		conf_free_all(c, &seed);
		conf_alloc_n(c, n);
		expect_u64(c, "a->allocs", c->a->allocs, 2 * n);
		expect_u64(c, "a->frees", c->a->frees, n);
		expect_u64(c, "a->failures", c->a->failures, 0);
		expect_u64(c, "a->reused_allocs", c->a->reused_allocs, c->reused);
		expect_true(c, c->a->reused_allocs <= c->a->allocs);
		check_stats(c);
		conf_free_all(c, &seed);
		conf_alloc_n(c, n);
		expect_u64(c, "a->reused_allocs", c->a->reused_allocs, c->reused);
		expect_true(c, c->a->reused_allocs <= c->a->allocs);
		conf_finish(c);
	}
}

/* 6. The stats invariants after every few operations, and after shrink. */
static void test_stats(void **state)
{
	struct conf *c = *state;

	for (size_t v = 0; v < ARRAY_SIZE(kvers_all); v++) {
		enum kver k = kvers_all[v];
		uint64_t seed = 0xbf58476d1ce4e5b9ULL + k;

		conf_start(c, k, false);
		check_stats(c);
		c->stats_every = 7;
		conf_random(c, seed, 2500, 1500);
		pt_alloc_shrink(c->a, 0);
		check_stats(c);
		conf_free_all(c, &seed);
		check_stats(c);
		for (int cpu = 0; cpu < CONF_NR_CPUS; cpu++)
			pt_alloc_shrink(c->a, cpu);
		check_stats(c);
		conf_random(c, seed, 700, 1500);
		conf_finish(c);
	}
}

/*
 * 7. Everything goes back at destroy (every check ends with that too), and
 * a second instance on the same machine finds nothing the first left
 * behind: hooks, pages, per-CPU state.  destroy(NULL) is accepted.
 */
static void test_leak(void **state)
{
	struct conf *c = *state;

	for (size_t v = 0; v < ARRAY_SIZE(kvers_ends); v++) {
		enum kver k = kvers_ends[v];
		uint64_t seed = 0x853c49e6748fea9bULL + k;

		conf_start(c, k, false);
		conf_random(c, seed, 2000, 1500);
		check_destroy_clean(c, true);
		conf_create(c, false);
		conf_random(c, seed, 2000, 1500);
		conf_finish(c);
	}
	pt_alloc_destroy(NULL);
	c->b->destroy(NULL);
}

/*
 * 8. GFP_ATOMIC with memory exhausted: every zone filled by GFP_KERNEL
 * background memory down to its min watermark, then atomic tables until
 * well past the atomic reserves.  Each allocation returns 0 or -ENOMEM and
 * each failure is counted; what did succeed is still checked as usual.
 */
static void test_atomic_exhausted(void **state)
{
	struct conf *c = *state;

	/* before and after ALLOC_NON_BLOCK replaced ALLOC_HARDER (6.13) */
	for (size_t v = 0; v < ARRAY_SIZE(kvers_ends); v++) {
		unsigned int attempts;
		uint64_t got = 0;

		conf_start(c, kvers_ends[v], false);
		/*
		 * Large blocks first, without direct reclaim so no compaction
		 * runs (cheap), then GFP_KERNEL single pages until the first
		 * failure: every zone is at its min watermark.
		 */
		for (int o = MAX_ORDER - 1; o > 0; o--)
			got += background_alloc(c->mm, GFP_KERNEL & ~__GFP_DIRECT_RECLAIM,
						(unsigned int)o, UINT64_MAX, 0);
		got += background_alloc(c->mm, GFP_KERNEL, 0, UINT64_MAX, 0);
		expect_true(c, got > 0);
		expect_true(c, alloc_pages(c->mm, GFP_KERNEL, 0, 0, OWNER_TEST) == NULL);
		for (attempts = 0; attempts < 12000 && c->failures < 64; attempts++)
			conf_alloc(c, attempts);
		expect_u64(c, "a->failures", c->a->failures, c->failures);
		expect_u64(c, "a->allocs", c->a->allocs, c->allocs);
		expect_u64(c, "allocs + failures", c->allocs + c->failures, attempts);
		print_message("    %s, kernel %s: %" PRIu64 " atomic tables, %" PRIu64 " failures\n",
			      pt_backend_name(c->b), kver_name(c->kver), c->allocs, c->failures);
		check_stats(c);
		/* with memory back (and room in a full pool) a failed backend recovers */
		for (unsigned int i = 0; i < 64 && c->nr_live; i++)
			conf_free_at(c, c->nr_live - 1, i);
		for (int z = 0; z < MAX_NR_ZONES; z++)
			if (mm_zone_populated(c->mm, z))
				expect_true(c, background_free_zone(c->mm, z, MIGRATE_UNMOVABLE,
								    16384, 0) > 0);
		conf_alloc_n(c, 32);
		check_stats(c);
		/* the background memory stays: only the backend's own pages are compared */
		check_destroy_clean(c, false);
		conf_stop(c);
	}
}

struct check {
	const char *name;
	CMUnitTestFunction fn;
};

static const struct check checks[] = {
	{ "registry", test_registry },
	{ "alignment", test_alignment },
	{ "below-4g", test_below_4g },
	{ "overlap", test_overlap },
	{ "zeroed", test_zeroed },
	{ "realloc", test_free_realloc },
	{ "stats", test_stats },
	{ "leak", test_leak },
	{ "atomic-exhausted", test_atomic_exhausted },
};

int main(int argc, char **argv)
{
	const size_t nr = ARRAY_SIZE(checks) * PT_BACKEND_NR;
	struct CMUnitTest *tests = calloc(nr, sizeof(*tests));
	struct conf *confs = calloc(nr, sizeof(*confs));
	char **names = calloc(nr, sizeof(*names));
	size_t n = 0;
	int ret = 1;

	if (!tests || !confs || !names)
		goto out;
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	if (argc > 2)
		cmocka_set_skip_filter(argv[2]);
	for (size_t k = 0; k < ARRAY_SIZE(checks); k++) {
		for (int id = 0; id < PT_BACKEND_NR; id++) {
			const struct pt_backend *b = pt_backend_get(id);

			if (asprintf(&names[n], "%s/%s", checks[k].name, pt_backend_name(b)) < 0) {
				names[n] = NULL;
				goto out;
			}
			confs[n].b = b;
			tests[n] = (struct CMUnitTest) {
				.name = names[n],
				.test_func = checks[k].fn,
				.teardown_func = conf_teardown,
				.initial_state = &confs[n],
			};
			n++;
		}
	}
	ret = _cmocka_run_group_tests("conformance", tests, n, NULL, NULL);
out:
	for (size_t i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
	free(confs);
	free(tests);
	return ret;
}
