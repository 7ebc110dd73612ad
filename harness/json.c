// SPDX-License-Identifier: GPL-2.0
/* json.c - the deterministic JSON writer of json.h. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "glue.h"
#include "json.h"

void json_init(struct json *j, FILE *out)
{
	j->out = out;
	j->depth = 0;
	j->first[0] = true;
}

/*
 * The length of the well-formed UTF-8 sequence at @p (RFC 3629: no overlong
 * form, no surrogate, nothing above U+10FFFF), or 0 when it is not one.
 */
static unsigned int utf8_len(const unsigned char *p)
{
	unsigned int n, i;
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, cp = p[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)	/* a NUL ends it here too */
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/*
 * A JSON string literal, escaped.  Paths and event names come from the user
 * and the trace, not always UTF-8: a byte that starts no well-formed sequence
 * is written as \u00XX (its value as a code point), so the document stays
 * valid JSON and no byte is lost from sight.
 */
static void put_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		unsigned int n = utf8_len(p);

		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20 || !n)
			fprintf(out, "\\u%04x", *p);
		else
			fwrite(p, 1, n, out);
		p += n ? n : 1;
	}
	fputc('"', out);
}

/* Separator, newline and indentation before a member, then its key. */
static void member(struct json *j, const char *key)
{
	if (j->depth > 0) {
		fputs(j->first[j->depth] ? "\n" : ",\n", j->out);
		for (int i = 0; i < j->depth; i++)
			fputs("  ", j->out);
	}
	j->first[j->depth] = false;
	if (key) {
		put_string(j->out, key);
		fputs(": ", j->out);
	}
}

static void begin(struct json *j, const char *key, char open)
{
	member(j, key);
	fputc(open, j->out);
	PTB_BUG_ON(j->depth + 1 >= JSON_MAX_DEPTH);
	j->first[++j->depth] = true;
}

static void end(struct json *j, char close)
{
	bool empty = j->first[j->depth];

	j->depth--;
	if (!empty) {
		fputc('\n', j->out);
		for (int i = 0; i < j->depth; i++)
			fputs("  ", j->out);
	}
	fputc(close, j->out);
}

void json_object_begin(struct json *j, const char *key) { begin(j, key, '{'); }
void json_object_end(struct json *j) { end(j, '}'); }
void json_array_begin(struct json *j, const char *key) { begin(j, key, '['); }
void json_array_end(struct json *j) { end(j, ']'); }

void json_u64(struct json *j, const char *key, uint64_t v)
{
	member(j, key);
	fprintf(j->out, "%llu", (unsigned long long)v);
}

void json_i64(struct json *j, const char *key, int64_t v)
{
	member(j, key);
	fprintf(j->out, "%lld", (long long)v);
}

/*
 * The shortest of %.15g, %.16g, %.17g that reads back as @v (%.17g always
 * does): a small rate keeps its digits, 0.5 stays 0.5, and the same double
 * gives the same bytes.  A '.' is added to an integral value so that it
 * reads as a real.
 */
static void put_real(FILE *out, double v)
{
	char buf[40];

	for (int digits = 15; digits <= 17; digits++) {
		snprintf(buf, sizeof(buf), "%.*g", digits, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	fputs(buf, out);
	if (!strpbrk(buf, ".e"))
		fputs(".0", out);
}

void json_real(struct json *j, const char *key, double v)
{
	member(j, key);
	if (isfinite(v))
		put_real(j->out, v);
	else
		fputs("null", j->out);
}

void json_bool(struct json *j, const char *key, bool v)
{
	member(j, key);
	fputs(v ? "true" : "false", j->out);
}

void json_str(struct json *j, const char *key, const char *s)
{
	member(j, key);
	if (s)
		put_string(j->out, s);
	else
		fputs("null", j->out);
}

void json_finish(struct json *j)
{
	fputc('\n', j->out);
}
