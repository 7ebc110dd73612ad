// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - the ptbench command: dispatch to a subcommand.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "tmp_paths.h"
#include "version.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "list", cmd_list, "list backends, memory layouts, kernel versions" },
	{ "replay", cmd_replay, "replay a trace through v7s and the backends on a simulated machine" },
	{ "stat", cmd_stat, "count a trace's events, sizes, CPUs, skipped lines" },
	{ "convert", cmd_convert, "rewrite any trace as .ptb v1 (gzip if .gz)" },
	{ "oracle", cmd_oracle, "replay a trace through the real 6.1 kernel's allocators (qemu)" },
	{ "synth", cmd_synth, "write a synthetic MT8173 workload's map/unmap events as .ptb" },
};

static void usage(FILE *out)
{
	fputs("usage: ptbench COMMAND [options] [ARGS]\n"
	      "\n"
	      "Measures how IOMMU level-2 page tables (1 KiB, below 4 GiB) are allocated\n"
	      "by kernel allocators, on a simulated machine.\n"
	      "\n"
	      "Commands:\n", out);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\n"
	      "  ptbench COMMAND --help   shows a command's options and examples\n"
	      "  ptbench --version        prints the version and commit\n"
	      "\n"
	      "Examples:\n"
	      "  ptbench list backends\n"
	      "  ptbench list -v memories\n"
	      "  ptbench replay --backend all --check tests/data/small.ftrace\n"
	      "  ptbench stat tests/data/small.ftrace\n"
	      "  ptbench convert tests/data/small.ftrace -o small.ptb.gz\n", out);
}

/*
 * What a command printed on stdout (a table, a list, "-" output) reached it:
 * a full disk or a closed pipe is an error, not a silent exit 0.
 */
static int stdout_check(int ret)
{
	int failed;

	if (ret)		/* failed already, and said why */
		return ret;
	failed = fflush(stdout) != 0;
	failed |= ferror(stdout);
	if (failed)
		return cli_error("stdout: write failed: %s", strerror(errno ? errno : EIO));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 1;
	}
	if (cli_is_help(argv[1])) {
		usage(stdout);
		return stdout_check(0);
	}
	if (!strcmp(argv[1], "--version")) {
		printf("ptbench %s (commit %s)\n", PTBENCH_VERSION, ptbench_commit());
		return stdout_check(0);
	}
	/* SIGINT, SIGTERM: no OUT.tmp.PID left behind, exit 130 / 143 */
	if (tmp_paths_catch_signals())
		return cli_error("cannot catch SIGINT and SIGTERM");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return stdout_check(commands[i].run(argc - 1, argv + 1));
	return cli_error("unknown command '%s' (see ptbench --help)", argv[1]);
}
