// SPDX-License-Identifier: GPL-2.0
/*
 * test_v7s.c - the v7s io-pgtable model (iommu/v7s.c), the IOMMU core
 * (iommu/iommu.c) and their machine adapter (harness/v7s_mm.c) against
 * docs/kernel-facts.md, "io-pgtable-arm-v7s", "IOMMU core and trace events"
 * and "Seen on the real 6.1 kernel".
 *
 * Two environments: the simulated machine (v7s_mm: a backend's tables, the
 * L1 from the page allocator, PTEs in simulated memory) and, where a test
 * must see or steer what v7s asks its environment for (the gfp, a lost
 * cmpxchg, a table at a chosen address), a small fake environment in host
 * memory.  Every machine test ends with the domain destroyed and no
 * OWNER_V7S_L1 / OWNER_PT_BACKEND page left.
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

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

static void rig_backend(struct rig *r, const char *memory, enum kver k, const char *backend)
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

static void rig_domain(struct rig *r, bool check)
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
static void rig_up(struct rig *r, enum kver k, const char *backend)
{
	rig_backend(r, "mt8173-4g", k, backend);
	rig_domain(r, true);
}

/* Teardown and the leak check: no L1 page, no live table, no backend page. */
static void rig_down(struct rig *r)
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
static uint64_t xlate(const struct v7s_pgtable *pt, uint64_t iova)
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

static bool fake_in(uint64_t phys)
{
	return phys >= FAKE_BASE && phys + 4 <= FAKE_BASE + FAKE_BYTES;
}

static uint32_t fake_read(void *ctx, uint64_t phys)
{
	struct fake *f = ctx;

	return fake_in(phys) ? f->mem[(phys - FAKE_BASE) / 4] : 0;
}

static void fake_write(void *ctx, uint64_t phys, uint32_t pte)
{
	struct fake *f = ctx;

	if (!fake_in(phys))
		fail_msg("PTE write outside the fake memory: %#" PRIx64, phys);
	f->mem[(phys - FAKE_BASE) / 4] = pte;
}

static int fake_alloc_l2(void *ctx, uint32_t gfp, int cpu, uint64_t *phys)
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

static void fake_free_l2(void *ctx, uint64_t phys, int cpu)
{
	struct fake *f = ctx;

	(void)cpu;
	f->freed[f->nr_free++ % 64] = phys;
}

static int fake_alloc_l1(void *ctx, uint64_t *phys)
{
	struct fake *f = ctx;

	*phys = f->l1_phys;
	if (fake_in(*phys))
		memset(&f->mem[(*phys - FAKE_BASE) / 4], 0, V7S_L1_TABLE_BYTES);
	return 0;
}

static void fake_free_l1(void *ctx, uint64_t phys)
{
	struct fake *f = ctx;

	(void)phys;
	f->nr_l1_free++;
}

static void fake_warn(void *ctx, const char *what)
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

static struct fake *fake_new(void)
{
	struct fake *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->mem = calloc(FAKE_BYTES / 4, 4);
	assert_non_null(f->mem);
	f->next = FAKE_L2_FIRST;
	f->l1_phys = FAKE_BASE;
	return f;
}

static void fake_free(struct fake *f)
{
	free(f->mem);
	free(f);
}

/* The v7s_cfg a kernel version gives, with these quirks. */
static struct v7s_cfg cfg_for(enum kver k, uint32_t quirks)
{
	struct v7s_cfg c;

	assert_int_equal(v7s_cfg_for(&c, k, quirks), 0);
	return c;
}

/* =========================================================================
 * arm_v7s_do_selftests, rewritten (kernels with split: 4.19 .. 6.12)
 *
 *   iova   0    16M          32M          48M ............ 64M
 *          4K   64K          1M           16M (supersection)
 * Expect every size to map and translate, a second map over each to fail
 * with -EEXIST, a 4K hole to be punched at +4K in the three large ones and
 * remapped, and every block to unmap whole and remap.
 */
static void selftest_on(enum kver k)
{
	struct fake *f = fake_new();
	struct v7s_cfg cfg = cfg_for(k, MT8173_QUIRKS);	/* the selftest's quirks */
	struct v7s_pgtable *pt = calloc(1, sizeof(*pt));
	static const uint64_t sizes[] = { V7S_SZ_4K, V7S_SZ_64K, V7S_SZ_1M, V7S_SZ_16M };
	uint64_t iova, size;

	assert_non_null(pt);
	assert_int_equal(v7s_init(pt, &cfg, &fake_ops, f), 0);

	/* Empty page tables shouldn't provide any translations. */
	assert_true(xlate(pt, 42) == ~0ull);
	assert_true(xlate(pt, (1ull << 30) + 42) == ~0ull);
	assert_true(xlate(pt, (2ull << 30) + 42) == ~0ull);

	/* Distinct mappings of different granule sizes. */
	iova = 0;
	for (unsigned int i = 0; i < 4; i++) {
		size = sizes[i];
		assert_int_equal(v7s_map(pt, iova, iova, size,
					 RW | V7S_PROT_NOEXEC | V7S_PROT_CACHE, 0, 0), 0);
		/* Overlapping mappings */
		assert_int_equal(v7s_map(pt, iova, iova + size, size,
					 V7S_PROT_READ | V7S_PROT_NOEXEC, 0, 0), -EEXIST);
		assert_int_equal(xlate(pt, iova + 42), iova + 42);
		iova += V7S_SZ_16M;
	}
	assert_int_equal(pt->stats.eexist, 4);
	assert_int_equal(f->warnings, 4);	/* WARN_ON(!selftest_running) outside the selftest */

	/* Partial unmap, and remap of the hole. */
	size = V7S_SZ_4K;
	for (unsigned int i = 1; i < 4; i++) {
		uint64_t start = i * V7S_SZ_16M;

		assert_int_equal(v7s_unmap(pt, start + size, size, 0), size);
		assert_true(xlate(pt, start + size + 42) == ~0ull);
		assert_int_equal(v7s_map(pt, start + size, size, size, V7S_PROT_READ, 0, 0), 0);
		assert_int_equal(xlate(pt, start + size + 42), size + 42);
	}
	/* 64K: split_cont; 1M: split_blk; 16M (slot 0): split_cont + split_blk. */
	assert_int_equal(pt->stats.split_cont, 2);
	assert_int_equal(pt->stats.split_blk, 2);
	assert_int_equal(pt->stats.split_blk_lost, 0);
	/*
	 * The kernel's split_blk_unmap refills from the block's attributes but
	 * not its address: the rest of the 1M section at 32M now maps from
	 * physical 0.  The selftest only looks at the remapped page.
	 */
	assert_int_equal(xlate(pt, 2 * V7S_SZ_16M + 2 * V7S_SZ_4K + 42), 2 * V7S_SZ_4K + 42);
	/* split_cont keeps addresses: the 64K page's other 4K pages are right */
	assert_int_equal(xlate(pt, V7S_SZ_16M + 2 * V7S_SZ_4K), V7S_SZ_16M + 2 * V7S_SZ_4K);
	/* and the supersection's other slots still translate */
	assert_int_equal(xlate(pt, 3 * V7S_SZ_16M + 5 * V7S_SZ_1M + 42),
			 3 * V7S_SZ_16M + 5 * V7S_SZ_1M + 42);

	/* Full unmap, and remap of the full block. */
	iova = 0;
	for (unsigned int i = 0; i < 4; i++) {
		size = sizes[i];
		assert_int_equal(v7s_unmap(pt, iova, size, 0), size);
		assert_true(xlate(pt, iova + 42) == ~0ull);
		assert_int_equal(v7s_map(pt, iova, iova, size, V7S_PROT_WRITE, 0, 0), 0);
		assert_int_equal(xlate(pt, iova + 42), iova + 42);
		iova += V7S_SZ_16M;
	}
	/* Tables: 0 (4K), 16M (64K), 32M and 48M (splits); two freed by the 1M/16M unmaps. */
	assert_int_equal(pt->stats.l2_allocs, 4);
	assert_int_equal(pt->stats.l2_freed_unmap, 2);
	assert_int_equal(pt->stats.live_l2, 2);
	v7s_free(pt, 0);
	assert_int_equal(pt->stats.l2_freed_teardown, 2);
	assert_int_equal(f->nr_free, 4);
	assert_int_equal(f->nr_l1_free, 1);
	free(pt);
	fake_free(f);
}

