// SPDX-License-Identifier: GPL-2.0
/*
 * tracedat.c - trace.dat, the binary file `trace-cmd record` writes (v6 and
 * v7, any compression libtracecmd knows), read with Debian's libtracecmd
 * and libtraceevent: records come merged across CPUs in timestamp order
 * (tracecmd_read_next_data), fields are read by name from the event formats
 * the file carries (iova, paddr, size, unmapped_size; common_pid,
 * common_flags, common_preempt_count).
 *
 * The libraries run in a child process.  libtraceevent 1.7.1 crashes on
 * some malformed event formats (a '~' inside "REC->prev_state" of a print
 * fmt: `trace-cmd report` itself dies with SIGSEGV) and libtracecmd 3.1.6
 * crashes closing a handle whose per-CPU data did not load; both were found
 * by tests/fuzz/fuzz_tracedat.  Bad input must never crash ptbench, so the
 * child opens the file, reads every record and sends what it found through
 * a pipe (struct tracedat_msg); a child that dies becomes one error line.
 * The parent does no allocation per record (the child does: libtracecmd
 * allocates each record).
 *
 * A gzip-compressed trace.dat is inflated to an unlinked temporary file
 * first: libtracecmd needs a file it can seek and mmap.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <trace-cmd.h>

#include "trace_reader.h"

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
#define TRACEDAT_PIPE_BUF_BYTES		(64u * 1024)
#define TRACEDAT_TEXT_BYTES		512u

/* ---- what the child sends: a header, then @bytes of payload ---- */

enum tracedat_msg_type {
	TRACEDAT_MSG_OPENED = 1,	/* the file opened: records follow */
	TRACEDAT_MSG_EVENT,		/* one iommu record: struct trace_event */
	TRACEDAT_MSG_OTHER,		/* one record of another event: its name */
	TRACEDAT_MSG_BAD,		/* one iommu record that does not parse: why */
	TRACEDAT_MSG_LOST,		/* uint64_t events the ring buffer dropped */
	TRACEDAT_MSG_ERROR,		/* the child gives up: why */
	TRACEDAT_MSG_END,		/* every record was sent */
};

struct tracedat_msg {
	uint8_t type;			/* enum tracedat_msg_type */
	uint8_t reserved;
	uint16_t bytes;			/* payload that follows */
};

/* ---- the child: libtracecmd ---- */

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

/*
 * The child's whole life: open, send every record, exit.  It never returns
 * and never closes the handle (see the top of the file); _exit() keeps the
 * parent's stdio buffers and exit handlers out of it.
 */
static void __attribute__((noreturn)) child_main(struct trace_reader *r, int fd, int pipe_fd)
{
	struct tracedat_child c = { .r = r };
	struct tep_record *rec;
	int cpu, null_fd;

	/*
	 * Nothing of the child reaches the terminal: libtracecmd 3.1.6 prints
	 * some warnings with printf() whatever the log level ("File possibly
	 * truncated"), and a crash report (ASan's) would break the one-line
	 * error; the parent says what happened.
	 */
	if (__sanitizer_set_death_callback)
		__sanitizer_set_death_callback(NULL);
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
	while ((rec = tracecmd_read_next_data(c.handle, &cpu))) {
		c.nr_records++;
		child_record(&c, rec);
		tracecmd_free_record(rec);
	}
	child_send(&c, TRACEDAT_MSG_END, NULL, 0);
	_exit(fflush(c.out) ? 1 : 0);
}

/* ---- the parent: the reader ---- */

struct tracedat {
	pid_t child;			/* 0 once reaped */
	int pipe_fd;
	size_t pos;
	size_t len;
	unsigned char buf[TRACEDAT_PIPE_BUF_BYTES];
};

/* Exactly @bytes from the pipe.  Returns 1, 0 at its end, -1 if it ends mid-way. */
static int pipe_read(struct tracedat *td, void *dst, size_t bytes)
{
	unsigned char *out = dst;
	size_t done = 0;

	while (done < bytes) {
		size_t take;

		if (td->pos == td->len) {
			ssize_t n = read(td->pipe_fd, td->buf, sizeof(td->buf));

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				return done ? -1 : 0;
			td->pos = 0;
			td->len = (size_t)n;
		}
		take = td->len - td->pos < bytes - done ? td->len - td->pos : bytes - done;
		memcpy(out + done, td->buf + td->pos, take);
		td->pos += take;
		done += take;
	}
	return 1;
}

static int child_status(struct tracedat *td)
{
	int status = 0;

	while (td->child > 0 && waitpid(td->child, &status, 0) < 0 && errno == EINTR)
		;
	td->child = 0;
	return status;
}

