/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ftrace_out.h - write iommu events as the kernel's own trace file prints
 * them (5.17+ format, kernel/trace/trace_output.c), so every ftrace reader,
 * ptbench's included, reads ptrec's text like a tracefs capture:
 *
 *   # tracer: nop
 *   #
 *   # entries-in-buffer/entries-written: 2/2   #P:2
 *   #
 *   #           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION
 *                 dd-129     [000] d....     3.949760: map: IOMMU: iova=0x00000000ffff9000 - 0x00000000ffffa000 paddr=0x0000000101d12000 size=4096
 *                 dd-129     [000] d....     3.951012: unmap: IOMMU: iova=0x00000000ffff9000 - 0x00000000ffffa000 size=4096 unmapped_size=4096
 *
 * Types:
 *   struct ftrace_out  an open text output (opaque).
 * The flags column is irqs-off ('d', '.', or 'X' = unknown, as the kernel
 * prints it for an architecture that cannot tell), need-resched ('.': not
 * recorded), hardirq/softirq ('Z' 'z' 'H' 'h' 's' '.'), preempt-depth and
 * migrate-disable ('.': not recorded).  The header's entries line says how
 * many events the recorder saw and how many are in the file: ptbench's
 * reader counts the difference as lost, like a tracefs capture's.
 */
#ifndef PTB_RECORDER_FTRACE_OUT_H
#define PTB_RECORDER_FTRACE_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace.h"

struct ftrace_out;

/*
 * Open @path ("-": stdout; "*.gz": gzip-compressed).  Events go to a
 * temporary file until ftrace_out_close() writes the header and renames.
 * Returns 0 or -errno, @err "PATH: reason".
 */
int ftrace_out_open(const char *path, struct ftrace_out **out, char *err, size_t err_bytes);
/* One event line.  @irqs_known false prints 'X'.  Returns 0 or -errno (kept for close). */
int ftrace_out_write(struct ftrace_out *o, const struct trace_event *ev, const char *comm,
		     bool irqs_known);
/*
 * Header (@entries_written: events the tracer saw; the file holds the ones
 * written), body, rename.  Frees @o.  Returns 0 or -errno, @err set.
 */
int ftrace_out_close(struct ftrace_out *o, uint64_t entries_written, int nr_cpus,
		     char *err, size_t err_bytes);
/* Give up: remove every temporary file.  Accepts NULL.  Frees @o. */
void ftrace_out_abort(struct ftrace_out *o);

#endif /* PTB_RECORDER_FTRACE_OUT_H */
