// SPDX-License-Identifier: GPL-2.0
/* version.c - the build's commit, from build/commit.h (written by the Makefile). */
#include "commit.h"
#include "version.h"

const char *ptbench_commit(void)
{
	return PTB_COMMIT;
}
