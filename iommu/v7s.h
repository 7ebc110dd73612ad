/* SPDX-License-Identifier: GPL-2.0 */
/*
 * v7s.h - a model of the ARMv7 short-descriptor io-pgtable
 * (drivers/iommu/io-pgtable-arm-v7s.c, 4.19 .. 6.13), FREESTANDING: it uses
 * <stdint.h>, <stddef.h>, <stdbool.h> and nothing else, because the same
 * source is the bookkeeping of the oracle kernel module.  Everything from
 * outside (tables, PTE memory, warnings) comes through struct v7s_env_ops.
 *
 * Types:
 *   struct v7s_env_ops  where tables come from and how PTEs are read/written.
 *   struct v7s_cfg      quirks and the version-dependent rules.
 *   struct v7s_stats    what the page table counted.
 *   struct v7s_pgtable  one page table: its L1, the L2 tables hanging off it.
 * Terms:
 *   "L1" = the level-1 table: 4096 entries x 4 B = 16 KiB, one per page table
 *          (ias 34: 16384 entries, 64 KiB).
 *   "table" / "L2" = one level-2 table: 256 entries x 4 B = 1 KiB, 1 KiB aligned.
 *   "slot" = one L1 entry, i.e. one 1 MiB-aligned 1 MiB of IOVA.
 *   "chunk" = one page-sized piece of a map (4K, 64K, 1M or 16M).
 *   A 32-bit IOVA = 12 bits L1 index | 8 bits L2 index | 12 bits offset;
 *   a 34-bit one has 14 bits of L1 index.
 *   PTE encodings are the kernel's (ARM_V7S_* in io-pgtable-arm-v7s.c).
 *
 * Context: single-threaded.  Every call that may allocate takes the CPU it
 * runs on (per-CPU slabs).  Errors are negative Linux errno values.
 */
#ifndef PTB_V7S_H
#define PTB_V7S_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kver.h"

/* Linux errno values (include/uapi/asm-generic/errno-base.h): returned negated. */
#define V7S_ENOMEM 12
#define V7S_EEXIST 17
#define V7S_EINVAL 22
#define V7S_ERANGE 34

/*
 * gfp bits in ptbench's canonical encoding (allocators/mm/gfp.h, the 4.19
 * values); v7s_mm.c checks at compile time that they agree.
 */
#define V7S_GFP_DIRECT_RECLAIM 0x200000u
#define V7S_GFP_ATOMIC         0x480020u	/* __GFP_HIGH|__GFP_ATOMIC|__GFP_KSWAPD_RECLAIM */

/* Geometry (ARM_V7S_LVL_SHIFT, ARM_V7S_PTES_PER_LVL, ARM_V7S_TABLE_SIZE). */
#define V7S_ADDR_BITS     32
#define V7S_L1_SHIFT      20			/* one L1 entry maps 1 MiB */
#define V7S_L2_SHIFT      12			/* one L2 entry maps 4 KiB */
#define V7S_L1_PTES       4096u		/* ias 32: 12 bits at level 1 */
/*
 * ias 34 (mtk_iommu's IOVA_34_EN SoCs, 6.1+): _ARM_V7S_LVL_BITS(1, cfg) is
 * cfg->ias - 20 = 14 bits, a 64 KiB (order 4) L1 of 16384 entries; slots
 * 4096.. are the 1 MiB pieces of IOVA 4 GiB .. 16 GiB.  v7s_l1_ptes(cfg).
 */
#define V7S_L1_PTES_MAX   16384u
#define V7S_IAS_MTK_MAX   34		/* arm_v7s_alloc_pgtable: ias <= 34 with MTK_EXT */
#define V7S_OAS_MTK_EXT   35		/* mtk_iommu_domain_finalise: oas 35 without 4GB mode */
#define V7S_L2_PTES       256u
#define V7S_L1_TABLE_BYTES (V7S_L1_PTES * 4u)	/* 16 KiB: order 2 */
#define V7S_L1_ORDER      2
#define V7S_L2_TABLE_BYTES (V7S_L2_PTES * 4u)	/* 1 KiB */
#define V7S_TABLE_SHIFT   10
#define V7S_TABLE_MASK    0xfffffc00u		/* ARM_V7S_TABLE_MASK: bits [31:10] */
#define V7S_CONT_PAGES    16			/* 64K = 16 x 4K, 16M = 16 x 1M */

