// SPDX-License-Identifier: GPL-2.0
/*
 * test_trace.c - the trace readers (workloads/): every format of tests/data
 * gives the same 36 iommu events scripts/gen-testdata.py wrote, with the
 * fields each format carries; statistics; lost events; every bad input is
 * one "FILE[:LINE]: reason" error, or a count by reason with skip_bad; the
 * .ptb writer and reader agree on every field; the .ptb header rules; the
 * inputs the fuzzers found (tests/data/fuzz-regress/).
 *
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
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>
#include <cmocka.h>

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
static void read_opts(const char *path, const struct trace_open_opts *opts, struct got *g)
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

static void read_trace(const char *path, bool skip_bad, struct got *g)
{
	struct trace_open_opts opts = { .skip_bad = skip_bad };

	read_opts(path, &opts, g);
}

/* A file in this test's scratch directory; returns its path in @path. */
static void tmp_file(char *path, const char *name, const void *bytes, size_t len)
{
	FILE *f;

	snprintf(path, PATH_BYTES, "%s/%s", tmp_dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void tmp_text(char *path, const char *name, const char *text)
{
	tmp_file(path, name, text, strlen(text));
}

/* @len bytes of @bytes, gzip-compressed. */
static void tmp_gzip(char *path, const char *name, const void *bytes, size_t len)
{
	gzFile gz;

	snprintf(path, PATH_BYTES, "%s/%s", tmp_dir, name);
	gz = gzopen(path, "wb9");
	assert_non_null(gz);
	if (len)
		assert_int_equal(gzwrite(gz, bytes, (unsigned int)len), (int)len);
	assert_int_equal(gzclose(gz), Z_OK);
}

static unsigned char *slurp(const char *path, size_t *len)
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

static uint64_t other_count(const struct trace_read_stats *st, const char *name)
{
	for (uint32_t i = 0; i < st->nr_other_names; i++)
		if (!strcmp(st->other[i].name, name))
			return st->other[i].count;
	return 0;
}

/* Event @i of @g is want[@w], with the fields @has says the format carries. */
static void check_event(const struct got *g, size_t i, size_t w, uint8_t has)
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

static void check_all_events(const struct got *g, uint8_t has)
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

/* ---- every format ---- */

#define HAS_CCP		(TRACE_HAS_CPU | TRACE_HAS_CTX | TRACE_HAS_PID)
#define HAS_CP		(TRACE_HAS_CPU | TRACE_HAS_PID)

struct format_case {
	const char *file;
	enum trace_format format;
	uint8_t has;			/* what the format carries */
	uint64_t lines;			/* text lines, or records */
	uint64_t pre_5_17, at_5_17;	/* iommu lines in each kernel text format */
	uint64_t other;			/* sched_switch + sched_wakeup */
};

static const struct format_case formats[] = {
	/* 4.19 trace: 11 header lines + 41 events, 4-character flags */
	{ "small.ftrace",          TRACE_FORMAT_FTRACE,    HAS_CCP, 52, 36,  0, 5 },
	{ "small.ftrace.gz",       TRACE_FORMAT_FTRACE,    HAS_CCP, 52, 36,  0, 5 },
	/* 6.1 trace_pipe: no header, 5-character flags, " - 0x<end>" */
	{ "small-5.17.ftrace",     TRACE_FORMAT_FTRACE,    HAS_CCP, 41,  0, 36, 5 },
	/* report: "cpus=4" + 41 events; no flags column, -l glues CPU and flags */
	{ "small.trace-cmd.txt",   TRACE_FORMAT_TRACE_CMD, HAS_CP,  42,  0, 36, 5 },
	{ "small.trace-cmd-l.txt", TRACE_FORMAT_TRACE_CMD, HAS_CCP, 42,  0, 36, 5 },
	/* perf script shows no irq/preempt flags */
	{ "small.perf.txt",        TRACE_FORMAT_PERF,      HAS_CP,  41,  0, 36, 5 },
	/* binary: 41 records, fields read by name; no text format to count */
	{ "small.trace.dat",       TRACE_FORMAT_TRACE_DAT, HAS_CCP, 41,  0,  0, 5 },
	{ "small.trace.dat.gz",    TRACE_FORMAT_TRACE_DAT, HAS_CCP, 41,  0,  0, 5 },
	/* converted from small.ftrace / small.trace.dat: iommu records only */
	{ "small.ptb",             TRACE_FORMAT_PTB,       HAS_CCP, 36,  0,  0, 0 },
	{ "small.ptb.gz",          TRACE_FORMAT_PTB,       HAS_CCP, 36,  0,  0, 0 },
};

static void test_every_format(void **state)
{
	struct got g;

	(void)state;
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		const struct format_case *c = &formats[i];
		char path[PATH_BYTES];

		snprintf(path, sizeof(path), DATA "%s", c->file);
		print_message("  %s\n", c->file);
		read_trace(path, false, &g);
		check_all_events(&g, c->has);
		assert_int_equal(g.format, c->format);
		assert_int_equal(g.st.lines, c->lines);
		assert_int_equal(g.st.iommu_pre_5_17, c->pre_5_17);
		assert_int_equal(g.st.iommu_5_17, c->at_5_17);
		/* other events by name, the same names in every format */
		assert_int_equal(g.st.other_events, c->other);
		assert_int_equal(other_count(&g.st, "sched_switch"), c->other ? 3 : 0);
		assert_int_equal(other_count(&g.st, "sched_wakeup"), c->other ? 2 : 0);
		assert_int_equal(g.st.nr_other_names, c->other ? 2 : 0);
	}
}

/* gzip changes nothing: the same events, field for field, and the same counts. */
static void test_gzip_transparent(void **state)
{
	static const char *const pairs[][2] = {
		{ DATA "small.ftrace", DATA "small.ftrace.gz" },
		{ DATA "small.trace.dat", DATA "small.trace.dat.gz" },
		/* small.ptb.gz was converted from small.trace.dat, small.ptb from small.ftrace */
		{ DATA "small.ptb", DATA "small.ptb.gz" },
	};
	static struct got plain, gz;

	(void)state;
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		read_trace(pairs[i][0], false, &plain);
		read_trace(pairs[i][1], false, &gz);
		assert_int_equal(plain.n, gz.n);
		for (size_t k = 0; k < plain.n; k++)
			assert_memory_equal(&plain.ev[k], &gz.ev[k], sizeof(plain.ev[k]));
		assert_memory_equal(&plain.st, &gz.st, sizeof(plain.st));
	}
}

