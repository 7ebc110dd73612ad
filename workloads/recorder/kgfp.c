// SPDX-License-Identifier: GPL-2.0
/*
 * kgfp.c - learn the running kernel's gfp bit numbers from the gfp table in
 * an event's format file and translate them to ptbench's (kgfp.h).
 *
 * The table's values are C constant expressions after preprocessing: casts
 * to a type name, integer literals with u/U/l/L suffixes, parentheses, ~, <<,
 * >>, & and |.  A small recursive-descent evaluator reads exactly that.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gfp.h"
#include "kgfp.h"

#define FORMAT_MAX_BYTES	(1u << 20)

struct expr {
	const char *p;
	const char *end;
	int bad;
};

static void skip_space(struct expr *e)
{
	while (e->p < e->end && isspace((unsigned char)*e->p))
		e->p++;
}

static int is_ident(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* At '(': a parenthesised type name, "( gfp_t)" or "(unsigned long)"?  Skip it. */
static int skip_cast(struct expr *e)
{
	const char *q = e->p + 1;
	int words = 0;

	for (;;) {
		while (q < e->end && *q == ' ')
			q++;
		if (q >= e->end)
			return 0;
		if (*q == ')')
			break;
		if (!is_ident(*q) || isdigit((unsigned char)*q))
			return 0;
		while (q < e->end && is_ident(*q))
			q++;
		words++;
	}
	if (!words)
		return 0;
	e->p = q + 1;
	return 1;
}

static uint64_t parse_or(struct expr *e);

static uint64_t parse_unary(struct expr *e)
{
	uint64_t v;
	char *num_end;

	skip_space(e);
	if (e->p >= e->end) {
		e->bad = 1;
		return 0;
	}
	if (*e->p == '~') {
		e->p++;
		return ~parse_unary(e);
	}
	if (*e->p == '(') {
		if (skip_cast(e))
			return parse_unary(e);
		e->p++;
		v = parse_or(e);
		skip_space(e);
		if (e->p >= e->end || *e->p != ')')
			e->bad = 1;
		else
			e->p++;
		return v;
	}
	if (!isdigit((unsigned char)*e->p)) {
		e->bad = 1;
		return 0;
	}
	errno = 0;
	v = strtoull(e->p, &num_end, 0);
	if (errno || num_end > e->end) {
		e->bad = 1;
		return 0;
	}
	e->p = num_end;
	while (e->p < e->end && strchr("uUlL", *e->p))
		e->p++;
	return v;
}

static uint64_t parse_shift(struct expr *e)
{
	uint64_t v = parse_unary(e);

	for (;;) {
		uint64_t by;
		int left;

		skip_space(e);
		if (e->end - e->p < 2 || !((e->p[0] == '<' && e->p[1] == '<') ||
					   (e->p[0] == '>' && e->p[1] == '>')))
			return v;
		left = e->p[0] == '<';
		e->p += 2;
		by = parse_unary(e);
		if (by >= 64) {
			e->bad = 1;
			return 0;
		}
		v = left ? v << by : v >> by;
	}
}

static uint64_t parse_and(struct expr *e)
{
	uint64_t v = parse_shift(e);

	for (;;) {
		skip_space(e);
		if (e->p >= e->end || *e->p != '&' || (e->p + 1 < e->end && e->p[1] == '&'))
			return v;
		e->p++;
		v &= parse_shift(e);
	}
}

static uint64_t parse_or(struct expr *e)
{
	uint64_t v = parse_and(e);

	for (;;) {
		skip_space(e);
		if (e->p >= e->end || *e->p != '|' || (e->p + 1 < e->end && e->p[1] == '|'))
			return v;
		e->p++;
		v |= parse_and(e);
	}
}

/* ptbench's value of a single-bit kernel name; 6.1 spells __GFP_DMA "GFP_DMA". */
static int ptb_bit_of(const char *name, uint32_t *ptb)
{
	char alt[KGFP_NAME_BYTES + 2];
	gfp_t v;

	if (!strncmp(name, "__", 2))
		snprintf(alt, sizeof(alt), "%s", name + 2);
	else
		snprintf(alt, sizeof(alt), "__%s", name);
	if (gfp_parse(name, &v) && gfp_parse(alt, &v))
		return -1;
	if (!v || (v & (v - 1)))
		return -1;
	*ptb = v;
	return 0;
}