/*
 * The per-version rules both programs configure v7s with (v7s_rules.c):
 * 4.19 L1 by GFP_DMA and L2 GFP_ATOMIC, DMA32 L1 and its dev_err from 5.1,
 * the caller's gfp from 5.9, no split in 6.13 (nor 7.2); an unknown version refused.
 */
static void test_cfg_per_version(void **state)
{
	static const struct { enum kver k; bool dma32, caller_gfp, split; } want[] = {
		{ KVER_4_19, false, false, true },
		{ KVER_5_4, true, false, true },
		{ KVER_5_10, true, true, true },	/* 5.10 io-pgtable-arm-v7s.c: as 6.1 */
		{ KVER_6_1, true, true, true },
		{ KVER_6_12, true, true, true },	/* the splits are still there */
		{ KVER_6_13, true, true, false },
		{ KVER_7_2, true, true, false },	/* linux-source-7.2: as 6.13 */
	};
	struct v7s_cfg c;

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		c = cfg_for(want[i].k, MT8173_QUIRKS);
		assert_int_equal(v7s_rules(want[i].k)->l1_dma32, want[i].dma32);
		assert_int_equal(c.quirks, MT8173_QUIRKS);
		assert_int_equal(c.pgsize_bitmap, V7S_PGSIZE_BITMAP);
		assert_int_equal(c.warn_table_phys, want[i].dma32);
		assert_int_equal(c.l2_caller_gfp, want[i].caller_gfp);
		assert_int_equal(c.split, want[i].split);
		assert_false(c.keep_l1_above_4g);
	}
	assert_null(v7s_rules(KVER_NR));
	assert_int_equal(v7s_cfg_for(&c, KVER_NR, 0), -V7S_EINVAL);
}

static void test_selftests(void **state)
{
	(void)state;
	selftest_on(KVER_4_19);
	selftest_on(KVER_5_4);
	selftest_on(KVER_6_1);
}

/*
 * 6.13 (fd50651636fb): no split.  A partial unmap of a 64K, 1M or 16M entry
 * WARNs once and unmaps 0; the whole-block unmaps still work.
 */
static void test_partial_unmap_6_13(void **state)
{
	struct rig r;
	static const uint64_t sizes[] = { V7S_SZ_64K, V7S_SZ_1M, V7S_SZ_16M };

	(void)state;
	rig_up(&r, KVER_6_13, "slab-dma32");
	for (unsigned int i = 0; i < 3; i++) {
		uint64_t iova = (i + 1) * V7S_SZ_16M;

		assert_int_equal(iommu_map(r.dom, iova, 0x80000000ull + iova, sizes[i], GFP_ATOMIC, 0), 0);
		assert_int_equal(iommu_unmap(r.dom, iova + V7S_SZ_4K, V7S_SZ_4K, 0), 0);
		assert_int_equal(xlate(r.pt, iova + V7S_SZ_4K), 0x80000000ull + iova + V7S_SZ_4K);
	}
	/* a 1M unmap of a supersection is partial too */
	assert_int_equal(iommu_unmap(r.dom, 3 * V7S_SZ_16M + V7S_SZ_1M, V7S_SZ_1M, 0), 0);
	assert_int_equal(r.pt->stats.partial_refused, 4);
	assert_int_equal(r.d->warnings, 1);	/* WARN_ONCE */
	assert_string_equal(r.d->last_warning, "Unmap of a partial large IOPTE is not allowed");
	assert_int_equal(r.pt->stats.split_cont + r.pt->stats.split_blk, 0);
	assert_int_equal(r.dom->stats.unmap_short, 4);
	for (unsigned int i = 0; i < 3; i++)
		assert_int_equal(iommu_unmap(r.dom, (i + 1) * V7S_SZ_16M, sizes[i], 0), sizes[i]);
	assert_int_equal(r.dom->stats.faults_now, 0);
	rig_down(&r);
}

/* =========================================================================
 * PTE encodings: the kernel's bits for IOMMU_READ | IOMMU_WRITE
 */

struct enc {
	uint64_t size;
	int lvl;
	uint32_t attrs;		/* the PTE without its address bits */
	uint32_t addr_mask;
};

static void check_encodings(uint32_t quirks, int prot, const struct enc want[4])
{
	struct fake *f = fake_new();
	struct v7s_cfg cfg = cfg_for(KVER_4_19, quirks);
	struct v7s_pgtable *pt = calloc(1, sizeof(*pt));

	assert_non_null(pt);
	assert_int_equal(v7s_init(pt, &cfg, &fake_ops, f), 0);
	for (unsigned int i = 0; i < 4; i++) {
		uint64_t iova = (i + 1) * V7S_SZ_16M, paddr = 0x43000000ull;
		uint32_t pte;
		int lvl;

		assert_int_equal(v7s_map(pt, iova, paddr, want[i].size, prot, 0, 0), 0);
		pte = v7s_leaf_pte(pt, iova, &lvl);
		assert_int_equal(lvl, want[i].lvl);
		assert_int_equal(pte & ~want[i].addr_mask, want[i].attrs);
		assert_int_equal(pte & want[i].addr_mask, paddr);
		/* every one of the 16 copies is the same entry */
		if (want[i].size == V7S_SZ_64K || want[i].size == V7S_SZ_16M) {
			uint64_t step = want[i].size / V7S_CONT_PAGES;

			for (unsigned int c = 1; c < V7S_CONT_PAGES; c++)
				assert_int_equal(v7s_leaf_pte(pt, iova + c * step, &lvl), pte);
		}
		assert_int_equal(xlate(pt, iova + want[i].size - 1), paddr + want[i].size - 1);
	}
	/* The L1 entry of the 4K/64K chunks: table | type 01 (| NS_TABLE). */
	{
		uint32_t l1 = fake_read(f, FAKE_BASE + 4 * (V7S_SZ_16M >> 20));

		assert_int_equal(l1 & 3u, V7S_PTE_TYPE_TABLE);
		assert_int_equal(l1 & V7S_ATTR_NS_TABLE, (quirks & V7S_QUIRK_ARM_NS) ? V7S_ATTR_NS_TABLE : 0);
		assert_int_equal(l1 & V7S_TABLE_MASK, FAKE_L2_FIRST);
	}
	v7s_free(pt, 0);
	free(pt);
	fake_free(f);
}

