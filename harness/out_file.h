/* SPDX-License-Identifier: GPL-2.0 */
/*
 * out_file.h - an output file written whole or not at all.
 *
 * Types:
 *   struct out_file  a stream open on PATH.tmp.PID (or stdout for "-"),
 *                    renamed to PATH by out_file_commit().
 * An interrupted or failed run leaves no half-written JSON or CSV behind:
 * readers of PATH see the previous file or the complete new one.  An
 * existing non-regular PATH (/dev/null, a FIFO) is written in place.
 */
#ifndef PTB_OUT_FILE_H
#define PTB_OUT_FILE_H

#include <stdio.h>

struct out_file {
	FILE *f;			/* NULL when not open */
	const char *path;		/* as given; "-" is stdout */
	char tmp_path[4096];		/* "" when written in place */
};

/*
 * An output @path that is the input file @in_path itself (same st_dev and
 * st_ino: another name, a link, ./ in front) would be replaced by what is
 * written: refused.  Returns 0, or 1 after cli_error().
 */
int out_file_not_input(const char *path, const char *in_path);
/* Open @path for writing ("-": stdout).  Returns 0, or 1 after cli_error(). */
int out_file_open(struct out_file *o, const char *path);
/* Flush, close and rename into place.  Returns 0, or 1 after cli_error(). */
int out_file_commit(struct out_file *o);
/* Close and remove the temporary file; harmless when not open. */
void out_file_abort(struct out_file *o);

#endif /* PTB_OUT_FILE_H */
