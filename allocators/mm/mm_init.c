// SPDX-License-Identifier: GPL-2.0
/*
 * mm_init.c - building and tearing down the simulated machine, and its
 * configuration: the defaults, --watermarks, what the machine was built with
 * and what it costs the host.  The file sits above the allocator: it calls
 * buddy.c, pcp.c, page_alloc.c, reclaim.c and fail.c to set the machine up,
 * and none of them calls back into it (tests/cli/test_layering.sh).  The
 * kernel's own split since 6.3 (mm/mm_init.c out of mm/page_alloc.c).
 *
 * Boot, in the kernel's order: the memmap covers the DRAM span (holes and
 * memblock-reserved frames are PG_reserved), every pageblock starts
 * MIGRATE_MOVABLE (memmap_init_zone), free memory enters the buddy lists in
 * the largest aligned blocks (memblock_free_all), then the watermarks and
 * per-CPU lists are set up and boot-time users take their memory.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buddy.h"
#include "content.h"
#include "fail.h"
#include "memmap.h"
#include "mmzone.h"
#include "page_alloc.h"
#include "pcp.h"
#include "reclaim.h"

/* One "NAME=MIN:LOW:HIGH" of --watermarks, [s, end). */
static int watermarks_parse_one(const char *s, const char *end, struct mm_cfg *cfg, char *err,
				size_t err_bytes)
{
	const char *eq = memchr(s, '=', (size_t)(end - s));
	uint64_t v[NR_WMARK];
	int z;

	for (z = 0; z < MAX_NR_ZONES; z++)
		if (eq && (size_t)(eq - s) == strlen(zone_name(z)) &&
		    !strncasecmp(s, zone_name(z), (size_t)(eq - s)))
			break;
	if (!eq || z == MAX_NR_ZONES) {
		snprintf(err, err_bytes, "'%.*s': not ZONE=MIN:LOW:HIGH with ZONE one of DMA, DMA32, Normal",
			 (int)(end - s), s);
		return -EINVAL;
	}
	s = eq + 1;
	for (int w = 0; w < NR_WMARK; w++) {
		char *tail = NULL;

		if (s < end && *s >= '0' && *s <= '9') {
			errno = 0;
			v[w] = strtoull(s, &tail, 10);
		}
		if (s >= end || *s < '0' || *s > '9' || errno || tail > end ||
		    (w < NR_WMARK - 1 ? *tail != ':' : tail != end)) {
			snprintf(err, err_bytes, "%s: '%.*s': three page counts MIN:LOW:HIGH", zone_name(z),
				 (int)(end - eq - 1), eq + 1);
			return -EINVAL;
		}
		s = tail + 1;
	}
	if (v[WMARK_MIN] > v[WMARK_LOW] || v[WMARK_LOW] > v[WMARK_HIGH] || !v[WMARK_HIGH]) {
		snprintf(err, err_bytes, "%s: min %llu, low %llu, high %llu: need min <= low <= high, high > 0",
			 zone_name(z), (unsigned long long)v[WMARK_MIN], (unsigned long long)v[WMARK_LOW],
			 (unsigned long long)v[WMARK_HIGH]);
		return -EINVAL;
	}
	if (cfg->watermark_pages[z][WMARK_HIGH]) {
		snprintf(err, err_bytes, "%s given twice", zone_name(z));
		return -EINVAL;
	}
	memcpy(cfg->watermark_pages[z], v, sizeof(v));
	return 0;
}

int mm_watermarks_parse(const char *s, struct mm_cfg *cfg, char *err, size_t err_bytes)
{
	memset(cfg->watermark_pages, 0, sizeof(cfg->watermark_pages));
	for (;;) {
		const char *end = strchr(s, ',');
		int ret;

		if (!end)
			end = s + strlen(s);
		ret = watermarks_parse_one(s, end, cfg, err, err_bytes);
		if (ret)
			return ret;
		if (!*end)
			return 0;
		s = end + 1;
	}
}

const char *mm_watermarks_format(const struct mm_cfg *cfg, char *buf, size_t buf_bytes)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		const uint64_t *w = cfg->watermark_pages[z];

		if (w[WMARK_HIGH] && n < buf_bytes)
			n += (size_t)snprintf(buf + n, buf_bytes - n, "%s%s=%llu:%llu:%llu", n ? "," : "",
					      zone_name(z), (unsigned long long)w[WMARK_MIN],
					      (unsigned long long)w[WMARK_LOW], (unsigned long long)w[WMARK_HIGH]);
	}
	return buf[0] ? buf : NULL;
}

