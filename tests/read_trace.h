/* SPDX-License-Identifier: GPL-2.0 */
/*
 * read_trace.h - what the trace reader tests (test_trace.c,
 * test_trace_errors.c, test_ptb.c) share: the 36 iommu events
 * scripts/gen-testdata.py wrote into every tests/data/small.* file, a trace
 * read whole into struct got (read_trace, read_opts) and checked against them,
 * and files in a scratch directory (make_tmp_dir / remove_tmp_dir, the group
 * setup and teardown).
 * Include after <cmocka.h>: failures are cmocka failures.
 */
#ifndef PTB_TESTS_READ_TRACE_H
#define PTB_TESTS_READ_TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "ptb.h"
#include "trace_reader.h"

#define DATA		"tests/data/"
#define MAX_EVENTS	64
#define ERR_BYTES	1024
#define PATH_BYTES	512

/* ---- the expected trace: scripts/gen-testdata.py's EVENTS, iommu only ---- */

#define T0_US		3949760ull	/* gen-testdata.py T0_US: 3.949760 s */
#define CTX_IRQ		TRACE_CTX_IRQS_OFF	/* flags column 'd' */
#define CTX_HARD	TRACE_CTX_HARDIRQ	/* 'h' */
#define CTX_SOFT	TRACE_CTX_SOFTIRQ	/* 's' */
#define CTX_PRE		TRACE_CTX_PREEMPT_OFF	/* preempt depth 1 or 2 */
#define MAP		TRACE_OP_MAP
#define UNMAP		TRACE_OP_UNMAP

struct want_event {
	uint64_t dt_us;			/* after T0_US */
	uint16_t cpu;
	uint32_t pid;
	uint8_t ctx;
	uint8_t op;
	uint64_t iova, paddr, size_bytes, unmapped_bytes;
};

