/* SPDX-License-Identifier: GPL-2.0 */
/*
 * calls.h - which IOMMU core functions that take the domain (and the gfp)
 * exist on the running kernel, and where their arguments are.
 *
 * Types:
 *   struct call_fn     one candidate function: its name, the op it serves,
 *                      what was found, the argument positions.
 *   struct call_probe  every candidate, in attach order.
 * The candidates span the versions: 4.19's iommu_map() fires trace_map()
 * itself; 6.1 has __iommu_map(domain, iova, paddr, size, prot, gfp) under
 * iommu_map() / iommu_map_atomic() (no gfp argument, GFP_KERNEL / GFP_ATOMIC
 * inside) and __iommu_map_sg(); 6.13 and 6.18 give iommu_map() a gfp, and
 * 6.18 has iommu_map_nosync() where 6.1 has __iommu_map().  The unmap side
 * is __iommu_unmap(domain, iova, size, gather) under iommu_unmap() and
 * iommu_unmap_fast() in 4.19, 6.1 and 6.18.  Positions are read from
 * the kernel's BTF, never assumed: a function is attached only if its
 * argument 0 is `struct iommu_domain *domain` and argument 1 `iova`.
 */
#ifndef PTB_RECORDER_CALLS_H
#define PTB_RECORDER_CALLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct btf;

#define CALLS_CANDIDATES	11

enum call_state {
	CALL_ABSENT,		/* in neither kallsyms nor BTF: not in this kernel */
	CALL_NO_BTF,		/* a symbol, but BTF has no prototype: positions unknown */
	CALL_NO_SYMBOL,		/* BTF has it, kallsyms has no symbol of that exact name */
	CALL_BAD_SIGNATURE,	/* arguments not (domain, iova, ...) */
	CALL_FOUND,
};

struct call_fn {
	const char *name;
	uint8_t op;		/* PTREC_OP_* */
	enum call_state state;
	uint8_t gfp_arg;	/* index of `gfp_t gfp`, 0 if none (or beyond argument 6) */
	uint8_t size_arg;	/* index of `size` when the tracepoint's iova/size are these (2 or 3), else 0 */
	uint8_t nr_args;
	char why[96];		/* CALL_BAD_SIGNATURE: what did not match */
};

struct call_probe {
	struct call_fn fn[CALLS_CANDIDATES];
	unsigned int nr;
	/*
	 * kallsyms lists __preempt_count or pcpu_hot (x86, CONFIG_KALLSYMS_ALL):
	 * the BPF side can read preempt_count as a per-CPU ksym.
	 */
	bool percpu_preempt_sym;
};

/**
 * calls_probe() - look every candidate up in @vmlinux (the running kernel's
 * BTF) and @kallsyms_path (normally /proc/kallsyms).
 *
 * Returns 0, or -errno with @err set when @kallsyms_path cannot be read.
 */
int calls_probe(struct call_probe *p, const struct btf *vmlinux, const char *kallsyms_path,
		char *err, size_t err_bytes);

/* "found", "absent", "no BTF prototype", ... for messages. */
const char *call_state_name(enum call_state s);

#endif /* PTB_RECORDER_CALLS_H */
