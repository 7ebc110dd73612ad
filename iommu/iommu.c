// SPDX-License-Identifier: GPL-2.0
/*
 * iommu.c - the IOMMU core over one v7s page table, after
 * drivers/iommu/iommu.c (iommu_map, __iommu_unmap, iommu_pgsize; 4.19 and
 * the map_pages form of 5.13+ behave the same per chunk) and mtk_iommu.c's
 * map (the 4GB-mode mask).  Freestanding: see iommu.h.
 *
 * The --check shadow is a sorted array of disjoint intervals in memory the
 * caller provides.  Every page-table change a request makes stays inside the
 * 1 MiB slots the request covers (a split rewrites only the slot unmapped
 * in; split_cont's copies translate as before), so re-walking those slots
 * after each request keeps an exact count of wrong pages.
 */
#include "iommu.h"

#define MIB_SHIFT V7S_L1_SHIFT

static inline unsigned int ffs64(uint64_t x)
{
	return (unsigned int)__builtin_ctzll(x);	/* __ffs: x != 0 */
}

static inline unsigned int fls64_idx(uint64_t x)
{
	return 63u - (unsigned int)__builtin_clzll(x);	/* __fls: x != 0 */
}

uint64_t iommu_pgsize(uint32_t pgsize_bitmap, uint64_t addr_merge, uint64_t size)
{
	unsigned int idx;
	uint64_t mask;

	if (!size)
		return 0;
	idx = fls64_idx(size);
	if (addr_merge && ffs64(addr_merge) < idx)
		idx = ffs64(addr_merge);
	mask = (idx >= 63 ? ~0ull : (2ull << idx) - 1) & pgsize_bitmap;
	if (!mask)
		return 0;
	return 1ull << fls64_idx(mask);
}

/* -------------------------------------------------------------------------
 * Shadow
 */

/* The first interval whose end lies above @iova. */
static size_t sh_first(const struct iommu_shadow *sh, uint64_t iova)
{
	size_t lo = 0, hi = sh->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sh->iv[mid].end <= iova)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool sh_reserve(struct iommu_domain *dom, size_t extra)
{
	struct iommu_shadow *sh = &dom->shadow;
	size_t new_bytes;
	void *mem;

	if (sh->nr + extra <= sh->cap)
		return true;
	if (sh->grow) {
		new_bytes = 2 * (sh->cap + extra) * sizeof(*sh->iv);
		mem = sh->grow(sh->grow_ctx, sh->iv, sh->cap * sizeof(*sh->iv), &new_bytes);
		if (mem) {
			sh->iv = mem;
			sh->cap = new_bytes / sizeof(*sh->iv);
		}
	}
	if (sh->nr + extra <= sh->cap)
		return true;
	dom->stats.shadow_lost = true;
	return false;
}

static void sh_insert_at(struct iommu_shadow *sh, size_t pos, struct iommu_shadow_iv x)
{
	for (size_t k = sh->nr; k > pos; k--)
		sh->iv[k] = sh->iv[k - 1];
	sh->iv[pos] = x;
	sh->nr++;
}

static void sh_delete_at(struct iommu_shadow *sh, size_t pos)
{
	for (size_t k = pos; k + 1 < sh->nr; k++)
		sh->iv[k] = sh->iv[k + 1];
	sh->nr--;
}

/* Cut [start, end) out of the shadow. */
static void sh_remove(struct iommu_domain *dom, uint64_t start, uint64_t end)
{
	struct iommu_shadow *sh = &dom->shadow;
	size_t j = sh_first(sh, start);

	while (j < sh->nr && sh->iv[j].iova < end) {
		struct iommu_shadow_iv cur = sh->iv[j];

		if (cur.iova < start && cur.end > end) {
			struct iommu_shadow_iv tail = {
				.iova = end, .end = cur.end, .paddr = cur.paddr + (end - cur.iova),
			};

			if (!sh_reserve(dom, 1))
				return;
			sh->iv[j].end = start;
			sh_insert_at(sh, j + 1, tail);
			return;
		}
		if (cur.iova < start) {
			sh->iv[j].end = start;
			j++;
		} else if (cur.end > end) {
			sh->iv[j].paddr += end - cur.iova;
			sh->iv[j].iova = end;
			return;
		} else {
			sh_delete_at(sh, j);
		}
	}
}

static void sh_add(struct iommu_domain *dom, uint64_t iova, uint64_t paddr, uint64_t size)
{
	struct iommu_shadow *sh = &dom->shadow;
	struct iommu_shadow_iv x = { .iova = iova, .end = iova + size, .paddr = paddr };

	if (!size)
		return;
	/* A block mapped over a table silently drops what the table held. */
	sh_remove(dom, x.iova, x.end);
	if (!sh_reserve(dom, 1))
		return;
	sh_insert_at(sh, sh_first(sh, iova), x);
}

