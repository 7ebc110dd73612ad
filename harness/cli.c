// SPDX-License-Identifier: GPL-2.0
/*
 * cli.c - what every subcommand shares: the one-line error, the help flag
 * (options: options.c).
 * In the library (not main.c) so tests can call the subcommands' engines.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("ptbench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

bool cli_is_help(const char *arg)
{
	return !strcmp(arg, "-h") || !strcmp(arg, "--help");
}
