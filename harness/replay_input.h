/* SPDX-License-Identifier: GPL-2.0 */
/*
 * replay_input.h - the trace as the replay reads it, for replay.c only.
 *
 * Types:
 *   struct replay_input  the open trace and its reorder window: events come
 *                        out in replay order, one at a time (the stream).
 *   struct trace_buf     all the events in replay order, in memory (the
 *                        oracle's .ptb, a trace with several domains).
 */
#ifndef PTB_REPLAY_INPUT_H
#define PTB_REPLAY_INPUT_H

#include "reorder.h"
#include "replay.h"
#include "trace_reader.h"

struct replay_input {
	const struct replay_opts *o;
	struct trace_reader *r;
	struct reorder ord;		/* ord.late: the late events so far */
	bool at_end;			/* the reader has given its last event */
	uint64_t cpus_folded;		/* events read so far on a CPU >= --cpus */
};

struct trace_buf {
	struct trace_event *ev;
	uint64_t nr, cap;
};

/* Open o->trace_path; *t zeroed.  Returns 0, or 1 after the error line. */
int replay_input_open(struct replay_input *in, const struct replay_opts *o, struct replay_trace *t);
/* The next event in replay order: 1 (*ev filled), 0 at the end, -1 after the error line. */
int replay_input_next(struct replay_input *in, struct trace_event *ev);
/*
 * After the end: the reader's counts and the SHA-256 into *t; an ftrace file
 * cut short, a trace with no iommu event and events the tracer lost said
 * (cli_check_entries(), cli_check_events(), cli_check_lost(): errors with
 * o->strict), then events on CPUs >= --cpus (a warning, said once).  0, or
 * 1 after the error line.
 */
int replay_input_finish(struct replay_input *in, struct replay_trace *t);
/* Accepts a closed or failed-to-open input. */
void replay_input_close(struct replay_input *in);
/* The whole trace in replay order into *b (the caller frees b->ev).  0, or 1 after the error line. */
int replay_input_load(const struct replay_opts *o, struct trace_buf *b, struct replay_trace *t,
		      uint64_t *late);

#endif /* PTB_REPLAY_INPUT_H */
