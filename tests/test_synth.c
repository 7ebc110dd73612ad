// SPDX-License-Identifier: GPL-2.0
/*
 * test_synth.c - the synthetic workloads (workloads/synth/) against what
 * their README promises and what the kernel's dma-iommu path guarantees:
 *  - the IOVA allocator's own rules on hand-worked cases (top-down, size
 *    alignment, the range caches, the 1 MiB slots, fast failure);
 *  - every event of every workload: time order, the fields a recorder
 *    would fill, IOVAs inside 0..4 GiB, no map over a live range, every
 *    unmap covering exactly the runs one buffer mapped, aligned as
 *    alloc_iova_fast aligns it;
 *  - each workload's documented sizes and rates, counted from its events;
 *  - determinism from the seed, the event cap;
 *  - frag-worst replayed through page-frag holds exactly the derived bound.
 * Numbers below are the README's, written out, not taken from the code.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "replay.h"
#include "synth/iova.h"
#include "synth/synth.h"
#include "trace_reader.h"

#define PAGE_BYTES	4096ULL
#define GIB4		(1ULL << 32)
#define GIB16		(1ULL << 34)		/* mtk16g: four 4 GiB regions */
#define DRAM_START	0x40000000ULL		/* mt8173-4g */
#define DRAM_END	0x140000000ULL
#define GFP_ATOMIC_419	0x480020u		/* ptbench's gfp encoding (4.19 bits) */
#define ALL_FIELDS	(TRACE_HAS_CPU | TRACE_HAS_CTX | TRACE_HAS_DOMAIN | TRACE_HAS_GFP | TRACE_HAS_PID)
#define SEC		1000000000ULL
#define MIN(a, b)	((a) < (b) ? (a) : (b))

/* ---- a streaming checker of a workload's events ---- */

/*
 * Live mappings: a bit per IOVA page of the 16 GiB space (overlaps), and the
 * runs by first page in an open-addressed table (an unmap must consume whole
 * runs).  Both cost the same whatever the number of live buffers.
 */
#define IOVA_PAGES	(1u << 22)
#define RUN_SLOTS	(1u << 17)

struct run_slot {
	uint32_t first;			/* first page + 1; 0 = empty */
	uint32_t end;			/* one past the last page */
};

#define SIZE_SLOTS	4096

struct size_count {
	uint32_t pid;
	uint64_t size;		/* 0 = empty slot */
	uint64_t count;
};

struct checker {
	uint64_t iova_end;		/* IOVAs must end at or below: 4 GiB, mtk16g 16 GiB */
	uint64_t above_4g_maps;		/* maps whose IOVA is at or above 4 GiB */
	uint64_t busy[IOVA_PAGES / 64];
	struct run_slot runs[RUN_SLOTS];
	uint64_t nr_runs;
	uint64_t events, maps, unmaps, last_ts;
	uint64_t violations;
	char first[256];		/* the first violation, for the failure message */
	uint64_t hash;			/* FNV-1a over every field */
	struct size_count unmap_sizes[SIZE_SLOTS];
	uint64_t pid_maps[4096], pid_unmaps[4096];	/* by pid (all below 4096) */
	/* per-test hook, called after the generic checks */
	void (*on_event)(struct checker *c, const struct trace_event *ev);
	void *priv;
};

static void violation(struct checker *c, const struct trace_event *ev, const char *what)
{
	if (!c->violations++)
		snprintf(c->first, sizeof(c->first), "event %llu (op %u iova 0x%llx size %llu t %llu): %s",
			 (unsigned long long)c->events, ev->op, (unsigned long long)ev->iova,
			 (unsigned long long)ev->size_bytes, (unsigned long long)ev->ts_ns, what);
}

static void hash_u64(struct checker *c, uint64_t v)
{
	for (int i = 0; i < 8; i++) {
		c->hash ^= (v >> (8 * i)) & 0xff;
		c->hash *= 0x100000001b3ULL;
	}
}

/* Count the busy pages of [first, end) and set (on) or clear them. */
static uint64_t busy_update(struct checker *c, uint32_t first, uint32_t end, bool on)
{
	uint64_t n = 0;

	for (uint32_t p = first; p < end;) {
		uint32_t w = p / 64, lo = p % 64, hi = MIN(64u, lo + (end - p));
		uint64_t mask = (hi - lo == 64 ? ~0ULL : ((1ULL << (hi - lo)) - 1)) << lo;

		n += (uint64_t)__builtin_popcountll(c->busy[w] & mask);
		c->busy[w] = on ? c->busy[w] | mask : c->busy[w] & ~mask;
		p += hi - lo;
	}
	return n;
}

static uint32_t run_home(uint32_t first)
{
	return (uint32_t)((first * 2654435761u) % RUN_SLOTS);
}

static void run_insert(struct checker *c, uint32_t first, uint32_t end)
{
	uint32_t i = run_home(first);

	assert_true(c->nr_runs < RUN_SLOTS / 2);
	while (c->runs[i].first)
		i = (i + 1) % RUN_SLOTS;
	c->runs[i] = (struct run_slot){ first + 1, end };
	c->nr_runs++;
}

