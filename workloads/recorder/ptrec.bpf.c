// SPDX-License-Identifier: GPL-2.0
/*
 * ptrec.bpf.c - ptrec's BPF side: the iommu:map / iommu:unmap tracepoints,
 * the IOMMU core calls that carry the domain and the gfp, and (--kmem)
 * per-zone page allocation counts.
 *
 * The tracepoints (include/trace/events/iommu.h) give iova, paddr, size and
 * unmapped_size but no domain, device or gfp.  The functions that fire them
 * take the domain as their first argument and, in 6.1 and later, the gfp:
 * in 6.1 drivers/iommu/iommu.c:__iommu_map(domain, iova, paddr, size, prot,
 * gfp) calls trace_map(), and __iommu_unmap(domain, iova, size, gather)
 * calls trace_unmap(); 6.18's iommu_map_nosync() is 6.1's __iommu_map().  ptrec.c
 * probes which of them exist and attaches a kprobe (or fentry) and a
 * kretprobe (or fexit) to each, in "slots".  The entry pushes a frame on
 * a per-task stack; the tracepoint reads the top frame; the exit pops it.
 * Keyed by task, not by CPU: a GFP_KERNEL map may sleep and move between
 * CPUs; interrupts nest strictly on top of the task they interrupt, so one
 * stack per task also serves hard and soft irq maps.
 *
 * A BPF tracepoint program cannot read the event's common fields (the
 * verifier refuses offsets below 8: kernel/trace/bpf_trace.c
 * tp_prog_is_valid_access()), so common_flags (irqs-off, hardirq...) is out
 * of reach.  hardirq / softirq / NMI come from preempt_count instead, as
 * kernel/trace/trace.c:tracing_gen_ctx_irq_test() (6.1) computes them;
 * irqs-off from the flags register the kprobe saved (x86 EFLAGS.IF,
 * arm64 PSTATE.I).  fentry programs see no registers: irqs-off is unknown.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "ptrec.h"

char LICENSE[] SEC("license") = "GPL";

/* Knobs, set by ptrec.c before load: a verifier-known constant in each slot's program. */
const volatile __u8 call_op[PTREC_CALLS_MAX];		/* PTREC_OP_* */
const volatile __u8 call_gfp_arg[PTREC_CALLS_MAX];	/* 0: no gfp argument, else its index 1..5 */
const volatile __u8 call_size_arg[PTREC_CALLS_MAX];	/* 0: iova/size are not the event's (sg) */
const volatile __u32 nr_zones;
const volatile __u64 zone_start_pfn[PTREC_ZONES_MAX];
const volatile __u64 zone_end_pfn[PTREC_ZONES_MAX];

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 << 20);		/* ptrec.c sets --ringbuf-mb */
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PTREC_STAT_NR);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PTREC_ZONES_MAX + 1);
	__type(key, __u32);
	__type(value, struct ptrec_kmem_count);
} kmem_counts SEC(".maps");

#define FRAME_GFP		0x01
#define FRAME_EXACT		0x02	/* iova and size are the event's own */
#define FRAME_IRQS_KNOWN	0x04
#define FRAME_IRQS_OFF		0x08

struct call_frame {
	__u64 domain;
	__u64 gfp;
	__u64 iova;
	__u64 size_bytes;
	__u8 slot;
	__u8 op;
	__u8 flags;			/* FRAME_* */
	__u8 pad[5];
};

struct call_stack {
	__u32 depth;
	__u32 pad;
	struct call_frame frame[PTREC_FRAMES_MAX];
};

/* LRU: a task whose exit probe was missed must not pin its entry forever. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);			/* struct task_struct *: idle tasks share pid 0 */
	__type(value, struct call_stack);
} frames SEC(".maps");

static const struct call_stack empty_stack;

static __always_inline void stat_inc(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &idx);

	if (v)
		__sync_fetch_and_add(v, 1);
}

/* ---- context: preempt_count's interrupt bits (include/linux/preempt.h) ---- */

#define PC_SOFTIRQ_OFFSET	0x00000100u	/* in_serving_softirq() */
#define PC_HARDIRQ_MASK		0x000f0000u
#define PC_NMI_MASK		0x00f00000u	/* NMI_BITS 4 from 5.x; 4.19's one bit is bit 20 */