static void test_pte_encodings(void **state)
{
	/*
	 * No quirks, READ|WRITE.  Attribute block NG|S|TEX(1)|AP1|AP0 = 0xc7:
	 *   4K  small page  0xc7 << 4  | 0x2                       = 0x00000c72
	 *   64K large page  TEX moves to [14:12], type 0x1          = 0x00001c31
	 *   1M  section     0xc7 << 10 | 0x2                       = 0x00031c02
	 *   16M supersection  section | bit 18                      = 0x00071c02
	 */
	static const struct enc plain[4] = {
		{ V7S_SZ_4K,  2, 0x00000c72, 0xfffff000 },
		{ V7S_SZ_64K, 2, 0x00001c31, 0xffff0000 },
		{ V7S_SZ_1M,  1, 0x00031c02, 0xfff00000 },
		{ V7S_SZ_16M, 1, 0x00071c02, 0xff000000 },
	};
	/* READ only: AP2 (read-only, bit 5 of the block) joins: 0xe7. */
	static const struct enc rdonly[4] = {
		{ V7S_SZ_4K,  2, 0x00000e72, 0xfffff000 },
		{ V7S_SZ_64K, 2, 0x00001e31, 0xffff0000 },
		{ V7S_SZ_1M,  1, 0x00039c02, 0xfff00000 },
		{ V7S_SZ_16M, 1, 0x00079c02, 0xff000000 },
	};
	/*
	 * MT8173 in 4GB mode: NO_PERMS drops AF/AP (block 0xc4), ARM_NS sets
	 * bit 19 on sections, MTK_4GB sets bit 9 on every leaf.
	 */
	static const struct enc mt8173[4] = {
		{ V7S_SZ_4K,  2, 0x00000e42, 0xfffff000 },
		{ V7S_SZ_64K, 2, 0x00001e01, 0xffff0000 },
		{ V7S_SZ_1M,  1, 0x000b1202, 0xfff00000 },
		{ V7S_SZ_16M, 1, 0x000f1202, 0xff000000 },
	};
	struct v7s_cfg c = cfg_for(KVER_4_19, 0);

	(void)state;
	check_encodings(0, RW, plain);
	check_encodings(0, V7S_PROT_READ, rdonly);
	check_encodings(MT8173_QUIRKS | V7S_QUIRK_MTK_4GB, RW, mt8173);

	/* The other prot bits, by the helper: NOEXEC, CACHE, MMIO, PRIV. */
	assert_int_equal(v7s_prot_to_pte(&c, RW | V7S_PROT_NOEXEC, 2), 0x00000c73);	/* XN = bit 0 */
	assert_int_equal(v7s_prot_to_pte(&c, RW | V7S_PROT_NOEXEC, 1), 0x00031c12);	/* XN = bit 4 */
	assert_int_equal(v7s_prot_to_pte(&c, RW | V7S_PROT_CACHE, 2), 0x00000c7e);	/* B|C */
	assert_int_equal(v7s_prot_to_pte(&c, RW | V7S_PROT_MMIO, 2), 0x00000c36);	/* TEX 0, B */
	assert_int_equal(v7s_prot_to_pte(&c, RW | V7S_PROT_PRIV, 2), 0x00000c52);	/* no AP1 */
	/* a large page carries XN at bit 15 */
	assert_int_equal(v7s_pte_to_cont(v7s_prot_to_pte(&c, RW | V7S_PROT_NOEXEC, 2), 2), 0x00009c31);
	assert_true(v7s_pte_is_cont(0x00001c31, 2) && !v7s_pte_is_cont(0x00000c72, 2));
	assert_true(v7s_pte_is_cont(0x00071c02, 1) && !v7s_pte_is_cont(0x00031c02, 1));
	assert_false(v7s_pte_is_cont(0x40000001, 1));	/* a table is never contiguous */
}

/* =========================================================================
 * iommu_pgsize and the chunks iommu_map cuts
 */

struct trace_log {
	unsigned int nr_map, nr_unmap;
	uint64_t map_iova, map_paddr, map_size;
	uint64_t unmap_iova, unmap_size, unmap_unmapped;
};

static void log_map(void *ctx, uint64_t iova, uint64_t paddr, uint64_t size)
{
	struct trace_log *t = ctx;

	t->nr_map++;
	t->map_iova = iova;
	t->map_paddr = paddr;
	t->map_size = size;
}

static void log_unmap(void *ctx, uint64_t iova, uint64_t size, uint64_t unmapped)
{
	struct trace_log *t = ctx;

	t->nr_unmap++;
	t->unmap_iova = iova;
	t->unmap_size = size;
	t->unmap_unmapped = unmapped;
}

static const struct iommu_trace_ops log_ops = { .map = log_map, .unmap = log_unmap };

static void test_iommu_pgsize(void **state)
{
	const uint32_t b = V7S_PGSIZE_BITMAP;

	(void)state;
	assert_int_equal(iommu_pgsize(b, 0, 3 * V7S_SZ_1M), V7S_SZ_1M);
	assert_int_equal(iommu_pgsize(b, 0, V7S_SZ_16M), V7S_SZ_16M);
	assert_int_equal(iommu_pgsize(b, 0, 64 * V7S_SZ_16M), V7S_SZ_16M);	/* alignment term skipped */
	assert_int_equal(iommu_pgsize(b, 0x40100000 | 0x80010000, V7S_SZ_1M), V7S_SZ_64K);
	assert_int_equal(iommu_pgsize(b, 0x41000000 | 0x82000000, V7S_SZ_16M), V7S_SZ_16M);
	assert_int_equal(iommu_pgsize(b, 0x41000000 | 0x82100000, V7S_SZ_16M), V7S_SZ_1M);
	assert_int_equal(iommu_pgsize(b, 0x41000000 | 0x82100000, 0xff000), V7S_SZ_64K);
	assert_int_equal(iommu_pgsize(b, 0x1000, V7S_SZ_16M), V7S_SZ_4K);
	assert_int_equal(iommu_pgsize(b, 0x40000000, 0x3000), V7S_SZ_4K);
	assert_int_equal(iommu_pgsize(V7S_SZ_4K | V7S_SZ_1M, 0, 0xff000), V7S_SZ_4K);
	assert_int_equal(iommu_pgsize(b, 0x800, 0x1000), 0);	/* below the smallest page */
}

/*
 * The churn of "Seen on the real 6.1 kernel": a 1 MiB-aligned 1 MiB buffer
 * whose paddr is only 64K aligned.
 *
 *   iova 0x4010_0000 ........ 0x4020_0000   one L1 slot
 *   paddr 0x8001_0000 (64K aligned)          -> 16 x 64K chunks, one L2
 * Expect one L2 table at the map and its free at the 1 MiB unmap, which
 * works at level 1.
 */
static void test_chunking_churn(void **state)
{
	struct rig r;
	struct trace_log t = { 0 };
	const uint64_t iova = 0x40100000, paddr = 0x80010000;

	(void)state;
	rig_up(&r, KVER_6_1, "slab-dma32");
	r.dom->trace = &log_ops;
	r.dom->trace_ctx = &t;

	assert_int_equal(iommu_map(r.dom, iova, paddr, V7S_SZ_1M, GFP_ATOMIC, 1), 0);
	assert_int_equal(r.dom->stats.chunks[1], 16);
	assert_int_equal(r.dom->stats.chunks[0] + r.dom->stats.chunks[2] + r.dom->stats.chunks[3], 0);
	assert_int_equal(r.pt->stats.l2_allocs, 1);
	assert_int_equal(r.a->live_tables, 1);
	assert_int_equal(t.nr_map, 1);	/* one event with the whole size */
	assert_int_equal(t.map_iova, iova);
	assert_int_equal(t.map_paddr, paddr);
	assert_int_equal(t.map_size, V7S_SZ_1M);
	assert_int_equal(xlate(r.pt, iova + 0x12345), paddr + 0x12345);

	assert_int_equal(iommu_unmap(r.dom, iova, V7S_SZ_1M, 1), V7S_SZ_1M);
	assert_int_equal(r.pt->stats.l2_freed_unmap, 1);
	assert_int_equal(r.a->live_tables, 0);
	assert_int_equal(r.a->frees, 1);
	assert_int_equal(t.nr_unmap, 1);
	assert_int_equal(t.unmap_unmapped, V7S_SZ_1M);

	/* The same buffer with a 1 MiB-aligned paddr is one section: no table. */
	assert_int_equal(iommu_map(r.dom, iova, 0x80100000, V7S_SZ_1M, GFP_ATOMIC, 1), 0);
	assert_int_equal(r.dom->stats.chunks[2], 1);
	assert_int_equal(r.pt->stats.l2_allocs, 1);
	assert_int_equal(iommu_unmap(r.dom, iova, V7S_SZ_1M, 1), V7S_SZ_1M);

	/* 16M-aligned both sides, 16M + 68K: one supersection, one 64K, one 4K. */
	assert_int_equal(iommu_map(r.dom, 0x41000000, 0x82000000, V7S_SZ_16M + 0x11000,
				   GFP_ATOMIC, 0), 0);
	assert_int_equal(r.dom->stats.chunks[3], 1);
	assert_int_equal(r.dom->stats.chunks[1], 17);
	assert_int_equal(r.dom->stats.chunks[0], 1);
	assert_int_equal(iommu_unmap(r.dom, 0x41000000, V7S_SZ_16M + 0x11000, 0),
			 V7S_SZ_16M + 0x11000);

	/* Unaligned to 4K: -EINVAL and no trace, for map and unmap. */
	assert_int_equal(iommu_map(r.dom, 0x40000800, 0x80000000, 0x1000, GFP_ATOMIC, 0), -EINVAL);
	assert_int_equal(iommu_map(r.dom, 0x40000000, 0x80000000, 0x1800, GFP_ATOMIC, 0), -EINVAL);
	assert_int_equal(iommu_unmap(r.dom, 0x40000000, 0x800, 0), 0);
	assert_int_equal(r.dom->stats.map_einval, 2);
	assert_int_equal(r.dom->stats.unmap_einval, 1);
	assert_int_equal(t.nr_map, 3);
	assert_int_equal(t.nr_unmap, 3);
	rig_down(&r);
}