/* A real trace.dat of trace-cmd 3.1.6 (file v7, zstd): sched events only. */
static void test_tracedat_v7(void **state)
{
	struct got g;

	(void)state;
	read_trace(DATA "host-sched.trace.dat", false, &g);
	assert_int_equal(g.open_ret, 0);
	assert_int_equal(g.last, 0);
	assert_int_equal(g.format, TRACE_FORMAT_TRACE_DAT);
	assert_int_equal(g.n, 0);
	assert_int_equal(g.st.lines, 69);
	assert_int_equal(other_count(&g.st, "sched_switch"), 46);
	assert_int_equal(other_count(&g.st, "sched_wakeup"), 23);
}

/*
 * Stopping early kills the trace.dat reader's child process and reaps it:
 * no process is left behind.
 */
/*
 * A gzip'd trace.dat is checked on its first inflated bytes and inflated no
 * further than its bound: a gzip bomb (64 MiB of zeros after a valid
 * header, 64 KiB gzip'd) against a 16 MiB bound is refused, having written
 * at most 16 MiB; a version libtracecmd does not read is refused first.
 */
static void test_tracedat_gzip_bomb(void **state)
{
	static const char v6[12] = "\x17\x08" "Dtracing6", v9[12] = "\x17\x08" "Dtracing9";
	static unsigned char zeros[1 << 20];
	char path[PATH_BYTES];
	struct got g;
	gzFile gz;

	(void)state;
	snprintf(path, sizeof(path), "%s/bomb.trace.dat.gz", tmp_dir);
	gz = gzopen(path, "wb1");
	assert_non_null(gz);
	assert_int_equal(gzwrite(gz, v6, sizeof(v6)), (int)sizeof(v6));
	for (int i = 0; i < 64; i++)
		assert_int_equal(gzwrite(gz, zeros, sizeof(zeros)), (int)sizeof(zeros));
	assert_int_equal(gzclose(gz), Z_OK);
	assert_int_equal(setenv("PTBENCH_INFLATE_MAX_BYTES", "16777216", 1), 0);
	read_trace(path, false, &g);
	assert_int_equal(g.open_ret, -EINVAL);
	assert_non_null(strstr(g.err, "bomb.trace.dat.gz: trace.dat: gzip'd, it inflates past 16777216 bytes, the bound of its temporary copy in "));
	assert_int_equal(unsetenv("PTBENCH_INFLATE_MAX_BYTES"), 0);

	tmp_gzip(path, "v9.trace.dat.gz", v9, sizeof(v9));
	read_trace(path, false, &g);
	assert_int_equal(g.open_ret, -EINVAL);
	assert_non_null(strstr(g.err, "v9.trace.dat.gz: trace.dat: file version '9': libtracecmd 3.1.6 reads versions 6 and 7"));
}

/*
 * After the last gzip member, as `gzip -dc` (1.12) reads it: another member
 * is read, zero bytes are padding, anything else is an error (gzip warns
 * "trailing garbage ignored" and exits 2), in every format.
 */
static void test_gzip_tail(void **state)
{
	static const char *const files[] = { DATA "small.ftrace.gz", DATA "small.trace.dat.gz",
					     DATA "small.ptb.gz" };
	static const unsigned char zeros[100];
	char path[PATH_BYTES], msg[PATH_BYTES + 128];
	unsigned char *gz, *plain, *two;
	size_t gz_bytes, plain_bytes, half;
	struct got g;

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		gz = slurp(files[i], &gz_bytes);
		two = malloc(gz_bytes + sizeof(zeros) + 8);
		assert_non_null(two);
		memcpy(two, gz, gz_bytes);
		memcpy(two + gz_bytes, "garbage\n", 8);
		tmp_file(path, "garbage.gz", two, gz_bytes + 8);
		read_trace(path, false, &g);
		assert_int_equal(g.last, -1);
		snprintf(msg, sizeof(msg), "%s: gzip: trailing garbage at byte %zu, after the last gzip member (gzip -dc ignores it with a warning): the file is not all gzip",
			 path, gz_bytes);
		assert_string_equal(g.err, msg);
		memcpy(two + gz_bytes, zeros, sizeof(zeros));
		tmp_file(path, "zeros.gz", two, gz_bytes + sizeof(zeros));
		read_trace(path, false, &g);
		assert_int_equal(g.last, 0);
		assert_int_equal(g.n, NR_WANT);
		free(two);
		free(gz);
	}
	/* small.ftrace in two members, as `cat a.gz b.gz` makes */
	plain = slurp(DATA "small.ftrace", &plain_bytes);
	half = (size_t)((unsigned char *)memchr(plain + plain_bytes / 2, '\n', plain_bytes / 2) - plain) + 1;
	tmp_gzip(path, "a.gz", plain, half);
	gz = slurp(path, &gz_bytes);
	tmp_gzip(path, "b.gz", plain + half, plain_bytes - half);
	two = slurp(path, &half);
	gz = realloc(gz, gz_bytes + half);
	assert_non_null(gz);
	memcpy(gz + gz_bytes, two, half);
	tmp_file(path, "two-members.gz", gz, gz_bytes + half);
	read_trace(path, false, &g);
	check_all_events(&g, HAS_CCP);
	free(two);
	free(gz);
	free(plain);
}

static void test_tracedat_close_early(void **state)
{
	struct trace_reader *r;
	struct trace_event ev;
	char err[ERR_BYTES];

	(void)state;
	assert_int_equal(trace_open(DATA "small.trace.dat", NULL, &r, err, sizeof(err)), 0);
	assert_int_equal(trace_read_next(r, &ev), 1);
	trace_close(r);
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

/* ---- lost events: each tracer's own way of saying it dropped some ---- */

static void test_lost_events(void **state)
{
	static const struct { const char *file; uint64_t lost; } cases[] = {
		/* header 3/40 kept of written: 37; "CPU:1 [LOST 35 EVENTS]" */
		{ DATA "lost.ftrace", 37 + 35 },
		/* "CPU:1 [204600 EVENTS DROPPED]"; "CPU:2 [EVENTS DROPPED]": at least one */
		{ DATA "lost.trace-cmd.txt", 204600 + 1 },
		/* perf script --show-lost-events: PERF_RECORD_LOST lost 33, lost 9 */
		{ DATA "lost.perf.txt", 33 + 9 },
	};
	char path[PATH_BYTES];
	struct got g;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		read_trace(cases[i].file, false, &g);
		assert_int_equal(g.last, 0);
		assert_int_equal(g.n, 3);
		for (size_t k = 0; k < 3; k++)
			assert_int_equal(g.ev[k].iova, want[k].iova);
		assert_int_equal(g.st.lost_events, cases[i].lost);
		assert_int_equal(g.st.bad_lines_skipped, 0);
	}
	/* perf prints the record without its sample columns when it has no event for it */
	tmp_text(path, "lost-bare.perf.txt",
		 "              dd   129 [000]     3.949760: iommu:map: IOMMU: iova=0x00000000ffff9000 - 0x00000000ffffa000 paddr=0x0000000101d12000 size=4096\n"
		 "PERF_RECORD_LOST lost 12\n");
	read_trace(path, false, &g);
	assert_int_equal(g.last, 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.st.lost_events, 12);
	/* the entries the header says the file holds: small.ftrace's 41 */
	read_trace(DATA "small.ftrace", false, &g);
	assert_int_equal(g.st.header_entries, 41);
	read_trace(DATA "small-5.17.ftrace", false, &g);
	assert_int_equal(g.st.header_entries, 0);
}

