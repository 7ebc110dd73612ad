// SPDX-License-Identifier: GPL-2.0
/*
 * options.c - getopt_long over a command's table of option descriptors
 * (options.h): the long-option array and the short-option string are built
 * from the table, each value is parsed by its descriptor, and every mistake
 * is one line naming the option.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "options.h"

#define OPT_MAX		64		/* options in one command's table */
#define OPT_LONG_VAL	256		/* getopt_long's val for table entry i: OPT_LONG_VAL + i */
#define OPT_HELP_COL	26		/* where --help's descriptions start */

static bool opt_is_short(const struct opt *o)
{
	return o->name[0] && !o->name[1];
}

/* "--seed" or "-o", as the user spells it. */
static const char *opt_spelling(const struct opt *o, char *buf, size_t buf_bytes)
{
	snprintf(buf, buf_bytes, "%s%s", opt_is_short(o) ? "-" : "--", o->name);
	return buf;
}

static uint64_t opt_type_max(const struct opt *o)
{
	if (o->max)
		return o->max;
	switch (o->kind) {
	case OPT_UINT:
		return UINT_MAX;
	case OPT_ULONG:
		return ULONG_MAX;
	default:
		return UINT64_MAX;
	}
}

int opt_parse_number(const struct opt *o, const char *val, uint64_t *out)
{
	char name[64], *end;
	uint64_t v, max = opt_type_max(o);

	opt_spelling(o, name, sizeof(name));
	errno = 0;
	v = strtoull(val, &end, 0);
	if (errno || end == val || *val == '-' || *val == ' ' || *val == '\t')
		goto bad;
	if (o->unit == OPT_UNIT_BYTES && *end) {
		static const char suffixes[] = "KMG";
		const char *s = strchr(suffixes, *end);
		unsigned int shift;

		if (!s || end[1])
			goto bad;
		shift = 10 * (unsigned int)(s - suffixes + 1);
		if (v > UINT64_MAX >> shift)
			return cli_error("%s: '%s' is too large", name, val);
		v <<= shift;
		end++;
	}
	if (*end)
		goto bad;
	if (v < o->min || v > max)
		return cli_error("%s: %" PRIu64 " is outside %" PRIu64 "..%" PRIu64, name, v, o->min, max);
	*out = v;
	return 0;
bad:
	if (o->unit == OPT_UNIT_BYTES)
		return cli_error("%s: '%s' is not a number of bytes (N, or N with K, M or G)", name, val);
	return cli_error("%s: '%s' is not a non-negative number", name, val);
}

static int opt_apply(const struct opt *o, void *const *bases, const char *val)
{
	char *base = bases[o->base];
	uint64_t v;

	switch (o->kind) {
	case OPT_SET:
	case OPT_CLEAR:
		*(bool *)(base + o->offset) = o->kind == OPT_SET;
		return 0;
	case OPT_STR:
		*(const char **)(base + o->offset) = val;
		return 0;
	case OPT_FN:
		return o->parse(base, val);
	case OPT_U64:
	case OPT_UINT:
	case OPT_ULONG:
		if (opt_parse_number(o, val, &v))
			return 1;
		if (o->kind == OPT_U64)
			*(uint64_t *)(base + o->offset) = v;
		else if (o->kind == OPT_UINT)
			*(unsigned int *)(base + o->offset) = (unsigned int)v;
		else
			*(unsigned long *)(base + o->offset) = (unsigned long)v;
		return 0;
	}
	return cli_error("--%s: the option has no parser", o->name);	/* a table's mistake */
}

void opt_help(FILE *out, const struct opt_cmd *cmd)
{
	fputs(cmd->usage, out);
	for (unsigned int i = 0; i < cmd->nr; i++) {
		const struct opt_use *u = &cmd->table[i];
		const char *help = u->help ? u->help : u->opt ? u->opt->help : "";
		char left[96], name[64];
		int n;

		if (!u->opt) {
			fprintf(out, "%s\n", help);
			continue;
		}
		n = snprintf(left, sizeof(left), "  %s%s%s", opt_spelling(u->opt, name, sizeof(name)),
			     u->opt->arg ? " " : "", u->opt->arg ? u->opt->arg : "");
		if (n <= OPT_HELP_COL - 2)
			fprintf(out, "%-*s", OPT_HELP_COL, left);
		else
			fprintf(out, "%s  ", left);
		for (const char *line = help; *line;) {
			size_t len = strcspn(line, "\n");

			fprintf(out, "%.*s\n", (int)len, line);
			line += len;
			if (*line == '\n' && *++line)
				fprintf(out, "%*s", OPT_HELP_COL, "");
		}
	}
	fputs(cmd->tail, out);
}

