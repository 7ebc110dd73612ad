// SPDX-License-Identifier: GPL-2.0
/*
 * test_pressure.c - the memory pressure scenarios (harness/pressure*.c): each
 * reaches and holds its zone state over simulated time, the NAME:key=value
 * parser (defaults, overrides, exact errors), and determinism from the seed;
 * trace: a ptrec --kmem recording (tests/data/kmem-small.csv) followed
 * interval by interval, its zone map, and every malformed file's error.
 * mt8173-4g, 4.19: DMA32 watermarks min 1505, low 2266, high 3027 pages;
 * GFP_ATOMIC's mark 565 (min - min/2 - (min - min/2)/4); kswapd 64 pages/ms.
 * Run from the top of the tree (make test does), which holds tests/data.
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
#include <zlib.h>
#include <cmocka.h>

#include "machine.h"

#include "pressure.h"
#include "pt_alloc.h"

#define MS 1000000ULL
#define DMA32_MIN 1505
#define DMA32_LOW 2266
#define DMA32_HIGH 3027
#define DMA32_ATOMIC 565

#define KMEM_SMALL "tests/data/kmem-small.csv"

/* @t0_ns: the trace time of the machine's time 0, as replay passes its first event's. */
static struct pressure *press_at(struct mm *mm, const char *arg, uint64_t seed, uint64_t t0_ns)
{
	struct pressure_cfg cfg;
	char err[512] = "";
	struct pressure *p;

	if (pressure_parse(arg, &cfg, err, sizeof(err)))
		fail_msg("pressure_parse(%s): %s", arg, err);
	p = pressure_create(&cfg, mm, seed, t0_ns, err, sizeof(err));
	if (!p)
		fail_msg("pressure_create(%s): %s", arg, err);
	return p;
}

static struct pressure *press(struct mm *mm, const char *arg, uint64_t seed)
{
	return press_at(mm, arg, seed, 0);
}

static uint64_t batch_of(struct mm *mm, enum zone_type z)
{
	struct zone_info zi;

	mm_zone_info(mm, z, &zi);
	return zi.pcp_batch;
}

static struct pressure_stats stats_of(const struct pressure *p)
{
	struct pressure_stats st;

	pressure_get_stats(p, &st);
	return st;
}

/* Advance the machine (kswapd runs) then let the pressure act: replay's order. */
static uint64_t step(struct mm *mm, struct pressure *p, uint64_t now_ns)
{
	mm_advance_time(mm, now_ns);
	pressure_tick(p);
	return mm_zone_free_pages(mm, stats_of(p).zone);
}

static void expect_canonical(const char *arg, const char *want)
{
	struct pressure_cfg cfg, again;
	char err[256] = "", buf[256], buf2[256];

	if (pressure_parse(arg, &cfg, err, sizeof(err)))
		fail_msg("pressure_parse(%s): %s", arg, err);
	assert_string_equal(pressure_format(&cfg, buf, sizeof(buf)), want);
	/* the canonical string reads back as the same configuration */
	assert_int_equal(pressure_parse(buf, &again, err, sizeof(err)), 0);
	assert_string_equal(pressure_format(&again, buf2, sizeof(buf2)), want);
}

