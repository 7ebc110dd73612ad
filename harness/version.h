/* SPDX-License-Identifier: GPL-2.0 */
/* version.h - ptbench's version and the commit it was built from (provenance). */
#ifndef PTB_VERSION_H
#define PTB_VERSION_H

#define PTBENCH_VERSION "0.1.0"
/*
 * The top-level "schema" of every JSON document ptbench writes: raised when a
 * key is removed, renamed or changes type or unit (docs/schema.md), not when
 * one is added.
 */
#define PTBENCH_JSON_SCHEMA 1

/* "1a2b3c4d5e6f" or "1a2b3c4d5e6f-dirty"; "unknown" outside a git checkout. */
const char *ptbench_commit(void);

struct json;
/* The "ptbench": {"version", "commit"} object that opens every JSON result. */
void ptbench_write_json(struct json *j);

#endif /* PTB_VERSION_H */