/*
 * Every line perf 6.1's `perf script` prints, with its default fields and
 * with -F selections (tools/perf/builtin-script.c): names right-aligned to
 * the longest recorded, an unresolved thread (":-1", TID -1), a comm with
 * spaces and "1.0: " in it, --ns, PID/TID, no comm/TID/CPU, the time first,
 * the callchain of perf record -g.
 */
static void test_perf_lines(void **state)
{
	static const char map[] = "IOMMU: iova=0x00000000ffff9000 paddr=0x0000000101d12000 size=4096\n";
	static const struct {
		const char *prefix;	/* the line up to the payload */
		uint8_t has;
		uint16_t cpu;
		uint32_t pid;
		uint64_t ts_ns;
	} cases[] = {
		{ "              dd   129 [000]     3.949760:   iommu:map: ", HAS_CP, 0, 129, 3949760000 },
		{ "             :-1    -1 [001]     3.949761: iommu:map: ", TRACE_HAS_CPU, 1, 0, 3949761000 },
		{ "   ptb a: 1.0: b  4242 [002]     3.949762: iommu:map: ", HAS_CP, 2, 4242, 3949762000 },
		{ "              dd   129 [003]     3.949763123: iommu:map: ", HAS_CP, 3, 129, 3949763123 },
		{ "              dd   129/130   [001]     3.949764: iommu:map: ", HAS_CP, 1, 130, 3949764000 },
		{ "     3.949765: iommu:map: ", 0, 0, 0, 3949765000 },
		{ "[002]     3.949766: iommu:map: ", TRACE_HAS_CPU, 2, 0, 3949766000 },
		{ "25212.553010: iommu:map: ", 0, 0, 0, 25212553010000 },
		{ "          kworker/u8:1   35 [000]     3.949767: iommu:map: ", HAS_CP, 0, 35, 3949767000 },
	};
	char text[4096] = "", path[PATH_BYTES];
	struct got g;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		strcat(text, cases[i].prefix);
		strcat(text, map);
	}
	strcat(text, "             :-1    -1 [001]     3.949770: sched:sched_switch: prev_comm=a prev_pid=1 ==> next_comm=b next_pid=2\n");
	strcat(text, "   ptb a: 1.0: b  4242 [002]     3.949771:       sched:sched_switch: prev_comm=ptb a: 1.0: b prev_pid=4242\n");
	/* perf record -g: the comm unpadded, the callchain under the sample, an empty line */
	strcat(text, "perf  4014 [000]  3.949772: sched:sched_switch: prev_comm=perf prev_pid=4014\n"
		     "\tffffffff82249848 __schedule+0x628 ([kernel.kallsyms])\n"
		     "\t    7f3a2b1c0d2e [unknown] (/usr/lib/x86_64-linux-gnu/libc.so.6)\n"
		     "\n");
	tmp_text(path, "real.perf.txt", text);
	read_trace(path, false, &g);
	assert_string_equal(g.err, "");
	assert_int_equal(g.format, TRACE_FORMAT_PERF);
	assert_int_equal(g.last, 0);
	assert_int_equal(g.n, sizeof(cases) / sizeof(cases[0]));
	for (size_t i = 0; i < g.n; i++) {
		assert_int_equal(g.ev[i].has, cases[i].has);
		assert_int_equal(g.ev[i].cpu, cases[i].cpu);
		assert_int_equal(g.ev[i].pid, cases[i].pid);
		assert_int_equal(g.ev[i].ts_ns, cases[i].ts_ns);
		assert_int_equal(g.ev[i].iova, 0xffff9000);
		assert_int_equal(g.ev[i].size_bytes, 4096);
	}
	assert_int_equal(other_count(&g.st, "sched_switch"), 3);
	/* no event field: nothing to replay */
	tmp_text(path, "noevent.perf.txt", "              dd   129 [000]     3.949760: IOMMU: iova=0x1\n");
	read_opts(path, &(struct trace_open_opts){ .force_format = true, .format = TRACE_FORMAT_PERF }, &g);
	assert_int_equal(g.last, -1);
	assert_true(strstr(g.err, ":1: expected 'SECS.USECS: SYSTEM:EVENT: ' (perf script's time and event fields)"));
}

/* A task may name itself "ptb a: 1.0: b": its line's timestamp is still the event's. */
static void test_comm_like_timestamp(void **state)
{
	static const char *const texts[] = {
		"# tracer: nop\n"
		"   ptb a: 1.0: b-4242    [002] d..1.     3.949760: map: IOMMU: iova=0x00000000ffff9000 paddr=0x0000000101d12000 size=4096\n",
		"cpus=4\n"
		"   ptb a: 1.0: b-4242  [002]     3.949760: map:                  IOMMU: iova=0x00000000ffff9000 paddr=0x0000000101d12000 size=4096\n",
		"   ptb a: 1.0: b-4242  2d..1.     3.949760: map:                  IOMMU: iova=0x00000000ffff9000 paddr=0x0000000101d12000 size=4096\n",
	};
	char path[PATH_BYTES];
	struct got g;

	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		tmp_text(path, "comm.txt", texts[i]);
		read_trace(path, false, &g);
		assert_string_equal(g.err, "");
		assert_int_equal(g.n, 1);
		assert_int_equal(g.ev[0].ts_ns, 3949760000);
		assert_int_equal(g.ev[0].pid, 4242);
		assert_int_equal(g.ev[0].cpu, 2);
		assert_int_equal(g.ev[0].iova, 0xffff9000);
	}
}

/* ---- bad input: one "FILE[:LINE]: reason" and -1, or counted with skip_bad ---- */