/* x86: a per-CPU int in 6.1 and from 6.15; pcpu_hot.preempt_count in between. */
extern const int __preempt_count __ksym __weak;
struct pcpu_hot___ptrec {
	int preempt_count;
} __attribute__((preserve_access_index));
extern const struct pcpu_hot___ptrec pcpu_hot __ksym __weak;
/* arm64 and others: current->thread_info.preempt_count. */
struct thread_info___ptrec {
	__u64 preempt_count;
} __attribute__((preserve_access_index));
struct task_struct___ptrec {
	struct thread_info___ptrec thread_info;
} __attribute__((preserve_access_index));

/*
 * @percpu_ksym is a literal: the programs built with false hold no per-CPU
 * ksym at all.  The kernel resolves a ksym through kallsyms when it loads
 * the program, dead code included, and a kernel without
 * CONFIG_KALLSYMS_ALL lists no data symbols: it would refuse the program.
 */
static __always_inline int read_preempt_count(__u32 *pc, const bool percpu_ksym)
{
	if (bpf_core_field_exists(struct thread_info___ptrec, preempt_count)) {
		struct task_struct___ptrec *t = (void *)bpf_get_current_task();

		*pc = (__u32)BPF_CORE_READ(t, thread_info.preempt_count);
		return 0;
	}
	if (!percpu_ksym)
		return -1;
	if (&__preempt_count) {
		*pc = *(const int *)bpf_this_cpu_ptr(&__preempt_count);
		return 0;
	}
	if (&pcpu_hot) {
		const struct pcpu_hot___ptrec *hot = bpf_this_cpu_ptr(&pcpu_hot);

		*pc = hot->preempt_count;
		return 0;
	}
	return -1;
}

/* ---- the call stack ---- */

static __always_inline void call_enter(__u32 slot, __u64 domain, __u64 gfp, __u64 iova,
				       __u64 size_bytes, __u8 flags)
{
	__u64 task = bpf_get_current_task();
	struct call_stack *st;
	struct call_frame *f;
	__u32 d;

	stat_inc(PTREC_STAT_CALLS);
	st = bpf_map_lookup_elem(&frames, &task);
	if (!st) {
		bpf_map_update_elem(&frames, &task, &empty_stack, BPF_NOEXIST);
		st = bpf_map_lookup_elem(&frames, &task);
		if (!st) {
			stat_inc(PTREC_STAT_FRAME_NOMEM);
			return;
		}
	}
	d = st->depth;
	if (d >= PTREC_FRAMES_MAX) {
		/* Deeper than any real chain: exits were missed.  Reuse the top. */
		stat_inc(PTREC_STAT_FRAME_OVERFLOW);
		d = PTREC_FRAMES_MAX - 1;
	} else {
		st->depth = d + 1;
	}
	f = &st->frame[d & (PTREC_FRAMES_MAX - 1)];
	f->domain = domain;
	f->gfp = gfp;
	f->iova = iova;
	f->size_bytes = size_bytes;
	f->slot = slot;
	f->op = call_op[slot];
	f->flags = flags;
}

/* Pop down to the newest frame of @slot: frames above it lost their exit. */
static __always_inline void call_exit(__u32 slot)
{
	__u64 task = bpf_get_current_task();
	struct call_stack *st = bpf_map_lookup_elem(&frames, &task);
	__u32 d;

	if (!st)
		return;
	d = st->depth;
	for (int i = PTREC_FRAMES_MAX - 1; i >= 0; i--) {
		if ((__u32)i >= d || st->frame[i].slot != slot)
			continue;
		st->depth = i;
		if (i == 0)
			bpf_map_delete_elem(&frames, &task);
		return;
	}
}

#if defined(__TARGET_ARCH_x86)
#define PTREC_PARM6(x)		(__PT_REGS_CAST(x)->r9)
#define PTREC_IRQS_OFF(x)	(!(__PT_REGS_CAST(x)->flags & 0x200))	/* X86_EFLAGS_IF */
#elif defined(__TARGET_ARCH_arm64)
#define PTREC_PARM6(x)		(__PT_REGS_CAST(x)->regs[5])
#define PTREC_IRQS_OFF(x)	(__PT_REGS_CAST(x)->pstate & 0x80)	/* PSR_I_BIT */
#else
#error "ptrec: kprobe argument 6 and the irq flag are written for x86 and arm64 only"
#endif

/* The value of argument @idx (1..5) among the already loaded @a[]. */
static __always_inline __u64 pick(const __u64 a[6], __u8 idx)
{
	switch (idx) {
	case 1: return a[1];
	case 2: return a[2];
	case 3: return a[3];
	case 4: return a[4];
	case 5: return a[5];
	}
	return 0;
}