static void expect_error(const char *arg, const char *want)
{
	struct pressure_cfg cfg;
	char err[256] = "";

	assert_int_equal(pressure_parse(arg, &cfg, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, want);
}

static void test_parse_defaults(void **state)
{
	(void)state;
	expect_canonical("none", "none");
	expect_canonical("steady", "steady:zone=dma32,free=min+0,free_max=low+0,period_ms=10");
	expect_canonical("atomic-burst",
			 "atomic-burst:zone=dma32,free=low+0,pages=2048,period_ms=100,hold_ms=10");
	expect_canonical("fragmented", "fragmented:zone=dma32,free=32768,order=1");
	expect_canonical("edge", "edge:zone=dma32,free=min+0");
	/* the registry order is the list order */
	assert_string_equal(pressure_get(PRESSURE_NONE)->name, "none");
	assert_string_equal(pressure_get(PRESSURE_EDGE)->name, "edge");
	assert_null(pressure_get(PRESSURE_NR));
	assert_ptr_equal(pressure_find("atomic-burst"), pressure_get(PRESSURE_ATOMIC_BURST));
	assert_null(pressure_find("steady:free=1"));
}

static void test_parse_overrides(void **state)
{
	(void)state;
	expect_canonical("edge:free=WMARK_MIN+64", "edge:zone=dma32,free=min+64");
	expect_canonical("edge:free=wmark_atomic", "edge:zone=dma32,free=atomic+0");
	expect_canonical("edge:free=LOW-100", "edge:zone=dma32,free=low-100");
	expect_canonical("steady:free=0.25,free_max=high-10,period_ms=5",
			 "steady:zone=dma32,free=0.25,free_max=high-10,period_ms=5");
	expect_canonical("steady:free=min+256", "steady:zone=dma32,free=min+256,free_max=low+0,period_ms=10");
	expect_canonical("steady:free_max=1.0,free=0.0", "steady:zone=dma32,free=0.0,free_max=1.0,period_ms=10");
	expect_canonical("steady:free=0.125000", "steady:zone=dma32,free=0.125,free_max=low+0,period_ms=10");
	expect_canonical("atomic-burst:hold_ms=5,pages=512,zone=normal",
			 "atomic-burst:zone=normal,free=low+0,pages=512,period_ms=100,hold_ms=5");
	expect_canonical("fragmented:order=0,free=1000", "fragmented:zone=dma32,free=1000,order=0");
}

static void test_parse_errors(void **state)
{
	(void)state;
	expect_error("bogus", "unknown scenario 'bogus' (see ptbench list pressures)");
	expect_error("Steady", "unknown scenario 'Steady' (see ptbench list pressures)");
	expect_error("none:free=1", "none takes no keys");
	expect_error("steady:bogus=1", "steady: unknown key 'bogus' (keys: zone, free, free_max, period_ms)");
	expect_error("steady:free", "steady: 'free' needs a value (free=VALUE)");
	expect_error("steady:free=", "steady: 'free' needs a value (free=VALUE)");
	expect_error("steady:,free=1", "steady: empty key (keys: zone, free, free_max, period_ms)");
	expect_error("steady:", "steady: empty key (keys: zone, free, free_max, period_ms)");
	expect_error("steady:free=min,free=low", "steady: key 'free' given twice");
	expect_error("steady:free=lots", "steady: free: 'lots' is not a level (N pages, "
		     "min|low|high|atomic|boot[+-N], or a fraction 0..1 from min to low)");
	expect_error("edge:free=1.5", "edge: free: '1.5' is not a level (N pages, "
		     "min|low|high|atomic|boot[+-N], or a fraction 0..1 from min to low)");
	expect_error("edge:free=min*2", "edge: free: 'min*2' is not a level (N pages, "
		     "min|low|high|atomic|boot[+-N], or a fraction 0..1 from min to low)");
	expect_error("edge:free=-5", "edge: free: '-5' is not a level (N pages, "
		     "min|low|high|atomic|boot[+-N], or a fraction 0..1 from min to low)");
	expect_error("fragmented:order=10", "fragmented: order: 10 is outside 0..9");
	expect_error("atomic-burst:period_ms=x", "atomic-burst: period_ms: 'x' is not a number");
	expect_error("atomic-burst:period_ms=0", "atomic-burst: period_ms: 0 is outside 1..3600000");
	expect_error("atomic-burst:pages=99999999999999999999",
		     "atomic-burst: pages: '99999999999999999999' is not a number");
	expect_error("atomic-burst:period_ms=1,hold_ms=5000",
		     "atomic-burst: hold_ms 5000 keeps more than 4096 bursts alive at period_ms 1");
	expect_error("edge:zone=highmem", "edge: zone: 'highmem' is not one of dma32, dma, normal");
}

/* zone=dma32 follows GFP_DMA32 to the zone that serves it; normal follows GFP_KERNEL. */
static void test_zone_per_machine(void **state)
{
	struct mm *old = test_machine("mt8173-4g", KVER_4_19, 4);
	struct mm *new = test_machine("mt8173-4g", KVER_6_1, 4);
	struct mm *small = test_machine("mt8173-2g", KVER_4_19, 4);
	struct pressure *p;

	(void)state;
	p = press(old, "none", 1);
	assert_int_equal(stats_of(p).zone, ZONE_DMA32);
	pressure_destroy(p);
	p = press(new, "edge", 1);
	assert_int_equal(stats_of(p).zone, ZONE_DMA);		/* arm64 >= 5.5: DMA below 4 GiB */
	assert_int_equal(stats_of(p).target_min_pages, DMA32_MIN);
	pressure_destroy(p);
	p = press(small, "edge:zone=normal", 1);
	assert_int_equal(stats_of(p).zone, ZONE_DMA32);		/* no memory above 4 GiB */
	pressure_destroy(p);
	mm_destroy(old);
	mm_destroy(new);
	mm_destroy(small);
}

/* none leaves the boot state alone. */
static void test_none(void **state)
{
	struct mm *mm = test_machine("mt8173-4g", KVER_4_19, 4);
	uint64_t boot = mm_zone_free_pages(mm, ZONE_DMA32);
	struct pressure *p = press(mm, "none", 1);

	(void)state;
	for (uint64_t t = 0; t <= 1000 * MS; t += 100 * MS)
		assert_int_equal(step(mm, p, t), boot);
	assert_int_equal(stats_of(p).filler_pages, 0);
	pressure_destroy(p);
	mm_destroy(mm);
}

/*
 * steady: 10 simulated seconds, a tick every ms.
 *   free  |..........|min ~~~~~~~~ low|..........|high
 *                     ^ every instant in here
 * Expect DMA32 free within [min, low] at every tick, kswapd reclaiming at
 * nearly its full 64 pages/ms all along (others take it all again), and the
 * level moving across most of the band.
 */
static void test_steady_holds_band(void **state)
{
	struct mm *mm = test_machine("mt8173-4g", KVER_4_19, 4);
	struct pressure *p = press(mm, "steady", 1);
	struct pressure_stats st;
	struct mm_stats ms;
	uint64_t lowest = UINT64_MAX, highest = 0;

	(void)state;
	st = stats_of(p);
	assert_int_equal(st.target_min_pages, DMA32_MIN);
	assert_int_equal(st.target_max_pages, DMA32_LOW);
	for (uint64_t t = MS; t <= 10000 * MS; t += MS) {
		uint64_t free = step(mm, p, t);

		if (free < DMA32_MIN || free > DMA32_LOW)
			fail_msg("t=%llu ms: free %llu outside [%d, %d]", (unsigned long long)(t / MS),
				 (unsigned long long)free, DMA32_MIN, DMA32_LOW);
		lowest = MIN(lowest, free);
		highest = MAX(highest, free);
	}
	mm_get_stats(mm, &ms);
	assert_true(ms.kswapd_reclaimed_pages >= 10000 * 64 * 9 / 10);
	assert_true(ms.kswapd_wakeups >= 1);
	assert_true(highest - lowest >= (DMA32_LOW - DMA32_MIN) / 2);
	st = stats_of(p);
	assert_int_equal(st.free_lowest_pages, lowest);
	assert_true(st.filler_pages >= ms.kswapd_reclaimed_pages);
	mm_check(mm);
	pressure_destroy(p);
	mm_destroy(mm);
}

/*
 * edge: free held at WMARK_MIN (within one per-CPU batch below it).
 * Expect GFP_NOWAIT to fail there (it stops at min) while GFP_ATOMIC, with
 * ALLOC_HIGH|ALLOC_HARDER, still succeeds; at edge:free=atomic GFP_ATOMIC
 * fails too.
 */
static void test_edge_at_min(void **state)
{
	struct mm *mm = test_machine("mt8173-4g", KVER_4_19, 4);
	struct pressure *p = press(mm, "edge", 1);
	uint64_t batch = batch_of(mm, ZONE_DMA32);
	struct page *pg;

	(void)state;
	for (uint64_t t = MS; t <= 10000 * MS; t += MS) {
		uint64_t free = step(mm, p, t);

		assert_true(free <= DMA32_MIN && free > DMA32_MIN - batch);
	}
	assert_null(alloc_pages(mm, GFP_NOWAIT | GFP_DMA32, 0, 1, OWNER_TEST));
	pg = alloc_pages(mm, GFP_ATOMIC | GFP_DMA32, 0, 1, OWNER_TEST);
	assert_non_null(pg);
	free_pages(mm, pg, 0, 1);
	pressure_destroy(p);
	mm_destroy(mm);

	mm = test_machine("mt8173-4g", KVER_4_19, 4);
	p = press(mm, "edge:free=atomic", 1);
	assert_int_equal(stats_of(p).target_min_pages, DMA32_ATOMIC);
	step(mm, p, MS);
	assert_true(mm_zone_free_pages(mm, ZONE_DMA32) <= DMA32_ATOMIC);
	assert_null(alloc_pages(mm, GFP_ATOMIC | GFP_DMA32, 0, 1, OWNER_TEST));
	pressure_destroy(p);
	mm_destroy(mm);
}

static uint64_t max_free_order(struct mm *mm, enum zone_type z)
{
	struct zone_info zi;
	uint64_t top = 0;

	mm_zone_info(mm, z, &zi);
	for (unsigned int o = 0; o < MAX_ORDER; o++)
		if (zi.nr_free[o])
			top = o;
	return top;
}

static struct pt_alloc *make_backend(const struct pt_backend *b, struct mm *mm)
{
	struct pt_cfg cfg = { .kernel = mm_kernel(mm), .nr_cpus = mm_nr_cpus(mm) };
	char err[256] = "";

	return pt_alloc_create(b, mm, &cfg, err, sizeof(err));
}

/*
 * fragmented (order 1): 32768 free pages, none in a block above order 1.
 *   [AA][..][AA][AA][..][AA][AA][AA][..]   A = others' page, . = free
 * Expect order 0 and 1 to succeed and GFP_ATOMIC order 2 and 3 to fail;
 * page_frag's order-3 refill falls back to order 0 and SLUB's order-2 slab
 * to order 0; the state holds over 10 s of atomic-only traffic.  Last, a
 * GFP_KERNEL order 10 (genalloc's pool) fails: compaction migrates only
 * movable order-0 pages and others' blocks are order 1.  Its direct reclaim
 * round frees 32 pages of boot page cache, contiguous: an order-5 block, the
 * way reclaim undoes fragmentation.
 */
static void test_fragmented(void **state)
{
	struct mm *mm = test_machine("mt8173-4g", KVER_4_19, 4);
	struct pressure *p = press(mm, "fragmented", 1);
	struct pt_alloc *pf, *slab;
	struct pt_alloc_stats st;
	phys_addr_t t1, t2;
	struct page *pg;

	(void)state;
	assert_true(max_free_order(mm, ZONE_DMA32) <= 1);
	assert_true(mm_zone_free_pages(mm, ZONE_DMA32) >= 32768 - 1);
	assert_true(mm_zone_free_pages(mm, ZONE_DMA32) <= 32768);
	assert_null(alloc_pages(mm, GFP_ATOMIC | GFP_DMA32, 2, 1, OWNER_TEST));
	assert_null(alloc_pages(mm, GFP_ATOMIC | GFP_DMA32, 3, 1, OWNER_TEST));
	pg = alloc_pages(mm, GFP_ATOMIC | GFP_DMA32, 1, 1, OWNER_TEST);
	assert_non_null(pg);
	free_pages(mm, pg, 1, 1);

	pf = make_backend(&pt_backend_page_frag, mm);
	slab = make_backend(&pt_backend_slab_dma32, mm);
	assert_non_null(pf);
	assert_non_null(slab);
	assert_int_equal(pt_table_alloc(pf, GFP_ATOMIC, 0, &t1), 0);
	assert_int_equal(pt_table_alloc(slab, GFP_ATOMIC, 0, &t2), 0);
	pt_alloc_stats(pf, &st);
	assert_int_equal(st.fallbacks, 1);
	pt_alloc_stats(slab, &st);
	assert_int_equal(st.fallbacks, 1);

	for (uint64_t t = 10 * MS; t <= 10000 * MS; t += 10 * MS) {
		step(mm, p, t);
		assert_true(max_free_order(mm, ZONE_DMA32) <= 1);
		/* the tables' own pages came through a per-CPU refill of one batch */
		assert_true(mm_zone_free_pages(mm, ZONE_DMA32) >= 32768 - 2 * batch_of(mm, ZONE_DMA32));
	}
	pt_table_free(pf, t1, 0);
	pt_table_free(slab, t2, 0);
	pt_alloc_destroy(pf);
	pt_alloc_destroy(slab);
	step(mm, p, 10001 * MS);
	assert_true(max_free_order(mm, ZONE_DMA32) <= 1);

	assert_null(make_backend(&pt_backend_genalloc_4m, mm));
	assert_int_equal(max_free_order(mm, ZONE_DMA32), 5);
	mm_check(mm);
	pressure_destroy(p);
	mm_destroy(mm);
}

/*
 * fragmented:order=0 leaves single free pages between others' order-0 pages,
 * which direct compaction can move: a GFP_KERNEL order-10 allocation
 * (genalloc's pool) then succeeds by compacting, GFP_ATOMIC order 1 cannot.
 */
static void test_fragmented_order0_compacts(void **state)
{
	struct mm *mm = test_machine("mt8173-4g", KVER_4_19, 4);
	struct pressure *p = press(mm, "fragmented:order=0", 1);
	struct pt_alloc *g;
	struct mm_stats ms;

	(void)state;
	assert_int_equal(max_free_order(mm, ZONE_DMA32), 0);
	assert_null(alloc_pages(mm, GFP_ATOMIC | GFP_DMA32, 1, 1, OWNER_TEST));
	g = make_backend(&pt_backend_genalloc_4m, mm);
	assert_non_null(g);
	mm_get_stats(mm, &ms);
	assert_true(ms.compactions > 0);
	pt_alloc_destroy(g);
	pressure_destroy(p);
	mm_destroy(mm);
}

/*
 * atomic-burst: baseline at low; every 100 ms 2048 GFP_ATOMIC pages, freed
 * 10 ms later.  A tick every ms over 2 s (20 bursts).
 *   burst instant:  free ~ 565 (the burst stops at GFP_ATOMIC's own mark)
 *   during hold:    kswapd gives back up to 64 pages/ms
 *   after hold:     free back at low
 * Expect free below min at every burst instant, at or above min whenever no
 * burst is alive, pages the bursts did not get, and kswapd recovery in between.
 */
static void test_atomic_burst(void **state)
{
	struct mm *mm = test_machine("mt8173-4g", KVER_4_19, 4);
	struct pressure *p = press(mm, "atomic-burst", 1);
	uint64_t batch = batch_of(mm, ZONE_DMA32), bursts = 0, at_burst = 0, recovered = 0;

	(void)state;
	for (uint64_t t = MS; t <= 2000 * MS; t += MS) {
		uint64_t free = step(mm, p, t);
		struct pressure_stats st = stats_of(p);

		if (st.bursts != bursts) {
			assert_true(free <= DMA32_ATOMIC && free > DMA32_ATOMIC - batch);
			at_burst = free;
			bursts = st.bursts;
		} else if (st.burst_live_pages) {
			/* kswapd, woken by the burst, reclaims while it lives (its
			 * frees fill a per-CPU list first, so not every ms shows) */
			assert_true(free >= at_burst);
			recovered = MAX(recovered, free - at_burst);
		} else {
			assert_true(free >= DMA32_MIN && free <= DMA32_LOW);
		}
	}
	assert_int_equal(bursts, 20);
	assert_true(stats_of(p).burst_failed_pages > 0);
	assert_true(stats_of(p).burst_pages >= 20 * (DMA32_LOW - DMA32_ATOMIC - batch));
	assert_true(recovered >= 64 * 8);
	mm_check(mm);
	pressure_destroy(p);
	mm_destroy(mm);
}

/*
 * atomic-burst at the end of trace time: a tick within one period of 2^64 ns
 * used to wrap next_burst_ns back to the past, so one tick began bursts
 * without end (BUG at the ring's capacity).
 *   t = 1 ms, then 2^64 - 1 - 50 ms, then 2^64 - 1
 * Expect each tick to begin at most one burst, and the last one to free it.
 */
static void test_atomic_burst_end_of_time(void **state)
{
	struct mm *mm = test_machine("mt8173-4g", KVER_4_19, 4);
	struct pressure *p = press(mm, "atomic-burst", 1);
	uint64_t before;

	(void)state;
	step(mm, p, MS);
	before = stats_of(p).bursts;
	step(mm, p, UINT64_MAX - 50 * MS);
	assert_true(stats_of(p).bursts <= before + 1);
	assert_true(stats_of(p).bursts_between_events > 0);
	step(mm, p, UINT64_MAX);
	assert_true(stats_of(p).bursts <= before + 2);
	assert_int_equal(stats_of(p).burst_live_pages, 0);
	mm_check(mm);
	pressure_destroy(p);
	mm_destroy(mm);
}

/* ---- trace ---- */

#define TRACE_CANON_TAIL ",free=boot+0,DMA=dma,DMA32=dma32,Normal=normal,Movable=normal"

static void test_trace_parse(void **state)
{
	(void)state;
	expect_canonical("trace:" KMEM_SMALL, "trace:file=" KMEM_SMALL TRACE_CANON_TAIL);
	expect_canonical("trace:file=" KMEM_SMALL, "trace:file=" KMEM_SMALL TRACE_CANON_TAIL);
	expect_canonical("trace:Normal=none,file=/x/k.csv.gz,free=low,DMA=dma32",
			 "trace:file=/x/k.csv.gz,free=low+0,DMA=dma32,DMA32=dma32,Normal=none,Movable=normal");
	expect_canonical("edge:free=boot-5", "edge:zone=dma32,free=boot-5");
	assert_ptr_equal(pressure_find("trace"), pressure_get(PRESSURE_TRACE));
	assert_null(pressure_get(PRESSURE_NR));

	expect_error("trace", "trace: needs the recording: trace:FILE or trace:file=FILE (a ptrec --kmem CSV)");
	expect_error("trace:free=low", "trace: needs the recording: trace:FILE or trace:file=FILE "
		     "(a ptrec --kmem CSV)");
	expect_error("trace:", "trace: empty key (keys: file, free, DMA, DMA32, Normal, Movable)");
	expect_error("trace:a,b.csv", "trace: file: 'a,b.csv' has a ',' (the key separator): "
		     "rename or link the file");
	expect_error("trace:file=k.csv,DMA32=highmem",
		     "trace: DMA32: 'highmem' is not one of dma32, dma, normal, none");
	expect_error("trace:file=k.csv,dma32=none",
		     "trace: unknown key 'dma32' (keys: file, free, DMA, DMA32, Normal, Movable)");
	expect_error("trace:file=k.csv,file=l.csv", "trace: key 'file' given twice");
	/* a zone key takes no "none": only the map does */
	expect_error("edge:zone=none", "edge: zone: 'none' is not one of dma32, dma, normal");
	/* boot is no watermark */
	expect_error("edge:free=wmark_boot", "edge: free: 'wmark_boot' is not a level (N pages, "
		     "min|low|high|atomic|boot[+-N], or a fraction 0..1 from min to low)");
}

/* The cumulative net demand (allocs - frees) of kmem-small.csv's intervals, per zone. */
static const int64_t small_dma32_net[7] = { 2000, 5000, 6000, 4000, 1000, 0, 0 };
static const int64_t small_normal_net[7] = { 20, -15, -15, -25, 5, -15, -5 };

/* expected - free is what the per-CPU list kept of its last refill: [0, batch). */
static void expect_follows(struct mm *mm, enum zone_type z, uint64_t free0, int64_t net, uint64_t t_ms)
{
	int64_t gap = (int64_t)free0 - net - (int64_t)mm_zone_free_pages(mm, z);

	if (gap < 0 || gap >= (int64_t)batch_of(mm, z))
		fail_msg("t=%llu ms: %s free %llu, recorded net demand says %lld (batch %llu)",
			 (unsigned long long)t_ms, zone_name(z), (unsigned long long)mm_zone_free_pages(mm, z),
			 (long long)((int64_t)free0 - net), (unsigned long long)batch_of(mm, z));
}

/*
 * kmem-small.csv, replayed from its first event at 1.0 s (intervals end at
 * 1.1 .. 1.7 s), machine at its boot level, a tick every 10 ms:
 *   DMA32 free  ~~\\___ -6000 ___/~~~~  (2000, 3000, 1000 allocated; 2000, 3000, 1000 freed)
 * Expect nothing before 1.1 s, then each zone's free pages = start - the
 * recorded net demand so far, to within the per-CPU batch others' last
 * allocation left on CPU 0's list (frees are drained: exact), "other"
 * counted and ignored, and nothing unapplied.
 */
static void test_trace_follows_net_demand(void **state)
{
	struct mm *mm = test_machine("mt8173-4g", KVER_4_19, 4);
	struct pressure *p = press_at(mm, "trace:" KMEM_SMALL, 1, 1000 * MS);
	uint64_t dma32_0 = mm_zone_free_pages(mm, ZONE_DMA32), normal_0 = mm_zone_free_pages(mm, ZONE_NORMAL);
	struct pressure_stats st;

	(void)state;
	st = stats_of(p);
	assert_int_equal(st.zone, ZONE_DMA32);
	assert_int_equal(st.intervals, 7);
	assert_int_equal(st.filler_pages + st.released_pages, 0);	/* boot+0: nothing moved */
	for (uint64_t t = 0; t <= 900; t += 10) {
		int i = t < 100 ? -1 : (int)MIN((t - 100) / 100, 6);

		step(mm, p, t * MS);
		assert_int_equal(stats_of(p).intervals_applied, (uint64_t)(i + 1));
		expect_follows(mm, ZONE_DMA32, dma32_0, i < 0 ? 0 : small_dma32_net[i], t);
		expect_follows(mm, ZONE_NORMAL, normal_0, i < 0 ? 0 : small_normal_net[i], t);
	}
	st = stats_of(p);
	assert_int_equal(st.recorded_alloc_pages, 8240 + 2590);
	assert_int_equal(st.recorded_free_pages, 8240 + 2595);
	assert_int_equal(st.ignored_alloc_pages, 12);
	assert_int_equal(st.ignored_free_pages, 12);
	assert_int_equal(st.unknown_zone_rows, 0);
	assert_int_equal(st.unapplied_alloc_pages + st.unapplied_free_pages + st.unapplied_ticks, 0);
	/* DMA32: +2000 +3000 +1000 then -2000 -3000 -1000; Normal: +20 -35 -10 +30 -20 +10 */
	assert_int_equal(st.filler_pages, 6000 + 60);
	assert_int_equal(st.released_pages, 6000 + 65);
	mm_check(mm);
	pressure_destroy(p);
	mm_destroy(mm);
}

/* A temporary file holding @bytes; the caller unlinks @path. */
static void write_tmp(char *path, size_t path_bytes, const void *bytes, size_t nr_bytes)
{
	FILE *f;
	int fd;

	snprintf(path, path_bytes, "/tmp/ptb-kmem-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, nr_bytes, f), nr_bytes);
	assert_int_equal(fclose(f), 0);
}

/* trace on the recording at @path, with more keys (",free=min" ...) if any. */
static struct pressure *press_file(struct mm *mm, const char *path, const char *keys)
{
	char arg[PRESSURE_ARG_MAX];

	snprintf(arg, sizeof(arg), "trace:file=%s%s", path, keys);
	return press(mm, arg, 1);
}

/*
 * Zone names: node1/DMA32 is DMA32 (the machine has one node), HighMem and
 * Device are no zone ptrec writes (counted, ignored, like "other"); a zone
 * mapped to none is ignored; on 6.1 recorded DMA32 is replayed in ZONE_DMA
 * (where GFP_DMA32 is served on arm64 from 5.5); recorded DMA on arm64 4.19
 * goes where GFP_DMA is served there, ZONE_NORMAL.
 */
static void test_trace_zone_names(void **state)
{
	static const char csv[] = KMEM_HEADER "\n"
		"100,DMA32,10,0\n100,HighMem,7,3\n100,node1/DMA32,5,0\n100,node1/Normal,0,0\n100,other,2,1\n"
		"200,Device,1,1\n200,DMA32,0,15\n200,DMA,40,0\n";
	char path[64];
	struct mm *mm = test_machine("mt8173-4g", KVER_4_19, 4);
	uint64_t dma32_0 = mm_zone_free_pages(mm, ZONE_DMA32), normal_0;
	struct pressure_stats st;
	struct pressure *p;

	(void)state;
	write_tmp(path, sizeof(path), csv, sizeof(csv) - 1);
	p = press_file(mm, path, "");
	normal_0 = mm_zone_free_pages(mm, ZONE_NORMAL);
	step(mm, p, 150);
	expect_follows(mm, ZONE_DMA32, dma32_0, 15, 0);
	step(mm, p, 250);
	expect_follows(mm, ZONE_DMA32, dma32_0, 0, 0);
	expect_follows(mm, ZONE_NORMAL, normal_0, 40, 0);
	st = stats_of(p);
	assert_int_equal(st.intervals_applied, 2);
	assert_int_equal(st.unknown_zone_rows, 2);
	assert_int_equal(st.ignored_alloc_pages, 7 + 2 + 1);
	assert_int_equal(st.ignored_free_pages, 3 + 1 + 1);
	assert_int_equal(st.recorded_alloc_pages, 10 + 5 + 40);
	assert_int_equal(st.recorded_free_pages, 15);
	pressure_destroy(p);
	mm_destroy(mm);

	/* DMA32=none: its rows are ignored, the zone untouched */
	mm = test_machine("mt8173-4g", KVER_4_19, 4);
	p = press_file(mm, path, ",DMA32=none");
	step(mm, p, 150);
	assert_int_equal(mm_zone_free_pages(mm, ZONE_DMA32), dma32_0);
	st = stats_of(p);
	assert_int_equal(st.ignored_alloc_pages, 10 + 7 + 5 + 2);
	assert_int_equal(st.recorded_alloc_pages, 0);
	pressure_destroy(p);
	mm_destroy(mm);

	/* 6.1: DMA32's pages go to ZONE_DMA, the zone below 4 GiB there */
	mm = test_machine("mt8173-4g", KVER_6_1, 4);
	p = press_file(mm, path, "");
	assert_int_equal(stats_of(p).zone, ZONE_DMA);
	dma32_0 = mm_zone_free_pages(mm, ZONE_DMA);
	step(mm, p, 150);
	expect_follows(mm, ZONE_DMA, dma32_0, 15, 0);
	pressure_destroy(p);
	mm_destroy(mm);
	unlink(path);
}

/* Pages on @z's per-CPU lists: off the buddy lists, so not free for the watermarks. */
static uint64_t pcp_of(struct mm *mm, enum zone_type z)
{
	struct zone_info zi;

	mm_zone_info(mm, z, &zi);
	return zi.pcp_pages;
}

/*
 * More demand than the zone can hold.  Start 200 pages above min; at 100 ms
 * the device allocated 1000 DMA32 pages, at 200 ms it freed them.
 *   free  1705 |\___ min ____________/| 1705 (less what per-CPU lists hold)
 *              100 ms               200 ms
 * Below low, kswapd is awake from setup on: it reclaims others' pages
 * between ticks and others take them again at every tick (the device's
 * reclaim is in its frees already), so others' level holds; kswapd's pages
 * go to a per-CPU list first (up to its high mark, 6 batches on 4.19),
 * which is why free runs below the level by up to that much.
 * Expect others to stop at min (no reserves, no direct reclaim) from 100 ms
 * on with 800..1000 (+ per-CPU) pages unapplied, others back at their level
 * at 200 ms; then frees beyond all others hold are counted and owed: the
 * next allocations pay them back first.
 */
static void test_trace_unapplied(void **state)
{
	static const char csv[] = KMEM_HEADER "\n"
		"100000000,DMA32,1000,0\n200000000,DMA32,0,1000\n"
		"300000000,DMA32,0,4000000000\n400000000,DMA32,4000000000,0\n";
	char path[64];
	struct mm *mm = test_machine("mt8173-4g", KVER_4_19, 4);
	uint64_t batch = batch_of(mm, ZONE_DMA32), pcp_high = 6 * batch, free0, held0;
	struct pressure_stats st;
	struct mm_stats ms;
	struct pressure *p;

	(void)state;
	write_tmp(path, sizeof(path), csv, sizeof(csv) - 1);
	p = press_file(mm, path, ",free=min+200");
	free0 = mm_zone_free_pages(mm, ZONE_DMA32);
	held0 = mm_held_pages(mm, OWNER_BACKGROUND, ZONE_DMA32);
	assert_int_equal(free0, DMA32_MIN + 200);	/* setup drains: the level is exact */
	assert_int_equal(stats_of(p).target_min_pages, DMA32_MIN + 200);
	for (uint64_t t = 1; t < 100; t++) {
		uint64_t free = step(mm, p, t * MS);

		assert_int_equal(mm_held_pages(mm, OWNER_BACKGROUND, ZONE_DMA32), held0);
		assert_int_equal(free + pcp_of(mm, ZONE_DMA32), free0);
	}
	for (uint64_t t = 100; t < 200; t++) {
		uint64_t free = step(mm, p, t * MS);

		if (free > DMA32_MIN + batch || free + batch < DMA32_MIN)
			fail_msg("t=%llu ms: free %llu, not at min %d", (unsigned long long)t,
				 (unsigned long long)free, DMA32_MIN);
	}
	st = stats_of(p);
	assert_true(st.unapplied_alloc_pages >= 800 - batch && st.unapplied_alloc_pages <= 1000 + pcp_high);
	assert_int_equal(st.unapplied_ticks, 100);
	mm_get_stats(mm, &ms);
	assert_true(ms.kswapd_reclaimed_pages >= 64 * 190);
	assert_true(st.filler_pages >= ms.kswapd_reclaimed_pages - pcp_high);
	step(mm, p, 200 * MS);
	assert_int_equal(mm_held_pages(mm, OWNER_BACKGROUND, ZONE_DMA32), held0);
	assert_true(mm_zone_free_pages(mm, ZONE_DMA32) + pcp_high >= free0);
	assert_int_equal(stats_of(p).unapplied_ticks, 100);

	/* 4e9 pages freed: others hold held0, the rest has nothing to free */
	step(mm, p, 300 * MS);
	assert_int_equal(mm_held_pages(mm, OWNER_BACKGROUND, ZONE_DMA32), 0);
	assert_int_equal(stats_of(p).unapplied_free_pages, 4000000000ULL - held0);
	/* 4e9 allocated: the debt first, then others hold held0 again */
	step(mm, p, 400 * MS);
	assert_int_equal(mm_held_pages(mm, OWNER_BACKGROUND, ZONE_DMA32), held0);
	assert_int_equal(stats_of(p).unapplied_ticks, 101);
	mm_check(mm);
	pressure_destroy(p);
	mm_destroy(mm);
	unlink(path);
}

/* pressure_create()'s error for a recording holding @bytes: exactly "PATH" @want. */
static void expect_trace_error(const void *bytes, size_t nr_bytes, const char *want)
{
	struct mm *mm = test_machine("mt8173-2g", KVER_4_19, 2);
	char path[64], arg[128], err[512] = "", full[640];
	struct pressure_cfg cfg;

	write_tmp(path, sizeof(path), bytes, nr_bytes);
	snprintf(arg, sizeof(arg), "trace:%s", path);
	assert_int_equal(pressure_parse(arg, &cfg, err, sizeof(err)), 0);
	assert_null(pressure_create(&cfg, mm, 1, 0, err, sizeof(err)));
	snprintf(full, sizeof(full), "%s%s", path, want);
	assert_string_equal(err, full);
	unlink(path);
	mm_destroy(mm);
}

#define EXPECT_TRACE_ERROR(text, want) expect_trace_error(text, sizeof(text) - 1, want)
#define KH KMEM_HEADER "\n"

static void test_trace_bad_files(void **state)
{
	char long_line[400], buf[512] = "", err[512] = "";
	struct mm *mm = test_machine("mt8173-2g", KVER_4_19, 2);
	struct pressure_cfg cfg;

	(void)state;
	EXPECT_TRACE_ERROR("", ":1: empty file: expected the header ts_ns,zone,allocs_pages,frees_pages");
	EXPECT_TRACE_ERROR("ts,zone,a,f\n100,DMA32,1,1\n",
			   ":1: the header is not ts_ns,zone,allocs_pages,frees_pages (a ptrec --kmem file?)");
	EXPECT_TRACE_ERROR(KH, ":1: no rows after the header: nothing to replay");
	EXPECT_TRACE_ERROR(KH "100,DMA32,5\n",
			   ":2: expected 4 fields ts_ns,zone,allocs_pages,frees_pages, got 3");
	EXPECT_TRACE_ERROR(KH "100,DMA32,5,1,0\n",
			   ":2: expected 4 fields ts_ns,zone,allocs_pages,frees_pages, got 5");
	EXPECT_TRACE_ERROR(KH "100,DMA32,1,1\n\n200,DMA32,1,1\n",
			   ":3: expected 4 fields ts_ns,zone,allocs_pages,frees_pages, got 1");
	EXPECT_TRACE_ERROR(KH "1e9,DMA32,1,1\n", ":2: ts_ns: '1e9' is not a number");
	EXPECT_TRACE_ERROR(KH "100,DMA32,-1,0\n", ":2: allocs_pages: '-1' is not a number");
	EXPECT_TRACE_ERROR(KH "100,DMA32, 1,0\n", ":2: allocs_pages: ' 1' is not a number");
	EXPECT_TRACE_ERROR(KH "100,DMA32,1,\n", ":2: frees_pages: '' is not a number");
	EXPECT_TRACE_ERROR(KH "100,DMA32,0,99999999999999999999\n",
			   ":2: frees_pages: '99999999999999999999' is not a number");
	EXPECT_TRACE_ERROR(KH "100,DMA32,0,4294967297\n",
			   ":2: frees_pages: 4294967297 is more than 4294967296 pages in one interval");
	EXPECT_TRACE_ERROR(KH "100,,1,1\n", ":2: zone: empty");
	EXPECT_TRACE_ERROR(KH "100,node1234567890/DMA32-and-then-some-more-x,1,1\n",
			   ":2: zone: longer than 39 bytes");
	EXPECT_TRACE_ERROR(KH "200,DMA32,1,1\n100,DMA32,1,1\n",
			   ":3: ts_ns 100 is before the previous row's 200");
	EXPECT_TRACE_ERROR(KH "100,DMA32,1,1\n100,Normal,1,1\n100,DMA32,1,1\n",
			   ":4: zone 'DMA32' twice at ts_ns 100");
	EXPECT_TRACE_ERROR(KH "100,z1,0,0\n100,z2,0,0\n100,z3,0,0\n100,z4,0,0\n100,z5,0,0\n100,z6,0,0\n"
			   "100,z7,0,0\n100,z8,0,0\n100,z9,0,0\n100,z10,0,0\n100,z11,0,0\n100,z12,0,0\n"
			   "100,z13,0,0\n100,z14,0,0\n100,z15,0,0\n100,z16,0,0\n100,z17,0,0\n",
			   ":18: more than 16 zones at ts_ns 100");
	EXPECT_TRACE_ERROR(KH "100,DMA32,1,1", ":2: last line has no newline: the file was cut short");
	EXPECT_TRACE_ERROR(KH "100,DMA\0" "32,1,1\n", ":2: NUL byte in the line");
	memset(long_line, '1', sizeof(long_line) - 2);
	long_line[sizeof(long_line) - 2] = '\n';
	long_line[sizeof(long_line) - 1] = '\0';
	snprintf(buf, sizeof(buf), KH "%s", long_line);
	expect_trace_error(buf, strlen(buf), ":2: line longer than 254 bytes");

	assert_int_equal(pressure_parse("trace:/nonexistent/k.csv", &cfg, err, sizeof(err)), 0);
	assert_null(pressure_create(&cfg, mm, 1, 0, err, sizeof(err)));
	assert_string_equal(err, "/nonexistent/k.csv: No such file or directory");
	assert_int_equal(pressure_parse("trace:/tmp", &cfg, err, sizeof(err)), 0);
	assert_null(pressure_create(&cfg, mm, 1, 0, err, sizeof(err)));
	assert_string_equal(err, "/tmp:1: Is a directory");
	mm_destroy(mm);
}

/* CRLF line ends (a file that went through an editor) and gzip read the same; a cut gzip does not. */
static void test_trace_crlf_gzip(void **state)
{
	static const char crlf[] = KMEM_HEADER "\r\n100,DMA32,40,8\r\n";
	static const char plain[] = KMEM_HEADER "\n100,DMA32,40,8\n200,DMA32,1,1\n";
	char path[64], gz_path[80], arg[128], err[512] = "";
	struct pressure_cfg cfg;
	struct pressure *p;
	struct mm *mm;
	gzFile gz;
	FILE *f;
	long gz_bytes;

	(void)state;
	write_tmp(path, sizeof(path), crlf, sizeof(crlf) - 1);
	mm = test_machine("mt8173-4g", KVER_4_19, 4);
	p = press_file(mm, path, "");
	step(mm, p, 100);
	assert_int_equal(stats_of(p).recorded_alloc_pages, 40);
	assert_int_equal(stats_of(p).recorded_free_pages, 8);
	pressure_destroy(p);
	mm_destroy(mm);
	unlink(path);

	snprintf(gz_path, sizeof(gz_path), "/tmp/ptb-kmem-%ld.csv.gz", (long)getpid());
	gz = gzopen(gz_path, "wb");
	assert_non_null(gz);
	assert_int_equal(gzwrite(gz, plain, sizeof(plain) - 1), (int)(sizeof(plain) - 1));
	assert_int_equal(gzclose(gz), Z_OK);
	mm = test_machine("mt8173-4g", KVER_4_19, 4);
	p = press_file(mm, gz_path, "");
	step(mm, p, 200);
	assert_int_equal(stats_of(p).intervals_applied, 2);
	assert_int_equal(stats_of(p).recorded_alloc_pages, 41);
	pressure_destroy(p);

	/* the same gzip cut before its end */
	f = fopen(gz_path, "r+b");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	gz_bytes = ftell(f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(truncate(gz_path, gz_bytes - 10), 0);
	snprintf(arg, sizeof(arg), "trace:%s", gz_path);
	assert_int_equal(pressure_parse(arg, &cfg, err, sizeof(err)), 0);
	assert_null(pressure_create(&cfg, mm, 1, 0, err, sizeof(err)));
	assert_true(!strncmp(err, gz_path, strlen(gz_path)) && strstr(err, "gzip: "));
	mm_destroy(mm);
	unlink(gz_path);
}

/* The free-page history of a scenario over 3 s with ticks every 3 ms. */
static uint64_t history_hash(const char *arg, uint64_t seed)
{
	struct mm *mm = test_machine("mt8173-4g", KVER_4_19, 4);
	struct pressure *p = press(mm, arg, seed);
	uint64_t h = 1469598103934665603ULL;

	for (uint64_t t = 3 * MS; t <= 3000 * MS; t += 3 * MS)
		h = (h ^ step(mm, p, t)) * 1099511628211ULL;
	pressure_destroy(p);
	mm_destroy(mm);
	return h;
}

static void test_deterministic_from_seed(void **state)
{
	(void)state;
	assert_int_equal(history_hash("steady", 7), history_hash("steady", 7));
	assert_int_not_equal(history_hash("steady", 7), history_hash("steady", 8));
	assert_int_equal(history_hash("atomic-burst", 7), history_hash("atomic-burst", 7));
	assert_int_not_equal(history_hash("atomic-burst", 7), history_hash("atomic-burst", 8));
	/* a recording is replayed as recorded: no random choice */
	assert_int_equal(history_hash("trace:" KMEM_SMALL, 7), history_hash("trace:" KMEM_SMALL, 8));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_defaults),
		cmocka_unit_test(test_parse_overrides),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_zone_per_machine),
		cmocka_unit_test(test_none),
		cmocka_unit_test(test_steady_holds_band),
		cmocka_unit_test(test_edge_at_min),
		cmocka_unit_test(test_fragmented),
		cmocka_unit_test(test_fragmented_order0_compacts),
		cmocka_unit_test(test_atomic_burst),
		cmocka_unit_test(test_atomic_burst_end_of_time),
		cmocka_unit_test(test_deterministic_from_seed),
		cmocka_unit_test(test_trace_parse),
		cmocka_unit_test(test_trace_follows_net_demand),
		cmocka_unit_test(test_trace_zone_names),
		cmocka_unit_test(test_trace_unapplied),
		cmocka_unit_test(test_trace_bad_files),
		cmocka_unit_test(test_trace_crlf_gzip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
