// SPDX-License-Identifier: GPL-2.0
/* sample_clock.c - the sampling clock ptbench and ptb_oracle.ko share (sample_clock.h). */
#include "sample_clock.h"

void sample_clock_init(struct sample_clock *c, uint64_t interval_ns)
{
	*c = (struct sample_clock){ .interval_ns = interval_ns ? interval_ns : 1 };
}

bool sample_clock_tick(struct sample_clock *c, uint64_t ts_ns, uint64_t waste_bytes,
		       uint64_t *row_t_ns)
{
	if (!c->started) {
		c->started = true;
		c->first_ts_ns = c->last_ts_ns = ts_ns;
		c->sample_end_ns = ts_ns + c->interval_ns;
		return false;
	}
	if (ts_ns < c->last_ts_ns)
		ts_ns = c->last_ts_ns;	/* late events are replayed at the current time */
	c->waste_byte_ns += (unsigned __int128)waste_bytes * (ts_ns - c->last_ts_ns);
	c->last_ts_ns = ts_ns;
	if (ts_ns < c->sample_end_ns)
		return false;
	*row_t_ns = c->sample_end_ns;
	/* the next boundary after ts, skipping empty intervals */
	c->sample_end_ns += ((ts_ns - c->sample_end_ns) / c->interval_ns + 1) * c->interval_ns;
	return true;
}

bool sample_clock_last_row(const struct sample_clock *c, uint64_t *row_t_ns)
{
	*row_t_ns = c->sample_end_ns;
	return c->started;
}