static void test_bad_hex(void **state)
{
	struct got g;

	(void)state;
	read_trace(DATA "bad-hex.ftrace", false, &g);
	assert_int_equal(g.last, -1);
	assert_string_equal(g.err, DATA "bad-hex.ftrace:13: map: iova: expected 0x and 1-16 hex digits, found 'g' at column 82");
	assert_int_equal(g.n, 1);		/* line 12, the first map */
	read_trace(DATA "bad-hex.ftrace", true, &g);
	assert_int_equal(g.last, 0);
	assert_int_equal(g.n, NR_WANT - 1);
	check_event(&g, 0, 0, HAS_CCP);
	for (size_t i = 1; i < g.n; i++)
		check_event(&g, i, i + 1, HAS_CCP);
	assert_int_equal(g.st.skipped[TRACE_SKIP_BAD_IOMMU], 1);
	assert_int_equal(g.st.bad_lines_skipped, 1);
}

static void test_bad_truncated_line(void **state)
{
	struct got g;

	(void)state;
	/* lines 12..40 hold the first 29 events (25 iommu), line 41 is cut */
	read_trace(DATA "bad-truncated-line.ftrace", false, &g);
	assert_int_equal(g.last, -1);
	assert_string_equal(g.err, DATA "bad-truncated-line.ftrace:41: last line has no newline: the trace was cut short");
	assert_int_equal(g.n, 25);
	read_trace(DATA "bad-truncated-line.ftrace", true, &g);
	assert_int_equal(g.last, 0);
	assert_int_equal(g.n, 25);
	for (size_t i = 0; i < g.n; i++)
		check_event(&g, i, i, HAS_CCP);
	assert_int_equal(g.st.skipped[TRACE_SKIP_NO_NEWLINE], 1);
	assert_int_equal(g.st.bad_lines_skipped, 1);
	assert_int_equal(g.st.lines, 41);
}

/* A gzip stream cut short is never an early end, skip_bad or not. */
static void test_bad_gzip(void **state)
{
	struct got g;

	(void)state;
	for (int skip = 0; skip < 2; skip++) {
		read_trace(DATA "bad-cut.ftrace.gz", skip, &g);
		assert_int_equal(g.last, -1);
		assert_string_equal(g.err, DATA "bad-cut.ftrace.gz:40: gzip stream cut short (unexpected end of file): the trace is incomplete");
		assert_int_equal(g.st.bad_lines_skipped, 0);
	}
}

/* A .ptb cut inside a record: the file length says so before any event. */
static void test_bad_truncated_ptb(void **state)
{
	unsigned char *bytes;
	char path[PATH_BYTES], msg[ERR_BYTES];
	size_t len;
	struct got g;

	(void)state;
	for (int skip = 0; skip < 2; skip++) {
		read_trace(DATA "bad-truncated.ptb", skip, &g);
		assert_int_equal(g.open_ret, -EINVAL);
		assert_string_equal(g.err, DATA "bad-truncated.ptb: record 35 cut short: 20 of 56 bytes (the file is truncated)");
	}
	/* gzip'd, the length is known only at the end: 35 events, then the error */
	bytes = slurp(DATA "bad-truncated.ptb", &len);
	tmp_gzip(path, "bad-truncated.ptb.gz", bytes, len);
	free(bytes);
	read_trace(path, true, &g);
	assert_int_equal(g.open_ret, 0);
	assert_int_equal(g.last, -1);
	assert_int_equal(g.n, 35);
	snprintf(msg, sizeof(msg), "%s: record 35 cut short: 20 of 56 bytes (the file is truncated)", path);
	assert_string_equal(g.err, msg);
}

/*
 * One text file with a bad line of each text reason, between good ones:
 * strict stops at the first, skip_bad counts one of each.
 */
static void test_skip_reasons(void **state)
{
	static const char good[] =
		"              dd-129     [000] d..1.     3.949760: map: IOMMU: iova=0x00000000ffff9000 - 0x00000000ffffa000 paddr=0x0000000101d12000 size=4096\n";
	char path[PATH_BYTES], msg[ERR_BYTES];
	size_t long_bytes = TRACE_LINE_MAX_BYTES + 1, len = 0;
	char *text = malloc(4 * sizeof(good) + long_bytes + 1024);
	struct got g;

	(void)state;
	assert_non_null(text);
	len += (size_t)sprintf(text + len, "%s", good);
	/* line 2: no "SECS.USECS: " at all */
	len += (size_t)sprintf(text + len, "this is not an event line\n");
	len += (size_t)sprintf(text + len, "%s", good);
	/* line 4: an unmap whose size is not decimal */
	len += (size_t)sprintf(text + len, "              dd-129     [000] d..1.     3.949790: unmap: IOMMU: iova=0x00000000ffff9000 - 0x00000000ffffa000 size=0x1000 unmapped_size=4096\n");
	/* line 5: one byte longer than a line may be */
	memset(text + len, 'x', long_bytes);
	len += long_bytes;
	text[len++] = '\n';
	len += (size_t)sprintf(text + len, "%s", good);
	/* line 7: cut short */
	len += (size_t)sprintf(text + len, "              dd-129     [000] d..1.     3.949");
	tmp_file(path, "reasons.ftrace", text, len);
	free(text);

	read_trace(path, false, &g);
	assert_int_equal(g.last, -1);
	assert_int_equal(g.n, 1);
	snprintf(msg, sizeof(msg), "%s:2: expected 'TASK-PID [CPU] FLAGS SECS.USECS: EVENT:', found no 'SECS.USECS: '", path);
	assert_string_equal(g.err, msg);

	read_trace(path, true, &g);
	assert_int_equal(g.last, 0);
	assert_int_equal(g.n, 3);
	assert_int_equal(g.st.lines, 7);
	assert_int_equal(g.st.skipped[TRACE_SKIP_BAD_PREFIX], 1);
	assert_int_equal(g.st.skipped[TRACE_SKIP_BAD_IOMMU], 1);
	assert_int_equal(g.st.skipped[TRACE_SKIP_LINE_TOO_LONG], 1);
	assert_int_equal(g.st.skipped[TRACE_SKIP_NO_NEWLINE], 1);
	assert_int_equal(g.st.skipped[TRACE_SKIP_BAD_RECORD], 0);
	assert_int_equal(g.st.bad_lines_skipped, 4);
	assert_string_equal(trace_skip_reason_name(TRACE_SKIP_LINE_TOO_LONG), "line-too-long");
}

