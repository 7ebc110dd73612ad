// SPDX-License-Identifier: GPL-2.0
/*
 * stat.c - `ptbench stat [--skip-bad] [--json FILE|-] TRACE`: what a trace
 * holds before it is replayed: format, event counts, bytes, the size
 * histogram, the time span, events per CPU, other events and skipped lines.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "out_file.h"
#include "json.h"
#include "options.h"
#include "trace_reader.h"
#include "version.h"

struct stat_args {
	struct trace_open_opts open;
	const char *json_path;
};

static const struct opt opt_skip_bad = {
	"skip-bad", NULL, OPT_SET, OPT_BASE_CMD, offsetof(struct stat_args, open.skip_bad),
	.help = "count and skip malformed lines instead of stopping at the first",
};
static const struct opt opt_json = {
	"json", "FILE|-", OPT_STR, OPT_BASE_CMD, offsetof(struct stat_args, json_path),
	.help = "write JSON instead of text (- = stdout)",
};
static const struct opt_use stat_table[] = {
	{ &opt_skip_bad, NULL },
	{ &opt_json, NULL },
};

static const struct opt_cmd stat_options = {
	.name = "stat",
	.usage = "usage: ptbench stat [--skip-bad] [--json FILE|-] TRACE\n"
		 "\n"
		 "Reads a trace (ftrace text, trace-cmd report or trace.dat, perf script, .ptb;\n"
		 "gzip or not; format detected from the content) and prints what it holds:\n"
		 "events, maps and unmaps, bytes, sizes by power of two (64K large pages, 1M\n"
		 "sections and 16M supersections marked), time span, events per CPU, other\n"
		 "events by name, lost events and skipped lines by reason.  TRACE may be a\n"
		 "pipe or a FIFO, or - for stdin: it is read once.\n"
		 "\n",
	.tail = "\n"
		"Exit status: 0, or 1 on a bad trace or option (one line on stderr).\n"
		"\n"
		"Examples:\n"
		"  ptbench stat tests/data/small.ftrace\n"
		"  ptbench stat --json - tests/data/small.ptb\n"
		"  ptbench stat --skip-bad /sys/kernel/tracing/trace\n",
	.table = stat_table,
	.nr = ARRAY_SIZE(stat_table),
	.operand = "trace",
	.max_operands = 1,
};

#define STAT_SIZE_SHIFT_MIN	12	/* first bucket: [4K, 8K) */
#define STAT_SIZE_SHIFT_SHOWN	24	/* always show up to 16M */
#define STAT_SIZE_BUCKETS	64
#define STAT_CPUS_MAX		4096

struct stat_totals {
	uint64_t mapped_bytes;
	uint64_t unmap_requested_bytes;
	uint64_t unmapped_bytes;
	uint64_t first_ns;
	uint64_t last_ns;
	uint64_t below_4k_maps;		/* sizes under 4 KiB: not a v7s page size */
	uint64_t below_4k_unmaps;
	uint64_t maps_by_shift[STAT_SIZE_BUCKETS];
	uint64_t unmaps_by_shift[STAT_SIZE_BUCKETS];
	int max_shift;
	uint64_t *cpu_events;		/* grown when a higher CPU shows up */
	uint32_t nr_cpus;
	uint64_t events_without_cpu;
	uint64_t events_cpu_over_max;
};

static int size_shift(uint64_t bytes)
{
	return 63 - __builtin_clzll(bytes);
}

static int stat_count_cpu(struct stat_totals *t, const struct trace_event *ev)
{
	if (!(ev->has & TRACE_HAS_CPU)) {
		t->events_without_cpu++;
		return 0;
	}
	if (ev->cpu >= STAT_CPUS_MAX) {
		t->events_cpu_over_max++;
		return 0;
	}
	if (ev->cpu >= t->nr_cpus) {
		uint32_t n = ev->cpu + 1u;
		uint64_t *c = realloc(t->cpu_events, n * sizeof(*c));

		if (!c)
			return -ENOMEM;
		memset(c + t->nr_cpus, 0, (n - t->nr_cpus) * sizeof(*c));
		t->cpu_events = c;
		t->nr_cpus = n;
	}
	t->cpu_events[ev->cpu]++;
	return 0;
}

static void stat_count(struct stat_totals *t, const struct trace_event *ev, bool first)
{
	uint64_t size = ev->size_bytes;
	int shift;

	if (first || ev->ts_ns < t->first_ns)
		t->first_ns = ev->ts_ns;
	if (first || ev->ts_ns > t->last_ns)
		t->last_ns = ev->ts_ns;
	if (ev->op == TRACE_OP_MAP)
		t->mapped_bytes += size;
	else {
		t->unmap_requested_bytes += size;
		t->unmapped_bytes += ev->unmapped_bytes;
	}
	if (size < (1u << STAT_SIZE_SHIFT_MIN)) {
		if (ev->op == TRACE_OP_MAP)
			t->below_4k_maps++;
		else
			t->below_4k_unmaps++;
		return;
	}
	shift = size_shift(size);
	if (shift > t->max_shift)
		t->max_shift = shift;
	if (ev->op == TRACE_OP_MAP)
		t->maps_by_shift[shift]++;
	else
		t->unmaps_by_shift[shift]++;
}

