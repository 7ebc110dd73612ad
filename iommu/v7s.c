// SPDX-License-Identifier: GPL-2.0
/*
 * v7s.c - the ARMv7 short-descriptor io-pgtable, after
 * drivers/iommu/io-pgtable-arm-v7s.c (4.19 .. 6.13).  Freestanding: see v7s.h.
 *
 * Page tables live in the environment's memory; every PTE is read and
 * written through env ops, so the model's tables are the tables the
 * simulated IOMMU walks.  Where versions differ, struct v7s_cfg says which
 * behaviour applies; each function names the kernel function it follows.
 */
#include "v7s.h"

#define LVL_SHIFT(lvl)   ((lvl) == 1 ? V7S_L1_SHIFT : V7S_L2_SHIFT)
#define LVL_MASK(lvl)    ((uint32_t)(~0u << LVL_SHIFT(lvl)))
#define BLOCK_SIZE(lvl)  (1u << LVL_SHIFT(lvl))
/* ARM_V7S_LVL_IDX(addr, lvl, cfg): the L1 index has ias - 20 bits (6.1+). */
#define LVL_IDX(pt, iova, lvl) \
	((unsigned int)(((uint64_t)(iova) >> LVL_SHIFT(lvl)) & \
			((lvl) == 1 ? (pt)->l1_ptes - 1 : V7S_L2_PTES - 1)))
#define PTE_IS_VALID(pte)       (((pte) & 0x3u) != 0)
#define PTE_IS_TABLE(pte, lvl)  ((lvl) == 1 && ((pte) & 0x3u) == V7S_PTE_TYPE_TABLE)
#define CONT_PAGE_TEX_MASK      (V7S_TEX_MASK << V7S_CONT_PAGE_TEX_SHIFT)

static uint64_t unmap_lvl(struct v7s_pgtable *pt, uint64_t iova, uint32_t size, int lvl,
			  uint64_t table, int cpu, uint64_t *reason);

/* -------------------------------------------------------------------------
 * PTE memory and warnings
 */

static inline uint32_t rd(const struct v7s_pgtable *pt, uint64_t table, unsigned int idx)
{
	return pt->ops->read_pte(pt->ctx, table + 4ull * idx);
}

static inline void wr(struct v7s_pgtable *pt, uint64_t table, unsigned int idx, uint32_t pte)
{
	pt->ops->write_pte(pt->ctx, table + 4ull * idx, pte);
}

/* __arm_v7s_set_pte: the same value into @n consecutive entries. */
static void set_ptes(struct v7s_pgtable *pt, uint64_t table, unsigned int idx, uint32_t pte,
		     unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		wr(pt, table, idx + i, pte);
}

static void warn(struct v7s_pgtable *pt, const char *what)
{
	pt->stats.warnings++;
	if (pt->ops->warn)
		pt->ops->warn(pt->ctx, what);
}

/* iopte_deref for a table entry: the L2 the walker (and the kernel) uses. */
static inline uint64_t table_of(const struct v7s_pgtable *pt, uint32_t pte)
{
	return (pte & V7S_TABLE_MASK) | v7s_mtk_iopte_upper(&pt->cfg, pte);
}

/* -------------------------------------------------------------------------
 * Encodings (arm_v7s_prot_to_pte, _pte_to_prot, _pte_to_cont, _cont_to_pte)
 */

