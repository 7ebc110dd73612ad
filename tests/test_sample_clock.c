// SPDX-License-Identifier: GPL-2.0
/*
 * test_sample_clock.c - the sampling clock ptbench and ptb_oracle.ko share
 * (harness/sample_clock.c): when a CSV row is due, at what time, and how waste
 * is weighed by trace time.  The module compiles the same file, so these rules
 * hold for the kernel run's samples too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sample_clock.h"

/*
 * Interval 100 ns, events at 10, 50, 120, 470 (then the end):
 *
 *   t:   0    100   200   300   400   500
 *        |  10 50 |120  |     |     | 470 |
 *   rows:         ^110              ^410  ^510 (last)
 *
 * The first event opens [10, 110).  120 closes it: a row at 110.  470 closes
 * [110, 210), one row at its end, 210; the empty intervals after it write
 * none, and the next boundary is the first after 470, 510.  Expect rows at
 * 110, 210 and, at the end, 510.
 */
static void test_rows_at_interval_ends(void **state)
{
	struct sample_clock c;
	uint64_t t;

	(void)state;
	sample_clock_init(&c, 100);
	assert_false(sample_clock_tick(&c, 10, 0, &t));
	assert_false(sample_clock_tick(&c, 50, 0, &t));
	assert_true(sample_clock_tick(&c, 120, 0, &t));
	assert_int_equal(t, 110);
	assert_int_equal(c.sample_end_ns, 210);
	assert_true(sample_clock_tick(&c, 470, 0, &t));
	assert_int_equal(t, 210);
	assert_int_equal(c.sample_end_ns, 510);
	assert_true(sample_clock_last_row(&c, &t));
	assert_int_equal(t, 510);
	assert_int_equal(sample_clock_span_ns(&c), 460);
}

/* Waste is integrated over the time it was held: 1000 B for 40 ns, 3000 B for 60 ns. */
static void test_waste_integral(void **state)
{
	struct sample_clock c;
	uint64_t t;

	(void)state;
	sample_clock_init(&c, 1000);
	sample_clock_tick(&c, 0, 0, &t);
	sample_clock_tick(&c, 40, 1000, &t);	/* 1000 B held over [0, 40) */
	sample_clock_tick(&c, 100, 3000, &t);	/* 3000 B held over [40, 100) */
	assert_true(c.waste_byte_ns == (unsigned __int128)(1000 * 40 + 3000 * 60));
	assert_int_equal((uint64_t)(c.waste_byte_ns / sample_clock_span_ns(&c)), 2200);
}

/* A late event is replayed at the current time: it adds no time and moves nothing back. */
static void test_late_event_at_current_time(void **state)
{
	struct sample_clock c;
	uint64_t t;

	(void)state;
	sample_clock_init(&c, 100);
	sample_clock_tick(&c, 500, 0, &t);
	sample_clock_tick(&c, 550, 7, &t);
	assert_false(sample_clock_tick(&c, 520, 9, &t));	/* older than 550 */
	assert_int_equal(c.last_ts_ns, 550);
	assert_true(c.waste_byte_ns == 7 * 50);
	assert_int_equal(sample_clock_span_ns(&c), 50);
}

/* No event, no row; an interval of 0 is taken as 1 ns (never a division by 0). */
static void test_empty_and_zero_interval(void **state)
{
	struct sample_clock c;
	uint64_t t;

	(void)state;
	sample_clock_init(&c, 0);
	assert_false(sample_clock_last_row(&c, &t));
	assert_int_equal(c.interval_ns, 1);
	sample_clock_tick(&c, 5, 0, &t);
	assert_true(sample_clock_tick(&c, 9, 0, &t));
	assert_int_equal(t, 6);
	assert_int_equal(c.sample_end_ns, 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_at_interval_ends),
		cmocka_unit_test(test_waste_integral),
		cmocka_unit_test(test_late_event_at_current_time),
		cmocka_unit_test(test_empty_and_zero_interval),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
