/* SPDX-License-Identifier: GPL-2.0 */
/*
 * machine.h - the simulated machine the unit tests start from.
 * Include after <cmocka.h>: failures are cmocka failures.
 */
#ifndef PTB_TESTS_MACHINE_H
#define PTB_TESTS_MACHINE_H

#include "mm.h"

/* A fresh machine: @memory as --memory takes it, @kver's rules, @cpus CPUs. */
static inline struct mm *test_machine(const char *memory, enum kver kver, unsigned int cpus)
{
	struct mm_cfg cfg;
	char err[256];
	struct mm *mm;

	mm_cfg_default(&cfg);
	assert_int_equal(memory_layout_parse(memory, &cfg.layout, err, sizeof(err)), 0);
	cfg.kernel = kver;
	cfg.nr_cpus = cpus;
	mm = mm_create(&cfg, err, sizeof(err));
	if (!mm)
		fail_msg("mm_create: %s", err);
	return mm;
}

/* test_machine, checked (mm_check) before the test uses it. */
static inline struct mm *test_machine_checked(const char *memory, enum kver kver,
						unsigned int cpus)
{
	struct mm *mm = test_machine(memory, kver, cpus);

	mm_check(mm);
	return mm;
}

#endif /* PTB_TESTS_MACHINE_H */