/* Page sizes: pgsize_bitmap is masked to these (arm_v7s_alloc_pgtable). */
#define V7S_SZ_4K   0x1000ull
#define V7S_SZ_64K  0x10000ull
#define V7S_SZ_1M   0x100000ull
#define V7S_SZ_16M  0x1000000ull
#define V7S_PGSIZE_BITMAP ((uint32_t)(V7S_SZ_4K | V7S_SZ_64K | V7S_SZ_1M | V7S_SZ_16M))
#define V7S_NR_PGSIZES 4		/* index: 0 = 4K, 1 = 64K, 2 = 1M, 3 = 16M */

/* PTE bits (ARM_V7S_PTE_*, ARM_V7S_ATTR_*). */
#define V7S_PTE_TYPE_TABLE     0x1u
#define V7S_PTE_TYPE_PAGE      0x2u		/* small page (L2) / section (L1) */
#define V7S_PTE_TYPE_CONT_PAGE 0x1u		/* large page (L2): 64K */
#define V7S_ATTR_B             (1u << 2)
#define V7S_ATTR_C             (1u << 3)
#define V7S_ATTR_NS_TABLE      (1u << 3)
#define V7S_ATTR_NS_SECTION    (1u << 19)
#define V7S_CONT_SECTION       (1u << 18)	/* supersection: 16M */
#define V7S_CONT_PAGE_XN_SHIFT 15
#define V7S_CONT_PAGE_TEX_SHIFT 6
#define V7S_ATTR_MTK_4GB       (1u << 9)	/* MediaTek 4GB mode (4.19: every leaf) */
/* MTK_EXT (6.1+ to_mtk_iopte): PA bits 32..34 of a leaf, and with TTBR_EXT of a table. */
#define V7S_ATTR_MTK_PA_BIT32  (1u << 9)
#define V7S_ATTR_MTK_PA_BIT33  (1u << 4)
#define V7S_ATTR_MTK_PA_BIT34  (1u << 5)
/* The 8-bit attribute block sits at [17:10] in L1 and [11:4] in L2. */
#define V7S_ATTR_SHIFT(lvl)    (16 - (lvl) * 6)
#define V7S_ATTR_AP0           (1u << 0)	/* access flag */
#define V7S_ATTR_AP1           (1u << 1)	/* unprivileged */
#define V7S_ATTR_AP2           (1u << 5)	/* read-only */
#define V7S_ATTR_S             (1u << 6)
#define V7S_ATTR_NG            (1u << 7)
#define V7S_TEX_SHIFT          2
#define V7S_TEX_MASK           0x7u
#define V7S_ATTR_XN(lvl)       (1u << (4 * (2 - (lvl))))

/* IOMMU prot flags (include/linux/iommu.h values). */
#define V7S_PROT_READ   (1 << 0)
#define V7S_PROT_WRITE  (1 << 1)
#define V7S_PROT_CACHE  (1 << 2)
#define V7S_PROT_NOEXEC (1 << 3)
#define V7S_PROT_MMIO   (1 << 4)
#define V7S_PROT_PRIV   (1 << 5)

/* Quirks (IO_PGTABLE_QUIRK_*). MT8173: ARM_NS | NO_PERMS, + MTK_4GB on 4 GiB boards. */
#define V7S_QUIRK_ARM_NS   (1u << 0)
#define V7S_QUIRK_NO_PERMS (1u << 1)
/*
 * MediaTek 4GB mode: every leaf PTE gets bit 9 (4.19 arm_v7s_prot_to_pte),
 * and the driver layer (iommu.c, standing for mtk_iommu_map) masks each
 * chunk's paddr to 32 bits first.
 */
#define V7S_QUIRK_MTK_4GB  (1u << 2)
/*
 * IO_PGTABLE_QUIRK_ARM_MTK_TTBR_EXT (6.1+, mtk_iommu's PGTABLE_PA_35_EN
 * SoCs): the L1 comes from GFP_KERNEL and the L2 cache has no
 * SLAB_CACHE_DMA32; a table is refused only at or above 1 << oas (35 bits),
 * and a table entry carries the L2's PA bits 32..34 (to_mtk_iopte).
 */
#define V7S_QUIRK_MTK_TTBR_EXT (1u << 3)

/**
 * struct v7s_env_ops - everything the model needs from outside.
 * @alloc_l2: one zeroed 1 KiB table with @gfp on @cpu; 0 or -ENOMEM.  The
 *	table may lie anywhere: v7s rejects it at or above v7s_table_phys_limit.
 * @free_l2: give a table from alloc_l2 back (kmem_cache_free); any context.
 * @alloc_l1: the zeroed L1, v7s_l1_order(cfg) (2: 16 KiB; 4 with ias 34),
 *	GFP_DMA32, or GFP_KERNEL with TTBR_EXT; 0 or -ENOMEM.
 * @free_l1: give the L1 back.
 * @read_pte: the 32-bit word at @phys (0 where there is no memory).
 * @write_pte: store @pte at @phys.
 * @warn: optional: a WARN splat or dev_err the kernel would print.
 * @l2_op: optional: every L2 table allocation attempt and free, in order,
 *	with the L1 slot it is for (ptbench replay --l2-log, the oracle's
 *	reference check against the kernel's own io-pgtable-arm-v7s.c).
 */
