// SPDX-License-Identifier: GPL-2.0
/*
 * ptb_decode.c - the .ptb v1 decoder of ptbench and of both kernel modules
 * (ptb_decode.h).  Freestanding: the reasons are built by the few helpers
 * below, not printf, so the module and the host print the same bytes.
 *
 * Fields are read byte by byte in little-endian, never by casting the packed
 * structs, so a big-endian host reads the same file.
 */
#include "ptb_decode.h"

#define PTB_CTX_ALL	(TRACE_CTX_IRQS_OFF | TRACE_CTX_HARDIRQ | TRACE_CTX_SOFTIRQ | \
			 TRACE_CTX_NMI | TRACE_CTX_PREEMPT_OFF)

static uint16_t get_le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get_le64(const unsigned char *p)
{
	return (uint64_t)get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

/* ---- the reason, one line: strings, decimals and hex appended, cut at the end ---- */

struct msg {
	char *buf;
	size_t cap, len;		/* len < cap; buf[len] == '\0' */
};

static struct msg msg_start(char *buf, size_t cap)
{
	struct msg m = { .buf = buf, .cap = cap, .len = 0 };

	if (cap)
		buf[0] = '\0';
	return m;
}

static void put_c(struct msg *m, char c)
{
	if (m->len + 1 >= m->cap)
		return;
	m->buf[m->len++] = c;
	m->buf[m->len] = '\0';
}

static void put_s(struct msg *m, const char *s)
{
	while (*s)
		put_c(m, *s++);
}

/* @v in base @base (10 or 16), at least @min_digits digits. */
static void put_num(struct msg *m, uint64_t v, unsigned int base, unsigned int min_digits)
{
	char digits[20];
	unsigned int n = 0;

	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n < min_digits && n < sizeof(digits))
		digits[n++] = '0';
	while (n)
		put_c(m, digits[--n]);
}

static void put_u(struct msg *m, uint64_t v)
{
	put_num(m, v, 10, 1);
}

static void put_x(struct msg *m, uint64_t v, unsigned int min_digits)
{
	put_s(m, "0x");
	put_num(m, v, 16, min_digits);
}

void ptb_err_header_short(char *err, size_t err_bytes, uint64_t got_bytes, uint32_t header_bytes)
{
	struct msg m = msg_start(err, err_bytes);

	put_s(&m, "ptb header cut short: ");
	put_u(&m, got_bytes);
	put_s(&m, " of ");
	put_u(&m, header_bytes);
	put_s(&m, " bytes");
}

void ptb_err_record_short(char *err, size_t err_bytes, uint64_t idx, uint64_t got_bytes,
			  uint32_t record_bytes)
{
	struct msg m = msg_start(err, err_bytes);

	put_s(&m, "record ");
	put_u(&m, idx);
	put_s(&m, " cut short: ");
	put_u(&m, got_bytes);
	put_s(&m, " of ");
	put_u(&m, record_bytes);
	put_s(&m, " bytes (the file is truncated)");
}

void ptb_err_count(char *err, size_t err_bytes, uint64_t declared, uint64_t held)
{
	struct msg m = msg_start(err, err_bytes);

	put_s(&m, "header says ");
	put_u(&m, declared);
	put_s(&m, " records, the file holds ");
	put_u(&m, held);
}

/* "ptb NAME V: expected a multiple of 8 in [LO, PTB_BLOCK_MAX_BYTES]" */
static void err_size(char *err, size_t err_bytes, const char *name, uint32_t v, uint32_t lo)
{
	struct msg m = msg_start(err, err_bytes);

	put_s(&m, "ptb ");
	put_s(&m, name);
	put_c(&m, ' ');
	put_u(&m, v);
	put_s(&m, ": expected a multiple of 8 in [");
	put_u(&m, lo);
	put_s(&m, ", ");
	put_u(&m, PTB_BLOCK_MAX_BYTES);
	put_c(&m, ']');
}

static bool size_ok(uint32_t v, uint32_t lo)
{
	return v >= lo && v <= PTB_BLOCK_MAX_BYTES && !(v % 8);
}

static uint8_t has_from_flags(uint32_t flags)
{
	return (uint8_t)(((flags & PTB_F_CPU) ? TRACE_HAS_CPU : 0) |
			 ((flags & PTB_F_CTX) ? TRACE_HAS_CTX : 0) |
			 ((flags & PTB_F_DOMAIN) ? TRACE_HAS_DOMAIN : 0) |
			 ((flags & PTB_F_GFP) ? TRACE_HAS_GFP : 0) |
			 ((flags & PTB_F_PID) ? TRACE_HAS_PID : 0));
}

