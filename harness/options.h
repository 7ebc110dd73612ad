/* SPDX-License-Identifier: GPL-2.0 */
/*
 * options.h - the one command-line layer every subcommand uses: getopt_long
 * over a table of option descriptors.
 *
 * Types:
 *   struct opt      one option: its name, its value's name, where the value
 *                   goes and how it is parsed (a range, a unit), its help
 *   struct opt_use  one line of a command's table: an option with that
 *                   command's own help (or the option's), or a heading
 *   struct opt_cmd  a command: its name, --help text around the table, the
 *                   operands it takes
 * An option is a const object that several commands can list: `ptbench
 * oracle` takes ten of `ptbench replay`'s options, the same descriptors
 * (replay_options.c), so both parse them alike.
 * Terms: "base" = the struct an option's value is written into; a command
 * hands the parser one pointer per OPT_BASE_*.  "operand" = an argument that
 * is no option (a TRACE, a NAME).
 * Errors, one line each (cli_error): "CMD: unknown option '--x' (see ptbench
 * CMD --help)", "--x: needs a value", "--x: takes no value", "--x: 'v' is not
 * a non-negative number", "--x: N is outside MIN..MAX".
 */
#ifndef PTB_OPTIONS_H
#define PTB_OPTIONS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum opt_kind {
	OPT_SET,	/* a flag: the bool at offset becomes true */
	OPT_CLEAR,	/* a flag: the bool at offset becomes false */
	OPT_STR,	/* the const char * at offset points at the value */
	OPT_U64,	/* uint64_t within [min, max] */
	OPT_UINT,	/* unsigned int within [min, max] */
	OPT_ULONG,	/* unsigned long within [min, max] */
	OPT_FN,		/* ->parse(base, value) */
};

/* Which struct a value goes into: the command's bases[] index. */
enum opt_base {
	OPT_BASE_REPLAY,	/* struct replay_opts: replay's options, shared with oracle */
	OPT_BASE_CMD,		/* the command's own struct */
	OPT_BASE_NR,
};

enum opt_unit {
	OPT_UNIT_NONE,		/* a plain number: decimal, 0x hex, 0 octal */
	OPT_UNIT_BYTES,		/* also with a K, M or G suffix (KiB, MiB, GiB) */
};

struct opt {
	const char *name;	/* "seed" for --seed; one character for a short option (-o) */
	const char *arg;	/* the value's name in --help; NULL: a flag */
	enum opt_kind kind;
	enum opt_base base;
	size_t offset;		/* of the value in the base struct */
	uint64_t min, max;	/* OPT_U64, OPT_UINT, OPT_ULONG: the accepted range */
	enum opt_unit unit;
	/* OPT_FN: parse @val into @base.  Returns 0, or 1 after cli_error(). */
	int (*parse)(void *base, const char *val);
	const char *help;	/* --help; '\n' starts a continuation line */
	bool repeats;		/* may be given more than once; otherwise a second is refused */
};

struct opt_use {
	const struct opt *opt;	/* NULL: @help is a heading */
	const char *help;	/* NULL: the option's own */
};

struct opt_cmd {
	const char *name;	/* "replay": error messages start with it */
	const char *usage;	/* --help before the table: usage line, what it does */
	const char *tail;	/* --help after the table: exit status, examples */
	const struct opt_use *table;
	unsigned int nr;
	const char *operand;	/* "trace": the name in "one trace only" */
	unsigned int max_operands;
};

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#define OPT_HELP 2	/* opt_parse(): --help was printed; the command exits 0 */

/**
 * opt_parse() - parse @argv (@argv[0] the command's name) with @cmd's table.
 * @bases: one pointer per enum opt_base (NULL where the table has none).
 * @operands: room for @cmd->max_operands; *@nr_operands is how many came.
 * Options and operands may come in any order; "--" ends the options; "-"
 * is an operand (stdin, stdout).  Long options take "--name VALUE" and
 * "--name=VALUE", and may be abbreviated while the prefix names one option
 * (getopt_long's rule; an ambiguous one is an error listing the candidates).
 * Returns 0; OPT_HELP after printing --help on stdout; or 1 after one line
 * on stderr.  Not reentrant (getopt_long's state).
 */
int opt_parse(const struct opt_cmd *cmd, int argc, char **argv, void *const *bases,
	      const char **operands, unsigned int *nr_operands);
/* --help: @cmd->usage, the table, @cmd->tail. */
void opt_help(FILE *out, const struct opt_cmd *cmd);
/**
 * opt_parse_number() - @val as @o's number: within [@o->min, @o->max], in
 * @o->unit.  Returns 0, or 1 after one line "--NAME: reason".
 */
int opt_parse_number(const struct opt *o, const char *val, uint64_t *out);

#endif /* PTB_OPTIONS_H */