/* Each bad text line alone, strict: its exact message at its line. */
static void test_bad_line_messages(void **state)
{
	static const struct { const char *line; const char *why; } cases[] = {
		{ "              dd-129     [000] d..1.     3.949790: unmap: IOMMU: iova=0x00000000ffff9000 - 0x00000000ffffa000 size=0x1000 unmapped_size=4096",
		  "unmap: size: expected decimal digits, found 'x' at column 117" },
		{ "              dd-129     [000] d..1.     3.949790: map: IOMMU: iova=0x00000000ffff9000 - 0x00000000ffffb000 paddr=0x0000000101d12000 size=4096",
		  "map: iova end 0x00000000ffffb000 is not iova + size 0x00000000ffffa000" },
		{ "              dd-129     [000] d..1.     3.949790: map: IOMMU: iova=0x00000000ffff9000 paddr=0x0000000101d12000 size=4096 extra",
		  "map: unexpected text after the last field at column 123: 'extra'" },
		{ "              dd-129     [000] q..1.     3.949790: map: IOMMU: iova=0x00000000ffff9000 paddr=0x0000000101d12000 size=4096",
		  "expected flags like 'd..1.' (3-5 of [dDbX.][Nnp.][zZhHs.][0-9a-f.]) before the timestamp, found 'q..1.'" },
		{ "              dd-129      d..1.     3.949790: map: IOMMU: iova=0x00000000ffff9000 paddr=0x0000000101d12000 size=4096",
		  "expected '[CPU]' before the flags, found 'dd-129'" },
		{ "                dd     [000] d..1.     3.949790: map: IOMMU: iova=0x00000000ffff9000 paddr=0x0000000101d12000 size=4096",
		  "expected 'TASK-PID' before the CPU column" },
	};
	char path[PATH_BYTES], text[1024], msg[ERR_BYTES];
	struct got g;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), "# tracer: nop\n%s\n", cases[i].line);
		tmp_text(path, "one-bad.ftrace", text);
		read_trace(path, false, &g);
		assert_int_equal(g.last, -1);
		snprintf(msg, sizeof(msg), "%s:2: %s", path, cases[i].why);
		assert_string_equal(g.err, msg);
		assert_null(strchr(g.err, '\n'));
	}
}

static void test_long_line(void **state)
{
	static const char good[] =
		"              dd-129     [000] d..1.     3.949760: map: IOMMU: iova=0x00000000ffff9000 - 0x00000000ffffa000 paddr=0x0000000101d12000 size=4096\n";
	char path[PATH_BYTES], msg[ERR_BYTES];
	size_t len = 0;
	char *text = malloc(2 * sizeof(good) + 2 * TRACE_LINE_MAX_BYTES + 16);
	struct got g;

	(void)state;
	assert_non_null(text);
	/* exactly TRACE_LINE_MAX_BYTES: not too long, just not an event */
	len += (size_t)sprintf(text, "%s", good);
	memset(text + len, 'y', TRACE_LINE_MAX_BYTES);
	len += TRACE_LINE_MAX_BYTES;
	text[len++] = '\n';
	len += (size_t)sprintf(text + len, "%s", good);
	tmp_file(path, "max.ftrace", text, len);
	read_trace(path, true, &g);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.st.skipped[TRACE_SKIP_BAD_PREFIX], 1);
	assert_int_equal(g.st.skipped[TRACE_SKIP_LINE_TOO_LONG], 0);

	/* one more byte: too long, and the line after it is still line 3 */
	len = (size_t)sprintf(text, "%s", good);
	memset(text + len, 'y', TRACE_LINE_MAX_BYTES + 1);
	len += TRACE_LINE_MAX_BYTES + 1;
	text[len++] = '\n';
	len += (size_t)sprintf(text + len, "%s", good);
	len += (size_t)sprintf(text + len, "bad\n");
	tmp_file(path, "long.ftrace", text, len);
	free(text);
	read_trace(path, false, &g);
	assert_int_equal(g.last, -1);
	snprintf(msg, sizeof(msg), "%s:2: line longer than %u bytes", path, TRACE_LINE_MAX_BYTES);
	assert_string_equal(g.err, msg);
	read_trace(path, true, &g);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.st.skipped[TRACE_SKIP_LINE_TOO_LONG], 1);
	assert_int_equal(g.st.skipped[TRACE_SKIP_BAD_PREFIX], 1);
	assert_int_equal(g.st.lines, 4);
}

static void test_unknown_format(void **state)
{
	static const unsigned char binary[] = { 0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	char path[PATH_BYTES], msg[ERR_BYTES];
	struct got g;

	(void)state;
	tmp_text(path, "words.txt", "hello\nworld\n");
	read_trace(path, false, &g);
	assert_int_equal(g.open_ret, -EINVAL);
	snprintf(msg, sizeof(msg), "%s: unknown format: no ftrace, trace-cmd report or perf script event line in the first 2 lines", path);
	assert_string_equal(g.err, msg);

	tmp_file(path, "elf.bin", binary, sizeof(binary));
	read_trace(path, true, &g);
	assert_int_equal(g.open_ret, -EINVAL);
	snprintf(msg, sizeof(msg), "%s: unknown format: binary data that is neither .ptb nor trace.dat", path);
	assert_string_equal(g.err, msg);

	read_trace(DATA "no-such-trace.ftrace", false, &g);
	assert_int_equal(g.open_ret, -ENOENT);
	assert_string_equal(g.err, DATA "no-such-trace.ftrace: No such file or directory");
}

static void test_empty_file(void **state)
{
	char path[PATH_BYTES], msg[ERR_BYTES];
	struct got g;

	(void)state;
	tmp_text(path, "empty", "");
	read_trace(path, false, &g);
	assert_int_equal(g.open_ret, -EINVAL);
	snprintf(msg, sizeof(msg), "%s: empty file: no trace format to detect", path);
	assert_string_equal(g.err, msg);
	/* a gzip stream of nothing is an empty file too */
	tmp_gzip(path, "empty.gz", "", 0);
	read_trace(path, false, &g);
	assert_int_equal(g.open_ret, -EINVAL);
	snprintf(msg, sizeof(msg), "%s: empty file: no trace format to detect", path);
	assert_string_equal(g.err, msg);
}

/* A trace with its headers and no event: the format, 0 events, a clean end. */
static void test_headers_only(void **state)
{
	static const struct { const char *name, *text; enum trace_format format; uint64_t lines; } cases[] = {
		{ "h.ftrace", "# tracer: nop\n#\n# entries-in-buffer/entries-written: 0/0   #P:4\n#\n",
		  TRACE_FORMAT_FTRACE, 4 },
		{ "h.trace-cmd.txt", "version = 6\ncpus=4\nCPU 0 is empty\nCPU 1 is empty\n",
		  TRACE_FORMAT_TRACE_CMD, 4 },
		{ "h.perf.txt", "# ========\n# captured on    : Mon Nov 23 09:57:47 2026\n# ========\n#\n",
		  TRACE_FORMAT_PERF, 4 },
	};
	char path[PATH_BYTES], err[ERR_BYTES];
	struct ptb_writer *w;
	struct got g;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tmp_text(path, cases[i].name, cases[i].text);
		read_trace(path, false, &g);
		assert_int_equal(g.open_ret, 0);
		assert_int_equal(g.format, cases[i].format);
		assert_int_equal(g.last, 0);
		assert_int_equal(g.n, 0);
		assert_int_equal(g.st.lines, cases[i].lines);
		assert_int_equal(g.st.bad_lines_skipped, 0);
	}
	/* a .ptb with its header and no record */
	snprintf(path, sizeof(path), "%s/h.ptb", tmp_dir);
	assert_int_equal(ptb_writer_open(path, "test", &w, err, sizeof(err)), 0);
	assert_int_equal(ptb_writer_close(w, err, sizeof(err)), 0);
	read_trace(path, false, &g);
	assert_int_equal(g.format, TRACE_FORMAT_PTB);
	assert_int_equal(g.last, 0);
	assert_int_equal(g.n, 0);
	assert_int_equal(g.st.lines, 0);
}

