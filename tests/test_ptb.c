// SPDX-License-Identifier: GPL-2.0
/*
 * test_ptb.c - the .ptb format (workloads/ptb.c, ptb_writer.c): the writer and
 * the reader agree on every field, the header rules (each bad field's exact
 * error, strict and with skip_bad), and how the format grows (a longer header
 * or longer records read by this reader).
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ptb_round_trip),
		cmocka_unit_test(test_ptb_header_rules),
		cmocka_unit_test(test_ptb_extension),
	};

	return cmocka_run_group_tests_name("ptb", tests, make_tmp_dir, remove_tmp_dir);
}
