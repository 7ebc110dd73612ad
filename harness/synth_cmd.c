// SPDX-License-Identifier: GPL-2.0
/*
 * synth_cmd.c - `ptbench synth NAME [--events N] [--seed S] [--duration-s T]
 * -o FILE`: a synthetic MT8173 workload (workloads/synth/) written as .ptb
 * v1 through the streaming writer, so memory does not grow with the events.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "synth/synth.h"
#include "trace_reader.h"

static const char synth_usage[] =
	"usage: ptbench synth NAME [--events N] [--seed S] [--duration-s T] -o FILE\n"
	"\n"
	"Generates the iommu map/unmap events of a model of a MediaTek MT8173\n"
	"Chromebook's IOMMU clients (display, video decoder, MDP, JPEG, camera path)\n"
	"through the kernel's dma-iommu path, and writes them as .ptb v1 (gzip when\n"
	"FILE ends in .gz), ready for `ptbench replay`.  Sizes, rates and sources:\n"
	"workloads/synth/README.md.  Names: `ptbench list -v workloads`.\n"
	"\n"
	"  -o FILE          the .ptb or .ptb.gz to write (renamed into place when complete)\n"
	"  --events N       stop after N events (default: no cap)\n"
	"  --seed S         seed of every random choice (default 1)\n"
	"  --duration-s T   simulated seconds (default: the workload's own, e.g. 86400 for day)\n"
	"\n"
	"The same NAME, seed and options give a byte-identical file.\n"
	"Exit status: 0, or 1 on a bad option or a write error (one line on stderr);\n"
	"130 / 143 after SIGINT / SIGTERM, which remove the temporary files.\n"
	"\n"
	"Examples:\n"
	"  ptbench synth video --seed 3 -o video.ptb\n"
	"  ptbench synth day -o day.ptb.gz\n"
	"  ptbench synth frag-worst -o fw.ptb && ptbench replay --backend page-frag --json - fw.ptb\n";

static int synth_write(void *ctx, const struct trace_event *ev)
{
	return ptb_writer_write(ctx, ev);
}

int cmd_synth(int argc, char **argv)
{
	struct synth_opts o = { .seed = 1 };
	const struct synth_workload *w = NULL;
	const char *name = NULL, *out = NULL;
	struct ptb_writer *pw = NULL;
	struct synth_result res;
	char err[512], source[32];
	uint64_t secs = 0;
	bool secs_set = false;
	int ret;

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		uint64_t *val = NULL;

		if (cli_is_help(arg)) {
			fputs(synth_usage, stdout);
			return 0;
		}
		if (!strcmp(arg, "-o")) {
			if (++i == argc)
				return cli_error("synth: -o needs FILE (see ptbench synth --help)");
			out = argv[i];
			continue;
		}
		if (!strcmp(arg, "--events"))
			val = &o.max_events;
		else if (!strcmp(arg, "--seed"))
			val = &o.seed;
		else if (!strcmp(arg, "--duration-s"))
			val = &secs, secs_set = true;
		if (val) {
			if (++i == argc)
				return cli_error("synth: %s needs a value (see ptbench synth --help)", arg);
			if (cli_parse_u64(arg, argv[i], val))
				return 1;
			continue;
		}
		if (arg[0] == '-' && arg[1])
			return cli_error("synth: unknown option '%s' (see ptbench synth --help)", arg);
		if (name)
			return cli_error("synth: one workload only ('%s' and '%s')", name, arg);
		name = arg;
	}
	if (!name || !out)
		return cli_error("synth: expected NAME -o FILE (see ptbench synth --help)");
	w = synth_workload_find(name);
	if (!w)
		return cli_error("synth: unknown workload '%s' (see ptbench list workloads)", name);
	if (secs_set && (secs == 0 || secs > UINT64_MAX / 1000000000ULL))
		return cli_error("synth: --duration-s: %" PRIu64 " is outside 1..%" PRIu64, secs,
				 (uint64_t)(UINT64_MAX / 1000000000ULL));
	o.duration_ns = secs * 1000000000ULL;
	snprintf(source, sizeof(source), "synth:%s", w->name);
	if (ptb_writer_open(out, source, &pw, err, sizeof(err)) < 0)
		return cli_error("%s", err);
	ret = synth_generate(w, &o, synth_write, pw, &res, err, sizeof(err));
	if (ret) {
		ptb_writer_abort(pw);
		return cli_error("%s: %s", out, err);
	}
	if (ptb_writer_close(pw, err, sizeof(err)) < 0)
		return cli_error("%s", err);
	fprintf(stderr, "synth: %s seed %" PRIu64 ": %" PRIu64 " events (%" PRIu64 " maps, %" PRIu64
		" unmaps) over %.3f s simulated -> %s\n",
		w->name, o.seed, res.events, res.maps, res.unmaps, (double)res.end_ns / 1e9, out);
	return 0;
}