static const struct want_event want[] = {
	{       0, 0, 129, CTX_IRQ | CTX_PRE,            MAP,   0xffff9000, 0x101d12000,     4096,        0 },
	{       9, 0, 129, CTX_IRQ | CTX_PRE,            MAP,   0xffff8000, 0x101d13000,     4096,        0 },
	{      51, 0,  41, CTX_PRE,                      MAP,   0xfffe0000, 0x102340000,    65536,        0 },
	{     120, 1,  57, CTX_PRE,                      MAP,   0xffe00000, 0x103400000,  1048576,        0 },
	{     180, 1,  57, CTX_PRE,                      MAP,   0xfe000000, 0x104000000, 16777216,        0 },
	{     300, 2, 310, CTX_PRE,                      MAP,   0xfd000000, 0x1a0345000,     4096,        0 },
	{     303, 2, 310, 0,                            MAP,   0xfd001000, 0x1a0344000,     4096,        0 },
	{     306, 2, 310, 0,                            MAP,   0xfd002000, 0x1a0347000,     4096,        0 },
	{     309, 2, 310, 0,                            MAP,   0xfd003000, 0x1a0346000,     4096,        0 },
	{     312, 2, 310, CTX_PRE,                      MAP,   0xfd004000, 0x1a0341000,     4096,        0 },
	{     315, 2, 310, 0,                            MAP,   0xfd005000, 0x1a0340000,     4096,        0 },
	{     318, 2, 310, 0,                            MAP,   0xfd006000, 0x1a0343000,     4096,        0 },
	{     321, 2, 310, 0,                            MAP,   0xfd007000, 0x1a0342000,     4096,        0 },
	{     324, 2, 310, CTX_PRE,                      MAP,   0xfd008000, 0x1a034d000,     4096,        0 },
	{     327, 2, 310, 0,                            MAP,   0xfd009000, 0x1a034c000,     4096,        0 },
	{     330, 2, 310, 0,                            MAP,   0xfd00a000, 0x1a034f000,     4096,        0 },
	{     333, 2, 310, 0,                            MAP,   0xfd00b000, 0x1a034e000,     4096,        0 },
	{     336, 2, 310, CTX_PRE,                      MAP,   0xfd00c000, 0x1a0349000,     4096,        0 },
	{     339, 2, 310, 0,                            MAP,   0xfd00d000, 0x1a0348000,     4096,        0 },
	{     342, 2, 310, 0,                            MAP,   0xfd00e000, 0x1a034b000,     4096,        0 },
	{     345, 2, 310, 0,                            MAP,   0xfd00f000, 0x1a034a000,     4096,        0 },
	{     401, 3,   0, CTX_SOFT | CTX_PRE,           MAP,   0xffffa000, 0x1f0000000,     8192,        0 },
	{     455, 3,   0, CTX_IRQ | CTX_HARD | CTX_PRE, UNMAP, 0xffffa000,           0,     8192,     8192 },
	{     520, 0,  41, CTX_IRQ | CTX_PRE,            UNMAP, 0xffff9000,           0,     4096,     4096 },
	{     531, 0,  41, CTX_IRQ | CTX_PRE,            UNMAP, 0xffff8000,           0,     8192,     4096 },
	{     600, 0,  41, CTX_PRE,                      UNMAP, 0xfffe4000,           0,     4096,     4096 },
	{     640, 1,  57, CTX_PRE,                      UNMAP, 0xffe80000,           0,    65536,    65536 },
	{     700, 2, 310, CTX_PRE,                      UNMAP, 0xfd000000,           0,    65536,    65536 },
	{     760, 1,  57, CTX_PRE,                      UNMAP, 0xfe000000,           0, 16777216, 16777216 },
	{     810, 2, 310, CTX_IRQ | CTX_PRE,            UNMAP, 0xfc000000,           0,        0,        0 },
	{  500000, 1,  57, CTX_PRE,                      UNMAP, 0xffe00000,           0,  1048576,   524288 },
	{  500013, 1,  57, CTX_PRE,                      UNMAP, 0xffe90000,           0,   458752,   458752 },
	{  500040, 0,  41, CTX_PRE,                      UNMAP, 0xfffe0000,           0,    65536,    16384 },
	{  500052, 0,  41, CTX_PRE,                      UNMAP, 0xfffe5000,           0,    45056,    45056 },
	{  500090, 3,  88, CTX_IRQ | CTX_PRE,            MAP,   0xffff9000, 0x101d40000,     4096,        0 },
	{  500117, 3,  88, CTX_IRQ | CTX_PRE,            UNMAP, 0xffff9000,           0,     4096,     4096 },
};

#define NR_WANT		(sizeof(want) / sizeof(want[0]))
#define NR_MAPS		23
#define NR_UNMAPS	13

/* ---- helpers ---- */

struct got {
	int open_ret;			/* trace_open() */
	int last;			/* the trace_read_next() that ended the loop: 0 or -1 */
	size_t n;
	struct trace_event ev[MAX_EVENTS];
	struct trace_read_stats st;
	enum trace_format format;
	char err[ERR_BYTES];		/* trace_open()'s or trace_error() */
};

static char tmp_dir[PATH_BYTES - 64];	/* room for "/<name>" in a path */

/* Read the whole trace; every outcome is in @g. */
static inline void read_opts(const char *path, const struct trace_open_opts *opts, struct got *g)
{
	struct trace_reader *r;
	struct trace_event ev;
	int ret;

	memset(g, 0, sizeof(*g));
	g->open_ret = trace_open(path, opts, &r, g->err, sizeof(g->err));
	if (g->open_ret < 0) {
		g->last = -1;
		return;
	}
	g->format = trace_reader_format(r);
	while ((ret = trace_read_next(r, &ev)) > 0) {
		assert_true(g->n < MAX_EVENTS);
		g->ev[g->n++] = ev;
	}
	g->last = ret;
	/* the end and a failure are both sticky */
	assert_int_equal(trace_read_next(r, &ev), ret);
	snprintf(g->err, sizeof(g->err), "%s", trace_error(r));
	g->st = *trace_stats(r);
	trace_close(r);
}

