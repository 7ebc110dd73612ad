// SPDX-License-Identifier: GPL-2.0
/*
 * test_pressure_trace.c - the trace pressure scenario (harness/pressure_trace.c,
 * workloads/kmem_recording.c): its NAME:key=value string, a ptrec --kmem
 * recording (tests/data/kmem-small.csv) followed interval by interval, its
 * zone map, demand that does not fit owed and counted, every malformed
 * file's error, CRLF and gzip.
 * mt8173-4g, 4.19: DMA32 min 1505 pages (pressure_run.h).
 * Run from the top of the tree (make test does), which holds tests/data.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <cmocka.h>

#include "pressure_run.h"

/* ---- trace ---- */

#define TRACE_CANON_TAIL ",free=boot+0,DMA=dma,DMA32=dma32,Normal=normal,Movable=normal"

static void test_trace_parse(void **state)
{
	(void)state;
	expect_canonical("trace:" KMEM_SMALL, "trace:file=" KMEM_SMALL TRACE_CANON_TAIL);
	expect_canonical("trace:file=" KMEM_SMALL, "trace:file=" KMEM_SMALL TRACE_CANON_TAIL);
	expect_canonical("trace:Normal=none,file=/x/k.csv.gz,free=low,DMA=dma32",
			 "trace:file=/x/k.csv.gz,free=low+0,DMA=dma32,DMA32=dma32,Normal=none,Movable=normal");
	expect_canonical("edge:free=boot-5", "edge:zone=dma32,free=boot-5");
	assert_ptr_equal(pressure_find("trace"), pressure_get(PRESSURE_TRACE));
	assert_null(pressure_get(PRESSURE_NR));

	expect_error("trace", "trace: needs the recording: trace:FILE or trace:file=FILE (a ptrec --kmem CSV)");
	expect_error("trace:free=low", "trace: needs the recording: trace:FILE or trace:file=FILE "
		     "(a ptrec --kmem CSV)");
	expect_error("trace:", "trace: empty key (keys: file, free, DMA, DMA32, Normal, Movable)");
	expect_error("trace:a,b.csv", "trace: file: 'a,b.csv' has a ',' (the key separator): "
		     "rename or link the file");
	expect_error("trace:file=k.csv,DMA32=highmem",
		     "trace: DMA32: 'highmem' is not one of dma32, dma, normal, none");
	expect_error("trace:file=k.csv,dma32=none",
		     "trace: unknown key 'dma32' (keys: file, free, DMA, DMA32, Normal, Movable)");
	expect_error("trace:file=k.csv,file=l.csv", "trace: key 'file' given twice");
	/* a zone key takes no "none": only the map does */
	expect_error("edge:zone=none", "edge: zone: 'none' is not one of dma32, dma, normal");
	/* boot is no watermark */
	expect_error("edge:free=wmark_boot", "edge: free: 'wmark_boot' is not a level (N pages, "
		     "min|low|high|atomic|boot[+-N], or a fraction 0..1 from min to low)");
}

/* The cumulative net demand (allocs - frees) of kmem-small.csv's intervals, per zone. */
static const int64_t small_dma32_net[7] = { 2000, 5000, 6000, 4000, 1000, 0, 0 };
static const int64_t small_normal_net[7] = { 20, -15, -15, -25, 5, -15, -5 };

/* expected - free is what the per-CPU list kept of its last refill: [0, batch). */
static void expect_follows(struct mm *mm, enum zone_type z, uint64_t free0, int64_t net, uint64_t t_ms)
{
	int64_t gap = (int64_t)free0 - net - (int64_t)mm_zone_free_pages(mm, z);

	if (gap < 0 || gap >= (int64_t)batch_of(mm, z))
		fail_msg("t=%llu ms: %s free %llu, recorded net demand says %lld (batch %llu)",
			 (unsigned long long)t_ms, zone_name(z), (unsigned long long)mm_zone_free_pages(mm, z),
			 (long long)((int64_t)free0 - net), (unsigned long long)batch_of(mm, z));
}

