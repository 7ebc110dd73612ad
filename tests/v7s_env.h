/* SPDX-License-Identifier: GPL-2.0 */
/*
 * v7s_env.h - what the v7s tests (test_v7s.c, test_v7s_tables.c, test_iommu.c)
 * run the v7s model in: the simulated machine (struct rig: v7s_mm, a
 * backend's tables, the L1 from the page allocator, PTEs in simulated memory)
 * and, where a test must see or steer what v7s asks its environment for (the
 * gfp, a lost cmpxchg, a table at a chosen address), a small fake environment
 * in host memory (struct fake); and a log of the iommu map/unmap trace events.
 * Include after <cmocka.h>: failures are cmocka failures.
 */
#ifndef PTB_TESTS_V7S_ENV_H
#define PTB_TESTS_V7S_ENV_H

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "machine.h"

#include "iommu.h"
#include "pt_alloc.h"
#include "v7s.h"
#include "v7s_mm.h"

#define MT8173_QUIRKS (V7S_QUIRK_ARM_NS | V7S_QUIRK_NO_PERMS)
#define RW (V7S_PROT_READ | V7S_PROT_WRITE)

/* =========================================================================
 * The machine environment
 */

struct rig {
	struct mm *mm;
	struct pt_alloc *a;
	struct pt_cfg pcfg;
	struct v7s_mm_cfg cfg;
	struct v7s_mm_domain *d;
	struct iommu_domain *dom;
	struct v7s_pgtable *pt;
};

static inline void rig_backend(struct rig *r, const char *memory, enum kver k, const char *backend)
{
	char err[256];

	memset(r, 0, sizeof(*r));
	r->mm = test_machine(memory, k, 4);
	r->pcfg.kernel = k;
	r->pcfg.nr_cpus = 4;
	r->a = pt_alloc_create(pt_backend_find(backend), r->mm, &r->pcfg, err, sizeof(err));
	if (!r->a)
		fail_msg("%s: %s", backend, err);
	v7s_mm_cfg_default(&r->cfg, r->mm, r->a);
}

static inline void rig_domain(struct rig *r, bool check)
{
	char err[256];

	r->d = v7s_mm_domain_create(r->mm, r->a, &r->cfg, err, sizeof(err));
	if (!r->d)
		fail_msg("v7s_mm_domain_create: %s", err);
	r->dom = &r->d->dom;
	r->pt = &r->d->dom.pgt;
	if (check)
		assert_int_equal(v7s_mm_enable_check(r->d), 0);
}

/* mt8173-4g, kernel @k, backend @backend, MT8173 defaults, --check on. */
static inline void rig_up(struct rig *r, enum kver k, const char *backend)
{
	rig_backend(r, "mt8173-4g", k, backend);
	rig_domain(r, true);
}

/* Teardown and the leak check: no L1 page, no live table, no backend page. */
static inline void rig_down(struct rig *r)
{
	if (r->d) {
		if (r->dom->shadow.iv)
			assert_int_equal(iommu_check(r->dom), 0);
		v7s_mm_domain_destroy(r->d);
	}
	assert_int_equal(mm_held_pages_total(r->mm, OWNER_V7S_L1), 0);
	assert_int_equal(r->a->live_tables, 0);
	pt_alloc_destroy(r->a);
	assert_int_equal(mm_held_pages_total(r->mm, OWNER_PT_BACKEND), 0);
	mm_check(r->mm);
	mm_destroy(r->mm);
}

/* Translation through the hardware walk, or ~0 for a fault. */
static inline uint64_t xlate(const struct v7s_pgtable *pt, uint64_t iova)
{
	uint64_t phys;

	return v7s_iova_to_phys(pt, iova, &phys) ? phys : ~0ull;
}

/* =========================================================================
 * A fake environment in host memory: tables at chosen addresses, every
 * request recorded.
 */

#define FAKE_BASE   0x10000000ull		/* 256 MiB */
#define FAKE_BYTES  (4u << 20)
#define FAKE_L2_FIRST (FAKE_BASE + V7S_L1_TABLE_BYTES)

struct fake {
	uint32_t *mem;
	uint64_t next;			/* bump pointer for L2 tables */
	uint64_t l1_phys;		/* where alloc_l1 puts the L1 (default FAKE_BASE) */
	uint32_t gfp[64];		/* gfp of every alloc_l2 call */
	unsigned int nr_alloc, nr_free, nr_l1_free;
	uint64_t freed[64];
	bool fail_l2;			/* alloc_l2 fails */
	uint64_t l2_at;			/* != 0: the next L2 is handed out here */
	/* before alloc_l2 returns, write this into L1 slot race_slot (a racing installer) */
	bool race;
	unsigned int race_slot;
	uint32_t race_pte;
	unsigned int warnings;
	const char *last_warning;
};

