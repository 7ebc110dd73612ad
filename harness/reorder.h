/* SPDX-License-Identifier: GPL-2.0 */
/*
 * reorder.h - put a trace's events in timestamp order within the reorder
 * window, as they are read, holding only the events of the window.
 *
 * Types:
 *   struct reorder  the window: a min-heap of the events read and not yet
 *                   given out, ordered by (key, sequence number).
 * Terms: an event's "key" is its timestamp, or, for a "late" event (one
 * more than window_ns older than the newest event read before it), that
 * newest timestamp: a late event is replayed where it was read, counted.
 * Equal keys keep file order (the sequence number).  The order given out is
 * exactly a stable sort of the whole trace by key: an event leaves the
 * window once no event still to come can sort before it (its key is at
 * least window_ns older than the newest timestamp read).
 */
#ifndef PTB_REORDER_H
#define PTB_REORDER_H

#include <stdbool.h>
#include <stdint.h>

#include "trace.h"

struct reorder_slot {
	uint64_t key_ns;
	uint64_t seq;
	struct trace_event ev;
};

struct reorder {
	struct reorder_slot *heap;
	uint64_t nr, cap;
	uint64_t window_ns;
	uint64_t newest_ns;		/* the newest timestamp read */
	uint64_t seq;			/* events pushed */
	uint64_t late;			/* events pushed late */
};

void reorder_init(struct reorder *r, uint64_t window_ns);
/* Returns 0 or -ENOMEM (the heap grows by doubling: a few reallocs a trace). */
int reorder_push(struct reorder *r, const struct trace_event *ev);
/*
 * The next event in order into *ev: one no later event can precede, or,
 * with @at_end (the trace is all read), whatever is left.  Returns true if
 * one was given out.
 */
bool reorder_pop(struct reorder *r, bool at_end, struct trace_event *ev);
/* Accepts a zeroed struct. */
void reorder_free(struct reorder *r);

#endif /* PTB_REORDER_H */
