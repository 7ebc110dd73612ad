// SPDX-License-Identifier: GPL-2.0
/*
 * tracecmd.c - trace-cmd's two outputs:
 *
 * `trace-cmd report` text: an optional "version = 6" and "cpus=N" header,
 * then ftrace-like event lines with the event name padded (trace-cmd 3.1):
 *            dd-129   [000]     3.949760: map:                  IOMMU: iova=...
 * or, with -l, CPU and flags glued:  "dd-129   0d..1.     3.949760: map: ..."
 * The event lines go through ftrace_parse_event_line() (ftrace.c).
 *
 * trace.dat, the binary file `trace-cmd record` writes (v6 and v7, any
 * compression libtracecmd knows), read with Debian's libtracecmd and
 * libtraceevent: records come merged across CPUs in timestamp order
 * (tracecmd_read_next_data), fields are read by name from the event formats
 * the file carries (iova, paddr, size, unmapped_size; common_pid,
 * common_flags, common_preempt_count).  A gzip-compressed trace.dat is
 * inflated to a temporary file first: libtracecmd needs a seekable file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <trace-cmd.h>

#include "trace_reader.h"

/* Exported by libtracecmd (used by trace-cmd itself) but not in its public header. */
struct tep_record *tracecmd_read_next_data(struct tracecmd_input *handle, int *rec_cpu);

/* ---- trace-cmd report text ---- */

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

/* ---- trace.dat ---- */

struct iommu_fields {
	struct tep_event *event;
	struct tep_format_field *iova;
	struct tep_format_field *second;	/* map: paddr; unmap: size */
	struct tep_format_field *third;		/* map: size; unmap: unmapped_size */
};

struct tracedat {
	struct tracecmd_input *handle;
	struct tep_handle *tep;
	struct iommu_fields map;
	struct iommu_fields unmap;
	uint64_t nr_records;
};

static int find_iommu_event(struct trace_reader *r, struct tracedat *td, struct iommu_fields *f,
			    const char *name, const char *second, const char *third)
{
	f->event = tep_find_event_by_name(td->tep, "iommu", name);
	if (!f->event)
		return 0;		/* a trace without iommu events: all "other" */
	f->iova = tep_find_field(f->event, "iova");
	f->second = tep_find_field(f->event, second);
	f->third = tep_find_field(f->event, third);
	if (!f->iova || !f->second || !f->third)
		return trace_reader_fail_noline(r, "trace.dat: the iommu:%s format lacks iova, %s or %s",
						name, second, third);
	return 0;
}

