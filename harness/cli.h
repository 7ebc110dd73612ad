/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cli.h - the ptbench subcommands and their shared helpers.
 *
 * Each subcommand is `int cmd_NAME(int argc, char **argv)` with argv[0] the
 * subcommand's name; it returns the process exit status: 0 on success, 1 on
 * a bad trace or option (after one line `ptbench: ...` on stderr).
 */
#ifndef PTB_CLI_H
#define PTB_CLI_H

#include <stdbool.h>
#include <stdint.h>

int cmd_list(int argc, char **argv);
int cmd_stat(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_oracle(int argc, char **argv);
int cmd_synth(int argc, char **argv);

/* Print "ptbench: " + message + newline on stderr; returns 1 (the exit status). */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* True for "-h" / "--help". */
bool cli_is_help(const char *arg);

struct trace_reader;
/*
 * A trace read whole that held no iommu map/unmap event: say so in one line,
 * "ptbench: FILE: no iommu map/unmap event in N lines" ("records" for a
 * binary format), as a warning, or as the error with @strict.  Returns 1
 * with @strict (the exit status), else 0; 0 without a word for a trace
 * with events.
 */
int cli_check_events(const char *path, const struct trace_reader *r, bool strict);
/*
 * An ftrace file holding fewer event lines than its header's entries-in-buffer
 * was cut short at a line boundary: "ptbench: FILE: its header counts K
 * entries, it holds N: ...", a warning, or the error with @strict.  Returns
 * as cli_check_events().
 */
int cli_check_entries(const char *path, const struct trace_reader *r, bool strict);
/*
 * A trace whose tracer lost events (ftrace's LOST lines, trace-cmd's dropped
 * counts, perf's PERF_RECORD_LOST, a .ptb header's count): "ptbench: FILE:
 * the tracer lost N events ...", a warning, or the error with @strict.
 * Returns as cli_check_events().
 */
int cli_check_lost(const char *path, const struct trace_reader *r, bool strict);

#endif /* PTB_CLI_H */
