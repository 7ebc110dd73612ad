// SPDX-License-Identifier: GPL-2.0
/*
 * test_trace_errors.c - the trace readers (workloads/) on bad input: every
 * bad input is one "FILE[:LINE]: reason" error, or a count by reason with
 * skip_bad; truncated, empty, unknown, headers-only and over-long input, a
 * forced format; the inputs the fuzzers found (tests/data/fuzz-regress/).
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

int main(void)
{
	const struct CMUnitTest tests[] = {
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
		cmocka_unit_test(test_fuzz_regressions),
	};

	return cmocka_run_group_tests_name("trace_errors", tests, make_tmp_dir, remove_tmp_dir);
}
