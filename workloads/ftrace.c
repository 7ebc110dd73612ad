// SPDX-License-Identifier: GPL-2.0
/*
 * ftrace.c - the kernel's own trace text: /sys/kernel/tracing/trace (with
 * its "# tracer: nop" header) and trace_pipe (no header), as printed by
 * kernel/trace/trace_output.c (trace_print_context, trace_print_lat_fmt):
 *
 *               dd-129     [000] d..1.     3.949760: map: IOMMU: iova=...
 *   COMM-PID [(TGID)] [CPU] FLAGS SECS.USECS: EVENT: PAYLOAD
 *
 * The FLAGS column is 4 characters up to 5.x ("d..1": irqs-off,
 * need-resched, hardirq/softirq, preempt-depth), 5 from 5.13 (+ migrate-
 * disable), absent with the irq-info option off.  The TGID column appears
 * with the record-tgid option.  The same event line parser serves
 * `trace-cmd report` (tracecmd.c), whose -l form glues CPU and FLAGS.
 */
#include <string.h>

#include "trace_reader.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Back over spaces from @p (exclusive), not before @start. */
static const char *rtrim(const char *start, const char *p)
{
	while (p > start && p[-1] == ' ')
		p--;
	return p;
}

/* The token ending at @end (exclusive): its first character. */
static const char *token_start(const char *start, const char *end)
{
	while (end > start && end[-1] != ' ')
		end--;
	return end;
}

/* "[NNN]" → cpu.  Returns 0 or -1. */
static int parse_cpu_bracket(const char *tok, const char *end, uint16_t *cpu)
{
	uint64_t v = 0;
	const char *p;

	if (end - tok < 3 || tok[0] != '[' || end[-1] != ']')
		return -1;
	for (p = tok + 1; p < end - 1; p++) {
		if (!is_digit(*p))
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > UINT16_MAX)
			return -1;
	}
	*cpu = (uint16_t)v;
	return 0;
}

/* "EVENT: " or "EVENT:" at the end: the name's ':', or NULL. */
static const char *event_name_end(const char *p)
{
	const char *colon = strchr(p, ':');

	if (!colon || colon == p || memchr(p, ' ', colon - p) || (colon[1] != ' ' && colon[1] != '\0'))
		return NULL;
	return colon;
}

/*
 * The event's timestamp: the first " SECS.USECS: " that an event name
 * follows, since the comm before it may hold "1.0: " (a task names itself
 * anything up to 15 bytes); else the first one, whose columns then say what
 * is wrong.  trace_find_secs()'s contract.
 */
static const char *find_event_secs(const char *line, uint64_t *ns, const char **after)
{
	const char *first = trace_find_secs(line, ns, after), *ts = first, *a = *after;
	uint64_t n = *ns;

	for (; ts; ts = trace_find_secs(ts, &n, &a)) {
		if (event_name_end(a)) {
			*ns = n;
			*after = a;
			return ts;
		}
	}
	return first;
}

