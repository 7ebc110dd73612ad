// SPDX-License-Identifier: GPL-2.0
/*
 * input.c - the body shared by every fuzz target (input.h): the fuzz input
 * goes into one memfd reused for every run, whose /proc/self/fd/N path the
 * reader opens like any trace file (gzopen(), stat(), libtracecmd's open()).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "input.h"

#define FUZZ_ERR_BYTES 1024

/*
 * libtracecmd mallocs sizes read from the file (a header of 0x7469622037322020
 * bytes) and copes when malloc returns NULL: let any malloc over 512 MiB
 * return NULL, as a real system may, instead of ASan reporting
 * allocation-size-too-big (or spending seconds poisoning gigabytes).  Our
 * own readers never malloc more than one line (TRACE_LINE_MAX_BYTES).
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1:max_allocation_size_mb=512";
}

/*
 * Debian's libtraceevent 1.7 / libtracecmd 3.1.6 leak a few bytes when an
 * event format does not parse (tep_parse_event()): their leaks, not ours,
 * and harmless in ptbench, which reads one trace and exits.  Leaks whose
 * stack passes through our code only are still reported.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libtraceevent.so\nleak:libtracecmd.so\n";
}

static int input_fd = -1;
static char input_path[64];
static char out_dir[256];		/* where the .ptb round trip writes */

static void check(bool ok, const char *what)
{
	if (ok)
		return;
	fprintf(stderr, "fuzz: broken promise: %s\n", what);
	abort();
}

static void remove_out_dir(void)
{
	rmdir(out_dir);
}

static void input_put(const uint8_t *data, size_t size)
{
	size_t done = 0;

	if (input_fd < 0) {
		const char *tmp = getenv("TMPDIR");

		input_fd = memfd_create("ptbench-fuzz", 0);
		check(input_fd >= 0, "memfd_create");
		snprintf(input_path, sizeof(input_path), "/proc/self/fd/%d", input_fd);
		/* tmpfs if there is one: the round trip writes a file per input */
		snprintf(out_dir, sizeof(out_dir), "%s/ptbench-fuzz.XXXXXX",
			 !access("/dev/shm", W_OK) ? "/dev/shm" : tmp && *tmp ? tmp : "/tmp");
		check(mkdtemp(out_dir) != NULL, "mkdtemp");
		atexit(remove_out_dir);
	}
	check(ftruncate(input_fd, 0) == 0, "ftruncate");
	while (done < size) {
		ssize_t n = pwrite(input_fd, data + done, size - done, (off_t)done);

		check(n > 0, "pwrite");
		done += (size_t)n;
	}
}

/* "PATH: reason" or "PATH:LINE: reason", one line. */
static void check_error(const char *err, const char *path)
{
	size_t n = strlen(path);
	const char *p = err + n;

	check(!strncmp(err, path, n), "an error names the file first");
	if (*p == ':' && p[1] >= '0' && p[1] <= '9') {
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	}
	check(p[0] == ':' && p[1] == ' ' && p[2], "an error is 'FILE[:LINE]: reason'");
	check(!strchr(err, '\n'), "an error is one line");
}

struct fuzz_sum {
	uint64_t events;
	uint64_t hash;			/* FNV-1a over the events' fields */
};

static void hash_u64(uint64_t *h, uint64_t v)
{
	for (int i = 0; i < 8; i++) {
		*h ^= (v >> (8 * i)) & 0xff;
		*h *= 0x100000001b3ull;
	}
}

static void sum_event(struct fuzz_sum *s, const struct trace_event *ev)
{
	hash_u64(&s->hash, ev->ts_ns);
	hash_u64(&s->hash, ev->iova);
	hash_u64(&s->hash, ev->paddr);
	hash_u64(&s->hash, ev->size_bytes);
	hash_u64(&s->hash, ev->unmapped_bytes);
	hash_u64(&s->hash, (uint64_t)ev->domain << 32 | ev->gfp);
	hash_u64(&s->hash, (uint64_t)ev->pid << 32 | (uint64_t)ev->cpu << 16 |
		 (uint64_t)ev->op << 8 | ev->ctx);
	hash_u64(&s->hash, ev->has);
	s->events++;
}

/* The writer keeps what a .ptb record holds (ptb.c:ptb_writer_write()). */
static void check_same_record(const struct trace_event *a, const struct trace_event *b)
{
	check(a->ts_ns == b->ts_ns && a->iova == b->iova && a->size_bytes == b->size_bytes &&
	      a->op == b->op && a->has == b->has, "ptb round trip: ts, iova, size, op, has");
	check(a->op != TRACE_OP_MAP || a->paddr == b->paddr, "ptb round trip: paddr");
	check(a->op != TRACE_OP_UNMAP || a->unmapped_bytes == b->unmapped_bytes,
	      "ptb round trip: unmapped");
	check(a->cpu == b->cpu && a->ctx == b->ctx && a->pid == b->pid && a->domain == b->domain &&
	      a->gfp == b->gfp, "ptb round trip: cpu, ctx, pid, domain, gfp");
}