bool iommu_shadow_lookup(const struct iommu_domain *dom, uint64_t iova, uint64_t *paddr)
{
	const struct iommu_shadow *sh = &dom->shadow;
	size_t j;

	if (!sh->iv)
		return false;
	j = sh_first(sh, iova);
	if (j >= sh->nr || sh->iv[j].iova > iova)
		return false;
	*paddr = sh->iv[j].paddr + (iova - sh->iv[j].iova);
	return true;
}

static inline bool checking(const struct iommu_domain *dom)
{
	return dom->shadow.iv && !dom->stats.shadow_lost;
}

/*
 * Wrong pages in one 1 MiB slot now; *split_refill counts those of them
 * that translate to their offset in the section, which is what the
 * kernel's arm_v7s_split_blk_unmap refill maps (it rebuilds the entries
 * from the block's attributes only: io-pgtable-arm-v7s.c, 4.13 .. 6.12).
 */
static unsigned int check_slot(struct iommu_domain *dom, unsigned int slot,
			       unsigned int *split_refill)
{
	const struct iommu_shadow *sh = &dom->shadow;
	const struct v7s_pgtable *pt = &dom->pgt;
	uint64_t base = (uint64_t)slot << MIB_SHIFT, end = base + (1ull << MIB_SHIFT);
	uint64_t out_mask = (pt->cfg.quirks & V7S_QUIRK_MTK_4GB) ? 0xffffffffull : ~0ull;
	size_t j = sh_first(sh, base);
	unsigned int faults = 0;
	uint32_t l1;

	*split_refill = 0;
	l1 = pt->ops->read_pte(pt->ctx, (uint64_t)pt->l1_hw_base + 4ull * slot);
	if ((l1 & 3u) == 0 && (j >= sh->nr || sh->iv[j].iova >= end))
		return 0;	/* nothing expected, nothing translates */

	for (uint64_t iova = base; iova < end; iova += V7S_SZ_4K) {
		uint64_t phys;
		bool ok = v7s_iova_to_phys(pt, iova, &phys);

		while (j < sh->nr && sh->iv[j].end <= iova)
			j++;
		if (j < sh->nr && sh->iv[j].iova <= iova) {
			uint64_t want = (sh->iv[j].paddr + (iova - sh->iv[j].iova)) & out_mask;

			if (!ok || phys != want) {
				faults++;
				*split_refill += ok && phys == iova - base;
			}
		} else {
			faults += ok;	/* stale: translates, but nothing should be there */
		}
		dom->stats.checked_pages++;
	}
	return faults;
}

static void recheck_slots(struct iommu_domain *dom, unsigned int first, unsigned int last)
{
	struct iommu_stats *st = &dom->stats;
	struct iommu_shadow *sh = &dom->shadow;

	for (unsigned int slot = first; slot <= last; slot++) {
		unsigned int split, now = check_slot(dom, slot, &split);
		unsigned int was = sh->slot_faults[slot], split_was = sh->slot_split_refill[slot];

		if (now > was)
			st->faults_new += now - was;
		if (split > split_was)
			st->split_refill_faults_new += split - split_was;
		if (now - split > was - split_was)
			st->other_faults_new += (now - split) - (was - split_was);
		st->faults_now = st->faults_now + now - was;
		st->split_refill_faults_now = st->split_refill_faults_now + split - split_was;
		sh->slot_faults[slot] = (uint16_t)now;
		sh->slot_split_refill[slot] = (uint16_t)split;
	}
	if (st->faults_now > st->faults_peak)
		st->faults_peak = st->faults_now;
}

uint64_t iommu_check_range(struct iommu_domain *dom, uint64_t iova, uint64_t size)
{
	unsigned int ias = v7s_ias(&dom->pgt.cfg);
	uint64_t last;

	if (!checking(dom) || (iova >> ias))
		return 0;
	last = size ? iova + size - 1 : iova;
	if (last >> ias)
		last = (1ull << ias) - 1;
	recheck_slots(dom, (unsigned int)(iova >> MIB_SHIFT), (unsigned int)(last >> MIB_SHIFT));
	return dom->stats.faults_now;
}

uint64_t iommu_check(struct iommu_domain *dom)
{
	if (!checking(dom))
		return 0;
	recheck_slots(dom, 0, dom->pgt.l1_ptes - 1);
	return dom->stats.faults_now;
}

void iommu_shadow_attach(struct iommu_domain *dom, void *mem, size_t bytes,
			 iommu_shadow_grow_t grow, void *grow_ctx)
{
	struct iommu_shadow *sh = &dom->shadow;

	sh->iv = mem;
	sh->nr = 0;
	sh->cap = bytes / sizeof(*sh->iv);
	sh->grow = grow;
	sh->grow_ctx = grow_ctx;
	for (unsigned int i = 0; i < V7S_L1_PTES_MAX; i++) {
		sh->slot_faults[i] = 0;
		sh->slot_split_refill[i] = 0;
	}
}

/* -------------------------------------------------------------------------
 * The core
 */