/* Remove the run starting at @first; its end, or 0 when there is none. */
static uint32_t run_take(struct checker *c, uint32_t first)
{
	uint32_t i = run_home(first), end, j;

	while (c->runs[i].first && c->runs[i].first != first + 1)
		i = (i + 1) % RUN_SLOTS;
	if (!c->runs[i].first)
		return 0;
	end = c->runs[i].end;
	/* backward-shift deletion keeps every probe chain whole */
	for (j = (i + 1) % RUN_SLOTS; c->runs[j].first; j = (j + 1) % RUN_SLOTS) {
		uint32_t h = run_home(c->runs[j].first - 1);

		if ((j > i && (h <= i || h > j)) || (j < i && h <= i && h > j)) {
			c->runs[i] = c->runs[j];
			i = j;
		}
	}
	c->runs[i].first = 0;
	c->nr_runs--;
	return end;
}

static void count_unmap_size(struct checker *c, uint32_t pid, uint64_t size)
{
	uint64_t h = (size * 0x9e3779b97f4a7c15ULL) ^ pid;

	for (uint64_t i = 0; i < SIZE_SLOTS; i++) {
		struct size_count *s = &c->unmap_sizes[(h + i) % SIZE_SLOTS];

		if (!s->size) {
			s->pid = pid;
			s->size = size;
		}
		if (s->size == size && s->pid == pid) {
			s->count++;
			return;
		}
	}
	fail_msg("more than %d (pid, size) pairs", SIZE_SLOTS);
}

static uint64_t unmaps_of(const struct checker *c, uint32_t pid, uint64_t size)
{
	for (int i = 0; i < SIZE_SLOTS; i++)
		if (c->unmap_sizes[i].size == size && c->unmap_sizes[i].pid == pid)
			return c->unmap_sizes[i].count;
	return 0;
}