uint32_t v7s_prot_to_pte(const struct v7s_cfg *cfg, int prot, int lvl)
{
	bool ap = !(cfg->quirks & V7S_QUIRK_NO_PERMS);
	uint32_t pte = V7S_ATTR_NG | V7S_ATTR_S;

	if (!(prot & V7S_PROT_MMIO))
		pte |= (1u & V7S_TEX_MASK) << V7S_TEX_SHIFT;	/* TEX(1) */
	if (ap) {
		pte |= V7S_ATTR_AP0;
		if (!(prot & V7S_PROT_PRIV))
			pte |= V7S_ATTR_AP1;
		if (!(prot & V7S_PROT_WRITE))
			pte |= V7S_ATTR_AP2;
	}
	pte <<= V7S_ATTR_SHIFT(lvl);

	if ((prot & V7S_PROT_NOEXEC) && ap)
		pte |= V7S_ATTR_XN(lvl);
	if (prot & V7S_PROT_MMIO)
		pte |= V7S_ATTR_B;
	else if (prot & V7S_PROT_CACHE)
		pte |= V7S_ATTR_B | V7S_ATTR_C;

	pte |= V7S_PTE_TYPE_PAGE;
	if (lvl == 1 && (cfg->quirks & V7S_QUIRK_ARM_NS))
		pte |= V7S_ATTR_NS_SECTION;
	/* 4.19: bit 9 on every leaf in 4GB mode (6.1 sets it from paddr bit 32). */
	if (cfg->quirks & V7S_QUIRK_MTK_4GB)
		pte |= V7S_ATTR_MTK_4GB;
	return pte;
}

static int pte_to_prot(uint32_t pte, int lvl)
{
	int prot = V7S_PROT_READ;
	uint32_t attr = pte >> V7S_ATTR_SHIFT(lvl);

	if (!(attr & V7S_ATTR_AP2))
		prot |= V7S_PROT_WRITE;
	if (!(attr & V7S_ATTR_AP1))
		prot |= V7S_PROT_PRIV;
	if ((attr & (V7S_TEX_MASK << V7S_TEX_SHIFT)) == 0)
		prot |= V7S_PROT_MMIO;
	else if (pte & V7S_ATTR_C)
		prot |= V7S_PROT_CACHE;
	if (pte & V7S_ATTR_XN(lvl))
		prot |= V7S_PROT_NOEXEC;
	return prot;
}

uint32_t v7s_pte_to_cont(uint32_t pte, int lvl)
{
	if (lvl == 1) {
		pte |= V7S_CONT_SECTION;
	} else if (lvl == 2) {
		/* Large pages move XN to bit 15 and TEX to [14:12]. */
		uint32_t xn = pte & V7S_ATTR_XN(2);
		uint32_t tex = pte & CONT_PAGE_TEX_MASK;

		pte ^= xn | tex | V7S_PTE_TYPE_PAGE;
		pte |= (xn << V7S_CONT_PAGE_XN_SHIFT) | (tex << V7S_CONT_PAGE_TEX_SHIFT) |
		       V7S_PTE_TYPE_CONT_PAGE;
	}
	return pte;
}

static uint32_t cont_to_pte(uint32_t pte, int lvl)
{
	if (lvl == 1) {
		pte &= ~V7S_CONT_SECTION;
	} else if (lvl == 2) {
		uint32_t xn = pte & (1u << V7S_CONT_PAGE_XN_SHIFT);
		uint32_t tex = pte & (CONT_PAGE_TEX_MASK << V7S_CONT_PAGE_TEX_SHIFT);

		pte ^= xn | tex | V7S_PTE_TYPE_CONT_PAGE;
		pte |= (xn >> V7S_CONT_PAGE_XN_SHIFT) | (tex >> V7S_CONT_PAGE_TEX_SHIFT) |
		       V7S_PTE_TYPE_PAGE;
	}
	return pte;
}

bool v7s_pte_is_cont(uint32_t pte, int lvl)
{
	if (lvl == 1 && !PTE_IS_TABLE(pte, lvl))
		return pte & V7S_CONT_SECTION;
	if (lvl == 2)
		return !(pte & V7S_PTE_TYPE_PAGE);
	return false;
}

int v7s_pgsize_index(uint64_t size)
{
	switch (size) {
	case V7S_SZ_4K:  return 0;
	case V7S_SZ_64K: return 1;
	case V7S_SZ_1M:  return 2;
	case V7S_SZ_16M: return 3;
	default:         return -1;
	}
}