/* "4K", "64K", "1M", "16M", "4G": the bucket's lower bound. */
static const char *size_label(int shift, char *buf, size_t buf_bytes)
{
	static const char units[] = "BKMGTPE";

	snprintf(buf, buf_bytes, "%llu%c", 1ULL << (shift % 10), units[shift / 10]);
	if (shift < 10)
		snprintf(buf, buf_bytes, "%llu", 1ULL << shift);
	return buf;
}

static const char *size_note(int shift)
{
	switch (shift) {
	case 12: return "small page";
	case 16: return "large page";
	case 20: return "section";
	case 24: return "supersection";
	default: return "";
	}
}

static int stat_last_shift(const struct stat_totals *t)
{
	return t->max_shift > STAT_SIZE_SHIFT_SHOWN ? t->max_shift : STAT_SIZE_SHIFT_SHOWN;
}

static void stat_print_text(FILE *out, const char *path, const char *sha,
			    const struct trace_reader *r, const struct stat_totals *t)
{
	const struct trace_read_stats *s = trace_stats(r);
	char label[16];

	fprintf(out, "trace          %s\n", path);
	fprintf(out, "sha256         %s\n", sha);
	fprintf(out, "format         %s\n", trace_format_name(trace_reader_format(r)));
	fprintf(out, "lines/records  %llu\n", (unsigned long long)s->lines);
	fprintf(out, "events         %llu (%llu maps, %llu unmaps)\n",
		(unsigned long long)s->events, (unsigned long long)s->maps,
		(unsigned long long)s->unmaps);
	if (s->iommu_pre_5_17 || s->iommu_5_17)
		fprintf(out, "iommu text     %llu in the pre-5.17 format, %llu in the 5.17+ format\n",
			(unsigned long long)s->iommu_pre_5_17, (unsigned long long)s->iommu_5_17);
	fprintf(out, "mapped         %llu bytes\n", (unsigned long long)t->mapped_bytes);
	fprintf(out, "unmapped       %llu bytes (%llu requested)\n",
		(unsigned long long)t->unmapped_bytes, (unsigned long long)t->unmap_requested_bytes);
	fprintf(out, "time span      %llu ns (%llu .. %llu)\n",
		(unsigned long long)(s->events ? t->last_ns - t->first_ns : 0),
		(unsigned long long)t->first_ns, (unsigned long long)t->last_ns);
	fprintf(out, "lost events    %llu%s\n", (unsigned long long)s->lost_events,
		s->lost_events ? "  (the tracer dropped events: the trace is incomplete)" : "");
	if (s->converted_skipped)
		fprintf(out, "left out       %llu bad lines, by convert --skip-bad (the .ptb's header)\n",
			(unsigned long long)s->converted_skipped);

	fprintf(out, "\nsizes          maps     unmaps\n");
	if (t->below_4k_maps || t->below_4k_unmaps)
		fprintf(out, "  <4K    %10llu %10llu\n", (unsigned long long)t->below_4k_maps,
			(unsigned long long)t->below_4k_unmaps);
	for (int sh = STAT_SIZE_SHIFT_MIN; sh <= stat_last_shift(t); sh++)
		fprintf(out, "  %-6s %10llu %10llu%s%s\n", size_label(sh, label, sizeof(label)),
			(unsigned long long)t->maps_by_shift[sh],
			(unsigned long long)t->unmaps_by_shift[sh], *size_note(sh) ? "  " : "",
			size_note(sh));

	fprintf(out, "\nper CPU        events\n");
	for (uint32_t c = 0; c < t->nr_cpus; c++)
		if (t->cpu_events[c])
			fprintf(out, "  cpu %-5u %11llu\n", c, (unsigned long long)t->cpu_events[c]);
	if (t->events_without_cpu)
		fprintf(out, "  (no cpu)  %11llu\n", (unsigned long long)t->events_without_cpu);
	if (t->events_cpu_over_max)
		fprintf(out, "  (>= %d)  %11llu\n", STAT_CPUS_MAX, (unsigned long long)t->events_cpu_over_max);

	fprintf(out, "\nother events   %llu\n", (unsigned long long)s->other_events);
	for (uint32_t i = 0; i <= TRACE_OTHER_NAMES_MAX; i++)
		if (s->other[i].count)
			fprintf(out, "  %-24s %llu\n", s->other[i].name, (unsigned long long)s->other[i].count);

	fprintf(out, "\nskipped lines  %llu\n", (unsigned long long)s->bad_lines_skipped);
	for (int k = 0; k < TRACE_SKIP_NR; k++)
		if (s->skipped[k])
			fprintf(out, "  %-24s %llu\n", trace_skip_reason_name(k),
				(unsigned long long)s->skipped[k]);
}