/* Forcing a format skips detection, never the format's own checks. */
static void test_forced_format(void **state)
{
	struct trace_open_opts opts = { .force_format = true };
	struct got g;

	(void)state;
	opts.format = TRACE_FORMAT_PTB;
	read_opts(DATA "small.ftrace", &opts, &g);
	assert_int_equal(g.open_ret, -EINVAL);
	assert_string_equal(g.err, DATA "small.ftrace: not a .ptb: the file does not start with \"PTBTRACE\"");
	opts.format = TRACE_FORMAT_FTRACE;
	read_opts(DATA "small.trace.dat", &opts, &g);
	assert_int_equal(g.last, -1);
	assert_string_equal(g.err, DATA "small.trace.dat:1: NUL byte in a text line");
	/* small.ptb holds no '\n' byte: one line, cut short */
	read_opts(DATA "small.ptb", &opts, &g);
	assert_int_equal(g.last, -1);
	assert_string_equal(g.err, DATA "small.ptb:1: last line has no newline: the trace was cut short");
	opts.format = TRACE_FORMAT_TRACE_DAT;
	read_opts(DATA "small.perf.txt", &opts, &g);
	assert_int_equal(g.open_ret, -EINVAL);
	assert_string_equal(g.err, DATA "small.perf.txt: not a readable trace.dat: bad magic, version or compression");
	/* the right format forced reads as detected */
	opts.format = TRACE_FORMAT_PERF;
	read_opts(DATA "small.perf.txt", &opts, &g);
	check_all_events(&g, HAS_CP);
	opts.format = TRACE_FORMAT_NR;
	read_opts(DATA "small.perf.txt", &opts, &g);
	assert_int_equal(g.open_ret, -EINVAL);
	assert_string_equal(g.err, DATA "small.perf.txt: unknown format 5 forced");
}

/* ---- .ptb: writer and reader, header rules ---- */

static const struct trace_event full[] = {
	{ .ts_ns = 1, .iova = 0xfffff000, .paddr = 0xfffffffff000ull, .size_bytes = 4096,
	  .domain = 7, .gfp = 0x2800, .pid = 4294967295u, .cpu = 65535, .op = TRACE_OP_MAP,
	  .ctx = TRACE_CTX_IRQS_OFF | TRACE_CTX_HARDIRQ | TRACE_CTX_SOFTIRQ | TRACE_CTX_NMI |
		 TRACE_CTX_PREEMPT_OFF,
	  .has = TRACE_HAS_CPU | TRACE_HAS_CTX | TRACE_HAS_DOMAIN | TRACE_HAS_GFP | TRACE_HAS_PID },
	{ .ts_ns = UINT64_MAX, .iova = UINT64_MAX, .size_bytes = UINT64_MAX,
	  .unmapped_bytes = UINT64_MAX - 1, .domain = UINT32_MAX, .gfp = UINT32_MAX, .pid = 1,
	  .cpu = 3, .op = TRACE_OP_UNMAP, .ctx = TRACE_CTX_SOFTIRQ,
	  .has = TRACE_HAS_CPU | TRACE_HAS_CTX | TRACE_HAS_DOMAIN | TRACE_HAS_GFP | TRACE_HAS_PID },
	{ .ts_ns = 1000, .iova = 0x100000, .paddr = 0x40000000, .size_bytes = 1 << 20,
	  .domain = 1, .gfp = 0x820, .pid = 310, .cpu = 2, .op = TRACE_OP_MAP, .ctx = 0,
	  .has = TRACE_HAS_CPU | TRACE_HAS_CTX | TRACE_HAS_DOMAIN | TRACE_HAS_GFP | TRACE_HAS_PID },
};