/* -------------------------------------------------------------------------
 * Tables (__arm_v7s_alloc_table, __arm_v7s_free_table, arm_v7s_install_table)
 */

/*
 * One L2 table.  The phys check is the kernel's (4.14+): a table whose
 * address does not fit in a 32-bit PTE goes back to the allocator - for a
 * slab that is kmem_cache_free, so the same bad slab keeps serving - and
 * the map fails with -ENOMEM.  4.19 is silent, 5.1+ prints a dev_err.
 */
static inline void log_l2(struct v7s_pgtable *pt, int op, unsigned int slot, int cpu)
{
	if (pt->ops->l2_op)
		pt->ops->l2_op(pt->ctx, op, slot, cpu);
}

/* @slot: the L1 slot the table is for (the log's, not the allocator's business). */
static int alloc_l2(struct v7s_pgtable *pt, uint32_t gfp, int cpu, unsigned int slot,
		    uint64_t *phys)
{
	bool atomic = !(gfp & V7S_GFP_DIRECT_RECLAIM);
	int ret;

	pt->stats.l2_alloc_attempts++;
	pt->stats.atomic_attempts += atomic;
	ret = pt->ops->alloc_l2(pt->ctx, gfp, cpu, phys);
	if (ret) {
		pt->stats.l2_alloc_failures++;
		pt->stats.atomic_failures += atomic;
		log_l2(pt, V7S_L2_OP_FAIL, slot, cpu);
		return ret < 0 ? ret : -V7S_ENOMEM;
	}
	log_l2(pt, V7S_L2_OP_ALLOC, slot, cpu);
	if (*phys >= v7s_table_phys_limit(&pt->cfg)) {
		pt->stats.rejected_above_4g++;
		if (pt->cfg.warn_table_phys)
			warn(pt, "Page table does not fit in PTE");
		pt->ops->free_l2(pt->ctx, *phys, cpu);
		log_l2(pt, V7S_L2_OP_FREE, slot, cpu);
		return -V7S_ENOMEM;
	}
	if (*phys & ~(uint64_t)V7S_TABLE_MASK)
		pt->stats.misaligned_tables++;
	pt->stats.l2_allocs++;
	pt->stats.live_l2++;
	if (pt->stats.live_l2 > pt->stats.peak_live_l2)
		pt->stats.peak_live_l2 = pt->stats.live_l2;
	return 0;
}

static void free_l2(struct v7s_pgtable *pt, uint64_t phys, int cpu, unsigned int slot,
		    uint64_t *reason)
{
	pt->ops->free_l2(pt->ctx, phys, cpu);
	log_l2(pt, V7S_L2_OP_FREE, slot, cpu);
	pt->stats.l2_frees++;
	pt->stats.live_l2--;
	(*reason)++;
}

/*
 * Free the table installed at L1 slot @slot (its L1 entry already cleared),
 * counting it under @reason.
 */
static void free_slot_table(struct v7s_pgtable *pt, unsigned int slot, int cpu, uint64_t *reason)
{
	uint64_t phys = pt->l2_phys[slot];

	if (!phys) {
		/* A table entry the model did not install: a corrupted L1. */
		warn(pt, "v7s model: table entry without a recorded table");
		return;
	}
	pt->l2_phys[slot] = 0;
	free_l2(pt, phys, cpu, slot, reason);
}

/*
 * arm_v7s_install_table: cmpxchg_relaxed(ptep, curr, table | TYPE_TABLE),
 * with TTBR_EXT the table's PA bits 32..34 too (6.1+: to_mtk_iopte).
 * Returns the old value; the install happened iff it equals @curr.
 */
