/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sample_clock.h - the sampling clock of one replay run: how trace time is cut
 * into CSV rows and how waste is integrated over it.  Freestanding (<stdint.h>,
 * <stdbool.h> only): compiled into ptbench (harness/metrics.c) and, unchanged,
 * into ptb_oracle.ko (kmod/oracle_metrics.c), so the model and the kernel run
 * sample at the same instants and weigh waste by the same time.
 *
 * Rules: trace time is cut into intervals of interval_ns from the first event;
 * before an event of a later interval is applied, one row describes the state
 * at the end of the interval that just closed.  Intervals with no event write
 * no row (a sparse trace does not make a huge file); the last interval's row
 * is written at the end (sample_clock_last_row).  An event older than the
 * clock (a late event) is replayed at the current time.
 *
 * Invariant: waste_byte_ns == sum over events of waste-held * time-held, so
 * the mean waste over the run is waste_byte_ns / (last_ts_ns - first_ts_ns).
 */
#ifndef PTB_SAMPLE_CLOCK_H
#define PTB_SAMPLE_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

struct sample_clock {
	uint64_t interval_ns;			/* > 0 */
	uint64_t first_ts_ns, last_ts_ns;	/* the run's span so far */
	uint64_t sample_end_ns;			/* the open interval's end */
	bool started;
	unsigned __int128 waste_byte_ns;	/* integral of waste over trace time */
};

/* A clock of @interval_ns (0 is taken as 1 ns). */
void sample_clock_init(struct sample_clock *c, uint64_t interval_ns);

/**
 * sample_clock_tick() - before applying an event at @ts_ns: integrate
 * @waste_bytes (held since the last event) and close the interval the event
 * leaves behind.  Returns true with the row's time in *@row_t_ns when a row is
 * due (the state before this event, at the closed interval's end).
 */
bool sample_clock_tick(struct sample_clock *c, uint64_t ts_ns, uint64_t waste_bytes,
		       uint64_t *row_t_ns);

/* At the end: true with the last row's time in *@row_t_ns if any event was seen. */
bool sample_clock_last_row(const struct sample_clock *c, uint64_t *row_t_ns);

/* The trace time from the first event to the last (0 before two events). */
static inline uint64_t sample_clock_span_ns(const struct sample_clock *c)
{
	return c->last_ts_ns - c->first_ts_ns;
}

#endif /* PTB_SAMPLE_CLOCK_H */
