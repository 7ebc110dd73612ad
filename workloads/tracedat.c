// SPDX-License-Identifier: GPL-2.0
/*
 * tracedat.c - trace.dat, the binary file `trace-cmd record` writes (v6 and
 * v7, any compression libtracecmd knows), read with Debian's libtracecmd
 * and libtraceevent: records come merged across CPUs in timestamp order
 * (tracecmd_read_next_data), fields are read by name from the event formats
 * the file carries (iova, paddr, size, unmapped_size; common_pid,
 * common_flags, common_preempt_count).
 *
 * The libraries run in a child process (tracedat_child.c).  libtraceevent
 * 1.7.1 crashes on some malformed event formats (a '~' inside
 * "REC->prev_state" of a print fmt: `trace-cmd report` itself dies with
 * SIGSEGV) and libtracecmd 3.1.6
 * crashes closing a handle whose per-CPU data did not load; both were found
 * by tests/fuzz/fuzz_tracedat.  Bad input must never crash ptbench, so the
 * child opens the file, reads every record and sends what it found through
 * a pipe (struct tracedat_msg); a child that dies becomes one error line.
 * The parent does no allocation per record (the child does: libtracecmd
 * allocates each record).
 *
 * A gzip-compressed trace.dat, or one read from a pipe, a FIFO or stdin, is
 * copied (inflated) to an unlinked temporary file first, bounded: libtracecmd
 * needs a file it can seek and mmap.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tmp_paths.h"
#include "tracedat_internal.h"

#define TRACEDAT_PIPE_BUF_BYTES		(64u * 1024)
#define TRACEDAT_MAGIC_BYTES		10	/* "\x17\x08Dtracing", checked by trace_reader.c */
/*
 * A gzip'd trace.dat (or one from a pipe) is copied to a temporary file no
 * larger than this: 4 GiB holds some 100 million iommu records (about 40
 * bytes each), days of a device's DMA; a larger trace can be gunzipped by
 * hand (saved to a file) and read as it is, with no bound.
 */
#define TRACEDAT_INFLATE_MAX_BYTES	(4ull << 30)

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
 * The file version after the magic (trace-cmd.dat.v7(5): "\x17\x08Dtracing",
 * then the version as a NUL-terminated decimal string).  Checked on the first
 * bytes, so a gzip'd file of another kind is refused before it is inflated.
 * Returns 0 or -1 (error set).
 */
static int tracedat_check_version(struct trace_reader *r, const char *hdr, size_t bytes)
{
	const char *version = hdr + TRACEDAT_MAGIC_BYTES;

	if (bytes <= TRACEDAT_MAGIC_BYTES || !memchr(version, '\0', bytes - TRACEDAT_MAGIC_BYTES))
		return trace_reader_fail_noline(r, "trace.dat: header cut short before its file version");
	if (strcmp(version, "6") && strcmp(version, "7"))
		return trace_reader_fail_noline(r, "trace.dat: file version '%.8s': libtracecmd 3.1.6 reads versions 6 and 7",
						version);
	return 0;
}

/*
 * How large the inflated copy may grow: TRACEDAT_INFLATE_MAX_BYTES (or
 * $PTBENCH_INFLATE_MAX_BYTES), and at most half the space free where it is
 * written, so a gzip bomb (or an endless pipe) never fills the disk others
 * use.
 */
static uint64_t tracedat_inflate_bound(int fd)
{
	const char *env = getenv("PTBENCH_INFLATE_MAX_BYTES");
	uint64_t bound = TRACEDAT_INFLATE_MAX_BYTES;
	struct statvfs sv;

	if (env && *env) {
		char *end;
		unsigned long long v = strtoull(env, &end, 0);

		if (!*end && v)
			bound = v;
	}
	if (!fstatvfs(fd, &sv) && (uint64_t)sv.f_bavail * sv.f_frsize / 2 < bound)
		bound = (uint64_t)sv.f_bavail * sv.f_frsize / 2;
	return bound;
}

/*
 * A gzip-compressed trace.dat, or one from a pipe, a FIFO or stdin, copied
 * (inflated) into an unlinked temporary file (libtracecmd needs a file it
 * can seek and mmap), its version checked on the first bytes and its size
 * bounded (tracedat_inflate_bound()).  Returns the open fd or -1.
 */
static int tracedat_inflate(struct trace_reader *r)
{
	const char *dir = tmp_paths_dir();
	char path[4096], buf[65536];
	uint64_t bound, total = 0;
	int fd;
	long n;

	if (trace_reader_rewind(r) < 0)
		return -1;
	n = trace_reader_read_bytes(r, buf, sizeof(buf));
	if (n < 0 || tracedat_check_version(r, buf, (size_t)n) < 0)
		return -1;
	fd = tmp_paths_scratch("trace.dat", path, sizeof(path));
	if (fd < 0)
		return trace_reader_fail_noline(r, "cannot create a temporary file in %s: %s",
						dir, strerror(-fd));
	bound = tracedat_inflate_bound(fd);
	for (; n > 0; n = trace_reader_read_bytes(r, buf, sizeof(buf))) {
		total += (uint64_t)n;
		if (total > bound) {
			bool gz = trace_reader_is_gzip(r);

			trace_reader_fail_noline(r, "trace.dat: %s past %llu bytes, the bound of its temporary copy in %s (%llu bytes, at most half the free space; PTBENCH_INFLATE_MAX_BYTES): %s",
						 gz ? "gzip'd, it inflates" : "from a pipe, it runs",
						 (unsigned long long)bound, dir,
						 (unsigned long long)TRACEDAT_INFLATE_MAX_BYTES,
						 gz ? "gunzip it and read the trace.dat" :
						      "save it to a file and read that");
			goto fail;
		}
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
		tracedat_child_main(r, fd, pipe_fds[1]);
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
