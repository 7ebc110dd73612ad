// SPDX-License-Identifier: GPL-2.0
/*
 * tracecmd.c - `trace-cmd report` text (trace-cmd's binary trace.dat is
 * tracedat.c): an optional "version = 6" and "cpus=N" header, then
 * ftrace-like event lines with the event name padded (trace-cmd 3.1):
 *            dd-129   [000]     3.949760: map:                  IOMMU: iova=...
 * or, with -l, CPU and flags glued:  "dd-129   0d..1.     3.949760: map: ..."
 * The event lines go through ftrace_parse_event_line() (ftrace.c).
 */
#include <string.h>

#include "trace_reader.h"

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* "CPU:7 [204600 EVENTS DROPPED]" / "CPU:7 [EVENTS DROPPED]" (trace-read.c). */
static bool parse_dropped(struct trace_reader *r, const char *line)
{
	const char *p = line + 4;
	uint64_t v, lost = 1;		/* "[EVENTS DROPPED]": unknown, at least one */

	if (!starts_with(line, "CPU:") || trace_parse_dec(&p, &v) < 0 || strncmp(p, " [", 2))
		return false;
	p += 2;
	if (*p >= '0' && *p <= '9') {
		if (trace_parse_dec(&p, &lost) < 0 || *p++ != ' ')
			return false;
	}
	if (strcmp(p, "EVENTS DROPPED]"))
		return false;
	trace_reader_count_lost(r, lost);
	return true;
}

static int tracecmd_next_line(struct trace_reader *r, char *line, size_t line_bytes,
			      struct trace_event *ev)
{
	const char *p = line + strspn(line, " \t");
	uint64_t v;

	if (!*p)
		return 0;
	if (p == line) {
		/* header lines start in column 0; event lines are right-aligned or a comm */
		if (starts_with(line, "cpus=") || starts_with(line, "version = "))
			return 0;
		if (starts_with(line, "CPU ")) {
			const char *q = line + 4;

			/* "CPU 1 is empty" */
			if (!trace_parse_dec(&q, &v) && !strcmp(q, " is empty"))
				return 0;
		}
		if (parse_dropped(r, line))
			return 0;
	}
	return ftrace_parse_event_line(r, line, ev);
}

const struct trace_format_ops tracecmd_format_ops = {
	.format = TRACE_FORMAT_TRACE_CMD,
	.next_line = tracecmd_next_line,
};