int ftrace_parse_event_line(struct trace_reader *r, const char *line, struct trace_event *ev)
{
	const char *ts, *after, *end, *tok, *name_end, *dash, *payload;
	uint64_t ts_ns, pid = 0;
	size_t name_bytes;

	ts = find_event_secs(line, &ts_ns, &after);
	if (!ts)
		return trace_reader_bad(r, TRACE_SKIP_BAD_PREFIX,
					"expected 'TASK-PID [CPU] FLAGS SECS.USECS: EVENT:', found no 'SECS.USECS: '");
	ev->ts_ns = ts_ns;

	/* Right to left from the timestamp: [FLAGS], [CPU] or CPUFLAGS, (TGID), COMM-PID. */
	end = rtrim(line, ts);
	tok = token_start(line, end);
	if (parse_cpu_bracket(tok, end, &ev->cpu) == 0) {
		ev->has |= TRACE_HAS_CPU;
	} else if (is_digit(*tok)) {
		/* trace-cmd report -l: "0d..1." */
		const char *f = tok;
		uint64_t cpu = 0;

		while (f < end && is_digit(*f) && cpu <= UINT16_MAX)
			cpu = cpu * 10 + (uint64_t)(*f++ - '0');
		if (cpu > UINT16_MAX || trace_parse_ctx(f, end - f, &ev->ctx) < 0)
			return trace_reader_bad(r, TRACE_SKIP_BAD_PREFIX,
						"expected CPU and flags like '0d..1.' before the timestamp, found '%.*s'",
						(int)(end - tok), tok);
		ev->cpu = (uint16_t)cpu;
		ev->has |= TRACE_HAS_CPU | TRACE_HAS_CTX;
	} else {
		if (trace_parse_ctx(tok, end - tok, &ev->ctx) < 0)
			return trace_reader_bad(r, TRACE_SKIP_BAD_PREFIX,
						"expected flags like 'd..1.' (3-5 of [dDbX.][Nnp.][zZhHs.][0-9a-f.]) before the timestamp, found '%.*s'",
						(int)(end - tok), tok);
		ev->has |= TRACE_HAS_CTX;
		end = rtrim(line, tok);
		tok = token_start(line, end);
		if (parse_cpu_bracket(tok, end, &ev->cpu) < 0)
			return trace_reader_bad(r, TRACE_SKIP_BAD_PREFIX,
						"expected '[CPU]' before the flags, found '%.*s'",
						(int)(end - tok), tok);
		ev->has |= TRACE_HAS_CPU;
	}
	end = rtrim(line, tok);
	if (end > line && end[-1] == ')') {
		/* record-tgid: "(    129)" or "(-------)" */
		const char *open = end - 1;

		while (open > line && *open != '(')
			open--;
		if (*open != '(')
			return trace_reader_bad(r, TRACE_SKIP_BAD_PREFIX, "unbalanced '(TGID)' column");
		end = rtrim(line, open);
	}
	/* COMM-PID: the comm may hold '-' and spaces; the PID is after the last '-'. */
	for (dash = end; dash > line && is_digit(dash[-1]); dash--)
		;
	if (dash == end || dash == line || dash[-1] != '-' ||
	    (trace_parse_dec(&dash, &pid), pid > UINT32_MAX))
		return trace_reader_bad(r, TRACE_SKIP_BAD_PREFIX,
					"expected 'TASK-PID' before the CPU column");
	ev->pid = (uint32_t)pid;
	ev->has |= TRACE_HAS_PID;

	/* "EVENT: PAYLOAD"; trace-cmd pads the name with spaces */
	name_end = event_name_end(after);
	if (!name_end)
		return trace_reader_bad(r, TRACE_SKIP_BAD_PREFIX,
					"expected 'EVENT: ' after the timestamp");
	name_bytes = (size_t)(name_end - after);
	payload = name_end + 1 + strspn(name_end + 1, " ");
	if (name_bytes == 3 && !memcmp(after, "map", 3))
		return trace_parse_iommu(r, TRACE_OP_MAP, payload, ev);
	if (name_bytes == 5 && !memcmp(after, "unmap", 5))
		return trace_parse_iommu(r, TRACE_OP_UNMAP, payload, ev);
	trace_reader_count_other(r, after, name_bytes);
	return 0;
}

/* "CPU:1 [LOST 35 EVENTS]": the ring buffer overwrote events (trace.c:print_trace_line). */
static bool parse_lost(struct trace_reader *r, const char *line)
{
	const char *p = line;
	uint64_t v;

	if (strncmp(p, "CPU:", 4))
		return false;
	p += 4;
	if (trace_parse_dec(&p, &v) < 0 || strncmp(p, " [LOST ", 7))
		return false;
	p += 7;
	if (trace_parse_dec(&p, &v) < 0 || strcmp(p, " EVENTS]"))
		return false;
	trace_reader_count_lost(r, v);
	return true;
}

/*
 * "# entries-in-buffer/entries-written: 94/96   #P:2": the buffer kept 94 of
 * 96 events written (kernel/trace/trace.c:print_event_info): 2 were lost,
 * and the file holds 94 event lines unless it was cut short.
 */
static void parse_entries(struct trace_reader *r, const char *line)
{
	static const char key[] = "# entries-in-buffer/entries-written: ";
	const char *p = line;
	uint64_t kept, written;

	if (strncmp(p, key, sizeof(key) - 1))
		return;
	p += sizeof(key) - 1;
	if (trace_parse_dec(&p, &kept) < 0 || *p++ != '/' || trace_parse_dec(&p, &written) < 0)
		return;
	trace_reader_count_header_entries(r, kept);
	if (written > kept)
		trace_reader_count_lost(r, written - kept);
}

static int ftrace_next_line(struct trace_reader *r, char *line, size_t line_bytes,
			    struct trace_event *ev)
{
	const char *p = line;

	if (*p == '#') {
		parse_entries(r, p);
		return 0;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return 0;
	if (parse_lost(r, p))
		return 0;
	return ftrace_parse_event_line(r, line, ev);
}

const struct trace_format_ops ftrace_format_ops = {
	.format = TRACE_FORMAT_FTRACE,
	.next_line = ftrace_next_line,
};