void mm_cfg_default(struct mm_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->layout = *memory_layout_find("mt8173-4g");
	cfg->kernel = KVER_4_19;
	cfg->nr_cpus = 4;
	/* 64 pages/ms = 256 MiB/s of reclaim: an assumption, see allocators/mm/README.md */
	cfg->kswapd_pages_per_ms = 64;
	cfg->fail.min_order = 1;
	cfg->fail.ignore_gfp_wait = true;
	cfg->fail.ignore_gfp_highmem = true;
	cfg->fail.times = -1;
	cfg->fail.interval = 1;
}

/* Where each zone begins and ends for this layout and kernel: [start, end) in bytes. */
static void zone_limits(const struct mm_cfg *cfg, const struct kernel_rules *rules,
			phys_addr_t lo[MAX_NR_ZONES], phys_addr_t hi[MAX_NR_ZONES])
{
	const struct memory_layout *l = &cfg->layout;
	phys_addr_t dma32_end = l->zone_dma32_end;

	if (l->arm64) {
		/*
		 * arm64 4.19 max_zone_dma_phys(): 4 GiB above the 4 GiB-aligned
		 * DRAM base; no ZONE_DMA.  From 5.5 ZONE_DMA takes that range
		 * and ZONE_DMA32 is empty (zone_dma_bits = 32, no DT limit).
		 */
		dma32_end = MIN(dma32_end, (l->dram[0].start & ~(SZ_4G - 1)) + SZ_4G);
		lo[ZONE_DMA] = 0;
		hi[ZONE_DMA] = rules->arm64_zone_dma ? dma32_end : 0;
		lo[ZONE_DMA32] = hi[ZONE_DMA];
		hi[ZONE_DMA32] = dma32_end;
	} else {
		lo[ZONE_DMA] = 0;
		hi[ZONE_DMA] = l->zone_dma_end;
		lo[ZONE_DMA32] = l->zone_dma_end;
		hi[ZONE_DMA32] = dma32_end;
	}
	lo[ZONE_NORMAL] = dma32_end;
	hi[ZONE_NORMAL] = UINT64_MAX;
}

static int check_cfg(const struct mm_cfg *cfg, char *err, size_t err_bytes)
{
	const struct memory_layout *l = &cfg->layout;

	if (cfg->nr_cpus < 1 || cfg->nr_cpus > MM_MAX_CPUS) {
		snprintf(err, err_bytes, "--cpus %u: must be 1..%d", cfg->nr_cpus, MM_MAX_CPUS);
		return -EINVAL;
	}
	if ((unsigned int)cfg->kernel >= KVER_NR) {
		snprintf(err, err_bytes, "unknown kernel version");
		return -EINVAL;
	}
	if (!l->nr_ranges || l->nr_ranges > MEMORY_MAX_RANGES) {
		snprintf(err, err_bytes, "memory layout %s has no DRAM", l->name);
		return -EINVAL;
	}
	for (unsigned int i = 0; i < l->nr_ranges; i++) {
		if (!IS_ALIGNED(l->dram[i].start, PAGE_SIZE) || !IS_ALIGNED(l->dram[i].end, PAGE_SIZE) ||
		    l->dram[i].end <= l->dram[i].start ||
		    (i && l->dram[i].start < l->dram[i - 1].end)) {
			snprintf(err, err_bytes, "memory layout %s: DRAM ranges must be page aligned, "
				 "non-empty and ascending", l->name);
			return -EINVAL;
		}
	}
	if (((l->dram[l->nr_ranges - 1].end - l->dram[0].start) >> PAGE_SHIFT) >= PAGE_NIL) {
		snprintf(err, err_bytes, "memory layout %s spans more than 2^32 pages", l->name);
		return -EINVAL;
	}
	return 0;
}

/* Pageblocks a zone's span touches: the size of its pageblock_mt. */
static uint64_t zone_nr_pageblocks(const struct zone *zone)
{
	return ((zone->end_pfn - 1) >> PAGEBLOCK_ORDER) - (zone->start_pfn >> PAGEBLOCK_ORDER) + 1;
}