/*
 * The .ptb events just read, written with ptb_writer and read back: the
 * same events.  Every event of a .ptb carries the header's fields, so the
 * writer's AND of them is those fields again.
 */
static void ptb_round_trip(void)
{
	struct trace_open_opts opts = { .skip_bad = true };
	struct trace_reader *in = NULL, *back = NULL;
	struct ptb_writer *w;
	struct trace_event ev, ev2;
	char err[FUZZ_ERR_BYTES], out[320];
	int n, m;

	snprintf(out, sizeof(out), "%s/rt.ptb", out_dir);
	check(trace_open(input_path, &opts, &in, err, sizeof(err)) == 0, "ptb reopens");
	check(ptb_writer_open(out, "fuzz", &w, err, sizeof(err)) == 0, "ptb_writer_open");
	while ((n = trace_read_next(in, &ev)) > 0)
		check(ptb_writer_write(w, &ev) == 0, "ptb_writer_write");
	check(ptb_writer_close(w, err, sizeof(err)) == 0, "ptb_writer_close");
	trace_close(in);
	if (n < 0) {
		unlink(out);
		return;		/* only a good prefix was written: fine, not compared */
	}
	check(trace_open(input_path, &opts, &in, err, sizeof(err)) == 0, "ptb reopens");
	check(trace_open(out, NULL, &back, err, sizeof(err)) == 0, "the written .ptb opens");
	while ((n = trace_read_next(in, &ev)) > 0) {
		m = trace_read_next(back, &ev2);
		check(m == 1, "the written .ptb has every event");
		check_same_record(&ev, &ev2);
	}
	check(n == 0 && trace_read_next(back, &ev2) == 0, "the written .ptb ends there");
	trace_close(back);
	trace_close(in);
	unlink(out);
}

/*
 * Read the whole input.  @strict: the strict read's result, when this is
 * the skip_bad read (NULL otherwise).  Returns the reader's format or -1.
 */
static int read_all(int format, bool skip_bad, const struct fuzz_sum *strict,
		    struct fuzz_sum *sum, bool *failed)
{
	struct trace_open_opts opts = {
		.skip_bad = skip_bad,
		.force_format = format != FUZZ_DETECT,
		.format = format == FUZZ_DETECT ? TRACE_FORMAT_FTRACE : (enum trace_format)format,
	};
	struct fuzz_sum prefix = { 0, 0xcbf29ce484222325ull };
	const struct trace_read_stats *s;
	struct trace_reader *r;
	struct trace_event ev;
	char err[FUZZ_ERR_BYTES];
	uint64_t skipped = 0;
	int n, fmt;

	*sum = prefix;
	*failed = false;
	if (trace_open(input_path, &opts, &r, err, sizeof(err)) < 0) {
		check_error(err, input_path);
		*failed = true;
		return -1;
	}
	while ((n = trace_read_next(r, &ev)) > 0) {
		check(ev.op == TRACE_OP_MAP || ev.op == TRACE_OP_UNMAP, "op is map or unmap");
		check(!(ev.has & ~(TRACE_HAS_CPU | TRACE_HAS_CTX | TRACE_HAS_DOMAIN | TRACE_HAS_GFP |
				   TRACE_HAS_PID)), "known TRACE_HAS_* bits only");
		sum_event(sum, &ev);
		if (strict && sum->events <= strict->events)
			prefix = *sum;
	}
	s = trace_stats(r);
	check(s->events == sum->events, "stats.events == events returned");
	check(s->maps + s->unmaps == s->events, "maps + unmaps == events");
	for (int k = 0; k < TRACE_SKIP_NR; k++)
		skipped += s->skipped[k];
	check(skipped == s->bad_lines_skipped, "bad_lines_skipped == sum of skipped[]");
	check(skip_bad || !skipped, "nothing skipped without skip_bad");
	if (n < 0) {
		check_error(trace_error(r), input_path);
		check(trace_read_next(r, &ev) == -1, "a failed reader stays failed");
		*failed = true;
	} else {
		check(!trace_error(r)[0], "no error after a clean end");
		check(trace_read_next(r, &ev) == 0, "a finished reader stays finished");
	}
	if (strict) {
		check(strict->events <= sum->events, "skip_bad never returns fewer events");
		check(prefix.events == strict->events && prefix.hash == strict->hash,
		      "the strict read's events start the skip_bad read");
	}
	fmt = trace_reader_format(r);
	trace_close(r);
	return fmt;
}

int fuzz_read_trace(const uint8_t *data, size_t size, int format)
{
	struct fuzz_sum strict, loose;
	bool strict_failed, loose_failed;
	int fmt;

	input_put(data, size);
	read_all(format, false, NULL, &strict, &strict_failed);
	fmt = read_all(format, true, &strict, &loose, &loose_failed);
	if (!strict_failed)
		check(!loose_failed && loose.events == strict.events && loose.hash == strict.hash,
		      "a clean strict read equals the skip_bad read");
	if (fmt == TRACE_FORMAT_PTB)
		ptb_round_trip();
	return 0;
}
