// SPDX-License-Identifier: GPL-2.0
/* json.c - the deterministic JSON writer of json.h. */
#include <math.h>

#include "glue.h"
#include "json.h"

void json_init(struct json *j, FILE *out)
{
	j->out = out;
	j->depth = 0;
	j->first[0] = true;
}

/* A JSON string literal, escaped. */
static void put_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(out, "\\u%04x", *p);
		else
			fputc(*p, out);
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

void json_real(struct json *j, const char *key, double v)
{
	member(j, key);
	if (isfinite(v))
		fprintf(j->out, "%.6f", v);
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