static void write_ptb(const char *path, const struct trace_event *ev, size_t n)
{
	struct ptb_writer *w;
	char err[ERR_BYTES];

	assert_int_equal(ptb_writer_open(path, "test:round-trip", &w, err, sizeof(err)), 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(ptb_writer_write(w, &ev[i]), 0);
	assert_int_equal(ptb_writer_close(w, err, sizeof(err)), 0);
}

static void test_ptb_round_trip(void **state)
{
	static const char *const names[] = { "full.ptb", "full.ptb.gz" };
	unsigned char *bytes;
	char path[PATH_BYTES];
	size_t len;
	struct got g;

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", tmp_dir, names[i]);
		write_ptb(path, full, 3);
		read_trace(path, false, &g);
		assert_int_equal(g.format, TRACE_FORMAT_PTB);
		assert_int_equal(g.last, 0);
		assert_int_equal(g.n, 3);
		for (size_t k = 0; k < 3; k++)
			assert_memory_equal(&g.ev[k], &full[k], sizeof(full[k]));
		assert_int_equal(g.st.maps, 2);
		assert_int_equal(g.st.unmaps, 1);
	}
	/* the bytes of the plain file: workloads/README.md's layout */
	snprintf(path, sizeof(path), "%s/full.ptb", tmp_dir);
	bytes = slurp(path, &len);
	assert_int_equal(len, PTB_HEADER_COUNTS_BYTES + 3 * 56);
	assert_memory_equal(bytes, "PTBTRACE\1\0\0\0\120\0\0\0\70\0\0\0\37\0\0\0\3\0\0\0\0\0\0\0", 32);
	assert_memory_equal(bytes + 32, "\0\0\0\0\0\0\0\0test:round-trip\0\0\0\0\0\0\0\0\0", 32);
	/* the counts (struct ptb_header_counts): nothing lost, nothing left out */
	assert_memory_equal(bytes + 64, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);
	/* record 0: ts 1, iova, paddr, size, unmapped 0, domain 7, gfp, pid, cpu, op 1, ctx 0x1f */
	assert_memory_equal(bytes + PTB_HEADER_COUNTS_BYTES,
			    "\1\0\0\0\0\0\0\0" "\0\360\377\377\0\0\0\0" "\0\360\377\377\377\377\0\0"
			    "\0\20\0\0\0\0\0\0" "\0\0\0\0\0\0\0\0" "\7\0\0\0" "\0\50\0\0"
			    "\377\377\377\377" "\377\377" "\1" "\37", 56);
	free(bytes);

	/* fields not carried by every event are carried by none (header flags = AND) */
	{
		struct trace_event mixed[2] = { full[0], full[2] };

		mixed[1].has &= (uint8_t)~(TRACE_HAS_DOMAIN | TRACE_HAS_GFP);
		snprintf(path, sizeof(path), "%s/mixed.ptb", tmp_dir);
		write_ptb(path, mixed, 2);
		read_trace(path, false, &g);
		assert_int_equal(g.n, 2);
		for (size_t k = 0; k < 2; k++) {
			assert_int_equal(g.ev[k].has, TRACE_HAS_CPU | TRACE_HAS_CTX | TRACE_HAS_PID);
			assert_int_equal(g.ev[k].domain, 0);
			assert_int_equal(g.ev[k].gfp, 0);
			assert_int_equal(g.ev[k].cpu, mixed[k].cpu);
			assert_int_equal(g.ev[k].pid, mixed[k].pid);
		}
	}
}

/* Patch a little-endian u32 into a copy of full.ptb and try to read it. */
static void patched_ptb(const char *name, size_t offset, uint32_t value, struct got *g,
			char *path)
{
	unsigned char buf[PTB_HEADER_COUNTS_BYTES + 3 * 56];
	char src[PATH_BYTES];

	snprintf(src, sizeof(src), "%s/src.ptb", tmp_dir);
	write_ptb(src, full, 3);
	{
		size_t len;
		unsigned char *bytes = slurp(src, &len);

		assert_int_equal(len, sizeof(buf));
		memcpy(buf, bytes, len);
		free(bytes);
	}
	for (int i = 0; i < 4; i++)
		buf[offset + i] = (unsigned char)(value >> (8 * i));
	tmp_file(path, name, buf, sizeof(buf));
	read_trace(path, false, g);
}

/*
 * The 3-record .ptb @buf with one bad record: strict, @n_before events then
 * "PATH: @why"; with skip_bad the other two events (in @g), one counted.
 */
static void check_bad_record(const char *name, const unsigned char *buf, size_t len,
			     size_t n_before, const char *why, struct got *g)
{
	char path[PATH_BYTES], msg[ERR_BYTES];

	tmp_file(path, name, buf, len);
	read_trace(path, false, g);
	assert_int_equal(g->last, -1);
	assert_int_equal(g->n, n_before);
	snprintf(msg, sizeof(msg), "%s: %s", path, why);
	assert_string_equal(g->err, msg);
	read_trace(path, true, g);
	assert_int_equal(g->last, 0);
	assert_int_equal(g->n, 2);
	assert_int_equal(g->st.skipped[TRACE_SKIP_BAD_RECORD], 1);
	assert_int_equal(g->st.bad_lines_skipped, 1);
	assert_int_equal(g->st.lines, 3);
}

static void test_ptb_header_rules(void **state)
{
	static const struct { size_t offset; uint32_t value; const char *why; } bad[] = {
		{ 8, 2, "ptb version 2: this reader reads version 1 only" },
		{ 8, 0, "ptb version 0: this reader reads version 1 only" },
		{ 12, 60, "ptb header_bytes 60: expected a multiple of 8 in [64, 4096]" },
		{ 16, 57, "ptb record_bytes 57: expected a multiple of 8 in [56, 4096]" },
		{ 20, 0x3f, "ptb flags 0x3f: unknown bits 0x20" },
		{ 24, 4, "header says 4 records, the file holds 3" },
		{ 32, 61, "ptb gfp_kver 61: this reader knows 0 only (ptbench's gfp bits, those of 4.19)" },
		{ 0, 0x52544250, "not a .ptb: the file does not start with \"PTBTRACE\"" },
	};
	char path[PATH_BYTES], msg[ERR_BYTES];
	struct got g;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct trace_open_opts force = { .force_format = true, .format = TRACE_FORMAT_PTB };

		patched_ptb("patched.ptb", bad[i].offset, bad[i].value, &g, path);
		if (bad[i].offset == 0)		/* a bad magic is not detected as .ptb at all */
			read_opts(path, &force, &g);
		assert_int_equal(g.open_ret, -EINVAL);
		snprintf(msg, sizeof(msg), "%s: %s", path, bad[i].why);
		assert_string_equal(g.err, msg);
	}
	/* nr_records 0: unknown, the length decides */
	patched_ptb("unknown-count.ptb", 24, 0, &g, path);
	assert_int_equal(g.last, 0);
	assert_int_equal(g.n, 3);
	/* an op that is neither map nor unmap: a bad record, counted with skip_bad */
	{
		unsigned char buf[PTB_HEADER_COUNTS_BYTES + 3 * 56];
		size_t len;
		unsigned char *bytes;

		snprintf(path, sizeof(path), "%s/src.ptb", tmp_dir);
		bytes = slurp(path, &len);
		memcpy(buf, bytes, sizeof(buf));
		free(bytes);
		buf[PTB_HEADER_COUNTS_BYTES + 56 + 54] = 7;
		check_bad_record("bad-op.ptb", buf, sizeof(buf), 1,
				 "record 1: op 7 is neither 1 (map) nor 2 (unmap)", &g);
		assert_memory_equal(&g.ev[1], &full[2], sizeof(full[2]));

		/* a ctx bit v1 does not define (0x20): a bad record too */
		buf[PTB_HEADER_COUNTS_BYTES + 56 + 54] = TRACE_OP_UNMAP;
		buf[PTB_HEADER_COUNTS_BYTES + 2 * 56 + 55] = 0x21;
		check_bad_record("bad-ctx.ptb", buf, sizeof(buf), 2,
				 "record 2: ctx 0x21 has bits v1 does not define (0x20)", &g);

		/* what an op does not have reads as 0: an unmap's paddr, a map's unmapped */
		buf[PTB_HEADER_COUNTS_BYTES + 2 * 56 + 55] = 0;
		memset(buf + PTB_HEADER_COUNTS_BYTES + 56 + 16, 0xee, 8);		/* unmap record 1: paddr */
		memset(buf + PTB_HEADER_COUNTS_BYTES + 32, 0xee, 8);			/* map record 0: unmapped */
		tmp_file(path, "stray.ptb", buf, sizeof(buf));
		read_trace(path, false, &g);
		assert_int_equal(g.n, 3);
		for (size_t k = 0; k < 3; k++)
			assert_memory_equal(&g.ev[k], &full[k], sizeof(full[k]));
	}
}

