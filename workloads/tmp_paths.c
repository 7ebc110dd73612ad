// SPDX-License-Identifier: GPL-2.0
/*
 * tmp_paths.c - the fixed table of temporary output files and the SIGINT /
 * SIGTERM handler that removes them (tmp_paths.h).
 *
 * A slot is written whole before it is marked used and marked unused before
 * it is reused, so the handler, which may run between any two instructions
 * of the main flow, reads only complete paths.  A path forgotten after its
 * rename may still be unlinked by a signal in between: the file no longer
 * exists under that name, and unlink(2) fails harmlessly.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tmp_paths.h"

static char tmp_path[TMP_PATHS_MAX][TMP_PATH_BYTES];
static volatile sig_atomic_t tmp_used[TMP_PATHS_MAX];

int tmp_paths_add(const char *path)
{
	size_t n = strlen(path);

	if (n >= TMP_PATH_BYTES)
		return -ENAMETOOLONG;
	for (int i = 0; i < TMP_PATHS_MAX; i++) {
		if (tmp_used[i])
			continue;
		memcpy(tmp_path[i], path, n + 1);
		/* the path is whole in memory before the handler may read it */
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		tmp_used[i] = 1;
		return 0;
	}
	return -ENOSPC;
}

void tmp_paths_forget(const char *path)
{
	for (int i = 0; i < TMP_PATHS_MAX; i++) {
		if (tmp_used[i] && !strcmp(tmp_path[i], path)) {
			tmp_used[i] = 0;
			__atomic_signal_fence(__ATOMIC_SEQ_CST);
			return;
		}
	}
}

const char *tmp_paths_dir(void)
{
	const char *dir = getenv("TMPDIR");

	return dir && *dir ? dir : "/tmp";
}

int tmp_paths_scratch(const char *name, char *path, size_t path_bytes)
{
	static unsigned int seq;

	for (int tries = 0; tries < 100; tries++) {
		int fd, err;

		if ((size_t)snprintf(path, path_bytes, "%s/ptbench-%s.%ld.%u", tmp_paths_dir(),
				     name, (long)getpid(), seq++) >= path_bytes)
			return -ENAMETOOLONG;
		tmp_paths_add(path);
		/* O_EXCL: never a file (or a symlink) that was there */
		fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		err = errno;
		if (fd >= 0)
			unlink(path);
		tmp_paths_forget(path);
		if (fd >= 0)
			return fd;
		if (err != EEXIST)
			return -err;
	}
	return -EEXIST;
}

static void tmp_paths_on_signal(int sig)
{
	for (int i = 0; i < TMP_PATHS_MAX; i++)
		if (tmp_used[i])
			unlink(tmp_path[i]);
	_exit(128 + sig);
}

int tmp_paths_catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = tmp_paths_on_signal;
	sigfillset(&sa.sa_mask);	/* one handler at a time: SIGINT then SIGTERM exit once */
	if (sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL))
		return -errno;
	return 0;
}