static uint64_t roundup_pow2(uint64_t n)
{
	uint64_t p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

static void check_map(struct checker *c, const struct trace_event *ev)
{
	uint32_t first = (uint32_t)(ev->iova / PAGE_BYTES);
	uint32_t end = (uint32_t)((ev->iova + ev->size_bytes) / PAGE_BYTES);

	if (ev->gfp != GFP_ATOMIC_419)
		violation(c, ev, "map gfp is not GFP_ATOMIC (iommu_map_sg_atomic)");
	if (ev->paddr % PAGE_BYTES || ev->paddr < DRAM_START || ev->paddr + ev->size_bytes > DRAM_END)
		violation(c, ev, "paddr outside mt8173-4g DRAM or unaligned");
	if (busy_update(c, first, end, true)) {
		violation(c, ev, "map overlaps a live range");
		return;
	}
	run_insert(c, first, end);
}

/* The unmap must cover exactly consecutive live runs from its iova. */
static void check_unmap(struct checker *c, const struct trace_event *ev)
{
	uint32_t first = (uint32_t)(ev->iova / PAGE_BYTES);
	uint32_t end = (uint32_t)((ev->iova + ev->size_bytes) / PAGE_BYTES), at = first;
	uint64_t pages = ev->size_bytes / PAGE_BYTES;

	if (ev->unmapped_bytes != ev->size_bytes)
		violation(c, ev, "unmapped_size != size");
	/* alloc_iova_fast: size-aligned to roundup_pow_of_two(pages) */
	if (ev->iova % (roundup_pow2(pages) * PAGE_BYTES))
		violation(c, ev, "IOVA not aligned to roundup_pow_of_two(size)");
	while (at < end) {
		uint32_t next = run_take(c, at);

		if (!next || next > end) {
			violation(c, ev, "unmap does not match the runs of one mapped buffer");
			return;
		}
		at = next;
	}
	if (busy_update(c, first, end, false) != pages)
		violation(c, ev, "unmap of pages not mapped");
	count_unmap_size(c, ev->pid, ev->size_bytes);
}

static int check_event(void *ctx, const struct trace_event *ev)
{
	struct checker *c = ctx;

	if (ev->ts_ns < c->last_ts)
		violation(c, ev, "time goes backwards");
	if (ev->has != ALL_FIELDS || ev->domain != 1 || ev->cpu >= 4 || ev->ctx || ev->pid >= 4096)
		violation(c, ev, "fields: domain 1, CPU 0..3, process context, pid");
	if (ev->iova % PAGE_BYTES || ev->size_bytes % PAGE_BYTES || !ev->size_bytes ||
	    ev->iova < PAGE_BYTES || ev->iova + ev->size_bytes > (c->iova_end ? c->iova_end : GIB4))
		violation(c, ev, "IOVA range outside [4 KiB, 4 GiB) (mtk16g: 16 GiB) or unaligned");
	else if (ev->op == TRACE_OP_MAP)
		check_map(c, ev);
	else if (ev->op == TRACE_OP_UNMAP)
		check_unmap(c, ev);
	else
		violation(c, ev, "op");
	if (ev->op == TRACE_OP_MAP) {
		c->maps++;
		c->above_4g_maps += ev->iova >= GIB4;
		c->pid_maps[ev->pid % 4096]++;
	} else {
		c->unmaps++;
		c->pid_unmaps[ev->pid % 4096]++;
		if (ev->gfp)
			violation(c, ev, "unmap with a gfp");
	}
	hash_u64(c, ev->ts_ns);
	hash_u64(c, ev->iova);
	hash_u64(c, ev->paddr);
	hash_u64(c, ev->size_bytes);
	hash_u64(c, (uint64_t)ev->pid << 32 | (uint64_t)ev->cpu << 8 | ev->op);
	c->last_ts = ev->ts_ns;
	c->events++;
	if (c->on_event)
		c->on_event(c, ev);
	return 0;
}

static struct checker *checker_new(void)
{
	struct checker *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	c->hash = 0xcbf29ce484222325ULL;
	return c;
}

static void checker_free(struct checker *c)
{
	free(c);
}

/* Generate @name and run every generic check; the checker stays for counting. */
static void run(struct checker *c, const char *name, uint64_t seed, uint64_t max_events,
		uint64_t duration_s, struct synth_result *res)
{
	const struct synth_workload *w = synth_workload_find(name);
	struct synth_opts o = { .seed = seed, .max_events = max_events, .duration_ns = duration_s * SEC };
	char err[256] = "";

	assert_non_null(w);
	c->iova_end = !strcmp(name, "mtk16g") ? GIB16 : GIB4;
	if (synth_generate(w, &o, check_event, c, res, err, sizeof(err)))
		fail_msg("synth %s: %s", name, err);
	if (c->violations)
		fail_msg("synth %s seed %llu: %llu violations, first: %s", name,
			 (unsigned long long)seed, (unsigned long long)c->violations, c->first);
	assert_int_equal(res->events, c->events);
	assert_int_equal(res->maps, c->maps);
	assert_int_equal(res->unmaps, c->unmaps);
}

/* |got - want| <= tol * want */
static void assert_near(double got, double want, double tol, const char *what)
{
	if (got < want * (1 - tol) || got > want * (1 + tol))
		fail_msg("%s: %.1f, documented %.1f (+-%.0f%%)", what, got, want, tol * 100);
}

/* The checker itself: each rule it enforces, broken once, is caught. */
static void feed(struct checker *c, uint8_t op, uint64_t iova, uint64_t size)
{
	struct trace_event ev = {
		.ts_ns = c->last_ts, .op = op, .iova = iova, .size_bytes = size,
		.paddr = op == TRACE_OP_MAP ? DRAM_START : 0,
		.unmapped_bytes = op == TRACE_OP_UNMAP ? size : 0,
		.gfp = op == TRACE_OP_MAP ? GFP_ATOMIC_419 : 0,
		.domain = 1, .pid = 1, .has = ALL_FIELDS,
	};

	check_event(c, &ev);
}

static void test_checker_catches(void **state)
{
	struct checker *c = checker_new();

	(void)state;
	feed(c, TRACE_OP_MAP, 0x100000, 0x10000);	/* a buffer of two runs */
	feed(c, TRACE_OP_MAP, 0x110000, 0x10000);
	assert_int_equal(c->violations, 0);
	feed(c, TRACE_OP_MAP, 0x118000, 0x1000);	/* over a live run */
	assert_int_equal(c->violations, 1);
	feed(c, TRACE_OP_UNMAP, 0x100000, 0x10000);	/* half the buffer */
	feed(c, TRACE_OP_UNMAP, 0x110000, 0x10000);	/* 64 KiB at a 64 KiB IOVA: fine */
	assert_int_equal(c->violations, 1);
	feed(c, TRACE_OP_UNMAP, 0x100000, 0x20000);	/* nothing left there */
	assert_int_equal(c->violations, 2);
	feed(c, TRACE_OP_MAP, 0x201000, 0x2000);	/* then freed at a 4 KiB offset */
	feed(c, TRACE_OP_UNMAP, 0x201000, 0x2000);
	assert_int_equal(c->violations, 3);
	feed(c, TRACE_OP_MAP, 0xfffff000, 0x2000);	/* beyond 4 GiB */
	assert_int_equal(c->violations, 4);
	checker_free(c);
}

/* ---- the IOVA allocator (drivers/iommu/iova.c 6.1) by hand ---- */

#define LIMIT_PFN	0xfffffULL	/* 4 GiB - 1 */

static void iova_init(struct iova_domain *d)
{
	assert_int_equal(iova_domain_init(d, 1, 4), 0);
}

/*
 * Top-down from the limit, each range aligned to roundup_pow_of_two(size):
 *   1 page  -> 0xfffff
 *   2 pages -> 0xffffc (0xffffe stays a hole: 2-aligned below 0xfffff)
 *   3 pages -> rounded to 4 (below 32 pages), 4-aligned: 0xffff8
 *   100 pages -> not rounded (>= 32), 128-aligned: 0xfff80..0xfffe3
 * Expect exactly those, and 0xffffe still free (a 1-page range on another
 * CPU, not from a cache, takes the highest hole below the last range).
 */
static void test_iova_top_down_aligned(void **state)
{
	struct iova_domain d;
	uint64_t lo, hi;

	(void)state;
	iova_init(&d);
	assert_int_equal(alloc_iova_fast(&d, 1, LIMIT_PFN, true, 0), 0xfffff);
	assert_int_equal(alloc_iova_fast(&d, 2, LIMIT_PFN, true, 0), 0xffffc);
	assert_int_equal(alloc_iova_fast(&d, 3, LIMIT_PFN, true, 0), 0xffff8);
	assert_true(iova_find(&d, 0xffffb, &lo, &hi));
	assert_int_equal(lo, 0xffff8);
	assert_int_equal(hi, 0xffffb);		/* 4 pages reserved for 3 */
	assert_int_equal(alloc_iova_fast(&d, 100, LIMIT_PFN, true, 0), 0xfff80);
	assert_true(iova_find(&d, 0xfffe3, &lo, &hi));
	assert_int_equal(hi, 0xfffe3);		/* 100 pages, not rounded */
	assert_false(iova_find(&d, 0xfffe4, &lo, &hi));
	assert_false(iova_find(&d, 0xffffe, &lo, &hi));
	/* below the last range (the cached node), not back up in the hole */
	assert_int_equal(alloc_iova_fast(&d, 1, LIMIT_PFN, true, 1), 0xfff7f);
	iova_domain_exit(&d);
}

/*
 * Range caches: a freed 1-page range goes to the freeing CPU's magazine and
 * stays allocated; the same CPU gets it back, another CPU does not.  A
 * 64-page range (order 6 = IOVA_RANGE_CACHE_MAX_SIZE) is not cached: it goes
 * back to the tree, and the cached node moves up over it, so the next
 * 64-page range lands in the same place.
 */
static void test_iova_rcache(void **state)
{
	struct iova_domain d;
	uint64_t lo, hi, big;

	(void)state;
	iova_init(&d);
	assert_int_equal(alloc_iova_fast(&d, 1, LIMIT_PFN, true, 0), 0xfffff);
	free_iova_fast(&d, 0xfffff, 1, 0);
	assert_true(iova_find(&d, 0xfffff, &lo, &hi));		/* still in the tree */
	assert_int_equal(iova_rcache_cpu_count(&d, 0, 0), 1);
	assert_int_equal(alloc_iova_fast(&d, 1, LIMIT_PFN, true, 1), 0xffffe);
	assert_int_equal(alloc_iova_fast(&d, 1, LIMIT_PFN, true, 0), 0xfffff);
	assert_int_equal(d.stats.rcache_hits, 1);
	big = alloc_iova_fast(&d, 64, LIMIT_PFN, true, 2);
	assert_int_equal(big, 0xfff80);
	free_iova_fast(&d, big, 64, 2);
	assert_false(iova_find(&d, big, &lo, &hi));		/* back in the tree */
	assert_int_equal(alloc_iova_fast(&d, 64, LIMIT_PFN, true, 3), big);
	/* 17..31 pages share the 32-page bin: freed as 20, handed out for 31 */
	big = alloc_iova_fast(&d, 20, LIMIT_PFN, true, 0);
	assert_int_equal(big % 32, 0);
	free_iova_fast(&d, big, 20, 0);
	assert_int_equal(alloc_iova_fast(&d, 31, LIMIT_PFN, true, 0), big);
	iova_domain_exit(&d);
}

/*
 * Magazines: IOVA_MAG_SIZE = 128.  CPU 0 frees 257 one-page ranges: 128 fill
 * "loaded", the next swaps it to "prev" and fills a new "loaded", the 257th
 * finds both full and pushes "loaded" to the global depot.  Expect 129 on
 * CPU 0 and 128 in the depot; then CPU 1, with empty magazines, takes a whole
 * magazine from the depot.
 */
static void test_iova_magazines(void **state)
{
	static uint64_t pfn[257];
	struct iova_domain d;

	(void)state;
	iova_init(&d);
	for (int i = 0; i < 257; i++)
		pfn[i] = alloc_iova_fast(&d, 1, LIMIT_PFN, true, 0);
	for (int i = 0; i < 257; i++)
		free_iova_fast(&d, pfn[i], 1, 0);
	assert_int_equal(iova_rcache_cpu_count(&d, 0, 0), 129);
	assert_int_equal(iova_rcache_depot_count(&d, 0), 128);
	/* the magazine pushed to the depot was the second one, pfn[128..255];
	 * CPU 1 takes it whole and pops its last entry */
	assert_int_equal(alloc_iova_fast(&d, 1, LIMIT_PFN, true, 1), pfn[255]);
	assert_int_equal(iova_rcache_depot_count(&d, 0), 0);
	assert_int_equal(iova_rcache_cpu_count(&d, 0, 1), 127);
	iova_domain_exit(&d);
}

/*
 * 1 MiB ranges (256 pages, 1 MiB aligned) fill the 4 GiB space slot by slot
 * from the top: 4095 fit, slot 0 cannot (pfn 0 is below start_pfn 1).  The
 * 4096th fails, and fails fast for that size until something is freed.
 */
static void test_iova_full(void **state)
{
	struct iova_domain d;
	uint64_t pfn = 0;
	int n = 0;

	(void)state;
	iova_init(&d);
	while (n < 5000 && (pfn = alloc_iova_fast(&d, 256, LIMIT_PFN, true, 0)))
		assert_int_equal(pfn, (uint64_t)(4095 - n++) * 256);
	assert_int_equal(n, 4095);
	assert_int_equal(d.max32_alloc_size, 256);
	assert_int_equal(alloc_iova_fast(&d, 512, LIMIT_PFN, true, 0), 0);	/* fast fail */
	/* slot 0 still takes smaller ranges: the highest fitting page is 0xff */
	assert_int_equal(alloc_iova_fast(&d, 1, LIMIT_PFN, true, 0), 0xff);
	free_iova_fast(&d, 40 * 256, 256, 0);
	assert_int_equal(alloc_iova_fast(&d, 256, LIMIT_PFN, true, 0), 40 * 256);
	iova_domain_exit(&d);
}

/* ---- the workloads ---- */

/* display: 1920x1080 and 2400x1600 XRGB8888, triple buffered; mode change every
 * 20 min, overlay (3 x NV12 1920x1080) 60 s on / 120 s off; 2 cursors 64x64x4. */
struct display_check {
	uint64_t mapped_at_boot;	/* bytes mapped before the first framebuffer */
	bool cursor_ends[2];		/* a buffer boundary at 16 KiB and at 32 KiB */
};

static void display_on_event(struct checker *c, const struct trace_event *ev)
{
	struct display_check *k = c->priv;

	if (ev->op != TRACE_OP_MAP || k->mapped_at_boot >= 32768)
		return;
	k->mapped_at_boot += ev->size_bytes;
	if (k->mapped_at_boot == 16384)
		k->cursor_ends[0] = true;
	if (k->mapped_at_boot == 32768)
		k->cursor_ends[1] = true;
}

static void test_display(void **state)
{
	struct checker *c = checker_new();
	struct display_check k = { 0 };
	struct synth_result res;
	uint64_t hours = 48, fb;

	(void)state;
	c->on_event = display_on_event;
	c->priv = &k;
	run(c, "display", 1, 0, hours * 3600, &res);
	assert_int_equal(res.alloc_failures, 0);
	/* the first buffers mapped: the two 64x64x4 cursors, 16 KiB each */
	assert_true(k.cursor_ends[0] && k.cursor_ends[1]);
	fb = unmaps_of(c, 1201, 8294400) + unmaps_of(c, 1201, 15360000);
	assert_int_equal(fb % 3, 0);
	/* a Poisson count: mean 144 mode changes in 48 h, 4 sigma = 48 */
	assert_near((double)fb / 3, hours * 3.0, 0.34, "mode changes");
	/* overlay cycles of 180 s: 960 in 48 h, 4 sigma ~ 13 % */
	assert_near((double)unmaps_of(c, 1201, 3112960) / 3, hours * 3600 / 180.0, 0.15, "overlay cycles");
	/* every buffer the display unmaps is one of those */
	assert_int_equal(c->pid_unmaps[1201], fb + unmaps_of(c, 1201, 3112960));
	checker_free(c);
}

/* video: MT21C planes (Y 1920x1088 / C half; 1280x736), OUTPUT 8 x 1 MiB,
 * H.264 MV 64 B per MB, VP9 MV ((w/64)(h/64)+2)*576; sessions 30 s apart,
 * 4 min long, per tab (2 tabs); resolution switches every 60 s. */
static void test_video(void **state)
{
	struct checker *c = checker_new();
	struct synth_result res;
	uint64_t hours = 12, sessions, y1080, c1080, y720, c720;

	(void)state;
	run(c, "video", 2, 0, hours * 3600, &res);
	assert_int_equal(res.alloc_failures, 0);
	sessions = unmaps_of(c, 1205, 1048576);
	assert_int_equal(sessions % 8, 0);
	sessions /= 8;
	/* two tabs, each a session every 30 s + 4 min: 320 in 12 h, 4 sigma 22 % */
	assert_near((double)sessions, 2.0 * hours * 3600 / 270, 0.25, "sessions");
	y1080 = unmaps_of(c, 1205, 2088960);
	c1080 = unmaps_of(c, 1205, 1044480);
	y720 = unmaps_of(c, 1205, 942080);
	c720 = unmaps_of(c, 1205, 471040);
	/* every CAPTURE buffer has both planes; the MDP unmaps its import of each too */
	assert_int_equal(y1080, c1080);
	assert_int_equal(y720, c720);
	assert_true(y1080 % 2 == 0 && y720 % 2 == 0);	/* the buffer, then the MDP import */
	assert_true(y1080 > 0 && y720 > 0);
	/* MV buffers: H.264 17 per resolution (128 / 58 pages), VP9 one (72 / 35 pages) */
	assert_int_equal(unmaps_of(c, 1205, 524288) % 17, 0);
	assert_int_equal(unmaps_of(c, 1205, 237568) % 17, 0);
	assert_true(unmaps_of(c, 1205, 294912) > 0 && unmaps_of(c, 1205, 143360) > 0);
	/* H.264 prediction buffer: 32 KiB, one per H.264 session (40 %) */
	assert_near((double)unmaps_of(c, 1205, 32768), 0.4 * sessions, 0.35, "H.264 sessions");
	/* the NV12 outputs, and the compositor's overlay import of each */
	assert_int_equal(unmaps_of(c, 1201, 3112960), unmaps_of(c, 1205, 3112960));
	assert_int_equal(unmaps_of(c, 1201, 1384448), unmaps_of(c, 1205, 1384448));
	checker_free(c);
}

/* camera: a 160 KiB USERPTR map per frame at 30 fps, unmapped 4 ms later. */
struct camera_check {
	uint64_t last_unmap_ts, intervals, on_grid;
};

static void camera_on_event(struct checker *c, const struct trace_event *ev)
{
	struct camera_check *k = c->priv;

	if (ev->op != TRACE_OP_UNMAP || ev->size_bytes != 163840)
		return;
	if (k->last_unmap_ts) {
		uint64_t d = ev->ts_ns - k->last_unmap_ts;

		k->intervals++;
		/* 1/30 s, give or take the 2 us per event of the frame's map */
		k->on_grid += d >= 33333333 - 200000 && d <= 33333334 + 200000;
	}
	k->last_unmap_ts = ev->ts_ns;
}

static void test_camera(void **state)
{
	struct checker *c = checker_new();
	struct camera_check k = { 0 };
	struct synth_result res;

	(void)state;
	c->on_event = camera_on_event;
	c->priv = &k;
	run(c, "camera", 3, 0, 2 * 3600, &res);
	assert_int_equal(res.alloc_failures, 0);
	/* frames: 30 per second while streaming; the gaps between sessions are few */
	assert_true(k.intervals > 30 * 600);
	assert_true(k.on_grid >= k.intervals * 99 / 100);
	/* the NV12 720p pool and stills: 1280 x 720 x 1.5 = 1382400 -> 338 pages */
	assert_true(unmaps_of(c, 870, 1384448) >= 4);
	assert_int_equal(c->pid_unmaps[870], unmaps_of(c, 870, 163840) + unmaps_of(c, 870, 1384448));
	checker_free(c);
}

/* browse: jobs 30/s while loading (10 s), none while reading (20 s): 10 jobs/s;
 * image sizes 160x120 / 320x240 / 640x480 / 1280x720 / 1920x1080 at 30/30/20/15/5 %. */
static void test_browse(void **state)
{
	static const uint64_t bitstream[] = { 4096, 16384, 61440, 176128, 389120 };
	static const uint64_t yuv[] = { 32768, 118784, 462848, 1384448, 3133440 };
	static const uint64_t argb[] = { 77824, 307200, 1228800, 3686400, 8294400 };
	static const double share[] = { 0.30, 0.30, 0.20, 0.15, 0.05 };
	struct checker *c = checker_new();
	struct synth_result res;
	uint64_t secs = 2 * 3600, jobs = 0;

	(void)state;
	run(c, "browse", 4, 0, secs, &res);
	assert_int_equal(res.alloc_failures, 0);
	for (int i = 0; i < 5; i++) {
		/* decode done: bitstream freed; job done: YUV freed, one per job */
		assert_int_equal(unmaps_of(c, 1207, bitstream[i]), unmaps_of(c, 1207, yuv[i]));
		jobs += unmaps_of(c, 1207, yuv[i]);
		/* MDP: its import of the YUV buffer and its ARGB8888 output, w x h x 4 */
		assert_int_equal(unmaps_of(c, 1208, yuv[i]), unmaps_of(c, 1207, yuv[i]));
		assert_int_equal(unmaps_of(c, 1208, argb[i]), unmaps_of(c, 1207, yuv[i]));
	}
	assert_int_equal(c->pid_unmaps[1207], 2 * jobs);
	assert_near((double)jobs / secs, 10.0, 0.15, "jobs per second");
	for (int i = 0; i < 5; i++)
		assert_near((double)unmaps_of(c, 1207, yuv[i]) / jobs, share[i], 0.1, "image size share");
	checker_free(c);
}

/* churn: 512 filled, 256 freed at t = 0, then 51 freed + 51 allocated per 100 ms. */
struct churn_check {
	uint64_t unmaps_t0, unmaps_by_round[64];
	uint64_t pages_by_order[11], sized;
};

static void churn_on_event(struct checker *c, const struct trace_event *ev)
{
	struct churn_check *k = c->priv;
	uint64_t round = ev->ts_ns / (100 * 1000000ULL), pages = ev->size_bytes / PAGE_BYTES;
	int order = 0;

	if (ev->op != TRACE_OP_UNMAP)
		return;
	if (!round)
		k->unmaps_t0++;
	else if (round < 64)
		k->unmaps_by_round[round]++;
	while ((2ULL << order) <= pages)
		order++;
	k->pages_by_order[order]++;
	k->sized++;
}

static void test_churn(void **state)
{
	struct checker *c = checker_new();
	struct churn_check k = { 0 };
	struct synth_result res;

	(void)state;
	c->on_event = churn_on_event;
	c->priv = &k;
	run(c, "churn", 5, 0, 60, &res);
	assert_int_equal(res.alloc_failures, 0);
	assert_int_equal(k.unmaps_t0, 256);
	for (int r = 1; r < 64; r++)
		assert_int_equal(k.unmaps_by_round[r], 51);
	assert_int_equal(c->unmaps, 256 + 51 * 599);
	/* pages in [2^k, 2^(k+1)), k uniform over 0..9: a tenth each */
	for (int o = 0; o < 10; o++)
		assert_near((double)k.pages_by_order[o] / k.sized, 0.1, 0.15, "churn size order share");
	assert_int_equal(k.pages_by_order[10], 0);
	checker_free(c);
}

/* frag-worst: 4095 rounds of 31 x (B: two 512 KiB runs, unmapped as 1 MiB) + one
 * 129-page buffer, then one page in slot 0. */
struct frag_check {
	uint64_t b_maps, b_unmaps, last_map_iova;
};

static void frag_on_event(struct checker *c, const struct trace_event *ev)
{
	struct frag_check *k = c->priv;

	if (ev->op == TRACE_OP_UNMAP) {
		k->b_unmaps += ev->size_bytes == 1048576 && ev->iova % 1048576 == 0;
		return;
	}
	/* B's second run: 512 KiB at +512 KiB (a kept buffer's runs end at 516 KiB) */
	k->b_maps += ev->size_bytes == 524288 && ev->iova % 1048576 == 524288;
	k->last_map_iova = ev->iova;
}

static void test_frag_worst_trace(void **state)
{
	struct checker *c = checker_new();
	struct frag_check k = { 0 };
	struct synth_result res;

	(void)state;
	c->on_event = frag_on_event;
	c->priv = &k;
	run(c, "frag-worst", 1, 0, 0, &res);
	/* the one refused: the 4096th round's 1 MiB buffer, with no slot left */
	assert_int_equal(res.alloc_failures, 1);
	assert_int_equal(k.b_unmaps, 4095 * 31);
	assert_int_equal(c->unmaps, 4095 * 31);
	assert_int_equal(k.b_maps, 4095 * 31);
	/* what stays: 4095 buffers of 129 pages, one per 1 MiB slot 1..4095, and
	 * the last one page at the top of slot 0 */
	assert_int_equal(k.last_map_iova, 0xff000);
	{
		static bool slot_used[4096];
		uint64_t slots = 0;

		memset(slot_used, 0, sizeof(slot_used));
		for (uint32_t i = 0; i < RUN_SLOTS; i++)
			if (c->runs[i].first) {
				uint32_t slot = (c->runs[i].first - 1) >> 8;

				slots += !slot_used[slot];
				slot_used[slot] = true;
			}
		assert_int_equal(slots, 4096);
	}
	checker_free(c);
}

/* Collect events into a .ptb file for the replay. */
static int write_event(void *ctx, const struct trace_event *ev)
{
	return ptb_writer_write(ctx, ev);
}

/* One backend over @path on 6.1, with --pressure @pressure. */
static void replay_page_frag(const char *path, const char *pressure, struct replay_run *run_pf)
{
	struct replay_opts ro;
	struct replay_trace t;
	char err[256] = "";

	replay_opts_default(&ro);
	ro.trace_path = path;
	ro.backends[0] = pt_backend_find("page-frag");
	ro.nr_backends = 1;
	ro.mm.kernel = KVER_6_1;
	if (pressure_parse(pressure, &ro.pressure, err, sizeof(err)))
		fail_msg("--pressure %s: %s", pressure, err);
	replay_opts_finish(&ro);
	assert_int_equal(replay_run_all(&ro, &t, run_pf), 0);
}

/*
 * The bound (README "frag-worst"): a live table pins at most one 32 KiB
 * page_frag page, and with 4096 live tables (every 1 MiB slot) the cache's
 * current page holds one of them, so page_frag can hold at most
 * 4096 x 32 KiB = 128 MiB.  frag-worst reaches it exactly:
 *   pages 0..4094: [ K . . . . . . . (31 freed) ]  one live table, 31 KiB stranded
 *   page 4095:     [ k . . . . . . . (31 never carved) ]
 * Expect peak footprint 134217728 B, 4096 live tables, 4095 x 31 KiB stranded.
 * With no free block above order 1 (--pressure fragmented) every refill falls
 * back to one 4 KiB page of 4 tables, and the same trace pins 4096 of them:
 * the seeds' "16 MB for 4 MB", exactly.
 */
static void test_frag_worst_bound(void **state)
{
	char path[] = "/tmp/ptb-synth-XXXXXX.ptb", err[256] = "";
	const struct synth_workload *w = synth_workload_find("frag-worst");
	struct synth_opts o = { .seed = 1 };
	struct ptb_writer *pw;
	struct synth_result res;
	struct replay_run run_pf;
	int fd = mkstemps(path, 4);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(ptb_writer_open(path, "synth:frag-worst", &pw, err, sizeof(err)), 0);
	assert_int_equal(synth_generate(w, &o, write_event, pw, &res, err, sizeof(err)), 0);
	assert_int_equal(ptb_writer_close(pw, err, sizeof(err)), 0);

	replay_page_frag(path, "none", &run_pf);
	assert_int_equal(run_pf.sum.peak_live, 4096);
	assert_int_equal(run_pf.sum.allocs, 4095 * 32 + 1);
	assert_int_equal(run_pf.sum.frees, 4095 * 31);
	assert_int_equal(run_pf.sum.peak_footprint_bytes, 4096ULL * 32768);
	assert_int_equal(run_pf.sum.stranded_bytes_peak, 4095ULL * 31 * 1024);
	assert_int_equal(run_pf.sum.fallbacks, 0);

	replay_page_frag(path, "fragmented", &run_pf);
	unlink(path);
	assert_int_equal(run_pf.sum.peak_live, 4096);
	assert_int_equal(run_pf.sum.peak_footprint_bytes, 4096ULL * 4096);
}

/* day: asleep until 7:00 and from 23:00 (scaled); the clients by the hour. */
struct day_check {
	uint64_t end_ns;
	uint64_t maps_asleep, maps_by_pid_call[4096];
};

static void day_on_event(struct checker *c, const struct trace_event *ev)
{
	struct day_check *k = c->priv;
	uint64_t t = ev->ts_ns;

	if (ev->op != TRACE_OP_MAP)
		return;
	/* before 7:00 only the display's boot buffers; after 23:00 nothing new */
	if ((t < k->end_ns * 7 / 24 && ev->pid != 1201) || t > k->end_ns * 23 / 24 + SEC)
		k->maps_asleep++;
	/* 8:00-9:00 is a call: the camera's maps fall in 8:00-9:00 and 17:00-18:00 */
	if (ev->pid == 870 && !((t >= k->end_ns * 8 / 24 && t < k->end_ns * 9 / 24 + SEC) ||
				(t >= k->end_ns * 17 / 24 && t < k->end_ns * 18 / 24 + SEC)))
		k->maps_by_pid_call[870]++;
}

static void test_day(void **state)
{
	struct checker *c = checker_new();
	struct day_check k = { .end_ns = 2 * 3600 * SEC };
	struct synth_result res;

	(void)state;
	c->on_event = day_on_event;
	c->priv = &k;
	run(c, "day", 6, 0, 2 * 3600, &res);
	assert_int_equal(res.alloc_failures, 0);
	assert_int_equal(k.maps_asleep, 0);
	assert_int_equal(k.maps_by_pid_call[870], 0);
	/* every client took part */
	assert_true(c->pid_maps[1201] && c->pid_maps[1205] && c->pid_maps[1207] &&
		    c->pid_maps[1208] && c->pid_maps[870]);
	checker_free(c);
}

/* Same seed and options: the same events; another seed: others; a cap: exactly N. */
static void test_determinism(void **state)
{
	(void)state;
	for (unsigned int i = 0; synth_workload_get(i); i++) {
		const char *name = synth_workload_get(i)->name;
		struct checker *a = checker_new(), *b = checker_new(), *o = checker_new();
		struct synth_result res;

		run(a, name, 11, 10000, 3600, &res);
		run(b, name, 11, 10000, 3600, &res);
		run(o, name, 12, 10000, 3600, &res);
		assert_int_equal(a->events, b->events);
		assert_true(a->hash == b->hash);
		assert_true(a->hash != o->hash);
		/* frag-worst and churn are long: the cap is reached exactly */
		if (!strcmp(name, "frag-worst") || !strcmp(name, "churn") || !strcmp(name, "browse"))
			assert_int_equal(a->events, 10000);
		checker_free(a);
		checker_free(b);
		checker_free(o);
	}
}

/*
 * mtk16g: every client maps only inside its own 4 GiB region
 * (mt8192_multi_dom), every region is used, and so are IOVAs above 4 GiB.
 */
static uint64_t mtk16g_region_maps[4], mtk16g_outside;

static void mtk16g_on_event(struct checker *c, const struct trace_event *ev)
{
	uint32_t r = ev->pid - 3000;

	(void)c;
	if (ev->op != TRACE_OP_MAP)
		return;
	if (r >= 4 || ev->iova < r * GIB4 || ev->iova + ev->size_bytes > (r + 1) * GIB4) {
		mtk16g_outside++;
		return;
	}
	mtk16g_region_maps[r]++;
}

static void test_mtk16g(void **state)
{
	struct checker *c = checker_new();
	struct synth_result res;

	(void)state;
	c->on_event = mtk16g_on_event;
	run(c, "mtk16g", 1, 20000, 60, &res);
	assert_int_equal(c->events, 20000);
	assert_int_equal(mtk16g_outside, 0);
	for (int r = 0; r < 4; r++)
		assert_true(mtk16g_region_maps[r] > 0);
	assert_true(c->above_4g_maps > 0);
	assert_int_equal(c->above_4g_maps, mtk16g_region_maps[1] + mtk16g_region_maps[2] +
			 mtk16g_region_maps[3]);
	checker_free(c);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checker_catches),
		cmocka_unit_test(test_iova_top_down_aligned),
		cmocka_unit_test(test_iova_rcache),
		cmocka_unit_test(test_iova_magazines),
		cmocka_unit_test(test_iova_full),
		cmocka_unit_test(test_display),
		cmocka_unit_test(test_video),
		cmocka_unit_test(test_camera),
		cmocka_unit_test(test_browse),
		cmocka_unit_test(test_churn),
		cmocka_unit_test(test_frag_worst_trace),
		cmocka_unit_test(test_frag_worst_bound),
		cmocka_unit_test(test_day),
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_mtk16g),
	};

	return cmocka_run_group_tests_name("synth", tests, NULL, NULL);
}
