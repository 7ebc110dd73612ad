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

int out_file_not_input(const char *path, const char *in_path)
{
	struct stat out, in;

	if (!path || !in_path || !strcmp(path, "-") || stat(path, &out) || stat(in_path, &in))
		return 0;
	if (out.st_dev == in.st_dev && out.st_ino == in.st_ino && S_ISREG(out.st_mode))
		return cli_error("%s: is the input trace %s: refusing to write over it", path, in_path);
	return 0;
}

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
	if (f == stdout) {
		failed = fflush(stdout) != 0;
		failed |= ferror(stdout);
		return failed ? cli_error("-: write failed: %s", strerror(errno ? errno : EIO)) : 0;
	}
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