static uint32_t install_table(struct v7s_pgtable *pt, uint64_t table, unsigned int slot,
			      uint32_t curr)
{
	uint32_t new = (uint32_t)table | V7S_PTE_TYPE_TABLE;
	uint32_t old;

	if (pt->cfg.quirks & V7S_QUIRK_MTK_TTBR_EXT)
		new = v7s_to_mtk_iopte(table, new);
	if (pt->cfg.quirks & V7S_QUIRK_ARM_NS)
		new |= V7S_ATTR_NS_TABLE;
	old = rd(pt, pt->l1_phys, slot);
	if (old == curr) {
		wr(pt, pt->l1_phys, slot, new);
		pt->l2_phys[slot] = table;
	}
	return old;
}

/* -------------------------------------------------------------------------
 * Map (__arm_v7s_map, arm_v7s_init_pte)
 */

static unsigned int count_valid(const struct v7s_pgtable *pt, uint64_t table)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < V7S_L2_PTES; i++)
		n += PTE_IS_VALID(rd(pt, table, i));
	return n;
}

static int init_pte(struct v7s_pgtable *pt, uint64_t iova, uint64_t paddr, int prot, int lvl,
		    unsigned int n, uint64_t table, int cpu)
{
	unsigned int idx = LVL_IDX(pt, iova, lvl);
	uint32_t pte;

	for (unsigned int i = 0; i < n; i++) {
		uint32_t old = rd(pt, table, idx + i);

		if (PTE_IS_TABLE(old, lvl)) {
			/* A block over a table: unmap and free the table first. */
			uint32_t sz = BLOCK_SIZE(lvl);

			pt->stats.replaced_live_ptes += count_valid(pt, table_of(pt, old));
			if (unmap_lvl(pt, iova + i * sz, sz, lvl, table, cpu,
				      &pt->stats.l2_freed_replace) != sz) {
				warn(pt, "WARN_ON(__arm_v7s_unmap(...) != sz)");
				pt->stats.einval++;
				return -V7S_EINVAL;
			}
		} else if (old) {
			/* "We require an unmap first" */
			warn(pt, "WARN_ON(!selftest_running): -EEXIST");
			pt->stats.eexist++;
			return -V7S_EEXIST;
		}
	}

	pte = v7s_prot_to_pte(&pt->cfg, prot, lvl);
	if (n > 1)
		pte = v7s_pte_to_cont(pte, lvl);
	pte |= (uint32_t)paddr & LVL_MASK(lvl);
	if (v7s_mtk_pa(&pt->cfg))
		pte = v7s_to_mtk_iopte(paddr, pte);	/* paddr_to_iopte */
	set_ptes(pt, table, idx, pte, n);
	return 0;
}

static int map_lvl(struct v7s_pgtable *pt, uint64_t iova, uint64_t paddr, uint32_t size,
		   int prot, uint32_t gfp, int cpu)
{
	unsigned int slot = LVL_IDX(pt, iova, 1);
	uint64_t l2 = 0;
	uint32_t pte;
	int ret;

	/* A leaf at level 1: 1M (one section) or 16M (16 copies). */
	if (size >> V7S_L1_SHIFT)
		return init_pte(pt, iova, paddr, prot, 1, size >> V7S_L1_SHIFT, pt->l1_phys, cpu);

	pte = rd(pt, pt->l1_phys, slot);
	if (!pte) {
		ret = alloc_l2(pt, pt->cfg.l2_caller_gfp ? gfp : V7S_GFP_ATOMIC, cpu, slot, &l2);
		if (ret)
			return ret;
		pte = install_table(pt, l2, slot, 0);
		if (pte) {
			/* Lost the race: free ours, use the winner's entry. */
			pt->stats.install_races++;
			free_l2(pt, l2, cpu, slot, &pt->stats.l2_freed_lost);
		}
	}
	/* The new table is used through its own pointer, a found one through its entry. */
	if (PTE_IS_TABLE(pte, 1)) {
		l2 = table_of(pt, pte);
	} else if (pte) {
		/* A section or supersection is in the way. */
		warn(pt, "WARN_ON(!selftest_running): -EEXIST");
		pt->stats.eexist++;
		return -V7S_EEXIST;
	}
	return init_pte(pt, iova, paddr, prot, 2, size >> V7S_L2_SHIFT, l2, cpu);
}

