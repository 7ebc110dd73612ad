// SPDX-License-Identifier: GPL-2.0
/*
 * reorder.c - the reorder window (reorder.h): a binary min-heap on
 * (key, seq), which is unique, so the order given out is one.
 */
#include <errno.h>
#include <stdlib.h>

#include "reorder.h"

void reorder_init(struct reorder *r, uint64_t window_ns)
{
	*r = (struct reorder){ .window_ns = window_ns };
}

static bool slot_before(const struct reorder_slot *a, const struct reorder_slot *b)
{
	if (a->key_ns != b->key_ns)
		return a->key_ns < b->key_ns;
	return a->seq < b->seq;
}

int reorder_push(struct reorder *r, const struct trace_event *ev)
{
	struct reorder_slot s = { .key_ns = ev->ts_ns, .seq = r->seq, .ev = *ev };
	uint64_t i;

	if (r->nr == r->cap) {
		uint64_t cap = r->cap ? r->cap * 2 : 1024;
		struct reorder_slot *grown = realloc(r->heap, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		r->heap = grown;
		r->cap = cap;
	}
	/* late: more than the window older than the newest read before it (no ts + window: it overflows) */
	if (r->seq && ev->ts_ns < r->newest_ns && r->newest_ns - ev->ts_ns > r->window_ns) {
		s.key_ns = r->newest_ns;
		r->late++;
	}
	if (ev->ts_ns > r->newest_ns)
		r->newest_ns = ev->ts_ns;
	r->seq++;
	for (i = r->nr++; i; i = (i - 1) / 2) {
		struct reorder_slot *parent = &r->heap[(i - 1) / 2];

		if (!slot_before(&s, parent))
			break;
		r->heap[i] = *parent;
	}
	r->heap[i] = s;
	return 0;
}

bool reorder_pop(struct reorder *r, bool at_end, struct trace_event *ev)
{
	struct reorder_slot last;
	uint64_t i = 0;

	if (!r->nr)
		return false;
	/* every event still to come has a key >= newest - window */
	if (!at_end && (r->newest_ns < r->window_ns ||
			r->heap[0].key_ns > r->newest_ns - r->window_ns))
		return false;
	*ev = r->heap[0].ev;
	last = r->heap[--r->nr];
	for (;;) {
		uint64_t c = 2 * i + 1;

		if (c >= r->nr)
			break;
		if (c + 1 < r->nr && slot_before(&r->heap[c + 1], &r->heap[c]))
			c++;
		if (!slot_before(&r->heap[c], &last))
			break;
		r->heap[i] = r->heap[c];
		i = c;
	}
	r->heap[i] = last;
	return true;
}

void reorder_free(struct reorder *r)
{
	free(r->heap);
	r->heap = NULL;
	r->nr = r->cap = 0;
}
