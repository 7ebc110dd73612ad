// SPDX-License-Identifier: GPL-2.0
/*
 * test_replay.c - the replay engine (harness/replay.c) on traces written
 * here with the .ptb writer: timestamp ordering within the reorder window,
 * one page table per domain id, the conflicts a single domain shows, and
 * that the replay loop does not call malloc per event.
 *
 * The end-to-end checks (every format, --check, reruns byte-identical) are
 * tests/cli/test_replay.sh.
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
#include <unistd.h>
#include <cmocka.h>

#include "replay.h"
#include "trace_reader.h"

static char tmp_dir[] = "/tmp/ptb-test-replay-XXXXXX";

/* ---- writing traces ---- */

struct trace_file {
	char path[256];
	struct ptb_writer *w;
};

static void trace_file_open(struct trace_file *t, const char *name)
{
	char err[512];

	snprintf(t->path, sizeof(t->path), "%s/%s", tmp_dir, name);
	if (ptb_writer_open(t->path, "test_replay", &t->w, err, sizeof(err)))
		fail_msg("ptb_writer_open: %s", err);
}

static void trace_file_close(struct trace_file *t)
{
	char err[512];

	if (ptb_writer_close(t->w, err, sizeof(err)))
		fail_msg("ptb_writer_close: %s", err);
}

static void put(struct trace_file *t, uint64_t ts_ns, uint8_t op, uint32_t domain, uint64_t iova,
		uint64_t paddr, uint64_t size_bytes)
{
	struct trace_event ev = {
		.ts_ns = ts_ns, .op = op, .iova = iova, .size_bytes = size_bytes,
		.cpu = 0, .has = TRACE_HAS_CPU,
	};

	if (op == TRACE_OP_MAP)
		ev.paddr = paddr;
	else
		ev.unmapped_bytes = size_bytes;
	if (domain) {
		ev.domain = domain;
		ev.has |= TRACE_HAS_DOMAIN;
	}
	assert_int_equal(ptb_writer_write(t->w, &ev), 0);
}

/* One backend, 6.1 rules, the default machine. */
static void replay(const char *path, const char *backend, uint64_t window_ns, bool per_domain,
		   struct replay_trace *t, struct replay_run *run)
{
	struct replay_opts o;

	replay_opts_default(&o);
	o.trace_path = path;
	o.backends[0] = pt_backend_find(backend);
	assert_non_null(o.backends[0]);
	o.nr_backends = 1;
	o.mm.kernel = KVER_6_1;
	o.reorder_window_ns = window_ns;
	o.per_domain = per_domain;
	replay_opts_finish(&o);
	assert_int_equal(replay_run_all(&o, t, run), 0);
}

/*
 * Recorded out of order (per-CPU buffers merged late): the unmap of A is
 * stamped before its map.  Within the window the two are swapped back;
 * with a 0 ns window the unmap comes first, finds nothing, and is counted
 * late and as a mismatch with what the kernel reported.
 */
static void test_reorder_window(void **state)
{
	struct trace_file f;
	struct replay_trace t;
	struct replay_run run;

	(void)state;
	trace_file_open(&f, "reorder.ptb");
	put(&f, 1000, TRACE_OP_MAP, 0, 0xff000000, 0x80000000, 4096);
	put(&f, 3000, TRACE_OP_UNMAP, 0, 0xff100000, 0, 4096);	/* B, stamped late */
	put(&f, 2000, TRACE_OP_MAP, 0, 0xff100000, 0x80001000, 4096);
	trace_file_close(&f);

	replay(f.path, "slab-dma32", 1000000, true, &t, &run);
	assert_int_equal(t.events, 3);
	assert_int_equal(run.sum.c.late_events, 0);
	assert_int_equal(run.sum.c.unmap_mismatches, 0);

	replay(f.path, "slab-dma32", 0, true, &t, &run);
	assert_int_equal(run.sum.c.late_events, 1);
	assert_int_equal(run.sum.c.unmap_mismatches, 1);
	assert_int_equal(run.sum.c.conflicts, 0);

	/* the largest window (--reorder-window-ns 18446744073709551615) sorts all, no overflow */
	replay(f.path, "slab-dma32", UINT64_MAX, true, &t, &run);
	assert_int_equal(run.sum.c.late_events, 0);
	assert_int_equal(run.sum.c.unmap_mismatches, 0);
}

/*
 * Two devices, two domains, the same IOVAs (each device's IOVA space is its
 * own).  Per domain: two page tables, no conflict.  Replayed as one domain
 * (--single-domain, or a tracefs trace that carries no domain): the second
 * device's maps hit the first's as -EEXIST, unrolled and counted.
 */