/*
 * Every argument register is read unconditionally and pinned by
 * barrier_var(): otherwise clang folds the knob switch into one load at a
 * computed ctx offset, which the verifier refuses ("modified ctx ptr").
 */
static __always_inline int kprobe_enter(struct pt_regs *regs, __u32 slot)
{
	__u8 flags = FRAME_IRQS_KNOWN | (PTREC_IRQS_OFF(regs) ? FRAME_IRQS_OFF : 0);
	__u64 a[6];

	a[0] = PT_REGS_PARM1(regs);
	a[1] = PT_REGS_PARM2(regs);
	a[2] = PT_REGS_PARM3(regs);
	a[3] = PT_REGS_PARM4(regs);
	a[4] = PT_REGS_PARM5(regs);
	a[5] = PTREC_PARM6(regs);
	barrier_var(a[1]);
	barrier_var(a[2]);
	barrier_var(a[3]);
	barrier_var(a[4]);
	barrier_var(a[5]);
	if (call_gfp_arg[slot])
		flags |= FRAME_GFP;
	if (call_size_arg[slot])
		flags |= FRAME_EXACT;
	call_enter(slot, a[0], pick(a, call_gfp_arg[slot]), a[1], pick(a, call_size_arg[slot]), flags);
	return 0;
}

/*
 * fentry: bpf_get_func_arg() (5.17+) reads argument n and fails cleanly
 * beyond the function's count, so one program serves every prototype.
 */
static __always_inline int fentry_enter(__u64 *ctx, __u32 slot)
{
	__u64 domain = 0, iova = 0, gfp = 0, size_bytes = 0;
	__u8 flags = 0;

	bpf_get_func_arg(ctx, 0, &domain);
	bpf_get_func_arg(ctx, 1, &iova);
	if (call_gfp_arg[slot] && !bpf_get_func_arg(ctx, call_gfp_arg[slot], &gfp))
		flags |= FRAME_GFP;
	if (call_size_arg[slot] && !bpf_get_func_arg(ctx, call_size_arg[slot], &size_bytes))
		flags |= FRAME_EXACT;
	call_enter(slot, domain, gfp, iova, size_bytes, flags);
	return 0;
}

/* One kprobe, kretprobe, fentry and fexit program per slot; ptrec.c loads the ones it uses. */
#define PTREC_SLOT(n)							\
SEC("kprobe") int kprobe_##n(struct pt_regs *regs)			\
{ return kprobe_enter(regs, n); }					\
SEC("kretprobe") int kretprobe_##n(struct pt_regs *regs)		\
{ call_exit(n); return 0; }						\
SEC("fentry") int fentry_##n(__u64 *ctx)				\
{ return fentry_enter(ctx, n); }					\
SEC("fexit") int fexit_##n(__u64 *ctx)					\
{ call_exit(n); return 0; }

PTREC_SLOT(0)
PTREC_SLOT(1)
PTREC_SLOT(2)
PTREC_SLOT(3)
PTREC_SLOT(4)
PTREC_SLOT(5)
PTREC_SLOT(6)
PTREC_SLOT(7)
PTREC_SLOT(8)
PTREC_SLOT(9)
PTREC_SLOT(10)
PTREC_SLOT(11)
_Static_assert(PTREC_CALLS_MAX == 12, "one PTREC_SLOT() per call slot");

/* ---- the tracepoints ---- */

/* Everything but the tracepoint's own fields: time, task, context, the paired call. */
static __always_inline void event_fill(struct ptrec_event *e, const bool percpu_ksym)
{
	__u64 task = bpf_get_current_task();
	struct call_stack *st;
	__u32 pc;

	e->ts_ns = bpf_ktime_get_ns();
	e->pid = (__u32)bpf_get_current_pid_tgid();
	e->cpu = (__u16)bpf_get_smp_processor_id();
	e->domain = 0;
	e->gfp = 0;
	e->ctx = 0;
	e->flags = 0;
	__builtin_memset(e->pad, 0, sizeof(e->pad));
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	if (!read_preempt_count(&pc, percpu_ksym)) {
		e->flags |= PTREC_EV_PREEMPT_KNOWN;
		if (pc & PC_NMI_MASK)
			e->ctx |= PTREC_CTX_NMI;
		if (pc & PC_HARDIRQ_MASK)
			e->ctx |= PTREC_CTX_HARDIRQ;
		if (pc & PC_SOFTIRQ_OFFSET)
			e->ctx |= PTREC_CTX_SOFTIRQ;
	}
	st = bpf_map_lookup_elem(&frames, &task);
	if (st && st->depth > 0 && st->depth <= PTREC_FRAMES_MAX) {
		struct call_frame *f = &st->frame[(st->depth - 1) & (PTREC_FRAMES_MAX - 1)];

		if (f->op != e->op)
			return;
		if ((f->flags & FRAME_EXACT) && (f->iova != e->iova || f->size_bytes != e->size_bytes))
			return;
		e->flags |= PTREC_EV_PAIRED;
		e->domain = f->domain;
		if (f->flags & FRAME_GFP) {
			e->gfp = f->gfp;
			e->flags |= PTREC_EV_GFP;
		}
		if (f->flags & FRAME_IRQS_KNOWN) {
			e->flags |= PTREC_EV_IRQS_KNOWN;
			if (f->flags & FRAME_IRQS_OFF)
				e->ctx |= PTREC_CTX_IRQS_OFF;
		}
	}
}

