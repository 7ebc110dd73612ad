// SPDX-License-Identifier: GPL-2.0
/*
 * cli.c - what every subcommand shares: the one-line error, the help flag
 * (options: options.c), the trace warnings --strict makes errors.
 * In the library (not main.c) so tests can call the subcommands' engines.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "trace_reader.h"

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

int cli_check_events(const char *path, const struct trace_reader *r, bool strict)
{
	const struct trace_read_stats *s = trace_stats(r);
	enum trace_format f = trace_reader_format(r);
	bool binary = f == TRACE_FORMAT_TRACE_DAT || f == TRACE_FORMAT_PTB;

	if (s->events)
		return 0;
	cli_error("%s: no iommu map/unmap event in %llu %s%s (%llu other events)", path,
		  (unsigned long long)s->lines, binary ? "record" : "line", s->lines == 1 ? "" : "s",
		  (unsigned long long)s->other_events);
	return strict;
}

int cli_check_lost(const char *path, const struct trace_reader *r, bool strict)
{
	const struct trace_read_stats *s = trace_stats(r);

	if (!s->lost_events)
		return 0;
	cli_error("%s: the tracer lost %llu events (its buffer overran): the trace is incomplete",
		  path, (unsigned long long)s->lost_events);
	return strict;
}

int cli_check_entries(const char *path, const struct trace_reader *r, bool strict)
{
	const struct trace_read_stats *s = trace_stats(r);
	uint64_t held = s->events + s->other_events + s->bad_lines_skipped;

	if (held >= s->header_entries)
		return 0;
	cli_error("%s: its header counts %llu entries (entries-in-buffer), it holds %llu: the file was cut short",
		  path, (unsigned long long)s->header_entries, (unsigned long long)held);
	return strict;
}
