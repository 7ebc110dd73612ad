/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ptrec.h - what ptrec's BPF programs (ptrec.bpf.c) and its user space
 * (ptrec.c) share: the ring-buffer event, the counters, the knob limits.
 *
 * Types:
 *   struct ptrec_event       one iommu:map or iommu:unmap, as the tracepoint
 *                            saw it, plus what the paired call gave (domain,
 *                            gfp, irqs-off) and the context bits.
 *   struct ptrec_kmem_count  pages allocated and freed in one zone (kmem).
 * Terms: a "call" is one entry into an IOMMU core function that takes the
 * domain (and the gfp) as arguments, __iommu_map() for example; a call "pairs"
 * with the tracepoint event it fires, on the same task, between entry and exit.
 * "slot" = the index of one attached call function (at most PTREC_CALLS_MAX).
 * gfp values here are in the RUNNING kernel's numbering; ptrec.c translates
 * them to ptbench's (allocators/mm/gfp.h) through kgfp.h.
 *
 * Included by BPF C (after vmlinux.h) and by user space (which gets
 * <linux/types.h>), so it uses only the __uNN types.
 */
#ifndef PTB_PTREC_H
#define PTB_PTREC_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define PTREC_COMM_BYTES	16	/* TASK_COMM_LEN */
#define PTREC_CALLS_MAX		12	/* call functions attached at once */
#define PTREC_FRAMES_MAX	8	/* nested calls per task: chain x irq levels */
#define PTREC_ZONES_MAX		8	/* zones tracked by --kmem, all nodes */

/* Same numbers as trace.h's enum trace_op. */
#define PTREC_OP_MAP		1
#define PTREC_OP_UNMAP		2

/* Context bits: the same values as trace.h's TRACE_CTX_* (ptrec.c checks). */
#define PTREC_CTX_IRQS_OFF	0x01
#define PTREC_CTX_HARDIRQ	0x02
#define PTREC_CTX_SOFTIRQ	0x04
#define PTREC_CTX_NMI		0x08

/* struct ptrec_event.flags */
#define PTREC_EV_PAIRED		0x01	/* a call frame matched: domain is valid */
#define PTREC_EV_GFP		0x02	/* gfp came from the call's gfp argument */
#define PTREC_EV_IRQS_KNOWN	0x04	/* irqs-off read from the kprobe's saved flags */
#define PTREC_EV_PREEMPT_KNOWN	0x08	/* hardirq/softirq/NMI read from preempt_count */

struct ptrec_event {
	__u64 ts_ns;			/* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
	__u64 iova;
	__u64 paddr;			/* map only */
	__u64 size_bytes;		/* map: mapped; unmap: requested */
	__u64 unmapped_bytes;		/* unmap only */
	__u64 domain;			/* struct iommu_domain * of the paired call */
	__u64 gfp;			/* the call's gfp, kernel numbering */
	__u32 pid;			/* thread id, as ftrace's TASK-PID */
	__u16 cpu;
	__u8 op;			/* PTREC_OP_* */
	__u8 ctx;			/* PTREC_CTX_* */
	__u8 flags;			/* PTREC_EV_* */
	__u8 pad[7];
	char comm[PTREC_COMM_BYTES];
};

/* Per-CPU counters (BPF array "stats"), summed by user space at exit. */
enum ptrec_stat {
	PTREC_STAT_MAP_SEEN,		/* iommu:map fired while attached */
	PTREC_STAT_UNMAP_SEEN,
	PTREC_STAT_MAP_LOST,		/* ring buffer full: bpf_ringbuf_reserve failed */
	PTREC_STAT_UNMAP_LOST,
	PTREC_STAT_MAP_PAIRED,		/* events with PTREC_EV_PAIRED */
	PTREC_STAT_UNMAP_PAIRED,
	PTREC_STAT_CALLS,		/* call entries */
	PTREC_STAT_FRAME_OVERFLOW,	/* entries deeper than PTREC_FRAMES_MAX */
	PTREC_STAT_FRAME_NOMEM,		/* the frames map was full */
	PTREC_STAT_NR,
};

/* --kmem: one per zone, plus [nr_zones] for pfns outside every zone. */
struct ptrec_kmem_count {
	__u64 alloc_pages;
	__u64 free_pages;
};

#endif /* PTB_PTREC_H */