/* Inflate a gzip-compressed trace.dat into an unlinked temporary file. */
static int tracedat_inflate(struct trace_reader *r, struct tracedat *td)
{
	const char *dir = getenv("TMPDIR");
	char path[4096], buf[65536];
	int fd, ret = -1;
	long n;

	snprintf(path, sizeof(path), "%s/ptbench-trace.dat.XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(path);
	if (fd < 0)
		return trace_reader_fail_noline(r, "cannot create a temporary file in %s: %s",
						dir && *dir ? dir : "/tmp", strerror(errno));
	if (trace_reader_rewind(r) < 0)
		goto out;
	while ((n = trace_reader_read_bytes(r, buf, sizeof(buf))) > 0) {
		if (write(fd, buf, (size_t)n) != n) {
			trace_reader_fail_noline(r, "cannot write the temporary file %s: %s",
						 path, strerror(errno));
			goto out;
		}
	}
	if (n < 0)
		goto out;
	td->handle = tracecmd_open(path, TRACECMD_FL_LOAD_NO_PLUGINS);
	ret = 0;
out:
	unlink(path);
	close(fd);
	return ret;
}

static int tracedat_open(struct trace_reader *r)
{
	struct tracedat *td;

	td = calloc(1, sizeof(*td));
	if (!td)
		return trace_reader_fail_noline(r, "out of memory");
	trace_reader_set_priv(r, td);
	tracecmd_set_loglevel(TEP_LOG_NONE);
	tep_set_loglevel(TEP_LOG_NONE);
	if (trace_reader_is_gzip(r)) {
		if (tracedat_inflate(r, td) < 0)
			goto fail;
	} else {
		td->handle = tracecmd_open(trace_reader_path(r), TRACECMD_FL_LOAD_NO_PLUGINS);
	}
	if (!td->handle) {
		trace_reader_fail_noline(r, "not a readable trace.dat: libtracecmd could not open it");
		goto fail;
	}
	td->tep = tracecmd_get_tep(td->handle);
	if (!td->tep) {
		trace_reader_fail_noline(r, "trace.dat: no event formats");
		goto fail;
	}
	if (find_iommu_event(r, td, &td->map, "map", "paddr", "size") < 0 ||
	    find_iommu_event(r, td, &td->unmap, "unmap", "size", "unmapped_size") < 0)
		goto fail;
	return 0;
fail:
	if (td->handle)
		tracecmd_close(td->handle);
	free(td);
	trace_reader_set_priv(r, NULL);
	return -1;
}

/* Read one numeric field; -1 if the record is too short to hold it. */
static int read_field(const struct tep_record *rec, struct tep_format_field *field, uint64_t *val)
{
	unsigned long long v;

	if (field->offset < 0 || field->size <= 0 || field->offset + field->size > rec->size)
		return -1;
	if (tep_read_number_field(field, rec->data, &v) < 0)
		return -1;
	*val = v;
	return 0;
}

/*
 * common_flags bits (kernel/trace/trace.h enum trace_flag_type, the same
 * values as libtraceevent's TRACE_FLAG_*): 0x01 irqs off, 0x08 hardirq,
 * 0x10 softirq, 0x40 NMI; common_preempt_count low nibble: preempt depth.
 */
static uint8_t ctx_from_flags(int flags, int preempt_count)
{
	uint8_t ctx = 0;

	if (flags & 0x01)
		ctx |= TRACE_CTX_IRQS_OFF;
	if (flags & 0x08)
		ctx |= TRACE_CTX_HARDIRQ;
	if (flags & 0x10)
		ctx |= TRACE_CTX_SOFTIRQ;
	if (flags & 0x40)
		ctx |= TRACE_CTX_NMI;
	if (preempt_count & 0xf)
		ctx |= TRACE_CTX_PREEMPT_OFF;
	return ctx;
}

static int tracedat_next_record(struct trace_reader *r, struct trace_event *ev)
{
	struct tracedat *td = trace_reader_priv(r);

	for (;;) {
		struct tep_record *rec;
		struct tep_event *event;
		const struct iommu_fields *f = NULL;
		uint64_t a, b, c;
		int cpu, type, flags, pc, ret;

		rec = tracecmd_read_next_data(td->handle, &cpu);
		if (!rec)
			return 0;
		td->nr_records++;
		trace_reader_count_record(r);
		if (rec->missed_events)
			trace_reader_count_lost(r, rec->missed_events > 0 ?
						(uint64_t)rec->missed_events : 1);
		type = tep_data_type(td->tep, rec);
		if (td->map.event && type == td->map.event->id)
			f = &td->map;
		else if (td->unmap.event && type == td->unmap.event->id)
			f = &td->unmap;
		if (!f) {
			event = tep_find_event(td->tep, type);
			if (event)
				trace_reader_count_other(r, event->name, strlen(event->name));
			else
				trace_reader_count_other(r, "(unknown id)", 12);
			tracecmd_free_record(rec);
			continue;
		}
		if (read_field(rec, f->iova, &a) < 0 || read_field(rec, f->second, &b) < 0 ||
		    read_field(rec, f->third, &c) < 0) {
			ret = trace_reader_bad(r, TRACE_SKIP_BAD_RECORD,
					       "record %llu (cpu %d): iommu:%s record of %d bytes is too short for its fields",
					       (unsigned long long)td->nr_records - 1, rec->cpu,
					       f->event->name, rec->size);
			tracecmd_free_record(rec);
			if (ret < 0)
				return -1;
			continue;
		}
		ev->ts_ns = rec->ts;
		ev->cpu = (uint16_t)rec->cpu;
		ev->pid = (uint32_t)tep_data_pid(td->tep, rec);
		ev->iova = a;
		ev->has = TRACE_HAS_CPU | TRACE_HAS_PID;
		if (f == &td->map) {
			ev->op = TRACE_OP_MAP;
			ev->paddr = b;
			ev->size_bytes = c;
		} else {
			ev->op = TRACE_OP_UNMAP;
			ev->size_bytes = b;
			ev->unmapped_bytes = c;
		}
		flags = tep_data_flags(td->tep, rec);
		pc = tep_data_preempt_count(td->tep, rec);
		if (flags >= 0 && pc >= 0) {
			ev->ctx = ctx_from_flags(flags, pc);
			ev->has |= TRACE_HAS_CTX;
		}
		tracecmd_free_record(rec);
		return 1;
	}
}

static void tracedat_close(struct trace_reader *r)
{
	struct tracedat *td = trace_reader_priv(r);

	if (!td)
		return;
	if (td->handle)
		tracecmd_close(td->handle);
	free(td);
	trace_reader_set_priv(r, NULL);
}

const struct trace_format_ops tracedat_format_ops = {
	.format = TRACE_FORMAT_TRACE_DAT,
	.open = tracedat_open,
	.next_record = tracedat_next_record,
	.close = tracedat_close,
};
