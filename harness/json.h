/* SPDX-License-Identifier: GPL-2.0 */
/*
 * json.h - a small streaming JSON writer with a fixed, deterministic layout:
 * two-space indentation, keys in the order written, integers as integers,
 * reals in the shortest of %.15g, %.16g, %.17g that reads back exactly,
 * strings escaped (and bytes that are not UTF-8 as \u00XX).  Same calls,
 * same bytes.
 */
#ifndef PTB_JSON_H
#define PTB_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json {
	FILE *out;
	int depth;
	bool first[JSON_MAX_DEPTH];	/* no member written yet at this depth */
};

void json_init(struct json *j, FILE *out);
/* Containers: key is NULL inside arrays and at the top level. */
void json_object_begin(struct json *j, const char *key);
void json_object_end(struct json *j);
void json_array_begin(struct json *j, const char *key);
void json_array_end(struct json *j);
void json_u64(struct json *j, const char *key, uint64_t v);
void json_i64(struct json *j, const char *key, int64_t v);
void json_real(struct json *j, const char *key, double v);
void json_bool(struct json *j, const char *key, bool v);
void json_str(struct json *j, const char *key, const char *s);	/* NULL writes null */
/* End the document with a newline. */
void json_finish(struct json *j);

#endif /* PTB_JSON_H */