int v7s_map(struct v7s_pgtable *pt, uint64_t iova, uint64_t paddr, uint64_t size,
	    int prot, uint32_t gfp, int cpu)
{
	/* If no access, then nothing to do */
	if (!(prot & (V7S_PROT_READ | V7S_PROT_WRITE)))
		return 0;
	/* 6.1+: WARN_ON(iova >= (1ULL << cfg.ias) || paddr >= (1ULL << cfg.oas)) */
	if ((iova >> v7s_ias(&pt->cfg)) || (paddr >> v7s_oas(&pt->cfg))) {
		warn(pt, "WARN_ON(iova >= 1 << ias || paddr >= 1 << oas): -ERANGE");
		pt->stats.erange++;
		return -V7S_ERANGE;
	}
	/* The iommu core never passes anything else; the kernel does not check. */
	if (v7s_pgsize_index(size) < 0 || !(size & pt->cfg.pgsize_bitmap) ||
	    ((iova | paddr) & (size - 1)) || iova + size > (1ull << v7s_ias(&pt->cfg))) {
		pt->stats.einval++;
		return -V7S_EINVAL;
	}
	return map_lvl(pt, iova, paddr, (uint32_t)size, prot, gfp, cpu);
}

/* -------------------------------------------------------------------------
 * Unmap (__arm_v7s_unmap, arm_v7s_split_cont, arm_v7s_split_blk_unmap)
 */

/*
 * arm_v7s_split_cont: rewrite the 16 copies of a large entry as 16
 * individual entries.  Returns the FIRST of them, whatever @idx is - the
 * kernel's return value, on which split_blk_unmap's cmpxchg then trips for
 * any slot of a supersection but the first (seen on 6.1).
 */
static uint32_t split_cont(struct v7s_pgtable *pt, unsigned int idx, int lvl, uint64_t table)
{
	uint32_t size = BLOCK_SIZE(lvl);
	uint32_t pte = rd(pt, table, idx);
	unsigned int first = idx & ~(V7S_CONT_PAGES - 1u);

	if (!v7s_pte_is_cont(pte, lvl))
		return pte;
	pte = cont_to_pte(pte, lvl);
	for (unsigned int i = 0; i < V7S_CONT_PAGES; i++)
		wr(pt, table, first + i, pte + i * size);
	pt->stats.split_cont++;
	return pte;
}

/*
 * arm_v7s_split_blk_unmap: replace the section at @slot by an L2 table that
 * maps the rest of it at the granularity of the unmap (255 x 4K or
 * 15 x 64K), installed by cmpxchg against @blk_pte.
 *
 * As in the kernel (4.13 .. 6.12) the refilled entries carry the block's
 * attributes but not its output address: they map from physical 0.  The
 * hardware walk, and --check, see that.
 */
static uint64_t split_blk_unmap(struct v7s_pgtable *pt, uint64_t iova, uint32_t size,
				uint32_t blk_pte, int cpu, uint64_t *reason)
{
	unsigned int slot = LVL_IDX(pt, iova, 1);
	unsigned int n = size >> V7S_L2_SHIFT, unmap_idx = LVL_IDX(pt, iova, 2);
	uint64_t l2;
	uint32_t pte;

	pt->stats.split_blk++;
	if (alloc_l2(pt, V7S_GFP_ATOMIC, cpu, slot, &l2)) {
		pt->stats.split_blk_nomem++;
		return 0;	/* Bytes unmapped */
	}

	pte = v7s_prot_to_pte(&pt->cfg, pte_to_prot(blk_pte, 1), 2);
	if (n > 1)
		pte = v7s_pte_to_cont(pte, 2);
	for (unsigned int i = 0; i < V7S_L2_PTES; i += n, pte += size) {
		if (i == unmap_idx)
			continue;	/* Unmap! */
		set_ptes(pt, l2, i, pte, n);
	}

	pte = install_table(pt, l2, slot, blk_pte);
	if (pte != blk_pte) {
		pt->stats.split_blk_lost++;
		free_l2(pt, l2, cpu, slot, &pt->stats.l2_freed_lost);
		if (!PTE_IS_TABLE(pte, 1))
			return 0;
		return unmap_lvl(pt, iova, size, 2, table_of(pt, pte), cpu, reason);
	}
	return size;
}