static void test_domains(void **state)
{
	struct trace_file f;
	struct replay_trace t;
	struct replay_run run;
	uint64_t ts = 0;

	(void)state;
	trace_file_open(&f, "domains.ptb");
	for (uint64_t i = 0; i < 8; i++) {
		put(&f, ts += 100, TRACE_OP_MAP, 1, 0xfff00000 - i * 0x10000, 0x80000000 + i * 0x10000, 0x10000);
		put(&f, ts += 100, TRACE_OP_MAP, 2, 0xfff00000 - i * 0x10000, 0x90000000 + i * 0x10000, 0x10000);
	}
	trace_file_close(&f);

	replay(f.path, "page-frag", 1000000, true, &t, &run);
	assert_int_equal(t.domains, 2);
	assert_int_equal(run.l1_tables, 2);
	assert_int_equal(run.sum.c.conflicts, 0);
	assert_int_equal(run.sum.c.map_failures, 0);

	replay(f.path, "page-frag", 1000000, false, &t, &run);
	assert_int_equal(t.domains, 1);
	assert_int_equal(run.l1_tables, 1);
	assert_int_equal(run.sum.c.conflicts, 8);
	assert_int_equal(run.sum.c.map_errors_other, 8);
}

#ifndef __SANITIZE_ADDRESS__
/*
 * Count every malloc-family call of the process (glibc's __libc_* entry
 * points do the work).  Not in the ASan build: ASan owns malloc there.
 */
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t nmemb, size_t size);
extern void *__libc_realloc(void *ptr, size_t size);
static uint64_t nr_mallocs;

void *malloc(size_t size)
{
	nr_mallocs++;
	return __libc_malloc(size);
}

void *calloc(size_t nmemb, size_t size)
{
	nr_mallocs++;
	return __libc_calloc(nmemb, size);
}

void *realloc(void *ptr, size_t size)
{
	nr_mallocs++;
	return __libc_realloc(ptr, size);
}

/* A churn of @rounds x 64 maps and unmaps, 4K/64K/1M, tables allocated and freed. */
static void write_churn(struct trace_file *f, const char *name, unsigned int rounds)
{
	uint64_t ts = 0;

	trace_file_open(f, name);
	for (unsigned int r = 0; r < rounds; r++) {
		for (unsigned int i = 0; i < 32; i++) {
			uint64_t iova = 0xf0000000 - (uint64_t)i * 0x100000;
			uint64_t size = i % 3 == 0 ? 0x1000 : i % 3 == 1 ? 0x10000 : 0x100000;

			struct trace_event unmap = {
				.ts_ns = ts + 2000, .op = TRACE_OP_UNMAP, .iova = iova,
				.size_bytes = 0x100000, .unmapped_bytes = 0x100000, .has = TRACE_HAS_CPU,
			};

			put(f, ts += 1000, TRACE_OP_MAP, 0, iova, 0x80000000 + (uint64_t)i * 0x100000, size);
			/*
			 * the whole 1 MiB slot: a level-1 unmap, which frees the L2
			 * table and reports the slot's 1 MiB unmapped (__arm_v7s_unmap)
			 */
			assert_int_equal(ptb_writer_write(f->w, &unmap), 0);
			ts += 1000;
		}
	}
	trace_file_close(f);
}

/*
 * Ten times the events must not mean more mallocs: the trace is streamed
 * through the reorder window (its heap grows with the window, not the
 * trace), and the loop never allocates.
 */
static void test_no_malloc_per_event(void **state)
{
	struct trace_file small, big;
	struct replay_opts o;
	struct replay_trace t;
	static struct replay_run runs[PT_BACKEND_NR];
	uint64_t before, small_mallocs, big_mallocs;

	(void)state;
	write_churn(&small, "churn-small.ptb", 160);	/* 10240 events */
	write_churn(&big, "churn-big.ptb", 1600);	/* 102400 events */
	replay_opts_default(&o);	/* every backend */
	o.mm.kernel = KVER_6_1;	/* 4.19's slab-dma L1 above 4 GiB would fault everywhere */
	o.check = true;
	replay_opts_finish(&o);

	o.trace_path = small.path;
	before = nr_mallocs;
	assert_int_equal(replay_run_all(&o, &t, runs), 0);
	small_mallocs = nr_mallocs - before;
	assert_int_equal(t.events, 10240);

	o.trace_path = big.path;
	before = nr_mallocs;
	assert_int_equal(replay_run_all(&o, &t, runs), 0);
	big_mallocs = nr_mallocs - before;
	assert_int_equal(t.events, 102400);
	for (unsigned int i = 0; i < o.nr_backends; i++) {
		assert_int_equal(runs[i].sum.c.translation_faults, 0);
		/* kzalloc-dma32's tables are above 4 GiB here: each map fails, its unmap finds nothing */
		assert_int_equal(runs[i].sum.c.unmap_mismatches, runs[i].sum.c.map_failures);
		/* 2 of 3 maps need an L2 table: 21 per round, all freed again */
		assert_true(runs[i].sum.allocs >= 1600 * 21);
	}
	print_message("mallocs: %" PRIu64 " for 10240 events, %" PRIu64 " for 102400\n",
		      small_mallocs, big_mallocs);
	assert_true(big_mallocs <= small_mallocs + 16);
}
#endif

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmp_dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[512];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_dir);
	return system(cmd) ? -1 : 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reorder_window),
		cmocka_unit_test(test_domains),
#ifndef __SANITIZE_ADDRESS__
		cmocka_unit_test(test_no_malloc_per_event),
#endif
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
