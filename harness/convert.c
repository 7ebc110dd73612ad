// SPDX-License-Identifier: GPL-2.0
/*
 * convert.c - `ptbench convert [--skip-bad] [--strict] IN -o OUT.ptb[.gz]`: any
 * trace ptbench reads, rewritten as .ptb v1 (workloads/README.md), the compact
 * binary the replay and the oracle read fastest.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "out_file.h"
#include "options.h"
#include "trace_reader.h"

struct convert_args {
	struct trace_open_opts open;
	const char *out;
	bool strict;		/* the trace warnings are errors */
};

static const struct opt opt_out = {
	"o", "OUT", OPT_STR, OPT_BASE_CMD, offsetof(struct convert_args, out),
	.help = "the .ptb or .ptb.gz to write",
};
static const struct opt opt_skip_bad = {
	"skip-bad", NULL, OPT_SET, OPT_BASE_CMD, offsetof(struct convert_args, open.skip_bad),
	.help = "count and skip malformed lines instead of stopping at the first",
};
static const struct opt opt_strict = {
	"strict", NULL, OPT_SET, OPT_BASE_CMD, offsetof(struct convert_args, strict),
	.help = "exit 1, writing nothing, when IN holds no iommu map/unmap event,\n"
		"is an ftrace file with fewer entries than its header counts, or\n"
		"its tracer lost events (else a warning on stderr; the .ptb's\n"
		"header keeps the lost count and the lines --skip-bad left out)",
};
static const struct opt_use convert_table[] = {
	{ &opt_out, NULL },
	{ &opt_skip_bad, NULL },
	{ &opt_strict, NULL },
};

static const struct opt_cmd convert_options = {
	.name = "convert",
	.usage = "usage: ptbench convert [--skip-bad] [--strict] IN -o OUT.ptb[.gz]\n"
		 "\n"
		 "Rewrites a trace (ftrace text, trace-cmd report or trace.dat, perf script,\n"
		 ".ptb; gzip or not; format detected from the content) as .ptb v1, gzip-\n"
		 "compressed when OUT ends in .gz.  The header's flags say which fields every\n"
		 "event carried (cpu, context, pid, ...); its source is \"convert:<format>\".\n"
		 "OUT is written under a temporary name and renamed when complete.  IN may be\n"
		 "a pipe or a FIFO, or - for stdin: it is read once.\n"
		 "\n",
	.tail = "\n"
		"Exit status: 0, or 1 on a bad trace or option (one line on stderr);\n"
		"130 / 143 after SIGINT / SIGTERM, which remove the temporary files.\n"
		"\n"
		"Examples:\n"
		"  ptbench convert tests/data/small.ftrace -o small.ptb\n"
		"  ptbench convert --skip-bad trace.txt.gz -o trace.ptb.gz\n"
		"  trace-cmd report -i trace.dat > t.txt && ptbench convert t.txt -o t.ptb\n",
	.table = convert_table,
	.nr = ARRAY_SIZE(convert_table),
	.operand = "input",
	.max_operands = 1,
};

int cmd_convert(int argc, char **argv)
{
	struct convert_args args = { .out = NULL };
	struct trace_reader *r = NULL;
	struct ptb_writer *w = NULL;
	const char *in = NULL, *out = NULL;
	char err[1024], source[32];
	struct trace_event ev;
	const struct trace_read_stats *s;
	unsigned int nr;
	int n;

	n = opt_parse(&convert_options, argc, argv, (void *[]){ NULL, &args }, &in, &nr);
	if (n)
		return n == OPT_HELP ? 0 : 1;
	out = args.out;
	if (!in || !out)
		return cli_error("convert: expected IN -o OUT.ptb[.gz] (see ptbench convert --help)");
	if (out_file_not_input(out, in))
		return 1;
	if (trace_open(in, &args.open, &r, err, sizeof(err)) < 0)
		return cli_error("%s", err);
	snprintf(source, sizeof(source), "convert:%s", trace_format_name(trace_reader_format(r)));
	if (ptb_writer_open(out, source, &w, err, sizeof(err)) < 0) {
		cli_error("%s", err);
		goto fail;
	}
	while ((n = trace_read_next(r, &ev)) > 0) {
		if (ptb_writer_write(w, &ev) < 0)
			break;		/* the error comes back from ptb_writer_close() */
	}
	if (n < 0) {
		cli_error("%s", trace_error(r));
		goto fail;
	}
	if (cli_check_entries(in, r, args.strict) || cli_check_events(in, r, args.strict) ||
	    cli_check_lost(in, r, args.strict))
		goto fail;
	s = trace_stats(r);
	/* what the .ptb cannot hold, said in its header: lost events, lines left out */
	ptb_writer_set_counts(w, s->lost_events, s->bad_lines_skipped + s->converted_skipped);
	n = ptb_writer_close(w, err, sizeof(err));
	w = NULL;
	if (n < 0) {
		cli_error("%s", err);
		goto fail;
	}
	fprintf(stderr, "convert: %s (%s): %llu events (%llu maps, %llu unmaps), %llu other events, %llu bad lines skipped -> %s\n",
		in, trace_format_name(trace_reader_format(r)), (unsigned long long)s->events,
		(unsigned long long)s->maps, (unsigned long long)s->unmaps,
		(unsigned long long)s->other_events, (unsigned long long)s->bad_lines_skipped, out);
	trace_close(r);
	return 0;
fail:
	ptb_writer_abort(w);
	trace_close(r);
	return 1;
}