/* __arm_v7s_unmap; tables freed here are counted under @reason. */
static uint64_t unmap_lvl(struct v7s_pgtable *pt, uint64_t iova, uint32_t size, int lvl,
			  uint64_t table, int cpu, uint64_t *reason)
{
	uint32_t pte[V7S_CONT_PAGES];
	unsigned int idx = LVL_IDX(pt, iova, lvl), n = size >> LVL_SHIFT(lvl), i = 0;

	do {
		pte[i] = rd(pt, table, idx + i);
		if (!PTE_IS_VALID(pte[i])) {
			warn(pt, "WARN_ON(!ARM_V7S_PTE_IS_VALID(pte)): unmap of an invalid entry");
			pt->stats.unmap_invalid++;
			return 0;
		}
	} while (++i < n);

	/*
	 * A contiguous entry needs splitting first, unless we are unmapping
	 * the whole lot.  6.13 (fd50651636fb) refuses instead.
	 */
	if (n <= 1 && v7s_pte_is_cont(pte[0], lvl)) {
		if (!pt->cfg.split)
			goto refuse;
		pte[0] = split_cont(pt, idx, lvl, table);
	}

	if (n) {
		set_ptes(pt, table, idx, 0, n);
		for (i = 0; i < n; i++)
			if (PTE_IS_TABLE(pte[i], lvl))
				free_slot_table(pt, idx + i, cpu, reason);
		return size;
	}
	if (lvl == 1 && !PTE_IS_TABLE(pte[0], 1)) {
		/* Less than a section of a section: split it. */
		if (!pt->cfg.split)
			goto refuse;
		return split_blk_unmap(pt, iova, size, pte[0], cpu, reason);
	}
	/* Keep on walkin' */
	return unmap_lvl(pt, iova, size, lvl + 1, table_of(pt, pte[0]), cpu, reason);

refuse:
	pt->stats.partial_refused++;
	if (!pt->warned_partial) {	/* WARN_ONCE */
		pt->warned_partial = true;
		warn(pt, "Unmap of a partial large IOPTE is not allowed");
	}
	return 0;
}

uint64_t v7s_unmap(struct v7s_pgtable *pt, uint64_t iova, uint64_t size, int cpu)
{
	if (iova >> v7s_ias(&pt->cfg)) {
		warn(pt, "WARN_ON(iova >= (1ULL << cfg.ias))");	/* 6.1+; upper_32_bits before */
		pt->stats.erange++;
		return 0;
	}
	if (v7s_pgsize_index(size) < 0 || (iova & (size - 1)) ||
	    iova + size > (1ull << v7s_ias(&pt->cfg))) {
		pt->stats.einval++;
		return 0;
	}
	return unmap_lvl(pt, iova, (uint32_t)size, 1, pt->l1_phys, cpu,
			 &pt->stats.l2_freed_unmap);
}

/* -------------------------------------------------------------------------
 * Walk (arm_v7s_iova_to_phys, as the hardware walks: from the TTBR)
 */