int ptb_decode_header(const unsigned char *h, uint64_t bytes, struct ptb_layout *l,
		      char *err, size_t err_bytes)
{
	struct msg m;
	uint32_t version, gfp_kver;
	unsigned int i;

	*l = (struct ptb_layout){ 0 };
	if (bytes < PTB_HEADER_BYTES) {
		ptb_err_header_short(err, err_bytes, bytes, PTB_HEADER_BYTES);
		return -1;
	}
	for (i = 0; i < 8; i++) {
		if (h[i] != (unsigned char)PTB_MAGIC[i]) {
			m = msg_start(err, err_bytes);
			put_s(&m, "not a .ptb: the file does not start with \"" PTB_MAGIC "\"");
			return -1;
		}
	}
	version = get_le32(h + 8);
	l->header_bytes = get_le32(h + 12);
	l->record_bytes = get_le32(h + 16);
	l->flags = get_le32(h + 20);
	l->nr_records = get_le64(h + 24);
	gfp_kver = get_le32(h + 32);
	if (version != PTB_VERSION) {
		m = msg_start(err, err_bytes);
		put_s(&m, "ptb version ");
		put_u(&m, version);
		put_s(&m, ": this reader reads version ");
		put_u(&m, PTB_VERSION);
		put_s(&m, " only");
		return -1;
	}
	if (!size_ok(l->header_bytes, PTB_HEADER_BYTES)) {
		err_size(err, err_bytes, "header_bytes", l->header_bytes, PTB_HEADER_BYTES);
		return -1;
	}
	if (!size_ok(l->record_bytes, PTB_RECORD_BYTES)) {
		err_size(err, err_bytes, "record_bytes", l->record_bytes, PTB_RECORD_BYTES);
		return -1;
	}
	if (l->flags & ~PTB_F_ALL) {
		m = msg_start(err, err_bytes);
		put_s(&m, "ptb flags ");
		put_x(&m, l->flags, 1);
		put_s(&m, ": unknown bits ");
		put_x(&m, l->flags & ~PTB_F_ALL, 1);
		return -1;
	}
	/* gfp_kver numbers the gfp field's bits: v1 defines 0, ptbench's (gfp.h) */
	if ((l->flags & PTB_F_GFP) && gfp_kver) {
		m = msg_start(err, err_bytes);
		put_s(&m, "ptb gfp_kver ");
		put_u(&m, gfp_kver);
		put_s(&m, ": this reader knows 0 only (ptbench's gfp bits, those of 4.19)");
		return -1;
	}
	l->has = has_from_flags(l->flags);
	if (l->header_bytes >= PTB_HEADER_COUNTS_BYTES && bytes >= PTB_HEADER_COUNTS_BYTES) {
		l->lost_events = get_le64(h + PTB_HEADER_BYTES);
		l->skipped_lines = get_le64(h + PTB_HEADER_BYTES + 8);
	}
	return 0;
}

int ptb_check_length(const struct ptb_layout *l, uint64_t file_bytes, char *err, size_t err_bytes)
{
	uint64_t body, whole;

	if (file_bytes < l->header_bytes) {
		ptb_err_header_short(err, err_bytes, file_bytes, l->header_bytes);
		return -1;
	}
	body = file_bytes - l->header_bytes;
	whole = body / l->record_bytes;
	if (body % l->record_bytes) {
		ptb_err_record_short(err, err_bytes, whole, body % l->record_bytes, l->record_bytes);
		return -1;
	}
	if (l->nr_records && l->nr_records != whole) {
		ptb_err_count(err, err_bytes, l->nr_records, whole);
		return -1;
	}
	return 0;
}

int ptb_decode_record(const struct ptb_layout *l, const unsigned char *b, uint64_t idx,
		      struct trace_event *ev, char *err, size_t err_bytes)
{
	struct msg m;

	*ev = (struct trace_event){
		.ts_ns = get_le64(b + 0),
		.iova = get_le64(b + 8),
		.paddr = get_le64(b + 16),
		.size_bytes = get_le64(b + 24),
		.unmapped_bytes = get_le64(b + 32),
		.domain = get_le32(b + 40),
		.gfp = get_le32(b + 44),
		.pid = get_le32(b + 48),
		.cpu = get_le16(b + 52),
		.op = b[54],
		.ctx = b[55],
		.has = l->has,
	};
	if (ev->op != TRACE_OP_MAP && ev->op != TRACE_OP_UNMAP) {
		m = msg_start(err, err_bytes);
		put_s(&m, "record ");
		put_u(&m, idx);
		put_s(&m, ": op ");
		put_u(&m, ev->op);
		put_s(&m, " is neither 1 (map) nor 2 (unmap)");
		return -1;
	}
	if ((l->has & TRACE_HAS_CTX) && (ev->ctx & ~PTB_CTX_ALL)) {
		m = msg_start(err, err_bytes);
		put_s(&m, "record ");
		put_u(&m, idx);
		put_s(&m, ": ctx ");
		put_x(&m, ev->ctx, 2);
		put_s(&m, " has bits v1 does not define (");
		put_x(&m, ev->ctx & ~PTB_CTX_ALL, 2);
		put_c(&m, ')');
		return -1;
	}
	/* Fields the header does not promise, or the op has not, read as 0 (trace.h). */
	if (ev->op == TRACE_OP_MAP)
		ev->unmapped_bytes = 0;
	else
		ev->paddr = 0;
	if (!(l->has & TRACE_HAS_CPU))
		ev->cpu = 0;
	if (!(l->has & TRACE_HAS_CTX))
		ev->ctx = 0;
	if (!(l->has & TRACE_HAS_DOMAIN))
		ev->domain = 0;
	if (!(l->has & TRACE_HAS_GFP))
		ev->gfp = 0;
	if (!(l->has & TRACE_HAS_PID))
		ev->pid = 0;
	return 0;
}