/* The pipe ended without END or ERROR: the child died (libtracecmd crashed). */
static int tracedat_child_died(struct trace_reader *r, struct tracedat *td)
{
	int status = child_status(td);

	/* a sanitizer build reports the crash and exits 1 instead */
	if (WIFSIGNALED(status))
		return trace_reader_fail_noline(r, "trace.dat: libtracecmd died reading this file (%s): it is corrupt",
						strsignal(WTERMSIG(status)));
	return trace_reader_fail_noline(r, "trace.dat: libtracecmd died reading this file (exit status %d): it is corrupt",
					WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

/*
 * The next message into @payload (NUL-terminated, at most @payload_bytes - 1).
 * Returns its type, or -1 (error set) if the child died or sent garbage.
 */
static int tracedat_next_msg(struct trace_reader *r, struct tracedat *td, void *payload,
			     size_t payload_bytes, size_t *bytes)
{
	struct tracedat_msg m;
	int ret = pipe_read(td, &m, sizeof(m));

	if (ret == 1 && m.bytes >= payload_bytes)
		return trace_reader_fail_noline(r, "trace.dat: the libtracecmd reader sent a %u-byte message",
						m.bytes);
	if (ret == 1)
		ret = pipe_read(td, payload, m.bytes);
	if (ret < 1)
		return tracedat_child_died(r, td);
	((char *)payload)[m.bytes] = '\0';
	*bytes = m.bytes;
	return m.type;
}

/*
 * A gzip-compressed trace.dat, or one from a pipe or stdin, copied (inflated)
 * into an unlinked temporary file (libtracecmd needs a file it can seek and
 * mmap).  Returns the open fd or -1.
 */
static int tracedat_inflate(struct trace_reader *r)
{
	const char *dir = getenv("TMPDIR");
	char path[4096], buf[65536];
	int fd;
	long n;

	snprintf(path, sizeof(path), "%s/ptbench-trace.dat.XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(path);
	if (fd < 0)
		return trace_reader_fail_noline(r, "cannot create a temporary file in %s: %s",
						dir && *dir ? dir : "/tmp", strerror(errno));
	unlink(path);
	if (trace_reader_rewind(r) < 0)
		goto fail;
	while ((n = trace_reader_read_bytes(r, buf, sizeof(buf))) > 0) {
		if (write(fd, buf, (size_t)n) != n) {
			trace_reader_fail_noline(r, "cannot write the temporary file %s: %s",
						 path, strerror(errno));
			goto fail;
		}
	}
	if (n < 0 || lseek(fd, 0, SEEK_SET) < 0)
		goto fail;
	return fd;
fail:
	close(fd);
	return -1;
}

static void tracedat_close(struct trace_reader *r)
{
	struct tracedat *td = trace_reader_priv(r);

	if (!td)
		return;
	if (td->child > 0)
		kill(td->child, SIGKILL);	/* stopped early: the rest is not wanted */
	child_status(td);
	if (td->pipe_fd >= 0)
		close(td->pipe_fd);
	free(td);
	trace_reader_set_priv(r, NULL);
}

static int tracedat_open(struct trace_reader *r)
{
	char text[TRACEDAT_TEXT_BYTES];
	struct tracedat *td;
	int fd, pipe_fds[2];
	size_t bytes;
	int type;

	td = calloc(1, sizeof(*td));
	if (!td)
		return trace_reader_fail_noline(r, "out of memory");
	td->pipe_fd = -1;
	trace_reader_set_priv(r, td);
	if (trace_reader_is_gzip(r) || !trace_reader_is_file(r)) {
		fd = tracedat_inflate(r);
	} else {
		fd = open(trace_reader_path(r), O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			trace_reader_fail_noline(r, "%s", strerror(errno));
	}
	if (fd < 0)
		goto fail;
	if (pipe2(pipe_fds, O_CLOEXEC) < 0) {
		trace_reader_fail_noline(r, "cannot make a pipe: %s", strerror(errno));
		close(fd);
		goto fail;
	}
	fflush(NULL);		/* nothing buffered is written twice */
	td->child = fork();
	if (td->child == 0) {
		close(pipe_fds[0]);
		child_main(r, fd, pipe_fds[1]);
	}
	close(pipe_fds[1]);
	close(fd);
	td->pipe_fd = pipe_fds[0];
	if (td->child < 0) {
		td->child = 0;
		trace_reader_fail_noline(r, "cannot start the trace.dat reader: %s", strerror(errno));
		goto fail;
	}
	type = tracedat_next_msg(r, td, text, sizeof(text), &bytes);
	if (type == TRACEDAT_MSG_OPENED)
		return 0;
	if (type == TRACEDAT_MSG_ERROR)
		trace_reader_fail_noline(r, "%s", text);
	else if (type >= 0)
		trace_reader_fail_noline(r, "trace.dat: the libtracecmd reader sent message %d first", type);
fail:
	tracedat_close(r);
	return -1;
}

static int tracedat_next_record(struct trace_reader *r, struct trace_event *ev)
{
	struct tracedat *td = trace_reader_priv(r);
	union {
		struct trace_event ev;
		uint64_t nr_lost;
		char text[TRACEDAT_TEXT_BYTES];
	} m;
	size_t bytes;

	for (;;) {
		switch (tracedat_next_msg(r, td, &m, sizeof(m), &bytes)) {
		case TRACEDAT_MSG_EVENT:
			if (bytes != sizeof(*ev))
				break;
			trace_reader_count_record(r);
			*ev = m.ev;
			return 1;
		case TRACEDAT_MSG_OTHER:
			trace_reader_count_record(r);
			trace_reader_count_other(r, m.text, bytes);
			continue;
		case TRACEDAT_MSG_BAD:
			trace_reader_count_record(r);
			if (trace_reader_bad(r, TRACE_SKIP_BAD_RECORD, "%s", m.text) < 0)
				return -1;
			continue;
		case TRACEDAT_MSG_LOST:
			if (bytes != sizeof(m.nr_lost))
				break;
			trace_reader_count_lost(r, m.nr_lost);
			continue;
		case TRACEDAT_MSG_END:
			child_status(td);
			return 0;
		case TRACEDAT_MSG_ERROR:
			return trace_reader_fail_noline(r, "%s", m.text);
		case -1:
			return -1;
		default:
			break;
		}
		return trace_reader_fail_noline(r, "trace.dat: the libtracecmd reader sent a bad message");
	}
}

const struct trace_format_ops tracedat_format_ops = {
	.format = TRACE_FORMAT_TRACE_DAT,
	.open = tracedat_open,
	.next_record = tracedat_next_record,
	.close = tracedat_close,
};