struct v7s_env_ops {
	int (*alloc_l2)(void *ctx, uint32_t gfp, int cpu, uint64_t *phys);
	void (*free_l2)(void *ctx, uint64_t phys, int cpu);
	int (*alloc_l1)(void *ctx, uint64_t *phys);
	void (*free_l1)(void *ctx, uint64_t phys);
	uint32_t (*read_pte)(void *ctx, uint64_t phys);
	void (*write_pte)(void *ctx, uint64_t phys, uint32_t pte);
	void (*warn)(void *ctx, const char *what);
	void (*l2_op)(void *ctx, int op, unsigned int slot, int cpu);
};

/* l2_op's @op: a table handed out, a failed attempt, a table given back. */
#define V7S_L2_OP_ALLOC 1
#define V7S_L2_OP_FAIL  2
#define V7S_L2_OP_FREE  3

/**
 * struct v7s_cfg - what the page table is created with.
 * @quirks: V7S_QUIRK_*.
 * @pgsize_bitmap: page sizes the IOMMU driver offers; 0 = all four.
 * @l2_caller_gfp: L2 with the map's gfp (5.9+); else GFP_ATOMIC (4.19, 5.4).
 * @split: arm_v7s_split_blk_unmap/split_cont exist (4.19 .. 6.12); without
 *	them (6.13) a partial unmap of a large entry WARNs and unmaps 0.
 * @warn_table_phys: dev_err "Page table does not fit in PTE" (5.1+); 4.19
 *	rejects such a table silently.
 * @keep_l1_above_4g: a model option, not kernel behaviour: keep an L1 the
 *	kernel would reject (counted in l1_above_4g) so a run can go on; the
 *	hardware then walks from the truncated base and translations fail.
 * @ias: IOVA bits, 32 or 34 (cfg->ias); 0 = 32.  Sizes the L1 and bounds
 *	every iova (arm_v7s_map_pages: WARN_ON(iova >= 1ULL << ias), -ERANGE).
 * @oas: output bits; 0 = 32.  Above 32 the leaf (and, with TTBR_EXT, table)
 *	entries carry PA bits 32..34 the MediaTek way (arm_v7s_is_mtk_enabled).
 */
struct v7s_cfg {
	uint32_t quirks;
	uint32_t pgsize_bitmap;
	bool l2_caller_gfp;
	bool split;
	bool warn_table_phys;
	bool keep_l1_above_4g;
	uint8_t ias;
	uint8_t oas;
};

/**
 * struct v7s_rules - what io-pgtable-arm-v7s.c does differently per kernel
 * version (v7s_rules.c), for both programs.
 * @l1_dma32: L1 with GFP_DMA32 (5.1+); 4.19 as released: __get_dma_pages.
 * @l2_caller_gfp: L2 with the map's gfp (5.9+); GFP_ATOMIC before.
 * @split: arm_v7s_split_blk_unmap / split_cont exist (up to 6.12).
 * @mtk_ext: cfg->ias sizes the L1 (ias 34) and IO_PGTABLE_QUIRK_ARM_MTK_TTBR_EXT
 *	exists (read in 6.1 and 6.12; both came in 2022, before 6.1).
 */
struct v7s_rules {
	bool l1_dma32;
	bool l2_caller_gfp;
	bool split;
	bool mtk_ext;
};

/* The rules of kernel @k; NULL if @k is no version ptbench models. */
const struct v7s_rules *v7s_rules(enum kver k);
/**
 * v7s_mtk_quirks() - the quirks mtk_iommu gives its v7s page table on a machine
 * whose DRAM ends at @dram_end_bytes (drivers/iommu/mtk_iommu.c, 4.19..6.1:
 * mtk_iommu_domain_finalise sets ARM_NS | NO_PERMS, and the 4 GB mode's quirk
 * when mtk_iommu_probe found DRAM above 4 GiB).  One rule for ptbench's simulated
 * DRAM (harness/v7s_mm.c) and the oracle guest's real one (kmod/oracle_main.c).
 */