static __always_inline int on_map(struct trace_event_raw_map *ctx, const bool percpu_ksym)
{
	struct ptrec_event *e;

	stat_inc(PTREC_STAT_MAP_SEEN);
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		stat_inc(PTREC_STAT_MAP_LOST);
		return 0;
	}
	e->op = PTREC_OP_MAP;
	e->iova = ctx->iova;
	e->paddr = ctx->paddr;
	e->size_bytes = ctx->size;
	e->unmapped_bytes = 0;
	event_fill(e, percpu_ksym);
	if (e->flags & PTREC_EV_PAIRED)
		stat_inc(PTREC_STAT_MAP_PAIRED);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

static __always_inline int on_unmap(struct trace_event_raw_unmap *ctx, const bool percpu_ksym)
{
	struct ptrec_event *e;

	stat_inc(PTREC_STAT_UNMAP_SEEN);
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		stat_inc(PTREC_STAT_UNMAP_LOST);
		return 0;
	}
	e->op = PTREC_OP_UNMAP;
	e->iova = ctx->iova;
	e->paddr = 0;
	e->size_bytes = ctx->size;
	e->unmapped_bytes = ctx->unmapped_size;
	event_fill(e, percpu_ksym);
	if (e->flags & PTREC_EV_PAIRED)
		stat_inc(PTREC_STAT_UNMAP_PAIRED);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* ptrec.c loads the _pcpu pair when kallsyms has __preempt_count or pcpu_hot. */
SEC("tracepoint/iommu/map")
int tp_map_pcpu(struct trace_event_raw_map *ctx)
{
	return on_map(ctx, true);
}

SEC("tracepoint/iommu/unmap")
int tp_unmap_pcpu(struct trace_event_raw_unmap *ctx)
{
	return on_unmap(ctx, true);
}

SEC("tracepoint/iommu/map")
int tp_map(struct trace_event_raw_map *ctx)
{
	return on_map(ctx, false);
}

SEC("tracepoint/iommu/unmap")
int tp_unmap(struct trace_event_raw_unmap *ctx)
{
	return on_unmap(ctx, false);
}

/* ---- --kmem: pages per zone, counted here, read by user space per interval ---- */

static __always_inline void kmem_add(__u64 pfn, __u32 order, bool is_free)
{
	struct ptrec_kmem_count *c;
	__u32 z;

	for (z = 0; z < PTREC_ZONES_MAX; z++) {
		if (z >= nr_zones)
			break;
		if (pfn >= zone_start_pfn[z] && pfn < zone_end_pfn[z])
			break;
	}
	/* z == nr_zones: the pfn is in no zone zoneinfo listed ("other") */
	c = bpf_map_lookup_elem(&kmem_counts, &z);
	if (!c)
		return;
	if (is_free)
		__sync_fetch_and_add(&c->free_pages, 1ULL << (order & 31));
	else
		__sync_fetch_and_add(&c->alloc_pages, 1ULL << (order & 31));
}

SEC("tracepoint/kmem/mm_page_alloc")
int tp_page_alloc(struct trace_event_raw_mm_page_alloc *ctx)
{
	__u64 pfn = ctx->pfn;

	/* mm/page_alloc.c: a failed allocation is traced with pfn -1 */
	if (pfn != (__u64)-1)
		kmem_add(pfn, ctx->order, false);
	return 0;
}

SEC("tracepoint/kmem/mm_page_free")
int tp_page_free(struct trace_event_raw_mm_page_free *ctx)
{
	kmem_add(ctx->pfn, ctx->order, true);
	return 0;
}
