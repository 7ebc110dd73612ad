// SPDX-License-Identifier: GPL-2.0
/*
 * tracedat_child.c - the child process of the trace.dat reader (tracedat.c):
 * it opens the file with Debian's libtracecmd and libtraceevent, checks
 * what they would trip on (a v6 file's per-CPU table, the page size), reads
 * every record of the top buffer, or of its one buffer instance, and sends
 * each as a message through the pipe (tracedat_internal.h).  A crash here
 * is contained: the parent turns it into one error line.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <trace-cmd.h>

#include "tracedat_internal.h"

/*
 * libtracecmd 3.1.6 exports these without declaring them in <trace-cmd.h>
 * (they are in its trace-cmd-private.h); tracecmd_open_fd() is
 * tracecmd_alloc_fd() + tracecmd_read_headers() + tracecmd_init_data().
 */
struct tep_record *tracecmd_read_next_data(struct tracecmd_input *handle, int *rec_cpu);
struct tracecmd_input *tracecmd_alloc_fd(int fd, int flags);
int tracecmd_read_headers(struct tracecmd_input *handle, int state);
int tracecmd_cpus(struct tracecmd_input *handle);
int tracecmd_page_size(struct tracecmd_input *handle);
int tracecmd_long_size(struct tracecmd_input *handle);
unsigned long tracecmd_get_in_file_version(struct tracecmd_input *handle);
int tracecmd_get_file_state(struct tracecmd_input *handle);

#define TRACEDAT_FILE_CPU_FLYRECORD	11	/* enum tracecmd_file_states, trace-cmd-private.h */
#define TRACEDAT_PAGE_MIN_BYTES		4096u	/* ring-buffer sub-buffer: one kernel page ... */
#define TRACEDAT_PAGE_MAX_BYTES		(1u << 20)	/* ... up to 1 MiB */
#define TRACEDAT_CPUS_MAX		65536	/* struct trace_event.cpu is 16 bits */
#define TRACEDAT_COMMIT_MASK		((1u << 27) - 1)	/* kbuffer-parse.c: COMMIT_MASK */

/*
 * Set by a sanitizer runtime when one is linked (weak: NULL otherwise).  A
 * libFuzzer parent registers a death callback that records the input as a
 * crash; the child's contained crash is not the fuzzer's.
 */
void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

struct iommu_fields {
	struct tep_event *event;
	struct tep_format_field *iova;
	struct tep_format_field *second;	/* map: paddr; unmap: size */
	struct tep_format_field *third;		/* map: size; unmap: unmapped_size */
};

struct tracedat_child {
	struct trace_reader *r;		/* the parent's, copied by fork(): formats errors */
	FILE *out;			/* the pipe */
	struct tracecmd_input *handle;
	struct tep_handle *tep;
	struct iommu_fields map;
	struct iommu_fields unmap;
	uint64_t nr_records;
};

/* Send one message; a parent gone (closed early) ends the child. */
static void child_send(struct tracedat_child *c, enum tracedat_msg_type type,
		       const void *payload, size_t bytes)
{
	struct tracedat_msg m = { .type = (uint8_t)type, .bytes = (uint16_t)bytes };

	if (fwrite(&m, sizeof(m), 1, c->out) != 1 ||
	    (bytes && fwrite(payload, bytes, 1, c->out) != 1))
		_exit(1);
}

static void child_send_text(struct tracedat_child *c, enum tracedat_msg_type type,
			    const char *text)
{
	child_send(c, type, text, strnlen(text, TRACEDAT_TEXT_BYTES - 1));
}

/* The reason of the error just set on the child's copy of the reader. */
static const char *child_reason(const struct tracedat_child *c)
{
	return trace_error(c->r) + strlen(trace_reader_path(c->r)) + 2;	/* "PATH: " */
}