int iommu_domain_init(struct iommu_domain *dom, const struct v7s_cfg *cfg,
		      const struct v7s_env_ops *ops, void *ctx)
{
	int ret;

	ret = v7s_init(&dom->pgt, cfg, ops, ctx);
	dom->pgsize_bitmap = dom->pgt.cfg.pgsize_bitmap;
	dom->prot = V7S_PROT_READ | V7S_PROT_WRITE;
	dom->trace = NULL;
	dom->trace_ctx = NULL;
	dom->shadow = (struct iommu_shadow){ 0 };
	dom->stats = (struct iommu_stats){ 0 };
	return ret;
}

void iommu_domain_exit(struct iommu_domain *dom, int cpu)
{
	if (dom)
		v7s_free(&dom->pgt, cpu);
}

static inline uint64_t min_pgsize(const struct iommu_domain *dom)
{
	return 1ull << ffs64(dom->pgsize_bitmap);
}

/* __iommu_unmap: @unroll marks iommu_map's own clean-up (counted apart). */
static uint64_t unmap_request(struct iommu_domain *dom, uint64_t iova, uint64_t size, int cpu,
			      bool unroll)
{
	uint64_t orig_iova = iova, unmapped = 0;

	if ((iova | size) & (min_pgsize(dom) - 1)) {
		/* pr_err("unaligned: ..."): no trace (4.19 even returns -EINVAL as a size_t) */
		dom->stats.unmap_einval++;
		return 0;
	}
	while (unmapped < size) {
		uint64_t pgsize = iommu_pgsize(dom->pgsize_bitmap, iova, size - unmapped);
		uint64_t done = pgsize ? v7s_unmap(&dom->pgt, iova, pgsize, cpu) : 0;

		if (!done)
			break;
		iova += done;
		unmapped += done;
	}
	if (unroll) {
		dom->stats.unroll_bytes += unmapped;
	} else {
		dom->stats.unmap_bytes += size;
		dom->stats.unmapped_bytes += unmapped;
		dom->stats.unmap_short += unmapped < size;
	}
	if (dom->trace && dom->trace->unmap)
		dom->trace->unmap(dom->trace_ctx, orig_iova, size, unmapped);
	if (checking(dom)) {
		sh_remove(dom, orig_iova, orig_iova + unmapped);
		iommu_check_range(dom, orig_iova, size);
	}
	return unmapped;
}

uint64_t iommu_unmap(struct iommu_domain *dom, uint64_t iova, uint64_t size, int cpu)
{
	dom->stats.unmaps++;
	return unmap_request(dom, iova, size, cpu, false);
}

static void count_error(struct iommu_stats *st, int err)
{
	st->map_failures++;
	switch (-err) {
	case V7S_ENOMEM: st->map_enomem++; break;
	case V7S_EEXIST: st->map_eexist++; break;
	case V7S_ERANGE: st->map_erange++; break;
	case V7S_EINVAL: st->map_einval++; break;
	default:         st->map_eother++; break;
	}
}

int iommu_map(struct iommu_domain *dom, uint64_t iova, uint64_t paddr, uint64_t size,
	      uint32_t gfp, int cpu)
{
	uint64_t orig_iova = iova, orig_paddr = paddr, orig_size = size;
	bool mtk_4gb = dom->pgt.cfg.quirks & V7S_QUIRK_MTK_4GB;
	int ret = 0;

	dom->stats.maps++;
	if ((iova | paddr | size) & (min_pgsize(dom) - 1)) {
		/* pr_err("unaligned: iova ... min_pagesz ..."): no trace */
		count_error(&dom->stats, -V7S_EINVAL);
		return -V7S_EINVAL;
	}

	while (size) {
		uint64_t pgsize = iommu_pgsize(dom->pgsize_bitmap, iova | paddr, size);
		/* mtk_iommu_map: 4GB mode passes paddr & DMA_BIT_MASK(32) */
		uint64_t chunk_paddr = mtk_4gb ? paddr & 0xffffffffull : paddr;

		ret = v7s_map(&dom->pgt, iova, chunk_paddr, pgsize, dom->prot, gfp, cpu);
		if (ret)
			break;
		dom->stats.chunks[v7s_pgsize_index(pgsize)]++;
		iova += pgsize;
		paddr += pgsize;
		size -= pgsize;
	}

	if (ret) {
		/* unroll mapping in case something went wrong */
		count_error(&dom->stats, ret);
		dom->stats.unrolls++;
		unmap_request(dom, orig_iova, orig_size - size, cpu, true);
		if (checking(dom))
			iommu_check_range(dom, orig_iova, orig_size);
		return ret;
	}
	dom->stats.maps_ok++;
	dom->stats.map_bytes += orig_size;
	if (dom->trace && dom->trace->map)
		dom->trace->map(dom->trace_ctx, orig_iova, orig_paddr, orig_size);
	if (checking(dom)) {
		sh_add(dom, orig_iova, orig_paddr, orig_size);
		iommu_check_range(dom, orig_iova, orig_size);
	}
	return 0;
}

bool iommu_iova_to_phys(const struct iommu_domain *dom, uint64_t iova, uint64_t *phys)
{
	return v7s_iova_to_phys(&dom->pgt, iova, phys);
}