/*
 * __iommu_unmap stops at the first chunk that unmaps 0:
 *   A: 4K mapped | A+4K: hole | A+8K: 4K mapped
 * Expect unmap(A, 12K) = 4K, one event with unmapped_size 4K, one WARN.
 */
static void test_unmap_stops_at_hole(void **state)
{
	struct rig r;
	struct trace_log t = { 0 };
	const uint64_t a = 0x50000000;

	(void)state;
	rig_up(&r, KVER_4_19, "slab-dma32");
	r.dom->trace = &log_ops;
	r.dom->trace_ctx = &t;
	assert_int_equal(iommu_map(r.dom, a, 0x60000000, V7S_SZ_4K, GFP_ATOMIC, 0), 0);
	assert_int_equal(iommu_map(r.dom, a + 0x2000, 0x60002000, V7S_SZ_4K, GFP_ATOMIC, 0), 0);
	assert_int_equal(iommu_unmap(r.dom, a, 0x3000, 0), V7S_SZ_4K);
	assert_int_equal(t.unmap_size, 0x3000);
	assert_int_equal(t.unmap_unmapped, V7S_SZ_4K);
	assert_int_equal(r.pt->stats.unmap_invalid, 1);
	assert_int_equal(r.dom->stats.unmap_short, 1);
	assert_int_equal(xlate(r.pt, a + 0x2000), 0x60002000);
	/* A never-mapped 1 MiB slot: WARN, 0. */
	assert_int_equal(iommu_unmap(r.dom, 0x70000000, V7S_SZ_1M, 0), 0);
	assert_int_equal(r.pt->stats.unmap_invalid, 2);
	rig_down(&r);
}

/* =========================================================================
 * -EEXIST, and the unroll of a failed map
 */

static void test_eexist(void **state)
{
	struct rig r;
	const uint64_t a = 0x40000000;

	(void)state;
	rig_up(&r, KVER_6_1, "slab-dma32");
	assert_int_equal(iommu_map(r.dom, a, 0x80000000, V7S_SZ_4K, GFP_ATOMIC, 0), 0);
	/* the same 4K again */
	assert_int_equal(iommu_map(r.dom, a, 0x90000000, V7S_SZ_4K, GFP_ATOMIC, 0), -EEXIST);
	/* a 64K over it */
	assert_int_equal(iommu_map(r.dom, a, 0x90000000, V7S_SZ_64K, GFP_ATOMIC, 0), -EEXIST);
	/* a 4K inside a section: the L1 block is in the way */
	assert_int_equal(iommu_map(r.dom, a + 2 * V7S_SZ_1M, 0x81000000, V7S_SZ_1M, GFP_ATOMIC, 0), 0);
	assert_int_equal(iommu_map(r.dom, a + 2 * V7S_SZ_1M + 0x5000, 0x90005000, V7S_SZ_4K,
				   GFP_ATOMIC, 0), -EEXIST);
	/* a section over a section */
	assert_int_equal(iommu_map(r.dom, a + 2 * V7S_SZ_1M, 0x82000000, V7S_SZ_1M, GFP_ATOMIC, 0),
			 -EEXIST);
	assert_int_equal(r.dom->stats.map_eexist, 4);
	assert_int_equal(r.pt->stats.eexist, 4);
	assert_int_equal(r.d->warnings, 4);
	/* the failed maps changed nothing */
	assert_int_equal(xlate(r.pt, a), 0x80000000);
	assert_int_equal(xlate(r.pt, a + 2 * V7S_SZ_1M + 0x5000), 0x81005000);
	assert_int_equal(r.pt->stats.l2_allocs, 1);

	{
		struct run_counters c = { 0 };

		v7s_mm_domain_counters(r.d, &c);
		assert_int_equal(c.conflicts, 4);
		assert_int_equal(c.map_errors_other, 4);
		assert_int_equal(c.map_failures, 0);
	}
	rig_down(&r);
}

/*
 *   slot S: empty        slot S+1: a 1M section
 *   map [S, S+2M) at a 64K-aligned paddr: 16 x 64K in S (one L2), then the
 *   first 64K of S+1 meets the section.
 * Expect -EEXIST, the unroll unmap(S, 1M) traced with unmapped 1M, the L2
 * freed by it, no map event.  A map whose first chunk fails is unrolled
 * with size 0, traced too.
 */
static void test_unroll(void **state)
{
	struct rig r;
	struct trace_log t = { 0 };
	const uint64_t s = 0x40000000;

	(void)state;
	rig_up(&r, KVER_4_19, "slab-dma32");
	assert_int_equal(iommu_map(r.dom, s + V7S_SZ_1M, 0x81000000, V7S_SZ_1M, GFP_ATOMIC, 0), 0);
	r.dom->trace = &log_ops;
	r.dom->trace_ctx = &t;
	assert_int_equal(iommu_map(r.dom, s, 0x80010000, 2 * V7S_SZ_1M, GFP_ATOMIC, 0), -EEXIST);
	assert_int_equal(t.nr_map, 0);
	assert_int_equal(t.nr_unmap, 1);
	assert_int_equal(t.unmap_iova, s);
	assert_int_equal(t.unmap_size, V7S_SZ_1M);
	assert_int_equal(t.unmap_unmapped, V7S_SZ_1M);
	assert_int_equal(r.dom->stats.unrolls, 1);
	assert_int_equal(r.dom->stats.unroll_bytes, V7S_SZ_1M);
	assert_int_equal(r.dom->stats.unmaps, 0);	/* unrolls are not the caller's unmaps */
	assert_int_equal(r.pt->stats.l2_allocs, 1);
	assert_int_equal(r.pt->stats.l2_freed_unmap, 1);
	assert_true(xlate(r.pt, s) == ~0ull);
	assert_int_equal(xlate(r.pt, s + V7S_SZ_1M), 0x81000000);

	/* First chunk fails: unmap(iova, 0) with unmapped 0 is still traced. */
	assert_int_equal(iommu_map(r.dom, s + V7S_SZ_1M, 0x90000000, V7S_SZ_4K, GFP_ATOMIC, 0),
			 -EEXIST);
	assert_int_equal(t.nr_unmap, 2);
	assert_int_equal(t.unmap_size, 0);
	assert_int_equal(t.unmap_unmapped, 0);
	rig_down(&r);
}

/* =========================================================================
 * When L2 tables are freed: level-1 unmap, block replacement, teardown
 */

/*
 *   slot 0x400: a 4K page mapped, then unmapped      -> table stays (empty)
 *   slot 0x400: a 1M section over the table with a live 4K in it
 *                                                   -> table freed, 4K gone
 *   slot 0x401: a 4K, then unmap(slot, 1M)           -> table freed
 *   slots 0x402..0x404: a 4K each, left              -> freed at teardown
 */
