// SPDX-License-Identifier: GPL-2.0
/* version.c - the build's commit, from build/commit.h (written by the Makefile). */
#include "commit.h"
#include "json.h"
#include "version.h"

const char *ptbench_commit(void)
{
	return PTB_COMMIT;
}

void ptbench_write_json(struct json *j)
{
	json_object_begin(j, "ptbench");
	json_str(j, "version", PTBENCH_VERSION);
	json_str(j, "commit", ptbench_commit());
	json_object_end(j);
}
