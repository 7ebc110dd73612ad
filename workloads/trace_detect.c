// SPDX-License-Identifier: GPL-2.0
/*
 * trace_detect.c - a trace's format from its first bytes, never its name:
 * the .ptb and trace.dat magics, else the first TRACE_DETECT_LINES text
 * lines (workloads/README.md, "Formats, and how each is recognised").
 */
#include <string.h>

#include "trace_detect.h"

#define TRACE_DETECT_LINES	200

static bool has_prefix(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && !memcmp(s, prefix, n);
}

/*
 * What one text line says about its format: -1 nothing, else a format.
 * ftrace and `trace-cmd report` print events alike; report pads the event
 * name (e.g. "map:                  IOMMU:") and its -l form glues the CPU to
 * the flags ("  0d..1."), perf names the system ("iommu:map:").
 */
static int detect_line(const char *line, size_t len)
{
	const char *name, *ts, *p;
	uint64_t ns;

	if (has_prefix(line, len, "# tracer:"))
		return TRACE_FORMAT_FTRACE;
	if (has_prefix(line, len, "cpus=") || has_prefix(line, len, "version = "))
		return TRACE_FORMAT_TRACE_CMD;
	if (has_prefix(line, len, "# ========") || has_prefix(line, len, "# captured on"))
		return TRACE_FORMAT_PERF;
	if (len == 0 || line[0] == '#')
		return -1;
	ts = trace_find_secs(line, &ns, &name);
	if (!ts)
		return -1;
	/* perf right-aligns its names to the longest: "  iommu:map: " */
	for (p = name + strspn(name, " "); *p && *p != ' '; p++)
		if (*p == ':' && p[1] != ' ' && p[1] != '\0')
			return TRACE_FORMAT_PERF;
	if (*p == ' ' && p[1] == ' ')
		return TRACE_FORMAT_TRACE_CMD;
	/* Before the timestamp: "[CPU]" or "[CPU] FLAGS" (ftrace), "CPUFLAGS" (report -l). */
	p = ts;
	while (p > line && p[-1] == ' ')
		p--;
	if (p > line && p[-1] != ']') {
		const char *tok = p;

		while (tok > line && tok[-1] != ' ')
			tok--;
		if (tok < p && *tok >= '0' && *tok <= '9' && !memchr(tok, ']', p - tok))
			return TRACE_FORMAT_TRACE_CMD;
	}
	return TRACE_FORMAT_FTRACE;
}

static int detect_text(struct trace_reader *r, const unsigned char *buf, size_t bytes,
		       enum trace_format *out)
{
	const char *p = (const char *)buf, *end = p + bytes;
	int lines = 0, guess = -1;

	if (memchr(buf, '\0', bytes))
		return trace_reader_fail_noline(r, "unknown format: binary data that is neither .ptb nor trace.dat");
	while (p < end && lines < TRACE_DETECT_LINES) {
		const char *nl = memchr(p, '\n', end - p);
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char tmp[1024];
		int f;

		if (len >= sizeof(tmp))
			len = sizeof(tmp) - 1;
		memcpy(tmp, p, len);
		tmp[len] = '\0';
		lines++;
		f = detect_line(tmp, len);
		/* The header lines and the padded/labelled lines decide alone. */
		if (f == TRACE_FORMAT_TRACE_CMD || f == TRACE_FORMAT_PERF ||
		    (f == TRACE_FORMAT_FTRACE && tmp[0] == '#')) {
			*out = f;
			return 0;
		}
		if (f >= 0 && guess < 0)
			guess = f;
		if (!nl)
			break;
		p = nl + 1;
	}
	if (guess < 0)
		return trace_reader_fail_noline(r, "unknown format: no ftrace, trace-cmd report or perf script event line in the first %d line%s",
						lines, lines == 1 ? "" : "s");
	*out = guess;
	return 0;
}

int trace_detect(struct trace_reader *r, const unsigned char *buf, size_t bytes,
		 enum trace_format *out)
{
	static const char tracedat_magic[10] = { 0x17, 0x08, 0x44, 't', 'r', 'a', 'c', 'i', 'n', 'g' };

	if (bytes >= 8 && !memcmp(buf, "PTBTRACE", 8)) {
		*out = TRACE_FORMAT_PTB;
		return 0;
	}
	if (bytes >= sizeof(tracedat_magic) && !memcmp(buf, tracedat_magic, sizeof(tracedat_magic))) {
		*out = TRACE_FORMAT_TRACE_DAT;
		return 0;
	}
	return detect_text(r, buf, bytes, out);
}
