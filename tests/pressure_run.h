/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pressure_run.h - what the pressure tests (test_pressure.c,
 * test_pressure_trace.c) share: a scenario parsed and created on a machine
 * (press, press_at), stepped in replay's order (step), its statistics, the
 * parser's canonical strings and errors; mt8173-4g's DMA32 watermarks on 4.19
 * and tests/data/kmem-small.csv.
 * Include after <cmocka.h>: failures are cmocka failures.
 */
#ifndef PTB_TESTS_PRESSURE_RUN_H
#define PTB_TESTS_PRESSURE_RUN_H

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "machine.h"

#include "pressure.h"
#include "pt_alloc.h"

#define MS 1000000ULL
#define DMA32_MIN 1505
#define DMA32_LOW 2266
#define DMA32_HIGH 3027
#define DMA32_ATOMIC 565

#define KMEM_SMALL "tests/data/kmem-small.csv"

/* @t0_ns: the trace time of the machine's time 0, as replay passes its first event's. */
static inline struct pressure *press_at(struct mm *mm, const char *arg, uint64_t seed, uint64_t t0_ns)
{
	struct pressure_cfg cfg;
	char err[512] = "";
	struct pressure *p;

	if (pressure_parse(arg, &cfg, err, sizeof(err)))
		fail_msg("pressure_parse(%s): %s", arg, err);
	p = pressure_create(&cfg, mm, seed, t0_ns, err, sizeof(err));
	if (!p)
		fail_msg("pressure_create(%s): %s", arg, err);
	return p;
}

static inline struct pressure *press(struct mm *mm, const char *arg, uint64_t seed)
{
	return press_at(mm, arg, seed, 0);
}

static inline uint64_t batch_of(struct mm *mm, enum zone_type z)
{
	struct zone_info zi;

	mm_zone_info(mm, z, &zi);
	return zi.pcp_batch;
}

static inline struct pressure_stats stats_of(const struct pressure *p)
{
	struct pressure_stats st;

	pressure_get_stats(p, &st);
	return st;
}

/* Advance the machine (kswapd runs) then let the pressure act: replay's order. */
static inline uint64_t step(struct mm *mm, struct pressure *p, uint64_t now_ns)
{
	mm_advance_time(mm, now_ns);
	pressure_tick(p);
	return mm_zone_free_pages(mm, stats_of(p).zone);
}

static inline void expect_canonical(const char *arg, const char *want)
{
	struct pressure_cfg cfg, again;
	char err[256] = "", buf[256], buf2[256];

	if (pressure_parse(arg, &cfg, err, sizeof(err)))
		fail_msg("pressure_parse(%s): %s", arg, err);
	assert_string_equal(pressure_format(&cfg, buf, sizeof(buf)), want);
	/* the canonical string reads back as the same configuration */
	assert_int_equal(pressure_parse(buf, &again, err, sizeof(err)), 0);
	assert_string_equal(pressure_format(&again, buf2, sizeof(buf2)), want);
}

static inline void expect_error(const char *arg, const char *want)
{
	struct pressure_cfg cfg;
	char err[256] = "";

	assert_int_equal(pressure_parse(arg, &cfg, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, want);
}

#endif /* PTB_TESTS_PRESSURE_RUN_H */