static inline bool fake_in(uint64_t phys)
{
	return phys >= FAKE_BASE && phys + 4 <= FAKE_BASE + FAKE_BYTES;
}

static inline uint32_t fake_read(void *ctx, uint64_t phys)
{
	struct fake *f = ctx;

	return fake_in(phys) ? f->mem[(phys - FAKE_BASE) / 4] : 0;
}

static inline void fake_write(void *ctx, uint64_t phys, uint32_t pte)
{
	struct fake *f = ctx;

	if (!fake_in(phys))
		fail_msg("PTE write outside the fake memory: %#" PRIx64, phys);
	f->mem[(phys - FAKE_BASE) / 4] = pte;
}

static inline int fake_alloc_l2(void *ctx, uint32_t gfp, int cpu, uint64_t *phys)
{
	struct fake *f = ctx;

	(void)cpu;
	f->gfp[f->nr_alloc++ % 64] = gfp;
	if (f->fail_l2)
		return -ENOMEM;
	if (f->l2_at) {
		*phys = f->l2_at;
		f->l2_at = 0;
	} else {
		*phys = f->next;
		f->next += V7S_L2_TABLE_BYTES;
	}
	if (fake_in(*phys))
		memset(&f->mem[(*phys - FAKE_BASE) / 4], 0, V7S_L2_TABLE_BYTES);
	if (f->race) {
		f->race = false;
		fake_write(f, FAKE_BASE + 4ull * f->race_slot, f->race_pte);
	}
	return 0;
}

static inline void fake_free_l2(void *ctx, uint64_t phys, int cpu)
{
	struct fake *f = ctx;

	(void)cpu;
	f->freed[f->nr_free++ % 64] = phys;
}

static inline int fake_alloc_l1(void *ctx, uint64_t *phys)
{
	struct fake *f = ctx;

	*phys = f->l1_phys;
	if (fake_in(*phys))
		memset(&f->mem[(*phys - FAKE_BASE) / 4], 0, V7S_L1_TABLE_BYTES);
	return 0;
}

static inline void fake_free_l1(void *ctx, uint64_t phys)
{
	struct fake *f = ctx;

	(void)phys;
	f->nr_l1_free++;
}

static inline void fake_warn(void *ctx, const char *what)
{
	struct fake *f = ctx;

	f->warnings++;
	f->last_warning = what;
}

static const struct v7s_env_ops fake_ops = {
	.alloc_l2 = fake_alloc_l2, .free_l2 = fake_free_l2,
	.alloc_l1 = fake_alloc_l1, .free_l1 = fake_free_l1,
	.read_pte = fake_read, .write_pte = fake_write, .warn = fake_warn,
};

static inline struct fake *fake_new(void)
{
	struct fake *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->mem = calloc(FAKE_BYTES / 4, 4);
	assert_non_null(f->mem);
	f->next = FAKE_L2_FIRST;
	f->l1_phys = FAKE_BASE;
	return f;
}

static inline void fake_free(struct fake *f)
{
	free(f->mem);
	free(f);
}

/* The v7s_cfg a kernel version gives, with these quirks. */
static inline struct v7s_cfg cfg_for(enum kver k, uint32_t quirks)
{
	struct v7s_cfg c;

	assert_int_equal(v7s_cfg_for(&c, k, quirks), 0);
	return c;
}

/* =========================================================================
 * The iommu trace events, logged: how many, and the last of each kind
 */

struct trace_log {
	unsigned int nr_map, nr_unmap;
	uint64_t map_iova, map_paddr, map_size;
	uint64_t unmap_iova, unmap_size, unmap_unmapped;
};

static inline void log_map(void *ctx, uint64_t iova, uint64_t paddr, uint64_t size)
{
	struct trace_log *t = ctx;

	t->nr_map++;
	t->map_iova = iova;
	t->map_paddr = paddr;
	t->map_size = size;
}

static inline void log_unmap(void *ctx, uint64_t iova, uint64_t size, uint64_t unmapped)
{
	struct trace_log *t = ctx;

	t->nr_unmap++;
	t->unmap_iova = iova;
	t->unmap_size = size;
	t->unmap_unmapped = unmapped;
}

static const struct iommu_trace_ops log_ops = { .map = log_map, .unmap = log_unmap };

#endif /* PTB_TESTS_V7S_ENV_H */