static void stat_print_json(FILE *out, const char *path, const char *sha,
			    const struct trace_reader *r, const struct stat_totals *t)
{
	const struct trace_read_stats *s = trace_stats(r);
	struct json j;
	char label[16];

	json_init(&j, out);
	json_object_begin(&j, NULL);
	json_u64(&j, "schema", PTBENCH_JSON_SCHEMA);
	ptbench_write_json(&j);
	json_object_begin(&j, "trace");
	json_str(&j, "path", path);
	json_str(&j, "sha256", sha);
	json_str(&j, "format", trace_format_name(trace_reader_format(r)));
	json_u64(&j, "events", s->events);
	json_u64(&j, "maps", s->maps);
	json_u64(&j, "unmaps", s->unmaps);
	json_u64(&j, "skipped", s->bad_lines_skipped);
	json_object_end(&j);

	json_object_begin(&j, "stat");
	json_u64(&j, "lines", s->lines);
	json_u64(&j, "iommu_pre_5_17", s->iommu_pre_5_17);
	json_u64(&j, "iommu_5_17", s->iommu_5_17);
	json_u64(&j, "mapped_bytes", t->mapped_bytes);
	json_u64(&j, "unmapped_bytes", t->unmapped_bytes);
	json_u64(&j, "unmap_requested_bytes", t->unmap_requested_bytes);
	json_u64(&j, "first_ns", s->events ? t->first_ns : 0);
	json_u64(&j, "last_ns", s->events ? t->last_ns : 0);
	json_u64(&j, "span_ns", s->events ? t->last_ns - t->first_ns : 0);
	json_u64(&j, "lost_events", s->lost_events);
	json_u64(&j, "converted_skipped", s->converted_skipped);
	json_array_begin(&j, "sizes");
	if (t->below_4k_maps || t->below_4k_unmaps) {
		json_object_begin(&j, NULL);
		json_str(&j, "bucket", "<4K");
		json_u64(&j, "min_bytes", 0);
		json_u64(&j, "maps", t->below_4k_maps);
		json_u64(&j, "unmaps", t->below_4k_unmaps);
		json_object_end(&j);
	}
	for (int sh = STAT_SIZE_SHIFT_MIN; sh <= stat_last_shift(t); sh++) {
		json_object_begin(&j, NULL);
		json_str(&j, "bucket", size_label(sh, label, sizeof(label)));
		json_u64(&j, "min_bytes", 1ULL << sh);
		json_u64(&j, "maps", t->maps_by_shift[sh]);
		json_u64(&j, "unmaps", t->unmaps_by_shift[sh]);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_array_begin(&j, "cpus");
	for (uint32_t c = 0; c < t->nr_cpus; c++) {
		if (!t->cpu_events[c])
			continue;
		json_object_begin(&j, NULL);
		json_u64(&j, "cpu", c);
		json_u64(&j, "events", t->cpu_events[c]);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_u64(&j, "events_without_cpu", t->events_without_cpu);
	json_u64(&j, "other_events", s->other_events);
	json_object_begin(&j, "other_by_name");
	for (uint32_t i = 0; i <= TRACE_OTHER_NAMES_MAX; i++)
		if (s->other[i].count)
			json_u64(&j, s->other[i].name, s->other[i].count);
	json_object_end(&j);
	json_object_begin(&j, "skipped_by_reason");
	for (int k = 0; k < TRACE_SKIP_NR; k++)
		json_u64(&j, trace_skip_reason_name(k), s->skipped[k]);
	json_object_end(&j);
	json_object_end(&j);
	json_object_end(&j);
	json_finish(&j);
}

/* Write @json_path (or stdout for "-") whole or not at all (out_file.h). */
static int stat_write_json(const char *json_path, const char *path, const char *sha,
			   const struct trace_reader *r, const struct stat_totals *t)
{
	struct out_file out;

	if (out_file_open(&out, json_path))
		return 1;
	stat_print_json(out.f, path, sha, r, t);
	return out_file_commit(&out);
}

int cmd_stat(int argc, char **argv)
{
	struct stat_args args = { .json_path = NULL };
	struct stat_totals totals = { 0 };
	struct trace_reader *r = NULL;
	const char *path = NULL;
	unsigned int nr;
	char err[1024], sha[TRACE_SHA256_HEX_BYTES];
	struct trace_event ev;
	int ret = 1, n;

	n = opt_parse(&stat_options, argc, argv, (void *[]){ NULL, &args }, &path, &nr);
	if (n)
		return n == OPT_HELP ? 0 : 1;
	if (!path)
		return cli_error("stat: expected a TRACE (see ptbench stat --help)");
	if (trace_open(path, &args.open, &r, err, sizeof(err)) < 0)
		return cli_error("%s", err);
	while ((n = trace_read_next(r, &ev)) > 0) {
		stat_count(&totals, &ev, trace_stats(r)->events == 1);
		if (stat_count_cpu(&totals, &ev) < 0) {
			cli_error("stat: out of memory");
			goto out;
		}
	}
	if (n < 0 || trace_sha256_hex(r, sha) < 0) {
		cli_error("%s", trace_error(r));
		goto out;
	}
	cli_check_entries(path, r, false);
	if (args.json_path)
		ret = stat_write_json(args.json_path, path, sha, r, &totals);
	else {
		stat_print_text(stdout, path, sha, r, &totals);
		ret = 0;
	}
out:
	free(totals.cpu_events);
	trace_close(r);
	return ret;
}