static inline void read_trace(const char *path, bool skip_bad, struct got *g)
{
	struct trace_open_opts opts = { .skip_bad = skip_bad };

	read_opts(path, &opts, g);
}

/* A file in this test's scratch directory; returns its path in @path. */
static inline void tmp_file(char *path, const char *name, const void *bytes, size_t len)
{
	FILE *f;

	snprintf(path, PATH_BYTES, "%s/%s", tmp_dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static inline void tmp_text(char *path, const char *name, const char *text)
{
	tmp_file(path, name, text, strlen(text));
}

/* @len bytes of @bytes, gzip-compressed. */
static inline void tmp_gzip(char *path, const char *name, const void *bytes, size_t len)
{
	gzFile gz;

	snprintf(path, PATH_BYTES, "%s/%s", tmp_dir, name);
	gz = gzopen(path, "wb9");
	assert_non_null(gz);
	if (len)
		assert_int_equal(gzwrite(gz, bytes, (unsigned int)len), (int)len);
	assert_int_equal(gzclose(gz), Z_OK);
}

static inline unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* Event @i of @g is want[@w], with the fields @has says the format carries. */
static inline void check_event(const struct got *g, size_t i, size_t w, uint8_t has)
{
	const struct trace_event *ev = &g->ev[i];
	const struct want_event *x = &want[w];

	assert_int_equal(ev->ts_ns, (T0_US + x->dt_us) * 1000);
	assert_int_equal(ev->op, x->op);
	assert_int_equal(ev->iova, x->iova);
	assert_int_equal(ev->paddr, x->paddr);
	assert_int_equal(ev->size_bytes, x->size_bytes);
	assert_int_equal(ev->unmapped_bytes, x->unmapped_bytes);
	assert_int_equal(ev->has, has);
	assert_int_equal(ev->cpu, (has & TRACE_HAS_CPU) ? x->cpu : 0);
	assert_int_equal(ev->pid, (has & TRACE_HAS_PID) ? x->pid : 0);
	assert_int_equal(ev->ctx, (has & TRACE_HAS_CTX) ? x->ctx : 0);
	assert_int_equal(ev->domain, 0);
	assert_int_equal(ev->gfp, 0);
}

static inline void check_all_events(const struct got *g, uint8_t has)
{
	assert_int_equal(g->open_ret, 0);
	assert_int_equal(g->last, 0);
	assert_string_equal(g->err, "");
	assert_int_equal(g->n, NR_WANT);
	for (size_t i = 0; i < NR_WANT; i++)
		check_event(g, i, i, has);
	assert_int_equal(g->st.events, NR_WANT);
	assert_int_equal(g->st.maps, NR_MAPS);
	assert_int_equal(g->st.unmaps, NR_UNMAPS);
	assert_int_equal(g->st.bad_lines_skipped, 0);
	assert_int_equal(g->st.lost_events, 0);
}

/* the fields a format carries */
#define HAS_CCP		(TRACE_HAS_CPU | TRACE_HAS_CTX | TRACE_HAS_PID)
#define HAS_CP		(TRACE_HAS_CPU | TRACE_HAS_PID)

/* ---- the scratch directory: the group's setup and teardown ---- */

static inline int make_tmp_dir(void **state)
{
	const char *tmp = getenv("TMPDIR");

	(void)state;
	snprintf(tmp_dir, sizeof(tmp_dir), "%s/ptbench-test-trace.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	return mkdtemp(tmp_dir) ? 0 : -1;
}

static inline int remove_tmp_dir(void **state)
{
	char cmd[PATH_BYTES + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_dir);
	return system(cmd) == 0 ? 0 : -1;
}

#endif /* PTB_TESTS_READ_TRACE_H */