/*
 * kmem-small.csv, replayed from its first event at 1.0 s (intervals end at
 * 1.1 .. 1.7 s), machine at its boot level, a tick every 10 ms:
 *   DMA32 free  ~~\\___ -6000 ___/~~~~  (2000, 3000, 1000 allocated; 2000, 3000, 1000 freed)
 * Expect nothing before 1.1 s, then each zone's free pages = start - the
 * recorded net demand so far, to within the per-CPU batch others' last
 * allocation left on CPU 0's list (frees are drained: exact), "other"
 * counted and ignored, and nothing unapplied.
 */
static void test_trace_follows_net_demand(void **state)
{
	struct mm *mm = test_machine("mt8173-4g", KVER_4_19, 4);
	struct pressure *p = press_at(mm, "trace:" KMEM_SMALL, 1, 1000 * MS);
	uint64_t dma32_0 = mm_zone_free_pages(mm, ZONE_DMA32), normal_0 = mm_zone_free_pages(mm, ZONE_NORMAL);
	struct pressure_stats st;

	(void)state;
	st = stats_of(p);
	assert_int_equal(st.zone, ZONE_DMA32);
	assert_int_equal(st.intervals, 7);
	assert_int_equal(st.filler_pages + st.released_pages, 0);	/* boot+0: nothing moved */
	for (uint64_t t = 0; t <= 900; t += 10) {
		int i = t < 100 ? -1 : (int)MIN((t - 100) / 100, 6);

		step(mm, p, t * MS);
		assert_int_equal(stats_of(p).intervals_applied, (uint64_t)(i + 1));
		expect_follows(mm, ZONE_DMA32, dma32_0, i < 0 ? 0 : small_dma32_net[i], t);
		expect_follows(mm, ZONE_NORMAL, normal_0, i < 0 ? 0 : small_normal_net[i], t);
	}
	st = stats_of(p);
	assert_int_equal(st.recorded_alloc_pages, 8240 + 2590);
	assert_int_equal(st.recorded_free_pages, 8240 + 2595);
	assert_int_equal(st.ignored_alloc_pages, 12);
	assert_int_equal(st.ignored_free_pages, 12);
	assert_int_equal(st.unknown_zone_rows, 0);
	assert_int_equal(st.unapplied_alloc_pages + st.unapplied_free_pages + st.unapplied_ticks, 0);
	/* DMA32: +2000 +3000 +1000 then -2000 -3000 -1000; Normal: +20 -35 -10 +30 -20 +10 */
	assert_int_equal(st.filler_pages, 6000 + 60);
	assert_int_equal(st.released_pages, 6000 + 65);
	mm_check(mm);
	pressure_destroy(p);
	mm_destroy(mm);
}

