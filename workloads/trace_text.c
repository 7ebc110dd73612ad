// SPDX-License-Identifier: GPL-2.0
/*
 * trace_text.c - the text helpers ftrace.c, tracecmd.c and perf.c share:
 * hex and decimal fields, timestamps, the iommu map/unmap payload of both
 * kernel formats (include/trace/events/iommu.h, before and from 5.17) and
 * the flags column.  They see the reader only through trace_reader.h.
 */
#include <string.h>

#include "trace_reader.h"

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int trace_parse_hex(const char **pos, uint64_t *val)
{
	const char *p = *pos;
	uint64_t v = 0;
	int n = 0, d;

	if (p[0] != '0' || (p[1] != 'x' && p[1] != 'X'))
		return -1;
	p += 2;
	while ((d = hex_digit(*p)) >= 0) {
		if (++n > 16)
			return -1;
		v = v << 4 | (uint64_t)d;
		p++;
	}
	if (!n)
		return -1;
	*val = v;
	*pos = p;
	return 0;
}

int trace_parse_dec(const char **pos, uint64_t *val)
{
	const char *p = *pos;
	uint64_t v = 0;

	if (*p < '0' || *p > '9')
		return -1;
	while (*p >= '0' && *p <= '9') {
		uint64_t d = (uint64_t)(*p - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
		p++;
	}
	*val = v;
	*pos = p;
	return 0;
}

int trace_parse_secs(const char **pos, uint64_t *ns)
{
	static const uint64_t scale[10] = { 0, 100000000, 10000000, 1000000, 100000,
					    10000, 1000, 100, 10, 1 };
	const char *p = *pos, *frac;
	uint64_t secs, f;

	if (trace_parse_dec(&p, &secs) < 0 || *p != '.')
		return -1;
	frac = ++p;
	if (trace_parse_dec(&p, &f) < 0 || p - frac > 9)
		return -1;
	if (secs > (UINT64_MAX - 999999999u) / 1000000000u)
		return -1;
	*ns = secs * 1000000000u + f * scale[p - frac];
	*pos = p;
	return 0;
}

const char *trace_find_secs(const char *line, uint64_t *ns, const char **after)
{
	const char *p;

	for (p = line; (p = strchr(p, ' ')); p++) {
		const char *q = p;

		while (*q == ' ')
			q++;
		if (*q >= '0' && *q <= '9') {
			const char *start = q;

			if (!trace_parse_secs(&q, ns) && q[0] == ':' && (q[1] == ' ' || q[1] == '\0')) {
				*after = q[1] ? q + 2 : q + 1;
				return start;
			}
		}
		p = q - 1;
	}
	return NULL;
}

static const char *skip_spaces(const char *p)
{
	while (*p == ' ')
		p++;
	return p;
}

static bool eat(const char **pos, const char *word)
{
	size_t n = strlen(word);

	if (strncmp(*pos, word, n))
		return false;
	*pos += n;
	return true;
}

/* trace_reader_bad()'s 0 (skipped) / -1 (error) as 1 / -1, so 0 can mean "parsed". */
static int bad_result(int bad)
{
	return bad < 0 ? -1 : 1;
}

/*
 * Returns 0 (parsed), 1 (malformed, skipped) or -1 (malformed, error).
 * One "NAME=0x<hex>" or "NAME=<decimal>" field at *pos (the caller has eaten
 * " NAME=").  A digit run followed by a letter or digit is malformed hex
 * ("0x00000000ffff80g0"): say which character and where.
 */
static int iommu_field(struct trace_reader *r, const char **pos, bool hex, const char *what,
		       const char *field, uint64_t *val)
{
	const char *p = *pos;
	int ret = hex ? trace_parse_hex(&p, val) : trace_parse_dec(&p, val);
	const char *bad = ret < 0 ? *pos + (hex && !strncmp(*pos, "0x", 2) ? 2 : 0) : p;

	if (ret == 0 && !((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
			  (*p >= 'A' && *p <= 'Z'))) {
		*pos = p;
		return 0;
	}
	if (ret == 0 || (*bad && *bad != ' '))
		return bad_result(trace_reader_bad(r, TRACE_SKIP_BAD_IOMMU,
					"%s: %s: expected %s, found '%c' at column %ld", what, field,
					hex ? "0x and 1-16 hex digits" : "decimal digits",
					ret == 0 ? *p : *bad, (long)((ret == 0 ? p : bad) - trace_reader_line(r)) + 1));
	return bad_result(trace_reader_bad(r, TRACE_SKIP_BAD_IOMMU, "%s: %s: expected %s at column %ld",
					   what, field, hex ? "0x and 1-16 hex digits" : "decimal digits",
					   (long)(*pos - trace_reader_line(r)) + 1));
}

static int iommu_key(struct trace_reader *r, const char **pos, const char *key, const char *what)
{
	if (eat(pos, key))
		return 0;
	return bad_result(trace_reader_bad(r, TRACE_SKIP_BAD_IOMMU, "%s: expected '%s' at column %ld",
					   what, key, (long)(*pos - trace_reader_line(r)) + 1));
}

int trace_parse_iommu(struct trace_reader *r, enum trace_op op, const char *payload,
		      struct trace_event *ev)
{
	const char *what = op == TRACE_OP_MAP ? "map" : "unmap";
	const char *p = payload;
	uint64_t iova, end = 0, a, b;
	bool is_5_17 = false;
	int ret;

	if ((ret = iommu_key(r, &p, "IOMMU: iova=", what)) ||
	    (ret = iommu_field(r, &p, true, what, "iova", &iova)))
		return ret < 0 ? -1 : 0;
	if (eat(&p, " - ")) {
		/* 5.17+ (94aedac49d92): " - 0x%016llx" == iova + size */
		if ((ret = iommu_field(r, &p, true, what, "iova end", &end)))
			return ret < 0 ? -1 : 0;
		is_5_17 = true;
	}
	if (op == TRACE_OP_MAP) {
		if ((ret = iommu_key(r, &p, " paddr=", what)) ||
		    (ret = iommu_field(r, &p, true, what, "paddr", &a)) ||
		    (ret = iommu_key(r, &p, " size=", what)) ||
		    (ret = iommu_field(r, &p, false, what, "size", &b)))
			return ret < 0 ? -1 : 0;
		ev->paddr = a;
		ev->size_bytes = b;
	} else {
		if ((ret = iommu_key(r, &p, " size=", what)) ||
		    (ret = iommu_field(r, &p, false, what, "size", &a)) ||
		    (ret = iommu_key(r, &p, " unmapped_size=", what)) ||
		    (ret = iommu_field(r, &p, false, what, "unmapped_size", &b)))
			return ret < 0 ? -1 : 0;
		ev->size_bytes = a;
		ev->unmapped_bytes = b;
	}
	p = skip_spaces(p);
	if (*p)
		return trace_reader_bad(r, TRACE_SKIP_BAD_IOMMU,
					"%s: unexpected text after the last field at column %ld: '%.32s'",
					what, (long)(p - trace_reader_line(r)) + 1, p);
	if (is_5_17 && end != iova + ev->size_bytes)
		return trace_reader_bad(r, TRACE_SKIP_BAD_IOMMU,
					"%s: iova end 0x%016llx is not iova + size 0x%016llx", what,
					(unsigned long long)end,
					(unsigned long long)(iova + ev->size_bytes));
	ev->op = op;
	ev->iova = iova;
	trace_reader_count_iommu(r, is_5_17);
	return 1;
}

int trace_parse_ctx(const char *flags, size_t flags_bytes, uint8_t *ctx_out)
{
	uint8_t ctx = 0;

	if (flags_bytes < 3 || flags_bytes > 5)
		return -1;
	/* kernel/trace/trace_output.c:trace_print_lat_fmt(): irqs-off */
	switch (flags[0]) {
	case 'd': case 'D': ctx |= TRACE_CTX_IRQS_OFF; break;
	case 'b': case 'X': case '.': break;
	default: return -1;
	}
	/* need-resched: not a context */
	switch (flags[1]) {
	case 'N': case 'n': case 'p': case '.': break;
	default: return -1;
	}
	switch (flags[2]) {
	case 'Z': ctx |= TRACE_CTX_NMI | TRACE_CTX_HARDIRQ; break;
	case 'z': ctx |= TRACE_CTX_NMI; break;
	case 'H': ctx |= TRACE_CTX_HARDIRQ | TRACE_CTX_SOFTIRQ; break;
	case 'h': ctx |= TRACE_CTX_HARDIRQ; break;
	case 's': ctx |= TRACE_CTX_SOFTIRQ; break;
	case '.': break;
	default: return -1;
	}
	/* preempt-depth (hex digit or '.'), then migrate-disable (6.1) */
	for (size_t i = 3; i < flags_bytes; i++) {
		if (flags[i] != '.' && hex_digit(flags[i]) < 0)
			return -1;
		if (i == 3 && flags[i] != '.' && flags[i] != '0')
			ctx |= TRACE_CTX_PREEMPT_OFF;
	}
	*ctx_out = ctx;
	return 0;
}
