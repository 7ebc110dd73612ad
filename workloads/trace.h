/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace.h - the event stream every trace reader produces and the replay eats.
 *
 * Types:
 *   struct trace_event  one iommu map or unmap, as the kernel traced it.
 * An event is what include/trace/events/iommu.h records (iova, paddr, size,
 * unmapped_size) plus what a recorder may add: the CPU, the context flags,
 * the IOMMU domain and the gfp the caller passed.  Fields a format does not
 * carry are 0 and the matching TRACE_HAS_* bit is clear.
 */
#ifndef PTB_TRACE_H
#define PTB_TRACE_H

#include <stdint.h>

enum trace_op {
	TRACE_OP_MAP = 1,
	TRACE_OP_UNMAP = 2,
};

/* Context flags: the ftrace "irqs-off / need-resched / hardirq-softirq" columns. */
#define TRACE_CTX_IRQS_OFF	0x01u	/* 'd' */
#define TRACE_CTX_HARDIRQ	0x02u	/* 'h' or 'H' */
#define TRACE_CTX_SOFTIRQ	0x04u	/* 's' or 'H' */
#define TRACE_CTX_NMI		0x08u	/* 'z' / 'Z' */
#define TRACE_CTX_PREEMPT_OFF	0x10u	/* preempt-depth > 0 */

/* Which optional fields an event carries. */
#define TRACE_HAS_CPU		0x01u
#define TRACE_HAS_CTX		0x02u
#define TRACE_HAS_DOMAIN	0x04u
#define TRACE_HAS_GFP		0x08u
#define TRACE_HAS_PID		0x10u

struct trace_event {
	uint64_t ts_ns;
	uint64_t iova;
	uint64_t paddr;			/* map only */
	uint64_t size_bytes;		/* map: mapped; unmap: requested */
	uint64_t unmapped_bytes;	/* unmap: what the kernel reported unmapped */
	uint32_t domain;		/* IOMMU domain id, 0 when unknown */
	uint32_t gfp;			/* the caller's gfp in ptbench's encoding (gfp.h) */
	uint32_t pid;
	uint16_t cpu;
	uint8_t op;			/* enum trace_op */
	uint8_t ctx;			/* TRACE_CTX_* */
	uint8_t has;			/* TRACE_HAS_* */
};

#endif /* PTB_TRACE_H */