/*
 * How .ptb grows (workloads/README.md): a longer header or longer records
 * are read by this reader, which skips the bytes it does not know.
 */
/* @path holds full[] whole, and the header's counts are @lost and @skipped. */
static void expect_full(const char *path, uint64_t lost, uint64_t skipped)
{
	struct got g;

	read_trace(path, false, &g);
	assert_int_equal(g.last, 0);
	assert_int_equal(g.n, 3);
	assert_int_equal(g.st.lost_events, lost);
	assert_int_equal(g.st.converted_skipped, skipped);
	for (size_t k = 0; k < 3; k++)
		assert_memory_equal(&g.ev[k], &full[k], sizeof(full[k]));
}

static void test_ptb_extension(void **state)
{
	unsigned char buf[96 + 3 * 64], *bytes;
	char path[PATH_BYTES];
	size_t len;

	(void)state;
	snprintf(path, sizeof(path), "%s/v1.ptb", tmp_dir);
	write_ptb(path, full, 3);
	bytes = slurp(path, &len);
	/* 72 bytes: a longer header, too short for the counts (they read as 0) */
	memset(buf, 0xa5, sizeof(buf));		/* the unknown bytes: anything */
	memcpy(buf, bytes, 64);
	buf[12] = 72;				/* header_bytes */
	buf[16] = 64;				/* record_bytes */
	for (int i = 0; i < 3; i++)
		memcpy(buf + 72 + 64 * i, bytes + PTB_HEADER_COUNTS_BYTES + 56 * i, 56);
	tmp_file(path, "v1-longer.ptb", buf, 72 + 3 * 64);
	expect_full(path, 0, 0);
	/* 96 bytes: the counts at 64 and 72, then bytes this reader skips */
	memset(buf, 0xa5, sizeof(buf));
	memcpy(buf, bytes, 64);
	buf[12] = 96;
	buf[16] = 64;
	memcpy(buf + 64, "\x48\0\0\0\0\0\0\0\x03\0\0\0\0\0\0\0", 16);	/* 72 lost, 3 left out */
	for (int i = 0; i < 3; i++)
		memcpy(buf + 96 + 64 * i, bytes + PTB_HEADER_COUNTS_BYTES + 56 * i, 56);
	free(bytes);
	tmp_file(path, "v1-counts.ptb", buf, sizeof(buf));
	expect_full(path, 72, 3);
}

/* ---- what the fuzzers found (tests/data/fuzz-regress/) ---- */

static void test_fuzz_regressions(void **state)
{
	static const char tilde[] = DATA "fuzz-regress/tilde-print-fmt.trace.dat.gz";
	static const char died[] = DATA "fuzz-regress/tilde-print-fmt.trace.dat.gz: trace.dat: libtracecmd died reading this file (";
	struct got g;

	(void)state;
	/*
	 * small.trace.dat with "REC->prev~state" in sched_switch's print fmt:
	 * libtraceevent 1.7.1's tep_parse_event() dereferences NULL (so does
	 * `trace-cmd report`).  The child that reads trace.dat dies; ptbench
	 * says so in one line (Segmentation fault, or exit status 1 under ASan).
	 */
	for (int skip = 0; skip < 2; skip++) {
		read_trace(tilde, skip, &g);
		assert_int_equal(g.open_ret, -EINVAL);
		assert_memory_equal(g.err, died, sizeof(died) - 1);
		assert_non_null(strstr(g.err, "): it is corrupt"));
		assert_null(strchr(g.err, '\n'));
	}
	/*
	 * small.trace.dat cut at 13853 bytes, inside CPU 2's data: libtracecmd
	 * 3.1.6's tracecmd_init_data() fails and its tracecmd_close() then walks
	 * per-CPU lists it never set up.  The per-CPU table is checked first.
	 */
	read_trace(DATA "fuzz-regress/cut-cpu-data.trace.dat.gz", false, &g);
	assert_int_equal(g.open_ret, -EINVAL);
	assert_string_equal(g.err, DATA "fuzz-regress/cut-cpu-data.trace.dat.gz: trace.dat: CPU 2 data [12288, +4096 bytes) runs past the end of the file at 13853 bytes (the file is truncated)");
}

/* ---- setup ---- */

static int make_tmp_dir(void **state)
{
	const char *tmp = getenv("TMPDIR");

	(void)state;
	snprintf(tmp_dir, sizeof(tmp_dir), "%s/ptbench-test-trace.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	return mkdtemp(tmp_dir) ? 0 : -1;
}

static int remove_tmp_dir(void **state)
{
	char cmd[PATH_BYTES + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_format),
		cmocka_unit_test(test_gzip_transparent),
		cmocka_unit_test(test_tracedat_v7),
		cmocka_unit_test(test_tracedat_close_early),
		cmocka_unit_test(test_gzip_tail),
		cmocka_unit_test(test_tracedat_gzip_bomb),
		cmocka_unit_test(test_lost_events),
		cmocka_unit_test(test_perf_lines),
		cmocka_unit_test(test_comm_like_timestamp),
		cmocka_unit_test(test_bad_hex),
		cmocka_unit_test(test_bad_truncated_line),
		cmocka_unit_test(test_bad_gzip),
		cmocka_unit_test(test_bad_truncated_ptb),
		cmocka_unit_test(test_skip_reasons),
		cmocka_unit_test(test_bad_line_messages),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_unknown_format),
		cmocka_unit_test(test_empty_file),
		cmocka_unit_test(test_headers_only),
		cmocka_unit_test(test_forced_format),
		cmocka_unit_test(test_ptb_round_trip),
		cmocka_unit_test(test_ptb_header_rules),
		cmocka_unit_test(test_ptb_extension),
		cmocka_unit_test(test_fuzz_regressions),
	};

	return cmocka_run_group_tests_name("trace", tests, make_tmp_dir, remove_tmp_dir);
}