uint32_t v7s_leaf_pte(const struct v7s_pgtable *pt, uint64_t iova, int *lvl)
{
	uint32_t pte = rd(pt, pt->l1_hw_base, LVL_IDX(pt, iova, 1));

	*lvl = 1;
	if (PTE_IS_TABLE(pte, 1)) {
		pte = rd(pt, table_of(pt, pte), LVL_IDX(pt, iova, 2));
		*lvl = 2;
	}
	return pte;
}

bool v7s_iova_to_phys(const struct v7s_pgtable *pt, uint64_t iova, uint64_t *phys)
{
	uint32_t pte, mask;
	int lvl;

	if (iova >> v7s_ias(&pt->cfg))
		return false;
	pte = v7s_leaf_pte(pt, iova, &lvl);
	if (!PTE_IS_VALID(pte))
		return false;
	mask = LVL_MASK(lvl);
	if (v7s_pte_is_cont(pte, lvl))
		mask *= V7S_CONT_PAGES;
	*phys = (pte & mask) | v7s_mtk_iopte_upper(&pt->cfg, pte) | ((uint32_t)iova & ~mask);
	return true;
}

/* -------------------------------------------------------------------------
 * Lifetime (arm_v7s_alloc_pgtable, arm_v7s_free_pgtable)
 */

int v7s_init(struct v7s_pgtable *pt, const struct v7s_cfg *cfg,
	     const struct v7s_env_ops *ops, void *ctx)
{
	uint64_t l1;
	int ret;

	*pt = (struct v7s_pgtable){ .ops = ops, .ctx = ctx, .cfg = *cfg };
	/* arm_v7s_alloc_pgtable also refuses ias > (MTK ? 34 : 32), oas > (MTK ? 35 : 32) */
	if (!ops || !ops->alloc_l2 || !ops->free_l2 || !ops->alloc_l1 || !ops->free_l1 ||
	    !ops->read_pte || !ops->write_pte || v7s_ias(cfg) > V7S_IAS_MTK_MAX ||
	    v7s_ias(cfg) < V7S_ADDR_BITS || v7s_oas(cfg) > V7S_OAS_MTK_EXT) {
		pt->ops = NULL;
		return -V7S_EINVAL;
	}
	pt->l1_ptes = v7s_l1_ptes(cfg);
	pt->cfg.pgsize_bitmap &= V7S_PGSIZE_BITMAP;
	if (!cfg->pgsize_bitmap)
		pt->cfg.pgsize_bitmap = V7S_PGSIZE_BITMAP;

	ret = ops->alloc_l1(ctx, &l1);
	if (ret) {
		pt->ops = NULL;		/* nothing for v7s_free to do */
		return ret < 0 ? ret : -V7S_ENOMEM;
	}
	if (l1 >= v7s_table_phys_limit(cfg)) {
		pt->stats.l1_above_4g = 1;
		if (!cfg->keep_l1_above_4g) {
			if (cfg->warn_table_phys)
				warn(pt, "Page table does not fit in PTE");
			ops->free_l1(ctx, l1);
			pt->ops = NULL;
			return -V7S_ENOMEM;
		}
	}
	pt->l1_phys = l1;
	/* TTBR = paddr | upper_32_bits(paddr) (MTK_EXT): whole only with TTBR_EXT's L1 */
	pt->l1_hw_base = (cfg->quirks & V7S_QUIRK_MTK_TTBR_EXT) ? l1 : (uint32_t)l1;
	return 0;
}

void v7s_free(struct v7s_pgtable *pt, int cpu)
{
	if (!pt || !pt->ops)
		return;
	for (unsigned int slot = 0; slot < pt->l1_ptes; slot++) {
		uint32_t pte = rd(pt, pt->l1_phys, slot);

		/* A recorded table whose entry is gone would be a model bug: free it too. */
		if (PTE_IS_TABLE(pte, 1) || pt->l2_phys[slot])
			free_slot_table(pt, slot, cpu, &pt->stats.l2_freed_teardown);
	}
	pt->ops->free_l1(pt->ctx, pt->l1_phys);
	pt->ops = NULL;
}
