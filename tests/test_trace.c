// SPDX-License-Identifier: GPL-2.0
/*
 * test_trace.c - the trace readers (workloads/) on good input: every format
 * of tests/data gives the same 36 iommu events scripts/gen-testdata.py wrote,
 * with the fields each format carries; gzip, what follows its last member;
 * trace.dat v7, its reader's child stopped early, a gzip'd trace.dat's
 * version and inflate bound; statistics; lost events; every line form perf
 * script prints.  Bad input: test_trace_errors.c; .ptb: test_ptb.c.
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

#include "read_trace.h"

static uint64_t other_count(const struct trace_read_stats *st, const char *name)
{
	for (uint32_t i = 0; i < st->nr_other_names; i++)
		if (!strcmp(st->other[i].name, name))
			return st->other[i].count;
	return 0;
}

/* ---- every format ---- */

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
	};

	return cmocka_run_group_tests_name("trace", tests, make_tmp_dir, remove_tmp_dir);
}