/* Pages of a zone's span that are DRAM (present), and the managed ones. */
static void init_zone(struct mm *mm, enum zone_type z, phys_addr_t lo, phys_addr_t hi,
		      uint64_t *reserved_left_bytes)
{
	struct zone *zone = &mm->zones[z];
	const struct memory_layout *l = &mm->cfg.layout;
	uint64_t first = UINT64_MAX, last = 0;

	zone->type = z;
	for (unsigned int r = 0; r < l->nr_ranges; r++) {
		phys_addr_t a = MAX(lo, l->dram[r].start), b = MIN(hi, l->dram[r].end);

		if (a >= b)
			continue;
		first = MIN(first, a >> PAGE_SHIFT);
		last = MAX(last, b >> PAGE_SHIFT);
		zone->present_pages += (b - a) >> PAGE_SHIFT;
		for (uint64_t pfn = a >> PAGE_SHIFT; pfn < b >> PAGE_SHIFT; pfn++) {
			struct page *p = idx_page(mm, (uint32_t)(pfn - mm->base_pfn));

			p->flags = (uint16_t)(z << PG_ZONE_SHIFT);
			if (*reserved_left_bytes) {
				/* memblock reservations, from the start of DRAM */
				p->flags |= PG_reserved;
				*reserved_left_bytes -= MIN(*reserved_left_bytes, PAGE_SIZE);
				continue;
			}
			p->owner = OWNER_FREE;
			zone->managed_pages++;
		}
	}
	if (!zone->present_pages)
		return;
	zone->populated = true;
	zone->start_pfn = first;
	zone->end_pfn = last;
	for (int o = 0; o < MAX_ORDER; o++)
		for (int mt = 0; mt < MIGRATE_TYPES; mt++)
			zone->free_area[o].free_list[mt].first = zone->free_area[o].free_list[mt].last = PAGE_NIL;
}

/* memblock_free_all(): managed frames into the buddy lists, largest aligned blocks. */
static void free_zone_memory(struct mm *mm, struct zone *zone)
{
	uint64_t pfn = zone->start_pfn;

	while (pfn < zone->end_pfn) {
		unsigned int order = MAX_ORDER - 1;
		bool ok;

		if (idx_page(mm, (uint32_t)(pfn - mm->base_pfn))->flags & PG_reserved) {
			pfn++;
			continue;
		}
		for (;;) {
			ok = IS_ALIGNED(pfn, 1ULL << order) && pfn + (1ULL << order) <= zone->end_pfn;
			for (uint64_t p = pfn; ok && p < pfn + (1ULL << order); p++)
				ok = !(idx_page(mm, (uint32_t)(p - mm->base_pfn))->flags & PG_reserved);
			if (ok || order == 0)
				break;
			order--;
		}
		buddy_free_one(mm, zone, (uint32_t)(pfn - mm->base_pfn), order, MIGRATE_MOVABLE);
		pfn += 1ULL << order;
	}
}

/* Boot-time users, spread over the zones in proportion to their managed pages. */
static int boot_allocate(struct mm *mm, char *err, size_t err_bytes)
{
	const struct memory_layout *l = &mm->cfg.layout;
	uint64_t total_pages = l->boot_used_bytes >> PAGE_SHIFT, managed = 0;
	const unsigned int pct[MIGRATE_PCPTYPES] = {
		[MIGRATE_UNMOVABLE] = 100 - l->boot_movable_pct - l->boot_reclaimable_pct,
		[MIGRATE_MOVABLE] = l->boot_movable_pct,
		[MIGRATE_RECLAIMABLE] = l->boot_reclaimable_pct,
	};
	const gfp_t gfp[MIGRATE_PCPTYPES] = {
		[MIGRATE_UNMOVABLE] = GFP_KERNEL,
		[MIGRATE_MOVABLE] = GFP_HIGHUSER_MOVABLE,
		[MIGRATE_RECLAIMABLE] = GFP_KERNEL | __GFP_RECLAIMABLE,
	};

	for (int z = 0; z < MAX_NR_ZONES; z++)
		managed += mm->zones[z].managed_pages;
	for (int z = 0; z < MAX_NR_ZONES && managed; z++) {
		struct zone *zone = &mm->zones[z];
		uint64_t share = total_pages * zone->managed_pages / managed;

		if (share && share + zone->watermark[WMARK_HIGH] > zone->managed_pages) {
			/* name what set the watermark when the user did: the fix is there */
			const char *why = mm->cfg.watermark_pages[z][WMARK_HIGH] ? " (--watermarks)" :
					  mm->cfg.min_free_kbytes ? " (--min-free-kbytes)" : "";

			snprintf(err, err_bytes, "boot memory %llu MiB leaves zone %s below its high "
				 "watermark, %llu pages%s", (unsigned long long)(l->boot_used_bytes / MIB_BYTES),
				 zone_name(z), (unsigned long long)zone->watermark[WMARK_HIGH], why);
			return -EINVAL;
		}
		for (int mt = 0; mt < MIGRATE_PCPTYPES; mt++) {
			uint64_t n = share * pct[mt] / 100;

			for (uint64_t i = 0; i < n; i++) {
				uint32_t idx = zone_take_block(mm, zone, 0, mt);

				PTB_BUG_ON(idx == PAGE_NIL);
				prep_new_block(mm, idx, 0, gfp[mt],
					       mt == MIGRATE_UNMOVABLE ? OWNER_BOOT : OWNER_BACKGROUND);
				if (mt != MIGRATE_UNMOVABLE)
					bg_record(mm, idx);
			}
		}
	}
	return 0;
}