uint32_t v7s_mtk_quirks(uint64_t dram_end_bytes);
/**
 * v7s_cfg_for() - the page table kernel @k's MT8173 driver creates, with
 * @quirks (the machine's: MTK_4GB when DRAM ends above 4 GiB);
 * keep_l1_above_4g off.  Returns 0 or -V7S_EINVAL for an unknown @k.
 */
int v7s_cfg_for(struct v7s_cfg *cfg, enum kver k, uint32_t quirks);
/**
 * v7s_cfg_mtk_ext() - make @cfg the page table of a newer MediaTek IOMMU
 * (mtk_iommu_domain_finalise, 6.1+): ias 34 for IOVA_34_EN SoCs (MT8186,
 * MT8192, MT8195, MT8188 multimedia), TTBR_EXT for PGTABLE_PA_35_EN ones
 * (MT6779, MT8188).  Either gives oas 35 (those SoCs have no HAS_4GB_MODE),
 * so the 4 GB mode's quirk goes.  @ias 32 without @ttbr_ext leaves @cfg.
 * Returns 0, or -V7S_EINVAL for an @ias other than 32 / 34 or a kernel @k
 * without the rules (v7s_rules(k)->mtk_ext).
 */
int v7s_cfg_mtk_ext(struct v7s_cfg *cfg, enum kver k, unsigned int ias, bool ttbr_ext);
/* cfg->ias, 32 when 0; cfg->oas likewise. */
unsigned int v7s_ias(const struct v7s_cfg *cfg);
unsigned int v7s_oas(const struct v7s_cfg *cfg);
/* ARM_V7S_PTES_PER_LVL(1, cfg): 4096 for ias 32, 16384 for ias 34. */
unsigned int v7s_l1_ptes(const struct v7s_cfg *cfg);
/* get_order(ARM_V7S_TABLE_SIZE(1, cfg)): 2 (16 KiB) for ias 32, 4 (64 KiB) for 34. */
unsigned int v7s_l1_order(const struct v7s_cfg *cfg);
/*
 * The first physical address a table (L1 or L2) may not lie at
 * (__arm_v7s_alloc_table): 1 << oas with TTBR_EXT, else 4 GiB.
 */
uint64_t v7s_table_phys_limit(const struct v7s_cfg *cfg);
/* MTK_EXT's PA bits 32..34 in a PTE: used when oas > 32 (v7s_mtk_pa). */
bool v7s_mtk_pa(const struct v7s_cfg *cfg);
uint32_t v7s_to_mtk_iopte(uint64_t paddr, uint32_t pte);
uint64_t v7s_mtk_iopte_upper(const struct v7s_cfg *cfg, uint32_t pte);

/* Counters; all cumulative except live_l2 / peak_live_l2. */
struct v7s_stats {
	uint64_t l1_above_4g;		/* L1 tables above their limit: 4 GiB, 1 << oas with TTBR_EXT (0 or 1) */
	uint64_t l2_alloc_attempts;	/* alloc_l2 calls (map and split) */
	uint64_t l2_alloc_failures;	/* alloc_l2 returned an error */
	uint64_t atomic_attempts;	/* alloc_l2 calls whose gfp cannot reclaim directly */
	uint64_t atomic_failures;	/* ... and failed */
	uint64_t rejected_above_4g;	/* tables thrown back: phys at or above v7s_table_phys_limit */
	uint64_t l2_allocs;		/* tables accepted (alloc_l2 minus rejected) */
	uint64_t l2_frees;		/* tables given back (every reason below) */
	uint64_t l2_freed_unmap;	/* ... by a level-1 unmap of a whole 1 MiB slot */
	uint64_t l2_freed_replace;	/* ... by a 1M/16M block mapped over the table */
	uint64_t l2_freed_lost;		/* ... after losing the cmpxchg (install or split) */
	uint64_t l2_freed_teardown;	/* ... at teardown */
	uint64_t live_l2, peak_live_l2;	/* tables installed now / at most */
	uint64_t replaced_live_ptes;	/* valid L2 entries a block replacement dropped */
	uint64_t install_races;		/* map-path cmpxchg lost (a concurrent installer) */
	uint64_t misaligned_tables;	/* tables not 1 KiB aligned: the L1 entry drops [9:0] */
	uint64_t eexist;		/* -EEXIST: map over a valid entry or an L1 block */
	uint64_t erange;		/* -ERANGE: iova above ias or paddr above oas bits */
	uint64_t einval;		/* -EINVAL: bad size/alignment, failed table unmap */
	uint64_t unmap_invalid;		/* unmap met an invalid entry: WARN, 0 unmapped */
	uint64_t split_cont;		/* arm_v7s_split_cont: 16 copies rewritten as 16 entries */
	uint64_t split_blk;		/* arm_v7s_split_blk_unmap calls */
	uint64_t split_blk_nomem;	/* ... whose GFP_ATOMIC table allocation failed */
	uint64_t split_blk_lost;	/* ... whose cmpxchg failed: table allocated and freed */
	uint64_t partial_refused;	/* 6.13: partial unmap of a large entry, WARN, 0 */
	uint64_t warnings;		/* WARN splats and dev_err lines */
};

