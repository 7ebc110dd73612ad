/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tmp_paths.h - the temporary files of outputs being written ("OUT.tmp.PID"),
 * removed when SIGINT or SIGTERM ends the process.
 *
 * Terms: a "temporary path" is a file written whole, then renamed over its
 * output (harness/out_file.c, the .ptb writer): an interrupted run must
 * leave neither half an output nor its temporary file.  The table is fixed
 * (TMP_PATHS_MAX paths, no malloc) so the signal handler only reads it and
 * calls unlink(2) and _exit(2), both async-signal-safe.  SIGKILL cannot be
 * caught: it leaves the temporary files it interrupted.
 */
#ifndef PTB_TMP_PATHS_H
#define PTB_TMP_PATHS_H

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
/*
 * Install the SIGINT and SIGTERM handler: unlink every path added, then
 * _exit(128 + signal number) (130, 143), the shell's status for a death by
 * that signal.  ptbench's main() calls it; a program with its own handling
 * (ptrec stops recording and finishes its file) does not.
 */
int tmp_paths_catch_signals(void);

#endif /* PTB_TMP_PATHS_H */
