// SPDX-License-Identifier: GPL-2.0
/*
 * perf.c - `perf script` text of `perf record -e iommu:map -e iommu:unmap`,
 * with perf's default fields for tracepoints (comm, tid, cpu, time, event,
 * trace; tools/perf/builtin-script.c):
 *
 *               dd   129 [000]     3.949760: iommu:map: IOMMU: iova=...
 *   COMM TID|PID/TID [CPU] SECS.USECS: SYSTEM:EVENT: PAYLOAD
 *
 * The payload is libtraceevent's rendering of the kernel's print fmt, the
 * same text as ftrace's.  perf script shows no irq/preempt flags, so events
 * carry CPU and PID but no context.  "# ..." lines (--header) are skipped;
 * PERF_RECORD_LOST lines (--show-lost-events) are counted as lost events.
 */
#include <string.h>

#include "trace_reader.h"

/*
 * `perf script --show-lost-events` prints each PERF_RECORD_LOST as
 *          python3 13955 [001] 25212.553010: PERF_RECORD_LOST lost 33
 * (tools/perf/builtin-script.c:print_event_with_time(), then
 * util/event.c:perf_event__fprintf_lost(); seen with perf 6.1), or without
 * the sample columns when perf finds no event for the record.  @p is where
 * "PERF_RECORD_LOST" would start.  Returns true if the line was one.
 */
static bool parse_lost(struct trace_reader *r, const char *p)
{
	static const char key[] = "PERF_RECORD_LOST lost ";
	uint64_t nr_lost;

	if (strncmp(p, key, sizeof(key) - 1))
		return false;
	p += sizeof(key) - 1;
	if (trace_parse_dec(&p, &nr_lost) < 0 || *p)
		return false;
	trace_reader_count_lost(r, nr_lost);
	return true;
}

static int perf_next_line(struct trace_reader *r, char *line, size_t line_bytes,
			  struct trace_event *ev)
{
	const char *p = line + strspn(line, " \t");
	const char *ts, *after, *end, *tok, *name_end, *payload;
	uint64_t ts_ns, v;

	if (!*p || *p == '#' || parse_lost(r, p))
		return 0;
	ts = trace_find_secs(line, &ts_ns, &after);
	if (!ts)
		return trace_reader_bad(r, TRACE_SKIP_BAD_PREFIX,
					"expected 'COMM TID [CPU] SECS.USECS: SYSTEM:EVENT:', found no 'SECS.USECS: '");
	if (parse_lost(r, after))
		return 0;
	ev->ts_ns = ts_ns;

	/* [CPU] */
	end = ts;
	while (end > line && end[-1] == ' ')
		end--;
	tok = end;
	while (tok > line && tok[-1] != ' ')
		tok--;
	if (end - tok < 3 || *tok != '[' || end[-1] != ']')
		return trace_reader_bad(r, TRACE_SKIP_BAD_PREFIX,
					"expected '[CPU]' before the timestamp, found '%.*s'",
					(int)(end - tok), tok);
	p = tok + 1;
	if (trace_parse_dec(&p, &v) < 0 || p != end - 1 || v > UINT16_MAX)
		return trace_reader_bad(r, TRACE_SKIP_BAD_PREFIX, "expected a decimal CPU in '[CPU]'");
	ev->cpu = (uint16_t)v;

	/* TID or PID/TID: the kernel's common_pid is the thread id */
	end = tok;
	while (end > line && end[-1] == ' ')
		end--;
	tok = end;
	while (tok > line && tok[-1] != ' ')
		tok--;
	p = tok;
	if (trace_parse_dec(&p, &v) < 0)
		return trace_reader_bad(r, TRACE_SKIP_BAD_PREFIX, "expected 'TID' or 'PID/TID' before '[CPU]'");
	if (*p == '/') {
		p++;
		if (trace_parse_dec(&p, &v) < 0)
			return trace_reader_bad(r, TRACE_SKIP_BAD_PREFIX, "expected 'PID/TID' before '[CPU]'");
	}
	if (p != end || v > UINT32_MAX)
		return trace_reader_bad(r, TRACE_SKIP_BAD_PREFIX, "expected 'TID' or 'PID/TID' before '[CPU]'");
	ev->pid = (uint32_t)v;
	ev->has = TRACE_HAS_CPU | TRACE_HAS_PID;

	/* "SYSTEM:EVENT: " */
	name_end = strchr(after, ' ');
	if (!name_end)
		name_end = after + strlen(after);
	if (name_end - after < 2 || name_end[-1] != ':')
		return trace_reader_bad(r, TRACE_SKIP_BAD_PREFIX,
					"expected 'SYSTEM:EVENT: ' after the timestamp");
	name_end--;
	payload = name_end + 1 + strspn(name_end + 1, " ");
	if (name_end - after == 9 && !memcmp(after, "iommu:map", 9))
		return trace_parse_iommu(r, TRACE_OP_MAP, payload, ev);
	if (name_end - after == 11 && !memcmp(after, "iommu:unmap", 11))
		return trace_parse_iommu(r, TRACE_OP_UNMAP, payload, ev);
	/* counted as "sched_switch", the name the other formats give, not "sched:sched_switch" */
	p = memchr(after, ':', (size_t)(name_end - after));
	p = p ? p + 1 : after;
	trace_reader_count_other(r, p, (size_t)(name_end - p));
	return 0;
}

const struct trace_format_ops perf_format_ops = {
	.format = TRACE_FORMAT_PERF,
	.next_line = perf_next_line,
};