/* Boot the machine @cfg describes (the kernel's order, above), whole. */
static struct mm *mm_boot_machine(const struct mm_cfg *cfg, char *err, size_t err_bytes)
{
	const struct memory_layout *l = &cfg->layout;
	phys_addr_t lo[MAX_NR_ZONES], hi[MAX_NR_ZONES];
	uint64_t reserved_left;
	struct mm *mm;

	if (check_cfg(cfg, err, err_bytes))
		return NULL;
	mm = calloc(1, sizeof(*mm));
	if (!mm)
		goto fail_nomem;
	mm->cfg = *cfg;
	mm->rules = kernel_rules(cfg->kernel);
	mm->base_pfn = l->dram[0].start >> PAGE_SHIFT;
	mm->nr_frames = (l->dram[l->nr_ranges - 1].end >> PAGE_SHIFT) - mm->base_pfn;
	if (memmap_init(mm, NULL))
		goto fail_nomem;
	for (uint64_t i = 0; i < mm->nr_frames; i++)
		*idx_page(mm, (uint32_t)i) = (struct page){ .next = PAGE_NIL, .prev = PAGE_NIL,
							    .flags = PG_reserved, .owner = OWNER_RESERVED };
	zone_limits(cfg, mm->rules, lo, hi);
	reserved_left = l->reserved_bytes;
	for (int z = 0; z < MAX_NR_ZONES; z++)
		init_zone(mm, z, lo[z], hi[z], &reserved_left);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &mm->zones[z];
		uint64_t nr_blocks;

		if (!zone->populated)
			continue;
		nr_blocks = zone_nr_pageblocks(zone);
		zone->pageblock_mt = malloc(nr_blocks);
		zone->pcp = calloc(cfg->nr_cpus, sizeof(*zone->pcp));
		if (!zone->pageblock_mt || !zone->pcp)
			goto fail_nomem;
		memset(zone->pageblock_mt, MIGRATE_MOVABLE, nr_blocks);
		for (unsigned int c = 0; c < cfg->nr_cpus; c++)
			for (int i = 0; i < NR_PCP_LISTS; i++)
				zone->pcp[c].lists[i].first = zone->pcp[c].lists[i].last = PAGE_NIL;
		free_zone_memory(mm, zone);
	}
	if (!mm->zones[ZONE_DMA32].managed_pages && !mm->zones[ZONE_DMA].managed_pages) {
		snprintf(err, err_bytes, "memory layout %s leaves no managed memory below 4 GiB", l->name);
		goto fail;
	}
	mm_setup_watermarks(mm);
	for (int z = 0; z < MAX_NR_ZONES; z++)
		if (mm->zones[z].populated)
			pcp_setup(mm, &mm->zones[z]);
	fail_init(&mm->fail, &cfg->fail);
	prng_seed(&mm->rng, cfg->seed);
	if (boot_allocate(mm, err, err_bytes))
		goto fail;
	return mm;
fail_nomem:
	snprintf(err, err_bytes, "out of host memory creating the machine");
fail:
	mm_destroy(mm);
	return NULL;
}

struct mm_boot *mm_boot(const struct mm_cfg *cfg, char *err, size_t err_bytes)
{
	struct mm_boot *boot = calloc(1, sizeof(*boot));

	if (!boot) {
		snprintf(err, err_bytes, "out of host memory creating the machine");
		return NULL;
	}
	boot->mm = mm_boot_machine(cfg, err, err_bytes);
	if (!boot->mm) {
		free(boot);
		return NULL;
	}
	boot->refs = 1;
	return boot;
}

