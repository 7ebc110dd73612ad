// SPDX-License-Identifier: GPL-2.0
/* glue.c - the host side of glue.h: the BUG handler. */
#include <stdio.h>
#include <stdlib.h>

#include "glue.h"

void ptb_bug(const char *file, int line, const char *cond)
{
	fprintf(stderr, "ptbench: BUG at %s:%d: %s\n", file, line, cond);
	abort();
}