static int find_iommu_event(struct tracedat_child *c, struct iommu_fields *f,
			    const char *name, const char *second, const char *third)
{
	f->event = tep_find_event_by_name(c->tep, "iommu", name);
	if (!f->event)
		return 0;		/* a trace without iommu events: all "other" */
	f->iova = tep_find_field(f->event, "iova");
	f->second = tep_find_field(f->event, second);
	f->third = tep_find_field(f->event, third);
	if (!f->iova || !f->second || !f->third)
		return trace_reader_fail_noline(c->r, "trace.dat: the iommu:%s format lacks iova, %s or %s",
						name, second, third);
	return 0;
}

/*
 * What tracecmd_init_data() of a v6 file checks, checked first to say
 * precisely what is wrong: the "flyrecord" per-CPU table that follows the
 * headers (trace-cmd.dat.v6(5): offset, size per CPU), each CPU's data
 * inside the file and page-aligned, and the first page header's commit size
 * within a page (libtracecmd's update_page_info()).  @fd is positioned
 * right after the headers.  Returns 0 or -1 (error set).
 */
static int child_check_v6(struct tracedat_child *c, int fd)
{
	struct trace_reader *r = c->r;
	int cpus = tracecmd_cpus(c->handle);
	uint64_t page_bytes = (uint64_t)tracecmd_page_size(c->handle);
	int long_bytes = tracecmd_long_size(c->handle) == 8 ? 8 : 4;
	off_t table = lseek(fd, 0, SEEK_CUR);
	unsigned char kind[10], entry[16], commit[8];
	struct stat st;

	if (table < 10 || fstat(fd, &st) < 0 || pread(fd, kind, sizeof(kind), table - 10) != 10)
		return trace_reader_fail_noline(r, "trace.dat: cannot read the per-CPU table");
	if (memcmp(kind, "flyrecord", 10))
		return trace_reader_fail_noline(r, "trace.dat: not a flyrecord trace (a latency trace has no per-CPU events)");
	if (cpus < 0 || cpus > TRACEDAT_CPUS_MAX)
		return trace_reader_fail_noline(r, "trace.dat: %d CPUs: expected 0 to %d", cpus,
						TRACEDAT_CPUS_MAX);
	for (int cpu = 0; cpu < cpus; cpu++) {
		uint64_t offset, size, file_bytes = (uint64_t)st.st_size;

		if (pread(fd, entry, sizeof(entry), table + 16 * (off_t)cpu) != sizeof(entry))
			return trace_reader_fail_noline(r, "trace.dat: the per-CPU table is cut short at CPU %d of %d (the file is truncated)",
							cpu, cpus);
		offset = tep_read_number(c->tep, entry, 8);
		size = tep_read_number(c->tep, entry + 8, 8);
		if (!size)
			continue;
		if (offset > file_bytes || size > file_bytes - offset)
			return trace_reader_fail_noline(r, "trace.dat: CPU %d data [%llu, +%llu bytes) runs past the end of the file at %llu bytes (the file is truncated)",
							cpu, (unsigned long long)offset,
							(unsigned long long)size,
							(unsigned long long)file_bytes);
		if (offset % page_bytes)
			return trace_reader_fail_noline(r, "trace.dat: CPU %d data at %llu is not aligned to the %llu-byte page",
							cpu, (unsigned long long)offset,
							(unsigned long long)page_bytes);
		if (tep_get_header_timestamp_size(c->tep) != 8)
			return trace_reader_fail_noline(r, "trace.dat: header_page timestamp is not 8 bytes");
		if (pread(fd, commit, long_bytes, (off_t)offset + 8) != long_bytes ||
		    (tep_read_number(c->tep, commit, long_bytes) & TRACEDAT_COMMIT_MASK) > page_bytes)
			return trace_reader_fail_noline(r, "trace.dat: CPU %d: the first page's commit size is larger than a page",
							cpu);
	}
	return 0;
}

