// SPDX-License-Identifier: GPL-2.0
/*
 * test_frag_worst.c - the frag-worst synthetic workload (workloads/synth/
 * frag_worst.c) against its README: every event through the checker
 * (synth_check.h) and the rounds it promises counted; replayed through
 * page-frag on 6.1 it holds exactly the derived bound, 4096 x 32 KiB, and
 * 4096 x 4 KiB when --pressure fragmented leaves no block above order 1.
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


int main(int argc, char **argv)
{
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frag_worst_trace),
		cmocka_unit_test(test_frag_worst_bound),
	};

	return cmocka_run_group_tests_name("frag_worst", tests, NULL, NULL);
}
