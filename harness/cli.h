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

#endif /* PTB_CLI_H */