static void test_l2_lifetime(void **state)
{
	struct rig r;
	const uint64_t s = 0x40000000;

	(void)state;
	rig_up(&r, KVER_5_4, "slab-dma32");

	/* An emptied table stays installed: no refcount. */
	assert_int_equal(iommu_map(r.dom, s, 0x80000000, V7S_SZ_4K, GFP_ATOMIC, 0), 0);
	assert_int_equal(iommu_unmap(r.dom, s, V7S_SZ_4K, 0), V7S_SZ_4K);
	assert_int_equal(r.pt->stats.live_l2, 1);
	assert_int_equal(r.a->live_tables, 1);
	assert_int_equal(r.pt->stats.l2_frees, 0);
	/* ... and is used again without a new allocation */
	assert_int_equal(iommu_map(r.dom, s + 0x7000, 0x80007000, V7S_SZ_4K, GFP_ATOMIC, 0), 0);
	assert_int_equal(r.pt->stats.l2_alloc_attempts, 1);

	/* A section over the table: the table and its live page go. */
	assert_int_equal(iommu_map(r.dom, s, 0x90000000, V7S_SZ_1M, GFP_ATOMIC, 0), 0);
	assert_int_equal(r.pt->stats.l2_freed_replace, 1);
	assert_int_equal(r.pt->stats.replaced_live_ptes, 1);
	assert_int_equal(r.a->live_tables, 0);
	assert_int_equal(xlate(r.pt, s + 0x7000), 0x90007000);

	/* A level-1 unmap of a whole slot frees its table. */
	assert_int_equal(iommu_map(r.dom, s + V7S_SZ_1M, 0x80000000, V7S_SZ_4K, GFP_ATOMIC, 0), 0);
	assert_int_equal(iommu_unmap(r.dom, s + V7S_SZ_1M, V7S_SZ_1M, 0), V7S_SZ_1M);
	assert_int_equal(r.pt->stats.l2_freed_unmap, 1);

	/* A supersection over three tables frees all three. */
	for (unsigned int i = 0; i < 3; i++)
		assert_int_equal(iommu_map(r.dom, 0x43000000 + i * V7S_SZ_1M, 0x80000000 + i * 0x1000,
					   V7S_SZ_4K, GFP_ATOMIC, 0), 0);
	assert_int_equal(iommu_map(r.dom, 0x43000000, 0x91000000, V7S_SZ_16M, GFP_ATOMIC, 0), 0);
	assert_int_equal(r.pt->stats.l2_freed_replace, 4);
	assert_int_equal(r.pt->stats.replaced_live_ptes, 4);

	/* Tables left for teardown. */
	for (unsigned int i = 2; i < 5; i++)
		assert_int_equal(iommu_map(r.dom, s + i * V7S_SZ_1M, 0x80000000, V7S_SZ_4K,
					   GFP_ATOMIC, 0), 0);
	assert_int_equal(r.a->live_tables, 3);
	assert_int_equal(iommu_check(r.dom), 0);
	v7s_mm_domain_destroy(r.d);
	r.d = NULL;
	assert_int_equal(r.a->live_tables, 0);
	rig_down(&r);
}

/* =========================================================================
 * The regression: slab-dma on 4.19 as released, mt8173-4g
 */

/*
 * mt8173-4g: DRAM 0x4000_0000..0x1_4000_0000, ZONE_NORMAL = the 1 GiB above
 * 4 GiB; on arm64 4.19 GFP_DMA means ZONE_NORMAL.
 * Expect the 4.19-as-released L1 (GFP_DMA) above 4 GiB and rejected: the
 * domain cannot be created (no page kept).  With the L1 fixed, an L2 from
 * the SLAB_CACHE_DMA cache is above 4 GiB, thrown back to the cache, the
 * map fails -ENOMEM - silently on 4.19, with a dev_err from 5.1.
 */
static void test_above_4g_rejection(void **state)
{
	struct rig r;
	char err[256];

	(void)state;
	rig_backend(&r, "mt8173-4g", KVER_4_19, "slab-dma");
	assert_true(r.cfg.l1_gfp_dma);
	assert_null(v7s_mm_domain_create(r.mm, r.a, &r.cfg, err, sizeof(err)));
	assert_true(r.cfg.l1_above_4g);
	assert_non_null(strstr(err, "above 4 GiB"));
	assert_int_equal(mm_held_pages_total(r.mm, OWNER_V7S_L1), 0);

	/* L1 from GFP_DMA32 (the fix), L2 still from the SLAB_CACHE_DMA cache. */
	r.cfg.l1_gfp_dma = false;
	rig_domain(&r, true);
	assert_false(r.cfg.l1_above_4g);
	assert_true(r.cfg.l1_phys < SZ_4G);
	assert_int_equal(r.cfg.l1_zone, ZONE_DMA32);
	assert_int_equal(iommu_map(r.dom, 0x40000000, 0x80000000, V7S_SZ_4K, GFP_ATOMIC, 0), -ENOMEM);
	assert_int_equal(iommu_map(r.dom, 0x40100000, 0x80000000, V7S_SZ_4K, GFP_ATOMIC, 0), -ENOMEM);
	assert_int_equal(r.pt->stats.rejected_above_4g, 2);
	assert_int_equal(r.a->above_4g, 2);		/* the backend saw both */
	assert_int_equal(r.a->allocs, 2);
	assert_int_equal(r.a->frees, 2);		/* thrown back to the cache */
	assert_int_equal(r.a->live_tables, 0);
	assert_int_equal(r.pt->stats.l2_allocs, 0);
	assert_int_equal(r.d->warnings, 0);		/* 4.19: silent */
	assert_true(xlate(r.pt, 0x40000000) == ~0ull);
	{
		struct run_counters c = { 0 };

		v7s_mm_domain_counters(r.d, &c);
		assert_int_equal(c.map_failures, 2);
		assert_int_equal(c.rejected_above_4g, 2);
		assert_int_equal(c.atomic_attempts, 2);
		assert_int_equal(c.atomic_failures, 0);
		assert_int_equal(c.l1_above_4g, 0);
	}
	rig_down(&r);

	/* 5.4 (still no arm64 ZONE_DMA): the same, with "Page table does not fit in PTE". */
	rig_backend(&r, "mt8173-4g", KVER_5_4, "slab-dma");
	assert_false(r.cfg.l1_gfp_dma);	/* 5.1+: L1 from GFP_DMA32 */
	rig_domain(&r, false);
	assert_int_equal(iommu_map(r.dom, 0x40000000, 0x80000000, V7S_SZ_64K, GFP_ATOMIC, 0), -ENOMEM);
	assert_int_equal(r.pt->stats.rejected_above_4g, 1);
	assert_int_equal(r.d->warnings, 1);
	assert_string_equal(r.d->last_warning, "Page table does not fit in PTE");
	rig_down(&r);

	/* slab-dma32 (the 5.1 fix) on 4.19: everything below 4 GiB. */
	rig_up(&r, KVER_4_19, "slab-dma32");
	assert_false(r.cfg.l1_gfp_dma);
	assert_int_equal(iommu_map(r.dom, 0x40000000, 0x80000000, V7S_SZ_4K, GFP_ATOMIC, 0), 0);
	assert_int_equal(r.pt->stats.rejected_above_4g, 0);
	rig_down(&r);
}

/*
 * keep_l1_above_4g (a model option): the run goes on with the 4.19 L1
 * above 4 GiB, counted; the IOMMU walks from the truncated TTBR, so every
 * mapped page fails --check.
 */
static void test_l1_kept_above_4g(void **state)
{
	struct rig r;
	struct run_counters c = { 0 };

	(void)state;
	rig_backend(&r, "mt8173-4g", KVER_4_19, "slab-dma32");
	r.cfg.l1_gfp_dma = true;
	r.cfg.keep_l1_above_4g = true;
	rig_domain(&r, true);
	assert_true(r.cfg.l1_above_4g);
	assert_true(r.cfg.l1_phys >= SZ_4G);
	assert_int_equal(r.pt->l1_hw_base, (uint32_t)r.cfg.l1_phys);
	assert_int_equal(iommu_map(r.dom, 0x40000000, 0x80000000, 2 * V7S_SZ_4K, GFP_ATOMIC, 0), 0);
	assert_int_equal(r.dom->stats.faults_now, 2);
	v7s_mm_domain_counters(r.d, &c);
	assert_int_equal(c.l1_above_4g, 1);
	assert_int_equal(c.translation_faults, 2);
	assert_int_equal(iommu_unmap(r.dom, 0x40000000, 2 * V7S_SZ_4K, 0), 2 * V7S_SZ_4K);
	assert_int_equal(r.dom->stats.faults_now, 0);
	rig_down(&r);
}

