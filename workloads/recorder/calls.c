// SPDX-License-Identifier: GPL-2.0
/*
 * calls.c - probe the IOMMU core functions ptrec pairs with the tracepoints
 * (calls.h): present as a symbol (/proc/kallsyms), prototype in BTF, and the
 * argument positions of domain, iova, size and gfp.
 *
 * kallsyms decides "is it a real function here": a static function the
 * compiler inlined everywhere has no symbol, and one it cloned has only
 * "name.isra.0" (with arguments dropped, so the BTF prototype would lie).
 * /sys/kernel/tracing/available_filter_functions would say "traceable" too,
 * but it is not always readable (this project's CI sandbox refuses it);
 * attaching tells the rest.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <bpf/btf.h>

#include "calls.h"
#include "ptrec.h"

/* Innermost first: the function that fires the tracepoint pushes the top frame. */
static const struct {
	const char *name;
	uint8_t op;
} candidates[CALLS_CANDIDATES] = {
	{ "__iommu_map", PTREC_OP_MAP },	/* 6.1: trace_map() inside */
	{ "iommu_map_nosync", PTREC_OP_MAP },	/* 6.18: trace_map() inside */
	{ "_iommu_map", PTREC_OP_MAP },		/* 6.1 source: gfp wrapper + iotlb_sync_map */
	{ "iommu_map", PTREC_OP_MAP },		/* 4.19: trace_map() inside; gfp in 6.13, 6.18 */
	{ "iommu_map_atomic", PTREC_OP_MAP },	/* 5.17, 6.1 */
	{ "__iommu_map_sg", PTREC_OP_MAP },	/* 6.1 */
	{ "iommu_map_sg", PTREC_OP_MAP },	/* gfp in 6.18 */
	{ "iommu_map_sg_atomic", PTREC_OP_MAP },	/* 5.17, 6.1 */
	{ "__iommu_unmap", PTREC_OP_UNMAP },	/* trace_unmap() inside (4.19 .. 6.18) */
	{ "iommu_unmap", PTREC_OP_UNMAP },
	{ "iommu_unmap_fast", PTREC_OP_UNMAP },
};

_Static_assert(CALLS_CANDIDATES <= PTREC_CALLS_MAX, "every candidate needs a BPF slot");

const char *call_state_name(enum call_state s)
{
	switch (s) {
	case CALL_ABSENT: return "not in this kernel";
	case CALL_NO_BTF: return "no BTF prototype";
	case CALL_NO_SYMBOL: return "no symbol of that name (inlined or cloned)";
	case CALL_BAD_SIGNATURE: return "unexpected arguments";
	case CALL_FOUND: return "found";
	}
	return "?";
}

static const struct btf_type *skip_mods(const struct btf *btf, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	while (t && btf_is_mod(t))
		t = btf__type_by_id(btf, t->type);
	return t;
}

static bool type_named(const struct btf *btf, const struct btf_type *t, const char *name)
{
	return t && !strcmp(btf__name_by_offset(btf, t->name_off), name);
}

static const char *param_name(const struct btf *btf, const struct btf_param *p)
{
	return btf__name_by_offset(btf, p->name_off);
}

/* Fill gfp_arg, size_arg, nr_args from the prototype; CALL_FOUND or CALL_BAD_SIGNATURE. */
static enum call_state read_signature(const struct btf *btf, __s32 func_id, struct call_fn *fn)
{
	const struct btf_type *func = btf__type_by_id(btf, func_id);
	const struct btf_type *proto = func ? btf__type_by_id(btf, func->type) : NULL;
	const struct btf_param *p;
	const struct btf_type *t;
	unsigned int n;

	if (!proto || !btf_is_func_proto(proto)) {
		snprintf(fn->why, sizeof(fn->why), "BTF entry is not a function prototype");
		return CALL_BAD_SIGNATURE;
	}
	n = btf_vlen(proto);
	p = btf_params(proto);
	fn->nr_args = (uint8_t)n;
	if (n < 3 || strcmp(param_name(btf, &p[0]), "domain") || strcmp(param_name(btf, &p[1]), "iova")) {
		snprintf(fn->why, sizeof(fn->why), "expected (domain, iova, ...), found %u arguments", n);
		return CALL_BAD_SIGNATURE;
	}
	t = skip_mods(btf, p[0].type);
	if (!t || !btf_is_ptr(t) || !type_named(btf, skip_mods(btf, t->type), "iommu_domain")) {
		snprintf(fn->why, sizeof(fn->why), "argument 0 is not a struct iommu_domain *");
		return CALL_BAD_SIGNATURE;
	}
	/* Arguments 0..5 are in registers on x86-64 and arm64: the kprobe reads those only. */
	for (unsigned int i = 2; i < n && i < 6; i++) {
		t = skip_mods(btf, p[i].type);
		if (!strcmp(param_name(btf, &p[i]), "gfp") && t && btf_is_typedef(t) &&
		    type_named(btf, t, "gfp_t"))
			fn->gfp_arg = (uint8_t)i;
	}
	/* trace_map(orig_iova, orig_paddr, orig_size) and trace_unmap(orig_iova, size, unmapped) */
	if (fn->op == PTREC_OP_MAP && n >= 4 && !strcmp(param_name(btf, &p[2]), "paddr") &&
	    !strcmp(param_name(btf, &p[3]), "size"))
		fn->size_arg = 3;
	if (fn->op == PTREC_OP_UNMAP && !strcmp(param_name(btf, &p[2]), "size"))
		fn->size_arg = 2;
	return CALL_FOUND;
}

int calls_probe(struct call_probe *p, const struct btf *vmlinux, const char *kallsyms_path,
		char *err, size_t err_bytes)
{
	bool in_kallsyms[CALLS_CANDIDATES] = { false };
	char line[512];
	FILE *f;

	memset(p, 0, sizeof(*p));
	f = fopen(kallsyms_path, "r");
	if (!f) {
		int ret = -errno;

		snprintf(err, err_bytes, "%s: %s", kallsyms_path, strerror(errno));
		return ret;
	}
	/* "ffffffff81d41960 T iommu_map" (a module's symbols end with " [name]") */
	while (fgets(line, sizeof(line), f)) {
		char type, name[256];

		if (sscanf(line, "%*s %c %255s", &type, name) != 2)
			continue;
		if (!strcmp(name, "__preempt_count") || !strcmp(name, "pcpu_hot"))
			p->percpu_preempt_sym = true;
		if (type != 't' && type != 'T')
			continue;
		for (unsigned int i = 0; i < CALLS_CANDIDATES; i++)
			if (!strcmp(name, candidates[i].name))
				in_kallsyms[i] = true;
	}
	fclose(f);

	for (unsigned int i = 0; i < CALLS_CANDIDATES; i++) {
		struct call_fn *fn = &p->fn[p->nr++];
		__s32 id = btf__find_by_name_kind(vmlinux, candidates[i].name, BTF_KIND_FUNC);

		fn->name = candidates[i].name;
		fn->op = candidates[i].op;
		if (id < 0)
			fn->state = in_kallsyms[i] ? CALL_NO_BTF : CALL_ABSENT;
		else if (!in_kallsyms[i])
			fn->state = CALL_NO_SYMBOL;
		else
			fn->state = read_signature(vmlinux, id, fn);
	}
	return 0;
}
