// SPDX-License-Identifier: GPL-2.0
/*
 * test_ptb_decode.c - the .ptb v1 decoder ptbench and both kernel modules
 * compile (workloads/ptb_decode.c): each check's exact reason, the fields of
 * a record, the fields a header does not promise read as 0, and a reason cut
 * to a small buffer.  tests/cli/test_ptb_refusals.sh holds the module to the
 * same reasons in the guest.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ptb_decode.h"

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void put64(unsigned char *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/* A v1 header: 64-byte header, 56-byte records, @flags, @nr records. */
static void header(unsigned char *h, uint32_t flags, uint64_t nr)
{
	memset(h, 0, PTB_HEADER_BYTES);
	memcpy(h, PTB_MAGIC, 8);
	put32(h + 8, PTB_VERSION);
	put32(h + 12, PTB_HEADER_BYTES);
	put32(h + 16, PTB_RECORD_BYTES);
	put32(h + 20, flags);
	put64(h + 24, nr);
}

/* The reason ptb_decode_header() gives for @h (or "" when it accepts it). */
static const char *header_reason(const unsigned char *h, uint64_t bytes)
{
	static char err[PTB_ERR_BYTES];
	struct ptb_layout l;

	err[0] = '\0';
	if (!ptb_decode_header(h, bytes, &l, err, sizeof(err)))
		assert_string_equal(err, "");
	return err;
}

static void test_header_checks(void **state)
{
	unsigned char h[PTB_HEADER_BYTES];
	struct ptb_layout l;
	char err[PTB_ERR_BYTES];

	(void)state;
	header(h, PTB_F_CPU | PTB_F_DOMAIN | PTB_F_GFP, 3);
	assert_int_equal(ptb_decode_header(h, sizeof(h), &l, err, sizeof(err)), 0);
	assert_int_equal(l.header_bytes, 64);
	assert_int_equal(l.record_bytes, 56);
	assert_int_equal(l.nr_records, 3);
	assert_int_equal(l.has, TRACE_HAS_CPU | TRACE_HAS_DOMAIN | TRACE_HAS_GFP);

	assert_string_equal(header_reason(h, 40), "ptb header cut short: 40 of 64 bytes");
	h[0] = 'X';
	assert_string_equal(header_reason(h, sizeof(h)),
			    "not a .ptb: the file does not start with \"PTBTRACE\"");
	header(h, 0, 0);
	put32(h + 8, 2);
	assert_string_equal(header_reason(h, sizeof(h)), "ptb version 2: this reader reads version 1 only");
	header(h, 0, 0);
	put32(h + 12, 60);
	assert_string_equal(header_reason(h, sizeof(h)),
			    "ptb header_bytes 60: expected a multiple of 8 in [64, 4096]");
	header(h, 0, 0);
	put32(h + 16, 4104);
	assert_string_equal(header_reason(h, sizeof(h)),
			    "ptb record_bytes 4104: expected a multiple of 8 in [56, 4096]");
	header(h, PTB_F_CPU | 0x140, 0);
	assert_string_equal(header_reason(h, sizeof(h)), "ptb flags 0x141: unknown bits 0x140");
	header(h, PTB_F_GFP, 0);
	put32(h + 32, 7);
	assert_string_equal(header_reason(h, sizeof(h)),
			    "ptb gfp_kver 7: this reader knows 0 only (ptbench's gfp bits, those of 4.19)");
	/* gfp_kver numbers the gfp field: without PTB_F_GFP it means nothing */
	header(h, 0, 0);
	put32(h + 32, 7);
	assert_string_equal(header_reason(h, sizeof(h)), "");
}

static void test_length_checks(void **state)
{
	unsigned char h[PTB_HEADER_BYTES];
	struct ptb_layout l;
	char err[PTB_ERR_BYTES];

	(void)state;
	header(h, 0, 2);
	assert_int_equal(ptb_decode_header(h, sizeof(h), &l, err, sizeof(err)), 0);
	assert_int_equal(ptb_check_length(&l, 64 + 2 * 56, err, sizeof(err)), 0);
	assert_int_equal(ptb_check_length(&l, 64 + 56 + 20, err, sizeof(err)), -1);
	assert_string_equal(err, "record 1 cut short: 20 of 56 bytes (the file is truncated)");
	assert_int_equal(ptb_check_length(&l, 64 + 3 * 56, err, sizeof(err)), -1);
	assert_string_equal(err, "header says 2 records, the file holds 3");
	/* nr_records 0: unknown, any whole number of records */
	l.nr_records = 0;
	assert_int_equal(ptb_check_length(&l, 64 + 5 * 56, err, sizeof(err)), 0);
	/* a longer header (a later version's) must be there whole */
	l.header_bytes = 72;
	assert_int_equal(ptb_check_length(&l, 68, err, sizeof(err)), -1);
	assert_string_equal(err, "ptb header cut short: 68 of 72 bytes");
}

