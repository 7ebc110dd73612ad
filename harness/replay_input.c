// SPDX-License-Identifier: GPL-2.0
/*
 * replay_input.c - the trace as the replay reads it (replay_input.h): opened
 * once, its events given out in replay order through the reorder window,
 * its counts and SHA-256 at the end; or all of it into memory.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "replay_input.h"

static int trace_buf_push(struct trace_buf *b, const struct trace_event *ev)
{
	if (b->nr == b->cap) {
		uint64_t cap = b->cap ? b->cap * 2 : 4096;
		struct trace_event *grown = realloc(b->ev, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		b->ev = grown;
		b->cap = cap;
	}
	b->ev[b->nr++] = *ev;
	return 0;
}

int replay_input_open(struct replay_input *in, const struct replay_opts *o, struct replay_trace *t)
{
	struct trace_open_opts topts = { .skip_bad = o->skip_bad };
	char err[512];

	memset(in, 0, sizeof(*in));
	memset(t, 0, sizeof(*t));
	in->o = o;
	if (trace_open(o->trace_path, &topts, &in->r, err, sizeof(err)))
		return cli_error("%s", err);
	reorder_init(&in->ord, o->reorder_window_ns);
	return 0;
}

int replay_input_next(struct replay_input *in, struct trace_event *ev)
{
	struct trace_event got;
	int n;

	while (!reorder_pop(&in->ord, in->at_end, ev)) {
		if (in->at_end)
			return 0;
		n = trace_read_next(in->r, &got);
		if (n < 0) {
			cli_error("%s", trace_error(in->r));
			return -1;
		}
		if (n == 0) {
			in->at_end = true;
			continue;
		}
		/* a CPU the machine does not have replays on CPU % --cpus: counted as read */
		if ((got.has & TRACE_HAS_CPU) && got.cpu >= in->o->mm.nr_cpus)
			in->cpus_folded++;
		if (reorder_push(&in->ord, &got)) {
			cli_error("%s: out of memory in the reorder window", in->o->trace_path);
			return -1;
		}
	}
	return 1;
}

int replay_input_finish(struct replay_input *in, struct replay_trace *t)
{
	const struct trace_read_stats *st = trace_stats(in->r);

	if (trace_sha256_hex(in->r, t->sha256) < 0)
		return cli_error("%s", trace_error(in->r));
	/* known only now, at the end of the stream: warnings, errors with --strict */
	if (cli_check_entries(in->o->trace_path, in->r, in->o->strict) ||
	    cli_check_events(in->o->trace_path, in->r, in->o->strict) ||
	    cli_check_lost(in->o->trace_path, in->r, in->o->strict))
		return 1;
	t->format = trace_format_name(trace_reader_format(in->r));
	t->events = st->events;
	t->maps = st->maps;
	t->unmaps = st->unmaps;
	t->skipped = st->bad_lines_skipped;
	t->other_events = st->other_events;
	t->lost_events = st->lost_events;
	t->converted_skipped = st->converted_skipped;
	/* said once, with the stream's other warnings at its end */
	t->cpus_folded_events = in->cpus_folded;
	if (t->cpus_folded_events)
		cli_error("%s: %" PRIu64 " events on CPUs >= --cpus %u replay on CPU %% %u",
			  in->o->trace_path, t->cpus_folded_events, in->o->mm.nr_cpus, in->o->mm.nr_cpus);
	return 0;
}

void replay_input_close(struct replay_input *in)
{
	reorder_free(&in->ord);
	trace_close(in->r);
	in->r = NULL;
}

int replay_input_load(const struct replay_opts *o, struct trace_buf *b, struct replay_trace *t,
		      uint64_t *late)
{
	struct replay_input in;
	struct trace_event ev;
	int ret;

	if (replay_input_open(&in, o, t))
		return 1;
	while ((ret = replay_input_next(&in, &ev)) > 0) {
		if (trace_buf_push(b, &ev)) {
			ret = cli_error("%s: out of memory after %" PRIu64 " events", o->trace_path, b->nr);
			goto out;
		}
	}
	ret = ret < 0 ? 1 : replay_input_finish(&in, t);
	*late = in.ord.late;
out:
	replay_input_close(&in);
	return ret;
}