void mm_boot_put(struct mm_boot *boot)
{
	if (!boot || --boot->refs)
		return;
	mm_destroy(boot->mm);
	free(boot);
}

/* What a started machine has of its own from the start: zones' arrays, page content. */
static int mm_start_copy(struct mm *mm, const struct mm *image)
{
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &mm->zones[z];
		const struct zone *from = &image->zones[z];

		zone->pcp = NULL;
		zone->pageblock_mt = NULL;
		if (!zone->populated)
			continue;
		zone->pcp = malloc(mm->cfg.nr_cpus * sizeof(*zone->pcp));
		zone->pageblock_mt = malloc(zone_nr_pageblocks(zone));
		if (!zone->pcp || !zone->pageblock_mt)
			return -ENOMEM;
		memcpy(zone->pcp, from->pcp, mm->cfg.nr_cpus * sizeof(*zone->pcp));
		memcpy(zone->pageblock_mt, from->pageblock_mt, zone_nr_pageblocks(zone));
	}
	return content_copy(mm, image);
}

struct mm *mm_start(struct mm_boot *boot, char *err, size_t err_bytes)
{
	struct mm *mm = malloc(sizeof(*mm));

	if (!mm)
		goto fail_nomem;
	*mm = *boot->mm;
	/* nothing of the image's is freed with this machine until it is its own */
	mm->boot = NULL;
	mm->pages = mm->memmap_base = NULL;
	mm->section_present = NULL;
	mm->nr_present = 0;
	mm->data_chunks = NULL;
	mm->nr_data = mm->nr_data_chunks = 0;
	for (int z = 0; z < MAX_NR_ZONES; z++)
		mm->zones[z].pcp = NULL, mm->zones[z].pageblock_mt = NULL;
	for (int z = 0; z < MAX_NR_ZONES; z++)
		for (int mt = 0; mt < MIGRATE_PCPTYPES; mt++)
			mm->bg[z][mt].borrowed = true;
	mm->boot = boot;
	boot->refs++;
	if (memmap_init(mm, boot->mm) || mm_start_copy(mm, boot->mm))
		goto fail_nomem;
	return mm;
fail_nomem:
	snprintf(err, err_bytes, "out of host memory creating the machine");
	mm_destroy(mm);
	return NULL;
}

struct mm *mm_create(const struct mm_cfg *cfg, char *err, size_t err_bytes)
{
	struct mm_boot *boot = mm_boot(cfg, err, err_bytes);
	struct mm *mm;

	if (!boot)
		return NULL;
	mm = mm_start(boot, err, err_bytes);
	mm_boot_put(boot);
	return mm;
}

void mm_destroy(struct mm *mm)
{
	if (!mm)
		return;
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		free(mm->zones[z].pageblock_mt);
		free(mm->zones[z].pcp);
	}
	bg_release(mm);
	content_release(mm);
	memmap_release(mm);
	mm_boot_put(mm->boot);
	free(mm);
}

unsigned int mm_nr_cpus(const struct mm *mm)
{
	return mm->cfg.nr_cpus;
}

bool mm_arm64(const struct mm *mm)
{
	return mm->cfg.layout.arm64;
}

enum kver mm_kernel(const struct mm *mm)
{
	return mm->cfg.kernel;
}

uint64_t mm_host_bytes(const struct mm *mm)
{
	uint64_t bytes = sizeof(*mm) + (mm->nr_present * sizeof(struct page) << mm->section_shift) +
			 DIV_ROUND_UP(mm->nr_sections, 64) * sizeof(uint64_t) +
			 mm->nr_data_chunks * (DATA_CHUNK_PAGES * PAGE_SIZE + sizeof(void *));

	for (int z = 0; z < MAX_NR_ZONES; z++) {
		const struct zone *zone = &mm->zones[z];

		if (!zone->populated)
			continue;
		bytes += mm->cfg.nr_cpus * sizeof(*zone->pcp) + zone_nr_pageblocks(zone);
		for (int mt = 0; mt < MIGRATE_PCPTYPES; mt++)
			if (!mm->bg[z][mt].borrowed)
				bytes += mm->bg[z][mt].cap * sizeof(uint32_t);
	}
	return bytes;
}

uint64_t mm_boot_host_bytes(const struct mm_boot *boot)
{
	return sizeof(*boot) + mm_host_bytes(boot->mm);
}
