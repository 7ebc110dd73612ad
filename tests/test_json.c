// SPDX-License-Identifier: GPL-2.0
/* test_json.c - the JSON writer's exact bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "json.h"

static void test_layout_and_escaping(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;

	(void)state;
	json_init(&j, f);
	json_object_begin(&j, NULL);
	json_str(&j, "name", "a\"b\\c\n");
	json_u64(&j, "big", UINT64_MAX);
	json_i64(&j, "neg", -3);
	json_real(&j, "ratio", 0.5);
	json_real(&j, "small_rate", 3e-7);
	json_real(&j, "tenth", 0.1);
	json_real(&j, "third", 1.0 / 3);
	json_real(&j, "one", 1.0);
	json_real(&j, "nan", 0.0 / 0.0);
	/* UTF-8 kept; a byte of no well-formed sequence as \u00XX */
	json_str(&j, "utf8", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	json_str(&j, "latin1", "caf\xe9-\xff\xc3");
	json_str(&j, "overlong", "\xc0\xaf\xed\xa0\x80");
	json_array_begin(&j, "runs");
	json_object_begin(&j, NULL);
	json_bool(&j, "ok", true);
	json_object_end(&j);
	json_array_end(&j);
	json_array_begin(&j, "empty");
	json_array_end(&j);
	json_str(&j, "none", NULL);
	json_object_end(&j);
	json_finish(&j);
	fclose(f);
	assert_string_equal(buf,
		"{\n"
		"  \"name\": \"a\\\"b\\\\c\\u000a\",\n"
		"  \"big\": 18446744073709551615,\n"
		"  \"neg\": -3,\n"
		"  \"ratio\": 0.5,\n"
		"  \"small_rate\": 3e-07,\n"
		"  \"tenth\": 0.1,\n"
		"  \"third\": 0.3333333333333333,\n"
		"  \"one\": 1.0,\n"
		"  \"nan\": null,\n"
		"  \"utf8\": \"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\",\n"
		"  \"latin1\": \"caf\\u00e9-\\u00ff\\u00c3\",\n"
		"  \"overlong\": \"\\u00c0\\u00af\\u00ed\\u00a0\\u0080\",\n"
		"  \"runs\": [\n"
		"    {\n"
		"      \"ok\": true\n"
		"    }\n"
		"  ],\n"
		"  \"empty\": [],\n"
		"  \"none\": null\n"
		"}\n");
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_and_escaping),
	};

	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