/* Open @fd as a trace.dat.  Returns 0 or -1 (error set). */
static int child_open(struct tracedat_child *c, int fd)
{
	struct trace_reader *r = c->r;
	uint64_t page_bytes;

	tracecmd_set_loglevel(TEP_LOG_NONE);
	tep_set_loglevel(TEP_LOG_NONE);
	c->handle = tracecmd_alloc_fd(fd, TRACECMD_FL_LOAD_NO_PLUGINS);
	if (!c->handle)
		return trace_reader_fail_noline(r, "not a readable trace.dat: bad magic, version or compression");
	if (tracecmd_read_headers(c->handle, 0) < 0)
		return trace_reader_fail_noline(r, "not a readable trace.dat: its headers (event formats, options) do not parse");
	c->tep = tracecmd_get_tep(c->handle);
	if (!c->tep)
		return trace_reader_fail_noline(r, "trace.dat: no event formats");
	/* libtracecmd divides by the page size and masks with it */
	page_bytes = (uint64_t)tracecmd_page_size(c->handle);
	if (page_bytes < TRACEDAT_PAGE_MIN_BYTES || page_bytes > TRACEDAT_PAGE_MAX_BYTES ||
	    (page_bytes & (page_bytes - 1)))
		return trace_reader_fail_noline(r, "trace.dat: page size %llu: expected a power of two from %u to %u",
						(unsigned long long)page_bytes, TRACEDAT_PAGE_MIN_BYTES,
						TRACEDAT_PAGE_MAX_BYTES);
	if (tracecmd_get_in_file_version(c->handle) < 7 && child_check_v6(c, fd) < 0)
		return -1;
	if (tracecmd_init_data(c->handle) < 0)
		return trace_reader_fail_noline(r, "not a readable trace.dat: its per-CPU data does not load (truncated?)");
	if (tracecmd_get_file_state(c->handle) != TRACEDAT_FILE_CPU_FLYRECORD)
		return trace_reader_fail_noline(r, "trace.dat: not a flyrecord trace (a latency trace has no per-CPU events)");
	if (find_iommu_event(c, &c->map, "map", "paddr", "size") < 0 ||
	    find_iommu_event(c, &c->unmap, "unmap", "size", "unmapped_size") < 0)
		return -1;
	return 0;
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

/* One record to one message. */
static void child_record(struct tracedat_child *c, struct tep_record *rec)
{
	const struct iommu_fields *f = NULL;
	struct trace_event ev;
	struct tep_event *event;
	char why[TRACEDAT_TEXT_BYTES];
	uint64_t a, b, cnt;
	int type, flags, pc;

	if (rec->missed_events) {
		cnt = rec->missed_events > 0 ? (uint64_t)rec->missed_events : 1;
		child_send(c, TRACEDAT_MSG_LOST, &cnt, sizeof(cnt));
	}
	type = tep_data_type(c->tep, rec);
	if (c->map.event && type == c->map.event->id)
		f = &c->map;
	else if (c->unmap.event && type == c->unmap.event->id)
		f = &c->unmap;
	if (!f) {
		event = tep_find_event(c->tep, type);
		child_send_text(c, TRACEDAT_MSG_OTHER, event ? event->name : "(unknown id)");
		return;
	}
	if (read_field(rec, f->iova, &a) < 0 || read_field(rec, f->second, &b) < 0 ||
	    read_field(rec, f->third, &cnt) < 0) {
		snprintf(why, sizeof(why), "record %llu (cpu %d): iommu:%s record of %d bytes is too short for its fields",
			 (unsigned long long)c->nr_records - 1, rec->cpu, f->event->name, rec->size);
		child_send_text(c, TRACEDAT_MSG_BAD, why);
		return;
	}
	memset(&ev, 0, sizeof(ev));
	ev.ts_ns = rec->ts;
	ev.cpu = (uint16_t)rec->cpu;
	ev.pid = (uint32_t)tep_data_pid(c->tep, rec);
	ev.iova = a;
	ev.has = TRACE_HAS_CPU | TRACE_HAS_PID;
	if (f == &c->map) {
		ev.op = TRACE_OP_MAP;
		ev.paddr = b;
		ev.size_bytes = cnt;
	} else {
		ev.op = TRACE_OP_UNMAP;
		ev.size_bytes = b;
		ev.unmapped_bytes = cnt;
	}
	flags = tep_data_flags(c->tep, rec);
	pc = tep_data_preempt_count(c->tep, rec);
	if (flags >= 0 && pc >= 0) {
		ev.ctx = ctx_from_flags(flags, pc);
		ev.has |= TRACE_HAS_CTX;
	}
	child_send(c, TRACEDAT_MSG_EVENT, &ev, sizeof(ev));
}

/* Send every record of @handle (the top buffer or an instance). */
static void child_read_all(struct tracedat_child *c, struct tracecmd_input *handle)
{
	struct tep_record *rec;
	int cpu;

	while ((rec = tracecmd_read_next_data(handle, &cpu))) {
		c->nr_records++;
		child_record(c, rec);
		tracecmd_free_record(rec);
	}
}

/*
 * `trace-cmd record -B NAME` (and `extract -B NAME`) write the events into a
 * buffer instance and leave the top buffer empty: with one instance, its
 * records are the trace.  Several are refused: their records would need
 * merging across handles, which `trace-cmd report` does (ptbench reads its
 * text, each line prefixed by the instance's name).  Returns 0 or -1 (error set).
 */
static int child_instance(struct tracedat_child *c)
{
	int n = tracecmd_buffer_instances(c->handle);
	struct tracecmd_input *handle;

	if (n > 1)
		return trace_reader_fail_noline(c->r, "trace.dat: the top buffer is empty and %d buffer instances ('%s', '%s'%s) may hold the events: ptbench reads one; read their `trace-cmd report` instead, which merges them",
						n, tracecmd_buffer_instance_name(c->handle, 0),
						tracecmd_buffer_instance_name(c->handle, 1), n > 2 ? ", ..." : "");
	handle = tracecmd_buffer_instance_handle(c->handle, 0);
	if (!handle)
		return trace_reader_fail_noline(c->r, "trace.dat: buffer instance '%s' does not load",
						tracecmd_buffer_instance_name(c->handle, 0));
	child_read_all(c, handle);
	return 0;
}

/*
 * The child's whole life: open, send every record, exit.  It never returns
 * and never closes the handle (see tracedat.c's top); _exit() keeps the
 * parent's stdio buffers and exit handlers out of it.
 */
void tracedat_child_main(struct trace_reader *r, int fd, int pipe_fd)
{
	struct tracedat_child c = { .r = r };
	int null_fd;

	/*
	 * Nothing of the child reaches the terminal: libtracecmd 3.1.6 prints
	 * some warnings with printf() whatever the log level ("File possibly
	 * truncated"), and a crash report (ASan's) would break the one-line
	 * error; the parent says what happened.
	 */
	if (__sanitizer_set_death_callback)
		__sanitizer_set_death_callback(NULL);
	/* the parent's temporary files are the parent's to remove (tmp_paths.h) */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	null_fd = open("/dev/null", O_WRONLY);
	if (null_fd >= 0) {
		dup2(null_fd, STDOUT_FILENO);
		dup2(null_fd, STDERR_FILENO);
		close(null_fd);
	}
	c.out = fdopen(pipe_fd, "w");
	if (!c.out)
		_exit(1);
	if (child_open(&c, fd) < 0) {
		child_send_text(&c, TRACEDAT_MSG_ERROR, child_reason(&c));
		fflush(c.out);
		_exit(0);
	}
	child_send(&c, TRACEDAT_MSG_OPENED, NULL, 0);
	fflush(c.out);		/* the parent waits for OPENED in trace_open() */
	child_read_all(&c, c.handle);
	if (!c.nr_records && tracecmd_buffer_instances(c.handle) && child_instance(&c) < 0) {
		child_send_text(&c, TRACEDAT_MSG_ERROR, child_reason(&c));
		fflush(c.out);
		_exit(0);
	}
	child_send(&c, TRACEDAT_MSG_END, NULL, 0);
	_exit(fflush(c.out) ? 1 : 0);
}
