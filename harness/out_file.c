// SPDX-License-Identifier: GPL-2.0
/*
 * out_file.c - write to PATH.tmp.PID, rename(2) to PATH when complete.
 *
 * rename(2) within one directory is atomic, so a reader sees the old file
 * or the new one, never a prefix of the new one.  PATH.tmp.PID is in the
 * table of tmp_paths.h while it exists, so SIGINT and SIGTERM remove it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "out_file.h"
#include "tmp_paths.h"

int out_file_open(struct out_file *o, const char *path)
{
	struct stat st;

	o->path = path;
	o->tmp_path[0] = '\0';
	if (!strcmp(path, "-")) {
		o->f = stdout;
		return 0;
	}
	/*
	 * An existing non-regular file (/dev/null, a FIFO, /dev/stdout) is
	 * written in place: renaming over it would replace the device.
	 */
	if (!stat(path, &st) && !S_ISREG(st.st_mode)) {
		o->f = fopen(path, "w");
		if (!o->f)
			return cli_error("%s: %s", path, strerror(errno));
		return 0;
	}
	if ((size_t)snprintf(o->tmp_path, sizeof(o->tmp_path), "%s.tmp.%ld", path,
			     (long)getpid()) >= sizeof(o->tmp_path))
		return cli_error("%s: path too long", path);
	tmp_paths_add(o->tmp_path);
	o->f = fopen(o->tmp_path, "w");
	if (!o->f) {
		int err = errno;

		tmp_paths_forget(o->tmp_path);
		return cli_error("%s: %s", o->tmp_path, strerror(err));
	}
	return 0;
}

int out_file_commit(struct out_file *o)
{
	FILE *f = o->f;
	int failed;

	o->f = NULL;
	if (f == stdout)
		return fflush(stdout) ? cli_error("-: %s", strerror(errno)) : 0;
	if (!o->tmp_path[0])	/* written in place */
		return fclose(f) ? cli_error("%s: write failed: %s", o->path, strerror(errno)) : 0;
	failed = ferror(f);
	failed |= fclose(f);
	if (failed) {
		int err = errno ? errno : EIO;

		unlink(o->tmp_path);
		tmp_paths_forget(o->tmp_path);
		return cli_error("%s: write failed: %s", o->path, strerror(err));
	}
	if (rename(o->tmp_path, o->path)) {
		int err = errno;

		unlink(o->tmp_path);
		tmp_paths_forget(o->tmp_path);
		return cli_error("%s: %s", o->path, strerror(err));
	}
	tmp_paths_forget(o->tmp_path);
	return 0;
}

void out_file_abort(struct out_file *o)
{
	if (o->f && o->f != stdout) {
		fclose(o->f);
		if (o->tmp_path[0]) {
			unlink(o->tmp_path);
			tmp_paths_forget(o->tmp_path);
		}
	}
	o->f = NULL;
}