/* One "{EXPR, \"NAME\"}" entry of the table, [open, close] the braces. */
static int take_entry(struct kgfp *g, const char *open, const char *close, const char *path,
		      char *err, size_t err_bytes)
{
	const char *comma = close, *q1, *q2;
	struct expr e;
	char name[KGFP_NAME_BYTES];
	uint64_t v;
	uint32_t ptb;
	int bit;

	while (comma > open && *comma != ',')
		comma--;
	q1 = memchr(comma, '"', (size_t)(close - comma));
	q2 = q1 ? memchr(q1 + 1, '"', (size_t)(close - q1 - 1)) : NULL;
	if (comma == open || !q1 || !q2 || (size_t)(q2 - q1 - 1) >= sizeof(name))
		return 0;		/* the { 0, NULL } terminator, or not a flag entry */
	memcpy(name, q1 + 1, (size_t)(q2 - q1 - 1));
	name[q2 - q1 - 1] = '\0';
	e = (struct expr){ .p = open + 1, .end = comma };
	v = parse_or(&e);
	skip_space(&e);
	if (e.bad || e.p != e.end) {
		snprintf(err, err_bytes, "%s: cannot evaluate the value of \"%s\": '%.*s'", path, name,
			 (int)(comma - open - 1), open + 1);
		return -EINVAL;
	}
	if (!v || (v & (v - 1)) || v >> KGFP_BITS)
		return 0;		/* a composite such as GFP_KERNEL */
	bit = __builtin_ctzll(v);
	if (!g->name[bit][0] || !strncmp(name, "__GFP_", 6))
		snprintf(g->name[bit], sizeof(g->name[bit]), "%s", name);
	if (ptb_bit_of(name, &ptb))
		return 0;		/* a bit ptbench has no name for */
	if (g->to_ptb[bit] && g->to_ptb[bit] != ptb) {
		snprintf(err, err_bytes, "%s: kernel gfp bit %d is named twice with different meanings (%s)",
			 path, bit, name);
		return -EINVAL;
	}
	g->to_ptb[bit] = ptb;
	g->mapped_mask |= 1u << bit;
	return 0;
}

int kgfp_load(struct kgfp *g, const char *path, char *err, size_t err_bytes)
{
	char *buf = NULL, *fmt, *p;
	size_t n;
	FILE *f;
	int ret = 0;

	memset(g, 0, sizeof(*g));
	f = fopen(path, "r");
	if (!f) {
		ret = -errno;
		snprintf(err, err_bytes, "%s: %s", path, strerror(errno));
		return ret;
	}
	buf = malloc(FORMAT_MAX_BYTES + 1);
	if (!buf) {
		ret = -ENOMEM;
		snprintf(err, err_bytes, "%s: out of memory", path);
		goto out;
	}
	n = fread(buf, 1, FORMAT_MAX_BYTES, f);
	if (ferror(f)) {
		ret = -EIO;
		snprintf(err, err_bytes, "%s: read error", path);
		goto out;
	}
	buf[n] = '\0';
	fmt = strstr(buf, "print fmt:");
	p = fmt ? strstr(fmt, "__print_flags(") : NULL;
	if (!p) {
		ret = -EINVAL;
		snprintf(err, err_bytes, "%s: no __print_flags() gfp table in the print fmt", path);
		goto out;
	}
	while ((p = strchr(p, '{')) != NULL) {
		char *close = strchr(p, '}');

		if (!close)
			break;
		ret = take_entry(g, p, close, path, err, err_bytes);
		if (ret)
			goto out;
		p = close + 1;
	}
	if (!g->mapped_mask) {
		ret = -EINVAL;
		snprintf(err, err_bytes, "%s: the gfp table names no bit ptbench knows", path);
	}
out:
	free(buf);
	fclose(f);
	return ret;
}

uint32_t kgfp_translate(const struct kgfp *g, uint64_t kernel_gfp, uint64_t *dropped_bits)
{
	uint32_t out = 0;

	*dropped_bits = kernel_gfp & ~(uint64_t)g->mapped_mask;
	for (int bit = 0; bit < KGFP_BITS; bit++)
		if (kernel_gfp & g->mapped_mask & (1ull << bit))
			out |= g->to_ptb[bit];
	return out;
}