/* A temporary file holding @bytes; the caller unlinks @path. */
static void write_tmp(char *path, size_t path_bytes, const void *bytes, size_t nr_bytes)
{
	FILE *f;
	int fd;

	snprintf(path, path_bytes, "/tmp/ptb-kmem-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, nr_bytes, f), nr_bytes);
	assert_int_equal(fclose(f), 0);
}

/* trace on the recording at @path, with more keys (",free=min" ...) if any. */
static struct pressure *press_file(struct mm *mm, const char *path, const char *keys)
{
	char arg[PRESSURE_ARG_MAX];

	snprintf(arg, sizeof(arg), "trace:file=%s%s", path, keys);
	return press(mm, arg, 1);
}

/*
 * Zone names: node1/DMA32 is DMA32 (the machine has one node), HighMem and
 * Device are no zone ptrec writes (counted, ignored, like "other"); a zone
 * mapped to none is ignored; on 6.1 recorded DMA32 is replayed in ZONE_DMA
 * (where GFP_DMA32 is served on arm64 from 5.5); recorded DMA on arm64 4.19
 * goes where GFP_DMA is served there, ZONE_NORMAL.
 */
static void test_trace_zone_names(void **state)
{
	static const char csv[] = KMEM_HEADER "\n"
		"100,DMA32,10,0\n100,HighMem,7,3\n100,node1/DMA32,5,0\n100,node1/Normal,0,0\n100,other,2,1\n"
		"200,Device,1,1\n200,DMA32,0,15\n200,DMA,40,0\n";
	char path[64];
	struct mm *mm = test_machine("mt8173-4g", KVER_4_19, 4);
	uint64_t dma32_0 = mm_zone_free_pages(mm, ZONE_DMA32), normal_0;
	struct pressure_stats st;
	struct pressure *p;

	(void)state;
	write_tmp(path, sizeof(path), csv, sizeof(csv) - 1);
	p = press_file(mm, path, "");
	normal_0 = mm_zone_free_pages(mm, ZONE_NORMAL);
	step(mm, p, 150);
	expect_follows(mm, ZONE_DMA32, dma32_0, 15, 0);
	step(mm, p, 250);
	expect_follows(mm, ZONE_DMA32, dma32_0, 0, 0);
	expect_follows(mm, ZONE_NORMAL, normal_0, 40, 0);
	st = stats_of(p);
	assert_int_equal(st.intervals_applied, 2);
	assert_int_equal(st.unknown_zone_rows, 2);
	assert_int_equal(st.ignored_alloc_pages, 7 + 2 + 1);
	assert_int_equal(st.ignored_free_pages, 3 + 1 + 1);
	assert_int_equal(st.recorded_alloc_pages, 10 + 5 + 40);
	assert_int_equal(st.recorded_free_pages, 15);
	pressure_destroy(p);
	mm_destroy(mm);

	/* DMA32=none: its rows are ignored, the zone untouched */
	mm = test_machine("mt8173-4g", KVER_4_19, 4);
	p = press_file(mm, path, ",DMA32=none");
	step(mm, p, 150);
	assert_int_equal(mm_zone_free_pages(mm, ZONE_DMA32), dma32_0);
	st = stats_of(p);
	assert_int_equal(st.ignored_alloc_pages, 10 + 7 + 5 + 2);
	assert_int_equal(st.recorded_alloc_pages, 0);
	pressure_destroy(p);
	mm_destroy(mm);

	/* 6.1: DMA32's pages go to ZONE_DMA, the zone below 4 GiB there */
	mm = test_machine("mt8173-4g", KVER_6_1, 4);
	p = press_file(mm, path, "");
	assert_int_equal(stats_of(p).zone, ZONE_DMA);
	dma32_0 = mm_zone_free_pages(mm, ZONE_DMA);
	step(mm, p, 150);
	expect_follows(mm, ZONE_DMA, dma32_0, 15, 0);
	pressure_destroy(p);
	mm_destroy(mm);
	unlink(path);
}

/* Pages on @z's per-CPU lists: off the buddy lists, so not free for the watermarks. */
static uint64_t pcp_of(struct mm *mm, enum zone_type z)
{
	struct zone_info zi;

	mm_zone_info(mm, z, &zi);
	return zi.pcp_pages;
}

/*
 * More demand than the zone can hold.  Start 200 pages above min; at 100 ms
 * the device allocated 1000 DMA32 pages, at 200 ms it freed them.
 *   free  1705 |\___ min ____________/| 1705 (less what per-CPU lists hold)
 *              100 ms               200 ms
 * Below low, kswapd is awake from setup on: it reclaims others' pages
 * between ticks and others take them again at every tick (the device's
 * reclaim is in its frees already), so others' level holds; kswapd's pages
 * go to a per-CPU list first (up to its high mark, 6 batches on 4.19),
 * which is why free runs below the level by up to that much.
 * Expect others to stop at min (no reserves, no direct reclaim) from 100 ms
 * on with 800..1000 (+ per-CPU) pages unapplied, others back at their level
 * at 200 ms; then frees beyond all others hold are counted and owed: the
 * next allocations pay them back first.
 */
static void test_trace_unapplied(void **state)
{
	static const char csv[] = KMEM_HEADER "\n"
		"100000000,DMA32,1000,0\n200000000,DMA32,0,1000\n"
		"300000000,DMA32,0,4000000000\n400000000,DMA32,4000000000,0\n";
	char path[64];
	struct mm *mm = test_machine("mt8173-4g", KVER_4_19, 4);
	uint64_t batch = batch_of(mm, ZONE_DMA32), pcp_high = 6 * batch, free0, held0;
	struct pressure_stats st;
	struct mm_stats ms;
	struct pressure *p;

	(void)state;
	write_tmp(path, sizeof(path), csv, sizeof(csv) - 1);
	p = press_file(mm, path, ",free=min+200");
	free0 = mm_zone_free_pages(mm, ZONE_DMA32);
	held0 = mm_held_pages(mm, OWNER_BACKGROUND, ZONE_DMA32);
	assert_int_equal(free0, DMA32_MIN + 200);	/* setup drains: the level is exact */
	assert_int_equal(stats_of(p).target_min_pages, DMA32_MIN + 200);
	for (uint64_t t = 1; t < 100; t++) {
		uint64_t free = step(mm, p, t * MS);

		assert_int_equal(mm_held_pages(mm, OWNER_BACKGROUND, ZONE_DMA32), held0);
		assert_int_equal(free + pcp_of(mm, ZONE_DMA32), free0);
	}
	for (uint64_t t = 100; t < 200; t++) {
		uint64_t free = step(mm, p, t * MS);

		if (free > DMA32_MIN + batch || free + batch < DMA32_MIN)
			fail_msg("t=%llu ms: free %llu, not at min %d", (unsigned long long)t,
				 (unsigned long long)free, DMA32_MIN);
	}
	st = stats_of(p);
	assert_true(st.unapplied_alloc_pages >= 800 - batch && st.unapplied_alloc_pages <= 1000 + pcp_high);
	assert_int_equal(st.unapplied_ticks, 100);
	mm_get_stats(mm, &ms);
	assert_true(ms.kswapd_reclaimed_pages >= 64 * 190);
	assert_true(st.filler_pages >= ms.kswapd_reclaimed_pages - pcp_high);
	step(mm, p, 200 * MS);
	assert_int_equal(mm_held_pages(mm, OWNER_BACKGROUND, ZONE_DMA32), held0);
	assert_true(mm_zone_free_pages(mm, ZONE_DMA32) + pcp_high >= free0);
	assert_int_equal(stats_of(p).unapplied_ticks, 100);

	/* 4e9 pages freed: others hold held0, the rest has nothing to free */
	step(mm, p, 300 * MS);
	assert_int_equal(mm_held_pages(mm, OWNER_BACKGROUND, ZONE_DMA32), 0);
	assert_int_equal(stats_of(p).unapplied_free_pages, 4000000000ULL - held0);
	/* 4e9 allocated: the debt first, then others hold held0 again */
	step(mm, p, 400 * MS);
	assert_int_equal(mm_held_pages(mm, OWNER_BACKGROUND, ZONE_DMA32), held0);
	assert_int_equal(stats_of(p).unapplied_ticks, 101);
	mm_check(mm);
	pressure_destroy(p);
	mm_destroy(mm);
	unlink(path);
}

/* pressure_create()'s error for a recording holding @bytes: exactly "PATH" @want. */
static void expect_trace_error(const void *bytes, size_t nr_bytes, const char *want)
{
	struct mm *mm = test_machine("mt8173-2g", KVER_4_19, 2);
	char path[64], arg[128], err[512] = "", full[640];
	struct pressure_cfg cfg;

	write_tmp(path, sizeof(path), bytes, nr_bytes);
	snprintf(arg, sizeof(arg), "trace:%s", path);
	assert_int_equal(pressure_parse(arg, &cfg, err, sizeof(err)), 0);
	assert_null(pressure_create(&cfg, mm, 1, 0, err, sizeof(err)));
	snprintf(full, sizeof(full), "%s%s", path, want);
	assert_string_equal(err, full);
	unlink(path);
	mm_destroy(mm);
}

#define EXPECT_TRACE_ERROR(text, want) expect_trace_error(text, sizeof(text) - 1, want)
#define KH KMEM_HEADER "\n"

static void test_trace_bad_files(void **state)
{
	char long_line[400], buf[512] = "", err[512] = "";
	struct mm *mm = test_machine("mt8173-2g", KVER_4_19, 2);
	struct pressure_cfg cfg;

	(void)state;
	EXPECT_TRACE_ERROR("", ":1: empty file: expected the header ts_ns,zone,allocs_pages,frees_pages");
	EXPECT_TRACE_ERROR("ts,zone,a,f\n100,DMA32,1,1\n",
			   ":1: the header is not ts_ns,zone,allocs_pages,frees_pages (a ptrec --kmem file?)");
	EXPECT_TRACE_ERROR(KH, ":1: no rows after the header: nothing to replay");
	EXPECT_TRACE_ERROR(KH "100,DMA32,5\n",
			   ":2: expected 4 fields ts_ns,zone,allocs_pages,frees_pages, got 3");
	EXPECT_TRACE_ERROR(KH "100,DMA32,5,1,0\n",
			   ":2: expected 4 fields ts_ns,zone,allocs_pages,frees_pages, got 5");
	EXPECT_TRACE_ERROR(KH "100,DMA32,1,1\n\n200,DMA32,1,1\n",
			   ":3: expected 4 fields ts_ns,zone,allocs_pages,frees_pages, got 1");
	EXPECT_TRACE_ERROR(KH "1e9,DMA32,1,1\n", ":2: ts_ns: '1e9' is not a number");
	EXPECT_TRACE_ERROR(KH "100,DMA32,-1,0\n", ":2: allocs_pages: '-1' is not a number");
	EXPECT_TRACE_ERROR(KH "100,DMA32, 1,0\n", ":2: allocs_pages: ' 1' is not a number");
	EXPECT_TRACE_ERROR(KH "100,DMA32,1,\n", ":2: frees_pages: '' is not a number");
	EXPECT_TRACE_ERROR(KH "100,DMA32,0,99999999999999999999\n",
			   ":2: frees_pages: '99999999999999999999' is not a number");
	EXPECT_TRACE_ERROR(KH "100,DMA32,0,4294967297\n",
			   ":2: frees_pages: 4294967297 is more than 4294967296 pages in one interval");
	EXPECT_TRACE_ERROR(KH "100,,1,1\n", ":2: zone: empty");
	EXPECT_TRACE_ERROR(KH "100,node1234567890/DMA32-and-then-some-more-x,1,1\n",
			   ":2: zone: longer than 39 bytes");
	EXPECT_TRACE_ERROR(KH "200,DMA32,1,1\n100,DMA32,1,1\n",
			   ":3: ts_ns 100 is before the previous row's 200");
	EXPECT_TRACE_ERROR(KH "100,DMA32,1,1\n100,Normal,1,1\n100,DMA32,1,1\n",
			   ":4: zone 'DMA32' twice at ts_ns 100");
	EXPECT_TRACE_ERROR(KH "100,z1,0,0\n100,z2,0,0\n100,z3,0,0\n100,z4,0,0\n100,z5,0,0\n100,z6,0,0\n"
			   "100,z7,0,0\n100,z8,0,0\n100,z9,0,0\n100,z10,0,0\n100,z11,0,0\n100,z12,0,0\n"
			   "100,z13,0,0\n100,z14,0,0\n100,z15,0,0\n100,z16,0,0\n100,z17,0,0\n",
			   ":18: more than 16 zones at ts_ns 100");
	EXPECT_TRACE_ERROR(KH "100,DMA32,1,1", ":2: last line has no newline: the file was cut short");
	EXPECT_TRACE_ERROR(KH "100,DMA\0" "32,1,1\n", ":2: NUL byte in the line");
	memset(long_line, '1', sizeof(long_line) - 2);
	long_line[sizeof(long_line) - 2] = '\n';
	long_line[sizeof(long_line) - 1] = '\0';
	snprintf(buf, sizeof(buf), KH "%s", long_line);
	expect_trace_error(buf, strlen(buf), ":2: line longer than 254 bytes");

	assert_int_equal(pressure_parse("trace:/nonexistent/k.csv", &cfg, err, sizeof(err)), 0);
	assert_null(pressure_create(&cfg, mm, 1, 0, err, sizeof(err)));
	assert_string_equal(err, "/nonexistent/k.csv: No such file or directory");
	assert_int_equal(pressure_parse("trace:/tmp", &cfg, err, sizeof(err)), 0);
	assert_null(pressure_create(&cfg, mm, 1, 0, err, sizeof(err)));
	assert_string_equal(err, "/tmp:1: Is a directory");
	mm_destroy(mm);
}

/* CRLF line ends (a file that went through an editor) and gzip read the same; a cut gzip does not. */
static void test_trace_crlf_gzip(void **state)
{
	static const char crlf[] = KMEM_HEADER "\r\n100,DMA32,40,8\r\n";
	static const char plain[] = KMEM_HEADER "\n100,DMA32,40,8\n200,DMA32,1,1\n";
	char path[64], gz_path[80], arg[128], err[512] = "";
	struct pressure_cfg cfg;
	struct pressure *p;
	struct mm *mm;
	gzFile gz;
	FILE *f;
	long gz_bytes;

	(void)state;
	write_tmp(path, sizeof(path), crlf, sizeof(crlf) - 1);
	mm = test_machine("mt8173-4g", KVER_4_19, 4);
	p = press_file(mm, path, "");
	step(mm, p, 100);
	assert_int_equal(stats_of(p).recorded_alloc_pages, 40);
	assert_int_equal(stats_of(p).recorded_free_pages, 8);
	pressure_destroy(p);
	mm_destroy(mm);
	unlink(path);

	snprintf(gz_path, sizeof(gz_path), "/tmp/ptb-kmem-%ld.csv.gz", (long)getpid());
	gz = gzopen(gz_path, "wb");
	assert_non_null(gz);
	assert_int_equal(gzwrite(gz, plain, sizeof(plain) - 1), (int)(sizeof(plain) - 1));
	assert_int_equal(gzclose(gz), Z_OK);
	mm = test_machine("mt8173-4g", KVER_4_19, 4);
	p = press_file(mm, gz_path, "");
	step(mm, p, 200);
	assert_int_equal(stats_of(p).intervals_applied, 2);
	assert_int_equal(stats_of(p).recorded_alloc_pages, 41);
	pressure_destroy(p);

	/* the same gzip cut before its end */
	f = fopen(gz_path, "r+b");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	gz_bytes = ftell(f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(truncate(gz_path, gz_bytes - 10), 0);
	snprintf(arg, sizeof(arg), "trace:%s", gz_path);
	assert_int_equal(pressure_parse(arg, &cfg, err, sizeof(err)), 0);
	assert_null(pressure_create(&cfg, mm, 1, 0, err, sizeof(err)));
	assert_true(!strncmp(err, gz_path, strlen(gz_path)) && strstr(err, "gzip: "));
	mm_destroy(mm);
	unlink(gz_path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trace_parse),
		cmocka_unit_test(test_trace_follows_net_demand),
		cmocka_unit_test(test_trace_zone_names),
		cmocka_unit_test(test_trace_unapplied),
		cmocka_unit_test(test_trace_bad_files),
		cmocka_unit_test(test_trace_crlf_gzip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
