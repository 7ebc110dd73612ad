/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tmp_paths.h - the temporary files of outputs being written ("OUT.tmp.PID"),
 * removed when SIGINT or SIGTERM ends the process.
 *
 * Terms: a "temporary path" is a file written whole, then renamed over its
 * output (harness/out_file.c, the .ptb writer): an interrupted run must
 * leave neither half an output nor its temporary file.  A "scratch file"
 * (a replay run's CSV and --l2-log part, a trace.dat's copy) is unlinked
 * as soon as it is created and lives on as an open fd.  The table is fixed
 * (TMP_PATHS_MAX paths, no malloc) so the signal handler only reads it and
 * calls unlink(2) and _exit(2), both async-signal-safe.  SIGKILL cannot be
 * caught: it leaves the temporary files it interrupted.
 */
#ifndef PTB_TMP_PATHS_H
#define PTB_TMP_PATHS_H

#include <stddef.h>

#define TMP_PATHS_MAX		8
#define TMP_PATH_BYTES		4096

/**
 * tmp_paths_add() - remove @path if a signal ends the process.  Call it
 * before creating the file, so no instant leaves the file untracked.
 * Returns 0, or -ENAMETOOLONG / -ENOSPC (the table is full: the file is
 * written all the same, only not removed by a signal).
 */
int tmp_paths_add(const char *path);
/* Forget @path (renamed into place or removed).  A path not added is ignored. */
void tmp_paths_forget(const char *path);
/* Where scratch files go: $TMPDIR, or /tmp when it is unset or empty. */
const char *tmp_paths_dir(void);
/**
 * tmp_paths_scratch() - a scratch file: created as "DIR/ptbench-NAME.PID.N"
 * (DIR tmp_paths_dir()), in the table from before it is created until it is
 * unlinked, at once: only its fd holds it, so neither a signal nor SIGKILL
 * leaves it behind.  @path gets its (gone) name, for messages.
 * Returns the fd (read-write, close-on-exec) or -errno.
 */
int tmp_paths_scratch(const char *name, char *path, size_t path_bytes);
/*
 * Install the SIGINT and SIGTERM handler: unlink every path added, then
 * _exit(128 + signal number) (130, 143), the shell's status for a death by
 * that signal.  ptbench's main() calls it; a program with its own handling
 * (ptrec stops recording and finishes its file) does not.
 */
int tmp_paths_catch_signals(void);

#endif /* PTB_TMP_PATHS_H */