/* An unknown "--x" or "--x=v": name it, and the options it could abbreviate. */
static int opt_unknown(const struct opt_cmd *cmd, const char *arg)
{
	size_t len = strcspn(arg, "=");
	char list[256] = "";
	unsigned int matches = 0;

	if (!strncmp(arg, "--", 2) && len > 2) {
		for (unsigned int i = 0; i < cmd->nr; i++) {
			const struct opt *o = cmd->table[i].opt;
			size_t used = strlen(list);

			if (!o || opt_is_short(o) || strncmp(o->name, arg + 2, len - 2))
				continue;
			matches++;
			snprintf(list + used, sizeof(list) - used, "%s--%s", matches > 1 ? ", " : "", o->name);
		}
	}
	if (matches > 1)
		return cli_error("%s: '%.*s' is ambiguous (%s)", cmd->name, (int)len, arg, list);
	return cli_error("%s: unknown option '%.*s' (see ptbench %s --help)", cmd->name, (int)len, arg,
			 cmd->name);
}

/* The table entry getopt_long reported in optopt, or NULL. */
static const struct opt *opt_by_val(const struct opt_cmd *cmd, int val)
{
	for (unsigned int i = 0; i < cmd->nr; i++) {
		const struct opt *o = cmd->table[i].opt;

		if (o && (opt_is_short(o) ? val == o->name[0] : val == OPT_LONG_VAL + (int)i))
			return o;
	}
	return NULL;
}

static int opt_operand(const struct opt_cmd *cmd, const char *arg, const char **operands,
		       unsigned int *nr_operands)
{
	if (*nr_operands < cmd->max_operands) {
		operands[(*nr_operands)++] = arg;
		return 0;
	}
	if (!cmd->max_operands)
		return cli_error("%s: takes no %s ('%s')", cmd->name, cmd->operand, arg);
	return cli_error("%s: one %s only ('%s' and '%s')", cmd->name, cmd->operand,
			 operands[cmd->max_operands - 1], arg);
}

int opt_parse(const struct opt_cmd *cmd, int argc, char **argv, void *const *bases,
	      const char **operands, unsigned int *nr_operands)
{
	struct option longopts[OPT_MAX + 2];
	const struct opt *given[OPT_MAX];	/* the options seen: one that does not repeat, once */
	unsigned int nr_given = 0;
	char shortopts[2 * OPT_MAX + 8] = "-:h", name[64];
	unsigned int nr_long = 0;
	int c;

	*nr_operands = 0;
	if (cmd->nr > OPT_MAX)
		return cli_error("%s: %u options, the parser holds %d", cmd->name, cmd->nr, OPT_MAX);
	for (unsigned int i = 0; i < cmd->nr; i++) {
		const struct opt *o = cmd->table[i].opt;

		if (!o)
			continue;
		if (opt_is_short(o)) {
			size_t n = strlen(shortopts);

			shortopts[n++] = o->name[0];
			if (o->arg)
				shortopts[n++] = ':';
			shortopts[n] = '\0';
			continue;
		}
		longopts[nr_long++] = (struct option){ o->name, o->arg ? required_argument : no_argument,
						       NULL, OPT_LONG_VAL + (int)i };
	}
	longopts[nr_long++] = (struct option){ "help", no_argument, NULL, 'h' };
	longopts[nr_long] = (struct option){ NULL, 0, NULL, 0 };

	opterr = 0;
	optind = 0;		/* glibc: start afresh (a second parse in one process) */
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		const struct opt *o;

		if (c == 'h') {
			opt_help(stdout, cmd);
			return OPT_HELP;
		}
		if (c == 1) {
			if (opt_operand(cmd, optarg, operands, nr_operands))
				return 1;
			continue;
		}
		if (c == ':') {
			o = opt_by_val(cmd, optopt);
			return cli_error("%s: needs a value", o ? opt_spelling(o, name, sizeof(name)) : "option");
		}
		if (c == '?') {
			o = optopt ? opt_by_val(cmd, optopt) : NULL;
			if (o)
				return cli_error("%s: takes no value", opt_spelling(o, name, sizeof(name)));
			if (optopt && optopt < OPT_LONG_VAL)
				return cli_error("%s: unknown option '-%c' (see ptbench %s --help)", cmd->name,
						 optopt, cmd->name);
			return opt_unknown(cmd, argv[optind - 1]);
		}
		o = opt_by_val(cmd, c);
		if (!o)
			return 1;
		if (!o->repeats) {
			for (unsigned int i = 0; i < nr_given; i++)
				if (given[i] == o)
					return cli_error("%s: given twice (see ptbench %s --help)",
							 opt_spelling(o, name, sizeof(name)), cmd->name);
			given[nr_given++] = o;
		}
		if (opt_apply(o, bases, optarg))
			return 1;
	}
	/* after "--": the rest are operands (getopt_long moved them to the end) */
	for (; optind < argc; optind++)
		if (opt_operand(cmd, argv[optind], operands, nr_operands))
			return 1;
	return 0;
}
