// SPDX-License-Identifier: GPL-2.0
/*
 * test_synth.c - the synthetic workloads (workloads/synth/) against what
 * their README promises and what the kernel's dma-iommu path guarantees:
 *  - every event of every workload through the checker (synth_check.h):
 *    time order, the fields a recorder would fill, IOVAs inside 0..4 GiB
 *    (mtk16g: 16 GiB), no map over a live range, every unmap covering
 *    exactly the runs one buffer mapped, aligned as alloc_iova_fast aligns
 *    it; the checker itself catches each rule broken;
 *  - each workload's documented sizes and rates, counted from its events;
 *  - determinism from the seed, the event cap.
 * The IOVA allocator: test_iova.c; frag-worst and its bound: test_frag_worst.c.
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
#include "synth_check.h"

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
		cmocka_unit_test(test_display),
		cmocka_unit_test(test_video),
		cmocka_unit_test(test_camera),
		cmocka_unit_test(test_browse),
		cmocka_unit_test(test_churn),
		cmocka_unit_test(test_day),
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_mtk16g),
	};

	return cmocka_run_group_tests_name("synth", tests, NULL, NULL);
}
