// SPDX-License-Identifier: GPL-2.0
/*
 * bench_replay.c - how fast traces are read and replayed: MB/s of ftrace
 * text parsing and events/s of .ptb replay through each backend.  A
 * benchmark, not a test: it prints, it asserts nothing.
 *
 * The replay uses the 6.1 rules on the default machine (mt8173-4g, 4 CPUs),
 * without --check; the time is the replay loop's alone (the trace is read
 * into memory and ordered before the clock starts).
 *
 * usage: bench_replay FTRACE_TEXT PTB
 */
#include <inttypes.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

#include "replay.h"
#include "trace_reader.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Read every event of @path; prints MB/s of input and events/s. */
static int bench_parse(const char *path)
{
	struct trace_reader *r;
	struct trace_event ev;
	struct stat st;
	char err[512];
	uint64_t n = 0;
	double t0, t1;
	int ret;

	if (stat(path, &st) || trace_open(path, NULL, &r, err, sizeof(err))) {
		fprintf(stderr, "bench_replay: %s: cannot open\n", path);
		return 1;
	}
	t0 = now_s();
	while ((ret = trace_read_next(r, &ev)) > 0)
		n++;
	t1 = now_s();
	if (ret < 0) {
		fprintf(stderr, "bench_replay: %s\n", trace_error(r));
		trace_close(r);
		return 1;
	}
	printf("parse %-9s %10" PRIu64 " events  %8.1f MB/s  %10.0f events/s\n",
	       trace_format_name(trace_reader_format(r)), n,
	       (double)st.st_size / 1e6 / (t1 - t0), (double)n / (t1 - t0));
	trace_close(r);
	return 0;
}

/* Replay @path through every backend; prints the replay loop's events/s. */
static int bench_replay(const char *path)
{
	static struct replay_run runs[PT_BACKEND_NR];
	struct replay_opts o;
	struct replay_trace t;

	replay_opts_default(&o);
	o.trace_path = path;
	o.mm.kernel = KVER_6_1;
	o.timing = true;
	replay_opts_finish(&o);
	if (replay_run_all(&o, &t, runs))
		return 1;
	for (unsigned int i = 0; i < o.nr_backends; i++)
		printf("replay %-16s %10" PRIu64 " events  %10.0f events/s  (%.0f ns/event)\n",
		       runs[i].sum.backend, runs[i].sum.c.events,
		       (double)runs[i].sum.c.events * 1e9 / (double)runs[i].host_ns,
		       (double)runs[i].host_ns / (double)runs[i].sum.c.events);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: bench_replay FTRACE_TEXT PTB\n");
		return 1;
	}
	if (bench_parse(argv[1]) || bench_parse(argv[2]))
		return 1;
	return bench_replay(argv[2]);
}
