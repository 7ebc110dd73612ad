// SPDX-License-Identifier: GPL-2.0
/*
 * perf.c - `perf script` text of `perf record -e iommu:map -e iommu:unmap`,
 * with perf's default fields for tracepoints (comm, tid, cpu, time, event,
 * trace; tools/perf/builtin-script.c):
 *
 *               dd   129 [000]     3.949760: iommu:map: IOMMU: iova=...
 *   COMM TID|PID/TID [CPU] SECS.USECS: SYSTEM:EVENT: PAYLOAD
 *
 * COMM is "%16s" (it may hold spaces; ":-1" when perf could not resolve the
 * thread, whose TID is then -1), TID "%5d", SECS.USECS "%5lu.%06lu" (9
 * fraction digits with --ns), and the event name is right-aligned to the
 * longest name recorded ("  iommu:map: " beside "iommu:unmap: ").  perf
 * script -F may drop COMM, TID and CPU or add PID ("PID/TID"); time and
 * event are needed, since an event without them cannot be replayed.
 *
 * The payload is libtraceevent's rendering of the kernel's print fmt, the
 * same text as ftrace's.  perf script shows no irq/preempt flags, so events
 * carry CPU and PID (when printed and known) but no context.  "# ..." lines
 * (--header) and the callchain under a sample (perf record -g: a tab, then
 * an address) are skipped; PERF_RECORD_LOST lines (--show-lost-events) are
 * counted as lost events.
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

/*
 * A callchain line, printed under its sample with perf record -g:
 * "\t<spaces><hex address> SYMBOL+0xOFF (DSO)" (util/evsel_fprintf.c).
 */
static bool is_callchain(const char *line)
{
	const char *p = line;
	size_t n;

	if (*p != '\t')
		return false;
	p += strspn(p, "\t ");
	n = strspn(p, "0123456789abcdef");
	return n && p[n] == ' ';
}

/* The token that ends at @end (exclusive) after trailing spaces: [*tok, *end). */
static void prev_token(const char *line, const char **tok, const char **end)
{
	const char *e = *end, *t;

	while (e > line && e[-1] == ' ')
		e--;
	for (t = e; t > line && t[-1] != ' '; t--)
		;
	*tok = t;
	*end = e;
}

/* A decimal, or "-1" (perf's pid/tid of a thread it could not resolve). */
static int parse_id(const char **pos, uint64_t *v, bool *unknown)
{
	if (!strncmp(*pos, "-1", 2)) {
		*pos += 2;
		*unknown = true;
		return 0;
	}
	*unknown = false;
	return trace_parse_dec(pos, v);
}

/* "SYSTEM:EVENT: " at @p after perf's padding: the name's end (at its last ':'), or NULL. */
static const char *event_name_end(const char *p)
{
	const char *end = p + strcspn(p, " ");

	if (end - p < 3 || end[-1] != ':' || !memchr(p, ':', (size_t)(end - p - 1)) ||
	    p[0] == ':')
		return NULL;
	return end - 1;
}

/*
 * The sample columns before the timestamp, right to left, each optional
 * (perf script -F picks them): [CPU], then TID or PID/TID ("%5d", -1 when
 * perf could not resolve the thread), then the comm, which may hold spaces
 * and is ":-1" for an unresolved thread.  Returns 1, or what trace_reader_bad()
 * returned (0: skipped, -1: error).
 */
static int parse_sample_columns(struct trace_reader *r, const char *line, const char *ts,
				struct trace_event *ev)
{
	const char *tok, *end = ts, *p;
	uint64_t v = 0;
	bool unknown = false;

	prev_token(line, &tok, &end);
	if (tok < end && *tok == '[') {
		p = tok + 1;
		if (trace_parse_dec(&p, &v) < 0 || p != end - 1 || *p != ']' || v > UINT16_MAX)
			return trace_reader_bad(r, TRACE_SKIP_BAD_PREFIX,
						"expected a decimal CPU in '[CPU]', found '%.*s'",
						(int)(end - tok), tok);
		ev->cpu = (uint16_t)v;
		ev->has |= TRACE_HAS_CPU;
		end = tok;
		prev_token(line, &tok, &end);
	}
	/* TID, PID or PID/TID: the kernel's common_pid is the thread id */
	p = tok;
	if (tok < end && parse_id(&p, &v, &unknown) == 0) {
		if (*p == '/') {
			p++;
			if (parse_id(&p, &v, &unknown) < 0)
				p = tok;	/* not a number: part of the comm */
		}
		if (p == end) {
			if (!unknown && v > UINT32_MAX)
				return trace_reader_bad(r, TRACE_SKIP_BAD_PREFIX,
							"TID %llu does not fit in 32 bits",
							(unsigned long long)v);
			if (!unknown) {
				ev->pid = (uint32_t)v;
				ev->has |= TRACE_HAS_PID;
			}
		}
	}
	return 1;
}

/*
 * The first timestamp candidate: at the start of the line when it is the
 * first column (-F time,..., past 99999 s perf's "%5lu" leaves no space
 * before it), else trace_find_secs()'s first " SECS.USECS: ".
 */
static const char *first_secs(const char *line, const char *p, uint64_t *ns, const char **after)
{
	const char *q = p;

	if (!trace_parse_secs(&q, ns) && q[0] == ':' && q[1] == ' ') {
		*after = q + 2;
		return p;
	}
	return trace_find_secs(line, ns, after);
}

static int perf_next_line(struct trace_reader *r, char *line, size_t line_bytes,
			  struct trace_event *ev)
{
	const char *p = line + strspn(line, " \t");
	const char *ts, *after, *name, *name_end = NULL, *payload, *from = line;
	uint64_t ts_ns;
	int ret;

	if (!*p || *p == '#' || parse_lost(r, p) || is_callchain(line))
		return 0;
	/*
	 * The timestamp is the first " SECS.USECS: " followed by an event name:
	 * a comm holding "1.0: " (comms may hold anything) is passed over.
	 */
	for (ts = first_secs(line, p, &ts_ns, &after); ts; ts = trace_find_secs(from, &ts_ns, &after)) {
		if (parse_lost(r, after))
			return 0;
		name = after + strspn(after, " ");	/* perf pads the names to the longest */
		name_end = event_name_end(name);
		if (name_end)
			break;
		from = ts;
	}
	if (!ts)
		return trace_reader_bad(r, TRACE_SKIP_BAD_PREFIX,
					"expected 'SECS.USECS: SYSTEM:EVENT: ' (perf script's time and event fields)");
	ev->ts_ns = ts_ns;
	ret = parse_sample_columns(r, line, ts, ev);
	if (ret <= 0)
		return ret;
	payload = name_end + 1 + strspn(name_end + 1, " ");
	if (name_end - name == 9 && !memcmp(name, "iommu:map", 9))
		return trace_parse_iommu(r, TRACE_OP_MAP, payload, ev);
	if (name_end - name == 11 && !memcmp(name, "iommu:unmap", 11))
		return trace_parse_iommu(r, TRACE_OP_UNMAP, payload, ev);
	/* counted as "sched_switch", the name the other formats give, not "sched:sched_switch" */
	p = memchr(name, ':', (size_t)(name_end - name));
	p = p ? p + 1 : name;
	trace_reader_count_other(r, p, (size_t)(name_end - p));
	return 0;
}

const struct trace_format_ops perf_format_ops = {
	.format = TRACE_FORMAT_PERF,
	.next_line = perf_next_line,
};