/* =========================================================================
 * Splits
 */

/*
 * "Seen on the real 6.1 kernel": a 4K unmap inside a 16M supersection, in
 * any 1 MB slot but the first, allocates a table, loses the cmpxchg (split_
 * cont left the FIRST section's entry as blk_pte) and frees it again; the
 * unmap stops at 0.  The supersection is now 16 sections, all still right.
 *
 *   slot  0    1    2    3 ... 15
 *        [  one 16M supersection  ]   unmap 4K at slot 3 + 4K
 * Expect 0 unmapped, 1 alloc + 1 free, 16 sections; in slot 0 the split
 * works (4K unmapped, a table installed).
 */
static void test_supersection_split_6_1(void **state)
{
	struct rig r;
	struct trace_log t = { 0 };
	const uint64_t iova = 0x42000000, paddr = 0x83000000;
	uint64_t allocs, frees;
	int lvl;

	(void)state;
	rig_up(&r, KVER_6_1, "slab-dma32");
	r.dom->trace = &log_ops;
	r.dom->trace_ctx = &t;
	assert_int_equal(iommu_map(r.dom, iova, paddr, V7S_SZ_16M, GFP_ATOMIC, 2), 0);
	assert_true(v7s_pte_is_cont(v7s_leaf_pte(r.pt, iova + 3 * V7S_SZ_1M, &lvl), 1));
	allocs = r.a->allocs;
	frees = r.a->frees;

	assert_int_equal(iommu_unmap(r.dom, iova + 3 * V7S_SZ_1M + V7S_SZ_4K, V7S_SZ_4K, 2), 0);
	assert_int_equal(t.unmap_unmapped, 0);
	assert_int_equal(r.a->allocs, allocs + 1);
	assert_int_equal(r.a->frees, frees + 1);
	assert_int_equal(r.pt->stats.split_cont, 1);
	assert_int_equal(r.pt->stats.split_blk, 1);
	assert_int_equal(r.pt->stats.split_blk_lost, 1);
	assert_int_equal(r.pt->stats.l2_freed_lost, 1);
	assert_int_equal(r.pt->stats.live_l2, 0);
	for (unsigned int s = 0; s < 16; s++) {
		uint32_t pte = v7s_leaf_pte(r.pt, iova + s * V7S_SZ_1M, &lvl);

		assert_int_equal(lvl, 1);
		assert_false(v7s_pte_is_cont(pte, 1));
		assert_int_equal(pte & 0xfff00000u, paddr + s * V7S_SZ_1M);
	}
	assert_int_equal(r.dom->stats.faults_now, 0);	/* all still translate right */

	/* Slot 0: the cmpxchg expects slot 0's own entry and wins. */
	assert_int_equal(iommu_unmap(r.dom, iova + V7S_SZ_4K, V7S_SZ_4K, 2), V7S_SZ_4K);
	assert_int_equal(r.pt->stats.split_blk, 2);
	assert_int_equal(r.pt->stats.split_blk_lost, 1);
	assert_int_equal(r.pt->stats.live_l2, 1);
	assert_true(xlate(r.pt, iova + V7S_SZ_4K) == ~0ull);

	/* The slot-0 split refilled from physical 0: 255 wrong pages (see test_split_granularity). */
	assert_int_equal(r.dom->stats.faults_now, 255);
	assert_int_equal(iommu_unmap(r.dom, iova, V7S_SZ_16M, 2), V7S_SZ_16M);
	assert_int_equal(r.pt->stats.live_l2, 0);
	rig_down(&r);
}

/*
 * split_blk_unmap refills at the granularity of the unmap: 255 x 4K for a
 * 4K unmap, 15 x 64K for a 64K unmap.  And it keeps the kernel's bug: the
 * refilled entries map from physical 0, which --check counts.
 */
static void test_split_granularity(void **state)
{
	struct rig r;
	const uint64_t iova = 0x40000000, paddr = 0x88000000;
	uint32_t pte;
	int lvl;

	(void)state;
	rig_up(&r, KVER_5_4, "slab-dma32");

	/* 4K out of a section */
	assert_int_equal(iommu_map(r.dom, iova, paddr, V7S_SZ_1M, GFP_ATOMIC, 0), 0);
	assert_int_equal(iommu_unmap(r.dom, iova + 0x5000, V7S_SZ_4K, 0), V7S_SZ_4K);
	pte = v7s_leaf_pte(r.pt, iova + 0x6000, &lvl);
	assert_int_equal(lvl, 2);
	assert_false(v7s_pte_is_cont(pte, 2));
	assert_int_equal(pte & 0xfffff000u, 0x6000);	/* not paddr + 0x6000 */
	assert_true(xlate(r.pt, iova + 0x5000) == ~0ull);
	assert_int_equal(r.dom->stats.faults_now, 255);
	assert_int_equal(r.dom->stats.faults_new, 255);
	assert_int_equal(iommu_unmap(r.dom, iova, V7S_SZ_1M, 0), V7S_SZ_1M);
	assert_int_equal(r.dom->stats.faults_now, 0);

	/* 64K out of a section */
	assert_int_equal(iommu_map(r.dom, iova, paddr, V7S_SZ_1M, GFP_ATOMIC, 0), 0);
	assert_int_equal(iommu_unmap(r.dom, iova + 0x30000, V7S_SZ_64K, 0), V7S_SZ_64K);
	pte = v7s_leaf_pte(r.pt, iova + 0x40000, &lvl);
	assert_int_equal(lvl, 2);
	assert_true(v7s_pte_is_cont(pte, 2));
	assert_int_equal(pte & 0xffff0000u, 0x40000);
	assert_int_equal(v7s_leaf_pte(r.pt, iova + 0x30000, &lvl), 0);
	assert_int_equal(r.dom->stats.faults_now, 240);	/* 15 x 16 pages */
	assert_int_equal(iommu_unmap(r.dom, iova, V7S_SZ_1M, 0), V7S_SZ_1M);

	/* 4K out of a 64K large page: split_cont, no allocation, addresses kept */
	assert_int_equal(iommu_map(r.dom, iova, paddr, V7S_SZ_64K, GFP_ATOMIC, 0), 0);
	assert_int_equal(r.pt->stats.l2_alloc_attempts, 3);
	assert_int_equal(iommu_unmap(r.dom, iova + 0x3000, V7S_SZ_4K, 0), V7S_SZ_4K);
	assert_int_equal(r.pt->stats.l2_alloc_attempts, 3);
	assert_int_equal(xlate(r.pt, iova + 0x4000), paddr + 0x4000);
	assert_int_equal(r.dom->stats.faults_now, 0);
	assert_int_equal(iommu_unmap(r.dom, iova, V7S_SZ_64K, 0), 0);	/* hole at +0x3000 */
	assert_int_equal(iommu_unmap(r.dom, iova, V7S_SZ_1M, 0), V7S_SZ_1M);

	assert_int_equal(r.dom->stats.faults_new, 255 + 240);
	/* every one of them is the kernel's refill, none the model's own */
	assert_int_equal(r.dom->stats.split_refill_faults_new, 255 + 240);
	assert_int_equal(r.dom->stats.other_faults_new, 0);
	assert_int_equal(r.dom->stats.split_refill_faults_now, 0);
	rig_down(&r);
}

