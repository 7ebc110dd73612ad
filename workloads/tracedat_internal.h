/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tracedat_internal.h - what tracedat.c (the parent, the reader) and
 * tracedat_child.c (the child that runs libtracecmd) share: the messages
 * the child sends through the pipe, and the child's entry point.
 */
#ifndef PTB_TRACEDAT_INTERNAL_H
#define PTB_TRACEDAT_INTERNAL_H

#include <stdint.h>

#include "trace_reader.h"

#define TRACEDAT_TEXT_BYTES		512u	/* a message's text, NUL included */

/* ---- what the child sends: a header, then @bytes of payload ---- */

enum tracedat_msg_type {
	TRACEDAT_MSG_OPENED = 1,	/* the file opened: records follow */
	TRACEDAT_MSG_EVENT,		/* one iommu record: struct trace_event */
	TRACEDAT_MSG_OTHER,		/* one record of another event: its name */
	TRACEDAT_MSG_BAD,		/* one iommu record that does not parse: why */
	TRACEDAT_MSG_LOST,		/* uint64_t events the ring buffer dropped */
	TRACEDAT_MSG_ERROR,		/* the child gives up: why */
	TRACEDAT_MSG_END,		/* every record was sent */
};

struct tracedat_msg {
	uint8_t type;			/* enum tracedat_msg_type */
	uint8_t reserved;
	uint16_t bytes;			/* payload that follows */
};

/*
 * The child's whole life: open @fd as a trace.dat, send every record
 * through @pipe_fd, exit.  Never returns.
 */
void __attribute__((noreturn)) tracedat_child_main(struct trace_reader *r, int fd, int pipe_fd);

#endif /* PTB_TRACEDAT_INTERNAL_H */
