// SPDX-License-Identifier: GPL-2.0
/*
 * synth_cmd.c - `ptbench synth NAME [--events N] [--seed S] [--duration-s T]
 * -o FILE`: a synthetic MT8173 workload (workloads/synth/) written as .ptb
 * v1 through the streaming writer, so memory does not grow with the events.
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mm.h"
#include "options.h"
#include "synth/synth.h"
#include "trace_reader.h"

struct synth_args {
	struct synth_opts synth;
	const char *out;
	uint64_t duration_s;		/* 0: the workload's own */
};

static const struct opt opt_out = {
	"o", "FILE", OPT_STR, OPT_BASE_CMD, offsetof(struct synth_args, out),
	.help = "the .ptb or .ptb.gz to write (renamed into place when complete)",
};
static const struct opt opt_events = {
	"events", "N", OPT_U64, OPT_BASE_CMD, offsetof(struct synth_args, synth.max_events),
	.help = "stop after N events (default: no cap)",
};
static const struct opt opt_seed = {
	"seed", "S", OPT_U64, OPT_BASE_CMD, offsetof(struct synth_args, synth.seed),
	.help = "seed of every random choice (default 1)",
};
static const struct opt opt_duration_s = {
	"duration-s", "T", OPT_U64, OPT_BASE_CMD, offsetof(struct synth_args, duration_s),
	.min = 1, .max = UINT64_MAX / 1000000000ULL,
	.help = "simulated seconds (default: the workload's own, e.g. 86400 for day)",
};
static const struct opt opt_memory = {
	"memory", "NAME", OPT_STR, OPT_BASE_CMD, offsetof(struct synth_args, synth.memory),
	.help = "the machine the buffers come from (`ptbench list -v memories`; default\n"
		"mt8173-4g): replay the trace with the same --memory",
};
static const struct opt_use synth_table[] = {
	{ &opt_out, NULL },
	{ &opt_events, NULL },
	{ &opt_seed, NULL },
	{ &opt_duration_s, NULL },
	{ &opt_memory, NULL },
};

static const struct opt_cmd synth_options = {
	.name = "synth",
	.usage = "usage: ptbench synth NAME [--events N] [--seed S] [--duration-s T] [--memory NAME]\n"
		 "                     -o FILE\n"
		 "\n"
		 "Generates the iommu map/unmap events of a model of a MediaTek MT8173\n"
		 "Chromebook's IOMMU clients (display, video decoder, MDP, JPEG, camera path)\n"
		 "through the kernel's dma-iommu path, and writes them as .ptb v1 (gzip when\n"
		 "FILE ends in .gz), ready for `ptbench replay`.  Sizes, rates and sources:\n"
		 "workloads/synth/README.md.  Names: `ptbench list -v workloads`.\n"
		 "\n",
	.tail = "\n"
		"The same NAME, seed and options give a byte-identical file.\n"
		"Exit status: 0, or 1 on a bad option or a write error (one line on stderr);\n"
		"130 / 143 after SIGINT / SIGTERM, which remove the temporary files.\n"
		"\n"
		"Examples:\n"
		"  ptbench synth video --seed 3 -o video.ptb\n"
		"  ptbench synth day -o day.ptb.gz\n"
		"  ptbench synth frag-worst -o fw.ptb && ptbench replay --backend page-frag --json - fw.ptb\n",
	.table = synth_table,
	.nr = ARRAY_SIZE(synth_table),
	.operand = "workload",
	.max_operands = 1,
};

static int synth_write(void *ctx, const struct trace_event *ev)
{
	return ptb_writer_write(ctx, ev);
}

int cmd_synth(int argc, char **argv)
{
	struct synth_args a = { .synth = { .seed = 1 } };
	const struct synth_workload *w = NULL;
	const char *name = NULL, *out;
	struct ptb_writer *pw = NULL;
	struct synth_result res;
	char err[512], source[32];
	unsigned int nr;
	int ret;

	ret = opt_parse(&synth_options, argc, argv, (void *[]){ NULL, &a }, &name, &nr);
	if (ret)
		return ret == OPT_HELP ? 0 : 1;
	if (!name || !a.out)
		return cli_error("synth: expected NAME -o FILE (see ptbench synth --help)");
	if (a.synth.memory && !memory_layout_find(a.synth.memory))
		return cli_error("synth: unknown memory '%s' (see ptbench list memories)",
				 a.synth.memory);
	w = synth_workload_find(name);
	if (!w)
		return cli_error("synth: unknown workload '%s' (see ptbench list workloads)", name);
	a.synth.duration_ns = a.duration_s * 1000000000ULL;
	out = a.out;
	snprintf(source, sizeof(source), "synth:%s", w->name);
	if (ptb_writer_open(out, source, &pw, err, sizeof(err)) < 0)
		return cli_error("%s", err);
	ret = synth_generate(w, &a.synth, synth_write, pw, &res, err, sizeof(err));
	if (ret) {
		ptb_writer_abort(pw);
		return cli_error("%s: %s", out, err);
	}
	if (ptb_writer_close(pw, err, sizeof(err)) < 0)
		return cli_error("%s", err);
	fprintf(stderr, "synth: %s seed %" PRIu64 ": %" PRIu64 " events (%" PRIu64 " maps, %" PRIu64
		" unmaps) over %.3f s simulated -> %s\n",
		w->name, a.synth.seed, res.events, res.maps, res.unmaps, (double)res.end_ns / 1e9, out);
	return 0;
}