/* A split whose GFP_ATOMIC table cannot be had unmaps 0 and changes nothing. */
static void test_split_nomem(void **state)
{
	struct fake *f = fake_new();
	struct v7s_cfg cfg = cfg_for(KVER_4_19, MT8173_QUIRKS);
	struct v7s_pgtable *pt = calloc(1, sizeof(*pt));
	int lvl;

	(void)state;
	assert_non_null(pt);
	assert_int_equal(v7s_init(pt, &cfg, &fake_ops, f), 0);
	assert_int_equal(v7s_map(pt, 0x40000000, 0x80000000, V7S_SZ_1M, RW, 0, 0), 0);
	f->fail_l2 = true;
	assert_int_equal(v7s_unmap(pt, 0x40001000, V7S_SZ_4K, 0), 0);
	assert_int_equal(pt->stats.split_blk_nomem, 1);
	assert_int_equal(pt->stats.atomic_failures, 1);
	assert_int_equal(f->gfp[0], GFP_ATOMIC);
	assert_int_equal(v7s_leaf_pte(pt, 0x40001000, &lvl), 0x80000000 | 0xb1002);
	v7s_free(pt, 0);
	free(pt);
	fake_free(f);
}

/* =========================================================================
 * MediaTek 4GB mode
 */

/*
 * A trace from an x86 qemu guest has paddrs above 4 GiB (0x1_01d1_2000).
 * Expect, in 4GB mode: the chunk's paddr masked to 32 bits, PTE bit 9 set,
 * the walk giving 0x01d1_2000 and --check content.  Without the quirk:
 * -ERANGE (with a WARN), and the unroll unmap of size 0.
 */
static void test_mtk_4gb(void **state)
{
	struct rig r;
	const uint64_t iova = 0x40000000, paddr = 0x101d12000ull;
	uint32_t pte;
	int lvl;

	(void)state;
	rig_up(&r, KVER_4_19, "slab-dma32");
	assert_true(r.cfg.quirks & V7S_QUIRK_MTK_4GB);	/* DRAM ends at 5 GiB */
	assert_int_equal(iommu_map(r.dom, iova, paddr, 3 * V7S_SZ_4K, GFP_ATOMIC, 0), 0);
	pte = v7s_leaf_pte(r.pt, iova, &lvl);
	assert_int_equal(pte & 0xfffff000u, 0x01d12000);
	assert_int_equal(pte & V7S_ATTR_MTK_4GB, V7S_ATTR_MTK_4GB);
	assert_int_equal(xlate(r.pt, iova + 0x1234), 0x01d13234);
	assert_int_equal(r.dom->stats.faults_now, 0);
	assert_int_equal(iommu_unmap(r.dom, iova, 3 * V7S_SZ_4K, 0), 3 * V7S_SZ_4K);
	rig_down(&r);

	/* the rule itself: 4GB mode only when DRAM ends above 4 GiB (mtk_iommu_probe) */
	assert_int_equal(v7s_mtk_quirks(1ULL << 32), V7S_QUIRK_ARM_NS | V7S_QUIRK_NO_PERMS);
	assert_int_equal(v7s_mtk_quirks((1ULL << 32) + 4096),
			 V7S_QUIRK_ARM_NS | V7S_QUIRK_NO_PERMS | V7S_QUIRK_MTK_4GB);

	/* mt8173-2g: DRAM ends below 4 GiB, no 4GB mode by default. */
	rig_backend(&r, "mt8173-2g", KVER_4_19, "slab-dma32");
	assert_false(r.cfg.quirks & V7S_QUIRK_MTK_4GB);
	rig_down(&r);

	rig_backend(&r, "mt8173-4g", KVER_6_1, "slab-dma32");
	r.cfg.quirks &= ~V7S_QUIRK_MTK_4GB;
	rig_domain(&r, true);
	{
		struct trace_log t = { 0 };

		r.dom->trace = &log_ops;
		r.dom->trace_ctx = &t;
		assert_int_equal(iommu_map(r.dom, iova, paddr, V7S_SZ_4K, GFP_ATOMIC, 0), -ERANGE);
		assert_int_equal(r.dom->stats.map_erange, 1);
		assert_int_equal(r.d->warnings, 1);
		assert_int_equal(t.nr_unmap, 1);
		assert_int_equal(t.unmap_size, 0);
		/* without the quirk the PTE has no bit 9 */
		assert_int_equal(iommu_map(r.dom, iova, 0x80000000, V7S_SZ_4K, GFP_ATOMIC, 0), 0);
		assert_int_equal(v7s_leaf_pte(r.pt, iova, &lvl) & V7S_ATTR_MTK_4GB, 0);
	}
	rig_down(&r);
}

/* =========================================================================
 * The L2 gfp per version, and the install cmpxchg
 */

/*
 * GFP_ATOMIC up to 5.8 (4.19, 5.4) whatever the caller passes; the
 * caller's gfp from 5.9 (6.1, 6.13).  split_blk_unmap: GFP_ATOMIC always.
 */
static void test_l2_gfp_per_version(void **state)
{
	static const struct { enum kver k; uint32_t want; } v[] = {
		{ KVER_4_19, GFP_ATOMIC }, { KVER_5_4, GFP_ATOMIC },
		{ KVER_6_1, GFP_KERNEL }, { KVER_6_13, GFP_KERNEL },
	};

	(void)state;
	for (unsigned int i = 0; i < ARRAY_SIZE(v); i++) {
		struct fake *f = fake_new();
		struct v7s_cfg cfg = cfg_for(v[i].k, MT8173_QUIRKS);
		struct v7s_pgtable *pt = calloc(1, sizeof(*pt));

		assert_non_null(pt);
		assert_int_equal(v7s_init(pt, &cfg, &fake_ops, f), 0);
		assert_int_equal(v7s_map(pt, 0x40000000, 0x80000000, V7S_SZ_4K, RW, GFP_KERNEL, 0), 0);
		assert_int_equal(f->gfp[0], v[i].want);
		assert_int_equal(pt->stats.atomic_attempts, v[i].want == GFP_ATOMIC);
		if (cfg.split) {
			assert_int_equal(v7s_map(pt, 0x40100000, 0x80100000, V7S_SZ_1M, RW, GFP_KERNEL, 0), 0);
			assert_int_equal(v7s_unmap(pt, 0x40100000, V7S_SZ_4K, 0), V7S_SZ_4K);
			assert_int_equal(f->gfp[1], GFP_ATOMIC);
		}
		v7s_free(pt, 0);
		free(pt);
		fake_free(f);
	}

	/* The same through the machine: 6.1 with GFP_KERNEL is not atomic, 4.19 is. */
	{
		struct rig r;

		rig_up(&r, KVER_6_1, "slab-dma32");
		assert_int_equal(iommu_map(r.dom, 0x40000000, 0x80000000, V7S_SZ_4K, GFP_KERNEL, 0), 0);
		assert_int_equal(r.pt->stats.atomic_attempts, 0);
		assert_int_equal(iommu_map(r.dom, 0x40100000, 0x80000000, V7S_SZ_4K, GFP_ATOMIC, 0), 0);
		assert_int_equal(r.pt->stats.atomic_attempts, 1);
		rig_down(&r);
		rig_up(&r, KVER_4_19, "slab-dma32");
		assert_int_equal(iommu_map(r.dom, 0x40000000, 0x80000000, V7S_SZ_4K, GFP_KERNEL, 0), 0);
		assert_int_equal(r.pt->stats.atomic_attempts, 1);
		rig_down(&r);
	}
}

/*
 * Two CPUs mapping into one empty slot without MediaTek's lock (5.5+): both
 * allocate, the loser's cmpxchg fails, it frees its table and maps into the
 * winner's.  Under the lock (4.19..5.4) this cannot happen; the model is
 * single-threaded, so the fake environment plays the other CPU.
 */