static void record(unsigned char *b, uint8_t op, uint8_t ctx)
{
	memset(b, 0, PTB_RECORD_BYTES);
	put64(b + 0, 1000);			/* ts_ns */
	put64(b + 8, 0x100000);			/* iova */
	put64(b + 16, 0x80000000);		/* paddr */
	put64(b + 24, 0x1000);			/* size_bytes */
	put64(b + 32, 0x1000);			/* unmapped_bytes */
	put32(b + 40, 7);			/* domain */
	put32(b + 44, 0x480020);		/* gfp */
	put32(b + 48, 42);			/* pid */
	b[52] = 3;				/* cpu */
	b[54] = op;
	b[55] = ctx;
}

static void test_records(void **state)
{
	unsigned char h[PTB_HEADER_BYTES], b[PTB_RECORD_BYTES];
	struct trace_event ev;
	struct ptb_layout l;
	char err[PTB_ERR_BYTES];

	(void)state;
	header(h, PTB_F_ALL, 0);
	assert_int_equal(ptb_decode_header(h, sizeof(h), &l, err, sizeof(err)), 0);
	record(b, TRACE_OP_MAP, TRACE_CTX_SOFTIRQ);
	assert_int_equal(ptb_decode_record(&l, b, 0, &ev, err, sizeof(err)), 0);
	assert_int_equal(ev.ts_ns, 1000);
	assert_int_equal(ev.iova, 0x100000);
	assert_int_equal(ev.paddr, 0x80000000);
	assert_int_equal(ev.size_bytes, 0x1000);
	assert_int_equal(ev.unmapped_bytes, 0);	/* a map has none */
	assert_int_equal(ev.domain, 7);
	assert_int_equal(ev.gfp, 0x480020);
	assert_int_equal(ev.pid, 42);
	assert_int_equal(ev.cpu, 3);
	assert_int_equal(ev.ctx, TRACE_CTX_SOFTIRQ);
	assert_int_equal(ev.has, TRACE_HAS_CPU | TRACE_HAS_CTX | TRACE_HAS_DOMAIN | TRACE_HAS_GFP |
				 TRACE_HAS_PID);

	/* a header that promises nothing: every optional field reads as 0 */
	header(h, 0, 0);
	assert_int_equal(ptb_decode_header(h, sizeof(h), &l, err, sizeof(err)), 0);
	record(b, TRACE_OP_UNMAP, 0xe0);	/* ctx bits unchecked: the header has no ctx */
	assert_int_equal(ptb_decode_record(&l, b, 0, &ev, err, sizeof(err)), 0);
	assert_int_equal(ev.paddr, 0);		/* an unmap has none */
	assert_int_equal(ev.unmapped_bytes, 0x1000);
	assert_int_equal(ev.cpu + ev.ctx + ev.domain + ev.gfp + ev.pid + ev.has, 0);

	record(b, 0, 0);
	assert_int_equal(ptb_decode_record(&l, b, 12, &ev, err, sizeof(err)), -1);
	assert_string_equal(err, "record 12: op 0 is neither 1 (map) nor 2 (unmap)");
	header(h, PTB_F_CTX, 0);
	assert_int_equal(ptb_decode_header(h, sizeof(h), &l, err, sizeof(err)), 0);
	record(b, TRACE_OP_MAP, 0x21);
	assert_int_equal(ptb_decode_record(&l, b, 5, &ev, err, sizeof(err)), -1);
	assert_string_equal(err, "record 5: ctx 0x21 has bits v1 does not define (0x20)");
}

/* A reason longer than the buffer is cut, NUL-terminated. */
static void test_reason_cut(void **state)
{
	char err[12];

	(void)state;
	memset(err, 'x', sizeof(err));
	ptb_err_count(err, sizeof(err), 18446744073709551615ull, 1);
	assert_string_equal(err, "header says");
	ptb_err_count(err, 0, 1, 2);		/* nothing written */
	assert_string_equal(err, "header says");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_checks),
		cmocka_unit_test(test_length_checks),
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_reason_cut),
	};

	return cmocka_run_group_tests_name("ptb_decode", tests, NULL, NULL);
}
