// SPDX-License-Identifier: GPL-2.0
/*
 * test_oracle_result.c - ptb_oracle.ko's result file into replay's run
 * (harness/oracle_result.c): what the module writes becomes the run, what the
 * kernel run cannot measure is marked unmeasured, and a key the module should
 * have written is an error, never a 0.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "oracle.h"

/* A result as kmod/oracle_main.c result_show() writes it (pressure none), line by line. */
static const char *const result_lines[] = {
	"ptb_oracle 1", "backend page-frag", "kver 6.1", "kernel 6.1.0-57-amd64", "cpus 2",
	"zone DMA start_pfn 1 spanned 4095 present 3998 managed 3840 min 32 low 40 high 48",
	"zone DMA32 start_pfn 4096 spanned 1044480 present 782304 managed 766372 min 12759 low 15948 high 19137",
	"trace_events 36", "slab_order 0", "slab_objects 0", "allocs 3", "frees 1", "failures 0",
	"peak_live 3", "final_live 2", "reused_allocs 1", "above_4g 0", "misaligned 0", "untracked 0",
	"fallbacks 0", "table_zone DMA 0", "table_zone DMA32 3",
	"peak_footprint_bytes 32768", "final_footprint_bytes 32768",
	"peak_live_bytes 3072", "mean_waste_bytes 29000", "footprint_at_peak_live 32768",
	"events 36", "maps 23", "unmaps 13", "map_failures 0", "map_errors_other 0", "conflicts 0",
	"unmap_mismatches 2", "atomic_attempts 3", "atomic_failures 1", "rejected_above_4g 0",
	"l1_above_4g 0", "l1_tables 1", "warnings 0", "split_blk 1", "split_blk_lost 0",
	"unexpected_gfp_warnings 0", "free_pages_before 100", "free_pages_after 100", "teardown ok",
	"host_ns 3600", "pressure_zone none", "pressure_target_min_pages 0",
	"pressure_target_max_pages 0", "pressure_ticks 0", "pressure_free_pages_lowest 0",
	"pressure_free_pages_highest 0", "pressure_filler_pages 0", "pressure_released_pages 0",
	"pressure_bursts 0", "pressure_bursts_between_events 0", "pressure_burst_pages 0",
	"pressure_burst_failed_pages 0", "pressure_burst_other_zone 0", "pressure_borrowed_pages 0",
	"pressure_kswapd_wakeups 0", "pressure_kswapd_reclaimed_pages 0",
	"pressure_watermark_boost_max_pages 0", "pressure_boosted_ticks 0",
	"pressure_guest_kswapd_runs 7", "pressure_vmstat_drift_max_pages 0",
	"pressure_blocks_above_order 0", "pressure_refragmented_blocks 0",
	"pressure_highatomic_pages_at_start 0", "sample 1000 36 2 32768 700000 3 1 0",
	"l2_ops 1", "l2_dropped 0", "l2 4 1 0 1", "end",
};

/*
 * The result file with the line starting @prefix replaced by @line, or left
 * out when @line is NULL (@prefix NULL: the whole result); its path in @path.
 */
static void write_result_with(char *path, size_t path_bytes, const char *prefix, const char *line)
{
	FILE *f;
	int fd;

	snprintf(path, path_bytes, "/tmp/ptb-oracle-result.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	for (size_t i = 0; i < sizeof(result_lines) / sizeof(result_lines[0]); i++) {
		if (!prefix || strncmp(result_lines[i], prefix, strlen(prefix)))
			fprintf(f, "%s\n", result_lines[i]);
		else if (line)
			fprintf(f, "%s\n", line);
	}
	assert_int_equal(fclose(f), 0);
}

static void write_result(char *path, size_t path_bytes, const char *skip)
{
	write_result_with(path, path_bytes, skip, NULL);
}