static void test_install_race(void **state)
{
	struct fake *f = fake_new();
	struct v7s_cfg cfg = cfg_for(KVER_6_1, MT8173_QUIRKS);
	struct v7s_pgtable *pt = calloc(1, sizeof(*pt));
	const uint64_t winner = FAKE_BASE + (2u << 20);

	(void)state;
	assert_non_null(pt);
	assert_int_equal(v7s_init(pt, &cfg, &fake_ops, f), 0);
	f->race = true;
	f->race_slot = 0x400;
	f->race_pte = (uint32_t)winner | V7S_PTE_TYPE_TABLE | V7S_ATTR_NS_TABLE;
	assert_int_equal(v7s_map(pt, 0x40000000, 0x80000000, V7S_SZ_4K, RW, GFP_ATOMIC, 0), 0);
	assert_int_equal(pt->stats.install_races, 1);
	assert_int_equal(pt->stats.l2_freed_lost, 1);
	assert_int_equal(f->nr_free, 1);
	assert_int_equal(f->freed[0], FAKE_L2_FIRST);
	assert_int_equal(fake_read(f, winner), 0x80000000 | 0xc42);	/* mapped in the winner's */
	assert_int_equal(xlate(pt, 0x40000010), 0x80000010);
	free(pt);
	fake_free(f);
}

/*
 * A table the allocator hands out above 4 GiB is thrown back; an L1 there
 * is refused by v7s_init (4.19 silent, 5.1+ dev_err).
 */
static void test_table_phys_check(void **state)
{
	struct fake *f = fake_new();
	struct v7s_cfg cfg = cfg_for(KVER_6_1, MT8173_QUIRKS);
	struct v7s_pgtable *pt = calloc(1, sizeof(*pt));

	(void)state;
	assert_non_null(pt);
	assert_int_equal(v7s_init(pt, &cfg, &fake_ops, f), 0);
	f->l2_at = 0x140001c00ull;
	assert_int_equal(v7s_map(pt, 0x40000000, 0x80000000, V7S_SZ_4K, RW, GFP_ATOMIC, 0), -ENOMEM);
	assert_int_equal(pt->stats.rejected_above_4g, 1);
	assert_int_equal(f->freed[0], 0x140001c00ull);
	assert_string_equal(f->last_warning, "Page table does not fit in PTE");
	assert_int_equal(fake_read(f, FAKE_BASE + 4 * 0x400), 0);	/* nothing installed */
	v7s_free(pt, 0);

	f->l1_phys = 0x140000000ull;
	f->warnings = 0;
	cfg = cfg_for(KVER_4_19, MT8173_QUIRKS);
	assert_int_equal(v7s_init(pt, &cfg, &fake_ops, f), -ENOMEM);
	assert_int_equal(pt->stats.l1_above_4g, 1);
	assert_int_equal(f->nr_l1_free, 2);
	assert_int_equal(f->warnings, 0);		/* 4.19: silent */
	v7s_free(pt, 0);				/* nothing to do after a failed init */
	assert_int_equal(f->nr_l1_free, 2);
	free(pt);
	fake_free(f);
}

/* =========================================================================
 * Shadow, check, teardown
 */

static void test_shadow(void **state)
{
	struct rig r;
	const uint64_t a = 0x40000000;
	uint64_t p;

	(void)state;
	rig_up(&r, KVER_6_1, "slab-dma32");
	assert_int_equal(iommu_map(r.dom, a, 0x80000000, V7S_SZ_64K, GFP_ATOMIC, 0), 0);
	assert_int_equal(iommu_map(r.dom, a + V7S_SZ_64K, 0x90000000, 0x3000, GFP_ATOMIC, 0), 0);
	/* 64K as 16 x 4K (the iova is 64K-aligned, the size too: one large page) */
	assert_int_equal(r.dom->stats.chunks[1], 1);
	assert_int_equal(r.dom->shadow.nr, 2);
	assert_int_equal(iommu_unmap(r.dom, a + 0x4000, V7S_SZ_4K, 0), V7S_SZ_4K);	/* split_cont */
	assert_int_equal(r.dom->shadow.nr, 3);
	assert_true(iommu_shadow_lookup(r.dom, a + 0x5000, &p));
	assert_int_equal(p, 0x80005000);
	assert_false(iommu_shadow_lookup(r.dom, a + 0x4000, &p));
	assert_true(iommu_shadow_lookup(r.dom, a + 0x12000, &p));
	assert_int_equal(p, 0x90002000);
	assert_false(iommu_shadow_lookup(r.dom, a + 0x13000, &p));
	assert_int_equal(iommu_check(r.dom), 0);
	/* the check sees a page changed behind the core's back */
	r.pt->ops->write_pte(r.pt->ctx, (uint64_t)r.pt->l2_phys[0x400] + 4 * 0x12, 0);
	assert_int_equal(iommu_check(r.dom), 1);
	assert_int_equal(r.dom->stats.faults_new, 1);
	/* a missing page is a model fault, not the split refill's */
	assert_int_equal(r.dom->stats.other_faults_new, 1);
	assert_int_equal(r.dom->stats.split_refill_faults_new, 0);
	assert_int_equal(iommu_unmap(r.dom, a, V7S_SZ_1M, 0), V7S_SZ_1M);
	assert_int_equal(r.dom->shadow.nr, 0);
	assert_int_equal(r.dom->stats.faults_now, 0);
	assert_int_equal(r.dom->stats.faults_peak, 1);
	/* many intervals: the shadow grows */
	for (unsigned int i = 0; i < 1000; i++)
		assert_int_equal(iommu_map(r.dom, a + i * 0x2000ull, 0x80000000 + i * 0x1000ull,
					   V7S_SZ_4K, GFP_ATOMIC, i % 4), 0);
	assert_int_equal(r.dom->shadow.nr, 1000);
	assert_false(r.dom->stats.shadow_lost);
	assert_int_equal(iommu_check(r.dom), 0);
	rig_down(&r);
}

/*
 * Teardown returns every table: a mix over many slots, on every kernel,
 * then destroy.  Expect no OWNER_V7S_L1 page and, after the backend's
 * destroy, no OWNER_PT_BACKEND page.
 */
static void test_teardown(void **state)
{
	static const enum kver ks[] = { KVER_4_19, KVER_5_4, KVER_6_1, KVER_6_13 };
	static const char *const backends[] = { "slab-dma32", "genalloc-4m", "page-frag",
						"page-per-table" };

	(void)state;
	for (unsigned int k = 0; k < ARRAY_SIZE(ks); k++) {
		for (unsigned int b = 0; b < ARRAY_SIZE(backends); b++) {
			struct rig r;

			rig_up(&r, ks[k], backends[b]);
			for (unsigned int i = 0; i < 200; i++) {
				uint64_t iova = 0x40000000 + i * 0x123000ull;

				iommu_map(r.dom, iova & ~0xfffull, 0x80000000 + i * 0x10000ull,
					  (i % 7 + 1) * V7S_SZ_4K, GFP_ATOMIC, i % 4);
			}
			assert_int_equal(r.pt->stats.live_l2, r.a->live_tables);
			assert_true(r.pt->stats.live_l2 > 100);
			assert_int_equal(mm_held_pages_total(r.mm, OWNER_V7S_L1), 4);
			rig_down(&r);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cfg_per_version),
		cmocka_unit_test(test_selftests),
		cmocka_unit_test(test_partial_unmap_6_13),
		cmocka_unit_test(test_pte_encodings),
		cmocka_unit_test(test_iommu_pgsize),
		cmocka_unit_test(test_chunking_churn),
		cmocka_unit_test(test_unmap_stops_at_hole),
		cmocka_unit_test(test_eexist),
		cmocka_unit_test(test_unroll),
		cmocka_unit_test(test_l2_lifetime),
		cmocka_unit_test(test_above_4g_rejection),
		cmocka_unit_test(test_l1_kept_above_4g),
		cmocka_unit_test(test_supersection_split_6_1),
		cmocka_unit_test(test_split_granularity),
		cmocka_unit_test(test_split_nomem),
		cmocka_unit_test(test_mtk_4gb),
		cmocka_unit_test(test_l2_gfp_per_version),
		cmocka_unit_test(test_install_race),
		cmocka_unit_test(test_table_phys_check),
		cmocka_unit_test(test_shadow),
		cmocka_unit_test(test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