/* One page table.  The caller owns the memory; v7s_init fills it. */
struct v7s_pgtable {
	const struct v7s_env_ops *ops;
	void *ctx;
	struct v7s_cfg cfg;
	uint64_t l1_phys;		/* where the L1 really is */
	unsigned int l1_ptes;		/* v7s_l1_ptes(&cfg) */
	/*
	 * Where the IOMMU walks from: the TTBR's low 32 bits, or with TTBR_EXT
	 * the whole address (ttbr = paddr | upper_32_bits(paddr), MTK_EXT).
	 */
	uint64_t l1_hw_base;
	bool warned_partial;		/* WARN_ONCE state of the 6.13 partial unmap */
	struct v7s_stats stats;
	/*
	 * The table each L1 slot points to, as the allocator handed it out.
	 * Equal to the L1 entry's bits [31:10] unless the table is misaligned
	 * (4.19 kmalloc + slub_debug), where the kernel would free a wrong
	 * pointer; the model gives back the right one.  0 = no table.
	 */
	uint64_t l2_phys[V7S_L1_PTES_MAX];
};

/**
 * v7s_init() - allocate and zero the L1 (arm_v7s_alloc_pgtable).
 * An L1 at or above v7s_table_phys_limit is freed and -ENOMEM returned, as
 * __arm_v7s_alloc_table does (counted in stats.l1_above_4g), unless
 * cfg->keep_l1_above_4g.  Returns 0, -ENOMEM or -EINVAL (bad cfg or ops).
 */
int v7s_init(struct v7s_pgtable *pt, const struct v7s_cfg *cfg,
	     const struct v7s_env_ops *ops, void *ctx);
/** v7s_free() - teardown (arm_v7s_free_pgtable): every L2, then the L1. NULL ok. */
void v7s_free(struct v7s_pgtable *pt, int cpu);

/**
 * v7s_map() - map one chunk (arm_v7s_map): @size is one page size, @iova and
 * @paddr aligned to it.  An empty slot gets an L2 table for 4K/64K chunks
 * (GFP_ATOMIC, or @gfp with cfg.l2_caller_gfp); a 1M/16M chunk over an L1
 * table unmaps and frees that table.
 * Returns 0, -EEXIST (a valid entry in the way: WARN), -ENOMEM (no table, or
 * a table above its limit), -ERANGE (iova >= 1 << ias or paddr >= 1 << oas:
 * WARN), -EINVAL.
 */
int v7s_map(struct v7s_pgtable *pt, uint64_t iova, uint64_t paddr, uint64_t size,
	    int prot, uint32_t gfp, int cpu);
/**
 * v7s_unmap() - unmap one chunk (arm_v7s_unmap).  A whole 1 MiB slot (1M
 * or 16M) holding a table frees it.  A partial unmap of a large entry
 * splits it (cfg.split; may allocate with GFP_ATOMIC) or WARNs (6.13).
 * Returns the bytes unmapped: @size or 0.
 */
uint64_t v7s_unmap(struct v7s_pgtable *pt, uint64_t iova, uint64_t size, int cpu);
/**
 * v7s_iova_to_phys() - translate as the IOMMU's table walker does: from the
 * TTBR (l1_hw_base), through the L1 and (for a table entry) the L2.
 * Returns true and the output address, or false for a translation fault.
 */
bool v7s_iova_to_phys(const struct v7s_pgtable *pt, uint64_t iova, uint64_t *phys);
/**
 * v7s_leaf_pte() - the entry the walk ends at, valid or not, and its level
 * (1 or 2).  For tests and debugging.
 */
uint32_t v7s_leaf_pte(const struct v7s_pgtable *pt, uint64_t iova, int *lvl);

/* Encodings, exposed for tests: arm_v7s_prot_to_pte / _pte_to_cont / _pte_is_cont. */
uint32_t v7s_prot_to_pte(const struct v7s_cfg *cfg, int prot, int lvl);
uint32_t v7s_pte_to_cont(uint32_t pte, int lvl);
bool v7s_pte_is_cont(uint32_t pte, int lvl);
/* Index 0..3 of a page size, -1 if @size is not one. */
int v7s_pgsize_index(uint64_t size);

#endif /* PTB_V7S_H */