static void test_whole_result_is_a_run(void **state)
{
	struct oracle_result r;
	struct replay_run run;
	char path[64], *l2 = NULL;
	size_t l2_len = 0;
	FILE *l2_log = open_memstream(&l2, &l2_len);

	(void)state;
	write_result(path, sizeof(path), NULL);
	assert_int_equal(oracle_result_read(path, &r, l2_log, "page-frag"), 0);
	assert_int_equal(oracle_result_run(&r, "page-frag", 5, &run), 0);
	fclose(l2_log);
	assert_string_equal(l2, "page-frag 4 alloc 0 1\n");
	assert_int_equal(run.sum.allocs, 3);
	assert_int_equal(run.sum.c.unmap_mismatches, 2);
	assert_int_equal(run.sum.c.late_events, 5);
	assert_int_equal(run.sum.nr_samples, 1);
	assert_int_equal(run.sum.zones[ZONE_DMA32].watermark_pages[WMARK_LOW], 15948);
	assert_true(run.sum.zones[ZONE_DMA].populated);
	assert_true(run.guest.teardown_ok);
	assert_int_equal(run.guest.pressure[6], 7);	/* guest_kswapd_runs */
	/* page_frag's fallbacks are seen; no pressure zone; the model's books are not */
	assert_int_equal(run.measured, RUN_M_GUEST | RUN_M_FALLBACKS);
	assert_false(run.measured & (RUN_M_MM | RUN_M_CHECK | RUN_M_BACKEND_PAGES | RUN_M_ZONE_FREE));
	oracle_result_free(&r);
	free(l2);
	unlink(path);
}

/*
 * Every key the module writes is needed: leaving any one out fails, naming it.
 * Zones: the populated ones have a line each (DMA32 empty on arm64), so a
 * result without any zone line is refused.
 */
static void test_missing_key_is_an_error(void **state)
{
	static const struct {
		const char *line;	/* the line left out, by its start */
		const char *key;	/* the key the error names */
	} needed[] = {
		{ "allocs ", "allocs" }, { "conflicts ", "conflicts" }, { "host_ns ", "host_ns" },
		{ "cpus ", "cpus" }, { "pressure_guest_kswapd_runs ", "pressure_guest_kswapd_runs" },
		{ "pressure_zone ", "pressure_zone" }, { "zone ", "zone" },
		{ "kernel ", "kernel" }, { "kver ", "kver" }, { "teardown ", "teardown_ok" },
	};
	struct oracle_result r;
	struct replay_run run;
	char path[64];

	(void)state;
	for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++) {
		write_result(path, sizeof(path), needed[i].line);
		assert_int_equal(oracle_result_read(path, &r, NULL, "page-frag"), 0);
		oracle_result_value(&r, "cpus");	/* what cmd_oracle reads for config */
		assert_int_equal(oracle_result_run(&r, "page-frag", 0, &run), 1);
		assert_string_equal(r.missing, needed[i].key);
		oracle_result_free(&r);
		unlink(path);
	}
}

/*
 * The "kver" line names the rules the module was built with (kmod/oracle.h
 * ORACLE_KVER_NAME): a version ptbench models is read, anything else refused.
 */
static void test_kver_line(void **state)
{
	static const struct {
		const char *line;
		int ret;
		enum kver kver;
	} cases[] = {
		{ "kver 6.1", 0, KVER_6_1 }, { "kver 6.12", 0, KVER_6_12 }, { "kver 5.99", 1, KVER_4_19 },
	};
	struct oracle_result r;
	char path[64];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		write_result_with(path, sizeof(path), "kver ", cases[i].line);
		assert_int_equal(oracle_result_read(path, &r, NULL, "page-frag"), cases[i].ret);
		if (!cases[i].ret) {
			assert_true(r.have_kver);
			assert_int_equal(r.kver, cases[i].kver);
		}
		oracle_result_free(&r);
		unlink(path);
	}
}

static void test_result_cut_short(void **state)
{
	struct oracle_result r;
	char path[64];

	(void)state;
	write_result(path, sizeof(path), "end");
	assert_int_equal(oracle_result_read(path, &r, NULL, "page-frag"), 1);
	oracle_result_free(&r);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_result_is_a_run),
		cmocka_unit_test(test_missing_key_is_an_error),
		cmocka_unit_test(test_result_cut_short),
		cmocka_unit_test(test_kver_line),
	};

	return cmocka_run_group_tests_name("oracle_result", tests, NULL, NULL);
}
